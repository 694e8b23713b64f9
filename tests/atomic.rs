//! Atomic outputs (../shared/SPEC.md, "Outputs"): a run killed with SIGKILL at any point
//! leaves the previous complete outputs in place, byte for byte, and no partial file
//! under an output's name; temporary files a killed run leaves behind are dot-files, and
//! the next run removes them.

mod common;
mod gen;
use common::*;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

const OUTPUTS: [&str; 6] = [
    "reports.csv",
    "claims.csv",
    "clusters.csv",
    "evidence.csv",
    "report.html",
    "summary.json",
];

/// The visible files of an output directory. report.html names its directory; that name
/// is replaced by `OUT` so that outputs written to different directories compare (give
/// them names that cannot occur in the reports).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let dir_name = dir.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let mut bytes = std::fs::read(e.path()).unwrap();
            if name.ends_with(".html") {
                bytes = String::from_utf8(bytes)
                    .unwrap()
                    .replace(&dir_name, "OUT")
                    .into_bytes();
            }
            (name, bytes)
        })
        .collect()
}

fn run_into(input: &Path, out: &Path) {
    let o = run(&[
        "run",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A file's content for comparison across runs: summary.json less its timings, which
/// differ from run to run; any other file as it is.
fn comparable(name: &str, bytes: &[u8]) -> Vec<u8> {
    if name != "summary.json" {
        return bytes.to_vec();
    }
    let mut v: serde_json::Value = serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("summary.json is not whole JSON: {e}"));
    v.as_object_mut().unwrap().remove("timings");
    v.to_string().into_bytes()
}

/// CPU time the process has used so far (user + system), from /proc.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name; utime and stime are 14th and 15th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10)) // USER_HZ is 100 on Linux
}

#[test]
fn sigkill_mid_run_leaves_the_previous_outputs_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let small = tmp.path().join("small");
    let large = tmp.path().join("large");
    gen::corpus(&small, 60, 1);
    gen::corpus(&large, 6000, 2);
    let out = tmp.path().join("out");
    run_into(&small, &out);
    let before = snapshot(&out);
    assert_eq!(before.keys().collect::<Vec<_>>(), {
        let mut v: Vec<&str> = OUTPUTS.to_vec();
        v.sort();
        v
    });

    let mut child = corro()
        .args([
            "run",
            large.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .spawn()
        .unwrap();
    // Busy: it has done real work (a fraction of a second of CPU) but not finished.
    let start = Instant::now();
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the large run finished before it could be killed: make the corpus larger"
        );
        if cpu_time(child.id()).is_some_and(|t| t >= Duration::from_millis(500)) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the run never got busy"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not finished");
    assert_eq!(snapshot(&out), before, "the previous outputs are untouched");
}

#[test]
fn sigkill_at_any_moment_leaves_each_output_whole_and_the_next_run_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    gen::corpus(&a, 40, 3);
    gen::corpus(&b, 250, 4);
    // The two complete sets of outputs: from `a` (before) and from `b` (after).
    let ref_a = tmp.path().join("atomic_ref_a");
    let ref_b = tmp.path().join("atomic_ref_b");
    run_into(&a, &ref_a);
    let t = Instant::now();
    run_into(&b, &ref_b);
    let full = t.elapsed();
    let (old, new) = (snapshot(&ref_a), snapshot(&ref_b));

    // Kill the run from `a`'s outputs to `b`'s at moments spread over its whole length,
    // writing phase included; every file must be wholly old or wholly new.
    let out = tmp.path().join("atomic_out");
    for step in 0..7u32 {
        let _ = std::fs::remove_dir_all(&out);
        run_into(&a, &out);
        let mut child = corro()
            .args([
                "run",
                b.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(full * step / 5);
        let _ = child.kill();
        child.wait().unwrap();
        let now = snapshot(&out);
        assert_eq!(now.len(), OUTPUTS.len(), "step {step}: {:?}", now.keys());
        for (name, bytes) in &now {
            let same = |other: &Vec<u8>| comparable(name, bytes) == comparable(name, other);
            assert!(
                same(&old[name]) || same(&new[name]),
                "step {step}: {name} is neither the old nor the new output"
            );
        }
        // Whatever a killed run left behind is a dot-file, and the next run removes it.
        run_into(&b, &out);
        for (name, bytes) in snapshot(&out) {
            assert_eq!(
                comparable(&name, &bytes),
                comparable(&name, &new[&name]),
                "step {step}: {name}"
            );
        }
        let left: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(
            left.is_empty(),
            "step {step}: temporary files left: {left:?}"
        );
    }
}

#[test]
fn temporary_files_of_a_dead_run_are_removed_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    gen::corpus(&inp, 20, 5);
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // What a run killed while staging leaves: its pid is long gone (pid_max is below it).
    std::fs::write(out.join(".reports.csv.tmp-4194305"), "half a fi").unwrap();
    std::fs::write(out.join(".summary.json.tmp-4194306"), "{").unwrap();
    // A dot-file that is not ours stays.
    std::fs::write(out.join(".keep"), "mine").unwrap();
    run_into(&inp, &out);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<&str> = OUTPUTS.to_vec();
    want.push(".keep");
    want.sort();
    assert_eq!(names, want);
}
