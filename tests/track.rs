//! `corro track` end to end: the real binary on small corpora written to a temp
//! directory, checked through matches.csv and watchlist.csv.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::process::Command;

const CLAIMS: &str = "claim_id,text
fighters,Turkey sent Syrian fighters to Azerbaijan
meteor,A meteorite crashed in Managua
quiet,Penguins opened a bakery in Antarctica
";

const REPORTS: &[(&str, &str)] = &[
    (
        "a.txt",
        "outlet: North Press\ndate: 2020-10-01\n\nTurkey sends Syrian fighters to Azerbaijan\n\n\
         Turkey has sent hundreds of Syrian fighters to Azerbaijan, sources told North Press. \
         The fighters were flown from Gaziantep to Baku last week. Syrian fighters are paid \
         $1,500 a month to fight in Azerbaijan.\n",
    ),
    (
        // The same text syndicated by another outlet: one origin, not two.
        "g.txt",
        "outlet: Coastline Daily\ndate: 2020-10-02\n\nTurkey sends Syrian fighters to Azerbaijan\n\n\
         Turkey has sent hundreds of Syrian fighters to Azerbaijan, sources told North Press. \
         The fighters were flown from Gaziantep to Baku last week. Syrian fighters are paid \
         $1,500 a month to fight in Azerbaijan.\n",
    ),
    (
        "b.txt",
        "outlet: Reuters\ndate: 2020-10-02\n\nSyrian fighters deployed to Azerbaijan\n\n\
         Turkey sent Syrian fighters to Azerbaijan, Armenian Prime Minister Nikol Pashinyan said \
         on Friday. He said the Syrian fighters were recruited in Afrin and sent to Azerbaijan \
         through Turkey.\n",
    ),
    (
        "c.txt",
        "outlet: Daily Sabah\ndate: 2020-10-03\n\nAnkara denies sending Syrian fighters to Azerbaijan\n\n\
         Turkish officials denied that Turkey sent Syrian fighters to Azerbaijan, calling the \
         reports a hoax and fake news. \"There are no Syrian fighters in Azerbaijan, this is \
         propaganda,\" the foreign ministry said. The claims are false, officials said.\n",
    ),
    (
        "f.txt",
        "outlet: Meridian\ndate: 2020-10-04\n\nAre Syrian fighters in Azerbaijan?\n\n\
         Turkey has reportedly sent Syrian fighters to Azerbaijan, according to unconfirmed \
         reports on social media. The claims could not be independently verified. It is unclear \
         whether any Syrian fighters reached Azerbaijan.\n",
    ),
    (
        "d.txt",
        "outlet: La Prensa\ndate: 2020-10-03\n\nMeteorite crashes in Managua\n\n\
         A small meteorite crashed into a wooded area in Managua, the government said. The \
         meteorite left a crater near the airport of Managua.\n",
    ),
    (
        "e.txt",
        "outlet: Weather Today\ndate: 2020-10-03\n\nRain expected this weekend\n\n\
         Heavy rain is expected across the region this weekend, forecasters said. Temperatures \
         will fall.\n",
    ),
];

type Rows = Vec<HashMap<String, String>>;

fn read_csv(path: &Path) -> (Vec<String>, Rows) {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let rows = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

struct Run {
    code: Option<i32>,
    stderr: String,
    matches: (Vec<String>, Rows),
    watchlist: (Vec<String>, Rows),
    raw: (Vec<u8>, Vec<u8>),
}

fn corpus(reports: &[(&str, &str)], claims: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("reports")).unwrap();
    for (name, text) in reports {
        fs::write(dir.path().join("reports").join(name), text).unwrap();
    }
    fs::write(dir.path().join("claims.csv"), claims).unwrap();
    dir
}

fn track(dir: &Path, out: &str) -> Run {
    let out = dir.join(out);
    let o = Command::new(env!("CARGO_BIN_EXE_corro"))
        .arg("track")
        .arg("--claims")
        .arg(dir.join("claims.csv"))
        .arg(dir.join("reports"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    if o.status.code() != Some(0) {
        return Run {
            code: o.status.code(),
            stderr,
            matches: (vec![], vec![]),
            watchlist: (vec![], vec![]),
            raw: (vec![], vec![]),
        };
    }
    Run {
        code: o.status.code(),
        stderr,
        matches: read_csv(&out.join("matches.csv")),
        watchlist: read_csv(&out.join("watchlist.csv")),
        raw: (
            fs::read(out.join("matches.csv")).unwrap(),
            fs::read(out.join("watchlist.csv")).unwrap(),
        ),
    }
}

fn stance_of<'a>(rows: &'a Rows, claim: &str, report: &str) -> Option<&'a str> {
    rows.iter()
        .find(|r| r["claim_id"] == claim && r["report_id"] == report)
        .map(|r| r["stance"].as_str())
}

#[test]
fn matches_carry_stance_score_quote_and_cue() {
    let dir = corpus(REPORTS, CLAIMS);
    let run = track(dir.path(), "out");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let (header, rows) = &run.matches;
    assert_eq!(
        header,
        &["claim_id", "report_id", "stance", "score", "quote", "cue"]
    );
    assert_eq!(stance_of(rows, "fighters", "a.txt"), Some("supports"));
    assert_eq!(stance_of(rows, "fighters", "g.txt"), Some("supports"));
    assert_eq!(stance_of(rows, "fighters", "b.txt"), Some("supports"));
    assert_eq!(stance_of(rows, "fighters", "c.txt"), Some("denies"));
    assert_eq!(stance_of(rows, "fighters", "f.txt"), Some("discusses"));
    assert_eq!(stance_of(rows, "meteor", "d.txt"), Some("supports"));
    // Unrelated reports have no row.
    for r in rows {
        assert_ne!(
            r["report_id"], "e.txt",
            "the weather report is unrelated: {r:?}"
        );
        assert!(
            !(r["claim_id"] == "meteor" && r["report_id"] != "d.txt"),
            "{r:?}"
        );
        assert_ne!(r["claim_id"], "quiet");
        let score: f64 = r["score"].parse().unwrap();
        assert!((0.0..=1.0).contains(&score), "{r:?}");
        assert!(!r["quote"].is_empty() && !r["cue"].is_empty(), "{r:?}");
    }
    let c = rows.iter().find(|r| r["report_id"] == "c.txt").unwrap();
    assert!(
        c["quote"].contains("denied"),
        "the quote is the matching sentence: {c:?}"
    );
    // Sorted by claim, then report.
    let keys: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["claim_id"].clone(), r["report_id"].clone()))
        .collect();
    let order = ["fighters", "meteor", "quiet"];
    let mut sorted = keys.clone();
    sorted.sort_by_key(|(c, r)| (order.iter().position(|o| o == c), r.clone()));
    assert_eq!(keys, sorted);
}

#[test]
fn watchlist_counts_independent_origins() {
    let dir = corpus(REPORTS, CLAIMS);
    let run = track(dir.path(), "out");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let (header, rows) = &run.watchlist;
    for col in [
        "claim_id",
        "origins_supporting",
        "origins_denying",
        "origins_discussing",
        "score",
        "verdict",
    ] {
        assert!(header.iter().any(|h| h == col), "{col} in {header:?}");
    }
    assert_eq!(rows.len(), 3, "one row per watched claim");
    let row = |id: &str| rows.iter().find(|r| r["claim_id"] == id).unwrap();
    let f = row("fighters");
    // North Press's sources (carried twice, once as a syndicated copy) and Pashinyan
    // support; Ankara denies; Meridian only discusses.
    assert_eq!(f["origins_supporting"], "2", "{f:?}");
    assert_eq!(f["origins_denying"], "1", "{f:?}");
    assert_eq!(f["origins_discussing"], "1", "{f:?}");
    assert_eq!(f["verdict"], "contested");
    assert_eq!(f["reports"], "5");
    assert_eq!(f["first_seen"], "2020-10-01");
    let score: f64 = f["score"].parse().unwrap();
    assert!(score > 0.0 && score < 0.5, "{f:?}");
    let m = row("meteor");
    assert_eq!(m["verdict"], "single-source");
    assert_eq!(m["origins_supporting"], "1");
    let q = row("quiet");
    assert_eq!(q["verdict"], "unverified");
    assert_eq!(q["reports"], "0");
    assert_eq!(q["origins_supporting"], "0");
}

#[test]
fn two_runs_are_byte_identical() {
    let dir = corpus(REPORTS, CLAIMS);
    let a = track(dir.path(), "one");
    let b = track(dir.path(), "two");
    assert_eq!(a.code, Some(0), "{}", a.stderr);
    assert_eq!(a.raw, b.raw);
}

#[test]
fn a_bad_watch_list_is_a_usage_error() {
    for claims in [
        "id,words\nx,Turkey sent fighters\n",
        "claim_id,text\nx,Turkey sent fighters\nx,Baku denied it\n",
        "claim_id,text\n,Turkey sent fighters\n",
    ] {
        let dir = corpus(REPORTS, claims);
        let run = track(dir.path(), "out");
        assert_eq!(run.code, Some(2), "{claims:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("claims.csv"),
            "names the file: {}",
            run.stderr
        );
        assert!(!dir.path().join("out/matches.csv").exists());
    }
}

#[test]
fn empty_and_odd_inputs_do_not_stop_the_run() {
    let reports: &[(&str, &str)] = &[
        ("empty.txt", ""),
        ("binary.txt", "\u{0}\u{1}\u{2}garbage"),
        ("only-title.txt", "Turkey sent Syrian fighters to Azerbaijan\n"),
        ("bad.jsonl", "{not json\n{\"id\": \"j1\", \"text\": \"Baku denied that Turkey sent Syrian fighters to Azerbaijan.\"}\n"),
    ];
    let dir = corpus(
        reports,
        "claim_id,text\nfighters,Turkey sent Syrian fighters to Azerbaijan\nempty,\n",
    );
    let run = track(dir.path(), "out");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.watchlist.1.len(), 2);
    assert!(
        run.matches.1.iter().any(|r| r["report_id"] == "j1"),
        "{:?}",
        run.matches.1
    );
    assert!(
        run.matches.1.iter().all(|r| r["claim_id"] != "empty"),
        "an empty claim matches nothing"
    );
}
