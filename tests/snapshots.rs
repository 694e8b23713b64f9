//! Snapshot tests of the whole sample run: any change to what an analyst would read in the
//! CSVs shows up as a reviewable diff (`INSTA_UPDATE=always cargo test --test snapshots`
//! rewrites them after a deliberate change; review with `git diff tests/snapshots`).

mod common;
use common::*;

#[test]
fn sample_run_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run_sample(&out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for file in ["reports.csv", "claims.csv", "clusters.csv", "evidence.csv"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        insta::assert_snapshot!(file, text);
    }
}
