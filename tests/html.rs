//! report.html without a browser: well-formed, self-contained, complete, escaped.
//! (scripts/screenshot-report.sh renders it in a real one.)

mod common;
use common::*;

/// Elements that have no end tag in HTML.
const VOID: &[&str] = &["meta", "input", "br", "img", "hr", "link"];

/// Checks that every element is closed in order, attributes are quoted, and no stray `<`
/// or `&` appears in text; skips the raw text of <style> and <script>. Returns the tags
/// seen, in order.
fn check_well_formed(html: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut tags = Vec::new();
    let mut rest = html.strip_prefix("<!DOCTYPE html>").ok_or("no doctype")?;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt])?;
        rest = &rest[lt + 1..];
        let gt = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .ok_or_else(|| format!("</{name}> closes nothing"))?;
            if open != name {
                return Err(format!("</{name}> closes <{open}>"));
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            return Err(format!("stray '<' before {:?}", &tag[..tag.len().min(20)]));
        }
        if tag.matches('"').count() % 2 != 0 {
            return Err(format!("unbalanced quotes in <{tag}>"));
        }
        check_attributes(tag[name.len()..].trim_end_matches('/'))
            .map_err(|e| format!("{e} in <{tag}>"))?;
        tags.push(name.clone());
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        if name == "script" || name == "style" {
            let end = format!("</{name}>");
            let at = rest
                .find(&end)
                .ok_or_else(|| format!("<{name}> never ends"))?;
            rest = &rest[at + end.len()..];
            continue;
        }
        stack.push(name);
    }
    check_text(rest)?;
    if !stack.is_empty() {
        return Err(format!("never closed: {stack:?}"));
    }
    Ok(tags)
}

/// `name` or `name="value"` pairs separated by spaces, values free of `<`, `>` and bare
/// `&`.
fn check_attributes(mut a: &str) -> Result<(), String> {
    loop {
        a = a.trim_start();
        if a.is_empty() {
            return Ok(());
        }
        let name_len = a
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(a.len());
        if name_len == 0 {
            return Err(format!("bad attribute at {a:?}"));
        }
        a = &a[name_len..];
        if let Some(v) = a.strip_prefix('=') {
            let v = v.strip_prefix('"').ok_or("unquoted attribute")?;
            let end = v.find('"').ok_or("unterminated attribute")?;
            if v[..end].contains('<') {
                return Err("'<' in an attribute".into());
            }
            check_text(&v[..end])?;
            a = &v[end + 1..];
        }
    }
}

fn check_text(t: &str) -> Result<(), String> {
    for (i, _) in t.match_indices('&') {
        let ent = &t[i..];
        let end = ent.find(';').ok_or("bare '&'")?;
        let name = &ent[1..end];
        let ok = ["amp", "lt", "gt", "quot", "#39"].contains(&name);
        if !ok {
            return Err(format!("unknown entity &{name};"));
        }
    }
    Ok(())
}

fn html_of(out: &std::path::Path) -> String {
    std::fs::read_to_string(out.join("report.html")).expect("report.html is written")
}

#[test]
fn the_checker_catches_what_it_should() {
    assert!(check_well_formed("<!DOCTYPE html><p>a</p>").is_ok());
    for bad in [
        "<!DOCTYPE html><p>a",
        "<!DOCTYPE html><p><b>a</p></b>",
        "<!DOCTYPE html><p>1 < 2</p>",
        "<!DOCTYPE html><p>a & b</p>",
        "<!DOCTYPE html><p class=x>a</p>",
        "<!DOCTYPE html><p title=\"a & b\">a</p>",
        "<p>no doctype</p>",
    ] {
        assert!(check_well_formed(bad).is_err(), "{bad}");
    }
}

#[test]
fn report_html_is_well_formed_complete_and_self_contained() {
    let out = tempfile::tempdir().unwrap();
    let o = run_sample(out.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = html_of(out.path());
    let tags = check_well_formed(&html).unwrap_or_else(|e| panic!("{e}"));
    assert!(tags.contains(&"table".to_string()) && tags.contains(&"script".to_string()));
    let clusters = rows(&out.path().join("clusters.csv"));
    assert!(!clusters.is_empty());
    for c in &clusters {
        assert!(
            html.contains(&format!("data-id=\"{}\"", c["cluster_id"])),
            "{} missing",
            c["cluster_id"]
        );
    }
    let evidence = rows(&out.path().join("evidence.csv"));
    for e in &evidence {
        let quote = e["quote"]
            .replace('&', "&amp;")
            .replace('\'', "&#39;")
            .replace('"', "&quot;");
        assert!(html.contains(&quote), "quote missing: {}", e["quote"]);
    }
    // Nothing is fetched: no URLs at all in the page the sample makes, no resource
    // attributes, no CSS imports.
    for needle in [
        "http://", "https://", " src=", " href=", "@import", "url(", "//cdn",
    ] {
        assert!(!html.contains(needle), "report.html contains {needle:?}");
    }
    // The filters and the sort are there.
    for id in ["f-verdict", "f-kind", "f-text", "data-key=\"score\""] {
        assert!(html.contains(id), "{id}");
    }
}

#[test]
fn report_text_cannot_inject_markup() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(
        inp.join("evil.txt"),
        "outlet: <img src=x onerror=alert(1)>\ntitle: Turkey sent Syrian fighters to Azerbaijan <script>alert('t')</script>\n\n\
         Omer Celik said Turkey sent Syrian fighters to Azerbaijan </script><script>alert(\"b\")</script> & more.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "run",
        inp.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let claims = rows(&out.join("claims.csv"));
    assert!(
        claims.iter().any(|c| c["text"].contains("<script>")),
        "the hostile text reaches the outputs: {claims:?}"
    );
    let html = html_of(&out);
    check_well_formed(&html).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only corro's own script"
    );
    assert!(!html.contains("<img"), "no markup from the report");
    assert!(
        html.contains("&lt;script&gt;alert("),
        "the text is shown, escaped"
    );
}

#[test]
fn an_empty_run_still_has_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "run",
        inp.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = html_of(&out);
    check_well_formed(&html).unwrap_or_else(|e| panic!("{e}"));
    assert!(html.contains("0 cluster(s)"));
}

#[test]
fn a_large_run_shows_its_most_evidenced_clusters_and_the_whole_runs_totals() {
    // A generated corpus with more clusters than the page shows.
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = gen_and_run(dir.path(), 400, 3, &[], &["--page-clusters", "40"]);
    let clusters = rows(&out.join("clusters.csv"));
    assert!(clusters.len() > 40, "{} clusters", clusters.len());
    let html = html_of(&out);
    check_well_formed(&html).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(html.matches("<tbody data-id=").count(), 40);
    assert!(html.contains(&format!(
        "This page shows 40 of the run's {} clusters",
        clusters.len()
    )));
    // The totals are the run's, not the page's.
    let claims = rows(&out.join("claims.csv"));
    assert!(html.contains(&format!(
        "{} claim mention(s) · {} cluster(s)",
        claims.len(),
        clusters.len()
    )));
    let contested = clusters
        .iter()
        .filter(|c| c["verdict"] == "contested")
        .count();
    assert!(html.contains(&format!(
        "<span class=\"v v-contested\">contested</span> {contested}</span>"
    )));
    // Shown: the clusters with the most origins; every cluster with more origins than
    // the least-evidenced one shown is on the page.
    let origins = |c: &common::Row| {
        [
            "origins_supporting",
            "origins_denying",
            "origins_discussing",
        ]
        .iter()
        .map(|k| c[*k].parse::<u64>().unwrap())
        .sum::<u64>()
    };
    let shown: Vec<&common::Row> = clusters
        .iter()
        .filter(|c| html.contains(&format!("data-id=\"{}\"", c["cluster_id"])))
        .collect();
    assert_eq!(shown.len(), 40);
    let least = shown.iter().map(|c| origins(c)).min().unwrap();
    for c in &clusters {
        if origins(c) > least {
            assert!(
                html.contains(&format!("data-id=\"{}\"", c["cluster_id"])),
                "{} has {} origins but is not shown",
                c["cluster_id"],
                origins(c)
            );
        }
    }
}
