//! Byte-identical outputs whatever the number of threads (../shared/SPEC.md, "Outputs"):
//! RAYON_NUM_THREADS 1, 2 and 8, on the bundled sample and on a generated corpus with
//! copies, relays, quantities and denials.

mod common;
mod gen;
use common::*;

use std::path::Path;

const FILES: [&str; 4] = ["reports.csv", "claims.csv", "clusters.csv", "evidence.csv"];

/// summary.json without its timings, which are the one thing allowed to vary.
fn summary_without_timings(dir: &Path) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("timings");
    v
}

/// Runs `corro ARGS` with 1, 2 and 8 threads, asserts identical outputs, and returns the
/// output directory of the first run.
fn assert_same_for_any_thread_count(args: &[&str]) -> tempfile::TempDir {
    let mut outs = Vec::new();
    for threads in ["1", "2", "8"] {
        let dir = tempfile::tempdir().unwrap();
        let mut c = corro();
        c.env("RAYON_NUM_THREADS", threads).args(args).args([
            "--out",
            dir.path().to_str().unwrap(),
            "--quiet",
        ]);
        let o = c.output().unwrap();
        assert!(o.status.success(), "{threads} threads: {}", stderr(&o));
        outs.push((threads, dir));
    }
    let (_, first) = &outs[0];
    for file in FILES {
        let a = std::fs::read(first.path().join(file)).unwrap();
        assert!(
            a.iter().filter(|&&b| b == b'\n').count() > 1,
            "{file} has rows"
        );
        for (threads, o) in &outs[1..] {
            let b = std::fs::read(o.path().join(file)).unwrap();
            if a != b {
                let line = a
                    .split(|&x| x == b'\n')
                    .zip(b.split(|&x| x == b'\n'))
                    .position(|(x, y)| x != y);
                panic!("{file} differs between 1 and {threads} threads (first at line {line:?})");
            }
        }
    }
    for (threads, o) in &outs[1..] {
        assert_eq!(
            summary_without_timings(first.path()),
            summary_without_timings(o.path()),
            "summary.json differs between 1 and {threads} threads"
        );
        // report.html, where written, names its (temporary) output directory.
        let html = |d: &Path| {
            let name = d.file_name().unwrap().to_string_lossy().into_owned();
            std::fs::read_to_string(d.join("report.html"))
                .ok()
                .map(|h| h.replace(&name, "OUT"))
        };
        assert!(
            html(first.path()) == html(o.path()),
            "report.html differs between 1 and {threads} threads"
        );
    }
    outs.swap_remove(0).1
}

#[test]
fn the_sample_is_byte_identical_for_1_2_and_8_threads() {
    let reports = root().join("data/sample/reports");
    let lex = root().join("data/sample/lexicons");
    let _ = assert_same_for_any_thread_count(&[
        "run",
        reports.to_str().unwrap(),
        "--lexicons",
        lex.to_str().unwrap(),
    ]);
}

#[test]
fn a_generated_corpus_is_byte_identical_for_1_2_and_8_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    gen::corpus(&inp, 2000, 9);
    let dir = assert_same_for_any_thread_count(&["run", inp.to_str().unwrap()]);
    // The corpus is what it claims to be: copies, relays, quantities and denials.
    let reports = rows(&dir.path().join("reports.csv"));
    assert_eq!(reports.len(), 2000);
    assert!(
        reports.iter().any(|r| !r["relayed_via"].is_empty()),
        "relays"
    );
    assert!(
        reports.iter().any(|r| r["copy_family"] != r["report_id"]),
        "copies"
    );
    let claims = rows(&dir.path().join("claims.csv"));
    assert!(claims.iter().any(|c| c["stance"] == "denies"), "denials");
    assert!(claims.iter().any(|c| c["kind"] == "money"), "money");
    assert!(
        claims
            .iter()
            .any(|c| c["kind"] == "count" && c["approx"] == "true"),
        "hedged counts"
    );
}
