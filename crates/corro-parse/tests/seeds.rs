//! The two real reports the project started from (read in place from ../shared).

mod common;

use common::{read, sentences, shared};
use corro_parse::Status;
use jiff::civil::date;

fn seed(prefix: &str) -> Option<(String, Vec<u8>)> {
    let Some(dir) = shared().map(|s| s.join("corpus/seeds")) else {
        eprintln!("skipped: ../shared/corpus/seeds is absent (fresh clone)");
        return None;
    };
    let entry = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))?;
    let name = entry.file_name().to_string_lossy().into_owned();
    Some((name, std::fs::read(entry.path()).expect("seed readable")))
}

#[test]
fn seed_000_north_press() {
    let Some((name, bytes)) = seed("000_") else {
        return;
    };
    let r = read(&name, &bytes).remove(0);
    assert_eq!(r.status, Status::Ok, "{:?}", r.notes);
    assert_eq!(r.meta.outlet.as_deref(), Some("North Press"));
    assert!(r.meta.relayed_via.is_empty());
    assert_eq!(r.meta.place.as_deref(), Some("AZAZ"));
    assert_eq!(r.meta.author.as_deref(), Some("Khalid Hassan"));
    assert_eq!(
        r.meta.title.as_deref(),
        Some("Syrian opposition to send new batch of Syrian mercenaries to Azerbaijan")
    );
    assert_eq!(r.meta.language.as_deref(), Some("en"));
    let s = sentences(&r);
    assert_eq!(
        s[0],
        "Syrian opposition to send new batch of Syrian mercenaries to Azerbaijan"
    );
    assert!(
        s[1].starts_with("Private sources informed North Press"),
        "{}",
        s[1]
    );
    assert!(s.iter().all(|t| !t.contains("Reporting by")));
    assert!(
        s.iter().all(|t| !t.contains("(North Press)")),
        "dateline is not a sentence"
    );
    assert!(s.contains(&"The source added that more than 150 militants from the various Syrian groups had registered their names to enter Turkey and later Azerbaijan."));
    assert_eq!(s.len(), 12, "headline + 11 one-sentence paragraphs: {s:#?}");
}

#[test]
fn seed_001_urdupoint_relaying_sputnik() {
    let Some((name, bytes)) = seed("001_") else {
        return;
    };
    let r = read(&name, &bytes).remove(0);
    assert_eq!(r.status, Status::Ok, "{:?}", r.notes);
    assert_eq!(r.meta.outlet.as_deref(), Some("UrduPoint News"));
    assert_eq!(r.meta.relayed_via, ["Sputnik"]);
    assert_eq!(r.meta.place.as_deref(), Some("WASHINGTON"));
    assert_eq!(r.meta.published, Some(date(2020, 10, 2)));
    let title = r.meta.title.as_deref().unwrap_or_default();
    assert!(
        title.starts_with("Mercenaries from Syria are being recruited"),
        "{title}"
    );
    assert!(title.ends_with("signed up for the deployment"), "{title}");
    let s = sentences(&r);
    assert_eq!(s[0], title, "the headline is sentence 0");
    assert!(s[1].starts_with("Mercenaries from Syria"), "{}", s[1]);
    assert!(
        s.iter().all(|t| !t.contains("UrduPoint")),
        "dateline is not a sentence"
    );
    assert!(s.contains(
        &"These accusations were denied by Baku and there has been no further confirmation."
    ));
}
