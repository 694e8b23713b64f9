//! Sentence texts on disk from extraction to writing.
//!
//! claims.csv and evidence.csv quote the sentence of every mention, but nothing between
//! reading and writing looks at the words again. Held in memory, those sentences were the
//! one part of a run's memory that grew with the bytes of text rather than with the
//! number of claims. So each report's sentences are appended to an unnamed temporary file
//! as the report is extracted (one chunk per report, each sentence once), and read back
//! by offset when the tables are written: a report's chunk at a time for claims.csv,
//! one sentence at a time for the quotes of evidence.csv and the cluster labels.
//!
//! Each mention's place in its report's chunk, its span and its speaker and relay names
//! (`corpus::Quote`, 24 bytes) end the chunk, read back with the sentences.
//!
//! Each report's concept ids follow its sentences in the same chunk, provisional, and are
//! rewritten once numbered as one array for the whole corpus ([`Spill::reserve_ids`],
//! [`Spill::write_ids_at`]; `corpus::finish_interning`); the matcher reads them from
//! there ([`Spill::read_ids_into`]), whole or a window at a time, and frees them while
//! the stages that do not read them run (see `run::RunMentions`). The story stage's links
//! are set aside there too until they are agglomerated, and the report rows while the
//! corpus is matched ([`Spill::put_bytes`], [`Spill::read_bytes`]; `run::SetAside`,
//! `run::RowsAt`).
//!
//! The file is made with `tempfile_in` in the output directory (unnamed where the system
//! allows, so nothing is left behind even by a killed run) and appended to from the
//! reading threads at offsets reserved atomically — no lock, no order between threads;
//! the offsets, not the file's order, say where each text is. Writes go to the page
//! cache; a run never waits for them to reach the disk.

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Ids written or read at a time by [`Spill::write_ids_at`] and
/// [`Spill::read_ids_into`], through a buffer of 64 KB each thread keeps ([`ID_BUF`]).
/// (A 4 MB buffer made for each call was faulted in afresh every time — mimalloc returns
/// freed pages at once, see `main.rs` — 7% of a 160k run's page faults.)
const ID_CHUNK: usize = 1 << 14;

thread_local! {
    /// The ids' bytes on their way to or from the spill: [`ID_CHUNK`] ids.
    static ID_BUF: std::cell::RefCell<Vec<u8>> =
        std::cell::RefCell::new(Vec::with_capacity(ID_CHUNK * 4));
}

/// The spilled texts of a run.
pub struct Spill {
    file: File,
    /// Where the next chunk goes.
    end: AtomicU64,
    /// The first write error: reading carries on, the run reports it before writing.
    failed: Mutex<Option<io::Error>>,
}

impl Spill {
    /// A spill file in `dir` (the output directory), or in the system's temporary
    /// directory without one.
    pub fn new(dir: Option<&Path>) -> io::Result<Spill> {
        let file = match dir {
            Some(d) => tempfile::tempfile_in(d)?,
            None => tempfile::tempfile()?,
        };
        Ok(Spill {
            file,
            end: AtomicU64::new(0),
            failed: Mutex::new(None),
        })
    }

    /// Appends `bytes`; returns where they start. A failed write is remembered for
    /// [`Spill::check`] and the offset returned all the same (its text will not be read:
    /// the run stops before writing).
    pub fn put(&self, bytes: &[u8]) -> u64 {
        let (at, written) = self.append(bytes);
        if let Err(e) = written {
            let mut f = self.failed.lock().unwrap_or_else(|p| p.into_inner());
            f.get_or_insert(e);
        }
        at
    }

    /// Reserves room for `bytes` at the end and writes them there: where, and whether
    /// the write succeeded.
    fn append(&self, bytes: &[u8]) -> (u64, io::Result<()>) {
        let at = self.end.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        (at, write_all_at(&self.file, bytes, at))
    }

    /// The first write error, if any write failed (a full disk).
    pub fn check(&self) -> io::Result<()> {
        match self.failed.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(e) => Err(io::Error::new(
                e.kind(),
                format!("spilling sentence texts to disk: {e}"),
            )),
            None => Ok(()),
        }
    }

    /// Reads `len` bytes at `at` into `buf` (replacing its contents).
    pub fn read(&self, at: u64, len: u32, buf: &mut Vec<u8>) -> io::Result<()> {
        buf.clear();
        buf.resize(len as usize, 0);
        self.read_bytes(at, buf)
    }

    /// The text of `len` bytes at `at`.
    pub fn text(&self, at: u64, len: u32) -> io::Result<String> {
        let mut buf = Vec::new();
        self.read(at, len, &mut buf)?;
        String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// Appends `bytes`, returning where they start, or the write's error at once (the
    /// matcher's links set aside: see [`crate::run`]'s `SetAside`).
    pub fn put_bytes(&self, bytes: &[u8]) -> io::Result<u64> {
        let (at, written) = self.append(bytes);
        written.map(|()| at)
    }

    /// Fills `buf` with the bytes at `at`.
    pub fn read_bytes(&self, at: u64, buf: &mut [u8]) -> io::Result<()> {
        read_exact_at(&self.file, buf, at)
    }

    /// Appends `ids` (little-endian), returning where they start, or the write's error
    /// (tests: the run reserves room and writes in parts).
    #[cfg(test)]
    pub fn put_ids(&self, ids: &[u32]) -> io::Result<u64> {
        let at = self.reserve_ids(ids.len());
        self.write_ids_at(at, ids)?;
        Ok(at)
    }

    /// Reserves room for `n` ids at the end, to be written by [`Spill::write_ids_at`]
    /// (from several threads, each its own part): where the room starts.
    pub fn reserve_ids(&self, n: usize) -> u64 {
        self.reserve((n as u64) * 4)
    }

    /// Reserves `len` bytes at the end, to be written in parts by [`Spill::write_at`].
    pub fn reserve(&self, len: u64) -> u64 {
        self.end.fetch_add(len, Ordering::Relaxed)
    }

    /// Writes `bytes` at `at`, in room reserved by [`Spill::reserve`].
    pub fn write_at(&self, at: u64, bytes: &[u8]) -> io::Result<()> {
        write_all_at(&self.file, bytes, at)
    }

    /// Writes `ids` (little-endian) at `at`, in room reserved by [`Spill::reserve_ids`].
    pub fn write_ids_at(&self, at: u64, ids: &[u32]) -> io::Result<()> {
        ID_BUF.with_borrow_mut(|buf| {
            let mut to = at;
            for part in ids.chunks(ID_CHUNK) {
                // The spill's one encoding of ids; the buffer keeps its room.
                buf.clear();
                put_le(buf, part);
                write_all_at(&self.file, buf, to)?;
                to += buf.len() as u64;
            }
            Ok(())
        })
    }

    /// The `n` ids put at `at` by [`Spill::put_ids`], in a vector of exactly their number
    /// (tests: the run reads them a window at a time, [`Spill::read_ids_into`]).
    #[cfg(test)]
    pub fn read_ids(&self, at: u64, n: usize) -> io::Result<Vec<u32>> {
        let mut ids = Vec::with_capacity(n);
        self.read_ids_into(at, n, &mut ids)?;
        Ok(ids)
    }

    /// The `n` ids written at `at` ([`Spill::write_ids_at`]), into `ids` (replacing its
    /// contents), which keeps its room.
    pub fn read_ids_into(&self, at: u64, n: usize, ids: &mut Vec<u32>) -> io::Result<()> {
        ids.clear();
        ids.reserve_exact(n);
        ID_BUF.with_borrow_mut(|buf| {
            let mut from = at;
            while ids.len() < n {
                let k = ID_CHUNK.min(n - ids.len());
                // A write leaves it at its last part's length: grown here when a
                // read needs more (zeroing only the bytes added), its room kept.
                if buf.len() < k * 4 {
                    buf.resize(k * 4, 0);
                }
                let bytes = &mut buf[..k * 4];
                read_exact_at(&self.file, bytes, from)?;
                ids.extend(
                    bytes
                        .chunks_exact(4)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                );
                from += (k * 4) as u64;
            }
            Ok(())
        })
    }

    /// A spill over a file opened for reading only: every write fails, as on a full
    /// disk (tests).
    #[cfg(test)]
    pub fn failing(path: &Path) -> Spill {
        std::fs::write(path, "").unwrap();
        Spill {
            file: File::open(path).unwrap(),
            end: AtomicU64::new(0),
            failed: Mutex::new(None),
        }
    }

    /// Bytes spilled so far.
    #[cfg(test)]
    pub fn len(&self) -> u64 {
        self.end.load(Ordering::Relaxed)
    }
}

/// Appends `ids` to `buf`, little-endian: the layout of ids on the spill.
pub fn put_le(buf: &mut Vec<u8>, ids: &[u32]) {
    buf.reserve(ids.len() * 4);
    for id in ids {
        buf.extend_from_slice(&id.to_le_bytes());
    }
}

#[cfg(unix)]
fn write_all_at(f: &File, buf: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(f, buf, at)
}

#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

// Windows' positioned I/O may stop short and moves the cursor; every call names its
// offset, so the cursor does not matter.
#[cfg(windows)]
fn write_all_at(f: &File, mut buf: &[u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match f.seek_write(buf, at)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => {
                buf = &buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
fn read_exact_at(f: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match f.seek_read(buf, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn texts_written_from_many_threads_read_back_by_offset() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(Some(dir.path())).unwrap();
        let texts: Vec<String> = (0..2000)
            .map(|i| format!("Sentence {i}: {}", "é".repeat(i % 17)))
            .collect();
        let at: Vec<u64> = texts.par_iter().map(|t| spill.put(t.as_bytes())).collect();
        spill.check().unwrap();
        let total: usize = texts.iter().map(String::len).sum();
        assert_eq!(spill.len(), total as u64);
        for (t, &a) in texts.iter().zip(&at) {
            assert_eq!(&spill.text(a, t.len() as u32).unwrap(), t);
        }
        // The file is unnamed or at least not left in the directory under a name of ours.
        drop(spill);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_failed_write_is_reported_once_reading_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro");
        std::fs::write(&path, "").unwrap();
        // A file opened for reading only: every write fails, as on a full disk.
        let spill = Spill {
            file: File::open(&path).unwrap(),
            end: AtomicU64::new(0),
            failed: Mutex::new(None),
        };
        spill.put(b"Turkey denied sending fighters.");
        spill.put(b"Baku denied it.");
        let e = spill.check().unwrap_err();
        assert!(
            e.to_string().starts_with("spilling sentence texts to disk"),
            "{e}"
        );
    }

    #[test]
    fn a_read_past_the_end_is_an_error_not_a_short_text() {
        let spill = Spill::new(None).unwrap();
        let at = spill.put(b"Baku denied it.");
        assert!(spill.text(at, 100).is_err());
        assert_eq!(spill.text(at + 5, 6).unwrap(), "denied");
    }

    #[test]
    fn ids_put_among_texts_come_back_whole_across_chunks() {
        let spill = Spill::new(None).unwrap();
        let before = spill.put(b"Baku denied it.");
        // Two and a half chunks, values using every byte.
        let ids: Vec<u32> = (0..(ID_CHUNK * 5 / 2) as u32)
            .map(|i| i.wrapping_mul(0x9e37_79b9))
            .collect();
        let at = spill.put_ids(&ids).unwrap();
        let after = spill.put(b"Turkey denied sending fighters.");
        let back = spill.read_ids(at, ids.len()).unwrap();
        assert!(back == ids);
        assert_eq!(back.capacity(), ids.len());
        assert_eq!(spill.text(before, 15).unwrap(), "Baku denied it.");
        assert_eq!(
            spill.text(after, 31).unwrap(),
            "Turkey denied sending fighters."
        );
        assert!(spill.read_ids(at, 0).unwrap().is_empty());
        // Past the end: an error, not fewer ids.
        assert!(spill.read_ids(after, 100).is_err());
    }

    #[test]
    fn a_failed_write_of_ids_is_an_error_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::failing(&dir.path().join("ro"));
        let at = spill.reserve_ids(3);
        assert!(spill.write_ids_at(at, &[1, 2, 3]).is_err());
        // Not left for `check`, which is about the texts.
        assert!(spill.check().is_ok());
    }
}
