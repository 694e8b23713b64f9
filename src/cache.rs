//! Incremental runs (`--cache DIR`): each input file's extraction result, kept on disk
//! so that a new data drop pays only for its new files.
//!
//! An entry holds everything [`corpus::Extracted`] carries for every report read from one
//! input file. Its key is an xxh3-128 hash of
//!
//! - the **fingerprint** of the program and its settings: corro's version, the bytes of
//!   the running executable (so a rebuilt binary never reads a cache written by another),
//!   the lexicon texts in effect (shipped and `--lexicons` files) and the `--max-*` limits;
//! - the file's **name** as the run sees it (report ids and paths are derived from it);
//! - the file's **bytes**.
//!
//! A stale entry is therefore never *found*, rather than detected: nothing is invalidated.
//! Nothing is evicted during a run either; with `--cache-prune`, once a run's outputs are
//! in place, every entry the run neither read nor wrote is deleted ([`Cache::prune`]), so
//! a cache that one corpus owns stays the size of that corpus's latest run.
//!
//! Entries live at `DIR/v2/KK/KEY.bin` (KK: the key's first two hex digits), one file per
//! input file. An entry starts with the line `corro-cache 5`, then the xxh3-64 checksum of
//! the rest (8 bytes, little-endian), then a compact binary encoding of the reports,
//! described in the on-disk section below. (Layout v1 was JSON, in `DIR/v1/`, and is never
//! read. `corro-cache 3` entries, in `DIR/v2/` too, listed each mention's concept names in
//! full, and `corro-cache 4` ones held 64 copy-signature minima of 32 bits where there
//! are now 128 of 16; the binaries that wrote them had other keys, so they are never
//! found, and `--cache-prune` deletes them.) Floats are stored as their bit patterns, so
//! a cached run's outputs are byte-identical to an uncached one. Entries are written to a
//! temporary file and renamed into place, so a crash never leaves half an entry; an entry
//! that is nevertheless unreadable (bad checksum, truncated, or a bad value behind a good
//! checksum) is reported on stderr, recomputed and rewritten — never trusted, never
//! fatal. Decoding checks every length against the bytes that remain, so no damaged entry
//! can make it panic or allocate more than the entry's size warrants.
//!
//! A hit costs reading the input file (to hash it), reading the entry and decoding it;
//! the reports of one entry are decoded and reduced in parallel, as an uncached run
//! extracts them, each concept name of a report interned once.
//!
//! This module does not decide *what* is extracted: a miss calls the same
//! `corro_parse::read_source` and [`corpus::extract_report`] as an uncached run. Nor does
//! it cache matching: clusters depend on the whole corpus and are always recomputed.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use corro_claims::{
    ClaimKind, Lexicons, Mention, Quantity, QuantityKind, Speaker, SpeakerKind, Stance,
};
use corro_match::Signature;
use corro_parse::{Limits, Metadata, Status};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::corpus::{self, Extracted, Extraction, Found, Raw, Shared};

/// Layout version of the entries; part of the directory name so that a new layout never
/// meets an old file.
const LAYOUT: &str = "v2";
/// The first bytes of every entry of this layout (a line, so `head -1` tells what it is).
const MAGIC: &[u8] = b"corro-cache 5\n";

/// An open cache directory and what this run did with it.
pub struct Cache {
    dir: PathBuf,
    fingerprint: u128,
    pub hits: AtomicUsize,
    pub misses: AtomicUsize,
    pub corrupt: AtomicUsize,
    /// Set after the first failed write, so a full disk is reported once, not per file.
    write_failed: AtomicBool,
    /// The key of every entry this run read or wrote (one per input file), for
    /// [`Cache::prune`].
    used: Mutex<Vec<u128>>,
}

/// What a run did with the cache, file by file: `summary.json`'s `cache`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Files whose entry was found and used.
    pub reused: usize,
    /// Files read, parsed and extracted (and stored): no entry, or an unreadable one.
    pub read_afresh: usize,
    /// Of those, files whose entry was there but unreadable.
    pub unreadable: usize,
}

/// What [`Cache::prune`] deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub entries: usize,
    pub bytes: u64,
}

impl Cache {
    /// Opens (creating) `dir` for a run with these lexicons and limits.
    pub fn open(dir: &Path, lexicons: Option<&Path>, limits: &Limits) -> Result<Cache, String> {
        let root = dir.join(LAYOUT);
        fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
        let exe = std::env::current_exe()
            .and_then(fs::read)
            // Without the executable's bytes a rebuilt binary could read entries written by
            // another build; refusing the cache is the only safe answer.
            .map_err(|e| format!("cannot read the running executable to key the cache: {e}"))?;
        let mut h = Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&xxh3_64(&exe).to_le_bytes());
        for (name, shipped) in crate::lexicons::SHIPPED {
            h.update(name.as_bytes());
            h.update(&(shipped.len() as u64).to_le_bytes());
            h.update(shipped.as_bytes());
            if let Some(p) = lexicons.map(|d| d.join(name)).filter(|p| p.exists()) {
                let user = fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                h.update(&(user.len() as u64).to_le_bytes());
                h.update(&user);
            } else {
                h.update(&u64::MAX.to_le_bytes());
            }
        }
        h.update(&(limits.max_report_bytes as u64).to_le_bytes());
        h.update(&limits.max_decompressed_bytes.to_le_bytes());
        h.update(&(limits.max_line_bytes as u64).to_le_bytes());
        Ok(Cache {
            dir: root,
            fingerprint: h.digest128(),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            corrupt: AtomicUsize::new(0),
            write_failed: AtomicBool::new(false),
            used: Mutex::new(Vec::new()),
        })
    }

    fn key(&self, name: &str, bytes: &[u8]) -> u128 {
        let mut h = Xxh3::new();
        h.update(&self.fingerprint.to_le_bytes());
        h.update(&(name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(bytes);
        h.digest128()
    }

    /// The directory of this layout's entries (`DIR/v2`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Notes that this run reads or writes the entry `key`: [`Cache::prune`] keeps it.
    fn used(&self, key: u128) {
        // A poisoned lock (a thread panicked while pushing) still holds every key pushed.
        self.used
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(key);
    }

    /// Deletes every entry of this layout that this run neither read nor wrote — entries
    /// of files no longer in the corpus or since changed, and of other corro builds,
    /// lexicons or limits — and the temporary files of interrupted writes. Call it once
    /// the run is over (no entry is being written). Files whose names are not an entry's
    /// or a temporary file's are left alone, as are other layouts' directories and the
    /// directories themselves, but for shard directories left empty.
    ///
    /// Deleting is safe for any run that shares the directory: a missing entry is a miss,
    /// and a temporary file deleted under a writer makes its rename fail, which that run
    /// notes and survives. It only costs such a run its reuse, which is why pruning is
    /// asked for (`--cache-prune`), not done by default.
    pub fn prune(&self) -> io::Result<Pruned> {
        let mut keep: Vec<u128> = self.used.lock().unwrap_or_else(|p| p.into_inner()).clone();
        keep.sort_unstable();
        let mut pruned = Pruned::default();
        let mut shards: Vec<PathBuf> = Vec::new();
        for e in fs::read_dir(&self.dir)? {
            let e = e?;
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.len() == 2
                && name.bytes().all(|b| b.is_ascii_hexdigit())
                && e.file_type()?.is_dir()
            {
                shards.push(e.path());
            }
        }
        shards.sort();
        for shard in shards {
            for e in fs::read_dir(&shard)? {
                let e = e?;
                if !e.file_type()?.is_file() {
                    continue;
                }
                let name = e.file_name();
                let stale = match entry_name(&name.to_string_lossy()) {
                    Some(Name::Entry(key)) => keep.binary_search(&key).is_err(),
                    Some(Name::Temporary) => true,
                    None => false,
                };
                if stale {
                    let len = e.metadata().map_or(0, |m| m.len());
                    match fs::remove_file(e.path()) {
                        Ok(()) => {
                            pruned.entries += 1;
                            pruned.bytes += len;
                        }
                        // Gone meanwhile (another run pruning): nothing to do.
                        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                        Err(err) => return Err(err),
                    }
                }
            }
            // Only succeeds when the shard is empty; a shard in use stays.
            let _ = fs::remove_dir(&shard);
        }
        Ok(pruned)
    }

    fn path(&self, key: u128) -> PathBuf {
        let hex = format!("{key:032x}");
        self.dir.join(&hex[..2]).join(format!("{hex}.bin"))
    }

    /// The cached reports of one file, reduced for the run (each with the walk's `note`),
    /// or `None` (absent, or unreadable: then noted, and nothing of it used).
    fn load(&self, key: u128, note: Option<&String>, shared: &Shared) -> Option<Vec<Extracted>> {
        let path = self.path(key);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
            Err(e) => {
                self.note_corrupt(&path, &e.to_string());
                return None;
            }
        };
        // The whole entry is decoded before any report of it is reduced: reducing
        // interns names and writes to the run's spill, which a report found damaged
        // later in the entry must not have done.
        match decode_entry(&bytes) {
            // Reduced in parallel, as an uncached run reduces a file's reports. The walk's
            // note depends on the file's name, not its content: added after the cache.
            Ok(reports) => Some(
                reports
                    .into_par_iter()
                    .map(|mut d| {
                        d.row.notes.extend(note.cloned());
                        d.compact(shared)
                    })
                    .collect(),
            ),
            Err(why) => {
                self.note_corrupt(&path, &why);
                None
            }
        }
    }

    fn note_corrupt(&self, path: &Path, why: &str) {
        self.corrupt.fetch_add(1, Ordering::Relaxed);
        eprintln!(
            "corro: cache: ignoring unreadable entry {} ({why}); recomputing it",
            path.display()
        );
    }

    /// Writes an entry atomically; a failure is noted once and otherwise ignored (the
    /// run's outputs never depend on the cache being writable).
    fn store(&self, key: u128, reports: &[Raw]) {
        let path = self.path(key);
        let result = (|| -> io::Result<()> {
            let parent = path.parent().unwrap_or(&self.dir);
            fs::create_dir_all(parent)?;
            let tmp = parent.join(format!(
                ".{key:032x}.tmp-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let mut f = fs::File::create(&tmp)?;
            let written = f.write_all(&encode(reports)).and_then(|_| f.flush());
            drop(f);
            match written.and_then(|_| fs::rename(&tmp, &path)) {
                Ok(()) => Ok(()),
                Err(e) => {
                    let _ = fs::remove_file(&tmp);
                    Err(e)
                }
            }
        })();
        if let Err(e) = result {
            if !self.write_failed.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "corro: cache: cannot write {} ({e}); continuing without storing",
                    path.display()
                );
            }
        }
    }

    /// What this run did with the cache so far.
    pub fn counts(&self) -> Counts {
        Counts {
            reused: self.hits.load(Ordering::Relaxed),
            read_afresh: self.misses.load(Ordering::Relaxed),
            unreadable: self.corrupt.load(Ordering::Relaxed),
        }
    }

    /// One line for stderr: what the cache saved.
    pub fn report(&self) -> String {
        format!(
            "corro: cache: {} file(s) reused, {} read afresh{}",
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
            match self.corrupt.load(Ordering::Relaxed) {
                0 => String::new(),
                n => format!(", {n} unreadable entr(ies) recomputed"),
            }
        )
    }
}

/// What a file in a shard directory is, by its name.
#[derive(Debug, PartialEq, Eq)]
enum Name {
    /// `KEY.bin`: an entry (KEY: 32 lower-case hex digits, as [`Cache::path`] writes).
    Entry(u128),
    /// `.KEY.tmp-…`: an entry being written, or left by a write that never finished.
    Temporary,
}

fn entry_name(name: &str) -> Option<Name> {
    let key = |hex: &str| {
        (hex.len() == 32 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| u128::from_str_radix(hex, 16).ok())
            .flatten()
    };
    if let Some(hex) = name.strip_suffix(".bin") {
        return key(hex).map(Name::Entry);
    }
    let rest = name.strip_prefix('.')?;
    let (hex, tail) = rest.split_at_checked(32)?;
    (key(hex).is_some() && tail.starts_with(".tmp-")).then_some(Name::Temporary)
}

/// Reads one found file through the cache.
fn extract_cached(
    found: &Found,
    limits: &Limits,
    lex: &Lexicons,
    cache: &Cache,
    shared: &Shared,
) -> Vec<Extracted> {
    let Found::File { path, name, note } = found else {
        return corpus::extract_file(found, limits, lex, shared);
    };
    // Same cap as the uncached reader; anything it would refuse (too large, unreadable) is
    // left to it, uncached, so the error row is worded exactly as without the cache.
    let cap = limits
        .max_decompressed_bytes
        .max(limits.max_report_bytes as u64);
    let mut bytes = Vec::new();
    let t = std::time::Instant::now();
    let read = fs::File::open(path).and_then(|f| {
        // A file already over the cap is not read here at all. Otherwise the buffer is
        // sized from the file's length, so it is read in one go rather than into a growing
        // buffer; the cap still holds should the file grow meanwhile.
        let len = f.metadata()?.len();
        if len > cap {
            return Ok(false);
        }
        bytes.reserve_exact(len as usize + 1);
        f.take(cap + 1).read_to_end(&mut bytes)?;
        Ok(bytes.len() as u64 <= cap)
    });
    corpus::clock_read(t);
    if !matches!(read, Ok(true)) {
        return corpus::extract_file(found, limits, lex, shared);
    }
    let key = cache.key(name, &bytes);
    cache.used(key);
    if let Some(reports) = cache.load(key, note.as_ref(), shared) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        return reports;
    }
    cache.misses.fetch_add(1, Ordering::Relaxed);
    // On the bytes hashed above (re-reading could see a file changed in between and
    // cache it under the wrong key).
    let reports = corpus::extract_bytes(name, &bytes, limits, lex, |raw| raw);
    cache.store(key, &reports);
    drop(bytes);
    // Reduced after the entry is written (entries keep the mentions in full), as
    // [`Cache::load`] reduces a cached file's.
    reports
        .into_par_iter()
        .map(|(mut e, mentions)| {
            e.notes.extend(note.iter().cloned());
            corpus::compact((e, mentions), shared)
        })
        .collect()
}

/// [`corpus::read_all`] through the cache: same result, in the same order.
pub fn read_all(
    found: &[Found],
    limits: &Limits,
    lex: &Lexicons,
    cache: &Cache,
    shared: &Shared,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Extracted> {
    let per_file: Vec<Vec<Extracted>> = found
        .par_iter()
        .map(|f| {
            let r = corpus::guarded(f, || extract_cached(f, limits, lex, cache, shared));
            progress(1);
            r
        })
        .collect();
    let mut out = corpus::concat(per_file);
    // Duplicate ids span files, so they are marked after the cache, as an uncached run
    // marks them.
    corpus::mark_duplicates(&mut out);
    out
}

// ---- the on-disk form ------------------------------------------------------------------
//
// A small hand-written binary encoding, written from and read straight into the library
// types. JSON (layout v1) went through mirror structs, parsed every enum from its name and
// was most of a warm run's reading time. A serde format crate (postcard, bincode) would
// not be simpler: the library crates have no serde, so it would still need the mirror
// structs and a second conversion pass; and what such a crate would add — bounds-checked,
// total decoding — is the few lines of `Reader` below, with no dependency to keep current.
//
// Encoding and decoding destructure or build every field of every type (no `..`): a field
// added upstream fails to compile here instead of being silently dropped from cached runs.
//
// An entry is `MAGIC`, the xxh3-64 of the payload (u64, little-endian), then the payload:
//
//   payload   = uint(n) { uint(len) report }*n     each report sized: decoded in parallel
//   report    = uint(len) fields texts
//
// A report is two streams: `fields`, its numbers and tags and the length of each string,
// and `texts`, the bytes of all its strings one after another in the same order — so a
// report's text is checked as UTF-8 once, not string by string (which was a tenth of the
// decoding time: a report has a hundred short concept keys). In `fields`:
//
//   fields    = str(id) str(path) meta uint(sentences) tag(status) strs(notes) signature
//               strs(concepts) uint(n) mention*n
//   meta      = ostr(outlet) strs(relayed_via) date ostr(place) ostr(author) ostr(title)
//               ostr(language) ostr(url)
//   date      = 0 | 1 i16(year) i8(month) i8(day)
//   signature = 0 | 1 u16(mins)*HASHES u32(shingles)
//   mention   = uint(start) uint(end) uint(sentence) text tag(kind) tag(stance) ostr(cue)
//               speaker strs(via) quantity uint(k) uint(concept)*k
//   text      = 0 (the previous mention's, same sentence: shared) | ostr
//   speaker   = 0 | 1 str(text) str(name) tag(kind) ostr(role)
//   quantity  = 0 | 1 uint(start) uint(end) tag(kind) f64opt(low) f64opt(high) bool(approx)
//               ostr(unit) ostr(per)
//
// `concepts` is the report's concept names, each once, in order of first use; a mention
// lists its own (sorted by name, as extracted) by index into it. A report's mentions share
// a third of their names (a sentence's claim concepts, the report's salient ones), so
// the table makes entries 15% smaller and a cached run interns each name once a report.
//
// uint: LEB128 (7 bits a byte, low first); str: uint(len), its bytes in `texts`; ostr: 0
// for none, else uint(len + 1), likewise; strs: uint(n) str*n; f64opt: 0 | 1 u64 (the
// float's bit pattern, so it round-trips exactly); tag, bool: one byte. Fixed-width
// numbers are little-endian.
//
// Decoding is total: every length is checked against the bytes that remain before
// anything is read or allocated, a sequence's capacity is reserved only up to `PREALLOC`
// however large its count, and an unknown tag, bad UTF-8 (or a string ending inside a
// character), a bad date, an overlong number or a trailing byte makes the entry
// unreadable. Nothing from an entry is used before all of it has decoded.

pub type Res<T> = Result<T, String>;

/// The most elements reserved ahead for one sequence; a longer one (or a damaged count)
/// grows as its elements actually decode.
const PREALLOC: usize = 1024;

fn encode(reports: &[Raw]) -> Vec<u8> {
    encode_each(reports.iter().map(|(e, m)| (e, m.as_slice())))
}

/// Report rows whose mentions the run has already taken, in the entry layout: the run
/// sets them aside while it matches ([`decode_rows`] gives them back). Their places in
/// the run's spill (`Extracted::texts`, `Extracted::quotes`) are not kept.
pub fn encode_rows(rows: &[Extracted]) -> Vec<u8> {
    encode_each(rows.iter().map(|e| (e, &[][..])))
}

/// The rows [`encode_rows`] wrote, checked as an entry is.
pub fn decode_rows(bytes: &[u8]) -> Res<Vec<Extracted>> {
    decode(bytes)?
        .into_iter()
        .map(|(e, m)| match m.is_empty() {
            true => Ok(e),
            false => Err("a report row with mentions".into()),
        })
        .collect()
}

fn encode_each<'a>(
    reports: impl ExactSizeIterator<Item = (&'a Extracted, &'a [Extraction])>,
) -> Vec<u8> {
    let mut payload = Vec::with_capacity(4096);
    put_uint(&mut payload, reports.len());
    let mut w = Writer::default();
    let mut head = Vec::new();
    for (e, mentions) in reports {
        w.fields.clear();
        w.texts.clear();
        put_report(&mut w, e, mentions);
        head.clear();
        put_uint(&mut head, w.fields.len());
        put_uint(&mut payload, head.len() + w.fields.len() + w.texts.len());
        payload.extend_from_slice(&head);
        payload.extend_from_slice(&w.fields);
        payload.extend_from_slice(&w.texts);
    }
    let mut out = Vec::with_capacity(MAGIC.len() + 8 + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&xxh3_64(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

fn decode(bytes: &[u8]) -> Res<Vec<Raw>> {
    Ok(decode_entry(bytes)?
        .into_iter()
        .map(Decoded::into_raw)
        .collect())
}

/// Every report of an entry, checked whole before any is used.
fn decode_entry(bytes: &[u8]) -> Res<Vec<Decoded<'_>>> {
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or("not a corro cache entry of this layout")?;
    let mut r = Reader::new(rest);
    let sum = u64::from_le_bytes(r.array()?);
    if xxh3_64(r.fields) != sum {
        return Err("checksum mismatch".into());
    }
    let n = r.len()?;
    let mut parts = Vec::with_capacity(n.min(PREALLOC));
    for _ in 0..n {
        let len = r.len()?;
        parts.push(r.take(len)?);
    }
    r.end()?;
    // A JSONL file's entry holds thousands of reports: decoded in parallel, as an
    // uncached run extracts them. The first error in file order is the one reported.
    let decoded: Vec<Res<Decoded>> = parts.into_par_iter().map(decode_report).collect();
    decoded.into_iter().collect()
}

fn decode_report(part: &[u8]) -> Res<Decoded<'_>> {
    let mut outer = Reader::new(part);
    let n = outer.len()?;
    let fields = outer.take(n)?;
    let texts = std::str::from_utf8(outer.fields).map_err(|_| "text is not UTF-8")?;
    let mut r = Reader { fields, texts };
    let raw = get_report(&mut r)?;
    r.end()?;
    Ok(raw)
}

// -- writing

fn put_uint(out: &mut Vec<u8>, x: usize) {
    put_u64(out, x as u64);
}

fn put_u64(out: &mut Vec<u8>, mut x: u64) {
    while x >= 0x80 {
        out.push(x as u8 | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

/// One report's two streams.
#[derive(Default)]
struct Writer {
    fields: Vec<u8>,
    texts: Vec<u8>,
}

impl Writer {
    fn byte(&mut self, b: u8) {
        self.fields.push(b);
    }

    fn fixed(&mut self, b: &[u8]) {
        self.fields.extend_from_slice(b);
    }

    fn uint(&mut self, x: usize) {
        put_uint(&mut self.fields, x);
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len());
        self.texts.extend_from_slice(s.as_bytes());
    }

    fn ostr(&mut self, s: Option<&str>) {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.uint(s.len() + 1);
                self.texts.extend_from_slice(s.as_bytes());
            }
        }
    }

    fn strs(&mut self, v: &[String]) {
        self.uint(v.len());
        for s in v {
            self.str(s);
        }
    }

    fn f64opt(&mut self, x: Option<f64>) {
        match x {
            None => self.byte(0),
            Some(x) => {
                self.byte(1);
                self.fixed(&x.to_bits().to_le_bytes());
            }
        }
    }
}

fn put_report(w: &mut Writer, e: &Extracted, mentions: &[Extraction]) {
    let Extracted {
        id,
        path,
        meta,
        sentences,
        status,
        notes,
        // Entries are written before the report is reduced: the mentions are in full
        // in `mentions`.
        mentions: _,
        concepts: _,
        signature,
        // Where the run spilled its texts: not the entry's business.
        texts: _,
        quotes: _,
    } = e;
    let Metadata {
        outlet,
        relayed_via,
        published,
        place,
        author,
        title,
        language,
        url,
    } = meta;
    w.str(id);
    w.str(path);
    w.ostr(outlet.as_deref());
    w.strs(relayed_via);
    match published {
        None => w.byte(0),
        Some(d) => {
            w.byte(1);
            w.fixed(&d.year().to_le_bytes());
            w.fixed(&d.month().to_le_bytes());
            w.fixed(&d.day().to_le_bytes());
        }
    }
    w.ostr(place.as_deref());
    w.ostr(author.as_deref());
    w.ostr(title.as_deref());
    w.ostr(language.as_deref());
    w.ostr(url.as_deref());
    w.uint(*sentences);
    w.byte(status_tag(*status));
    w.strs(notes);
    match signature.as_deref() {
        None => w.byte(0),
        Some(Signature { mins, shingles }) => {
            w.byte(1);
            for m in mins {
                w.fixed(&m.to_le_bytes());
            }
            w.fixed(&shingles.to_le_bytes());
        }
    }
    // The report's concepts, each once in order of first use; its mentions list theirs
    // by index. A report's mentions repeat a third of their concept names, and a cached
    // run interns each name once rather than at every mention.
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut table: Vec<&str> = Vec::new();
    for x in mentions {
        for c in &x.mention.concepts {
            index.entry(c).or_insert_with(|| {
                table.push(c);
                table.len() - 1
            });
        }
    }
    w.uint(table.len());
    for c in &table {
        w.str(c);
    }
    w.uint(mentions.len());
    let mut prev: Option<&Extraction> = None;
    for row in mentions {
        put_mention(w, row, prev, &index);
        prev = Some(row);
    }
}

fn put_mention(
    w: &mut Writer,
    row: &Extraction,
    prev: Option<&Extraction>,
    table: &FxHashMap<&str, usize>,
) {
    let Extraction {
        mention,
        start,
        end,
        sentence: text,
    } = row;
    let Mention {
        sentence,
        kind,
        stance,
        cue,
        speaker,
        via,
        quantity,
        concepts,
    } = mention;
    w.uint(*start);
    w.uint(*end);
    w.uint(*sentence);
    // The mentions of one sentence share its text (as extracted): written once.
    match prev {
        Some(p) if p.mention.sentence == *sentence && p.sentence == *text => w.byte(0),
        _ => w.ostr(Some(text)),
    }
    w.byte(claim_kind_tag(*kind));
    w.byte(stance_tag(*stance));
    w.ostr(cue.as_deref());
    match speaker {
        None => w.byte(0),
        Some(Speaker {
            text,
            name,
            kind,
            role,
        }) => {
            w.byte(1);
            w.str(text);
            w.str(name);
            w.byte(speaker_kind_tag(*kind));
            w.ostr(role.as_deref());
        }
    }
    w.strs(via);
    match quantity {
        None => w.byte(0),
        Some(Quantity {
            start,
            end,
            kind,
            low,
            high,
            approx,
            unit,
            per,
        }) => {
            w.byte(1);
            w.uint(*start);
            w.uint(*end);
            w.byte(quantity_kind_tag(*kind));
            w.f64opt(*low);
            w.f64opt(*high);
            w.byte(u8::from(*approx));
            w.ostr(unit.as_deref());
            w.ostr(per.as_deref());
        }
    }
    w.uint(concepts.len());
    for c in concepts {
        w.uint(table[c.as_str()]);
    }
}

// -- reading

/// What is left to read of a report's two streams (or of an entry, `texts` empty). Every
/// method checks that what it reads is there.
struct Reader<'a> {
    fields: &'a [u8],
    texts: &'a str,
}

fn truncated() -> String {
    "truncated".into()
}

impl<'a> Reader<'a> {
    fn new(fields: &'a [u8]) -> Reader<'a> {
        Reader { fields, texts: "" }
    }

    fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let (head, rest) = self.fields.split_at_checked(n).ok_or_else(truncated)?;
        self.fields = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Res<[u8; N]> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn byte(&mut self) -> Res<u8> {
        let (&b, rest) = self.fields.split_first().ok_or_else(truncated)?;
        self.fields = rest;
        Ok(b)
    }

    fn end(&self) -> Res<()> {
        match self.fields.len() + self.texts.len() {
            0 => Ok(()),
            n => Err(format!("{n} trailing byte(s)")),
        }
    }

    fn u64(&mut self) -> Res<u64> {
        let mut x = 0;
        // Ten bytes of seven bits; the tenth holds bit 63 only.
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            if shift == 63 && b > 1 {
                return Err("number too large".into());
            }
            x |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(x);
            }
        }
        Err("number too large".into())
    }

    fn uint(&mut self) -> Res<usize> {
        usize::try_from(self.u64()?).map_err(|_| "number too large".into())
    }

    /// A byte length or an element count (every element takes a byte at least): never
    /// more than the bytes that remain.
    fn len(&mut self) -> Res<usize> {
        let n = self.uint()?;
        if n > self.fields.len() {
            return Err(format!("length {n} beyond the end of the entry"));
        }
        Ok(n)
    }

    fn flag(&mut self) -> Res<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(format!("bad flag {b}")),
        }
    }

    /// The next `n` bytes of `texts`, which must end on a character boundary.
    fn text(&mut self, n: usize) -> Res<&'a str> {
        let (s, rest) = self
            .texts
            .split_at_checked(n)
            .ok_or("a string beyond its report's text, or inside a character")?;
        self.texts = rest;
        Ok(s)
    }

    fn str(&mut self) -> Res<&'a str> {
        let n = self.uint()?;
        self.text(n)
    }

    fn string(&mut self) -> Res<String> {
        self.str().map(str::to_owned)
    }

    /// An `ostr`: `Ok(None)` for 0.
    fn ostr(&mut self) -> Res<Option<&'a str>> {
        match self.uint()? {
            0 => Ok(None),
            n => self.text(n - 1).map(Some),
        }
    }

    fn ostring(&mut self) -> Res<Option<String>> {
        Ok(self.ostr()?.map(str::to_owned))
    }

    fn strings(&mut self) -> Res<Vec<String>> {
        let n = self.len()?;
        let mut v = Vec::with_capacity(n.min(PREALLOC));
        for _ in 0..n {
            v.push(self.string()?);
        }
        Ok(v)
    }

    fn f64opt(&mut self) -> Res<Option<f64>> {
        Ok(match self.flag()? {
            false => None,
            true => Some(f64::from_bits(u64::from_le_bytes(self.array()?))),
        })
    }
}

/// A report as its entry holds it: its mentions without their concepts, which are
/// `table[refs[ends[k]..ends[k + 1]]]` for mention `k` — names borrowed from the entry.
struct Decoded<'a> {
    row: Extracted,
    mentions: Vec<Extraction>,
    table: Vec<&'a str>,
    refs: Vec<u32>,
    ends: Vec<usize>,
}

impl Decoded<'_> {
    /// The report with each mention's concept names in place, as extracted.
    fn into_raw(mut self) -> Raw {
        for (k, x) in self.mentions.iter_mut().enumerate() {
            let refs = &self.refs[self.ends[k]..self.ends[k + 1]];
            x.mention.concepts = refs
                .iter()
                .map(|&i| self.table[i as usize].to_owned())
                .collect();
        }
        (self.row, self.mentions)
    }

    /// The report reduced for the run, as [`corpus::compact`] reduces an extracted one,
    /// each name of its table interned once.
    fn compact(self, shared: &Shared) -> Extracted {
        let ids: Vec<u32> = self
            .table
            .iter()
            .map(|c| shared.concepts.intern(c))
            .collect();
        let (refs, ends) = (&self.refs, &self.ends);
        corpus::compact_with((self.row, self.mentions), shared, |k, _, out| {
            out.extend(refs[ends[k]..ends[k + 1]].iter().map(|&i| ids[i as usize]))
        })
    }
}

fn get_report<'a>(r: &mut Reader<'a>) -> Res<Decoded<'a>> {
    let id = r.string()?;
    let path = r.string()?;
    let outlet = r.ostring()?;
    let relayed_via = r.strings()?;
    let published = match r.flag()? {
        false => None,
        true => {
            let year = i16::from_le_bytes(r.array()?);
            let [month] = r.array()?;
            let [day] = r.array()?;
            let (month, day) = (month as i8, day as i8);
            // `Metadata::published` is a jiff date; `new` refuses an impossible one.
            Some(
                jiff::civil::Date::new(year, month, day)
                    .map_err(|_| format!("bad date {year}-{month}-{day}"))?,
            )
        }
    };
    let meta = Metadata {
        outlet,
        relayed_via,
        published,
        place: r.ostring()?,
        author: r.ostring()?,
        title: r.ostring()?,
        language: r.ostring()?,
        url: r.ostring()?,
    };
    let sentences = r.uint()?;
    let status = status_of(r.byte()?)?;
    let notes = r.strings()?;
    let signature = match r.flag()? {
        false => None,
        true => {
            let mut mins = [0; corro_match::copies::HASHES];
            for m in &mut mins {
                *m = u16::from_le_bytes(r.array()?);
            }
            let shingles = u32::from_le_bytes(r.array()?);
            Some(Box::new(Signature { mins, shingles }))
        }
    };
    let n = r.len()?;
    let mut table: Vec<&str> = Vec::with_capacity(n.min(PREALLOC));
    for _ in 0..n {
        table.push(r.str()?);
    }
    let n = r.len()?;
    let mut mentions: Vec<Extraction> = Vec::with_capacity(n.min(PREALLOC));
    let mut refs: Vec<u32> = Vec::new();
    let mut ends: Vec<usize> = Vec::with_capacity(n.min(PREALLOC) + 1);
    ends.push(0);
    for _ in 0..n {
        let row = get_mention(r, mentions.last(), table.len(), &mut refs)?;
        mentions.push(row);
        ends.push(refs.len());
    }
    let row = Extracted {
        id,
        path,
        meta,
        sentences,
        status,
        notes,
        mentions: corpus::MentionsAt::default(),
        concepts: corpus::IdsAt::default(),
        signature,
        texts: 0,
        quotes: 0,
    };
    Ok(Decoded {
        row,
        mentions,
        table,
        refs,
        ends,
    })
}

/// A mention, its concepts left empty: their indices (each below `table`, the size of
/// the report's table) are appended to `refs`.
fn get_mention(
    r: &mut Reader,
    prev: Option<&Extraction>,
    table: usize,
    refs: &mut Vec<u32>,
) -> Res<Extraction> {
    let start = r.uint()?;
    let end = r.uint()?;
    let sentence = r.uint()?;
    // One sentence text for the mentions of one sentence, as an extracting run shares
    // it (a copy per mention made a cached run's memory larger than an uncached one's).
    let text: Arc<str> = match r.ostr()? {
        Some(t) => t.into(),
        None => match prev {
            Some(p) if p.mention.sentence == sentence => p.sentence.clone(),
            _ => return Err("a shared sentence text without its sentence".into()),
        },
    };
    let kind = claim_kind_of(r.byte()?)?;
    let stance = stance_of(r.byte()?)?;
    let cue = r.ostring()?;
    let speaker = match r.flag()? {
        false => None,
        true => Some(Speaker {
            text: r.string()?,
            name: r.string()?,
            kind: speaker_kind_of(r.byte()?)?,
            role: r.ostring()?,
        }),
    };
    let via = r.strings()?;
    let quantity = match r.flag()? {
        false => None,
        true => Some(Quantity {
            start: r.uint()?,
            end: r.uint()?,
            kind: quantity_kind_of(r.byte()?)?,
            low: r.f64opt()?,
            high: r.f64opt()?,
            approx: r.flag()?,
            unit: r.ostring()?,
            per: r.ostring()?,
        }),
    };
    let n = r.len()?;
    for _ in 0..n {
        match r.uint()? {
            // A table is far smaller than 4 billion names (each takes a byte at least).
            i if i < table => refs.push(i as u32),
            i => return Err(format!("concept {i} of a table of {table}")),
        }
    }
    Ok(Extraction {
        mention: Mention {
            sentence,
            kind,
            stance,
            cue,
            speaker,
            via,
            quantity,
            concepts: Vec::new(),
        },
        start,
        end,
        sentence: text,
    })
}

// Enums are stored as one-byte tags. Each list below makes both directions: the encoder's
// match is exhaustive (a variant added upstream fails to compile here), a tag listed twice
// is an unreachable pattern (denied by clippy), and an unknown tag makes the entry
// unreadable (recomputed). The tags are this layout's, not the types' discriminants.
macro_rules! tags {
    ($tag:ident, $of:ident, $ty:ty, $what:literal, { $($n:literal => $v:path),+ $(,)? }) => {
        fn $tag(v: $ty) -> u8 {
            match v {
                $($v => $n,)+
            }
        }

        fn $of(b: u8) -> Res<$ty> {
            match b {
                $($n => Ok($v),)+
                _ => Err(format!(concat!("unknown ", $what, " tag {}"), b)),
            }
        }
    };
}

tags!(status_tag, status_of, Status, "status", {
    0 => Status::Ok,
    1 => Status::Skipped,
    2 => Status::Error,
});

tags!(stance_tag, stance_of, Stance, "stance", {
    0 => Stance::Supports,
    1 => Stance::Denies,
    2 => Stance::Discusses,
});

tags!(claim_kind_tag, claim_kind_of, ClaimKind, "claim kind", {
    0 => ClaimKind::Count,
    1 => ClaimKind::Money,
    2 => ClaimKind::Duration,
    3 => ClaimKind::Percent,
    4 => ClaimKind::Measure,
    5 => ClaimKind::Event,
});

tags!(quantity_kind_tag, quantity_kind_of, QuantityKind, "quantity kind", {
    0 => QuantityKind::Count,
    1 => QuantityKind::Money,
    2 => QuantityKind::Duration,
    3 => QuantityKind::Percent,
    4 => QuantityKind::Measure,
});

tags!(speaker_kind_tag, speaker_kind_of, SpeakerKind, "speaker kind", {
    0 => SpeakerKind::Person,
    1 => SpeakerKind::Government,
    2 => SpeakerKind::Organisation,
    3 => SpeakerKind::Anonymous,
    4 => SpeakerKind::Outlet,
});

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Vec<Raw> {
        let lex = corro_claims::testing::lexicons();
        let ex = corro_claims::Extractor::new(&lex);
        let text = b"outlet: Reuters\ndate: 2020-10-02\n\nTurkey sent about 1,500 Syrian fighters to Azerbaijan, Omer Celik said.\nBaku denied that Turkey sent Syrian fighters to Azerbaijan.\n";
        corro_parse::read_source("a.txt", text, &Limits::default(), &lex.outlets)
            .iter()
            .map(|r| corpus::extract_report(r, &ex))
            .collect()
    }

    /// The sample with every optional field filled somewhere, and a second report with
    /// none of them (several reports in one entry, as from a JSONL file).
    fn rich() -> Vec<Raw> {
        let mut r = sample();
        let (e, ms) = &mut r[0];
        e.meta.url = Some("https://example.org/é".into());
        e.meta.relayed_via = vec!["Sputnik".into(), "CNN".into()];
        e.notes.push("a note".into());
        let m = &mut ms[0].mention;
        m.cue = Some("reportedly".into());
        m.via = vec!["CNN".into()];
        m.speaker = Some(Speaker {
            text: "a spokesman".into(),
            name: "Turkey (government)".into(),
            kind: SpeakerKind::Government,
            role: Some("spokesman".into()),
        });
        m.quantity = Some(Quantity {
            start: 1,
            end: 9,
            kind: QuantityKind::Money,
            low: Some(-0.0),
            high: Some(f64::MAX),
            approx: true,
            unit: Some("USD".into()),
            per: Some("month".into()),
        });
        let mut second = r[0].0.clone();
        second.id = "b".into();
        second.status = Status::Skipped;
        second.signature = None;
        second.meta = Metadata::default();
        r.push((second, Vec::new()));
        r
    }

    fn same(a: &[Raw], b: &[Raw]) {
        // Extracted has no PartialEq; its Debug form shows every field, floats exactly.
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    /// An entry around `payload`, with a valid checksum.
    fn seal(payload: &[u8]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&xxh3_64(payload).to_le_bytes());
        out.extend_from_slice(payload);
        out
    }

    fn payload(entry: &[u8]) -> &[u8] {
        &entry[MAGIC.len() + 8..]
    }

    #[test]
    fn report_rows_set_aside_round_trip_and_rows_with_mentions_are_refused() {
        let rows: Vec<Extracted> = rich().into_iter().map(|(e, _)| e).collect();
        let bytes = encode_rows(&rows);
        assert_eq!(
            format!("{:?}", decode_rows(&bytes).unwrap()),
            format!("{rows:?}")
        );
        // An entry whose report has mentions is not a set of rows.
        assert!(decode_rows(&encode(&sample())).is_err());
        // A damaged byte anywhere is caught by the checksum.
        let mut bad = bytes.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(decode_rows(&bad).is_err());
    }

    #[test]
    fn an_entry_round_trips_exactly() {
        let r = sample();
        assert!(!r[0].1.is_empty(), "the sample has mentions");
        assert!(r[0].0.meta.published.is_some());
        same(&decode(&encode(&r)).unwrap(), &r);
        let r = rich();
        same(&decode(&encode(&r)).unwrap(), &r);
        same(&decode(&encode(&[])).unwrap(), &[]);
    }

    #[test]
    fn the_mentions_of_one_sentence_share_its_text_after_a_round_trip() {
        let r = decode(&encode(&sample())).unwrap();
        let ms = &r[0].1;
        let pairs: Vec<_> = ms
            .windows(2)
            .filter(|w| w[0].mention.sentence == w[1].mention.sentence)
            .collect();
        assert!(
            !pairs.is_empty(),
            "the sample has a sentence with two mentions"
        );
        for w in pairs {
            assert!(std::sync::Arc::ptr_eq(&w[0].sentence, &w[1].sentence));
        }
    }

    #[test]
    fn a_quantity_round_trips_bit_for_bit() {
        let mut r = sample();
        r[0].1[0].mention.quantity = Some(Quantity {
            start: 1,
            end: 9,
            kind: QuantityKind::Money,
            low: Some(0.1 + 0.2),
            high: None,
            approx: true,
            unit: Some("USD".into()),
            per: Some("month".into()),
        });
        same(&decode(&encode(&r)).unwrap(), &r);
        let nan = f64::from_bits(0x7ff8_0000_dead_beef);
        r[0].1[0].mention.quantity.as_mut().unwrap().high = Some(nan);
        let back = decode(&encode(&r)).unwrap();
        let q = back[0].1[0].mention.quantity.as_ref().unwrap();
        assert_eq!(q.high.map(f64::to_bits), Some(nan.to_bits()));
    }

    #[test]
    fn every_tag_round_trips() {
        for s in [Status::Ok, Status::Skipped, Status::Error] {
            assert_eq!(status_of(status_tag(s)), Ok(s));
        }
        for s in [Stance::Supports, Stance::Denies, Stance::Discusses] {
            assert_eq!(stance_of(stance_tag(s)), Ok(s));
        }
        use ClaimKind as C;
        for k in [
            C::Count,
            C::Money,
            C::Duration,
            C::Percent,
            C::Measure,
            C::Event,
        ] {
            assert_eq!(claim_kind_of(claim_kind_tag(k)), Ok(k));
        }
        use QuantityKind as Q;
        for k in [Q::Count, Q::Money, Q::Duration, Q::Percent, Q::Measure] {
            assert_eq!(quantity_kind_of(quantity_kind_tag(k)), Ok(k));
        }
        use SpeakerKind as S;
        for k in [
            S::Person,
            S::Government,
            S::Organisation,
            S::Anonymous,
            S::Outlet,
        ] {
            assert_eq!(speaker_kind_of(speaker_kind_tag(k)), Ok(k));
        }
    }

    #[test]
    fn numbers_round_trip_and_overlong_ones_are_refused() {
        for x in [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX - 1, u64::MAX] {
            let mut b = Vec::new();
            put_u64(&mut b, x);
            let mut r = Reader::new(&b);
            assert_eq!(r.u64(), Ok(x));
            assert!(r.end().is_ok());
        }
        for bad in [
            &[0xff; 11][..],
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02],
        ] {
            assert!(Reader::new(bad).u64().is_err());
        }
        // A length beyond the end is refused before anything is reserved for it.
        let mut b = Vec::new();
        put_u64(&mut b, u64::MAX >> 1);
        assert!(Reader::new(&b).strings().is_err());
    }

    #[test]
    fn damaged_entries_are_refused_not_trusted() {
        let good = encode(&rich());
        let mut flipped = good.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        let mut bad_sum = good.clone();
        bad_sum[MAGIC.len()] ^= 0x80;
        let v1 = b"corro-cache 1 0123456789abcdef\n[]".to_vec();
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("magic only", MAGIC.to_vec()),
            ("truncated", good[..good.len() / 2].to_vec()),
            ("one byte short", good[..good.len() - 1].to_vec()),
            ("one byte more", [&good[..], &[0]].concat()),
            ("bit flip", flipped),
            ("checksum flip", bad_sum),
            ("layout v1", v1),
            ("not ours", b"hello\nworld".to_vec()),
            ("binary", vec![0xff; 64]),
            ("resealed, truncated", seal(&payload(&good)[..100])),
            (
                "resealed, one byte more",
                seal(&[payload(&good), &[0]].concat()),
            ),
            (
                "resealed, huge count",
                seal(&[0xff, 0xff, 0xff, 0xff, 0x0f]),
            ),
        ];
        for (what, bytes) in cases {
            assert!(decode(&bytes).is_err(), "{what} was accepted");
        }
    }

    /// An entry of one report, its fields written by `put`.
    fn entry_of(put: impl FnOnce(&mut Writer)) -> Vec<u8> {
        let mut w = Writer::default();
        put(&mut w);
        let mut rep = Vec::new();
        put_uint(&mut rep, w.fields.len());
        rep.extend_from_slice(&w.fields);
        rep.extend_from_slice(&w.texts);
        let mut p = Vec::new();
        put_uint(&mut p, 1);
        put_uint(&mut p, rep.len());
        p.extend_from_slice(&rep);
        seal(&p)
    }

    /// A minimal report with this date and status tag.
    fn minimal(date: Option<(i16, u8, u8)>, status: u8) -> Vec<u8> {
        entry_of(|w| {
            w.str("a");
            w.str("a");
            w.ostr(None);
            w.strs(&[]);
            match date {
                None => w.byte(0),
                Some((y, m, d)) => {
                    w.byte(1);
                    w.fixed(&y.to_le_bytes());
                    w.fixed(&[m, d]);
                }
            }
            for _ in 0..5 {
                w.ostr(None);
            }
            w.uint(0);
            w.byte(status);
            w.strs(&[]);
            w.byte(0);
            // No concepts, no mentions.
            w.uint(0);
            w.uint(0);
        })
    }

    #[test]
    fn a_cached_report_reduces_to_the_concepts_it_was_extracted_with() {
        let mut raw = rich();
        raw.extend(sample());
        let bytes = encode(&raw);
        let shared = Shared::new(crate::spill::Spill::new(None).unwrap());
        let reduced: Vec<Extracted> = decode_entry(&bytes)
            .unwrap()
            .into_iter()
            .map(|d| d.compact(&shared))
            .collect();
        let Shared {
            concepts, texts, ..
        } = shared;
        let names = concepts.into_names();
        let mut repeated = 0;
        for ((_, ms), r) in raw.iter().zip(&reduced) {
            let want: Vec<&str> = ms
                .iter()
                .flat_map(|x| x.mention.concepts.iter().map(String::as_str))
                .collect();
            let ids = texts
                .read_ids(r.concepts.at, r.concepts.n as usize)
                .unwrap();
            let got: Vec<&str> = ids.iter().map(|&i| &*names[i as usize]).collect();
            assert_eq!(got, want);
            assert_eq!(r.mentions.count(), ms.len());
            let distinct: std::collections::HashSet<&&str> = want.iter().collect();
            repeated += want.len() - distinct.len();
        }
        assert!(repeated > 10, "the sample repeats concepts within a report");
    }

    /// A concept table of one mention's concepts alone.
    fn table_of(x: &Extraction) -> FxHashMap<&str, usize> {
        x.mention
            .concepts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect()
    }

    #[test]
    fn a_valid_checksum_over_bad_values_is_still_refused() {
        let ok = decode(&minimal(Some((2020, 10, 2)), 0)).unwrap();
        assert_eq!(ok[0].0.meta.published.unwrap().to_string(), "2020-10-02");
        let err = decode(&minimal(Some((2020, 13, 2)), 0)).unwrap_err();
        assert!(err.contains("bad date"), "{err}");
        let err = decode(&minimal(None, 9)).unwrap_err();
        assert!(err.contains("unknown status tag 9"), "{err}");
        // A shared sentence text with no mention before it.
        let r = sample();
        let (e, ms) = &r[0];
        let err = decode(&entry_of(|w| {
            put_report(w, e, &[]);
            assert_eq!(w.fields.pop(), Some(0), "no mentions: the last field");
            w.uint(1);
            put_mention(w, &ms[0], Some(&ms[0]), &table_of(&ms[0]));
        }))
        .unwrap_err();
        assert!(err.contains("shared sentence text"), "{err}");
        // A mention naming a concept beyond its report's table (here, an empty one).
        let err = decode(&entry_of(|w| {
            put_report(w, e, &[]);
            assert_eq!(w.fields.pop(), Some(0), "no mentions: the last field");
            w.uint(1);
            put_mention(w, &ms[0], None, &table_of(&ms[0]));
        }))
        .unwrap_err();
        assert!(err.contains("of a table of 0"), "{err}");
        // A string ending inside a character, the report's text still valid UTF-8.
        let err = decode(&entry_of(|w| {
            w.uint(1);
            w.texts.extend_from_slice("é".as_bytes());
            w.uint(1);
        }))
        .unwrap_err();
        assert!(err.contains("inside a character"), "{err}");
    }

    #[test]
    fn any_single_damaged_byte_or_truncation_is_refused_without_a_panic() {
        let good = encode(&rich());
        for len in 0..good.len() {
            assert!(decode(&good[..len]).is_err(), "cut at {len} accepted");
        }
        for at in 0..good.len() {
            for mask in [0x01, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[at] ^= mask;
                assert!(decode(&bad).is_err(), "byte {at} ^ {mask:#x} accepted");
            }
        }
        // Behind a valid checksum (what a checksum collision would let through) the
        // decoder must still never panic, and a cut payload is always refused.
        let p = payload(&good);
        for len in 0..p.len() {
            assert!(decode(&seal(&p[..len])).is_err(), "resealed cut at {len}");
        }
        for at in 0..p.len() {
            for mask in [0x01, 0x40, 0x80, 0xff] {
                let mut bad = p.to_vec();
                bad[at] ^= mask;
                let _ = decode(&seal(&bad));
            }
        }
    }

    proptest! {
        #[test]
        fn random_damage_never_panics_and_is_refused(
            edits in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..8),
            cut in any::<prop::sample::Index>(),
            garbage in prop::collection::vec(any::<u8>(), 0..600),
        ) {
            let good = encode(&rich());
            let mut bad = good.clone();
            for (at, mask) in &edits {
                bad[at.index(good.len())] ^= mask;
            }
            // Edits at one place may cancel out; only a changed entry must be refused.
            prop_assert!(bad == good || decode(&bad).is_err());
            let cut = cut.index(good.len());
            prop_assert!(decode(&good[..cut]).is_err());
            prop_assert!(decode(&garbage).is_err());
            // Resealed: the decoder alone stands between the bytes and the run.
            let mut p = payload(&good).to_vec();
            for (at, mask) in &edits {
                let n = p.len();
                p[at.index(n)] ^= mask;
            }
            let _ = decode(&seal(&p));
            let _ = decode(&seal(&garbage));
            let mut spliced = payload(&good)[..cut.min(good.len() - MAGIC.len() - 8)].to_vec();
            spliced.extend_from_slice(&garbage);
            let _ = decode(&seal(&spliced));
        }
    }

    #[test]
    fn entry_names_are_told_apart_from_anything_else() {
        let key = "0123456789abcdef0123456789abcdef";
        let k = u128::from_str_radix(key, 16).unwrap();
        for (name, want) in [
            (format!("{key}.bin"), Some(Name::Entry(k))),
            (format!(".{key}.tmp-123-ThreadId(4)"), Some(Name::Temporary)),
            // Not what `Cache::path` writes: left alone.
            (format!("{}.bin", key.to_uppercase()), None),
            (format!("{}.bin", &key[1..]), None),
            (format!("{key}0.bin"), None),
            (format!("{key}.bin.bak"), None),
            (format!(".{key}.tmp"), None),
            (format!(".{}.tmp-1", &key[..31]), None),
            ("README".to_string(), None),
            (".".to_string(), None),
            (String::new(), None),
            // A multi-byte character where the key would end must not split it.
            (format!(".{}é.tmp-1", &key[..31]), None),
        ] {
            assert_eq!(entry_name(&name), want, "{name:?}");
        }
    }

    #[test]
    fn pruning_keeps_exactly_the_entries_the_run_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), None, &Limits::default()).unwrap();
        let reports = sample();
        let (a, b) = (cache.key("a.txt", b"one"), cache.key("b.txt", b"two"));
        cache.store(a, &reports);
        cache.store(b, &reports);
        let tmp = cache
            .path(a)
            .with_file_name(format!(".{a:032x}.tmp-1-ThreadId(2)"));
        std::fs::write(&tmp, b"half an entry").unwrap();
        let other = cache.path(a).with_file_name("notes.txt");
        std::fs::write(&other, b"not ours").unwrap();
        let b_len = std::fs::metadata(cache.path(b)).unwrap().len();

        cache.used(a);
        let pruned = cache.prune().unwrap();
        assert_eq!(
            pruned,
            Pruned {
                entries: 2,
                bytes: b_len + b"half an entry".len() as u64
            }
        );
        assert!(cache.path(a).exists(), "a used entry stays");
        assert!(!cache.path(b).exists(), "an unused entry goes");
        assert!(!tmp.exists(), "a temporary file goes");
        assert!(other.exists(), "a file corro did not name stays");
        if cache.path(a).parent() != cache.path(b).parent() {
            assert!(
                !cache.path(b).parent().unwrap().exists(),
                "an emptied shard goes"
            );
        }
        // Nothing more to prune.
        assert_eq!(cache.prune().unwrap(), Pruned::default());
        assert!(cache.path(a).exists());
        assert!(decode(&std::fs::read(cache.path(a)).unwrap()).is_ok());
    }
}
