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

mod byline;
mod dateline;
mod dates;

pub use formats::{read_source, Format};
pub use outlets::OutletLexicon;
pub use report::{Limits, Metadata, RawReport, Report, Span, Status};

/// English function words: a text where they are common is English, without asking
/// the statistical detector (which is slower, and unsure on short text).
const ENGLISH_MARKERS: &[&str] = &[
    "the", "and", "of", "to", "in", "is", "that", "was", "for", "with", "on", "said", "by", "from",
    "has", "have", "are", "it",
];

/// The ISO 639-1 code of the text's language, when it can be told reliably; `None` when
/// the text is too short or the detector unsure — callers treat that as "assume English".
///
/// Text in which English function words make up at least a tenth of the words is English
/// (fast path). Otherwise [`whatlang`] decides on at least 60 bytes of letters: in Latin
/// script only a detection it calls reliable counts; a text dominated by another script
/// (Cyrillic, Arabic, Armenian…) is certainly not English, and gets whatlang's best
/// guess within that script.
///
/// ```
/// use corro_parse::language_of;
/// assert_eq!(language_of("Turkey denied that it had sent fighters to the region, the ministry said."), Some("en".into()));
/// assert_eq!(language_of("Turkey denies sending fighters"), None);
/// assert_eq!(
///     language_of("Министерство обороны России заявило, что боевики из Сирии переброшены в зону конфликта в Нагорном Карабахе."),
///     Some("ru".into())
/// );
/// ```
pub fn language_of(text: &str) -> Option<String> {
    let sample = &text[..dateline_floor(text, 2000)];
    let mut words = 0usize;
    let mut markers = 0usize;
    let mut letters = 0usize;
    for w in sample.split(|c: char| !c.is_alphabetic()) {
        if w.is_empty() {
            continue;
        }
        words += 1;
        letters += w.len();
        if w.len() <= 5 && ENGLISH_MARKERS.iter().any(|m| m.eq_ignore_ascii_case(w)) {
            markers += 1;
        }
    }
    if words >= 5 && markers * 10 >= words {
        return Some("en".into());
    }
    if letters < 60 {
        return None;
    }
    let info = whatlang::detect(sample)?;
    // The dominant script is certain even when the language within it is not (Russian
    // or Ukrainian?): a text mostly in Cyrillic or Arabic letters is not English.
    if !info.is_reliable() && info.script() == whatlang::Script::Latin {
        return None;
    }
    Some(iso639_1(info.lang()))
}

fn dateline_floor(text: &str, max: usize) -> usize {
    dateline::floor_boundary(text, max)
}

/// ISO 639-1 where one exists, else whatlang's ISO 639-3 code.
fn iso639_1(lang: whatlang::Lang) -> String {
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
        Bel => "be",
        Bul => "bg",
        Ces => "cs",
        Dan => "da",
        Fin => "fi",
        Hun => "hu",
        Ron => "ro",
        Srp => "sr",
        Hrv => "hr",
        Slk => "sk",
        Slv => "sl",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Ind => "id",
        Vie => "vi",
        Tha => "th",
        Ben => "bn",
        Uzb => "uz",
        other => return other.code().to_string(),
    };
    code.to_string()
}
