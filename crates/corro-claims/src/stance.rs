//! Stance: does the mention assert, deny, or merely repeat the claim?
//!
//! Precedence, strongest first:
//! 1. **denies** — the attributing verb is a denial ("Baku denied", "denied by Baku");
//!    a denial word ("propaganda", "baseless") in a sentence with a speaker; a negation
//!    just before the claim's predicate or counted thing in the same clause ("did not
//!    send", "no Syrian fighters").
//! 2. **discusses** — a hedge outside the attribution frame ("reportedly", "according to
//!    reports", "concerned over reports about"), or a question.
//! 3. **supports** — everything else: the speaker (or the outlet) asserts it.
//!
//! A negation's scope is its clause: "he did not know who was funding the operation and
//! that around 1,000 fighters had signed up" does not deny the 1,000.

use crate::attribution::Attribution;
use crate::lexicon::Cue;
use crate::text::{PhraseMatch, Tokens};

/// A mention's stance toward its claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stance {
    Supports,
    Denies,
    Discusses,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Denies => "denies",
            Stance::Discusses => "discusses",
        }
    }
}

/// A stance and the cue that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub stance: Stance,
    pub cue: Option<String>,
}

/// How far (in tokens) a negation reaches forward to the word it negates.
const NEGATION_REACH: usize = 3;

/// Decides the stance of a sentence's claim. `focus` is the token of a quantity, whose
/// clause alone is considered for negation and hedges.
pub fn decide(
    toks: &Tokens,
    cues: &[PhraseMatch<Cue>],
    preds: &[PhraseMatch<String>],
    attr: &Attribution,
    focus: Option<usize>,
) -> Decision {
    let in_frame = |i: usize| attr.frame.iter().any(|&(a, b)| i >= a && i < b);
    let (c_start, c_end) = match focus {
        Some(f) => clause_of(toks, f),
        None => (0, toks.len()),
    };
    let cue_text = |c: &PhraseMatch<Cue>| toks.slice(c.start, c.end).to_string();
    if attr.verb_denies {
        return Decision {
            stance: Stance::Denies,
            cue: attr
                .verb
                .filter(|&v| v < toks.len())
                .map(|v| toks.raw(v).to_string()),
        };
    }
    if attr.speaker.is_some() {
        if let Some(c) = cues
            .iter()
            .find(|c| c.value.has(Cue::DENY_WORD) && !in_frame(c.start))
        {
            return Decision {
                stance: Stance::Denies,
                cue: Some(cue_text(c)),
            };
        }
    }
    for c in cues
        .iter()
        .filter(|c| c.value.has(Cue::NEGATION) && c.start >= c_start && c.end <= c_end)
    {
        let negated = (c.end..(c.end + NEGATION_REACH).min(c_end)).find(|&j| {
            toks.lower(j) == ","
                || preds.iter().any(|p| p.start == j)
                || focus == Some(j)
                || is_unit_noun(toks, j)
        });
        if let Some(j) = negated {
            if toks.lower(j) != "," && !toks.lower(j).is_empty() {
                return Decision {
                    stance: Stance::Denies,
                    cue: Some(toks.slice(c.start, j + 1).to_string()),
                };
            }
        }
    }
    if let Some(c) = cues.iter().find(|c| {
        c.value.has(Cue::HEDGE)
            && !in_frame(c.start)
            && attr.verb != Some(c.start)
            && c.start >= c_start
            && c.end <= c_end
    }) {
        return Decision {
            stance: Stance::Discusses,
            cue: Some(cue_text(c)),
        };
    }
    if toks.len() > 1 && toks.lower(toks.len() - 1) == "?" {
        return Decision {
            stance: Stance::Discusses,
            cue: Some("?".into()),
        };
    }
    Decision {
        stance: Stance::Supports,
        cue: None,
    }
}

fn is_unit_noun(toks: &Tokens, j: usize) -> bool {
    matches!(
        toks.lower(j),
        "fighters" | "mercenaries" | "militants" | "troops" | "soldiers"
    )
}

/// The clause around token `i`: bounded by `;`, ", and that", ", but", ", which", "and that".
fn clause_of(toks: &Tokens, i: usize) -> (usize, usize) {
    let is_break = |k: usize| -> bool {
        let w = toks.lower(k);
        w == ";"
            || (w == "that" && k > 0 && toks.lower(k - 1) == "and")
            || (w == ","
                && k + 1 < toks.len()
                && matches!(
                    toks.lower(k + 1),
                    "but" | "which" | "while" | "although" | "whereas"
                ))
    };
    let mut a = i.min(toks.len());
    while a > 0 && !is_break(a - 1) {
        a -= 1;
    }
    let mut b = i;
    while b < toks.len() && !is_break(b) {
        b += 1;
    }
    (a, b)
}
