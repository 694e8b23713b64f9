//! The stance model against FNC-1, story-disjoint, through the real binary.
//!
//! Needs `../shared/fnc1-train` beside the repository; without it the tests say so and
//! pass (the data is not ours to ship).
//!
//! - `cargo test --release --test eval`: the whole training split, 5 story folds, with
//!   the contract's floors: FNC-1 score ≥ 80% and macro-F1 ≥ 0.60.
//! - `cargo test --test eval` (debug, where training is ~30× slower): a quarter of the
//!   stories (`--fraction 0.25`, chosen by hash, so still story-disjoint) with floors
//!   for that subsample: FNC-1 ≥ 70% and macro-F1 ≥ 0.55. A quarter of the stories keeps
//!   a quarter of the related pairs but only about a sixteenth of the unrelated ones
//!   (both sides of a pair must be kept), and trains on a quarter of the data, so the
//!   full-data floors do not apply; the numbers at the time of writing were 72.4% and
//!   0.579.

use std::path::PathBuf;
use std::process::Command;

fn data() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fnc1-train");
    if dir.join("stances.csv").exists() && dir.join("bodies.csv").exists() {
        Some(dir)
    } else {
        println!("skipped: {} not found", dir.display());
        None
    }
}

fn eval(dir: &std::path::Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_corro"))
        .args(["eval", "stance", "--stances"])
        .arg(dir.join("stances.csv"))
        .arg("--bodies")
        .arg(dir.join("bodies.csv"))
        .args(extra)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn number_after(out: &str, label: &str) -> f64 {
    let line = out
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} in\n{out}"));
    line[label.len()..]
        .trim()
        .trim_end_matches("% of maximum")
        .parse()
        .unwrap_or_else(|_| panic!("{line:?}"))
}

#[test]
fn fnc1_story_disjoint_floors() {
    let Some(dir) = data() else { return };
    let (fraction, min_fnc, min_f1) = if cfg!(debug_assertions) {
        ("0.25", "70", "0.55")
    } else {
        ("1", "80", "0.60")
    };
    let (code, out, err) = eval(
        &dir,
        &[
            "--fraction",
            fraction,
            "--min-fnc",
            min_fnc,
            "--min-macro-f1",
            min_f1,
        ],
    );
    println!("{out}");
    assert_eq!(code, Some(0), "below the floors:\n{out}\n{err}");
    // The report carries everything an analyst needs to judge it.
    for label in ["F1 agree:", "F1 disagree:", "F1 discuss:", "F1 unrelated:"] {
        let f = number_after(&out, label);
        assert!((0.0..=1.0).contains(&f), "{label} {f}");
    }
    assert!(out.contains("confusion (rows truth, columns predicted)"));
    let fnc = number_after(&out, "FNC-1 score:");
    assert!(fnc >= min_fnc.parse::<f64>().unwrap());
}

#[test]
fn an_unreachable_floor_exits_1() {
    let Some(dir) = data() else { return };
    // A tiny subsample keeps this quick; no model reaches 100%.
    let (code, _, err) = eval(&dir, &["--fraction", "0.05", "--min-fnc", "100"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("below the floor"), "{err}");
}

#[test]
fn bad_labels_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bodies.csv"),
        "Body ID,articleBody\n1,Turkey sent Syrian fighters to Azerbaijan.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("stances.csv"),
        "Headline,Body ID,Stance\nTurkey sent fighters,1,maybe\n",
    )
    .unwrap();
    let (code, _, err) = eval(dir.path(), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("unknown stance \"maybe\""), "{err}");
}
