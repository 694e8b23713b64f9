//! The bundled sample corpus gives the picture written down in data/sample/EXPECTED.md.

mod common;
use common::*;
use std::path::PathBuf;

struct Run {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

fn sample() -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run_sample(&out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    Run { _dir: dir, out }
}

/// The cluster that the mentions of a sentence fragment belong to, by kind.
fn cluster_of(run: &Run, fragment: &str, kind: &str) -> Row {
    let claims = rows(&run.out.join("claims.csv"));
    let ids: Vec<&str> = claims
        .iter()
        .filter(|c| c["text"].contains(fragment) && c["kind"] == kind)
        .map(|c| c["cluster_id"].as_str())
        .collect();
    assert!(
        !ids.is_empty(),
        "no {kind} mention in a sentence containing {fragment:?}"
    );
    let clusters = rows(&run.out.join("clusters.csv"));
    cluster(&clusters, ids[0]).clone()
}

#[test]
fn every_report_has_a_row_and_the_spanish_one_is_skipped_with_a_reason() {
    let run = sample();
    let reports = rows(&run.out.join("reports.csv"));
    assert_eq!(reports.len(), 15);
    assert_eq!(reports.iter().filter(|r| r["status"] == "ok").count(), 14);
    let es = reports
        .iter()
        .find(|r| r["report_id"] == "13_tarsk_herald_es.txt")
        .unwrap();
    assert_eq!(
        (es["status"].as_str(), es["language"].as_str()),
        ("skipped", "es")
    );
    assert!(es["note"].contains("not English"), "{}", es["note"]);
    assert!(
        reports.iter().all(|r| !r["published"].is_empty()),
        "every sample report is dated"
    );
}

#[test]
fn syndicated_copy_and_relays_are_recognised() {
    let run = sample();
    let reports = rows(&run.out.join("reports.csv"));
    let get = |id: &str| {
        reports
            .iter()
            .find(|r| r["report_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        get("02_coastline_syndicated.txt")["copy_family"],
        "01_cw_deployment.txt"
    );
    assert_eq!(
        get("02_coastline_syndicated.txt")["relayed_via"],
        "Continental Wire"
    );
    assert_eq!(
        get("03_brenholt_post_minister.txt")["copy_family"],
        "03_brenholt_post_minister.txt"
    );
    let relay = get("07_northgate_relay.txt");
    assert_eq!(
        (relay["outlet"].as_str(), relay["relayed_via"].as_str()),
        ("Northgate News", "Continental Wire")
    );
    assert_eq!(relay["published"], "2031-03-05");
}

#[test]
fn the_deployment_claim_is_contested_with_each_origin_counted_once() {
    let run = sample();
    let c = cluster_of(
        &run,
        "Valdoria has sent about 800 fighters of the Harrow Brigade",
        "event",
    );
    assert_eq!(c["verdict"], "contested");
    let ev = rows(&run.out.join("evidence.csv"));
    let id = &c["cluster_id"];
    assert_eq!(
        origins(&ev, id, "supports"),
        [
            "Continental Wire",
            "Dara Vell",
            "Morvania (government)",
            "Ossel Monitor",
            "anonymous source via Ossel Observer"
        ]
    );
    assert_eq!(
        origins(&ev, id, "denies"),
        ["Kestria (government)", "Valdoria (government)"]
    );
    assert_eq!(origins(&ev, id, "discusses"), ["Radio Meridian"]);
    assert_eq!(c["origins_supporting"], "5");
    assert_eq!(c["origins_denying"], "2");
    // Reach is not support: the copy and the second quotation are rows with weight 0.
    let copy = evidence_of(&ev, id)
        .into_iter()
        .find(|e| e["report_id"] == "02_coastline_syndicated.txt")
        .expect("the copy is evidence");
    assert_eq!(copy["weight"], "0");
    assert!(
        copy["note"].contains("copy of 01_cw_deployment.txt"),
        "{}",
        copy["note"]
    );
    let quoted_again = evidence_of(&ev, id)
        .into_iter()
        .find(|e| e["report_id"] == "03_brenholt_post_minister.txt")
        .expect("the second quotation is evidence");
    assert_eq!(
        (
            quoted_again["origin"].as_str(),
            quoted_again["weight"].as_str()
        ),
        ("Morvania (government)", "0")
    );
}

#[test]
fn about_800_is_corroborated_with_conflicting_figures_and_one_series() {
    let run = sample();
    let c = cluster_of(
        &run,
        "Valdoria has sent about 800 fighters of the Harrow Brigade",
        "count",
    );
    assert_eq!(
        (c["kind"].as_str(), c["unit"].as_str()),
        ("count", "fighter")
    );
    assert_eq!(
        (num(&c, "value_low"), num(&c, "value_high")),
        (Some(720.0), Some(880.0))
    );
    assert_eq!(c["origins_supporting"], "4");
    assert_eq!(c["verdict"], "corroborated");
    assert_eq!(c["value_conflict"], "true");
    assert!(
        c["explanation"].contains("series from Ossel Monitor: 1200 → 1450 → 2580"),
        "{}",
        c["explanation"]
    );
    // The lawmaker's 3,000 is a competing answer to the same question.
    let vell = cluster_of(&run, "Valdoria had sent 3,000 fighters", "count");
    assert_eq!(vell["cluster_id"], c["cluster_id"]);
}

#[test]
fn two_thousand_a_month_is_one_origin_however_often_reported() {
    let run = sample();
    let c = cluster_of(&run, "are paid $2,000 a month", "money");
    assert_eq!((c["unit"].as_str(), c["per"].as_str()), ("USD", "month"));
    assert_eq!(
        (num(&c, "value_low"), num(&c, "value_high")),
        (Some(2000.0), Some(2000.0))
    );
    assert!(
        c["reports"].parse::<usize>().unwrap() >= 3,
        "reported by several outlets"
    );
    assert_eq!(c["origins_supporting"], "1");
    assert_eq!(c["origins_denying"], "1");
    assert_eq!(c["verdict"], "contested");
}

#[test]
fn twelve_killed_is_corroborated_by_two_independent_origins() {
    let run = sample();
    let c = cluster_of(&run, "12 Valdorian fighters had been killed", "count");
    assert_eq!(num(&c, "value_low"), Some(12.0));
    assert_eq!(c["verdict"], "corroborated");
    let ev = rows(&run.out.join("evidence.csv"));
    assert_eq!(
        origins(&ev, &c["cluster_id"], "supports"),
        ["Ossel Monitor", "anonymous source via Ossel Observer"]
    );
}

#[test]
fn hedges_and_questions_discuss_and_years_are_not_quantities() {
    let run = sample();
    let claims = rows(&run.out.join("claims.csv"));
    for fragment in [
        "have reportedly been sent",
        "Are Valdorian fighters being paid",
    ] {
        let ms = claims_with(&claims, fragment);
        assert!(!ms.is_empty(), "{fragment}");
        assert!(
            ms.iter().all(|m| m["stance"] == "discusses"),
            "{fragment}: {ms:?}"
        );
    }
    assert!(
        claims
            .iter()
            .all(|c| c["value_low"] != "2024" && c["value_low"] != "2031"),
        "years are not quantities"
    );
}
