//! Attribution: who says a sentence's claim, and through whom it reached the report.
//!
//! Patterns, tried in this order (the first that fits wins):
//!
//! | pattern | speaker | via |
//! |---|---|---|
//! | `…, CNN reported citing a Syrian national` | a Syrian national | CNN |
//! | `according to X, …` / `…, according to X` | X | |
//! | `X told North Press that …` / `X informed Sputnik that …` | X | the outlet |
//! | `… were denied by Baku` | Baku | |
//! | `X said / denied / stated … that …` | X | |
//! | `…, the minister said.` (trailing) | the minister | |
//! | `…, which Ankara denied` ([`trailing_denial`]) | a second speaker, denying | |
//! | `X argued, in an interview with Sputnik, that …` | X | Sputnik |
//!
//! Speakers are normalised (titles and roles split from names, capitals read as
//! governments: "Baku" → Azerbaijan (government)) and typed. References back to an
//! earlier speaker ("He added", "The source said", "The Syrian man said", "the report
//! said") are resolved against what the report has said so far ([`Context`]).
//!
//! Deliberately not done: full syntactic parsing. The patterns cover news prose; a
//! sentence they do not fit is read as the outlet's own voice.

use crate::lexicon::{Cue, Entity, EntityKind, Lexicons};
use crate::text::{PhraseMatch, Token, Tokens};
use std::sync::Arc;

/// What sort of speaker: it decides how origins are keyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpeakerKind {
    /// A named person ("Omer Celik").
    Person,
    /// A government or state body, named by its country ("Baku", "the Armenian side",
    /// "Russian Foreign Ministry").
    Government,
    /// A named organisation that is not a government or outlet ("SOHR").
    Organisation,
    /// An unnamed source or witness ("an informed source", "a Syrian national").
    Anonymous,
    /// A news outlet speaking for itself ("CNN reported").
    Outlet,
}

impl SpeakerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Government => "government",
            SpeakerKind::Organisation => "organisation",
            SpeakerKind::Anonymous => "anonymous",
            SpeakerKind::Outlet => "outlet",
        }
    }
}

/// Who makes a claim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Speaker {
    /// As written, without a leading article ("Omer Celik", "a Syrian national").
    pub text: String,
    /// Normalised identity used for origins: "Omer Celik", "Azerbaijan (government)",
    /// "a Syrian national".
    pub name: String,
    pub kind: SpeakerKind,
    /// Title or role kept apart from the name ("a spokesman for Turkey's ruling Justice
    /// and Development Party").
    pub role: Option<String>,
}

/// The attribution found in one sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    pub speaker: Option<Speaker>,
    /// Outlets the claim passed through inside the report ("CNN").
    pub via: Vec<String>,
    /// Token ranges that belong to the attribution (speaker, verb), not to the claim.
    pub frame: Vec<(usize, usize)>,
    /// The token of the attributing verb, if any.
    pub verb: Option<usize>,
    /// The attributing verb is a denial ("Baku denied", "denied by Baku").
    pub verb_denies: bool,
}

/// A speaker remembered with the outlets it came through, shared by the slots that
/// remember it instead of copied into each.
type Entry = Arc<(Speaker, Vec<String>)>;

/// What a report has said so far: lets "He said" and "the report said" find their
/// speaker.
#[derive(Debug, Clone, Default)]
pub struct Context {
    last_person: Option<Entry>,
    last_anonymous: Option<Entry>,
    last_source: Option<Entry>,
    last_cited: Option<Entry>,
    last_any: Option<Entry>,
    /// Every speaker so far, most recent last, for "the ministry", "Strand", "the monitor".
    seen: Vec<Entry>,
}

impl Context {
    fn remember(&mut self, s: &Speaker, via: &[String], cited: bool) {
        let entry = Some(Arc::new((s.clone(), via.to_vec())));
        match s.kind {
            SpeakerKind::Person | SpeakerKind::Government => self.last_person = entry.clone(),
            SpeakerKind::Anonymous if is_source_word(&s.text) => self.last_source = entry.clone(),
            SpeakerKind::Anonymous => self.last_anonymous = entry.clone(),
            _ => {}
        }
        if cited {
            self.last_cited = entry.clone();
        }
        if let Some(e) = &entry {
            self.seen.retain(|x| x.0 != e.0);
            self.seen.push(e.clone());
        }
        self.last_any = entry;
    }

    /// The most recent speaker whose words include `head` ("monitor" → "Ossel Monitor
    /// for Human Rights"; "strand" → "Defence Minister Lena Strand").
    fn by_head(&self, head: &str) -> Option<(Speaker, Vec<String>)> {
        if head.len() < 3 {
            return None;
        }
        self.seen
            .iter()
            .rev()
            .find(|e| {
                let s = &e.0;
                [Some(&s.text), Some(&s.name), s.role.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|t| {
                        t.split(|c: char| !c.is_alphanumeric())
                            .any(|w| w.eq_ignore_ascii_case(head))
                    })
            })
            .map(|e| (**e).clone())
    }
}

const LEAD_WORDS: &[&str] = &[
    "on",
    "in",
    "at",
    "earlier",
    "later",
    "meanwhile",
    "however",
    "also",
    "moreover",
    "commenting",
    "speaking",
    "according",
    "separately",
    "subsequently",
    "yesterday",
    "today",
    "last",
    "this",
    "after",
    "before",
    "during",
    "while",
    "when",
    "but",
    "and",
    "for",
    "asked",
    "responding",
];
const AUXILIARIES: &[&str] = &[
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "also",
    "later",
    "then",
    "further",
    "previously",
    "reportedly",
    "had",
    "once",
    "again",
    "been",
    "would",
    "will",
    "did",
    "does",
    // "has not denied", "has just said", "will be saying": the verb group, not the subject.
    "not",
    "never",
    "just",
    "yet",
    "already",
    "still",
    "now",
    "be",
    "could",
    "might",
    "should",
    "must",
];
const PRONOUNS: &[&str] = &["he", "she", "they", "it"];

/// Finds the attribution of one sentence.
pub fn attribute(
    toks: &Tokens,
    cues: &[PhraseMatch<Cue>],
    lex: &Lexicons,
    ctx: &mut Context,
) -> Attribution {
    attribute_with_names(toks, cues, &lex.entities.find_all(toks), lex, ctx)
}

/// [`attribute`] for a caller that has found the sentence's entity names already
/// (`lex.entities.find_all(toks)`): claim extraction needs them too.
pub fn attribute_with_names(
    toks: &Tokens,
    cues: &[PhraseMatch<Cue>],
    names: &[PhraseMatch<Entity>],
    lex: &Lexicons,
    ctx: &mut Context,
) -> Attribution {
    let mut a = find(toks, cues, names, lex, ctx).unwrap_or_default();
    if a.speaker.is_some() && a.via.is_empty() {
        a.via.extend(interview_outlet(toks, lex));
    }
    if let Some(s) = &a.speaker {
        let cited = !a.via.is_empty();
        ctx.remember(s, &a.via, cited);
    }
    a.via.dedup();
    a
}

fn find(
    toks: &Tokens,
    cues: &[PhraseMatch<Cue>],
    names: &[PhraseMatch<Entity>],
    lex: &Lexicons,
    ctx: &Context,
) -> Option<Attribution> {
    // 1. "…, CNN reported citing X"
    for (k, c) in cues.iter().enumerate() {
        if !c.value.has(Cue::CITE) {
            continue;
        }
        let np_end = np_forward(toks, c.end);
        let cited = toks.slice(c.end, np_end);
        // The outlet that cites is the subject of the speech verb before "citing".
        let verb = cues[..k]
            .iter()
            .rev()
            .find(|v| v.value.has(Cue::SAY) && v.end + 2 >= c.start)?;
        let subj_start = subject_start(toks, verb.start);
        let outlet_text = toks.slice(subj_start, verb.start);
        let outlet = lex.outlets.canonical(strip_article(outlet_text));
        let speaker = resolve(cited, lex, ctx).map(|(s, _)| s)?;
        return Some(Attribution {
            speaker: Some(speaker),
            via: vec![outlet],
            frame: vec![(subj_start, np_end)],
            verb: Some(verb.start),
            verb_denies: false,
        });
    }
    // 2. "according to X"
    for c in cues {
        if toks.lower(c.start) == "according" && c.end - c.start == 2 {
            let np_end = np_forward(toks, c.end);
            if np_end == c.end {
                continue;
            }
            let text = toks.slice(c.end, np_end);
            if let Some((speaker, via)) = resolve(text, lex, ctx) {
                return Some(Attribution {
                    speaker: Some(speaker),
                    via,
                    frame: vec![(c.start, np_end)],
                    verb: Some(c.start),
                    verb_denies: false,
                });
            }
        }
    }
    // 3. "denied by X" (passive)
    for c in cues {
        if c.value.has(Cue::DENY) && c.end < toks.len() && toks.lower(c.end) == "by" {
            let np_end = np_forward(toks, c.end + 1);
            let text = toks.slice(c.end + 1, np_end);
            if let Some((speaker, via)) = resolve(text, lex, ctx) {
                return Some(Attribution {
                    speaker: Some(speaker),
                    via,
                    frame: vec![(c.start, np_end)],
                    verb: Some(c.start),
                    verb_denies: true,
                });
            }
        }
    }
    // 4. "X said/denied/told Y that …" — the first speech or denial verb with a subject.
    // A cue inside a name is no verb: the "States" of "United States".
    for c in cues {
        let is_deny = c.value.has(Cue::DENY);
        if !(c.value.has(Cue::SAY) || is_deny) || toks.lower(c.start) == "according" {
            continue;
        }
        if names.iter().any(|e| c.start >= e.start && c.start < e.end) {
            continue;
        }
        let subj_end = skip_auxiliaries_back(toks, c.start);
        if subj_end == 0 {
            continue;
        }
        let Some(subj_start) = clause_subject(toks, subject_start(toks, subj_end), subj_end) else {
            continue;
        };
        if subj_start >= subj_end || subj_end - subj_start > 14 {
            continue;
        }
        let subject = toks.slice(subj_start, subj_end);
        let trailing = is_trailing(toks, c.end, subj_start);
        // A trailing "…, the report said." attributes everything before it.
        if subj_start > 0
            && !trailing
            && !matches!(toks.lower(subj_start - 1), ",")
            && !CLAUSE_LINKS.contains(&toks.lower(subj_start - 1))
        {
            continue;
        }
        let Some((speaker, mut via)) = resolve(subject, lex, ctx) else {
            continue;
        };
        let mut frame_end = c.end;
        // "told North Press that", "informed Sputnik that": the listener is a relay.
        if matches!(toks.lower(c.start), "told" | "informed" | "tells") {
            let l_end = np_forward(toks, c.end);
            let listener = toks.slice(c.end, l_end);
            if let Some(o) = lex.outlets.lookup(strip_article(listener)) {
                via.push(o.to_string());
                frame_end = l_end;
            }
        }
        return Some(Attribution {
            speaker: Some(speaker),
            via,
            frame: vec![(subj_start, frame_end)],
            verb: Some(c.start),
            verb_denies: is_deny,
        });
    }
    None
}

/// A second speaker denying the sentence's claim in a trailing clause: "…, which Ankara
/// denied", "…, a claim Baku has rejected as propaganda", "…, which was denied by
/// Yerevan".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailingDenial {
    pub speaker: Speaker,
    /// The denial cue as written.
    pub cue: String,
    /// The token where the trailing clause starts (its comma): the claim and its own
    /// stance end there.
    pub clause_start: usize,
}

/// Finds a trailing denial clause. The denier is resolved like any speaker, so "which
/// he denied" finds the person named earlier in the report.
pub fn trailing_denial(
    toks: &Tokens,
    cues: &[PhraseMatch<Cue>],
    lex: &Lexicons,
    ctx: &Context,
) -> Option<TrailingDenial> {
    let comma = (1..toks.len()).rev().find(|&i| {
        toks.lower(i - 1) == ","
            && (toks.lower(i) == "which"
                || (matches!(toks.lower(i), "a" | "an")
                    && i + 1 < toks.len()
                    && matches!(
                        toks.lower(i + 1),
                        "claim" | "charge" | "report" | "allegation" | "statement" | "accusation"
                    )))
    })?;
    let intro_end = if toks.lower(comma) == "which" {
        comma + 1
    } else {
        comma + 2
    };
    let deny = cues
        .iter()
        .find(|c| c.start >= intro_end && c.start <= intro_end + 8 && c.value.has(Cue::DENY))?;
    // "which was denied by Ankara" (passive) or "which Ankara (has) denied".
    let subject = if deny.end < toks.len() && toks.lower(deny.end) == "by" {
        toks.slice(deny.end + 1, np_forward(toks, deny.end + 1))
    } else {
        toks.slice(intro_end, skip_auxiliaries_back(toks, deny.start))
    };
    let (speaker, _) = resolve(subject, lex, ctx)?;
    Some(TrailingDenial {
        speaker,
        cue: toks.slice(deny.start, deny.end).to_string(),
        clause_start: comma - 1,
    })
}

/// "in an interview with Sputnik", "speaking to Reuters": the outlet the speaker talked
/// to relays the claim.
fn interview_outlet(toks: &Tokens, lex: &Lexicons) -> Option<String> {
    (1..toks.len()).find_map(|i| {
        let opens = (toks.lower(i) == "with" && toks.lower(i - 1) == "interview")
            || (toks.lower(i) == "to" && toks.lower(i - 1) == "speaking");
        if !opens {
            return None;
        }
        let end = np_forward(toks, i + 1);
        lex.outlets
            .lookup(strip_article(toks.slice(i + 1, end)))
            .map(str::to_string)
    })
}

/// True when the speech verb closes the sentence ("…, the report said on Wednesday.").
fn is_trailing(toks: &Tokens, verb_end: usize, subj_start: usize) -> bool {
    subj_start > 0
        && matches!(toks.lower(subj_start - 1), "," | "\"")
        && (verb_end..toks.len()).all(|i| !toks.toks[i].is_word || i + 4 >= toks.len())
}

fn skip_auxiliaries_back(toks: &Tokens, mut i: usize) -> usize {
    while i > 0 {
        let w = toks.lower(i - 1);
        if AUXILIARIES.contains(&w)
            || (w.len() > 4 && w.ends_with("ly") && toks.toks[i - 1].is_word)
        {
            i -= 1;
        } else {
            break;
        }
    }
    i
}

/// Where the subject noun phrase ending at `end` starts: back to the clause start, then
/// forward past introductory phrases ("On Wednesday,", "Commenting on …,") and
/// relative clauses ("The man, who refused to provide his name,").
fn subject_start(toks: &Tokens, end: usize) -> usize {
    let mut start = end;
    while start > 0 {
        let w = toks.lower(start - 1);
        // "Mr. Celik": the title's full stop does not end the subject.
        if w == "." && start >= 2 && TITLES.contains(&toks.lower(start - 2)) {
            start -= 1;
            continue;
        }
        if matches!(w, "." | ";" | ":" | "(" | ")" | "\"" | "“" | "”")
            || (w == "that" && start < end)
        {
            break;
        }
        start -= 1;
    }
    // Split the region at commas and pick the segment that names the speaker.
    let mut segments: Vec<(usize, usize)> = Vec::new();
    let mut seg = start;
    for i in start..end {
        if toks.lower(i) == "," {
            if i > seg {
                segments.push((seg, i));
            }
            seg = i + 1;
        }
    }
    if end > seg {
        segments.push((seg, end));
    }
    let usable: Vec<(usize, usize)> = segments
        .iter()
        .copied()
        .filter(|&(a, _)| {
            !LEAD_WORDS.contains(&toks.lower(a))
                && !matches!(toks.lower(a), "who" | "which" | "whose")
        })
        .collect();
    match usable.as_slice() {
        [] => end,
        // "Omer Celik, a spokesman for …": the name first, the role after it.
        [first, second, ..] if starts_appositive(toks, second.0) => first.0,
        _ => {
            let last = *usable.last().unwrap_or(&(end, end));
            // A segment that is not the one right before the verb is a relative clause
            // or apposition; the speaker is the segment it hangs on.
            if last.1 != end {
                usable.first().map_or(end, |s| s.0)
            } else {
                last.0
            }
        }
    }
}

/// The subject's start once clauses before it are cut off: a finite verb in
/// `start..end` ("Six people were killed in the attack and Somali authorities [say]")
/// means the subject starts after the last conjunction that follows it ("Somali
/// authorities"), or that there is no subject at all when none does ("Boko Haram were
/// blamed [, officials said]" is handled as a trailing attribution elsewhere). A verb in
/// a relative clause ("a man who was there") is part of the subject.
fn clause_subject(toks: &Tokens, start: usize, end: usize) -> Option<usize> {
    let mut verb = None;
    let mut relative = false;
    for i in start..end {
        let w = toks.lower(i);
        if matches!(w, "who" | "which" | "whose" | "whom" | "that") {
            relative = true;
        }
        // Written in capitals, "May" and "Will" are names ("Theresa May").
        if !relative && FINITE_VERBS.contains(&w) && !toks.is_capitalised(i) {
            verb = Some(i);
        }
    }
    let Some(v) = verb else {
        return Some(start);
    };
    (v + 1..end)
        .rev()
        .find(|&i| CLAUSE_LINKS.contains(&toks.lower(i)))
        .map(|c| c + 1)
}

/// Auxiliaries and copulas that make a clause of what precedes a speech verb.
const FINITE_VERBS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "can", "did",
    "does", "do", "may", "might", "should", "must",
];

/// Words that start a new clause inside a sentence ("…, and officials said").
const CLAUSE_LINKS: &[&str] = &[
    "and", "but", "while", "though", "although", "because", "whereas",
];

fn starts_appositive_text(s: &str) -> bool {
    let first = s.split_whitespace().next().unwrap_or("").to_lowercase();
    matches!(first.as_str(), "a" | "an" | "the")
}

fn starts_appositive(toks: &Tokens, i: usize) -> bool {
    matches!(toks.lower(i), "a" | "an" | "the")
}

/// The end of a noun phrase starting at `i`: up to punctuation or a clause word.
fn np_forward(toks: &Tokens, i: usize) -> usize {
    let mut j = i;
    while j < toks.len() {
        let w = toks.lower(j);
        if !toks.toks[j].is_word && w != "'" && w != "-" {
            break;
        }
        if j > i
            && matches!(
                w,
                "who" | "that" | "which" | "said" | "says" | "on" | "as" | "and" | "in" | "to"
            )
        {
            break;
        }
        j += 1;
        if j - i >= 10 {
            break;
        }
    }
    j
}

fn strip_article(s: &str) -> &str {
    for a in ["the ", "The ", "a ", "A ", "an ", "An "] {
        if let Some(r) = s.strip_prefix(a) {
            return r;
        }
    }
    s
}

fn is_source_word(s: &str) -> bool {
    let l = s.to_lowercase();
    l.split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "source" | "sources" | "insider" | "insiders"))
}

/// Turns a subject noun phrase into a speaker, resolving references back to earlier
/// speakers. Returns the speaker and any relay the reference carries.
/// Titles stripped from a speaker's name ("Mr. Celik" is Celik).
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "professor",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "sir",
];

fn strip_title(np: &str) -> &str {
    let mut rest = np;
    loop {
        let (first, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let word = first.trim_end_matches('.').to_lowercase();
        if tail.is_empty() || !TITLES.contains(&word.as_str()) {
            return rest;
        }
        rest = tail.trim_start();
    }
}

fn resolve(np: &str, lex: &Lexicons, ctx: &Context) -> Option<(Speaker, Vec<String>)> {
    let np = strip_title(trim_time(
        np.trim().trim_matches(|c: char| c == ',' || c == '"'),
    ));
    if np.is_empty() {
        return None;
    }
    let bare = strip_article(np);
    if bare.is_empty()
        || bare.eq_ignore_ascii_case("a")
        || bare.eq_ignore_ascii_case("an")
        || bare.eq_ignore_ascii_case("the")
    {
        return None;
    }
    let lower = np.to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    let definite = first == "the";
    let words = Tokens::new(np);
    // Pronouns and definite descriptions point back.
    if PRONOUNS.contains(&lower.as_str()) {
        let prev = ctx
            .last_person
            .as_deref()
            .cloned()
            .or_else(|| ctx.last_anonymous.as_deref().cloned())
            .or_else(|| ctx.last_any.as_deref().cloned());
        return prev;
    }
    if matches!(
        lower.as_str(),
        "the report" | "the outlet" | "the network" | "the channel" | "the agency"
    ) {
        return ctx.last_cited.as_deref().cloned();
    }
    // "the ministry", "the monitor", or a bare surname: someone named earlier.
    let head = lower
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let surname = words.len() == 1 && words.is_capitalised(0);
    if (definite && !is_source_word(head)) || surname {
        if let Some(prev) = ctx.by_head(head) {
            return Some(prev);
        }
    }
    // Outlets speaking — unless the entity lexicon knows the name as an organisation
    // (a monitor such as SOHR publishes, but speaks as an organisation, not a newsroom).
    let ents = lex.entities.find_all(&words);
    let known_org = {
        // `bare` is `np` or `np` after its article: the same tokens, from 0 or from 1
        // (the article is one token and a space), so its entities are found in `words`.
        let from = usize::from(bare.len() != np.len());
        let bare_ents;
        let found = if from == 0 {
            &ents
        } else {
            bare_ents = lex.entities.find_all_from(&words, from);
            &bare_ents
        };
        found.len() == 1
            && found[0].start == from
            && found[0].end == words.len()
            && matches!(found[0].value.kind, EntityKind::Org | EntityKind::Group)
    };
    if let Some(o) = lex.outlets.lookup(bare).filter(|_| !known_org) {
        return Some((
            Speaker {
                text: bare.to_string(),
                name: o.to_string(),
                kind: SpeakerKind::Outlet,
                role: None,
            },
            vec![],
        ));
    }
    // A document speaks for its author: "a Washington Post report", "a report by
    // Haaretz" and "a CentCom statement" are the Post, Haaretz and CentCom, so that the
    // Post's report and the Post's own pages are one origin.
    if let Some(author) = document_author(&words, &ents, lex) {
        if let Some(found) = resolve(author, lex, ctx) {
            return Some(found);
        }
    }
    // Anonymous sources.
    let cues = lex.cues.find_all(&words);
    let anonymous = cues.iter().any(|c| c.value.has(Cue::ANONYMOUS));
    if anonymous {
        if definite {
            if let Some(prev) = ctx.last_source.as_deref().cloned() {
                return Some(prev);
            }
        }
        return Some((
            Speaker {
                text: bare.to_string(),
                name: "anonymous source".into(),
                kind: SpeakerKind::Anonymous,
                role: None,
            },
            vec![],
        ));
    }
    // "Bouthaina Shaaban, a political and media adviser to Syrian President Bashar
    // Assad": the name before the apposition speaks, whoever the role mentions.
    if let Some((name, role)) = np.split_once(", ") {
        let role = role.trim();
        let name_toks = Tokens::new(name);
        let is_name = (1..=4).contains(&name_toks.len())
            && (0..name_toks.len()).all(|i| name_toks.is_capitalised(i));
        if is_name && starts_appositive_text(role) {
            let known = lex.entities.find_all(&name_toks).into_iter().find(|e| {
                e.value.kind == EntityKind::Person && e.start == 0 && e.end == name_toks.len()
            });
            if known.is_some()
                || !ents
                    .iter()
                    .any(|e| e.value.kind == EntityKind::Country && e.end <= name_toks.len())
            {
                return Some((
                    Speaker {
                        text: bare.to_string(),
                        name: known
                            .map_or_else(|| name.trim().to_string(), |e| e.value.canonical.clone()),
                        kind: SpeakerKind::Person,
                        role: Some(role.to_string()),
                    },
                    vec![],
                ));
            }
        }
    }
    // A person by name: the name is the identity, the rest is the role.
    if let Some(p) = ents.iter().find(|e| e.value.kind == EntityKind::Person) {
        let role = format!(
            "{} {}",
            words.slice(0, p.start),
            words.slice(p.end, words.len())
        )
        .trim()
        .trim_matches(',')
        .trim()
        .to_string();
        let name = p.value.canonical.clone();
        let gov = government_role(&role, lex);
        return Some((
            Speaker {
                text: bare.to_string(),
                name: gov.clone().unwrap_or(name),
                kind: if gov.is_some() {
                    SpeakerKind::Government
                } else {
                    SpeakerKind::Person
                },
                role: (!role.is_empty()).then_some(role),
            },
            vec![],
        ));
    }
    // A role, then a name: "Pentagon spokesman John Kirby", "Attorney General Jesus
    // Murillo Karam", "Col. Steve Warren". The name is the speaker, whatever role a
    // report gives it, so that one person quoted under two roles is one origin; a
    // government role with its country ("Lebanon's Interior Minister Nohad Machnouk") is
    // the government. Before the countries: "Moroccan military expert Abderrahmane
    // Mekkaoui" is the expert, not Morocco.
    if let Some((name, role)) = titled_name(&words, lex) {
        let gov = government_role(role, lex);
        return Some((
            Speaker {
                text: bare.to_string(),
                name: gov.clone().unwrap_or_else(|| name.to_string()),
                kind: if gov.is_some() {
                    SpeakerKind::Government
                } else {
                    SpeakerKind::Person
                },
                role: Some(role.to_string()),
            },
            vec![],
        ));
    }
    // Capitals and state bodies speak for their government.
    if let Some(c) = ents.iter().find(|e| e.value.kind == EntityKind::Country) {
        // "Baku", "the Kremlin": the capital alone speaks for the government.
        let only_country = (c.start == 0 || (c.start == 1 && definite)) && c.end == words.len();
        if only_country || government_word(&lower) {
            return Some((
                Speaker {
                    text: bare.to_string(),
                    name: format!("{} (government)", c.value.canonical),
                    kind: SpeakerKind::Government,
                    role: (!only_country).then(|| bare.to_string()),
                },
                vec![],
            ));
        }
    }
    if let Some(o) = ents
        .iter()
        .find(|e| matches!(e.value.kind, EntityKind::Org | EntityKind::Group))
    {
        return Some((
            Speaker {
                text: bare.to_string(),
                name: o.value.canonical.clone(),
                kind: SpeakerKind::Organisation,
                role: None,
            },
            vec![],
        ));
    }
    // Unknown names: capitalised words that are not a sentence-initial common noun.
    let caps: Vec<usize> = (0..words.len())
        .filter(|&i| words.is_capitalised(i))
        .collect();
    let all_caps_name =
        !caps.is_empty() && caps.len() == words.len() && !definite && !matches!(first, "a" | "an");
    if all_caps_name && words.len() <= 4 {
        return Some((
            Speaker {
                text: bare.to_string(),
                name: bare.to_string(),
                kind: SpeakerKind::Person,
                role: None,
            },
            vec![],
        ));
    }
    // "The Syrian man", "the former rebel": the unnamed person introduced earlier.
    if definite {
        if let Some(prev) = ctx.last_anonymous.as_deref().cloned() {
            return Some(prev);
        }
    }
    // Whole words: " man" also began "managed" and "Manning".
    let unnamed_head = (0..words.len()).any(|i| {
        matches!(
            words.lower(i),
            "man" | "men" | "woman" | "women" | "witness" | "witnesses"
        )
    });
    if matches!(first, "a" | "an") || unnamed_head {
        return Some((
            Speaker {
                text: np.to_string(),
                name: unnamed_name(np, &words, &ents),
                kind: SpeakerKind::Anonymous,
                role: None,
            },
            vec![],
        ));
    }
    if words.len() <= 6 && !caps.is_empty() {
        return Some((
            Speaker {
                text: bare.to_string(),
                name: bare.to_string(),
                kind: SpeakerKind::Organisation,
                role: None,
            },
            vec![],
        ));
    }
    None
}

/// Words that, after "on"/"in"/"at", start a time phrase (with [`crate::text::CALENDAR`]).
const TIME_WORDS: &[&str] = &["the", "a", "this", "last", "late", "early", "tuesday's"];

/// The author of a document named as a speaker (`data/documents.txt`): the name after
/// "by" or "from" ("a report from The Wall Street Journal", "a transcript released by
/// the SITE Intelligence Group"), else the capitalised name right before the noun ("a
/// 2013 GlobalPost article", "a CNN report"). Not a nationality alone ("an Israeli
/// report" has no author), and not a noun that is part of a name ("National Report").
fn document_author<'t>(
    words: &Tokens<'t>,
    ents: &[PhraseMatch<'_, Entity>],
    lex: &Lexicons,
) -> Option<&'t str> {
    // A capitalised noun is part of a name ("Washington Post", "National Report").
    let d = lex
        .documents
        .find_all(words)
        .into_iter()
        .find(|d| d.start == 0 || !words.is_capitalised(d.start))?;
    let n = words.len();
    // Tokens `a..b` all name a country ("Israeli", "UK"): a nationality, not an author.
    let nationality = |a: usize, b: usize| {
        (a..b).all(|i| {
            ents.iter()
                .any(|e| e.value.kind == EntityKind::Country && e.start <= i && i < e.end)
        })
    };
    let possessive =
        |i: usize| matches!(words.raw(i), "'" | "’") && i + 1 < n && words.lower(i + 1) == "s";
    let mut j = d.end;
    while j < n
        && matches!(
            words.lower(j),
            "released" | "published" | "issued" | "filed" | "written" | "posted" | "aired"
        )
    {
        j += 1;
    }
    if j + 1 < n && matches!(words.lower(j), "by" | "from") {
        let start = j + 1;
        let mut end = start;
        while end < n
            && !possessive(end)
            && (words.is_capitalised(end)
                || words.raw(end).starts_with(|c: char| c.is_ascii_digit())
                || matches!(words.lower(end), "the" | "of" | "-" | "&"))
        {
            end += 1;
        }
        while end > start && matches!(words.lower(end - 1), "the" | "of" | "-" | "&") {
            end -= 1;
        }
        if (start..end).any(|i| words.is_capitalised(i)) && !nationality(start, end) {
            return Some(words.slice(start, end));
        }
    }
    let mut s = d.start;
    while s > 0 && (words.is_capitalised(s - 1) || matches!(words.raw(s - 1), "-" | "&")) {
        s -= 1;
    }
    while s < d.start && matches!(words.lower(s), "a" | "an" | "the" | "one") {
        s += 1;
    }
    (s < d.start && !nationality(s, d.start)).then(|| words.slice(s, d.start))
}

/// (name, role) when the phrase ends in a name of one to four capitalised words after
/// its last title (`data/titles.txt`): "Pentagon spokesman John Kirby" → ("John Kirby",
/// "Pentagon spokesman"), "President Obama" → ("Obama", "President"). Dots after an abbreviated title ("Col.") and inside a name
/// ("Paul J. Smith"), and apostrophes and hyphens inside one ("O'Brien"), are allowed.
fn titled_name<'t>(words: &Tokens<'t>, lex: &Lexicons) -> Option<(&'t str, &'t str)> {
    let last = lex.titles.find_all(words).into_iter().last()?;
    let n = words.len();
    let mut start = last.end;
    while start < n && words.raw(start) == "." {
        start += 1;
    }
    if start == 0 || start >= n {
        return None;
    }
    let mut names = 0;
    for i in start..n {
        if words.is_capitalised(i) {
            names += 1;
        } else if !matches!(words.raw(i), "." | "'" | "’" | "-") || i == start {
            return None;
        }
    }
    // One word is a surname ("President Obama", "Foreign Minister Lavrov"): a person by
    // surname, whom `corro_match` folds into the cluster's one full name ending in it.
    // Not a day or month ("spokesman Monday").
    let surname_only =
        names == 1 && n == start + 1 && !crate::text::CALENDAR.contains(&words.lower(start));
    if !((2..=4).contains(&names) || surname_only) || !words.is_capitalised(n - 1) {
        return None;
    }
    Some((words.slice(start, n), words.slice(0, last.end)))
}

/// The name of an unnamed speaker, as written but for a leading article or number word,
/// which a sentence's start capitalises ("A Syrian national" → "a Syrian national"). A
/// description in capitals (a headline) is lower-cased but for the words the entity
/// lexicon knows (`ents`: "A SYRIAN NATIONAL" → "a Syrian national"). The origin a name
/// keys ignores case (`corro_match::score::build`), so these forms only choose what is
/// shown.
fn unnamed_name(np: &str, words: &Tokens, ents: &[PhraseMatch<'_, Entity>]) -> String {
    let shouting = !np.chars().any(char::is_lowercase);
    let mut out = String::with_capacity(np.len());
    let mut at = 0;
    for i in 0..words.len() {
        let Token { start, end, .. } = words.toks[i];
        out.push_str(&np[at..start]);
        let raw = &np[start..end];
        let lower = (i == 0 && UNNAMED_LEADS.contains(&words.lower(0)))
            || (shouting && !ents.iter().any(|e| e.start <= i && i < e.end));
        if lower {
            out.extend(raw.chars().flat_map(char::to_lowercase));
        } else if shouting {
            let mut cs = raw.chars();
            if let Some(c) = cs.next() {
                out.push(c);
                out.extend(cs.flat_map(char::to_lowercase));
            }
        } else {
            out.push_str(raw);
        }
        at = end;
    }
    out.push_str(&np[at..]);
    out
}

/// First words of an unnamed speaker's description that are capitalised only because
/// they start a sentence.
const UNNAMED_LEADS: &[&str] = &[
    "a", "an", "the", "one", "two", "three", "some", "several", "another", "many",
];

/// "Valdoria's foreign ministry on Tuesday" → "Valdoria's foreign ministry".
fn trim_time(np: &str) -> &str {
    const PREPS: [&str; 8] = [
        " on ",
        " in ",
        " at ",
        " late ",
        " early ",
        " earlier ",
        " last ",
        " this ",
    ];
    // Every prep starts with a space: one pass over the spaces finds each prep's first
    // occurrence (what `lower.find(prep)` gives), without building a searcher per prep.
    let lower = if np.is_ascii() {
        np.to_ascii_lowercase()
    } else {
        np.to_lowercase()
    };
    let bytes = lower.as_bytes();
    let mut first: [Option<usize>; PREPS.len()] = [None; PREPS.len()];
    for (i, _) in bytes.iter().enumerate().filter(|(_, &b)| b == b' ') {
        for (f, prep) in first.iter_mut().zip(PREPS) {
            if f.is_none() && bytes[i..].starts_with(prep.as_bytes()) {
                *f = Some(i);
            }
        }
    }
    for (prep, found) in PREPS.iter().zip(first) {
        if let Some(i) = found {
            let next = lower[i + prep.len()..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            // "on Tuesday" is time; "late", "last", "this" always start a time phrase.
            let time = TIME_WORDS.contains(&next)
                || crate::text::CALENDAR.contains(&next)
                || !matches!(prep.trim(), "on" | "in" | "at");
            // Lower-casing may change byte lengths outside ASCII: only cut on a boundary.
            if time && i > 0 && np.is_char_boundary(i) {
                return np[..i].trim_end();
            }
        }
    }
    np
}

fn government_word(lower: &str) -> bool {
    // Whole words: "side" was also found in "inside", "office" in "officer". "officials"
    // speak for a government; "an official" is an unnamed source.
    const WORDS: &[&str] = &[
        "ministry",
        "ministries",
        "government",
        "governments",
        "side",
        "president",
        "presidency",
        "minister",
        "ministers",
        "foreign",
        "defense",
        "defence",
        "army",
        "military",
        "embassy",
        "authorities",
        "officials",
        "office",
        "administration",
    ];
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| WORDS.contains(&w))
}

/// "Azerbaijani Foreign Ministry spokeswoman" → Azerbaijan (government).
fn government_role(role: &str, lex: &Lexicons) -> Option<String> {
    let lower = role.to_lowercase();
    if ![
        "ministry",
        "government",
        "president",
        "minister",
        "presidency",
        "embassy",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return None;
    }
    let t = Tokens::new(role);
    lex.entities
        .find_all(&t)
        .into_iter()
        .find(|e| e.value.kind == EntityKind::Country)
        .map(|e| format!("{} (government)", e.value.canonical))
}
