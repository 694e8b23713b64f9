//! Growing numbers into quantities: hedges and currencies before a number, range partners,
//! currencies, percent signs, counted nouns and rate periods after it, and the rules that
//! reject years, dates, identifiers and the like. See the parent module for the contract.

use std::cell::Cell;

use super::keywords::{
    is_change_verb, is_count_head, is_label_word, is_link, is_month, is_stop, period_word,
    singular, starts_quantity,
};
use super::lexicon::kind_of_unit;
use super::numbers::{self, Num, Parser};
use super::tokens::{lower, tokenize, Tk, Tok};
use super::{Found, Quantity, QuantityKind, UnitLexicon};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Hedge {
    Around,
    Below,
    AtMost,
    Under,
    AtLeast,
    Over,
    Between,
    From,
}

/// A value before it becomes a `Quantity`: an interval plus how it was hedged.
#[derive(Clone, Copy, Debug)]
struct Val {
    low: f64,
    high: f64,
    vague: bool,
    range: bool,
}

/// Every quantity in `text`, with the stated amounts the conformance scorer needs.
pub(crate) fn extract_found(text: &str, lex: &UnitLexicon) -> Vec<Found> {
    let mut toks = Vec::with_capacity(text.len() / 3 + 4);
    tokenize(text, &mut toks);
    let cx = Cx {
        text,
        toks: &toks,
        p: Parser { text, toks: &toks },
        lex,
        floor: Cell::new(0),
    };
    let mut out: Vec<Found> = Vec::new();
    let n = toks.len();
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        let next = match t.kind {
            Tk::Digits => cx.at_number(i, &mut out),
            Tk::Word => {
                let bytes = &text.as_bytes()[t.start as usize..t.end as usize];
                // Cheap filters first (most words fail on their first letter or length),
                // then one integer comparison per keyword on the word packed lower-case.
                if bytes.len() <= 9 && starts_quantity(bytes) {
                    cx.at_number(i, &mut out)
                } else {
                    i + 1
                }
            }
            Tk::Punct => {
                // Only "." (".08") and the vulgar fractions (U+00BC–BE "¼½¾", U+2150–215E
                // "⅓⅔…") can start a number; curly quotes and dashes are frequent and skipped.
                let b = &text.as_bytes()[t.start as usize..];
                let fraction_char =
                    t.ch == 0 && (b[0] == 0xC2 || (b[0] == 0xE2 && b.get(1) == Some(&0x85)));
                if t.ch == b'.' || fraction_char {
                    cx.at_number(i, &mut out)
                } else if t.ch == b'+' {
                    // "+44 20 7946 0958": a phone number, skip its digit groups.
                    let mut k = i + 1;
                    while k < n
                        && (toks[k].kind == Tk::Digits || toks[k].is_punct(b'-'))
                        && !toks[k].newline
                        && (k == i + 1 && toks[k].glued() || k > i + 1)
                    {
                        k += 1;
                    }
                    if k > i + 1 {
                        k
                    } else {
                        i + 1
                    }
                } else {
                    i + 1
                }
            }
        };
        i = next.max(i + 1);
    }
    cx.fill_periods(&mut out);
    // "1e400", a 400-digit run, or a scale or hedge pushing a huge value past f64: not a
    // quantity anyone reported, and an infinite value would poison comparisons downstream.
    out.retain(|f| {
        [f.q.low, f.q.high]
            .into_iter()
            .flatten()
            .all(f64::is_finite)
    });
    out
}

struct Cx<'a> {
    text: &'a str,
    toks: &'a [Tok],
    p: Parser<'a>,
    lex: &'a UnitLexicon,
    /// The token where the last recorded quantity ended: what lies before it is taken, so
    /// a later quantity may not reach back over it for a hedge or a currency ("0 $ 100").
    floor: Cell<usize>,
}

/// A largest power of a thousand not above `v` (the scale of "2 million" is 10⁶).
fn scale_of(v: f64) -> f64 {
    let mut s = 1.0;
    for p in [1e3, 1e6, 1e9, 1e12] {
        if v >= p {
            s = p;
        }
    }
    s
}

impl<'a> Cx<'a> {
    #[inline]
    fn raw(&self, i: usize) -> &'a str {
        // Past the end reads as empty, so look-ahead needs no bounds checks of its own.
        match self.toks.get(i) {
            Some(t) => &self.text[t.start as usize..t.end as usize],
            None => "",
        }
    }

    /// The lower-cased word at `i` (in `buf`), if token `i` is a word.
    #[inline]
    fn lw<'b>(&self, i: usize, buf: &'b mut [u8; 48]) -> Option<&'b str> {
        let t = self.toks.get(i)?;
        if t.kind != Tk::Word {
            return None;
        }
        lower(self.text, t, buf)
    }

    #[inline]
    fn is(&self, i: usize, w: &str) -> bool {
        match self.toks.get(i) {
            Some(t) if t.kind == Tk::Word && t.len() == w.len() => {
                self.raw(i).eq_ignore_ascii_case(w)
            }
            _ => false,
        }
    }

    /// A word written with a capital anywhere ("Group", "iOS", "iPhone"): a name.
    fn name_like(&self, i: usize) -> bool {
        self.toks[i].kind == Tk::Word && self.raw(i).bytes().any(|c| c.is_ascii_uppercase())
    }

    #[inline]
    fn capitalized(&self, i: usize) -> bool {
        self.toks[i].kind == Tk::Word
            && self.text.as_bytes()[self.toks[i].start as usize].is_ascii_uppercase()
    }

    /// A currency alias made of tokens `a..b`: symbols glue to their neighbours ("US $" →
    /// "us$"), words are joined by one space.
    fn currency_span(&self, a: usize, b: usize) -> Option<(&'a str, f64)> {
        let mut key = [0u8; 64];
        let mut rawb = [0u8; 64];
        let mut len = 0usize;
        for k in a..b {
            let t = &self.toks[k];
            if k > a && t.newline {
                return None;
            }
            let r = self.raw(k).as_bytes();
            let sep = k > a && t.space && t.kind == Tk::Word && self.toks[k - 1].kind == Tk::Word;
            let need = r.len() + sep as usize;
            if len + need > key.len() {
                return None;
            }
            if sep {
                key[len] = b' ';
                rawb[len] = b' ';
                len += 1;
            }
            for &c in r {
                key[len] = c.to_ascii_lowercase();
                rawb[len] = c;
                len += 1;
            }
        }
        let key = std::str::from_utf8(&key[..len]).ok()?;
        let raw = std::str::from_utf8(&rawb[..len]).ok()?;
        if let Some((code, f)) = self.lex.currency(key, raw) {
            return Some((code, f));
        }
        // "30 MUSD", "MEUR 120": a code with an M (million) prefix, in capitals.
        if b == a + 1
            && raw.len() == 4
            && raw.starts_with('M')
            && raw.bytes().all(|c| c.is_ascii_uppercase())
        {
            if let Some((code, f)) = self.lex.currency(&key[1..], &raw[1..]) {
                return Some((code, f * 1e6));
            }
        }
        None
    }

    /// The longest currency alias starting at token `j`: (code, factor, end token).
    fn currency_at(&self, j: usize) -> Option<(&'a str, f64, usize)> {
        let n = self.toks.len();
        if j >= n || self.toks[j].kind == Tk::Digits {
            return None;
        }
        for m in (1..=4).rev() {
            if j + m > n {
                continue;
            }
            if let Some((c, f)) = self.currency_span(j, j + m) {
                // A word alias must end at a word boundary: "10 $ 5" is fine, "lira" in
                // "lirastyle" cannot happen (words are whole tokens).
                return Some((c, f, j + m));
            }
        }
        None
    }

    /// The longest currency alias ending just before token `j`: (code, factor, first token).
    /// Only symbols ("$", "US$", "£"), codes in capitals ("USD 200") and codes glued to the
    /// amount ("usd115") may precede an amount: "dollars 50" is not how amounts are written.
    fn currency_before(&self, j: usize) -> Option<(&'a str, f64, usize)> {
        if j <= self.floor.get() || self.toks[j].newline {
            return None;
        }
        // Only a symbol, a capitalised code or a word glued to the digits can precede an
        // amount; test that before building any lookup key.
        let p = &self.toks[j - 1];
        match p.kind {
            Tk::Digits => return None,
            Tk::Punct if p.ch != 0 && p.ch != b'$' => return None,
            Tk::Word
                if self.toks[j].space
                    && !self.raw(j - 1).bytes().all(|c| c.is_ascii_uppercase()) =>
            {
                return None
            }
            _ => {}
        }
        for m in (1..=4).rev() {
            if m > j || j - m < self.floor.get() {
                continue;
            }
            let a = j - m;
            if let Some((c, f)) = self.currency_span(a, j) {
                let raw_last = self.raw(j - 1);
                let symbolic = (a..j).any(|k| self.toks[k].kind == Tk::Punct);
                let code_caps = m == 1
                    && raw_last.len() <= 4
                    && raw_last.bytes().all(|c| c.is_ascii_uppercase());
                let glued = !self.toks[j].space && self.toks[j - 1].kind == Tk::Word;
                if symbolic || code_caps || glued {
                    // "the 1 $10 bill": a symbol glued to the next number binds to it.
                    return Some((c, f, a));
                }
            }
        }
        None
    }

    /// A hedge ending just before token `j`: (kind, first token).
    fn hedge_before(&self, j: usize) -> Option<(Hedge, usize)> {
        let h = self.hedge_before_any(j)?;
        (h.1 >= self.floor.get()).then_some(h)
    }

    fn hedge_before_any(&self, j: usize) -> Option<(Hedge, usize)> {
        let mut b1 = [0u8; 48];
        let mut b2 = [0u8; 48];
        let mut b3 = [0u8; 48];
        let w1 = if j >= 1 {
            self.lw(j - 1, &mut b1)
        } else {
            None
        }?;
        if self.toks[j].newline {
            return None;
        }
        let w2 = if j >= 2 && !self.toks[j - 1].newline {
            self.lw(j - 2, &mut b2)
        } else {
            None
        };
        let w3 = if j >= 3 && !self.toks[j - 2].newline {
            self.lw(j - 3, &mut b3)
        } else {
            None
        };
        if let (Some(a), Some(b)) = (w3, w2) {
            let h = match (a, b, w1) {
                ("no" | "not", "less" | "fewer", "than") => Some(Hedge::AtLeast),
                ("no" | "not", "more", "than") => Some(Hedge::AtMost),
                ("as", "many" | "much", "as") => Some(Hedge::AtMost),
                ("in", "excess", "of") => Some(Hedge::Over),
                ("a", "maximum", "of") => Some(Hedge::AtMost),
                ("a", "minimum", "of") => Some(Hedge::AtLeast),
                ("just", "shy", "of") => Some(Hedge::Below),
                ("a", "total", "of") => None,
                _ => None,
            };
            if let Some(h) = h {
                return Some((h, j - 3));
            }
        }
        if let Some(a) = w2 {
            let h = match (a, w1) {
                ("up", "to") => Some(Hedge::AtMost),
                ("at", "least") => Some(Hedge::AtLeast),
                ("at", "most") => Some(Hedge::AtMost),
                ("more" | "greater", "than") => Some(Hedge::Over),
                ("fewer" | "less", "than") => Some(Hedge::Under),
                ("an", "estimated") => Some(Hedge::Around),
                ("close", "to") => Some(Hedge::Around),
                ("upwards", "of") => Some(Hedge::Over),
                ("just" | "well" | "slightly", "over" | "above") => Some(Hedge::Over),
                ("just" | "slightly", "under" | "below") => Some(Hedge::Below),
                _ => None,
            };
            if let Some(h) = h {
                return Some((h, j - 2));
            }
        }
        let h = match w1 {
            "about" | "around" | "roughly" | "approximately" | "approx" | "some" | "circa"
            | "estimated" | "ca" | "nearly" | "almost" => {
                if matches!(w1, "nearly" | "almost") {
                    Hedge::Below
                } else {
                    Hedge::Around
                }
            }
            "over" | "above" | "exceeding" => Hedge::Over,
            "under" | "below" => Hedge::Under,
            "between" => Hedge::Between,
            "from" => Hedge::From,
            _ => return None,
        };
        Some((h, j - 1))
    }

    /// A vague quantifier at token `i`: ((low, high), end token).
    fn vague_at(&self, i: usize) -> Option<((f64, f64), usize)> {
        let mut b = [0u8; 48];
        let w = self.lw(i, &mut b)?;
        let of_then = |k: usize, what: &[&str]| -> bool {
            self.is(k, "of") && what.iter().any(|s| self.is(k + 1, s))
        };
        let scaled = |lo: f64, hi: f64, k: usize| -> ((f64, f64), usize) {
            let mut bb = [0u8; 48];
            match self.lw(k, &mut bb) {
                Some("dozen") => ((lo * 12.0, hi * 12.0), k + 1),
                Some("hundred") => ((lo * 100.0, hi * 100.0), k + 1),
                Some("thousand") => ((lo * 1e3, hi * 1e3), k + 1),
                Some("million") => ((lo * 1e6, hi * 1e6), k + 1),
                Some("billion") => ((lo * 1e9, hi * 1e9), k + 1),
                _ => ((lo, hi), k),
            }
        };
        Some(match w {
            "dozens" => ((24.0, 99.0), i + 1),
            "scores" if self.is(i + 1, "of") => ((40.0, 199.0), i + 1),
            "hundreds" => {
                if of_then(i + 1, &["thousands"]) {
                    ((2e5, 999_999.0), i + 3)
                } else if of_then(i + 1, &["millions"]) {
                    ((2e8, 999_999_999.0), i + 3)
                } else {
                    ((200.0, 999.0), i + 1)
                }
            }
            "thousands" => ((2000.0, 9999.0), i + 1),
            "millions" => ((2e6, 9_999_999.0), i + 1),
            "billions" => ((2e9, 9_999_999_999.0), i + 1),
            "tens" => {
                if of_then(i + 1, &["thousands"]) {
                    ((2e4, 99_999.0), i + 3)
                } else if of_then(i + 1, &["millions"]) {
                    ((2e7, 99_999_999.0), i + 3)
                } else {
                    return None;
                }
            }
            "several" => scaled(3.0, 9.0, i + 1),
            "a" => {
                let mut b2 = [0u8; 48];
                match self.lw(i + 1, &mut b2) {
                    Some("few") => scaled(2.0, 5.0, i + 2),
                    Some("couple") if self.is(i + 2, "of") => ((2.0, 3.0), i + 2),
                    Some("handful") if self.is(i + 2, "of") => ((2.0, 5.0), i + 2),
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    /// Tries a quantity at token `i`; returns the token to continue from.
    fn at_number(&self, i: usize, out: &mut Vec<Found>) -> usize {
        let toks = self.toks;
        let n = toks.len();
        // Dates and chains first: "29-09-2020", "2020-10-02", "5/17/2018", "10:30",
        // "192.168.1.2".
        if toks[i].kind == Tk::Digits {
            if let Some(e) = self.chain_to_skip(i) {
                return e;
            }
            // The tail of a list or address already judged ("22,24,26", "192.168.1.2").
            if i >= 2
                && toks[i].glued()
                && (toks[i - 1].is_punct(b',') || toks[i - 1].is_punct(b'.'))
                && toks[i - 1].glued()
                && toks[i - 2].kind == Tk::Digits
            {
                let mut e = i + 1;
                while e + 1 < n
                    && (toks[e].is_punct(b',') || toks[e].is_punct(b'.'))
                    && toks[e].glued()
                    && toks[e + 1].kind == Tk::Digits
                    && toks[e + 1].glued()
                {
                    e += 2;
                }
                return e;
            }
        }
        if let Some((v, e)) = self.vague_at(i) {
            let val = Val {
                low: v.0,
                high: v.1,
                vague: true,
                range: false,
            };
            // "millions of dollars": a vague amount of money.
            let k = if self.is(e, "of") { e + 1 } else { e };
            if let Some((code, f, ce)) = self.currency_at(k) {
                let val = Val {
                    low: val.low * f,
                    high: val.high * f,
                    ..val
                };
                let h = self.hedge_before(i);
                let start = h.map(|h| h.1).unwrap_or(i);
                return self.finish_with(
                    start,
                    ce,
                    val,
                    h.map(|h| h.0),
                    QuantityKind::Money,
                    Some(code.to_string()),
                    None,
                    out,
                );
            }
            return self.vague(i, e, val, out);
        }
        if !self.p.may_start(i) {
            return i + 1;
        }
        let num = match self.p.parse(i) {
            Some(x) => x,
            None => return i + 1,
        };
        if num.negative {
            return i + 1;
        }
        self.number(num, out)
    }

    /// Token chains that are never quantities; returns the token after the chain.
    fn chain_to_skip(&self, i: usize) -> Option<usize> {
        let toks = self.toks;
        let n = toks.len();
        let sep = |k: usize, c: u8| k < n && toks[k].is_punct(c) && toks[k].glued();
        let dig = |k: usize| k < n && toks[k].kind == Tk::Digits && toks[k].glued();
        // Clock time.
        if sep(i + 1, b':') && dig(i + 2) {
            let mut e = i + 3;
            if sep(e, b':') && dig(e + 1) {
                e += 2;
            }
            return Some(e);
        }
        for c in [b'-', b'/', b'.'] {
            if sep(i + 1, c) && dig(i + 2) && sep(i + 3, c) && dig(i + 4) {
                let mut e = i + 5;
                while sep(e, c) && dig(e + 1) {
                    e += 2;
                }
                return Some(e);
            }
        }
        // "555-0100": a dash group with a leading zero is a phone or code.
        if sep(i + 1, b'-')
            && dig(i + 2)
            && self.raw(i + 2).starts_with('0')
            && toks[i + 2].len() >= 3
        {
            return Some(i + 3);
        }
        None
    }

    /// Grows a parsed number into a quantity (or rejects it); returns the next token.
    fn number(&self, num: Num, out: &mut Vec<Found>) -> usize {
        let toks = self.toks;
        let n = toks.len();
        let i = num.first;
        let mut buf = [0u8; 48];
        // Fractions below one are shares, not counts.
        if (num.form == numbers::NumberForm::Fraction || num.words) && num.value < 1.0 {
            return num.last;
        }
        // "12/8": a slash between two numbers is a date or a score more often than a
        // fraction above one in news text.
        if num.form == numbers::NumberForm::Fraction
            && i + 1 < toks.len()
            && toks[i + 1].is_punct(b'/')
            && toks[i + 1].glued()
        {
            return num.last;
        }
        // Digits glued to a word before them: "H1N1", "COVID19" — unless a currency code
        // ("USD115") precedes.
        let prefix_cur = self.currency_before(i);
        if toks[i].kind == Tk::Digits
            && toks[i].glued()
            && i > 0
            && toks[i - 1].kind == Tk::Word
            && prefix_cur.is_none()
        {
            return num.last.max(i + 1);
        }
        // "F-16", "SCP-173", "Covid-19": a name joined to its number.
        if toks[i].kind == Tk::Digits
            && i >= 2
            && toks[i].glued()
            && toks[i - 1].is_punct(b'-')
            && toks[i - 1].glued()
            && toks[i - 2].kind == Tk::Word
        {
            let mut bb = [0u8; 48];
            let w = self.lw(i - 2, &mut bb).unwrap_or("");
            if !matches!(w, "to" | "and" | "or") {
                return num.last;
            }
        }
        // Glued letters after the number: "4th", "1990s", "10am", "29km", "115USD".
        let mut glued_unit: Option<(String, usize)> = None;
        let mut glued_cur: Option<(&str, f64, usize)> = None;
        if let Some(g) = num.glued_word {
            let w = self.lw(g, &mut buf).unwrap_or("");
            if let Some((c, f, e)) = self.currency_at(g) {
                glued_cur = Some((c, f, e));
            } else if num.m_suffix && prefix_cur.is_some() {
                // "$10m": million in money.
            } else if let Some(u) = self.lex.noun(w) {
                glued_unit = Some((u.to_string(), g + 1));
            } else {
                return g + 1;
            }
        } else if num.m_suffix && prefix_cur.is_none() {
            return num.last + 1;
        }
        // "4G", "5B": a glued capital after a number names a generation or a model unless
        // money is meant ("$5B").
        if num.scaled
            && prefix_cur.is_none()
            && num.last > i + 1
            && toks[num.last - 1].kind == Tk::Word
            && toks[num.last - 1].glued()
        {
            let suf = self.raw(num.last - 1);
            if matches!(suf, "G" | "B" | "b" | "T") && self.currency_at(num.last).is_none() {
                return num.last;
            }
        }
        let mut value = num.value;
        let mut last = num.last;
        if num.m_suffix && prefix_cur.is_some() {
            value *= 1e6;
            last = num.last + 1;
        }
        // "0800 555 111", "007": a leading zero makes a code, not an amount.
        if num.plain && toks[i].len() >= 2 && self.raw(i).starts_with('0') {
            let mut e = num.last;
            while e < n && toks[e].kind == Tk::Digits && !toks[e].newline {
                e += 1;
            }
            return e;
        }
        // Lone "one" is mostly a pronoun ("one of the headquarters"); it counts only with
        // a known noun after it.
        let lone_one = num.words && num.value == 1.0 && num.last == num.first + 1;
        let hedge = {
            let k = prefix_cur.map(|c| c.2).unwrap_or(i);
            self.hedge_before(k)
        };
        // Identifiers and names: "Article 5", "Group 7", "No. 5", "#5".
        if !num.words && prefix_cur.is_none() && hedge.is_none() && i > 0 {
            let prev = if toks[i - 1].is_punct(b'.') && i >= 2 {
                i - 2
            } else {
                i - 1
            };
            let mut bb = [0u8; 48];
            if let Some(w) = self.lw(prev, &mut bb) {
                if is_label_word(w) && !self.known_noun_at(num.last) {
                    return num.last;
                }
            }
        }
        if num.plain && prefix_cur.is_none() && hedge.is_none() && i > 0 {
            let prev = if toks[i - 1].is_punct(b'.') && i >= 2 {
                i - 2
            } else {
                i - 1
            };
            let mut bb = [0u8; 48];
            if toks[i - 1].is_punct(b'#') {
                return num.last;
            }
            if let Some(w) = self.lw(prev, &mut bb) {
                let w = w.to_string();
                if is_label_word(&w) && !self.known_noun_at(num.last) {
                    return num.last;
                }
                if is_month(&w)
                    && num.value <= 31.0
                    && (self.capitalized(prev) || !matches!(w.as_str(), "may" | "march"))
                {
                    return num.last;
                }
                if self.name_like(prev)
                    && !is_stop(&w)
                    && prev == i - 1
                    && !self.known_noun_at(num.last)
                    && self.lex.noun(&w).is_none()
                    && !is_change_verb(&w)
                    && !is_link(&w)
                {
                    return num.last;
                }
            }
        }
        // A list marker at the start of a line: "2. There's no London".
        if num.plain
            && (i == 0 || toks[i].newline)
            && toks
                .get(num.last)
                .map(|t| (t.is_punct(b'.') || t.is_punct(b')')) && t.glued())
                .unwrap_or(false)
        {
            return num.last + 1;
        }
        // "Gill Rosenberg (31)": an age in parentheses after a name.
        if num.plain
            && num.value <= 120.0
            && i >= 2
            && toks[i - 1].is_punct(b'(')
            && self.capitalized(i - 2)
            && toks
                .get(num.last)
                .map(|t| t.is_punct(b')'))
                .unwrap_or(false)
        {
            return num.last + 1;
        }
        // "Foley, 40, grew up": an age in apposition to a name.
        if num.plain
            && num.value <= 120.0
            && i >= 2
            && toks[i - 1].is_punct(b',')
            && (self.capitalized(i - 2) || self.person_word(i - 2))
        {
            let after = toks.get(num.last);
            if after
                .map(|t| t.is_punct(b',') || t.is_punct(b'.') || t.is_punct(b')'))
                .unwrap_or(true)
            {
                return num.last;
            }
        }
        // "4 Times Square", "5 Unforgettable Steve Jobs": a number followed by a name, with
        // no known noun after it, belongs to the name.
        if (num.plain || num.words)
            && prefix_cur.is_none()
            && num.last < n
            && self.capitalized(num.last)
            && toks[num.last].space
            && !self.known_noun_at(num.last)
            && self.percent_at(num.last).is_none()
            && self.currency_at(num.last).is_none()
        {
            let mut bb = [0u8; 48];
            let w = self.lw(num.last, &mut bb).unwrap_or("");
            let weekday = matches!(
                w,
                "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
            );
            if !is_month(w) && !weekday {
                return num.last;
            }
        }
        // "27 September": a day of the month.
        if num.plain && num.value <= 31.0 {
            let mut bb = [0u8; 48];
            if let Some(w) = self.lw(num.last, &mut bb) {
                if is_month(w) && (self.capitalized(num.last) || !matches!(w, "may" | "march")) {
                    return num.last + 1;
                }
            }
        }
        // Clock times: "3 p.m.", "3pm", "10 am", "3 o'clock", "1500 GMT".
        if num.plain || (num.words && num.value <= 12.0) {
            let mut bb = [0u8; 48];
            let w = self.lw(num.last, &mut bb);
            let is_time = match w {
                Some("am" | "pm" | "gmt" | "utc" | "hrs") => true,
                Some("a" | "p") => {
                    toks.get(num.last + 1)
                        .map(|t| t.is_punct(b'.'))
                        .unwrap_or(false)
                        && self.is(num.last + 2, "m")
                }
                Some("o") => {
                    toks.get(num.last + 1)
                        .map(|t| t.ch == b'\'' || t.ch == 0)
                        .unwrap_or(false)
                        && self.is(num.last + 2, "clock")
                }
                _ => false,
            };
            if is_time && num.plain {
                return num.last + 1;
            }
        }
        // Years: "in 1988", "since 1991", "2019-2020".
        if num.plain
            && toks[i].len() == 4
            && (1800.0..=2100.0).contains(&num.value)
            && prefix_cur.is_none()
            // "around 2012" is still a year; "more than 2000" is a count.
            && hedge
                .map(|h| matches!(h.0, Hedge::From | Hedge::Between | Hedge::Around))
                .unwrap_or(true)
            && self.currency_at(num.last).is_none()
            && self.percent_at(num.last).is_none()
        {
            let prev_prep = i > 0 && {
                let mut bb = [0u8; 48];
                matches!(
                    self.lw(i - 1, &mut bb),
                    Some(
                        "in" | "since"
                            | "by"
                            | "until"
                            | "till"
                            | "of"
                            | "from"
                            | "during"
                            | "before"
                            | "after"
                            | "to"
                            | "early"
                            | "late"
                            | "mid"
                            | "year"
                            | "between"
                            | "and"
                            | "the"
                    )
                )
            };
            if prev_prep || !self.known_noun_at(num.last) {
                // Skip a year range with it.
                let mut e = num.last;
                let dash = e < n
                    && (toks[e].is_punct(b'-')
                        || (toks[e].kind == Tk::Punct && matches!(self.raw(e), "–" | "—")));
                if e + 1 < n
                    && (dash || self.is(e, "to") || self.is(e, "and"))
                    && toks[e + 1].kind == Tk::Digits
                {
                    e += 2;
                }
                return e;
            }
        }
        let mut val = Val {
            low: value,
            high: value,
            vague: false,
            range: false,
        };
        let mut stated = Some(value);
        // A range partner: "150-200", "150 to 200", "three or six", "£700-£1,000",
        // "between 150 and 200", "20~100", "1.5-2 million".
        let after = glued_cur
            .map(|c| c.2)
            .or(glued_unit.as_ref().map(|g| g.1))
            .unwrap_or(last);
        let mut cur_after: Option<(&str, f64, usize)> = glued_cur;
        if cur_after.is_none() && glued_unit.is_none() {
            if let Some((second, e)) =
                self.range_partner(after, hedge.map(|h| h.0), prefix_cur.is_some())
            {
                let mut lo = value;
                if second.scaled && !num.scaled {
                    let s = scale_of(second.value);
                    if lo * s <= second.value {
                        lo *= s;
                    }
                }
                // "between 500 and 300": the words say a range whatever the order; a
                // dash or "to" with a smaller second number is a score or a change.
                let between = matches!(hedge, Some((Hedge::Between, _)));
                if second.value > lo || between {
                    val = Val {
                        low: lo.min(second.value),
                        high: lo.max(second.value),
                        vague: false,
                        range: true,
                    };
                    stated = None;
                    last = e;
                }
            }
        }
        // Currency after: "7,000 Turkish lira", "10 $", "115USD", "one-yen", "75 USD million".
        if prefix_cur.is_none() && cur_after.is_none() && glued_unit.is_none() {
            let mut k = last;
            if k < n
                && toks[k].is_punct(b'-')
                && toks[k].glued()
                && k + 1 < n
                && toks[k + 1].glued()
            {
                k += 1;
            }
            // "1 $10 dollars": a symbol glued to the next number belongs to that number.
            if let Some((c, f, e)) = self.currency_at(k) {
                let binds_next = e < n && toks[e].kind == Tk::Digits && toks[e].glued();
                if !binds_next && !toks[k].newline {
                    cur_after = Some((c, f, e));
                }
            }
        }
        // "K5s weigh 300 pounds": pounds of weight, not sterling.
        if let Some((code, _, e)) = cur_after {
            if code == "GBP" && self.weight_context(i) {
                let mut bb = [0u8; 48];
                if matches!(self.lw(e - 1, &mut bb), Some("pound" | "pounds")) {
                    cur_after = None;
                    glued_unit = Some(("lb".to_string(), e));
                }
            }
        }
        let currency = prefix_cur
            .map(|(c, f, _)| (c, f))
            .or(cur_after.map(|(c, f, _)| (c, f)));
        let mut end_tok = cur_after.map(|c| c.2).unwrap_or(last).max(last);
        let mut start_tok = prefix_cur.map(|c| c.2).unwrap_or(i);
        if let Some((h, hs)) = hedge {
            // "between"/"from" belong to the span only when a range follows them.
            if !matches!(h, Hedge::Between | Hedge::From) || val.range {
                start_tok = hs;
            }
        }
        let mut kind = QuantityKind::Count;
        let mut unit: Option<String> = None;
        if let Some((code, factor)) = currency {
            kind = QuantityKind::Money;
            unit = Some(code.to_string());
            // "75 USD million".
            if cur_after.is_some() {
                let mut bb = [0u8; 48];
                let s = match self.lw(end_tok, &mut bb) {
                    Some("million" | "mn" | "mln") => 1e6,
                    Some("billion" | "bn" | "bln") => 1e9,
                    Some("thousand") => 1e3,
                    Some("trillion") => 1e12,
                    _ => 1.0,
                };
                if s > 1.0 && !num.scaled {
                    val.low *= s;
                    val.high *= s;
                    stated = stated.map(|v| v * s);
                    end_tok += 1;
                }
            }
            // "$10 dollars": the same currency said twice.
            if prefix_cur.is_some() {
                if let Some((c2, _, e2)) = self.currency_at(end_tok) {
                    if c2 == code && !(e2 < n && toks[e2].kind == Tk::Digits) {
                        end_tok = e2;
                    }
                }
            }
            // Cents after the amount: "3 dollars 50 cents", "c $ 100 and fifty".
            if !val.range && value.fract() == 0.0 && factor == 1.0 {
                if let Some((c, e)) = self.cents_after(end_tok) {
                    val.low += c / 100.0;
                    val.high += c / 100.0;
                    stated = stated.map(|v| v + c / 100.0);
                    end_tok = e;
                }
            }
            val.low *= factor;
            val.high *= factor;
            stated = stated.map(|v| v * factor);
        } else if let Some((u, e)) = glued_unit {
            kind = kind_of_unit(&u);
            unit = Some(u);
            end_tok = e;
        } else if let Some(e) = self.percent_at(end_tok) {
            kind = QuantityKind::Percent;
            unit = Some("percent".to_string());
            end_tok = e;
        }
        // "one day we will see": "one day" is an idiom unless a span of time is meant.
        if lone_one && self.is(end_tok, "day") {
            let mut bb = [0u8; 48];
            let prev = if i > 0 { self.lw(i - 1, &mut bb) } else { None };
            if !matches!(
                prev,
                Some(
                    "for"
                        | "in"
                        | "after"
                        | "within"
                        | "than"
                        | "just"
                        | "only"
                        | "over"
                        | "of"
                        | "lasted"
                        | "last"
                )
            ) {
                return end_tok + 1;
            }
        }
        if lone_one && unit.is_none() && (self.is(end_tok, "of") || !self.known_noun_at(end_tok)) {
            return end_tok.max(num.last);
        }
        let out_val = val;
        self.finish_with(
            start_tok,
            end_tok,
            out_val,
            hedge.map(|h| h.0),
            kind,
            unit,
            stated,
            out,
        )
    }

    /// A word for a person ("man", "soldier"): ages follow them in apposition.
    fn person_word(&self, i: usize) -> bool {
        let mut bb = [0u8; 48];
        self.lw(i, &mut bb)
            .and_then(|w| self.lex.noun(w))
            .map(|u| {
                matches!(
                    u,
                    "person" | "child" | "fighter" | "soldier" | "civilian" | "officer" | "police"
                )
            })
            .unwrap_or(false)
    }

    /// A form of "weigh" within four words before token `i`.
    fn weight_context(&self, i: usize) -> bool {
        (i.saturating_sub(4)..i).any(|k| {
            let mut bb = [0u8; 48];
            self.lw(k, &mut bb)
                .map(|w| w.starts_with("weigh"))
                .unwrap_or(false)
        })
    }

    /// Is a noun the lexicon knows right after token `j` (within the noun phrase)?
    fn known_noun_at(&self, j: usize) -> bool {
        matches!(self.head_noun(j, false), Some((_, _, true)))
    }

    /// Records a vague count ("dozens of mercenaries") with any hedge before it.
    fn vague(&self, start: usize, end: usize, val: Val, out: &mut Vec<Found>) -> usize {
        let h = self
            .hedge_before(start)
            .filter(|h| !matches!(h.0, Hedge::Between | Hedge::From));
        let s = h.map(|h| h.1).unwrap_or(start);
        self.finish_with(
            s,
            end,
            val,
            h.map(|h| h.0),
            QuantityKind::Count,
            None,
            None,
            out,
        )
    }

    /// Adds the counted noun, the hedge interval and the period, and records the quantity.
    #[allow(clippy::too_many_arguments)]
    fn finish_with(
        &self,
        start_tok: usize,
        mut end_tok: usize,
        val: Val,
        hedge: Option<Hedge>,
        mut kind: QuantityKind,
        mut unit: Option<String>,
        stated: Option<f64>,
        out: &mut Vec<Found>,
    ) -> usize {
        let toks = self.toks;
        let n = toks.len();
        if kind == QuantityKind::Count && unit.is_none() {
            if let Some((u, e, known)) = self.head_noun(end_tok, val.low == 1.0 && val.high == 1.0)
            {
                if known {
                    kind = kind_of_unit(&u);
                }
                unit = Some(u);
                end_tok = e;
                // "three-months-long", "six-year-old".
                if kind == QuantityKind::Duration
                    && end_tok + 1 < n
                    && toks[end_tok].is_punct(b'-')
                    && toks[end_tok].glued()
                {
                    let mut bb = [0u8; 48];
                    if matches!(self.lw(end_tok + 1, &mut bb), Some("long" | "old")) {
                        end_tok += 2;
                    }
                }
            } else if let Some(u) = self
                .cue_after(end_tok)
                .or_else(|| self.cue_before(start_tok))
            {
                unit = Some(u.to_string());
            }
        }
        let duration = kind == QuantityKind::Duration;
        let (mut low, mut high, mut approx) = (Some(val.low), Some(val.high), val.vague);
        match hedge {
            Some(Hedge::Around) => {
                approx = true;
                if !val.vague && !val.range {
                    low = Some(val.low * 9.0 / 10.0);
                    high = Some(val.high * 11.0 / 10.0);
                }
            }
            Some(Hedge::Below) => {
                approx = true;
                if !val.vague && !val.range {
                    low = Some(val.low * 9.0 / 10.0);
                }
            }
            Some(Hedge::AtMost) => low = None,
            Some(Hedge::Under) if !duration => low = None,
            Some(Hedge::AtLeast) => high = None,
            Some(Hedge::Over) if !duration => high = None,
            _ => {}
        }
        // "150 or more", "150+", "150-plus", "1,000 or so".
        if end_tok < n {
            if self.is(end_tok, "or") {
                let mut bb = [0u8; 48];
                match self.lw(end_tok + 1, &mut bb) {
                    Some("more") => {
                        high = None;
                        end_tok += 2;
                    }
                    Some("so") => {
                        approx = true;
                        if !val.vague && !val.range {
                            low = Some(val.low * 9.0 / 10.0);
                            high = Some(val.high * 11.0 / 10.0);
                        }
                        end_tok += 2;
                    }
                    _ => {}
                }
            } else if toks[end_tok].is_punct(b'+') && toks[end_tok].glued() {
                high = None;
                end_tok += 1;
            } else if toks[end_tok].is_punct(b'-')
                && toks[end_tok].glued()
                && self.is(end_tok + 1, "plus")
            {
                high = None;
                end_tok += 2;
            }
        }
        let hedge_start = start_tok;
        let q = Quantity {
            start: toks[hedge_start].start as usize,
            end: toks[end_tok.max(hedge_start + 1) - 1].end as usize,
            kind,
            low,
            high,
            approx,
            unit,
            per: None,
        };
        out.push(Found {
            q,
            stated,
            toks: (hedge_start, end_tok.max(hedge_start + 1)),
        });
        self.floor.set(end_tok);
        end_tok
    }

    /// "-200", " to 200", " or six", " and 200" (after "between"), "~100": the second
    /// number of a range. Returns (number, end token).
    fn range_partner(&self, j: usize, hedge: Option<Hedge>, money: bool) -> Option<(Num, usize)> {
        let toks = self.toks;
        let n = toks.len();
        if j + 1 >= n || toks[j].newline {
            return None;
        }
        let t = &toks[j];
        let ok = if t.kind == Tk::Punct {
            let r = self.raw(j);
            matches!(r, "-" | "–" | "—" | "~")
        } else if self.is(j, "to") {
            // "rose from 30 to 52" is a change.
            if hedge == Some(Hedge::From) {
                let mut bb = [0u8; 48];
                let k = self.hedge_before_idx_from(j);
                if let Some(k) = k {
                    if k > 0 && self.lw(k - 1, &mut bb).map(is_change_verb).unwrap_or(false) {
                        return None;
                    }
                }
            }
            true
        } else if self.is(j, "or") {
            true
        } else if self.is(j, "and") {
            hedge == Some(Hedge::Between)
        } else {
            false
        };
        if !ok {
            return None;
        }
        let mut k = j + 1;
        if toks[k].newline {
            return None;
        }
        // "£700-£1,000": the currency repeated.
        if money {
            if let Some((_, _, e)) = self.currency_at(k) {
                k = e;
            }
        }
        if k >= n || !(toks[k].kind == Tk::Digits || toks[k].kind == Tk::Word) {
            return None;
        }
        let second = self.p.parse(k)?;
        if second.negative
            || second.glued_word.is_some()
            || second.form == numbers::NumberForm::Fraction && second.value < 1.0
        {
            return None;
        }
        Some((second, second.last))
    }

    /// The token of "from" before a number whose range connector is at `j`.
    fn hedge_before_idx_from(&self, j: usize) -> Option<usize> {
        let lo = j.saturating_sub(8);
        (lo..j).rev().find(|&k| self.is(k, "from"))
    }

    /// "%", "percent", "per cent", "pct" at token `j`: the end token.
    fn percent_at(&self, j: usize) -> Option<usize> {
        let t = self.toks.get(j)?;
        if t.newline {
            return None;
        }
        if t.is_punct(b'%') {
            return Some(j + 1);
        }
        let mut bb = [0u8; 48];
        match self.lw(j, &mut bb)? {
            "percent" | "pct" | "percentage" => {
                if self.is(j + 1, "points") || self.is(j + 1, "point") {
                    Some(j + 2)
                } else {
                    Some(j + 1)
                }
            }
            "per" if self.is(j + 1, "cent") => Some(j + 2),
            _ => None,
        }
    }

    /// Cents after an amount: "50", "and 50", "50 cents". Only when nothing but a cents word,
    /// "and", "more"/"less" or punctuation follows, so "$100 and 50 fighters" stays apart.
    fn cents_after(&self, j: usize) -> Option<(f64, usize)> {
        let toks = self.toks;
        let n = toks.len();
        let mut k = j;
        if k < n && self.is(k, "and") {
            k += 1;
        }
        if k >= n || toks[k].newline || !(toks[k].kind == Tk::Digits || toks[k].kind == Tk::Word) {
            return None;
        }
        let c = self.p.parse(k)?;
        if c.negative
            || c.form != numbers::NumberForm::Integer
            || c.value < 1.0
            || c.value > 99.0
            || c.glued_word.is_some()
        {
            return None;
        }
        let e = c.last;
        if e >= n {
            return Some((c.value, e));
        }
        let mut bb = [0u8; 48];
        match self.lw(e, &mut bb) {
            Some("cents" | "cent") => Some((c.value, e + 1)),
            Some("and" | "more" | "less") => Some((c.value, e)),
            Some(_) => None,
            None => {
                if toks[e].kind == Tk::Punct && self.currency_at(e).is_none() {
                    Some((c.value, e))
                } else {
                    None
                }
            }
        }
    }

    /// The counted noun after token `j`: (unit, end token, known to the lexicon).
    fn head_noun(&self, j: usize, one: bool) -> Option<(String, usize, bool)> {
        let toks = self.toks;
        let n = toks.len();
        let mut k = j;
        if k < n && self.is(k, "of") && !toks[k].newline {
            k += 1;
            let mut bb = [0u8; 48];
            if matches!(
                self.lw(k, &mut bb),
                Some("the" | "these" | "those" | "their" | "its" | "his" | "her")
            ) {
                k += 1;
            }
        }
        let mut plural: Option<usize> = None;
        let mut last_content: Option<usize> = None;
        let mut words = 0;
        while k < n && words < 5 {
            let t = &toks[k];
            if t.newline {
                break;
            }
            if t.is_punct(b'-')
                && t.glued()
                && k + 1 < n
                && toks[k + 1].glued()
                && toks[k + 1].kind == Tk::Word
            {
                k += 1;
                continue;
            }
            // Abbreviations with dots inside the phrase: "17 U.S. troops".
            if t.kind == Tk::Word
                && t.len() <= 2
                && self.raw(k).bytes().all(|c| c.is_ascii_uppercase())
                && k + 1 < n
                && toks[k + 1].is_punct(b'.')
                && toks[k + 1].glued()
            {
                k += 2;
                words += 1;
                continue;
            }
            if t.kind != Tk::Word {
                break;
            }
            let mut b1 = [0u8; 48];
            let w = match lower(self.text, t, &mut b1) {
                Some(w) => w,
                None => break,
            };
            // Two-word nouns first ("death toll", "service members").
            if k + 1 < n
                && toks[k + 1].kind == Tk::Word
                && toks[k + 1].space
                && !toks[k + 1].newline
            {
                // Two words of up to 48 bytes each and the space between them.
                let mut key = [0u8; 48 + 1 + 48];
                let mut b2 = [0u8; 48];
                if let Some(w2) = lower(self.text, &toks[k + 1], &mut b2) {
                    let l = w.len() + 1 + w2.len();
                    key[..w.len()].copy_from_slice(w.as_bytes());
                    key[w.len()] = b' ';
                    key[w.len() + 1..l].copy_from_slice(w2.as_bytes());
                    if let Ok(ks) = std::str::from_utf8(&key[..l]) {
                        if let Some(u) = self.lex.noun(ks) {
                            return Some((u.to_string(), k + 2, true));
                        }
                    }
                }
            }
            if let Some(u) = self.lex.noun(w) {
                // In a compound the last noun is the head: "civilian casualties" counts
                // casualties, "child soldiers" soldiers.
                if kind_of_unit(u) == QuantityKind::Count
                    && k + 1 < n
                    && toks[k + 1].kind == Tk::Word
                    && toks[k + 1].space
                    && !toks[k + 1].newline
                {
                    let mut b3 = [0u8; 48];
                    // A verb after the noun is not part of the compound ("soldiers died").
                    let noun2 = lower(self.text, &toks[k + 1], &mut b3).filter(|w2| {
                        !(w2.ends_with("ed")
                            || w2.ends_with("ing")
                            || matches!(*w2, "dead" | "hurt"))
                    });
                    if let Some(u2) = noun2.and_then(|w2| self.lex.noun(w2)) {
                        if kind_of_unit(u2) == QuantityKind::Count {
                            return Some((u2.to_string(), k + 2, true));
                        }
                    }
                }
                return Some((u.to_string(), k + 1, true));
            }
            if is_stop(w) || is_month(w) {
                break;
            }
            let cap = self.text.as_bytes()[t.start as usize].is_ascii_uppercase();
            let verbish = w.ends_with("ed") || w.ends_with("ing") || w.ends_with("ly");
            if !cap && !verbish && w.len() > 2 && w.bytes().all(|c| c.is_ascii_lowercase()) {
                if plural.is_none() && w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                    plural = Some(k);
                }
                last_content = Some(k);
            }
            // Participles and adverbs ("armed", "Turkish-backed", "newly") are passed over:
            // they are never the counted noun, but the noun may follow them.
            words += 1;
            k += 1;
        }
        // Without the lexicon, only a plural noun is trusted as what is counted ("12
        // schools"); for one of something, the last word of the phrase.
        let pick = if one { last_content } else { plural };
        let p = pick?;
        let mut bb = [0u8; 48];
        let w = lower(self.text, &toks[p], &mut bb)?;
        Some((singular(w), p + 1, false))
    }

    /// A casualty verb after a number with no noun: "nearly 100 were killed", "300 wounded".
    fn cue_after(&self, end: usize) -> Option<&'a str> {
        let mut k = end;
        for _ in 0..4 {
            if k >= self.toks.len() || self.toks[k].newline || self.toks[k].kind != Tk::Word {
                return None;
            }
            let mut bb = [0u8; 48];
            let w = self.lw(k, &mut bb)?;
            if matches!(
                w,
                "were"
                    | "was"
                    | "are"
                    | "is"
                    | "have"
                    | "has"
                    | "had"
                    | "been"
                    | "being"
                    | "reportedly"
                    | "also"
                    | "later"
                    | "allegedly"
            ) {
                k += 1;
                continue;
            }
            return self
                .lex
                .noun(w)
                .filter(|u| kind_of_unit(u) == QuantityKind::Count);
        }
        None
    }

    /// A casualty cue before a number with no noun after it: "the death toll rose to 52",
    /// "killing 12"; or the noun the number counts, named before it: "the number of
    /// Valdorian fighters in Ossel Valley rises to 2,580".
    fn cue_before(&self, start: usize) -> Option<&'a str> {
        let toks = self.toks;
        let mut k = start;
        let mut steps = 0;
        // A verb was passed: only then may the subject before it name the unit.
        let mut verb = false;
        while k > 0 && steps < 6 {
            k -= 1;
            if toks[k + 1].newline {
                return None;
            }
            // "the toll rose from 30 to 52": the first number of a change is passed over,
            // with its separators ("from 1,200 to 1,450").
            if toks[k].kind == Tk::Digits {
                while k >= 2
                    && toks[k].glued()
                    && (toks[k - 1].is_punct(b',') || toks[k - 1].is_punct(b'.'))
                    && toks[k - 1].glued()
                    && toks[k - 2].kind == Tk::Digits
                {
                    k -= 2;
                }
                steps += 1;
                continue;
            }
            if toks[k].kind != Tk::Word {
                return None;
            }
            let mut bb = [0u8; 48];
            let w = self.lw(k, &mut bb)?;
            if let Some(u) = self.lex.noun(w) {
                if kind_of_unit(u) == QuantityKind::Count {
                    return Some(u);
                }
                return None;
            }
            if is_change_verb(w) {
                verb = true;
            } else if is_link(w) || w == "from" {
                // "reached", "stands", "was" are verbs; "to", "of", "at", "by" are not.
                verb |= !matches!(
                    w,
                    "to" | "from" | "the" | "a" | "of" | "at" | "up" | "by" | "now"
                );
            } else {
                return if verb { self.counted_subject(k) } else { None };
            }
            steps += 1;
        }
        None
    }

    /// The noun of "the number of X" ending at or before token `end`, within a few words
    /// and no punctuation: "Number of Valdorian fighters in Ossel Valley" → `fighter`. The
    /// first known count noun after "of" is the one counted.
    fn counted_subject(&self, end: usize) -> Option<&'a str> {
        let toks = self.toks;
        let mut k = end;
        let mut words = 0;
        loop {
            if toks[k].kind != Tk::Word || words > 8 {
                return None;
            }
            let mut bb = [0u8; 48];
            if k >= 1 && self.lw(k, &mut bb) == Some("of") {
                let mut b2 = [0u8; 48];
                if self.lw(k - 1, &mut b2).is_some_and(is_count_head) {
                    return (k + 1..=end).find_map(|j| {
                        let mut b3 = [0u8; 48];
                        self.lw(j, &mut b3)
                            .and_then(|w| self.lex.noun(w))
                            .filter(|u| kind_of_unit(u) == QuantityKind::Count)
                    });
                }
            }
            if k == 0 || toks[k].newline {
                return None;
            }
            k -= 1;
            words += 1;
        }
    }

    /// A rate period after token `j`: (period, end token).
    fn period_at(&self, j: usize) -> Option<(&'static str, usize)> {
        let toks = self.toks;
        let n = toks.len();
        let t = toks.get(j)?;
        if t.newline {
            return None;
        }
        let mut bb = [0u8; 48];
        if t.is_punct(b'/') {
            let w = self.lw(j + 1, &mut bb)?;
            return period_word(w).map(|p| (p, j + 2));
        }
        if t.is_punct(b'-') && t.glued() && j + 1 < n && matches!(self.raw(j + 1), "a" | "an") {
            if j + 3 < n && toks[j + 2].is_punct(b'-') {
                let w = self.lw(j + 3, &mut bb)?;
                return period_word(w).map(|p| (p, j + 4));
            }
            return None;
        }
        let w = self.lw(j, &mut bb)?;
        match w {
            "per" | "a" | "an" | "each" | "every" => {
                let mut b2 = [0u8; 48];
                let w2 = self.lw(j + 1, &mut b2)?;
                let p = period_word(w2)?;
                if matches!(w2, "days" | "weeks" | "months" | "years" | "hours") {
                    return None;
                }
                let mut b3 = [0u8; 48];
                if matches!(
                    self.lw(j + 2, &mut b3),
                    Some(
                        "earlier"
                            | "ago"
                            | "later"
                            | "before"
                            | "after"
                            | "from"
                            | "since"
                            | "into"
                    )
                ) {
                    return None;
                }
                Some((p, j + 2))
            }
            "monthly" => Some(("month", j + 1)),
            "weekly" => Some(("week", j + 1)),
            "daily" => Some(("day", j + 1)),
            "annually" | "yearly" => Some(("year", j + 1)),
            "hourly" => Some(("hour", j + 1)),
            _ => None,
        }
    }

    /// Fills `per` for money and counts, looking past a closing parenthesis and past a
    /// parenthetical that holds the next amount ("7,000 lira (£700) a month").
    fn fill_periods(&self, out: &mut [Found]) {
        let toks = self.toks;
        let n = toks.len();
        for f in out.iter_mut() {
            if !matches!(f.q.kind, QuantityKind::Money | QuantityKind::Count) {
                continue;
            }
            let mut j = f.toks.1;
            if j < n && toks[j].is_punct(b')') {
                j += 1;
            } else if j < n && toks[j].is_punct(b'(') {
                // Skip a parenthetical of up to 12 tokens.
                let mut k = j + 1;
                while k < n && k < j + 14 && !toks[k].is_punct(b')') {
                    k += 1;
                }
                if k < n && toks[k].is_punct(b')') {
                    j = k + 1;
                }
            }
            if let Some((p, _)) = self.period_at(j) {
                f.q.per = Some(p.to_string());
            } else if f.q.kind == QuantityKind::Money {
                // "a monthly salary of $1,800": the period stated before the amount.
                let s = f.toks.0;
                for k in (s.saturating_sub(5)..s).rev() {
                    if toks[k + 1].newline || toks[k].kind == Tk::Digits {
                        break;
                    }
                    let mut bb = [0u8; 48];
                    let p = match self.lw(k, &mut bb) {
                        Some("monthly") => "month",
                        Some("weekly") => "week",
                        Some("daily") => "day",
                        Some("annual" | "yearly") => "year",
                        Some("hourly") => "hour",
                        _ => continue,
                    };
                    f.q.per = Some(p.to_string());
                    break;
                }
            }
        }
    }
}
