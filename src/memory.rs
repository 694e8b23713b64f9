//! When freed heap memory goes back to the system: held while the corpus is read, returned
//! at once from matching on.
//!
//! corro allocates through mimalloc (see `main.rs`). mimalloc v3 returns ("purges") a
//! freed page to the system `purge_delay` milliseconds after it empties, 1,000 by
//! default. Two costs pull against each other:
//!
//! - **Peak memory.** A run frees large buffers stage after stage; held for a second, they
//!   raised its peak by 15–20% (20k generated reports: 490 → 416 MB when purged at once).
//!   The peak of a large run is in matching (scoring, at 1 GB of input).
//! - **Touching memory again.** Extraction frees each report's working memory as the
//!   next report's is made. Purged at once, every such page goes back to the system and
//!   is faulted in and zeroed again moments later: 1.7–2.1 million page faults in a run
//!   over 1 GB of reports, 750,000 at 160,000 reports. On a virtual machine whose free
//!   memory is handed back to its host (this project's 2-core development machine:
//!   writing 600 MB to a fresh file takes 1.3 s, and 0.11 s when it reuses pages just
//!   freed), a page faulted in again costs ten times a page reused.
//!
//! So the two phases get different settings: while reports are read and extracted, freed
//! pages are held ([`HOLD_MS`]) — that phase's footprint is far below the run's peak —
//! and once they are, every thread's held pages are returned and from then on pages are
//! purged as they empty ([`return_freed_memory`]). Measured on 1 GB of generated reports
//! (docs/performance.md, nineteenth round): 5% less CPU, the same peak.
//!
//! The option is addressed by its index in v3's `mi_option_e` (the crate's bindings name
//! v2's list) and changed only while it reads as v3's default: a reordered list in a
//! future version, or a `MIMALLOC_PURGE_DELAY` set by the user, is left alone (and so is
//! everything after it: [`return_freed_memory`] changes only what [`hold_freed_memory`]
//! set).

use std::sync::atomic::{AtomicBool, Ordering};

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e`.
const PURGE_DELAY: i32 = 15;
/// Its default in v3, in milliseconds.
const V3_DEFAULT_MS: std::ffi::c_long = 1000;
/// How long freed pages are held while the corpus is read (milliseconds): long enough
/// that a page emptied by one report is still there for the next ones. (At 160,000
/// reports, held 100 ms for the whole run: 290,000 page faults; 5,000 ms: 40,000.)
const HOLD_MS: std::ffi::c_long = 5000;

/// Whether this process set the option (and may set it again).
static OURS: AtomicBool = AtomicBool::new(false);

unsafe extern "C" {
    fn mi_option_get(option: i32) -> std::ffi::c_long;
    fn mi_option_set(option: i32, value: std::ffi::c_long);
    fn mi_collect(force: bool);
}

/// Holds freed pages for [`HOLD_MS`]: called first thing in `main`, for the reading.
pub fn hold_freed_memory() {
    // SAFETY: plain option accessors of the linked mimalloc, callable at any time from
    // any thread; mimalloc checks the index.
    unsafe {
        if mi_option_get(PURGE_DELAY) == V3_DEFAULT_MS {
            mi_option_set(PURGE_DELAY, HOLD_MS);
            OURS.store(true, Ordering::Relaxed);
        }
    }
}

/// From now on, pages go back to the system as they empty; the pages held so far go back
/// now, from every thread of the pool (each keeps its own) and this one.
pub fn return_freed_memory() {
    if !OURS.load(Ordering::Relaxed) {
        return;
    }
    // SAFETY: as in hold_freed_memory; `mi_collect` only frees what no allocation uses
    // and may be called from any thread.
    unsafe { mi_option_set(PURGE_DELAY, 0) };
    rayon::broadcast(|_| unsafe { mi_collect(true) });
    unsafe { mi_collect(true) };
}

/// The delay in effect (tests).
#[cfg(test)]
fn purge_delay() -> std::ffi::c_long {
    // SAFETY: as in hold_freed_memory.
    unsafe { mi_option_get(PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Guards the index: if a mimalloc upgrade moves or changes the option, this fails
    /// and the index must be looked up again (or the calls dropped). Then the two
    /// phases, in the order a run takes them. (One test: the option is the process's.)
    #[test]
    fn freed_memory_is_held_while_reading_and_returned_after() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("skipped: MIMALLOC_PURGE_DELAY is set in the environment");
            return;
        }
        assert_eq!(purge_delay(), V3_DEFAULT_MS);
        hold_freed_memory();
        assert_eq!(purge_delay(), HOLD_MS);
        // Held pages of freed allocations on several threads, then all returned.
        let blocks: Vec<Vec<u8>> = (0..64).map(|i| vec![i as u8; 1 << 16]).collect();
        std::thread::spawn(move || drop(blocks)).join().unwrap();
        return_freed_memory();
        assert_eq!(purge_delay(), 0);
        // Set once: a second reading phase (none today) would not hold again, and
        // returning twice is harmless.
        hold_freed_memory();
        assert_eq!(purge_delay(), 0);
        return_freed_memory();
        assert_eq!(purge_delay(), 0);
    }
}
