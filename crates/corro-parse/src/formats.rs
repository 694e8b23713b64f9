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

use std::io::Read;

use crate::decode::{decode, looks_binary};
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
                let id = raw.id.clone().unwrap_or_else(|| raw.path.clone());
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

/// Field aliases accepted in JSONL and CSV, in order of preference.
const ID: &[&str] = &["id", "Body ID", "body_id", "doc_id"];
const TEXT: &[&str] = &["text", "body", "maintext", "articleBody", "content"];
const TITLE: &[&str] = &["title", "headline"];
const OUTLET: &[&str] = &["outlet", "source", "source_domain", "publisher"];
const DATE: &[&str] = &["date", "published", "date_publish", "publish_date"];
const AUTHOR: &[&str] = &["author", "authors", "byline"];
const URL: &[&str] = &["url", "link"];
const LANGUAGE: &[&str] = &["language", "lang"];

fn read_jsonl(name: &str, bytes: &[u8], limits: &Limits) -> Vec<Record> {
    if let Some(e) = unreadable(bytes) {
        return vec![Err((None, e.into()))];
    }
    let d = decode(bytes);
    let mut out = Vec::new();
    for (i, line) in d.text.split('\n').enumerate() {
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
        let get = |keys: &[&str]| -> Option<String> {
            keys.iter().find_map(|k| {
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
        out.push(record(name, lineno, get, d.note.as_deref(), true));
    }
    if out.is_empty() {
        out.push(Err((None, "empty file (no JSON lines)".into())));
    }
    out
}

/// Column of each field in a CSV header.
struct Columns {
    id: Option<usize>,
    text: Option<usize>,
    title: Option<usize>,
    outlet: Option<usize>,
    url: Option<usize>,
    date: Option<usize>,
    author: Option<usize>,
    language: Option<usize>,
}

impl Columns {
    fn of(headers: &csv::StringRecord) -> Columns {
        let find = |keys: &[&str]| {
            keys.iter().find_map(|k| {
                headers
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(k))
            })
        };
        Columns {
            id: find(ID),
            text: find(TEXT),
            title: find(TITLE),
            outlet: find(OUTLET),
            url: find(URL),
            date: find(DATE),
            author: find(AUTHOR),
            language: find(LANGUAGE),
        }
    }

    fn column(&self, keys: &[&str]) -> Option<usize> {
        match keys[0] {
            "id" => self.id,
            "text" => self.text,
            "title" => self.title,
            "outlet" => self.outlet,
            "url" => self.url,
            "date" => self.date,
            "author" => self.author,
            _ => self.language,
        }
    }
}

fn read_csv(name: &str, bytes: &[u8]) -> Vec<Record> {
    if let Some(e) = unreadable(bytes) {
        return vec![Err((None, e.into()))];
    }
    let d = decode(bytes);
    let open_quote = unterminated_quote(d.text.as_bytes());
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(d.text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => return vec![Err((Some(1), format!("unreadable CSV header: {e}")))],
    };
    let cols = Columns::of(&headers);
    if cols.text.is_none() {
        let names: Vec<&str> = headers.iter().collect();
        return vec![Err((
            Some(1),
            format!(
                "no text column (text, body, maintext, articleBody or content) in header {:?}",
                names.join(",")
            ),
        ))];
    }
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line() as usize);
                if open_quote.is_some_and(|q| line >= q) {
                    break;
                }
                let get = |keys: &[&str]| -> Option<String> {
                    let v = rec.get(cols.column(keys)?)?;
                    (!v.trim().is_empty()).then(|| v.to_string())
                };
                out.push(record(name, line, get, d.note.as_deref(), false));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                if open_quote.is_some_and(|q| line >= q) {
                    break;
                }
                let msg = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("malformed CSV row: {len} fields, header has {expected_len}")
                    }
                    _ => format!("malformed CSV row: {e}"),
                };
                let fatal = !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                out.push(Err((Some(line), msg)));
                if fatal {
                    break;
                }
            }
        }
    }
    if let Some(q) = open_quote {
        out.push(Err((
            Some(q),
            "unterminated quoted field: the quote opened here never closes; this row and the \
             rest of the file are not read"
                .into(),
        )));
    }
    if out.is_empty() {
        out.push(Err((None, "empty file (a header but no CSV rows)".into())));
    }
    out
}

/// The line on which a quoted CSV field opens and never closes, if any (RFC 4180
/// quoting: a quote opens only at the start of a field; `""` inside is an escaped quote).
fn unterminated_quote(b: &[u8]) -> Option<usize> {
    let mut line = 1;
    let mut i = 0;
    let mut field_start = true;
    while i < b.len() {
        if field_start && b[i] == b'"' {
            let opened = line;
            i += 1;
            loop {
                let Some(p) = memchr::memchr2(b'"', b'\n', &b[i..]) else {
                    return Some(opened);
                };
                i += p;
                if b[i] == b'\n' {
                    line += 1;
                    i += 1;
                } else if b.get(i + 1) == Some(&b'"') {
                    i += 2;
                } else {
                    i += 1;
                    break;
                }
            }
            field_start = false;
            continue;
        }
        // Unquoted field: only where it ends matters.
        let Some(p) = memchr::memchr2(b',', b'\n', &b[i..]) else {
            break;
        };
        i += p;
        if b[i] == b'\n' {
            line += 1;
        }
        field_start = true;
        i += 1;
    }
    None
}

fn record(
    name: &str,
    line: usize,
    get: impl Fn(&[&str]) -> Option<String>,
    note: Option<&str>,
    normalise: bool,
) -> Record {
    let text = get(TEXT).ok_or((
        Some(line),
        "no text (fields text, body, maintext, articleBody, content are missing or empty)"
            .to_string(),
    ))?;
    Ok(RawReport {
        id: get(ID),
        path: format!("{name}:{line}"),
        line: Some(line),
        text: if normalise {
            crate::decode::normalise(&text)
        } else {
            text
        },
        title: get(TITLE),
        outlet: get(OUTLET),
        url: get(URL),
        date: get(DATE),
        author: get(AUTHOR),
        language: get(LANGUAGE),
        notes: note.map(String::from).into_iter().collect(),
    })
}
