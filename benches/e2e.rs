//! End-to-end throughput of `corro run` on a small generated corpus: the real release
//! binary, the real files. `cargo bench --bench e2e` writes 2,000 reports with
//! `corro gen` (deterministic, seed 1) into a temporary directory, then times whole runs
//! of `corro run` on them; divan reports bytes/s of report text.
//!
//! This is the quick, repeatable half of the end-to-end benchmark; the sizes that show
//! scaling and memory (100 MB, 1 GB, N -> 4N, N -> 2N at 200,000 reports) are in
//! `scripts/bench-e2e.sh`, which takes minutes.

use std::path::{Path, PathBuf};
use std::process::Command;

use divan::counter::BytesCount;

const REPORTS: &str = "2000";

fn main() {
    divan::main();
}

fn corro() -> Command {
    Command::new(env!("CARGO_BIN_EXE_corro"))
}

/// The generated corpus, written once per bench process.
fn corpus() -> &'static (tempfile::TempDir, u64) {
    static CORPUS: std::sync::OnceLock<(tempfile::TempDir, u64)> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let status = corro()
            .args([
                "gen",
                "--reports",
                REPORTS,
                "--seed",
                "1",
                "--format",
                "jsonl",
                "--out",
            ])
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .status()
            .expect("corro gen runs");
        assert!(status.success(), "corro gen failed");
        let bytes = size(&dir.path().join("reports"));
        (dir, bytes)
    })
}

fn size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .expect("reports dir")
        .filter_map(Result::ok)
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn run_2000_reports(b: divan::Bencher) {
    let (dir, bytes) = corpus();
    let out: PathBuf = dir.path().join("out");
    b.counter(BytesCount::new(*bytes)).bench(|| {
        let status = corro()
            .arg("run")
            .arg(dir.path().join("reports"))
            .arg("--lexicons")
            .arg(dir.path().join("lexicons"))
            .arg("--out")
            .arg(&out)
            .arg("--quiet")
            .status()
            .expect("corro run runs");
        assert!(status.success());
    });
}
