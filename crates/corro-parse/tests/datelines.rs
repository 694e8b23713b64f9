//! Datelines, bylines and dates as news writes them: input, expected fields.

mod common;

use common::{outlets, read_txt};
use corro_parse::metadata::{
    parse_byline, parse_credit, parse_date, parse_date_parts, parse_dateline,
};
use jiff::civil::{date, Date};

/// A dateline case: the text, then place, outlet, relays, written (month, day, year?) and
/// where the body starts.
struct Dl {
    text: &'static str,
    place: Option<&'static str>,
    outlet: Option<&'static str>,
    relayed_via: &'static [&'static str],
    written: Option<(i8, i8, Option<i16>)>,
    body: &'static str,
}

const fn dl(
    text: &'static str,
    place: Option<&'static str>,
    outlet: Option<&'static str>,
    relayed_via: &'static [&'static str],
    written: Option<(i8, i8, Option<i16>)>,
    body: &'static str,
) -> Dl {
    Dl {
        text,
        place,
        outlet,
        relayed_via,
        written,
        body,
    }
}

const DATELINES: &[Dl] = &[
    // North Press
    dl(
        "AZAZ, Syria (North Press) – Private sources informed",
        Some("AZAZ"),
        Some("North Press"),
        &[],
        None,
        "Private sources",
    ),
    dl(
        "QAMISHLI, Syria (North Press) – The Autonomous",
        Some("QAMISHLI"),
        Some("North Press"),
        &[],
        None,
        "The Autonomous",
    ),
    // UrduPoint relaying Sputnik
    dl(
        "WASHINGTON (UrduPoint News / Sputnik - 02nd October, 2020) Mercenaries from Syria",
        Some("WASHINGTON"),
        Some("UrduPoint News"),
        &["Sputnik"],
        Some((10, 2, Some(2020))),
        "Mercenaries",
    ),
    dl(
        "MOSCOW (UrduPoint News / Sputnik - 30th September, 2020) Russia",
        Some("MOSCOW"),
        Some("UrduPoint News"),
        &["Sputnik"],
        Some((9, 30, Some(2020))),
        "Russia",
    ),
    // Reuters
    dl(
        "BAKU (Reuters) - Azerbaijan said",
        Some("BAKU"),
        Some("Reuters"),
        &[],
        None,
        "Azerbaijan said",
    ),
    dl(
        "ANKARA, Sept 29 (Reuters) - Turkey denied",
        Some("ANKARA"),
        Some("Reuters"),
        &[],
        Some((9, 29, None)),
        "Turkey denied",
    ),
    dl(
        "LONDON, Oct 1 (Reuters) - Britain",
        Some("LONDON"),
        Some("Reuters"),
        &[],
        Some((10, 1, None)),
        "Britain",
    ),
    dl(
        "WASHINGTON, Oct 2, 2020 (Reuters) - The Pentagon",
        Some("WASHINGTON"),
        Some("Reuters"),
        &[],
        Some((10, 2, Some(2020))),
        "The Pentagon",
    ),
    dl(
        "Oct 2 (Reuters) - Oil prices rose",
        None,
        Some("Reuters"),
        &[],
        Some((10, 2, None)),
        "Oil prices",
    ),
    dl(
        "NICOSIA/ANKARA (REUTERS) - Cyprus",
        None,
        None,
        &[],
        None,
        "",
    ),
    // Armenpress
    dl(
        "YEREVAN, NOVEMBER 3, ARMENPRESS. Prime Minister Nikol Pashinyan",
        Some("YEREVAN"),
        Some("Armenpress"),
        &[],
        Some((11, 3, None)),
        "Prime Minister",
    ),
    dl(
        "STEPANAKERT, OCTOBER 2, ARMENPRESS. The Artsakh",
        Some("STEPANAKERT"),
        Some("Armenpress"),
        &[],
        Some((10, 2, None)),
        "The Artsakh",
    ),
    // AP
    dl(
        "LONDON — Britain's government",
        Some("LONDON"),
        None,
        &[],
        None,
        "Britain's",
    ),
    dl(
        "BEIRUT, Lebanon (AP) — Syrian fighters",
        Some("BEIRUT"),
        Some("AP"),
        &[],
        None,
        "Syrian fighters",
    ),
    dl(
        "WASHINGTON (AP) — The Pentagon",
        Some("WASHINGTON"),
        Some("AP"),
        &[],
        None,
        "The Pentagon",
    ),
    dl(
        "KABUL, Afghanistan — A bomb",
        Some("KABUL"),
        None,
        &[],
        None,
        "A bomb",
    ),
    dl(
        "WASHINGTON, D.C. (AP) — Officials",
        Some("WASHINGTON"),
        Some("AP"),
        &[],
        None,
        "Officials",
    ),
    // TASS
    dl(
        "MOSCOW, October 1 (TASS) - Russia",
        Some("MOSCOW"),
        Some("TASS"),
        &[],
        Some((10, 1, None)),
        "Russia",
    ),
    dl(
        "MOSCOW, October 1. /TASS/. Russia's Foreign Ministry",
        Some("MOSCOW"),
        Some("TASS"),
        &[],
        Some((10, 1, None)),
        "Russia's",
    ),
    // AFP
    dl(
        "PARIS (AFP) - France",
        Some("PARIS"),
        Some("AFP"),
        &[],
        None,
        "France",
    ),
    dl(
        "Paris (AFP) - French President",
        Some("Paris"),
        Some("AFP"),
        &[],
        None,
        "French President",
    ),
    // Xinhua
    dl(
        "DAMASCUS, Oct. 2 (Xinhua) -- Syria's",
        Some("DAMASCUS"),
        Some("Xinhua"),
        &[],
        Some((10, 2, None)),
        "Syria's",
    ),
    // Anadolu
    dl(
        "ISTANBUL (Anadolu) - Turkey",
        Some("ISTANBUL"),
        Some("Anadolu"),
        &[],
        None,
        "Turkey",
    ),
    dl(
        "ANKARA (AA) - Turkish Defense Minister",
        Some("ANKARA"),
        Some("Anadolu"),
        &[],
        None,
        "Turkish Defense",
    ),
    // CNN, Newser: credit only
    dl(
        "(CNN) Mercenaries from Syria",
        None,
        Some("CNN"),
        &[],
        None,
        "Mercenaries",
    ),
    dl(
        "(CNN)Syrian rebels",
        None,
        Some("CNN"),
        &[],
        None,
        "Syrian rebels",
    ),
    dl(
        "(NEWSER) – Wonder how long",
        None,
        Some("Newser"),
        &[],
        None,
        "Wonder",
    ),
    dl(
        "NEW YORK (CNN Business) — Shares",
        Some("NEW YORK"),
        Some("CNN Business"),
        &[],
        None,
        "Shares",
    ),
    // Interfax
    dl(
        "Moscow. October 1. INTERFAX - Russia is concerned",
        Some("Moscow"),
        Some("Interfax"),
        &[],
        Some((10, 1, None)),
        "Russia is",
    ),
    // Trend, APA
    dl(
        "BAKU, Azerbaijan, Oct.1 (Trend): Azerbaijan's",
        Some("BAKU"),
        Some("Trend"),
        &[],
        Some((10, 1, None)),
        "Azerbaijan's",
    ),
    dl(
        "BAKU, October 2 (APA) - The Ministry",
        Some("BAKU"),
        Some("APA"),
        &[],
        Some((10, 2, None)),
        "The Ministry",
    ),
    // SANA, Asbarez, Daily Sabah, Hurriyet, IRNA
    dl(
        "DAMASCUS, (SANA) – The Syrian Army",
        Some("DAMASCUS"),
        Some("SANA"),
        &[],
        None,
        "The Syrian Army",
    ),
    dl(
        "Yerevan (Asbarez) — Armenia",
        Some("Yerevan"),
        Some("Asbarez"),
        &[],
        None,
        "Armenia",
    ),
    dl(
        "ISTANBUL (Daily Sabah) - Turkey",
        Some("ISTANBUL"),
        Some("Daily Sabah"),
        &[],
        None,
        "Turkey",
    ),
    dl(
        "ANKARA (Hurriyet Daily News) - The",
        Some("ANKARA"),
        Some("Hurriyet"),
        &[],
        None,
        "The",
    ),
    dl(
        "TEHRAN (IRNA) - Iran",
        Some("TEHRAN"),
        Some("IRNA"),
        &[],
        None,
        "Iran",
    ),
    // Armenian and Azerbaijani agencies
    dl(
        "Yerevan/Mediamax/. Armenia's Defense Ministry",
        Some("Yerevan"),
        Some("Mediamax"),
        &[],
        None,
        "Armenia's",
    ),
    dl(
        "YEREVAN, OCTOBER 2. NEWS.AM. The Artsakh",
        Some("YEREVAN"),
        Some("News.am"),
        &[],
        Some((10, 2, None)),
        "The Artsakh",
    ),
    dl(
        "Baku, October 2, AZERTAC. Azerbaijan's army",
        Some("Baku"),
        Some("AzerTag"),
        &[],
        Some((10, 2, None)),
        "Azerbaijan's",
    ),
    // Pakistani style
    dl(
        "ISLAMABAD: Pakistan said",
        Some("ISLAMABAD"),
        None,
        &[],
        None,
        "Pakistan said",
    ),
];

/// Sentences that merely look a little like datelines.
const NOT_DATELINES: &[&str] = &[
    "Turkey - which backs Azerbaijan - denies sending fighters.",
    "The Syrian Observatory for Human Rights (SOHR) said 30 fighters died.",
    "Erdogan (AKP) said the report was false.",
    "Mercenaries from Syria are being recruited to fight.",
    "He said: we will fight.",
    "In 2020 (the year of the war) - many died.",
    "Recep Tayyip Erdogan - the Turkish president - spoke.",
    "RECOMMENDED: Ten things to know.",
    "BREAKING — Fighting resumed.",
    "The source added that more than 150 militants (from various groups) registered.",
    "",
];

#[test]
fn datelines_give_place_outlet_relays_and_date() {
    let lex = outlets();
    for case in DATELINES {
        if case.body.is_empty() {
            continue; // a two-place dateline: see `two_places_are_not_a_place`
        }
        let d = parse_dateline(case.text, &lex)
            .unwrap_or_else(|| panic!("no dateline in {:?}", case.text));
        assert_eq!(d.place.as_deref(), case.place, "place of {:?}", case.text);
        assert_eq!(
            d.outlet.as_deref(),
            case.outlet,
            "outlet of {:?}",
            case.text
        );
        assert_eq!(d.relayed_via, case.relayed_via, "relays of {:?}", case.text);
        let written = d.written_date.map(|w| (w.month, w.day, w.year));
        assert_eq!(written, case.written, "date of {:?}", case.text);
        assert_eq!(
            d.date.is_some(),
            matches!(case.written, Some((_, _, Some(_)))),
            "{:?}",
            case.text
        );
        assert!(
            case.text[d.len..].starts_with(case.body),
            "body of {:?} starts at {:?}",
            case.text,
            &case.text[d.len..]
        );
    }
}

#[test]
fn two_places_are_not_a_place() {
    // "NICOSIA/ANKARA" is not one place; we do not guess which one is meant.
    assert_eq!(
        parse_dateline("NICOSIA/ANKARA (REUTERS) - Cyprus", &outlets()),
        None
    );
}

#[test]
fn ordinary_sentences_are_not_datelines() {
    let lex = outlets();
    for text in NOT_DATELINES {
        assert_eq!(parse_dateline(text, &lex), None, "{text:?}");
    }
}

/// (credit line, author, source outlet)
const CREDITS: &[(&str, Option<&str>, Option<&str>)] = &[
    ("Reporting by Khalid Hassan", Some("Khalid Hassan"), None),
    (
        "Reporting by Orhan Coskun in Ankara and Nvard Hovhannisyan in Yerevan; Writing by Jonathan Spicer; Editing by Gareth Jones",
        Some("Orhan Coskun and Nvard Hovhannisyan"),
        None,
    ),
    ("(Reporting by Tuvan Gumrukcu; Editing by Dominic Evans)", Some("Tuvan Gumrukcu"), None),
    ("Writing by Daren Butler; Editing by Jon Boyle", Some("Daren Butler"), None),
    ("Reporting by Ece Toksabay, writing by Daren Butler, editing by Jon Boyle", Some("Ece Toksabay"), None),
    ("Editing by Jon Boyle", None, None),
    ("Reporting by John F. Smith; Editing by Jon Boyle", Some("John F. Smith"), None),
    ("Additional reporting by Maria Tsvetkova; Writing by Tom Balmforth", Some("Tom Balmforth"), None),
    ("By Lara Seligman", Some("Lara Seligman"), None),
    ("By John Smith, Reuters", Some("John Smith"), None),
    ("BY ZEINA KARAM", Some("ZEINA KARAM"), None),
    ("By Jane Doe and Ali al-Hassan", Some("Jane Doe and Ali al-Hassan"), None),
    ("— AFP", Some("AFP"), Some("AFP")),
    ("-- Reuters", Some("Reuters"), Some("Reuters")),
    ("(AFP)", Some("AFP"), Some("AFP")),
    ("Source: The Daily Caller", Some("The Daily Caller"), Some("The Daily Caller")),
    ("Source: Ministry of Defence", Some("Ministry of Defence"), None),
];

const NOT_CREDITS: &[&str] = &[
    "By the end of the week, fighting resumed.",
    "Additional reporting by Mashable staff. Have something to add to this story? Share it in the comments.",
    "The source added that more than 150 militants had registered.",
    "- Turkey sent fighters",
    "(the report said)",
    "",
];

#[test]
fn bylines_and_credits() {
    let lex = outlets();
    for &(line, author, source) in CREDITS {
        let c = parse_credit(line, &lex).unwrap_or_else(|| panic!("no credit in {line:?}"));
        assert_eq!(c.author.as_deref(), author, "author of {line:?}");
        assert_eq!(c.source.as_deref(), source, "source of {line:?}");
        if source.is_none() && !line.starts_with("Source") {
            assert_eq!(
                parse_byline(line).as_deref(),
                author,
                "parse_byline({line:?})"
            );
        }
    }
    for line in NOT_CREDITS {
        assert_eq!(parse_credit(line, &lex), None, "{line:?}");
        assert_eq!(parse_byline(line), None, "{line:?}");
    }
}

/// (written, context year, expected)
const DATES: &[(&str, Option<i16>, Option<Date>)] = &[
    ("02nd October, 2020", None, Some(date(2020, 10, 2))),
    ("30th September, 2020", None, Some(date(2020, 9, 30))),
    ("Sept 29", Some(2020), Some(date(2020, 9, 29))),
    ("Sept 29", None, None),
    ("29-09-2020", None, Some(date(2020, 9, 29))),
    ("1-10-2020", None, Some(date(2020, 10, 1))),
    ("29.09.2020", None, Some(date(2020, 9, 29))),
    ("November 3", Some(2020), Some(date(2020, 11, 3))),
    ("NOVEMBER 3, 2020", None, Some(date(2020, 11, 3))),
    ("2020-10-02", None, Some(date(2020, 10, 2))),
    ("2020-10-02T14:03:00Z", None, Some(date(2020, 10, 2))),
    ("2020-10-02T14:03:00+03:00", None, Some(date(2020, 10, 2))),
    ("2020-10-02 14:03", None, Some(date(2020, 10, 2))),
    ("October 2, 2020", None, Some(date(2020, 10, 2))),
    ("2 October 2020", None, Some(date(2020, 10, 2))),
    (
        "Friday, 2 October 2020 14:05 GMT",
        None,
        Some(date(2020, 10, 2)),
    ),
    ("Oct. 1", Some(2020), Some(date(2020, 10, 1))),
    ("Oct.1", Some(2020), Some(date(2020, 10, 1))),
    ("the 3rd of November, 2020", None, Some(date(2020, 11, 3))),
    ("29/09/2020", None, Some(date(2020, 9, 29))),
    ("09/29/2020", None, Some(date(2020, 9, 29))),
    ("2020/09/29", None, Some(date(2020, 9, 29))),
    ("10/02/2020", None, None), // 10 February or October 2? Not guessed.
    ("31 September 2020", None, None),
    ("February 29", Some(2020), Some(date(2020, 2, 29))),
    ("February 29", Some(2021), None),
    ("Turkey sent 150 fighters in October 2020", None, None),
    ("2020", None, None),
    ("October", Some(2020), None),
    ("", None, None),
    ("2020-10-0é", None, None),
    ("2020-1é-02", None, None),
];

#[test]
fn dates_as_news_writes_them() {
    for &(s, year, want) in DATES {
        assert_eq!(parse_date(s, year), want, "parse_date({s:?}, {year:?})");
    }
    let p = parse_date_parts("Sept 29").unwrap();
    assert_eq!((p.year, p.month, p.day), (None, 9, 29));
}

#[test]
fn a_missing_year_is_taken_from_the_text_and_noted() {
    let r = read_txt("ANKARA, Sept 29 (Reuters) - Turkey denied sending fighters, its ministry said on Tuesday. The fighting is the worst since 2016 and escalated in 2020.");
    assert_eq!(r.meta.published, Some(date(2020, 9, 29)));
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("without a year") && n.contains("2020")),
        "{:?}",
        r.notes
    );
}

#[test]
fn a_missing_year_with_no_context_is_left_empty_and_noted() {
    let r = read_txt(
        "ANKARA, Sept 29 (Reuters) - Turkey denied sending fighters, its ministry said on Tuesday.",
    );
    assert_eq!(r.meta.published, None);
    assert!(
        r.notes.iter().any(|n| n.contains("published left empty")),
        "{:?}",
        r.notes
    );
}

#[test]
fn a_date_field_gives_the_year_context_over_the_text() {
    let r = read_txt("date: 2020-10-02\n\nMOSCOW, October 1 (TASS) - Russia said it was concerned about reports from 2019.");
    assert_eq!(
        r.meta.published,
        Some(date(2020, 10, 2)),
        "the header date wins"
    );
    assert_eq!(r.meta.outlet.as_deref(), Some("TASS"));
    assert_eq!(r.meta.place.as_deref(), Some("MOSCOW"));
}
