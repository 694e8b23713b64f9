//! The matcher may have the mentions moved out of memory between `Mentions::set_aside`
//! and `Mentions::bring_back` (the run writes their rows to disk there). These tests
//! hold it to that: a corpus whose mentions vanish while set aside — any read of a
//! claim, a report or the concepts then panics — is matched exactly as one that keeps
//! them.

use corro_claims::{testing, Extractor};
use corro_match::{analyse, Analysis, Claim, MentionFacts, Mentions, NameTable, Names};
use corro_match::{ReportFacts, Signature, Verdict, Vocabulary};

/// Reports of a few stories: counts that agree and conflict, denials, relays, a copy.
const REPORTS: &[(&str, &str, &[&str])] = &[
    (
        "a",
        "Reuters",
        &[
            "About 1,000 Syrian fighters were sent to Azerbaijan, a source told Reuters.",
            "Turkey denied sending fighters to Azerbaijan.",
        ],
    ),
    (
        "b",
        "AFP",
        &[
            "Some 1,000 Syrian fighters have been sent to Azerbaijan, sources said.",
            "The fighters are paid $1,500 a month, according to the source.",
        ],
    ),
    (
        "c",
        "Sputnik",
        &[
            "CNN reported that Syrian fighters were sent to Azerbaijan.",
            "Baku denied that Syrian fighters were in Azerbaijan.",
            "Each fighter is paid $2,000 a month, CNN said.",
        ],
    ),
    (
        "d",
        "North Press",
        &[
            "Around 1,200 Syrian fighters were sent to Azerbaijan, a private source said.",
            "The fighters were promised $1,500 a month.",
        ],
    ),
    (
        "e",
        "Anadolu",
        &[
            "Omer Celik said Turkey did not send Syrian fighters to Azerbaijan.",
            "Celik called the reports baseless.",
        ],
    ),
    (
        "f",
        "Reuters",
        &[
            "About 1,000 Syrian fighters were sent to Azerbaijan, a source told Reuters.",
            "Turkey denied sending fighters to Azerbaijan.",
        ],
    ),
    (
        "g",
        "BBC",
        &[
            "Flooding killed 40 people in the province on Monday, officials said.",
            "Officials said 12 people were missing after the floods.",
        ],
    ),
    (
        "h",
        "Al Jazeera",
        &[
            "At least 45 people were killed by the floods, the governor said.",
            "Rescuers were searching for 12 missing people.",
        ],
    ),
];

/// The corpus's mentions, either kept throughout or gone (and any read of them a panic)
/// while set aside.
struct Corpus<'a> {
    facts: Vec<MentionFacts<'a>>,
    setting_aside: bool,
    away: bool,
    set_asides: usize,
    bring_backs: usize,
}

impl Corpus<'_> {
    fn here(&self, i: usize) -> &MentionFacts<'_> {
        assert!(!self.away, "mention {i} read while set aside");
        &self.facts[i]
    }
}

impl Mentions for Corpus<'_> {
    fn len(&self) -> usize {
        self.facts.len()
    }
    fn report(&self, i: usize) -> u32 {
        self.here(i).report
    }
    fn claim(&self, i: usize) -> &Claim {
        self.here(i).mention
    }
    fn visit_concepts(&self, visit: &mut dyn FnMut(usize, &[u32])) {
        for i in 0..self.facts.len() {
            visit(i, self.here(i).concepts);
        }
    }
    fn set_aside(&mut self) {
        if self.setting_aside {
            self.away = true;
            self.set_asides += 1;
        }
    }
    fn bring_back(&mut self) {
        if self.setting_aside {
            self.away = false;
            self.bring_backs += 1;
        }
    }
}

/// What an analyst sees of an analysis: each cluster's id, verdict, score and members.
fn seen(a: &Analysis) -> Vec<(String, Verdict, String, Vec<u32>)> {
    a.clusters
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                c.verdict,
                format!("{:.6}", c.score),
                c.mentions.clone(),
            )
        })
        .collect()
}

/// The corpus's mentions as the run has them: claims, concept ids, the vocabulary and
/// the names.
struct Extracted {
    reports: Vec<u32>,
    claims: Vec<Claim>,
    ids: Vec<Vec<u32>>,
    vocab: Vocabulary,
    names: NameTable,
}

fn extract() -> Extracted {
    let lex = testing::lexicons();
    let ex = Extractor::new(&lex);
    let mut extracted = Vec::new();
    for (r, (_, _, sentences)) in REPORTS.iter().enumerate() {
        for (k, s) in sentences.iter().enumerate() {
            for mut m in ex.extract_sentence(s) {
                m.sentence = k;
                extracted.push((r as u32, m));
            }
        }
    }
    let (vocab, ids) = Vocabulary::of_mentions(extracted.iter().map(|m| &m.1));
    let names = Names::default();
    let claims: Vec<Claim> = extracted
        .iter()
        .map(|(_, m)| Claim::of(m, &names))
        .collect();
    Extracted {
        reports: extracted.iter().map(|(r, _)| *r).collect(),
        claims,
        ids,
        vocab,
        names: names.finish(),
    }
}

impl Extracted {
    fn corpus(&self, setting_aside: bool) -> Corpus<'_> {
        Corpus {
            facts: self
                .reports
                .iter()
                .zip(&self.claims)
                .zip(&self.ids)
                .map(|((r, c), ids)| MentionFacts {
                    report: *r,
                    mention: c,
                    concepts: ids,
                })
                .collect(),
            setting_aside,
            away: false,
            set_asides: 0,
            bring_backs: 0,
        }
    }
}

/// The reports' facts; with their signatures (for copy families) if asked.
fn report_facts(signatures: bool) -> Vec<ReportFacts> {
    REPORTS
        .iter()
        .map(|(id, outlet, sentences)| ReportFacts {
            id: id.to_string(),
            outlet: Some(outlet.to_string()),
            signature: signatures.then(|| Box::new(Signature::of(&sentences.join(" ")))),
            ..Default::default()
        })
        .collect()
}

#[test]
fn matching_reads_no_mention_while_they_are_set_aside_and_ends_as_without() {
    let x = extract();
    let run = |setting_aside: bool| {
        let mut reports = report_facts(false);
        let mut corpus = x.corpus(setting_aside);
        let a = analyse(&mut reports, &mut corpus, &x.vocab, &x.names);
        (seen(&a), corpus.set_asides, corpus.bring_backs)
    };
    let (kept, _, _) = run(false);
    let (set_aside, set_asides, bring_backs) = run(true);
    // The corpus is matched into several clusters, some of several mentions.
    assert!(kept.len() > 5, "{kept:?}");
    assert!(kept.iter().any(|c| c.3.len() > 2), "{kept:?}");
    assert_eq!(set_aside, kept);
    // Set aside for the copy families, the stories, from the forms to the
    // agglomeration, and once scored; brought back after each but the last.
    assert_eq!((set_asides, bring_backs), (4, 3));
}

/// The copy families are found on the thread pool while the rarity stage reads the
/// mentions on the calling thread (on one thread, one after the other): the families
/// and the clusters are the same whatever the number of threads, and no mention is read
/// while set aside.
#[test]
fn copy_families_found_beside_the_rarity_stage_are_the_same_on_any_number_of_threads() {
    let x = extract();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut reports = report_facts(true);
        let mut corpus = x.corpus(true);
        let a = pool.install(|| analyse(&mut reports, &mut corpus, &x.vocab, &x.names));
        // The signatures are the families', released once they are found.
        assert!(reports.iter().all(|r| r.signature.is_none()));
        (a.copy_family.clone(), seen(&a))
    };
    let one = run(1);
    // Report f is a copy of report a, and names its family by it; the others are their
    // own.
    let expected: Vec<usize> = (0..REPORTS.len())
        .map(|r| if r == 5 { 0 } else { r })
        .collect();
    assert_eq!(one.0, expected);
    assert!(one.1.len() > 5, "{:?}", one.1);
    for threads in [2, 3, 4] {
        assert_eq!(run(threads), one, "{threads} threads");
    }
}
