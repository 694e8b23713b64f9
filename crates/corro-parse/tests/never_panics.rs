//! Robustness: arbitrary input never panics, and spans always make sense.

mod common;

use std::io::Write;

use common::outlets;
use corro_parse::decode::{normalise, normalise_cow};
use corro_parse::metadata::{parse_byline, parse_credit, parse_date, parse_dateline};
use corro_parse::{read_source, sentences, Limits, Report, Span, Status};
use proptest::prelude::*;

/// Strings built from the characters news structure hangs on, so the parsers' interesting
/// paths are reached far more often than with uniformly random text.
fn newsy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-z0-9 .,!?\"'()\\-/:;\n\t…“”‘’—–éЖ]{0,300}",
        "[a-z \r\n\t\u{0}-\u{1f}\u{7f}-\u{a0}\u{2028}\u{2029}\u{feff}é]{0,100}",
        "[0-9]{1,4}[-./ ][0-9é]{1,2}[-./ ][0-9é]{0,4}[T ]?[0-9:é]{0,8}",
        proptest::collection::vec(
            prop_oneof![
                Just("BAKU".to_string()),
                Just(" (Reuters) - ".to_string()),
                Just("(".to_string()),
                Just(")".to_string()),
                Just(" / ".to_string()),
                Just("Sept 29".to_string()),
                Just(", ".to_string()),
                Just(". ".to_string()),
                Just("U.S.".to_string()),
                Just("\n\n".to_string()),
                Just("\n".to_string()),
                Just("Reporting by ".to_string()),
                Just("— AFP".to_string()),
                Just("date 2020-10-02 ".to_string()),
                Just("title: ".to_string()),
                Just("\"".to_string()),
                Just("…".to_string()),
                Just("Mr. ".to_string()),
                Just("1,500.5".to_string()),
                "[A-Za-zé ]{0,12}",
            ],
            0..40
        )
        .prop_map(|v| v.concat()),
    ]
}

fn check_spans(text: &str, spans: &[Span]) -> Result<(), TestCaseError> {
    let mut prev_end = 0;
    for s in spans {
        prop_assert!(s.start < s.end, "empty span {s:?}");
        prop_assert!(s.end <= text.len(), "span {s:?} beyond {}", text.len());
        prop_assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{s:?}"
        );
        prop_assert!(s.start >= prev_end, "overlap or disorder at {s:?}");
        prev_end = s.end;
    }
    Ok(())
}

fn check_report(r: &Report) -> Result<(), TestCaseError> {
    prop_assert!(r.body_start <= r.text.len());
    prop_assert!(r.text.is_char_boundary(r.body_start));
    check_spans(&r.text, &r.sentences)?;
    if r.status == Status::Error {
        prop_assert!(!r.notes.is_empty(), "an error says why");
    }
    Ok(())
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn read_source_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let lex = outlets();
        for name in ["a.txt", "a.md", "a.jsonl", "a.ndjson", "a.csv", "a.txt.gz", "a.jsonl.gz", "a.csv.gz"] {
            let reports = read_source(name, &bytes, &Limits::default(), &lex);
            prop_assert!(!reports.is_empty(), "{name}: nothing vanishes");
            for r in &reports {
                check_report(r)?;
            }
        }
    }

    #[test]
    fn read_source_never_panics_on_text(text in newsy()) {
        let lex = outlets();
        let small = Limits { max_report_bytes: 64, ..Limits::default() };
        let compressed = gz(text.as_bytes());
        for name in ["a.txt", "a.jsonl", "a.csv"] {
            for limits in [&Limits::default(), &small] {
                for r in read_source(name, text.as_bytes(), limits, &lex) {
                    check_report(&r)?;
                }
            }
            let gz_name = format!("{name}.gz");
            for r in read_source(&gz_name, &compressed, &Limits::default(), &lex) {
                check_report(&r)?;
            }
            // Truncated anywhere.
            let cut = &compressed[..compressed.len() / 2];
            prop_assert!(!read_source(&gz_name, cut, &Limits::default(), &lex).is_empty());
        }
        // As a JSONL text field and a CSV field.
        let line = serde_json::json!({"id": "x", "text": text}).to_string();
        for r in read_source("b.jsonl", line.as_bytes(), &Limits::default(), &lex) {
            check_report(&r)?;
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["id", "text"]).unwrap();
        w.write_record(["x", text.as_str()]).unwrap();
        let csv = w.into_inner().unwrap();
        for r in read_source("b.csv", &csv, &Limits::default(), &lex) {
            check_report(&r)?;
        }
    }

    #[test]
    fn normalise_matches_a_char_by_char_reference(text in newsy()) {
        let mut want = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' if chars.peek() == Some(&'\n') => {}
                '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => want.push('\n'),
                '\n' | '\t' => want.push(c),
                '\u{FEFF}' => {}
                c if c.is_control() => {}
                c => want.push(c),
            }
        }
        prop_assert_eq!(normalise(&text), want.as_str());
        // Borrowed exactly when nothing changes, and the same text either way.
        let cow = normalise_cow(&text);
        prop_assert_eq!(matches!(cow, std::borrow::Cow::Borrowed(_)), want == text);
        prop_assert_eq!(cow, want);
    }

    #[test]
    fn csv_reader_agrees_with_the_csv_crate(
        rows in proptest::collection::vec(
            ("[a-z0-9]{1,6}", "[A-Za-z .,\"\n]{0,40}[A-Za-z]", "[A-Za-z][A-Za-z ,\"]{0,12}"),
            1..8,
        ),
        crlf in any::<bool>(),
    ) {
        let mut w = csv::WriterBuilder::new()
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_writer(Vec::new());
        w.write_record(["id", "text", "title"]).unwrap();
        for (id, text, title) in &rows {
            w.write_record([id, text, title]).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        let reports = read_source("w.csv", &bytes, &Limits::default(), &outlets());
        prop_assert_eq!(reports.len(), rows.len());
        let mut line = 2;
        for (r, (id, text, title)) in reports.iter().zip(&rows) {
            prop_assert_eq!(&r.id, id);
            prop_assert_eq!(&r.text, text);
            let want_title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert_eq!(r.meta.title.clone().unwrap_or_default(), want_title);
            prop_assert_eq!(&r.path, &format!("w.csv:{line}"));
            line += 1 + text.matches('\n').count() + title.matches('\n').count();
        }
    }

    #[test]
    fn parse_dateline_never_panics(text in newsy()) {
        if let Some(d) = parse_dateline(&text, &outlets()) {
            prop_assert!(d.len <= text.len());
            prop_assert!(text.is_char_boundary(d.len));
        }
    }

    #[test]
    fn parse_date_never_panics(text in newsy(), year in proptest::option::of(any::<i16>())) {
        let _ = parse_date(&text, year);
    }

    #[test]
    fn credits_never_panic(text in newsy()) {
        let _ = parse_byline(&text);
        let _ = parse_credit(&text, &outlets());
    }

    #[test]
    fn split_spans_are_sound(text in newsy()) {
        let spans = sentences::split(&text);
        check_spans(&text, &spans)?;
        for s in &spans {
            let t = &text[s.start..s.end];
            prop_assert_eq!(t, t.trim(), "spans are trimmed");
        }
        // Nothing but white space is left out.
        let mut prev = 0;
        for s in &spans {
            prop_assert!(text[prev..s.start].trim().is_empty(), "lost text {:?}", &text[prev..s.start]);
            prev = s.end;
        }
        prop_assert!(text[prev..].trim().is_empty());
    }
}
