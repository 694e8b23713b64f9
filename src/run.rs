//! `corro run`: the batch job. Reads the corpus, extracts mentions, matches them, and
//! writes reports.csv, claims.csv, clusters.csv, evidence.csv and summary.json.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use corro_match::{analyse, Analysis, Aside, Claim, Mentions, NameTable, ReportFacts, Verdict};
use corro_parse::Status;

use crate::corpus::{self, Extracted, Quote};
use crate::output::{cell, num, opt_num, text, Kept, KeptRows, Staged, Table};
use crate::spill::Spill;

/// Version of the output layout; bumped whenever a column is renamed, reordered or dropped.
pub const SCHEMA_VERSION: u32 = 1;

pub const REPORTS_HEADER: &[&str] = &[
    "report_id",
    "path",
    "outlet",
    "relayed_via",
    "published",
    "place",
    "author",
    "title",
    "language",
    "sentences",
    "claims",
    "copy_family",
    "status",
    "note",
];
pub const CLAIMS_HEADER: &[&str] = &[
    "claim_id",
    "report_id",
    "sentence",
    "start",
    "end",
    "text",
    "kind",
    "stance",
    "attributed_to",
    "via",
    "value_low",
    "value_high",
    "approx",
    "unit",
    "per",
    "cluster_id",
    "origin",
];
pub const CLUSTERS_HEADER: &[&str] = &[
    "cluster_id",
    "label",
    "kind",
    "value_low",
    "value_high",
    "unit",
    "per",
    "mentions",
    "reports",
    "outlets",
    "origins_supporting",
    "origins_denying",
    "origins_discussing",
    "first_seen",
    "first_outlet",
    "last_seen",
    "score",
    "verdict",
    "value_conflict",
    "explanation",
];
pub const EVIDENCE_HEADER: &[&str] = &[
    "cluster_id",
    "report_id",
    "outlet",
    "origin",
    "stance",
    "weight",
    "quote",
    "note",
];

/// The corpus after reading and matching: everything the outputs are made from.
pub struct Outcome {
    /// The reports' rows (their mentions are in `rows`).
    pub reports: Vec<Extracted>,
    /// Where every mention's row is, report after report (mention `i` of the matcher is
    /// row `i`): on the spill, read back a part of claims.csv at a time.
    rows: corpus::MentionsAt,
    /// Report `r`'s mentions are rows `first[r]..first[r + 1]` (kept to the end: the
    /// counts in `summary.json` and reports.csv, and the report of each row).
    first: Vec<u32>,
    /// Where each mention's sentence is in its report's chunk of the spill, and its
    /// length (its [`Quote`]'s `text` and `len`): read report by report once matching
    /// is done, so that an evidence quote or a cluster label is one read of the spill
    /// rather than two (its quote, then its sentence). Eight bytes a mention, held for
    /// writing only.
    places: Vec<(u32, u32)>,
    pub analysis: Analysis,
    /// The strings behind the mentions' names (units, speakers, outlets).
    pub names: NameTable,
    /// The mentions' sentences, on disk until written.
    pub texts: Spill,
    pub timings: Vec<(&'static str, f64)>,
    /// What `--cache` reused, for `summary.json` (`None` without a cache).
    pub cache: Option<crate::cache::Counts>,
}

impl Outcome {
    /// (report index, mention index within the report) of matcher mention `i`.
    pub fn at(&self, i: usize) -> (usize, usize) {
        // The last report starting at or before `i` (reports without mentions start
        // where the next one does).
        let r = self.first.partition_point(|&f| f as usize <= i) - 1;
        (r, i - self.first[r] as usize)
    }

    /// Mentions `range`'s rows, read back from the spill.
    fn rows(&self, range: std::ops::Range<usize>) -> std::io::Result<Vec<corpus::MentionRow>> {
        read_rows(&self.texts, self.rows, range, &self.names)
    }

    /// Number of claim mentions.
    pub fn claims(&self) -> usize {
        self.first.last().map_or(0, |&n| n as usize)
    }

    /// Number of claim mentions of report `r`.
    fn mention_count(&self, r: usize) -> usize {
        (self.first[r + 1] - self.first[r]) as usize
    }

    /// Report `r`'s quotes, read back from the spill.
    fn quotes_of(&self, r: usize) -> std::io::Result<Vec<Quote>> {
        let mut buf = vec![0u8; self.mention_count(r) * Quote::BYTES];
        self.texts.read_bytes(self.reports[r].quotes, &mut buf)?;
        Quote::read_all(&buf, &self.names)
    }

    /// The sentence of matcher mention `i`, read back from the spill.
    pub fn sentence(&self, i: usize) -> std::io::Result<String> {
        let (ri, _) = self.at(i);
        let (text, len) = self.place(i)?;
        self.texts.text(self.reports[ri].texts + text as u64, len)
    }

    /// Where mention `i`'s sentence is in its report's chunk, and its length.
    fn place(&self, i: usize) -> std::io::Result<(u32, u32)> {
        self.places.get(i).copied().ok_or_else(|| {
            std::io::Error::other(format!("mention {i}'s sentence: its place was released"))
        })
    }

    /// The sentences of `mentions`, all of report `r`, with one read of the spill (the
    /// stretch of the report's chunk from the first of them to the last) into `buf`:
    /// each sentence's range in `buf`, in the order of `mentions` (its bytes are not yet
    /// checked to be UTF-8).
    fn sentences_of(
        &self,
        r: usize,
        mentions: impl Iterator<Item = usize>,
        buf: &mut Vec<u8>,
    ) -> std::io::Result<Vec<std::ops::Range<usize>>> {
        let places = mentions
            .map(|i| self.place(i))
            .collect::<std::io::Result<Vec<_>>>()?;
        let lo = places.iter().map(|p| p.0).min().unwrap_or(0);
        let hi = places.iter().map(|p| p.0 + p.1).max().unwrap_or(0);
        self.texts
            .read(self.reports[r].texts + lo as u64, hi - lo, buf)?;
        Ok(places
            .iter()
            .map(|&(text, len)| (text - lo) as usize..(text - lo + len) as usize)
            .collect())
    }

    /// Hands over the spill once the CSVs are written (nothing reads it after them),
    /// leaving an empty one in its place: closing it frees a file as large as the run's
    /// claims — most of a second of one core at 160k reports, and the process waited
    /// for it as it ended — so the caller closes it beside the work that follows.
    pub fn take_texts(&mut self) -> std::io::Result<Spill> {
        Ok(std::mem::replace(&mut self.texts, Spill::new(None)?))
    }

    /// Frees what only the CSVs needed — every mention, evidence row and origin — once
    /// they are written, keeping what `summary.json` and `--fail-on` read (statuses,
    /// verdicts, counts): the views that follow read the written files back, or the
    /// page's rows kept as they were written ([`PageOfRun`]).
    pub fn release_rows(&mut self) {
        self.places = Vec::new();
        self.analysis.member = Vec::new();
        self.analysis.cluster = Vec::new();
        for c in &mut self.analysis.clusters {
            c.mentions = Vec::new();
            c.origins = Vec::new();
            c.mention_origin = Vec::new();
            c.evidence = Vec::new();
        }
    }

    pub fn input_errors(&self) -> usize {
        self.reports
            .iter()
            .filter(|r| r.status == Status::Error)
            .count()
    }
}

/// The run's mentions as the matcher reads them: their rows on the spill, brought back
/// whole only while a stage reads claims; their concepts on the spill, visited in order.
struct RunMentions<'a> {
    /// Every mention's row, and its report; both empty while set aside
    /// ([`Mentions::set_aside`]).
    rows: Vec<corpus::MentionRow>,
    report_of: Vec<u32>,
    /// Report `r`'s mentions are rows `first[r]..first[r + 1]` (`report_of` is made
    /// again from it when the rows come back).
    first: &'a [u32],
    /// Number of mentions, whether their rows are in memory or not.
    len: usize,
    /// Where the rows are on the spill, one after another: written there while reading
    /// ([`corpus::finish_interning`]), read back each time they are brought back.
    rows_on_disk: corpus::MentionsAt,
    /// Whether the rows are out of memory now.
    rows_out: bool,
    /// The names the rows' claims were written with, to check them when read back.
    names: &'a NameTable,
    /// Where the concepts are: every mention's, one after another (the rows' ranges
    /// index them), written once while reading ([`corpus::finish_interning`]) and read
    /// in windows each time the matcher visits them. They are never in memory whole.
    disk: &'a Spill,
    concepts: corpus::IdsAt,
    /// Where the matcher sets its story links aside, and what remembers the first
    /// failed read back — of links, concepts or rows: the run stops after matching.
    aside: SetAside<'a>,
}

/// The matcher's [`Aside`]: the run's spill file, remembering the first failed read —
/// of story links, or of the mentions' concepts or rows (the matcher carries on without
/// what it could not read back; the run must stop).
struct SetAside<'a> {
    disk: &'a Spill,
    failed: std::sync::Mutex<Option<std::io::Error>>,
}

impl Aside for SetAside<'_> {
    fn put(&self, bytes: &[u8]) -> std::io::Result<u64> {
        self.disk.put_bytes(bytes)
    }

    fn read(&self, at: u64, buf: &mut [u8]) -> std::io::Result<()> {
        let read = self.disk.read_bytes(at, buf);
        if let Err(e) = &read {
            self.remember(std::io::Error::new(e.kind(), e.to_string()));
        }
        read
    }
}

impl<'a> SetAside<'a> {
    /// The run's spill, with no failed read yet.
    fn on(disk: &'a Spill) -> SetAside<'a> {
        SetAside {
            disk,
            failed: Default::default(),
        }
    }

    /// Keeps the first failed read back.
    fn remember(&self, e: std::io::Error) {
        self.failed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(e);
    }
}

/// Concept ids read from disk at a time when the matcher visits them in order (4 MB).
const VISIT_WINDOW: usize = 1 << 20;

impl RunMentions<'_> {
    fn visit_in_windows(&self, ids: usize, visit: &mut dyn FnMut(usize, &[u32])) {
        // (The matcher's contract: concepts are visited with the rows back.)
        debug_assert!(!self.rows_out, "concepts visited with the rows set aside");
        let corpus::IdsAt { at, n } = self.concepts;
        let n = n as usize;
        let mut window: Vec<u32> = Vec::new();
        // The index of `window[0]` in the array on disk.
        let mut base = 0usize;
        // After a failed read, no more are tried: the run is to stop anyway.
        let mut lost = false;
        for (i, row) in self.rows.iter().enumerate() {
            let (start, end) = (row.concepts.start as usize, row.concepts.end as usize);
            if !lost && (start < base || end > base + window.len()) {
                let k = ids.max(end - start).min(n.saturating_sub(start));
                base = start;
                if let Err(e) = self
                    .disk
                    .read_ids_into(at + 4 * start as u64, k, &mut window)
                {
                    self.aside.remember(e);
                    window.clear();
                    lost = true;
                }
            }
            let at = start.checked_sub(base).zip(end.checked_sub(base));
            visit(
                i,
                at.and_then(|(a, b)| window.get(a..b)).unwrap_or_default(),
            );
        }
    }
}

/// Mention rows read back at a time (3 MB).
const ROWS_PIECE: usize = 1 << 16;

/// Rows `range` of the run's array of them on `disk` (`all`), checked.
fn read_rows(
    disk: &Spill,
    all: corpus::MentionsAt,
    range: std::ops::Range<usize>,
    names: &NameTable,
) -> std::io::Result<Vec<corpus::MentionRow>> {
    if range.start > range.end || range.end > all.count() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("mention rows {range:?} of {}", all.count()),
        ));
    }
    let mut rows = Vec::with_capacity(range.len());
    let mut buf = Vec::new();
    for from in range.clone().step_by(ROWS_PIECE) {
        let n = ROWS_PIECE.min(range.end - from);
        buf.resize(n * corpus::MentionRow::BYTES, 0);
        disk.read_bytes(all.at + (from * corpus::MentionRow::BYTES) as u64, &mut buf)?;
        rows.extend(corpus::MentionRow::get_all(&buf, names).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "a mention row read back is damaged",
            )
        })?);
    }
    Ok(rows)
}

impl Mentions for RunMentions<'_> {
    fn len(&self) -> usize {
        self.len
    }

    /// The rows are on the spill since reading: they, and the report of each (made
    /// again from `first`), are freed.
    fn set_aside(&mut self) {
        self.rows = Vec::new();
        self.report_of = Vec::new();
        self.rows_out = true;
    }

    /// Read back, checked. A failed or damaged read is remembered (the run stops after
    /// matching) and the rows are made empty claims, so that the matcher can finish.
    fn bring_back(&mut self) {
        if !self.rows_out {
            return;
        }
        self.rows = read_rows(self.disk, self.rows_on_disk, 0..self.len, self.names)
            .unwrap_or_else(|e| {
                self.aside.remember(e);
                let empty = corpus::MentionRow::get(&[0; corpus::MentionRow::BYTES], self.names)
                    .expect("zeros are a row");
                vec![empty; self.len]
            });
        self.report_of = report_of(self.first, self.len);
        self.rows_out = false;
    }
    fn report(&self, i: usize) -> u32 {
        self.report_of[i]
    }
    fn claim(&self, i: usize) -> &Claim {
        &self.rows[i].claim
    }
    fn aside(&self) -> Option<&dyn Aside> {
        Some(&self.aside)
    }

    /// The concepts are read from disk a window at a time ([`VISIT_WINDOW`]
    /// ids, or one mention's if more): mentions' ranges follow one another in the array
    /// as written, so each window is read once, in order. A failed read is remembered
    /// (the run stops after matching) and the mentions it held are visited without
    /// concepts.
    fn visit_concepts(&self, visit: &mut dyn FnMut(usize, &[u32])) {
        self.visit_in_windows(VISIT_WINDOW, visit);
    }
}

/// Where each report's mentions start among the run's rows, and where the last ends:
/// report `r`'s are rows `first[r]..first[r + 1]`. Their rows and concepts are the
/// run's two arrays on the spill ([`corpus::finish_interning`]), found by index from
/// here: the reports' own places in them are cleared.
fn firsts(reports: &mut [Extracted]) -> Vec<u32> {
    let mut first = Vec::with_capacity(reports.len() + 1);
    let mut n = 0u32;
    for r in reports.iter_mut() {
        first.push(n);
        // (finish_interning has checked that they number fewer than 2^32.)
        n = n.saturating_add(r.mentions.n);
        r.mentions = corpus::MentionsAt::default();
        r.concepts = corpus::IdsAt::default();
    }
    first.push(n);
    first
}

/// The report of each mention, from where each report's mentions start.
fn report_of(first: &[u32], mentions: usize) -> Vec<u32> {
    let mut of = Vec::with_capacity(mentions);
    for (r, w) in first.windows(2).enumerate() {
        of.extend(std::iter::repeat(r as u32).take((w[1] - w[0]) as usize));
    }
    of
}

/// Report rows set aside in one piece (a few hundred KB).
const ROWS_ASIDE: usize = 2048;

/// Pieces of report rows encoded or decoded at once: two per thread.
fn piece_window() -> usize {
    rayon::current_num_threads().max(1) * 2
}

/// Where the reports' rows are while the corpus is matched.
///
/// The matcher reads its own copy of what it needs of them ([`ReportFacts`]); the rows
/// — ids, paths, titles, authors, notes: a few hundred bytes in a dozen small strings
/// a report — are for writing only. They are set aside on the spill in the cache's
/// layout (checked when read back) and brought back after matching, when the matcher's
/// own structures are gone.
enum RowsAt {
    Memory(Vec<Extracted>),
    /// Each piece's place and length, and each report's `texts` and `quotes`, which the
    /// layout does not keep.
    Disk {
        pieces: Vec<(u64, usize)>,
        texts: Vec<(u64, u64)>,
    },
}

impl RowsAt {
    /// Sets the rows aside, or keeps them when the spill cannot be written.
    fn aside(reports: Vec<Extracted>, disk: &Spill) -> RowsAt {
        let mut pieces = Vec::with_capacity(reports.len().div_ceil(ROWS_ASIDE));
        // Encoded on all threads, a window of pieces at a time (one thread took a
        // second or more of a large run while the other core idled), and written in
        // order.
        let chunks: Vec<&[Extracted]> = reports.chunks(ROWS_ASIDE).collect();
        let written = chunks.chunks(piece_window()).all(|window| {
            let encoded: Vec<Vec<u8>> = window
                .par_iter()
                .map(|rows| crate::cache::encode_rows(rows))
                .collect();
            encoded.iter().all(|bytes| match disk.put_bytes(bytes) {
                Ok(at) => {
                    pieces.push((at, bytes.len()));
                    true
                }
                Err(_) => false,
            })
        });
        drop(chunks);
        if !written {
            return RowsAt::Memory(reports);
        }
        let texts = reports.iter().map(|r| (r.texts, r.quotes)).collect();
        RowsAt::Disk { pieces, texts }
    }

    /// The rows, read back and checked.
    fn back(self, disk: &Spill) -> std::io::Result<Vec<Extracted>> {
        let (pieces, texts) = match self {
            RowsAt::Memory(reports) => return Ok(reports),
            RowsAt::Disk { pieces, texts } => (pieces, texts),
        };
        let mut reports = Vec::with_capacity(texts.len());
        // Read and decoded on all threads, a window of pieces at a time: all at once,
        // every piece's rows would be held beside the ones already moved into place.
        for window in pieces.chunks(piece_window()) {
            let decoded = window
                .par_iter()
                .map_init(Vec::new, |buf, &(at, len)| {
                    buf.resize(len, 0);
                    disk.read_bytes(at, buf)?;
                    crate::cache::decode_rows(buf)
                        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
                })
                .collect::<std::io::Result<Vec<Vec<Extracted>>>>()?;
            for rows in decoded {
                reports.extend(rows);
            }
        }
        if reports.len() != texts.len() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} set aside, {} read back", texts.len(), reports.len()),
            ));
        }
        for (r, (texts, quotes)) in reports.iter_mut().zip(texts) {
            (r.texts, r.quotes) = (texts, quotes);
        }
        Ok(reports)
    }
}

/// Matches an extracted corpus. Fails only when what was set aside on disk while
/// matching (concepts, story links, report rows) cannot be read back.
pub fn match_corpus(corpus: Corpus) -> std::io::Result<Outcome> {
    let Corpus {
        mut reports,
        vocab,
        names,
        texts,
        concepts,
        rows,
        mut timings,
    } = corpus;
    let t = Instant::now();
    // Signatures are only needed by the matcher: moved, not cloned.
    let mut facts: Vec<ReportFacts> = reports
        .iter_mut()
        .map(|r| ReportFacts {
            id: r.id.clone(),
            outlet: r.meta.outlet.clone(),
            relayed_via: r.meta.relayed_via.clone(),
            published: r.meta.published,
            signature: r.signature.take(),
            headline: r.meta.title.is_some() && r.sentences > 0,
        })
        .collect();
    let first = firsts(&mut reports);
    let reports = RowsAt::aside(reports, &texts);
    // The matcher brings the rows back when it first reads them.
    let mut mentions = RunMentions {
        len: rows.count(),
        rows: Vec::new(),
        report_of: Vec::new(),
        first: &first,
        rows_on_disk: rows,
        rows_out: true,
        names: &names,
        disk: &texts,
        concepts,
        aside: SetAside::on(&texts),
    };
    let analysis = analyse(&mut facts, &mut mentions, &vocab, &names);
    // The rows on the spill are the tables' from here. (Matching ends with them set
    // aside; freed now all the same, before the report rows come back.)
    let RunMentions {
        rows: in_memory,
        rows_on_disk: rows,
        aside,
        ..
    } = mentions;
    drop(in_memory);
    if let Some(e) = aside.failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(std::io::Error::new(
            e.kind(),
            format!("reading back what matching set aside on disk: {e}"),
        ));
    }
    // Concept ids are the matcher's alone (no output shows them): gone before the
    // tables are written, where they were a fifth of what a large run still held.
    drop(vocab);
    let reports = reports.back(&texts).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("reading back the report rows set aside on disk: {e}"),
        )
    })?;
    let places = sentence_places(&reports, &first, &texts, &names).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("reading back the mentions' quotes from disk: {e}"),
        )
    })?;
    timings.push(("match", t.elapsed().as_secs_f64()));
    timings.extend(analysis.timings.iter().copied());
    Ok(Outcome {
        reports,
        rows,
        first,
        places,
        analysis,
        names,
        texts,
        timings,
        cache: None,
    })
}

/// Each mention's sentence place ([`Outcome::places`]), from its report's quotes on the
/// spill (checked as they are read).
fn sentence_places(
    reports: &[Extracted],
    first: &[u32],
    texts: &Spill,
    names: &NameTable,
) -> std::io::Result<Vec<(u32, u32)>> {
    sentence_places_in(reports, first, texts, names, PLACES_BATCH)
}

/// [`sentence_places`], `batch` reports to a task (tests make it small).
fn sentence_places_in(
    reports: &[Extracted],
    first: &[u32],
    texts: &Spill,
    names: &NameTable,
    batch: usize,
) -> std::io::Result<Vec<(u32, u32)>> {
    let batch = batch.max(1);
    let total = first.last().map_or(0, |&n| n as usize);
    let mut places = vec![(0u32, 0u32); total];
    // Reports a batch at a time on all threads, each batch into its own part of
    // `places` (one thread reading report after report took a second or two of a large
    // run while the other core idled).
    let mut parts: Vec<(std::ops::Range<usize>, &mut [Place])> = Vec::new();
    let mut rest: &mut [Place] = &mut places;
    for lo in (0..reports.len()).step_by(batch) {
        let hi = (lo + batch).min(reports.len());
        let n = (first[hi] - first[lo]) as usize;
        let (part, tail) = std::mem::take(&mut rest).split_at_mut(n);
        parts.push((lo..hi, part));
        rest = tail;
    }
    parts
        .into_par_iter()
        .try_for_each_init(Vec::new, |buf, (batch, part)| {
            let mut at = 0;
            for r in batch {
                let n = (first[r + 1] - first[r]) as usize;
                buf.resize(n * Quote::BYTES, 0);
                texts.read_bytes(reports[r].quotes, buf)?;
                for (place, q) in part[at..at + n]
                    .iter_mut()
                    .zip(Quote::read_all(buf, names)?)
                {
                    *place = (q.text, q.len);
                }
                at += n;
            }
            Ok::<(), std::io::Error>(())
        })?;
    Ok(places)
}

/// A mention's sentence: where it starts in its report's chunk on the spill, and its
/// length.
type Place = (u32, u32);

/// Reports whose sentence places are read as one task.
const PLACES_BATCH: usize = 1024;

fn yes_no(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// The claim id of a mention: report id and the mention's ordinal in the report.
pub fn claim_id(report_id: &str, k: usize) -> String {
    // By hand rather than `format!`: one per row of claims.csv.
    let mut digits = itoa::Buffer::new();
    let n = digits.format(k + 1);
    let mut id = String::with_capacity(report_id.len() + 1 + n.len());
    id.push_str(report_id);
    id.push('#');
    id.push_str(n);
    id
}

/// reports.csv's row for report `ri` (every input report has one, skipped or not).
fn report_row(o: &Outcome, ri: usize, t: &mut Table) {
    let r = &o.reports[ri];
    let family = if r.status == Status::Ok {
        o.reports[o.analysis.copy_family[ri]].id.as_str()
    } else {
        ""
    };
    t.row([
        text(&r.id),
        text(&r.path),
        text(r.meta.outlet.as_deref().unwrap_or("")),
        text(&r.meta.relayed_via.join(";")),
        r.meta.published.map(|d| d.to_string()).unwrap_or_default(),
        text(r.meta.place.as_deref().unwrap_or("")),
        text(r.meta.author.as_deref().unwrap_or("")),
        text(r.meta.title.as_deref().unwrap_or("")),
        text(r.meta.language.as_deref().unwrap_or("")),
        r.sentences.to_string(),
        o.mention_count(ri).to_string(),
        text(family),
        r.status.as_str().to_string(),
        text(&r.notes.join("; ")),
    ]);
}

/// claims.csv's rows for mentions `range`, one per claim mention. Consecutive mentions
/// are mostly of one report: each report's sentences are read from the spill in one go.
fn claim_rows(
    o: &Outcome,
    range: std::ops::Range<usize>,
    t: &mut Table,
    (shown, kept): (&[bool], &mut Kept),
) {
    let rows = match o.rows(range.clone()) {
        Ok(rows) => rows,
        Err(e) => return t.fail(e),
    };
    let mut at: Option<usize> = None;
    let mut quotes: Vec<Quote> = Vec::new();
    let mut chunk: Vec<u8> = Vec::new();
    for (i, row) in range.zip(rows.iter()) {
        let (ri, k) = o.at(i);
        if at != Some(ri) {
            quotes = match o.quotes_of(ri) {
                Ok(q) => q,
                Err(e) => return t.fail(e),
            };
            let len = quotes.iter().map(|q| q.text + q.len).max().unwrap_or(0);
            if let Err(e) = o.texts.read(o.reports[ri].texts, len, &mut chunk) {
                return t.fail(e);
            }
            at = Some(ri);
        }
        let q = &quotes[k];
        match std::str::from_utf8(&chunk[q.text as usize..(q.text + q.len) as usize]) {
            Ok(sentence) => claim_row(o, i, row, q, sentence, t, (shown, &mut *kept)),
            Err(e) => return t.fail(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        }
    }
}

/// claims.csv's row for mention `i`, given its quote and sentence; kept for the page
/// too if its cluster is `shown` and it has a value (the page's charts plot nothing
/// else).
fn claim_row(
    o: &Outcome,
    i: usize,
    row: &corpus::MentionRow,
    quote: &Quote,
    sentence: &str,
    t: &mut Table,
    (shown, kept): (&[bool], &mut Kept),
) {
    let (ri, k) = o.at(i);
    let r = &o.reports[ri];
    let m = &row.claim;
    let q = m.value();
    let ci = o.analysis.cluster[i] as usize;
    let cluster = &o.analysis.clusters[ci];
    // One row per mention, millions on a large corpus: cells are borrowed wherever they
    // need no prefix, and only the numbers are formatted.
    let id = claim_id(&r.id, k);
    let (mut sentence_no, mut start, mut end) = (
        itoa::Buffer::new(),
        itoa::Buffer::new(),
        itoa::Buffer::new(),
    );
    let (sentence_no, start, end) = (
        sentence_no.format(m.sentence),
        start.format(quote.start),
        end.format(quote.end),
    );
    let (low, high) = (
        opt_num(q.and_then(|q| q.low)),
        opt_num(q.and_then(|q| q.high)),
    );
    let cells: [std::borrow::Cow<str>; 17] = [
        cell(&id),
        cell(&r.id),
        sentence_no.into(),
        start.into(),
        end.into(),
        cell(sentence),
        m.kind.as_str().into(),
        m.stance.as_str().into(),
        cell(o.names.opt(quote.said).unwrap_or("")),
        cell(o.names.opt(quote.via).unwrap_or("")),
        low.as_str().into(),
        high.as_str().into(),
        q.map_or("", |q| yes_no(q.approx)).into(),
        cell(q.and_then(|q| o.names.opt(q.unit)).unwrap_or("")),
        cell(q.and_then(|q| o.names.opt(q.per)).unwrap_or("")),
        cell(&cluster.id),
        cell(o.analysis.origin(i)),
    ];
    let cells = cells.each_ref().map(|c| c.as_bytes());
    t.row(cells);
    if shown[ci] && !(low.is_empty() && high.is_empty()) {
        kept.rows.row(cells);
    }
}

/// clusters.csv's row for cluster `ci`.
fn cluster_row(o: &Outcome, ci: usize, t: &mut Table) {
    let c = &o.analysis.clusters[ci];
    let label = match o.sentence(c.label as usize) {
        Ok(s) => s,
        Err(e) => return t.fail(e),
    };
    let aside = SetAside::on(&o.texts);
    let explanation = match c.read_explanation(&aside) {
        Ok(x) => x,
        Err(e) => return t.fail(e),
    };
    t.row([
        text(&c.id),
        text(&label),
        c.kind.as_str().to_string(),
        opt_num(c.low),
        opt_num(c.high),
        text(c.unit.as_deref().unwrap_or("")),
        text(c.per.as_deref().unwrap_or("")),
        c.mentions.len().to_string(),
        c.reports.to_string(),
        c.outlets.to_string(),
        c.supporting.to_string(),
        c.denying.to_string(),
        c.discussing.to_string(),
        c.first_seen.map(|d| d.to_string()).unwrap_or_default(),
        text(c.first_outlet.as_deref().unwrap_or("")),
        c.last_seen.map(|d| d.to_string()).unwrap_or_default(),
        num(round(c.score)),
        c.verdict.as_str().to_string(),
        yes_no(c.value_conflict).to_string(),
        text(&explanation),
    ]);
}

/// evidence.csv's rows for cluster `ci`: one per (report, origin). If the page shows
/// the cluster, the rows it keeps of them are kept for it too, and the others counted.
fn evidence_rows(o: &Outcome, ci: usize, t: &mut Table, (shown, kept): (&[bool], &mut Kept)) {
    let c = &o.analysis.clusters[ci];
    let origin = |e: &corro_match::Evidence| -> &str { &c.origins[e.origin as usize] };
    let aside = SetAside::on(&o.texts);
    let evidence = match c.evidence_rows(&aside) {
        Ok(e) => e,
        Err(e) => return t.fail(e),
    };
    let mut rows: Vec<_> = evidence.iter().collect();
    rows.sort_by(|a, b| (a.report, origin(a)).cmp(&(b.report, origin(b))));
    let id = cell(&c.id);
    let mut cap =
        shown[ci].then(|| crate::explain::EvidenceCap::new(crate::html::MAX_EVIDENCE_ROWS));
    // The quotes of one report's rows are one read of the spill (a row quotes a mention
    // of its own report): at 40,000 reports 474,000 rows need 328,000 reads, not one each.
    let mut chunk = Vec::new();
    for same_report in rows.chunk_by(|a, b| a.report == b.report) {
        let ri = same_report[0].report as usize;
        let r = &o.reports[ri];
        let mentions = same_report.iter().map(|e| e.mention as usize);
        debug_assert!(mentions.clone().all(|m| o.at(m).0 == ri));
        let quotes = match o.sentences_of(ri, mentions, &mut chunk) {
            Ok(q) => q,
            Err(e) => return t.fail(e),
        };
        for (e, quote) in same_report.iter().zip(quotes) {
            let quote = match std::str::from_utf8(&chunk[quote]) {
                Ok(s) => s,
                Err(e) => return t.fail(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
            };
            let weight = num(e.weight);
            let note = e.note(
                |r| &o.reports[r as usize].id,
                |r| o.analysis.copy_share[r as usize],
            );
            let cells: [std::borrow::Cow<str>; 8] = [
                id.as_ref().into(),
                cell(&r.id),
                cell(r.meta.outlet.as_deref().unwrap_or("")),
                cell(origin(e)),
                e.stance.as_str().into(),
                weight.as_str().into(),
                cell(quote),
                cell(&note),
            ];
            let cells = cells.each_ref().map(|c| c.as_bytes());
            t.row(cells);
            if let Some(cap) = &mut cap {
                if cap.admit(&id, &weight) {
                    kept.rows.row(cells);
                }
            }
        }
    }
    if let Some(cap) = cap {
        kept.left.extend(cap.not_kept());
    }
}

fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

pub fn summary_json(o: &Outcome) -> Vec<u8> {
    let count = |s: Status| o.reports.iter().filter(|r| r.status == s).count();
    let mut verdicts = serde_json::Map::new();
    for v in Verdict::ALL {
        let n = o
            .analysis
            .clusters
            .iter()
            .filter(|c| c.verdict == v)
            .count();
        verdicts.insert(v.as_str().to_string(), n.into());
    }
    let mut timings = serde_json::Map::new();
    for (k, v) in &o.timings {
        timings.insert(
            format!("{k}_ms"),
            serde_json::json!((v * 1000.0).round() as u64),
        );
    }
    let mut j = serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "reports": {
            "total": o.reports.len(),
            "ok": count(Status::Ok),
            "skipped": count(Status::Skipped),
            "error": count(Status::Error),
        },
        "claims": o.claims(),
        "clusters": {
            "total": o.analysis.clusters.len(),
            "by_verdict": verdicts,
            "value_conflict": o.analysis.clusters.iter().filter(|c| c.value_conflict).count(),
        },
        "timings": timings,
    });
    if let (Some(c), Some(map)) = (&o.cache, j.as_object_mut()) {
        map.insert(
            "cache".into(),
            serde_json::json!({
                "reused": c.reused,
                "read_afresh": c.read_afresh,
                "unreadable": c.unreadable,
            }),
        );
    }
    let mut s = serde_json::to_vec_pretty(&j).expect("json");
    s.push(b'\n');
    s
}

/// What the page of a run is made from, set aside as the CSVs are written: the
/// clusters it shows (chosen from clusters.csv as written) and, of claims.csv and
/// evidence.csv, the rows it keeps of them — the very bytes written, so the page cannot
/// disagree with the files, without reading the two largest back.
pub struct PageOfRun {
    page: crate::explain::Page,
    claims: KeptRows,
    claims_total: usize,
    evidence: KeptRows,
}

/// Output files are written atomically: this streams the four CSVs to temporary files
/// in the output directory, and nothing is in place until [`commit_outputs`] renames
/// them all. clusters.csv is written before the claims and evidence, and the page's
/// clusters chosen from it (at most `page_clusters`), so that the rows of those two
/// tables the page shows are kept as they are written.
pub fn stage_tables(
    o: &Outcome,
    staged: &mut Staged,
    page_clusters: usize,
) -> std::io::Result<PageOfRun> {
    let (reports, claims, clusters) = (o.reports.len(), o.claims(), o.analysis.clusters.len());
    // Parts of about a megabyte: a few hundred bytes a row, evidence a few KB a cluster.
    staged.add_table("reports.csv", REPORTS_HEADER, (reports, 2048), |i, t| {
        report_row(o, i, t)
    })?;
    staged.add_table("clusters.csv", CLUSTERS_HEADER, (clusters, 2048), |i, t| {
        cluster_row(o, i, t)
    })?;
    let written = staged
        .staged_path("clusters.csv")
        .expect("clusters.csv was just staged");
    let page = crate::explain::Page::choose(written, page_clusters)
        .map_err(|e| std::io::Error::other(format!("reading back {e}")))?;
    let shown: Vec<bool> = o
        .analysis
        .clusters
        .iter()
        .map(|c| page.shows(cell(&c.id).as_bytes()))
        .collect();
    let shown = &shown[..];
    let claims_kept = staged.add_table_kept(
        "claims.csv",
        CLAIMS_HEADER,
        (claims, 2048),
        |range, t, kept| claim_rows(o, range, t, (shown, kept)),
    )?;
    let evidence_kept = staged.add_table_kept(
        "evidence.csv",
        EVIDENCE_HEADER,
        (clusters, 256),
        |range, t, kept| {
            for ci in range {
                evidence_rows(o, ci, t, (shown, &mut *kept));
            }
        },
    )?;
    Ok(PageOfRun {
        page,
        claims: claims_kept,
        claims_total: claims,
        evidence: evidence_kept,
    })
}

/// Adds the views and summary.json to the staged tables and puts every file in place.
pub fn commit_outputs(
    o: &Outcome,
    mut staged: Staged,
    extra: Vec<(&str, Vec<u8>)>,
) -> std::io::Result<()> {
    for (name, bytes) in extra {
        staged.add(name, &bytes)?;
    }
    staged.add("summary.json", &summary_json(o))?;
    staged.commit()
}

/// Logs input problems to stderr, one line each.
pub fn log_problems(reports: &[Extracted]) {
    for r in reports {
        match r.status {
            Status::Error => eprintln!("corro: input error: {}", r.notes.join("; ")),
            Status::Skipped => eprintln!("corro: skipped {}: {}", r.path, r.notes.join("; ")),
            // Read, but by guessing at its encoding: the analyst should know (SPEC: a
            // file that is not UTF-8 is decoded with a note, and said on stderr).
            Status::Ok => {
                for n in r
                    .notes
                    .iter()
                    .filter(|n| n.contains("not UTF-8") || n.contains("decoded lossily"))
                {
                    eprintln!("corro: warning: {}: {n}", r.path);
                }
            }
        }
    }
}

/// Reads a corpus without a cache (`corro eval linkage`).
pub fn read_corpus(
    inputs: &[PathBuf],
    limits: &corro_parse::Limits,
    lex: &corro_claims::Lexicons,
    texts: Spill,
    progress: &(dyn Fn(u64) + Sync),
    on_found: &dyn Fn(u64),
) -> std::io::Result<Corpus> {
    read_corpus_cached(inputs, limits, lex, None, texts, progress, on_found)
}

/// A corpus read and extracted, before matching.
pub struct Corpus {
    pub reports: Vec<Extracted>,
    pub vocab: corro_match::Vocabulary,
    /// The strings behind the mentions' [`corro_match::Name`]s.
    pub names: NameTable,
    /// The mentions' sentences ([`crate::spill`]).
    pub texts: Spill,
    /// Every mention's concepts, one array on the spill (the rows' ranges index it).
    pub concepts: corpus::IdsAt,
    /// Every mention's row, one array on the spill, report after report.
    pub rows: corpus::MentionsAt,
    pub timings: Vec<(&'static str, f64)>,
}

/// [`read_corpus`], reusing and filling a `--cache` when there is one.
pub fn read_corpus_cached(
    inputs: &[PathBuf],
    limits: &corro_parse::Limits,
    lex: &corro_claims::Lexicons,
    cache: Option<&crate::cache::Cache>,
    texts: Spill,
    progress: &(dyn Fn(u64) + Sync),
    on_found: &dyn Fn(u64),
) -> std::io::Result<Corpus> {
    let t = Instant::now();
    let found = corpus::walk(inputs);
    on_found(found.len() as u64);
    let walk = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let shared = corpus::Shared::new(texts);
    let mut reports = match cache {
        Some(c) => crate::cache::read_all(&found, limits, lex, c, &shared, progress),
        None => corpus::read_all(&found, limits, lex, &shared, progress),
    };
    // A spill that could not be written (a full disk) would lose quotes: stop here.
    let (vocab, names, texts, concepts, rows) = corpus::finish_interning(&mut reports, shared)?;
    let mut timings = vec![("walk", walk), ("read_extract", t.elapsed().as_secs_f64())];
    timings.extend(corpus::stage_seconds());
    Ok(Corpus {
        reports,
        vocab,
        names,
        texts,
        concepts,
        rows,
        timings,
    })
}

/// What [`views`] makes: extra files to write beside the CSVs, and the changes found.
pub type Views = (
    Vec<(&'static str, Vec<u8>)>,
    Vec<crate::baseline::ChangeRow>,
);

/// The files made from the CSVs rather than from the corpus: `report.html` always,
/// `changes.csv` against a baseline. They read the CSVs as staged by [`stage_tables`] —
/// the very bytes that are written, so they cannot disagree with them — streaming them,
/// so that a large run's page costs memory for what it shows, not for the whole run;
/// the page's rows of claims.csv and evidence.csv are those `page` kept as they were
/// written (the two files are read back only for a baseline). Returns the files with
/// the changes found (for `--fail-on`); adds `baseline` and `html` to the timings.
pub fn views(
    o: &mut Outcome,
    staged: &Staged,
    baseline: Option<&crate::explain::Outputs>,
    title: &str,
    page: PageOfRun,
) -> Result<Views, String> {
    let path = |name: &str| {
        staged
            .staged_path(name)
            .ok_or_else(|| format!("{name} was not staged"))
    };
    let files = crate::explain::Files {
        clusters: path("clusters.csv")?,
        evidence: path("evidence.csv")?,
        claims: path("claims.csv")?,
        reports: path("reports.csv")?,
    };
    let mut extra = Vec::new();
    let mut changes = Vec::new();
    if let Some(old) = baseline {
        let t = Instant::now();
        // Content matching needs every cluster of both runs.
        let this = crate::explain::Outputs::read(&files)?;
        changes = crate::baseline::compare(old, &this);
        extra.push(("changes.csv", crate::baseline::changes_csv(&changes)));
        o.timings.push(("baseline", t.elapsed().as_secs_f64()));
    }
    let t = Instant::now();
    let rows = crate::explain::PageRows {
        evidence: Box::new(std::io::Cursor::new(page.evidence.rows)),
        evidence_not_kept: page.evidence.left,
        claims: Box::new(std::io::Cursor::new(page.claims.rows)),
        claims_total: Some(page.claims_total),
    };
    let (shown, totals) = crate::explain::Outputs::read_page(
        &files,
        page.page,
        rows,
        crate::html::MAX_EVIDENCE_ROWS,
    )?;
    extra.push((
        "report.html",
        crate::html::render(&shown, &totals, title).into_bytes(),
    ));
    o.timings.push(("html", t.elapsed().as_secs_f64()));
    Ok((extra, changes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use corpus::IdsAt;

    /// The sample corpus as read, before matching.
    fn sample() -> Corpus {
        corpus_at(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample"))
    }

    /// The corpus of `root/reports` with the lexicons of `root/lexicons`, as read.
    fn corpus_at(root: &std::path::Path) -> Corpus {
        let lex = crate::lexicons::load(Some(&root.join("lexicons"))).unwrap();
        read_corpus(
            &[root.join("reports")],
            &corro_parse::Limits::default(),
            &lex,
            Spill::new(None).unwrap(),
            &|_| {},
            &|_| {},
        )
        .unwrap()
    }

    /// The run's mentions as matching gets them: rows (`rows`) and concepts on `disk`.
    fn run_mentions<'a>(
        rows: corpus::MentionsAt,
        first: &'a [u32],
        names: &'a NameTable,
        disk: &'a Spill,
        concepts: IdsAt,
    ) -> RunMentions<'a> {
        RunMentions {
            len: rows.count(),
            rows: Vec::new(),
            report_of: Vec::new(),
            first,
            rows_on_disk: rows,
            rows_out: true,
            names,
            disk,
            concepts,
            aside: SetAside::on(disk),
        }
    }

    fn failed(m: &RunMentions) -> bool {
        m.aside.failed.lock().unwrap().is_some()
    }

    /// `rows` written to `disk` one after another, as the run's array of them.
    fn put_rows(disk: &Spill, rows: &[corpus::MentionRow]) -> corpus::MentionsAt {
        let mut bytes = Vec::new();
        rows.iter().for_each(|r| r.put(&mut bytes));
        corpus::MentionsAt {
            at: disk.put_bytes(&bytes).unwrap(),
            n: rows.len() as u32,
        }
    }

    /// The sample's rows read back, and more than two pieces' worth of them over and
    /// over (as one report), on a spill of their own.
    fn many_rows(corpus: &Corpus) -> (Vec<corpus::MentionRow>, Vec<corpus::MentionRow>) {
        let rows = read_rows(
            &corpus.texts,
            corpus.rows,
            0..corpus.rows.count(),
            &corpus.names,
        )
        .unwrap();
        let mut many = Vec::new();
        while many.len() <= 2 * ROWS_PIECE {
            many.extend(rows.iter().cloned());
        }
        (rows, many)
    }

    /// The corpus's concept ids, read from the spill.
    fn concepts_of(corpus: &Corpus) -> Vec<u32> {
        let IdsAt { at, n } = corpus.concepts;
        corpus.texts.read_ids(at, n as usize).unwrap()
    }

    #[test]
    fn each_report_s_mentions_start_where_the_last_one_s_end() {
        let corpus = sample();
        let mut reports = corpus.reports;
        let counts: Vec<u32> = reports.iter().map(|r| r.mentions.n).collect();
        assert!(counts.iter().sum::<u32>() > 50, "the sample has mentions");
        assert!(counts.contains(&0), "and reports without any");
        let first = firsts(&mut reports);
        assert_eq!(first.len(), reports.len() + 1);
        assert_eq!(first[0], 0);
        for (r, n) in counts.iter().enumerate() {
            assert_eq!(first[r + 1] - first[r], *n);
        }
        assert_eq!(*first.last().unwrap() as usize, corpus.rows.count());
        // The report of each mention, both ways of finding it.
        let of = report_of(&first, corpus.rows.count());
        for (i, &r) in of.iter().enumerate() {
            let r = r as usize;
            assert!(first[r] as usize <= i && i < first[r + 1] as usize);
            assert_eq!(first.partition_point(|&f| f as usize <= i) - 1, r);
        }
        // Nothing left of the reports' own places in the run's arrays.
        assert!(
            reports
                .iter()
                .all(|r| r.mentions == corpus::MentionsAt::default()
                    && r.concepts == IdsAt::default())
        );
    }

    #[test]
    fn mention_rows_come_back_from_the_spill_as_often_as_asked() {
        let corpus = sample();
        let (_, many) = many_rows(&corpus);
        let half = (many.len() / 2) as u32;
        let first = [0, half, many.len() as u32];
        let want = (format!("{many:?}"), report_of(&first, many.len()));
        let dir = tempfile::tempdir().unwrap();
        let disk = Spill::new(Some(dir.path())).unwrap();
        let on_disk = put_rows(&disk, &many);
        let mut m = run_mentions(on_disk, &first, &corpus.names, &disk, corpus.concepts);
        // Out of memory until brought back, their number known all the same.
        assert_eq!((m.rows.len(), m.len()), (0, many.len()));
        for _ in 0..2 {
            m.bring_back();
            assert_eq!((format!("{:?}", m.rows), m.report_of.clone()), want);
            assert_eq!(m.report(half as usize), 1);
            m.set_aside();
            assert_eq!((m.rows.capacity(), m.report_of.capacity()), (0, 0));
            assert_eq!(m.len(), many.len());
        }
        assert!(!failed(&m));
        // Not readable back (here: another, empty spill): as many rows, of empty
        // claims, and the failure remembered (the run stops after matching).
        let empty = Spill::new(Some(dir.path())).unwrap();
        let mut lost = RunMentions { disk: &empty, ..m };
        lost.bring_back();
        assert_eq!(lost.rows.len(), many.len());
        assert!(failed(&lost));
    }

    #[test]
    fn the_tables_read_any_range_of_rows() {
        let corpus = sample();
        let (_, many) = many_rows(&corpus);
        let dir = tempfile::tempdir().unwrap();
        let disk = Spill::new(Some(dir.path())).unwrap();
        disk.put(b"something before");
        let all = put_rows(&disk, &many);
        let n = many.len();
        // Within a piece, across one or two piece boundaries, to the end, empty.
        for range in [
            0..10,
            ROWS_PIECE - 3..ROWS_PIECE + 3,
            5..2 * ROWS_PIECE + 1,
            n - 2048..n,
            0..n,
            7..7,
        ] {
            let got = read_rows(&disk, all, range.clone(), &corpus.names).unwrap();
            assert_eq!(
                format!("{got:?}"),
                format!("{:?}", &many[range.clone()]),
                "{range:?}"
            );
        }
        // Past the end: an error.
        assert!(read_rows(&disk, all, n - 1..n + 1, &corpus.names).is_err());
        // Not readable back (another, empty spill): an error, not rows made up.
        let empty = Spill::new(Some(dir.path())).unwrap();
        assert!(read_rows(&empty, all, 0..10, &corpus.names).is_err());
    }

    #[test]
    fn a_damaged_mention_row_is_not_read_back() {
        let corpus = sample();
        let (rows, _) = many_rows(&corpus);
        let row = rows
            .iter()
            .find(|r| r.claim.via.is_some() && r.concepts.len() > 1)
            .expect("a relayed mention with concepts");
        let mut bytes = Vec::new();
        row.put(&mut bytes);
        assert_eq!(bytes.len(), corpus::MentionRow::BYTES);
        let back = corpus::MentionRow::get(&bytes, &corpus.names).unwrap();
        assert_eq!(format!("{back:?}"), format!("{row:?}"));
        // A name the table does not have; a concept range that ends before it starts.
        let mut b = bytes.clone();
        b[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(corpus::MentionRow::get(&b, &corpus.names).is_none());
        let mut b = bytes.clone();
        b[Claim::BYTES..Claim::BYTES + 4].copy_from_slice(&(row.concepts.end + 1).to_le_bytes());
        assert!(corpus::MentionRow::get(&b, &corpus.names).is_none());
        assert!(corpus::MentionRow::get(&bytes[1..], &corpus.names).is_none());
        // Read back among others: the read is an error.
        let dir = tempfile::tempdir().unwrap();
        let disk = Spill::new(Some(dir.path())).unwrap();
        let mut all = bytes.clone();
        all.extend_from_slice(&b);
        all.extend_from_slice(&bytes);
        let at = disk.put_bytes(&all).unwrap();
        let rows = corpus::MentionsAt { at, n: 3 };
        assert!(read_rows(&disk, rows, 0..1, &corpus.names).is_ok());
        assert!(read_rows(&disk, rows, 0..3, &corpus.names).is_err());
    }

    #[test]
    fn each_mention_s_sentence_is_read_from_its_place() {
        let mut o = match_corpus(sample()).unwrap();
        assert!(o.claims() > 50);
        for i in 0..o.claims() {
            let (ri, k) = o.at(i);
            let q = o.quotes_of(ri).unwrap()[k];
            let want = o
                .texts
                .text(o.reports[ri].texts + q.text as u64, q.len)
                .unwrap();
            assert_eq!(o.sentence(i).unwrap(), want, "mention {i}");
        }
        // Released once the tables are written: an error, not another sentence.
        o.release_rows();
        assert!(o.sentence(0).is_err());
    }

    #[test]
    fn links_set_aside_come_back_and_a_failed_read_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let disk = Spill::new(Some(dir.path())).unwrap();
        disk.put(b"a sentence before");
        let aside = SetAside::on(&disk);
        let at = aside.put(b"0123456789ab").unwrap();
        let mut buf = [0u8; 4];
        aside.read(at + 4, &mut buf).unwrap();
        assert_eq!(&buf, b"4567");
        assert!(aside.failed.lock().unwrap().is_none());
        // Past the end: the read fails, and the run will know.
        assert!(aside.read(at + 10, &mut buf).is_err());
        assert!(aside.failed.lock().unwrap().is_some());
        // A disk that cannot be written: the put fails (the matcher keeps the links).
        let failing = Spill::failing(&dir.path().join("ro"));
        let aside = SetAside::on(&failing);
        assert!(aside.put(b"links").is_err());
        assert!(aside.failed.lock().unwrap().is_none());
    }

    #[test]
    fn report_rows_set_aside_come_back_as_they_were_or_stay_when_the_disk_fails() {
        let corpus = sample();
        let mut reports = corpus.reports;
        // As matching sets them aside: mentions, concepts and signatures taken.
        firsts(&mut reports);
        for r in &mut reports {
            r.signature = None;
        }
        // More than one window of pieces, the last piece short.
        let mut many = Vec::new();
        while many.len() <= ROWS_ASIDE * (piece_window() + 1) {
            many.extend(reports.iter().cloned());
        }
        for (i, r) in many.iter_mut().enumerate() {
            (r.texts, r.quotes) = (i as u64 * 7, i as u64 * 11);
        }
        let want = format!("{many:?}");
        let dir = tempfile::tempdir().unwrap();
        let disk = Spill::new(Some(dir.path())).unwrap();
        let aside = RowsAt::aside(many.clone(), &disk);
        let RowsAt::Disk { ref pieces, .. } = aside else {
            panic!("the spill was writable")
        };
        assert_eq!(pieces.len(), many.len().div_ceil(ROWS_ASIDE));
        assert!(pieces.len() > piece_window());
        let back = aside.back(&disk).unwrap();
        assert_eq!(format!("{back:?}"), want);
        // A disk that cannot be written: kept in memory, and given back as they are.
        let failing = Spill::failing(&dir.path().join("ro"));
        let aside = RowsAt::aside(many.clone(), &failing);
        assert!(matches!(aside, RowsAt::Memory(_)));
        assert_eq!(format!("{:?}", aside.back(&failing).unwrap()), want);
        // Set aside but not readable back (here: another, empty spill): an error, not
        // a run written from nothing.
        let aside = RowsAt::aside(many, &disk);
        let empty = Spill::new(Some(dir.path())).unwrap();
        assert!(aside.back(&empty).is_err());
    }

    #[test]
    fn sentence_places_are_each_report_s_quotes_in_order_whatever_the_batches() {
        let corpus = sample();
        let mut reports = corpus.reports;
        let first = firsts(&mut reports);
        // The definition: each report's quotes read in turn.
        let mut want = Vec::new();
        for (r, w) in reports.iter().zip(first.windows(2)) {
            let mut buf = vec![0; (w[1] - w[0]) as usize * Quote::BYTES];
            corpus.texts.read_bytes(r.quotes, &mut buf).unwrap();
            let quotes = Quote::read_all(&buf, &corpus.names).unwrap();
            want.extend(quotes.iter().map(|q| (q.text, q.len)));
        }
        assert_eq!(want.len(), *first.last().unwrap() as usize);
        assert!(reports.len() > 3 && want.len() > 20);
        // Batches of one report, of a few (the last one short), and the run's.
        for batch in [1, 2, 3, PLACES_BATCH] {
            let got = sentence_places_in(&reports, &first, &corpus.texts, &corpus.names, batch);
            assert_eq!(got.unwrap(), want, "batches of {batch}");
        }
        // A spill that cannot be read back: an error, not places made up.
        let dir = tempfile::tempdir().unwrap();
        let empty = Spill::new(Some(dir.path())).unwrap();
        assert!(sentence_places(&reports, &first, &empty, &corpus.names).is_err());
    }

    #[test]
    fn concepts_visited_from_disk_are_each_mention_s_own() {
        let corpus = sample();
        let concepts = concepts_of(&corpus);
        let (rows, _) = many_rows(&corpus);
        let want: Vec<(usize, Vec<u32>)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let r = r.concepts.start as usize..r.concepts.end as usize;
                (i, concepts[r].to_vec())
            })
            .collect();
        assert!(want.iter().filter(|(_, c)| c.len() > 2).count() > 10);
        let n = rows.len();
        let mut reports = corpus.reports;
        let first = firsts(&mut reports);
        let mut m = run_mentions(
            corpus.rows,
            &first,
            &corpus.names,
            &corpus.texts,
            corpus.concepts,
        );
        m.bring_back();
        let visited = |m: &RunMentions, window: usize| {
            let mut seen = Vec::new();
            m.visit_in_windows(window, &mut |i, c| seen.push((i, c.to_vec())));
            seen
        };
        // Windows smaller than a mention's concepts, ending anywhere, and the default.
        for window in [1, 2, 7, 100, VISIT_WINDOW] {
            assert_eq!(visited(&m, window), want, "window {window}");
        }
        let mut through_the_trait = Vec::new();
        m.visit_concepts(&mut |i, c| through_the_trait.push((i, c.to_vec())));
        assert_eq!(through_the_trait, want);
        assert!(!failed(&m));
        // A spill that cannot be read back: every mention visited, without concepts,
        // and the failure remembered.
        let dir = tempfile::tempdir().unwrap();
        let empty = Spill::new(Some(dir.path())).unwrap();
        let m = RunMentions { disk: &empty, ..m };
        let got = visited(&m, 7);
        assert_eq!(got.len(), n);
        assert!(got.iter().all(|(_, c)| c.is_empty()));
        assert!(failed(&m));
    }

    #[test]
    fn the_page_made_as_the_tables_are_written_is_the_page_of_the_files_written() {
        // A generated corpus: clusters with more evidence rows than a page keeps.
        let dir = tempfile::tempdir().unwrap();
        let gen = dir.path().join("gen");
        crate::gen::generate(&crate::gen::Options {
            reports: 600,
            seed: 5,
            out: gen.clone(),
            format: crate::gen::GenFormat::Txt,
            gz: false,
        })
        .unwrap();
        let mut o = match_corpus(corpus_at(&gen)).unwrap();
        let clusters = o.analysis.clusters.len();
        assert!(clusters > 50, "{clusters} clusters");
        for page_clusters in [0, 7, clusters] {
            let out = dir.path().join(format!("out{page_clusters}"));
            let mut staged = Staged::new(&out).unwrap();
            let page = stage_tables(&o, &mut staged, page_clusters).unwrap();
            let (extra, _) = views(&mut o, &staged, None, "t", page).unwrap();
            let path = |n: &str| staged.staged_path(n).unwrap().to_path_buf();
            let (c, e, k, r) = (
                path("clusters.csv"),
                path("evidence.csv"),
                path("claims.csv"),
                path("reports.csv"),
            );
            let files = crate::explain::Files {
                clusters: &c,
                evidence: &e,
                claims: &k,
                reports: &r,
            };
            let (view, totals) = crate::explain::Outputs::read_view(
                &files,
                page_clusters,
                crate::html::MAX_EVIDENCE_ROWS,
            )
            .unwrap();
            assert_eq!(view.clusters.len(), page_clusters.min(clusters));
            assert_eq!(totals.claims, o.claims());
            if page_clusters > 0 {
                assert!(!view.claims.is_empty(), "claims with values are shown");
                assert!(
                    !totals.evidence_not_kept.is_empty(),
                    "a cluster shown has more evidence than a page keeps"
                );
            }
            let from_files = crate::html::render(&view, &totals, "t").into_bytes();
            assert_eq!(extra[0].0, "report.html");
            assert!(
                extra[0].1 == from_files,
                "page of {page_clusters} clusters differs from the files' page"
            );
        }
    }

    #[test]
    fn the_spill_taken_after_writing_is_the_run_s_and_an_empty_one_is_left() {
        let mut o = match_corpus(sample()).unwrap();
        assert!(o.sentence(0).is_ok_and(|s| !s.is_empty()));
        let texts = o.take_texts().unwrap();
        assert!(texts.len() > 0);
        assert_eq!(o.texts.len(), 0);
        assert!(
            o.sentence(0).is_err(),
            "nothing is read from the empty spill"
        );
    }
}
