//! Spreadsheet formula injection (../shared/SPEC.md, "Outputs"): every dangerous first
//! character (`=`, `+`, `-`, `@`, tab, carriage return) reaching every output column that
//! carries input text comes out behind a `'`. Inputs come as file names, `.txt` header
//! lines and JSONL fields, where tab and carriage return survive (JSON escapes them, and
//! fields such as `id` are taken as written). Columns whose text corro composes or
//! recognises (place, speaker, unit, explanation) cannot start with these characters,
//! and are covered by the check that no cell in any file does.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::Path;

const PREFIXES: [&str; 6] = ["=", "+", "-", "@", "\t", "\r"];
const DANGEROUS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Columns that hold numbers, not text: `-0.5` there is a number.
const NUMERIC: [&str; 4] = ["score", "weight", "value_low", "value_high"];

fn write_inputs(dir: &Path) {
    let mut jsonl = String::new();
    // Each prefix with its own story, so that each has its own clusters.
    let stories = [
        ("Turkey", 150, "Syrian fighters", "Azerbaijan"),
        ("Russia", 3000, "mercenaries", "Libya"),
        ("Iran", 47000, "soldiers", "Yemen"),
        ("France", 800, "troops", "Mali"),
        ("Egypt", 12, "pilots", "Sudan"),
        ("Chad", 60000, "militants", "Niger"),
    ];
    for (i, p) in PREFIXES.iter().enumerate() {
        let (who, n, what, to) = stories[i];
        // Two reports of one claim from two outlets, so clusters, evidence and
        // explanations carry the outlet names; one of them a denial.
        for (k, verb) in ["sent", "denied sending"].iter().enumerate() {
            let line = serde_json::json!({
                "id": format!("{p}id{i}{k}"),
                "outlet": format!("{p}Outlet{i}{k}"),
                "author": format!("{p}Author{i}"),
                "title": format!("{p}Title{i}"),
                "url": format!("{p}http://x/{i}"),
                "text": format!(
                    "{p}SUM(A1) Omer Celik said {who} {verb} {n} {what} to {to}.\n\n\
                     {p}HYPERLINK(\"x\") the ministry said {n} {what} were paid ${n} per month."
                ),
            });
            jsonl.push_str(&line.to_string());
            jsonl.push('\n');
        }
    }
    for (i, p) in PREFIXES.iter().enumerate() {
        // A language field is kept as written when it is no code corro knows (the
        // report is then skipped as not English, so it gets a record of its own).
        let line = serde_json::json!({
            "id": format!("lang{i}"),
            "language": format!("{p}xx"),
            "text": "Le ministre a dit que des combattants sont arrives.",
        });
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    std::fs::write(dir.join("feed.jsonl"), jsonl).unwrap();
    for (i, p) in PREFIXES.iter().enumerate() {
        // A file name starting with the prefix: report id, path, and (empty file) note.
        std::fs::write(
            dir.join(format!("{p}name{i}.txt")),
            format!("outlet: {p}Header Outlet\nauthor: {p}Header Author\n\nTurkey sent 150 Syrian fighters to Azerbaijan, Omer Celik said.\n"),
        )
        .unwrap();
        std::fs::write(dir.join(format!("{p}empty{i}.txt")), "").unwrap();
    }
}

#[test]
fn every_dangerous_prefix_is_neutralised_in_every_text_column() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    write_inputs(&inp);
    let out = tmp.path().join("out");
    let o = run(&[
        "run",
        inp.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    // 1. No text cell anywhere starts with a dangerous character.
    let mut reached: BTreeSet<(String, String, char)> = BTreeSet::new();
    for file in ["reports.csv", "claims.csv", "clusters.csv", "evidence.csv"] {
        for row in rows(&out.join(file)) {
            for (col, v) in &row {
                if NUMERIC.contains(&col.as_str()) {
                    assert!(
                        v.is_empty() || v.parse::<f64>().is_ok(),
                        "{file} {col}: {v:?}"
                    );
                    continue;
                }
                assert!(
                    !v.starts_with(DANGEROUS),
                    "{file} column {col} starts with a formula character: {v:?}"
                );
                // Record which columns the injected text reached, behind its `'`.
                if let Some(c) = v.strip_prefix('\'').and_then(|r| r.chars().next()) {
                    if DANGEROUS.contains(&c) {
                        reached.insert((file.to_string(), col.clone(), c));
                    }
                }
            }
        }
    }

    // 2. The injected text did reach each column that carries input text, with every
    //    prefix, so the check above is not vacuous.
    let expect: &[(&str, &str, &[char])] = &[
        ("reports.csv", "report_id", &DANGEROUS),
        ("reports.csv", "path", &DANGEROUS),
        ("reports.csv", "note", &DANGEROUS),
        ("reports.csv", "copy_family", &DANGEROUS),
        // Outlet, author and title are tidied (white space trimmed), so tab and CR go.
        ("reports.csv", "outlet", &['=', '+', '-', '@']),
        ("reports.csv", "author", &['=', '+', '-', '@']),
        ("reports.csv", "title", &['=', '+', '-', '@']),
        ("reports.csv", "language", &['=', '+', '-', '@']),
        ("claims.csv", "claim_id", &DANGEROUS),
        ("claims.csv", "report_id", &DANGEROUS),
        // Sentences are trimmed and CR is a line break, so tab and CR go.
        ("claims.csv", "text", &['=', '+', '-', '@']),
        // The origin of a claim the outlet makes in its own voice is the outlet.
        ("claims.csv", "origin", &['=', '+', '-', '@']),
        ("evidence.csv", "origin", &['=', '+', '-', '@']),
        ("clusters.csv", "label", &['=', '+', '-', '@']),
        ("clusters.csv", "first_outlet", &['=', '+', '-', '@']),
        ("evidence.csv", "report_id", &DANGEROUS),
        ("evidence.csv", "outlet", &['=', '+', '-', '@']),
        ("evidence.csv", "quote", &['=', '+', '-', '@']),
    ];
    let mut missing = Vec::new();
    for (file, col, chars) in expect {
        for c in *chars {
            if !reached.contains(&(file.to_string(), col.to_string(), *c)) {
                missing.push(format!("{file}:{col}:{c:?}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "injected text never reached: {missing:?}\nreached: {reached:?}"
    );
}
