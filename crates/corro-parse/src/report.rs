//! The [`Report`]: one news report, decoded and described.

use jiff::civil::Date;

use crate::outlets::OutletLexicon;

/// A byte span `[start, end)` in a report's normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Whether a report made it through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Ok,
    /// Readable, but not analysed (e.g. not English); the note says why.
    Skipped,
    /// Could not be read; the note names the file and line and says why.
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Skipped => "skipped",
            Status::Error => "error",
        }
    }
}

/// What is known about a report besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The outlet that published this copy, canonical name ("Reuters", "UrduPoint News").
    pub outlet: Option<String>,
    /// Outlets the text passed through before `outlet`, nearest first ("Sputnik").
    pub relayed_via: Vec<String>,
    pub published: Option<Date>,
    /// Dateline place ("AZAZ", "WASHINGTON").
    pub place: Option<String>,
    pub author: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// ISO 639-1 code where known ("en").
    pub language: Option<String>,
    pub url: Option<String>,
}

/// A report's fields as the input gave them, before any inference.
#[derive(Debug, Clone, Default)]
pub struct RawReport {
    pub id: Option<String>,
    /// Where it came from: a path, plus `:LINE` for line-oriented formats.
    pub path: String,
    /// 1-based line (JSONL) or record (CSV) number, if any.
    pub line: Option<usize>,
    pub text: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    /// Notes gathered while reading (e.g. a charset fallback).
    pub notes: Vec<String>,
}

/// Limits that keep one bad file from taking the run down.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest report text, in bytes; larger ones are truncated with a note.
    pub max_report_bytes: usize,
    /// Largest decompressed size of one `.gz` file.
    pub max_decompressed_bytes: u64,
    /// Longest line in a JSONL file.
    pub max_line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_report_bytes: 4 << 20,
            max_decompressed_bytes: 1 << 30,
            max_line_bytes: 16 << 20,
        }
    }
}

/// One report, ready for claim extraction.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    pub path: String,
    /// Normalised text: UTF-8, `\n` line ends, no control characters. All byte offsets
    /// anywhere in corro refer to this text.
    pub text: String,
    pub meta: Metadata,
    /// Where the body starts (after header lines, headline and dateline).
    pub body_start: usize,
    pub sentences: Vec<Span>,
    pub status: Status,
    pub notes: Vec<String>,
}

impl Report {
    /// An error row: a report that could not be read, named by its source and line.
    pub fn error(id: String, path: String, note: String) -> Report {
        Report {
            id,
            path,
            text: String::new(),
            meta: Metadata::default(),
            body_start: 0,
            sentences: Vec::new(),
            status: Status::Error,
            notes: vec![note],
        }
    }

    /// Builds a report from its raw fields: normalises the text, reads header lines,
    /// headline, dateline, byline and date from it where the fields do not give them,
    /// splits sentences and identifies the language.
    pub fn build(raw: RawReport, id: String, outlets: &OutletLexicon) -> Report {
        crate::metadata::build_report(raw, id, outlets)
    }

    pub fn sentence_text(&self, i: usize) -> &str {
        let s = self.sentences[i];
        &self.text[s.start..s.end]
    }
}
