//! The output contract (../shared/SPEC.md): file set, columns in order, atomic and
//! deterministic writing, spreadsheet-safe cells.

mod common;
use common::*;

#[test]
fn every_output_has_the_contract_columns_in_order() {
    let out = tempfile::tempdir().unwrap();
    let o = run_sample(out.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expect: &[(&str, &str)] = &[
        ("reports.csv", "report_id,path,outlet,relayed_via,published,place,author,title,language,sentences,claims,copy_family,status,note"),
        ("claims.csv", "claim_id,report_id,sentence,start,end,text,kind,stance,attributed_to,via,value_low,value_high,approx,unit,per,cluster_id,origin"),
        ("clusters.csv", "cluster_id,label,kind,value_low,value_high,unit,per,mentions,reports,outlets,origins_supporting,origins_denying,origins_discussing,first_seen,first_outlet,last_seen,score,verdict,value_conflict,explanation"),
        // `note` is an addition at the end, as the contract allows.
        ("evidence.csv", "cluster_id,report_id,outlet,origin,stance,weight,quote,note"),
    ];
    for (file, cols) in expect {
        assert_eq!(header(&out.path().join(file)).join(","), *cols, "{file}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["schema_version"], 1);
    assert!(summary["reports"]["ok"].as_u64().unwrap() > 0);
    assert!(summary["timings"].is_object());
}

#[test]
fn outputs_are_identical_for_any_thread_count() {
    let mut outs = Vec::new();
    for threads in ["1", "2", "8"] {
        let dir = tempfile::tempdir().unwrap();
        let mut c = corro();
        c.env("RAYON_NUM_THREADS", threads).args([
            "run",
            root().join("data/sample/reports").to_str().unwrap(),
            "--lexicons",
            root().join("data/sample/lexicons").to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
            "--quiet",
        ]);
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        outs.push(dir);
    }
    for file in ["reports.csv", "claims.csv", "clusters.csv", "evidence.csv"] {
        let a = std::fs::read(outs[0].path().join(file)).unwrap();
        for o in &outs[1..] {
            assert!(
                a == std::fs::read(o.path().join(file)).unwrap(),
                "{file} differs between thread counts"
            );
        }
    }
}

#[test]
fn no_temporary_files_are_left_behind() {
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample(out.path(), &[]).status.success());
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "claims.csv",
            "clusters.csv",
            "evidence.csv",
            "report.html",
            "reports.csv",
            "summary.json"
        ]
    );
}

#[test]
fn formula_like_text_is_neutralised_in_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    // Every dangerous prefix, in fields that reach each output file.
    for (i, p) in ["=", "+", "-", "@", "\t"].iter().enumerate() {
        std::fs::write(
            inp.join(format!("r{i}.txt")),
            format!("outlet: {p}Evil Outlet\nauthor: {p}cmd|' /C calc'!A0\n\n{p}HYPERLINK(\"x\") Omer Celik said Turkey sent Syrian fighters to Azerbaijan.\n"),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let o = run(&[
        "run",
        inp.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for file in ["reports.csv", "claims.csv", "clusters.csv", "evidence.csv"] {
        for row in rows(&out.join(file)) {
            for (col, v) in &row {
                if ["score", "weight", "value_low", "value_high"].contains(&col.as_str()) {
                    continue; // numbers, not text
                }
                assert!(
                    !v.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{file} column {col} starts with a formula character: {v:?}"
                );
            }
        }
    }
    let reports = rows(&out.join("reports.csv"));
    // The header line's value is trimmed, so the tab case (r4) arrives without its tab.
    assert!(
        reports
            .iter()
            .filter(|r| r["path"] != "r4.txt")
            .all(|r| r["outlet"].starts_with('\'')),
        "prefix kept visible: {reports:?}"
    );
}
