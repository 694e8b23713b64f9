//! Every input the fuzzer ever crashed on (`fuzz/crashes/TARGET/*.bin`) now passes its
//! target's checks, and a short deterministic fuzzing run of each target finds nothing.

use std::path::Path;
use std::time::Duration;

use corro_fuzz::{Fuzzer, Target};

#[test]
fn saved_crashes_no_longer_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crashes");
    let mut seen = 0;
    for t in Target::ALL {
        let Ok(rd) = std::fs::read_dir(root.join(t.name())) else {
            continue;
        };
        let mut paths: Vec<_> = rd.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            let input = std::fs::read(&p).unwrap();
            if let Err(e) = t.check(&input) {
                panic!("{}: {e}", p.display());
            }
            seen += 1;
        }
    }
    eprintln!("{seen} saved crash inputs replayed");
}

#[test]
fn a_short_run_of_every_target_finds_no_crash() {
    for t in Target::ALL {
        let mut f = Fuzzer::new(t, 42);
        let s = f.run_for(Duration::from_millis(300), None);
        assert!(s.execs > 0, "{}", t.name());
        assert!(s.found.is_empty(), "{}: {:?}", t.name(), s.found);
    }
}
