//! Fixed keyword sets of the quantity grammar (function words, hedges' neighbours, labels,
//! months, periods): grammar rather than lexicon, so they live in code, unlike the
//! analyst-editable unit and currency lists in `data/`.

/// A word of up to 16 bytes packed into an integer, so that keyword tests on the hot path
/// are integer comparisons instead of `memcmp` calls.
const fn pack(w: &[u8]) -> u128 {
    let mut v = 0u128;
    let mut k = 0;
    while k < w.len() && k < 16 {
        v |= (w[k] as u128) << (8 * k);
        k += 1;
    }
    v
}

/// Words that can begin a quantity: number words and vague quantifiers.
const STARTERS: [u128; 44] = {
    const W: [&str; 44] = [
        "a",
        "an",
        "zero",
        "nought",
        "naught",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fourty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "half",
        "quarter",
        "dozens",
        "scores",
        "hundreds",
        "thousands",
        "millions",
        "billions",
        "tens",
        "several",
        "nil",
    ];
    let mut out = [0u128; 44];
    let mut k = 0;
    while k < W.len() {
        out[k] = pack(W[k].as_bytes());
        k += 1;
    }
    out
};

/// For each first letter, the set of lengths (bit n = n letters) of the words in
/// [`STARTERS`]: one table lookup rejects most words ("the", "said", "and") before packing.
const STARTER_LENGTHS: [u16; 26] = {
    let mut t = [0u16; 26];
    let mut k = 0;
    while k < STARTERS.len() {
        let v = STARTERS[k];
        let first = (v & 0xFF) as u8;
        let mut len = 0;
        while len < 16 && (v >> (8 * len)) & 0xFF != 0 {
            len += 1;
        }
        t[(first - b'a') as usize] |= 1 << len;
        k += 1;
    }
    t
};

/// `w` is the raw word; ASCII letters are lower-cased by setting bit 5, which leaves the
/// packed value of any non-letter byte unlike every keyword.
#[inline]
pub(super) fn starts_quantity(w: &[u8]) -> bool {
    let first = w[0] | 0x20;
    if !first.is_ascii_lowercase() || STARTER_LENGTHS[(first - b'a') as usize] & (1 << w.len()) == 0
    {
        return false;
    }
    let mut v = 0u128;
    for (k, &c) in w.iter().enumerate() {
        v |= ((c | 0x20) as u128) << (8 * k);
    }
    STARTERS.contains(&v)
}

/// Month names and their abbreviations: a number next to one is a date.
pub(super) fn is_month(w: &str) -> bool {
    matches!(
        w,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// Words before a number that make it a name or an identifier ("Article 5").
pub(super) fn is_label_word(w: &str) -> bool {
    matches!(
        w,
        "no" | "nos"
            | "nr"
            | "nrs"
            | "number"
            | "version"
            | "ver"
            | "v"
            | "article"
            | "articles"
            | "resolution"
            | "ch"
            | "nrs."
            | "paragraph"
            | "chapter"
            | "section"
            | "page"
            | "pages"
            | "room"
            | "flight"
            | "route"
            | "highway"
            | "road"
            | "gate"
            | "level"
            | "phase"
            | "stage"
            | "grade"
            | "class"
            | "type"
            | "model"
            | "unit"
            | "brigade"
            | "division"
            | "regiment"
            | "battalion"
            | "corps"
            | "squad"
            | "group"
            | "camp"
            | "block"
            | "sector"
            | "zone"
            | "district"
            | "line"
            | "channel"
            | "code"
            | "id"
            | "vol"
            | "volume"
            | "issue"
            | "step"
            | "round"
            | "game"
            | "episode"
            | "season"
            | "part"
            | "act"
            | "law"
            | "decree"
            | "item"
            | "annex"
            | "platform"
            | "terminal"
            | "apartment"
            | "suite"
            | "box"
            | "file"
            | "case"
            | "exhibit"
            | "figure"
            | "table"
            | "tier"
            | "cell"
            | "ward"
            | "lot"
            | "plot"
            | "building"
            | "floor"
            | "bus"
            | "train"
            | "seat"
            | "sura"
            | "verse"
            | "age"
            | "aged"
            | "ages"
    )
}

/// Function words that end a noun phrase when looking for the counted noun.
pub(super) fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "of"
            | "from"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "with"
            | "by"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "were"
            | "was"
            | "had"
            | "have"
            | "has"
            | "are"
            | "is"
            | "be"
            | "been"
            | "being"
            | "will"
            | "would"
            | "could"
            | "should"
            | "may"
            | "might"
            | "can"
            | "must"
            | "who"
            | "whom"
            | "whose"
            | "which"
            | "that"
            | "this"
            | "these"
            | "those"
            | "it"
            | "its"
            | "they"
            | "them"
            | "their"
            | "he"
            | "she"
            | "his"
            | "her"
            | "we"
            | "our"
            | "you"
            | "your"
            | "i"
            | "said"
            | "says"
            | "say"
            | "did"
            | "do"
            | "does"
            | "also"
            | "still"
            | "now"
            | "already"
            | "more"
            | "less"
            | "than"
            | "only"
            | "just"
            | "about"
            | "as"
            | "into"
            | "onto"
            | "over"
            | "under"
            | "after"
            | "before"
            | "since"
            | "until"
            | "during"
            | "while"
            | "when"
            | "where"
            | "if"
            | "then"
            | "there"
            | "here"
            | "not"
            | "no"
            | "all"
            | "each"
            | "every"
            | "some"
            | "any"
            | "per"
            | "up"
            | "down"
            | "out"
            | "off"
            | "between"
            | "among"
            | "against"
            | "across"
            | "through"
            | "toward"
            | "towards"
            | "upon"
            | "within"
            | "without"
            | "via"
            | "including"
            | "according"
            | "so"
            | "very"
            | "too"
            | "others"
            | "such"
            | "what"
            | "again"
            | "ago"
            | "later"
            | "earlier"
            | "last"
            | "next"
            | "first"
            | "times"
            | "percent"
            | "pct"
            | "cent"
            | "own"
            | "both"
            | "almost"
            | "nearly"
            | "around"
            | "roughly"
            | "approximately"
            | "least"
            | "most"
            | "many"
            | "much"
            | "few"
            | "several"
    )
}

/// Verbs before "from" that make "from X to Y" a change, not a range.
pub(super) fn is_change_verb(w: &str) -> bool {
    matches!(
        w,
        "rose"
            | "risen"
            | "rise"
            | "rising"
            | "increased"
            | "increase"
            | "increasing"
            | "climbed"
            | "jumped"
            | "grew"
            | "grown"
            | "fell"
            | "fallen"
            | "dropped"
            | "decreased"
            | "declined"
            | "went"
            | "gone"
            | "up"
            | "down"
            | "raised"
            | "cut"
            | "reduced"
            | "lowered"
            | "surged"
            | "soared"
            | "doubled"
            | "tripled"
            | "moved"
            | "changed"
            | "shrank"
            | "plunged"
            // The present tense of headlines: "death toll rises from 30 to 52".
            | "rises"
            | "climbs"
            | "grows"
            | "falls"
            | "drops"
            | "jumps"
            | "increases"
            | "decreases"
            | "declines"
            | "surges"
            | "soars"
    )
}

/// Words that name a count of something, before "of": "the number of fighters …".
pub(super) fn is_count_head(w: &str) -> bool {
    matches!(w, "number" | "numbers" | "count" | "tally" | "total")
}

/// Words a casualty cue may be separated from its number by ("the death toll rose to 52").
pub(super) fn is_link(w: &str) -> bool {
    matches!(
        w,
        "to" | "at"
            | "of"
            | "reached"
            | "reach"
            | "reaches"
            | "rose"
            | "risen"
            | "climbed"
            | "stood"
            | "stands"
            | "is"
            | "was"
            | "has"
            | "had"
            | "have"
            | "now"
            | "hit"
            | "jumped"
            | "increased"
            | "surged"
            | "up"
            | "by"
            | "total"
            | "totaled"
            | "totalled"
            | "numbered"
            | "were"
            | "are"
            | "the"
            | "a"
            | "been"
    )
}

/// A time word as a rate period ("a month" → `month`).
pub(super) fn period_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "day" | "days" => "day",
        "week" | "weeks" => "week",
        "month" | "months" | "mo" => "month",
        "year" | "years" | "annum" | "yr" => "year",
        "hour" | "hours" | "hr" => "hour",
        _ => return None,
    })
}

/// The singular of an unknown counted noun, for its `unit` ("schools" → "school").
pub(super) fn singular(w: &str) -> String {
    let irregular = match w {
        "men" => Some("man"),
        "women" => Some("woman"),
        "children" => Some("child"),
        "people" => Some("person"),
        "feet" => Some("foot"),
        "teeth" => Some("tooth"),
        "mice" => Some("mouse"),
        "geese" => Some("goose"),
        _ => None,
    };
    if let Some(s) = irregular {
        return s.to_string();
    }
    if w.len() > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    for suf in ["sses", "shes", "ches", "xes", "zes"] {
        if w.len() > suf.len() + 1 && w.ends_with(suf) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}
