//! The one tokenizer and phrase matcher every claim-level module uses.
//!
//! Tokens are words (runs of letters and digits) and single punctuation characters,
//! each with its byte span in the sentence. Lexicon phrases are tokenized the same way,
//! so "Nagorno-Karabakh", "U.S." or "didn't" match whatever the tokenizer makes of them.

use rustc_hash::FxHashMap as HashMap;

/// A token: a word or one punctuation character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub is_word: bool,
}

/// A tokenized sentence: tokens plus their lower-cased forms, kept in one buffer so
/// tokenizing does not allocate per token, and a hash of each lower-cased form
/// ([`word_key`]) so the phrase maps look tokens up without hashing them again.
///
/// An all-ASCII text (nearly every sentence of news text) is lower-cased whole, so a
/// token's lower-cased form has the token's own span; otherwise each token's form is
/// appended to `lower` and its span kept in `lower_spans`.
#[derive(Debug, Default, Clone)]
pub struct Tokens<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    lower: String,
    /// Empty for an all-ASCII text (`lower` is then the text lower-cased).
    lower_spans: Vec<(u32, u32)>,
    keys: Vec<u64>,
}

/// The hash of a lower-cased word that [`PhraseMap`] files phrases under. It narrows a
/// search only: words are always compared in full.
pub fn word_key(lower: &str) -> u64 {
    key_of_bytes(lower.as_bytes())
}

/// [`word_key`] of bytes known to be a lower-cased word.
#[inline]
fn key_of_bytes(lower: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(lower);
    h.finish()
}

/// Whitespace among ASCII bytes, as `char::is_whitespace` has it.
#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Tokens<'a> {
        if text.is_ascii() {
            Tokens::new_ascii(text)
        } else {
            Tokens::new_any(text)
        }
    }

    /// [`Tokens::new`] for any text, one token at a time.
    fn new_any(text: &'a str) -> Tokens<'a> {
        let mut t = Tokens {
            text,
            toks: Vec::with_capacity(text.len() / 5),
            lower: String::with_capacity(text.len()),
            lower_spans: Vec::with_capacity(text.len() / 5),
            keys: Vec::with_capacity(text.len() / 5),
        };
        // Bytes, not chars: news text is nearly all ASCII, and an ASCII byte is its own
        // char. Other chars are decoded and classified as `char` does.
        let bytes = text.as_bytes();
        let mut word_start = None;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (len, alnum, space) = if b < 0x80 {
                (1, b.is_ascii_alphanumeric(), is_ascii_space(b))
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c.len_utf8(), c.is_alphanumeric(), c.is_whitespace())
            };
            if alnum {
                word_start.get_or_insert(i);
            } else {
                if let Some(s) = word_start.take() {
                    t.push(s, i, true);
                }
                if !space {
                    t.push(i, i + len, false);
                }
            }
            i += len;
        }
        if let Some(s) = word_start {
            t.push(s, text.len(), true);
        }
        t
    }

    /// [`Tokens::new`] for an all-ASCII text: the same tokens, lower-cased in one pass.
    fn new_ascii(text: &'a str) -> Tokens<'a> {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let lower = text.to_ascii_lowercase();
        let lb = lower.as_bytes();
        let cap = n / 4 + 4;
        let mut toks = Vec::with_capacity(cap);
        let mut keys = Vec::with_capacity(cap);
        let mut i = 0;
        while i < n {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                let s = i;
                i += 1;
                while i < n && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                toks.push(Token {
                    start: s,
                    end: i,
                    is_word: true,
                });
                keys.push(key_of_bytes(&lb[s..i]));
            } else {
                if !is_ascii_space(b) {
                    toks.push(Token {
                        start: i,
                        end: i + 1,
                        is_word: false,
                    });
                    keys.push(key_of_bytes(&lb[i..i + 1]));
                }
                i += 1;
            }
        }
        Tokens {
            text,
            toks,
            lower,
            lower_spans: Vec::new(),
            keys,
        }
    }

    fn push(&mut self, start: usize, end: usize, is_word: bool) {
        let from = self.lower.len();
        let s = &self.text[start..end];
        if s.is_ascii() {
            self.lower.push_str(s);
            self.lower[from..].make_ascii_lowercase();
        } else {
            for c in s.chars() {
                match c {
                    // Curly apostrophes and quotes fold to straight ones so cue lists need one form.
                    '’' | '‘' => self.lower.push('\''),
                    '“' | '”' => self.lower.push('"'),
                    c => self.lower.extend(c.to_lowercase()),
                }
            }
        }
        self.toks.push(Token {
            start,
            end,
            is_word,
        });
        self.keys.push(word_key(&self.lower[from..]));
        self.lower_spans
            .push((from as u32, self.lower.len() as u32));
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// The lower-cased form of token `i`.
    #[inline]
    pub fn lower(&self, i: usize) -> &str {
        if self.lower_spans.is_empty() {
            let t = self.toks[i];
            // An all-ASCII text: `lower` is as long as the text and every byte offset is a
            // char boundary, so the token's span needs only the bounds check.
            match self.lower.as_bytes().get(t.start..t.end) {
                // SAFETY: ASCII bytes are valid UTF-8 on their own.
                Some(b) => unsafe { std::str::from_utf8_unchecked(b) },
                None => panic!("token {i} out of bounds"),
            }
        } else {
            let (a, b) = self.lower_spans[i];
            &self.lower[a as usize..b as usize]
        }
    }

    /// The [`word_key`] of token `i`'s lower-cased form.
    pub fn key(&self, i: usize) -> u64 {
        self.keys[i]
    }

    /// The token as written.
    pub fn raw(&self, i: usize) -> &'a str {
        let t = self.toks[i];
        &self.text[t.start..t.end]
    }

    /// The text covering tokens `a..b` as written.
    pub fn slice(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.toks.len() {
            return "";
        }
        &self.text[self.toks[a].start..self.toks[b - 1].end]
    }

    pub fn is_capitalised(&self, i: usize) -> bool {
        let t = self.toks[i];
        if !t.is_word {
            return false;
        }
        match self.text.as_bytes()[t.start] {
            b if b < 0x80 => b.is_ascii_uppercase(),
            _ => self.text[t.start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase),
        }
    }
}

/// A match of a lexicon phrase: tokens `start..end` and the phrase's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch<'v, V> {
    pub start: usize,
    pub end: usize,
    pub value: &'v V,
}

/// Multi-word phrases keyed by their first token, longest first: finding all phrases in a
/// sentence is one hash lookup per token. Phrases are filed under the [`word_key`] of
/// their first word, which the tokens carry already, and keep their words' keys so a
/// candidate is rejected on integers before its words are compared.
#[derive(Debug, Clone)]
pub struct PhraseMap<V> {
    by_first: HashMap<u64, Vec<Phrase<V>>>,
    /// A bit per [`FIRST_BITS`] slot of first-word keys present: most tokens start no
    /// phrase, and one bit test turns them away before the hash table is probed.
    first_bits: Vec<u64>,
}

/// Slots in [`PhraseMap::first_bits`] (a power of two).
const FIRST_BITS: usize = 1 << 14;

/// The slot of a word key in [`PhraseMap::first_bits`]: its top bits (FxHash mixes
/// upwards, so the low bits of a short word's key vary least).
fn first_slot(key: u64) -> (usize, u64) {
    let slot = (key >> (64 - FIRST_BITS.trailing_zeros())) as usize;
    (slot / 64, 1 << (slot % 64))
}

#[derive(Debug, Clone)]
struct Phrase<V> {
    words: Vec<String>,
    keys: Vec<u64>,
    value: V,
}

impl<V> Default for PhraseMap<V> {
    fn default() -> Self {
        PhraseMap {
            by_first: HashMap::default(),
            first_bits: vec![0; FIRST_BITS / 64],
        }
    }
}

impl<V> PhraseMap<V> {
    /// Adds a phrase. A phrase added twice keeps its first value; use
    /// [`PhraseMap::insert_with`] to combine values.
    pub fn insert(&mut self, phrase: &str, value: V) {
        self.insert_with(phrase, value, |_, _| {});
    }

    /// Adds a phrase, combining with the existing value if the phrase is known.
    pub fn insert_with(&mut self, phrase: &str, value: V, combine: impl FnOnce(&mut V, V)) {
        let t = Tokens::new(phrase);
        let words: Vec<String> = (0..t.len()).map(|i| t.lower(i).to_string()).collect();
        let Some(&first) = t.keys.first() else {
            return;
        };
        let (word, bit) = first_slot(first);
        self.first_bits[word] |= bit;
        let list = self.by_first.entry(first).or_default();
        if let Some(existing) = list.iter_mut().find(|p| p.words == words) {
            combine(&mut existing.value, value);
            return;
        }
        list.push(Phrase {
            words,
            keys: t.keys.clone(),
            value,
        });
        // Stable: phrases of one length keep the order they were added in.
        list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    }

    /// The longest phrase starting at token `i`, if any.
    #[inline]
    pub fn longest_at<'s>(&'s self, toks: &Tokens, i: usize) -> Option<PhraseMatch<'s, V>> {
        let key = toks.key(i);
        let (word, bit) = first_slot(key);
        if self.first_bits[word] & bit == 0 {
            return None;
        }
        let list = self.by_first.get(&key)?;
        list.iter().find_map(|p| {
            let end = i + p.words.len();
            if end > toks.len() {
                return None;
            }
            let same = toks.keys[i..end] == p.keys[..]
                && p.words
                    .iter()
                    .enumerate()
                    .all(|(k, w)| toks.lower(i + k) == w);
            same.then_some(PhraseMatch {
                start: i,
                end,
                value: &p.value,
            })
        })
    }

    /// All non-overlapping longest matches, left to right.
    pub fn find_all<'s>(&'s self, toks: &Tokens) -> Vec<PhraseMatch<'s, V>> {
        self.find_all_from(toks, 0)
    }

    /// [`PhraseMap::find_all`] in tokens `from..`: what it finds in the text of those
    /// tokens, at token offsets of `toks`.
    pub(crate) fn find_all_from<'s>(
        &'s self,
        toks: &Tokens,
        from: usize,
    ) -> Vec<PhraseMatch<'s, V>> {
        let mut out = Vec::new();
        let mut i = from;
        while i < toks.len() {
            // Most tokens start no phrase: the first-word bitmap says so without a call.
            let (word, bit) = first_slot(toks.key(i));
            if self.first_bits[word] & bit == 0 {
                i += 1;
                continue;
            }
            match self.longest_at(toks, i) {
                Some(m) => {
                    i = m.end;
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }

    pub fn contains_word(&self, w: &str) -> bool {
        self.by_first
            .get(&word_key(w))
            .is_some_and(|l| l.iter().any(|p| p.words.len() == 1 && p.words[0] == w))
    }
}

/// Days and months, lower-cased: capitalised but not names, and the heads of time phrases.
pub const CALENDAR: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A light English stemmer for content words: enough to make "recruits", "recruited" and
/// "recruiting" meet, not a linguistic analysis.
pub fn stem(word: &str) -> &str {
    let w = word;
    for suf in [
        "ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s",
    ] {
        if w.len() > suf.len() + 3 && w.ends_with(suf) {
            let s = &w[..w.len() - suf.len()];
            return if suf == "es" && !s.ends_with(['s', 'x', 'z', 'h']) {
                &w[..w.len() - 1]
            } else {
                s
            };
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_spans_and_fold_case() {
        let t = Tokens::new("Baku’s “denial”, U.S.");
        let words: Vec<&str> = (0..t.len()).map(|i| t.lower(i)).collect();
        assert_eq!(
            words,
            ["baku", "'", "s", "\"", "denial", "\"", ",", "u", ".", "s", "."]
        );
        assert_eq!(t.raw(0), "Baku");
        assert_eq!(t.slice(4, 5), "denial");
    }

    #[test]
    fn ascii_tokens_are_what_any_text_gets() {
        for text in [
            "",
            "   ",
            "Turkey, according to REPORTS, sent 1,500 fighters (U.S. says).",
            "x",
            "a-b c\td\u{b}e\u{c}f\r\ng  -- 'q' \"Q\" 12abc!",
            "trailing word",
            "trailing punct?",
        ] {
            let (a, b) = (Tokens::new_ascii(text), Tokens::new_any(text));
            assert_eq!(a.toks, b.toks, "{text:?}");
            for i in 0..a.len() {
                assert_eq!(a.lower(i), b.lower(i), "{text:?}");
                assert_eq!(a.key(i), b.key(i), "{text:?}");
                assert_eq!(a.key(i), word_key(a.lower(i)), "{text:?}");
            }
        }
    }

    #[test]
    fn phrases_match_longest_first() {
        let mut m = PhraseMap::default();
        m.insert("according to", 1);
        m.insert("according to reports", 2);
        let t = Tokens::new("Turkey, according to reports, continues");
        let found: Vec<_> = m.find_all(&t).into_iter().map(|p| *p.value).collect();
        assert_eq!(found, [2]);
    }

    #[test]
    fn matches_from_a_token_are_the_suffix_matches() {
        let mut m = PhraseMap::default();
        m.insert("the ministry", 1);
        m.insert("ministry of defence", 2);
        m.insert("defence", 3);
        let text = "the ministry of defence";
        let t = Tokens::new(text);
        let whole: Vec<_> = m.find_all(&t).into_iter().map(|p| *p.value).collect();
        assert_eq!(whole, [1, 3]);
        let suffix = Tokens::new(&text[4..]);
        let expected: Vec<_> = m
            .find_all(&suffix)
            .into_iter()
            .map(|p| (p.start + 1, p.end + 1, *p.value))
            .collect();
        let found: Vec<_> = m
            .find_all_from(&t, 1)
            .into_iter()
            .map(|p| (p.start, p.end, *p.value))
            .collect();
        assert_eq!(found, expected);
        assert_eq!(found, [(1, 4, 2)]);
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("recruits"), stem("recruit"));
        assert_eq!(stem("recruited"), "recruit");
        assert_eq!(stem("fighters"), "fighter");
    }
}
