//! The shape of a proper name — a place, an outlet, a person in a byline: a few
//! capitalised words. One check, shared by the dateline and byline readers.

/// Lower-case words that may join the capitalised words of a name ("Ras al-Ain",
/// "Bosnia and Herzegovina", "Hassan bin Ali").
fn connector(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "&"
            | "of"
            | "the"
            | "on"
            | "upon"
            | "am"
            | "de"
            | "du"
            | "la"
            | "van"
            | "von"
            | "der"
            | "al"
            | "el"
            | "bin"
            | "ibn"
    ) || ["al-", "el-", "ad-", "as-", "an-", "ar-"]
        .iter()
        .any(|p| w.starts_with(p))
}

/// One to `max_words` words, the first capitalised and every other capitalised or a
/// connector, made of letters with `-`, `'`, `’` or `.` inside; with `digits`, digits
/// and `&` count as letters too ("Kurdistan 24", "AT&T").
pub(crate) fn capitalised_words(s: &str, max_words: usize, digits: bool) -> bool {
    let mut n = 0;
    for w in s.split_whitespace() {
        n += 1;
        let first = w.chars().next().unwrap_or(' ');
        let capital = first.is_uppercase() || (digits && first.is_ascii_digit());
        if !(capital || (n > 1 && connector(w))) || n > max_words {
            return false;
        }
        let letters = w.chars().all(|c| {
            c.is_alphabetic()
                || matches!(c, '-' | '\'' | '’' | '.')
                || (digits && (c.is_ascii_digit() || c == '&'))
        });
        if !letters {
            return false;
        }
    }
    n >= 1
}
