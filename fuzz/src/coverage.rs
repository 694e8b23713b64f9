//! Coverage feedback from LLVM's sanitizer-coverage inline 8-bit counters.
//!
//! Built with `-C passes=sancov-module -C llvm-args=-sanitizer-coverage-level=3
//! -C llvm-args=-sanitizer-coverage-inline-8bit-counters` (all stable flags), every edge
//! of the instrumented code increments a byte counter, and each module announces its
//! counters at start-up through [`__sanitizer_cov_8bit_counters_init`]. The fuzzer
//! zeroes the counters before an input and asks [`novel`] afterwards whether any counter
//! reached a hit-count class (1, 2, 3, 4–7, 8–15, 16–31, 32–127, 128+) never seen before.
//!
//! Without those flags no module registers, [`available`] is false, and the fuzzer runs
//! without feedback. Single-threaded by design: the fuzzer runs one input at a time.

use std::sync::Mutex;

struct Regions {
    /// (start, len) of each registered counter array.
    arrays: Vec<(usize, usize)>,
    /// Per counter, the hit-count classes seen so far.
    virgin: Vec<u8>,
}

static REGIONS: Mutex<Regions> = Mutex::new(Regions {
    arrays: Vec::new(),
    virgin: Vec::new(),
});

/// Called by the instrumented modules' constructors. Several modules may announce the
/// same (linker-merged) section; each array is registered once.
///
/// # Safety
///
/// `start..stop` must be a live counter array that stays valid for the whole program,
/// as LLVM's instrumentation guarantees.
#[no_mangle]
pub unsafe extern "C" fn __sanitizer_cov_8bit_counters_init(start: *mut u8, stop: *mut u8) {
    let (s, e) = (start as usize, stop as usize);
    if e <= s {
        return;
    }
    let Ok(mut r) = REGIONS.lock() else { return };
    if r.arrays.iter().any(|&(a, _)| a == s) {
        return;
    }
    r.arrays.push((s, e - s));
    let total = r.virgin.len() + (e - s);
    r.virgin.resize(total, 0);
}

/// True when the binary was built with coverage counters.
pub fn available() -> bool {
    REGIONS
        .lock()
        .map(|r| !r.arrays.is_empty())
        .unwrap_or(false)
}

/// Zeroes every counter.
pub fn reset() {
    let Ok(r) = REGIONS.lock() else { return };
    for &(s, n) in &r.arrays {
        // SAFETY: registered by the instrumentation as a live array of `n` counters.
        unsafe { std::ptr::write_bytes(s as *mut u8, 0, n) };
    }
}

fn class(hits: u8) -> u8 {
    match hits {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 4,
        4..=7 => 8,
        8..=15 => 16,
        16..=31 => 32,
        32..=127 => 64,
        _ => 128,
    }
}

/// True when the last input reached a counter class not seen before (and records it).
pub fn novel() -> bool {
    let Ok(mut guard) = REGIONS.lock() else {
        return false;
    };
    let r = &mut *guard;
    let mut new = false;
    let mut base = 0;
    for &(s, n) in &r.arrays {
        // SAFETY: as in `reset`; read-only view of the live counters.
        let counters = unsafe { std::slice::from_raw_parts(s as *const u8, n) };
        // Most counters are zero: skip them eight at a time.
        for (w, chunk) in counters.chunks(8).enumerate() {
            if chunk.iter().fold(0u8, |a, &c| a | c) == 0 {
                continue;
            }
            for (i, &c) in chunk.iter().enumerate() {
                if c != 0 {
                    let k = class(c);
                    let v = &mut r.virgin[base + w * 8 + i];
                    if *v & k == 0 {
                        *v |= k;
                        new = true;
                    }
                }
            }
        }
        base += n;
    }
    new
}

/// How many counters have been seen non-zero so far.
pub fn seen() -> usize {
    REGIONS
        .lock()
        .map(|r| r.virgin.iter().filter(|&&v| v != 0).count())
        .unwrap_or(0)
}
