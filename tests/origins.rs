//! Who an origin is: the same speaker written in two cases is one origin, shown in the
//! form most of its mentions use; a person named by surname alone is the cluster's one
//! person of that surname.

mod common;
use common::*;
use std::path::Path;

/// Runs corro over `reports` (file, outlet, text) and returns the output directory.
fn run_reports(dir: &Path, reports: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let input = dir.join("in");
    std::fs::create_dir(&input).unwrap();
    for (file, outlet, text) in reports {
        std::fs::write(
            input.join(file),
            format!("outlet: {outlet}\ndate: 2024-05-01\n\n{text}\n"),
        )
        .unwrap();
    }
    let out = dir.join("out");
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
    out
}

/// The cluster of the count mention in report `file`.
fn count_cluster(out: &Path, file: &str) -> Row {
    let claims = rows(&out.join("claims.csv"));
    let m = claims
        .iter()
        .find(|c| c["kind"] == "count" && c["report_id"] == file)
        .unwrap_or_else(|| panic!("no count in {file}"));
    cluster(&rows(&out.join("clusters.csv")), &m["cluster_id"]).clone()
}

#[test]
fn a_surname_alone_is_the_one_person_of_the_cluster_with_that_surname() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_reports(
        dir.path(),
        &[
            (
                "a.txt",
                "Alpha Times",
                "Pentagon spokesman John Kirby said 300 fighters were killed in the strike near Raqqa.",
            ),
            (
                "b.txt",
                "Beta Post",
                "Kirby said that 300 fighters had been killed in the air strike close to Raqqa on Monday.",
            ),
        ],
    );
    let c = count_cluster(&out, "a.txt");
    assert_eq!(c["reports"], "2");
    assert_eq!(c["origins_supporting"], "1", "{}", c["explanation"]);
    assert!(
        c["explanation"].contains("1 supporting (John Kirby)")
            && c["explanation"].contains("Kirby read as John Kirby"),
        "{}",
        c["explanation"]
    );
}

#[test]
fn a_surname_two_people_of_the_cluster_share_stays_its_own_origin() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_reports(
        dir.path(),
        &[
            (
                "a.txt",
                "Alpha Times",
                "Homeland Security Secretary Jeh Johnson said 300 fighters were killed in the strike near Raqqa.",
            ),
            (
                "b.txt",
                "Beta Post",
                "Witness Dorian Johnson said that 300 fighters had been killed in the air strike close to Raqqa.",
            ),
            (
                "c.txt",
                "Gamma News",
                "Johnson said 300 fighters were killed in a strike near the city of Raqqa on Monday.",
            ),
        ],
    );
    let c = count_cluster(&out, "a.txt");
    assert_eq!(c["reports"], "3");
    assert_eq!(c["origins_supporting"], "3", "{}", c["explanation"]);
    assert!(
        !c["explanation"].contains("read as"),
        "{}",
        c["explanation"]
    );
}

#[test]
fn a_speaker_written_in_two_cases_is_one_origin() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_reports(
        dir.path(),
        &[
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
        ],
    );
    let c = count_cluster(&out, "a.txt");
    assert_eq!(c["reports"], "3");
    assert_eq!(c["origins_supporting"], "1", "{}", c["explanation"]);
    // Two of the three mentions write "Ottawa police": that is the form shown, in every
    // row that names the origin.
    let ev = rows(&out.join("evidence.csv"));
    let shown: Vec<&str> = evidence_of(&ev, &c["cluster_id"])
        .iter()
        .map(|e| e["origin"].as_str())
        .collect();
    assert_eq!(shown, ["Ottawa police"; 3]);
    assert!(rows(&out.join("claims.csv"))
        .iter()
        .filter(|r| r["cluster_id"] == c["cluster_id"])
        .all(|r| r["origin"] == "Ottawa police"));
}

#[test]
fn a_title_and_a_surname_is_the_full_name_of_the_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_reports(
        dir.path(),
        &[
            (
                "a.txt",
                "Alpha Times",
                "Barack Obama said 300 fighters were killed in the strike near Raqqa.",
            ),
            (
                "b.txt",
                "Beta Post",
                "President Obama said that 300 fighters had been killed in the air strike close to Raqqa on Monday.",
            ),
        ],
    );
    let c = count_cluster(&out, "a.txt");
    assert_eq!(c["reports"], "2");
    assert_eq!(c["origins_supporting"], "1", "{}", c["explanation"]);
    assert!(
        c["explanation"].contains("Obama read as Barack Obama"),
        "{}",
        c["explanation"]
    );
}
