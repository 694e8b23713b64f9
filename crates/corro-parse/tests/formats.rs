//! Every input format and encoding: the bytes, the reports expected from them.

mod common;

use std::io::Write;

use common::{outlets, read, read_txt, sentences};
use corro_parse::{read_source, Format, Limits, Report, Status};
use jiff::civil::date;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn errors(reports: &[Report]) -> Vec<&str> {
    reports
        .iter()
        .filter(|r| r.status == Status::Error)
        .map(|r| r.notes.last().map(String::as_str).unwrap_or(""))
        .collect()
}

fn ok_ids(reports: &[Report]) -> Vec<&str> {
    reports
        .iter()
        .filter(|r| r.status == Status::Ok)
        .map(|r| r.id.as_str())
        .collect()
}

#[test]
fn format_from_name() {
    let cases: &[(&str, Option<(Format, bool)>)] = &[
        ("a.txt", Some((Format::Text, false))),
        ("dir/A.MD", Some((Format::Text, false))),
        ("a.jsonl", Some((Format::Jsonl, false))),
        ("a.ndjson.gz", Some((Format::Jsonl, true))),
        ("bodies.csv", Some((Format::Csv, false))),
        ("x.txt.gz", Some((Format::Text, true))),
        ("x.pdf", None),
        ("README", None),
        ("x.gz", None),
    ];
    for &(name, want) in cases {
        assert_eq!(Format::from_name(name), want, "{name}");
    }
}

const REUTERS_TXT: &str = "Turkey denies sending Syrian fighters to Azerbaijan\n\nANKARA, Sept 29 (Reuters) - Turkey denied on Tuesday that it had sent Syrian fighters to Azerbaijan. The ministry called the reports propaganda.\n\nArmenia said in 2020 that about 1,000 fighters had arrived.\n\nReporting by Orhan Coskun in Ankara; Editing by Dominic Evans\n";

#[test]
fn txt_reads_headline_dateline_byline_and_infers_year() {
    let r = read_txt(REUTERS_TXT);
    assert_eq!(r.status, Status::Ok);
    assert_eq!(r.id, "r.txt");
    assert_eq!(
        r.meta.title.as_deref(),
        Some("Turkey denies sending Syrian fighters to Azerbaijan")
    );
    assert_eq!(r.meta.outlet.as_deref(), Some("Reuters"));
    assert_eq!(r.meta.place.as_deref(), Some("ANKARA"));
    assert_eq!(r.meta.author.as_deref(), Some("Orhan Coskun"));
    assert_eq!(r.meta.published, Some(date(2020, 9, 29)));
    assert!(
        r.notes.iter().any(|n| n.contains("year 2020")),
        "{:?}",
        r.notes
    );
    assert_eq!(
        sentences(&r),
        [
            "Turkey denies sending Syrian fighters to Azerbaijan",
            "Turkey denied on Tuesday that it had sent Syrian fighters to Azerbaijan.",
            "The ministry called the reports propaganda.",
            "Armenia said in 2020 that about 1,000 fighters had arrived.",
        ]
    );
    assert_eq!(&r.text[r.body_start..r.body_start + 6], "Turkey");
}

#[test]
fn txt_and_md_header_lines() {
    let text = "outlet: REUTERS\ndate: 2020-10-02\nurl: https://www.reuters.com/x\nauthor: Jane Doe\ntitle: Fighters sent\nlanguage: en\n\nTurkey sent fighters, officials said. Armenia agreed.";
    for name in ["a.txt", "a.md"] {
        let r = read(name, text.as_bytes()).remove(0);
        assert_eq!(r.status, Status::Ok, "{name}");
        assert_eq!(r.meta.outlet.as_deref(), Some("Reuters"));
        assert_eq!(r.meta.published, Some(date(2020, 10, 2)));
        assert_eq!(r.meta.url.as_deref(), Some("https://www.reuters.com/x"));
        assert_eq!(r.meta.author.as_deref(), Some("Jane Doe"));
        assert_eq!(r.meta.title.as_deref(), Some("Fighters sent"));
        assert_eq!(r.meta.language.as_deref(), Some("en"));
        assert_eq!(
            sentences(&r),
            [
                "Fighters sent",
                "Turkey sent fighters, officials said.",
                "Armenia agreed."
            ],
            "the title header is sentence 0"
        );
    }
}

#[test]
fn txt_bare_date_line_carrying_the_headline() {
    let r = read_txt(" date 2020-10-02 Syrians recruited for Karabakh\n\nWASHINGTON (Sputnik) - Syrians are being recruited, CNN reported.");
    assert_eq!(r.meta.published, Some(date(2020, 10, 2)));
    assert_eq!(
        r.meta.title.as_deref(),
        Some("Syrians recruited for Karabakh")
    );
    assert_eq!(r.meta.outlet.as_deref(), Some("Sputnik"));
    assert_eq!(
        sentences(&r),
        [
            "Syrians recruited for Karabakh",
            "Syrians are being recruited, CNN reported."
        ]
    );
}

#[test]
fn txt_bare_date_line_alone() {
    let r = read_txt("date 2020-10-02\nTurkey denied it. Armenia disagreed.");
    assert_eq!(r.meta.published, Some(date(2020, 10, 2)));
    assert_eq!(r.meta.title, None);
    assert_eq!(sentences(&r), ["Turkey denied it.", "Armenia disagreed."]);
}

#[test]
fn trailing_wire_credit_names_the_source() {
    let r = read_txt(
        "Clashes resume in Karabakh\n\nFighting resumed on Sunday, officials said.\n\n— AFP",
    );
    assert_eq!(r.meta.outlet.as_deref(), Some("AFP"));
    assert_eq!(r.meta.author.as_deref(), Some("AFP"));
    assert_eq!(
        sentences(&r),
        [
            "Clashes resume in Karabakh",
            "Fighting resumed on Sunday, officials said."
        ]
    );

    let jsonl = r#"{"id":"ds1","outlet":"dailysabah.com","text":"Fighting resumed on Sunday, officials said.\n\n-- AFP"}"#;
    let r = read("a.jsonl", jsonl.as_bytes()).remove(0);
    assert_eq!(r.meta.outlet.as_deref(), Some("Daily Sabah"));
    assert_eq!(r.meta.relayed_via, ["AFP"]);
    assert_eq!(
        sentences(&r),
        ["Fighting resumed on Sunday, officials said."]
    );
}

#[test]
fn parenthetical_credit_closing_the_last_paragraph() {
    let r = read_txt("BAKU (Reuters) - Azerbaijan said it shot down a drone. (Reporting by Nailia Bagirova; Editing by Alex Richardson)");
    assert_eq!(r.meta.author.as_deref(), Some("Nailia Bagirova"));
    assert_eq!(sentences(&r), ["Azerbaijan said it shot down a drone."]);
}

#[test]
fn by_line_after_headline() {
    let r = read_txt("Fighters sent to Azerbaijan\n\nBy Lara Seligman\n\nWASHINGTON — Syrian fighters were sent, officials said.");
    assert_eq!(r.meta.author.as_deref(), Some("Lara Seligman"));
    assert_eq!(r.meta.place.as_deref(), Some("WASHINGTON"));
    assert_eq!(
        sentences(&r),
        [
            "Fighters sent to Azerbaijan",
            "Syrian fighters were sent, officials said."
        ]
    );
}

#[test]
fn utf8_with_and_without_bom() {
    let plain = read("a.txt", "Café owners said so.".as_bytes()).remove(0);
    let bom = read("a.txt", b"\xEF\xBB\xBFCaf\xC3\xA9 owners said so.").remove(0);
    for r in [&plain, &bom] {
        assert_eq!(r.text, "Café owners said so.");
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        assert_eq!(r.status, Status::Ok);
    }
}

#[test]
fn utf16_with_bom() {
    let s = "Turkey denied it, officials said on Tuesday.";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (bytes, enc) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
        let r = read("a.txt", &bytes).remove(0);
        assert_eq!(r.text, s, "{enc}");
        assert_eq!(r.status, Status::Ok);
        assert!(r.notes.iter().any(|n| n.contains(enc)), "{:?}", r.notes);
    }
}

#[test]
fn windows_1252_fallback_is_noted() {
    let r = read("a.txt", b"The caf\xe9 owner said \x93no\x94 \x96 twice.").remove(0);
    assert_eq!(r.text, "The café owner said “no” – twice.");
    assert!(
        r.notes.iter().any(|n| n.contains("windows-1252")),
        "{:?}",
        r.notes
    );
    assert_eq!(r.status, Status::Ok);
}

#[test]
fn crlf_and_control_characters_are_normalised_and_offsets_follow() {
    let r = read(
        "a.txt",
        b"Headline here\r\n\r\nBAKU (Reuters) - One\x07 sentence.\r\nTwo\x1b sentence.\r\n",
    )
    .remove(0);
    assert_eq!(
        r.text,
        "Headline here\n\nBAKU (Reuters) - One sentence.\nTwo sentence.\n"
    );
    assert_eq!(
        sentences(&r),
        ["Headline here", "One sentence.", "Two sentence."]
    );
}

#[test]
fn jsonl_fields_and_aliases() {
    let jsonl = concat!(
        r#"{"id":"a","text":"Turkey denied it, officials said.","title":"Denial","outlet":"REUTERS","url":"u","date":"2020-10-02","author":"Jane Doe","language":"en"}"#,
        "\n",
        r#"{"id":7,"body":"Armenia disagreed, officials said.","headline":"Disagreement","source":"reuters.com","published":"02nd October, 2020"}"#,
        "\n",
        "\n",
        r#"{"id":"c","maintext":"Russia was concerned, officials said.","source_domain":"www.tass.com","date_publish":"2020-10-01 10:00:00"}"#,
        "\n",
        r#"{"id":"d","articleBody":"Iran urged talks, officials said."}"#,
        "\n",
    );
    let rs = read("news.jsonl", jsonl.as_bytes());
    assert_eq!(ok_ids(&rs), ["a", "7", "c", "d"]);
    assert_eq!(rs[0].meta.title.as_deref(), Some("Denial"));
    assert_eq!(rs[0].meta.outlet.as_deref(), Some("Reuters"));
    assert_eq!(rs[0].meta.author.as_deref(), Some("Jane Doe"));
    assert_eq!(rs[0].meta.url.as_deref(), Some("u"));
    assert_eq!(rs[0].path, "news.jsonl:1");
    assert_eq!(rs[1].meta.title.as_deref(), Some("Disagreement"));
    assert_eq!(rs[1].meta.outlet.as_deref(), Some("Reuters"));
    assert_eq!(rs[1].meta.published, Some(date(2020, 10, 2)));
    assert_eq!(rs[2].meta.outlet.as_deref(), Some("TASS"));
    assert_eq!(rs[2].meta.published, Some(date(2020, 10, 1)));
    assert_eq!(rs[2].path, "news.jsonl:4", "line numbers count blank lines");
    assert_eq!(rs[3].text, "Iran urged talks, officials said.");
    // The same in .ndjson.
    assert_eq!(
        ok_ids(&read("news.ndjson", jsonl.as_bytes())),
        ["a", "7", "c", "d"]
    );
}

#[test]
fn jsonl_bad_lines_are_errors_and_the_rest_is_read() {
    let jsonl = concat!(
        r#"{"id":"a","text":"One, officials said."}"#,
        "\n",
        r#"{"id":"b","text":"Two, offi"#,
        "\n",
        r#"["not","an","object"]"#,
        "\n",
        r#"{"id":"d","title":"no text"}"#,
        "\n",
        r#"{"id":"e","text":"Five, officials said."}"#,
        "\n",
    );
    let rs = read("x.jsonl", jsonl.as_bytes());
    assert_eq!(rs.len(), 5);
    assert_eq!(ok_ids(&rs), ["a", "e"]);
    let errs = errors(&rs);
    assert!(errs[0].starts_with("x.jsonl:2: malformed JSON"), "{errs:?}");
    assert!(
        errs[1].starts_with("x.jsonl:3: not a JSON object"),
        "{errs:?}"
    );
    assert!(errs[2].starts_with("x.jsonl:4: no text"), "{errs:?}");
    assert_eq!(rs[1].id, "x.jsonl:2");
}

#[test]
fn csv_fields_by_header_and_aliases() {
    let csv = "Body ID,articleBody,Headline,Source,Published\n0,\"Turkey denied it, \"\"officials\"\" said.\nMore followed.\",Denial,REUTERS,2020-10-02\n4,Armenia disagreed.,,,\n";
    let rs = read("bodies.csv", csv.as_bytes());
    assert_eq!(ok_ids(&rs), ["0", "4"]);
    assert_eq!(
        rs[0].text,
        "Turkey denied it, \"officials\" said.\nMore followed."
    );
    assert_eq!(rs[0].meta.title.as_deref(), Some("Denial"));
    assert_eq!(rs[0].meta.outlet.as_deref(), Some("Reuters"));
    assert_eq!(rs[0].meta.published, Some(date(2020, 10, 2)));
    assert_eq!(rs[0].path, "bodies.csv:2");
    assert_eq!(
        rs[1].path, "bodies.csv:4",
        "a quoted field spanning two lines moves the next row"
    );
}

#[test]
fn csv_ragged_row_is_an_error_for_that_row() {
    let csv = "id,text\na,One said.\nb,Two said.,extra\nc,Three said.\n";
    let rs = read("r.csv", csv.as_bytes());
    assert_eq!(ok_ids(&rs), ["a", "c"]);
    assert_eq!(
        errors(&rs),
        ["r.csv:3: malformed CSV row: 3 fields, header has 2"]
    );
}

#[test]
fn csv_unterminated_quote_names_the_line() {
    let csv = "id,text\na,One said.\nb,\"Two said.\nc,Three said.\n";
    let rs = read("q.csv", csv.as_bytes());
    assert_eq!(ok_ids(&rs), ["a"]);
    let errs = errors(&rs);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("q.csv:3: unterminated quoted field"),
        "{errs:?}"
    );
}

#[test]
fn csv_without_a_text_column() {
    let rs = read("n.csv", b"id,title\na,b\n");
    assert_eq!(rs.len(), 1);
    assert!(
        errors(&rs)[0].starts_with("n.csv:1: no text column"),
        "{:?}",
        errors(&rs)
    );
}

#[test]
fn gzip_of_each_format() {
    let txt = read("a.txt.gz", &gz(REUTERS_TXT.as_bytes())).remove(0);
    assert_eq!(txt.meta.outlet.as_deref(), Some("Reuters"));
    assert_eq!(txt.id, "a.txt.gz");
    let jsonl = read(
        "a.jsonl.gz",
        &gz(br#"{"id":"j","text":"One, officials said."}"#),
    );
    assert_eq!(ok_ids(&jsonl), ["j"]);
    let csv = read("a.csv.gz", &gz(b"id,text\nc,One said.\n"));
    assert_eq!(ok_ids(&csv), ["c"]);
}

#[test]
fn truncated_gzip_is_an_error_and_complete_lines_survive() {
    let mut lines = String::new();
    for i in 0..2000 {
        lines.push_str(&format!("{{\"id\":\"r{i}\",\"text\":\"Report number {i} says fighters arrived on day {i}.\"}}\n"));
    }
    let full = gz(lines.as_bytes());
    let cut = &full[..full.len() / 2];
    let rs = read("big.jsonl.gz", cut);
    let errs = errors(&rs);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("big.jsonl.gz: gzip:") && errs[0].contains("truncated"),
        "{errs:?}"
    );
    assert!(
        ok_ids(&rs).len() > 10,
        "complete lines before the cut are read"
    );

    let txt = read("a.txt.gz", &gz(REUTERS_TXT.as_bytes())[..20]);
    assert_eq!(txt.len(), 1);
    assert!(
        errors(&txt)[0].starts_with("a.txt.gz: gzip:"),
        "{:?}",
        errors(&txt)
    );

    let not_gz = read("a.txt.gz", b"plain text, not gzip");
    assert_eq!(not_gz[0].status, Status::Error);
}

#[test]
fn gzip_over_the_limit_is_an_error() {
    let limits = Limits {
        max_decompressed_bytes: 1000,
        ..Limits::default()
    };
    let rs = read_source("bomb.txt.gz", &gz(&vec![b'a'; 5000]), &limits, &outlets());
    assert_eq!(rs.len(), 1);
    assert!(
        errors(&rs)[0].contains("more than 1000 bytes"),
        "{:?}",
        errors(&rs)
    );
}

#[test]
fn long_report_is_truncated_with_a_note() {
    let limits = Limits {
        max_report_bytes: 40,
        ..Limits::default()
    };
    let text = "Première phrase du rapport. ".repeat(10);
    let r = read_source("long.txt", text.as_bytes(), &limits, &outlets()).remove(0);
    assert!(r.text.len() <= 40);
    assert!(
        r.notes.iter().any(|n| n.contains("truncated")),
        "{:?}",
        r.notes
    );
}

#[test]
fn unreadable_files_are_errors_naming_the_file() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.txt", b"", "empty.txt: empty file"),
        ("blank.txt", b"  \n\n ", "blank.txt: empty file"),
        ("bin.txt", b"\x00\x01\x02ELF", "bin.txt: binary file"),
        ("empty.jsonl", b"\n\n", "empty.jsonl: empty file"),
        ("empty.csv", b"id,text\n", "empty.csv: empty file"),
        ("x.pdf", b"%PDF", "x.pdf: unsupported file type"),
        ("ctl.txt", b"\x07\x07", "ctl.txt: empty file"),
    ];
    for &(name, bytes, want) in cases {
        let rs = read(name, bytes);
        assert_eq!(rs.len(), 1, "{name}");
        assert_eq!(rs[0].status, Status::Error, "{name}");
        assert!(
            rs[0].notes[0].starts_with(want),
            "{name}: {:?}",
            rs[0].notes
        );
    }
}

#[test]
fn non_english_is_skipped_with_the_reason() {
    let fr = "Le ministère russe de la Défense a déclaré que des combattants syriens avaient été transférés dans la zone de conflit du Haut-Karabakh, selon plusieurs sources.";
    let r = read_txt(fr);
    assert_eq!(r.status, Status::Skipped);
    assert_eq!(r.meta.language.as_deref(), Some("fr"));
    assert!(
        r.notes.iter().any(|n| n.contains("not English")),
        "{:?}",
        r.notes
    );

    let ru = read_txt("Министерство обороны России заявило, что боевики из Сирии переброшены в зону конфликта в Нагорном Карабахе.");
    assert_eq!(ru.status, Status::Skipped);
    assert_eq!(ru.meta.language.as_deref(), Some("ru"));

    let given = read(
        "a.jsonl",
        br#"{"id":"x","text":"Turkey denied it.","language":"Turkish"}"#,
    )
    .remove(0);
    assert_eq!(given.status, Status::Skipped);
    assert_eq!(given.meta.language.as_deref(), Some("tr"));
}

#[test]
fn short_english_is_not_mis_flagged() {
    for text in [
        "Turkey denies sending fighters",
        "Erdogan rejects Karabakh mercenary claims",
        "Syrian mercenaries in Azerbaijan: Assad adviser",
        "Macron: credible information on Syrian jihadists",
        "BAKU (Reuters) - Azerbaijan rejects report.",
    ] {
        let r = read_txt(text);
        assert_eq!(r.status, Status::Ok, "{text}: {:?}", r.notes);
        assert_ne!(r.meta.language.as_deref().unwrap_or("en"), "fr", "{text}");
        assert!(
            r.meta.language.is_none() || r.meta.language.as_deref() == Some("en"),
            "{text}: {:?}",
            r.meta.language
        );
    }
}

#[test]
fn outlet_names_are_normalised() {
    for (given, want) in [
        ("Reuters", "Reuters"),
        ("REUTERS", "Reuters"),
        ("reuters.com", "Reuters"),
        ("www.reuters.com", "Reuters"),
        ("Associated Press", "AP"),
        ("sputniknews.com", "Sputnik"),
        ("Agence France-Presse", "AFP"),
        ("Anadolu Agency", "Anadolu"),
        ("NYT", "The New York Times"),
        ("Spiegel Online", "Der Spiegel"),
        ("Some New Outlet", "Some New Outlet"),
    ] {
        let line = format!(
            r#"{{"id":"x","outlet":"{given}","text":"Turkey denied it, officials said."}}"#
        );
        let r = read("a.jsonl", line.as_bytes()).remove(0);
        assert_eq!(r.meta.outlet.as_deref(), Some(want), "{given}");
    }
    let r = read("a.jsonl", br#"{"id":"x","url":"https://edition.cnn.com/2020/10/01/x","text":"Turkey denied it, officials said."}"#).remove(0);
    assert_eq!(r.meta.outlet.as_deref(), Some("CNN"));
    assert!(r.notes.iter().any(|n| n.contains("URL")), "{:?}", r.notes);
}

#[test]
fn outlet_lexicon_file() {
    let lex = outlets();
    assert!(lex.names().len() >= 60, "{} outlets", lex.names().len());
    for wire in [
        "Reuters",
        "AP",
        "AFP",
        "TASS",
        "RIA Novosti",
        "Sputnik",
        "Interfax",
        "Xinhua",
        "Anadolu",
        "Trend",
        "APA",
        "Armenpress",
        "North Press",
        "SANA",
        "SOHR",
        "CNN",
        "BBC",
        "Al Jazeera",
        "UrduPoint News",
        "Daily Sabah",
        "Hurriyet",
        "Asbarez",
        "The Guardian",
        "The New York Times",
        "The Washington Post",
        "Le Monde",
        "Der Spiegel",
    ] {
        assert_eq!(lex.lookup(wire), Some(wire), "{wire} is a canonical name");
    }
    let err =
        corro_parse::OutletLexicon::from_csv("name,alias\nReuters,RTRS\nOther,rtrs\n").unwrap_err();
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn headline_is_one_sentence_standing_alone() {
    // (text, expected title)
    let cases: &[(&str, Option<&str>)] = &[
        (
            "Fighters head to Azerbaijan\n\nTurkey denied it.",
            Some("Fighters head to Azerbaijan"),
        ),
        (
            "Is there a pet door on the Pearly Gates?\n\nA dog died.",
            Some("Is there a pet door on the Pearly Gates?"),
        ),
        (
            "'A bunch ate through the ceiling'\n\nThe pests spread.",
            Some("'A bunch ate through the ceiling'"),
        ),
        (
            "Fighters head to Azerbaijan\nBAKU (Reuters) - Turkey denied it.",
            Some("Fighters head to Azerbaijan"),
        ),
        // Not headlines: a first paragraph of several sentences, a full stop, lower case,
        // a lone line, a dateline on its own line.
        (
            "Fake fights. Fake ads. Amazing video? Nope!\n\nMore text.",
            None,
        ),
        ("The marine was shot during a mission.\n\nMore text.", None),
        ("via Daily Buzz Live\n\nMore text.", None),
        ("Turkey denies sending fighters", None),
        ("FORT DEVENS, Massachusetts -\n\nThe Army said so.", None),
    ];
    for &(text, want) in cases {
        let r = read_txt(text);
        assert_eq!(r.meta.title.as_deref(), want, "{text:?}");
        if let Some(t) = want {
            assert_eq!(sentences(&r)[0], t, "the headline is sentence 0");
        }
    }
    let r = read_txt("FORT DEVENS, Massachusetts -\n\nThe Army said so.");
    assert_eq!(r.meta.place.as_deref(), Some("FORT DEVENS"));
    assert_eq!(sentences(&r), ["The Army said so."]);
}

#[test]
fn every_format_in_every_encoding() {
    // The same report, as each format, in each encoding, plain and gzipped.
    let body = "ANKARA (Reuters) - Türkiye denied it, officials said.";
    let sources: &[(&str, String)] = &[
        ("r.txt", format!("outlet: Daily Sabah\n\n{body}")),
        ("r.md", format!("outlet: Daily Sabah\n\n{body}")),
        (
            "r.jsonl",
            format!("{{\"id\":\"r1\",\"source\":\"Daily Sabah\",\"text\":\"{body}\"}}\n"),
        ),
        (
            "r.ndjson",
            format!("{{\"id\":\"r1\",\"source\":\"Daily Sabah\",\"text\":\"{body}\"}}\n"),
        ),
        (
            "r.csv",
            format!("id,source,text\nr1,Daily Sabah,\"{body}\"\n"),
        ),
    ];
    type Encode = fn(&str) -> Vec<u8>;
    let encodings: &[(&str, Encode, Option<&str>)] = &[
        ("UTF-8", |s| s.as_bytes().to_vec(), None),
        (
            "UTF-8 with BOM",
            |s| [&b"\xEF\xBB\xBF"[..], s.as_bytes()].concat(),
            None,
        ),
        (
            "UTF-16LE",
            |s| {
                [0xFF, 0xFE]
                    .into_iter()
                    .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
                    .collect()
            },
            Some("UTF-16LE"),
        ),
        (
            "UTF-16BE",
            |s| {
                [0xFE, 0xFF]
                    .into_iter()
                    .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
                    .collect()
            },
            Some("UTF-16BE"),
        ),
        (
            "windows-1252",
            |s| encoding_rs::WINDOWS_1252.encode(s).0.into_owned(),
            Some("windows-1252"),
        ),
        (
            "UTF-8, CRLF",
            |s| s.replace('\n', "\r\n").into_bytes(),
            None,
        ),
    ];
    for (name, text) in sources {
        for &(enc, encode, note) in encodings {
            let bytes = encode(text);
            for (file, data) in [
                (name.to_string(), bytes.clone()),
                (format!("{name}.gz"), gz(&bytes)),
            ] {
                let rs = read(&file, &data);
                let what = format!("{file} in {enc}");
                assert_eq!(rs.len(), 1, "{what}: {:?}", errors(&rs));
                let r = &rs[0];
                assert_eq!(r.status, Status::Ok, "{what}: {:?}", r.notes);
                assert_eq!(r.meta.outlet.as_deref(), Some("Daily Sabah"), "{what}");
                assert_eq!(r.meta.relayed_via, ["Reuters"], "{what}");
                assert_eq!(r.meta.place.as_deref(), Some("ANKARA"), "{what}");
                assert_eq!(
                    sentences(r),
                    ["Türkiye denied it, officials said."],
                    "{what}"
                );
                match note {
                    Some(n) => assert!(
                        r.notes.iter().any(|x| x.contains(n)),
                        "{what}: {:?}",
                        r.notes
                    ),
                    None => assert!(r.notes.is_empty(), "{what}: {:?}", r.notes),
                }
                if !name.ends_with(".txt") && !name.ends_with(".md") {
                    assert_eq!(r.id, "r1", "{what}");
                }
            }
        }
    }
}

#[test]
fn a_full_dateline_date_beats_a_year_less_date_field() {
    let line = r#"{"id":"x","date":"Oct 2","text":"DAMASCUS, Oct. 2, 2020 (Xinhua) -- Syria said so, officials said."}"#;
    let r = read("a.jsonl", line.as_bytes()).remove(0);
    assert_eq!(r.meta.published, Some(date(2020, 10, 2)));
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    let line = r#"{"id":"x","date":"Oct 2","text":"Syria said so in 2020, officials said."}"#;
    let r = read("a.jsonl", line.as_bytes()).remove(0);
    assert_eq!(r.meta.published, Some(date(2020, 10, 2)));
    assert!(
        r.notes
            .iter()
            .any(|n| n.starts_with("date field gives 10-02 without a year")),
        "{:?}",
        r.notes
    );
}

#[test]
fn wire_name_alone_on_the_first_line() {
    let r = read_txt(
        "Agence France Presse\nLONDON: \"Jihadi John\" was named on Thursday, officials said.",
    );
    assert_eq!(r.meta.outlet.as_deref(), Some("AFP"));
    assert_eq!(r.meta.place.as_deref(), Some("LONDON"));
    assert_eq!(r.meta.title, None);
    assert_eq!(
        sentences(&r),
        ["\"Jihadi John\" was named on Thursday, officials said."]
    );
}

#[test]
fn header_lines_versus_body_lines() {
    // (text, outlet, published, first sentence)
    let cases: &[(&str, Option<&str>, Option<jiff::civil::Date>, &str)] = &[
        ("Source: Reuters\n\nTurkey denied it.", Some("Reuters"), None, "Turkey denied it."),
        ("Published: 2 October 2020\nTurkey denied it.", None, Some(date(2020, 10, 2)), "Turkey denied it."),
        (
            "Source: a senior Turkish official who asked not to be named because of the sensitivity, said so.",
            None,
            None,
            "Source: a senior Turkish official who asked not to be named because of the sensitivity, said so.",
        ),
        ("Note: this is a body line.", None, None, "Note: this is a body line."),
        ("date 02-10-2020\n\nTurkey denied it.", None, Some(date(2020, 10, 2)), "Turkey denied it."),
        ("date of the attack is unknown, officials said.", None, None, "date of the attack is unknown, officials said."),
    ];
    for &(text, outlet, published, first) in cases {
        let r = read_txt(text);
        assert_eq!(r.meta.outlet.as_deref(), outlet, "{text:?}");
        assert_eq!(r.meta.published, published, "{text:?}");
        assert_eq!(sentences(&r)[0], first, "{text:?}");
    }
}
