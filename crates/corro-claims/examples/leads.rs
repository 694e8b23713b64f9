//! Prints the lead mention of the given report ids in a report CSV: `leads FILE ID...`
use corro_claims::{testing, Extractor};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lex = testing::lexicons();
    let ex = Extractor::new(&lex);
    let bytes = std::fs::read(&args[1]).expect("read");
    for r in corro_parse::read_source(&args[1], &bytes, &Default::default(), &lex.outlets) {
        if !args[2..].contains(&r.id) {
            continue;
        }
        let ms = ex.extract(&r);
        if let Some(m) = ms.iter().find(|m| m.sentence == 0) {
            println!("{} [{}] {:?}", r.id, r.sentences.len(), m.concepts);
        }
    }
}
