//! `corro eval attribution` through the real binary: a run's claim origins scored
//! against hand-labelled sentences, and the FNC-1 labels in `tests/eval/` held to the
//! floor CI uses (skipped, saying so, without `../shared/fnc1-train`).

mod common;

use common::*;

/// Writes a one-report corpus, runs corro on it and returns the claims.csv path.
fn run_one(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let reports = dir.join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    std::fs::write(reports.join("a.txt"), text).unwrap();
    let out = dir.join("out");
    run_ok(&reports, &out);
    out.join("claims.csv")
}

/// `corro eval attribution` on `labels` and `claims` with `extra` flags.
fn eval_output(
    labels: &std::path::Path,
    claims: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "eval",
        "attribution",
        "--labels",
        labels.to_str().unwrap(),
        "--claims",
        claims.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// (exit code, stdout) of [`eval_output`].
fn eval(
    labels: &std::path::Path,
    claims: &std::path::Path,
    extra: &[&str],
) -> (Option<i32>, String) {
    let o = eval_output(labels, claims, extra);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn labelled_sentences_are_scored_and_the_floor_is_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let first = "Rep. Dana Holt said 300 fighters were sent to Kestria.";
    let second = "Witnesses said 40 fighters were killed in Kestria.";
    let claims = run_one(dir.path(), &format!("{first} {second}\n"));
    let labels = dir.path().join("labels.csv");
    let start2 = first.len() + 1;
    std::fs::write(
        &labels,
        format!(
            "report_id,sentence,start,origin\n\
             a.txt,0,0,Dana Holt\n\
             a.txt,1,{start2},(anonymous) via (report)\n"
        ),
    )
    .unwrap();
    let (code, out) = eval(&labels, &claims, &["--min-accuracy", "1"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("accuracy 1.0000 (2 of 2 sentences right"),
        "{out}"
    );

    // A wrong label is listed with --errors, and the floor fails the run (exit 1).
    std::fs::write(
        &labels,
        format!(
            "report_id,sentence,start,origin\n\
             a.txt,0,0,Lena Strand\n\
             a.txt,1,{start2},(report)\n"
        ),
    )
    .unwrap();
    let (code, out) = eval(&labels, &claims, &["--min-accuracy", "0.5", "--errors"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("Wrong: report a.txt sentence 0 (byte 0): want Lena Strand; got Dana Holt"),
        "{out}"
    );
    assert!(out.contains("Spurious: report a.txt sentence 1"), "{out}");
    assert!(
        out.contains(
            "accuracy 0.0000 (0 of 2 sentences right; missed 0, spurious 1, wrong 1, unscored 0)"
        ),
        "{out}"
    );
}

#[test]
fn a_label_file_without_its_columns_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let claims = run_one(
        dir.path(),
        "Rep. Dana Holt said 300 fighters were sent to Kestria.\n",
    );
    let labels = dir.path().join("labels.csv");
    std::fs::write(&labels, "report_id,origin\na.txt,Dana Holt\n").unwrap();
    let o = eval_output(&labels, &claims, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("labels.csv"), "{}", stderr(&o));
}

/// The three FNC-1 sets (development, held-out, fresh), through `corro run` and the
/// evaluation, above the floors CI holds them to.
#[test]
fn fnc1_attribution_holds_its_floor() {
    let Some(fnc) = shared_or_skip("fnc1-train") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&fnc.join("bodies.csv"), &out);
    for (set, floor) in [
        ("fnc1-attribution.csv", "0.76"),
        ("fnc1-attribution-test.csv", "0.67"),
        ("fnc1-attribution-fresh.csv", "0.65"),
    ] {
        let (code, stdout) = eval(
            &root().join("tests/eval").join(set),
            &out.join("claims.csv"),
            &["--min-accuracy", floor],
        );
        assert_eq!(code, Some(0), "{set}: {stdout}");
    }
}
