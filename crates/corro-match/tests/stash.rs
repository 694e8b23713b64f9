//! The matcher may have the mentions' concepts moved out of memory between
//! `Mentions::stash_concepts` and `Mentions::unstash_concepts` (the run writes them to
//! disk there). These tests hold it to that: a corpus whose concepts vanish while stashed
//! — any read then panics — is matched exactly as one that keeps them. What it reads in
//! order through `Mentions::visit_concepts` it may read while they are stashed (the run
//! reads them from disk there), and this corpus lets it.

use corro_claims::{testing, Extractor};
use corro_match::{analyse, Analysis, Claim, MentionFacts, Mentions, Names, ReportFacts};
use corro_match::{Verdict, Vocabulary};

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

/// The corpus's mentions with their concepts either kept throughout or gone (and any
/// read of them a panic) while stashed.
struct Corpus<'a> {
    facts: Vec<MentionFacts<'a>>,
    stashing: bool,
    stashed: bool,
    stashes: usize,
    unstashes: usize,
    /// Visits in order while stashed.
    visits: std::sync::atomic::AtomicUsize,
}

impl Mentions for Corpus<'_> {
    fn len(&self) -> usize {
        self.facts.len()
    }
    fn report(&self, i: usize) -> u32 {
        self.facts[i].report
    }
    fn claim(&self, i: usize) -> &Claim {
        self.facts[i].mention
    }
    fn concepts(&self, i: usize) -> &[u32] {
        assert!(!self.stashed, "mention {i}'s concepts read while stashed");
        self.facts[i].concepts
    }
    fn visit_concepts(&self, visit: &mut dyn FnMut(usize, &[u32])) {
        // As from disk: in order, whether stashed or not.
        if self.stashed {
            self.visits
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        for (i, f) in self.facts.iter().enumerate() {
            visit(i, f.concepts);
        }
    }
    fn stash_concepts(&mut self) {
        if self.stashing {
            self.stashed = true;
            self.stashes += 1;
        }
    }
    fn unstash_concepts(&mut self) {
        if self.stashing {
            self.stashed = false;
            self.unstashes += 1;
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

#[test]
fn matching_reads_no_concept_while_they_are_stashed_and_ends_as_without_stashing() {
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
    let names = names.finish();
    let run = |stashing: bool| {
        let mut reports: Vec<ReportFacts> = REPORTS
            .iter()
            .map(|(id, outlet, _)| ReportFacts {
                id: id.to_string(),
                outlet: Some(outlet.to_string()),
                ..Default::default()
            })
            .collect();
        let mut corpus = Corpus {
            facts: extracted
                .iter()
                .zip(&claims)
                .zip(&ids)
                .map(|(((r, _), c), ids)| MentionFacts {
                    report: *r,
                    mention: c,
                    concepts: ids,
                })
                .collect(),
            stashing,
            stashed: false,
            stashes: 0,
            unstashes: 0,
            visits: Default::default(),
        };
        let a = analyse(&mut reports, &mut corpus, &vocab, &names);
        let visits = corpus.visits.into_inner();
        (seen(&a), corpus.stashes, corpus.unstashes, visits)
    };
    let (kept, _, _, _) = run(false);
    let (stashed, stashes, unstashes, visits) = run(true);
    // The corpus is matched into several clusters, some of several mentions.
    assert!(kept.len() > 5, "{kept:?}");
    assert!(kept.iter().any(|c| c.3.len() > 2), "{kept:?}");
    assert_eq!(stashed, kept);
    // Brought back for the stage that reads them at random (rarity and the stories'
    // vocabularies), set aside after it, and read in order while set aside from there
    // on (the forms, the clusters' ids).
    assert_eq!((unstashes, stashes), (1, 1));
    assert!(visits >= 2, "visited {visits} times while stashed");
}
