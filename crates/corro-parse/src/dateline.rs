//! Datelines: the "where, when and who" prefix news puts before the first sentence.
//!
//! Two families cover the wire styles seen in practice:
//!
//! * a parenthesised credit: `PLACE[, REGION][, DATE] (OUTLET[ / RELAY][ - DATE]) [–]` —
//!   `AZAZ, Syria (North Press) –`, `BAKU (Reuters) -`, `ANKARA, Sept 29 (Reuters) -`,
//!   `WASHINGTON (UrduPoint News / Sputnik - 02nd October, 2020)`, `(CNN) —`,
//!   `Oct 2 (Reuters) -`, `BAKU, Azerbaijan, Oct.1 (Trend):`;
//! * a separator after place, date and possibly outlet: `LONDON —`,
//!   `YEREVAN, NOVEMBER 3, ARMENPRESS.`, `Moscow. October 1. INTERFAX -`,
//!   `MOSCOW, October 1. /TASS/.`, `Yerevan/Mediamax/.`, `YEREVAN, OCTOBER 2. NEWS.AM.`,
//!   `ISLAMABAD:`.
//!
//! A dateline is only accepted when its parts look the part (the place is one to four
//! capitalised words, every other part is a region, a date or an outlet) and the evidence
//! is strong enough: an upper-case place, a known outlet, a date or a dash after it. An
//! ordinary sentence such as "Turkey - which backs Azerbaijan - denies it" is not a
//! dateline. In "A / B", A published the text and B is the source it relayed, so the
//! outlet is A and `relayed_via` is `[B]`.
//!
//! This module reads only the first line it is given; it does not look for datelines
//! elsewhere in a report.

use jiff::civil::Date;

use crate::dates::{month_number, parse_date_parts, PartialDate};
use crate::names::capitalised_words;
use crate::outlets::OutletLexicon;

/// What a dateline gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dateline {
    /// The place, as written ("AZAZ", "Moscow").
    pub place: Option<String>,
    /// The outlet credited, canonical name.
    pub outlet: Option<String>,
    /// Outlets the text was relayed from, nearest first ("Sputnik" in "UrduPoint News /
    /// Sputnik").
    pub relayed_via: Vec<String>,
    /// The date, when the dateline gives one with a year.
    pub date: Option<Date>,
    /// The date as written, including a year-less one ("Sept 29"); resolve it with
    /// [`PartialDate::resolve`] and note where the year came from.
    pub written_date: Option<PartialDate>,
    /// Bytes of text the dateline takes, including leading blanks and the separator
    /// (dash, colon) after it.
    pub len: usize,
}

/// Parses a dateline at the start of `text`.
///
/// ```
/// use corro_parse::{metadata::parse_dateline, OutletLexicon};
/// let outlets = OutletLexicon::from_csv("name,alias\nUrduPoint News\nSputnik\n").unwrap();
/// let text = "WASHINGTON (UrduPoint News / Sputnik - 02nd October, 2020) Mercenaries from Syria";
/// let d = parse_dateline(text, &outlets).unwrap();
/// assert_eq!(d.place.as_deref(), Some("WASHINGTON"));
/// assert_eq!(d.outlet.as_deref(), Some("UrduPoint News"));
/// assert_eq!(d.relayed_via, ["Sputnik"]);
/// assert_eq!(d.date, Some(jiff::civil::date(2020, 10, 2)));
/// assert_eq!(&text[d.len..], "Mercenaries from Syria");
/// ```
pub fn parse_dateline(text: &str, outlets: &OutletLexicon) -> Option<Dateline> {
    let body = text.trim_start_matches([' ', '\t']);
    let lead = text.len() - body.len();
    let line = &body[..body.find('\n').unwrap_or(body.len())];
    let line = &line[..floor_boundary(line, 240)];
    let mut found = paren_form(line, outlets).or_else(|| separator_form(line, outlets))?;
    found.len += lead;
    found.len = text.len() - text[found.len..].trim_start_matches([' ', '\t']).len();
    found.date = found
        .written_date
        .and_then(|d| d.year.and_then(|y| Date::new(y, d.month, d.day).ok()));
    Some(found)
}

/// Place, region, date and outlet parts before the credit or separator.
#[derive(Default)]
struct Prefix<'a> {
    place: Option<&'a str>,
    all_caps: bool,
    date: Option<PartialDate>,
    outlet: Option<String>,
}

/// Who the parenthesis credits, and a date if it carries one.
struct Credit {
    names: Vec<String>,
    known: bool,
    date: Option<PartialDate>,
}

fn paren_form(line: &str, outlets: &OutletLexicon) -> Option<Dateline> {
    let open = line.find('(')?;
    if open > 120 {
        return None;
    }
    let close = open + line[open..].find(')')?;
    let credit = parse_credit(&line[open + 1..close], outlets)?;
    let prefix_text = &line[..open];
    let after = close + 1;
    let sep = separator_len(&line[after..]);
    let prefix = if prefix_text.trim().is_empty() {
        // "(CNN) —": nothing before the credit.
        if sep.is_none() && !credit.known {
            return None;
        }
        Prefix::default()
    } else {
        let p = parse_prefix(prefix_text, outlets, true)?;
        let strong = sep.is_some()
            || credit.date.is_some()
            || p.date.is_some()
            || (p.all_caps && credit.known);
        if !strong || p.outlet.is_some() {
            return None;
        }
        p
    };
    let mut names = credit.names.into_iter();
    Some(Dateline {
        place: prefix.place.map(str::to_string),
        outlet: names.next(),
        relayed_via: names.collect(),
        date: None,
        written_date: credit.date.or(prefix.date),
        len: after + sep.unwrap_or(0),
    })
}

fn separator_form(line: &str, outlets: &OutletLexicon) -> Option<Dateline> {
    let limit = floor_boundary(line, 120);
    let b = line.as_bytes();
    // Every candidate prefix starts with the same first part (up to the first comma, full
    // stop or slash), and that part must be a place; once it is not, no later one can be.
    let first_part_end = memchr::memchr3(b',', b'.', b'/', b).unwrap_or(b.len());
    let mut i = 0;
    while i < limit {
        let rest = &line[i..];
        // A separator here would end the prefix `line[..i]`.
        let kind = match b[i] {
            b' ' if rest.starts_with(" - ")
                || rest.starts_with(" -- ")
                || rest.starts_with(" – ")
                || rest.starts_with(" — ")
                || matches!(rest.trim_end(), " -" | " --" | " –" | " —") =>
            {
                Some(Sep::Dash)
            }
            0xE2 if rest.starts_with('—') || rest.starts_with('–') => Some(Sep::Dash),
            b':' => Some(Sep::Colon),
            b'.' if rest[1..].starts_with(' ') => Some(Sep::Period),
            _ => None,
        };
        if let Some(kind) = kind {
            if !is_place(line[..i.min(first_part_end)].trim(), 4) {
                return None;
            }
            if let Some(p) = parse_prefix(&line[..i], outlets, false) {
                let accept = match kind {
                    Sep::Dash => p.all_caps || p.outlet.is_some() || p.date.is_some(),
                    Sep::Colon => {
                        p.outlet.is_some() || (p.all_caps && p.date.is_none() && p.place.is_some())
                    }
                    Sep::Period => p.outlet.is_some(),
                };
                if accept {
                    let len = i + separator_len(rest).unwrap_or(0);
                    return Some(Dateline {
                        place: p.place.map(str::to_string),
                        outlet: p.outlet,
                        relayed_via: Vec::new(),
                        date: None,
                        written_date: p.date,
                        len,
                    });
                }
            }
        }
        i += 1;
        while i < limit && !line.is_char_boundary(i) {
            i += 1;
        }
    }
    None
}

#[derive(Clone, Copy)]
enum Sep {
    Dash,
    Colon,
    Period,
}

/// Length of a dash, colon or period separator at the start of `s`,
/// with the blanks around it; `None` if there is none.
fn separator_len(s: &str) -> Option<usize> {
    let t = s.trim_start_matches([' ', '\t']);
    let mut rest = None;
    for sep in ["--", "—", "–", "-", ":"] {
        if let Some(r) = t.strip_prefix(sep) {
            rest = Some(r);
            break;
        }
    }
    if rest.is_none() {
        rest = t.strip_prefix('.');
    }
    let r = rest?;
    // A dash glued to a word is a hyphen, not a separator ("-based").
    if r.starts_with(|c: char| c.is_alphanumeric()) && t.len() - r.len() == 1 && t.starts_with('-')
    {
        return None;
    }
    let r2 = r.trim_start_matches([' ', '\t']);
    Some(s.len() - r2.len())
}

fn parse_credit(inner: &str, outlets: &OutletLexicon) -> Option<Credit> {
    let inner = inner.trim();
    if inner.is_empty() || inner.len() > 100 {
        return None;
    }
    let mut who = inner;
    let mut date = None;
    for sep in [" - ", " – ", " — ", " -- ", ", "] {
        if let Some((w, d)) = inner.split_once(sep) {
            if let Some(pd) = parse_date_parts(d) {
                who = w;
                date = Some(pd);
                break;
            }
        }
    }
    let mut names = Vec::new();
    let mut known = false;
    for part in who.split('/') {
        let part = part.trim();
        if let Some(n) = outlets.lookup(part) {
            known = true;
            names.push(n.to_string());
        } else if outlet_like(part) {
            names.push(outlets.canonical(part));
        } else {
            return None;
        }
    }
    Some(Credit { names, known, date })
}

/// An unknown outlet name: one to four capitalised words ("CNN Business", "Kurdistan 24").
fn outlet_like(s: &str) -> bool {
    s.len() <= 40 && capitalised_words(s, 4, true)
}

fn parse_prefix<'a>(prefix: &'a str, outlets: &OutletLexicon, paren: bool) -> Option<Prefix<'a>> {
    if prefix.len() > 120 {
        return None;
    }
    let mut p = Prefix::default();
    let mut segs = segments(prefix);
    if segs.last() == Some(&"") {
        segs.pop();
    }
    if segs.is_empty() {
        return None;
    }
    for (i, seg) in segs.into_iter().enumerate() {
        if seg.is_empty() || p.outlet.is_some() {
            return None;
        }
        if i == 0 {
            if is_place(seg, 4) && !NOT_PLACES.iter().any(|w| seg.eq_ignore_ascii_case(w)) {
                p.place = Some(seg);
                p.all_caps = is_all_caps(seg);
                continue;
            }
            if paren {
                if let Some(d) = parse_date_parts(seg) {
                    p.date = Some(d);
                    continue;
                }
            }
            return None;
        }
        if let Some(d) = parse_date_parts(seg) {
            if p.date.is_some() {
                return None;
            }
            p.date = Some(d);
            continue;
        }
        if seg.len() == 4 && seg.bytes().all(|c| c.is_ascii_digit()) {
            match &mut p.date {
                Some(d) if d.year.is_none() => {
                    d.year = seg.parse().ok();
                    continue;
                }
                _ => return None,
            }
        }
        if let Some(o) = outlets.lookup(seg.trim_matches('/')) {
            p.outlet = Some(o.to_string());
            continue;
        }
        if is_place(seg, 3) {
            continue; // a region or country: "Syria", "Lebanon"
        }
        return None;
    }
    Some(p)
}

/// Upper-case words that open a line the way a place does, but are not places.
const NOT_PLACES: &[&str] = &[
    "RECOMMENDED",
    "UPDATE",
    "UPDATED",
    "BREAKING",
    "BREAKING NEWS",
    "WATCH",
    "READ",
    "READ MORE",
    "EXCLUSIVE",
    "PHOTOS",
    "PHOTO",
    "VIDEO",
    "NOTE",
    "EDITOR'S NOTE",
    "WARNING",
    "CORRECTION",
    "RELATED",
    "ADVERTISEMENT",
    "SPOILER",
    "LIVE",
    "ANALYSIS",
    "OPINION",
    "COMMENT",
    "EDITORIAL",
    "FACT CHECK",
    "UPDATES",
    "SOURCE",
    "SOURCES",
    "QUOTE",
    "Q",
    "A",
];

/// Splits a dateline prefix at commas and at sentence-like periods ("Moscow. October 1.
/// INTERFAX"), but not after a month abbreviation ("Oct. 2") or an initial ("D.C.").
fn segments(prefix: &str) -> Vec<&str> {
    let mut segs = Vec::new();
    let mut start = 0;
    let b = prefix.as_bytes();
    let mut skip_to = 0;
    for (i, &c) in b.iter().enumerate() {
        if i < skip_to {
            continue;
        }
        let split = match c {
            b',' => true,
            // "Yerevan/Mediamax/.": a slash-delimited credit is a part of its own.
            b'/' => match memchr::memchr(b'/', &b[i + 1..]) {
                Some(len) if len > 0 => {
                    let before = prefix[start..i].trim();
                    if !before.is_empty() || segs.is_empty() {
                        segs.push(before);
                    }
                    segs.push(prefix[i..i + len + 2].trim());
                    start = i + len + 2;
                    skip_to = start;
                    continue;
                }
                _ => false,
            },
            b'.' if matches!(b.get(i + 1), None | Some(b' ' | b'\t')) => {
                let word = prefix[start..i].rsplit([' ', '/']).next().unwrap_or("");
                let initial = word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase();
                month_number(word).is_none() && !initial && !word.contains('.')
            }
            _ => false,
        };
        if split {
            segs.push(prefix[start..i].trim());
            start = i + 1;
        }
    }
    segs.push(prefix[start..].trim());
    segs
}

/// One to `max_words` capitalised words of letters ("AZAZ", "Nagorno-Karabakh",
/// "NEW YORK", "Ras al-Ain").
fn is_place(s: &str, max_words: usize) -> bool {
    s.len() <= 40 && capitalised_words(s, max_words, false)
}

fn is_all_caps(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if c.is_alphabetic() {
            if c.is_lowercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
