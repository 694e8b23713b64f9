//! Shared by the integration tests: the real outlet lexicon, and one-line readers.
#![allow(dead_code)]

use corro_parse::{read_source, Limits, OutletLexicon, Report};

/// The lexicon the binary embeds.
pub fn outlets() -> OutletLexicon {
    OutletLexicon::from_csv(include_str!("../../../../data/outlets.csv"))
        .expect("outlets.csv loads")
}

/// Reads one source with default limits and the real lexicon.
pub fn read(name: &str, bytes: &[u8]) -> Vec<Report> {
    read_source(name, bytes, &Limits::default(), &outlets())
}

/// Reads one `.txt` report.
pub fn read_txt(text: &str) -> Report {
    let mut r = read("r.txt", text.as_bytes());
    assert_eq!(r.len(), 1, "one report per .txt");
    r.remove(0)
}

/// The sentences of a report, as text.
pub fn sentences(r: &Report) -> Vec<&str> {
    (0..r.sentences.len()).map(|i| r.sentence_text(i)).collect()
}

/// `../shared` beside the project checkout, if present.
pub fn shared() -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    p.is_dir().then_some(p)
}
