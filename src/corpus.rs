//! Finding and reading the corpus: inputs walked in sorted path order (hidden files
//! skipped, symlink loops detected), each file read, parsed and reduced to what the
//! outputs need — report metadata, mentions with their sentences, a copy signature — so
//! no report's full text outlives its extraction.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use corro_claims::{Extractor, Lexicons, Mention};
use corro_match::vocab::{renumber_in_place, Interner};
use corro_match::{Claim, Name, NameTable, Names, Signature, Vocabulary};

use crate::spill::Spill;
use corro_parse::{Format, Limits, Metadata, Report, Status};
use rayon::prelude::*;

/// A file to read, or a problem met while walking.
#[derive(Debug, Clone)]
pub enum Found {
    File {
        path: PathBuf,
        name: String,
        note: Option<String>,
    },
    Problem {
        name: String,
        message: String,
    },
}

/// Walks every input in order. Directories are walked recursively in sorted order; only
/// files corro can read are taken from them.
pub fn walk(inputs: &[PathBuf]) -> Vec<Found> {
    let mut out = Vec::new();
    for input in inputs {
        let meta = match fs::metadata(input) {
            Ok(m) => m,
            Err(e) => {
                out.push(Found::Problem {
                    name: input.display().to_string(),
                    message: format!("{}: {e}", input.display()),
                });
                continue;
            }
        };
        if meta.is_dir() {
            let mut stack = HashSet::new();
            if let Ok(c) = fs::canonicalize(input) {
                stack.insert(c);
            }
            walk_dir(input, "", &mut stack, &mut out);
        } else {
            let name = input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(Found::File {
                path: input.clone(),
                name,
                note: None,
            });
        }
    }
    out
}

fn walk_dir(dir: &Path, prefix: &str, stack: &mut HashSet<PathBuf>, out: &mut Vec<Found>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Found::Problem {
                name: display(prefix, dir),
                message: format!("{}: {e}", dir.display()),
            });
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let os_name = entry.file_name();
        let lossy = os_name.to_string_lossy().into_owned();
        if lossy.starts_with('.') {
            continue;
        }
        let name = if prefix.is_empty() {
            lossy.clone()
        } else {
            format!("{prefix}/{lossy}")
        };
        let note = os_name
            .to_str()
            .is_none()
            .then(|| "file name is not valid UTF-8; shown lossily".to_string());
        let path = entry.path();
        // The directory listing says what most entries are; only a symbolic link (which
        // a run follows) or an entry of no stated type needs a call of its own. (One
        // per file was most of the walk's time over 100,000 files.)
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_dir() => true,
            Ok(t) if t.is_file() => false,
            _ => match fs::metadata(&path) {
                Ok(m) => m.is_dir(),
                Err(e) => {
                    out.push(Found::Problem {
                        name: name.clone(),
                        message: format!("{name}: {e}"),
                    });
                    continue;
                }
            },
        };
        if is_dir {
            let canon = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if !stack.insert(canon.clone()) {
                out.push(Found::Problem {
                    name: name.clone(),
                    message: format!("{name}: symlink loop, not followed"),
                });
                continue;
            }
            walk_dir(&path, &name, stack, out);
            stack.remove(&canon);
        } else if Format::from_name(&lossy).is_some() {
            out.push(Found::File { path, name, note });
        }
    }
}

fn display(prefix: &str, dir: &Path) -> String {
    if prefix.is_empty() {
        dir.display().to_string()
    } else {
        prefix.to_string()
    }
}

/// A mention as extracted, with the sentence it was found in: what a cache entry keeps
/// and what the run reduces to a [`MentionRow`].
#[derive(Debug, Clone)]
pub struct Extraction {
    pub mention: Mention,
    /// The sentence's byte span in the report.
    pub start: usize,
    pub end: usize,
    /// Shared by the mentions of one sentence (a sentence often makes several).
    pub sentence: Arc<str>,
}

/// What the matcher reads of one mention — millions on a large corpus. Written to the
/// spill as its report is extracted ([`Extracted::mentions`]) and read back, a part at
/// a time, by the stages that read it; what only the tables show is its [`Quote`].
#[derive(Debug, Clone)]
pub struct MentionRow {
    /// What the matcher reads.
    pub claim: Claim,
    /// Where the mention's concepts are among its report's [`Extracted::concepts`]
    /// while they are provisional; in the run's one array of them on the spill once
    /// [`finish_interning`] has written it.
    pub concepts: std::ops::Range<u32>,
}

impl MentionRow {
    /// Bytes of a row on the spill: its claim and its concept range.
    pub const BYTES: usize = Claim::BYTES + 8;

    pub fn put(&self, out: &mut Vec<u8>) {
        self.claim.put(out);
        out.extend_from_slice(&self.concepts.start.to_le_bytes());
        out.extend_from_slice(&self.concepts.end.to_le_bytes());
    }

    /// A row as [`MentionRow::put`] wrote it with `names`; `None` for bytes it cannot
    /// have written.
    pub fn get(b: &[u8], names: &NameTable) -> Option<MentionRow> {
        let b: &[u8; Self::BYTES] = b.try_into().ok()?;
        let (claim, range) = b.split_at(Claim::BYTES);
        let u = |k: usize| u32::from_le_bytes([range[k], range[k + 1], range[k + 2], range[k + 3]]);
        let (start, end) = (u(0), u(4));
        Some(MentionRow {
            claim: Claim::get(claim, names)?,
            concepts: (start <= end).then_some(start..end)?,
        })
    }

    /// The rows `bytes` hold, one after another; `None` if any is damaged.
    pub fn get_all(bytes: &[u8], names: &NameTable) -> Option<Vec<MentionRow>> {
        if bytes.len() % Self::BYTES != 0 {
            return None;
        }
        bytes
            .chunks_exact(Self::BYTES)
            .map(|b| MentionRow::get(b, names))
            .collect()
    }
}

/// Where a report's mention rows are on the [`Spill`] (or the run's, one after
/// another), and how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MentionsAt {
    pub at: u64,
    pub n: u32,
}

impl MentionsAt {
    /// How many rows.
    pub fn count(&self) -> usize {
        self.n as usize
    }
}

/// What claims.csv and the quotes need of a mention beyond its claim. Written to the
/// spill with its report's sentences ([`Extracted::quotes`]) and read back when the
/// tables are written: in memory, these 24 bytes a mention were a third of the rows
/// every stage held (1 GB of input: 5.7 million mentions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// The sentence's byte span in the report (reports are far below 4 GB).
    pub start: u32,
    pub end: u32,
    /// Where the sentence's text is in its report's chunk of the [`Spill`]
    /// ([`Extracted::texts`]), and its length.
    pub text: u32,
    pub len: u32,
    /// The speaker as written (claims.csv's `attributed_to`).
    pub said: Option<Name>,
    /// Every outlet the claim passed through, `;`-joined (claims.csv's `via`).
    pub via: Option<Name>,
}

impl Quote {
    /// Bytes of one quote on the spill: six little-endian `u32`s.
    pub const BYTES: usize = 24;

    fn put(&self, out: &mut Vec<u8>) {
        let said = Name::bits(self.said);
        let via = Name::bits(self.via);
        for x in [self.start, self.end, self.text, self.len, said, via] {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }

    /// The quotes in `bytes` as [`Quote::put`] wrote them, their names checked against
    /// `names`.
    pub fn read_all(bytes: &[u8], names: &NameTable) -> std::io::Result<Vec<Quote>> {
        let damaged = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
        if bytes.len() % Self::BYTES != 0 {
            return Err(damaged(format!("{} bytes of quotes", bytes.len())));
        }
        bytes
            .chunks_exact(Self::BYTES)
            .map(|b| {
                let u = |k: usize| u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
                let name = |k: usize| {
                    names
                        .from_bits(u(k))
                        .map_err(|n| damaged(format!("a quote names {n}, which is no name")))
                };
                Ok(Quote {
                    start: u(0),
                    end: u(4),
                    text: u(8),
                    len: u(12),
                    said: name(16)?,
                    via: name(20)?,
                })
            })
            .collect()
    }
}

/// What the reading threads fill together: concept ids, shared strings, the spilled
/// sentence texts.
pub struct Shared {
    pub concepts: Interner,
    pub names: Names,
    pub texts: Spill,
}

impl Shared {
    pub fn new(texts: Spill) -> Shared {
        Shared {
            concepts: Interner::default(),
            names: Names::default(),
            texts,
        }
    }
}

/// A report as extracted: its row (no mentions yet) and its mentions in full. The run
/// keeps the reduced form ([`compact`]); a cache entry keeps this.
pub type Raw = (Extracted, Vec<Extraction>);

/// What the run keeps of one report.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub id: String,
    pub path: String,
    pub meta: Metadata,
    pub sentences: usize,
    pub status: Status,
    pub notes: Vec<String>,
    /// Its mentions' rows, on the run's [`Spill`] beside its sentences: written there as
    /// the report is extracted and never held in memory all together (as vectors, one
    /// per report, they were a third of a large run's reading peak). Provisional until
    /// [`finish_interning`] writes them again, numbered, into the run's one array.
    pub mentions: MentionsAt,
    /// The concepts of all its mentions as provisional vocabulary ids, one after
    /// another, on the run's [`Spill`] beside its sentences: written there as the report
    /// is extracted, never held in memory (a sixth of a large run's reading peak when
    /// they were). [`finish_interning`] reads them back to number them.
    pub concepts: IdsAt,
    /// Boxed: a quarter of a kilobyte, moved to the matcher (which releases it) —
    /// inline, its place stayed taken in every report for the rest of the run.
    pub signature: Option<Box<Signature>>,
    /// Where its mentions' sentences start in the run's [`Spill`].
    pub texts: u64,
    /// Where its mentions' [`Quote`]s are in the run's [`Spill`], one after another.
    pub quotes: u64,
}

/// Where a run of concept ids is on the [`Spill`], and how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdsAt {
    pub at: u64,
    pub n: u32,
}

/// CPU time spent reading, parsing and extracting, summed over threads (nanoseconds),
/// for the finer stage timings in `summary.json`.
static READ_NS: AtomicU64 = AtomicU64::new(0);
static PARSE_NS: AtomicU64 = AtomicU64::new(0);
static EXTRACT_NS: AtomicU64 = AtomicU64::new(0);

fn clock(counter: &AtomicU64, since: Instant) {
    counter.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// Seconds of read, parse and extract work so far, summed over threads.
pub fn stage_seconds() -> [(&'static str, f64); 3] {
    let s = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64 / 1e9;
    [
        ("read_thread_sum", s(&READ_NS)),
        ("parse_thread_sum", s(&PARSE_NS)),
        ("extract_thread_sum", s(&EXTRACT_NS)),
    ]
}

/// Reads, parses and extracts one found file, reducing each report for the run
/// ([`compact`]) as soon as it is extracted: a JSONL file holds thousands of reports, and
/// held in full until the whole file was done they raised a run's peak memory by a fifth.
pub fn extract_file(
    found: &Found,
    limits: &Limits,
    lex: &Lexicons,
    shared: &Shared,
) -> Vec<Extracted> {
    read_file(found, limits, lex, |raw| compact(raw, shared))
}

/// Reads, parses and extracts one found file, handing each report to `each` as it is
/// extracted (an unreadable file is one error report, with the walk's note if any).
pub fn read_file<T: Send>(
    found: &Found,
    limits: &Limits,
    lex: &Lexicons,
    each: impl Fn(Raw) -> T + Sync,
) -> Vec<T> {
    match found {
        Found::Problem { name, message } => vec![each((error(name, message), Vec::new()))],
        Found::File { path, name, note } => {
            let noted = |mut raw: Raw| {
                if let Some(n) = note {
                    raw.0.notes.push(n.clone());
                }
                each(raw)
            };
            let t = Instant::now();
            let bytes = match read_limited(path, limits) {
                Ok(b) => b,
                Err(e) => return vec![noted((error(name, &format!("{name}: {e}")), Vec::new()))],
            };
            clock(&READ_NS, t);
            extract_bytes(name, &bytes, limits, lex, noted)
        }
    }
}

/// Parses a file's bytes and extracts every report in it — records of one file in
/// parallel too (a corpus that is one big JSONL file would otherwise run on one thread),
/// kept in order, each handed to `each` as soon as it is extracted. Cached and uncached
/// runs both read files through this.
pub fn extract_bytes<T: Send>(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    lex: &Lexicons,
    each: impl Fn(Raw) -> T + Sync,
) -> Vec<T> {
    let t = Instant::now();
    let ex = Extractor::new(lex);
    let reports = corro_parse::read_source(name, bytes, limits, &lex.outlets);
    clock(&PARSE_NS, t);
    let t = Instant::now();
    let out = reports
        .into_par_iter()
        .map(|r| each(extract_report(&r, &ex)))
        .collect();
    clock(&EXTRACT_NS, t);
    out
}

/// Adds the time since `t` to the read counter (for a reader other than [`extract_file`]).
pub fn clock_read(t: Instant) {
    clock(&READ_NS, t);
}

pub fn read_limited(path: &Path, limits: &Limits) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let f = fs::File::open(path)?;
    // A compressed or line-oriented file may legitimately be large; a single text report
    // larger than the decompression limit is refused rather than read into memory.
    let cap = limits
        .max_decompressed_bytes
        .max(limits.max_report_bytes as u64);
    // Room for the file as it is now (a vector grown by doubling held up to twice it),
    // never more than the cap; a file that grows meanwhile is still read whole.
    let size = f.metadata().map_or(0, |m| m.len()).min(cap + 1);
    let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    f.take(cap + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(std::io::Error::other(format!(
            "file larger than {cap} bytes (--max-decompressed-bytes)"
        )));
    }
    Ok(buf)
}

fn error(name: &str, message: &str) -> Extracted {
    Extracted {
        id: name.to_string(),
        path: name.to_string(),
        meta: Metadata::default(),
        sentences: 0,
        status: Status::Error,
        notes: vec![message.to_string()],
        mentions: MentionsAt::default(),
        concepts: IdsAt::default(),
        signature: None,
        texts: 0,
        quotes: 0,
    }
}

/// Extracts a parsed report: its row and its mentions in full.
pub fn extract_report(r: &Report, ex: &Extractor) -> Raw {
    let mentions = if r.status == Status::Ok {
        let mut last: Option<(usize, Arc<str>)> = None;
        ex.extract(r)
            .into_iter()
            .map(|m| {
                let s = r.sentences[m.sentence];
                let sentence = match &last {
                    Some((i, text)) if *i == m.sentence => text.clone(),
                    _ => {
                        let text: Arc<str> = Arc::from(&r.text[s.start..s.end]);
                        last = Some((m.sentence, text.clone()));
                        text
                    }
                };
                Extraction {
                    start: s.start,
                    end: s.end,
                    sentence,
                    mention: m,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let signature =
        (r.status == Status::Ok).then(|| Box::new(Signature::of(&r.text[r.body_start..])));
    let row = Extracted {
        id: r.id.clone(),
        path: r.path.clone(),
        meta: r.meta.clone(),
        sentences: r.sentences.len(),
        status: r.status,
        notes: r.notes.clone(),
        mentions: MentionsAt::default(),
        concepts: IdsAt::default(),
        signature,
        texts: 0,
        quotes: 0,
    };
    (row, mentions)
}

/// Reduces an extracted report to what the run keeps: each mention's [`MentionRow`], its
/// concept strings interned as ids in the report's [`Extracted::concepts`] (kept as
/// strings for every mention they were most of a large run's memory), its other strings
/// shared through [`Names`], and its sentences written to the spill, each once.
pub fn compact(raw: Raw, shared: &Shared) -> Extracted {
    compact_with(raw, shared, |_, m, ids| {
        ids.extend(m.concepts.iter().map(|n| shared.concepts.intern(n)))
    })
}

/// [`compact`], with each mention's concept ids given by `concepts_of(k, mention, ids)`
/// (mention `k` of the report appends its ids to `ids`), for a caller that has them
/// interned already: a cached report's mentions list their concepts by index into the
/// report's own table, whose names are interned once each (`cache.rs`).
pub fn compact_with(
    (mut e, mentions): Raw,
    shared: &Shared,
    mut concepts_of: impl FnMut(usize, &Mention, &mut Vec<u32>),
) -> Extracted {
    let names = &shared.names;
    let mut concepts: Vec<u32> =
        Vec::with_capacity(mentions.iter().map(|x| x.mention.concepts.len()).sum());
    let mut rows: Vec<u8> = Vec::with_capacity(mentions.len() * MentionRow::BYTES);
    let n = mentions.len();
    let mut chunk: Vec<u8> = Vec::new();
    let mut quotes: Vec<u8> = Vec::with_capacity(mentions.len() * Quote::BYTES);
    let mut last: Option<(usize, u32, u32)> = None;
    for (k, x) in mentions.into_iter().enumerate() {
        let m = &x.mention;
        let first = concepts.len() as u32;
        concepts_of(k, m, &mut concepts);
        // Mentions of one sentence are consecutive: its text is written once.
        let (text, len) = match last {
            Some((s, text, len)) if s == m.sentence => (text, len),
            _ => {
                let at = offset(chunk.len());
                chunk.extend_from_slice(x.sentence.as_bytes());
                let len = offset(x.sentence.len());
                last = Some((m.sentence, at, len));
                (at, len)
            }
        };
        MentionRow {
            claim: Claim::of(m, names),
            concepts: first..concepts.len() as u32,
        }
        .put(&mut rows);
        Quote {
            start: offset(x.start),
            end: offset(x.end),
            text,
            len,
            said: m.speaker.as_ref().map(|s| names.get(&s.text)),
            via: (!m.via.is_empty()).then(|| names.get(&m.via.join(";"))),
        }
        .put(&mut quotes);
    }
    // The sentences, the concept ids, the quotes, the rows: one write.
    let texts_len = chunk.len() as u64;
    crate::spill::put_le(&mut chunk, &concepts);
    let quotes_at = chunk.len() as u64;
    chunk.extend_from_slice(&quotes);
    let rows_at = chunk.len() as u64;
    chunk.extend_from_slice(&rows);
    if !chunk.is_empty() {
        e.texts = shared.texts.put(&chunk);
    }
    e.quotes = e.texts + quotes_at;
    e.mentions = MentionsAt {
        at: e.texts + rows_at,
        // Capped far below 4 billion by the report's size limit.
        n: offset(n),
    };
    if !concepts.is_empty() {
        e.concepts = IdsAt {
            at: e.texts + texts_len,
            // Capped far below 4 billion mentions' worth by the report's size limit.
            n: offset(concepts.len()),
        };
    }
    e
}

/// A byte offset in a report, as kept (a report is capped far below 4 GB by the limits;
/// saturating rather than wrapping all the same).
fn offset(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// Gives every concept its final id (by first appearance in corpus order, so that the
/// ids do not depend on which thread read what first) and writes the corpus's concepts
/// to the spill as one array, each mention's sorted and unique, and its mention rows as
/// another, their ranges made ranges of the first. Returns the vocabulary, the table of
/// names, the spill and where the two arrays are; fails when the spill could not be
/// written or read back (a full disk, which would lose quotes as well), or gives back
/// damaged ids or rows.
///
/// Two passes over the ids on disk, each report in parallel, never all of them in
/// memory: each concept's first place in corpus order (numbered in that order,
/// [`Interner::finish_by_first`]); then the renumbering and writing, each report into
/// its own part of the array (a report's part keeps its provisional length: a mention
/// whose ids repeat leaves a gap, unread).
pub fn finish_interning(
    reports: &mut [Extracted],
    shared: Shared,
) -> std::io::Result<(Vocabulary, NameTable, Spill, IdsAt, MentionsAt)> {
    let Shared {
        concepts,
        names,
        texts,
    } = shared;
    texts.check()?;
    // Each concept's first place in the corpus's lists laid end to end, found on all
    // threads (the least place any report gives it), then numbered in that order: the
    // numbering one pass in corpus order makes, which kept one core busy and the other
    // idle at the end of reading.
    let first: Vec<AtomicU64> = (0..concepts.len())
        .map(|_| AtomicU64::new(u64::MAX))
        .collect();
    let mut start = 0u64;
    let starts: Vec<u64> = reports
        .iter()
        .map(|r| {
            let s = start;
            start += r.concepts.n as u64;
            s
        })
        .collect();
    reports
        .par_iter()
        .zip(&starts)
        .try_for_each_init(Vec::new, |ids, (r, &start)| {
            texts.read_ids_into(r.concepts.at, r.concepts.n as usize, ids)?;
            for (k, &p) in ids.iter().enumerate() {
                // An id no interner gave (a damaged list) is left alone, not trusted.
                if let Some(f) = first.get(p as usize) {
                    let at = start + k as u64;
                    // Most ids were met before: a load, and a write only when earlier.
                    if f.load(Ordering::Relaxed) > at {
                        f.fetch_min(at, Ordering::Relaxed);
                    }
                }
            }
            Ok::<(), std::io::Error>(())
        })?;
    drop(starts);
    let first: Vec<u64> = first.into_iter().map(AtomicU64::into_inner).collect();
    let (vocab, map) = concepts.finish_by_first(&first);
    drop(first);
    let total: usize = reports.iter().map(|r| r.concepts.n as usize).sum();
    // Mention ranges are u32 (4 billion concept ids would be 16 GB of them).
    let total_u32 = u32::try_from(total).map_err(|_| {
        std::io::Error::other(format!("{total} concept ids: more than a run can number"))
    })?;
    let rows_total: usize = reports.iter().map(|r| r.mentions.count()).sum();
    let rows_total_u32 = u32::try_from(rows_total).map_err(|_| {
        std::io::Error::other(format!("{rows_total} mentions: more than a run can number"))
    })?;
    let names = names.finish();
    let at = texts.reserve_ids(total);
    let rows_at = texts.reserve((rows_total * MentionRow::BYTES) as u64);
    let (mut base, mut row_base) = (0u64, 0u64);
    let bases: Vec<(u64, u64)> = reports
        .iter()
        .map(|r| {
            let b = (base, row_base);
            base += r.concepts.n as u64;
            row_base += r.mentions.n as u64;
            b
        })
        .collect();
    reports.par_iter_mut().zip(bases).try_for_each_init(
        || (Vec::new(), Vec::new()),
        |(ids, bytes), (r, (b, rb))| {
            texts.read_ids_into(r.concepts.at, r.concepts.n as usize, ids)?;
            bytes.resize(r.mentions.count() * MentionRow::BYTES, 0);
            texts.read_bytes(r.mentions.at, bytes)?;
            let mut rows = MentionRow::get_all(bytes, &names).ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}: a mention's row read back damaged", r.path),
                )
            })?;
            let shift = b as u32;
            for m in rows.iter_mut() {
                let (from, to) = (m.concepts.start as usize, m.concepts.end as usize);
                let damaged = || {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{}: a mention's concepts read back damaged", r.path),
                    )
                };
                let own = ids.get_mut(from..to).ok_or_else(damaged)?;
                // An id no interner gave is never used as an index.
                if own.iter().any(|&p| p as usize >= map.len()) {
                    return Err(damaged());
                }
                let len = renumber_in_place(own, &map) as u32;
                m.concepts = m.concepts.start + shift..m.concepts.start + len + shift;
            }
            texts.write_ids_at(at + b * 4, ids)?;
            r.concepts = IdsAt {
                at: at + b * 4,
                n: r.concepts.n,
            };
            bytes.clear();
            rows.iter().for_each(|m| m.put(bytes));
            let row_at = rows_at + rb * MentionRow::BYTES as u64;
            texts.write_at(row_at, bytes)?;
            r.mentions.at = row_at;
            Ok::<(), std::io::Error>(())
        },
    )?;
    let all_rows = MentionsAt {
        at: rows_at,
        n: rows_total_u32,
    };
    Ok((vocab, names, texts, IdsAt { at, n: total_u32 }, all_rows))
}

/// Runs `read` (the reading of `found`), turning a panic in the parsers into an error
/// row for that file: one bad file must never take the run down. The panic message is
/// printed to stderr by the default hook as well, so the bug is not hidden.
pub fn guarded(found: &Found, read: impl FnOnce() -> Vec<Extracted>) -> Vec<Extracted> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let name = match found {
            Found::File { name, .. } | Found::Problem { name, .. } => name,
        };
        vec![error(
            name,
            &format!("{name}: internal error while reading this file, please report it: {what}"),
        )]
    })
}

/// Reads the whole corpus in parallel; the result is in input order whatever the number
/// of threads. Duplicate ids after the first become error rows.
pub fn read_all(
    found: &[Found],
    limits: &Limits,
    lex: &Lexicons,
    shared: &Shared,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Extracted> {
    let per_file: Vec<Vec<Extracted>> = found
        .par_iter()
        .map(|f| {
            let r = guarded(f, || extract_file(f, limits, lex, shared));
            progress(1);
            r
        })
        .collect();
    let mut out = concat(per_file);
    mark_duplicates(&mut out);
    out
}

/// The reports of every file in one vector of exactly their number. Collected from a
/// flattening iterator (which cannot tell its length), the vector grew by doubling: at
/// 400,000 reports it had room for 637,000, 78 MB never used, held to the end of the run.
pub fn concat(per_file: Vec<Vec<Extracted>>) -> Vec<Extracted> {
    let mut out = Vec::with_capacity(per_file.iter().map(Vec::len).sum());
    for file in per_file {
        out.extend(file);
    }
    out
}

/// Marks every report whose id an earlier report already has: an error row naming both
/// files, with nothing extracted. Ids must be unique across files, so this runs once
/// the whole corpus is read (cached or not).
pub fn mark_duplicates(out: &mut [Extracted]) {
    // Duplicates found first with borrowed ids (no copy of every id and path), then
    // marked.
    let mut first: rustc_hash::FxHashMap<&str, usize> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(out.len(), Default::default());
    let mut duplicates: Vec<(usize, String)> = Vec::new();
    for (x, e) in out.iter().enumerate() {
        match first.entry(e.id.as_str()) {
            std::collections::hash_map::Entry::Occupied(f) => {
                let msg = format!(
                    "{}: duplicate id {:?} (first in {})",
                    e.path,
                    e.id,
                    out[*f.get()].path
                );
                duplicates.push((x, msg));
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(x);
            }
        }
    }
    drop(first);
    for (x, msg) in duplicates {
        let e = &mut out[x];
        e.status = Status::Error;
        e.notes.push(msg);
        e.mentions = MentionsAt::default();
        e.concepts = IdsAt::default();
        e.signature = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_row_stays_compact() {
        // One per mention, millions on a large corpus, alive from reading to writing:
        // grow it only knowingly (docs/performance.md has what each byte costs). The
        // claim holds its quantity inline: 12 bytes more in every row, where a boxed
        // value took 64 bytes on the heap in half of them. What only the tables show
        // is the mention's Quote, on the spill.
        assert!(std::mem::size_of::<MentionRow>() <= 52);
        assert_eq!(std::mem::size_of::<Quote>(), Quote::BYTES);
        assert!(std::mem::size_of::<corro_match::Claim>() <= 44);
    }

    #[test]
    fn a_panic_while_reading_one_file_is_an_error_row_for_that_file() {
        let found = Found::File {
            path: PathBuf::from("in/bad.txt"),
            name: "bad.txt".into(),
            note: None,
        };
        let rows = guarded(&found, || panic!("index out of bounds"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].status, Status::Error);
        assert_eq!(rows[0].path, "bad.txt");
        assert!(rows[0].notes[0].starts_with("bad.txt: internal error"));
        assert!(rows[0].notes[0].contains("index out of bounds"));
        let ok = guarded(&found, Vec::new);
        assert!(ok.is_empty());
    }

    #[test]
    fn the_corpus_is_its_files_in_order_with_no_room_to_spare() {
        let row = |name: &str| {
            let found = Found::File {
                path: PathBuf::from(name),
                name: name.into(),
                note: None,
            };
            guarded(&found, || panic!("a row")).remove(0)
        };
        // Files of 5, 0, 2 and 2 reports: flattened, the vector had room for 10.
        let per_file: Vec<Vec<Extracted>> = [5, 0, 2, 2]
            .iter()
            .enumerate()
            .map(|(f, &n)| (0..n).map(|k| row(&format!("{f}-{k}"))).collect())
            .collect();
        let out = concat(per_file);
        let paths: Vec<&str> = out.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            ["0-0", "0-1", "0-2", "0-3", "0-4", "2-0", "2-1", "3-0", "3-1"]
        );
        assert_eq!(out.capacity(), out.len());
    }

    /// The sample corpus's reports as extracted, in corpus order.
    fn sample_raw() -> Vec<Raw> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
        let lex = crate::lexicons::load(Some(&root.join("lexicons"))).unwrap();
        walk(&[root.join("reports")])
            .iter()
            .flat_map(|f| read_file(f, &Limits::default(), &lex, |raw| raw))
            .collect()
    }

    #[test]
    fn concepts_are_numbered_by_first_appearance_whatever_order_they_were_read_in() {
        let raw = sample_raw();
        // The numbering of mentions held in memory: the ids a run must give.
        let (want_vocab, want) =
            Vocabulary::of_mentions(raw.iter().flat_map(|(_, ms)| ms.iter().map(|x| &x.mention)));
        assert!(want.len() > 50 && want_vocab.len() > 100);
        // Extracted last report first (provisional ids unlike the final ones, as when
        // threads race), with a duplicate of the first report at the end whose concepts
        // are dropped.
        let shared = Shared::new(Spill::new(None).unwrap());
        let mut reports: Vec<Extracted> = raw
            .iter()
            .rev()
            .map(|r| compact(r.clone(), &shared))
            .collect();
        reports.reverse();
        let mut dup = raw[0].clone();
        dup.0.path = "again.txt".into();
        reports.push(compact(dup, &shared));
        assert!(reports
            .iter()
            .all(|r| r.mentions.n == 0 || r.concepts.n > 0));
        mark_duplicates(&mut reports);
        assert_eq!(reports.last().unwrap().concepts, IdsAt::default());
        let (vocab, names, texts, all, rows) = finish_interning(&mut reports, shared).unwrap();
        let array = texts.read_ids(all.at, all.n as usize).unwrap();
        // The rows, one array: each report's part where it says, in order.
        let mut bytes = vec![0u8; rows.count() * MentionRow::BYTES];
        texts.read_bytes(rows.at, &mut bytes).unwrap();
        let rows_array = MentionRow::get_all(&bytes, &names).unwrap();
        let mut next = rows.at;
        for r in &reports {
            assert_eq!(r.mentions.at, next, "{}", r.id);
            next += (r.mentions.count() * MentionRow::BYTES) as u64;
        }
        assert_eq!(next, rows.at + bytes.len() as u64);
        let got: Vec<Vec<u32>> = rows_array
            .iter()
            .map(|m| array[m.concepts.start as usize..m.concepts.end as usize].to_vec())
            .collect();
        assert_eq!(got, want);
        // Each row's claim is its mention's.
        let claims: Vec<&Mention> = raw
            .iter()
            .flat_map(|(_, ms)| ms.iter().map(|x| &x.mention))
            .collect();
        assert_eq!(claims.len(), rows_array.len());
        for (m, row) in claims.iter().zip(&rows_array) {
            assert_eq!(
                (
                    row.claim.sentence as usize,
                    row.claim.kind,
                    row.claim.stance
                ),
                (m.sentence, m.kind, m.stance)
            );
            assert_eq!(names.opt(row.claim.via), m.via.first().map(String::as_str));
        }
        // Every concept named as in memory; the duplicate interned none of its own.
        assert_eq!(vocab.len(), want_vocab.len());
        for id in 0..vocab.len() as u32 {
            assert_eq!(vocab.name(id), want_vocab.name(id));
        }
        // One part of the array per report, in order, each of its provisional length.
        let mut next = all.at;
        for r in &reports {
            if r.concepts.n > 0 {
                assert_eq!(r.concepts.at, next, "{}", r.id);
                next += r.concepts.n as u64 * 4;
            }
        }
        assert_eq!(next, all.at + all.n as u64 * 4);
    }

    #[test]
    fn concepts_that_could_not_be_spilled_stop_the_run() {
        let raw = sample_raw();
        let dir = tempfile::tempdir().unwrap();
        let shared = Shared::new(Spill::failing(&dir.path().join("ro")));
        let mut reports: Vec<Extracted> = raw.into_iter().map(|r| compact(r, &shared)).collect();
        let e = finish_interning(&mut reports, shared)
            .err()
            .expect("a full disk");
        assert!(e.to_string().contains("spilling"), "{e}");
    }

    #[test]
    fn each_mention_s_quote_is_on_the_spill_with_its_sentence() {
        let raw = sample_raw();
        let shared = Shared::new(Spill::new(None).unwrap());
        let reports: Vec<Extracted> = raw.iter().map(|r| compact(r.clone(), &shared)).collect();
        let Shared { names, texts, .. } = shared;
        let names = names.finish();
        let mut seen = 0;
        for (r, (_, extractions)) in reports.iter().zip(&raw) {
            let mut buf = vec![0u8; extractions.len() * Quote::BYTES];
            texts.read_bytes(r.quotes, &mut buf).unwrap();
            let quotes = Quote::read_all(&buf, &names).unwrap();
            assert_eq!(quotes.len(), r.mentions.count());
            for (q, x) in quotes.iter().zip(extractions) {
                assert_eq!((q.start as usize, q.end as usize), (x.start, x.end));
                assert_eq!(
                    texts.text(r.texts + q.text as u64, q.len).unwrap(),
                    *x.sentence
                );
                let said = x.mention.speaker.as_ref().map(|s| s.text.as_str());
                assert_eq!(names.opt(q.said), said);
                let via = x.mention.via.join(";");
                assert_eq!(names.opt(q.via), (!via.is_empty()).then_some(via.as_str()));
                seen += 1;
            }
        }
        assert!(seen > 50, "{seen} quotes");
    }

    #[test]
    fn a_damaged_quote_is_an_error_not_a_wrong_name() {
        let names = Names::default();
        let said = names.get("a spokesman");
        let table = names.finish();
        let q = Quote {
            start: 1,
            end: 90,
            text: 0,
            len: 89,
            said: Some(said),
            via: None,
        };
        let mut bytes = Vec::new();
        q.put(&mut bytes);
        assert_eq!(bytes.len(), Quote::BYTES);
        assert_eq!(Quote::read_all(&bytes, &table).unwrap(), vec![q]);
        // A name the table does not have, or a cut quote.
        let mut bad = bytes.clone();
        bad[20] = 9;
        assert!(Quote::read_all(&bad, &table).is_err());
        assert!(Quote::read_all(&bytes[..23], &table).is_err());
    }
}
