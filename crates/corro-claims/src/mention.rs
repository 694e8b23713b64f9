//! Claim mentions: what each sentence claims, with its stance and attribution.
//!
//! A sentence yields
//! - one **quantity mention** per quantity in it ("about a thousand armed mercenaries"),
//!   kind `count`/`money`/`duration`/`percent`/`measure`;
//! - one **event mention** when it states who did what ("Turkey is sending Syrian
//!   fighters to Azerbaijan"): a claim predicate (data/predicates.csv) and at least two
//!   actors or counted things;
//! - an event mention that **borrows its content** when it only points back at an
//!   earlier claim ("These accusations were denied by Baku", "…, which Ankara denied").
//!
//! Each mention carries a normalised form, [`Mention::concepts`], built from the
//! claim's words outside the attribution frame: canonical entities (`e:`), counted units
//! (`u:`), the conflict theatre of places (`t:`), predicate classes (`p:`) and other
//! stemmed content words (`w:`). The matcher
//! compares mentions on these alone.

use crate::attribution::{self, Attribution, Context, Speaker};
use crate::lexicon::{Cue, Lexicons};
use crate::quantity::{self, Quantity, QuantityKind};
use crate::stance::{self, Stance};
use crate::text::{stem, PhraseMatch, Tokens};
use corro_parse::Report;

/// What a mention claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClaimKind {
    Count,
    Money,
    Duration,
    Percent,
    Measure,
    Event,
}

impl ClaimKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Count => "count",
            ClaimKind::Money => "money",
            ClaimKind::Duration => "duration",
            ClaimKind::Percent => "percent",
            ClaimKind::Measure => "measure",
            ClaimKind::Event => "event",
        }
    }

    fn of(q: QuantityKind) -> ClaimKind {
        match q {
            QuantityKind::Count => ClaimKind::Count,
            QuantityKind::Money => ClaimKind::Money,
            QuantityKind::Duration => ClaimKind::Duration,
            QuantityKind::Percent => ClaimKind::Percent,
            QuantityKind::Measure => ClaimKind::Measure,
        }
    }
}

/// One mention of a claim in one sentence of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Index into the report's sentences.
    pub sentence: usize,
    pub kind: ClaimKind,
    pub stance: Stance,
    /// The word or phrase that decided the stance ("denied", "reportedly"), if any.
    pub cue: Option<String>,
    /// Who makes the claim; `None` when the outlet says it in its own voice.
    pub speaker: Option<Speaker>,
    /// Outlets the claim passed through inside the report ("CNN").
    pub via: Vec<String>,
    /// The quantity, for quantity mentions; offsets are relative to the sentence.
    pub quantity: Option<Quantity>,
    /// The normalised form: sorted, de-duplicated concept keys.
    pub concepts: Vec<String>,
}

/// Extracts mentions from reports. Cheap to create; holds only a reference to the
/// lexicons, so one per thread is fine.
#[derive(Debug, Clone, Copy)]
pub struct Extractor<'l> {
    lex: &'l Lexicons,
}

/// The event a later sentence may refer back to.
#[derive(Debug, Clone, Default)]
struct LastClaim {
    concepts: Vec<String>,
}

impl<'l> Extractor<'l> {
    pub fn new(lex: &'l Lexicons) -> Extractor<'l> {
        Extractor { lex }
    }

    /// Every mention in a report, in sentence order.
    pub fn extract(&self, report: &Report) -> Vec<Mention> {
        let mut ctx = Context::default();
        let mut last = LastClaim::default();
        let mut out = Vec::new();
        for i in 0..report.sentences.len() {
            self.sentence(i, report.sentence_text(i), &mut ctx, &mut last, &mut out);
        }
        out
    }

    /// Mentions in one stand-alone sentence (used by `track` for headlines, and tests).
    pub fn extract_sentence(&self, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        self.sentence(
            0,
            text,
            &mut Context::default(),
            &mut LastClaim::default(),
            &mut out,
        );
        out
    }

    fn sentence(
        &self,
        idx: usize,
        text: &str,
        ctx: &mut Context,
        last: &mut LastClaim,
        out: &mut Vec<Mention>,
    ) {
        let lex = self.lex;
        let toks = Tokens::new(text);
        if toks.is_empty() {
            return;
        }
        let cues = lex.cues.find_all(&toks);
        // "…, which Ankara denied": the trailing clause is another speaker's stance on the
        // claim, neither part of the claim nor of this speaker's attribution and stance.
        let trailing = attribution::trailing_denial(&toks, &cues, lex, ctx);
        let cut = trailing.as_ref().map_or(toks.len(), |d| d.clause_start);
        let head_cues: Vec<_> = cues.iter().filter(|c| c.end <= cut).cloned().collect();
        let attr = attribution::attribute(&toks, &head_cues, lex, ctx);
        let ents = lex.entities.find_all(&toks);
        let preds = lex.predicates.find_all(&toks);
        let quantities = quantity::extract(text, &lex.units);

        let in_frame = |i: usize| i >= cut || attr.frame.iter().any(|&(a, b)| i >= a && i < b);
        let content = Content::collect(&toks, &ents, &preds, &cues, lex, &in_frame);

        // Quantity mentions.
        for q in &quantities {
            let tok = toks
                .toks
                .iter()
                .position(|t| t.start >= q.start)
                .unwrap_or(0);
            let st = stance::decide(&toks, &cues, &preds, &attr, Some(tok));
            let mut concepts = content.concepts.clone();
            concepts.push(format!("k:{}", q.kind.as_str()));
            if let Some(u) = &q.unit {
                concepts.push(format!("u:{u}"));
            }
            finish(&mut concepts);
            out.push(Mention {
                sentence: idx,
                kind: ClaimKind::of(q.kind),
                stance: st.stance,
                cue: st.cue,
                speaker: attr.speaker.clone(),
                via: attr.via.clone(),
                quantity: Some(q.clone()),
                concepts,
            });
        }

        // Event mention: a claim predicate and at least two actors or counted things.
        let strong = content.strong;
        let has_pred = content.concepts.iter().any(|c| c.starts_with("p:"));
        let anaphoric = cues
            .iter()
            .any(|c| c.value.has(Cue::ANAPHOR) && !in_frame(c.start));
        let st = match &trailing {
            Some(_) => {
                let head = Tokens::new(&text[..toks.toks[cut].start]);
                let preds: Vec<_> = preds.iter().filter(|p| p.end <= cut).cloned().collect();
                stance::decide(&head, &head_cues, &preds, &attr, None)
            }
            None => stance::decide(&toks, &cues, &preds, &attr, None),
        };
        if has_pred && strong >= 2 {
            let mut concepts = content.concepts.clone();
            finish(&mut concepts);
            last.concepts = concepts.clone();
            out.push(self.event(idx, st.clone(), &attr, concepts));
            // "…, which Ankara denied": a second speaker denying the same claim.
            if let Some(d) = trailing {
                let concepts = last.concepts.clone();
                out.push(Mention {
                    sentence: idx,
                    kind: ClaimKind::Event,
                    stance: Stance::Denies,
                    cue: Some(d.cue),
                    speaker: Some(d.speaker),
                    via: Vec::new(),
                    quantity: None,
                    concepts,
                });
            }
        } else if anaphoric
            && st.stance != Stance::Supports
            && !last.concepts.is_empty()
            && strong < 2
        {
            // "These accusations were denied by Baku": the claim is the previous one.
            out.push(self.event(idx, st, &attr, last.concepts.clone()));
        }
    }

    fn event(
        &self,
        idx: usize,
        st: stance::Decision,
        attr: &Attribution,
        concepts: Vec<String>,
    ) -> Mention {
        Mention {
            sentence: idx,
            kind: ClaimKind::Event,
            stance: st.stance,
            cue: st.cue,
            speaker: attr.speaker.clone(),
            via: attr.via.clone(),
            quantity: None,
            concepts,
        }
    }
}

/// The claim words of a sentence, outside the attribution frame.
struct Content {
    concepts: Vec<String>,
    /// Entities and counted things: the actors and objects of the claim.
    strong: usize,
}

impl Content {
    fn collect(
        toks: &Tokens,
        ents: &[PhraseMatch<crate::lexicon::Entity>],
        preds: &[PhraseMatch<String>],
        cues: &[PhraseMatch<Cue>],
        lex: &Lexicons,
        in_frame: &dyn Fn(usize) -> bool,
    ) -> Content {
        let mut concepts = Vec::new();
        let mut covered = vec![false; toks.len()];
        let mut strong = 0;
        for e in ents {
            if in_frame(e.start) {
                continue;
            }
            concepts.push(format!("e:{}", e.value.canonical));
            if let Some(t) = &e.value.theatre {
                concepts.push(format!("t:{t}"));
            }
            strong += 1;
            covered[e.start..e.end].iter_mut().for_each(|c| *c = true);
        }
        for p in preds {
            if in_frame(p.start) {
                continue;
            }
            concepts.push(format!("p:{}", p.value));
            covered[p.start..p.end].iter_mut().for_each(|c| *c = true);
        }
        for c in cues {
            covered[c.start..c.end].iter_mut().for_each(|x| *x = true);
        }
        for (i, &done) in covered.iter().enumerate() {
            if done || in_frame(i) || !toks.toks[i].is_word {
                continue;
            }
            let w = toks.lower(i);
            if w.len() < 3 || w.bytes().all(|b| b.is_ascii_digit()) || lex.stopwords.contains(w) {
                continue;
            }
            if let Some(u) = lex.units.unit_of(w) {
                concepts.push(format!("u:{u}"));
                strong += 1;
                continue;
            }
            concepts.push(format!("w:{}", stem(w)));
        }
        Content { concepts, strong }
    }
}

fn finish(concepts: &mut Vec<String>) {
    concepts.sort_unstable();
    concepts.dedup();
}
