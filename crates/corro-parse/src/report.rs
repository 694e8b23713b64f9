//! The [`Report`]: one news report, decoded and described.

use jiff::civil::Date;

use crate::outlets::OutletLexicon;

/// A byte span `[start, end)` in a report's normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Whether a report made it through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Read and ready for claim extraction.
    Ok,
    /// Readable, but not analysed (e.g. not English); the note says why.
    Skipped,
    /// Could not be read; the note names the file and line and says why.
    Error,
}

impl Status {
    /// The `status` column value of `reports.csv`: `ok`, `skipped` or `error`.
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
    /// Publication date: from a date field or header line, else the dateline (a missing
    /// year taken from the text is noted in the report's notes).
    pub published: Option<Date>,
    /// Dateline place ("AZAZ", "WASHINGTON").
    pub place: Option<String>,
    /// Author(s) from a field, a `By …` line or a trailing credit ("Khalid Hassan"); for
    /// a wire credit (`— AFP`) the wire.
    pub author: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// ISO 639-1 code where known ("en").
    pub language: Option<String>,
    /// Where the report was found, as given.
    pub url: Option<String>,
}

/// A report's fields as the input gave them, before any inference.
#[derive(Debug, Clone, Default)]
pub struct RawReport {
    /// The `id` field, if the input has one.
    pub id: Option<String>,
    /// Where it came from: a path, plus `:LINE` for line-oriented formats.
    pub path: String,
    /// 1-based line (JSONL) or record (CSV) number, if any.
    pub line: Option<usize>,
    /// The text, decoded and normalised (see [`crate::decode`]).
    pub text: String,
    /// `title` / `headline` field.
    pub title: Option<String>,
    /// `outlet` / `source` / `source_domain` field, as written.
    pub outlet: Option<String>,
    /// `url` field.
    pub url: Option<String>,
    /// `date` / `published` / `date_publish` field, as written.
    pub date: Option<String>,
    /// `author` field.
    pub author: Option<String>,
    /// `language` field, as written ("en", "English").
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
    /// The report's id: its `id` field, else its path (plus `:LINE` for JSONL/CSV).
    pub id: String,
    /// Where it came from: the source name, plus `:LINE` for line-oriented formats.
    pub path: String,
    /// Normalised text: UTF-8, `\n` line ends, no control characters. All byte offsets
    /// anywhere in corro refer to this text.
    pub text: String,
    /// What is known about the report.
    pub meta: Metadata,
    /// Where the body starts (after header lines, headline and dateline).
    pub body_start: usize,
    /// Sentence spans in `text`: the headline first (when recognised), then the body's
    /// sentences; never the dateline or trailing credit lines.
    pub sentences: Vec<Span>,
    /// Whether the report is analysed.
    pub status: Status,
    /// Everything inferred or wrong, in words an analyst reads: charset fallbacks,
    /// truncation, a year taken from context, why it was skipped, or (for errors)
    /// `PATH:LINE: what is wrong`.
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

    /// The text of sentence `i`. Panics if `i` is out of range, like indexing.
    pub fn sentence_text(&self, i: usize) -> &str {
        let s = self.sentences[i];
        &self.text[s.start..s.end]
    }
}
