//! Sentence segmentation with byte spans.
//!
//! Rule-based, tuned for news: a sentence ends at `.`, `!` or `?` (plus closing quotes
//! and brackets) followed by white space and an upper-case letter, digit or opening
//! quote — unless the word before the stop is a known abbreviation or an initial. A
//! paragraph break always ends a sentence, so headlines and list lines without final
//! punctuation stand alone.

use crate::report::Span;

const ABBREVIATIONS: &[&str] = &[
    "u.s", "u.n", "u.k", "e.u", "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "sgt",
    "maj", "adm", "gov", "sen", "rep", "st", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "corp", "ltd", "co", "jr", "sr",
    "a.m", "p.m", "approx", "est", "fig", "i.e", "e.g",
];

/// Splits text into sentence spans (byte offsets into `text`), trimmed of white space.
pub fn split(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = None::<usize>;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if start.is_none() {
            if !b.is_ascii_whitespace() {
                start = Some(i);
            }
            i += 1;
            continue;
        }
        let s = start.unwrap_or(0);
        if b == b'\n' {
            // A blank line (paragraph break) always ends a sentence.
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'\n' {
                push(&mut spans, text, s, i);
                start = None;
                i = j;
                continue;
            }
        }
        if matches!(b, b'.' | b'!' | b'?') {
            let mut end = i + 1;
            while end < bytes.len()
                && matches!(bytes[end], b'.' | b'!' | b'?' | b'"' | b'\'' | b')')
            {
                end += 1;
            }
            // Closing curly quotes (”, ’) are three bytes each.
            while text[end..].starts_with('”') || text[end..].starts_with('’') {
                end += 3;
            }
            if end >= bytes.len() {
                break;
            }
            if bytes[end].is_ascii_whitespace() && b == b'.' && is_abbreviation(&text[s..i]) {
                i = end;
                continue;
            }
            if bytes[end].is_ascii_whitespace() && starts_sentence(&text[end..]) {
                push(&mut spans, text, s, end);
                start = None;
                i = end;
                continue;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    if let Some(s) = start {
        push(&mut spans, text, s, bytes.len());
    }
    spans
}

fn push(spans: &mut Vec<Span>, text: &str, start: usize, end: usize) {
    let t = &text[start..end];
    let trimmed = t.trim_end();
    if !trimmed.is_empty() {
        spans.push(Span {
            start,
            end: start + trimmed.len(),
        });
    }
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    let lower = word.to_ascii_lowercase();
    // A single capital letter is an initial ("John F. Kennedy").
    if word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()) {
        return true;
    }
    ABBREVIATIONS.contains(&lower.as_str())
}

fn starts_sentence(rest: &str) -> bool {
    let rest = rest.trim_start();
    match rest.chars().next() {
        Some(c) => {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '"' | '“' | '\'' | '‘' | '(' | '[')
        }
        None => false,
    }
}
