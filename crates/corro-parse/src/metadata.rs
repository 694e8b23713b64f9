//! Metadata from the text itself: header lines, headline, dateline, byline and date.
//!
//! A report's text is read top to bottom:
//!
//! 1. header lines — `key: value` (`outlet`, `source`, `date`, `published`, `url`,
//!    `author`, `title`, `headline`, `language`), the bare `date 2020-10-02` form, which
//!    may carry the headline on the same line, or a known outlet's name alone on a line;
//! 2. the headline — a first line standing alone (a blank line or a dateline after it),
//!    not ending in a full stop; it becomes sentence 0;
//! 3. a `By …` line;
//! 4. the dateline ([`parse_dateline`]) — the body starts after it;
//! 5. trailing credit lines ([`parse_credit`]) — removed from the body, they fill
//!    `author` (and a wire credit names the source).
//!
//! Fields given by the input (JSONL/CSV columns, header lines) always win; what the text
//! says fills the gaps. Inferences that could be wrong — a year taken from context, an
//! outlet read from a URL — are written to the report's notes, never made silently.

pub use crate::byline::{parse_byline, parse_credit, Credit};
pub use crate::dateline::{parse_dateline, Dateline};
pub use crate::dates::{latest_year_in, month_number, parse_date, parse_date_parts, PartialDate};

use crate::outlets::OutletLexicon;
use crate::report::{Metadata, RawReport, Report, Span, Status};

pub(crate) fn build_report(raw: RawReport, id: String, outlets: &OutletLexicon) -> Report {
    let RawReport {
        path,
        text,
        title,
        outlet,
        url,
        date,
        author,
        language,
        mut notes,
        ..
    } = raw;
    let tidy = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut meta = Metadata {
        outlet: outlet.as_deref().map(|o| outlets.canonical(o)),
        url,
        author: author.map(tidy),
        title: title.map(tidy),
        language: language.as_deref().map(language_code),
        ..Default::default()
    };
    if meta.outlet.is_none() {
        if let Some(o) = meta.url.as_deref().and_then(|u| outlets.lookup(u)) {
            notes.push(format!("outlet {o} taken from the URL"));
            meta.outlet = Some(o.to_string());
        }
    }
    // A written date without a year waits for the text to supply one.
    let mut undated: Option<(PartialDate, &'static str)> = None;
    if let Some(d) = date.as_deref() {
        set_date(&mut meta, &mut notes, &mut undated, d, "date field");
    }

    let mut pos = skip_blank(&text, 0);
    let mut headline: Option<Span> = None;

    // 1. Header lines.
    loop {
        let end = line_end(&text, pos);
        let line = &text[pos..end];
        if let Some((k, v)) = line.split_once(':') {
            let key = k.trim();
            let v_trim = v.trim();
            let known = matches!(
                key.to_ascii_lowercase().as_str(),
                "outlet"
                    | "source"
                    | "date"
                    | "published"
                    | "url"
                    | "author"
                    | "title"
                    | "headline"
                    | "language"
            );
            // "Source: a senior official said…" opens a body, not a header.
            let short = match key.len() {
                6 if key.eq_ignore_ascii_case("outlet") || key.eq_ignore_ascii_case("source") => {
                    v_trim.len() <= 60
                }
                _ => v_trim.len() <= 300,
            };
            if known && short && !v_trim.is_empty() {
                // Where `v_trim` starts: `trim` also takes Unicode spaces (U+00A0).
                let v_start = pos + k.len() + 1 + (v.len() - v.trim_start().len());
                match key.to_ascii_lowercase().as_str() {
                    "outlet" | "source" => {
                        meta.outlet.get_or_insert_with(|| outlets.canonical(v_trim));
                    }
                    "date" | "published" => {
                        if meta.published.is_none() {
                            set_date(&mut meta, &mut notes, &mut undated, v_trim, "date line");
                        }
                    }
                    "url" => {
                        meta.url.get_or_insert_with(|| v_trim.to_string());
                    }
                    "author" => {
                        meta.author.get_or_insert_with(|| v_trim.to_string());
                    }
                    "title" | "headline" => {
                        meta.title.get_or_insert_with(|| v_trim.to_string());
                        headline.get_or_insert(Span {
                            start: v_start,
                            end: v_start + v_trim.len(),
                        });
                    }
                    _ => {
                        meta.language.get_or_insert_with(|| language_code(v_trim));
                    }
                }
                pos = skip_blank(&text, end);
                continue;
            }
        }
        // A wire name alone on the first line ("Agence France Presse").
        let bare = line.trim();
        if bare.len() <= 40 && end < text.len() {
            if let Some(o) = outlets.lookup(bare) {
                meta.outlet.get_or_insert_with(|| o.to_string());
                pos = skip_blank(&text, end);
                continue;
            }
        }
        // `date 2020-10-02` — possibly followed by the headline on the same line.
        if let Some(rest) = line.trim_start().strip_prefix("date ") {
            let tok = rest.split_whitespace().next().unwrap_or("");
            if let Some(d) = parse_date(tok, None) {
                meta.published.get_or_insert(d);
                let tok_end =
                    pos + (line.len() - rest.len()) + rest.find(tok).unwrap_or(0) + tok.len();
                let after = skip_spaces(&text, tok_end);
                pos = if after >= end {
                    skip_blank(&text, end)
                } else {
                    after
                };
                if after >= end {
                    continue;
                }
            }
        }
        break;
    }

    // 2. Headline.
    if headline.is_none() && pos < text.len() {
        let end = line_end(&text, pos);
        let first = text[pos..end].trim_end();
        // `skip_blank` stops at Unicode spaces (U+00A0); the headline starts after them.
        let lead = first.len() - first.trim_start().len();
        let first = first.trim_start();
        let next = skip_blank(&text, end);
        let more = next < text.len();
        let blank_after = text[end..next].bytes().filter(|&b| b == b'\n').count() >= 2;
        let matches_field = meta.title.as_deref().is_some_and(|t| same_words(t, first));
        let recognised = matches_field
            || (meta.title.is_none()
                && more
                && looks_like_headline(first)
                && parse_dateline(first, outlets).is_none()
                && (blank_after
                    || parse_dateline(&text[next..], outlets).is_some()
                    || parse_byline(&text[next..line_end(&text, next)]).is_some()));
        if recognised && !first.is_empty() {
            meta.title.get_or_insert_with(|| first.to_string());
            headline = Some(Span {
                start: pos + lead,
                end: pos + lead + first.len(),
            });
            pos = next;
        }
    }

    // 3. A `By …` line before the body.
    {
        let end = line_end(&text, pos);
        if end < text.len() {
            if let Some(a) = parse_byline(&text[pos..end]) {
                meta.author.get_or_insert(a);
                pos = skip_blank(&text, end);
            }
        }
    }

    // 4. Dateline.
    let mut body_start = pos;
    if let Some(dl) = parse_dateline(&text[pos..], outlets) {
        match (&meta.outlet, dl.outlet) {
            (None, o) => {
                meta.outlet = o;
                meta.relayed_via = dl.relayed_via;
            }
            (Some(given), Some(o)) if *given != o => {
                meta.relayed_via.push(o);
                meta.relayed_via.extend(dl.relayed_via);
            }
            (Some(_), _) => meta.relayed_via.extend(dl.relayed_via),
        }
        if meta.place.is_none() {
            meta.place = dl.place;
        }
        if meta.published.is_none() {
            if let Some(wd) = dl.written_date {
                match wd.resolve(None) {
                    // A full date beats a year-less one from a field.
                    Some((d, _)) => {
                        meta.published = Some(d);
                        undated = None;
                    }
                    None if undated.is_none() => undated = Some((wd, "dateline")),
                    None => {}
                }
            }
        }
        body_start = skip_spaces(&text, pos + dl.len);
        if text[body_start..].starts_with('\n') {
            // The dateline stood on its own line ("FORT DEVENS, Massachusetts -").
            body_start = skip_blank(&text, body_start);
        }
    }

    // 5. Trailing credit lines.
    let mut body_end = text.trim_end().len().max(body_start);
    for _ in 0..4 {
        let Some(nl) = text[body_start..body_end].rfind('\n') else {
            // The credit may close the only paragraph: "… said. (Reporting by X)".
            body_end = strip_parenthetical_credit(&text, body_start, body_end, &mut meta);
            break;
        };
        let line_start = body_start + nl + 1;
        let line = &text[line_start..body_end];
        match parse_credit(line, outlets) {
            Some(c) => {
                apply_credit(&mut meta, c);
                body_end = text[..line_start].trim_end().len().max(body_start);
            }
            None => {
                body_end = strip_parenthetical_credit(&text, line_start, body_end, &mut meta);
                break;
            }
        }
    }

    if meta.published.is_none() {
        if let Some((wd, from)) = undated {
            let (m, d) = (wd.month, wd.day);
            match latest_year_in(&text).and_then(|y| wd.resolve(Some(y))) {
                Some((date, _)) => {
                    notes.push(format!(
                        "{from} gives {m:02}-{d:02} without a year; year {} taken from the \
                         latest year mentioned in the text",
                        date.year()
                    ));
                    meta.published = Some(date);
                }
                None => notes.push(format!(
                    "{from} gives {m:02}-{d:02} without a year and the text names none; \
                     published left empty"
                )),
            }
        }
    }

    // Sentences.
    let mut sentences = Vec::new();
    sentences.extend(headline);
    sentences.extend(
        crate::sentences::split(&text[body_start..body_end])
            .into_iter()
            .map(|s| Span {
                start: s.start + body_start,
                end: s.end + body_start,
            }),
    );

    // Language: a given language wins; otherwise detect, and skip only when sure.
    let mut status = Status::Ok;
    if meta.language.is_none() {
        meta.language = crate::language_of(&text[body_start..body_end]);
    }
    if let Some(other) = meta.language.as_deref().filter(|l| *l != "en") {
        status = Status::Skipped;
        notes.push(format!("language is {other}, not English; not analysed"));
    }
    if sentences.is_empty() {
        status = Status::Error;
        notes.push(format!("{path}: no text"));
    }

    Report {
        id,
        path,
        text,
        meta,
        body_start,
        sentences,
        status,
        notes,
    }
}

fn set_date(
    meta: &mut Metadata,
    notes: &mut Vec<String>,
    undated: &mut Option<(PartialDate, &'static str)>,
    d: &str,
    from: &'static str,
) {
    match parse_date_parts(d) {
        Some(pd) => match pd.resolve(None) {
            Some((date, _)) => meta.published = Some(date),
            None => *undated = Some((pd, from)),
        },
        None => notes.push(format!(
            "{from} {d:?} is not a date corro reads; published left empty"
        )),
    }
}

fn apply_credit(meta: &mut Metadata, c: Credit) {
    if let Some(a) = c.author {
        meta.author.get_or_insert(a);
    }
    if let Some(src) = c.source {
        match &meta.outlet {
            None => meta.outlet = Some(src),
            Some(o) if *o != src && !meta.relayed_via.contains(&src) => meta.relayed_via.push(src),
            Some(_) => {}
        }
    }
}

/// `… said. (Reporting by X; Editing by Y)` at the end of `text[start..end]`: fills the
/// author and returns where the body now ends.
fn strip_parenthetical_credit(text: &str, start: usize, end: usize, meta: &mut Metadata) -> usize {
    let line = &text[start..end];
    if !line.ends_with(')') {
        return end;
    }
    let Some(open) = line.rfind('(') else {
        return end;
    };
    let inner = &line[open..];
    let lower = inner.to_ascii_lowercase();
    let is_credit = [
        "(reporting by",
        "(writing by",
        "(editing by",
        "(compiled by",
        "(additional reporting by",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    if !is_credit {
        return end;
    }
    if let Some(a) = parse_byline(inner) {
        meta.author.get_or_insert(a);
    }
    start + line[..open].trim_end().len()
}

/// "English", "EN", "en-US", "eng" → "en"; other names of common languages to their
/// ISO 639-1 code; anything else lower-cased as given.
pub fn language_code(s: &str) -> String {
    let l = s.trim().to_ascii_lowercase();
    let base = l.split(['-', '_']).next().unwrap_or("");
    let code = match base {
        "en" | "eng" | "english" => "en",
        "ru" | "rus" | "russian" => "ru",
        "tr" | "tur" | "turkish" => "tr",
        "ar" | "ara" | "arabic" => "ar",
        "fr" | "fra" | "fre" | "french" => "fr",
        "de" | "deu" | "ger" | "german" => "de",
        "es" | "spa" | "spanish" => "es",
        "hy" | "hye" | "arm" | "armenian" => "hy",
        "az" | "aze" | "azerbaijani" => "az",
        "fa" | "fas" | "per" | "persian" | "farsi" => "fa",
        "uk" | "ukr" | "ukrainian" => "uk",
        "zh" | "zho" | "chi" | "chinese" => "zh",
        _ => return l,
    };
    code.to_string()
}

fn same_words(a: &str, b: &str) -> bool {
    let mut x = a.split_whitespace();
    let mut y = b.split_whitespace();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => {}
            _ => return false,
        }
    }
}

fn line_end(text: &str, pos: usize) -> usize {
    memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i)
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

/// A headline: one sentence of at most 300 bytes, starting with a capital, a digit or a
/// quote, not ending with a full stop, colon or comma, and not a list item.
fn looks_like_headline(line: &str) -> bool {
    let t = line.trim();
    let bare = t.trim_end_matches(['"', '\'', '”', '’', ')']);
    t.len() <= 300
        && t.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || "\"'“‘".contains(c))
        && !bare.ends_with(['.', ':', ';', ','])
        && t.split_whitespace().nth(1).is_some()
        && crate::sentences::split(t).len() == 1
}

#[cfg(test)]
mod tests {
    use crate::{read_source, Limits, OutletLexicon, Status};

    /// Found by corro-fuzz: a no-break space before a header value or a headline put the
    /// headline span off by its two bytes, so it could end inside a character (and the
    /// run panicked slicing it) or begin with the space.
    #[test]
    fn a_no_break_space_before_a_title_or_headline_keeps_the_span_on_the_words() {
        let outlets = OutletLexicon::from_csv("name,alias\n").unwrap();
        for text in [
            "title: \u{a0}a\u{2014}\n\nTurkey sent 150 fighters to Azerbaijan, Omer Celik said.\n",
            "\u{a0}Turkey denies sending fighters\n\nMoscow, Oct 1 (Reuters) - Ankara denied it.\n",
        ] {
            let r = &read_source("a.txt", text.as_bytes(), &Limits::default(), &outlets)[0];
            assert_eq!(r.status, Status::Ok, "{text:?}");
            let headline = r.sentence_text(0);
            assert!(
                headline == "a\u{2014}" || headline == "Turkey denies sending fighters",
                "{headline:?}"
            );
            assert_eq!(Some(headline), r.meta.title.as_deref());
        }
    }
}
