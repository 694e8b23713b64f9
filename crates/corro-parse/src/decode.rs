//! Bytes to normalised text.
//!
//! Order of trust: a byte-order mark (UTF-8, UTF-16 LE/BE), then strict UTF-8, then
//! Windows-1252 — the charset that most mis-labelled "Latin-1" news exports really are.
//! The fallback is always noted so an analyst knows the text was guessed at.
//!
//! Normalisation: CRLF and lone CR become `\n`; control characters other than `\n` and
//! `\t` are removed. Byte offsets everywhere in corro refer to the normalised text.

/// Decoded text and what was done to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Empty when the input was plain UTF-8.
    pub note: Option<String>,
}

/// Decodes bytes to normalised text. Never fails: undecodable input is decoded lossily
/// and the note says so.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (raw, note): (std::borrow::Cow<str>, Option<String>) =
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            match std::str::from_utf8(rest) {
                Ok(s) => (s.into(), None),
                Err(_) => (
                    String::from_utf8_lossy(rest).into_owned().into(),
                    Some("invalid UTF-8 after BOM, decoded lossily".into()),
                ),
            }
        } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            let enc = if bytes[0] == 0xFF {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            let (s, _, had_errors) = enc.decode(bytes);
            let mut note = format!("decoded as {}", enc.name());
            if had_errors {
                note.push_str(" with replacement characters");
            }
            (s.into_owned().into(), Some(note))
        } else {
            match std::str::from_utf8(bytes) {
                Ok(s) => (s.into(), None),
                Err(_) => {
                    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                    (
                        s.into_owned().into(),
                        Some("not UTF-8; decoded as windows-1252".into()),
                    )
                }
            }
        };
    Decoded {
        text: normalise(&raw),
        note,
    }
}

/// CRLF/CR to LF, drop control characters (keep `\n`, `\t`) and stray BOMs.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            '\u{FEFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// True when the bytes look binary rather than text (NUL bytes outside UTF-16).
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    memchr::memchr(0, head).is_some()
}
