//! What each target's output must satisfy, whatever the input.

use corro_claims::{Extractor, Lexicons, Quantity};
use corro_parse::{metadata, sentences, Limits, Report, Span, Status};

/// File names `read_source` inputs are given, picked by the first input byte.
const NAMES: &[&str] = &[
    "in/r.txt",
    "in/r.md",
    "in/r.jsonl",
    "in/r.ndjson",
    "in/r.csv",
    "in/r.txt.gz",
    "in/r.jsonl.gz",
    "in/r.csv.gz",
];

/// The source name, limits and file bytes a `read_source` input stands for: byte 0 picks
/// the name (and, for `.gz`, whether the rest is compressed intact, compressed and
/// truncated, or passed raw), byte 1 the limits.
pub fn source_of(input: &[u8], gz_allowed: bool) -> (&'static str, Limits, Vec<u8>) {
    let (sel, lim, body) = match input {
        [a, b, rest @ ..] => (*a as usize, *b as usize, rest),
        [a] => (*a as usize, 0, &[][..]),
        [] => (0, 0, &[][..]),
    };
    let names = if gz_allowed { NAMES } else { &NAMES[..5] };
    let name = names[sel % names.len()];
    let mut limits = Limits::default();
    match lim % 4 {
        1 => limits.max_report_bytes = 1 + (lim / 4) * 7,
        2 => limits.max_line_bytes = 1 + (lim / 4) * 9,
        3 => limits.max_decompressed_bytes = 1 + (lim / 4) as u64 * 31,
        _ => {}
    }
    let bytes = if name.ends_with(".gz") {
        match (sel / NAMES.len()) % 3 {
            0 => gzip(body),
            1 => {
                let mut z = gzip(body);
                let keep = z.len() * (1 + lim % 7) / 8;
                z.truncate(keep);
                z
            }
            _ => body.to_vec(),
        }
    } else {
        body.to_vec()
    };
    (name, limits, bytes)
}

fn gzip(b: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).expect("writing to memory");
    e.finish().expect("writing to memory")
}

pub fn read_source(input: &[u8], lex: &Lexicons) -> Result<(), String> {
    let (name, limits, bytes) = source_of(input, true);
    let reports = corro_parse::read_source(name, &bytes, &limits, &lex.outlets);
    check_reports(name, &bytes, &limits, &reports)
}

fn check_reports(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    reports: &[Report],
) -> Result<(), String> {
    if reports.is_empty() {
        return Err("no report at all: the file vanished".into());
    }
    // One report per non-blank JSONL line: none lost, none invented.
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        let d = corro_parse::decode::decode(bytes);
        let unreadable = bytes.iter().all(|b| b.is_ascii_whitespace())
            || corro_parse::decode::looks_binary(bytes);
        let lines = d.text.split('\n').filter(|l| !l.trim().is_empty()).count();
        if !unreadable && lines > 0 && reports.len() != lines {
            return Err(format!(
                "{} reports for {lines} non-blank JSONL lines",
                reports.len()
            ));
        }
    }
    for r in reports {
        if r.status == Status::Error && !r.notes.iter().any(|n| n.contains(name)) {
            return Err(format!("error note does not name the file: {:?}", r.notes));
        }
        if r.status != Status::Error && r.text.len() > limits.max_report_bytes {
            return Err(format!(
                "text of {} bytes is over max_report_bytes {}",
                r.text.len(),
                limits.max_report_bytes
            ));
        }
        if let Some(c) = r
            .text
            .chars()
            .find(|&c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{FEFF}')
        {
            return Err(format!("control character {c:?} left in normalised text"));
        }
        if r.body_start > r.text.len() || !r.text.is_char_boundary(r.body_start) {
            return Err(format!(
                "body_start {} out of bounds or mid-character",
                r.body_start
            ));
        }
        check_spans(&r.text, &r.sentences)?;
        if r.id.is_empty() {
            return Err("empty report id".into());
        }
    }
    Ok(())
}

/// Spans in bounds, on char boundaries, non-empty, trimmed, ordered, non-overlapping.
fn check_spans(text: &str, spans: &[Span]) -> Result<(), String> {
    let mut prev_end = 0;
    for s in spans {
        if s.start >= s.end || s.end > text.len() {
            return Err(format!(
                "span {s:?} empty or out of bounds (len {})",
                text.len()
            ));
        }
        if !text.is_char_boundary(s.start) || !text.is_char_boundary(s.end) {
            return Err(format!("span {s:?} not on char boundaries"));
        }
        if s.start < prev_end {
            return Err(format!("span {s:?} overlaps or precedes the previous one"));
        }
        let t = &text[s.start..s.end];
        if t.trim() != t {
            return Err(format!("span {s:?} not trimmed: {t:?}"));
        }
        prev_end = s.end;
    }
    Ok(())
}

pub fn sentences(text: &str) -> Result<(), String> {
    check_spans(text, &sentences::split(text))
}

pub fn dateline(text: &str, lex: &Lexicons) -> Result<(), String> {
    if let Some(d) = metadata::parse_dateline(text, &lex.outlets) {
        if d.len > text.len() || !text.is_char_boundary(d.len) {
            return Err(format!(
                "dateline len {} out of bounds or mid-character",
                d.len
            ));
        }
        if let Some(w) = d.written_date {
            check_partial(w)?;
        }
    }
    let line = text.lines().next().unwrap_or("");
    let _ = metadata::parse_byline(line);
    let _ = metadata::parse_credit(line, &lex.outlets);
    Ok(())
}

fn check_partial(d: metadata::PartialDate) -> Result<(), String> {
    if !(1..=12).contains(&d.month) || !(1..=31).contains(&d.day) {
        return Err(format!("impossible date parts {d:?}"));
    }
    Ok(())
}

pub fn date(text: &str) -> Result<(), String> {
    if let Some(d) = metadata::parse_date_parts(text) {
        check_partial(d)?;
        let _ = d.resolve(Some(2020));
        let _ = d.resolve(Some(i16::MAX));
        let _ = d.resolve(Some(i16::MIN));
    }
    let _ = metadata::parse_date(text, Some(2020));
    let _ = metadata::latest_year_in(text);
    for w in text.split_whitespace() {
        if let Some(m) = metadata::month_number(w) {
            if !(1..=12).contains(&m) {
                return Err(format!("month {m} for {w:?}"));
            }
        }
    }
    Ok(())
}

fn check_quantity(text: &str, q: &Quantity) -> Result<(), String> {
    if q.start > q.end || q.end > text.len() {
        return Err(format!(
            "quantity span {}..{} out of bounds (len {})",
            q.start,
            q.end,
            text.len()
        ));
    }
    if !text.is_char_boundary(q.start) || !text.is_char_boundary(q.end) {
        return Err(format!(
            "quantity span {}..{} not on char boundaries",
            q.start, q.end
        ));
    }
    for v in [q.low, q.high].into_iter().flatten() {
        if !v.is_finite() {
            return Err(format!(
                "non-finite value {v} in {:?}",
                &text[q.start..q.end]
            ));
        }
    }
    if let (Some(l), Some(h)) = (q.low, q.high) {
        if l > h {
            return Err(format!(
                "interval low {l} > high {h} in {:?}",
                &text[q.start..q.end]
            ));
        }
    }
    if q.unit.as_deref() == Some("") || q.per.as_deref() == Some("") {
        return Err("empty unit or per".into());
    }
    Ok(())
}

pub fn quantity(text: &str, lex: &Lexicons) -> Result<(), String> {
    let qs = corro_claims::quantity::extract(text, &lex.units);
    let mut prev = 0;
    for q in &qs {
        check_quantity(text, q)?;
        if q.start < prev {
            return Err("quantities out of order".into());
        }
        prev = q.start;
    }
    for n in corro_claims::quantity::find_numbers(text) {
        if n.start > n.end
            || n.end > text.len()
            || !text.is_char_boundary(n.start)
            || !text.is_char_boundary(n.end)
        {
            return Err(format!(
                "number span {}..{} bad (len {})",
                n.start,
                n.end,
                text.len()
            ));
        }
        if !n.value.is_finite() {
            return Err(format!(
                "non-finite number {} for {:?}",
                n.value,
                &text[n.start..n.end]
            ));
        }
    }
    Ok(())
}

pub fn extract(input: &[u8], lex: &Lexicons) -> Result<(), String> {
    let (name, limits, bytes) = source_of(input, false);
    let reports = corro_parse::read_source(name, &bytes, &limits, &lex.outlets);
    check_reports(name, &bytes, &limits, &reports)?;
    let ex = Extractor::new(lex);
    for r in reports.iter().filter(|r| r.status == Status::Ok) {
        for m in ex.extract(r) {
            if m.sentence >= r.sentences.len() {
                return Err(format!(
                    "mention in sentence {} of {}",
                    m.sentence,
                    r.sentences.len()
                ));
            }
            if let Some(q) = &m.quantity {
                check_quantity(r.sentence_text(m.sentence), q)?;
            }
            if m.concepts.windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!(
                    "concepts not sorted and de-duplicated: {:?}",
                    m.concepts
                ));
            }
        }
    }
    Ok(())
}
