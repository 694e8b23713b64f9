//! `corro track --claims CLAIMS.csv INPUT... --out DIR`: follow a watch list.
//!
//! Each watched claim (`claim_id,text`) is reduced like a headline, every report like a
//! body ([`corro_claims::relate`]). Blocking is an inverted index from the claims' rare
//! terms to claims ([`ClaimIndex`]): a report is only measured against claims it shares
//! rare vocabulary with, never against the whole list. The shipped stance model
//! (`data/stance_model.csv`, or `--model FILE`) decides related / unrelated and the
//! stance; the best-matching sentence is the quote, and its attribution ("Baku denied
//! …", "…, CNN reported citing …") gives the origin, so `watchlist.csv` counts
//! independent origins exactly as `clusters.csv` does (`corro_match::score::build`).
//!
//! Outputs (written atomically):
//! - `matches.csv`: `claim_id, report_id, stance, score, quote, cue` — one row per
//!   related (claim, report); `score` is the probability of relatedness, `cue` the
//!   feature (and cue as written) that decided the stance;
//! - `watchlist.csv`: per claim, the origin counts, score, verdict and explanation.
//!
//! Deliberately not done: clustering the watched claims with each other or with the
//! corpus's own claims (that is `corro run`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use corro_claims::attribution::{self, Context};
use corro_claims::model::StanceModel;
use corro_claims::relate::{self, ClaimIndex, Doc, DocFreq};
use corro_claims::text::Tokens;
use corro_claims::{ClaimKind, Lexicons, Mention, Stance};
use corro_match::{MentionFacts, ReportFacts, Signature};
use corro_parse::{Report, Status};
use rayon::prelude::*;

use crate::corpus::{self, Found};
use crate::exit;
use crate::output::{num, text, Staged, Table};

/// The shipped weights.
pub const SHIPPED_MODEL: &str = include_str!("../data/stance_model.csv");

/// A claim term used by more than this share of the reports does not open a posting
/// list: it would make nearly every report a candidate.
const MAX_DF_SHARE: f64 = 0.05;

#[derive(clap::Args)]
pub struct TrackArgs {
    /// The watch list: a CSV with `claim_id,text`.
    #[arg(long, value_name = "CSV")]
    claims: PathBuf,
    /// Files or directories of reports (as for `corro run`).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output directory (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// A stance model replacing the shipped one (see `corro eval train-stance`).
    #[arg(long, value_name = "CSV")]
    model: Option<PathBuf>,
    #[command(flatten)]
    lex: crate::LexArgs,
}

pub const MATCHES_HEADER: &[&str] = &["claim_id", "report_id", "stance", "score", "quote", "cue"];
pub const WATCHLIST_HEADER: &[&str] = &[
    "claim_id",
    "text",
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
    "explanation",
];

struct Watched {
    id: String,
    text: String,
}

fn read_claims(path: &std::path::Path) -> Result<Vec<Watched>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = rdr
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("{}: no {name:?} column", path.display()))
    };
    let (ic, tc) = (col("claim_id")?, col("text")?);
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|e| format!("{} line {line}: {e}", path.display()))?;
        let id = rec.get(ic).unwrap_or("").trim().to_string();
        let text = rec.get(tc).unwrap_or("").trim().to_string();
        if id.is_empty() {
            return Err(format!("{} line {line}: empty claim_id", path.display()));
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(format!(
                "{} line {line}: duplicate claim_id {id:?} (first on line {first})",
                path.display()
            ));
        }
        out.push(Watched { id, text });
    }
    Ok(out)
}

/// A report as track needs it: the text stays until its matches are quoted.
struct Read {
    report: Report,
    doc: Doc,
    signature: Option<Signature>,
}

fn read_reports(inputs: &[PathBuf], lex: &Lexicons) -> (Vec<Read>, usize) {
    let limits = corro_parse::Limits::default();
    let found = corpus::walk(inputs);
    let per_file: Vec<Vec<Report>> = found
        .par_iter()
        .map(|f| match f {
            Found::Problem { name, message } => {
                vec![Report::error(name.clone(), name.clone(), message.clone())]
            }
            Found::File { path, name, .. } => match corpus::read_limited(path, &limits) {
                Ok(bytes) => corro_parse::read_source(name, &bytes, &limits, &lex.outlets),
                Err(e) => vec![Report::error(
                    name.clone(),
                    name.clone(),
                    format!("{name}: {e}"),
                )],
            },
        })
        .collect();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut reports = Vec::new();
    let mut problems = 0;
    for r in per_file.into_iter().flatten() {
        if r.status == Status::Error {
            problems += 1;
            for n in &r.notes {
                eprintln!("corro track: {n}");
            }
            continue;
        }
        if let Some(first) = seen.get(&r.id) {
            problems += 1;
            eprintln!(
                "corro track: {}: duplicate id {:?} (first in {first}); ignored",
                r.path, r.id
            );
            continue;
        }
        seen.insert(r.id.clone(), r.path.clone());
        if r.status == Status::Ok {
            reports.push(r);
        }
    }
    let read = reports
        .into_par_iter()
        .map(|r| {
            let spans: Vec<(usize, usize)> = r.sentences.iter().map(|s| (s.start, s.end)).collect();
            let doc = Doc::new(&r.text, &spans, lex);
            let signature = Some(Signature::of(r.text.get(r.body_start..).unwrap_or(&r.text)));
            Read {
                report: r,
                doc,
                signature,
            }
        })
        .collect();
    (read, problems)
}

/// One related (claim, report) pair.
struct Match {
    claim: usize,
    report: usize,
    stance: Stance,
    score: f64,
    sentence: Option<usize>,
    cue: String,
}

pub fn cmd(args: TrackArgs) -> ExitCode {
    let start = Instant::now();
    let lex = match crate::lexicons::load(args.lex.lexicons.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("corro track: lexicons: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let model_text = match &args.model {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("corro track: {}: {e}", p.display());
                return ExitCode::from(exit::USAGE);
            }
        },
        None => SHIPPED_MODEL.to_string(),
    };
    let model = match StanceModel::from_csv(&model_text) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("corro track: stance model: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let claims = match read_claims(&args.claims) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("corro track: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let (reports, problems) = read_reports(&args.inputs, &lex);
    let t_read = start.elapsed().as_secs_f64();

    let claim_docs: Vec<Doc> = claims.iter().map(|c| Doc::claim(&c.text, &lex)).collect();
    let df = DocFreq::new(reports.iter().map(|r| &r.doc));
    let index = ClaimIndex::new(&claim_docs, &df, MAX_DF_SHARE);
    let measured = std::sync::atomic::AtomicUsize::new(0);
    let mut matches: Vec<Match> = reports
        .par_iter()
        .enumerate()
        .flat_map_iter(|(ri, r)| {
            let candidates = index.candidates(&r.doc, 1);
            measured.fetch_add(candidates.len(), std::sync::atomic::Ordering::Relaxed);
            candidates
                .into_iter()
                .filter_map(|ci| {
                    let f = relate::features(&claim_docs[ci as usize], &r.doc, &df);
                    let p = model.predict(&f);
                    p.stance.map(|stance| Match {
                        claim: ci as usize,
                        report: ri,
                        stance,
                        score: p.related,
                        sentence: f.best_sentence,
                        cue: p.cue,
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    matches.sort_by(|a, b| {
        (a.claim, &reports[a.report].report.id).cmp(&(b.claim, &reports[b.report].report.id))
    });
    let t_match = start.elapsed().as_secs_f64();

    let quote = |m: &Match| -> &str {
        let r = &reports[m.report];
        m.sentence
            .and_then(|s| r.doc.sentences.get(s))
            .and_then(|s| r.report.text.get(s.start..s.end))
            .unwrap_or("")
    };
    let mut mt = Table::new(MATCHES_HEADER);
    for m in &matches {
        mt.row([
            text(&claims[m.claim].id),
            text(&reports[m.report].report.id),
            m.stance.as_str().to_string(),
            num(m.score),
            text(quote(m)),
            text(&m.cue),
        ]);
    }

    let wt = watchlist(&claims, &reports, &matches, &lex);
    let written = Staged::new(&args.out).and_then(|mut s| {
        s.add("matches.csv", &mt.into_bytes())?;
        s.add("watchlist.csv", &wt)?;
        s.commit()
    });
    if let Err(e) = written {
        eprintln!("corro track: writing {}: {e}", args.out.display());
        return ExitCode::from(exit::IO);
    }
    eprintln!(
        "corro track: {} claims, {} reports ({} unreadable), {} pairs measured of {} ({} matches); read {:.2}s, matched {:.2}s, total {:.2}s",
        claims.len(),
        reports.len(),
        problems,
        measured.into_inner(),
        claims.len() * reports.len(),
        matches.len(),
        t_read,
        t_match - t_read,
        start.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}

/// The mention a match stands for: its stance, and who says it in the quoted sentence
/// (reported speech resolved against the report's earlier sentences).
fn mention_of(m: &Match, r: &Read, lex: &Lexicons) -> Mention {
    let (mut speaker, mut via) = (None, Vec::new());
    if let Some(s) = m.sentence {
        let mut ctx = Context::default();
        for (k, sent) in r.doc.sentences.iter().enumerate().take(s + 1) {
            let Some(t) = r.report.text.get(sent.start..sent.end) else {
                continue;
            };
            let toks = Tokens::new(t);
            let cues = lex.cues.find_all(&toks);
            let a = attribution::attribute(&toks, &cues, lex, &mut ctx);
            if k == s {
                speaker = a.speaker;
                via = a.via;
            }
        }
    }
    Mention {
        sentence: m.sentence.unwrap_or(0),
        kind: ClaimKind::Event,
        stance: m.stance,
        cue: Some(m.cue.clone()),
        speaker,
        via,
        quantity: None,
        concepts: Vec::new(),
    }
}

fn watchlist(claims: &[Watched], reports: &[Read], matches: &[Match], lex: &Lexicons) -> Vec<u8> {
    let facts: Vec<ReportFacts> = reports
        .iter()
        .map(|r| ReportFacts {
            id: r.report.id.clone(),
            outlet: r.report.meta.outlet.clone(),
            relayed_via: r.report.meta.relayed_via.clone(),
            published: r.report.meta.published,
            signature: r.signature.clone().map(Box::new),
            headline: false,
        })
        .collect();
    // Copy families, named by their earliest report (as `corro run` does).
    let mut order: Vec<usize> = (0..facts.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| {
            (
                facts[i].published.is_none(),
                facts[i].published,
                &facts[i].id,
            )
        };
        key(a).cmp(&key(b))
    });
    let sigs: Vec<Option<&Signature>> = facts.iter().map(|f| f.signature.as_deref()).collect();
    let family = corro_match::copies::families(&sigs, &order);

    let names = corro_match::Names::default();
    let owned: Vec<corro_match::Claim> = matches
        .par_iter()
        .map(|m| corro_match::Claim::of(&mention_of(m, &reports[m.report], lex), &names))
        .collect();
    let names = names.finish();
    let mentions: Vec<MentionFacts> = matches
        .iter()
        .zip(&owned)
        .map(|(m, mention)| MentionFacts {
            report: m.report as u32,
            mention,
            concepts: &[],
        })
        .collect();
    let mut by_claim: Vec<Vec<u32>> = vec![Vec::new(); claims.len()];
    for (i, m) in matches.iter().enumerate() {
        by_claim[m.claim].push(i as u32);
    }
    let mut t = Table::new(WATCHLIST_HEADER);
    for (c, members) in claims.iter().zip(&by_claim) {
        let Some(&core) = members.first() else {
            t.row([
                text(&c.id),
                text(&c.text),
                "0".into(),
                "0".into(),
                "0".into(),
                "0".into(),
                "0".into(),
                String::new(),
                String::new(),
                String::new(),
                "0".into(),
                "unverified".into(),
                "no related reports".into(),
            ]);
            continue;
        };
        let cl =
            corro_match::score::build(core, members, &facts, mentions.as_slice(), &family, &names);
        t.row([
            text(&c.id),
            text(&c.text),
            cl.reports.to_string(),
            cl.outlets.to_string(),
            cl.supporting.to_string(),
            cl.denying.to_string(),
            cl.discussing.to_string(),
            cl.first_seen.map(|d| d.to_string()).unwrap_or_default(),
            text(cl.first_outlet.as_deref().unwrap_or("")),
            cl.last_seen.map(|d| d.to_string()).unwrap_or_default(),
            num(cl.score),
            cl.verdict.as_str().to_string(),
            text(&cl.explanation),
        ]);
    }
    t.into_bytes()
}
