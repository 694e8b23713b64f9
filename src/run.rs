//! `corro run`: the batch job. Reads the corpus, extracts mentions, matches them, and
//! writes reports.csv, claims.csv, clusters.csv, evidence.csv and summary.json.

use std::path::PathBuf;
use std::time::Instant;

use corro_match::{analyse, Analysis, Claim, Mentions, NameTable, ReportFacts, Verdict};
use corro_parse::Status;

use crate::corpus::{self, Extracted};
use crate::output::{cell, num, opt_num, text, Staged, Table};
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
    pub reports: Vec<Extracted>,
    /// (report index, mention index within the report) for each matcher mention.
    /// (u32s: one pair per mention, millions on a large corpus; see [`Outcome::at`].)
    pub index: Vec<(u32, u32)>,
    pub analysis: Analysis,
    /// The strings behind the mentions' names (units, speakers, outlets).
    pub names: NameTable,
    /// The mentions' sentences, on disk until written.
    pub texts: Spill,
    pub timings: Vec<(&'static str, f64)>,
}

impl Outcome {
    /// (report index, mention index within the report) of matcher mention `i`.
    pub fn at(&self, i: usize) -> (usize, usize) {
        let (r, k) = self.index[i];
        (r as usize, k as usize)
    }

    /// The sentence of matcher mention `i`, read back from the spill.
    pub fn sentence(&self, i: usize) -> std::io::Result<String> {
        let (r, k) = self.at(i);
        let (r, m) = (&self.reports[r], &self.reports[r].mentions[k]);
        self.texts.text(r.texts + m.text as u64, m.len)
    }

    /// Frees what only the CSVs needed — every mention, evidence row and origin — once
    /// they are written, keeping what `summary.json` and `--fail-on` read (statuses,
    /// verdicts, counts): the views that follow read the written files back.
    pub fn release_rows(&mut self) {
        for r in &mut self.reports {
            r.mentions = Vec::new();
            r.concepts = Vec::new();
        }
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

/// The run's mentions as the matcher reads them: in place, in their reports' rows,
/// through the run's index. A copy of every mention held them twice at the peak, and
/// even a list of references was 32 bytes a mention.
struct RunMentions<'a> {
    reports: &'a [Extracted],
    index: &'a [(u32, u32)],
}

impl RunMentions<'_> {
    fn row(&self, i: usize) -> (&Extracted, &corpus::MentionRow) {
        let (r, k) = self.index[i];
        let r = &self.reports[r as usize];
        (r, &r.mentions[k as usize])
    }
}

impl Mentions for RunMentions<'_> {
    fn len(&self) -> usize {
        self.index.len()
    }
    fn report(&self, i: usize) -> u32 {
        self.index[i].0
    }
    fn claim(&self, i: usize) -> &Claim {
        &self.row(i).1.claim
    }
    fn concepts(&self, i: usize) -> &[u32] {
        let (r, m) = self.row(i);
        r.concepts_of(m)
    }
}

/// Matches an extracted corpus.
pub fn match_corpus(corpus: Corpus) -> Outcome {
    let Corpus {
        mut reports,
        vocab,
        names,
        texts,
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
    // The matcher reads each mention in place (see RunMentions).
    // Of its exact size: grown by doubling, it had room for up to twice the mentions.
    let mut index = Vec::with_capacity(reports.iter().map(|r| r.mentions.len()).sum());
    for (ri, r) in reports.iter().enumerate() {
        index.extend((0..r.mentions.len()).map(|k| (ri as u32, k as u32)));
    }
    let mentions = RunMentions {
        reports: &reports,
        index: &index,
    };
    let analysis = analyse(&mut facts, &mentions, &vocab, &names);
    // Concept ids are the matcher's alone (no output shows them): gone before the
    // tables are written, where they were a fifth of what a large run still held.
    drop(vocab);
    for r in &mut reports {
        r.concepts = Vec::new();
    }
    timings.push(("match", t.elapsed().as_secs_f64()));
    timings.extend(analysis.timings.iter().copied());
    Outcome {
        reports,
        index,
        analysis,
        names,
        texts,
        timings,
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// The claim id of a mention: report id and the mention's ordinal in the report.
pub fn claim_id(report_id: &str, k: usize) -> String {
    format!("{report_id}#{}", k + 1)
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
        r.mentions.len().to_string(),
        text(family),
        r.status.as_str().to_string(),
        text(&r.notes.join("; ")),
    ]);
}

/// claims.csv's rows for mentions `range`, one per claim mention. Consecutive mentions
/// are mostly of one report: each report's sentences are read from the spill in one go.
fn claim_rows(o: &Outcome, range: std::ops::Range<usize>, t: &mut Table) {
    let mut chunk: (Option<usize>, Vec<u8>) = (None, Vec::new());
    for i in range {
        let (ri, k) = o.at(i);
        if chunk.0 != Some(ri) {
            let r = &o.reports[ri];
            let len = r.mentions.iter().map(|m| m.text + m.len).max().unwrap_or(0);
            if let Err(e) = o.texts.read(r.texts, len, &mut chunk.1) {
                return t.fail(e);
            }
            chunk.0 = Some(ri);
        }
        let row = &o.reports[ri].mentions[k];
        match std::str::from_utf8(&chunk.1[row.text as usize..(row.text + row.len) as usize]) {
            Ok(sentence) => claim_row(o, i, sentence, t),
            Err(e) => return t.fail(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        }
    }
}

/// claims.csv's row for mention `i`, given its sentence.
fn claim_row(o: &Outcome, i: usize, sentence: &str, t: &mut Table) {
    let (ri, k) = o.at(i);
    let r = &o.reports[ri];
    let row = &r.mentions[k];
    let m = &row.claim;
    let q = m.value.as_ref();
    let cluster = &o.analysis.clusters[o.analysis.cluster[i] as usize];
    // One row per mention, millions on a large corpus: cells are borrowed wherever they
    // need no prefix, and only the numbers are formatted.
    let id = claim_id(&r.id, k);
    let (sentence_no, start, end) = (
        m.sentence.to_string(),
        row.start.to_string(),
        row.end.to_string(),
    );
    let (low, high) = (
        opt_num(q.and_then(|q| q.low)),
        opt_num(q.and_then(|q| q.high)),
    );
    t.row([
        cell(&id).as_bytes(),
        cell(&r.id).as_bytes(),
        sentence_no.as_bytes(),
        start.as_bytes(),
        end.as_bytes(),
        cell(sentence).as_bytes(),
        m.kind.as_str().as_bytes(),
        m.stance.as_str().as_bytes(),
        cell(o.names.opt(row.said).unwrap_or("")).as_bytes(),
        cell(o.names.opt(row.via).unwrap_or("")).as_bytes(),
        low.as_bytes(),
        high.as_bytes(),
        q.map_or("", |q| yes_no(q.approx)).as_bytes(),
        cell(q.and_then(|q| o.names.opt(q.unit)).unwrap_or("")).as_bytes(),
        cell(q.and_then(|q| o.names.opt(q.per)).unwrap_or("")).as_bytes(),
        cell(&cluster.id).as_bytes(),
        cell(o.analysis.origin(i)).as_bytes(),
    ]);
}

/// clusters.csv's row for cluster `ci`.
fn cluster_row(o: &Outcome, ci: usize, t: &mut Table) {
    let c = &o.analysis.clusters[ci];
    let label = match o.sentence(c.label as usize) {
        Ok(s) => s,
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
        text(&c.explanation),
    ]);
}

/// evidence.csv's rows for cluster `ci`: one per (report, origin).
fn evidence_rows(o: &Outcome, ci: usize, t: &mut Table) {
    let c = &o.analysis.clusters[ci];
    let origin = |e: &corro_match::Evidence| -> &str { &c.origins[e.origin as usize] };
    let mut rows: Vec<_> = c.evidence.iter().collect();
    rows.sort_by(|a, b| (a.report, origin(a)).cmp(&(b.report, origin(b))));
    for e in rows {
        let r = &o.reports[e.report as usize];
        let quote = match o.sentence(e.mention as usize) {
            Ok(s) => s,
            Err(e) => return t.fail(e),
        };
        let weight = num(e.weight);
        let note = e.note(|r| &o.reports[r as usize].id);
        t.row([
            cell(&c.id).as_bytes(),
            cell(&r.id).as_bytes(),
            cell(r.meta.outlet.as_deref().unwrap_or("")).as_bytes(),
            cell(origin(e)).as_bytes(),
            e.stance.as_str().as_bytes(),
            weight.as_bytes(),
            cell(&quote).as_bytes(),
            cell(&note).as_bytes(),
        ]);
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
    let j = serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "reports": {
            "total": o.reports.len(),
            "ok": count(Status::Ok),
            "skipped": count(Status::Skipped),
            "error": count(Status::Error),
        },
        "claims": o.index.len(),
        "clusters": {
            "total": o.analysis.clusters.len(),
            "by_verdict": verdicts,
            "value_conflict": o.analysis.clusters.iter().filter(|c| c.value_conflict).count(),
        },
        "timings": timings,
    });
    let mut s = serde_json::to_vec_pretty(&j).expect("json");
    s.push(b'\n');
    s
}

/// Output files are written atomically: this streams the four CSVs to temporary files
/// in the output directory, the views read them back from there, and nothing is in place
/// until [`commit_outputs`] renames them all.
pub fn stage_tables(o: &Outcome, staged: &mut Staged) -> std::io::Result<()> {
    let (reports, claims, clusters) = (o.reports.len(), o.index.len(), o.analysis.clusters.len());
    // Parts of about a megabyte: a few hundred bytes a row, evidence a few KB a cluster.
    staged.add_table("reports.csv", REPORTS_HEADER, (reports, 2048), |i, t| {
        report_row(o, i, t)
    })?;
    staged.add_table_parts("claims.csv", CLAIMS_HEADER, (claims, 2048), |range, t| {
        claim_rows(o, range, t)
    })?;
    staged.add_table("clusters.csv", CLUSTERS_HEADER, (clusters, 2048), |i, t| {
        cluster_row(o, i, t)
    })?;
    staged.add_table("evidence.csv", EVIDENCE_HEADER, (clusters, 256), |i, t| {
        evidence_rows(o, i, t)
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
    let (vocab, names, texts) = corpus::finish_interning(&mut reports, shared);
    // A spill that could not be written (a full disk) would lose quotes: stop here.
    texts.check()?;
    let mut timings = vec![("walk", walk), ("read_extract", t.elapsed().as_secs_f64())];
    timings.extend(corpus::stage_seconds());
    Ok(Corpus {
        reports,
        vocab,
        names,
        texts,
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
/// so that a large run's page costs memory for what it shows, not for the whole run.
/// Returns the files with the changes found (for `--fail-on`); adds `baseline` and
/// `html` to the timings.
pub fn views(
    o: &mut Outcome,
    staged: &Staged,
    baseline: Option<&crate::explain::Outputs>,
    title: &str,
    page_clusters: usize,
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
    let (shown, totals) =
        crate::explain::Outputs::read_view(&files, page_clusters, crate::html::MAX_EVIDENCE_ROWS)?;
    extra.push((
        "report.html",
        crate::html::render(&shown, &totals, title).into_bytes(),
    ));
    o.timings.push(("html", t.elapsed().as_secs_f64()));
    Ok((extra, changes))
}
