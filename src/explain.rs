//! A run's outputs read back from its CSVs, and `corro explain`: the plain-text account
//! of one cluster.
//!
//! [`Outputs`] is the one reader of corro's own CSVs. `corro explain`, the baseline
//! comparison ([`crate::baseline`]) and `report.html` ([`crate::html`]) all work from it,
//! so each of them shows exactly what the CSVs say — never a second computation that
//! could disagree with them. Columns are read by name, so files with columns added at the
//! end (as the contract allows) still read; `claims.csv` and `reports.csv` are optional
//! (a baseline may keep only clusters and evidence).
//!
//! The account re-derives the score from the weights in evidence.csv, the way an analyst
//! would check it by hand; it does not re-run any stage of the matcher.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

/// One row of clusters.csv, cells as written.
#[derive(Debug, Clone, Deserialize)]
pub struct ClusterRow {
    pub cluster_id: String,
    pub label: String,
    pub kind: String,
    pub value_low: String,
    pub value_high: String,
    pub unit: String,
    pub per: String,
    pub mentions: String,
    pub reports: String,
    pub outlets: String,
    pub origins_supporting: String,
    pub origins_denying: String,
    pub origins_discussing: String,
    pub first_seen: String,
    pub first_outlet: String,
    pub last_seen: String,
    pub score: String,
    pub verdict: String,
    pub value_conflict: String,
    pub explanation: String,
}

impl ClusterRow {
    /// The cluster's value as an analyst reads it ("about 800 fighter"), empty for events.
    pub fn value(&self) -> String {
        value_text(&self.value_low, &self.value_high, &self.unit, &self.per)
    }

    pub fn score(&self) -> f64 {
        self.score.parse().unwrap_or(0.0)
    }
}

/// One row of evidence.csv.
#[derive(Debug, Clone, Deserialize)]
pub struct EvidenceRow {
    pub cluster_id: String,
    pub report_id: String,
    pub outlet: String,
    pub origin: String,
    pub stance: String,
    pub weight: String,
    pub quote: String,
    #[serde(default)]
    pub note: String,
}

impl EvidenceRow {
    pub fn weight(&self) -> f64 {
        weight_of(&self.weight)
    }
}

/// An evidence row's weight from its cell (unreadable: 0).
fn weight_of(cell: &str) -> f64 {
    cell.parse().unwrap_or(0.0)
}

/// One row of claims.csv (the columns the views use).
#[derive(Debug, Clone, Deserialize)]
pub struct ClaimRow {
    pub report_id: String,
    /// The sentence's index in the report: with `report_id`, the mention's identity.
    pub sentence: String,
    pub value_low: String,
    pub value_high: String,
    pub unit: String,
    pub per: String,
    pub cluster_id: String,
    pub origin: String,
}

/// One row of reports.csv (the columns the views use).
#[derive(Debug, Clone, Deserialize)]
pub struct ReportRow {
    pub report_id: String,
    pub outlet: String,
    pub published: String,
    pub copy_family: String,
    pub status: String,
}

/// A run's outputs, read back.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    pub clusters: Vec<ClusterRow>,
    pub evidence: Vec<EvidenceRow>,
    pub claims: Vec<ClaimRow>,
    pub reports: Vec<ReportRow>,
}

/// Reads one CSV by column name. `what` names the file in errors.
#[cfg(test)]
pub fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<Vec<T>, String> {
    let mut rdr = csv::Reader::from_reader(bytes);
    rdr.deserialize()
        .map(|r| r.map_err(|e| format!("{what}: {e}")))
        .collect()
}

/// An optional file: no bytes, no rows.
#[cfg(test)]
fn optional<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<Vec<T>, String> {
    if bytes.is_empty() {
        Ok(Vec::new())
    } else {
        parse(bytes, what)
    }
}

/// What a page says about a whole run, counted while its files are streamed: a page
/// of a large run shows only some clusters, but its totals are the run's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub reports: usize,
    /// Reports by status (`ok`, `skipped`, `error`).
    pub status: BTreeMap<String, usize>,
    pub claims: usize,
    pub clusters: usize,
    /// Clusters by verdict.
    pub verdicts: BTreeMap<String, usize>,
    /// Every cluster kind (for the page's filter).
    pub kinds: BTreeSet<String>,
    /// Per shown cluster, its evidence rows a page view did not keep (see
    /// [`Outputs::read_page`]).
    pub evidence_not_kept: HashMap<String, usize>,
}

impl Totals {
    /// The totals of outputs held whole.
    #[cfg(test)]
    pub fn of(o: &Outputs) -> Totals {
        let mut t = Totals {
            reports: o.reports.len(),
            claims: o.claims.len(),
            clusters: o.clusters.len(),
            ..Totals::default()
        };
        for r in &o.reports {
            *t.status.entry(r.status.clone()).or_default() += 1;
        }
        for c in &o.clusters {
            t.count_cluster(c);
        }
        t
    }

    fn count_cluster(&mut self, c: &ClusterRow) {
        *self.verdicts.entry(c.verdict.clone()).or_default() += 1;
        if !self.kinds.contains(&c.kind) {
            self.kinds.insert(c.kind.clone());
        }
    }
}

/// Streams one CSV file row by row. `what` names the file in errors.
fn stream<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
    mut each: impl FnMut(T),
) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{what}: {e}"))?;
    let mut rdr = csv::Reader::from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    for r in rdr.deserialize() {
        each(r.map_err(|e| format!("{what}: {e}"))?);
    }
    Ok(())
}

/// Streams one CSV file, deserializing only the rows whose `key` cell `wanted` accepts:
/// a page keeps a few thousand rows of millions, and most are never decoded.
fn stream_where<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
    key: &str,
    wanted: impl FnMut(&[u8]) -> bool,
    each: impl FnMut(T),
) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{what}: {e}"))?;
    let file = std::io::BufReader::with_capacity(1 << 20, file);
    stream_where_in(file, what, key, wanted, each)
}

/// [`stream_where`] over CSV from any reader (header first).
fn stream_where_in<T: serde::de::DeserializeOwned>(
    from: impl std::io::Read,
    what: &str,
    key: &str,
    mut wanted: impl FnMut(&[u8]) -> bool,
    mut each: impl FnMut(T),
) -> Result<(), String> {
    let mut rdr = csv::Reader::from_reader(from);
    let headers = rdr
        .byte_headers()
        .map_err(|e| format!("{what}: {e}"))?
        .clone();
    let column = headers
        .iter()
        .position(|h| h == key.as_bytes())
        .ok_or_else(|| format!("{what}: no column {key}"))?;
    let mut record = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => return Err(format!("{what}: {e}")),
        }
        if wanted(record.get(column).unwrap_or_default()) {
            each(
                record
                    .deserialize(Some(&headers))
                    .map_err(|e| format!("{what}: {e}"))?,
            );
        }
    }
}

/// A cluster's claim on a place in a page: the most origins (any stance), then the
/// most reports, then the smaller id.
type Rank = (std::cmp::Reverse<u64>, std::cmp::Reverse<u64>, String);

fn rank(c: &ClusterRow) -> Rank {
    let n = |s: &str| s.parse::<u64>().unwrap_or(0);
    (
        std::cmp::Reverse(
            n(&c.origins_supporting) + n(&c.origins_denying) + n(&c.origins_discussing),
        ),
        std::cmp::Reverse(n(&c.reports)),
        c.cluster_id.clone(),
    )
}

/// The four output files of a run, by path.
pub struct Files<'a> {
    pub clusters: &'a Path,
    pub evidence: &'a Path,
    pub claims: &'a Path,
    pub reports: &'a Path,
}

/// The clusters a page shows — at most `max`: those with the most origins, then
/// reports (ties: the smaller id) — chosen in one pass over clusters.csv, with the totals
/// that pass counts.
pub struct Page {
    /// The chosen clusters' ids, as written.
    pub keep: std::collections::HashSet<Vec<u8>>,
    pub totals: Totals,
}

impl Page {
    pub fn choose(clusters: &Path, max: usize) -> Result<Page, String> {
        let mut totals = Totals::default();
        // The best `max` ranks; a max-heap, so the worst kept is on top.
        let mut best: std::collections::BinaryHeap<Rank> = std::collections::BinaryHeap::new();
        stream(clusters, "clusters.csv", |c: ClusterRow| {
            totals.clusters += 1;
            totals.count_cluster(&c);
            let r = rank(&c);
            if best.len() < max {
                best.push(r);
            } else if best.peek().is_some_and(|worst| r < *worst) {
                best.pop();
                best.push(r);
            }
        })?;
        let keep = best.into_iter().map(|r| r.2.into_bytes()).collect();
        Ok(Page { keep, totals })
    }

    /// Whether the page shows the cluster of this id (as written).
    pub fn shows(&self, cluster_id: &[u8]) -> bool {
        self.keep.contains(cluster_id)
    }
}

/// Where a page's evidence and claims rows come from (CSV, header first; rows of
/// clusters not shown are passed over), with what was counted before: evidence rows
/// already left out per cluster, and the run's claims if the claims given are not all.
pub struct PageRows {
    pub evidence: Box<dyn std::io::Read + Send>,
    pub evidence_not_kept: Vec<(String, usize)>,
    pub claims: Box<dyn std::io::Read + Send>,
    pub claims_total: Option<usize>,
}

/// Which of a cluster's evidence rows a page keeps: the first `max` counted rows (weight
/// not 0) and the first `max` others, in file order; the rest are counted.
pub struct EvidenceCap {
    max: usize,
    /// Per cluster: (counted rows kept, other rows kept, rows not kept).
    of: HashMap<String, (usize, usize, usize)>,
}

impl EvidenceCap {
    pub fn new(max: usize) -> EvidenceCap {
        EvidenceCap {
            max,
            of: HashMap::new(),
        }
    }

    /// Whether the next row of `cluster_id`, of this weight (its cell), is kept.
    pub fn admit(&mut self, cluster_id: &str, weight: &str) -> bool {
        let n = match self.of.get_mut(cluster_id) {
            Some(n) => n,
            None => self.of.entry(cluster_id.to_string()).or_default(),
        };
        let slot = if weight_of(weight) == 0.0 {
            &mut n.1
        } else {
            &mut n.0
        };
        if *slot < self.max {
            *slot += 1;
            true
        } else {
            n.2 += 1;
            false
        }
    }

    /// Rows not kept, per cluster that has any.
    pub fn not_kept(self) -> HashMap<String, usize> {
        self.of
            .into_iter()
            .filter(|(_, n)| n.2 > 0)
            .map(|(c, n)| (c, n.2))
            .collect()
    }
}

impl Outputs {
    /// Every row of the four files (claims and reports may be absent: no rows).
    pub fn read(files: &Files) -> Result<Outputs, String> {
        let mut o = Outputs::default();
        stream(files.clusters, "clusters.csv", |r| o.clusters.push(r))?;
        stream(files.evidence, "evidence.csv", |r| o.evidence.push(r))?;
        if files.claims.exists() {
            stream(files.claims, "claims.csv", |r| o.claims.push(r))?;
        }
        if files.reports.exists() {
            stream(files.reports, "reports.csv", |r| o.reports.push(r))?;
        }
        Ok(o)
    }

    /// What a page shows of a run, read in bounded memory: at most `max` clusters —
    /// those with the most origins, then reports (ties: the smaller id), kept in file
    /// order — with the evidence, claims and reports rows that concern them, and the
    /// run's [`Totals`]. Each file is streamed, so memory grows with what is kept, not
    /// with the size of the run.
    ///
    /// The clusters shown are the largest, and kept whole their rows were most of a large
    /// run's: so of each cluster's evidence only the first `evidence_rows` counted rows
    /// and the first `evidence_rows` others (in file order) are kept — a page showing
    /// that many, counted first, shows the same rows — and the others are counted in
    /// [`Totals::evidence_not_kept`]; of its claims only those with a value (the
    /// page's charts plot nothing else).
    ///
    /// A run makes its own page without reading claims.csv and evidence.csv back (see
    /// [`Outputs::read_page`]); this reads every file, as a page of outputs on disk.
    #[cfg(test)]
    pub fn read_view(
        files: &Files,
        max: usize,
        evidence_rows: usize,
    ) -> Result<(Outputs, Totals), String> {
        let page = Page::choose(files.clusters, max)?;
        let open = |path: &Path, what: &str| -> Result<Box<dyn std::io::Read + Send>, String> {
            let file = std::fs::File::open(path).map_err(|e| format!("{what}: {e}"))?;
            Ok(Box::new(std::io::BufReader::with_capacity(1 << 20, file)))
        };
        let rows = PageRows {
            evidence: open(files.evidence, "evidence.csv")?,
            evidence_not_kept: Vec::new(),
            claims: open(files.claims, "claims.csv")?,
            claims_total: None,
        };
        Outputs::read_page(files, page, rows, evidence_rows)
    }

    /// The outputs of the clusters `page` chose, with their evidence and
    /// claims rows from `rows` — the files, or the rows of the page's clusters kept as
    /// the files were written (a run's own page: claims.csv and evidence.csv are then
    /// never read back).
    pub fn read_page(
        files: &Files,
        page: Page,
        rows: PageRows,
        evidence_rows: usize,
    ) -> Result<(Outputs, Totals), String> {
        let Page { keep, mut totals } = page;
        let mut o = Outputs::default();
        let kept = |id: &[u8]| keep.contains(id);
        stream_where(files.clusters, "clusters.csv", "cluster_id", kept, |c| {
            o.clusters.push(c)
        })?;
        let PageRows {
            evidence: evidence_from,
            evidence_not_kept,
            claims: claims_from,
            claims_total,
        } = rows;
        // Evidence and claims are the two large files: read side by side.
        let (evidence, claims) = rayon::join(
            || {
                let mut rows: Vec<EvidenceRow> = Vec::new();
                let mut cap = EvidenceCap::new(evidence_rows);
                stream_where_in(
                    evidence_from,
                    "evidence.csv",
                    "cluster_id",
                    kept,
                    |e: EvidenceRow| {
                        if cap.admit(&e.cluster_id, &e.weight) {
                            rows.push(e);
                        }
                    },
                )
                .map(|()| {
                    let mut not_kept = cap.not_kept();
                    for (c, n) in evidence_not_kept {
                        *not_kept.entry(c).or_default() += n;
                    }
                    (rows, not_kept)
                })
            },
            || {
                let (mut rows, mut seen): (Vec<ClaimRow>, usize) = (Vec::new(), 0);
                let kept_claim = |id: &[u8]| {
                    seen += 1;
                    keep.contains(id)
                };
                stream_where_in(
                    claims_from,
                    "claims.csv",
                    "cluster_id",
                    kept_claim,
                    |c: ClaimRow| {
                        if !(c.value_low.is_empty() && c.value_high.is_empty()) {
                            rows.push(c)
                        }
                    },
                )
                .map(|()| (rows, claims_total.unwrap_or(seen)))
            },
        );
        let (evidence, not_kept) = evidence?;
        totals.evidence_not_kept = not_kept;
        (o.evidence, (o.claims, totals.claims)) = (evidence, claims?);
        let reports: std::collections::HashSet<&str> = o
            .evidence
            .iter()
            .map(|e| e.report_id.as_str())
            .chain(o.claims.iter().map(|c| c.report_id.as_str()))
            .collect();
        let mut shown_reports = Vec::new();
        stream(files.reports, "reports.csv", |r: ReportRow| {
            totals.reports += 1;
            *totals.status.entry(r.status.clone()).or_default() += 1;
            if reports.contains(r.report_id.as_str()) {
                shown_reports.push(r);
            }
        })?;
        drop(reports);
        o.reports = shown_reports;
        Ok((o, totals))
    }

    /// From the bytes of each file (claims and reports may be empty: then absent).
    #[cfg(test)]
    pub fn from_bytes(
        clusters: &[u8],
        evidence: &[u8],
        claims: &[u8],
        reports: &[u8],
    ) -> Result<Outputs, String> {
        Ok(Outputs {
            clusters: parse(clusters, "clusters.csv")?,
            evidence: parse(evidence, "evidence.csv")?,
            claims: optional(claims, "claims.csv")?,
            reports: optional(reports, "reports.csv")?,
        })
    }

    /// Reads `dir`: clusters.csv and evidence.csv must be there; claims.csv and
    /// reports.csv are read when present.
    pub fn load(dir: &Path) -> Result<Outputs, String> {
        let (c, e, k, r) = (
            dir.join("clusters.csv"),
            dir.join("evidence.csv"),
            dir.join("claims.csv"),
            dir.join("reports.csv"),
        );
        Outputs::read(&Files {
            clusters: &c,
            evidence: &e,
            claims: &k,
            reports: &r,
        })
        .map_err(|e| format!("{}/{e}", dir.display()))
    }

    /// Look-ups by id, built once: a view that scanned the files per cluster would be
    /// quadratic in the corpus.
    pub fn index(&self) -> Index<'_> {
        let mut claims: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in self.claims.iter().enumerate() {
            claims.entry(c.cluster_id.as_str()).or_default().push(i);
        }
        Index {
            outputs: self,
            reports: self
                .reports
                .iter()
                .enumerate()
                .map(|(i, r)| (r.report_id.as_str(), i))
                .collect(),
            claims,
        }
    }
}

/// An [`Outputs`] with its rows findable by id.
pub struct Index<'a> {
    outputs: &'a Outputs,
    reports: HashMap<&'a str, usize>,
    claims: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Index<'a> {
    pub fn report(&self, id: &str) -> Option<&'a ReportRow> {
        self.reports.get(id).map(|&i| &self.outputs.reports[i])
    }

    /// The publication date of a report, empty when unknown.
    pub fn date(&self, id: &str) -> &'a str {
        self.report(id).map_or("", |r| r.published.as_str())
    }

    /// The claims.csv rows of a cluster, in file order.
    pub fn claims(&self, cluster: &str) -> impl Iterator<Item = &'a ClaimRow> + '_ {
        let outputs = self.outputs;
        self.claims
            .get(cluster)
            .into_iter()
            .flatten()
            .map(move |&i| &outputs.claims[i])
    }
}

/// A value as an analyst reads it: `800 fighter`, `150 to 200 fighter`, `at least 150
/// fighter`, `1500 USD per month`; empty when there is no value.
pub fn value_text(low: &str, high: &str, unit: &str, per: &str) -> String {
    let mut s = match (low.is_empty(), high.is_empty()) {
        (true, true) => return String::new(),
        (false, false) if low == high => low.to_string(),
        (false, false) => format!("{low} to {high}"),
        (false, true) => format!("at least {low}"),
        (true, false) => format!("at most {high}"),
    };
    if !unit.is_empty() {
        s.push(' ');
        s.push_str(unit);
    }
    if !per.is_empty() {
        s.push_str(" per ");
        s.push_str(per);
    }
    s
}

/// Why `explain` could not answer: always the user's to fix (exit 2).
#[derive(Debug)]
pub struct Usage(pub String);

/// Finds a cluster by id, or by a prefix of its id that only it has.
pub fn find<'a>(o: &'a Outputs, id: &str, dir: &Path) -> Result<&'a ClusterRow, Usage> {
    if let Some(c) = o.clusters.iter().find(|c| c.cluster_id == id) {
        return Ok(c);
    }
    let by_prefix: Vec<&ClusterRow> = if id.is_empty() {
        Vec::new()
    } else {
        o.clusters
            .iter()
            .filter(|c| c.cluster_id.starts_with(id))
            .collect()
    };
    if by_prefix.len() == 1 {
        return Ok(by_prefix[0]);
    }
    let d = dir.display();
    let mut msg = if by_prefix.len() > 1 {
        format!(
            "{id:?} is the start of {} cluster ids in {d}/clusters.csv: {}",
            by_prefix.len(),
            by_prefix
                .iter()
                .take(5)
                .map(|c| c.cluster_id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!("no cluster {id:?} in {d}/clusters.csv")
    };
    let _ = write!(
        msg,
        "\ncluster ids are the first column of {d}/clusters.csv (`cut -d, -f1 {d}/clusters.csv`), \
         the cluster_id column of claims.csv, or the first column of {d}/report.html"
    );
    Err(Usage(msg))
}

/// The plain-text account of one cluster.
pub fn account(o: &Outputs, c: &ClusterRow) -> String {
    let ix = o.index();
    let mut s = String::new();
    let id = &c.cluster_id;
    let _ = writeln!(s, "Cluster {id} ({} claim)", c.kind);
    let _ = writeln!(s, "  \"{}\"", c.label);
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Verdict  {} ({})",
        c.verdict,
        verdict_meaning(&c.verdict)
    );
    let _ = writeln!(s, "Score    {}", c.score);
    let value = c.value();
    if !value.is_empty() {
        let conflict = if c.value_conflict == "true" {
            "supporting origins give incompatible values"
        } else {
            "no conflict between supporting origins"
        };
        let _ = writeln!(s, "Value    {value} ({conflict})");
    }
    let _ = writeln!(
        s,
        "Reach    {} mention(s) in {} report(s) from {} outlet(s); first seen {} ({}), last seen {}",
        c.mentions,
        c.reports,
        c.outlets,
        or_unknown(&c.first_seen),
        or_unknown(&c.first_outlet),
        or_unknown(&c.last_seen)
    );

    let rows: Vec<&EvidenceRow> = o.evidence.iter().filter(|e| e.cluster_id == *id).collect();
    // An origin belongs to the side of the row where it is counted (weight > 0); every
    // other row of that origin is shown under it as a repetition.
    let mut origins: BTreeMap<&str, Vec<&EvidenceRow>> = BTreeMap::new();
    for e in &rows {
        origins.entry(e.origin.as_str()).or_default().push(e);
    }
    let side_of = |rs: &[&EvidenceRow]| -> String {
        rs.iter()
            .find(|e| e.weight() != 0.0)
            .or(rs.first())
            .map(|e| e.stance.clone())
            .unwrap_or_default()
    };
    for (stance, title) in [
        ("supports", "Supporting origins"),
        ("denies", "Denying origins"),
        ("discusses", "Discussing origins"),
    ] {
        let side: Vec<(&&str, &Vec<&EvidenceRow>)> = origins
            .iter()
            .filter(|(_, rs)| side_of(rs) == stance)
            .collect();
        if side.is_empty() {
            continue;
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{title} ({})", side.len());
        for (origin, rs) in side {
            let w: f64 = rs.iter().map(|e| e.weight()).sum();
            let _ = writeln!(s, "  {origin}  (weight {})", crate::output::num(w));
            let mut rs = rs.clone();
            rs.sort_by_key(|e| (e.weight() == 0.0, e.report_id.as_str()));
            for e in rs {
                let date = ix.date(&e.report_id);
                let head = if e.weight() != 0.0 {
                    "counted"
                } else {
                    "also   "
                };
                let _ = writeln!(
                    s,
                    "    {head} {} · {} · {} · {}{}",
                    e.report_id,
                    or_unknown(&e.outlet),
                    or_unknown(date),
                    e.stance,
                    // "counted" is already the row's heading.
                    match e
                        .note
                        .strip_prefix("counted")
                        .map(|n| n.trim_start_matches("; "))
                    {
                        Some("") => String::new(),
                        Some(rest) => format!(" · {rest}"),
                        None if e.note.is_empty() => String::new(),
                        None => format!(" · {}", e.note),
                    }
                );
                let _ = writeln!(s, "            \"{}\"", e.quote);
            }
        }
    }

    let _ = writeln!(s);
    let _ = writeln!(s, "How the score follows");
    let _ = writeln!(
        s,
        "  Each origin counts once, in the report where it is counted, with weight 1 when \
         named, 0.75 when an anonymous source, 0.25 when it only discusses the claim."
    );
    let mut sums = [0.0f64; 3];
    for (k, (stance, name)) in [("supports", "S"), ("denies", "D"), ("discusses", "U")]
        .iter()
        .enumerate()
    {
        let terms: Vec<(f64, &str)> = rows
            .iter()
            .filter(|e| e.stance == *stance && e.weight() != 0.0)
            .map(|e| (e.weight(), e.origin.as_str()))
            .collect();
        sums[k] = terms.iter().map(|t| t.0).sum();
        let sum = crate::output::num(sums[k]);
        let expr = if terms.is_empty() {
            "0".to_string()
        } else if terms.len() == 1 {
            format!("{} ({})", crate::output::num(terms[0].0), terms[0].1)
        } else {
            let parts: Vec<String> = terms
                .iter()
                .map(|(w, o)| format!("{} ({o})", crate::output::num(*w)))
                .collect();
            format!("{} = {sum}", parts.join(" + "))
        };
        let _ = writeln!(s, "  {name} = {expr}");
    }
    let [sup, den, dis] = sums;
    let score = (sup - den) / (sup + den + dis + 1.0);
    let n = crate::output::num;
    let _ = writeln!(
        s,
        "  score = (S - D) / (S + D + U + 1) = ({} - {}) / ({} + {} + {} + 1) = {}",
        n(sup),
        n(den),
        n(sup),
        n(den),
        n(dis),
        n(score)
    );
    if (score - c.score()).abs() > 5e-4 {
        let _ = writeln!(
            s,
            "  NOTE: clusters.csv gives {}; its evidence rows do not add up to it (a bug: please report it)",
            c.score
        );
    }
    let _ = writeln!(
        s,
        "  Verdict: {} supporting, {} denying, {} discussing origin(s) → {}",
        c.origins_supporting, c.origins_denying, c.origins_discussing, c.verdict
    );

    // Copies: reports of this cluster that reports.csv puts in another report's family,
    // else (no reports.csv) what evidence notes say.
    let mut reports: BTreeSet<&str> = BTreeSet::new();
    for e in &rows {
        reports.insert(e.report_id.as_str());
    }
    // The evidence notes' "copy of …" (how much text the copy shares, too), per report:
    // gathered in one pass, not searched for each report (a cluster can have thousands).
    let mut noted: HashMap<&str, &str> = HashMap::new();
    for e in &rows {
        if let Some(of) = e.note.split("copy of ").nth(1) {
            noted.entry(e.report_id.as_str()).or_insert(of);
        }
    }
    let noted_copy = |r: &str| noted.get(r).map(|of| of.trim_end_matches(';').to_string());
    let mut copies: Vec<String> = Vec::new();
    for r in &reports {
        match ix.report(r) {
            Some(rr) if !rr.copy_family.is_empty() && rr.copy_family != rr.report_id => {
                let of = noted_copy(r)
                    .filter(|of| of.starts_with(rr.copy_family.as_str()))
                    .unwrap_or_else(|| rr.copy_family.clone());
                copies.push(format!(
                    "{} ({}) is a copy of {of}",
                    r,
                    or_unknown(&rr.outlet),
                ));
            }
            Some(_) => {}
            None => {
                if let Some(of) = noted_copy(r) {
                    copies.push(format!("{r} is a copy of {of}"));
                }
            }
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "Copies");
    if copies.is_empty() {
        let _ = writeln!(s, "  none: every report is its own text");
    }
    for c in copies {
        let _ = writeln!(s, "  {c}");
    }

    let _ = writeln!(s);
    let _ = writeln!(s, "Series (values one origin gave over time)");
    let series = series(&ix, id);
    if series.is_empty() {
        let _ = writeln!(
            s,
            "  none{}",
            if o.claims.is_empty() {
                " (claims.csv not found)"
            } else {
                ""
            }
        );
    }
    for (origin, points) in series {
        let steps: Vec<String> = points
            .iter()
            .map(|p| format!("{} {}", or_unknown(&p.date), p.value))
            .collect();
        let _ = writeln!(s, "  {origin}: {}", steps.join(" -> "));
    }
    s
}

/// A value one origin gave, on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub date: String,
    pub report_id: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub value: String,
}

/// The values each origin gave in a cluster, by date (origins with at least two distinct
/// values only: one value is not a series).
pub fn series(ix: &Index, cluster: &str) -> Vec<(String, Vec<Point>)> {
    let mut by_origin: BTreeMap<&str, Vec<Point>> = BTreeMap::new();
    for p in points(ix, cluster) {
        by_origin.entry(p.0).or_default().push(p.1);
    }
    by_origin
        .into_iter()
        .filter(|(_, ps)| {
            let distinct: BTreeSet<&str> = ps.iter().map(|p| p.value.as_str()).collect();
            distinct.len() > 1
        })
        .map(|(o, ps)| (o.to_string(), ps))
        .collect()
}

/// Every valued mention of a cluster as (origin, point), ordered by date then report.
pub fn points<'a>(ix: &Index<'a>, cluster: &str) -> Vec<(&'a str, Point)> {
    let mut v: Vec<(&str, Point)> = ix
        .claims(cluster)
        .filter(|c| !(c.value_low.is_empty() && c.value_high.is_empty()))
        .map(|c| {
            (
                c.origin.as_str(),
                Point {
                    date: ix.date(&c.report_id).to_string(),
                    report_id: c.report_id.clone(),
                    low: c.value_low.parse().ok(),
                    high: c.value_high.parse().ok(),
                    value: value_text(&c.value_low, &c.value_high, &c.unit, &c.per),
                },
            )
        })
        .collect();
    v.sort_by(|a, b| {
        (a.1.date.is_empty(), &a.1.date, &a.1.report_id, a.0).cmp(&(
            b.1.date.is_empty(),
            &b.1.date,
            &b.1.report_id,
            b.0,
        ))
    });
    v.dedup();
    v
}

fn or_unknown(s: &str) -> &str {
    if s.is_empty() {
        "unknown"
    } else {
        s
    }
}

fn verdict_meaning(v: &str) -> &'static str {
    match v {
        "corroborated" => "two or more independent origins support it, none denies",
        "single-source" => "one origin supports it, none denies",
        "contested" => "independent origins on both sides",
        "denied" => "only denials",
        "unverified" => "only discussed, never asserted",
        _ => "see docs/output.md",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small run with quantity clusters: a count with a series and a conflict, and a
    /// rate.
    pub(crate) fn fixture() -> Outputs {
        let clusters = "cluster_id,label,kind,value_low,value_high,unit,per,mentions,reports,outlets,origins_supporting,origins_denying,origins_discussing,first_seen,first_outlet,last_seen,score,verdict,value_conflict,explanation\nc1,\"Valdoria sent 1,200 fighters to Kestria <script>x</script>\",count,1200,1200,fighter,,5,5,3,2,1,0,2031-03-01,Lune Daily,2031-03-12,0.25,contested,true,\"2 supporting; 1 denying\"\nc2,Morvania pays $2000 a month,money,2000,2000,USD,month,1,1,1,1,0,0,2031-03-02,X,2031-03-02,0.5,single-source,false,one\n";
        let evidence = "cluster_id,report_id,outlet,origin,stance,weight,quote,note\nc1,r1,Lune Daily,Ossel Monitor,supports,1,\"1,200 fighters\",counted\nc1,r2,Lune Daily,Ossel Monitor,supports,0,\"1,450 fighters\",same\nc1,r3,Ossel Observer,Ossel Monitor,supports,0,\"2,580 fighters\",same\nc1,r4,Brenholt Post,Dara Vell,supports,1,\"150-200 fighters\",counted\nc1,r5,Tarsk Herald,Valdoria (government),denies,1,no fighters,counted\nc2,r2,X,Morvania (government),supports,1,$2000 a month,counted\n";
        let claims = "claim_id,report_id,sentence,start,end,text,kind,stance,attributed_to,via,value_low,value_high,approx,unit,per,cluster_id,origin\nr1#1,r1,0,0,1,t,count,supports,,,1200,1200,false,fighter,,c1,Ossel Monitor\nr2#1,r2,0,0,1,t,count,supports,,,1450,1450,false,fighter,,c1,Ossel Monitor\nr3#1,r3,0,0,1,t,count,supports,,,2580,2580,false,fighter,,c1,Ossel Monitor\nr4#1,r4,0,0,1,t,count,supports,,,150,200,true,fighter,,c1,Dara Vell\nr2#2,r2,0,0,1,t,money,supports,,,2000,2000,false,USD,month,c2,Morvania (government)\n";
        let reports = "report_id,path,outlet,relayed_via,published,place,author,title,language,sentences,claims,copy_family,status,note\nr1,r1,L,,2031-03-01,,,,en,1,1,r1,ok,\nr2,r2,L,,2031-03-04,,,,en,1,1,r2,ok,\nr3,r3,L,,2031-03-12,,,,en,1,1,r3,ok,\nr4,r4,L,,2031-03-06,,,,en,1,1,r4,ok,\nr5,r5,L,,2031-03-08,,,,en,1,1,r5,ok,\n";
        Outputs::from_bytes(
            clusters.as_bytes(),
            evidence.as_bytes(),
            claims.as_bytes(),
            reports.as_bytes(),
        )
        .unwrap()
    }

    #[test]
    fn a_quantity_cluster_is_accounted_for_with_its_series() {
        let o = fixture();
        let c = &o.clusters[0];
        let text = account(&o, c);
        for want in [
            "Value    1200 fighter (supporting origins give incompatible values)",
            "score = (S - D) / (S + D + U + 1) = (2 - 1) / (2 + 1 + 0 + 1) = 0.25",
            "Ossel Monitor: 2031-03-01 1200 fighter -> 2031-03-04 1450 fighter -> 2031-03-12 2580 fighter",
            "Supporting origins (2)",
            "Denying origins (1)",
        ] {
            assert!(text.contains(want), "{want}\n---\n{text}");
        }
        assert!(!text.contains("NOTE:"), "{text}");
        let rate = account(&o, &o.clusters[1]);
        assert!(rate.contains("Value    2000 USD per month"), "{rate}");
    }

    #[test]
    fn ids_are_found_whole_or_by_unique_prefix() {
        let o = fixture();
        let d = Path::new("out");
        assert_eq!(find(&o, "c1", d).unwrap().cluster_id, "c1");
        let Err(Usage(msg)) = find(&o, "c", d) else {
            panic!("\"c\" is ambiguous")
        };
        assert!(msg.contains("start of 2 cluster ids"), "{msg}");
        let Err(Usage(msg)) = find(&o, "zz", d) else {
            panic!("no such cluster")
        };
        assert!(
            msg.contains("no cluster \"zz\"") && msg.contains("out/clusters.csv"),
            "{msg}"
        );
    }

    #[test]
    fn values_read_as_analysts_write_them() {
        let cases = [
            (("800", "800", "fighter", ""), "800 fighter"),
            (("150", "200", "fighter", ""), "150 to 200 fighter"),
            (("150", "", "fighter", ""), "at least 150 fighter"),
            (("", "200", "", ""), "at most 200"),
            (("1500", "1500", "USD", "month"), "1500 USD per month"),
            (("", "", "", ""), ""),
        ];
        for ((l, h, u, p), want) in cases {
            assert_eq!(value_text(l, h, u, p), want);
        }
    }
}
