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
//!
//! The report's lead mention (sentence 0) also carries the report as a whole: its
//! [`SALIENT`] most recurrent entities and words join the claim's own concepts, and
//! every content concept of the report's sentences is listed as `r:N:concept` (N: how
//! often the report uses it; at most [`VOCABULARY`] of them) — the report's vocabulary, from which the matcher groups
//! reports into stories before it compares claims (`corro_match::story`).

use crate::attribution::{self, Attribution, Context, Speaker};
use crate::lexicon::{Cue, Lexicons};
use crate::quantity::{self, Quantity, QuantityKind};
use crate::stance::{self, Stance};
use crate::text::{stem, PhraseMatch, Tokens};
use corro_parse::Report;
use rustc_hash::FxHashMap as HashMap;

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
    /// The normalised form: sorted, de-duplicated concept keys. A report's lead also
    /// lists the report's vocabulary as `r:N:concept` (see [`Extractor::extract`]).
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
    ///
    /// The report's lead (sentence 0: the headline, else the first sentence) also states
    /// the report's main claim: its event mention is enriched with the report's salient
    /// concepts — the [`SALIENT`] entities and words that recur most across its sentences —
    /// and a lead that makes no event mention of its own gets one. This is what lets
    /// reports of one story meet even when their leads are worded differently.
    ///
    /// The lead also lists the report's vocabulary, `r:N:concept` for every content
    /// concept of every sentence (N: how often), for the matcher's story
    /// stage: counts survive in the form because a word a report keeps coming back to
    /// says more about its story than one it uses once.
    pub fn extract(&self, report: &Report) -> Vec<Mention> {
        let mut ctx = Context::default();
        let mut last = LastClaim::default();
        let mut out = Vec::new();
        let mut lead: Option<Mention> = None;
        // How often the report uses each concept (every occurrence in every sentence).
        // The salient concepts are the `e:`/`w:` ones among them, so one map serves both.
        // With each sentence's content concepts, in buffers this thread reuses across
        // reports.
        let mut scratch = SCRATCH.with(|s| s.take());
        scratch.vocab.clear();
        let Scratch {
            vocab,
            concepts: content_concepts,
        } = &mut scratch;
        let mut quote = Quotation::default();
        for i in 0..report.sentences.len() {
            let text = report.sentence_text(i);
            let from = out.len();
            let (content, event) =
                self.sentence(i, text, &mut ctx, &mut last, &mut out, content_concepts);
            quote.step(text, &content, from, &mut out);
            for c in content_concepts.iter() {
                vocab.add(c);
            }
            if i == 0 && !event {
                let mut concepts = content_concepts.to_strings();
                finish(&mut concepts);
                lead = Some(Mention {
                    sentence: 0,
                    kind: ClaimKind::Event,
                    stance: content
                        .stance
                        .as_ref()
                        .map_or(Stance::Supports, |d| d.stance),
                    cue: content.stance.and_then(|d| d.cue),
                    speaker: content.speaker,
                    via: content.via,
                    quantity: None,
                    concepts,
                });
            }
        }
        // Most recurrent first, ties by name. Only *which* concepts make the cut matters
        // (the lists are sorted by `finish` below), so a partial selection does.
        let by_count = |a: &(&str, u32), b: &(&str, u32)| b.1.cmp(&a.1).then(a.0.cmp(b.0));
        let mut salient: Vec<(&str, u32)> = vocab
            .iter()
            .filter(|(c, n)| *n >= 2 && (c.starts_with("e:") || c.starts_with("w:")))
            .collect();
        top(&mut salient, SALIENT, by_count);
        let salient: Vec<String> = salient.into_iter().map(|(c, _)| c.to_string()).collect();
        let mut ranked: Vec<(&str, u32)> = vocab.iter().collect();
        // Bounded, so a book-length report costs what a long article does.
        top(&mut ranked, VOCABULARY, by_count);
        let profile = profile(&ranked);
        drop(ranked);
        if scratch.vocab.arena.capacity() <= SCRATCH_KEPT {
            SCRATCH.with(|s| s.set(scratch));
        }
        if let Some(m) = out
            .iter_mut()
            .find(|m| m.sentence == 0 && m.kind == ClaimKind::Event)
        {
            m.concepts.extend(salient.iter().cloned());
            finish(&mut m.concepts);
            add_profile(&mut m.concepts, profile);
        } else if let Some(mut m) = lead {
            m.concepts.extend(salient);
            finish(&mut m.concepts);
            if m.concepts.len() >= 2 {
                add_profile(&mut m.concepts, profile);
                out.insert(0, m);
            }
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
            &mut ConceptList::default(),
        );
        out
    }

    /// Adds a sentence's mentions to `out`; returns its content and whether it made an
    /// event mention. Its content concepts are left in `concepts`.
    fn sentence(
        &self,
        idx: usize,
        text: &str,
        ctx: &mut Context,
        last: &mut LastClaim,
        out: &mut Vec<Mention>,
        concepts: &mut ConceptList,
    ) -> (SentenceContent, bool) {
        let lex = self.lex;
        concepts.clear();
        let toks = Tokens::new(text);
        if toks.is_empty() {
            return (SentenceContent::default(), false);
        }
        let cues = lex.cues.find_all(&toks);
        // "…, which Ankara denied": the trailing clause is another speaker's stance on the
        // claim, neither part of the claim nor of this speaker's attribution and stance.
        let trailing = attribution::trailing_denial(&toks, &cues, lex, ctx);
        let cut = trailing.as_ref().map_or(toks.len(), |d| d.clause_start);
        let head_cues: Vec<_> = cues.iter().filter(|c| c.end <= cut).cloned().collect();
        let ents = lex.entities.find_all(&toks);
        let attr = attribution::attribute_with_names(&toks, &head_cues, &ents, lex, ctx);
        let preds = lex.predicates.find_all(&toks);
        let quantities = quantity::extract(text, &lex.units);

        let in_frame = |i: usize| i >= cut || attr.frame.iter().any(|&(a, b)| i >= a && i < b);
        let strong = content(&toks, &ents, &preds, &cues, lex, &in_frame, concepts);

        // The part of the sentence before a trailing denial, where the claim is stated.
        let head = trailing
            .as_ref()
            .map(|_| Tokens::new(&text[..toks.toks[cut].start]));
        let head_preds: Vec<_> = preds.iter().filter(|p| p.end <= cut).cloned().collect();

        let has_pred = concepts.iter().any(|c| c.starts_with("p:"));
        let makes_event = has_pred && strong >= 2;
        // The claim's concepts as every mention of this sentence lists them: sorted and
        // de-duplicated once, each quantity adding its kind and unit in place.
        let mut claim = Vec::new();
        if makes_event || !quantities.is_empty() {
            claim = concepts.to_strings();
            finish(&mut claim);
        }

        // Quantity mentions.
        for q in &quantities {
            let tok = toks
                .toks
                .iter()
                .position(|t| t.start >= q.start)
                .unwrap_or(0);
            let st = match &head {
                Some(h) if tok < cut => {
                    stance::decide(h, &head_cues, &head_preds, &attr, Some(tok))
                }
                _ => stance::decide(&toks, &cues, &preds, &attr, Some(tok)),
            };
            let mut concepts = Vec::with_capacity(claim.len() + 2);
            concepts.extend_from_slice(&claim);
            insert_sorted(&mut concepts, concept("k:", q.kind.as_str()));
            if let Some(u) = &q.unit {
                insert_sorted(&mut concepts, concept("u:", u));
            }
            let mention = Mention {
                sentence: idx,
                kind: ClaimKind::of(q.kind),
                stance: st.stance,
                cue: st.cue,
                speaker: attr.speaker.clone(),
                via: attr.via.clone(),
                quantity: Some(q.clone()),
                concepts,
            };
            // "Armenia said Turkey sent 4,000 fighters, which Ankara denied": the denier
            // denies the figure too.
            let denial = match &trailing {
                Some(d) if tok < cut => Some(Mention {
                    stance: Stance::Denies,
                    cue: Some(d.cue.clone()),
                    speaker: Some(d.speaker.clone()),
                    via: Vec::new(),
                    ..mention.clone()
                }),
                _ => None,
            };
            out.push(mention);
            out.extend(denial);
        }

        // Event mention: a claim predicate and at least two actors or counted things.
        let anaphoric = cues
            .iter()
            .any(|c| c.value.has(Cue::ANAPHOR) && !in_frame(c.start));
        let st = match &head {
            Some(h) => stance::decide(h, &head_cues, &head_preds, &attr, None),
            None => stance::decide(&toks, &cues, &preds, &attr, None),
        };
        let summary_stance = st.clone();
        let mut event = false;
        if makes_event {
            event = true;
            last.concepts = claim.clone();
            out.push(self.event(idx, st, &attr, claim));
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
            event = true;
        }
        // The speaker's names are not the claim's, but they are the report's: two reports
        // quoting John Kirby are likelier one story. They join the sentence's concepts
        // after the claims have taken theirs, so only the report's vocabulary (and the
        // salient concepts its lead gathers) counts them.
        for e in ents.iter().filter(|e| in_frame(e.start) && e.start < cut) {
            concepts.push("e:", &e.value.canonical);
        }
        for &(a, b) in &attr.frame {
            frame_names(&toks, a, b.min(cut), &ents, lex, concepts);
        }
        let summary = SentenceContent {
            stance: Some(summary_stance),
            speaker: attr.speaker,
            via: attr.via,
        };
        (summary, event)
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

/// A quotation that runs over several sentences: the sentences inside it that name no
/// speaker are its speaker's, named where it opens ('He said: "…') or where it closes
/// ('…," Lemon said.'). A quotation that follows a quoted speaker's sentence without
/// naming anyone goes on quoting them ('"…," Bishop said. "It is believed …"'). Double
/// quotes only (straight, or curly “ ”): a single quote is as often an apostrophe. A
/// quotation still open after [`QUOTE_SPAN`] sentences was a stray mark, and lends no
/// speaker.
#[derive(Debug, Default)]
struct Quotation {
    /// The speaker of the sentence before, when that sentence quoted them.
    quoted: Option<(Speaker, Vec<String>)>,
    open: bool,
    /// Sentences read inside it so far.
    sentences: usize,
    /// Who opened it, when the opening sentence named someone.
    speaker: Option<(Speaker, Vec<String>)>,
    /// Mentions (indices into the report's mentions) of sentences inside it that named
    /// no speaker, waiting for one.
    pending: Vec<usize>,
}

/// The most sentences one quotation is followed through.
const QUOTE_SPAN: usize = 6;

impl Quotation {
    /// Follows the quotation through one more sentence, whose mentions are `out[from..]`
    /// and whose attribution `content` holds.
    fn step(&mut self, text: &str, content: &SentenceContent, from: usize, out: &mut [Mention]) {
        // Bytes, not chars: “ and ” are E2 80 9C and E2 80 9D in UTF-8.
        let b = text.as_bytes();
        let (mut opens, mut closes, mut straight) = (0, 0, 0);
        for (i, &c) in b.iter().enumerate() {
            match c {
                b'"' => straight += 1,
                0xE2 if b.get(i + 1) == Some(&0x80) => match b.get(i + 2) {
                    Some(0x9C) => opens += 1,
                    Some(0x9D) => closes += 1,
                    _ => {}
                },
                _ => {}
            }
        }
        let toggles = straight % 2 == 1;
        let named = content.speaker.clone().map(|s| (s, content.via.clone()));
        let quotes = opens + closes + straight > 0;
        let before = std::mem::take(&mut self.quoted);
        if quotes {
            self.quoted = named.clone();
        }
        if !self.open {
            let starts_quoted = text.trim_start().starts_with(['“', '"']);
            if opens > closes || (opens == closes && toggles) {
                // Opened by its own speaker, else by the quoted speaker just before.
                let speaker = named
                    .clone()
                    .or_else(|| before.clone().filter(|_| starts_quoted));
                let unnamed = named.is_none();
                *self = Quotation {
                    quoted: self.quoted.take(),
                    open: true,
                    sentences: 1,
                    speaker: speaker.clone(),
                    pending: Vec::new(),
                };
                if unnamed {
                    match speaker {
                        Some(s) => lend(&s, &mut out[from..]),
                        None => self.pending.extend(from..out.len()),
                    }
                }
            } else if named.is_none() && starts_quoted && quotes {
                // A whole quoted sentence after a quoted speaker's.
                if let Some(s) = &before {
                    lend(s, &mut out[from..]);
                    self.quoted = before;
                }
            }
            return;
        }
        self.sentences += 1;
        let closing = closes > opens || (opens == closes && toggles);
        match (&named, &self.speaker) {
            // Inside the quotation and no one named: its opener speaks.
            (None, Some(opener)) => lend(opener, &mut out[from..]),
            (None, None) => self.pending.extend(from..out.len()),
            _ => {}
        }
        if closing {
            // '…," Lemon said.': the closer speaks for every sentence waiting.
            if let Some((speaker, via)) = named.or_else(|| self.speaker.clone()) {
                for &k in &self.pending {
                    if out[k].speaker.is_none() {
                        out[k].speaker = Some(speaker.clone());
                        out[k].via = via.clone();
                    }
                }
            }
            let quoted = self.quoted.take();
            *self = Quotation {
                quoted,
                ..Quotation::default()
            };
        } else if self.sentences >= QUOTE_SPAN {
            *self = Quotation::default();
        }
    }
}

/// Gives a quotation's speaker to the mentions that name none.
fn lend(speaker: &(Speaker, Vec<String>), mentions: &mut [Mention]) {
    for m in mentions.iter_mut().filter(|m| m.speaker.is_none()) {
        m.speaker = Some(speaker.0.clone());
        m.via = speaker.1.clone();
    }
}

/// How many of a report's most recurrent concepts enrich its lead claim.
pub const SALIENT: usize = 8;
/// How many of a report's concepts (the most recurrent) its lead lists as the report's
/// vocabulary.
pub const VOCABULARY: usize = 512;

/// What a sentence says, kept for the report's lead claim.
#[derive(Debug, Clone, Default)]
struct SentenceContent {
    stance: Option<stance::Decision>,
    speaker: Option<Speaker>,
    via: Vec<String>,
}

/// The claim words of a sentence, outside the attribution frame: adds its content
/// concepts to `concepts` and returns how many are strong — entities and counted things,
/// the actors and objects of the claim.
fn content(
    toks: &Tokens,
    ents: &[PhraseMatch<crate::lexicon::Entity>],
    preds: &[PhraseMatch<String>],
    cues: &[PhraseMatch<Cue>],
    lex: &Lexicons,
    in_frame: &dyn Fn(usize) -> bool,
    concepts: &mut ConceptList,
) -> usize {
    let mut covered = vec![false; toks.len()];
    let mut strong = 0;
    for e in ents {
        if in_frame(e.start) {
            continue;
        }
        concepts.push("e:", &e.value.canonical);
        if let Some(t) = &e.value.theatre {
            concepts.push("t:", t);
        }
        strong += 1;
        covered[e.start..e.end].iter_mut().for_each(|c| *c = true);
    }
    for p in preds {
        if in_frame(p.start) {
            continue;
        }
        concepts.push("p:", p.value);
        covered[p.start..p.end].iter_mut().for_each(|c| *c = true);
    }
    for c in cues {
        covered[c.start..c.end].iter_mut().for_each(|x| *x = true);
    }
    // Names no lexicon knows: runs of capitalised words ("Kim Jong-un", "Banksy").
    // A lone capitalised word opening the sentence is usually just a capital letter.
    let mut i = 0;
    while i < toks.len() {
        if covered[i] || in_frame(i) || !toks.is_capitalised(i) || is_common(toks.lower(i), lex) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            if end < toks.len()
                && toks.is_capitalised(end)
                && !covered[end]
                && !is_common(toks.lower(end), lex)
            {
                end += 1;
            } else if end + 1 < toks.len()
                && toks.lower(end) == "-"
                && toks.toks[end + 1].is_word
                && !covered[end + 1]
            {
                end += 2;
            } else {
                break;
            }
        }
        if start > 0 || end - start > 1 {
            covered[start..end].iter_mut().for_each(|c| *c = true);
            if push_name(toks, start, end, concepts) {
                strong += 1;
            }
        }
        i = end;
    }
    for (i, &cov) in covered.iter().enumerate() {
        if cov || in_frame(i) || !toks.toks[i].is_word {
            continue;
        }
        let w = toks.lower(i);
        if w.len() < 3 || w.bytes().all(|b| b.is_ascii_digit()) || lex.stopwords.contains(w) {
            continue;
        }
        if let Some(u) = lex.units.unit_of(w) {
            concepts.push("u:", u);
            strong += 1;
            continue;
        }
        concepts.push("w:", stem(w));
    }
    strong
}

/// A name no lexicon knows, tokens `start..end`, as concepts; false when it is only a
/// title. "President Barack Obama" is Barack Obama; and "James Wright Foley", "James
/// Foley" and "Foley" are one person: the surname is a concept too.
fn push_name(toks: &Tokens, start: usize, end: usize, concepts: &mut ConceptList) -> bool {
    let mut words: Vec<&str> = (start..end).map(|k| toks.lower(k)).collect();
    while words.len() > 1 && TITLES.contains(&words[0]) {
        words.remove(0);
    }
    if words.len() == 1 && TITLES.contains(&words[0]) {
        return false;
    }
    concepts.push("e:", &words.join(" ").replace(" - ", "-"));
    if (2..=3).contains(&words.len()) && !words.contains(&"-") {
        let last = words[words.len() - 1];
        if last.len() > 2 && !ORG_WORDS.contains(&last) {
            concepts.push("e:", last);
        }
    }
    true
}

/// Names no lexicon knows in an attribution's frame (tokens `a..b`): runs of two to
/// four capitalised words that are not common words ("Pentagon spokesman John Kirby"
/// gives "john kirby"), named as `content` names them outside a frame ([`push_name`]).
fn frame_names(
    toks: &Tokens,
    a: usize,
    b: usize,
    ents: &[PhraseMatch<crate::lexicon::Entity>],
    lex: &Lexicons,
    concepts: &mut ConceptList,
) {
    let known = |i: usize| ents.iter().any(|e| e.start <= i && i < e.end);
    let mut i = a;
    while i < b {
        if !toks.is_capitalised(i) {
            i += 1;
            continue;
        }
        let run = i;
        while i < b && toks.is_capitalised(i) {
            i += 1;
        }
        if i - run < 2 {
            continue;
        }
        // Words are looked up only in runs long enough to hold a name; a known or
        // common word splits the run ("US Secretary John Kerry": "secretary john kerry").
        let mut k = run;
        while k < i {
            while k < i && (known(k) || is_common(toks.lower(k), lex)) {
                k += 1;
            }
            let start = k;
            while k < i && !known(k) && !is_common(toks.lower(k), lex) {
                k += 1;
            }
            if (2..=4).contains(&(k - start)) {
                push_name(toks, start, k, concepts);
            }
        }
    }
}

/// Titles stripped from the front of a name no lexicon knows.
const TITLES: &[&str] = &[
    "president",
    "prime",
    "minister",
    "secretary",
    "general",
    "gen",
    "king",
    "queen",
    "prince",
    "pope",
    "senator",
    "sen",
    "rep",
    "representative",
    "governor",
    "gov",
    "mayor",
    "officer",
    "sheriff",
    "chief",
    "judge",
    "justice",
    "dr",
    "mr",
    "mrs",
    "ms",
    "sir",
    "lord",
    "lt",
    "col",
    "colonel",
    "captain",
    "capt",
    "sgt",
    "sergeant",
    "commander",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "former",
    "foreign",
    "defence",
    "defense",
    "supreme",
    "leader",
    "chancellor",
    "emir",
    "sheikh",
    "ayatollah",
    "cardinal",
    "bishop",
];

/// Last words that make a name an organisation, not a person (no surname concept).
const ORG_WORDS: &[&str] = &[
    "party",
    "army",
    "ministry",
    "council",
    "university",
    "watch",
    "news",
    "times",
    "post",
    "agency",
    "group",
    "company",
    "bank",
    "state",
    "states",
    "union",
    "office",
    "department",
    "committee",
    "house",
    "court",
    "force",
    "forces",
    "front",
    "brigade",
    "division",
    "corps",
    "police",
    "guard",
    "network",
    "media",
    "street",
    "city",
    "county",
    "province",
    "region",
    "island",
    "islands",
    "sea",
    "river",
    "valley",
];

/// Capitalised words that are not names: function words, months, days.
fn is_common(lower: &str, lex: &Lexicons) -> bool {
    const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "dr", "i"];
    lex.stopwords.contains(lower)
        || crate::text::CALENDAR.contains(&lower)
        || HONORIFICS.contains(&lower)
        || lex.cues.contains_word(lower)
}

/// A sentence's concept keys (`prefix` then value), in one buffer.
#[derive(Debug, Default)]
struct ConceptList {
    buf: String,
    spans: Vec<(u32, u32)>,
}

impl ConceptList {
    fn clear(&mut self) {
        self.buf.clear();
        self.spans.clear();
    }

    fn push(&mut self, prefix: &str, value: &str) {
        let from = self.buf.len() as u32;
        self.buf.push_str(prefix);
        self.buf.push_str(value);
        self.spans.push((from, self.buf.len() as u32));
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans
            .iter()
            .map(|&(a, b)| &self.buf[a as usize..b as usize])
    }

    fn to_strings(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

/// How often a report uses each concept. The concepts are kept in one buffer; a map from
/// a concept's hash finds its first entry, and entries of one hash are chained.
#[derive(Debug, Default)]
struct Vocab {
    by_hash: HashMap<u64, u32>,
    arena: String,
    entries: Vec<VocabEntry>,
}

#[derive(Debug, Clone, Copy)]
struct VocabEntry {
    /// The concept: `arena[start..end]`.
    start: u32,
    end: u32,
    count: u32,
    /// The next entry of the same hash, or `u32::MAX`.
    next: u32,
}

impl Vocab {
    fn clear(&mut self) {
        self.by_hash.clear();
        self.arena.clear();
        self.entries.clear();
    }

    fn add(&mut self, c: &str) {
        let new = self.entries.len() as u32;
        match self.by_hash.entry(crate::text::word_key(c)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(new);
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let mut at = *o.get() as usize;
                loop {
                    let e = &mut self.entries[at];
                    if &self.arena[e.start as usize..e.end as usize] == c {
                        e.count += 1;
                        return;
                    }
                    match e.next {
                        u32::MAX => break,
                        n => at = n as usize,
                    }
                }
                self.entries[at].next = new;
            }
        }
        let start = self.arena.len() as u32;
        self.arena.push_str(c);
        self.entries.push(VocabEntry {
            start,
            end: self.arena.len() as u32,
            count: 1,
            next: u32::MAX,
        });
    }

    /// Every concept with its count, in order of first use.
    fn iter(&self) -> impl Iterator<Item = (&str, u32)> + '_ {
        self.entries
            .iter()
            .map(|e| (&self.arena[e.start as usize..e.end as usize], e.count))
    }
}

/// Buffers [`Extractor::extract`] reuses from one report to the next on a thread.
#[derive(Debug, Default)]
struct Scratch {
    vocab: Vocab,
    concepts: ConceptList,
}

/// Scratch buffers grown past this many bytes of concepts (a book-length report) are
/// dropped rather than kept for the thread's next report.
const SCRATCH_KEPT: usize = 1 << 20;

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// A concept key: `prefix` then `value` (what `format!` made, without the formatter).
fn concept(prefix: &str, value: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + value.len());
    s.push_str(prefix);
    s.push_str(value);
    s
}

/// Adds `c` to a sorted, de-duplicated list, keeping it so (`push` then `finish`).
fn insert_sorted(concepts: &mut Vec<String>, c: String) {
    if let Err(at) = concepts.binary_search(&c) {
        concepts.insert(at, c);
    }
}

/// Keeps the `k` least elements of `v` under `cmp` (a strict order), in no
/// particular order.
fn top<T>(v: &mut Vec<T>, k: usize, cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    if k == 0 {
        v.clear();
    } else if v.len() > k {
        v.select_nth_unstable_by(k - 1, cmp);
        v.truncate(k);
    }
}

/// The report's vocabulary as `r:N:concept` strings, sorted (as `finish` would: each
/// string's first bytes compared as one integer, the rest only on a tie).
fn profile(ranked: &[(&str, u32)]) -> Vec<String> {
    let mut profile: Vec<(u128, String)> = ranked
        .iter()
        .map(|&(c, n)| {
            // `r:{n}:{c}`, put together by hand: through `write!` the formatting
            // machinery was 4% of extraction (a report has a hundred of these).
            let mut digits = itoa::Buffer::new();
            let n = digits.format(n);
            let mut r = String::with_capacity(3 + n.len() + c.len());
            r.push_str("r:");
            r.push_str(n);
            r.push(':');
            r.push_str(c);
            (head_key(&r[2..]), r)
        })
        .collect();
    profile.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    profile.into_iter().map(|(_, r)| r).collect()
}

/// The first 16 bytes of `s`, big-endian, zero-padded: when two keys differ they order
/// as their strings do (a string that is a prefix of another pads with the least byte).
fn head_key(s: &str) -> u128 {
    let mut head = [0u8; 16];
    let n = s.len().min(16);
    head[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(head)
}

/// Adds the report's vocabulary (`r:` strings, distinct and sorted) to a
/// finished concept list, keeping it sorted: no other concept starts with `r:`, so the
/// vocabulary goes in as one block where `r:` sorts. (Should one ever do, the whole list
/// is sorted again.)
fn add_profile(concepts: &mut Vec<String>, profile: Vec<String>) {
    if concepts.iter().any(|c| c.starts_with("r:")) {
        concepts.extend(profile);
        finish(concepts);
        return;
    }
    let at = concepts.partition_point(|c| c.as_str() < "r:");
    concepts.splice(at..at, profile);
}

fn finish(concepts: &mut Vec<String>) {
    concepts.sort_unstable();
    concepts.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_goes_where_sorting_puts_it() {
        let names: Vec<String> = [
            "w:a",
            "w:ab",
            "w:b",
            "e:x y",
            "e:\u{e9}t\u{e9}",
            "w:aaaaaaaaaaaaaaaaaaaaaa",
            "w:aaaaaaaaaaaaaaaaaaaaab",
            "w:aaaaaaaaaaaaa",
            "u:fighter",
        ]
        .map(String::from)
        .to_vec();
        let counts = [1, 2, 9, 10, 11, 12, 19, 100, 1000, 4_294_967_295];
        let ranked: Vec<(&str, u32)> = names
            .iter()
            .zip(counts.iter().cycle())
            .map(|(c, &n)| (c.as_str(), n))
            .chain(names.iter().map(|c| (c.as_str(), 1)).skip(1))
            .collect();
        let mut sorted = profile(&ranked);
        let mut expected = sorted.clone();
        finish(&mut expected);
        assert_eq!(sorted, expected);
        let mut claim: Vec<String> = ["e:x", "k:count", "p:send", "t:z", "u:fighter", "w:zz"]
            .map(String::from)
            .to_vec();
        let mut expected = claim.clone();
        expected.extend(sorted.iter().cloned());
        finish(&mut expected);
        add_profile(&mut claim, std::mem::take(&mut sorted));
        assert_eq!(claim, expected);
    }
}
