//! The one number parser: cardinals written in digits ("1,000", "1 234 567", "1.5", "2k",
//! "1e10"), in words ("one hundred and fifty", "twenty-one", "half a dozen") or mixed
//! ("3 hundred and 21", "1.5 million"), with fractions ("two thirds", "3/4", "one and a
//! half") and decimals in words ("two point five").
//!
//! It knows nothing about what is counted: it reports the number, its token span and how it
//! was written, and leaves years, dates, units and currencies to the quantity layer.
//! Vague quantifiers ("dozens", "several") are not numbers here either: they belong to the
//! quantity layer, which gives them documented intervals.

use super::tokens::{lower, Tk, Tok};

/// How a number was written (mirrors Recognizers-Text subtypes, which the conformance
/// scorer reports against).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberForm {
    /// A whole number.
    Integer,
    /// A number with a decimal part.
    Decimal,
    /// A fraction ("two thirds", "3/4", "one and a half").
    Fraction,
    /// Scientific or power notation ("1e10", "1.1^23").
    Power,
}

/// A number found by [`find_numbers`](super::find_numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMention {
    /// Byte offset of the first byte of the number (its sign included).
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The value.
    pub value: f64,
    /// How it was written.
    pub form: NumberForm,
}

/// A parsed number with what the quantity layer needs to know about its spelling.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num {
    /// First token (the sign included) and one past the last token.
    pub first: usize,
    pub last: usize,
    pub value: f64,
    pub form: NumberForm,
    /// Some atom was a number word ("three", "hundred", "half").
    pub words: bool,
    /// A scale word or suffix multiplied the number ("million", "k", "bn").
    pub scaled: bool,
    /// A single run of digits, no separators, sign, suffix or words: candidates for years
    /// and identifiers.
    pub plain: bool,
    /// The number is followed by letters glued to it that are not a known suffix
    /// ("4th", "1990s", "29km", "115USD"): the token index of that word.
    pub glued_word: Option<usize>,
    /// A lone lower-case "m" suffix ("10m"): million in money, metres otherwise.
    pub m_suffix: bool,
    /// Written with a sign or "minus".
    pub negative: bool,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum W {
    Unit(u8),
    Teen(u8),
    Tens(u8),
    Hundred,
    Hundreds,
    Scale(f64),
    Dozen,
    A,
    Half,
    Quarter(bool),
    /// An ordinal usable as a denominator: value, plural, and whether it may stand alone
    /// ("first" and "second" may not: "a first class seat").
    Ord(f64, bool, bool),
    Point,
    And,
    Minus,
}

fn word(s: &str) -> Option<W> {
    use W::*;
    Some(match s {
        "zero" | "nought" | "naught" | "nil" => Unit(0),
        "one" => Unit(1),
        "two" => Unit(2),
        "three" => Unit(3),
        "four" => Unit(4),
        "five" => Unit(5),
        "six" => Unit(6),
        "seven" => Unit(7),
        "eight" => Unit(8),
        "nine" => Unit(9),
        "ten" => Teen(10),
        "eleven" => Teen(11),
        "twelve" => Teen(12),
        "thirteen" => Teen(13),
        "fourteen" => Teen(14),
        "fifteen" => Teen(15),
        "sixteen" => Teen(16),
        "seventeen" => Teen(17),
        "eighteen" => Teen(18),
        "nineteen" => Teen(19),
        "twenty" => Tens(20),
        "thirty" => Tens(30),
        "forty" | "fourty" => Tens(40),
        "fifty" => Tens(50),
        "sixty" => Tens(60),
        "seventy" => Tens(70),
        "eighty" => Tens(80),
        "ninety" => Tens(90),
        "hundred" => Hundred,
        "hundreds" => Hundreds,
        "thousand" => Scale(1e3),
        "million" => Scale(1e6),
        "billion" => Scale(1e9),
        "trillion" => Scale(1e12),
        "lakh" | "lakhs" | "lac" => Scale(1e5),
        "crore" | "crores" => Scale(1e7),
        "dozen" | "dozens" | "doz" | "dozs" | "dz" | "dzs" => Dozen,
        "a" | "an" => A,
        "half" => Half,
        "halves" => Ord(2.0, true, true),
        "quarter" => Quarter(false),
        "quarters" => Quarter(true),
        "point" => Point,
        "and" => And,
        "minus" | "negative" => Minus,
        _ => return ordinal(s),
    })
}

fn ordinal(s: &str) -> Option<W> {
    let (stem, plural) = match s.strip_suffix('s') {
        Some(st)
            if st.ends_with("th")
                || st.ends_with("st")
                || st.ends_with("nd")
                || st.ends_with("rd") =>
        {
            (st, true)
        }
        _ => (s, false),
    };
    let v = match stem {
        "first" => return Some(W::Ord(1.0, plural, false)),
        "second" => return Some(W::Ord(2.0, plural, false)),
        "third" => 3.0,
        "fourth" => 4.0,
        "fifth" => 5.0,
        "sixth" => 6.0,
        "seventh" => 7.0,
        "eighth" => 8.0,
        "ninth" => 9.0,
        "tenth" => 10.0,
        "eleventh" => 11.0,
        "twelfth" => 12.0,
        "thirteenth" => 13.0,
        "fourteenth" => 14.0,
        "fifteenth" => 15.0,
        "sixteenth" => 16.0,
        "seventeenth" => 17.0,
        "eighteenth" => 18.0,
        "nineteenth" => 19.0,
        "twentieth" => 20.0,
        "thirtieth" => 30.0,
        "fortieth" => 40.0,
        "fiftieth" => 50.0,
        "sixtieth" => 60.0,
        "seventieth" => 70.0,
        "eightieth" => 80.0,
        "ninetieth" => 90.0,
        "hundredth" => 100.0,
        "thousandth" => 1e3,
        "millionth" => 1e6,
        "billionth" => 1e9,
        "trillionth" => 1e12,
        _ => return None,
    };
    Some(W::Ord(v, plural, true))
}

/// Multipliers written right after digits ("2k", "10M", "1.2b", "2mil"). Case matters
/// for single letters: "10M" is ten million, "1m" may be a metre.
fn glued_suffix(raw: &str) -> Option<f64> {
    Some(match raw {
        "k" | "K" => 1e3,
        "M" | "MM" | "mil" | "mln" | "mn" | "Mn" | "MN" => 1e6,
        "b" | "B" | "bn" | "Bn" | "BN" | "bln" | "G" => 1e9,
        "tn" | "tln" | "trn" | "Tn" => 1e12,
        _ => return None,
    })
}

/// Multipliers written as a separate word after digits ("10 bln", "2.33 k").
/// Single letters count only at the end of a phrase ("2.33 k", not "5 m wall").
fn spaced_suffix(raw: &str) -> Option<(f64, bool)> {
    Some(match raw {
        "k" | "K" => (1e3, true),
        "M" => (1e6, true),
        "G" | "B" => (1e9, true),
        "mn" | "mln" | "Mn" | "mil" => (1e6, false),
        "bn" | "Bn" | "bln" => (1e9, false),
        "tn" | "tln" | "trn" => (1e12, false),
        _ => return None,
    })
}

fn unicode_fraction(s: &str) -> Option<f64> {
    Some(match s {
        "½" => 0.5,
        "⅓" => 1.0 / 3.0,
        "⅔" => 2.0 / 3.0,
        "¼" => 0.25,
        "¾" => 0.75,
        "⅕" => 0.2,
        "⅖" => 0.4,
        "⅗" => 0.6,
        "⅘" => 0.8,
        "⅙" => 1.0 / 6.0,
        "⅚" => 5.0 / 6.0,
        "⅐" => 1.0 / 7.0,
        "⅛" => 0.125,
        "⅜" => 0.375,
        "⅝" => 0.625,
        "⅞" => 0.875,
        "⅑" => 1.0 / 9.0,
        "⅒" => 0.1,
        _ => return None,
    })
}

/// Words before "one" that make it a pronoun ("the one you mentioned").
fn one_is_pronoun_after(s: &str) -> bool {
    matches!(
        s,
        "the" | "this" | "that" | "which" | "each" | "every" | "any" | "no" | "another" | "some"
    )
}

/// A digit literal: "1,234.5", "1 234 567", "12,34,567", "2k", "1e10", "1.1^23".
#[derive(Debug, Clone, Copy)]
struct Lit {
    value: f64,
    end: usize,
    decimal: bool,
    plain: bool,
    scaled: bool,
    power: bool,
    glued_word: Option<usize>,
    m_suffix: bool,
}

impl Lit {
    /// The first group of a separator chain that is a list, not one number ("22,24,26",
    /// "192.168.1.2"): the scanner takes the other groups one by one.
    fn single(value: f64, end: usize) -> Lit {
        Lit {
            value,
            end,
            decimal: false,
            plain: false,
            scaled: false,
            power: false,
            glued_word: None,
            m_suffix: false,
        }
    }
}

/// Parser state for one cardinal. `hval` is the hundreds part of the current group and
/// `sval` its part below a hundred, kept apart because "dozen" multiplies only the latter
/// ("three hundred and two dozens" = 324).
#[derive(Clone, Copy, Debug)]
struct Card {
    total: f64,
    last_scale: f64,
    hval: f64,
    sval: f64,
    hund: bool,
    small: bool,
    tens_open: bool,
    any: bool,
    a_pending: bool,
    zero: bool,
    digits: bool,
    end: usize,
    words: bool,
    scaled: bool,
    decimal: bool,
    closed: bool,
    /// The last tens word: (its token, the value before it, reached through "and").
    last_tens: Option<(usize, f64, bool)>,
    /// A scale reached as "… one thousand": (value before "one", scale) — for
    /// "one hundred one thousand fifths" = 100 / 1005.
    one_scale: Option<(f64, f64)>,
    last_was_scale: bool,
    prev_unit_one: bool,
    atoms: u8,
}

impl Card {
    fn new(end: usize) -> Card {
        Card {
            total: 0.0,
            last_scale: f64::INFINITY,
            hval: 0.0,
            sval: 0.0,
            hund: false,
            small: false,
            tens_open: false,
            any: false,
            a_pending: false,
            zero: false,
            digits: false,
            end,
            words: false,
            scaled: false,
            decimal: false,
            closed: false,
            last_tens: None,
            one_scale: None,
            last_was_scale: false,
            prev_unit_one: false,
            atoms: 0,
        }
    }
    fn group(&self) -> f64 {
        self.hval + self.sval
    }
    fn value(&self) -> f64 {
        self.total + self.group()
    }
}

/// Number parsing over a tokenized text.
pub(crate) struct Parser<'a> {
    pub text: &'a str,
    pub toks: &'a [Tok],
}

impl<'a> Parser<'a> {
    #[inline]
    fn raw(&self, i: usize) -> &'a str {
        // Past the end reads as empty, so look-ahead needs no bounds checks of its own.
        match self.toks.get(i) {
            Some(t) => &self.text[t.start as usize..t.end as usize],
            None => "",
        }
    }

    #[inline]
    fn w(&self, i: usize) -> Option<W> {
        let t = self.toks.get(i)?;
        if t.kind != Tk::Word || t.len() > 12 {
            return None;
        }
        let mut buf = [0u8; 48];
        word(lower(self.text, t, &mut buf)?)
    }

    #[inline]
    fn is_word(&self, i: usize, s: &str) -> bool {
        match self.toks.get(i) {
            Some(t) if t.kind == Tk::Word && t.len() == s.len() => {
                self.raw(i).eq_ignore_ascii_case(s)
            }
            _ => false,
        }
    }

    /// Could a number start at token `i`? A cheap filter for the scanning loop.
    #[inline]
    pub fn may_start(&self, i: usize) -> bool {
        let t = &self.toks[i];
        match t.kind {
            Tk::Digits => true,
            Tk::Word => {
                let b = self.text.as_bytes()[t.start as usize] | 0x20;
                matches!(
                    b,
                    b'a' | b'e' | b'f' | b'h' | b'm' | b'n' | b'o' | b'q' | b's' | b't' | b'z'
                ) && self.w(i).is_some()
            }
            Tk::Punct => t.ch == b'-' || t.ch == b'.' || t.ch == 0,
        }
    }

    /// Parses the number starting at token `i`, if any.
    pub fn parse(&self, i: usize) -> Option<Num> {
        let t = self.toks.get(i)?;
        // Signs: "-5", "- 1 4/5", "minus five"; a hyphen after a word or digit glued to it
        // is a joiner ("SCP-173", "+1-222"), and one after a number is a range dash.
        let (neg, j) = if t.is_punct(b'-') || (t.kind == Tk::Punct && self.raw(i) == "−") {
            let prev_ok = i == 0 || {
                let p = &self.toks[i - 1];
                (t.space || p.kind == Tk::Punct) && p.kind != Tk::Digits && !p.is_punct(b'-')
            };
            if !prev_ok || i + 1 >= self.toks.len() {
                return None;
            }
            let n = &self.toks[i + 1];
            if !(n.kind == Tk::Digits || n.is_punct(b'.')) || n.newline {
                return None;
            }
            (true, i + 1)
        } else if t.kind == Tk::Word && self.w(i) == Some(W::Minus) {
            (true, i + 1)
        } else {
            (false, i)
        };
        let mut n = self.unsigned(j)?;
        if neg {
            n.first = i;
            n.value = -n.value;
            n.negative = true;
            n.plain = false;
        }
        Some(n)
    }

    fn unsigned(&self, i: usize) -> Option<Num> {
        let t = self.toks.get(i)?;
        match t.kind {
            Tk::Punct => {
                if t.ch == b'.' {
                    // ".08": a leading decimal point, not a full stop after a word.
                    let prev_glued = i > 0 && t.glued() && self.toks[i - 1].kind != Tk::Punct;
                    let n = self.toks.get(i + 1)?;
                    if prev_glued || n.kind != Tk::Digits || !n.glued() {
                        return None;
                    }
                    let lit = self.literal(i + 1, true)?;
                    let frac = digits_fraction(self.raw(i + 1));
                    let mut v = frac;
                    if lit.scaled {
                        v = lit.value;
                    }
                    return Some(Num {
                        first: i,
                        last: lit.end,
                        value: v,
                        form: NumberForm::Decimal,
                        words: false,
                        scaled: lit.scaled,
                        plain: false,
                        glued_word: lit.glued_word,
                        m_suffix: false,
                        negative: false,
                    });
                }
                let v = unicode_fraction(self.raw(i))?;
                Some(Num {
                    first: i,
                    last: i + 1,
                    value: v,
                    form: NumberForm::Fraction,
                    words: false,
                    scaled: false,
                    plain: false,
                    glued_word: None,
                    m_suffix: false,
                    negative: false,
                })
            }
            Tk::Digits | Tk::Word => self.cardinal_with_fractions(i),
        }
    }

    /// A digit literal at token `i` (a `Digits` token). `after_point` parses only the
    /// digits after a leading ".".
    fn literal(&self, i: usize, after_point: bool) -> Option<Lit> {
        let toks = self.toks;
        let n = toks.len();
        let g0 = &toks[i];
        let mut end = i + 1;
        let mut value: f64;
        let mut decimal = false;
        let mut plain = true;
        if after_point {
            value = 0.0;
            decimal = true;
            plain = false;
        } else {
            // Mid-chain starts ("168" in "192.168.1.2") take the single group: the chain
            // was already judged to be a list of separate numbers.
            let mid_chain = i >= 2
                && g0.glued()
                && (toks[i - 1].is_punct(b'.') || toks[i - 1].is_punct(b','))
                && toks[i - 1].glued()
                && toks[i - 2].kind == Tk::Digits;
            // Collect the separator chain: digits (sep digits)*, all glued.
            let mut seps: [u8; 16] = [0; 16];
            let mut groups: [usize; 17] = [0; 17];
            groups[0] = i;
            let mut k = 0usize;
            if !mid_chain {
                while end + 1 < n
                    && k < 16
                    && (toks[end].is_punct(b',') || toks[end].is_punct(b'.'))
                    && toks[end].glued()
                    && toks[end + 1].kind == Tk::Digits
                    && toks[end + 1].glued()
                {
                    seps[k] = toks[end].ch;
                    k += 1;
                    groups[k] = end + 1;
                    end += 2;
                }
            }
            let glen = |g: usize| toks[groups[g]].len();
            let gval = |g: usize| digits_value(self.raw(groups[g]));
            let all_same = |c: u8, upto: usize| seps[..upto].iter().all(|&s| s == c);
            let grouped3 = |from: usize, to: usize| (from..=to).all(|g| glen(g) == 3);
            if k == 0 {
                value = digits_value(self.raw(i));
                // Space grouping: "1 234 567", "40 000" (one space or a thin space).
                if (1..=3).contains(&g0.len()) {
                    let mut e = end;
                    let mut v = value;
                    while e < n
                        && toks[e].kind == Tk::Digits
                        && toks[e].single_space
                        && !toks[e].newline
                        && toks[e].len() == 3
                        && !(e + 1 < n && toks[e + 1].is_punct(b'/') && toks[e + 1].glued())
                    {
                        v = v * 1000.0 + digits_value(self.raw(e));
                        e += 1;
                    }
                    if e > end {
                        value = v;
                        end = e;
                        plain = false;
                        if end + 1 < n
                            && toks[end].is_punct(b'.')
                            && toks[end].glued()
                            && toks[end + 1].kind == Tk::Digits
                            && toks[end + 1].glued()
                        {
                            value += digits_fraction(self.raw(end + 1));
                            decimal = true;
                            end += 2;
                        }
                    }
                }
            } else {
                plain = false;
                let last = seps[k - 1];
                if all_same(b',', k) {
                    // Thousands grouping ("1,234,567") or Indian grouping ("12,34,567").
                    let thousands = (1..=3).contains(&glen(0)) && grouped3(1, k);
                    let indian = k >= 2
                        && (1..=2).contains(&glen(0))
                        && glen(k) == 3
                        && (1..k).all(|g| glen(g) == 2);
                    if thousands || indian {
                        value = join(&groups[..=k], self);
                    } else if k == 1 && glen(1) <= 2 {
                        value = gval(0) + digits_fraction(self.raw(groups[1]));
                        decimal = true;
                    } else {
                        // A list ("22,24,26"): the first number only; the scanner takes
                        // the others one by one.
                        return Some(Lit::single(gval(0), i + 1));
                    }
                } else if all_same(b'.', k) {
                    if k == 1 {
                        value = gval(0) + digits_fraction(self.raw(groups[1]));
                        decimal = true;
                    } else if (1..=3).contains(&glen(0)) && grouped3(1, k) {
                        value = join(&groups[..=k], self);
                    } else {
                        // "192.168.1.2": separate numbers.
                        return Some(Lit::single(gval(0), i + 1));
                    }
                } else if all_same(if last == b'.' { b',' } else { b'.' }, k - 1) {
                    // "1,234.5" / "1.234,5" / "12,34,567.89": the last separator is the
                    // decimal point, the others group.
                    value = join(&groups[..k], self) + digits_fraction(self.raw(groups[k]));
                    decimal = true;
                } else {
                    return Some(Lit::single(gval(0), i + 1));
                }
            }
        }
        if after_point {
            value = digits_fraction(self.raw(i));
        }
        let mut lit = Lit {
            value,
            end,
            decimal,
            plain,
            scaled: false,
            power: false,
            glued_word: None,
            m_suffix: false,
        };
        // What is glued after: power notation, a multiplier suffix or other letters.
        if end < n && toks[end].glued() {
            let t = &toks[end];
            if t.is_punct(b'^') {
                if let Some((exp, e)) = self.exponent(end + 1) {
                    lit.value = lit.value.powf(exp);
                    lit.end = e;
                    lit.power = true;
                    lit.plain = false;
                    return Some(lit);
                }
            } else if t.kind == Tk::Word {
                let raw = self.raw(end);
                if raw == "e" || raw == "E" {
                    if let Some((exp, e)) = self.exponent(end + 1) {
                        lit.value *= 10f64.powf(exp);
                        lit.end = e;
                        lit.power = true;
                        lit.plain = false;
                        return Some(lit);
                    }
                }
                if (raw == "x" || raw == "X")
                    && end + 3 < n
                    && toks[end + 1].glued()
                    && self.raw(end + 1) == "10"
                    && toks[end + 2].is_punct(b'^')
                    && toks[end + 2].glued()
                {
                    if let Some((exp, e)) = self.exponent(end + 3) {
                        lit.value *= 10f64.powf(exp);
                        lit.end = e;
                        lit.power = true;
                        lit.plain = false;
                        return Some(lit);
                    }
                }
                if let Some(m) = glued_suffix(raw) {
                    lit.value *= m;
                    lit.end = end + 1;
                    lit.scaled = true;
                    lit.plain = false;
                    return Some(lit);
                }
                if raw == "m" {
                    lit.m_suffix = true;
                }
                lit.glued_word = Some(end);
                return Some(lit);
            }
        }
        // A multiplier as a separate word: "10 bln", "2.33 k".
        if end < n && toks[end].kind == Tk::Word && toks[end].space && !toks[end].newline {
            if let Some((m, single)) = spaced_suffix(self.raw(end)) {
                let next_is_word = end + 1 < n && toks[end + 1].kind == Tk::Word;
                if !single || !next_is_word {
                    lit.value *= m;
                    lit.end = end + 1;
                    lit.scaled = true;
                    lit.plain = false;
                }
            }
        }
        Some(lit)
    }

    /// An exponent after "^" or "e": any run of signs ("--23" counts its minus signs),
    /// then digits.
    fn exponent(&self, mut i: usize) -> Option<(f64, usize)> {
        let mut neg = false;
        while i < self.toks.len()
            && self.toks[i].glued()
            && (self.toks[i].is_punct(b'-') || self.toks[i].is_punct(b'+'))
        {
            if self.toks[i].is_punct(b'-') {
                neg = !neg;
            }
            i += 1;
        }
        let t = self.toks.get(i)?;
        if t.kind != Tk::Digits || !t.glued() {
            return None;
        }
        let v = digits_value(self.raw(i));
        Some((if neg { -v } else { v }, i + 1))
    }

    /// The next token index after an optional hyphen, if the hyphen joins words
    /// ("twenty-one", "fifty - two").
    #[inline]
    fn skip_hyphen(&self, j: usize) -> (usize, bool) {
        if j + 1 < self.toks.len()
            && self.toks[j].is_punct(b'-')
            && self.toks[j + 1].kind == Tk::Word
        {
            (j + 1, true)
        } else {
            (j, false)
        }
    }

    /// A cardinal (words, digits or both) and the fractions it may head.
    fn cardinal_with_fractions(&self, i: usize) -> Option<Num> {
        let c = self.cardinal(i, false)?;
        let first = i;
        let num = |value: f64, last: usize, form: NumberForm, c: &Card| Num {
            first,
            last,
            value,
            form,
            words: c.words,
            scaled: c.scaled,
            plain: false,
            glued_word: None,
            m_suffix: false,
            negative: false,
        };
        let n = self.toks.len();
        if c.words && !c.digits && !c.decimal {
            let (j, _) = self.skip_hyphen(c.end);
            // (A) numerator + ordinal: "two thirds", "one hundred thirty fifths".
            let ord = match self.w(j) {
                Some(W::Ord(d, p, alone)) => Some((d, p, alone)),
                Some(W::Quarter(p)) => Some((4.0, p, true)),
                Some(W::Half) if !c.a_pending => Some((2.0, false, true)),
                _ => None,
            };
            if let Some((d, plural, alone)) = ord {
                let numer = if c.a_pending { 1.0 } else { c.value() };
                // Compound denominators: "one hundred thirty fifths" = 100 / 35,
                // "one hundred one thousand fifths" = 100 / 1005.
                let mut split = None;
                if let Some((tt, before, via_and)) = c.last_tens {
                    if c.tens_open && !via_and && before > 0.0 && tt < c.end {
                        let tens = c.value() - before;
                        if d < 10.0 {
                            split = Some((before, tens + d));
                        }
                    }
                }
                if split.is_none() {
                    if let Some((before, scale)) = c.one_scale {
                        if c.last_was_scale && before > 0.0 && d < scale {
                            split = Some((before, scale + d));
                        }
                    }
                }
                let (nu, de) = split.unwrap_or((numer, d));
                if (alone || split.is_some()) && (plural || nu == 1.0) && nu > 0.0 {
                    let mut v = nu / de;
                    let mut last = j + 1;
                    // "three quarters billion", "two thirds of a million".
                    if let Some((s, e)) = self.scale_after(last) {
                        v *= s;
                        last = e;
                    }
                    return Some(num(v, last, NumberForm::Fraction, &c));
                }
            }
            // (B) numerator + compound ordinal: "three twenty-firsts", "one one hundred fifth".
            {
                let numer = if c.a_pending { 1.0 } else { c.value() };
                if let Some((de, plural, e)) = self.compound_ordinal(c.end) {
                    if (plural || numer == 1.0) && numer > 0.0 {
                        return Some(num(numer / de, e, NumberForm::Fraction, &c));
                    }
                }
            }
        }
        if c.a_pending && !c.any {
            return None;
        }
        if !c.any {
            return None;
        }
        let v = c.value();
        let is_int = !c.decimal && v.fract() == 0.0;
        // "one over three", "2000 over 3" — but not "$2000 over 3 years".
        if c.end + 1 < n && self.is_word(c.end, "over") && is_int {
            let cur_before = i > 0
                && (self.toks[i - 1].is_punct(b'$')
                    || self.toks[i - 1].ch == 0 && self.toks[i - 1].kind == Tk::Punct);
            if !cur_before {
                if let Some(d) = self.cardinal(c.end + 1, true) {
                    let dv = d.value();
                    let after_ok = d.end >= n || self.toks[d.end].kind == Tk::Punct;
                    if d.any && dv > 0.0 && !d.decimal && after_ok {
                        return Some(num(v / dv, d.end, NumberForm::Fraction, &c));
                    }
                }
            }
        }
        // "one out of three", "1 in twenty-one": proper fractions only ("12 out of 10" is two
        // numbers), and "in" only with a spelled-out denominator ("1 in 2020" is a year).
        if is_int && c.end + 1 < n {
            let (k, words_only) = if self.is_word(c.end, "out") && self.is_word(c.end + 1, "of") {
                (c.end + 2, false)
            } else if self.is_word(c.end, "in") {
                (c.end + 1, true)
            } else {
                (usize::MAX, false)
            };
            if k != usize::MAX {
                if let Some(d) = self.cardinal(k, true) {
                    let dv = d.value();
                    if d.any && !d.decimal && dv > v && (!words_only || (d.words && !d.digits)) {
                        return Some(num(v / dv, d.end, NumberForm::Fraction, &c));
                    }
                }
            }
        }
        // Digit fractions: "3/4", "2  1/4"; not dates ("5/17/2018") nor phone numbers.
        if c.digits && !c.words && c.atoms == 1 && is_int && !c.scaled {
            let start_tok = &self.toks[i];
            let chained_before = i >= 2
                && start_tok.glued()
                && (self.toks[i - 1].is_punct(b'-') || self.toks[i - 1].is_punct(b'/'))
                && self.toks[i - 1].glued()
                && self.toks[i - 2].kind == Tk::Digits;
            if !chained_before {
                if let Some((fv, e)) = self.slash_fraction(i) {
                    return Some(num(fv, e, NumberForm::Fraction, &c));
                }
                // Mixed number: "2  1/4".
                if c.end < n
                    && self.toks[c.end].kind == Tk::Digits
                    && self.toks[c.end].space
                    && !self.toks[c.end].newline
                {
                    if let Some((fv, e)) = self.slash_fraction(c.end) {
                        if fv < 1.0 {
                            return Some(num(v + fv, e, NumberForm::Fraction, &c));
                        }
                    }
                }
            }
        }
        let lit_info = c.digits && !c.words;
        let mut out = num(
            v,
            c.end,
            if c.decimal {
                NumberForm::Decimal
            } else {
                NumberForm::Integer
            },
            &c,
        );
        if lit_info {
            // Re-read the literal's details for the quantity layer.
            if let Some(l) = self.literal(i, false) {
                if l.end == c.end {
                    out.plain = l.plain;
                    out.glued_word = l.glued_word;
                    out.m_suffix = l.m_suffix;
                    if l.power {
                        out.form = NumberForm::Power;
                    }
                }
            }
        }
        Some(out)
    }

    /// "3/4" at token `i`: digits, glued "/", glued digits, and no further "/" or "-".
    fn slash_fraction(&self, i: usize) -> Option<(f64, usize)> {
        let t = self.toks;
        if i + 2 >= t.len() {
            return None;
        }
        if !(t[i].kind == Tk::Digits
            && t[i + 1].is_punct(b'/')
            && t[i + 1].glued()
            && t[i + 2].kind == Tk::Digits
            && t[i + 2].glued())
        {
            return None;
        }
        if i + 4 < t.len()
            && (t[i + 3].is_punct(b'/') || t[i + 3].is_punct(b'-'))
            && t[i + 3].glued()
            && t[i + 4].kind == Tk::Digits
        {
            return None;
        }
        let d = digits_value(self.raw(i + 2));
        if d == 0.0 {
            return None;
        }
        Some((digits_value(self.raw(i)) / d, i + 3))
    }

    /// A scale after a fraction: "three quarters billion", "two thirds of a million".
    fn scale_after(&self, j: usize) -> Option<(f64, usize)> {
        if let Some(W::Scale(s)) = self.w(j) {
            if !self.toks[j].newline {
                return Some((s, j + 1));
            }
        }
        if self.is_word(j, "of") && matches!(self.w(j + 1), Some(W::A)) {
            if let Some(W::Scale(s)) = self.w(j + 2) {
                return Some((s, j + 3));
            }
        }
        None
    }

    /// "twenty-first", "thirty fifths", "one hundred fifth", "one hundred and fifth",
    /// "one thousand fifths": (denominator, plural, end).
    fn compound_ordinal(&self, j: usize) -> Option<(f64, bool, usize)> {
        let first = self.w(j)?;
        if !matches!(first, W::Tens(_) | W::Unit(1) | W::A) {
            return None;
        }
        let c = self.cardinal(j, true)?;
        if !c.any || c.digits {
            return None;
        }
        let base = c.value();
        let mut k = c.end;
        if self.is_word(k, "and") {
            k += 1;
        }
        let (k, _) = self.skip_hyphen(k);
        if let Some(W::Ord(d, plural, _)) = self.w(k) {
            let tens_ok = (20.0..100.0).contains(&base) && base % 10.0 == 0.0;
            let big_ok = base >= 100.0 && base % 100.0 == 0.0;
            if d < 10.0 && (tens_ok || big_ok) {
                return Some((base + d, plural, k + 1));
            }
        }
        None
    }

    /// The cardinal state machine. `plain` parses a bare integer cardinal (for
    /// denominators): no fractions, no "point".
    fn cardinal(&self, i: usize, plain: bool) -> Option<Card> {
        let toks = self.toks;
        let n = toks.len();
        let mut c = Card::new(i);
        // Start.
        let t = toks.get(i)?;
        if t.kind == Tk::Digits {
            let lit = self.literal(i, false)?;
            if lit.glued_word.is_some() || lit.power {
                c.any = true;
                c.digits = true;
                c.sval = lit.value;
                c.small = true;
                c.decimal = lit.decimal || lit.value.fract() != 0.0;
                c.scaled = lit.scaled;
                c.end = lit.end;
                c.atoms = 1;
                c.closed = true;
                return Some(c);
            }
            c.any = true;
            c.digits = true;
            c.sval = lit.value;
            c.small = true;
            c.decimal = lit.decimal;
            c.scaled = lit.scaled;
            c.end = lit.end;
            c.atoms = 1;
            if lit.scaled {
                c.closed = true;
            }
        } else {
            let w = self.w(i)?;
            match w {
                W::Unit(0) => {
                    c.zero = true;
                    c.small = true;
                    c.any = true;
                }
                W::Unit(u) => {
                    if u == 1 && i > 0 && toks[i - 1].kind == Tk::Word {
                        let mut buf = [0u8; 48];
                        if let Some(p) = lower(self.text, &toks[i - 1], &mut buf) {
                            if one_is_pronoun_after(p) {
                                // "the one you mentioned": only a number if more follows.
                                let next = self.w(i + 1);
                                if !matches!(
                                    next,
                                    Some(
                                        W::Hundred
                                            | W::Scale(_)
                                            | W::Dozen
                                            | W::Ord(..)
                                            | W::Half
                                            | W::Quarter(_)
                                    )
                                ) {
                                    return None;
                                }
                            }
                        }
                    }
                    c.sval = u as f64;
                    c.small = true;
                    c.any = true;
                    c.prev_unit_one = u == 1;
                }
                W::Teen(v) => {
                    c.sval = v as f64;
                    c.small = true;
                    c.any = true;
                }
                W::Tens(v) => {
                    c.sval = v as f64;
                    c.small = true;
                    c.tens_open = true;
                    c.any = true;
                    c.last_tens = Some((i, 0.0, false));
                }
                W::A => {
                    c.a_pending = true;
                }
                W::Half | W::Quarter(false) if !plain => {
                    // "half a million", "half million", "quarter million", "half a dozen".
                    let f = if w == W::Half { 0.5 } else { 0.25 };
                    let mut k = i + 1;
                    if matches!(self.w(k), Some(W::A)) {
                        k += 1;
                    }
                    match self.w(k) {
                        Some(W::Scale(s)) => {
                            c.sval = f * s;
                            c.end = k + 1;
                            c.any = true;
                            c.words = true;
                            c.scaled = true;
                            c.closed = true;
                            c.decimal = false;
                            c.atoms = 2;
                            return Some(c);
                        }
                        Some(W::Dozen) => {
                            c.sval = f * 12.0;
                            c.end = k + 1;
                            c.any = true;
                            c.words = true;
                            c.closed = true;
                            c.atoms = 2;
                            return Some(c);
                        }
                        _ if w == W::Half => {
                            c.sval = 0.5;
                            c.end = i + 1;
                            c.any = true;
                            c.words = true;
                            c.decimal = true;
                            c.closed = true;
                            c.atoms = 1;
                            return Some(c);
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
            c.words = true;
            c.end = i + 1;
            c.atoms = 1;
        }
        let mut checkpoint: Option<Card> = None;
        loop {
            if c.closed || c.zero && !self.is_word(c.end, "point") {
                break;
            }
            let j0 = c.end;
            if j0 >= n || toks[j0].newline {
                break;
            }
            let (j, hy) = self.skip_hyphen(j0);
            if toks[j].newline {
                break;
            }
            let tk = &toks[j];
            if tk.kind == Tk::Digits {
                if hy {
                    break;
                }
                // Digits after words: "4 thousand 3 hundred", "3 hundred and 21".
                let ok_slot = (c.hund && !c.small) || (c.group() == 0.0 && c.total > 0.0);
                if !ok_slot || c.a_pending {
                    break;
                }
                let lit = match self.literal(j, false) {
                    Some(l) => l,
                    None => break,
                };
                if !lit.plain || lit.glued_word.is_some() {
                    break;
                }
                let limit = if c.hund && !c.small {
                    100.0
                } else {
                    c.last_scale
                };
                if lit.value >= limit || lit.value == 0.0 {
                    if checkpoint.is_some() {
                        c = checkpoint.take().unwrap();
                    }
                    break;
                }
                c.sval += lit.value;
                c.small = true;
                c.digits = true;
                c.end = lit.end;
                c.atoms += 1;
                c.last_was_scale = false;
                continue;
            }
            let w = match self.w(j) {
                Some(w) => w,
                None => break,
            };
            match w {
                W::Unit(0) => break,
                W::Unit(u) => {
                    if c.tens_open && !c.a_pending {
                        c.sval += u as f64;
                        c.tens_open = false;
                    } else if !c.small && !hy && !c.a_pending && (c.hund || c.total > 0.0) {
                        c.sval += u as f64;
                        c.small = true;
                    } else {
                        break;
                    }
                    c.prev_unit_one = u == 1 && !c.tens_open;
                }
                W::Teen(v) => {
                    if c.small || hy || c.a_pending || !(c.hund || c.total > 0.0) {
                        break;
                    }
                    c.sval += v as f64;
                    c.small = true;
                    c.prev_unit_one = false;
                }
                W::Tens(v) => {
                    if c.small || hy || c.a_pending || !(c.hund || c.total > 0.0) {
                        break;
                    }
                    c.last_tens = Some((j, c.value(), j > 0 && self.is_word(j - 1, "and")));
                    c.sval += v as f64;
                    c.small = true;
                    c.tens_open = true;
                    c.prev_unit_one = false;
                }
                W::Hundred | W::Hundreds => {
                    if w == W::Hundreds && c.a_pending {
                        break;
                    }
                    if c.a_pending {
                        c.sval = 100.0;
                        c.a_pending = false;
                        c.any = true;
                        c.hval = 100.0;
                        c.sval = 0.0;
                        c.one_scale = None;
                    } else if c.small && !c.hund && c.sval > 0.0 && (!c.decimal || c.digits) {
                        if c.prev_unit_one && c.value() - 1.0 > 0.0 {
                            c.one_scale = Some((c.value() - 1.0, 100.0));
                        } else {
                            c.one_scale = None;
                        }
                        c.hval = c.sval * 100.0;
                        c.sval = 0.0;
                    } else {
                        if let Some(cp) = checkpoint.take() {
                            c = cp;
                        }
                        break;
                    }
                    c.hund = true;
                    c.small = false;
                    c.tens_open = false;
                    c.last_was_scale = true;
                    c.prev_unit_one = false;
                    c.end = j + 1;
                    c.atoms += 1;
                    continue;
                }
                W::Scale(s) => {
                    if c.a_pending {
                        c.sval = 1.0;
                        c.a_pending = false;
                        c.any = true;
                    }
                    let g = c.group();
                    if g > 0.0 && s < c.last_scale {
                        if c.prev_unit_one && c.total + c.hval > 0.0 && c.sval == 1.0 {
                            c.one_scale = Some((c.total + c.hval, s));
                        } else {
                            c.one_scale = None;
                        }
                        c.total += g * s;
                        c.last_scale = s;
                    } else if g == 0.0 && c.total > 0.0 && c.last_was_scale && s > c.last_scale {
                        c.total *= s;
                        c.last_scale = s;
                    } else {
                        if let Some(cp) = checkpoint.take() {
                            c = cp;
                        }
                        break;
                    }
                    c.hval = 0.0;
                    c.sval = 0.0;
                    c.hund = false;
                    c.small = false;
                    c.tens_open = false;
                    c.scaled = true;
                    c.last_was_scale = true;
                    c.prev_unit_one = false;
                    c.end = j + 1;
                    c.atoms += 1;
                    if c.decimal {
                        c.closed = true;
                    }
                    continue;
                }
                W::Dozen => {
                    if c.a_pending {
                        c.sval = 12.0;
                        c.a_pending = false;
                        c.any = true;
                    } else if c.small && c.sval > 0.0 {
                        c.sval *= 12.0;
                    } else {
                        if let Some(cp) = checkpoint.take() {
                            c = cp;
                        }
                        break;
                    }
                    c.small = true;
                    c.closed = true;
                    c.tens_open = false;
                }
                W::Half | W::Quarter(false) if c.a_pending && !plain => {
                    // "a half", "a quarter (million)".
                    let f = if w == W::Half { 0.5 } else { 0.25 };
                    c.a_pending = false;
                    c.any = true;
                    c.end = j + 1;
                    c.atoms += 1;
                    if let Some((s, e)) = self.scale_after(j + 1) {
                        c.sval = f * s;
                        c.end = e;
                        c.scaled = true;
                    } else {
                        c.sval = f;
                        c.decimal = true;
                    }
                    c.closed = true;
                    continue;
                }
                W::Point if !plain && c.any && !c.a_pending && !c.decimal && !hy => {
                    // "two hundred point zero three", "nought point eleven".
                    let mut k = j + 1;
                    let mut frac = 0.0;
                    let mut scale = 0.1;
                    let mut got = false;
                    while let Some(w) = self.w(k) {
                        match w {
                            W::Unit(u) => {
                                frac += u as f64 * scale;
                                scale /= 10.0;
                                k += 1;
                            }
                            W::Teen(v) => {
                                frac += v as f64 * scale / 10.0;
                                k += 1;
                                break;
                            }
                            W::Tens(v) => {
                                let mut vv = v as f64;
                                k += 1;
                                let (k2, _) = self.skip_hyphen(k);
                                if let Some(W::Unit(u)) = self.w(k2) {
                                    if u > 0 {
                                        vv += u as f64;
                                        k = k2 + 1;
                                    }
                                }
                                frac += vv * scale / 10.0;
                                break;
                            }
                            _ => break,
                        }
                        got = true;
                    }
                    if k > j + 1 {
                        got = true;
                    }
                    if !got {
                        break;
                    }
                    c.sval += frac;
                    c.decimal = true;
                    c.end = k;
                    c.atoms += 1;
                    if let Some(W::Scale(s)) = self.w(k) {
                        let v = c.value() * s;
                        c.total = v;
                        c.hval = 0.0;
                        c.sval = 0.0;
                        c.end = k + 1;
                        c.scaled = true;
                    }
                    c.closed = true;
                    continue;
                }
                W::And if !hy => {
                    if c.a_pending || !c.any {
                        break;
                    }
                    // An additive proper fraction: "one and a half", "twenty and three
                    // fifths", "one million and a half", "one billion and a half million".
                    if !plain {
                        if let Some((f, e)) = self.proper_fraction(j + 1) {
                            let mut end = e;
                            if let Some(W::Scale(s)) = self.w(e) {
                                if s < c.last_scale || c.total == 0.0 {
                                    if c.group() > 0.0 && c.total == 0.0 {
                                        // "five and a half million"
                                        c.sval += f;
                                        c.total = c.group() * s;
                                        c.hval = 0.0;
                                        c.sval = 0.0;
                                    } else {
                                        c.total += c.group() + f * s;
                                        c.hval = 0.0;
                                        c.sval = 0.0;
                                    }
                                    end = e + 1;
                                    c.scaled = true;
                                } else {
                                    break;
                                }
                            } else if c.group() == 0.0 && c.total > 0.0 && c.last_scale.is_finite()
                            {
                                c.total += f * c.last_scale;
                            } else {
                                c.sval += f;
                                // "five and a half" may still take a scale: "… million".
                                if let Some(W::Scale(s)) = self.w(end) {
                                    if c.total == 0.0 {
                                        c.total = c.group() * s;
                                        c.hval = 0.0;
                                        c.sval = 0.0;
                                        end += 1;
                                        c.scaled = true;
                                    }
                                }
                            }
                            c.decimal = true;
                            c.end = end;
                            c.atoms += 2;
                            c.closed = true;
                            continue;
                        }
                    }
                    let can = (c.hund && !c.small)
                        || (c.group() == 0.0 && c.total > 0.0)
                        || (c.tens_open && c.words);
                    if !can {
                        break;
                    }
                    let next = self.w(j + 1);
                    let next_digits = toks
                        .get(j + 1)
                        .map(|t| t.kind == Tk::Digits)
                        .unwrap_or(false);
                    let fits = match next {
                        Some(W::Unit(u)) => u > 0,
                        Some(W::Teen(_) | W::Tens(_)) => !c.tens_open,
                        Some(W::A) => c.group() == 0.0,
                        _ => next_digits && !c.tens_open,
                    };
                    if !fits {
                        break;
                    }
                    checkpoint = Some(c);
                    c.end = j + 1;
                    if c.tens_open {
                        // "twenty and three"
                        if let Some(W::Unit(u)) = next {
                            c.sval += u as f64;
                            c.tens_open = false;
                            c.end = j + 2;
                            c.atoms += 1;
                        }
                    }
                    continue;
                }
                _ => break,
            }
            c.end = j + 1;
            c.atoms += 1;
            c.last_was_scale = false;
            c.words = true;
            c.any = true;
        }
        // A number never ends in "and": "between 2 million and 500,000" took the "and"
        // for "2 million and 500" and then found "500,000" does not fit. The checkpoint
        // is the state from just before the last "and".
        if c.end > i && self.is_word(c.end - 1, "and") {
            if let Some(cp) = checkpoint {
                c = cp;
            }
        }
        if c.a_pending {
            // "a" alone is not a number.
            c.any = false;
        }
        Some(c)
    }

    /// A proper fraction after "and": "a half", "a quarter", "three quarters",
    /// "two thirds", "one fourth", "fifty-four hundredths".
    fn proper_fraction(&self, j: usize) -> Option<(f64, usize)> {
        match self.w(j)? {
            W::A => {
                let (k, _) = self.skip_hyphen(j + 1);
                match self.w(k)? {
                    W::Half => Some((0.5, k + 1)),
                    W::Quarter(false) => Some((0.25, k + 1)),
                    W::Ord(d, false, true) => Some((1.0 / d, k + 1)),
                    _ => {
                        let (d, _, e) = self.compound_ordinal(k)?;
                        Some((1.0 / d, e))
                    }
                }
            }
            W::Unit(_) | W::Teen(_) | W::Tens(_) => {
                let c = self.cardinal(j, true)?;
                if !c.any || c.digits {
                    return None;
                }
                let nu = c.value();
                let (k, _) = self.skip_hyphen(c.end);
                let (d, plural) = match self.w(k)? {
                    W::Half => (2.0, false),
                    W::Quarter(p) => (4.0, p),
                    W::Ord(d, p, true) => (d, p),
                    _ => return None,
                };
                if nu < d && (plural || nu == 1.0) {
                    Some((nu / d, k + 1))
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

fn join(groups: &[usize], p: &Parser) -> f64 {
    let mut v = 0.0;
    for &g in groups {
        let s = p.raw(g);
        v = v * 10f64.powi(s.len() as i32) + digits_value(s);
    }
    v
}

/// The value of a run of ASCII digits.
#[inline]
pub(crate) fn digits_value(s: &str) -> f64 {
    if s.len() <= 15 {
        s.bytes().fold(0u64, |a, d| a * 10 + (d - b'0') as u64) as f64
    } else {
        s.parse::<f64>().unwrap_or(f64::NAN)
    }
}

/// "25" after a decimal point → 0.25.
#[inline]
fn digits_fraction(s: &str) -> f64 {
    let t = s.trim_end_matches('0');
    if t.is_empty() {
        return 0.0;
    }
    digits_value(t) / 10f64.powi(t.len() as i32)
}

/// Every number in `toks`, scanning left to right.
pub(crate) fn scan_numbers(text: &str, toks: &[Tok], out: &mut Vec<Num>) {
    let p = Parser { text, toks };
    let mut i = 0;
    while i < toks.len() {
        if p.may_start(i) {
            if let Some(n) = p.parse(i) {
                if n.glued_word.is_none() && !n.m_suffix && n.last > i {
                    // Digits glued to letters before them are part of a name ("H1N1"),
                    // except after a hyphen ("SCP-173") which the tokenizer separates.
                    let glued_left = n.first > 0
                        && toks[n.first].glued()
                        && toks[n.first - 1].kind == Tk::Word
                        && toks[n.first].kind == Tk::Digits;
                    if !glued_left {
                        out.push(n);
                    }
                    i = n.last;
                    continue;
                }
                if n.glued_word.is_some() || n.m_suffix {
                    i = n.glued_word.unwrap_or(n.last) + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
}
