//! # corro-parse: reports as analysts actually have them
//!
//! This crate turns the bytes of a corpus file into [`Report`]s: decoded, normalised text,
//! the metadata an analyst needs (outlet, relays, date, place, author, headline, language)
//! and the byte spans of its sentences. It knows nothing about claims, clusters or CSV
//! output, and it never touches the file system: the caller walks directories, reads
//! files and hands over bytes with the name they came from, so every error can name its
//! file and line. The outlet lexicon is data (`data/outlets.csv`), loaded by the caller
//! into an [`OutletLexicon`].
//!
//! Data flow:
//!
//! ```text
//! bytes + name ──► formats::read_source ──► decode (BOM / UTF-8 / UTF-16 / windows-1252,
//!                    │                        CRLF and control characters normalised)
//!                    │                    ──► one RawReport per file, JSONL line or CSV row
//!                    │                        (fields as given; bad records become errors)
//!                    └──► Report::build ──► header lines, headline, `By` line,
//!                                           dateline (metadata::parse_dateline),
//!                                           trailing credits (metadata::parse_credit),
//!                                           date (metadata::parse_date),
//!                                           sentences (sentences::split), language_of
//! ```
//!
//! Modules: [`formats`] (file shapes and their errors), [`decode`] (bytes to normalised
//! text), [`metadata`] (header lines, headline, dateline, byline, dates), [`sentences`]
//! (the segmenter), [`outlets`] (canonical outlet names), [`report`] (the types).
//!
//! Conventions the rest of corro relies on:
//!
//! * all byte offsets ([`Report::sentences`], [`Report::body_start`]) refer to the
//!   normalised [`Report::text`], never to the input bytes;
//! * a recognised headline is sentence 0; the dateline and trailing credit lines are in
//!   no sentence; body sentences start at or after `body_start`;
//! * bad input never panics and never vanishes: it comes back as a [`Report`] with
//!   [`Status::Error`] and a note `PATH:LINE: what is wrong`; a non-English report comes
//!   back [`Status::Skipped`] with the reason;
//! * every inference that could be wrong (a year taken from context, a charset guessed)
//!   is written to [`Report::notes`].
//!
//! ```
//! use corro_parse::{read_source, Limits, OutletLexicon, Status};
//!
//! let outlets = OutletLexicon::from_csv("name,alias\nReuters,REUTERS,reuters.com\n").unwrap();
//! let text = "Turkey denies sending fighters\n\n\
//!             ANKARA, Sept 29 (Reuters) - Turkey denied it on Tuesday. Armenia said so in 2020.\n\n\
//!             Reporting by Orhan Coskun; Editing by Dominic Evans";
//! let reports = read_source("wire/a.txt", text.as_bytes(), &Limits::default(), &outlets);
//! let r = &reports[0];
//! assert_eq!(r.status, Status::Ok);
//! assert_eq!(r.meta.outlet.as_deref(), Some("Reuters"));
//! assert_eq!(r.meta.place.as_deref(), Some("ANKARA"));
//! assert_eq!(r.meta.author.as_deref(), Some("Orhan Coskun"));
//! assert_eq!(r.meta.published, Some(jiff::civil::date(2020, 9, 29))); // year from the text, noted
//! assert!(r.notes[0].contains("year 2020"));
//! assert_eq!(r.sentence_text(0), "Turkey denies sending fighters");
//! assert_eq!(r.sentence_text(1), "Turkey denied it on Tuesday.");
//! assert_eq!(r.sentences.len(), 3);
//!
//! // Bad input is a report too.
//! let bad = read_source("feed.jsonl", b"{\"id\": 1, \"text\": \"ok, they said.\"}\n{broken\n", &Limits::default(), &outlets);
//! assert_eq!(bad[1].status, Status::Error);
//! assert!(bad[1].notes[0].starts_with("feed.jsonl:2: malformed JSON"));
//! ```

#![warn(missing_docs)]

pub mod decode;
pub mod formats;
pub mod metadata;
pub mod outlets;
pub mod report;
pub mod sentences;

mod byline;
mod dateline;
mod dates;
mod names;

pub use formats::{read_source, Format};
pub use outlets::OutletLexicon;
pub use report::{Limits, Metadata, RawReport, Report, Span, Status};

/// English function words, packed by [`pack`] and sorted. The list leaves out short words that are
/// also common in other languages ("in", "on", "is", "to", "was", "by"), so a French or
/// German text cannot pass for English.
const ENGLISH_MARKERS: [u64; 33] = {
    const WORDS: [&[u8]; 33] = [
        b"the", b"and", b"of", b"that", b"for", b"with", b"said", b"from", b"have", b"has", b"are",
        b"were", b"which", b"been", b"this", b"would", b"their", b"his", b"she", b"he", b"it",
        b"its", b"they", b"but", b"not", b"had", b"will", b"who", b"says", b"after", b"about",
        b"than", b"there",
    ];
    let mut out = [0u64; 33];
    let mut i = 0;
    while i < WORDS.len() {
        out[i] = pack(WORDS[i]);
        i += 1;
    }
    // Sorted, for binary search.
    let mut i = 1;
    while i < out.len() {
        let mut j = i;
        while j > 0 && out[j - 1] > out[j] {
            let t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    out
};

/// A word of up to 7 bytes as one lower-cased number, so that comparing words is
/// comparing integers.
const fn pack(w: &[u8]) -> u64 {
    let mut k = w.len() as u64;
    let mut i = 0;
    while i < w.len() && i < 7 {
        k |= (w[i].to_ascii_lowercase() as u64) << (8 * (i + 1));
        i += 1;
    }
    k
}

/// The ISO 639-1 code of the text's language, when it can be told reliably; `None` when
/// the text is too short or the detector unsure — callers treat that as "assume English".
///
/// Text in which English function words make up at least one word in twelve is English
/// (fast path: one pass over at most 2,000 bytes, no allocation). Otherwise [`whatlang`]
/// decides, on the first 500 bytes: text in Latin script needs at least 25 words and a
/// detection whatlang calls reliable; a text dominated by another script (Cyrillic,
/// Arabic, Armenian…) is certainly not English, and gets whatlang's best guess within
/// that script.
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
    let sample = &text[..dateline::floor_boundary(text, 2000)];
    let b = sample.as_bytes();
    let (mut words, mut markers, mut letters) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        // Letters: ASCII letters and any non-ASCII byte (good enough to count words).
        if !(b[i].is_ascii_alphabetic() || b[i] >= 0x80) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphabetic() || b[i] >= 0x80) {
            i += 1;
        }
        let w = &b[start..i];
        words += 1;
        letters += w.len();
        if (2..=5).contains(&w.len()) && ENGLISH_MARKERS.binary_search(&pack(w)).is_ok() {
            markers += 1;
        }
        if words >= 40 && markers * 12 >= words {
            break;
        }
    }
    if words >= 5 && markers * 12 >= words {
        return Some("en".into());
    }
    // Mostly ASCII letters: Latin script, where whatlang needs some length to be sure.
    let non_ascii = b.iter().filter(|c| !c.is_ascii()).count();
    let latin = non_ascii * 5 <= letters;
    if letters < 60 || (latin && words < 25) {
        return None;
    }
    let info = whatlang::detect(&sample[..dateline::floor_boundary(sample, 500)])?;
    // The dominant script is certain even when the language within it is not (Russian
    // or Ukrainian?): a text mostly in Cyrillic or Arabic letters is not English.
    if !info.is_reliable() && info.script() == whatlang::Script::Latin {
        return None;
    }
    Some(iso639_1(info.lang()))
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
