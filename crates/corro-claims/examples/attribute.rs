//! Who speaks in each line of stdin, as attribution reads it with the shipped lexicons:
//! `cargo run --release -p corro-claims --example attribute < sentences.txt`. Lines are
//! one report's sentences in order (so "He said" finds its speaker); a blank line starts
//! a new report. Prints the speaker's name, kind and text as written, and the outlets it
//! came through — the quickest way to see why a claim got its origin.
use corro_claims::attribution::{self, Context};
use corro_claims::text::Tokens;
use std::io::BufRead;

fn main() {
    let lex = corro_claims::testing::lexicons();
    let mut ctx = Context::default();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            ctx = Context::default();
            println!("--");
            continue;
        }
        let toks = Tokens::new(&line);
        let cues = lex.cues.find_all(&toks);
        let a = attribution::attribute(&toks, &cues, &lex, &mut ctx);
        match a.speaker {
            Some(s) => println!(
                "{} ({}; written {:?}) via {:?} | {line}",
                s.name,
                s.kind.as_str(),
                s.text,
                a.via
            ),
            None => println!("(no speaker) | {line}"),
        }
    }
}
