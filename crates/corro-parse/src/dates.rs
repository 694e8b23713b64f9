//! Dates as news writes them.
//!
//! Accepted shapes: ISO 8601 (`2020-10-02`, `2020-10-02T14:03:00Z`, `2020-10-02 14:03`),
//! written forms in either order with optional ordinal suffix, weekday, comma and time
//! (`02nd October, 2020`, `October 2, 2020`, `Friday, 2 October 2020 14:05 GMT`,
//! `Sept 29`, `Oct.1`, `NOVEMBER 3`), and numeric day-first forms (`29-09-2020`,
//! `1-10-2020`, `29.09.2020`). Slashed dates are read only when unambiguous
//! (`29/09/2020`, `2020/09/29`): `10/02/2020` could be either order and is refused.
//!
//! Parsing is strict: any word that is not part of a date makes the whole string fail,
//! so a sentence that merely contains a date is not mistaken for one. A date without a
//! year is returned as a [`PartialDate`]; the caller decides where the year comes from
//! and must say so (see [`PartialDate::resolve`]).

use jiff::civil::Date;

/// A date as written, possibly without a year ("Sept 29").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    /// The year, when written.
    pub year: Option<i16>,
    /// 1–12.
    pub month: i8,
    /// 1–31.
    pub day: i8,
}

impl PartialDate {
    /// The full date: the written year, else `context_year`. The flag is true when the
    /// year came from context, so the caller can record the inference.
    pub fn resolve(self, context_year: Option<i16>) -> Option<(Date, bool)> {
        let (year, inferred) = match self.year {
            Some(y) => (y, false),
            None => (context_year?, true),
        };
        Date::new(year, self.month, self.day)
            .ok()
            .map(|d| (d, inferred))
    }
}

const MONTHS: &[(&str, i8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Words that may stand beside a date without being part of it.
const FILLER: &[&str] = &[
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
    "of",
    "the",
    "on",
    "am",
    "pm",
    "a.m",
    "p.m",
    "gmt",
    "utc",
    "z",
    "bst",
    "cet",
    "cest",
    "eet",
    "eest",
    "est",
    "edt",
    "pst",
    "pdt",
    "msk",
    "ast",
    "trt",
    "amt",
    "azt",
    "local",
    "time",
    "updated",
    "published",
    "posted",
];

/// The month number of a month name or abbreviation ("Sept", "OCTOBER"), if it is one.
pub fn month_number(word: &str) -> Option<i8> {
    if word.len() > 9 || word.len() < 3 {
        return None;
    }
    let mut buf = [0u8; 9];
    for (d, s) in buf.iter_mut().zip(word.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    let lower = &buf[..word.len()];
    MONTHS
        .iter()
        .find(|(n, _)| n.as_bytes() == lower)
        .map(|&(_, m)| m)
}

/// Parses a date as news writes it; `year` fills a missing year. Returns `None` for
/// anything that is not entirely a date, and for a year-less date when `year` is `None`.
///
/// ```
/// use corro_parse::metadata::parse_date;
/// use jiff::civil::date;
/// assert_eq!(parse_date("02nd October, 2020", None), Some(date(2020, 10, 2)));
/// assert_eq!(parse_date("Sept 29", Some(2020)), Some(date(2020, 9, 29)));
/// assert_eq!(parse_date("29-09-2020", None), Some(date(2020, 9, 29)));
/// assert_eq!(parse_date("2020-10-02T14:03:00Z", None), Some(date(2020, 10, 2)));
/// assert_eq!(parse_date("Sept 29", None), None);
/// ```
pub fn parse_date(s: &str, year: Option<i16>) -> Option<Date> {
    parse_date_parts(s)?.resolve(year).map(|(d, _)| d)
}

/// Parses a date that may lack a year. See the module docs for the shapes accepted.
pub fn parse_date_parts(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > 80 {
        return None;
    }
    if let Some(d) = iso(s) {
        return Some(d);
    }
    if let Some(d) = numeric(s) {
        return Some(d);
    }
    written(s)
}

fn valid(year: Option<i16>, month: i8, day: i8) -> Option<PartialDate> {
    if let Some(y) = year {
        if !(1000..=2999).contains(&y) {
            return None;
        }
        Date::new(y, month, day).ok()?;
    } else if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    } else {
        // Leap day is fine in some year; anything else must fit the month in any year.
        Date::new(2000, month, day).ok()?;
    }
    Some(PartialDate { year, month, day })
}

/// `YYYY-MM-DD`, optionally followed by `T…` or ` HH:MM…`.
fn iso(s: &str) -> Option<PartialDate> {
    let b = s.as_bytes();
    let shape = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<i32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let rest = &s[10..];
    let ok_rest = rest.is_empty()
        || rest.starts_with(['T', 't'])
        || (rest.starts_with(' ') && rest[1..].starts_with(|c: char| c.is_ascii_digit()));
    if !ok_rest {
        return None;
    }
    valid(Some(y as i16), m as i8, d as i8)
}

/// `29-09-2020`, `1.10.2020`, `29/09/2020`, `2020/09/29` (day first unless the year is).
fn numeric(s: &str) -> Option<PartialDate> {
    let sep = s.bytes().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, b'-' | b'.' | b'/') {
        return None;
    }
    let mut parts = s.split(sep as char);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let num = |p: &str| -> Option<i32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())?
    };
    let (a_n, b_n, c_n) = (num(a)?, num(b)?, num(c)?);
    if a.len() == 4 {
        return valid(Some(a_n as i16), b_n as i8, c_n as i8);
    }
    if c.len() != 4 || a.len() > 2 || b.len() > 2 {
        return None;
    }
    let year = Some(c_n as i16);
    if sep == b'/' {
        // Month-first or day-first? Only read it when the numbers decide.
        return match (a_n > 12, b_n > 12) {
            (true, false) => valid(year, b_n as i8, a_n as i8),
            (false, true) => valid(year, a_n as i8, b_n as i8),
            _ if a_n == b_n => valid(year, a_n as i8, b_n as i8),
            _ => None,
        };
    }
    valid(year, b_n as i8, a_n as i8)
}

/// Month names with a day, optional year, weekday, time and zone.
fn written(s: &str) -> Option<PartialDate> {
    let mut month = None;
    let mut day = None;
    let mut year = None;
    for w in s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '/' | '-' | '(' | ')'))
        .filter(|w| !w.is_empty())
    {
        if let Some(m) = month_number(w) {
            if month.replace(m).is_some() {
                return None;
            }
            continue;
        }
        let digits_end = w
            .bytes()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(w.len());
        if digits_end > 0 {
            let (digits, suffix) = w.split_at(digits_end);
            if suffix.starts_with(':') || (digits.len() <= 2 && suffix.eq_ignore_ascii_case("h")) {
                // A clock time: "14:05", "14:05:00", "14h".
                if suffix[1..].bytes().all(|c| c.is_ascii_digit() || c == b':') {
                    continue;
                }
                return None;
            }
            let ordinal = ["st", "nd", "rd", "th"]
                .iter()
                .any(|o| suffix.eq_ignore_ascii_case(o));
            if !(suffix.is_empty() || ordinal) {
                return None;
            }
            let n: i32 = digits.parse().ok()?;
            if digits.len() == 4 && !ordinal {
                if year.replace(n as i16).is_some() {
                    return None;
                }
            } else if digits.len() > 2 || day.replace(n as i8).is_some() {
                return None; // three digits, five or more, or a second day
            }
            continue;
        }
        if w.starts_with('+') && w[1..].bytes().all(|c| c.is_ascii_digit() || c == b':') {
            continue; // a UTC offset
        }
        if !FILLER.iter().any(|f| w.eq_ignore_ascii_case(f)) {
            return None;
        }
    }
    valid(year, month?, day?)
}

/// The latest plausible year (1900–2099) written in the text, as four digits standing
/// alone ("in 2020", "2019-2020"; not "20201" or "1990s"). Used to date a dateline that
/// gives only day and month — the caller notes that it did so.
pub fn latest_year_in(text: &str) -> Option<i16> {
    let b = text.as_bytes();
    let mut best: Option<i16> = None;
    let mut i = 0;
    while i + 4 <= b.len() {
        let c = b[i];
        if (c == b'1' || c == b'2') && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let w = &b[i..i + 4];
            let after = b.get(i + 4).copied();
            if w.iter().all(u8::is_ascii_digit) && !after.is_some_and(|a| a.is_ascii_alphanumeric())
            {
                let y = (w[0] - b'0') as i16 * 1000
                    + (w[1] - b'0') as i16 * 100
                    + (w[2] - b'0') as i16 * 10
                    + (w[3] - b'0') as i16;
                if (1900..=2099).contains(&y) {
                    best = Some(best.map_or(y, |b| b.max(y)));
                }
                i += 4;
                continue;
            }
        }
        i += 1;
    }
    best
}
