//! Input formats: `.txt`/`.md` (one report), `.jsonl`/`.ndjson` and `.csv` (one report per
//! line or row), each optionally `.gz`-compressed.
//!
//! Every record becomes a [`Report`]; a record that cannot be read becomes an error
//! report naming the source and line, and reading goes on with the next one.

use std::io::Read;

use crate::decode::{decode, looks_binary};
use crate::outlets::OutletLexicon;
use crate::report::{Limits, RawReport, Report};

/// The shape of one input file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Jsonl,
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
/// messages (relative to the input it was found under).
pub fn read_source(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    outlets: &OutletLexicon,
) -> Vec<Report> {
    let Some((format, gz)) = Format::from_name(name) else {
        return vec![Report::error(
            name.into(),
            name.into(),
            format!("{name}: unsupported file type"),
        )];
    };
    let owned;
    let bytes = if gz {
        match gunzip(bytes, limits.max_decompressed_bytes) {
            Ok(b) => {
                owned = b;
                &owned[..]
            }
            Err(e) => {
                return vec![Report::error(
                    name.into(),
                    name.into(),
                    format!("{name}: {e}"),
                )]
            }
        }
    } else {
        bytes
    };
    let raws: Vec<Result<RawReport, (Option<usize>, String)>> = match format {
        Format::Text => vec![read_text(name, bytes)],
        Format::Jsonl => read_jsonl(name, bytes, limits),
        Format::Csv => read_csv(name, bytes),
    };
    raws.into_iter()
        .map(|r| match r {
            Ok(mut raw) => {
                if raw.text.len() > limits.max_report_bytes {
                    let mut cut = limits.max_report_bytes;
                    while !raw.text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    raw.text.truncate(cut);
                    raw.notes.push(format!(
                        "text truncated to {} bytes (--max-report-bytes)",
                        limits.max_report_bytes
                    ));
                }
                let id = match &raw.id {
                    Some(id) => id.clone(),
                    None => raw.path.clone(),
                };
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
        .collect()
}

fn gunzip(bytes: &[u8], max: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(max + 1);
    dec.read_to_end(&mut out)
        .map_err(|e| format!("gzip: {e} (truncated or corrupt)"))?;
    if out.len() as u64 > max {
        return Err(format!(
            "gzip: decompresses to more than {max} bytes (--max-decompressed-bytes)"
        ));
    }
    Ok(out)
}

fn read_text(name: &str, bytes: &[u8]) -> Result<RawReport, (Option<usize>, String)> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err((None, "empty file".into()));
    }
    if looks_binary(bytes) {
        return Err((None, "binary file (NUL bytes), not a text report".into()));
    }
    let d = decode(bytes);
    Ok(RawReport {
        path: name.into(),
        text: d.text,
        notes: d.note.into_iter().collect(),
        ..Default::default()
    })
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

fn read_jsonl(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Vec<Result<RawReport, (Option<usize>, String)>> {
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
                format!("line longer than {} bytes", limits.max_line_bytes),
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
            keys.iter().find_map(|k| match obj.get(*k)? {
                serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::Array(a) => {
                    let parts: Vec<String> = a
                        .iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect();
                    (!parts.is_empty()).then(|| parts.join("; "))
                }
                _ => None,
            })
        };
        out.push(record(name, lineno, get, d.note.clone()));
    }
    if out.is_empty() {
        out.push(Err((None, "empty file (no JSON lines)".into())));
    }
    out
}

fn read_csv(name: &str, bytes: &[u8]) -> Vec<Result<RawReport, (Option<usize>, String)>> {
    let d = decode(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(d.text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => return vec![Err((Some(1), format!("unreadable CSV header: {e}")))],
    };
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        let line = rdr.position().line() as usize;
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let get = |keys: &[&str]| -> Option<String> {
                    keys.iter().find_map(|k| {
                        let idx = headers
                            .iter()
                            .position(|h| h.trim().eq_ignore_ascii_case(k))?;
                        let v = rec.get(idx)?;
                        (!v.trim().is_empty()).then(|| v.to_string())
                    })
                };
                out.push(record(name, line, get, d.note.clone()));
            }
            Err(e) => {
                out.push(Err((Some(line), format!("malformed CSV row: {e}"))));
                // csv cannot resynchronise after a broken quote; stop at the first fatal error.
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
    if out.is_empty() {
        out.push(Err((None, "empty file (no CSV rows)".into())));
    }
    out
}

fn record(
    name: &str,
    line: usize,
    get: impl Fn(&[&str]) -> Option<String>,
    note: Option<String>,
) -> Result<RawReport, (Option<usize>, String)> {
    let text = get(TEXT).ok_or((
        Some(line),
        "no text field (text/body/maintext/articleBody)".to_string(),
    ))?;
    Ok(RawReport {
        id: get(ID),
        path: format!("{name}:{line}"),
        line: Some(line),
        text: crate::decode::normalise(&text),
        title: get(TITLE),
        outlet: get(OUTLET),
        url: get(URL),
        date: get(DATE),
        author: get(AUTHOR),
        language: get(LANGUAGE),
        notes: note.into_iter().collect(),
    })
}
