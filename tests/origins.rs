//! Who an origin is: the same speaker written in two cases is one origin, shown in the
//! form most of its mentions use.

mod common;
use common::*;

#[test]
fn a_speaker_written_in_two_cases_is_one_origin() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for (file, outlet, text) in [
        (
            "a.txt",
            "Alpha Times",
            "Ottawa Police said 12 people were wounded in the shooting near the parliament on Wednesday.",
        ),
        (
            "b.txt",
            "Beta Post",
            "Twelve people were wounded in a shooting near parliament, Ottawa police said on Thursday.",
        ),
        (
            "c.txt",
            "Gamma News",
            "Ottawa police said that 12 people had been wounded in the parliament shooting.",
        ),
    ] {
        std::fs::write(
            input.join(file),
            format!("outlet: {outlet}\ndate: 2024-05-01\n\n{text}\n"),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let o = corro()
        .args([
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let claims = rows(&out.join("claims.csv"));
    let m = claims
        .iter()
        .find(|c| c["kind"] == "count" && c["report_id"] == "a.txt")
        .expect("the count of wounded");
    let clusters = rows(&out.join("clusters.csv"));
    let c = cluster(&clusters, &m["cluster_id"]);
    assert_eq!(c["reports"], "3");
    assert_eq!(c["origins_supporting"], "1", "{}", c["explanation"]);
    // Two of the three mentions write "Ottawa police": that is the form shown, in every
    // row that names the origin.
    let ev = rows(&out.join("evidence.csv"));
    let shown: Vec<&str> = evidence_of(&ev, &m["cluster_id"])
        .iter()
        .map(|e| e["origin"].as_str())
        .collect();
    assert_eq!(shown, ["Ottawa police"; 3]);
    assert!(claims
        .iter()
        .filter(|r| r["cluster_id"] == m["cluster_id"])
        .all(|r| r["origin"] == "Ottawa police"));
}
