//! Sentence splitting: input text, expected sentences.

use corro_parse::sentences::split;

fn sentences(text: &str) -> Vec<&str> {
    split(text).iter().map(|s| &text[s.start..s.end]).collect()
}

const CASES: &[(&str, &[&str])] = &[
    // Plain sentences and paragraphs.
    (
        "Turkey denied it. Armenia disagreed.",
        &["Turkey denied it.", "Armenia disagreed."],
    ),
    (
        "Is it true? Nobody knows! We asked.",
        &["Is it true?", "Nobody knows!", "We asked."],
    ),
    ("One.\n\nTwo.", &["One.", "Two."]),
    (
        "  Leading and trailing space.  ",
        &["Leading and trailing space."],
    ),
    ("No final punctuation", &["No final punctuation"]),
    ("", &[]),
    ("   \n\n  \n", &[]),
    // Abbreviations.
    (
        "The U.S. military said it was monitoring.",
        &["The U.S. military said it was monitoring."],
    ),
    (
        "The U.N. Security Council met on Thursday.",
        &["The U.N. Security Council met on Thursday."],
    ),
    (
        "Talks were held in the U.S. The president attended.",
        &["Talks were held in the U.S.", "The president attended."],
    ),
    (
        "Fighting began on Sept. 27 near the line.",
        &["Fighting began on Sept. 27 near the line."],
    ),
    (
        "It started on Oct. 2. More followed.",
        &["It started on Oct. 2.", "More followed."],
    ),
    (
        "Dr. Smith treated them. Mr. Jones did not.",
        &["Dr. Smith treated them.", "Mr. Jones did not."],
    ),
    (
        "Gen. Mazloum Abdi and Lt. Col. Ahmed spoke.",
        &["Gen. Mazloum Abdi and Lt. Col. Ahmed spoke."],
    ),
    (
        "Resolution No. 2254 was cited. Nobody objected.",
        &["Resolution No. 2254 was cited.", "Nobody objected."],
    ),
    (
        "Mrs. Clinton and Prof. Adams met Sen. Graham.",
        &["Mrs. Clinton and Prof. Adams met Sen. Graham."],
    ),
    (
        "He arrived at 9 a.m. and left at noon.",
        &["He arrived at 9 a.m. and left at noon."],
    ),
    (
        "Apple Inc. said sales rose. Shares fell.",
        &["Apple Inc. said sales rose.", "Shares fell."],
    ),
    (
        "Fuel, food, etc. were sent. The convoy left.",
        &["Fuel, food, etc. were sent.", "The convoy left."],
    ),
    (
        "He visited Washington, D.C. on Monday.",
        &["He visited Washington, D.C. on Monday."],
    ),
    // Initials.
    (
        "John F. Kennedy was president.",
        &["John F. Kennedy was president."],
    ),
    (
        "H.R. McMaster said so. He left.",
        &["H.R. McMaster said so.", "He left."],
    ),
    (
        "They backed Plan B. The rest refused.",
        &["They backed Plan B.", "The rest refused."],
    ),
    // Numbers.
    (
        "Inflation hit 3.5 percent. Prices rose.",
        &["Inflation hit 3.5 percent.", "Prices rose."],
    ),
    (
        "They paid $1,500 per month. Around 1,000 signed up.",
        &["They paid $1,500 per month.", "Around 1,000 signed up."],
    ),
    (
        "The budget is 1.000.000 euros.",
        &["The budget is 1.000.000 euros."],
    ),
    (
        "The toll reached 2,750. 150 more are missing.",
        &["The toll reached 2,750.", "150 more are missing."],
    ),
    ("Version 2.0 shipped.", &["Version 2.0 shipped."]),
    // Quotes, nested quotes.
    (
        "\"We will fight,\" he said. \"We are ready.\"",
        &["\"We will fight,\" he said.", "\"We are ready.\""],
    ),
    (
        "\"Are you coming?\" she asked. He nodded.",
        &["\"Are you coming?\" she asked.", "He nodded."],
    ),
    (
        "He said: \"They told me 'we are leaving.'\" Then he left.",
        &[
            "He said: \"They told me 'we are leaving.'\"",
            "Then he left.",
        ],
    ),
    (
        "“It is propaganda.” Celik denied it.",
        &["“It is propaganda.”", "Celik denied it."],
    ),
    (
        "She said “they called it ‘a lie.’” The ministry agreed.",
        &["She said “they called it ‘a lie.’”", "The ministry agreed."],
    ),
    (
        "It was \"relatively small.\" Experts agreed.",
        &["It was \"relatively small.\"", "Experts agreed."],
    ),
    (
        "(This was confirmed.) Officials said more.",
        &["(This was confirmed.)", "Officials said more."],
    ),
    (
        "\"Go home!\" they shouted at him.",
        &["\"Go home!\" they shouted at him."],
    ),
    // Ellipses.
    (
        "We waited... Then it exploded.",
        &["We waited...", "Then it exploded."],
    ),
    (
        "We waited… Then it exploded.",
        &["We waited…", "Then it exploded."],
    ),
    (
        "He said he was ... not sure.",
        &["He said he was ... not sure."],
    ),
    // Headlines and lists without final punctuation.
    (
        "Syrian fighters head to Azerbaijan\n\nThe first group left.",
        &[
            "Syrian fighters head to Azerbaijan",
            "The first group left.",
        ],
    ),
    (
        "Key points\n- Turkey denies it\n- Armenia insists\n- Russia is concerned",
        &[
            "Key points",
            "- Turkey denies it",
            "- Armenia insists",
            "- Russia is concerned",
        ],
    ),
    (
        "Demands:\n1. A ceasefire\n2. Talks",
        &["Demands:", "1. A ceasefire", "2. Talks"],
    ),
    (
        "Source: The Daily Caller\nWe liked the bag.",
        &["Source: The Daily Caller", "We liked the bag."],
    ),
    // Wrapped lines stay whole.
    (
        "The source added that more than 150\nmilitants had registered.",
        &["The source added that more than 150\nmilitants had registered."],
    ),
    (
        "Fighters came from Afrin,\nAzaz and Idlib.",
        &["Fighters came from Afrin,\nAzaz and Idlib."],
    ),
    // Other stops that are not sentence ends.
    (
        "See reuters.com for more. Thanks.",
        &["See reuters.com for more.", "Thanks."],
    ),
    (
        "It reported (see p. 4) a rise.",
        &["It reported (see p. 4) a rise."],
    ),
    (
        "He said no. Then he left.",
        &["He said no.", "Then he left."],
    ),
    ("Why?! Nobody knows.", &["Why?!", "Nobody knows."]),
    (
        "Non-ASCII works too. Élysée officials agreed.",
        &["Non-ASCII works too.", "Élysée officials agreed."],
    ),
    ("Ends with a stop.\n", &["Ends with a stop."]),
];

#[test]
fn sentence_table() {
    for (text, want) in CASES {
        assert_eq!(&sentences(text), want, "split({text:?})");
    }
}

#[test]
fn spans_are_byte_offsets_into_the_input() {
    let text = "Première phrase. Second one.";
    let spans = split(text);
    assert_eq!(spans.len(), 2);
    assert_eq!(
        (spans[0].start, spans[0].end),
        (0, "Première phrase.".len())
    );
    assert_eq!(&text[spans[1].start..spans[1].end], "Second one.");
}
