//! Bytes to normalised text.
//!
//! Order of trust: a byte-order mark (UTF-8, UTF-16 LE/BE), then strict UTF-8, then
//! Windows-1252 — the charset that most mis-labelled "Latin-1" news exports really are.
//! Every fallback is written to the note, so an analyst knows the text was guessed at.
//!
//! Normalisation: CRLF and lone CR become `\n` (as do U+0085, U+2028 and U+2029);
//! control characters other than `\n` and `\t`, and stray byte-order marks, are removed.
//! **Byte offsets everywhere in corro (sentence spans, `body_start`, claim offsets) refer
//! to the normalised text**, never to the input bytes.
//!
//! This module does not guess charsets from content statistics: UTF-8 is checked
//! strictly, and anything else is read as Windows-1252, with a note.

use std::borrow::Cow;

/// Decoded text and what was done to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The normalised text.
    pub text: String,
    /// How the bytes were decoded, when it was not plain UTF-8 (`None` for UTF-8, with or
    /// without a byte-order mark).
    pub note: Option<String>,
}

/// Decodes bytes to normalised text. Never fails: undecodable input is decoded lossily
/// and the note says so.
///
/// ```
/// use corro_parse::decode::decode;
/// let d = decode(b"\xEF\xBB\xBFcaf\xC3\xA9\r\nbar");
/// assert_eq!(d.text, "café\nbar");
/// assert_eq!(d.note, None);
/// let d = decode(b"caf\xE9");
/// assert_eq!(d.text, "café");
/// assert!(d.note.unwrap().contains("windows-1252"));
/// ```
pub fn decode(bytes: &[u8]) -> Decoded {
    let (raw, note) = decode_only(bytes);
    Decoded {
        text: normalise(&raw),
        note,
    }
}

/// [`decode`] without normalisation, for readers that normalise field by field.
pub(crate) fn decode_only(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    let (raw, note): (Cow<str>, Option<String>) =
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            match std::str::from_utf8(rest) {
                Ok(s) => (s.into(), None),
                Err(e) => (
                    String::from_utf8_lossy(rest),
                    Some(format!(
                        "invalid UTF-8 after a UTF-8 byte-order mark (at byte {}); decoded lossily",
                        e.valid_up_to() + 3
                    )),
                ),
            }
        } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            let enc = if bytes[0] == 0xFF {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            // `decode` sniffs and strips the BOM itself.
            let (s, _, had_errors) = enc.decode(bytes);
            let mut note = format!("decoded as {} (byte-order mark)", enc.name());
            if had_errors {
                note.push_str(", with replacement characters for invalid sequences");
            }
            (s, Some(note))
        } else {
            match std::str::from_utf8(bytes) {
                Ok(s) => (s.into(), None),
                Err(e) => {
                    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                    (
                        s,
                        Some(format!(
                            "not UTF-8 (invalid byte at {}); decoded as windows-1252",
                            e.valid_up_to()
                        )),
                    )
                }
            }
        };
    (raw, note)
}

/// CRLF, lone CR, U+0085, U+2028 and U+2029 to `\n`; drops control characters (keeps
/// `\n`, `\t`) and byte-order marks. Runs at memory speed on clean text: only the bytes
/// that can start one of those characters are looked at twice.
///
/// ```
/// assert_eq!(corro_parse::decode::normalise("a\r\nb\rc\u{7}d\u{FEFF}"), "a\nb\ncd");
/// ```
pub fn normalise(s: &str) -> String {
    normalise_cow(s).into_owned()
}

/// [`normalise`], borrowing `s` when there is nothing to change (most text): a whole
/// file's copy is then never made.
///
/// ```
/// use std::borrow::Cow;
/// use corro_parse::decode::normalise_cow;
/// assert!(matches!(normalise_cow("plain text\n\tcafé"), Cow::Borrowed(_)));
/// assert_eq!(normalise_cow("a\r\nb"), "a\nb");
/// ```
pub fn normalise_cow(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    // Made at the first change.
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        // Eight plain ASCII bytes at a time: no control, no DEL, no high bit.
        if let Some(chunk) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            const ONES: u64 = 0x0101_0101_0101_0101;
            const HIGH: u64 = 0x8080_8080_8080_8080;
            let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
            let y = x ^ (ONES * 0x7F);
            let del = y.wrapping_sub(ONES) & !y & HIGH;
            if (x & HIGH) | below_space | del == 0 {
                i += 8;
                continue;
            }
        }
        if !SUSPECT[b[i] as usize] {
            i += 1;
            continue;
        }
        // (bytes to drop, replacement)
        let (skip, repl): (usize, Option<char>) = match b[i] {
            b'\r' => (1, (b.get(i + 1) != Some(&b'\n')).then_some('\n')),
            0x00..=0x1F | 0x7F => (1, None),
            0xC2 if b.get(i + 1) == Some(&0x85) => (2, Some('\n')),
            0xC2 if matches!(b.get(i + 1), Some(0x80..=0x9F)) => (2, None),
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => {
                (3, Some('\n'))
            }
            0xEF if b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF) => (3, None),
            _ => {
                i += 1;
                continue;
            }
        };
        // `i` is at a lead byte or ASCII, so both slices are on char boundaries.
        let out = out.get_or_insert_with(|| String::with_capacity(s.len()));
        out.push_str(&s[copied..i]);
        if let Some(r) = repl {
            out.push(r);
        }
        i += skip;
        copied = i;
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut out) => {
            out.push_str(&s[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Bytes that may start something [`normalise`] changes: ASCII controls other than `\n`
/// and `\t`, DEL, and the lead bytes of C1 controls (0xC2), U+2028/9 (0xE2) and the BOM
/// (0xEF).
static SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = c != b'\n' as usize && c != b'\t' as usize;
        c += 1;
    }
    t[0x7F] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t[0xEF] = true;
    t
};

/// True when the bytes look binary rather than text: a NUL byte in the first 8 KiB
/// (UTF-16 with a byte-order mark is text).
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    memchr::memchr(0, head).is_some()
}
