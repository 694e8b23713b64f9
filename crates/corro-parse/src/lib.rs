//! # corro-parse: reports as analysts actually have them
//!
//! This crate turns the bytes of a corpus file into [`Report`]s: decoded, normalised text,
//! the metadata an analyst needs (outlet, relays, date, place, author, headline, language)
//! and the byte spans of its sentences. It knows nothing about claims, clusters or CSV
//! output, and it never touches the file system: the caller reads files and hands over
//! bytes with the name they came from, so every error can name its file and line.
//!
//! Data flow:
//!
//! ```text
//! bytes + source name ──► formats::read_source ──► RawReport (fields as given)
//!                                          └──► Report::build ──► Report
//!                                                 (decode, header lines, dateline,
//!                                                  byline, date, sentences, language)
//! ```
//!
//! Bad input never panics and never vanishes: it comes back as a [`Report`] with
//! [`Status::Error`] and a note naming the file and line.
//!
//! ```
//! use corro_parse::{read_source, Limits, OutletLexicon, Status};
//! let outlets = OutletLexicon::from_csv("name,alias\nReuters,reuters.com\n").unwrap();
//! let text = b"Turkey denies sending fighters\n\nANKARA (Reuters) - Turkey denied it. More follows.";
//! let reports = read_source("wire/a.txt", text, &Limits::default(), &outlets);
//! assert_eq!(reports[0].status, Status::Ok);
//! assert_eq!(reports[0].meta.outlet.as_deref(), Some("Reuters"));
//! ```

pub mod decode;
pub mod formats;
pub mod metadata;
pub mod outlets;
pub mod report;
pub mod sentences;

pub use formats::{read_source, Format};
pub use outlets::OutletLexicon;
pub use report::{Limits, Metadata, RawReport, Report, Span, Status};

/// The ISO 639-1 code of the text's language, when it can be told reliably.
pub fn language_of(text: &str) -> Option<String> {
    let sample = &text[..{
        let mut i = text.len().min(4000);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }];
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    Some(info.lang().code().chars().take(2).collect::<String>()).map(|c| match info.lang() {
        whatlang::Lang::Eng => "en".to_string(),
        _ => iso639_1(info.lang()).unwrap_or(c),
    })
}

fn iso639_1(lang: whatlang::Lang) -> Option<String> {
    use whatlang::Lang::*;
    let code = match lang {
        Eng => "en",
        Rus => "ru",
        Tur => "tr",
        Ara => "ar",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ukr => "uk",
        Pes => "fa",
        Hye => "hy",
        Aze => "az",
        Urd => "ur",
        Hin => "hi",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Nld => "nl",
        Pol => "pl",
        Swe => "sv",
        Heb => "he",
        Ell => "el",
        Kat => "ka",
        _ => return None,
    };
    Some(code.to_string())
}
