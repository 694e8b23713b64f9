//! Helpers that keep each integration test a few lines long: run the real `corro`
//! binary, read its CSV outputs as rows keyed by column name.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub type Row = BTreeMap<String, String>;

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout, if present. Tests that need it print why they skip.
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    p.is_dir().then_some(p)
}

/// Prints a skip reason and returns `None` when `../shared/<sub>` is absent.
pub fn shared_or_skip(sub: &str) -> Option<PathBuf> {
    match shared().map(|s| s.join(sub)).filter(|p| p.exists()) {
        Some(p) => Some(p),
        None => {
            eprintln!(
                "skipped: ../shared/{sub} not found (tests that need the shared data run in CI)"
            );
            None
        }
    }
}

pub fn corro() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_corro"));
    c.env_remove("RAYON_NUM_THREADS");
    c
}

/// Runs `corro ARGS`, returning the output (never panics on a non-zero exit).
pub fn run(args: &[&str]) -> Output {
    corro().args(args).output().expect("corro runs")
}

/// Generates a corpus of `reports` reports with `corro gen` into `dir/gen` (`gen_args`:
/// its layout flags) and runs `corro run` on it, with its lexicons, into `dir/out`
/// (`run_args`: more flags). Panics if either fails; returns the generated and the
/// output directory.
pub fn gen_and_run(
    dir: &Path,
    reports: usize,
    seed: u64,
    gen_args: &[&str],
    run_args: &[&str],
) -> (PathBuf, PathBuf) {
    let (gen, out) = (dir.join("gen"), dir.join("out"));
    let (n, seed) = (reports.to_string(), seed.to_string());
    let mut args = vec![
        "gen",
        "--reports",
        &n,
        "--seed",
        &seed,
        "--out",
        gen.to_str().unwrap(),
    ];
    args.extend_from_slice(gen_args);
    let g = run(&args);
    assert!(g.status.success(), "{}", stderr(&g));
    let (reports_dir, lex) = (gen.join("reports"), gen.join("lexicons"));
    let mut args = vec![
        "run",
        reports_dir.to_str().unwrap(),
        "--lexicons",
        lex.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(run_args);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    (gen, out)
}

/// Runs `corro run INPUT --out OUT --quiet` and asserts it succeeded.
pub fn run_ok(input: &Path, out: &Path) {
    let o = run(&[
        "run",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Runs `corro run` on the bundled sample into `out`, with its lexicon extension.
pub fn run_sample(out: &Path, extra: &[&str]) -> Output {
    let reports = root().join("data/sample/reports");
    let lex = root().join("data/sample/lexicons");
    let mut args = vec![
        "run".to_string(),
        reports.display().to_string(),
        "--lexicons".into(),
        lex.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--quiet".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    corro().args(&args).output().expect("corro runs")
}

/// Reads a CSV output as rows.
pub fn rows(path: &Path) -> Vec<Row> {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().expect("header").clone();
    rdr.records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

pub fn header(path: &Path) -> Vec<String> {
    let mut rdr = csv::Reader::from_path(path).expect("csv");
    rdr.headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect()
}

pub fn num(row: &Row, col: &str) -> Option<f64> {
    row.get(col).and_then(|v| v.parse().ok())
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The claims rows whose sentence contains `needle`.
pub fn claims_with<'a>(claims: &'a [Row], needle: &str) -> Vec<&'a Row> {
    claims
        .iter()
        .filter(|r| r["text"].contains(needle))
        .collect()
}

pub fn cluster<'a>(clusters: &'a [Row], id: &str) -> &'a Row {
    clusters
        .iter()
        .find(|c| c["cluster_id"] == id)
        .unwrap_or_else(|| panic!("no cluster {id}"))
}

/// The evidence rows of a cluster.
pub fn evidence_of<'a>(evidence: &'a [Row], id: &str) -> Vec<&'a Row> {
    evidence.iter().filter(|e| e["cluster_id"] == id).collect()
}

/// The origins on one side of a cluster, from its counted evidence rows.
pub fn origins(evidence: &[Row], id: &str, stance: &str) -> Vec<String> {
    let mut v: Vec<String> = evidence_of(evidence, id)
        .into_iter()
        .filter(|e| e["stance"] == stance && e["weight"] != "0")
        .map(|e| e["origin"].clone())
        .collect();
    v.sort();
    v.dedup();
    v
}
