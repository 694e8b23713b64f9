//! The one CSV writer: RFC 4180, `\n` line ends, spreadsheet-formula injection
//! neutralised, written atomically.
//!
//! Every output file is first written to a temporary file in the output directory and
//! renamed into place only when all of a run's files are complete, so an interrupted
//! run leaves the previous outputs untouched.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A text cell, made safe for spreadsheets: a leading `=`, `+`, `-`, `@`, tab or
/// carriage return gets a `'` in front so it is never read as a formula.
pub fn text(s: &str) -> String {
    cell(s).into_owned()
}

/// [`text`] without a copy when the cell needs no prefix: for the tables of a row per
/// mention.
pub fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// A number as corro writes numbers: `.` decimal point, no exponent, no trailing zeros.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    if x == x.trunc() && x.abs() < 1e15 {
        return itoa::Buffer::new().format(x as i64).to_string();
    }
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub fn opt_num(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

/// Builds a CSV file in memory: a whole small file (`Table::new`), or one part of a
/// large table that [`Staged::add_table`] writes in parts.
///
/// The bytes are those of the `csv` crate's writer with a `\n` terminator (a test holds
/// them to it, field by field): a field with a comma, a quote or a line break is quoted,
/// its quotes doubled; a record of one empty field is `""`; every row has the first
/// row's number of fields. Written here straight into the table's buffer — the `csv`
/// writer copied each field through a buffer of its own and checked it byte by byte,
/// and was most of the cost of writing a row.
pub struct Table {
    buf: Vec<u8>,
    /// The first row's number of fields, which every row must have.
    fields: Option<usize>,
    /// The first error; later rows are dropped and [`Table::finish`] reports it.
    err: Option<io::Error>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        let mut t = Table::headless();
        t.row(header);
        t
    }

    /// A table's rows without its header: one part of a table written in parts.
    fn headless() -> Table {
        Table::headless_in(Vec::new())
    }

    /// [`Table::headless`] writing into `buf` (emptied first), whose room is kept: a large
    /// table's parts reuse the buffers of parts already written, where a fresh buffer
    /// per part grew by doubling into new pages, a tenth of the writing's time.
    fn headless_in(mut buf: Vec<u8>) -> Table {
        buf.clear();
        Table {
            buf,
            fields: None,
            err: None,
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.finish().expect("writing to memory")
    }

    /// Adds a row; cells must already be made safe ([`text`]) or be numbers ([`num`]).
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        if self.err.is_some() {
            return;
        }
        let start = self.buf.len();
        let mut n = 0;
        for cell in cells {
            if n > 0 {
                self.buf.push(b',');
            }
            put_field(&mut self.buf, cell.as_ref());
            n += 1;
        }
        if self.buf.len() == start {
            // A record of one empty field (or none) would be a blank line.
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        match self.fields {
            None => self.fields = Some(n),
            Some(want) if want != n => {
                self.err = Some(io::Error::other(format!(
                    "a CSV row of {n} fields where the first had {want}"
                )));
            }
            Some(_) => {}
        }
    }

    /// Records an error met while making rows (reading a spilled text): the table
    /// fails with it at [`Table::finish`].
    pub fn fail(&mut self, e: io::Error) {
        if self.err.is_none() {
            self.err = Some(e);
        }
    }

    /// The table's bytes, or the first error met (rows of unequal length, [`Table::fail`]).
    pub fn finish(self) -> io::Result<Vec<u8>> {
        match self.err {
            Some(e) => Err(e),
            None => Ok(self.buf),
        }
    }
}

/// Whether a field holds a comma, a quote or a line break: sixteen bytes at a time, each
/// block looked at whole (a fixed-size loop the compiler turns into a few vector
/// compares), then the tail.
fn needs_quotes(field: &[u8]) -> bool {
    let is = |b: u8| (b == b',') | (b == b'"') | (b == b'\n') | (b == b'\r');
    let mut blocks = field.chunks_exact(16);
    for block in &mut blocks {
        let mut any = 0u8;
        for &b in block {
            any |= u8::from(is(b));
        }
        if any != 0 {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| is(b))
}

/// One CSV field: as it is, or quoted with its quotes doubled when it holds a comma, a
/// quote or a line break.
fn put_field(out: &mut Vec<u8>, field: &[u8]) {
    let special = needs_quotes(field);
    if !special {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    let mut rest = field;
    while let Some(q) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=q]);
        out.push(b'"');
        rest = &rest[q + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// What a view is given of one part of a table as it is written
/// ([`Staged::add_table_kept`]): copies of some of its rows, and per group (a cluster)
/// how many rows the view left out.
pub struct Kept {
    pub rows: Table,
    pub left: Vec<(String, usize)>,
}

impl Default for Kept {
    fn default() -> Kept {
        Kept {
            rows: Table::headless(),
            left: Vec::new(),
        }
    }
}

impl Kept {
    fn finish(self) -> io::Result<KeptRows> {
        Ok(KeptRows {
            rows: self.rows.finish()?,
            left: self.left,
        })
    }
}

/// What a view was given of a whole table: the rows (CSV, header first) and the counts
/// of rows left out, in the table's order.
#[derive(Debug, Default)]
pub struct KeptRows {
    pub rows: Vec<u8>,
    pub left: Vec<(String, usize)>,
}

/// Files staged for an atomic commit into one directory.
pub struct Staged {
    dir: PathBuf,
    files: Vec<(PathBuf, PathBuf)>,
    /// Each staged file's sync to disk, running while the next file is made; all are
    /// waited for before anything is renamed into place.
    syncs: Vec<std::thread::JoinHandle<io::Result<()>>>,
}

impl Staged {
    pub fn new(dir: &Path) -> io::Result<Staged> {
        fs::create_dir_all(dir)?;
        remove_dead_temporaries(dir);
        Ok(Staged {
            dir: dir.to_path_buf(),
            files: Vec::new(),
            syncs: Vec::new(),
        })
    }

    /// Writes `bytes` to a temporary file beside `name`, synced to disk.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        // Staged before writing, so that Drop removes it if writing fails (a full disk
        // left a partial temporary behind).
        self.files.push((tmp.clone(), self.dir.join(name)));
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        self.sync_later(f);
        Ok(())
    }

    /// Writes a CSV table straight to a temporary file beside `name`, synced to disk:
    /// the header, then the rows `fill` makes for each of `items` items, in order.
    ///
    /// Formatting the cells is most of a large run's writing time, so items are
    /// formatted in parts of `part` items on all threads, each part into its own buffer,
    /// and the buffers written in order, a window of four parts per thread at a time (by
    /// a writer thread, while the next window is formatted): the file is the same bytes
    /// as one writer's, and memory holds at most three windows, not the table. Choose
    /// `part` so that a part is about a megabyte at most.
    pub fn add_table(
        &mut self,
        name: &str,
        header: &[&str],
        (items, part): (usize, usize),
        fill: impl Fn(usize, &mut Table) + Sync,
    ) -> io::Result<()> {
        self.add_table_parts(name, header, (items, part), |range, t| {
            for i in range {
                fill(i, t);
            }
        })
    }

    /// [`Staged::add_table`] with `fill` making the rows of a range of items at once
    /// (to share work between neighbouring rows).
    pub fn add_table_parts(
        &mut self,
        name: &str,
        header: &[&str],
        (items, part): (usize, usize),
        fill: impl Fn(std::ops::Range<usize>, &mut Table) + Sync,
    ) -> io::Result<()> {
        self.add_table_kept(name, header, (items, part), |range, t, _| fill(range, t))
            .map(drop)
    }

    /// [`Staged::add_table_parts`] with `fill` also giving some rows to a view as it
    /// writes them (a copy of those rows, and counts of rows it left out): the view
    /// then never reads the table back. Returns what the view was given, in order, its
    /// rows under the table's header.
    pub fn add_table_kept(
        &mut self,
        name: &str,
        header: &[&str],
        (items, part): (usize, usize),
        fill: impl Fn(std::ops::Range<usize>, &mut Table, &mut Kept) + Sync,
    ) -> io::Result<KeptRows> {
        use rayon::prelude::*;
        let part = part.max(1);
        let window = part * 4 * rayon::current_num_threads().max(1);
        let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        // Staged before writing, so that Drop removes it if writing fails.
        self.files.push((tmp.clone(), self.dir.join(name)));
        let mut file = io::BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
        file.write_all(&Table::new(header).into_bytes())?;
        // Buffers of parts written, for the parts still to be made (at most the three
        // windows' worth alive at once).
        let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::default();
        // A window is written by a thread of its own while the next is formatted: written
        // in turn, the other threads waited on each window's write.
        let mut kept = KeptRows {
            rows: Table::new(header).into_bytes(),
            left: Vec::new(),
        };
        let file = std::thread::scope(|scope| {
            type Made = (Vec<u8>, KeptRows);
            let (windows, formatted) = std::sync::mpsc::sync_channel::<Vec<Made>>(1);
            let spare = &spare;
            let kept = &mut kept;
            let writer = scope.spawn(move || -> io::Result<_> {
                let mut writeback = Writeback::default();
                for window in formatted {
                    for (part, part_kept) in window {
                        file.write_all(&part)?;
                        writeback.written += part.len() as u64;
                        spare.lock().unwrap_or_else(|e| e.into_inner()).push(part);
                        kept.rows.extend_from_slice(&part_kept.rows);
                        kept.left.extend(part_kept.left);
                    }
                    writeback.start(file.get_ref());
                }
                Ok(file)
            });
            for start in (0..items).step_by(window) {
                let end = (start + window).min(items);
                let parts = (start..end)
                    .into_par_iter()
                    .step_by(part)
                    .map(|from| {
                        let buf = spare.lock().unwrap_or_else(|e| e.into_inner()).pop();
                        let mut t = Table::headless_in(buf.unwrap_or_default());
                        let mut k = Kept::default();
                        fill(from..(from + part).min(end), &mut t, &mut k);
                        Ok((t.finish()?, k.finish()?))
                    })
                    .collect::<io::Result<Vec<Made>>>();
                // A failed write ends the writer, and its error is the one returned.
                if windows.send(parts?).is_err() {
                    break;
                }
            }
            drop(windows);
            writer
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("a table writer panicked")))
        })?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        self.sync_later(file);
        Ok(kept)
    }

    /// Syncs a written file on a thread of its own: flushing a large table to disk
    /// takes about as long as formatting the next one.
    fn sync_later(&mut self, file: fs::File) {
        self.syncs.push(std::thread::spawn(move || file.sync_all()));
    }

    /// Where the staged (not yet committed) file `name` is being written.
    pub fn staged_path(&self, name: &str) -> Option<&Path> {
        let dest = self.dir.join(name);
        self.files
            .iter()
            .find(|(_, d)| *d == dest)
            .map(|(tmp, _)| tmp.as_path())
    }

    /// Waits for every staged file to be on disk, then renames each into place.
    pub fn commit(mut self) -> io::Result<()> {
        for sync in std::mem::take(&mut self.syncs) {
            sync.join()
                .unwrap_or_else(|_| Err(io::Error::other("a file sync panicked")))?;
        }
        for (tmp, dest) in &self.files {
            fs::rename(tmp, dest)?;
        }
        Ok(())
    }
}

/// Starts writing a large table to disk as it is written, where its sync started when
/// the table was complete: at the end of a large run the last table's sync (a gigabyte
/// and more) was waited for with both cores idle. Linux only; elsewhere a no-op.
#[derive(Default)]
struct Writeback {
    /// Bytes given to the file so far, and how many of them have been sent to disk.
    written: u64,
    started: u64,
}

impl Writeback {
    /// Less than this not yet sent is left for the next call.
    const STEP: u64 = 8 << 20;

    /// Sends what has been written since the last call to disk, without waiting for it
    /// (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`: the durable sync is still
    /// `sync_all`, before any rename). Bytes still in a `BufWriter` are not in the file
    /// yet and go with a later call.
    fn start(&mut self, file: &fs::File) {
        if self.written - self.started < Self::STEP {
            return;
        }
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let (from, len) = (self.started, self.written - self.started);
            // SAFETY: a plain syscall on an open descriptor this thread writes; it only
            // starts writeback of the range's dirty pages. A failure is harmless (the
            // sync before the rename reports real write errors), so it is ignored.
            unsafe {
                libc::sync_file_range(
                    file.as_raw_fd(),
                    from as libc::off64_t,
                    len as libc::off64_t,
                    libc::SYNC_FILE_RANGE_WRITE,
                );
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = file;
        self.started = self.written;
    }
}

/// The pid in a temporary file name `.NAME.tmp-PID`, if it is one.
fn temporary_pid(name: &str) -> Option<u32> {
    let (head, pid) = name.rsplit_once(".tmp-")?;
    if !head.starts_with('.') || head.len() < 2 {
        return None;
    }
    pid.parse().ok()
}

/// Removes the temporary files that a run killed while staging (SIGKILL, power loss)
/// left behind: those whose process is gone. A live run's files are left alone, so two
/// runs into one directory do not break each other. Where `/proc` is not available,
/// nothing is removed.
fn remove_dead_temporaries(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temporary_pid) else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(e.path());
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.files {
            let _ = fs::remove_file(tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes_are_neutralised() {
        for p in ["=", "+", "-", "@", "\t", "\r"] {
            let cell = format!("{p}SUM(A1)");
            assert_eq!(text(&cell), format!("'{cell}"));
        }
        assert_eq!(text("Baku denied"), "Baku denied");
        // `cell` says the same, copying only what it must change.
        for s in ["=SUM(A1)", "-5 dead", "Baku denied", ""] {
            assert_eq!(cell(s), text(s));
        }
        assert!(matches!(cell("Baku denied"), std::borrow::Cow::Borrowed(_)));
    }

    /// The `csv` crate's bytes for these rows (the writer [`Table`] replaced).
    fn csv_crate(rows: &[Vec<Vec<u8>>]) -> Result<Vec<u8>, ()> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        for r in rows {
            w.write_record(r).map_err(drop)?;
        }
        w.into_inner().map_err(drop)
    }

    fn table(rows: &[Vec<Vec<u8>>]) -> Result<Vec<u8>, ()> {
        let mut t = Table::headless();
        for r in rows {
            t.row(r);
        }
        t.finish().map_err(drop)
    }

    #[test]
    fn a_table_is_what_the_csv_crate_writes() {
        let rows = |rs: &[&[&str]]| -> Vec<Vec<Vec<u8>>> {
            rs.iter()
                .map(|r| r.iter().map(|f| f.as_bytes().to_vec()).collect())
                .collect()
        };
        for rs in [
            rows(&[&["a", "b"], &["", ""]]),
            rows(&[&[""]]),
            rows(&[&["x"], &[""], &["y"]]),
            rows(&[&["say \"no\"", "a,b", "line\nbreak", "cr\r", "\"\""]]),
            rows(&[&["é,ü", "🙂\""], &["plain", ""]]),
            rows(&[&["a", "b"], &["c"]]),
            rows(&[]),
        ] {
            assert_eq!(table(&rs), csv_crate(&rs), "{rs:?}");
        }
        // Unequal rows fail, as the csv crate's did.
        assert!(table(&rows(&[&["a", "b"], &["c"]])).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_rows_are_what_the_csv_crate_writes(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::collection::vec(
                        proptest::sample::select(vec![b'a', b' ', b',', b'"', b'\n', b'\r', 0xC3, 0xA9]),
                        0..6,
                    ),
                    1..4,
                ),
                0..5,
            )
        ) {
            proptest::prop_assert_eq!(table(&rows), csv_crate(&rows));
        }
    }

    #[test]
    fn temporaries_of_dead_runs_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        // pid_max is at most 2^22: no process has this pid.
        fs::write(p(".claims.csv.tmp-4194305"), "partial").unwrap();
        let live = format!(".claims.csv.tmp-{}", std::process::id());
        fs::write(p(&live), "ours").unwrap();
        fs::write(p(".notes.tmp-x"), "not a pid").unwrap();
        fs::write(p("claims.csv.tmp-4194305"), "not a dot-file").unwrap();
        let staged = Staged::new(dir.path()).unwrap();
        drop(staged);
        if Path::new("/proc/self").exists() {
            assert!(!p(".claims.csv.tmp-4194305").exists());
        }
        for kept in [live.as_str(), ".notes.tmp-x", "claims.csv.tmp-4194305"] {
            assert!(p(kept).exists(), "{kept}");
        }
    }

    #[test]
    fn a_table_written_window_by_window_is_one_writers_bytes() {
        // Parts of 3 items, a window of 12 per thread: many windows, the last ones short,
        // and parts made in buffers of parts written (one not emptied repeats rows).
        let dir = tempfile::tempdir().unwrap();
        let mut staged = Staged::new(dir.path()).unwrap();
        let row = |i: usize| [format!("r{i}"), "x,\"y\"".repeat(i % 5)];
        staged
            .add_table("t.csv", &["id", "text"], (1000, 3), |i, t| t.row(row(i)))
            .unwrap();
        staged.commit().unwrap();
        let mut want = Table::new(&["id", "text"]);
        (0..1000).for_each(|i| want.row(row(i)));
        assert_eq!(
            fs::read(dir.path().join("t.csv")).unwrap(),
            want.into_bytes()
        );
    }

    #[test]
    fn a_table_sent_to_disk_as_it_is_written_is_one_writers_bytes() {
        // About 20 MB: writeback is started more than once on the way.
        let dir = tempfile::tempdir().unwrap();
        let mut staged = Staged::new(dir.path()).unwrap();
        let row = |i: usize| [format!("r{i}"), "x".repeat(200 + i % 97)];
        let n = 80_000;
        staged
            .add_table("t.csv", &["id", "text"], (n, 512), |i, t| t.row(row(i)))
            .unwrap();
        staged.commit().unwrap();
        let mut want = Table::new(&["id", "text"]);
        (0..n).for_each(|i| want.row(row(i)));
        let want = want.into_bytes();
        assert!(want.len() as u64 > 2 * Writeback::STEP);
        assert!(fs::read(dir.path().join("t.csv")).unwrap() == want);
    }

    #[test]
    fn a_file_that_cannot_be_written_leaves_nothing() {
        // Its temporary name made to lead to /dev/full: created, then every write fails
        // as on a full disk.
        if !Path::new("/dev/full").exists() {
            eprintln!("skipped: no /dev/full on this system");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut staged = Staged::new(dir.path()).unwrap();
        let tmp = dir
            .path()
            .join(format!(".report.html.tmp-{}", std::process::id()));
        #[cfg(unix)]
        std::os::unix::fs::symlink("/dev/full", &tmp).unwrap();
        let err = staged.add("report.html", &[b'x'; 1 << 16]).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(28), "{err}");
        drop(staged);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_row_that_fails_fails_the_table_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut staged = Staged::new(dir.path()).unwrap();
        let written = staged.add_table("t.csv", &["id"], (500, 7), |i, t| {
            if i == 333 {
                t.fail(io::Error::other("sentence 333 unreadable"));
            } else {
                t.row([i.to_string()]);
            }
        });
        assert_eq!(written.unwrap_err().to_string(), "sentence 333 unreadable");
        drop(staged);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn numbers_are_plain() {
        assert_eq!(num(1500.0), "1500");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.1111111), "-0.1111");
        assert_eq!(num(1.0 / 3.0), "0.3333");
    }
}
