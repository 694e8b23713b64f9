//! The quantity normaliser as a specification: each row is an input sentence and every
//! quantity `extract` must find in it — (text, kind, low, high, approx, unit, per) — using
//! the lexicons the binary ships (`data/units.csv`, `data/currencies.csv`). A row with no
//! expected quantities says the text holds none (years, dates, ordinals, identifiers …).

use corro_claims::quantity::{extract, Quantity, UnitLexicon};

type Exp = (
    &'static str,
    &'static str,
    Option<f64>,
    Option<f64>,
    bool,
    Option<&'static str>,
    Option<&'static str>,
);

fn lexicon() -> UnitLexicon {
    UnitLexicon::from_csv(
        include_str!("../../../data/units.csv"),
        include_str!("../../../data/currencies.csv"),
    )
    .expect("shipped lexicons load")
}

const N: Option<f64> = None;
const fn v(x: f64) -> Option<f64> {
    Some(x)
}

#[rustfmt::skip]
const ROWS: &[(&str, &[Exp])] = &[
    // --- the seed sentences -------------------------------------------------------------
    ("preparations are underway to register about a thousand armed mercenaries in the city of Afrin",
        &[("about a thousand armed mercenaries", "count", v(900.0), v(1100.0), true, Some("fighter"), None)]),
    ("The source added that more than 150 militants from the various Syrian groups had registered their names",
        &[("more than 150 militants", "count", v(150.0), N, false, Some("fighter"), None)]),
    ("has registered to travel from northern Syria to Azerbaijan for $1,500 per month, the report said",
        &[("$1,500", "money", v(1500.0), v(1500.0), false, Some("USD"), Some("month"))]),
    ("those willing to go to fight to register for three-months-long contracts.",
        &[("three-months-long", "duration", v(3.0), v(3.0), false, Some("month"), None)]),
    ("around 1,000 fighters had signed up for it.",
        &[("around 1,000 fighters", "count", v(900.0), v(1100.0), true, Some("fighter"), None)]),
    ("The current fighting between Azerbaijan and Armenia is the fiercest since 1990s", &[]),
    ("after Artsakh announced its autonomy and its independence from the Azerbaijan Soviet Republic in 1988.", &[]),
    ("Turkey is now preparing to send the third batch of Syrian fighters to Nagorno-Karabakh", &[]),
    ("the group had withdrawn ten militants who had registered their names",
        &[("ten militants", "count", v(10.0), v(10.0), false, Some("fighter"), None)]),
    ("the Turkish-backed Amshat group gathered dozens of mercenaries in Sadaqa Camp",
        &[("dozens of mercenaries", "count", v(24.0), v(99.0), true, Some("fighter"), None)]),
    ("WASHINGTON (UrduPoint News / Sputnik - 02nd October, 2020) Mercenaries from Syria", &[]),
    // --- cardinals in digits --------------------------------------------------------------
    ("1,000 fighters", &[("1,000 fighters", "count", v(1000.0), v(1000.0), false, Some("fighter"), None)]),
    ("1.5 million refugees", &[("1.5 million refugees", "count", v(1.5e6), v(1.5e6), false, Some("refugee"), None)]),
    ("1 000 soldiers", &[("1 000 soldiers", "count", v(1000.0), v(1000.0), false, Some("soldier"), None)]),
    ("2k troops", &[("2k troops", "count", v(2000.0), v(2000.0), false, Some("soldier"), None)]),
    ("12.5k people", &[("12.5k people", "count", v(12500.0), v(12500.0), false, Some("person"), None)]),
    ("1.3 thousand civilians", &[("1.3 thousand civilians", "count", v(1300.0), v(1300.0), false, Some("civilian"), None)]),
    ("a budget of $4.2bn", &[("$4.2bn", "money", v(4.2e9), v(4.2e9), false, Some("USD"), None)]),
    ("1.5 civilians", &[("1.5 civilians", "count", v(1.5), v(1.5), false, Some("civilian"), None)]),
    ("1,234,567 people", &[("1,234,567 people", "count", v(1234567.0), v(1234567.0), false, Some("person"), None)]),
    ("40\u{202f}000 refugees", &[("40\u{202f}000 refugees", "count", v(40000.0), v(40000.0), false, Some("refugee"), None)]),
    ("52 Syrian men", &[("52 Syrian men", "count", v(52.0), v(52.0), false, Some("person"), None)]),
    ("3 dozen rockets", &[("3 dozen rockets", "count", v(36.0), v(36.0), false, Some("missile"), None)]),
    // --- cardinals in words ---------------------------------------------------------------
    ("a thousand fighters", &[("a thousand fighters", "count", v(1000.0), v(1000.0), false, Some("fighter"), None)]),
    ("one hundred and fifty soldiers", &[("one hundred and fifty soldiers", "count", v(150.0), v(150.0), false, Some("soldier"), None)]),
    ("twenty-one civilians", &[("twenty-one civilians", "count", v(21.0), v(21.0), false, Some("civilian"), None)]),
    ("half a dozen soldiers", &[("half a dozen soldiers", "count", v(6.0), v(6.0), false, Some("soldier"), None)]),
    ("a dozen gunmen", &[("a dozen gunmen", "count", v(12.0), v(12.0), false, Some("fighter"), None)]),
    ("two thousand five hundred troops", &[("two thousand five hundred troops", "count", v(2500.0), v(2500.0), false, Some("soldier"), None)]),
    ("three million people", &[("three million people", "count", v(3e6), v(3e6), false, Some("person"), None)]),
    ("one and a half million refugees", &[("one and a half million refugees", "count", v(1.5e6), v(1.5e6), false, Some("refugee"), None)]),
    ("half a million displaced", &[("half a million displaced", "count", v(5e5), v(5e5), false, Some("displaced"), None)]),
    ("ninety-nine rebels", &[("ninety-nine rebels", "count", v(99.0), v(99.0), false, Some("fighter"), None)]),
    ("seventeen jihadists", &[("seventeen jihadists", "count", v(17.0), v(17.0), false, Some("fighter"), None)]),
    ("one soldier was killed", &[("one soldier", "count", v(1.0), v(1.0), false, Some("soldier"), None)]),
    // --- vague quantifiers ----------------------------------------------------------------
    ("dozens of civilians", &[("dozens of civilians", "count", v(24.0), v(99.0), true, Some("civilian"), None)]),
    ("hundreds of fighters", &[("hundreds of fighters", "count", v(200.0), v(999.0), true, Some("fighter"), None)]),
    ("scores of bodies", &[("scores of bodies", "count", v(40.0), v(199.0), true, Some("body"), None)]),
    ("a few soldiers", &[("a few soldiers", "count", v(2.0), v(5.0), true, Some("soldier"), None)]),
    ("several militants", &[("several militants", "count", v(3.0), v(9.0), true, Some("fighter"), None)]),
    ("tens of thousands of refugees", &[("tens of thousands of refugees", "count", v(20000.0), v(99999.0), true, Some("refugee"), None)]),
    ("thousands of people", &[("thousands of people", "count", v(2000.0), v(9999.0), true, Some("person"), None)]),
    ("hundreds of thousands of displaced", &[("hundreds of thousands of displaced", "count", v(2e5), v(999999.0), true, Some("displaced"), None)]),
    ("several hundred mercenaries", &[("several hundred mercenaries", "count", v(300.0), v(900.0), true, Some("fighter"), None)]),
    ("a few thousand troops", &[("a few thousand troops", "count", v(2000.0), v(5000.0), true, Some("soldier"), None)]),
    ("a couple of drones", &[("a couple of drones", "count", v(2.0), v(3.0), true, Some("drone"), None)]),
    ("a handful of rebels", &[("a handful of rebels", "count", v(2.0), v(5.0), true, Some("fighter"), None)]),
    ("more than a dozen fighters", &[("more than a dozen fighters", "count", v(12.0), N, false, Some("fighter"), None)]),
    ("millions of dollars", &[("millions of dollars", "money", v(2e6), v(9999999.0), true, Some("USD"), None)]),
    // --- hedges and bounds ----------------------------------------------------------------
    ("about 1,000 fighters", &[("about 1,000 fighters", "count", v(900.0), v(1100.0), true, Some("fighter"), None)]),
    ("nearly 200 civilians", &[("nearly 200 civilians", "count", v(180.0), v(200.0), true, Some("civilian"), None)]),
    ("almost 50 soldiers", &[("almost 50 soldiers", "count", v(45.0), v(50.0), true, Some("soldier"), None)]),
    ("some 300 militants", &[("some 300 militants", "count", v(270.0), v(330.0), true, Some("fighter"), None)]),
    ("roughly 100 rebels", &[("roughly 100 rebels", "count", v(90.0), v(110.0), true, Some("fighter"), None)]),
    ("approximately 2,000 refugees", &[("approximately 2,000 refugees", "count", v(1800.0), v(2200.0), true, Some("refugee"), None)]),
    ("an estimated 5,000 people", &[("an estimated 5,000 people", "count", v(4500.0), v(5500.0), true, Some("person"), None)]),
    ("up to 2,000 fighters", &[("up to 2,000 fighters", "count", N, v(2000.0), false, Some("fighter"), None)]),
    ("as many as 300 mercenaries", &[("as many as 300 mercenaries", "count", N, v(300.0), false, Some("fighter"), None)]),
    ("at least 40 civilians", &[("at least 40 civilians", "count", v(40.0), N, false, Some("civilian"), None)]),
    ("no less than 40 civilians", &[("no less than 40 civilians", "count", v(40.0), N, false, Some("civilian"), None)]),
    ("over 150 militants", &[("over 150 militants", "count", v(150.0), N, false, Some("fighter"), None)]),
    ("fewer than 20 soldiers", &[("fewer than 20 soldiers", "count", N, v(20.0), false, Some("soldier"), None)]),
    ("less than 20 soldiers", &[("less than 20 soldiers", "count", N, v(20.0), false, Some("soldier"), None)]),
    ("under 20 soldiers", &[("under 20 soldiers", "count", N, v(20.0), false, Some("soldier"), None)]),
    ("150 or more fighters", &[("150 or more", "count", v(150.0), N, false, None, None)]),
    ("1,000 or so fighters", &[("1,000 or so", "count", v(900.0), v(1100.0), true, None, None)]),
    ("about a dozen soldiers", &[("about a dozen soldiers", "count", v(10.8), v(13.2), true, Some("soldier"), None)]),
    // --- ranges ---------------------------------------------------------------------------
    ("150-200 militants", &[("150-200 militants", "count", v(150.0), v(200.0), false, Some("fighter"), None)]),
    ("150–200 militants", &[("150–200 militants", "count", v(150.0), v(200.0), false, Some("fighter"), None)]),
    ("150 to 200 fighters", &[("150 to 200 fighters", "count", v(150.0), v(200.0), false, Some("fighter"), None)]),
    ("between 150 and 200 militants", &[("between 150 and 200 militants", "count", v(150.0), v(200.0), false, Some("fighter"), None)]),
    // "between … and" is a range in either order; a bare dash or "to" is not ("3-1").
    ("between 500 and 300 fighters", &[("between 500 and 300 fighters", "count", v(300.0), v(500.0), false, Some("fighter"), None)]),
    ("between 2 million and 500,000 people", &[("between 2 million and 500,000 people", "count", v(5e5), v(2e6), false, Some("person"), None)]),
    ("between 5 and 5 fighters", &[("between 5 and 5 fighters", "count", v(5.0), v(5.0), false, Some("fighter"), None)]),
    ("the score was 3-1", &[
        ("3", "count", v(3.0), v(3.0), false, None, None),
        ("1", "count", v(1.0), v(1.0), false, None, None)]),
    // A number never ends in "and".
    ("one hundred and", &[("one hundred", "count", v(100.0), v(100.0), false, None, None)]),
    ("contracts from 3 to 6 months", &[("from 3 to 6 months", "duration", v(3.0), v(6.0), false, Some("month"), None)]),
    ("three or six month contracts", &[("three or six month", "duration", v(3.0), v(6.0), false, Some("month"), None)]),
    ("20~100 fighters", &[("20~100 fighters", "count", v(20.0), v(100.0), false, Some("fighter"), None)]),
    ("paid 1,500 to 2,000 USD", &[("1,500 to 2,000 USD", "money", v(1500.0), v(2000.0), false, Some("USD"), None)]),
    ("$1.5-2 million", &[("$1.5-2 million", "money", v(1.5e6), v(2e6), false, Some("USD"), None)]),
    ("about 150-200 fighters", &[("about 150-200 fighters", "count", v(150.0), v(200.0), true, Some("fighter"), None)]),
    ("the toll rose from 30 to 52", &[
        ("30", "count", v(30.0), v(30.0), false, Some("death"), None),
        ("52", "count", v(52.0), v(52.0), false, Some("death"), None)]),
    // --- money ----------------------------------------------------------------------------
    ("7,000-10,000 Turkish lira (£700-£1,000) a month", &[
        ("7,000-10,000 Turkish lira", "money", v(7000.0), v(10000.0), false, Some("TRY"), Some("month")),
        ("£700-£1,000", "money", v(700.0), v(1000.0), false, Some("GBP"), Some("month"))]),
    ("US$ 5 million", &[("US$ 5 million", "money", v(5e6), v(5e6), false, Some("USD"), None)]),
    ("500 dollars a week", &[("500 dollars", "money", v(500.0), v(500.0), false, Some("USD"), Some("week"))]),
    ("USD 200", &[("USD 200", "money", v(200.0), v(200.0), false, Some("USD"), None)]),
    ("£2,000", &[("£2,000", "money", v(2000.0), v(2000.0), false, Some("GBP"), None)]),
    ("300 pounds a month", &[("300 pounds", "money", v(300.0), v(300.0), false, Some("GBP"), Some("month"))]),
    ("€50 per day", &[("€50", "money", v(50.0), v(50.0), false, Some("EUR"), Some("day"))]),
    ("200 euros monthly", &[("200 euros", "money", v(200.0), v(200.0), false, Some("EUR"), Some("month"))]),
    ("5,000 TL", &[("5,000 TL", "money", v(5000.0), v(5000.0), false, Some("TRY"), None)]),
    ("5,000 TRY a year", &[("5,000 TRY", "money", v(5000.0), v(5000.0), false, Some("TRY"), Some("year"))]),
    ("a million roubles", &[("a million roubles", "money", v(1e6), v(1e6), false, Some("RUB"), None)]),
    ("10,000 rubles per year", &[("10,000 rubles", "money", v(10000.0), v(10000.0), false, Some("RUB"), Some("year"))]),
    ("300 manat", &[("300 manat", "money", v(300.0), v(300.0), false, Some("AZN"), None)]),
    ("100,000 dram", &[("100,000 dram", "money", v(100000.0), v(100000.0), false, Some("AMD"), None)]),
    ("50,000 Syrian pounds", &[("50,000 Syrian pounds", "money", v(50000.0), v(50000.0), false, Some("SYP"), None)]),
    ("50 cents", &[("50 cents", "money", v(0.5), v(0.5), false, Some("USD"), None)]),
    ("$1,200 a month", &[("$1,200", "money", v(1200.0), v(1200.0), false, Some("USD"), Some("month"))]),
    ("$100 a day", &[("$100", "money", v(100.0), v(100.0), false, Some("USD"), Some("day"))]),
    ("$2,000/month", &[("$2,000", "money", v(2000.0), v(2000.0), false, Some("USD"), Some("month"))]),
    ("a $1,500-a-month salary", &[("$1,500", "money", v(1500.0), v(1500.0), false, Some("USD"), Some("month"))]),
    ("about $14 million", &[("about $14 million", "money", v(12.6e6), v(15.4e6), true, Some("USD"), None)]),
    ("sales rose to $1.17 billion a year earlier", &[("$1.17 billion", "money", v(1.17e9), v(1.17e9), false, Some("USD"), None)]),
    ("try one more time", &[]),
    ("paid $100 and 50 fighters left", &[
        ("$100", "money", v(100.0), v(100.0), false, Some("USD"), None),
        ("50 fighters", "count", v(50.0), v(50.0), false, Some("fighter"), None)]),
    ("it cost 3 dollars 50 cents", &[("3 dollars 50 cents", "money", v(3.5), v(3.5), false, Some("USD"), None)]),
    // --- durations ------------------------------------------------------------------------
    ("90 days", &[("90 days", "duration", v(90.0), v(90.0), false, Some("day"), None)]),
    ("a six-month contract", &[("six-month", "duration", v(6.0), v(6.0), false, Some("month"), None)]),
    ("for two weeks", &[("two weeks", "duration", v(2.0), v(2.0), false, Some("week"), None)]),
    ("10 years of war", &[("10 years", "duration", v(10.0), v(10.0), false, Some("year"), None)]),
    ("over three years", &[("over three years", "duration", v(3.0), v(3.0), false, Some("year"), None)]),
    ("up to 5 years in prison", &[("up to 5 years", "duration", N, v(5.0), false, Some("year"), None)]),
    // --- percentages ----------------------------------------------------------------------
    ("12%", &[("12%", "percent", v(12.0), v(12.0), false, Some("percent"), None)]),
    ("12 per cent", &[("12 per cent", "percent", v(12.0), v(12.0), false, Some("percent"), None)]),
    ("twelve percent", &[("twelve percent", "percent", v(12.0), v(12.0), false, Some("percent"), None)]),
    ("about 40 percent", &[("about 40 percent", "percent", v(36.0), v(44.0), true, Some("percent"), None)]),
    ("10-15%", &[("10-15%", "percent", v(10.0), v(15.0), false, Some("percent"), None)]),
    // --- measures -------------------------------------------------------------------------
    ("30 km from the border", &[("30 km", "measure", v(30.0), v(30.0), false, Some("km"), None)]),
    ("5 tonnes of aid", &[("5 tonnes", "measure", v(5.0), v(5.0), false, Some("tonne"), None)]),
    // --- what is counted ------------------------------------------------------------------
    ("the death toll rose to 52", &[("52", "count", v(52.0), v(52.0), false, Some("death"), None)]),
    ("the death toll rose from 1,200 to 1,450", &[
        ("1,200", "count", v(1200.0), v(1200.0), false, Some("death"), None),
        ("1,450", "count", v(1450.0), v(1450.0), false, Some("death"), None)]),
    ("the number of fighters fell from 3,000 to 2,000", &[
        ("3,000", "count", v(3000.0), v(3000.0), false, Some("fighter"), None),
        ("2,000", "count", v(2000.0), v(2000.0), false, Some("fighter"), None)]),
    ("Number of Valdorian fighters in Ossel Valley rises to 2,580, monitor says", &[
        ("2,580", "count", v(2580.0), v(2580.0), false, Some("fighter"), None)]),
    ("The number of fighters who crossed the border with Kestria reached 1,200", &[
        ("1,200", "count", v(1200.0), v(1200.0), false, Some("fighter"), None)]),
    // The subject names the unit only across a verb, and only "the number of" one.
    ("fighters in Ossel Valley 2,580", &[("2,580", "count", v(2580.0), v(2580.0), false, None, None)]),
    ("the families of fighters in the valley rose to 40", &[("40", "count", v(40.0), v(40.0), false, None, None)]),
    ("the number of fighters is unknown. Officials said 300", &[("300", "count", v(300.0), v(300.0), false, None, None)]),
    ("killing 12", &[("12", "count", v(12.0), v(12.0), false, Some("death"), None)]),
    ("12 killed and 30 wounded", &[
        ("12 killed", "count", v(12.0), v(12.0), false, Some("death"), None),
        ("30 wounded", "count", v(30.0), v(30.0), false, Some("injured"), None)]),
    ("killing 12 soldiers", &[("12 soldiers", "count", v(12.0), v(12.0), false, Some("soldier"), None)]),
    ("12 schools were destroyed", &[("12 schools", "count", v(12.0), v(12.0), false, Some("school"), None)]),
    ("5 armored vehicles", &[("5 armored vehicles", "count", v(5.0), v(5.0), false, Some("vehicle"), None)]),
    ("150 Turkish-backed fighters", &[("150 Turkish-backed fighters", "count", v(150.0), v(150.0), false, Some("fighter"), None)]),
    ("150 of the militants", &[("150 of the militants", "count", v(150.0), v(150.0), false, Some("fighter"), None)]),
    ("He said 5.", &[("5", "count", v(5.0), v(5.0), false, None, None)]),
    ("3 women and 4 children", &[
        ("3 women", "count", v(3.0), v(3.0), false, Some("person"), None),
        ("4 children", "count", v(4.0), v(4.0), false, Some("child"), None)]),
    ("2,000 Syrians", &[("2,000 Syrians", "count", v(2000.0), v(2000.0), false, Some("person"), None)]),
    ("2000 fighters", &[("2000 fighters", "count", v(2000.0), v(2000.0), false, Some("fighter"), None)]),
    ("killing 10 people a day", &[("10 people", "count", v(10.0), v(10.0), false, Some("person"), Some("day"))]),
    // --- not quantities -------------------------------------------------------------------
    ("in 2020", &[]),
    ("since 1991", &[]),
    ("the 1990s", &[]),
    ("in the '90s", &[]),
    ("1988 sales", &[]),
    ("the 2019-2020 season", &[]),
    ("on September 27", &[]),
    ("on Sept 29", &[]),
    ("on Sept. 29", &[]),
    ("27 September", &[]),
    ("29-09-2020", &[]),
    ("2020-10-02", &[]),
    ("5/17/2018", &[]),
    ("at 10:30", &[]),
    ("at 3 p.m.", &[]),
    ("at 3pm", &[]),
    ("the third batch", &[]),
    ("the 2nd brigade", &[]),
    ("the 20th century", &[]),
    ("Group 7", &[]),
    ("Article 5", &[]),
    ("Resolution 2254", &[]),
    ("an F-16", &[]),
    ("Covid-19", &[]),
    ("H1N1", &[]),
    ("No. 5", &[]),
    ("version 2.1", &[]),
    ("192.168.1.2", &[]),
    ("call +44 20 7946 0958", &[]),
    ("call 555-0100", &[]),
    ("one of the military headquarters", &[]),
    ("The one you mentioned", &[]),
    ("half of the fighters", &[]),
    ("two thirds of the population", &[]),
    ("a first class seat", &[]),
    ("on May 4", &[]),
    ("Foley, 40, grew up in New Hampshire", &[]),
    ("one of the marines", &[]),
    ("a 9mm pistol", &[("9mm", "measure", v(9.0), v(9.0), false, Some("mm"), None)]),
    ("an 80-foot-long room", &[("80-foot", "measure", v(80.0), v(80.0), false, Some("foot"), None)]),
    ("iOS 8 was sluggish on my iPad 3", &[]),
    ("4G networks", &[]),
    ("three fighter jets", &[("three fighter jets", "count", v(3.0), v(3.0), false, Some("aircraft"), None)]),
    ("two separate reports", &[("two separate reports", "count", v(2.0), v(2.0), false, Some("report"), None)]),
    ("42 of the almost 100 franchises", &[
        ("42", "count", v(42.0), v(42.0), false, None, None),
        ("almost 100 franchises", "count", v(90.0), v(100.0), true, Some("franchise"), None)]),
    ("K5s weigh 300 pounds and are 5 feet tall", &[
        ("300 pounds", "measure", v(300.0), v(300.0), false, Some("lb"), None),
        ("5 feet", "measure", v(5.0), v(5.0), false, Some("foot"), None)]),
    ("at least 17 U.S. troops", &[("at least 17 U.S. troops", "count", v(17.0), N, false, Some("soldier"), None)]),
    ("1,000 civilian casualties", &[("1,000 civilian casualties", "count", v(1000.0), v(1000.0), false, Some("casualty"), None)]),
    ("Three other Americans joined", &[("Three other Americans", "count", v(3.0), v(3.0), false, Some("person"), None)]),
    ("2. There's no London", &[]),
    ("Call 0800 555 111", &[]),
    ("Gill Rosenberg (31) from Tel Aviv", &[]),
    ("one day we will see", &[]),
    ("for one day", &[("one day", "duration", v(1.0), v(1.0), false, Some("day"), None)]),
    ("jihadists from several countries", &[("several countries", "count", v(3.0), v(9.0), true, Some("country"), None)]),
    ("DIRECTV Ch. 349", &[]),
    ("Armenia said 2,317 of its soldiers died", &[("2,317 of its soldiers", "count", v(2317.0), v(2317.0), false, Some("soldier"), None)]),
    ("a monthly salary of $1,800", &[("$1,800", "money", v(1800.0), v(1800.0), false, Some("USD"), Some("month"))]),
    ("the salary was 2000 dollars", &[("2000 dollars", "money", v(2000.0), v(2000.0), false, Some("USD"), None)]),
    ("nearly 100 were killed", &[("nearly 100", "count", v(90.0), v(100.0), true, Some("death"), None)]),
    ("He was paid 7,000 Turkish lira (about $900) per month", &[
        ("7,000 Turkish lira", "money", v(7000.0), v(7000.0), false, Some("TRY"), Some("month")),
        ("about $900", "money", v(810.0), v(990.0), true, Some("USD"), Some("month"))]),
    ("The man, 52, said he got 1,500 dollars.", &[("1,500 dollars", "money", v(1500.0), v(1500.0), false, Some("USD"), None)]),
    ("Some 850 mercenaries from Syria (including 50 Palestinians) arrived.", &[
        ("Some 850 mercenaries", "count", v(765.0), v(935.0), true, Some("fighter"), None),
        ("50 Palestinians", "count", v(50.0), v(50.0), false, Some("person"), None)]),
    ("TRY 5,000 and ₺5,000 and 5 million Turkish lira", &[
        ("TRY 5,000", "money", v(5000.0), v(5000.0), false, Some("TRY"), None),
        ("₺5,000", "money", v(5000.0), v(5000.0), false, Some("TRY"), None),
        ("5 million Turkish lira", "money", v(5e6), v(5e6), false, Some("TRY"), None)]),
    ("hundreds of millions of dollars", &[("hundreds of millions of dollars", "money", v(2e8), v(999999999.0), true, Some("USD"), None)]),
    ("between 2018 and 2020 the group recruited 3,000 men", &[("3,000 men", "count", v(3000.0), v(3000.0), false, Some("person"), None)]),
    ("S-400 missiles and MiG-29 jets", &[]),
    ("He earned 500 manats per month", &[("500 manats", "money", v(500.0), v(500.0), false, Some("AZN"), Some("month"))]),
    ("About 2,000 to 3,000 fighters", &[("About 2,000 to 3,000 fighters", "count", v(2000.0), v(3000.0), true, Some("fighter"), None)]),
    ("from 1 October to 3 November", &[]),
    ("By Sept. 30, 28 had died.", &[("28", "count", v(28.0), v(28.0), false, Some("death"), None)]),
    ("in 2020 2,000 fighters were sent", &[("2,000 fighters", "count", v(2000.0), v(2000.0), false, Some("fighter"), None)]),
    ("travelled to Syria around 2012", &[]),
    ("on or around week of 12/8", &[]),
    ("at 4 Times Square", &[]),
    ("the estimated 3,000 Europeans who travelled", &[("estimated 3,000 Europeans", "count", v(2700.0), v(3300.0), true, Some("person"), None)]),
    ("more than 2000 were killed", &[("more than 2000", "count", v(2000.0), N, false, Some("death"), None)]),
    // Found by the robustness proptest: a symbol between two numbers belongs to one.
    ("0 $ 100", &[
        ("0 $", "money", v(0.0), v(0.0), false, Some("USD"), None),
        ("100", "count", v(100.0), v(100.0), false, None, None)]),
    ("0-", &[("0", "count", v(0.0), v(0.0), false, None, None)]),
    ("€4.5m", &[("€4.5m", "money", v(4.5e6), v(4.5e6), false, Some("EUR"), None)]),
    ("C$ 500", &[("C$ 500", "money", v(500.0), v(500.0), false, Some("CAD"), None)]),
    ("SYP 10,000", &[("SYP 10,000", "money", v(10000.0), v(10000.0), false, Some("SYP"), None)]),
    ("10m high wall", &[]),
    ("the toll rose to 52 Monday", &[("52", "count", v(52.0), v(52.0), false, Some("death"), None)]),
    ("29km road", &[("29km", "measure", v(29.0), v(29.0), false, Some("km"), None)]),
];

fn fmt(q: &Quantity, text: &str) -> String {
    format!(
        "({:?}, {}, {:?}, {:?}, {}, {:?}, {:?})",
        &text[q.start..q.end],
        q.kind.as_str(),
        q.low,
        q.high,
        q.approx,
        q.unit,
        q.per
    )
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => false,
    }
}

#[test]
fn table() {
    let lex = lexicon();
    let mut failures = Vec::new();
    for (text, exp) in ROWS {
        let got = extract(text, &lex);
        let ok = got.len() == exp.len()
            && got.iter().zip(exp.iter()).all(|(q, e)| {
                &text[q.start..q.end] == e.0
                    && q.kind.as_str() == e.1
                    && close(q.low, e.2)
                    && close(q.high, e.3)
                    && q.approx == e.4
                    && q.unit.as_deref() == e.5
                    && q.per.as_deref() == e.6
            });
        if !ok {
            failures.push(format!(
                "{text:?}\n   expected {exp:?}\n   got      [{}]",
                got.iter()
                    .map(|q| fmt(q, text))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    assert!(
        ROWS.len() >= 120,
        "the table should stay a full specification"
    );
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        ROWS.len(),
        failures.join("\n")
    );
}

#[test]
fn offsets_are_byte_offsets_into_the_input() {
    let lex = lexicon();
    let text = "Über 3 Tage: «about 1,000 fighters» and £700 — €50 per day";
    for q in extract(text, &lex) {
        assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
        assert!(q.start < q.end);
    }
    let qs = extract(text, &lex);
    assert!(qs
        .iter()
        .any(|q| &text[q.start..q.end] == "about 1,000 fighters"));
    assert!(qs.iter().any(|q| &text[q.start..q.end] == "£700"));
}

#[test]
fn quantities_come_in_text_order() {
    let lex = lexicon();
    let text =
        "About 50 fighters, then $300 a month, then 3 years, then 12% and dozens of civilians.";
    let qs = extract(text, &lex);
    assert_eq!(qs.len(), 5);
    assert!(qs.windows(2).all(|w| w[0].end <= w[1].start));
}

#[test]
fn analysts_extend_units_by_data() {
    let lex = UnitLexicon::from_csv("word,unit\nshabiha,fighter\n", "alias,code\n$,USD\n").unwrap();
    let q = extract("40 shabiha", &lex);
    assert_eq!(q[0].unit.as_deref(), Some("fighter"));
    // Unknown nouns are singularised and lower-cased.
    let q = extract("40 checkpoints and 3 batteries", &lex);
    assert_eq!(q[1].unit.as_deref(), Some("battery"));
}

#[test]
fn lexicon_errors_name_the_file() {
    let err = UnitLexicon::from_csv("word,unit\nx\n", "alias,code\n").unwrap_err();
    assert!(err.contains("units.csv"), "{err}");
    let err =
        UnitLexicon::from_csv("word,unit\n", "alias,code,factor\ncents,USD,abc\n").unwrap_err();
    assert!(err.contains("currencies.csv"), "{err}");
}

#[test]
fn empty_and_odd_inputs() {
    let lex = lexicon();
    for t in [
        "",
        " ",
        "\n\n",
        "-",
        "$",
        "a",
        "an",
        "and",
        "1e",
        "...",
        "¾",
        "--5",
        "100000000000000000000000 fighters",
    ] {
        let _ = extract(t, &lex);
    }
    assert!(extract("", &lex).is_empty());
}
