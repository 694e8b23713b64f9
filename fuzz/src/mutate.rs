//! The seeded random source and the byte-level mutations.

/// SplitMix64: tiny, fast, and the same sequence for the same seed on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Tokens that have broken text parsers before: separators, quotes, brackets, dashes,
/// line ends, invalid UTF-8, NULs, byte-order marks, multi-byte characters at
/// boundaries, and numbers at and beyond the limits of `f64` and `u64`.
pub const INTERESTING: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b",",
    b"'",
    b"(",
    b")",
    b"[",
    b"{",
    b"}",
    b":",
    b";",
    b"/",
    b"\\",
    b"-",
    b"--",
    "\u{2014}".as_bytes(),
    "\u{2013}".as_bytes(),
    "\u{2026}".as_bytes(),
    "\u{201C}".as_bytes(),
    "\u{201D}".as_bytes(),
    "\u{00A0}".as_bytes(),
    "\u{FEFF}".as_bytes(),
    "\u{2028}".as_bytes(),
    "\u{0085}".as_bytes(),
    "\u{00E9}".as_bytes(),
    "\u{0627}".as_bytes(),
    "\u{1F600}".as_bytes(),
    b"\r",
    b"\r\n",
    b"\n",
    b"\n\n",
    b"\t",
    b"\x00",
    b"\xFF",
    b"\xFE\xFF",
    b"\xFF\xFE",
    b"\xC3",
    b"\xE2\x80",
    b"\xF0\x9F",
    b"\x80",
    b"\xEF\xBB\xBF",
    b".",
    b"...",
    b"?",
    b"!",
    b"$",
    b"\xC2\xA3",
    b"%",
    b"0",
    b"1",
    b"9",
    b"00",
    b"1,000",
    b"1.5",
    b".5",
    b"1/2",
    b"\xC2\xBD",
    b"1e400",
    b"1e-400",
    b"-1",
    b"99999999999999999999",
    b"18446744073709551616",
    b"9223372036854775808",
    b"340282366920938463463374607431768211456",
    b"0.000000000000000000000000000001",
    b"999999999999999999999999999999999999999999 billion",
    b"NaN",
    b"inf",
    b"million",
    b"billion",
    b"trillion",
    b"thousand",
    b"hundred",
    b"dozen",
    b"half",
    b" a ",
    b"about ",
    b"more than ",
    b"between ",
    b" and ",
    b" to ",
    b" or ",
    b"per month",
    b" fighters",
    b" killed",
    b"Sept",
    b"October",
    b"2020",
    b"29",
    b"31",
    b"0000",
    b"9999",
    b"32767",
    b"-32768",
    b"2020-02-30",
    b"T",
    b"Z",
    b"(Reuters)",
    b"(UrduPoint News / Sputnik - ",
    b"BAKU, ",
    b"AZAZ, Syria (North Press) \xE2\x80\x93 ",
    b"Reporting by ",
    b"By ",
    b"Source: ",
    b"date ",
    b"outlet: ",
    b"title: ",
    b"Mr.",
    b"U.S.",
    b"No.",
    b"said ",
    b"denied ",
    b"reportedly ",
    b"according to ",
];

/// Applies one random mutation to `input`; `other` is a corpus entry for splicing.
pub fn mutate(input: &mut Vec<u8>, other: &[u8], rng: &mut Rng) {
    let len = input.len();
    match rng.below(12) {
        // Flip a bit.
        0 if len > 0 => {
            let i = rng.below(len);
            input[i] ^= 1 << rng.below(8);
        }
        // Replace a byte with a random or interesting byte.
        1 if len > 0 => {
            let i = rng.below(len);
            input[i] = *rng.pick(b"\x00\x01\x7F\x80\xC2\xE2\xFF\"',\n\r\t (.-0123456789");
        }
        // Insert an interesting token (most frequent: it is what finds bugs).
        2..=5 => {
            let i = rng.below(len + 1);
            let tok = rng.pick(INTERESTING);
            input.splice(i..i, tok.iter().copied());
        }
        // Overwrite with an interesting token.
        6 if len > 0 => {
            let tok = rng.pick(INTERESTING);
            let i = rng.below(len);
            let end = (i + tok.len()).min(len);
            input.splice(i..end, tok.iter().copied());
        }
        // Delete a range.
        7 if len > 0 => {
            let i = rng.below(len);
            let n = 1 + rng.below((len - i).min(32));
            input.drain(i..i + n);
        }
        // Duplicate a range (repetition finds quadratic paths).
        8 if len > 0 => {
            let i = rng.below(len);
            let n = 1 + rng.below((len - i).min(64));
            let piece: Vec<u8> = input[i..i + n].to_vec();
            let times = 1 + rng.below(16);
            for _ in 0..times {
                input.splice(i..i, piece.iter().copied());
            }
        }
        // Splice in a piece of another input.
        9 if !other.is_empty() => {
            let a = rng.below(other.len());
            let n = 1 + rng.below((other.len() - a).min(256));
            let i = rng.below(len + 1);
            input.splice(i..i, other[a..a + n].iter().copied());
        }
        // Truncate.
        10 if len > 1 => {
            input.truncate(rng.below(len));
        }
        // Swap two bytes, or insert a random ASCII byte.
        _ => {
            if len > 1 {
                let (a, b) = (rng.below(len), rng.below(len));
                input.swap(a, b);
            } else {
                input.push(32 + rng.below(95) as u8);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutations() {
        let run = |seed| {
            let mut rng = Rng::new(seed);
            let mut v = b"about 1,000 fighters".to_vec();
            for _ in 0..50 {
                mutate(&mut v, b"other input", &mut rng);
            }
            v
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
    }
}
