//! Stance and attribution, as a specification: each row is a sentence (with the
//! sentences before it, where reported speech needs them), the stance its claim gets,
//! who says it and through which outlets.
//!
//! The seed reports' sentences come first, in report order; then the patterns the
//! contract names (denial verbs, negated predicates, denial words, hedges, questions,
//! "according to", "X told Y", "citing", direct quotes, reported speech).

use corro_claims::attribution::{self, Context, SpeakerKind};
use corro_claims::stance::{self, Stance};
use corro_claims::text::Tokens;
use corro_claims::{testing, Extractor, Lexicons};

use SpeakerKind::{Anonymous, Government, Organisation, Outlet, Person};
use Stance::{Denies, Discusses, Supports};

struct Case {
    /// Earlier sentences of the same report.
    before: &'static [&'static str],
    sentence: &'static str,
    stance: Stance,
    /// Normalised speaker name (compared case-insensitively) and kind.
    speaker: Option<(&'static str, SpeakerKind)>,
    via: &'static [&'static str],
    /// The word a quantity claim starts at: its clause alone decides negation.
    focus: Option<&'static str>,
}

const fn case(
    sentence: &'static str,
    stance: Stance,
    speaker: Option<(&'static str, SpeakerKind)>,
    via: &'static [&'static str],
) -> Case {
    Case {
        before: &[],
        sentence,
        stance,
        speaker,
        via,
        focus: None,
    }
}

const fn after(
    before: &'static [&'static str],
    sentence: &'static str,
    stance: Stance,
    speaker: Option<(&'static str, SpeakerKind)>,
    via: &'static [&'static str],
) -> Case {
    Case {
        before,
        sentence,
        stance,
        speaker,
        via,
        focus: None,
    }
}

// Seed 000 (North Press, Azaz).
const NP1: &str = "Private sources informed North Press that Turkish-backed Syrian armed opposition groups are about to send new groups of Syrian mercenaries to Azerbaijan to fight alongside Azerbaijani forces in the Karabakh region (Artsakh), which is disputed between Armenia and Azerbaijan.";
const NP2: &str = "An informed source told North Press that on Tuesday, the Turkish-backed Amshat group gathered dozens of mercenaries in Sadaqa Camp near the city of Azaz, north of Aleppo.";
const NP5: &str = "The source added that more than 150 militants from the various Syrian groups had registered their names to enter Turkey and later Azerbaijan.";
const NP8: &str = "A source from the opposition groups said that preparations are underway to register about a thousand armed mercenaries in the city of Afrin, northwestern Syria, and send them to Turkey.";

// Seed 001 (UrduPoint News / Sputnik, relaying CNN).
const CNN0: &str = "Mercenaries from Syria are being recruited to fight in the ongoing armed confrontation between Armenia and Azerbaijan in the disputed Nagorno-Karabakh region, CNN reported citing a Syrian national who has signed up for the deployment.";
const CNN1: &str = "The former rebel from the Syrian National Army (SNA), backed by Turkey, has registered to travel from northern Syria to Azerbaijan for $1,500 per month, the report said on Wednesday.";
const CNN2: &str = "The man, who refused to provide his name, said the leader of the SNA had asked those willing to go to fight to register for three-months-long contracts.";
const CNN3: &str = "The Syrian man said he did not know who was funding the operation and that around 1,000 fighters had signed up for it.";
const SP1: &str = "Earlier in the day, sources from the Syrian opposition told Sputnik that a third batch of rebels was preparing to deploy to Azerbaijan from Turkey.";
const ARM: &str = "Earlier in the week, the Armenian side stated that militants from Turkey and the Middle East were acting on the side of Azerbaijan in Nagorno-Karabakh.";

fn cases() -> Vec<Case> {
    vec![
        // ---- seed 000 ----
        case(
            "Syrian opposition to send new batch of Syrian mercenaries to Azerbaijan",
            Supports,
            None,
            &[],
        ),
        case(NP1, Supports, Some(("anonymous source", Anonymous)), &["North Press"]),
        case(NP2, Supports, Some(("anonymous source", Anonymous)), &["North Press"]),
        after(&[NP1, NP2], NP5, Supports, Some(("anonymous source", Anonymous)), &["North Press"]),
        case(
            "Reports are continuing regarding Turkey sending Syrian mercenaries to support Azerbaijan, following an announcement by Turkish President Recep Tayyip Erdogan that his country stands by Azerbaijan in its war against Armenia.",
            Discusses,
            None,
            &[],
        ),
        after(
            &[NP1, NP2, NP5],
            "The source indicated that the group had withdrawn ten militants who had registered their names and transported them by bus to an unknown location, which was likely to have been brought to Turkey via the border.",
            Supports,
            Some(("anonymous source", Anonymous)),
            &["North Press"],
        ),
        case(NP8, Supports, Some(("anonymous source", Anonymous)), &[]),
        after(
            &[NP8],
            "The source added that the militants are gathered in one of the military headquarters of the opposition groups to be transferred later to Turkish territory, without mentioning their main destination.",
            Supports,
            Some(("anonymous source", Anonymous)),
            &[],
        ),
        case(
            "Turkey, according to reports, continues to recruit Syrians to fight in the Karabakh region by providing financial incentives under the pretext of protecting bases and facilities there.",
            Discusses,
            None,
            &[],
        ),
        // ---- seed 001 ----
        case(CNN0, Supports, Some(("a Syrian national", Anonymous)), &["CNN"]),
        after(&[CNN0], CNN1, Supports, Some(("a Syrian national", Anonymous)), &["CNN"]),
        after(&[CNN0, CNN1], CNN2, Supports, Some(("a Syrian national", Anonymous)), &["CNN"]),
        Case {
            before: &[CNN0, CNN1, CNN2],
            sentence: CNN3,
            stance: Supports,
            speaker: Some(("a Syrian national", Anonymous)),
            via: &["CNN"],
            // "did not know" is not "did not sign up": the 1,000 stands.
            focus: Some("1,000"),
        },
        after(
            &[CNN0, CNN1, CNN2, CNN3],
            "He said he was prepared to travel to Azerbaijan to lift his family from poverty, and security work was the only way he can do so.",
            Supports,
            Some(("a Syrian national", Anonymous)),
            &["CNN"],
        ),
        after(&[CNN0], SP1, Supports, Some(("anonymous source", Anonymous)), &["Sputnik"]),
        after(
            &[CNN0, SP1],
            "The second source added that Turkey is now preparing to send the third batch of Syrian fighters to Nagorno-Karabakh, and the names of combatants who want to go to the region \"are now being registered and collected.\"",
            Supports,
            Some(("anonymous source", Anonymous)),
            &["Sputnik"],
        ),
        case(
            "On Wednesday, the Russian Foreign Ministry said in a statement that Moscow was concerned over reports about the transfer of militants of illegal armed groups to the Nagorno-Karabakh conflict zone.",
            Discusses,
            Some(("Russia (government)", Government)),
            &[],
        ),
        case(
            "Macron subsequently said France had credible information about Syrian militants being deployed to the site of the Nagorno-Karabakh conflict.",
            Supports,
            Some(("Emmanuel Macron", Person)),
            &[],
        ),
        case(ARM, Supports, Some(("Armenia (government)", Government)), &[]),
        after(
            &[ARM],
            "These accusations were denied by Baku and there has been no further confirmation.",
            Denies,
            Some(("Azerbaijan (government)", Government)),
            &[],
        ),
        case(
            "Commenting on Russia's concern about the involvement of militants in the conflict, Azerbaijani Foreign Ministry spokeswoman Leyla Abdullayeva said that Armenia \"makes extensive use of such resources\" and is \"especially actively attracting terrorists and mercenaries from the Middle East.\"",
            Supports,
            Some(("Azerbaijan (government)", Government)),
            &[],
        ),
        case(
            "Omer Celik, a spokesman for Turkey's ruling Justice and Development Party has denied the reports about the alleged recruitment of mercenaries for fighting in Azerbaijan as \"propaganda.\"",
            Denies,
            Some(("Omer Celik", Person)),
            &[],
        ),
        case(
            "Bouthaina Shaaban, a political and media adviser to Syrian President Bashar Assad has also argued, in an interview with Sputnik, that Ankara is the driving force behind the current conflict in Nagorno-Karabakh.",
            Supports,
            Some(("Bouthaina Shaaban", Person)),
            &["Sputnik"],
        ),
        case(
            "Presidents of Russia, France and the United States - Vladimir Putin, Emmanuel Macron and Donald Trump, respectively - on Thursday issued a joint statement on the Karabakh conflict, in which they condemned the recent escalation.",
            Supports,
            None,
            &[],
        ),
        // Background in the outlet's own voice.
        case(
            "Amshat group operates within the areas held by the Syrian opposition in northwestern Syria and is part of the Turkish-backed opposition’s Syrian National Army.",
            Supports,
            None,
            &[],
        ),
        case(
            "The current fighting between Azerbaijan and Armenia is the fiercest since 1990s, after Artsakh announced its autonomy and its independence from the Azerbaijan Soviet Republic in 1988.",
            Supports,
            None,
            &[],
        ),
        // ---- denial verbs ----
        case(
            "Baku denied that Turkey sent Syrian fighters to Azerbaijan.",
            Denies,
            Some(("Azerbaijan (government)", Government)),
            &[],
        ),
        case(
            "Ankara rejected claims that it had sent mercenaries to Azerbaijan.",
            Denies,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        case(
            "The Turkish Defence Ministry refuted reports that Syrian fighters were deployed to Karabakh.",
            Denies,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        case(
            "Azerbaijan dismissed the allegations that mercenaries were fighting on its side.",
            Denies,
            Some(("Azerbaijan (government)", Government)),
            &[],
        ),
        case(
            "Turkey denies sending Syrian fighters to Azerbaijan.",
            Denies,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        case(
            "Azerbaijan's presidential aide Hikmet Hajiyev rejected the reports about Syrian mercenaries as a lie.",
            Denies,
            Some(("Azerbaijan (government)", Government)),
            &[],
        ),
        case(
            "The reports were dismissed by Yerevan as fabricated.",
            Denies,
            Some(("Armenia (government)", Government)),
            &[],
        ),
        // ---- negated predicates ----
        case(
            "Turkey did not send Syrian fighters to Azerbaijan, Turkish officials said.",
            Denies,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        case(
            "There are no Syrian fighters in Azerbaijan, Baku said.",
            Denies,
            Some(("Azerbaijan (government)", Government)),
            &[],
        ),
        case(
            "No Syrian mercenaries were sent to Karabakh, Ankara said.",
            Denies,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        case(
            "Ankara has never sent mercenaries to Azerbaijan, Celik said.",
            Denies,
            Some(("Omer Celik", Person)),
            &[],
        ),
        case(
            "\"We have not sent any fighters to Azerbaijan,\" Turkish Defence Minister Hulusi Akar said.",
            Denies,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        case(
            "Syrian fighters were not recruited for Karabakh, Moscow said.",
            Denies,
            Some(("Russia (government)", Government)),
            &[],
        ),
        // ---- denial words ----
        case(
            "Moscow said the claims about mercenaries were fake.",
            Denies,
            Some(("Russia (government)", Government)),
            &[],
        ),
        case(
            "Yerevan said the statement about the fighters was a provocation.",
            Denies,
            Some(("Armenia (government)", Government)),
            &[],
        ),
        case(
            "Turkey's Defence Ministry said the reports of Syrian fighters were baseless.",
            Denies,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        case(
            "Ankara said the allegations about mercenaries were propaganda.",
            Denies,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        case(
            "Aliyev said reports of Syrian fighters in Karabakh were nonsense.",
            Denies,
            Some(("Ilham Aliyev", Person)),
            &[],
        ),
        case(
            "An Azerbaijani official said the story about mercenaries was a lie.",
            Denies,
            Some(("an azerbaijani official", Anonymous)),
            &[],
        ),
        case(
            "The Turkish Foreign Ministry said the reports about fighters were unfounded.",
            Denies,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        // ---- hedges and questions ----
        case(
            "Turkey is allegedly sending Syrian fighters to Azerbaijan.",
            Discusses,
            None,
            &[],
        ),
        case(
            "Syrian fighters have reportedly been sent to Azerbaijan.",
            Discusses,
            None,
            &[],
        ),
        case(
            "Rumours that Turkey sent mercenaries to Azerbaijan spread on social media.",
            Discusses,
            None,
            &[],
        ),
        case(
            "There are claims that Turkey sent mercenaries to Azerbaijan.",
            Discusses,
            None,
            &[],
        ),
        case(
            "According to reports, Turkey has sent Syrian fighters to Azerbaijan.",
            Discusses,
            None,
            &[],
        ),
        case(
            "The deployment of Syrian fighters to Azerbaijan could not be verified.",
            Discusses,
            None,
            &[],
        ),
        case(
            "Did Turkey send Syrian fighters to Azerbaijan?",
            Discusses,
            None,
            &[],
        ),
        case(
            "Are Syrian mercenaries fighting in Karabakh?",
            Discusses,
            None,
            &[],
        ),
        case(
            "It remains unconfirmed whether Turkey paid the fighters.",
            Discusses,
            None,
            &[],
        ),
        case(
            "The Kremlin said it was concerned about reports of mercenaries in Karabakh.",
            Discusses,
            Some(("Russia (government)", Government)),
            &[],
        ),
        // ---- attribution forms ----
        case(
            "According to the Syrian Observatory for Human Rights, Syrian fighters have been killed in Karabakh.",
            Supports,
            Some(("SOHR", Organisation)),
            &[],
        ),
        after(
            &["According to the Syrian Observatory for Human Rights, Syrian fighters have been killed in Karabakh."],
            "The Observatory says that at least 64 Syrian mercenaries were killed.",
            Supports,
            Some(("SOHR", Organisation)),
            &[],
        ),
        case(
            "Sources told North Press that Syrian fighters left Afrin for Turkey.",
            Supports,
            Some(("anonymous source", Anonymous)),
            &["North Press"],
        ),
        case(
            "Syrian fighters are being flown to Azerbaijan, Reuters reported citing two sources.",
            Supports,
            Some(("anonymous source", Anonymous)),
            &["Reuters"],
        ),
        case(
            "Reuters reported that Turkey sent Syrian fighters to Azerbaijan.",
            Supports,
            Some(("Reuters", Outlet)),
            &[],
        ),
        case(
            "Armenia said Turkey sent Syrian fighters to Azerbaijan.",
            Supports,
            Some(("Armenia (government)", Government)),
            &[],
        ),
        case(
            "\"Turkey is sending mercenaries to Azerbaijan,\" Armenian Prime Minister Nikol Pashinyan said.",
            Supports,
            Some(("Armenia (government)", Government)),
            &[],
        ),
        after(
            &["Nikol Pashinyan said Turkey had sent Syrian fighters to Azerbaijan."],
            "He added that the fighters were paid by Ankara.",
            Supports,
            Some(("Nikol Pashinyan", Person)),
            &[],
        ),
        case(
            "Erdogan told reporters that Turkey stands by Azerbaijan.",
            Supports,
            Some(("Recep Tayyip Erdogan", Person)),
            &[],
        ),
        case(
            "Turkish President Recep Tayyip Erdogan said Ankara stands by Baku.",
            Supports,
            Some(("Turkey (government)", Government)),
            &[],
        ),
        case(
            "Syrian fighters are being recruited to fight in Azerbaijan, sources say.",
            Supports,
            Some(("anonymous source", Anonymous)),
            &[],
        ),
        case(
            "Turkey sent Syrian fighters to Azerbaijan.",
            Supports,
            None,
            &[],
        ),
        // ---- titles are stripped, roles kept apart ----
        case(
            "Mr. Celik said Turkey did not send Syrian fighters to Azerbaijan.",
            Denies,
            Some(("Omer Celik", Person)),
            &[],
        ),
        case(
            "Dr. Rami Abdulrahman said Syrian fighters were killed in Karabakh.",
            Supports,
            Some(("Rami Abdulrahman", Person)),
            &[],
        ),
        case(
            "SOHR director Rami Abdulrahman told AFP that Syrian fighters were killed in Karabakh.",
            Supports,
            Some(("Rami Abdulrahman", Person)),
            // "X told <outlet> that": the outlet is the relay, as "sources told North Press".
            &["AFP"],
        ),
    ]
}

fn lex() -> Lexicons {
    testing::lexicons()
}

#[test]
fn stance_and_attribution_table() {
    let lex = lex();
    let table = cases();
    assert!(table.len() >= 60, "the table has {} rows", table.len());
    let mut failures = Vec::new();
    for c in &table {
        let mut ctx = Context::default();
        for s in c.before {
            let toks = Tokens::new(s);
            let cues = lex.cues.find_all(&toks);
            attribution::attribute(&toks, &cues, &lex, &mut ctx);
        }
        let toks = Tokens::new(c.sentence);
        let cues = lex.cues.find_all(&toks);
        let preds = lex.predicates.find_all(&toks);
        let attr = attribution::attribute(&toks, &cues, &lex, &mut ctx);
        let focus = c.focus.and_then(|f| {
            let at = c.sentence.find(f)?;
            toks.toks.iter().position(|t| t.start == at)
        });
        let got = stance::decide(&toks, &cues, &preds, &attr, focus);
        let speaker = attr.speaker.as_ref().map(|s| (s.name.clone(), s.kind));
        let speaker_ok = match (&speaker, c.speaker) {
            (None, None) => true,
            (Some((n, k)), Some((en, ek))) => n.eq_ignore_ascii_case(en) && *k == ek,
            _ => false,
        };
        if got.stance != c.stance || !speaker_ok || attr.via != c.via {
            failures.push(format!(
                "{}\n   want {:?} {:?} via {:?}\n   got  {:?} (cue {:?}) {:?} via {:?}",
                c.sentence, c.stance, c.speaker, c.via, got.stance, got.cue, speaker, attr.via
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

/// Mentions of one report given as sentences: (sentence index, stance, speaker name).
fn mentions(text: &[&str]) -> Vec<(usize, Stance, Option<String>)> {
    let lex = lex();
    let ex = Extractor::new(&lex);
    let joined = text.join(" ");
    let report = corro_parse::read_source(
        "t.txt",
        format!("date 2020-10-02\n\n{joined}").as_bytes(),
        &Default::default(),
        &lex.outlets,
    )
    .remove(0);
    ex.extract(&report)
        .into_iter()
        .filter(|m| m.kind == corro_claims::ClaimKind::Event)
        .map(|m| (m.sentence, m.stance, m.speaker.map(|s| s.name)))
        .collect()
}

#[test]
fn a_trailing_denial_is_a_second_speaker_on_the_same_claim() {
    let lex = lex();
    let ex = Extractor::new(&lex);
    let m = ex.extract_sentence("Armenia said Turkey sent 4,000 fighters, which Ankara denied.");
    let got: Vec<(corro_claims::ClaimKind, Stance, Option<&str>)> = m
        .iter()
        .map(|m| {
            (
                m.kind,
                m.stance,
                m.speaker.as_ref().map(|s| s.name.as_str()),
            )
        })
        .collect();
    // Both the figure and the event are asserted by Armenia and denied by Turkey.
    use corro_claims::ClaimKind::{Count, Event};
    assert_eq!(
        got,
        [
            (Count, Supports, Some("Armenia (government)")),
            (Count, Denies, Some("Turkey (government)")),
            (Event, Supports, Some("Armenia (government)")),
            (Event, Denies, Some("Turkey (government)")),
        ]
    );
    assert_eq!(m[0].concepts, m[1].concepts, "the figure: one claim");
    assert_eq!(m[0].quantity, m[1].quantity);
    assert_eq!(m[2].concepts, m[3].concepts, "the event: one claim");
    assert!(
        !m[2]
            .concepts
            .iter()
            .any(|c| c.contains("ankara") || c.contains("deni")),
        "the denial is not part of the claim: {:?}",
        m[2].concepts
    );
}

#[test]
fn trailing_denials_in_their_usual_forms() {
    let lex = lex();
    let ex = Extractor::new(&lex);
    let table: &[(&str, Option<&str>)] = &[
        ("Armenia said Turkey sent Syrian fighters to Azerbaijan, a claim Ankara has denied.", Some("Turkey (government)")),
        ("Armenia said Turkey sent Syrian fighters to Azerbaijan, which was denied by Ankara.", Some("Turkey (government)")),
        ("Armenia said Turkey sent Syrian fighters to Azerbaijan, which Turkey's foreign ministry rejected as propaganda.", Some("Turkey (government)")),
        ("Armenia said Turkey sent Syrian fighters to Azerbaijan, which Ankara has repeatedly denied.", Some("Turkey (government)")),
        ("Armenia said Turkey sent Syrian fighters to Azerbaijan, which Omer Celik dismissed.", Some("Omer Celik")),
        // "disputed between" is no denier: one mention only.
        ("Armenia said Turkey sent Syrian fighters to Karabakh, which is disputed between Armenia and Azerbaijan.", None),
    ];
    for (sentence, denier) in table {
        let m = ex.extract_sentence(sentence);
        assert_eq!(
            m[0].stance, Supports,
            "{sentence}: the first speaker still supports"
        );
        assert_eq!(
            m[0].speaker.as_ref().map(|s| s.name.as_str()),
            Some("Armenia (government)"),
            "{sentence}"
        );
        let second = m.get(1).map(|d| {
            assert_eq!(d.stance, Denies, "{sentence}");
            assert_eq!(d.concepts, m[0].concepts, "{sentence}");
            d.speaker.as_ref().map(|s| s.name.as_str()).unwrap_or("")
        });
        assert_eq!(second, *denier, "{sentence}");
    }
}

#[test]
fn a_denial_pointing_back_borrows_the_previous_claim() {
    let got = mentions(&[
        ARM,
        "These accusations were denied by Baku and there has been no further confirmation.",
    ]);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].1, Supports);
    assert_eq!(got[1].1, Denies);
    assert_eq!(got[1].2.as_deref(), Some("Azerbaijan (government)"));
}

#[test]
fn a_denial_with_nothing_to_point_back_to_is_no_mention() {
    assert!(mentions(&["These accusations were denied by Baku."]).is_empty());
}

#[test]
fn odd_sentences_never_panic() {
    let lex = lex();
    let ex = Extractor::new(&lex);
    for s in [
        "",
        ",",
        ", which",
        "which Ankara denied",
        "Armenia said Turkey sent fighters, which",
        "Armenia said Turkey sent Syrian fighters to Azerbaijan, which denied",
        "İSTANBUL on İnönü Street said Turkey sent Syrian fighters to Azerbaijan.",
        "\"\"\" said said said denied by by by",
        "Did? Not? No? ?",
        "according to",
        "citing",
        "CNN reported citing",
        "These accusations were denied by",
    ] {
        let _ = ex.extract_sentence(s);
    }
}

/// An unnamed speaker's name as shown to an analyst: as written, but for a leading
/// article a sentence's start capitalised; a headline in capitals keeps capitals only on
/// the names the lexicon knows. (Which origin a name keys ignores case.)
#[test]
fn an_unnamed_speaker_is_named_as_written_but_for_its_leading_article() {
    let table: &[(&str, Option<(&str, SpeakerKind)>)] = &[
        (
            "A Syrian national told CNN that fighters were sent to Azerbaijan.",
            Some(("a Syrian national", Anonymous)),
        ),
        (
            "CNN reported citing a Syrian national who has signed up for the deployment.",
            Some(("a Syrian national", Anonymous)),
        ),
        (
            "A SYRIAN NATIONAL SAID FIGHTERS WERE SENT TO AZERBAIJAN.",
            Some(("a Syrian national", Anonymous)),
        ),
        (
            "An Argentine web site said 300 fighters were sent to Azerbaijan.",
            Some(("an Argentine web site", Anonymous)),
        ),
        (
            "A man who lives near the camp said fighters were sent to Azerbaijan.",
            Some(("a man who lives near the camp", Anonymous)),
        ),
    ];
    check_speakers(table);
}

/// "man" is a word, not the start of "Manning" or "managed": a named correspondent is not
/// an unnamed source. (A role run into a name without a comma is read as one name; which
/// kind of named speaker it is, is not what this row checks.)
#[test]
fn a_name_containing_man_is_not_an_unnamed_man() {
    let lex = lex();
    for sentence in [
        "BBC News special correspondent Lucy Manning said fighters were sent to Azerbaijan.",
        "Pizza House delivery manager Brian LeFevre said 300 fighters were sent.",
    ] {
        let mut ctx = Context::default();
        let toks = Tokens::new(sentence);
        let cues = lex.cues.find_all(&toks);
        let attr = attribution::attribute(&toks, &cues, &lex, &mut ctx);
        let kind = attr.speaker.as_ref().map(|s| s.kind);
        assert!(
            kind.is_some() && kind != Some(Anonymous),
            "{sentence}: {:?}",
            attr.speaker
        );
    }
}

/// A role before a name is the role, not the speaker: the name alone keys the origin, so
/// one person quoted under two roles is one origin (`data/titles.txt` lists the titles).
#[test]
fn a_role_before_a_name_is_not_part_of_the_speaker() {
    let table: &[(&str, Option<(&str, SpeakerKind)>)] = &[
        (
            "Pentagon spokesman John Kirby said 300 fighters were killed.",
            Some(("John Kirby", Person)),
        ),
        (
            "Rear Admiral John Kirby said 300 fighters were killed.",
            Some(("John Kirby", Person)),
        ),
        (
            "Pentagon spokesman Col. Steve Warren said 300 fighters were killed.",
            Some(("Steve Warren", Person)),
        ),
        (
            "Attorney General Jesus Murillo Karam said 43 students were killed.",
            Some(("Jesus Murillo Karam", Person)),
        ),
        (
            "Hunter's spokesman Joe Kasper said 300 fighters were killed.",
            Some(("Joe Kasper", Person)),
        ),
        // A government role with its country still speaks for the government.
        (
            "Turkish President Recep Tayyip Erdogan said 300 fighters were killed.",
            Some(("Turkey (government)", Government)),
        ),
        // One name word after a title is a surname.
        (
            "President Obama said 300 fighters were sent.",
            Some(("Obama", Person)),
        ),
        (
            "Foreign Minister Lavrov said 300 fighters were sent.",
            Some(("Lavrov", Person)),
        ),
        // A role that is no government post keeps the person, whatever country it names.
        (
            "Moroccan military expert Abderrahmane Mekkaoui said 300 fighters were sent.",
            Some(("Abderrahmane Mekkaoui", Person)),
        ),
        (
            "Lebanon's Interior Minister Nohad Machnouk said 300 fighters were sent.",
            Some(("Lebanon (government)", Government)),
        ),
        (
            "Somali officials said 300 fighters were sent.",
            Some(("Somalia (government)", Government)),
        ),
        // "inside" is no "side": a reporter in a capital is not its government.
        (
            "A reporter inside the Kremlin said 300 fighters were sent.",
            Some(("a reporter inside the Kremlin", Anonymous)),
        ),
        // No name after the title: not a person.
        (
            "A spokesman for the monitor said 300 fighters were killed.",
            Some(("a spokesman for the monitor", Anonymous)),
        ),
    ];
    check_speakers(table);
}

/// The subject of a speech verb is a noun phrase, not a clause: a finite verb before it
/// means the subject starts after the conjunction that follows that verb, or that there
/// is none; auxiliaries and adverbs right before the verb are the verb's ("has not").
#[test]
fn a_clause_before_the_speech_verb_is_not_its_subject() {
    let table: &[(&str, Option<(&str, SpeakerKind)>)] = &[
        (
            "Six people were killed in the attack and Azerbaijani authorities say 300 fighters were involved.",
            Some(("Azerbaijan (government)", Government)),
        ),
        (
            "Omer Celik has not denied that 300 fighters were sent.",
            Some(("Omer Celik", Person)),
        ),
        (
            "Theresa May said 300 fighters were sent.",
            Some(("Theresa May", Person)),
        ),
        // A verb inside a relative clause belongs to the subject.
        (
            "A man who was wounded said 300 fighters were sent.",
            Some(("a man who was wounded", Anonymous)),
        ),
        // A clause and no conjunction after its verb: no speaker in the sentence.
        (
            "One man was killed after being shot said 300 fighters were sent.",
            None,
        ),
    ];
    check_speakers(table);
}

/// A document speaks for its author (`data/documents.txt`): a newspaper's report is that
/// newspaper, the same origin as its own pages.
#[test]
fn a_document_speaks_for_its_author() {
    let table: &[(&str, Option<(&str, SpeakerKind)>)] = &[
        (
            "A Washington Post report said 300 fighters were sent.",
            Some(("The Washington Post", Outlet)),
        ),
        (
            "A report from The Wall Street Journal said 300 fighters were sent.",
            Some(("The Wall Street Journal", Outlet)),
        ),
        (
            "A CNN report filed days after the battle said 300 fighters were sent.",
            Some(("CNN", Outlet)),
        ),
        // A nationality is not an author.
        (
            "An Israeli newspaper report said 300 fighters were sent.",
            Some(("an Israeli newspaper report", Anonymous)),
        ),
        // A publication described beside its name is that name
        // (`data/publications.txt`).
        (
            "A report from UK publication The Mirror said 300 fighters were sent.",
            Some(("The Mirror", Outlet)),
        ),
    ];
    check_speakers(table);
}

/// A sentence after its report's earlier sentences, and its speaker (name and kind).
type AfterRow<'a> = (&'a [&'a str], &'a str, Option<(&'a str, SpeakerKind)>);

/// Each sentence's speaker, by exact name and kind, read on its own (no sentences
/// before it); every row that differs is listed.
fn check_speakers(table: &[(&str, Option<(&str, SpeakerKind)>)]) {
    let rows: Vec<AfterRow> = table.iter().map(|&(s, want)| (&[][..], s, want)).collect();
    check_speakers_after(&rows);
}

/// Each sentence's speaker, by exact name and kind, after its report's earlier sentences
/// (read first, in order); every row that differs is listed.
fn check_speakers_after(table: &[AfterRow]) {
    let lex = lex();
    let mut failures = Vec::new();
    for &(before, sentence, want) in table {
        let mut ctx = Context::default();
        for s in before {
            let toks = Tokens::new(s);
            let cues = lex.cues.find_all(&toks);
            attribution::attribute(&toks, &cues, &lex, &mut ctx);
        }
        let toks = Tokens::new(sentence);
        let cues = lex.cues.find_all(&toks);
        let attr = attribution::attribute(&toks, &cues, &lex, &mut ctx);
        let got = attr.speaker.as_ref().map(|s| (s.name.as_str(), s.kind));
        if got != want {
            failures.push(format!("{sentence}\n   want {want:?}\n   got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// News prose's other ways of naming a speaker, each read on its own: the speaker after
/// the verb, names around abbreviations, ages, roles, relative clauses and possessives,
/// publications described beside their names, unnamed groups, and the sentences that
/// name no speaker although a speech word is in them.
#[test]
fn speakers_in_news_prose() {
    let table: &[(&str, Option<(&str, SpeakerKind)>)] = &[
        // The speaker after the verb.
        (
            "\"The strike hit the depot,\" said Colonel Aram Petros, a spokesman for the army.",
            Some(("Aram Petros", Person)),
        ),
        (
            "About 300 fighters crossed the border, said the source, who asked not to be named.",
            Some(("anonymous source", Anonymous)),
        ),
        (
            "\"A ceasefire has been agreed,\" said the head of the army, General Lena Strand.",
            Some(("Lena Strand", Person)),
        ),
        // "said X had …" is X's speech reported, not an inverted speaker.
        (
            "The man, who was wounded, said the commander had fled.",
            Some(("the man, who was wounded", Anonymous)),
        ),
        // Abbreviations and asides do not end the subject.
        (
            "Rep. Dana Holt said 300 fighters were sent.",
            Some(("Dana Holt", Person)),
        ),
        (
            "U.S. officials said 300 fighters were sent.",
            Some(("United States (government)", Government)),
        ),
        (
            "No cases were found, the World Health Organization (WHO) said on Tuesday.",
            Some(("World Health Organization", Organisation)),
        ),
        // A name with its age or role after it; a role with the name after it.
        (
            "Dana Holt, 33, said 300 fighters were sent.",
            Some(("Dana Holt", Person)),
        ),
        (
            "Lena Strand, his sister, told reporters that 300 fighters were sent.",
            Some(("Lena Strand", Person)),
        ),
        (
            "Marko Vell, chief prosecutor for the northern province, told reporters that 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        (
            "The minister's aide, Marko Vell, told Reuters that 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        (
            "CNN interviewed Marko Vell, who said 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        (
            "CTV's Marko Vell reported that 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        (
            "Marko Vell returned home last week but told reporters that 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        (
            "CNN quoted Marko Vell as saying 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        (
            "Marko Vell was quoted as denying that 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        (
            "As Reuters reported, 300 fighters were sent.",
            Some(("Reuters", Outlet)),
        ),
        (
            "The Pentagon claimed that 300 fighters were sent.",
            Some(("United States (government)", Government)),
        ),
        // Publications by name (`data/publications.txt`), and where a document appeared.
        (
            "According to the website Ossel Today, 300 fighters were sent.",
            Some(("Ossel Today", Outlet)),
        ),
        (
            "According to a report in the local newspaper, Kestria Daily, 300 fighters were sent.",
            Some(("Kestria Daily", Outlet)),
        ),
        (
            "The fighters were sent, according to the Nicaraguan news site el19digital.com.",
            Some(("el19digital.com", Outlet)),
        ),
        (
            "The G for Games blog reported that the fighters were sent.",
            Some(("G for Games", Outlet)),
        ),
        // Unnamed groups (`data/unnamed.txt`); a force named by its place is one body.
        ("Medics say 300 people were wounded.", Some(("Medics", Anonymous))),
        (
            "Two people who saw the attack said 300 fighters were sent.",
            Some(("two people who saw the attack", Anonymous)),
        ),
        (
            "Ottawa police said 300 fighters were sent.",
            Some(("Ottawa police", Organisation)),
        ),
        // A name and its apposition, however long, before the verb: the name speaks,
        // not a clause after the verb, nor a name inside the apposition.
        (
            "Dana Holt, founder and editor of the blog Kestria Watch, says Ossel sent 300 fighters.",
            Some(("Dana Holt", Person)),
        ),
        (
            "Dana Holt, coordinator of Kestria's National Information Centre, told reporters that 300 fighters were sent.",
            Some(("Dana Holt", Person)),
        ),
        (
            "Dana Holt, a lawyer for the man who filmed the convoy while driving home with a friend, claimed that 300 fighters were sent.",
            Some(("Dana Holt", Person)),
        ),
        (
            "Jordan Matson, 28, a former soldier, said 300 fighters were sent.",
            Some(("Jordan Matson", Person)),
        ),
        // An American politician's party and state are an aside.
        (
            "The chairman of the committee, Dana Holt, R-Calif., said Ossel sent 300 fighters.",
            Some(("Dana Holt", Person)),
        ),
        // An apposition whose closing comma was left out; an aside in brackets inside
        // the subject; an adverb in the verb group.
        (
            "Despite reports in a local paper, Kestria Daily, that 300 fighters were sent, Dana Holt, the ministry's spokeswoman dismissed the claim.",
            Some(("Dana Holt", Person)),
        ),
        (
            "Vell, of the Search for Extraterrestrial Intelligence (SETI) Institute in Mountain View, California, told reporters 300 fighters were sent.",
            Some(("Vell", Person)),
        ),
        (
            "Miss Holt only revealed that 300 fighters were sent.",
            Some(("Holt", Person)),
        ),
        // A person "of" a place or body, a person after a description in lower case,
        // a relative by name; not a body's name or a title with "of".
        (
            "Marko Vell of the Kestria Institute said 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        (
            "Bank of Kestria said 300 fighters were sent.",
            Some(("Bank of Kestria", Organisation)),
        ),
        (
            "Secretary of State Dana Holt said 300 fighters were sent.",
            Some(("Dana Holt", Person)),
        ),
        (
            "Journeyman golfer Marko Vell said 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        (
            "Research firm Kestria Analytics said 300 fighters were sent.",
            Some(("Kestria Analytics", Organisation)),
        ),
        (
            "His sister Lucy said 300 fighters were sent.",
            Some(("Lucy", Person)),
        ),
        (
            "GOP Rep. Dana Holt, who is running for the Senate, claimed that 300 fighters were sent.",
            Some(("Dana Holt", Person)),
        ),
        // A document's author after the time it was released.
        (
            "A statement released this afternoon by the Kestria Monitor said 300 fighters were sent.",
            Some(("Kestria Monitor", Organisation)),
        ),
        // A participle after a nationality is no verb of a clause before the subject.
        (
            "Kestrian armed forces chief Air Marshal Marko Vell announced that 300 fighters were sent.",
            Some(("Marko Vell", Person)),
        ),
        // No speaker: a noun that looks like a verb, "it was reported", a speech verb
        // in a clause of time, a clause that says, a body no earlier sentence named.
        ("Multiple unconfirmed reports say 300 fighters were sent.", None),
        ("It was reported that 300 fighters were sent.", None),
        // Speech in the passive: the speaker after "by".
        (
            "The figure of 300 fighters was confirmed by Dana Holt, the ministry's spokeswoman.",
            Some(("Dana Holt", Person)),
        ),
        (
            "300 fighters were sent, as first reported by Reuters.",
            Some(("Reuters", Outlet)),
        ),
        // A clause after "as" with its article; the first person and "it's" name no one.
        (
            "Holt's reported death comes as a local official said 300 fighters were sent.",
            Some(("a local official", Anonymous)),
        ),
        ("It's claimed that 300 fighters were sent.", None),
        ("We're told that 300 fighters were sent.", None),
        // A sentence's opening conjunction is not its subject.
        (
            "Yet several witnesses say 300 fighters were sent.",
            Some(("several witnesses", Anonymous)),
        ),
        // A picture that "claims to show", a pronoun speaking inside a relative clause,
        // a concessive clause's speech, a noun before "of".
        ("An unverified photo claims to show 300 fighters at the border.", None),
        (
            "A commander who sent 300 fighters to a war he said was just is under investigation.",
            None,
        ),
        (
            "There was no word from the ministry, although reports on social media claimed 300 fighters were sent.",
            None,
        ),
        (
            "Attacks went on despite government claims of a ceasefire with 300 fighters.",
            None,
        ),
        // A denial in a concessive clause still denies.
        (
            "Though officials denied the reports, 300 fighters were seen.",
            Some(("officials", Anonymous)),
        ),
        ("The war began after Kestria announced its independence.", None),
        ("What Marko Vell says happened next is disputed.", None),
        (
            "The fighters are paid $2,000 a month, the ministry said.",
            None,
        ),
    ];
    check_speakers(table);
}

/// Speakers that earlier sentences explain: a surname the report wrote in full, whether
/// that person spoke or not; "it" for a body or outlet, "they" for a group.
#[test]
fn earlier_sentences_explain_a_speaker() {
    let table: &[AfterRow] = &[
        (
            &["Rear Admiral Marko Vell told a briefing on Monday that the strike was over."],
            "Vell said 300 fighters were killed.",
            Some(("Marko Vell", Person)),
        ),
        (
            &["Senior editor Dana Holt appeared on the radio on Monday."],
            "Holt said 300 fighters were killed.",
            Some(("Dana Holt", Person)),
        ),
        (
            &[
                "Dana Holt said the town had fallen.",
                "Reuters said the town had fallen.",
            ],
            "It added that 300 fighters were killed.",
            Some(("Reuters", Outlet)),
        ),
        (
            &[
                "Dana Holt said the town had fallen.",
                "Witnesses said the town had fallen.",
            ],
            "They said 300 fighters were killed.",
            Some(("Witnesses", Anonymous)),
        ),
        // A clause's conjunction is not its subject; a pronoun between a quotation and
        // its verb still speaks.
        (
            &["Col Marko Vell could not confirm the deaths and said no leaders were targeted."],
            "But he added that 300 fighters were killed.",
            Some(("Marko Vell", Person)),
        ),
        (
            &["Dana Holt, editor of the Kestria Watch blog, says the gold is real."],
            "The term \"solid gold,\" she says, means 300 grams of gold.",
            Some(("Dana Holt", Person)),
        ),
        // "The story", "the article": the outlet last cited, or no one.
        (
            &["Reuters reported that the town had fallen."],
            "The story claimed that 300 fighters were sent.",
            Some(("Reuters", Outlet)),
        ),
        (&[], "The story claimed that 300 fighters were sent.", None),
        // A role with its article is the person last quoted under a name; "the official"
        // is the unnamed official.
        (
            &["Holt said the town had fallen."],
            "The congresswoman said 300 fighters were killed.",
            Some(("Holt", Person)),
        ),
        (
            &["Dana Holt said the town had fallen."],
            "The San Diego Republican said 300 fighters were killed.",
            Some(("Dana Holt", Person)),
        ),
        (
            &[
                "Dana Holt said the town had fallen.",
                "A senior official said the strike was vetted.",
            ],
            "The official said 300 fighters were killed.",
            Some(("a senior official", Anonymous)),
        ),
        // A surname with its apposition is the full name written before.
        (
            &["Marko Vell, creator of the series, has announced plans for a film."],
            "Vell, who was also its director, said 300 extras were hired.",
            Some(("Marko Vell", Person)),
        ),
        // A name written after a title inside a run of capitals; the speaker's name
        // before the words it was written with.
        (
            &["Jess Holt was chosen for the show."],
            "Delighted Miss Holt said 300 people applied.",
            Some(("Jess Holt", Person)),
        ),
        (
            &[
                "The crater is new, said Bill Vell, head of the office.",
                "Fragments would be found, both Vell and expert Dana Holt said.",
            ],
            "The rock was about 3 feet wide, Vell added.",
            Some(("Bill Vell", Person)),
        ),
        // "The government" before any government spoke: the country last named; a
        // single-quoted quotation closed before "it added".
        (
            &["Even in Armenia, where government jobs are for life, Vell was fired."],
            "It took 22 years to remove him, the government said.",
            Some(("Armenia (government)", Government)),
        ),
        (
            &["The Kestria Monitor said: 'The strike hit a depot.'"],
            "'The strikes went on for more than an hour,' it added before posting photographs.",
            Some(("Kestria Monitor", Organisation)),
        ),
        // One named "and others" speaks for them.
        (
            &[],
            "Dana Holt and others in the area said 300 fighters were killed.",
            Some(("Dana Holt", Person)),
        ),
    ];
    check_speakers_after(table);
}

/// A quotation over several sentences is its speaker's throughout: named where it
/// closes, where it opens, or in the quoted sentence just before; a quotation never
/// closed lends no one.
#[test]
fn a_quotation_over_several_sentences_is_its_speakers() {
    let speakers = |text: &[&str]| -> Vec<(usize, Option<String>)> {
        mentions(text).into_iter().map(|(i, _, s)| (i, s)).collect()
    };
    // Named where it closes.
    assert_eq!(
        speakers(&[
            "\"We had been told that Valdoria sent 300 fighters to Kestria.",
            "In the tape Valdoria sent 900 fighters to Kestria,\" Dana Holt said.",
        ]),
        vec![(0, Some("Dana Holt".into())), (1, Some("Dana Holt".into()))]
    );
    // The quoted sentence just before names the speaker.
    assert_eq!(
        speakers(&[
            "\"Valdoria sent 300 fighters to Kestria,\" Dana Holt said.",
            "\"Morvania sent 900 fighters to Ossel.\"",
        ]),
        vec![(0, Some("Dana Holt".into())), (1, Some("Dana Holt".into()))]
    );
    // Opened by its speaker, running on.
    assert_eq!(
        speakers(&[
            "Dana Holt said: \"Valdoria sent 300 fighters to Kestria.",
            "Morvania sent 900 fighters to Ossel.\"",
        ]),
        vec![(0, Some("Dana Holt".into())), (1, Some("Dana Holt".into()))]
    );
    // A stray mark: the quotation never closes, and no one is lent.
    assert_eq!(
        speakers(&[
            "The \"deal says Valdoria sent 300 fighters to Kestria.",
            "Morvania sent 900 fighters to Ossel.",
        ]),
        vec![(0, None), (1, None)]
    );
}
