//! `report.html`: one self-contained page an analyst can open from a CI artifact.
//!
//! A sortable, filterable table of the clusters (by verdict, kind, free text) with each
//! row expanding to its evidence rows and quotes, and, for clusters with values, a small
//! inline SVG of the values each origin reported over time.
//!
//! Self-contained means no network at all: CSS and JavaScript are inline, there are no
//! fonts, images or scripts from elsewhere, and the SVG needs no namespace URL. Every
//! piece of report text goes through [`esc`]; the script only reads `data-` attributes and
//! `textContent`, never builds markup from text, so a `<script>` in a report stays text.
//!
//! The page is a view of the CSVs ([`Outputs`]): it computes nothing the CSVs do not say.
//! Without JavaScript the table still lists every cluster; only sorting, filtering and
//! unfolding the evidence are lost.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::explain::{points, Outputs, Point, Totals};

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const STYLE: &str = r#"
:root { --fg:#1d2330; --muted:#5b6474; --line:#d9dee7; --bg:#fff; --head:#f3f5f9; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.counts span { display: inline-block; margin-right: 12px; }
.controls { display: flex; gap: 16px; align-items: end; flex-wrap: wrap; margin: 12px 0; padding: 10px 12px; background: var(--head); border: 1px solid var(--line); border-radius: 6px; }
.controls label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
.controls input, .controls select { font: inherit; padding: 3px 6px; min-width: 160px; }
#shown { margin-left: auto; color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--head); position: sticky; top: 0; cursor: pointer; user-select: none; white-space: nowrap; }
thead th[aria-sort=ascending]::after { content: " \25B2"; font-size: 10px; }
thead th[aria-sort=descending]::after { content: " \25BC"; font-size: 10px; }
td.date { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.row { cursor: pointer; }
tr.row:hover { background: #f7f9fc; }
tr.row td:first-child::before { content: "\25B8 "; color: var(--muted); }
tbody.open tr.row td:first-child::before { content: "\25BE "; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.v { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; white-space: nowrap; }
.v-corroborated { background: #d8f3dc; color: #1b5e20; }
.v-single-source { background: #e8eefc; color: #1a3a8a; }
.v-contested { background: #ffe5cc; color: #8a3b00; }
.v-denied { background: #fddede; color: #8b1111; }
.v-unverified { background: #eceff3; color: #444; }
.conflict { color: #8a3b00; font-weight: 600; }
tr.detail > td { background: #fbfcfe; padding: 10px 16px 16px 28px; }
.expl { color: var(--muted); margin: 0 0 8px; }
table.ev { width: 100%; margin-top: 6px; }
table.ev th { background: none; position: static; cursor: default; font-size: 12px; color: var(--muted); }
table.ev td { font-size: 13px; }
.w0 { color: var(--muted); }
.quote { font-style: italic; }
.s-supports { color: #1b5e20; } .s-denies { color: #8b1111; } .s-discusses { color: var(--muted); }
figure { margin: 4px 0 10px; }
figcaption { font-size: 12px; color: var(--muted); }
svg text { font: 10px system-ui, sans-serif; fill: #5b6474; }
.legend span { margin-right: 12px; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 4px; vertical-align: -1px; }
"#;

// Sorting moves whole <tbody> elements (row + detail), so details stay with their rows.
const SCRIPT: &str = r#"
(function () {
  var table = document.getElementById('clusters');
  var verdict = document.getElementById('f-verdict');
  var kind = document.getElementById('f-kind');
  var search = document.getElementById('f-text');
  var shown = document.getElementById('shown');
  var bodies = Array.prototype.slice.call(table.tBodies);
  function apply() {
    var v = verdict.value, k = kind.value, q = search.value.trim().toLowerCase(), n = 0;
    bodies.forEach(function (b) {
      var ok = (!v || b.dataset.verdict === v) && (!k || b.dataset.kind === k) &&
               (!q || b.textContent.toLowerCase().indexOf(q) >= 0);
      b.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + ' of ' + bodies.length + ' clusters shown';
  }
  [verdict, kind].forEach(function (e) { e.addEventListener('change', apply); });
  search.addEventListener('input', apply);
  bodies.forEach(function (b) {
    var row = b.querySelector('tr.row'), detail = b.querySelector('tr.detail');
    row.addEventListener('click', function () {
      detail.hidden = !detail.hidden;
      b.classList.toggle('open', !detail.hidden);
    });
  });
  // report.html#all opens with every cluster unfolded (for printing and screenshots).
  if (location.hash === '#all') {
    bodies.forEach(function (b) {
      b.querySelector('tr.detail').hidden = false;
      b.classList.add('open');
    });
  }
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th) {
    th.addEventListener('click', function () {
      var key = th.dataset.key, num = th.dataset.num === '1';
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      bodies.sort(function (a, b) {
        var x = a.dataset[key], y = b.dataset[key];
        if (num) { x = parseFloat(x); y = parseFloat(y); if (isNaN(x)) x = -Infinity; if (isNaN(y)) y = -Infinity; }
        var c = x < y ? -1 : x > y ? 1 : 0;
        if (c === 0) c = a.dataset.id < b.dataset.id ? -1 : 1;
        return asc ? c : -c;
      });
      bodies.forEach(function (b) { table.appendChild(b); });
    });
  });
  apply();
})();
"#;

/// Columns of the cluster table: (data key, heading, numeric).
const COLUMNS: &[(&str, &str, bool)] = &[
    ("id", "Cluster", false),
    ("label", "Claim", false),
    ("kind", "Kind", false),
    ("value", "Value", false),
    ("verdict", "Verdict", false),
    ("score", "Score", true),
    ("sup", "Supporting", true),
    ("den", "Denying", true),
    ("dis", "Discussing", true),
    ("reports", "Reports", true),
    ("first", "First seen", false),
];

/// Evidence rows shown per cluster. Every origin's counted row comes first; a cluster
/// repeated in thousands of reports would otherwise make a page no browser opens.
pub const MAX_EVIDENCE_ROWS: usize = 25;

const VERDICTS: &[&str] = &[
    "corroborated",
    "single-source",
    "contested",
    "denied",
    "unverified",
];

/// How many clusters a page shows at most by default (`--page-clusters`). A page is for reading: past a few thousand
/// clusters a browser struggles and nobody scrolls; the CSVs hold every cluster.
pub const MAX_CLUSTERS: usize = 1_000;

/// Renders the page from the clusters to show (`o`, see [`Outputs::read_page`]) and the
/// run's `totals`. `title` names the run (e.g. the output directory).
pub fn render(o: &Outputs, totals: &Totals, title: &str) -> String {
    let mut s = String::with_capacity(4096 + o.evidence.len() * 300);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>corro report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(title)
    );
    let _ = writeln!(s, "<h1>corro report</h1>");
    let count = |st: &str| totals.status.get(st).copied().unwrap_or(0);
    let _ = writeln!(
        s,
        "<p class=\"sub\">{} · {} report(s): {} ok, {} skipped, {} error · {} claim mention(s) · {} cluster(s)</p>",
        esc(title),
        totals.reports,
        count("ok"),
        count("skipped"),
        count("error"),
        totals.claims,
        totals.clusters
    );
    let _ = write!(s, "<p class=\"counts\">");
    for v in VERDICTS {
        let n = totals.verdicts.get(*v).copied().unwrap_or(0);
        let _ = write!(s, "<span><span class=\"v v-{v}\">{v}</span> {n}</span>");
    }
    let _ = writeln!(s, "</p>");

    // Filters.
    let kinds = &totals.kinds;
    let _ = write!(
        s,
        "<div class=\"controls\">\n<label>Verdict<select id=\"f-verdict\"><option value=\"\">all</option>"
    );
    for v in VERDICTS {
        let _ = write!(s, "<option value=\"{v}\">{v}</option>");
    }
    let _ = write!(
        s,
        "</select></label>\n<label>Kind<select id=\"f-kind\"><option value=\"\">all</option>"
    );
    for k in kinds {
        let _ = write!(s, "<option value=\"{0}\">{0}</option>", esc(k));
    }
    let _ = writeln!(
        s,
        "</select></label>\n<label>Search<input id=\"f-text\" type=\"search\" placeholder=\"claim, origin, outlet, quote\"/></label>\n\
         <span id=\"shown\"></span>\n</div>"
    );

    // Evidence rows by cluster, in file order.
    let mut evidence: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in o.evidence.iter().enumerate() {
        evidence.entry(e.cluster_id.as_str()).or_default().push(i);
    }
    let ix = o.index();

    if o.clusters.len() < totals.clusters {
        let _ = writeln!(
            s,
            "<p class=\"sub\" id=\"partial\">This page shows {} of the run's {} clusters: those with the \
             most origins, then the most reports. Every cluster is in clusters.csv.</p>",
            o.clusters.len(),
            totals.clusters
        );
    }
    let _ = write!(s, "<table id=\"clusters\">\n<thead><tr>");
    for (key, head, num) in COLUMNS {
        let _ = write!(
            s,
            "<th data-key=\"{key}\" data-num=\"{}\"{}>{head}</th>",
            if *num { 1 } else { 0 },
            if *num { " class=\"num\"" } else { "" }
        );
    }
    let _ = writeln!(s, "</tr></thead>");
    for c in &o.clusters {
        let value = c.value();
        let _ = write!(
            s,
            "<tbody data-id=\"{}\" data-label=\"{}\" data-kind=\"{}\" data-value=\"{}\" data-verdict=\"{}\" \
             data-score=\"{}\" data-sup=\"{}\" data-den=\"{}\" data-dis=\"{}\" data-reports=\"{}\" data-first=\"{}\">",
            esc(&c.cluster_id),
            esc(&c.label.to_lowercase()),
            esc(&c.kind),
            esc(&value),
            esc(&c.verdict),
            esc(&c.score),
            esc(&c.origins_supporting),
            esc(&c.origins_denying),
            esc(&c.origins_discussing),
            esc(&c.reports),
            esc(&c.first_seen),
        );
        let conflict = if c.value_conflict == "true" {
            " <span class=\"conflict\" title=\"supporting origins give incompatible values\">conflict</span>"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<tr class=\"row\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}{conflict}</td>\
             <td><span class=\"v v-{}\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"date\">{}</td></tr>",
            esc(&c.cluster_id),
            esc(&c.label),
            esc(&c.kind),
            esc(&value),
            esc(&c.verdict),
            esc(&c.verdict),
            esc(&c.score),
            esc(&c.origins_supporting),
            esc(&c.origins_denying),
            esc(&c.origins_discussing),
            esc(&c.reports),
            esc(&c.first_seen),
        );
        let _ = write!(
            s,
            "<tr class=\"detail\" hidden=\"hidden\"><td colspan=\"{}\">\n<p class=\"expl\">{}</p>\n",
            COLUMNS.len(),
            esc(&c.explanation)
        );
        chart(&mut s, &points(&ix, &c.cluster_id));
        let _ = write!(
            s,
            "<table class=\"ev\"><thead><tr><th>Report</th><th>Outlet</th><th>Date</th><th>Origin</th>\
             <th>Stance</th><th class=\"num\">Weight</th><th>Quote</th><th>Note</th></tr></thead><tbody>"
        );
        let mut rows: Vec<usize> = evidence
            .get(c.cluster_id.as_str())
            .cloned()
            .unwrap_or_default();
        // Counted rows (one per origin) first: with a cap, they are the ones that matter.
        rows.sort_by_key(|&i| (o.evidence[i].weight() == 0.0, i));
        let hidden = rows.len().saturating_sub(MAX_EVIDENCE_ROWS)
            + totals
                .evidence_not_kept
                .get(c.cluster_id.as_str())
                .copied()
                .unwrap_or(0);
        rows.truncate(MAX_EVIDENCE_ROWS);
        for &i in &rows {
            let e = &o.evidence[i];
            let _ = writeln!(
                s,
                "<tr{}><td><code>{}</code></td><td>{}</td><td class=\"date\">{}</td><td>{}</td><td class=\"s-{}\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"quote\">{}</td><td>{}</td></tr>",
                if e.weight() == 0.0 { " class=\"w0\"" } else { "" },
                esc(&e.report_id),
                esc(&e.outlet),
                esc(ix.date(&e.report_id)),
                esc(&e.origin),
                esc(&e.stance),
                esc(&e.stance),
                esc(&e.weight),
                esc(&e.quote),
                esc(&e.note),
            );
        }
        if hidden > 0 {
            let _ = writeln!(
                s,
                "<tr><td colspan=\"8\" class=\"w0\">… and {hidden} more row(s) repeating these origins: see evidence.csv</td></tr>"
            );
        }
        let _ = writeln!(s, "</tbody></table>\n</td></tr>\n</tbody>");
    }
    let _ = writeln!(s, "</table>");
    let _ = writeln!(
        s,
        "<p class=\"sub\">Scores: (S − D) / (S + D + U + 1) over independent origins; \
         weights 1 named, 0.75 anonymous, 0.25 discussing. Full data in the CSVs beside this page.</p>"
    );
    let _ = write!(s, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    s
}

const PALETTE: &[&str] = &[
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
];

/// Days since 0000-03-01 for an ISO date (a monotone day number is all the x axis needs).
fn day_number(date: &str) -> Option<i64> {
    let mut it = date.splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d - 1)
}

/// A small chart of reported values over time, one colour per origin: a dot for an exact
/// value, a bar for an interval, an arrow-less stub for an open one. Nothing when the
/// cluster has no values.
fn chart(s: &mut String, pts: &[(&str, Point)]) {
    let usable: Vec<(&str, &Point, f64, f64)> = pts
        .iter()
        .filter_map(|(origin, p)| {
            let (lo, hi) = match (p.low, p.high) {
                (Some(l), Some(h)) => (l, h),
                (Some(l), None) => (l, l),
                (None, Some(h)) => (h, h),
                (None, None) => return None,
            };
            Some((*origin, p, lo, hi))
        })
        .collect();
    if usable.is_empty() {
        return;
    }
    let (w, h, left, right, top, bottom) = (420.0, 150.0, 56.0, 12.0, 10.0, 24.0);
    let ymin = usable
        .iter()
        .map(|u| u.2)
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let ymax = usable.iter().map(|u| u.3).fold(f64::NEG_INFINITY, f64::max);
    let ymax = if ymax <= ymin { ymin + 1.0 } else { ymax };
    // Dated points by date; undated ones after them, in order.
    let days: Vec<Option<i64>> = usable.iter().map(|u| day_number(&u.1.date)).collect();
    let dmin = days.iter().flatten().min().copied();
    let dmax = days.iter().flatten().max().copied();
    let n = usable.len() as f64;
    let x_of = |k: usize| -> f64 {
        let frac = match (days[k], dmin, dmax) {
            (Some(d), Some(a), Some(b)) if b > a => (d - a) as f64 / (b - a) as f64,
            (Some(_), _, _) => 0.5,
            (None, _, _) => (k as f64 + 0.5) / n,
        };
        left + frac * (w - left - right)
    };
    let y_of = |v: f64| top + (1.0 - (v - ymin) / (ymax - ymin)) * (h - top - bottom);
    let mut origins: Vec<&str> = usable.iter().map(|u| u.0).collect();
    origins.sort_unstable();
    origins.dedup();
    let colour = |o: &str| {
        let i = origins.iter().position(|x| *x == o).unwrap_or(0);
        PALETTE[i % PALETTE.len()]
    };
    let _ = write!(
        s,
        "<figure><svg role=\"img\" aria-label=\"reported values over time\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">"
    );
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#c8ced8\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{0}\" stroke=\"#c8ced8\"/>",
        h - bottom,
        w - right
    );
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        left - 4.0,
        top + 8.0,
        esc(&crate::output::num(ymax)),
        left - 4.0,
        h - bottom,
        esc(&crate::output::num(ymin))
    );
    if let (Some(a), Some(b)) = (dmin, dmax) {
        let first = usable
            .iter()
            .zip(&days)
            .find(|(_, d)| **d == Some(a))
            .map(|(u, _)| u.1.date.as_str())
            .unwrap_or("");
        let last = usable
            .iter()
            .zip(&days)
            .find(|(_, d)| **d == Some(b))
            .map(|(u, _)| u.1.date.as_str())
            .unwrap_or("");
        let _ = write!(
            s,
            "<text x=\"{left}\" y=\"{}\">{}</text>",
            h - 8.0,
            esc(first)
        );
        if b > a {
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                w - right,
                h - 8.0,
                esc(last)
            );
        }
    }
    // A line per origin joining its values in date order: a series reads as a series.
    for o in &origins {
        let path: Vec<String> = usable
            .iter()
            .enumerate()
            .filter(|(_, u)| u.0 == *o)
            .map(|(k, u)| format!("{:.1},{:.1}", x_of(k), y_of((u.2 + u.3) / 2.0)))
            .collect();
        if path.len() > 1 {
            let _ = write!(
                s,
                "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" stroke-opacity=\"0.6\" points=\"{}\"/>",
                colour(o),
                path.join(" ")
            );
        }
    }
    for (k, u) in usable.iter().enumerate() {
        let (x, c) = (x_of(k), colour(u.0));
        let tip = format!("{}: {} ({}, {})", u.0, u.1.value, u.1.date, u.1.report_id);
        if u.3 > u.2 {
            let _ = write!(
                s,
                "<g><title>{}</title><line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"4\" stroke-linecap=\"round\"/></g>",
                esc(&tip),
                y_of(u.2),
                y_of(u.3)
            );
        } else {
            let _ = write!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{c}\"><title>{}</title></circle>",
                y_of(u.2),
                esc(&tip)
            );
        }
    }
    let _ = write!(s, "</svg><figcaption class=\"legend\">");
    for o in &origins {
        let _ = write!(
            s,
            "<span><i style=\"background:{}\"></i>{}</span>",
            colour(o),
            esc(o)
        );
    }
    let _ = writeln!(s, "</figcaption></figure>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn day_numbers_are_monotone_across_months_and_years() {
        let d = |s| day_number(s).unwrap();
        assert_eq!(d("2020-03-01") - d("2020-02-28"), 2, "leap year");
        assert_eq!(d("2021-01-01") - d("2020-12-31"), 1);
        assert!(day_number("2020-13-01").is_none());
        assert!(day_number("soon").is_none());
    }

    #[test]
    fn a_chart_has_one_mark_per_value_and_a_legend_per_origin() {
        let p = |date: &str, low: f64, high: f64| Point {
            date: date.into(),
            report_id: format!("r{date}"),
            low: Some(low),
            high: Some(high),
            value: format!("{low}"),
        };
        let pts = vec![
            ("SOHR", p("2020-10-01", 1200.0, 1200.0)),
            ("SOHR", p("2020-10-05", 1450.0, 1450.0)),
            ("<b>Celik</b>", p("2020-10-03", 150.0, 200.0)),
        ];
        let mut s = String::new();
        chart(&mut s, &pts);
        assert_eq!(s.matches("<circle").count(), 2);
        assert_eq!(s.matches("stroke-width=\"4\"").count(), 1, "interval bar");
        assert_eq!(s.matches("<polyline").count(), 1, "SOHR's series");
        assert!(s.contains("&lt;b&gt;Celik&lt;/b&gt;") && !s.contains("<b>"));
        let mut none = String::new();
        chart(&mut none, &[]);
        assert!(none.is_empty());
    }

    #[test]
    fn a_page_with_values_charts_each_valued_cluster() {
        let o = crate::explain::tests::fixture();
        let page = render(&o, &Totals::of(&o), "preview");
        assert_eq!(
            page.matches("<svg").count(),
            2,
            "one chart per cluster with values"
        );
        assert_eq!(
            page.matches("<polyline").count(),
            1,
            "Ossel Monitor's series"
        );
        assert!(page.contains("1200 fighter") && page.contains("2000 USD per month"));
        assert!(page.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert_eq!(page.matches("<script").count(), 1);
    }

    #[test]
    fn a_page_read_in_bounded_memory_is_the_page_read_whole() {
        // One cluster with more counted and more uncounted evidence rows than a page
        // shows, interleaved, and claims with and without values; a second cluster small.
        let clusters = "cluster_id,label,kind,value_low,value_high,unit,per,mentions,reports,outlets,origins_supporting,origins_denying,origins_discussing,first_seen,first_outlet,last_seen,score,verdict,value_conflict,explanation\n\
            big,Big claim,count,10,10,fighter,,90,90,3,40,0,0,2031-03-01,L,2031-03-12,0.9,corroborated,false,many\n\
            small,Small claim,event,,,,,1,1,1,1,0,0,2031-03-02,L,2031-03-02,0.5,single-source,false,one\n";
        let mut evidence =
            String::from("cluster_id,report_id,outlet,origin,stance,weight,quote,note\n");
        let mut claims = String::from("claim_id,report_id,sentence,start,end,text,kind,stance,attributed_to,via,value_low,value_high,approx,unit,per,cluster_id,origin\n");
        let mut reports = String::from("report_id,path,outlet,relayed_via,published,place,author,title,language,sentences,claims,copy_family,status,note\n");
        for r in 0..90 {
            let counted = r % 3 != 1 && r < 80;
            let origin = format!("origin {}", r % 40);
            evidence.push_str(&format!(
                "big,r{r},L,{origin},supports,{},quote {r},{}\n",
                if counted { "1" } else { "0" },
                if counted { "counted" } else { "same origin" }
            ));
            let value = if r % 2 == 0 {
                format!("{r},{r}")
            } else {
                ",".into()
            };
            claims.push_str(&format!(
                "r{r}#1,r{r},0,0,1,t,count,supports,,,{value},false,fighter,,big,{origin}\n"
            ));
            reports.push_str(&format!(
                "r{r},r{r},L,,2031-03-{:02},,,,en,1,1,r{r},ok,\n",
                1 + r % 28
            ));
        }
        evidence.push_str("small,r0,L,X,supports,1,q,counted\n");
        claims.push_str("r0#2,r0,1,0,1,t,event,supports,,,,,,,,small,X\n");
        let dir = tempfile::tempdir().unwrap();
        let path = |n: &str| dir.path().join(n);
        for (n, body) in [
            ("clusters.csv", clusters),
            ("evidence.csv", &evidence),
            ("claims.csv", &claims),
            ("reports.csv", &reports),
        ] {
            std::fs::write(path(n), body).unwrap();
        }
        let (c, e, cl, r) = (
            path("clusters.csv"),
            path("evidence.csv"),
            path("claims.csv"),
            path("reports.csv"),
        );
        let files = crate::explain::Files {
            clusters: &c,
            evidence: &e,
            claims: &cl,
            reports: &r,
        };
        let whole = crate::explain::Outputs::read(&files).unwrap();
        let (view, totals) =
            crate::explain::Outputs::read_view(&files, MAX_CLUSTERS, MAX_EVIDENCE_ROWS).unwrap();
        assert!(
            view.evidence.len() < whole.evidence.len(),
            "rows were left out"
        );
        assert!(
            view.claims.len() < whole.claims.len(),
            "claims without values too"
        );
        assert_eq!(totals.evidence_not_kept.get("big"), Some(&(90 - 2 * 25)));
        let page = render(&view, &totals, "t");
        assert_eq!(page, render(&whole, &Totals::of(&whole), "t"));
        assert!(page.contains("… and 65 more row(s)"), "90 rows, 25 shown");
    }
}
