//! The two real seed reports (../shared/corpus/seeds) give an analyst the right picture.
//! Skips, saying why, where ../shared is absent.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn seeds_run(out: &Path, threads: &str) -> Option<()> {
    let seeds = shared_or_skip("corpus/seeds")?;
    let o = corro()
        .env("RAYON_NUM_THREADS", threads)
        .args([
            "run",
            seeds.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    Some(())
}

fn cluster_for(out: &Path, fragment: &str, kind: &str) -> Row {
    let claims = rows(&out.join("claims.csv"));
    let m = claims
        .iter()
        .find(|c| c["text"].contains(fragment) && c["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} mention in {fragment:?}"));
    let clusters = rows(&out.join("clusters.csv"));
    cluster(&clusters, &m["cluster_id"]).clone()
}

#[test]
fn about_a_thousand_fighters_is_one_claim_with_two_independent_origins() {
    let dir = tempfile::tempdir().unwrap();
    let Some(()) = seeds_run(dir.path(), "2") else {
        return;
    };
    let north_press = cluster_for(
        dir.path(),
        "register about a thousand armed mercenaries",
        "count",
    );
    let urdupoint = cluster_for(dir.path(), "around 1,000 fighters had signed up", "count");
    assert_eq!(north_press["cluster_id"], urdupoint["cluster_id"]);
    assert_eq!(north_press["unit"], "fighter");
    assert_eq!(north_press["origins_supporting"], "2");
    let ev = rows(&dir.path().join("evidence.csv"));
    assert_eq!(
        origins(&ev, &north_press["cluster_id"], "supports"),
        [
            "a Syrian national via CNN",
            "anonymous source via North Press"
        ]
    );
}

#[test]
fn fifteen_hundred_dollars_a_month_is_money_per_month() {
    let dir = tempfile::tempdir().unwrap();
    let Some(()) = seeds_run(dir.path(), "1") else {
        return;
    };
    let claims = rows(&dir.path().join("claims.csv"));
    let m = claims
        .iter()
        .find(|c| c["text"].contains("$1,500 per month") && c["kind"] == "money")
        .expect("money");
    assert_eq!(
        (
            m["value_low"].as_str(),
            m["value_high"].as_str(),
            m["unit"].as_str(),
            m["per"].as_str()
        ),
        ("1500", "1500", "USD", "month")
    );
}

#[test]
fn recruitment_claim_carries_the_denials_and_is_contested() {
    let dir = tempfile::tempdir().unwrap();
    let Some(()) = seeds_run(dir.path(), "2") else {
        return;
    };
    let c = cluster_for(
        dir.path(),
        "Mercenaries from Syria are being recruited",
        "event",
    );
    assert_eq!(c["verdict"], "contested");
    let ev = rows(&dir.path().join("evidence.csv"));
    assert_eq!(
        origins(&ev, &c["cluster_id"], "denies"),
        ["Azerbaijan (government)", "Omer Celik"]
    );
    let celik = cluster_for(dir.path(), "Omer Celik, a spokesman", "event");
    let baku = cluster_for(dir.path(), "These accusations were denied by Baku", "event");
    assert_eq!(celik["cluster_id"], c["cluster_id"]);
    assert_eq!(baku["cluster_id"], c["cluster_id"]);
    let sup = origins(&ev, &c["cluster_id"], "supports");
    for o in [
        "a Syrian national via CNN",
        "anonymous source via North Press",
        "anonymous source via Sputnik",
    ] {
        assert!(sup.contains(&o.to_string()), "{o} missing from {sup:?}");
    }
}

#[test]
fn years_are_not_quantities() {
    let dir = tempfile::tempdir().unwrap();
    let Some(()) = seeds_run(dir.path(), "1") else {
        return;
    };
    let claims = rows(&dir.path().join("claims.csv"));
    for c in &claims {
        for y in ["1988", "1990", "2020"] {
            assert_ne!(c["value_low"], y, "{c:?}");
        }
    }
}

#[test]
fn seeds_give_identical_bytes_on_one_and_two_threads() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let Some(()) = seeds_run(a.path(), "1") else {
        return;
    };
    seeds_run(b.path(), "2");
    for f in ["reports.csv", "claims.csv", "clusters.csv", "evidence.csv"] {
        let pa: PathBuf = a.path().join(f);
        assert_eq!(
            std::fs::read(&pa).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn seed_metadata_is_read_from_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let Some(()) = seeds_run(dir.path(), "2") else {
        return;
    };
    let reports = rows(&dir.path().join("reports.csv"));
    let np = reports
        .iter()
        .find(|r| r["report_id"].starts_with("000_"))
        .unwrap();
    assert_eq!(
        (
            np["outlet"].as_str(),
            np["place"].as_str(),
            np["author"].as_str()
        ),
        ("North Press", "AZAZ", "Khalid Hassan")
    );
    let up = reports
        .iter()
        .find(|r| r["report_id"].starts_with("001_"))
        .unwrap();
    assert_eq!(
        (
            up["outlet"].as_str(),
            up["relayed_via"].as_str(),
            up["place"].as_str(),
            up["published"].as_str()
        ),
        ("UrduPoint News", "Sputnik", "WASHINGTON", "2020-10-02")
    );
}
