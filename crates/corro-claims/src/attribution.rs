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
    /// The last organisation, outlet or government: what "it said" points back to.
    last_thing: Option<Entry>,
    last_any: Option<Entry>,
    /// Every speaker so far, most recent last, for "the ministry", "Strand", "the monitor".
    seen: Vec<Entry>,
    /// Full names the report has written so far, speaking or not, most recent last:
    /// (surname in lower case, name as written). "Kirby said" after "Rear Admiral John
    /// Kirby told a briefing" is John Kirby.
    names: Vec<(String, String)>,
    /// The last country the report named: whose "the government" is, until a
    /// government speaks.
    last_country: Option<String>,
}

/// How many full names a report's [`Context`] keeps for surnames to find.
const NAMES_KEPT: usize = 24;

impl Context {
    fn remember(&mut self, s: &Speaker, via: &[String], cited: bool) {
        let entry = Some(Arc::new((s.clone(), via.to_vec())));
        match s.kind {
            SpeakerKind::Person | SpeakerKind::Government => self.last_person = entry.clone(),
            SpeakerKind::Anonymous if is_source_word(&s.text) => self.last_source = entry.clone(),
            SpeakerKind::Anonymous => self.last_anonymous = entry.clone(),
            _ => {}
        }
        if matches!(
            s.kind,
            SpeakerKind::Organisation | SpeakerKind::Outlet | SpeakerKind::Government
        ) {
            self.last_thing = entry.clone();
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

    /// Notes the full names a sentence writes: runs of two to four capitalised words
    /// (initials and particles such as "al-" inside), without a leading article, title
    /// or function word ("In", "The", "Mr"). Only names: a run is cheap to find and
    /// rare to keep.
    fn note_names(&mut self, toks: &Tokens) {
        let n = toks.len();
        let mut i = 0;
        while i < n {
            if !toks.is_capitalised(i) {
                i += 1;
                continue;
            }
            // The run of capitalised words from `i`; most runs are one word (a sentence's
            // first), which costs no string comparison at all.
            let mut starts = [0usize; 8];
            let mut words = 0;
            let mut end = i;
            while end < n {
                if toks.is_capitalised(end) {
                    if words < starts.len() {
                        starts[words] = end;
                    }
                    words += 1;
                    end += 1;
                } else if end > i
                    && end + 1 < n
                    && toks.is_capitalised(end + 1)
                    && matches!(toks.raw(end), "-" | "'" | "’" | ".")
                    && toks.toks[end].start == toks.toks[end - 1].end
                {
                    // "Zehaf-Bibeau", "O'Keeffe", "J. Christopher": one name.
                    end += 1;
                } else {
                    break;
                }
            }
            i = end.max(i + 1);
            if !(2..=starts.len()).contains(&words) {
                continue;
            }
            // Leading articles, titles and function words are not the name.
            let mut first = 0;
            while first < words {
                let w = toks.lower(starts[first]);
                if NOT_NAME_STARTS.contains(&w)
                    || TITLES.contains(&w)
                    || crate::text::CALENDAR.contains(&w)
                {
                    first += 1;
                } else {
                    break;
                }
            }
            // "Delighted Mrs Smith": a title inside the run starts the name after it.
            if words - first >= 3 {
                if let Some(k) = (first + 1..words.min(starts.len()))
                    .rev()
                    .find(|&k| TITLES.contains(&toks.lower(starts[k])))
                {
                    first = k + 1;
                }
            }
            if words - first < 2 {
                continue;
            }
            // "London Police Chief Lyndon Edwards": the last four words at most, which the
            // titles then cut to the name when it is read.
            let first = first.max(words.saturating_sub(4));
            let surname = toks.lower(end - 1).to_string();
            let full = toks.slice(starts[first], end).to_string();
            self.names.retain(|(s, _)| *s != surname);
            if self.names.len() == NAMES_KEPT {
                self.names.remove(0);
            }
            self.names.push((surname, full));
        }
    }

    /// The most recent full name the report wrote that ends in `surname`.
    fn full_name(&self, surname: &str) -> Option<&str> {
        self.names
            .iter()
            .rev()
            .find(|(s, _)| s.eq_ignore_ascii_case(surname))
            .map(|(_, full)| full.as_str())
    }

    /// The most recent speaker whose words include `head` ("monitor" → "Ossel Monitor
    /// for Human Rights"; "strand" → "Defence Minister Lena Strand"). `surname`: the
    /// head is a name, found in a speaker's name before the words it was written with.
    fn by_head(&self, head: &str, surname: bool) -> Option<(Speaker, Vec<String>)> {
        if head.len() < 3 {
            return None;
        }
        let has = |t: &str| {
            t.split(|c: char| !c.is_alphanumeric())
                .any(|w| w.eq_ignore_ascii_case(head))
        };
        // A speaker's name before the words it was written with: "Cooke added" is Bill
        // Cooke, not "both Cooke and meteor expert Peter Jenniskens".
        let written = |e: &&Entry| has(&e.0.text) || e.0.role.as_deref().is_some_and(has);
        let seen = || self.seen.iter().rev();
        let found = if surname {
            seen()
                .find(|e| has(&e.0.name))
                .or_else(|| seen().find(written))
        } else {
            seen().find(|e| has(&e.0.name) || written(e))
        };
        found.map(|e| (**e).clone())
    }
}

const LEAD_WORDS: &[&str] = &[
    "finally",
    "thus",
    "instead",
    "indeed",
    "still",
    "now",
    "additionally",
    "furthermore",
    "similarly",
    "likewise",
    "ultimately",
    "anyway",
    "again",
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
    // "Miss Smith only revealed", "State prosecutors first said".
    "only",
    "first",
    "even",
];
const PRONOUNS: &[&str] = &["he", "she", "they", "it"];

/// Capitalised words that do not start a name: a sentence's first word, an article, a
/// role; titles ([`TITLES`]: "Mr Dean" is Dean, whom the name "Casey Dean" explains)
/// and days and months ([`crate::text::CALENDAR`]) neither.
const NOT_NAME_STARTS: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "but",
    "and",
    "if",
    "when",
    "while",
    "as",
    "after",
    "before",
    "for",
    "from",
    "with",
    "by",
    "of",
    "to",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "our",
    "its",
    "president",
    "pope",
    "king",
    "queen",
    "prince",
    "general",
    "former",
    "according",
    "meanwhile",
    "however",
    "earlier",
    "later",
    "last",
];

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
    ctx.note_names(toks);
    if let Some(c) = names
        .iter()
        .rev()
        .find(|e| e.value.kind == EntityKind::Country)
    {
        if ctx.last_country.as_deref() != Some(c.value.canonical.as_str()) {
            ctx.last_country = Some(c.value.canonical.clone());
        }
    }
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
            let np_end = document_phrase_end(toks, c.end, np_forward(toks, c.end), lex);
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
            if let Some(a) = by_speaker(toks, c, c.end, true, lex, ctx) {
                return Some(a);
            }
        }
    }
    // "CNN quoted Omer Celik as saying …", "al-Sisi was quoted as denying …".
    if let Some(a) = quoted_as(toks, lex, ctx) {
        return Some(a);
    }
    // 4. "X said/denied/told Y that …" — the first speech or denial verb with a subject.
    // A cue inside a name is no verb: the "States" of "United States".
    for c in cues {
        let is_deny = c.value.has(Cue::DENY);
        if !(c.value.has(Cue::SAY) || is_deny) || toks.lower(c.start) == "according" {
            continue;
        }
        if names.iter().any(|e| c.start >= e.start && c.start < e.end)
            || noun_use(toks, c, cues)
            || passive_by(toks, c).is_some()
        {
            continue;
        }
        let subj_end = skip_auxiliaries_back(toks, c.start);
        if subj_end == 0 {
            continue;
        }
        // "…, the World Health Organization (WHO) said": the parenthesis is an aside.
        let subj_end = if subj_end >= 3 && toks.lower(subj_end - 1) == ")" {
            (0..subj_end - 1)
                .rev()
                .take(8)
                .find(|&i| toks.lower(i) == "(")
                .unwrap_or(subj_end)
        } else {
            subj_end
        };
        if subj_end == 0 {
            continue;
        }
        // "…, China, said one person": a comma before the verb and a speaker after it is
        // the inverted order (5 below), not a subject.
        // Not when the sentence opens with a name and its apposition: "Ariel Adams,
        // founder of aBlogtoWatch, says Apple adopted …" is Adams speaking.
        if toks.lower(subj_end - 1) == ","
            && !matches!(toks.lower(c.start), "told" | "tells" | "informed")
            && speaker_after(toks, c.end).is_some()
            && !is_deny
            && !name_then_apposition(toks, subject_start(toks, subj_end), subj_end)
        {
            continue;
        }
        let Some((subj_start, subj_end)) =
            clause_subject(toks, subject_start(toks, subj_end), subj_end)
        else {
            continue;
        };
        // A speech verb in a clause of time or condition attributes that clause, not the
        // sentence: "…, after Artsakh announced its autonomy", "…after he says he was
        // sold a promotion".
        if (subj_start > 0 && TEMPORAL.contains(&toks.lower(subj_start - 1)))
            || TEMPORAL.contains(&toks.lower(subj_start))
        {
            continue;
        }
        // A concessive clause's speech is not the sentence's: "There was no word from
        // the government, although reports on social media claimed the city was hit".
        // A denial there still denies ("Though reps for the actor denied the reports").
        if subj_start > 0
            && !is_deny
            && matches!(
                toks.lower(subj_start - 1),
                "although" | "though" | "whereas"
            )
        {
            continue;
        }
        // A subordinate clause's conjunction is not part of its subject: "As Reuters
        // reported", "Though reps for the actor denied".
        let subj_start = if subordinator(toks.lower(subj_start)) {
            subj_start + 1
        } else {
            subj_start
        };
        // A name with its role after it may run longer than a bare noun phrase: "Lopa
        // Blumenthal, a Missouri-based attorney for the unidentified man who …, claimed".
        let longest = if name_then_apposition(toks, subj_start, subj_end) {
            30
        } else {
            14
        };
        if subj_start >= subj_end || subj_end - subj_start > longest {
            continue;
        }
        // "It was reported that …", "it is claimed": no one is named.
        if toks.lower(subj_start) == "there" && subj_end == subj_start + 1 {
            continue;
        }
        if toks.lower(subj_start) == "it"
            && subj_end == subj_start + 1
            && (subj_end..c.start).any(|i| matches!(toks.lower(i), "was" | "is" | "been" | "be"))
        {
            continue;
        }
        // "What Kadalim says happened next is …": a clause that says, not a speaker.
        if matches!(
            toks.lower(subj_start),
            "what" | "how" | "whether" | "why" | "where" | "whatever"
        ) {
            continue;
        }
        // "A guru who ordered … castrations he said would …": a pronoun after a noun
        // speaks inside a relative clause, not for the sentence.
        if subj_end - subj_start > 2
            && matches!(
                toks.lower(subj_end - 1),
                "he" | "she" | "they" | "it" | "we"
            )
            && toks.toks[subj_end - 2].is_word
            && !CLAUSE_LINKS.contains(&toks.lower(subj_end - 2))
            && !subordinator(toks.lower(subj_end - 2))
        {
            continue;
        }
        // "An unverified photo claims to show …": a picture shows, it does not speak.
        if c.end < toks.len()
            && toks.lower(c.end) == "to"
            && matches!(
                toks.lower(c.start),
                "claims" | "claimed" | "claim" | "purports" | "purported"
            )
            && (subj_start..subj_end).any(|i| {
                matches!(
                    toks.lower(i),
                    "photo"
                        | "photos"
                        | "photograph"
                        | "picture"
                        | "pictures"
                        | "image"
                        | "images"
                        | "video"
                        | "videos"
                        | "footage"
                        | "clip"
                        | "recording"
                        | "audio"
                )
            })
        {
            continue;
        }
        let subject = toks.slice(subj_start, subj_end);
        let trailing = is_trailing(toks, c.end, subj_start);
        // A trailing "…, the report said." attributes everything before it.
        // "The term "18-karat gold," he says, likely means …": after a quotation's close.
        let after_quotation = subj_start >= 2
            && matches!(toks.lower(subj_start - 1), "\"" | "”" | "'" | "’")
            && matches!(toks.lower(subj_start - 2), "," | "?" | "!");
        if subj_start > 0
            && !trailing
            && !after_quotation
            && !matches!(toks.lower(subj_start - 1), ",")
            && !CLAUSE_LINKS.contains(&toks.lower(subj_start - 1))
            // "Yet several forum users say": a sentence's opening conjunction.
            && (subj_start != 1 || !matches!(toks.lower(0), "yet" | "so"))
            && !subordinator(toks.lower(subj_start - 1))
            && toks.lower(subj_end - 1) != "who"
            && !(subj_start >= 2 && abbreviation(toks, subj_start - 2))
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
    // 5. "…," said Ginsberg / "…, said the source, whose …": the speaker after the verb.
    for c in cues {
        // "…, Hassan Tukur, told AFP": "told" names its listener, never its speaker.
        if !c.value.has(Cue::SAY)
            || c.start == 0
            || matches!(
                toks.lower(c.start),
                "according" | "told" | "tells" | "informed"
            )
        {
            continue;
        }
        let before = toks.lower(c.start - 1);
        let after_quote = matches!(before, "\"" | "”" | "'" | "’")
            && c.start >= 2
            && matches!(toks.lower(c.start - 2), "," | "?" | "!");
        if before != "," && !after_quote {
            continue;
        }
        let Some((np_start, np_end)) = speaker_after(toks, c.end) else {
            continue;
        };
        // "…, said the head of Nigeria's military, Air Chief Marshal Alex Badeh": the
        // name in apposition is the speaker.
        let apposed = (np_end < toks.len() && toks.lower(np_end) == ",")
            .then(|| speaker_after(toks, np_end + 1))
            .flatten()
            .filter(|&(a, b)| {
                is_name(toks, a, b) || titled_name(&Tokens::new(toks.slice(a, b)), lex).is_some()
            })
            .and_then(|(a, b)| resolve(toks.slice(a, b), lex, ctx).map(|r| (r, b)))
            .filter(|((s, _), _)| s.kind == SpeakerKind::Person);
        let (found, frame_end) = match apposed {
            Some((r, b)) => (Some(r), b),
            None => (resolve(toks.slice(np_start, np_end), lex, ctx), np_end),
        };
        let Some((speaker, via)) = found else {
            continue;
        };
        return Some(Attribution {
            speaker: Some(speaker),
            via,
            frame: vec![(c.start, frame_end)],
            verb: Some(c.start),
            verb_denies: false,
        });
    }
    // 6. "The news was confirmed by David Mallie", "as first reported by The Washington
    // Post": the speaker after "by".
    for c in cues {
        let Some(by) = passive_by(toks, c) else {
            continue;
        };
        if let Some(a) = by_speaker(toks, c, by, false, lex, ctx) {
            return Some(a);
        }
    }
    None
}

/// The attribution to the speaker after the "by" at token `by` of a passive verb `c`
/// ("denied by Baku", "was confirmed by David Mallie").
fn by_speaker(
    toks: &Tokens,
    c: &PhraseMatch<Cue>,
    by: usize,
    denies: bool,
    lex: &Lexicons,
    ctx: &Context,
) -> Option<Attribution> {
    let np_end = np_forward(toks, by + 1);
    let (speaker, via) = resolve(toks.slice(by + 1, np_end), lex, ctx)?;
    Some(Attribution {
        speaker: Some(speaker),
        via,
        frame: vec![(c.start, np_end)],
        verb: Some(c.start),
        verb_denies: denies,
    })
}

/// The "by" after a speech verb in the passive ("was confirmed by", "as first reported
/// by"): its token index.
fn passive_by(toks: &Tokens, c: &PhraseMatch<Cue>) -> Option<usize> {
    let passive = c.value.has(Cue::SAY)
        && !c.value.has(Cue::DENY)
        && c.start > 0
        && c.end < toks.len()
        && toks.lower(c.end) == "by"
        && toks.lower(c.end - 1).ends_with("ed")
        && matches!(
            toks.lower(c.start - 1),
            "was"
                | "were"
                | "been"
                | "is"
                | "are"
                | "being"
                | "be"
                | "first"
                | "initially"
                | "originally"
                | "later"
                | "as"
                | "also"
        );
    passive.then_some(c.end)
}

/// "X quoted Y as saying …" (Y speaks, relayed by X when X is an outlet) and "Y was
/// quoted as saying/denying …" (Y speaks).
fn quoted_as(toks: &Tokens, lex: &Lexicons, ctx: &Context) -> Option<Attribution> {
    let n = toks.len();
    // One integer comparison per token: most sentences quote no one this way.
    let key = crate::text::word_key("quoted");
    let q = (0..n).find(|&i| toks.key(i) == key && toks.lower(i) == "quoted")?;
    let k = (q + 1..(q + 9).min(n.saturating_sub(1))).find(|&k| {
        toks.lower(k) == "as"
            && matches!(
                toks.lower(k + 1),
                "saying"
                    | "denying"
                    | "stating"
                    | "telling"
                    | "confirming"
                    | "claiming"
                    | "warning"
            )
    })?;
    let denies = toks.lower(k + 1) == "denying";
    let subj_end = skip_auxiliaries_back(toks, q);
    let subj_start = subject_start(toks, subj_end);
    let (speaker, via, start) = if k == q + 1 {
        // Passive: the subject is quoted.
        let (s, v) = resolve(toks.slice(subj_start, subj_end), lex, ctx)?;
        (s, v, subj_start)
    } else {
        let (s, mut v) = resolve(toks.slice(q + 1, k), lex, ctx)?;
        let quoter = toks.slice(subj_start, subj_end);
        if let Some(o) = lex.outlets.lookup(strip_article(quoter)) {
            v.push(o.to_string());
        }
        (s, v, subj_start.min(q))
    };
    Some(Attribution {
        speaker: Some(speaker),
        via,
        frame: vec![(start, k + 2)],
        verb: Some(k + 1),
        verb_denies: denies,
    })
}

/// Where a document's phrase ends when the document is placed ("according to a report
/// in Iraq's pro-government newspaper, al Sabaah, …"; "a post on the site
/// noticiasunam.com"): past "in"/"on"/"by"/"from" to the next comma, and a name in
/// apposition after it. `np_end` otherwise.
fn document_phrase_end(toks: &Tokens, start: usize, np_end: usize, lex: &Lexicons) -> usize {
    let n = toks.len();
    let ends_in_document = lex
        .documents
        .find_all_from(toks, start)
        .iter()
        .any(|d| d.end == np_end);
    if !ends_in_document
        || np_end >= n
        || !matches!(toks.lower(np_end), "in" | "on" | "by" | "from")
    {
        return np_end;
    }
    let comma = |from: usize| {
        (from..n).find(|&i| matches!(toks.lower(i), "," | ";" | ".") && !in_domain(toks, i))
    };
    let Some(c1) = comma(np_end).filter(|&c| c - start <= 16) else {
        return np_end;
    };
    // ", al Sabaah,": a short name in apposition.
    if let Some(c2) = comma(c1 + 1) {
        let name = (c1 + 1..c2).filter(|&i| toks.toks[i].is_word).count();
        if (1..=4).contains(&name)
            && (c1 + 1..c2).any(|i| toks.is_capitalised(i))
            && toks.lower(c2) == ","
        {
            return c2;
        }
    }
    c1
}

/// The speaker phrase right after an inverted speech verb ("said Ginsberg", "said the
/// source", "said Army Maj. Curtis Kellogg"): up to punctuation, a relative pronoun or a
/// clause word, within twelve tokens; not a preposition or "to" ("said to be").
fn speaker_after(toks: &Tokens, i: usize) -> Option<(usize, usize)> {
    let n = toks.len();
    if i >= n
        || !toks.toks[i].is_word
        || matches!(
            toks.lower(i),
            "to" | "that"
                // "…, said his information comes from …": a clause, not a speaker.
                | "his"
                | "her"
                | "their"
                | "he"
                | "she"
                | "they"
                | "we"
                | "it"
                | "this"
                | "there"
                | "in"
                | "on"
                | "at"
                | "by"
                | "with"
                | "for"
                | "about"
                | "of"
                | "and"
                | "but"
                | "so"
                | "as"
                | "was"
                | "is"
                | "has"
                | "had"
        )
    {
        return None;
    }
    let mut j = i;
    while j < n && j - i < 12 {
        let w = toks.lower(j);
        if !toks.toks[j].is_word {
            // "Maj. Curtis", "U.S. officials": an abbreviation's full stop inside.
            let inside = match w {
                "." => {
                    in_domain(toks, j)
                        || (j > i
                            && abbreviation(toks, j - 1)
                            && j + 1 < n
                            && toks.toks[j + 1].is_word)
                }
                "'" | "’" | "-" => j + 1 < n && toks.toks[j + 1].is_word,
                _ => false,
            };
            if !inside {
                break;
            }
        } else if j > i
            && (after_speaker(w)
                || matches!(
                    w,
                    "that"
                        | "said"
                        | "and"
                        | "but"
                        | "to"
                        | "is"
                        | "was"
                        | "are"
                        | "were"
                        | "has"
                        | "had"
                        | "have"
                        | "his"
                        | "her"
                        | "their"
                ))
        {
            break;
        }
        j += 1;
    }
    // The phrase must end the clause: "said the leader of the SNA had asked" is a
    // subject's speech, its object a clause; "said the source, whose …" is inverted.
    let ends_clause = j == n || !toks.toks[j].is_word || after_speaker(toks.lower(j));
    (j > i && ends_clause).then_some((i, j))
}

/// Words that may follow an inverted speaker's phrase, its clause going on: "said the
/// source, who …", "said Ginsberg as …", "said one official in Kabul".
fn after_speaker(w: &str) -> bool {
    matches!(
        w,
        "who"
            | "whose"
            | "which"
            | "when"
            | "as"
            | "adding"
            | "according"
            | "in"
            | "on"
            | "at"
            | "during"
            | "after"
            | "before"
            | "while"
            | "because"
            | "citing"
            | "told"
            | "than"
    )
}

/// A speech cue that is a noun here: "Multiple unconfirmed reports say", "despite
/// reports", "the claims were false".
fn noun_use(toks: &Tokens, c: &PhraseMatch<Cue>, cues: &[PhraseMatch<Cue>]) -> bool {
    if !matches!(
        toks.lower(c.start),
        "reports" | "claims" | "states" | "report" | "claim" | "reported"
    ) {
        return false;
    }
    let before = if c.start > 0 {
        toks.lower(c.start - 1)
    } else {
        ""
    };
    // "the reported incidents": an adjective; "Reuters first reported": a verb.
    if toks.lower(c.start) == "reported" {
        return matches!(
            before,
            "the"
                | "a"
                | "an"
                | "these"
                | "those"
                | "other"
                | "some"
                | "several"
                | "many"
                | "multiple"
                | "its"
                | "their"
                | "his"
                | "her"
                // "Somers' reported death", "the pilot's reported capture".
                | "s"
                | "'"
                | "’"
        );
    }
    let determiner = matches!(
        before,
        "the"
            | "these"
            | "those"
            | "some"
            | "multiple"
            | "several"
            | "many"
            | "unconfirmed"
            | "unverified"
            | "media"
            | "news"
            | "of"
            | "despite"
            | "in"
            | "on"
            | "about"
            | "to"
            | "earlier"
            | "initial"
            | "recent"
            | "conflicting"
            | "such"
            | "similar"
            | "his"
            | "her"
            | "their"
            | "its"
            | "other"
            | "local"
            | "press"
            | "first"
            | "and"
            | "s"
            | "by"
            | "amid"
            | "after"
            | "following"
            | "with"
            | "are"
            | "were"
            | "is"
            | "was"
            | "be"
            | "been"
            | "new"
            | "fresh"
            | "false"
    );
    let verb_follows = cues
        .iter()
        .any(|d| d.start == c.end && (d.value.has(Cue::SAY) || d.value.has(Cue::DENY)))
        || (c.end < toks.len()
            && matches!(
                toks.lower(c.end),
                "have"
                    | "has"
                    | "had"
                    | "are"
                    | "were"
                    | "is"
                    | "was"
                    | "suggest"
                    | "suggested"
                    | "emerged"
                    | "circulated"
                    | "began"
                    | "come"
                    | "came"
                    | "indicate"
            ));
    // "government claims of a ceasefire", "reports of fighting": no verb takes "of".
    let of_follows = c.end < toks.len() && toks.lower(c.end) == "of";
    determiner || verb_follows || of_follows
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
        // "hasn't", "didn’t": the contraction is the verb group's.
        if w == "t"
            && i >= 3
            && matches!(toks.raw(i - 2), "'" | "’")
            && toks.lower(i - 3).ends_with('n')
        {
            i -= 3;
            continue;
        }
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
        // "Mr. Celik", "Rep. Duncan Hunter", "U.S. officials": an abbreviation's full
        // stop does not end the subject.
        if w == "." && start >= 2 && (abbreviation(toks, start - 2) || party_tag(toks, start)) {
            start -= 1;
            continue;
        }
        // "Jenniskens, of the Search for Extraterrestrial Intelligence (SETI) Institute
        // in Mountain View, California, told": an aside in brackets is inside the subject.
        if w == ")" && start >= 2 {
            if let Some(open) = (start.saturating_sub(10)..start - 1)
                .rev()
                .find(|&i| toks.lower(i) == "(")
            {
                start = open;
                continue;
            }
        }
        if matches!(w, "." | ";" | ":" | "(" | ")" | "\"" | "“" | "”")
            || (w == "that" && start < end)
            // "'… for more than an hour,' it added": a single quote closing a quotation
            // (one after a word is as often an apostrophe).
            || (matches!(w, "'" | "’")
                && start >= 2
                && matches!(toks.lower(start - 2), "," | "?" | "!"))
        {
            break;
        }
        // "…after he says", "As Reuters reported": a subordinate clause starts at its
        // conjunction when the conjunction starts a clause or a pronoun follows it; in
        // "days after the battle said" it is inside the subject.
        if start < end
            && subordinator(w)
            && (start == 1
                || matches!(toks.lower(start - 2), "," | ";" | "\"" | "“" | "”")
                || PRONOUNS.contains(&toks.lower(start))
                || toks.is_capitalised(start)
                // "… comes as a Yemeni security official said": a clause, where "days
                // after the battle said" is a preposition's phrase.
                || (matches!(w, "as" | "while" | "although" | "though" | "whereas" | "because")
                    && matches!(toks.lower(start), "a" | "an" | "the")))
        {
            break;
        }
        start -= 1;
    }
    // "But he added": a coordinating conjunction opens the clause, not the subject.
    if start + 1 < end && matches!(toks.lower(start), "but" | "and" | "yet" | "so") {
        start += 1;
    }
    // Split the region at commas and pick the segment that names the speaker.
    let mut segments: Vec<(usize, usize)> = Vec::new();
    let mut seg = start;
    for i in start..end {
        // "$2,000": a comma inside a number separates nothing.
        let in_number = i > 0
            && i + 1 < toks.len()
            && toks.raw(i - 1).starts_with(|c: char| c.is_ascii_digit())
            && toks.raw(i + 1).starts_with(|c: char| c.is_ascii_digit())
            && toks.toks[i - 1].end == toks.toks[i].start
            && toks.toks[i].end == toks.toks[i + 1].start;
        if toks.lower(i) == "," && !in_number {
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
        .filter(|&(a, b)| {
            !party_tag(toks, b)
                && !LEAD_WORDS.contains(&toks.lower(a))
                && !matches!(toks.lower(a), "who" | "which" | "whose")
        })
        .collect();
    match usable.as_slice() {
        [] => end,
        // "Omer Celik, a spokesman for …", "Inaky Blanco, chief prosecutor for …", "Lucy
        // Somers, his sister,": the name first, the role after it.
        [first, second, ..]
            if is_name(toks, first.0, first.1)
                && (starts_appositive(toks, second.0) || !toks.is_capitalised(second.0))
                // "Bratton, the sources noted,": the sources speak, about Bratton.
                && !is_source_word(toks.slice(second.0, second.1)) =>
        {
            first.0
        }
        _ => {
            let last = *usable.last().unwrap_or(&(end, end));
            if last.1 == end {
                // "…, Ahmed Rudaini, the health ministry's spokesman dismissed": an
                // apposition whose closing comma the writer left out.
                if let [.., name, _] = usable.as_slice() {
                    if name.1 + 1 == last.0
                        && is_name(toks, name.0, name.1)
                        && starts_appositive(toks, last.0)
                    {
                        return name.0;
                    }
                }
                return last.0;
            }
            // Between the last segment and the verb, only relative clauses (or the comma
            // closing an apposition): the speaker is that segment when it is a name
            // ("Obama's secretary, Hassan Tukur, told"; "Alejandro Castro Espin, who is
            // in Greece, told"), or the name that ends it ("CNN interviewed Peter
            // Henderson, who said").
            let relative_after = segments.iter().filter(|s| s.0 > last.0).all(|s| {
                matches!(toks.lower(s.0), "who" | "which" | "whose") || party_tag(toks, s.1)
            });
            if relative_after {
                if is_name(toks, last.0, last.1) {
                    return last.0;
                }
                let mut s = last.1;
                while s > last.0 && toks.is_capitalised(s - 1) {
                    s -= 1;
                }
                if s > last.0 && last.1 - s >= 2 && toks.lower(last.1) == "," {
                    return s;
                }
            }
            // Otherwise a relative clause or apposition hangs on the first segment.
            usable.first().map_or(end, |s| s.0)
        }
    }
}

/// The subject's start once clauses before it are cut off: a finite verb in
/// `start..end` ("Six people were killed in the attack and Somali authorities [say]")
/// means the subject starts after the last conjunction that follows it ("Somali
/// authorities"), or that there is no subject at all when none does ("Boko Haram were
/// blamed [, officials said]" is handled as a trailing attribution elsewhere). A verb in
/// a relative clause ("a man who was there") is part of the subject.
fn clause_subject(toks: &Tokens, start: usize, end: usize) -> Option<(usize, usize)> {
    let mut first = None;
    let mut verb = None;
    let mut relative = false;
    for i in start..end {
        let w = toks.lower(i);
        if matches!(w, "who" | "which" | "whose" | "whom" | "that") {
            relative = true;
        }
        // Written in capitals, "May" and "Will" are names ("Theresa May"). A past tense
        // right after a name is a verb too ("Mr Abdulla returned").
        // Not a participle that describes: "Nigerian armed forces", "Iranian-backed".
        let past_after_name = w.len() > 3
            && w.ends_with("ed")
            && !matches!(
                w,
                "armed"
                    | "based"
                    | "backed"
                    | "led"
                    | "owned"
                    | "funded"
                    | "allied"
                    | "affiliated"
                    | "linked"
                    | "elected"
                    | "appointed"
                    | "designated"
            )
            && toks.toks[i].is_word
            && !toks.is_capitalised(i)
            && i > start
            && toks.is_capitalised(i - 1)
            && !NOT_NAME_STARTS.contains(&toks.lower(i - 1));
        if !relative && (FINITE_VERBS.contains(&w) || past_after_name) && !toks.is_capitalised(i) {
            first.get_or_insert(i);
            verb = Some(i);
        }
    }
    let (Some(v), Some(f)) = (verb, first) else {
        return Some((start, end));
    };
    let link = (v + 1..end)
        .rev()
        .find(|&i| CLAUSE_LINKS.contains(&toks.lower(i)))?;
    if link + 1 == end {
        // "Mr Abdulla returned to the UK last week but told The Sun": one subject, two
        // verbs.
        return (f > start).then_some((start, f));
    }
    Some((link + 1, end))
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
    matches!(
        first.as_str(),
        "a" | "an" | "the" | "his" | "her" | "their" | "its"
    ) || first.starts_with(|c: char| c.is_ascii_digit())
}

fn starts_appositive(toks: &Tokens, i: usize) -> bool {
    // An age is a bare number: "Roche, 33, said".
    let age = toks.raw(i).chars().all(|c| c.is_ascii_digit())
        && i + 1 < toks.len()
        && toks.lower(i + 1) == ",";
    matches!(
        toks.lower(i),
        "a" | "an" | "the" | "his" | "her" | "their" | "its"
    ) || age
}

/// Tokens up to `end` close an American politician's party and state, "R-Calif." or
/// "D-N.Y.": an aside, like an age.
fn party_tag(toks: &Tokens, end: usize) -> bool {
    let end = if end > 0 && toks.raw(end - 1) == "." {
        end - 1
    } else {
        end
    };
    (3..=5).any(|len| {
        end >= len
            && matches!(toks.raw(end - len), "R" | "D" | "I")
            && toks.raw(end - len + 1) == "-"
            && toks.is_capitalised(end - len + 2)
            && (end - len + 2..end).all(|i| toks.is_capitalised(i) || toks.raw(i) == ".")
    })
}

/// The phrase without its bracketed asides, when it has any: "Miss Smith (pictured
/// left)" → "Miss Smith"; "the World Health Organization (WHO)" → "the World Health
/// Organization".
fn without_asides(np: &str) -> Option<String> {
    let open = np
        .find('(')?
        .checked_sub(1)
        .filter(|&i| np.as_bytes()[i] == b' ')?;
    let close = open + np[open..].find(')')?;
    let mut out = String::with_capacity(np.len());
    out.push_str(&np[..open]);
    out.push_str(&np[close + 1..]);
    Some(without_asides(&out).unwrap_or(out))
}

/// "Darrell Issa, R-Calif." → "Darrell Issa": the party and state are an aside.
fn strip_party(np: &str) -> &str {
    // `rfind` of a char, not of ", ": this runs on every speaker.
    let split = np
        .rfind(',')
        .filter(|&i| np.as_bytes().get(i + 1) == Some(&b' '))
        .map(|i| (&np[..i], &np[i + 2..]));
    match split {
        // A cheap look at the bytes before tokenising: "R-", "D-" or "I-".
        Some((head, tag))
            if tag.len() <= 12 && matches!(tag.as_bytes(), [b'R' | b'D' | b'I', b'-', ..]) && {
                let t = Tokens::new(tag);
                party_tag(&t, t.len())
            } =>
        {
            head
        }
        _ => np,
    }
}

/// Tokens `a..end` are a name, a comma, and more: "Omer Celik, a spokesman for …,".
fn name_then_apposition(toks: &Tokens, a: usize, end: usize) -> bool {
    (a..end)
        .find(|&i| toks.lower(i) == ",")
        .is_some_and(|comma| comma + 1 < end && is_name(toks, a, comma))
}

/// Tokens `a..b` are a name: one to four capitalised words, with initials' full stops
/// and the hyphens and apostrophes inside names.
fn is_name(toks: &Tokens, a: usize, b: usize) -> bool {
    let words = (a..b).filter(|&i| toks.toks[i].is_word).count();
    (1..=4).contains(&words)
        && (a..b).all(|i| toks.is_capitalised(i) || matches!(toks.raw(i), "." | "-" | "'" | "’"))
        && toks.is_capitalised(a)
}

/// The full stop at `i` joins the words either side without a space: a domain
/// ("el19digital.com", "iGen.fr").
fn in_domain(toks: &Tokens, i: usize) -> bool {
    i > 0
        && i + 1 < toks.len()
        && toks.toks[i - 1].is_word
        && toks.toks[i + 1].is_word
        && toks.toks[i - 1].end == toks.toks[i].start
        && toks.toks[i].end == toks.toks[i + 1].start
        && toks.lower(i + 1).chars().all(|c| c.is_ascii_lowercase())
}

/// Token `i` is an abbreviation that a full stop follows inside a phrase: a title
/// ("Rep.", "Maj.") or an initial ("U.S.", "J. Christopher Stevens").
fn abbreviation(toks: &Tokens, i: usize) -> bool {
    TITLES.contains(&toks.lower(i)) || (toks.raw(i).len() == 1 && toks.is_capitalised(i))
}

/// Conjunctions of time and condition: a speech verb in their clause is not the
/// sentence's attribution.
const TEMPORAL: &[&str] = &[
    "after", "before", "because", "since", "when", "until", "once", "if", "unless",
];

/// A conjunction that starts a subordinate clause: one of time or condition
/// ([`TEMPORAL`]), or "as", "while", "though", "although", "whereas"; what follows one
/// is a subject of its own ("after he says", "As Reuters reported").
fn subordinator(w: &str) -> bool {
    TEMPORAL.contains(&w) || matches!(w, "as" | "while" | "though" | "although" | "whereas")
}

/// The end of a noun phrase starting at `i`: up to punctuation or a clause word.
fn np_forward(toks: &Tokens, i: usize) -> usize {
    let mut j = i;
    while j < toks.len() {
        let w = toks.lower(j);
        if !toks.toks[j].is_word && w != "'" && w != "-" && !(w == "." && in_domain(toks, j)) {
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
    "miss",
    "dr",
    "prof",
    "professor",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "sir",
    "rep",
    "sen",
    "gov",
    "det",
    "maj",
    "adm",
    "cpl",
    "pvt",
    "supt",
    "insp",
    "cmdr",
    "rev",
    "fr",
    "jr",
    "sr",
];

fn strip_title(np: &str) -> &str {
    // "Delighted Mrs Smith": the name starts after a title inside a run of capitals.
    let mut rest = np;
    let caps: Vec<&str> = np.split_whitespace().collect();
    if (3..=5).contains(&caps.len()) && caps.iter().all(|w| w.starts_with(char::is_uppercase)) {
        if let Some(k) = (1..caps.len() - 1)
            .rev()
            .find(|&k| TITLES.contains(&caps[k].trim_end_matches('.').to_lowercase().as_str()))
        {
            // The byte where word k + 1 starts.
            let mut at = 0;
            for w in &caps[..=k] {
                at = np[at..].find(w).map_or(at, |i| at + i + w.len());
            }
            rest = np[at..].trim_start();
        }
    }
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
    resolve_with(np, lex, ctx, true)
}

/// [`resolve`]; `surnames`: whether a lone surname may be looked up among the report's
/// full names (not when resolving such a full name, so that it cannot come back).
fn resolve_with(
    np: &str,
    lex: &Lexicons,
    ctx: &Context,
    surnames: bool,
) -> Option<(Speaker, Vec<String>)> {
    let unbracketed = without_asides(np);
    let np = strip_title(trim_tail(trim_time(strip_party(
        unbracketed
            .as_deref()
            .unwrap_or(np)
            .trim()
            .trim_matches(|c: char| c == ',' || c == '"'),
    ))));
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
    // "We had been told", "It's claimed", "I say": the writer or a quotation's speaker,
    // whom no phrase names.
    if matches!(
        lower.trim_start_matches(['\'', '‘', '"', '“']),
        "i" | "we"
            | "you"
            | "it's"
            | "it’s"
            | "we're"
            | "we’re"
            | "i'm"
            | "i’m"
            | "you're"
            | "you’re"
            | "they're"
            | "they’re"
            | "one"
    ) {
        return None;
    }
    let words = Tokens::new(np);
    // Pronouns and definite descriptions point back.
    // "it" is a body or a newspaper, "they" as often a group of witnesses as a body;
    // "he" and "she" are people.
    if PRONOUNS.contains(&lower.as_str()) {
        let order = match lower.as_str() {
            "it" => [&ctx.last_thing, &ctx.last_any, &None],
            "they" => [&ctx.last_anonymous, &ctx.last_thing, &ctx.last_any],
            _ => [&ctx.last_person, &ctx.last_anonymous, &ctx.last_any],
        };
        return order.into_iter().find_map(|e| e.as_deref().cloned());
    }
    if matches!(
        lower.as_str(),
        "the report"
            | "the outlet"
            | "the network"
            | "the channel"
            | "the agency"
            | "the story"
            | "the article"
            | "the piece"
            | "the paper"
            | "the newspaper"
            | "the site"
            | "the website"
    ) {
        // The outlet a speaker was cited through, else the last outlet that spoke.
        return ctx.last_cited.as_deref().cloned().or_else(|| {
            ctx.seen
                .iter()
                .rev()
                .find(|e| e.0.kind == SpeakerKind::Outlet)
                .map(|e| (**e).clone())
        });
    }
    // "the ministry", "the monitor", or a bare surname: someone named earlier.
    // The head of "The Syrian Observatory for Human Rights, a UK-based monitoring
    // group" is "rights", not "group".
    let core = match lower.split_once(", ") {
        Some((n, role)) if starts_appositive_text(role) => n,
        _ => lower.as_str(),
    };
    let head = core
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let surname = words.len() == 1 && words.is_capitalised(0);
    if (definite && !is_source_word(head)) || surname {
        if let Some(prev) = ctx.by_head(head, surname) {
            return Some(prev);
        }
    }
    // A surname the report has written in full before: "Gertz said" after "senior editor
    // Bill Gertz appeared on WMAL".
    if surname && surnames {
        if let Some(full) = ctx.full_name(bare) {
            let full = full.to_string();
            if let Some((mut s, via)) = resolve_with(&full, lex, ctx, false) {
                if s.kind == SpeakerKind::Person {
                    s.text = bare.to_string();
                    return Some((s, via));
                }
            }
        }
    }
    // "Bouthaina Shaaban, a political and media adviser to Syrian President Bashar
    // Assad", "Dana Holt, editor of the Kestria Watch blog", "Sutter, who was also a
    // writer": the name before the apposition speaks, read as the name alone reads,
    // whoever and whatever the role mentions.
    if let Some((name, role)) = np
        .find(',')
        .filter(|&i| np.as_bytes().get(i + 1) == Some(&b' '))
        .map(|i| (&np[..i], &np[i + 2..]))
    {
        let role = role.trim();
        let name_toks = Tokens::new(name);
        // "GOP Rep. Tom Cotton, who is running …": an abbreviation's stop inside.
        if is_name(&name_toks, 0, name_toks.len())
            && (starts_appositive_text(role) || role.starts_with(char::is_lowercase))
        {
            if let Some((mut s, via)) = resolve_with(name, lex, ctx, surnames) {
                s.text = bare.to_string();
                s.role.get_or_insert_with(|| role.to_string());
                return Some((s, via));
            }
        }
    }
    // "Wilfredo Strauss of the Seismic Institute", "Duncan Hunter of California": a
    // person with the place or body they are of; not "Bank of America" or "Secretary
    // of State", whose first words are a body's or a title.
    {
        // The phrase's tokens after its article, as `bare` is `np` after it.
        let from = usize::from(bare.len() != np.len());
        let n = words.len();
        if let Some(k) = (from + 2..n.min(from + 5)).find(|&i| words.lower(i) == "of") {
            if k + 1 < n
                && (from..k).all(|i| words.is_capitalised(i) && words.toks[i].is_word)
                && (words.is_capitalised(k + 1) || words.lower(k + 1) == "the")
                && (from..k).all(|i| !lex.bodies.contains_word(words.lower(i)))
                && (from..k).all(|i| lex.titles.longest_at(&words, i).is_none())
                && (from..k).all(|i| lex.entities.longest_at(&words, i).is_none())
            {
                if let Some((mut s, via)) = resolve_with(words.slice(from, k), lex, ctx, surnames)
                    .filter(|(s, _)| s.kind == SpeakerKind::Person)
                {
                    s.text = bare.to_string();
                    s.role
                        .get_or_insert_with(|| format!("of {}", words.slice(k + 1, n)));
                    return Some((s, via));
                }
            }
        }
    }
    // "CTV's Craig Oliver", "the UK's Mirror", "Wilson's account": the name after an
    // owner's possessive speaks (relayed by the owner when it is an outlet); a document
    // after it is its owner's.
    if let Some(found) = possessed(&words, lex, ctx, surnames) {
        return Some(found);
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
    // "the website of Yemen's defence ministry": the site's owner.
    let pubs = lex.publications.find_all(&words);
    if let Some(d) = pubs
        .iter()
        .find(|d| d.end + 1 < words.len() && words.lower(d.end) == "of")
    {
        if let Some(found) = resolve_with(words.slice(d.end + 1, words.len()), lex, ctx, surnames) {
            return Some(found);
        }
    }
    // "the website TMZ", "local newspaper al Sabaah", "the G for Games blog": a
    // publication by its name, not its description.
    if let Some(name) = publication_name(&words, &ents, &pubs) {
        return Some((
            Speaker {
                text: bare.to_string(),
                name: lex.outlets.canonical(strip_article(name)),
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
        if let Some(found) = resolve_with(author, lex, ctx, surnames) {
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
    // "Journeyman golfer Dan Olsen", "Apple commentator John Gruber": a description in
    // lower case, then a name of two to four words that no lexicon knows as a body or
    // a place.
    {
        let n = words.len();
        let mut s = n;
        while s > 0 && words.is_capitalised(s - 1) && words.toks[s - 1].is_word {
            s -= 1;
        }
        if (2..=4).contains(&(n - s))
            && s >= 1
            && !words.is_capitalised(s - 1)
            && words.toks[s - 1].is_word
            && !matches!(
                words.lower(s - 1),
                "of" | "and" | "the" | "for" | "in" | "at" | "on"
            )
            && !ents.iter().any(|e| e.end > s)
            && (s..n).all(|i| !lex.bodies.contains_word(words.lower(i)))
        {
            // "Islamist group Boko Haram", "research firm Canalys": a body by its name.
            let body = lex.bodies.contains_word(words.lower(s - 1));
            return Some((
                Speaker {
                    text: bare.to_string(),
                    name: words.slice(s, n).to_string(),
                    kind: if body {
                        SpeakerKind::Organisation
                    } else {
                        SpeakerKind::Person
                    },
                    role: Some(words.slice(0, s).to_string()),
                },
                vec![],
            ));
        }
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
    // A description, not a name: "Medics", "Two people who know Foley", "Activists inside
    // Raqqa" (`data/unnamed.txt`). Whole words: "man" also began "managed".
    // A force or office named by its place is one body, whoever quotes it: "Ottawa
    // police" (a capital in the entity lexicon), not an unnamed group.
    let placed_body = words.len() >= 2
        && ents.iter().any(|e| e.value.kind == EntityKind::Country)
        && (0..words.len()).any(|i| {
            matches!(
                words.lower(i),
                "police" | "authorities" | "prosecutors" | "prosecutor" | "investigators"
            )
        });
    let unnamed_head = !placed_body && !lex.unnamed.find_all(&words).is_empty();
    // Unknown names: capitalised words that are not a sentence-initial common noun.
    let caps: Vec<usize> = (0..words.len())
        .filter(|&i| words.is_capitalised(i))
        .collect();
    let all_caps_name = !caps.is_empty()
        && caps.len() == words.len()
        && !definite
        && !matches!(first, "a" | "an")
        && !unnamed_head;
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
    // "the government said" where no government has spoken yet: the last country the
    // report named ("… in India's civil service …, the government said").
    if definite
        && words.len() <= 3
        && government_word(&lower)
        && !ents.iter().any(|e| e.value.kind == EntityKind::Country)
    {
        if let Some(c) = &ctx.last_country {
            return Some((
                Speaker {
                    text: bare.to_string(),
                    name: format!("{c} (government)"),
                    kind: SpeakerKind::Government,
                    role: Some(bare.to_string()),
                },
                vec![],
            ));
        }
    }
    // "The congressman", "the San Diego Republican", "the 26-year-old": a person the
    // report has named, by a role; the last person who spoke.
    if definite && !government_word(&lower) && person_role(&words, lex) {
        if let Some(prev) = ctx
            .seen
            .iter()
            .rev()
            .find(|e| e.0.kind == SpeakerKind::Person)
        {
            return Some((**prev).clone());
        }
    }
    // "The Nicaragua Dispatch": a name, even after its article.
    if definite
        && words.len() >= 2
        && (1..words.len()).all(|i| words.is_capitalised(i) || !words.toks[i].is_word)
        && !unnamed_head
    {
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
    // "The Syrian man", "the former rebel": the unnamed person introduced earlier; not
    // "the ministry", which is no person.
    if definite && !government_word(&lower) {
        if let Some(prev) = ctx.last_anonymous.as_deref().cloned() {
            return Some(prev);
        }
    }
    if matches!(first, "a" | "an")
        || (first != "the" && UNNAMED_LEADS.contains(&first))
        || unnamed_head
    {
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

/// A phrase whose head is a person's role ([`Lexicons::titles`], a party, an age):
/// "the congressman", "the San Diego Republican", "the 26-year-old".
fn person_role(words: &Tokens, lex: &Lexicons) -> bool {
    let n = words.len();
    // "The official" is the unnamed official quoted before, not a named person.
    n >= 2
        && ((n.saturating_sub(3)..n)
            .any(|i| lex.titles.longest_at(words, i).is_some_and(|t| t.end == n))
            || matches!(words.lower(n - 1), "republican" | "democrat" | "lawmaker")
            || (n >= 4 && words.lower(n - 1) == "old" && words.lower(n - 3) == "year"))
        && lex.unnamed.find_all(words).is_empty()
}

/// A speaker phrase with an owner's possessive: the name after it ("CTV's Craig Oliver"
/// → Craig Oliver, relayed by CTV; "the UK's Mirror" → the Mirror), or the owner of the
/// document after it ("Wilson's account" → Wilson). `None` when what follows the
/// possessive is neither ("Nigeria's military" is read as a whole).
fn possessed(
    words: &Tokens,
    lex: &Lexicons,
    ctx: &Context,
    surnames: bool,
) -> Option<(Speaker, Vec<String>)> {
    let n = words.len();
    let p = (1..n.saturating_sub(1))
        .find(|&i| matches!(words.raw(i), "'" | "’") && words.lower(i + 1) == "s")?;
    let (owner, rest) = (words.slice(0, p), p + 2);
    // "Mike Omeri, coordinator of Nigeria's National Information Centre": a possessive
    // inside the apposition describes the speaker's role, it does not name the speaker.
    if rest >= n || (0..p).any(|i| words.raw(i) == ",") {
        return None;
    }
    // "Lebanon's Interior Minister Nohad Machnouk", "Turkey's Defence Ministry": a
    // country's office speaks for its government (read as a whole below); "the UK's
    // Mirror" is still the Mirror.
    let country = lex
        .entities
        .find_all(&Tokens::new(owner))
        .iter()
        .any(|e| e.value.kind == EntityKind::Country);
    if country {
        let named = words.slice(rest, n);
        if government_word(&named.to_lowercase()) || !is_name(words, rest, n) {
            return None;
        }
        return resolve_with(named, lex, ctx, surnames);
    }
    let doc = lex
        .documents
        .find_all(words)
        .into_iter()
        .any(|d| d.start == rest && d.end == n);
    if doc {
        return resolve_with(owner, lex, ctx, surnames);
    }
    if !is_name(words, rest, n) {
        return None;
    }
    let (speaker, mut via) = resolve_with(words.slice(rest, n), lex, ctx, surnames)?;
    if let Some(o) = lex.outlets.lookup(strip_article(owner)) {
        if speaker.kind != SpeakerKind::Outlet {
            via.push(o.to_string());
        }
    }
    Some((speaker, via))
}

/// Tokens `a..b` (punctuation aside) all name a country ("Israeli", "UK", "South
/// Korean"): a nationality, which authors nothing.
fn nationality(words: &Tokens, ents: &[PhraseMatch<'_, Entity>], a: usize, b: usize) -> bool {
    (a..b).all(|i| {
        !words.toks[i].is_word
            || ents
                .iter()
                .any(|e| e.value.kind == EntityKind::Country && e.start <= i && i < e.end)
    })
}

/// The name of a publication described beside it (`pubs`: the phrase's matches in
/// `data/publications.txt`): after the description ("the website TMZ", "UK publication
/// The Mirror", "newspaper, Al-Sabah") or before it ("the G for Games blog", "The Daily
/// Courier newspaper"). Not a nationality ("a South Korean newspaper" names none).
fn publication_name<'t>(
    words: &Tokens<'t>,
    ents: &[PhraseMatch<'_, Entity>],
    pubs: &[PhraseMatch<'_, ()>],
) -> Option<&'t str> {
    // A capitalised noun is part of a name ("The Daily Courier", "Newsweek").
    let d = pubs.iter().rfind(|d| !words.is_capitalised(d.start))?;
    let n = words.len();
    let nationality = |a: usize, b: usize| nationality(words, ents, a, b);
    let named = |a: usize, b: usize| {
        a < b
            && (a..b).any(|i| words.is_capitalised(i) || words.raw(i).contains('.'))
            && !nationality(a, b)
    };
    // After: the rest of the phrase, past a comma or an article.
    let mut a = d.end;
    while a < n && matches!(words.lower(a), "," | "the") {
        a += 1;
    }
    if a < n
        && named(a, n)
        && (words.is_capitalised(a)
            || words.lower(a) == "al"
            || (a..n).any(|i| in_domain(words, i)))
    {
        return Some(words.slice(a, n));
    }
    // Before: a capitalised run ending at the description ("G for Games").
    if d.end == n {
        let mut s = d.start;
        while s > 0
            && (words.is_capitalised(s - 1)
                || (matches!(words.lower(s - 1), "for" | "of" | "and" | "&" | "-")
                    && s >= 2
                    && words.is_capitalised(s - 2)))
        {
            s -= 1;
        }
        if named(s, d.start) && words.is_capitalised(s) {
            return Some(words.slice(s, d.start));
        }
    }
    None
}

/// Nouns that, after "on the"/"in a", make a time phrase ("on the morning of").
const TIME_NOUNS: &[&str] = &[
    "morning",
    "afternoon",
    "evening",
    "night",
    "day",
    "days",
    "weekend",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "past",
    "meantime",
    "end",
    "eve",
    "run-up",
];

/// Words that, after "on"/"in"/"at", start a time phrase (with [`crate::text::CALENDAR`]).
const TIME_WORDS: &[&str] = &["this", "last", "late", "early", "tuesday's"];

/// A word of a time phrase after a verb: "released this afternoon", "issued on Tuesday".
fn time_word(w: &str) -> bool {
    TIME_WORDS.contains(&w)
        || TIME_NOUNS.contains(&w)
        || crate::text::CALENDAR.contains(&w)
        || matches!(w, "on" | "yesterday" | "today" | "earlier")
}

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
    let nationality = |a: usize, b: usize| nationality(words, ents, a, b);
    let possessive =
        |i: usize| matches!(words.raw(i), "'" | "’") && i + 1 < n && words.lower(i + 1) == "s";
    let mut j = d.end;
    while j < n
        && (matches!(
            words.lower(j),
            "released" | "published" | "issued" | "filed" | "written" | "posted" | "aired"
        ) || (j > d.end && time_word(words.lower(j))))
    {
        // "released this afternoon by", "issued on Tuesday by": the time is no author.
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
    // "a report in Iraq's official newspaper, al Sabaah", "a post on the site
    // noticiasunam.com": where the document appeared is its author.
    if j + 1 < n
        && matches!(words.lower(j), "in" | "on" | "by" | "from")
        && (j + 1..n).any(|i| words.is_capitalised(i) || in_domain(words, i))
        && !nationality(j + 1, n)
    {
        return Some(words.slice(j + 1, n));
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
/// "Pentagon spokesman"), "President Obama" → ("Obama", "President"). Dots after an
/// abbreviated title ("Col.") and inside a name ("Paul J. Smith"), and apostrophes and
/// hyphens inside one ("O'Brien"), are allowed.
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

/// A speaker phrase without what trails its name: an age ("Roche, 33"), company ("Matson
/// and others"), or a word the phrase was cut after ("Gill Cherry from").
fn trim_tail(np: &str) -> &str {
    let mut np = named_of_company(np.trim_end_matches([',', ' ']));
    loop {
        let before = np;
        if let Some((head, last)) = np.rsplit_once(' ') {
            let last_l = last.to_lowercase();
            let bare_number = last
                .trim_end_matches(',')
                .chars()
                .all(|c| c.is_ascii_digit());
            if (bare_number && head.ends_with(','))
                || matches!(
                    last_l.as_str(),
                    "from"
                        | "of"
                        | "in"
                        | "at"
                        | "on"
                        | "with"
                        | "for"
                        | "by"
                        | "to"
                        | "and"
                        | "who"
                )
            {
                np = head.trim_end_matches([',', ' ']);
            } else if matches!(last_l.as_str(), "others" | "colleagues")
                && head.to_lowercase().ends_with(" and")
            {
                np = head[..head.len() - 4].trim_end_matches([',', ' ']);
            }
        }
        if np == before {
            return np;
        }
    }
}

/// "Miss Smith with a friend", "Matson and others in the area": the one named.
fn named_of_company(np: &str) -> &str {
    // Most phrases have neither word: a byte test skips the pass over the words.
    if !np
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b' ' && matches!(w[1], b'w' | b'o'))
    {
        return np;
    }
    let mut caps_so_far = true;
    let mut prev_and = None;
    for (i, w) in word_starts(np) {
        if caps_so_far && i > 0 && w == "with" {
            return np[..i].trim_end();
        }
        if let Some(k) =
            prev_and.filter(|_| matches!(w, "others" | "other") && i + w.len() < np.len())
        {
            return np[..k].trim_end_matches([',', ' ']);
        }
        prev_and = (w == "and").then_some(i);
        caps_so_far &= w.starts_with(char::is_uppercase);
    }
    np
}

/// The words of `np` split at single spaces, each with the byte where it starts.
fn word_starts(np: &str) -> impl Iterator<Item = (usize, &str)> {
    np.split(' ').scan(0, |at, w| {
        let start = *at;
        *at += w.len() + 1;
        Some((start, w))
    })
}

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
            let mut after = lower[i + prep.len()..].split_whitespace();
            let next = after.next().unwrap_or("");
            // "on the morning of", "in a week": an article starts a time phrase only
            // before a time word; "in The Daily Courier" is a place.
            let article_time = matches!(next, "the" | "a")
                && after.next().is_some_and(|w| {
                    TIME_NOUNS.contains(&w)
                        || crate::text::CALENDAR.contains(&w)
                        || w.starts_with(|c: char| c.is_ascii_digit())
                });
            // "on Tuesday" is time; "late", "last", "this" always start a time phrase.
            let time = TIME_WORDS.contains(&next)
                || article_time
                || crate::text::CALENDAR.contains(&next)
                || !matches!(prep.trim(), "on" | "in" | "at");
            // Lower-casing may change byte lengths outside ASCII: only cut on a boundary.
            // "A statement released this afternoon by ISIS sources": the author follows.
            let author_after = lower[i..].contains(" by ");
            if time && !author_after && i > 0 && np.is_char_boundary(i) {
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
