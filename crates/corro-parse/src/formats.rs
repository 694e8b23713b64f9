//! Input formats: `.txt`/`.md` (one report), `.jsonl`/`.ndjson` and `.csv` (one report per
//! line or row), each optionally `.gz`-compressed.
//!
//! Every record becomes a [`Report`]; a record that cannot be read becomes an error
//! report whose note reads `NAME:LINE: what is wrong` (or `NAME: …` when the whole file
//! is unreadable), and reading goes on with the next record:
//!
//! * a malformed JSONL line is an error for that line only;
//! * a CSV row with the wrong number of fields is an error for that row only;
//! * an unterminated quoted CSV field is an error naming the line where the quote opens;
//!   the rows before it are read, the rest of the file cannot be;
//! * a truncated or corrupt `.gz` is an error; for JSONL and CSV the complete lines
//!   before the damage are still read;
//! * a `.gz` that inflates beyond [`Limits::max_decompressed_bytes`] is an error;
//! * a report longer than [`Limits::max_report_bytes`] is truncated, with a note.
//!
//! Fields by name, first match wins (header names and JSON keys are matched ignoring
//! case): id `id`/`Body ID`/`body_id`/`doc_id`; text `text`/`body`/`maintext`/
//! `articleBody`/`content`; title `title`/`headline`; outlet `outlet`/`source`/
//! `source_domain`/`publisher`; date `date`/`published`/`date_publish`/`publish_date`;
//! author `author`/`authors`/`byline`; url `url`/`link`; language `language`/`lang`.
//!
//! Directory walking is not done here: the caller reads files and passes their bytes.

use std::borrow::Cow;
use std::io::Read;

use crate::decode::{decode, decode_only, looks_binary};
use crate::outlets::OutletLexicon;
use crate::report::{Limits, RawReport, Report};

/// The shape of one input file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.txt`, `.md`: one report per file.
    Text,
    /// `.jsonl`, `.ndjson`: one JSON object per line.
    Jsonl,
    /// `.csv`: one report per row, fields by header name.
    Csv,
}

impl Format {
    /// The format of a file name and whether it is gzip-compressed; `None` for files
    /// corro does not read.
    pub fn from_name(name: &str) -> Option<(Format, bool)> {
        let lower = name.to_ascii_lowercase();
        let (stem, gz) = match lower.strip_suffix(".gz") {
            Some(s) => (s, true),
            None => (lower.as_str(), false),
        };
        let ext = stem.rsplit_once('.').map(|(_, e)| e)?;
        let f = match ext {
            "txt" | "md" => Format::Text,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            _ => return None,
        };
        Some((f, gz))
    }
}

/// Reads every report in one source. `name` is the report path used for ids and error
/// messages (relative to the input it was found under); its extension picks the format.
pub fn read_source(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    outlets: &OutletLexicon,
) -> Vec<Report> {
    let Some((format, gz)) = Format::from_name(name) else {
        return vec![whole_file_error(
            name,
            "unsupported file type (expected .txt, .md, .jsonl, .ndjson, .csv, optionally .gz)",
        )];
    };
    let mut gz_error = None;
    let inflated;
    let bytes = if gz {
        match gunzip(bytes, limits.max_decompressed_bytes) {
            Ok(b) => {
                inflated = b;
                &inflated[..]
            }
            Err(Gunzip::TooLarge) => {
                return vec![whole_file_error(
                    name,
                    &format!(
                        "gzip: decompresses to more than {} bytes (limit max_decompressed_bytes); not read",
                        limits.max_decompressed_bytes
                    ),
                )]
            }
            Err(Gunzip::Broken { partial, error }) => {
                if format == Format::Text || partial.is_empty() {
                    return vec![whole_file_error(
                        name,
                        &format!("gzip: {error} (truncated or corrupt); not read"),
                    )];
                }
                // Keep the complete lines before the damage.
                let keep = memchr::memrchr(b'\n', &partial).map_or(0, |i| i + 1);
                let lines = memchr::memchr_iter(b'\n', &partial[..keep]).count();
                gz_error = Some(format!(
                    "gzip: {error} (truncated or corrupt) after line {lines}; the rest is lost"
                ));
                inflated = partial[..keep].to_vec();
                &inflated[..]
            }
        }
    } else {
        bytes
    };
    let raws = match format {
        Format::Text => vec![read_text(name, bytes)],
        Format::Jsonl => read_jsonl(name, bytes, limits),
        Format::Csv => read_csv(name, bytes),
    };
    let mut reports: Vec<Report> = raws
        .into_iter()
        .map(|r| match r {
            Ok(mut raw) => {
                if raw.text.len() > limits.max_report_bytes {
                    let mut cut = limits.max_report_bytes;
                    while !raw.text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    raw.text.truncate(cut);
                    raw.notes.push(format!(
                        "text truncated to {cut} bytes (limit max_report_bytes = {})",
                        limits.max_report_bytes
                    ));
                }
                // An id that normalisation emptied (control characters only) is no id.
                let id = raw
                    .id
                    .clone()
                    .filter(|id| !id.trim().is_empty())
                    .unwrap_or_else(|| raw.path.clone());
                Report::build(raw, id, outlets)
            }
            Err((line, msg)) => {
                let at = match line {
                    Some(l) => format!("{name}:{l}"),
                    None => name.to_string(),
                };
                Report::error(at.clone(), at.clone(), format!("{at}: {msg}"))
            }
        })
        .collect();
    if let Some(e) = gz_error {
        reports.push(whole_file_error(name, &e));
    }
    reports
}

fn whole_file_error(name: &str, msg: &str) -> Report {
    Report::error(name.into(), name.into(), format!("{name}: {msg}"))
}

enum Gunzip {
    TooLarge,
    Broken { partial: Vec<u8>, error: String },
}

fn gunzip(bytes: &[u8], max: u64) -> Result<Vec<u8>, Gunzip> {
    let mut out = Vec::new();
    let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(max.saturating_add(1));
    let res = dec.read_to_end(&mut out);
    if out.len() as u64 > max {
        return Err(Gunzip::TooLarge);
    }
    match res {
        Ok(_) => Ok(out),
        Err(e) => Err(Gunzip::Broken {
            partial: out,
            error: e.to_string(),
        }),
    }
}

/// A record, or the line it failed at and why.
type Record = Result<RawReport, (Option<usize>, String)>;

fn read_text(name: &str, bytes: &[u8]) -> Record {
    if let Some(e) = unreadable(bytes) {
        return Err((None, e.into()));
    }
    let d = decode(bytes);
    if d.text.trim().is_empty() {
        return Err((
            None,
            "empty file (only white space and control characters)".into(),
        ));
    }
    Ok(RawReport {
        path: name.into(),
        text: d.text,
        notes: d.note.into_iter().collect(),
        ..Default::default()
    })
}

fn unreadable(bytes: &[u8]) -> Option<&'static str> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Some("empty file");
    }
    if looks_binary(bytes) {
        return Some("binary file (NUL bytes), not a text report");
    }
    None
}

/// The fields a JSONL object or CSV header may name.
#[derive(Clone, Copy)]
enum Field {
    Id,
    Text,
    Title,
    Outlet,
    Url,
    Date,
    Author,
    Language,
}

impl Field {
    const ALL: [Field; 8] = [
        Field::Id,
        Field::Text,
        Field::Title,
        Field::Outlet,
        Field::Url,
        Field::Date,
        Field::Author,
        Field::Language,
    ];

    /// The names the field goes by, in order of preference (matched ignoring case).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "Body ID", "body_id", "doc_id"],
            Field::Text => &["text", "body", "maintext", "articleBody", "content"],
            Field::Title => &["title", "headline"],
            Field::Outlet => &["outlet", "source", "source_domain", "publisher"],
            Field::Url => &["url", "link"],
            Field::Date => &["date", "published", "date_publish", "publish_date"],
            Field::Author => &["author", "authors", "byline"],
            Field::Language => &["language", "lang"],
        }
    }
}

fn read_jsonl(name: &str, bytes: &[u8], limits: &Limits) -> Vec<Record> {
    if let Some(e) = unreadable(bytes) {
        return vec![Err((None, e.into()))];
    }
    // Normalised whole (a copy only when something changes: a file of reports can be
    // tens of MB, and each reading thread holds one).
    let (raw, note) = decode_only(bytes);
    let text = crate::decode::normalise_cow(&raw);
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let lineno = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        if line.len() > limits.max_line_bytes {
            out.push(Err((
                Some(lineno),
                format!(
                    "line longer than {} bytes (limit max_line_bytes)",
                    limits.max_line_bytes
                ),
            )));
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                out.push(Err((Some(lineno), format!("malformed JSON: {e}"))));
                continue;
            }
        };
        let Some(obj) = v.as_object() else {
            out.push(Err((Some(lineno), "not a JSON object".into())));
            continue;
        };
        let get = |field: Field| -> Option<String> {
            field.aliases().iter().find_map(|k| {
                let v = obj.get(*k).or_else(|| {
                    obj.iter()
                        .find(|(key, _)| key.eq_ignore_ascii_case(k))
                        .map(|(_, v)| v)
                })?;
                match v {
                    serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    serde_json::Value::Array(a) => {
                        let parts: Vec<&str> = a.iter().filter_map(|x| x.as_str()).collect();
                        (!parts.is_empty()).then(|| parts.join("; "))
                    }
                    _ => None,
                }
            })
        };
        out.push(record(name, lineno, get, note.as_deref(), true));
    }
    if out.is_empty() {
        out.push(Err((None, "empty file (no JSON lines)".into())));
    }
    out
}

/// The column of each [`Field`] in a CSV header.
struct Columns([Option<usize>; 8]);

impl Columns {
    fn of(headers: &[Cow<'_, str>]) -> Columns {
        Columns(Field::ALL.map(|f| {
            f.aliases().iter().find_map(|k| {
                headers.iter().position(|h| {
                    h.trim()
                        .trim_start_matches('\u{FEFF}')
                        .eq_ignore_ascii_case(k)
                })
            })
        }))
    }

    fn column(&self, field: Field) -> Option<usize> {
        self.0[field as usize]
    }
}

fn read_csv(name: &str, bytes: &[u8]) -> Vec<Record> {
    if let Some(e) = unreadable(bytes) {
        return vec![Err((None, e.into()))];
    }
    let (raw, note) = decode_only(bytes);
    // Fields are normalised one by one below; only stray carriage returns need the whole
    // text normalised first, so that every line ends in `\n`.
    let raw = if memchr::memchr(b'\r', raw.as_bytes()).is_some() {
        Cow::Owned(crate::decode::normalise(&raw))
    } else {
        raw
    };
    let mut rows = CsvRows::new(&raw);
    let headers = match rows.next() {
        Some(Ok((_, h))) => h,
        Some(Err((line, msg))) => return vec![Err((Some(line), msg))],
        None => return vec![Err((None, "empty file".into()))],
    };
    let cols = Columns::of(&headers);
    if cols.column(Field::Text).is_none() {
        let names: Vec<&str> = headers.iter().map(|h| h.as_ref()).collect();
        return vec![Err((
            Some(1),
            format!(
                "no text column (text, body, maintext, articleBody or content) in header {:?}",
                names.join(",")
            ),
        ))];
    }
    let mut out = Vec::new();
    for row in rows {
        match row {
            Ok((line, fields)) if fields.len() == headers.len() => {
                let get = |field: Field| -> Option<String> {
                    let v = fields.get(cols.column(field)?)?;
                    (!v.trim().is_empty()).then(|| crate::decode::normalise(v))
                };
                out.push(record(name, line, get, note.as_deref(), false));
            }
            Ok((line, fields)) => out.push(Err((
                Some(line),
                format!(
                    "malformed CSV row: {} fields, header has {}",
                    fields.len(),
                    headers.len()
                ),
            ))),
            Err((line, msg)) => out.push(Err((Some(line), msg))),
        }
    }
    if out.is_empty() {
        out.push(Err((None, "empty file (a header but no CSV rows)".into())));
    }
    out
}

/// The rows of an RFC 4180 CSV text with `\n` line ends, each with the line it starts
/// on. Quoted fields may hold commas, `""` and line breaks; empty lines are skipped.
/// After an unterminated quote it yields one error naming the line where the quote
/// opened, and stops. Fields borrow from the text unless they hold an escaped quote.
///
/// Written here rather than taken from the `csv` crate because it jumps from delimiter
/// to delimiter with memchr instead of stepping a state machine byte by byte (corpus
/// files are mostly long quoted text fields), and because it can name the line of an
/// unterminated quote.
struct CsvRows<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    done: bool,
}

type CsvRow<'a> = Result<(usize, Vec<Cow<'a, str>>), (usize, String)>;

impl<'a> CsvRows<'a> {
    fn new(text: &'a str) -> Self {
        CsvRows {
            text,
            pos: 0,
            line: 1,
            done: false,
        }
    }
}

impl<'a> Iterator for CsvRows<'a> {
    type Item = CsvRow<'a>;

    fn next(&mut self) -> Option<CsvRow<'a>> {
        let t = self.text;
        let b = t.as_bytes();
        // Skip empty lines.
        while !self.done && self.pos < b.len() && b[self.pos] == b'\n' {
            self.pos += 1;
            self.line += 1;
        }
        if self.done || self.pos >= b.len() {
            return None;
        }
        let start_line = self.line;
        let mut fields = Vec::new();
        loop {
            let mut i = self.pos;
            let field: Cow<'a, str> = if b.get(i) == Some(&b'"') {
                let opened = self.line;
                i += 1;
                let mut owned: Option<String> = None;
                let mut piece = i;
                loop {
                    let Some(p) = memchr::memchr2(b'"', b'\n', &b[i..]) else {
                        self.done = true;
                        return Some(Err((
                            opened,
                            "unterminated quoted field: the quote opened here never closes; \
                             this row and the rest of the file are not read"
                                .into(),
                        )));
                    };
                    i += p;
                    if b[i] == b'\n' {
                        self.line += 1;
                        i += 1;
                    } else if b.get(i + 1) == Some(&b'"') {
                        // `""`: keep one quote.
                        owned
                            .get_or_insert_with(String::new)
                            .push_str(&t[piece..=i]);
                        i += 2;
                        piece = i;
                    } else {
                        break;
                    }
                }
                let close = i;
                i += 1;
                // Text after the closing quote (`"a"b,`) is kept, as the csv crate does.
                let tail_end = memchr::memchr2(b',', b'\n', &b[i..]).map_or(b.len(), |p| i + p);
                let field = match owned {
                    Some(mut s) => {
                        s.push_str(&t[piece..close]);
                        s.push_str(&t[i..tail_end]);
                        Cow::Owned(s)
                    }
                    None if tail_end == i => Cow::Borrowed(&t[piece..close]),
                    None => Cow::Owned(format!("{}{}", &t[piece..close], &t[i..tail_end])),
                };
                i = tail_end;
                field
            } else {
                let end = memchr::memchr2(b',', b'\n', &b[i..]).map_or(b.len(), |p| i + p);
                let f = Cow::Borrowed(&t[i..end]);
                i = end;
                f
            };
            fields.push(field);
            match b.get(i) {
                Some(b',') => self.pos = i + 1,
                Some(_) => {
                    // `\n`: the row is complete.
                    self.pos = i + 1;
                    self.line += 1;
                    return Some(Ok((start_line, fields)));
                }
                None => {
                    self.pos = b.len();
                    return Some(Ok((start_line, fields)));
                }
            }
        }
    }
}

fn record(
    name: &str,
    line: usize,
    get: impl Fn(Field) -> Option<String>,
    note: Option<&str>,
    normalise: bool,
) -> Record {
    let text = get(Field::Text).ok_or((
        Some(line),
        "no text (fields text, body, maintext, articleBody, content are missing or empty)"
            .to_string(),
    ))?;
    Ok(RawReport {
        id: get(Field::Id),
        path: format!("{name}:{line}"),
        line: Some(line),
        text: if normalise {
            crate::decode::normalise(&text)
        } else {
            text
        },
        title: get(Field::Title),
        outlet: get(Field::Outlet),
        url: get(Field::Url),
        date: get(Field::Date),
        author: get(Field::Author),
        language: get(Field::Language),
        notes: note.map(String::from).into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by corro-fuzz: a CSV id of control characters only passed the blank check,
    /// then normalised to "", giving a report with an empty id.
    #[test]
    fn an_id_of_control_characters_only_falls_back_to_the_path() {
        let outlets = OutletLexicon::from_csv("name,alias\n").unwrap();
        let csv = "id,text\n\u{7},Turkey sent 150 fighters to Azerbaijan.\n";
        let r = &read_source("feed.csv", csv.as_bytes(), &Limits::default(), &outlets)[0];
        assert_eq!(r.id, "feed.csv:2");
        let jsonl = "{\"id\": \"\\u0007\", \"text\": \"Turkey sent fighters.\"}\n";
        let r = &read_source("feed.jsonl", jsonl.as_bytes(), &Limits::default(), &outlets)[0];
        assert!(!r.id.is_empty());
    }
}
