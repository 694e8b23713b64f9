//! Flags and exit codes (../shared/SPEC.md, "CI on new data drops").

mod common;
use common::*;

#[test]
fn a_clean_run_exits_zero() {
    let out = tempfile::tempdir().unwrap();
    let o = run_sample(out.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn fail_on_a_condition_that_occurs_exits_one_after_writing() {
    let out = tempfile::tempdir().unwrap();
    let o = run_sample(out.path(), &["--fail-on", "contested"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("contested") || stderr(&o).contains("Contested"));
    assert!(
        out.path().join("clusters.csv").exists(),
        "outputs are written before failing"
    );
}

#[test]
fn fail_on_a_condition_that_does_not_occur_exits_zero() {
    let out = tempfile::tempdir().unwrap();
    let o = run_sample(out.path(), &["--fail-on", "input_error"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn unknown_fail_on_condition_is_a_usage_error() {
    let out = tempfile::tempdir().unwrap();
    let o = run_sample(out.path(), &["--fail-on", "contested,bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bogus"), "{}", stderr(&o));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let o = run(&["run", "x", "--out", "y", "--frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn missing_out_is_a_usage_error() {
    let o = run(&["run", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out"));
}

#[test]
fn input_errors_exit_three_only_with_strict() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("good.txt"),
        "Omer Celik said Turkey sent Syrian fighters to Azerbaijan.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let out = dir.path().join("out");
    let args = [
        "run",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("empty.txt"),
        "stderr names the file: {}",
        stderr(&o)
    );
    let mut strict = args.to_vec();
    strict.push("--strict");
    let o = run(&strict);
    assert_eq!(o.status.code(), Some(3));
    let reports = rows(&out.join("reports.csv"));
    let empty = reports
        .iter()
        .find(|r| r["path"] == "empty.txt")
        .expect("the bad file has a row");
    assert_eq!(empty["status"], "error");
    assert!(empty["note"].contains("empty.txt"));
}

#[test]
fn unwritable_output_exits_four() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let out = blocker.join("out");
    let o = run_sample(&out, &[]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
}

#[test]
fn quantities_prints_the_contract_columns() {
    let mut c = corro();
    c.arg("quantities")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"nothing here\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "line,start,end,text,kind,value_low,value_high,approx,unit,per"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_read_with_a_note_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("latin1.txt"),
        b"Omer Celik said Turkey sent Syrian fighters to Azerbaijan. Caf\xe9 owners fled.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "run",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("latin1.txt") && stderr(&o).contains("windows-1252"),
        "{}",
        stderr(&o)
    );
    let r = &rows(&out.join("reports.csv"))[0];
    assert_eq!(r["status"], "ok");
    assert!(r["note"].contains("windows-1252"), "{}", r["note"]);
    assert!(
        r["claims"].parse::<usize>().unwrap() > 0,
        "its claims are still read"
    );
}
