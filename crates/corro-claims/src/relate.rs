//! Relatedness of a watched claim to a whole report, and the explainable features a
//! stance model reads from the pair.
//!
//! A claim ("Turkey sent Syrian fighters to Azerbaijan") and a report are both reduced to
//! [`Doc`]s: per sentence, the stemmed content terms (stop words dropped) and the stance
//! cues of `data/cues.csv` (denial verbs, denial words, negations, hedges, question
//! marks). [`features`] then measures the pair:
//!
//! - **overlap**: how much of the claim's vocabulary the report uses, weighted by rarity
//!   ([`DocFreq`]), in the whole report, in its lead and in its best sentence, and how
//!   many of the claim's word pairs it repeats;
//! - **cues near the claim**: denial, negation and hedge cues in the sentences that
//!   share the claim's terms ("near" sentences), and in the report as a whole;
//! - **the claim's own cues**: a claim that is itself a denial or a question flips what
//!   a denying report means;
//! - **words near the claim**: the stems of near sentences, for the lexical part of the
//!   model ([`crate::model`]).
//!
//! [`ClaimIndex`] is the blocking step: an inverted index from rare claim terms to
//! claims, so a report is only measured against claims it shares rare vocabulary with.
//!
//! Deliberately not done here: deciding anything. This module only measures; the weights
//! that turn measurements into "related, denies" live in [`crate::model`] and come from
//! data.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::lexicon::{Cue, Lexicons};
use crate::text::{stem, Tokens};

/// A term: the FNV-1a hash of a stemmed, lower-cased word. Hashes keep documents free
/// of strings and let reports be reduced in parallel without a shared interner.
pub type Term = u64;

/// The term of a word as written (lower-cased and stemmed here).
pub fn term_of(word: &str) -> Term {
    let lower = word.to_lowercase();
    fnv(stem(&lower))
}

/// The term of an already stemmed, lower-cased word (as stored in weights files).
pub fn term_of_stem(stem: &str) -> Term {
    fnv(stem)
}

fn fnv(s: &str) -> Term {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The stance cue classes a document is scanned for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CueClass {
    /// "denied", "refuted", "dismissed".
    Deny,
    /// "hoax", "fake", "propaganda", "baseless".
    DenyWord,
    /// "not", "no", "never".
    Negation,
    /// "reportedly", "allegedly", "claims that", "unconfirmed".
    Hedge,
    /// A question mark.
    Question,
    /// A speech verb ("said", "told", "according to"): the claim is attributed.
    Say,
}

impl CueClass {
    pub const ALL: [CueClass; CUE_CLASSES] = [
        CueClass::Deny,
        CueClass::DenyWord,
        CueClass::Negation,
        CueClass::Hedge,
        CueClass::Question,
        CueClass::Say,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CueClass::Deny => "deny",
            CueClass::DenyWord => "deny_word",
            CueClass::Negation => "negation",
            CueClass::Hedge => "hedge",
            CueClass::Question => "question",
            CueClass::Say => "say",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How many cue classes there are.
pub const CUE_CLASSES: usize = 6;

/// One sentence of a document, reduced.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    /// Byte span in the document's text.
    pub start: usize,
    pub end: usize,
    /// Distinct content terms (stop words left out), sorted.
    pub terms: Vec<Term>,
    /// Distinct terms of every word, stop words included ("not", "may"), sorted: the
    /// lexical features of the stance model.
    pub words: Vec<Term>,
    /// Cue counts, indexed by [`CueClass`].
    pub cues: [u16; CUE_CLASSES],
    /// The first cue of each class as written ("denied"), for explanations.
    pub first_cue: [Option<Box<str>>; CUE_CLASSES],
}

/// A claim or a report, reduced to what relatedness and stance features need.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub sentences: Vec<Sentence>,
    /// Distinct terms of the whole document, sorted.
    pub terms: Vec<Term>,
    /// Per distinct term (same order as `terms`): the sentences it occurs in.
    postings: Vec<Vec<u32>>,
    /// Adjacent content-term pairs, for phrase overlap.
    pub bigrams: HashSet<(Term, Term)>,
    /// The stem of each distinct term, for naming lexical features.
    pub names: Vec<(Term, Box<str>)>,
    /// Every distinct word term of the document, stop words included, shared with the
    /// features of every pair it is in.
    pub all_words: Arc<[Term]>,
}

impl Doc {
    /// Reduces a text whose sentence spans are known (a parsed report).
    pub fn new(text: &str, spans: &[(usize, usize)], lex: &Lexicons) -> Doc {
        let mut doc = Doc::default();
        let mut all: HashMap<Term, Vec<u32>> = HashMap::new();
        let mut names: HashMap<Term, Box<str>> = HashMap::new();
        for &(start, end) in spans {
            let Some(s) = text.get(start..end) else {
                continue;
            };
            let k = doc.sentences.len() as u32;
            let mut sent = Sentence {
                start,
                end,
                ..Sentence::default()
            };
            let toks = Tokens::new(s);
            for c in lex.cues.find_all(&toks) {
                let class = if c.value.has(Cue::DENY) {
                    CueClass::Deny
                } else if c.value.has(Cue::DENY_WORD) {
                    CueClass::DenyWord
                } else if c.value.has(Cue::NEGATION) {
                    CueClass::Negation
                } else if c.value.has(Cue::HEDGE) {
                    CueClass::Hedge
                } else if c.value.has(Cue::SAY) {
                    CueClass::Say
                } else {
                    continue;
                };
                sent.count(class, toks.slice(c.start, c.end));
            }
            let mut prev: Option<Term> = None;
            for i in 0..toks.len() {
                if !toks.toks[i].is_word {
                    if toks.lower(i) == "?" {
                        sent.count(CueClass::Question, "?");
                    }
                    // Punctuation breaks phrases: "Azerbaijan. Turkey" is no bigram.
                    if toks.lower(i) != "'" && toks.lower(i) != "-" {
                        prev = None;
                    }
                    continue;
                }
                let w = toks.lower(i);
                let st = stem(w);
                let t = fnv(st);
                names.entry(t).or_insert_with(|| st.into());
                sent.words.push(t);
                if w.len() < 2 || lex.stopwords.contains(w) {
                    continue;
                }
                sent.terms.push(t);
                if let Some(p) = prev {
                    doc.bigrams.insert((p, t));
                }
                prev = Some(t);
            }
            sent.terms.sort_unstable();
            sent.terms.dedup();
            sent.words.sort_unstable();
            sent.words.dedup();
            for &t in &sent.terms {
                all.entry(t).or_default().push(k);
            }
            doc.sentences.push(sent);
        }
        let mut terms: Vec<(Term, Vec<u32>)> = all.into_iter().collect();
        terms.sort_unstable_by_key(|(t, _)| *t);
        doc.terms = terms.iter().map(|(t, _)| *t).collect();
        doc.postings = terms.into_iter().map(|(_, p)| p).collect();
        let mut names: Vec<(Term, Box<str>)> = names.into_iter().collect();
        names.sort_unstable_by_key(|(t, _)| *t);
        doc.names = names;
        doc.all_words = doc.words().into();
        doc
    }

    /// A one-sentence document: a watched claim or a headline.
    pub fn claim(text: &str, lex: &Lexicons) -> Doc {
        Doc::new(text, &[(0, text.len())], lex)
    }

    /// A free text split into sentences at `.`, `!`, `?` and blank lines; for texts that
    /// did not come through the report parser.
    pub fn plain(text: &str, lex: &Lexicons) -> Doc {
        let mut spans = Vec::new();
        let mut start = 0;
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let end_mark = matches!(b, b'.' | b'!' | b'?')
                && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
            let blank = b == b'\n' && bytes.get(i + 1) == Some(&b'\n');
            if end_mark || blank {
                if i + 1 > start {
                    spans.push((start, i + 1));
                }
                start = i + 1;
            }
        }
        if start < text.len() {
            spans.push((start, text.len()));
        }
        spans.retain(|&(a, b)| !text[a..b].trim().is_empty());
        Doc::new(text, &spans, lex)
    }

    fn sentences_of(&self, t: Term) -> Option<&[u32]> {
        self.terms
            .binary_search(&t)
            .ok()
            .map(|i| self.postings[i].as_slice())
    }

    /// Every distinct word term, stop words included.
    pub fn words(&self) -> Vec<Term> {
        let mut w: Vec<Term> = self
            .sentences
            .iter()
            .flat_map(|s| s.words.iter().copied())
            .collect();
        w.sort_unstable();
        w.dedup();
        w
    }

    pub fn contains(&self, t: Term) -> bool {
        self.terms.binary_search(&t).is_ok()
    }

    /// Cue counts over the whole document.
    pub fn cue_totals(&self) -> [u32; CUE_CLASSES] {
        let mut out = [0u32; CUE_CLASSES];
        for s in &self.sentences {
            for (o, c) in out.iter_mut().zip(s.cues) {
                *o += u32::from(c);
            }
        }
        out
    }
}

impl Sentence {
    fn count(&mut self, class: CueClass, text: &str) {
        let i = class.index();
        self.cues[i] = self.cues[i].saturating_add(1);
        if self.first_cue[i].is_none() {
            self.first_cue[i] = Some(text.into());
        }
    }
}

/// Document frequencies over a collection of reports: how rare each term is.
#[derive(Debug, Clone, Default)]
pub struct DocFreq {
    pub docs: u32,
    df: HashMap<Term, u32>,
}

impl DocFreq {
    pub fn new<'a>(docs: impl IntoIterator<Item = &'a Doc>) -> DocFreq {
        let mut out = DocFreq::default();
        for d in docs {
            out.docs += 1;
            for &t in &d.terms {
                *out.df.entry(t).or_insert(0) += 1;
            }
        }
        out
    }

    pub fn df(&self, t: Term) -> u32 {
        self.df.get(&t).copied().unwrap_or(0)
    }

    /// Smoothed inverse document frequency: a term no report uses weighs most, one every
    /// report uses weighs least but never zero (a tiny corpus must still overlap).
    pub fn idf(&self, t: Term) -> f64 {
        let n = f64::from(self.docs) + 1.0;
        (n / (f64::from(self.df(t)) + 1.0)).ln() + 1.0
    }
}

/// How many leading sentences count as the lead (headline, dateline sentence, first
/// paragraph): news states its main claim there.
pub const LEAD_SENTENCES: usize = 3;

/// A near sentence shares at least this share of the claim's weighted vocabulary.
const NEAR_SHARE: f64 = 0.25;

/// Names of the relatedness features, in vector order.
pub const RELATED_FEATURES: &[&str] = &[
    "overlap",
    "idf_overlap",
    "idf_overlap_sq",
    "idf_overlap_sqrt",
    "lead_overlap",
    "best_sentence",
    "best_sentence_sq",
    "bigram_overlap",
    "shared_terms_log",
    "report_sentences_log",
    "claim_terms_log",
];

/// Names of the stance features, in vector order.
pub const STANCE_FEATURES: &[&str] = &[
    "idf_overlap",
    "lead_overlap",
    "best_sentence",
    "bigram_overlap",
    "near_sentences_share",
    "near_deny",
    "near_deny_word",
    "near_negation",
    "near_hedge",
    "near_question",
    "near_say",
    "report_deny",
    "report_deny_word",
    "report_negation",
    "report_hedge",
    "report_question",
    "report_say",
    "claim_deny",
    "claim_deny_word",
    "claim_negation",
    "claim_hedge",
    "claim_question",
    "claim_denial_x_near_denial",
    "claim_hedge_x_near_hedge",
    "report_sentences_log",
    "first_near_position",
    "near_bare_share",
    "best_say",
    "best_hedge",
    "best_negation",
    "best_denial",
    "claim_plain_x_near_denial",
    "claim_plain_x_report_denial",
    "claim_denial_x_report_denial",
];

/// What one (claim, report) pair measures.
#[derive(Debug, Clone, Default)]
pub struct PairFeatures {
    pub related: Vec<f64>,
    pub stance: Vec<f64>,
    /// Terms of the near sentences that are not claim terms (for lexical weights).
    pub near_terms: Vec<Term>,
    /// Terms of the claim (for lexical weights on the claim's own wording).
    pub claim_terms: Vec<Term>,
    /// The report sentence that best matches the claim (index into its sentences).
    pub best_sentence: Option<usize>,
    /// Every word term of the report (for lexical weights on the report as a whole).
    pub report_words: Arc<[Term]>,
    /// The first cue of each class in the near sentences, else in the report, as written.
    pub cue_text: [Option<Box<str>>; CUE_CLASSES],
}

/// Measures a (claim, report) pair.
pub fn features(claim: &Doc, report: &Doc, df: &DocFreq) -> PairFeatures {
    let n_sent = report.sentences.len();
    let mut per_sentence = vec![0.0f64; n_sent];
    let (mut total_w, mut shared_w, mut shared_n) = (0.0, 0.0, 0usize);
    let mut lead_w = 0.0;
    for &t in &claim.terms {
        let w = df.idf(t);
        total_w += w;
        if let Some(sents) = report.sentences_of(t) {
            shared_w += w;
            shared_n += 1;
            if sents.iter().any(|&s| (s as usize) < LEAD_SENTENCES) {
                lead_w += w;
            }
            for &s in sents {
                per_sentence[s as usize] += w;
            }
        }
    }
    let share = |x: f64| if total_w > 0.0 { x / total_w } else { 0.0 };
    let overlap = if claim.terms.is_empty() {
        0.0
    } else {
        shared_n as f64 / claim.terms.len() as f64
    };
    let idf_overlap = share(shared_w);
    let lead = share(lead_w);
    let (best_idx, best_w) =
        per_sentence
            .iter()
            .copied()
            .enumerate()
            .fold(
                (None, 0.0),
                |(bi, bw), (i, w)| {
                    if w > bw {
                        (Some(i), w)
                    } else {
                        (bi, bw)
                    }
                },
            );
    let best = share(best_w);
    let bigram = if claim.bigrams.is_empty() {
        0.0
    } else {
        claim
            .bigrams
            .iter()
            .filter(|b| report.bigrams.contains(b))
            .count() as f64
            / claim.bigrams.len() as f64
    };
    let ln1 = |x: f64| (1.0 + x).ln();

    // Near sentences: those carrying a fair share of the claim; at least the best one.
    let mut near: Vec<usize> = (0..n_sent)
        .filter(|&i| share(per_sentence[i]) >= NEAR_SHARE)
        .collect();
    if near.is_empty() {
        near.extend(best_idx);
    }
    let mut near_cues = [0u32; CUE_CLASSES];
    let mut cue_text: [Option<Box<str>>; CUE_CLASSES] = Default::default();
    let mut near_terms: Vec<Term> = Vec::new();
    for &i in &near {
        let s = &report.sentences[i];
        for k in 0..CUE_CLASSES {
            near_cues[k] += u32::from(s.cues[k]);
            if cue_text[k].is_none() {
                cue_text[k] = s.first_cue[k].clone();
            }
        }
        near_terms.extend(s.words.iter().filter(|t| !claim.contains(**t)));
    }
    near_terms.sort_unstable();
    near_terms.dedup();
    for s in &report.sentences {
        for (k, c) in cue_text.iter_mut().enumerate() {
            if c.is_none() {
                c.clone_from(&s.first_cue[k]);
            }
        }
    }
    let totals = report.cue_totals();
    let claim_cues = claim.cue_totals();
    let c = |k: CueClass| f64::from(claim_cues[k.index()].min(1));
    let nearc = |k: CueClass| ln1(f64::from(near_cues[k.index()]));
    let tot = |k: CueClass| ln1(f64::from(totals[k.index()]));
    let claim_denial = c(CueClass::Deny).max(c(CueClass::DenyWord));
    let near_denial = ln1(f64::from(
        near_cues[CueClass::Deny.index()] + near_cues[CueClass::DenyWord.index()],
    ));

    let best_has = |k: CueClass| {
        best_idx
            .and_then(|i| report.sentences.get(i))
            .map_or(0.0, |s| f64::from(s.cues[k.index()].min(1)))
    };
    let report_denial = ln1(f64::from(
        totals[CueClass::Deny.index()] + totals[CueClass::DenyWord.index()],
    ));
    let related = vec![
        overlap,
        idf_overlap,
        idf_overlap * idf_overlap,
        idf_overlap.sqrt(),
        lead,
        best,
        best * best,
        bigram,
        ln1(shared_n as f64),
        ln1(n_sent as f64),
        ln1(claim.terms.len() as f64),
    ];
    let stance = vec![
        idf_overlap,
        lead,
        best,
        bigram,
        if n_sent == 0 {
            0.0
        } else {
            near.len() as f64 / n_sent as f64
        },
        nearc(CueClass::Deny),
        nearc(CueClass::DenyWord),
        nearc(CueClass::Negation),
        nearc(CueClass::Hedge),
        nearc(CueClass::Question),
        nearc(CueClass::Say),
        tot(CueClass::Deny),
        tot(CueClass::DenyWord),
        tot(CueClass::Negation),
        tot(CueClass::Hedge),
        tot(CueClass::Question),
        tot(CueClass::Say),
        c(CueClass::Deny),
        c(CueClass::DenyWord),
        c(CueClass::Negation),
        c(CueClass::Hedge),
        c(CueClass::Question),
        claim_denial * near_denial,
        c(CueClass::Hedge) * nearc(CueClass::Hedge),
        ln1(n_sent as f64),
        near.first()
            .map_or(1.0, |&i| i as f64 / n_sent.max(1) as f64),
        near.iter().filter(|&&i| bare(&report.sentences[i])).count() as f64
            / near.len().max(1) as f64,
        best_has(CueClass::Say),
        best_has(CueClass::Hedge),
        best_has(CueClass::Negation),
        best_has(CueClass::Deny).max(best_has(CueClass::DenyWord)),
        (1.0 - claim_denial) * near_denial,
        (1.0 - claim_denial) * report_denial,
        claim_denial * report_denial,
    ];
    debug_assert_eq!(related.len(), RELATED_FEATURES.len());
    debug_assert_eq!(stance.len(), STANCE_FEATURES.len());
    PairFeatures {
        related,
        stance,
        near_terms,
        claim_terms: claim.all_words.to_vec(),
        report_words: report.all_words.clone(),
        best_sentence: best_idx,
        cue_text,
    }
}

/// A sentence stating something in the outlet's own voice: no speech verb, hedge,
/// negation, denial or question.
fn bare(s: &Sentence) -> bool {
    s.cues.iter().all(|&c| c == 0)
}

/// Blocking for `track`: which claims a report is worth measuring against.
///
/// Each claim is indexed under its rare terms (those used by at most
/// `max_df_share` of the reports); a report is a candidate for the claims that share
/// at least one of them. Common words never open a posting list, so the work grows with
/// the shared rare vocabulary, not with claims × reports.
#[derive(Debug, Clone, Default)]
pub struct ClaimIndex {
    postings: HashMap<Term, Vec<u32>>,
}

impl ClaimIndex {
    pub fn new(claims: &[Doc], df: &DocFreq, max_df_share: f64) -> ClaimIndex {
        let limit = (f64::from(df.docs) * max_df_share).max(1.0);
        let mut postings: HashMap<Term, Vec<u32>> = HashMap::new();
        for (i, c) in claims.iter().enumerate() {
            let rare: Vec<Term> = c
                .terms
                .iter()
                .copied()
                .filter(|&t| f64::from(df.df(t)) <= limit)
                .collect();
            // A claim made only of common words is still indexed, under all of them.
            let keys = if rare.is_empty() { &c.terms } else { &rare };
            for &t in keys {
                postings.entry(t).or_default().push(i as u32);
            }
        }
        ClaimIndex { postings }
    }

    /// Claims sharing at least `min_shared` indexed terms with the report, ascending.
    pub fn candidates(&self, report: &Doc, min_shared: u32) -> Vec<u32> {
        let mut hits: HashMap<u32, u32> = HashMap::new();
        for t in &report.terms {
            if let Some(list) = self.postings.get(t) {
                for &c in list {
                    *hits.entry(c).or_insert(0) += 1;
                }
            }
        }
        let mut out: Vec<u32> = hits
            .into_iter()
            .filter(|&(_, n)| n >= min_shared.max(1))
            .map(|(c, _)| c)
            .collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_and_cues_are_measured() {
        let lex = crate::testing::lexicons();
        let claim = Doc::claim("Turkey sent Syrian fighters to Azerbaijan", &lex);
        let report = Doc::plain(
            "Ankara denied that Turkey sent Syrian fighters to Azerbaijan. The weather was fine.",
            &lex,
        );
        let other = Doc::plain("A meteorite fell in Nicaragua.", &lex);
        let df = DocFreq::new([&report, &other]);
        let f = features(&claim, &report, &df);
        let g = features(&claim, &other, &df);
        assert!(f.related[1] > 0.9, "{:?}", f.related);
        assert_eq!(g.related[1], 0.0);
        assert_eq!(f.best_sentence, Some(0));
        assert!(f.stance[5] > 0.0, "the denial is near the claim");
        assert_eq!(f.cue_text[0].as_deref(), Some("denied"));
    }

    #[test]
    fn index_blocks_on_rare_terms() {
        let lex = crate::testing::lexicons();
        let claims = [
            Doc::claim("Turkey sent Syrian fighters to Azerbaijan", &lex),
            Doc::claim("A meteorite fell in Nicaragua", &lex),
        ];
        let reports = [
            Doc::plain("Syrian fighters arrived in Azerbaijan.", &lex),
            Doc::plain("Nicaragua reported a meteorite.", &lex),
        ];
        let df = DocFreq::new(&reports);
        let idx = ClaimIndex::new(&claims, &df, 0.5);
        assert_eq!(idx.candidates(&reports[0], 1), [0]);
        assert_eq!(idx.candidates(&reports[1], 1), [1]);
    }
}
