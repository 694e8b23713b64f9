//! Seed inputs and structured generators: realistic shapes (datelines, dates, numbers,
//! reports, CSV, JSONL) that mutations then bend.

use std::path::PathBuf;

use crate::mutate::Rng;
use crate::Target;

/// The seed corpus of a target: the bundled sample reports, `../shared/corpus/seeds`
/// when present, and a few hundred generated inputs.
pub fn seeds(target: Target, rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut texts: Vec<Vec<u8>> = Vec::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    for dir in [
        root.join("data/sample/reports"),
        root.join("../shared/corpus/seeds"),
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if let Ok(b) = std::fs::read(&p) {
                texts.push(b);
            }
        }
    }
    let mut out = Vec::new();
    match target {
        Target::ReadSource | Target::Extract => {
            for t in texts {
                out.push(wrap(target, t, rng));
            }
        }
        Target::Sentences | Target::Quantity => {
            // Whole reports, and their lines one by one.
            for t in &texts {
                out.push(t.clone());
                for line in t.split(|&b| b == b'\n').filter(|l| l.len() > 10).take(20) {
                    out.push(line.to_vec());
                }
            }
        }
        Target::Dateline | Target::Date => {
            for t in &texts {
                // Lines that may carry a dateline or a date.
                for line in t.split(|&b| b == b'\n').take(6) {
                    out.push(line.to_vec());
                }
            }
        }
    }
    for _ in 0..300 {
        out.push(fresh(target, rng));
    }
    out
}

/// A newly generated input for `target`.
pub fn fresh(target: Target, rng: &mut Rng) -> Vec<u8> {
    match target {
        Target::ReadSource | Target::Extract => {
            let body = match rng.below(3) {
                0 => report(rng),
                1 => jsonl(rng),
                _ => csv(rng),
            };
            wrap(target, body.into_bytes(), rng)
        }
        Target::Dateline => format!("{}{}", dateline(rng), sentence(rng)).into_bytes(),
        Target::Date => date(rng).into_bytes(),
        Target::Quantity => sentence(rng).into_bytes(),
        Target::Sentences => report(rng).into_bytes(),
    }
}

/// Prefixes the two control bytes `read_source` inputs carry (format and limits).
pub fn wrap(target: Target, body: Vec<u8>, rng: &mut Rng) -> Vec<u8> {
    match target {
        Target::ReadSource | Target::Extract => {
            let mut v = vec![rng.below(256) as u8, rng.below(256) as u8];
            v.extend(body);
            v
        }
        _ => body,
    }
}

const PLACES: &[&str] = &[
    "AZAZ",
    "BAKU",
    "ANKARA",
    "WASHINGTON",
    "Moscow",
    "YEREVAN",
    "LONDON",
    "Stepanakert",
];
const OUTLETS: &[&str] = &[
    "Reuters",
    "North Press",
    "UrduPoint News",
    "Sputnik",
    "TASS",
    "CNN",
    "AFP",
    "Trend",
    "Mediamax",
];
const MONTHS: &[&str] = &[
    "January", "Sept", "Oct.", "NOVEMBER", "Dec", "feb", "May", "Sep",
];
const HEDGES: &[&str] = &[
    "",
    "about ",
    "around ",
    "more than ",
    "nearly ",
    "up to ",
    "at least ",
    "fewer than ",
    "an estimated ",
    "between ",
    "some ",
    "as many as ",
];
const NUMBERS: &[&str] = &[
    "150",
    "1,000",
    "1.5",
    "a thousand",
    "dozens",
    "hundreds",
    "tens of thousands",
    "several",
    "a few",
    "three",
    "twenty-five",
    "half a dozen",
    "2.3bn",
    "1e400",
    "99999999999999999999",
    "0",
    "000",
    "one and a half",
    "1 1/2",
];
const UNITS: &[&str] = &[
    " fighters",
    " militants",
    " Syrian mercenaries",
    " people",
    " deaths",
    " months",
    "%",
    " percent",
    " dollars",
    " Turkish lira",
    " km",
    "",
];
const PRE: &[&str] = &["", "$", "US$", "\u{a3}", "USD ", "\u{20ac}"];
const PER: &[&str] = &["", " per month", " a month", " monthly", "/day", " a year"];
const SPEAKERS: &[&str] = &[
    "Omer Celik said",
    "The Russian Foreign Ministry said",
    "Azerbaijan denied that",
    "According to a Syrian national,",
    "CNN reported, citing a source, that",
    "Reportedly,",
    "Baku denied reports that",
    "",
];

fn date(rng: &mut Rng) -> String {
    let d = ["1", "2", "02nd", "29", "31", "0", "32", "99", "1st", "3rd"];
    let y = ["2020", "1999", "20", "0", "32767", "99999", "-1", "2100"];
    let m = rng.pick(MONTHS);
    match rng.below(7) {
        0 => format!("{}-{:02}-{:02}", rng.pick(&y), rng.below(14), rng.below(33)),
        1 => format!("{} {}, {}", rng.pick(&d), m, rng.pick(&y)),
        2 => format!("{} {}, {}", m, rng.pick(&d), rng.pick(&y)),
        3 => format!("{}-{}-{}", rng.pick(&d), rng.below(14), rng.pick(&y)),
        4 => format!("Friday, {} {} {} 14:05 GMT", rng.pick(&d), m, rng.pick(&y)),
        5 => format!("{}/{}/{}", rng.pick(&d), rng.below(14), rng.pick(&y)),
        _ => format!(
            "{}-{:02}-{:02}T{:02}:03:00Z",
            rng.pick(&y),
            rng.below(13),
            rng.below(32),
            rng.below(30)
        ),
    }
}

fn dateline(rng: &mut Rng) -> String {
    let place = rng.pick(PLACES);
    let outlet = rng.pick(OUTLETS);
    match rng.below(5) {
        0 => format!("{place}, Syria ({outlet}) \u{2013} "),
        1 => format!(
            "{place} ({outlet} / {} - {}) ",
            rng.pick(OUTLETS),
            date(rng)
        ),
        2 => format!("{place}, {} ({outlet}) - ", date(rng)),
        3 => format!("{place}, {}. /{outlet}/. ", date(rng)),
        _ => format!("{place} \u{2014} "),
    }
}

fn quantity(rng: &mut Rng) -> String {
    let n = rng.pick(NUMBERS);
    let hedge = rng.pick(HEDGES);
    let range = if *hedge == "between " {
        format!(" and {}", rng.pick(NUMBERS))
    } else if rng.below(5) == 0 {
        format!("-{}", rng.pick(NUMBERS))
    } else {
        String::new()
    };
    format!(
        "{hedge}{}{n}{range}{}{}",
        rng.pick(PRE),
        rng.pick(UNITS),
        rng.pick(PER)
    )
}

fn sentence(rng: &mut Rng) -> String {
    let sp = rng.pick(SPEAKERS);
    let q = quantity(rng);
    let verbs = [
        "Turkey sent",
        "were paid",
        "were killed in",
        "arrived in",
        "have been deployed to",
    ];
    let place = ["Azerbaijan", "Nagorno-Karabakh", "Syria", "Libya"];
    format!(
        "{sp} {} {q} {} on {}.",
        rng.pick(&verbs),
        rng.pick(&place),
        date(rng)
    )
}

fn report(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.below(2) == 0 {
        s.push_str(&format!(
            "outlet: {}\ndate: {}\n",
            rng.pick(OUTLETS),
            date(rng)
        ));
    }
    if rng.below(2) == 0 {
        s.push_str("Turkey denies sending fighters\n\n");
    }
    if rng.below(3) == 0 {
        s.push_str("By John Smith\n");
    }
    s.push_str(&dateline(rng));
    for _ in 0..1 + rng.below(6) {
        s.push_str(&sentence(rng));
        s.push_str(if rng.below(3) == 0 { "\n\n" } else { " " });
    }
    if rng.below(2) == 0 {
        s.push_str("\n\nReporting by Orhan Coskun; Editing by Dominic Evans\n");
    }
    s
}

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn jsonl(rng: &mut Rng) -> String {
    let mut s = String::new();
    for i in 0..1 + rng.below(5) {
        let text_key = rng.pick(&["text", "body", "maintext", "articleBody", "content", "TEXT"]);
        let mut fields = vec![
            format!("\"id\": {}", json_str(&format!("r{}", i % 3))),
            format!("\"{text_key}\": {}", json_str(&report(rng))),
        ];
        if rng.below(2) == 0 {
            let outlet = OUTLETS[rng.below(OUTLETS.len())];
            fields.push(format!("\"outlet\": {}", json_str(outlet)));
        }
        if rng.below(2) == 0 {
            fields.push(format!("\"date\": {}", json_str(&date(rng))));
        }
        if rng.below(3) == 0 {
            fields.push("\"author\": [\"A\", \"=B\"]".into());
        }
        if rng.below(4) == 0 {
            fields.push(format!("\"id\": {}", rng.below(100)));
        }
        s.push_str(&format!("{{{}}}\n", fields.join(", ")));
    }
    s
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn csv(rng: &mut Rng) -> String {
    let mut s = String::from("id,title,text,outlet,date\n");
    for i in 0..1 + rng.below(5) {
        s.push_str(&format!(
            "{},{},{},{},{}\n",
            i,
            csv_field("Turkey denies, again"),
            csv_field(&report(rng)),
            rng.pick(OUTLETS),
            date(rng)
        ));
    }
    s
}
