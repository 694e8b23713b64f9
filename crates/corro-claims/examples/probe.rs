//! Prints the mentions corro-claims finds in report files: `cargo run --example probe FILE...`
use corro_claims::{testing, Extractor};
fn main() {
    let lex = testing::lexicons();
    let ex = Extractor::new(&lex);
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("read");
        for r in corro_parse::read_source(&path, &bytes, &Default::default(), &lex.outlets) {
            println!(
                "== {} {:?} outlet={:?} via={:?}",
                r.id, r.status, r.meta.outlet, r.meta.relayed_via
            );
            for m in ex.extract(&r) {
                println!(
                    "[{}] {} {} spk={:?} via={:?} cue={:?} q={:?}\n     {}\n     {:?}",
                    m.sentence,
                    m.kind.as_str(),
                    m.stance.as_str(),
                    m.speaker
                        .as_ref()
                        .map(|s| (&s.name, s.kind.as_str(), &s.role)),
                    m.via,
                    m.cue,
                    m.quantity
                        .as_ref()
                        .map(|q| (q.low, q.high, &q.unit, &q.per)),
                    r.sentence_text(m.sentence),
                    m.concepts
                );
            }
        }
    }
}
