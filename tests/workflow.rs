//! CI on new data drops (../shared/SPEC.md): `--baseline` and changes.csv, the flags and
//! exit codes `tests/cli.rs` does not cover, `corro explain`, and `--cache`.

mod common;
use common::*;

use std::path::{Path, PathBuf};

const OUTPUTS: &[&str] = &[
    "reports.csv",
    "claims.csv",
    "clusters.csv",
    "evidence.csv",
    "report.html",
];

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of the sample reports in a temporary directory, to add to or take from.
fn sample_copy(dir: &Path) -> PathBuf {
    let to = dir.join("reports");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(root().join("data/sample/reports")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
    to
}

/// `corro run INPUT --lexicons <sample> --out OUT --quiet EXTRA…`
fn run_on(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    run_loud(input, out, &[&["--quiet"], extra].concat())
}

/// [`run_on`] without `--quiet`: stderr has the cache's summary.
fn run_loud(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let lex = root().join("data/sample/lexicons");
    let mut args = vec!["run", s(input), "--lexicons", s(&lex), "--out", s(out)];
    args.extend_from_slice(extra);
    run(&args)
}

fn changes(out: &Path) -> Vec<(String, String)> {
    rows(&out.join("changes.csv"))
        .into_iter()
        .map(|r| (r["change"].clone(), r["cluster_id"].clone()))
        .collect()
}

fn same_outputs(a: &Path, b: &Path) {
    for f in OUTPUTS {
        let x = std::fs::read(a.join(f)).unwrap();
        let y = std::fs::read(b.join(f)).unwrap();
        // report.html names its output directory; compare it without that.
        let (x, y) = if *f == "report.html" {
            let strip = |v: Vec<u8>, d: &Path| {
                String::from_utf8(v)
                    .unwrap()
                    .replace(&html_escape_path(d), "DIR")
            };
            (strip(x, a).into_bytes(), strip(y, b).into_bytes())
        } else {
            (x, y)
        };
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn html_escape_path(p: &Path) -> String {
    p.display().to_string().replace('&', "&amp;")
}

// ---- --baseline and changes.csv ---------------------------------------------------------

#[test]
fn a_run_against_its_own_baseline_reports_no_changes() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    assert!(run_sample(&old, &[]).status.success());
    let new = dir.path().join("new");
    let o = run_sample(
        &new,
        &["--baseline", s(&old), "--fail-on", "changed,new_contested"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(new.join("changes.csv")).unwrap(),
        "change,cluster_id,label,old_verdict,new_verdict,old_value,new_value\n"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(new.join("summary.json")).unwrap()).unwrap();
    assert!(summary["timings"]["baseline_ms"].is_u64(), "{summary}");
    assert!(summary["timings"]["html_ms"].is_u64(), "{summary}");
}

#[test]
fn without_a_baseline_there_is_no_changes_file() {
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample(out.path(), &[]).status.success());
    assert!(!out.path().join("changes.csv").exists());
}

#[test]
fn adding_a_report_with_a_new_claim_adds_only_that_claim() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    assert!(run_sample(&old, &[]).status.success());
    let input = sample_copy(dir.path());
    std::fs::write(
        input.join("15_new_claim.txt"),
        "outlet: Tarsk Herald\ndate: 2031-03-12\n\nTurkey sends drones to Libya, minister says\n\n\
         Turkish defence minister Hulusi Akar said on Friday that Turkey had sent armed drones to Libya.\n",
    )
    .unwrap();
    let new = dir.path().join("new");
    let o = run_on(
        &input,
        &new,
        &["--baseline", s(&old), "--fail-on", "new_contested"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let claims = rows(&new.join("claims.csv"));
    let mut ids: Vec<String> = claims
        .iter()
        .filter(|c| c["report_id"] == "15_new_claim.txt")
        .map(|c| c["cluster_id"].clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert!(!ids.is_empty(), "the new report has claims");
    let want: Vec<(String, String)> = ids.into_iter().map(|id| ("new".into(), id)).collect();
    assert_eq!(changes(&new), want);
    let row = &rows(&new.join("changes.csv"))[0];
    assert_eq!(row["old_verdict"], "");
    assert_eq!(row["new_verdict"], "single-source");
}

#[test]
fn adding_the_denials_changes_the_verdict_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample_copy(dir.path());
    let held_back = dir.path().join("held_back");
    std::fs::create_dir(&held_back).unwrap();
    for f in ["05_tarsk_herald_denial.txt", "14_wire_digest.jsonl"] {
        std::fs::rename(input.join(f), held_back.join(f)).unwrap();
    }
    let old = dir.path().join("old");
    assert!(run_on(&input, &old, &[]).status.success());
    for f in ["05_tarsk_herald_denial.txt", "14_wire_digest.jsonl"] {
        std::fs::rename(held_back.join(f), input.join(f)).unwrap();
    }
    let new = dir.path().join("new");
    let o = run_on(
        &input,
        &new,
        &["--baseline", s(&old), "--fail-on", "new_contested"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "a claim became contested: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("new_contested"), "{}", stderr(&o));
    // The denials contest two claims that had no denial before: the deployment (an event
    // claim) and the $2,000 a month (a money claim); nothing else changes.
    let clusters = rows(&new.join("clusters.csv"));
    let kind_of = |id: &str| {
        clusters
            .iter()
            .find(|r| r["cluster_id"] == id)
            .map(|r| r["kind"].clone())
            .unwrap_or_default()
    };
    let mut got: Vec<(String, String, String, String)> = rows(&new.join("changes.csv"))
        .into_iter()
        .map(|r| {
            (
                r["change"].clone(),
                kind_of(&r["cluster_id"]),
                r["old_verdict"].clone(),
                r["new_verdict"].clone(),
            )
        })
        .collect();
    got.sort();
    let want = |a: &str, b: &str, x: &str, y: &str| {
        (a.to_string(), b.to_string(), x.to_string(), y.to_string())
    };
    assert_eq!(
        got,
        [
            want("verdict", "event", "corroborated", "contested"),
            want("verdict", "money", "single-source", "contested")
        ]
    );
    for r in rows(&new.join("changes.csv")) {
        let now = clusters
            .iter()
            .find(|c| c["cluster_id"] == r["cluster_id"])
            .expect("changed cluster exists");
        assert_eq!(now["verdict"], "contested");
    }
    // And back: removing them again is a verdict change the other way, and `changed`
    // fails the run while `new_contested` does not.
    let back = dir.path().join("back");
    for f in ["05_tarsk_herald_denial.txt", "14_wire_digest.jsonl"] {
        std::fs::remove_file(input.join(f)).unwrap();
    }
    let o = run_on(
        &input,
        &back,
        &["--baseline", s(&new), "--fail-on", "new_contested"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run_on(
        &input,
        &back,
        &["--baseline", s(&new), "--fail-on", "changed"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let mut back_changes: Vec<(String, String)> = rows(&back.join("changes.csv"))
        .into_iter()
        .map(|r| (r["old_verdict"].clone(), r["new_verdict"].clone()))
        .collect();
    back_changes.sort();
    assert_eq!(
        back_changes,
        [
            ("contested".to_string(), "corroborated".to_string()),
            ("contested".to_string(), "single-source".to_string())
        ]
    );
}

#[test]
fn removing_every_report_makes_every_cluster_gone() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    assert!(run_sample(&old, &[]).status.success());
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let new = dir.path().join("new");
    let o = run_on(&empty, &new, &["--baseline", s(&old)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let old_ids: Vec<(String, String)> = rows(&old.join("clusters.csv"))
        .into_iter()
        .map(|r| ("gone".to_string(), r["cluster_id"].clone()))
        .collect();
    assert!(!old_ids.is_empty());
    assert_eq!(changes(&new), old_ids);
}

#[test]
fn a_missing_baseline_is_a_usage_error_that_says_what_is_expected() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let missing = dir.path().join("no-such-run");
    let o = run_sample(&out, &["--baseline", s(&missing)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("no-such-run") && err.contains("clusters.csv"),
        "{err}"
    );
    assert!(err.contains("earlier `corro run`"), "{err}");
    assert!(!out.exists(), "nothing is written on a usage error");
}

#[test]
fn a_baseline_that_is_not_a_run_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("bogus");
    std::fs::create_dir(&bogus).unwrap();
    std::fs::write(bogus.join("clusters.csv"), "a,b\n1,2\n").unwrap();
    std::fs::write(bogus.join("evidence.csv"), "a,b\n1,2\n").unwrap();
    let o = run_sample(&dir.path().join("out"), &["--baseline", s(&bogus)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("clusters.csv"), "{}", stderr(&o));
}

#[test]
fn change_conditions_without_a_baseline_are_a_usage_error() {
    for cond in ["changed", "new_contested"] {
        let dir = tempfile::tempdir().unwrap();
        let o = run_sample(&dir.path().join("out"), &["--fail-on", cond]);
        assert_eq!(o.status.code(), Some(2), "{cond}");
        assert!(stderr(&o).contains("--baseline"), "{}", stderr(&o));
        assert!(stderr(&o).contains(cond), "{}", stderr(&o));
    }
}

#[test]
fn the_committed_sample_baseline_reads_as_a_baseline() {
    // Whether it is *current* is checked by .ci/run (it changes when extraction does;
    // scripts/update-sample-baseline.sh rewrites it); here: it is a complete run.
    let b = root().join("data/sample/baseline");
    for f in ["reports.csv", "claims.csv", "clusters.csv", "evidence.csv"] {
        assert!(b.join(f).exists(), "data/sample/baseline/{f} is committed");
    }
    let dir = tempfile::tempdir().unwrap();
    let o = run_sample(dir.path(), &["--baseline", s(&b)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("changes.csv").exists());
}

// ---- other flags and exit codes -----------------------------------------------------------

#[test]
fn thread_counts_give_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    let o = run_sample(&one, &["--threads", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run_sample(&two, &["--threads", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    same_outputs(&one, &two);
}

#[test]
fn a_thread_count_that_is_not_a_number_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_sample(dir.path(), &["--threads", "many"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--threads"), "{}", stderr(&o));
}

#[test]
fn a_broken_lexicon_is_a_usage_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let lex = dir.path().join("lex");
    std::fs::create_dir(&lex).unwrap();
    std::fs::write(
        lex.join("entities.csv"),
        "alias,canonical,type\nMars,Mars,planet\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let reports = root().join("data/sample/reports");
    let o = run(&[
        "run",
        s(&reports),
        "--lexicons",
        s(&lex),
        "--out",
        s(&out),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("entities.csv"), "{}", stderr(&o));
    assert!(!out.exists());
    // Not UTF-8 at all: the same.
    std::fs::write(lex.join("entities.csv"), b"alias\xff\xfe\n").unwrap();
    let o = run(&["run", s(&reports), "--lexicons", s(&lex), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("entities.csv"), "{}", stderr(&o));
}

#[test]
fn without_a_terminal_there_is_no_progress_bar_even_without_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let reports = root().join("data/sample/reports");
    let lex = root().join("data/sample/lexicons");
    let o = run(&[
        "run",
        s(&reports),
        "--lexicons",
        s(&lex),
        "--out",
        s(dir.path()),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    // Only corro's own one-line notes: no bar, no carriage returns, no escape codes.
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(err.lines().all(|l| l.starts_with("corro: ")), "{err}");
}

#[test]
fn help_shows_examples_and_every_run_flag() {
    let o = run(&["--help"]);
    assert!(o.status.success());
    let top = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        top.contains("Examples:") && top.contains("corro explain"),
        "{top}"
    );
    let o = run(&["run", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout).into_owned();
    for flag in [
        "--out",
        "--lexicons",
        "--fail-on",
        "--strict",
        "--threads",
        "--quiet",
        "--baseline",
        "--cache",
        "Examples:",
        "Exit codes",
    ] {
        assert!(help.contains(flag), "run --help lacks {flag}: {help}");
    }
    let o = run(&["explain", "--help"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Examples:"));
}

#[test]
fn version_is_printed() {
    let o = run(&["--version"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("corro "));
}

// ---- corro explain ------------------------------------------------------------------------

#[test]
fn explain_accounts_for_every_cluster_from_its_evidence() {
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample(out.path(), &[]).status.success());
    let clusters = rows(&out.path().join("clusters.csv"));
    let evidence = rows(&out.path().join("evidence.csv"));
    assert!(!clusters.is_empty());
    for c in &clusters {
        let id = &c["cluster_id"];
        let o = run(&["explain", id, "--out", s(out.path())]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains(&c["label"]), "label of {id}:\n{text}");
        assert!(
            text.contains(&format!("Verdict  {}", c["verdict"])),
            "{text}"
        );
        let score_line = text
            .lines()
            .find(|l| l.trim_start().starts_with("score = "))
            .unwrap_or_else(|| panic!("no arithmetic:\n{text}"));
        let got: f64 = score_line.rsplit("= ").next().unwrap().parse().unwrap();
        let want: f64 = c["score"].parse().unwrap();
        assert!((got - want).abs() < 5e-4, "{score_line} vs {want}");
        assert!(!text.contains("NOTE:"), "{text}");
        for e in evidence_of(&evidence, id) {
            assert!(text.contains(&e["quote"]), "quote missing: {}", e["quote"]);
            assert!(
                text.contains(&e["origin"]),
                "origin missing: {}",
                e["origin"]
            );
        }
        for section in ["How the score follows", "Copies", "Series"] {
            assert!(text.contains(section), "{section}:\n{text}");
        }
    }
}

#[test]
fn explain_names_copies() {
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample(out.path(), &[]).status.success());
    let reports = rows(&out.path().join("reports.csv"));
    let copy = reports
        .iter()
        .find(|r| !r["copy_family"].is_empty() && r["copy_family"] != r["report_id"])
        .expect("the sample has a syndicated copy");
    let claims = rows(&out.path().join("claims.csv"));
    let cluster = &claims
        .iter()
        .find(|c| c["report_id"] == copy["report_id"])
        .unwrap()["cluster_id"];
    let o = run(&["explain", cluster, "--out", s(out.path())]);
    let text = String::from_utf8(o.stdout).unwrap();
    // And how much text the two share, from the evidence note.
    let line = text
        .lines()
        .find(|l| {
            l.contains(&format!(
                "{} ({}) is a copy of {}",
                copy["report_id"], copy["outlet"], copy["copy_family"]
            ))
        })
        .unwrap_or_else(|| panic!("no copy line in {text}"));
    assert!(line.ends_with("% shared text"), "{line}");
}

#[test]
fn explain_takes_a_unique_prefix() {
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample(out.path(), &[]).status.success());
    let id = rows(&out.path().join("clusters.csv"))[0]["cluster_id"].clone();
    let o = run(&["explain", &id[..8], "--out", s(out.path())]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with(&format!("Cluster {id}")));
}

#[test]
fn explain_of_an_unknown_cluster_says_where_ids_are() {
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample(out.path(), &[]).status.success());
    let o = run(&["explain", "cdeadbeef0000", "--out", s(out.path())]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("no cluster \"cdeadbeef0000\""), "{err}");
    assert!(
        err.contains("clusters.csv") && err.contains("cut -d, -f1"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    // An empty id is not a prefix of everything.
    let o = run(&["explain", "", "--out", s(out.path())]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn explain_without_a_run_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["explain", "c1", "--out", s(dir.path())]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("clusters.csv"), "{}", stderr(&o));
}

// ---- --cache ------------------------------------------------------------------------------

/// The sample plus the awkward cases: a duplicate id across files, an empty file.
fn awkward_corpus(dir: &Path) -> PathBuf {
    let input = sample_copy(dir);
    std::fs::write(
        input.join("15_dup.jsonl"),
        "{\"id\": \"digest-1\", \"outlet\": \"Lune Daily\", \"text\": \"Valdoria denied sending fighters to Kestria.\"}\n",
    )
    .unwrap();
    std::fs::write(input.join("16_empty.txt"), "").unwrap();
    input
}

fn cache_entries(cache: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    let mut stack = vec![cache.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

#[test]
fn cached_runs_are_byte_identical_to_uncached_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = awkward_corpus(dir.path());
    let cache = dir.path().join("cache");
    let plain = dir.path().join("plain");
    let cold = dir.path().join("cold");
    let warm = dir.path().join("warm");
    assert!(run_on(&input, &plain, &[]).status.success());
    let o = run_on(&input, &cold, &["--cache", s(&cache)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !cache_entries(&cache).is_empty(),
        "the cold run fills the cache"
    );
    // Without --quiet, the cache says what it saved.
    let o = run_loud(&input, &warm, &["--cache", s(&cache)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("reused") && stderr(&o).contains(" 0 read afresh"),
        "{}",
        stderr(&o)
    );
    same_outputs(&plain, &cold);
    same_outputs(&plain, &warm);
    // summary.json says what the cache did (and has no `cache` without one).
    let files = std::fs::read_dir(&input).unwrap().count();
    let cache_of = |out: &Path| {
        let j: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
        j.get("cache").cloned()
    };
    assert_eq!(cache_of(&plain), None);
    let counts = |reused: usize, afresh: usize| {
        Some(serde_json::json!({ "reused": reused, "read_afresh": afresh, "unreadable": 0 }))
    };
    assert_eq!(cache_of(&cold), counts(0, files));
    assert_eq!(cache_of(&warm), counts(files, 0));
    let dup = rows(&warm.join("reports.csv"))
        .into_iter()
        .find(|r| r["path"].starts_with("15_dup.jsonl"))
        .unwrap();
    assert_eq!(
        dup["status"], "error",
        "a duplicate id is still caught with a warm cache"
    );
}

#[test]
fn a_new_drop_reads_only_its_new_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample_copy(dir.path());
    let cache = dir.path().join("cache");
    assert!(
        run_on(&input, &dir.path().join("a"), &["--cache", s(&cache)])
            .status
            .success()
    );
    std::fs::write(
        input.join("15_new.txt"),
        "outlet: Tarsk Herald\n\nTurkish defence minister Hulusi Akar said Turkey had sent armed drones to Libya.\n",
    )
    .unwrap();
    let out = dir.path().join("b");
    let o = run_loud(&input, &out, &["--cache", s(&cache)]);
    assert!(o.status.success());
    let files = std::fs::read_dir(&input).unwrap().count();
    assert!(
        stderr(&o).contains(&format!("{} file(s) reused, 1 read afresh", files - 1)),
        "{}",
        stderr(&o)
    );
}

#[test]
fn other_lexicons_never_reuse_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let reports = root().join("data/sample/reports");
    assert!(
        run_on(&reports, &dir.path().join("a"), &["--cache", s(&cache)])
            .status
            .success()
    );
    let out = dir.path().join("b");
    // Shipped lexicons only this time: every file must be read afresh.
    let o = run(&["run", s(&reports), "--out", s(&out), "--cache", s(&cache)]);
    assert!(o.status.success());
    assert!(stderr(&o).contains(": 0 file(s) reused"), "{}", stderr(&o));
    let o = run(&[
        "run",
        s(&reports),
        "--out",
        s(&out),
        "--cache",
        s(&cache),
        "--max-report-bytes",
        "100000",
    ]);
    assert!(
        stderr(&o).contains(": 0 file(s) reused"),
        "other limits: {}",
        stderr(&o)
    );
}

#[test]
fn a_corrupt_cache_entry_is_recomputed_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let input = awkward_corpus(dir.path());
    let cache = dir.path().join("cache");
    let plain = dir.path().join("plain");
    assert!(run_on(&input, &plain, &["--cache", s(&cache)])
        .status
        .success());
    let entries = cache_entries(&cache);
    assert!(entries.len() >= 3);
    // Three kinds of damage: truncated, garbage, one flipped byte in the body.
    std::fs::write(&entries[0], &std::fs::read(&entries[0]).unwrap()[..10]).unwrap();
    std::fs::write(&entries[1], b"\x00\xff not an entry").unwrap();
    let mut b = std::fs::read(&entries[2]).unwrap();
    let n = b.len() - 3;
    b[n] ^= 0x20;
    std::fs::write(&entries[2], b).unwrap();
    let again = dir.path().join("again");
    let o = run_on(&input, &again, &["--cache", s(&cache)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).matches("ignoring unreadable entry").count(),
        3,
        "{}",
        stderr(&o)
    );
    same_outputs(&plain, &again);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(again.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["cache"]["unreadable"], 3, "{summary}");
    assert_eq!(summary["cache"]["read_afresh"], 3, "{summary}");
    // Rewritten: the next run is clean.
    let o = run_on(&input, &dir.path().join("third"), &["--cache", s(&cache)]);
    assert!(!stderr(&o).contains("unreadable"), "{}", stderr(&o));
}

#[test]
fn cache_prune_keeps_only_what_the_run_used() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample_copy(dir.path());
    let cache = dir.path().join("cache");
    let files = std::fs::read_dir(&input).unwrap().count();
    assert!(
        run_on(&input, &dir.path().join("a"), &["--cache", s(&cache)])
            .status
            .success()
    );
    assert_eq!(cache_entries(&cache).len(), files);
    // One file leaves the corpus and one changes: their old entries are unused now.
    let mut names: Vec<PathBuf> = std::fs::read_dir(&input)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    std::fs::remove_file(&names[0]).unwrap();
    let mut changed = std::fs::read(&names[1]).unwrap();
    changed.extend_from_slice(b"\n");
    std::fs::write(&names[1], changed).unwrap();

    // Without --cache-prune nothing is deleted: the changed file adds an entry.
    assert!(
        run_on(&input, &dir.path().join("b"), &["--cache", s(&cache)])
            .status
            .success()
    );
    assert_eq!(cache_entries(&cache).len(), files + 1);

    let pruned = dir.path().join("c");
    let o = run_loud(&input, &pruned, &["--cache", s(&cache), "--cache-prune"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("pruned 2 unused entr(ies)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(cache_entries(&cache).len(), files - 1);
    // What is left is exactly what the corpus needs: all reused, same outputs.
    let plain = dir.path().join("plain");
    assert!(run_on(&input, &plain, &[]).status.success());
    same_outputs(&plain, &pruned);
    let o = run_loud(&input, &dir.path().join("d"), &["--cache", s(&cache)]);
    assert!(
        stderr(&o).contains(&format!("{} file(s) reused, 0 read afresh", files - 1)),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cache_prune_without_a_cache_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_sample(&dir.path().join("out"), &["--cache-prune"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--cache"), "{}", stderr(&o));
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn an_unusable_cache_directory_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "not a directory").unwrap();
    let o = run_sample(&dir.path().join("out"), &["--cache", s(&file)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--cache"), "{}", stderr(&o));
}
