//! The one tokenizer of the quantity normaliser: a single pass over the bytes that cuts the
//! text into words, digit runs and single punctuation characters, remembering for each token
//! whether whitespace preceded it. Everything downstream works on these tokens and on byte
//! offsets into the original text; nothing is copied.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tk {
    /// A run of letters (ASCII or any Unicode alphabetic character).
    Word,
    /// A run of ASCII digits.
    Digits,
    /// One character that is neither a letter, a digit nor whitespace.
    Punct,
}

/// One token: a byte span of the text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: u32,
    pub end: u32,
    pub kind: Tk,
    /// Whitespace precedes this token (false for the first token when the text starts with it).
    pub space: bool,
    /// The whitespace before this token was exactly one space-like character, which is what
    /// digit grouping with spaces ("1 234 567") requires.
    pub single_space: bool,
    /// The whitespace before this token contains a line break: numbers never span lines.
    pub newline: bool,
    /// For `Punct`: the ASCII byte, or 0 for a non-ASCII character.
    pub ch: u8,
}

impl Tok {
    #[inline]
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    #[inline]
    pub fn is_punct(&self, c: u8) -> bool {
        self.kind == Tk::Punct && self.ch == c
    }
    /// Glued to the previous token (no whitespace between).
    #[inline]
    pub fn glued(&self) -> bool {
        !self.space
    }
}

/// Cuts `text` into tokens, appending to `out` (cleared first) so a caller can reuse the
/// buffer across texts.
pub(crate) fn tokenize(text: &str, out: &mut Vec<Tok>) {
    out.clear();
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0usize;
    let mut space = false;
    let mut spaces = 0u32;
    let mut newline = false;
    while i < n {
        let c = b[i];
        if c < 0x80 {
            if c.is_ascii_alphabetic() {
                let s = i;
                i += 1;
                i = word_end(b, i);
                push(
                    out,
                    s,
                    i,
                    Tk::Word,
                    &mut space,
                    &mut spaces,
                    &mut newline,
                    0,
                );
            } else if c.is_ascii_digit() {
                let s = i;
                i += 1;
                while i < n && b[i].is_ascii_digit() {
                    i += 1;
                }
                push(
                    out,
                    s,
                    i,
                    Tk::Digits,
                    &mut space,
                    &mut spaces,
                    &mut newline,
                    0,
                );
            } else if c == b' ' || c == b'\t' || c == b'\r' || c == b'\n' || c == 0x0c {
                space = true;
                spaces += 1;
                if c == b'\n' {
                    newline = true;
                }
                i += 1;
            } else {
                push(
                    out,
                    i,
                    i + 1,
                    Tk::Punct,
                    &mut space,
                    &mut spaces,
                    &mut newline,
                    c,
                );
                i += 1;
            }
        } else {
            let (ch, w) = decode(b, i);
            if ch.is_whitespace() {
                space = true;
                spaces += 1;
                i += w;
            } else if ch.is_alphabetic() {
                let s = i;
                i += w;
                i = word_end(b, i);
                push(
                    out,
                    s,
                    i,
                    Tk::Word,
                    &mut space,
                    &mut spaces,
                    &mut newline,
                    0,
                );
            } else {
                push(
                    out,
                    i,
                    i + w,
                    Tk::Punct,
                    &mut space,
                    &mut spaces,
                    &mut newline,
                    0,
                );
                i += w;
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
#[inline]
fn push(
    out: &mut Vec<Tok>,
    s: usize,
    e: usize,
    kind: Tk,
    space: &mut bool,
    spaces: &mut u32,
    newline: &mut bool,
    ch: u8,
) {
    out.push(Tok {
        start: s as u32,
        end: e as u32,
        kind,
        space: *space,
        single_space: *spaces == 1,
        newline: *newline,
        ch,
    });
    *space = false;
    *spaces = 0;
    *newline = false;
}

/// Decodes the UTF-8 character at `i`. The bytes come from a `&str`, so they are well
/// formed; decoding by hand avoids re-validating them for every non-ASCII character
/// (curly quotes and dashes are frequent in news text).
#[inline]
fn decode(b: &[u8], i: usize) -> (char, usize) {
    let c0 = b[i] as u32;
    let at = |k: usize| b.get(i + k).map(|&x| (x & 0x3F) as u32).unwrap_or(0);
    let (v, w) = if c0 < 0xE0 {
        (((c0 & 0x1F) << 6) | at(1), 2)
    } else if c0 < 0xF0 {
        (((c0 & 0x0F) << 12) | (at(1) << 6) | at(2), 3)
    } else {
        (
            ((c0 & 0x07) << 18) | (at(1) << 12) | (at(2) << 6) | at(3),
            4,
        )
    };
    (char::from_u32(v).unwrap_or('\u{FFFD}'), w.min(b.len() - i))
}

/// Lower-cases an ASCII-letter word into `buf` for keyword lookups without allocating.
/// Non-ASCII bytes are copied unchanged. Returns `None` for words too long to be keywords.
#[inline]
pub(crate) fn lower<'b>(text: &str, t: &Tok, buf: &'b mut [u8; 48]) -> Option<&'b str> {
    let s = &text.as_bytes()[t.start as usize..t.end as usize];
    if s.len() > buf.len() {
        return None;
    }
    let out = &mut buf[..s.len()];
    out.copy_from_slice(s);
    out.make_ascii_lowercase();
    // SAFETY: `out` is a copy of a `&str` slice that starts and ends on token boundaries
    // (character boundaries), and ASCII case changes keep UTF-8 valid. This runs for every
    // candidate word, where re-validating showed up as the hottest line of the scan.
    Some(unsafe { std::str::from_utf8_unchecked(out) })
}

/// The end of a word whose first letter ends at `i`: letters, ASCII or not.
fn word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        let d = b[i];
        if d.is_ascii_alphabetic() {
            i += 1;
        } else if d >= 0x80 {
            let (ch, w) = decode(b, i);
            if !ch.is_alphabetic() {
                break;
            }
            i += w;
        } else {
            break;
        }
    }
    i
}
