//! `corro gen`: a synthetic corpus of news reports at any size, for benchmarks.
//!
//! The same `--seed` and `--reports` always give the same bytes: every report is a pure
//! function of (seed, report number), so files are written in parallel without changing
//! what is written. The corpus is shaped like the sample in `data/sample`, at scale:
//!
//! - a world of invented conflicts (*theatres*), each with countries, capitals, places, a
//!   monitor and officials; `N / 20` *stories* (one claim each: a country sends a group's
//!   fighters to another), spread over the theatres, so the number of distinct claims
//!   grows with the corpus; story popularity is skewed (a few hot stories, a long tail);
//! - many outlets and wires, datelines in both styles (`CITY, Month D (Outlet) -` and
//!   `CITY (Outlet / Wire - 5th March, 2031)`), bylines;
//! - sentences that exercise every part of extraction: counts with approximators and
//!   ranges, pay per month, durations, deaths, named officials, anonymous sources,
//!   denials, hedges, questions, an opposition figure's conflicting count, and a
//!   monitor's running series that grows with the story's day;
//! - syndicated copies (a quarter of the reports): a wire original re-published with a
//!   new headline, an added paragraph, a trimmed ending and another dateline;
//! - reports of 2–4 KB, padded with theatre background as real reports are.
//!
//! Layout under `--out DIR`: `reports/NNNN/rNNNNNNN.txt` (1,000 files per directory) or
//! `reports/part-NNNN.jsonl` (10,000 reports per file), optionally `.gz`; and
//! `lexicons/entities.csv`, `lexicons/outlets.csv` naming the invented actors and outlets,
//! for `corro run --lexicons DIR/lexicons`; and `truth/copies.csv`, the copy families as
//! generated — `report_id` (as `corro run DIR/reports` names the report) and `original`
//! (the wire original a syndicated copy reprints, the same for all its copies; empty for
//! a report written on its own) — for `corro eval copies`.
//!
//! This is not a model of news; it gives the extractor and matcher realistic work.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// Reports per directory (text) or per file (JSONL).
const TXT_PER_DIR: usize = 1000;
const JSONL_PER_FILE: usize = 10_000;
/// Stories per theatre.
const STORIES_PER_THEATRE: usize = 5;
/// One story per this many reports.
const REPORTS_PER_STORY: usize = 20;

/// Output format of the generated reports.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum GenFormat {
    Txt,
    Jsonl,
}

/// What to generate.
pub struct Options {
    pub reports: usize,
    pub seed: u64,
    pub out: PathBuf,
    pub format: GenFormat,
    pub gz: bool,
}

/// What was written.
pub struct Written {
    pub files: usize,
    /// Bytes of report text written, before compression.
    pub bytes: u64,
    pub stories: usize,
}

/// Writes the corpus and its lexicons.
pub fn generate(o: &Options) -> std::io::Result<Written> {
    let world = World::new(o.seed, o.reports);
    let lex = o.out.join("lexicons");
    std::fs::create_dir_all(&lex)?;
    std::fs::write(lex.join("entities.csv"), world.entities_csv())?;
    std::fs::write(lex.join("outlets.csv"), world.outlets_csv())?;
    let reports = o.out.join("reports");
    std::fs::create_dir_all(&reports)?;
    let per_file = match o.format {
        GenFormat::Txt => 1,
        GenFormat::Jsonl => JSONL_PER_FILE,
    };
    let files = o.reports.div_ceil(per_file);
    // Directories first: made inside the parallel loop, a file could be written before
    // its directory (the first file of a directory need not be the first one done).
    if o.format == GenFormat::Txt {
        for d in 0..o.reports.div_ceil(TXT_PER_DIR) {
            std::fs::create_dir_all(reports.join(format!("{d:04}")))?;
        }
    }
    // Each file's bytes, and its reports' ids and originals for the truth file.
    type Truth = Vec<(String, Option<String>)>;
    let written: std::io::Result<Vec<(u64, Truth)>> = (0..files)
        .into_par_iter()
        .map(|f| {
            let first = f * per_file;
            let last = (first + per_file).min(o.reports);
            let mut truth = Vec::with_capacity(last - first);
            let (path, content) = match o.format {
                GenFormat::Txt => {
                    let dir = format!("{:04}", first / TXT_PER_DIR);
                    let doc = world.report(first);
                    let name = format!("r{first:07}.txt{}", if o.gz { ".gz" } else { "" });
                    // A text report's id is its path under the input directory.
                    truth.push((format!("{dir}/{name}"), doc.original.clone()));
                    (
                        reports.join(&dir).join(format!("r{first:07}.txt")),
                        doc.txt(),
                    )
                }
                GenFormat::Jsonl => {
                    let mut s = String::with_capacity(per_file * 3200);
                    for i in first..last {
                        let doc = world.report(i);
                        s.push_str(&doc.jsonl(i));
                        s.push('\n');
                        truth.push((doc.id, doc.original));
                    }
                    (reports.join(format!("part-{f:04}.jsonl")), s)
                }
            };
            write_file(&path, content.as_bytes(), o.gz)?;
            Ok((content.len() as u64, truth))
        })
        .collect();
    let written = written?;
    let truth_dir = o.out.join("truth");
    std::fs::create_dir_all(&truth_dir)?;
    let mut truth = String::from("report_id,original\n");
    for (id, original) in written.iter().flat_map(|(_, t)| t) {
        // Ids and originals are plain ASCII words: no CSV quoting needed.
        let _ = writeln!(truth, "{id},{}", original.as_deref().unwrap_or(""));
    }
    std::fs::write(truth_dir.join("copies.csv"), truth)?;
    Ok(Written {
        files,
        bytes: written.iter().map(|(b, _)| b).sum(),
        stories: world.stories.len(),
    })
}

fn write_file(path: &Path, bytes: &[u8], gz: bool) -> std::io::Result<()> {
    if !gz {
        return std::fs::write(path, bytes);
    }
    let mut name = path.as_os_str().to_owned();
    name.push(".gz");
    let f = std::fs::File::create(PathBuf::from(name))?;
    let mut enc = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
    enc.write_all(bytes)?;
    enc.finish()?.sync_all().or(Ok(()))
}

/// SplitMix64: small, fast, and the same everywhere (no dependency whose stream could
/// change under us and silently change every benchmark corpus).
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        Rng(mix(seed ^ mix(stream.wrapping_add(mix(index)))))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

const SYLLABLES: [&str; 32] = [
    "val", "dor", "kes", "tri", "mor", "van", "ost", "rel", "tar", "bren", "hol", "lun", "ess",
    "gar", "min", "pol", "zan", "quor", "bel", "dra", "vik", "sol", "mar", "ten", "ru", "ka", "lo",
    "ne", "sha", "ith", "gul", "orn",
];

/// A unique invented word for `i` (distinct `i` give distinct words): `i` is scrambled by
/// a bijection of 0..2^20 so that neighbours do not look alike, then spelt as four
/// syllables, the leading ones dropped while the rest stays unique-looking.
fn word(i: usize) -> String {
    let x = (i as u64).wrapping_mul(0x9E3B5) & 0xF_FFFF;
    let mut s = String::new();
    for k in 0..4 {
        s.push_str(SYLLABLES[((x >> (5 * k)) & 31) as usize]);
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

struct Theatre {
    /// Root words: country names are root+"ia", demonyms root+"ian".
    countries: [String; 3],
    capitals: [String; 3],
    places: [String; 2],
    monitor: String,
    officials: [String; 4],
}

struct Story {
    theatre: usize,
    /// Indices into the theatre's countries: accuser, sender, host.
    accuser: usize,
    sender: usize,
    host: usize,
    place: usize,
    group: String,
    fighters: u64,
    pay: u64,
    months: u64,
    deaths: u64,
    /// Day of 2031 (0-based) the story breaks.
    start: u32,
}

struct World {
    seed: u64,
    theatres: Vec<Theatre>,
    stories: Vec<Story>,
    outlets: Vec<String>,
    wires: Vec<String>,
    people: Vec<String>,
}

const FIGHTERS: [u64; 12] = [
    150, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 2500,
];
const PAY: [u64; 6] = [800, 1000, 1500, 2000, 2500, 3000];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const OUTLET_FORMS: [&str; 8] = [
    "{} Herald",
    "{} Times",
    "{} Post",
    "{} Observer",
    "Radio {}",
    "{} Daily",
    "{} Tribune",
    "{} Courier",
];
const WIRE_FORMS: [&str; 3] = ["{} Wire", "{} Press Agency", "{} News Service"];

impl World {
    fn new(seed: u64, reports: usize) -> World {
        let n_stories = (reports / REPORTS_PER_STORY).max(1);
        let n_theatres = n_stories.div_ceil(STORIES_PER_THEATRE);
        // Word numbers: a running counter, so every invented name is distinct.
        let mut next = 0;
        let mut w = || {
            next += 1;
            word(next)
        };
        let theatres: Vec<Theatre> = (0..n_theatres)
            .map(|_| Theatre {
                countries: [w(), w(), w()],
                capitals: [w(), w(), w()],
                places: [w(), w()],
                monitor: w(),
                officials: [
                    format!("{} {}", w(), w()),
                    format!("{} {}", w(), w()),
                    format!("{} {}", w(), w()),
                    format!("{} {}", w(), w()),
                ],
            })
            .collect();
        let stories: Vec<Story> = (0..n_stories)
            .map(|s| {
                let mut r = Rng::new(seed, 1, s as u64);
                let accuser = r.below(3);
                let sender = (accuser + 1 + r.below(2)) % 3;
                let host = 3 - accuser - sender;
                Story {
                    theatre: s / STORIES_PER_THEATRE,
                    accuser,
                    sender,
                    host,
                    place: r.below(2),
                    group: w(),
                    fighters: *r.pick(&FIGHTERS),
                    pay: *r.pick(&PAY),
                    months: *r.pick(&[3, 6, 12]),
                    deaths: 3 + r.below(40) as u64,
                    start: r.below(330) as u32,
                }
            })
            .collect();
        let n_outlets = 60 + reports / 1000;
        let outlets = (0..n_outlets)
            .map(|k| OUTLET_FORMS[k % OUTLET_FORMS.len()].replace("{}", &w()))
            .collect();
        let wires = (0..8 + reports / 20_000)
            .map(|k| WIRE_FORMS[k % WIRE_FORMS.len()].replace("{}", &w()))
            .collect();
        let people = (0..200 + reports / 500)
            .map(|_| format!("{} {}", w(), w()))
            .collect();
        World {
            seed,
            theatres,
            stories,
            outlets,
            wires,
            people,
        }
    }

    fn entities_csv(&self) -> String {
        let mut s = String::from(
            "# Generated by `corro gen`: the invented actors of a benchmark corpus.\n\
             alias,canonical,type,theatre\n",
        );
        for (t, th) in self.theatres.iter().enumerate() {
            let theatre = format!("{} war", th.places[0]);
            for (c, cap) in th.countries.iter().zip(&th.capitals) {
                let _ = writeln!(s, "{c}ia,{c}ia,country,{theatre}");
                let _ = writeln!(s, "{c}ian,{c}ia,country,{theatre}");
                let _ = writeln!(s, "{c}ians,{c}ia,country,{theatre}");
                let _ = writeln!(s, "{cap},{c}ia,country,{theatre}");
            }
            for p in &th.places {
                let _ = writeln!(s, "{p} Valley,{p} Valley,place,{theatre}");
            }
            let m = &th.monitor;
            let _ = writeln!(s, "{m} Monitor for Human Rights,{m} Monitor,org");
            let _ = writeln!(s, "{m} Monitor,{m} Monitor,org");
            for o in &th.officials {
                let _ = writeln!(s, "{o},{o},person");
            }
            for st in &self.stories[t * STORIES_PER_THEATRE..]
                .iter()
                .take(STORIES_PER_THEATRE)
                .collect::<Vec<_>>()
            {
                let g = &st.group;
                let _ = writeln!(s, "{g} Brigade,{g} Brigade,group");
            }
        }
        for p in &self.people {
            let _ = writeln!(s, "{p},{p},person");
        }
        s
    }

    fn outlets_csv(&self) -> String {
        let mut s = String::from(
            "# Generated by `corro gen`: the invented outlets of a benchmark corpus.\nname,alias\n",
        );
        for o in self.outlets.iter().chain(&self.wires) {
            let _ = writeln!(s, "{o},The {o}");
        }
        s
    }

    /// Report `i`: an independent report on a story, or a syndicated copy of one of the
    /// story's wire originals.
    fn report(&self, i: usize) -> Doc {
        let mut r = Rng::new(self.seed, 2, i as u64);
        let n = self.stories.len();
        // Half the reports follow a skewed popularity (story k of n drawn with
        // probability ~ 1/sqrt(k)): a few hot stories with thousands of reports.
        let s = if r.chance(0.5) {
            let u = (r.next() >> 11) as f64 / (1u64 << 53) as f64;
            ((u * u * n as f64) as usize).min(n - 1)
        } else {
            r.below(n)
        };
        let story = &self.stories[s];
        if r.chance(0.25) {
            let w = r.below(3);
            let original = format!("s{s}w{w}");
            let mut orig_rng = Rng::new(self.seed, 3, (s * 3 + w) as u64);
            let wire = self.wires[(s + w) % self.wires.len()].clone();
            let day = story.start + orig_rng.below(10) as u32;
            let mut doc = self.write(story, &mut orig_rng, &wire, day);
            self.syndicate(story, &mut doc, &mut r, &wire, i);
            doc.original = Some(original);
            doc
        } else {
            let outlet = r.pick(&self.outlets).clone();
            let day = story.start + r.below(30) as u32;
            let mut doc = self.write(story, &mut r, &outlet, day);
            doc.id = format!("r{i:07}");
            doc
        }
    }

    /// A copy: another outlet, headline, dateline; a paragraph added, the ending trimmed.
    fn syndicate(&self, st: &Story, doc: &mut Doc, r: &mut Rng, wire: &str, i: usize) {
        let th = &self.theatres[st.theatre];
        let outlet = r.pick(&self.outlets).clone();
        doc.id = format!("r{i:07}");
        doc.day += r.below(2) as u32;
        let (m, d) = month_day(doc.day);
        doc.title = format!(
            "{}ia accuses {}ia of sending fighters to the {} war",
            th.countries[st.accuser], th.countries[st.sender], th.places[0]
        );
        doc.dateline = format!(
            "{} ({outlet} / {wire} - {} {}, 2031)",
            th.capitals[st.host].to_uppercase(),
            ordinal(d),
            MONTHS[m]
        );
        let trim = r.below(3).min(doc.paragraphs.len().saturating_sub(3));
        doc.paragraphs.truncate(doc.paragraphs.len() - trim);
        doc.paragraphs.push(format!(
            "{outlet} has asked the {}ian embassy for comment and will update this story.",
            th.countries[st.sender]
        ));
        doc.outlet = outlet;
        doc.byline = None;
    }

    /// An original report on a story by `outlet` on `day`.
    fn write(&self, st: &Story, r: &mut Rng, outlet: &str, day: u32) -> Doc {
        let th = &self.theatres[st.theatre];
        let acc = &th.countries[st.accuser];
        let snd = &th.countries[st.sender];
        let host = &th.countries[st.host];
        let place = format!("{} Valley", th.places[st.place]);
        let group = format!("{} Brigade", st.group);
        let monitor = format!("{} Monitor for Human Rights", th.monitor);
        let minister = &th.officials[st.accuser];
        let spokesman = &th.officials[st.sender];
        let lawmaker = &th.officials[3];
        let weekday = DAYS[(day % 7) as usize];
        let (m, d) = month_day(day);
        let since = MONTHS[m.saturating_sub(1)];
        let age = day.saturating_sub(st.start) as u64;
        // The monitor's running count grows with the story.
        let series = st.fighters + st.fighters * age / 8;
        let n = st.fighters;
        let mut lead_pool: Vec<String> = vec![
            format!("{snd}ia has sent {} fighters of the {group} to {host}ia to fight in the {place}, {acc}ia's defence ministry said on {weekday}.", approx(r, n)),
            format!("Around {} {snd}ian fighters have arrived in the {place} to fight alongside {host}ian forces, a source in the {host}ian army told the {outlet}.", num(n)),
            format!("{snd}ia's foreign ministry on {weekday} denied sending fighters to {host}ia, calling the {acc}ian accusations \"baseless propaganda\"."),
            format!("The {monitor} said on {weekday} that {} {snd}ian fighters had been sent to the {place} since {since}.", num(series)),
        ];
        let lead = r.below(lead_pool.len());
        let mut body: Vec<String> = vec![lead_pool.swap_remove(lead)];
        let mut pool: Vec<String> = vec![
            format!("The {group} fighters were recruited on {}-month contracts and are paid ${} a month, {acc}ia's defence ministry said in a statement.", st.months, num(st.pay)),
            format!("{acc}ian Defence Minister {minister} told reporters that the first group of {group} fighters crossed into {host}ia last week."),
            format!("{minister} said that {} {snd}ian fighters had been sent to {host}ia, and that each of them is paid ${} per month.", approx(r, n), num(st.pay)),
            format!("The source, who asked not to be named, said the {snd}ian fighters were sent to {host}ia in {} groups over the past two weeks.", ["two", "three", "four"][r.below(3)]),
            format!("\"No {snd}ian fighters are in the {place},\" {snd}ian foreign ministry spokesman {spokesman} told reporters in {}.", th.capitals[st.sender]),
            format!("{spokesman} said {snd}ia remained neutral in the war between {host}ia and {acc}ia."),
            format!("Fighters from {snd}ia have reportedly been sent to the {place} to fight for {host}ia, according to unconfirmed reports circulating on social media."),
            format!("The {monitor} said that {} {snd}ian fighters had been sent to the {place} since {since}.", num(series)),
            format!("The monitor added that at least {} {snd}ian fighters had been killed in the {place}.", st.deaths + age / 3),
            format!("{host}ian opposition lawmaker {lawmaker} said that {snd}ia had sent {} fighters to {host}ia, far more than {acc}ia had said.", num(n * 3)),
            format!("Between {} and {} {snd}ian fighters are believed to be stationed near {}, local officials said.", num(n / 2), num(n), th.capitals[st.host]),
            format!("Each {group} recruit in {host}ia receives ${}-{} per month, according to a former member of the militia.", num(st.pay / 2), num(st.pay)),
            format!("The {group} deployment in {host}ia is expected to last {} months, a {acc}ian official said.", st.months),
            format!("Are {snd}ian fighters being paid to fight in {host}ia?"),
            format!("{host}ia's defence ministry said on {weekday} that no {snd}ian fighters serve in the {host}ian army."),
            format!("A source told {} that more than {} {group} fighters had been flown to {}.", self.outlets[(st.theatre * 7) % self.outlets.len()], num(n / 2), th.capitals[st.host]),
            format!("{acc}ia has asked the regional security council to discuss the deployment on {}.", DAYS[(day as usize + 3) % 7]),
        ];
        let mut background = vec![
            format!("The {place} has seen the heaviest fighting of the war since {since}."),
            format!("{host}ia and {acc}ia have fought two border wars since 2024, and a ceasefire agreed last year collapsed within weeks."),
            format!("The {group} is a {snd}ian militia formed in 2024 that has fought in earlier wars in the region."),
            "Talks between the parties stalled again this week, diplomats in the region said, and no new round has been scheduled.".to_string(),
            "Humanitarian groups said thousands of families had fled the area, and that aid convoys were struggling to reach the towns near the front line.".to_string(),
            format!("Roads between {} and the valley have been closed to civilian traffic for most of the month.", th.capitals[st.host]),
            "Observers said the situation on the ground remained tense, with sporadic shelling reported overnight in several villages.".to_string(),
            format!("Residents of {} described long queues for bread and fuel, and schools in the city have been shut since the fighting began.", th.capitals[st.host]),
            "Officials did not respond to requests for comment on the latest figures, and independent journalists have limited access to the area.".to_string(),
            "Analysts expect the fighting to continue into the winter unless outside powers press both sides to return to talks.".to_string(),
            format!("The war began in {since} after months of skirmishes along the border, and has since spread to the hills north of {}.", th.capitals[st.host]),
            "Electricity and water supplies have been cut in parts of the region, local authorities said, and repair crews have been unable to reach the damaged lines.".to_string(),
            format!("Prices for fuel and food in {} have more than doubled since the start of the year, traders said.", th.capitals[st.accuser]),
            "The United Nations has called on all sides to protect civilians and to allow safe passage for those trying to leave.".to_string(),
            format!("Both governments have accused each other of violating the ceasefire brokered in {} last year.", th.capitals[st.sender]),
            "Satellite images published by independent researchers appear to show new defensive positions along the main road.".to_string(),
            format!("Several journalists have been detained near the {place} in recent weeks, press freedom groups said."),
            "Schools and hospitals in the area have been damaged, and aid workers said medical supplies were running low.".to_string(),
        ];
        // 5-9 claim sentences and 7-11 background sentences, as in wire copy, shuffled
        // into paragraphs of one or two sentences: 2-4 KB in all.
        let claims = 5 + r.below(5);
        for _ in 0..claims.min(pool.len()) {
            let k = r.below(pool.len());
            body.push(pool.swap_remove(k));
        }
        let fill = 7 + r.below(5);
        for _ in 0..fill.min(background.len()) {
            let k = r.below(body.len()) + 1;
            let b = background.swap_remove(r.below(background.len()));
            body.insert(k.min(body.len()), b);
        }
        let mut paragraphs = Vec::new();
        let mut it = body.into_iter().peekable();
        while let Some(s) = it.next() {
            if r.chance(0.4) {
                if let Some(t) = it.next() {
                    paragraphs.push(format!("{s} {t}"));
                    continue;
                }
            }
            paragraphs.push(s);
        }
        let titles = [
            format!(
                "{snd}ia sent {} fighters to {host}ia, {acc}ia says",
                approx(r, n)
            ),
            format!("{snd}ia rejects claims it sent fighters to {host}ia"),
            format!(
                "Monitor counts {} {snd}ian fighters in {place}",
                num(series)
            ),
            format!("Reports of {snd}ian fighters in {place}"),
        ];
        let dateline = format!(
            "{}, {} {} ({outlet}) -",
            th.capitals[st.accuser].to_uppercase(),
            MONTHS[m],
            d
        );
        Doc {
            id: String::new(),
            outlet: outlet.to_string(),
            day,
            title: r.pick(&titles).clone(),
            dateline,
            paragraphs,
            byline: Some(format!(
                "Reporting by {}; editing by {}",
                r.pick(&self.people),
                r.pick(&self.people)
            )),
            original: None,
        }
    }
}

/// "about 800", "more than 800", "nearly 800", "some 800" or "800".
fn approx(r: &mut Rng, n: u64) -> String {
    let forms = ["about ", "more than ", "nearly ", "some ", "", "at least "];
    format!("{}{}", r.pick(&forms), num(n))
}

/// 1,200 — thousands separated by commas, as news writes them.
fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k > 0 && (s.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ordinal(d: u32) -> String {
    let suffix = match (d % 10, d % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{d}{suffix}")
}

/// (month index, day of month) of day `d` of 2031 (past the year's end: December 31).
fn month_day(d: u32) -> (usize, u32) {
    const LEN: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = d.min(364);
    for (m, len) in LEN.iter().enumerate() {
        if d < *len {
            return (m, d + 1);
        }
        d -= len;
    }
    (11, 31)
}

/// One generated report.
struct Doc {
    id: String,
    outlet: String,
    day: u32,
    title: String,
    dateline: String,
    paragraphs: Vec<String>,
    byline: Option<String>,
    /// The wire original a syndicated copy reprints (`s{story}w{wire}`); `None` for a
    /// report written on its own. Not part of the text: the truth file's.
    original: Option<String>,
}

impl Doc {
    fn date(&self) -> String {
        let (m, d) = month_day(self.day);
        format!("2031-{:02}-{d:02}", m + 1)
    }

    fn body(&self) -> String {
        let mut s = String::with_capacity(4096);
        let _ = write!(s, "{} {}", self.dateline, self.paragraphs[0]);
        for p in &self.paragraphs[1..] {
            s.push_str("\n\n");
            s.push_str(p);
        }
        if let Some(b) = &self.byline {
            s.push_str("\n\n");
            s.push_str(b);
        }
        s
    }

    /// A text file: header lines, headline, body.
    fn txt(&self) -> String {
        format!(
            "date: {}\n\n{}\n\n{}\n",
            self.date(),
            self.title,
            self.body()
        )
    }

    /// A JSONL line.
    fn jsonl(&self, _i: usize) -> String {
        serde_json::json!({
            "id": self.id,
            "outlet": self.outlet,
            "date": self.date(),
            "title": self.title,
            "text": self.body(),
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_report_and_words_are_distinct() {
        let a = World::new(7, 2000);
        let b = World::new(7, 2000);
        assert_eq!(a.report(123).txt(), b.report(123).txt());
        assert_ne!(a.report(123).txt(), a.report(124).txt());
        let words: std::collections::HashSet<String> = (1..50_000).map(word).collect();
        assert_eq!(words.len(), 49_999);
    }

    #[test]
    fn reports_are_two_to_four_kilobytes() {
        let w = World::new(1, 4000);
        let sizes: Vec<usize> = (0..400).map(|i| w.report(i).txt().len()).collect();
        let mean = sizes.iter().sum::<usize>() / sizes.len();
        assert!((1800..=4200).contains(&mean), "mean {mean}");
    }

    #[test]
    fn numbers_are_written_as_news_writes_them() {
        assert_eq!(num(1200), "1,200");
        assert_eq!(num(150), "150");
        assert_eq!(num(1_234_567), "1,234,567");
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(ordinal(11), "11th");
        assert_eq!(month_day(0), (0, 1));
        assert_eq!(month_day(59), (2, 1));
    }
}
