//! A small deterministic corpus generator for the tests that need volume (atomic
//! outputs, determinism): stories told by many outlets, with syndicated copies, relays
//! ("UrduPoint News / Sputnik"), quantities, hedges and denials, spread over `.txt`,
//! `.jsonl` and `.csv` files. The same `seed` always writes the same bytes.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const OUTLETS: &[&str] = &[
    "Reuters",
    "AFP",
    "TASS",
    "CNN",
    "North Press",
    "UrduPoint News",
    "Sputnik",
    "Trend",
    "Mediamax",
    "Daily Sabah",
    "Asbarez",
    "Al-Monitor",
];
const PLACES: &[&str] = &["BAKU", "YEREVAN", "ANKARA", "MOSCOW", "AZAZ", "WASHINGTON"];
const SENDERS: &[&str] = &["Turkey", "Russia", "Iran", "Armenia"];
const TARGETS: &[&str] = &["Azerbaijan", "Nagorno-Karabakh", "Libya", "Syria"];
const UNITS: &[&str] = &["Syrian fighters", "mercenaries", "militants", "soldiers"];
const SPEAKERS: &[&str] = &[
    "Omer Celik",
    "the Russian Foreign Ministry",
    "a Syrian national",
    "the Syrian Observatory for Human Rights",
    "an Armenian official",
];
const DENIERS: &[&str] = &[
    "Baku",
    "Ankara",
    "Hikmet Hajiyev",
    "the Turkish Defence Ministry",
];
const HEDGES: &[&str] = &[
    "",
    "about ",
    "more than ",
    "nearly ",
    "up to ",
    "an estimated ",
];

/// One story: who sent how many of what where, and what they were paid.
struct Story {
    sender: &'static str,
    target: &'static str,
    unit: &'static str,
    count: usize,
    pay: usize,
}

fn report_text(rng: &mut Rng, s: &Story, outlet: &str, day: usize) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{} accused of sending {} to {}\n",
        s.sender, s.unit, s.target
    );
    let place = rng.pick(PLACES);
    if rng.below(4) == 0 {
        let relay = rng.pick(OUTLETS);
        let _ = write!(
            t,
            "{place} ({outlet} / {relay} - {day:02}nd October, 2020) "
        );
    } else {
        let _ = write!(t, "{place}, Oct {day} ({outlet}) - ");
    }
    let hedge = rng.pick(HEDGES);
    let count = if rng.below(5) == 0 {
        s.count * 7
    } else {
        s.count
    };
    let speaker = rng.pick(SPEAKERS);
    let _ = write!(
        t,
        "{} has sent {hedge}{count} {} to {}, {speaker} said on Friday. ",
        s.sender, s.unit, s.target
    );
    if rng.below(2) == 0 {
        let _ = write!(t, "The fighters were promised ${} per month. ", s.pay);
    }
    if rng.below(3) == 0 {
        let _ = write!(
            t,
            "{} denied that {} sent {} to {}. ",
            rng.pick(DENIERS),
            s.sender,
            s.unit,
            s.target
        );
    }
    if rng.below(4) == 0 {
        let _ = write!(
            t,
            "Reportedly, {} of them were killed in the fighting. ",
            1 + rng.below(60)
        );
    }
    t.push_str("\n\nReporting by Khalid Hassan\n");
    t
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Writes `n` reports under `dir` (created): a third as `.txt` files in subdirectories,
/// the rest as JSONL files of 400 lines and one CSV file; about one report in five is a
/// syndicated copy of an earlier one under another outlet.
pub fn corpus(dir: &Path, n: usize, seed: u64) {
    let mut rng = Rng::new(seed);
    let stories: Vec<Story> = (0..(n / 25).max(3))
        .map(|_| Story {
            sender: rng.pick(SENDERS),
            target: rng.pick(TARGETS),
            unit: rng.pick(UNITS),
            count: 50 * (1 + rng.below(40)),
            pay: 500 * (1 + rng.below(6)),
        })
        .collect();
    std::fs::create_dir_all(dir.join("txt")).unwrap();
    let mut texts: Vec<String> = Vec::new();
    let mut jsonl = String::new();
    let mut csv = String::from("id,outlet,date,title,text\n");
    let mut files = 0;
    for i in 0..n {
        let outlet = rng.pick(OUTLETS);
        let day = 1 + rng.below(28);
        let text = if !texts.is_empty() && rng.below(5) == 0 {
            texts[rng.below(texts.len())].clone()
        } else {
            let s = &stories[rng.below(stories.len())];
            report_text(&mut rng, s, outlet, day)
        };
        texts.push(text.clone());
        match i % 3 {
            0 => {
                let sub = dir.join("txt").join(format!("d{:02}", i % 17));
                std::fs::create_dir_all(&sub).unwrap();
                std::fs::write(sub.join(format!("r{i:05}.txt")), &text).unwrap();
            }
            1 if i % 7 == 1 => {
                let _ = writeln!(
                    csv,
                    "c{i},{outlet},2020-10-{day:02},{},{}",
                    csv_field("Fighters"),
                    csv_field(&text)
                );
            }
            _ => {
                let line = serde_json::json!({
                    "id": format!("j{i}"),
                    "outlet": outlet,
                    "date": format!("2020-10-{day:02}"),
                    "text": text,
                });
                jsonl.push_str(&line.to_string());
                jsonl.push('\n');
                if jsonl.len() > 400 * 600 {
                    std::fs::write(dir.join(format!("feed{files:03}.jsonl")), &jsonl).unwrap();
                    files += 1;
                    jsonl.clear();
                }
            }
        }
    }
    if !jsonl.is_empty() {
        std::fs::write(dir.join(format!("feed{files:03}.jsonl")), &jsonl).unwrap();
    }
    std::fs::write(dir.join("table.csv"), csv).unwrap();
}
