//! Metadata from the text itself: header lines, headline, dateline, byline and date.
//!
//! Fields given by the input (JSONL/CSV columns, `key: value` header lines) always win;
//! what the text says fills the gaps. Inferences that could be wrong (a year taken from
//! context) are written to the report's notes, never made silently.

use jiff::civil::Date;

use crate::outlets::OutletLexicon;
use crate::report::{Metadata, RawReport, Report, Span, Status};

pub(crate) fn build_report(raw: RawReport, id: String, outlets: &OutletLexicon) -> Report {
    let text = raw.text;
    let mut notes = raw.notes;
    let mut meta = Metadata {
        outlet: raw.outlet.as_deref().map(|o| outlets.canonical(o)),
        url: raw.url,
        author: raw.author,
        title: raw.title,
        language: raw.language,
        ..Default::default()
    };
    if let Some(d) = raw.date.as_deref() {
        match parse_date(d, None) {
            Some(date) => meta.published = Some(date),
            None => notes.push(format!("date {d:?} not understood")),
        }
    }

    let mut pos = skip_blank(&text, 0);
    let mut sentences = Vec::new();

    // Header lines: `key: value` with a known key, or the bare `date 2020-10-02` form
    // (which may carry the headline on the same line, as in the seeds).
    loop {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = &text[pos..line_end];
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        if let Some((k, v)) = trimmed.split_once(':') {
            let key = k.trim().to_ascii_lowercase();
            let v = v.trim();
            let known = matches!(
                key.as_str(),
                "outlet" | "date" | "url" | "author" | "title" | "language" | "source" | "id"
            );
            if known && !v.is_empty() && !k.contains(' ') {
                match key.as_str() {
                    "outlet" | "source" => {
                        meta.outlet.get_or_insert_with(|| outlets.canonical(v));
                    }
                    "date" => {
                        if meta.published.is_none() {
                            meta.published = parse_date(v, None);
                        }
                    }
                    "url" => {
                        meta.url.get_or_insert_with(|| v.to_string());
                    }
                    "author" => {
                        meta.author.get_or_insert_with(|| v.to_string());
                    }
                    "title" => {
                        meta.title.get_or_insert_with(|| v.to_string());
                    }
                    "language" => {
                        meta.language.get_or_insert_with(|| v.to_string());
                    }
                    _ => {}
                }
                pos = skip_blank(&text, line_end);
                continue;
            }
        }
        if let Some(rest) = trimmed.strip_prefix("date ") {
            let tok = rest.split_whitespace().next().unwrap_or("");
            if let Some(d) = parse_date(tok, None) {
                meta.published.get_or_insert(d);
                let after = pos + lead + "date ".len() + rest.find(tok).unwrap_or(0) + tok.len();
                let after = after
                    + (text[after..line_end].len() - text[after..line_end].trim_start().len());
                if after >= line_end {
                    pos = skip_blank(&text, line_end);
                    continue;
                }
                pos = after;
            }
        }
        break;
    }

    // Headline: a first line standing alone (blank line after it), not a full paragraph.
    let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let first = text[pos..line_end].trim_end();
    let followed_by_blank =
        text[line_end..].starts_with("\n\n") || text[line_end..].starts_with("\n \n");
    if !first.is_empty() && followed_by_blank && looks_like_headline(first) {
        meta.title.get_or_insert_with(|| first.to_string());
        sentences.push(Span {
            start: pos,
            end: pos + first.len(),
        });
        pos = skip_blank(&text, line_end);
    }

    // Dateline at the start of the body.
    let body_start;
    if let Some(dl) = parse_dateline(&text[pos..], outlets) {
        if meta.outlet.is_none() {
            meta.outlet = dl.outlet;
            meta.relayed_via = dl.relayed_via;
        }
        meta.place
            .get_or_insert_with(|| dl.place.unwrap_or_default());
        if meta.place.as_deref() == Some("") {
            meta.place = None;
        }
        if meta.published.is_none() {
            meta.published = dl.date;
        }
        body_start = pos + dl.len;
    } else {
        body_start = pos;
    }
    let body_start = skip_spaces(&text, body_start);

    // Byline at the end ("Reporting by …") or start ("By …"): metadata, not claims.
    let mut body_end = text.trim_end().len();
    if let Some(last_nl) = text[..body_end].rfind('\n') {
        let last = text[last_nl + 1..body_end].trim();
        if let Some(author) = parse_byline(last) {
            meta.author.get_or_insert(author);
            body_end = last_nl;
        }
    }
    if body_end < body_start {
        body_end = body_start;
    }

    sentences.extend(
        crate::sentences::split(&text[body_start..body_end])
            .into_iter()
            .map(|s| Span {
                start: s.start + body_start,
                end: s.end + body_start,
            }),
    );

    if meta.language.is_none() {
        meta.language = crate::language_of(&text[body_start..body_end]);
    }
    let mut status = Status::Ok;
    match meta.language.as_deref() {
        Some("en") | None => {}
        Some(other) => {
            status = Status::Skipped;
            notes.push(format!("language is {other}, not English; not analysed"));
        }
    }
    if sentences.is_empty() && status == Status::Ok {
        status = Status::Error;
        notes.push(format!("{}: no text", raw.path));
    }

    Report {
        id,
        path: raw.path,
        text,
        meta,
        body_start,
        sentences,
        status,
        notes,
    }
}

fn skip_blank(text: &str, mut pos: usize) -> usize {
    let b = text.as_bytes();
    while pos < b.len() && b[pos].is_ascii_whitespace() {
        pos += 1;
    }
    pos
}

fn skip_spaces(text: &str, mut pos: usize) -> usize {
    let b = text.as_bytes();
    while pos < b.len() && (b[pos] == b' ' || b[pos] == b'\t') {
        pos += 1;
    }
    pos
}

fn looks_like_headline(line: &str) -> bool {
    let ends_sentence = line.ends_with(['.', '!', '?', '"', '”']);
    line.len() <= 400 && (!ends_sentence || line.len() < 120)
}

/// What a dateline gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dateline {
    pub place: Option<String>,
    pub outlet: Option<String>,
    pub relayed_via: Vec<String>,
    pub date: Option<Date>,
    /// Bytes of text the dateline takes, including the dash after it.
    pub len: usize,
}

/// Parses a dateline at the start of `text`: `PLACE[, REGION] (OUTLET[ / RELAY][ - DATE]) –`.
pub fn parse_dateline(text: &str, outlets: &OutletLexicon) -> Option<Dateline> {
    let window = &text[..floor_boundary(text, 160)];
    let open = window.find('(')?;
    let close = open + window[open..].find(')')?;
    let place_part = window[..open].trim();
    if place_part.is_empty()
        || place_part.contains('.')
        || place_part.split_whitespace().count() > 6
    {
        return None;
    }
    let place_first = place_part.split(',').next().unwrap_or("").trim();
    // Datelines shout the place: "AZAZ", "WASHINGTON".
    if !place_first.chars().any(|c| c.is_alphabetic())
        || place_first
            .chars()
            .filter(|c| c.is_alphabetic())
            .any(|c| c.is_lowercase())
    {
        return None;
    }
    let inner = &window[open + 1..close];
    let (who, date) = match inner.split_once(" - ").or_else(|| inner.split_once(" – ")) {
        Some((w, d)) => (w, parse_date(d.trim(), None)),
        None => (inner, None),
    };
    let mut names = who
        .split('/')
        .map(|s| outlets.canonical(s.trim()))
        .filter(|s| !s.is_empty());
    let outlet = names.next();
    let relayed_via: Vec<String> = names.collect();
    let mut len = close + 1;
    let rest = &text[len..];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    for dash in ["–", "—", "-"] {
        if let Some(r) = trimmed.strip_prefix(dash) {
            len += rest.len() - r.len();
            break;
        }
    }
    Some(Dateline {
        place: Some(place_first.to_string()),
        outlet,
        relayed_via,
        date,
        len,
    })
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "Reporting by Khalid Hassan" → "Khalid Hassan".
pub fn parse_byline(line: &str) -> Option<String> {
    for prefix in ["Reporting by ", "Reported by ", "Written by ", "By "] {
        if let Some(rest) = line.strip_prefix(prefix) {
            let name = rest.split([';', ',']).next().unwrap_or("").trim();
            if !name.is_empty() && name.split_whitespace().count() <= 5 {
                return Some(name.to_string());
            }
        }
    }
    None
}

const MONTHS: &[(&str, i8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Parses a date as news writes it: ISO (`2020-10-02`, with or without a time),
/// `02nd October, 2020`, `October 2, 2020`, `29-09-2020`. `year` fills a missing year.
pub fn parse_date(s: &str, year: Option<i16>) -> Option<Date> {
    let s = s.trim();
    if s.len() >= 10 {
        if let Ok(d) = s[..10].parse::<Date>() {
            return Some(d);
        }
    }
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '/' || c == '-' || c == '.')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let mut day = None;
    let mut month = None;
    let mut yr = None;
    let mut nums = Vec::new();
    for w in &words {
        if let Some(&(_, m)) = MONTHS.iter().find(|(n, _)| n == w) {
            month = Some(m);
            continue;
        }
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
            continue;
        }
        let n: i32 = digits.parse().ok()?;
        if digits.len() == 4 {
            yr = Some(n as i16);
        } else {
            nums.push(n);
        }
    }
    match (month, nums.as_slice()) {
        (Some(_), [d, ..]) => day = Some(*d as i8),
        (None, [d, m, ..]) => {
            day = Some(*d as i8);
            month = Some(*m as i8);
        }
        _ => {}
    }
    let y = yr.or(year)?;
    Date::new(y, month?, day?).ok()
}
