//! Bad input never aborts the run and never loses a report (../shared/SPEC.md, "Errors"):
//! one directory holding every malformed case the contract names, run through the real
//! binary, and the limits (`--max-report-bytes`, `--max-decompressed-bytes`,
//! `--max-line-bytes`) each enforced without a crash.
//!
//! Inputs are generated here, at test time, rather than committed as binary fixtures.

mod common;
use common::*;

use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Output;

const GOOD: &str = "Omer Celik said Turkey sent 150 Syrian fighters to Azerbaijan.\n";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn jsonl_line(id: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "text": text }).to_string() + "\n"
}

/// Asserts the run survived: no panic, a known exit code.
fn survived(o: &Output) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "corro panicked:\n{err}");
    assert_ne!(o.status.code(), Some(101), "corro panicked:\n{err}");
    assert!(
        o.status.code().is_some(),
        "corro killed by a signal:\n{err}"
    );
}

fn row<'a>(reports: &'a [Row], path: &str) -> &'a Row {
    reports
        .iter()
        .find(|r| r["path"] == path)
        .unwrap_or_else(|| panic!("no reports.csv row for {path}: {reports:#?}"))
}

/// An error row for `path`, whose note names `named` (the file, with its line where it
/// has one) and says `why`; and a stderr line naming it.
fn error_row(reports: &[Row], err: &str, path: &str, named: &str, why: &str) {
    let r = row(reports, path);
    assert_eq!(r["status"], "error", "{path}: {r:?}");
    assert!(
        r["note"].contains(named),
        "{path}: note does not name {named}: {r:?}"
    );
    assert!(
        r["note"].to_lowercase().contains(why),
        "{path}: note does not say {why:?}: {r:?}"
    );
    assert!(
        err.lines().any(|l| l.contains(named)),
        "no stderr line names {named}:\n{err}"
    );
}

/// Builds the directory of bad inputs; returns whether chmod 000 makes a file
/// unreadable for this user (it does not for root, as in CI).
fn bad_corpus(dir: &Path) -> bool {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    w("good.txt", GOOD.as_bytes());
    // Windows-1252: smart quotes and an e-acute, invalid as UTF-8.
    w(
        "cp1252.txt",
        b"The minister said \x93about 150 fighters\x94 arrived in the caf\xe9 district.\n",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Azerbaijan denied that Turkey sent 150 fighters.\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    w("utf16.txt", &utf16);
    w("empty.txt", b"");
    w("blank.md", b"  \n\n\t \n");
    w(
        "binary.txt",
        b"\x7FELF\x02\x01\x01\x00\x00\x00\x00\x00binary\x00\x00",
    );
    // A malformed JSONL line among good ones.
    let mixed =
        jsonl_line("j1", GOOD) + "{\"id\": \"j2\", \"text\": broken\n" + &jsonl_line("j3", GOOD);
    w("mixed.jsonl", mixed.as_bytes());
    // A ragged CSV row (line 3) among good ones.
    w(
        "ragged.csv",
        format!(
            "id,text\nc1,\"{}\"\nc2,one,too many\nc3,\"{}\"\n",
            GOOD.trim(),
            GOOD.trim()
        )
        .as_bytes(),
    );
    // An unterminated quote opening on line 3: the row before it is still read.
    w(
        "unterminated.csv",
        format!(
            "id,text\nu1,\"{}\"\nu2,\"never closed\nu3,more\n",
            GOOD.trim()
        )
        .as_bytes(),
    );
    // Duplicate ids: within one file, and across files.
    w(
        "dup_a.jsonl",
        (jsonl_line("dup", GOOD) + &jsonl_line("dup", GOOD)).as_bytes(),
    );
    w("dup_b.jsonl", jsonl_line("dup", GOOD).as_bytes());
    // A truncated gzip.
    let gz = gzip(GOOD.repeat(200).as_bytes());
    w("truncated.txt.gz", &gz[..gz.len() / 2]);
    // A gzip bomb: 3 MB of text in a few KB, over --max-decompressed-bytes 2 MB.
    w("bomb.txt.gz", &gzip(&vec![b'a'; 3 << 20]));
    // A symlink loop.
    std::fs::create_dir(dir.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("loop/up")).unwrap();
    // Symbolic links are followed: to a file, to a directory (both outside the corpus),
    // and one to nothing.
    let outside = dir.parent().unwrap().join("outside");
    std::fs::create_dir_all(outside.join("dir")).unwrap();
    std::fs::write(outside.join("report.txt"), GOOD).unwrap();
    std::fs::write(outside.join("dir/inside.txt"), GOOD).unwrap();
    std::os::unix::fs::symlink(outside.join("report.txt"), dir.join("linked.txt")).unwrap();
    std::os::unix::fs::symlink(outside.join("dir"), dir.join("linked_dir")).unwrap();
    std::os::unix::fs::symlink(outside.join("gone.txt"), dir.join("dangling.txt")).unwrap();
    // A file name that is not valid UTF-8.
    let name = std::ffi::OsStr::from_bytes(b"name_\xff.txt");
    std::fs::write(dir.join(name), GOOD).unwrap();
    // An unreadable file.
    use std::os::unix::fs::PermissionsExt;
    let locked = dir.join("locked.txt");
    std::fs::write(&locked, GOOD).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::File::open(&locked).is_err()
}

#[test]
fn every_malformed_case_becomes_a_row_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    let unreadable = bad_corpus(&inp);
    let out = tmp.path().join("out");
    let args = [
        "run",
        inp.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--max-decompressed-bytes",
        "2000000",
    ];
    let o = run(&args);
    survived(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let reports = rows(&out.join("reports.csv"));

    // Good reports come through, in good files and beside bad lines in bad files.
    for p in [
        "good.txt",
        "mixed.jsonl:1",
        "mixed.jsonl:3",
        "ragged.csv:2",
        "ragged.csv:4",
        "unterminated.csv:2",
        "dup_a.jsonl:1",
    ] {
        let r = row(&reports, p);
        assert_eq!(r["status"], "ok", "{p}: {r:?}");
        assert_ne!(
            r["claims"], "0",
            "{p}: the good report's claim is extracted: {r:?}"
        );
    }

    // Decodable but not UTF-8: read, with a note saying how.
    let r = row(&reports, "cp1252.txt");
    assert_eq!(r["status"], "ok", "{r:?}");
    assert!(r["note"].contains("windows-1252"), "{r:?}");
    let r = row(&reports, "utf16.txt");
    assert_eq!(r["status"], "ok", "{r:?}");
    assert!(r["note"].contains("UTF-16"), "{r:?}");
    assert_ne!(r["claims"], "0", "UTF-16 text is read as text: {r:?}");

    error_row(&reports, &err, "empty.txt", "empty.txt", "empty");
    error_row(&reports, &err, "blank.md", "blank.md", "empty");
    error_row(&reports, &err, "binary.txt", "binary.txt", "binary");
    error_row(
        &reports,
        &err,
        "mixed.jsonl:2",
        "mixed.jsonl:2",
        "malformed json",
    );
    error_row(&reports, &err, "ragged.csv:3", "ragged.csv:3", "3 fields");
    error_row(
        &reports,
        &err,
        "unterminated.csv:3",
        "unterminated.csv:3",
        "unterminated",
    );
    error_row(
        &reports,
        &err,
        "dup_a.jsonl:2",
        "dup_a.jsonl:2",
        "duplicate id",
    );
    error_row(
        &reports,
        &err,
        "dup_b.jsonl:1",
        "dup_b.jsonl:1",
        "duplicate id",
    );
    error_row(
        &reports,
        &err,
        "truncated.txt.gz",
        "truncated.txt.gz",
        "truncated",
    );
    error_row(
        &reports,
        &err,
        "bomb.txt.gz",
        "bomb.txt.gz",
        "more than 2000000 bytes",
    );
    error_row(&reports, &err, "loop/up", "loop/up", "symlink loop");
    for linked in ["linked.txt", "linked_dir/inside.txt"] {
        assert_eq!(row(&reports, linked)["status"], "ok", "{linked}");
    }
    error_row(
        &reports,
        &err,
        "dangling.txt",
        "dangling.txt",
        "no such file",
    );

    let r = row(&reports, "name_\u{FFFD}.txt");
    assert_eq!(r["status"], "ok", "{r:?}");
    assert!(r["note"].contains("not valid UTF-8"), "{r:?}");

    if unreadable {
        error_row(
            &reports,
            &err,
            "locked.txt",
            "locked.txt",
            "permission denied",
        );
    } else {
        // Root reads chmod 000 files: then the file is simply read.
        assert_eq!(row(&reports, "locked.txt")["status"], "ok");
    }

    // Every row is accounted for in summary.json.
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["reports"]["total"], reports.len());
    let errors = reports.iter().filter(|r| r["status"] == "error").count();
    assert_eq!(summary["reports"]["error"], errors);

    let mut strict = args.to_vec();
    strict.push("--strict");
    let o = run(&strict);
    survived(&o);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(
        rows(&out.join("reports.csv")),
        reports,
        "--strict writes the same outputs"
    );
}

/// Peak resident memory of a child process in bytes, sampled from /proc until it exits
/// (VmHWM is a high-water mark, so the last sample taken is the peak up to then).
fn run_measuring_peak(args: &[&str]) -> (Output, Option<u64>) {
    let child = corro()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peak = None;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(s) = std::fs::read_to_string(&status) {
                    if let Some(kb) = s
                        .lines()
                        .find_map(|l| l.strip_prefix("VmHWM:"))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                    {
                        peak = Some(kb * 1024);
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            peak
        })
    };
    let o = child.wait_with_output().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    (o, sampler.join().unwrap())
}

#[test]
fn a_50_mb_line_over_max_line_bytes_is_an_error_row_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    const SIZE: usize = 50 << 20;
    let mut huge = Vec::with_capacity(SIZE + 200);
    huge.extend_from_slice(jsonl_line("small", GOOD).as_bytes());
    huge.extend_from_slice(b"{\"id\": \"huge\", \"text\": \"");
    while huge.len() < SIZE {
        huge.extend_from_slice(b"about 150 fighters arrived. ");
    }
    huge.extend_from_slice(b"\"}\n");
    huge.extend_from_slice(jsonl_line("after", GOOD).as_bytes());
    std::fs::write(inp.join("huge.jsonl"), &huge).unwrap();
    // The same 50 MB as one line of a text report: truncated to --max-report-bytes.
    let text = &huge[..SIZE];
    std::fs::write(inp.join("huge.txt"), text).unwrap();
    drop(huge);
    let out = tmp.path().join("out");
    let (o, peak) = run_measuring_peak(&[
        "run",
        inp.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--threads",
        "1",
        "--max-line-bytes",
        "1000000",
        "--max-report-bytes",
        "100000",
    ]);
    survived(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let reports = rows(&out.join("reports.csv"));
    error_row(
        &reports,
        &err,
        "huge.jsonl:2",
        "huge.jsonl:2",
        "longer than 1000000 bytes",
    );
    assert_eq!(row(&reports, "huge.jsonl:1")["status"], "ok");
    assert_eq!(row(&reports, "huge.jsonl:3")["status"], "ok");
    let t = row(&reports, "huge.txt");
    assert_eq!(t["status"], "ok", "{t:?}");
    assert!(t["note"].contains("truncated to 100000 bytes"), "{t:?}");
    // Two 50 MB files, read one after the other on one thread: the file's bytes and at
    // most a couple of working copies of one of them, never many.
    let peak = peak.expect("the child's memory was sampled at least once");
    assert!(
        peak < 4 * SIZE as u64,
        "peak resident memory {} MB for 50 MB inputs",
        peak >> 20
    );
}

#[test]
fn max_report_bytes_truncates_on_a_character_boundary_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    // "é" is two bytes: a limit of 8 falls inside the fifth one.
    std::fs::write(inp.join("accents.txt"), "ééééééééé Turkey sent fighters.").unwrap();
    std::fs::write(
        inp.join("rows.jsonl"),
        jsonl_line("long", &"Turkey sent 150 fighters. ".repeat(10)),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = run(&[
        "run",
        inp.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--max-report-bytes",
        "9",
    ]);
    survived(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reports = rows(&out.join("reports.csv"));
    for p in ["accents.txt", "rows.jsonl:1"] {
        let r = row(&reports, p);
        assert_ne!(r["status"], "error", "{r:?}");
        assert!(r["note"].contains("truncated to"), "{p}: {r:?}");
    }
    assert!(row(&reports, "accents.txt")["note"].contains("truncated to 8 bytes"));
}

#[test]
fn max_decompressed_bytes_refuses_bombs_and_oversized_plain_files() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    // Each file's content is 3,000 bytes; the limit is 2,500 (report limit below it).
    let body = GOOD.repeat(3000 / GOOD.len() + 1);
    std::fs::write(
        inp.join("bomb.jsonl.gz"),
        gzip(jsonl_line("b", &body).as_bytes()),
    )
    .unwrap();
    std::fs::write(inp.join("plain.txt"), &body).unwrap();
    std::fs::write(inp.join("small.txt.gz"), gzip(GOOD.as_bytes())).unwrap();
    let out = tmp.path().join("out");
    let o = run(&[
        "run",
        inp.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--max-decompressed-bytes",
        "2500",
        "--max-report-bytes",
        "1000",
    ]);
    survived(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let reports = rows(&out.join("reports.csv"));
    error_row(
        &reports,
        &err,
        "bomb.jsonl.gz",
        "bomb.jsonl.gz",
        "more than 2500 bytes",
    );
    error_row(
        &reports,
        &err,
        "plain.txt",
        "plain.txt",
        "larger than 2500 bytes",
    );
    assert_eq!(row(&reports, "small.txt.gz")["status"], "ok");
}
