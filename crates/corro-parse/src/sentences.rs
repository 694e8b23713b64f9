//! Sentence segmentation with byte spans.
//!
//! Rule-based and tuned for news. A sentence ends:
//!
//! * at `.`, `!`, `?`, `...` or `…`, with any closing quotes and brackets after it
//!   (`.'"`, `?”`, `.)`), when white space and then a sentence start follow (an upper-case
//!   letter, a digit, an opening quote or bracket, a currency sign);
//! * at a blank line (a paragraph break), always;
//! * at a single line break, unless the next line starts in lower case or the line ends
//!   with a comma — so headlines, list lines and credit lines without final punctuation
//!   stand alone, and a paragraph wrapped mid-sentence stays whole.
//!
//! A full stop does not end a sentence after a title (`Mr.`, `Dr.`, `Gen.`, `Lt.`), after
//! `No.`/`Sept.` before a number, inside a number (`1.5`, `1.000`) or a domain, and after
//! an initial or a dotted abbreviation (`John F. Kennedy`, `U.S.`, `U.N.`) unless the next
//! word is one that starts sentences ("in the U.S. The talks…").
//!
//! A sentence longer than [`MAX_SENTENCE_BYTES`] (text with no breaks at all) is cut at
//! a space before that length.
//!
//! Spans are byte offsets into the text given, trimmed of white space, non-empty,
//! ordered and non-overlapping. The scan is one pass over the bytes, jumping from stop
//! to stop with memchr; it allocates only the result.

use crate::report::Span;

/// Splits text into sentence spans (byte offsets into `text`), trimmed of white space.
///
/// ```
/// use corro_parse::sentences::split;
/// let text = "Gen. Smith arrived in the U.S. on Sept. 29. He left.\n\nNo. 2 follows";
/// let got: Vec<&str> = split(text).iter().map(|s| &text[s.start..s.end]).collect();
/// assert_eq!(got, ["Gen. Smith arrived in the U.S. on Sept. 29.", "He left.", "No. 2 follows"]);
/// ```
pub fn split(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let n = b.len();
    let mut spans = Vec::with_capacity(n / 128 + 1);
    let mut start = 0;
    let mut i = 0;
    // The scanner stops at line breaks, terminators and the lead byte of `…`; memchr
    // finds them (two searchers, each re-run only once it has been passed).
    let find_a = |i: usize| memchr::memchr3(b'.', b'\n', b'?', &b[i..]).map_or(n, |p| i + p);
    let find_b = |i: usize| memchr::memchr2(b'!', 0xE2, &b[i..]).map_or(n, |p| i + p);
    let (mut next_a, mut next_b) = (find_a(0), find_b(0));
    loop {
        if next_a < i {
            next_a = find_a(i);
        }
        if next_b < i {
            next_b = find_b(i);
        }
        i = next_a.min(next_b);
        if i >= n {
            break;
        }
        match b[i] {
            b'\n' => {
                let mut j = i + 1;
                while j < n && matches!(b[j], b' ' | b'\t') {
                    j += 1;
                }
                if j >= n || b[j] == b'\n' || line_break_ends(text, start, i, j) {
                    push(&mut spans, text, start, i);
                    start = i + 1;
                }
                i = j;
            }
            0xE2 => {
                if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0xA6) {
                    i = terminator(text, &mut spans, &mut start, i, i + 3, true);
                } else {
                    i += 1;
                }
            }
            c => {
                let mut end = i + 1;
                while end < n && matches!(b[end], b'.' | b'!' | b'?') {
                    end += 1;
                }
                let ellipsis = c == b'.' && end - i >= 2;
                i = terminator(text, &mut spans, &mut start, i, end, ellipsis);
            }
        }
    }
    push(&mut spans, text, start, n);
    spans
}

/// Decides whether the terminator at `stop..end` ends the sentence; pushes it if so.
/// Returns where scanning resumes.
fn terminator(
    text: &str,
    spans: &mut Vec<Span>,
    start: &mut usize,
    stop: usize,
    end: usize,
    ellipsis: bool,
) -> usize {
    let b = text.as_bytes();
    let n = b.len();
    let after = skip_closers(b, end);
    if after >= n
        || !matches!(b[after], b' ' | b'\t' | b'\n') && !b[after..].starts_with("\u{a0}".as_bytes())
    {
        return after.max(stop + 1);
    }
    let mut k = after;
    while k < n && (b[k].is_ascii_whitespace() || b[k..].starts_with("\u{a0}".as_bytes())) {
        k += if b[k] == 0xC2 { 2 } else { 1 };
    }
    if k >= n {
        return k;
    }
    let next = &text[k..];
    if !starts_sentence(next) {
        return after;
    }
    let bare_period = b[stop] == b'.' && !ellipsis && after == stop + 1;
    if bare_period && !period_ends(text, *start, stop, next) {
        return after;
    }
    push(spans, text, *start, after);
    *start = after;
    after
}

/// Closing quotes and brackets after a terminator: `"`, `'`, `)`, `]`, `”`, `’`, `»`.
fn skip_closers(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            Some(b'"' | b'\'' | b')' | b']') => i += 1,
            Some(0xE2)
                if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x9D | 0x99)) =>
            {
                i += 3
            }
            Some(0xC2) if b.get(i + 1) == Some(&0xBB) => i += 2,
            _ => return i,
        }
    }
}

fn starts_sentence(next: &str) -> bool {
    match next.chars().next() {
        Some(c) => {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(
                    c,
                    '"' | '“' | '\'' | '‘' | '(' | '[' | '«' | '$' | '£' | '€'
                )
        }
        None => false,
    }
}

/// What kind of abbreviation a word before a full stop is.
#[derive(PartialEq, Eq)]
enum Abbrev {
    /// `Mr.`, `Gen.`: never ends a sentence.
    Title,
    /// `No.`, `Sept.`: does not end a sentence before a number.
    BeforeNumber,
    /// `U.S.`, `Inc.`, an initial: ends one only before a sentence-starting word.
    Ambiguous,
}

/// What kind of abbreviation a lower-cased word is, if any.
fn abbreviation_kind(w: &[u8]) -> Option<Abbrev> {
    match w {
        b"mr" | b"mrs" | b"ms" | b"dr" | b"prof" | b"gen" | b"lt" | b"col" | b"capt" | b"cpt"
        | b"sgt" | b"maj" | b"adm" | b"cmdr" | b"gov" | b"sen" | b"rep" | b"rev" | b"st"
        | b"hon" | b"pres" | b"amb" | b"brig" | b"cpl" | b"pvt" | b"messrs" | b"mt" | b"supt"
        | b"insp" | b"det" | b"atty" | b"lieut" | b"gens" => Some(Abbrev::Title),
        b"no" | b"nos" | b"art" | b"vol" | b"fig" | b"p" | b"pp" | b"ch" | b"sec" | b"para"
        | b"jan" | b"feb" | b"mar" | b"apr" | b"jun" | b"jul" | b"aug" | b"sep" | b"sept"
        | b"oct" | b"nov" | b"dec" | b"tel" => Some(Abbrev::BeforeNumber),
        b"etc" | b"inc" | b"ltd" | b"co" | b"corp" | b"jr" | b"sr" | b"vs" | b"v" | b"approx"
        | b"est" | b"dept" | b"govt" | b"univ" | b"assn" | b"bros" | b"ave" | b"blvd" | b"rd"
        | b"mln" | b"bln" | b"ft" | b"al" => Some(Abbrev::Ambiguous),
        _ => None,
    }
}

/// Words that start sentences, so that "in the U.S. The talks" still splits.
fn starter(w: &[u8]) -> bool {
    matches!(
        w,
        b"the"
            | b"a"
            | b"an"
            | b"he"
            | b"she"
            | b"it"
            | b"they"
            | b"we"
            | b"i"
            | b"you"
            | b"but"
            | b"and"
            | b"or"
            | b"so"
            | b"yet"
            | b"in"
            | b"on"
            | b"at"
            | b"for"
            | b"from"
            | b"to"
            | b"with"
            | b"as"
            | b"after"
            | b"before"
            | b"when"
            | b"while"
            | b"if"
            | b"this"
            | b"that"
            | b"these"
            | b"those"
            | b"there"
            | b"here"
            | b"his"
            | b"her"
            | b"its"
            | b"their"
            | b"our"
            | b"my"
            | b"according"
            | b"however"
            | b"meanwhile"
            | b"earlier"
            | b"later"
            | b"also"
            | b"still"
            | b"some"
            | b"many"
            | b"most"
            | b"no"
            | b"not"
            | b"one"
            | b"what"
            | b"who"
            | b"why"
            | b"how"
            | b"where"
            | b"last"
            | b"during"
            | b"since"
            | b"officials"
            | b"both"
            | b"then"
    )
}

/// Lower-cases a short ASCII word into `buf`; `None` if it is too long to be listed.
fn lower<'b>(word: &[u8], buf: &'b mut [u8; 12]) -> Option<&'b [u8]> {
    if word.len() > buf.len() {
        return None;
    }
    for (d, c) in buf.iter_mut().zip(word) {
        *d = c.to_ascii_lowercase();
    }
    Some(&buf[..word.len()])
}

fn abbreviation(word: &str) -> Option<Abbrev> {
    let w = word.as_bytes();
    if w.is_empty() || w.len() > 12 {
        return None;
    }
    if w.len() == 1 && w[0].is_ascii_uppercase() {
        return Some(Abbrev::Ambiguous); // an initial
    }
    // Dotted: "U.S", "a.m", "D.C", "e.g" — short letter groups between dots.
    if w.contains(&b'.') {
        let dotted = word
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|c| c.is_ascii_alphabetic()));
        return dotted.then_some(Abbrev::Ambiguous);
    }
    let mut buf = [0u8; 12];
    abbreviation_kind(lower(w, &mut buf)?)
}

/// Does the full stop at `stop` end the sentence, given the word before it and `next`?
fn period_ends(text: &str, start: usize, stop: usize, next: &str) -> bool {
    let b = text.as_bytes();
    let mut w = stop;
    while w > start
        && !b[w - 1].is_ascii_whitespace()
        && !matches!(b[w - 1], b'(' | b'"' | b'[' | b'/')
    {
        w -= 1;
    }
    let word = text[w..stop].trim_start_matches(|c: char| !c.is_alphanumeric());
    let next_digit = next.as_bytes()[0].is_ascii_digit();
    // "1. A ceasefire": a number opening the sentence is a list marker.
    let list_marker = !word.is_empty()
        && word.len() <= 3
        && word.bytes().all(|c| c.is_ascii_digit())
        && text[start..w].trim().is_empty();
    if list_marker {
        return false;
    }
    match abbreviation(word) {
        None => true,
        Some(Abbrev::Title) => false,
        Some(Abbrev::BeforeNumber) => !next_digit,
        Some(Abbrev::Ambiguous) => starts_with_starter(next),
    }
}

fn starts_with_starter(next: &str) -> bool {
    let n = next.as_bytes();
    let end = n
        .iter()
        .position(|c| !c.is_ascii_alphabetic())
        .unwrap_or(n.len());
    let mut buf = [0u8; 12];
    end > 0 && lower(&n[..end], &mut buf).is_some_and(starter)
}

/// A single line break between `i` and the next line (at `j`): does it end the sentence?
fn line_break_ends(text: &str, start: usize, i: usize, j: usize) -> bool {
    let b = text.as_bytes();
    let line_start = memchr::memrchr(b'\n', &b[start..i]).map_or(start, |p| start + p + 1);
    let next = &text[j..];
    if list_item(next) || list_item(&text[line_start..i]) {
        return true;
    }
    if next.starts_with(|c: char| c.is_lowercase()) {
        return false;
    }
    let line = text[line_start..i].trim_end();
    !line.ends_with(',')
}

/// `- item`, `* item`, `• item`, `1. item`, `2) item`, `a) item`.
fn list_item(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    let b = t.as_bytes();
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("• ") || t.starts_with("– ")
    {
        return true;
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let marker = if digits > 0 && digits <= 3 {
        digits
    } else if b.len() > 1 && b[0].is_ascii_lowercase() && b[1] == b')' {
        1
    } else {
        return false;
    };
    matches!(b.get(marker), Some(b'.' | b')')) && b.get(marker + 1) == Some(&b' ')
}

/// The longest sentence, in bytes. Real sentences are far shorter; text with no
/// sentence breaks (a scraped table, a run-on page) is cut into pieces of at most this
/// size, at a space where there is one. Every claim row carries its sentence, so an
/// unbounded sentence made output and memory grow with mentions × sentence length.
pub const MAX_SENTENCE_BYTES: usize = 2000;

fn push(spans: &mut Vec<Span>, text: &str, start: usize, end: usize) {
    let mut start = start;
    loop {
        let t = &text[start..end];
        let lead = t.len() - t.trim_start().len();
        let trimmed = t.trim();
        if trimmed.is_empty() {
            return;
        }
        let a = start + lead;
        if trimmed.len() <= MAX_SENTENCE_BYTES {
            spans.push(Span {
                start: a,
                end: a + trimmed.len(),
            });
            return;
        }
        let limit = crate::dateline::floor_boundary(text, a + MAX_SENTENCE_BYTES);
        let cut = text[a..limit]
            .rfind(char::is_whitespace)
            .map(|p| a + p)
            .filter(|&c| c > a)
            .unwrap_or(limit);
        spans.push(Span {
            start: a,
            end: a + text[a..cut].trim_end().len(),
        });
        start = cut;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 KB without a sentence break gave one 100 KB sentence, copied into every one of
    /// its 3,500 claim rows (1.3 GB of memory in `corro run`, and as much output).
    #[test]
    fn text_without_breaks_is_cut_into_bounded_sentences_at_spaces() {
        let text = "about 150 fighters arrived é ".repeat(4000);
        let spans = split(&text);
        assert!(spans.len() >= text.len() / MAX_SENTENCE_BYTES);
        let mut prev = 0;
        for s in &spans {
            let t = &text[s.start..s.end];
            assert!(t.len() <= MAX_SENTENCE_BYTES, "{}", t.len());
            assert_eq!(t.trim(), t);
            assert!(s.start >= prev);
            prev = s.end;
            // Cut at spaces: every piece starts and ends with a whole word.
            assert!(
                t.starts_with("about")
                    || t.starts_with("150")
                    || t.starts_with("fighters")
                    || t.starts_with("arrived")
                    || t.starts_with('é'),
                "{}",
                &t[..20]
            );
        }
        // No spaces at all: cut on a character boundary.
        let solid = "é".repeat(3000);
        let spans = split(&solid);
        assert_eq!(spans.len(), 3);
        assert!(spans.iter().all(|s| solid.is_char_boundary(s.end)));
        assert_eq!(
            spans.iter().map(|s| s.end - s.start).sum::<usize>(),
            solid.len()
        );
    }
}
