//! Incremental runs (`--cache DIR`): each input file's extraction result, kept on disk
//! so that a new data drop pays only for its new files.
//!
//! An entry holds everything [`corpus::Extracted`] carries for every report read from one
//! input file. Its key is an xxh3-128 hash of
//!
//! - the **fingerprint** of the program and its settings: corro's version, the bytes of
//!   the running executable (so a rebuilt binary never reads a cache written by another),
//!   the lexicon texts in effect (shipped and `--lexicons` files) and the `--max-*` limits;
//! - the file's **name** as the run sees it (report ids and paths are derived from it);
//! - the file's **bytes**.
//!
//! A stale entry is therefore never *found*, rather than detected: nothing is invalidated
//! and nothing is evicted. Delete the directory to reclaim space.
//!
//! Entries live at `DIR/v1/KK/KEY.json` (KK: the key's first two hex digits), one file per
//! input file. The first line is `corro-cache 1 CHECKSUM` (xxh3-64 of the rest, in hex);
//! the rest is JSON of the mirror structs below. Floats are stored as their bit patterns,
//! so a cached run's outputs are byte-identical to an uncached one. Entries are written
//! to a temporary file and renamed into place, so a crash never leaves half an entry;
//! an entry that is nevertheless unreadable (bad checksum, JSON or value) is reported on
//! stderr, recomputed and rewritten — never trusted, never fatal.
//!
//! This module does not decide *what* is extracted: a miss calls the same
//! `corro_parse::read_source` and [`corpus::extract_report`] as an uncached run. Nor does
//! it cache matching: clusters depend on the whole corpus and are always recomputed.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use corro_claims::{
    ClaimKind, Lexicons, Mention, Quantity, QuantityKind, Speaker, SpeakerKind, Stance,
};
use corro_match::Signature;
use corro_parse::{Limits, Metadata, Status};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::corpus::{self, Extracted, Extraction, Found, Raw, Shared};

/// Layout version of the entries; part of the directory name so that a new layout never
/// meets an old file.
const LAYOUT: &str = "v1";
const MAGIC: &str = "corro-cache 1 ";

/// An open cache directory and what this run did with it.
pub struct Cache {
    dir: PathBuf,
    fingerprint: u128,
    pub hits: AtomicUsize,
    pub misses: AtomicUsize,
    pub corrupt: AtomicUsize,
    /// Set after the first failed write, so a full disk is reported once, not per file.
    write_failed: AtomicBool,
}

impl Cache {
    /// Opens (creating) `dir` for a run with these lexicons and limits.
    pub fn open(dir: &Path, lexicons: Option<&Path>, limits: &Limits) -> Result<Cache, String> {
        let root = dir.join(LAYOUT);
        fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
        let exe = std::env::current_exe()
            .and_then(fs::read)
            // Without the executable's bytes a rebuilt binary could read entries written by
            // another build; refusing the cache is the only safe answer.
            .map_err(|e| format!("cannot read the running executable to key the cache: {e}"))?;
        let mut h = Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&xxh3_64(&exe).to_le_bytes());
        for (name, shipped) in crate::lexicons::SHIPPED {
            h.update(name.as_bytes());
            h.update(&(shipped.len() as u64).to_le_bytes());
            h.update(shipped.as_bytes());
            if let Some(p) = lexicons.map(|d| d.join(name)).filter(|p| p.exists()) {
                let user = fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                h.update(&(user.len() as u64).to_le_bytes());
                h.update(&user);
            } else {
                h.update(&u64::MAX.to_le_bytes());
            }
        }
        h.update(&(limits.max_report_bytes as u64).to_le_bytes());
        h.update(&limits.max_decompressed_bytes.to_le_bytes());
        h.update(&(limits.max_line_bytes as u64).to_le_bytes());
        Ok(Cache {
            dir: root,
            fingerprint: h.digest128(),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            corrupt: AtomicUsize::new(0),
            write_failed: AtomicBool::new(false),
        })
    }

    fn key(&self, name: &str, bytes: &[u8]) -> u128 {
        let mut h = Xxh3::new();
        h.update(&self.fingerprint.to_le_bytes());
        h.update(&(name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(bytes);
        h.digest128()
    }

    fn path(&self, key: u128) -> PathBuf {
        let hex = format!("{key:032x}");
        self.dir.join(&hex[..2]).join(format!("{hex}.json"))
    }

    /// The cached reports of one file, or `None` (absent, or unreadable: then noted).
    fn load(&self, key: u128) -> Option<Vec<Raw>> {
        let path = self.path(key);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
            Err(e) => {
                self.note_corrupt(&path, &e.to_string());
                return None;
            }
        };
        match decode(&bytes) {
            Ok(v) => Some(v),
            Err(why) => {
                self.note_corrupt(&path, &why);
                None
            }
        }
    }

    fn note_corrupt(&self, path: &Path, why: &str) {
        self.corrupt.fetch_add(1, Ordering::Relaxed);
        eprintln!(
            "corro: cache: ignoring unreadable entry {} ({why}); recomputing it",
            path.display()
        );
    }

    /// Writes an entry atomically; a failure is noted once and otherwise ignored (the
    /// run's outputs never depend on the cache being writable).
    fn store(&self, key: u128, reports: &[Raw]) {
        let path = self.path(key);
        let result = (|| -> io::Result<()> {
            let parent = path.parent().unwrap_or(&self.dir);
            fs::create_dir_all(parent)?;
            let tmp = parent.join(format!(
                ".{key:032x}.tmp-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let mut f = fs::File::create(&tmp)?;
            let written = f.write_all(&encode(reports)).and_then(|_| f.flush());
            drop(f);
            match written.and_then(|_| fs::rename(&tmp, &path)) {
                Ok(()) => Ok(()),
                Err(e) => {
                    let _ = fs::remove_file(&tmp);
                    Err(e)
                }
            }
        })();
        if let Err(e) = result {
            if !self.write_failed.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "corro: cache: cannot write {} ({e}); continuing without storing",
                    path.display()
                );
            }
        }
    }

    /// One line for stderr: what the cache saved.
    pub fn report(&self) -> String {
        format!(
            "corro: cache: {} file(s) reused, {} read afresh{}",
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
            match self.corrupt.load(Ordering::Relaxed) {
                0 => String::new(),
                n => format!(", {n} unreadable entr(ies) recomputed"),
            }
        )
    }
}

/// Reads one found file through the cache.
fn extract_cached(
    found: &Found,
    limits: &Limits,
    lex: &Lexicons,
    cache: &Cache,
    shared: &Shared,
) -> Vec<Extracted> {
    let Found::File { path, name, note } = found else {
        return corpus::extract_file(found, limits, lex, shared);
    };
    // Same cap as the uncached reader; anything it would refuse (too large, unreadable) is
    // left to it, uncached, so the error row is worded exactly as without the cache.
    let cap = limits
        .max_decompressed_bytes
        .max(limits.max_report_bytes as u64);
    let mut bytes = Vec::new();
    let t = std::time::Instant::now();
    let read = fs::File::open(path).and_then(|f| f.take(cap + 1).read_to_end(&mut bytes));
    corpus::clock_read(t);
    if read.is_err() || bytes.len() as u64 > cap {
        return corpus::extract_file(found, limits, lex, shared);
    }
    let key = cache.key(name, &bytes);
    let mut reports = match cache.load(key) {
        Some(r) => {
            cache.hits.fetch_add(1, Ordering::Relaxed);
            r
        }
        None => {
            cache.misses.fetch_add(1, Ordering::Relaxed);
            // On the bytes hashed above (re-reading could see a file changed in between
            // and cache it under the wrong key).
            let r = corpus::extract_bytes(name, &bytes, limits, lex, |raw| raw);
            cache.store(key, &r);
            r
        }
    };
    // The walk's note depends on the file's name, not its content: added after the cache.
    if let Some(n) = note {
        for (e, _) in &mut reports {
            e.notes.push(n.clone());
        }
    }
    // Reduced after the entry is written: entries keep the mentions in full.
    reports
        .into_iter()
        .map(|raw| corpus::compact(raw, shared))
        .collect()
}

/// [`corpus::read_all`] through the cache: same result, in the same order.
pub fn read_all(
    found: &[Found],
    limits: &Limits,
    lex: &Lexicons,
    cache: &Cache,
    shared: &Shared,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Extracted> {
    let per_file: Vec<Vec<Extracted>> = found
        .par_iter()
        .map(|f| {
            let r = corpus::guarded(f, || extract_cached(f, limits, lex, cache, shared));
            progress(1);
            r
        })
        .collect();
    let mut out: Vec<Extracted> = per_file.into_iter().flatten().collect();
    // Duplicate ids span files, so they are marked after the cache, as an uncached run
    // marks them.
    corpus::mark_duplicates(&mut out);
    out
}

// ---- the on-disk form ------------------------------------------------------------------
//
// Mirrors of the library types, so the library crates need no serde. Conversions
// destructure every field: a field added upstream fails to compile here instead of being
// silently dropped from cached runs.

#[derive(Serialize, Deserialize)]
struct ReportRec {
    id: String,
    path: String,
    meta: MetaRec,
    sentences: usize,
    status: String,
    notes: Vec<String>,
    mentions: Vec<MentionRec>,
    signature: Option<(Vec<u64>, u32)>,
}

#[derive(Serialize, Deserialize)]
struct MetaRec {
    outlet: Option<String>,
    relayed_via: Vec<String>,
    published: Option<String>,
    place: Option<String>,
    author: Option<String>,
    title: Option<String>,
    language: Option<String>,
    url: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct MentionRec {
    start: usize,
    end: usize,
    text: String,
    sentence: usize,
    kind: String,
    stance: String,
    cue: Option<String>,
    speaker: Option<SpeakerRec>,
    via: Vec<String>,
    quantity: Option<QuantityRec>,
    concepts: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct SpeakerRec {
    text: String,
    name: String,
    kind: String,
    role: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct QuantityRec {
    start: usize,
    end: usize,
    kind: String,
    /// f64 bit patterns: JSON's decimal form need not round-trip exactly.
    low: Option<u64>,
    high: Option<u64>,
    approx: bool,
    unit: Option<String>,
    per: Option<String>,
}

fn encode(reports: &[Raw]) -> Vec<u8> {
    let recs: Vec<ReportRec> = reports.iter().map(|(e, m)| report_rec(e, m)).collect();
    let body = serde_json::to_vec(&recs).expect("serialising plain structs to memory");
    let mut out = format!("{MAGIC}{:016x}\n", xxh3_64(&body)).into_bytes();
    out.extend_from_slice(&body);
    out
}

fn decode(bytes: &[u8]) -> Result<Vec<Raw>, String> {
    let nl = memchr_newline(bytes).ok_or("no header line")?;
    let header = std::str::from_utf8(&bytes[..nl]).map_err(|_| "header is not UTF-8")?;
    let sum = header
        .strip_prefix(MAGIC)
        .ok_or("not a corro cache entry")?;
    let body = &bytes[nl + 1..];
    if format!("{:016x}", xxh3_64(body)) != sum {
        return Err("checksum mismatch".into());
    }
    let recs: Vec<ReportRec> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    recs.into_iter().map(extracted).collect()
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

fn report_rec(e: &Extracted, mentions: &[Extraction]) -> ReportRec {
    let Extracted {
        id,
        path,
        meta,
        sentences,
        status,
        notes,
        // Entries are written before the report is reduced: the mentions are in full
        // in `mentions`.
        mentions: _,
        concepts: _,
        signature,
        // Where the run spilled its texts: not the entry's business.
        texts: _,
    } = e;
    let Metadata {
        outlet,
        relayed_via,
        published,
        place,
        author,
        title,
        language,
        url,
    } = meta;
    ReportRec {
        id: id.clone(),
        path: path.clone(),
        meta: MetaRec {
            outlet: outlet.clone(),
            relayed_via: relayed_via.clone(),
            published: published.map(|d| d.to_string()),
            place: place.clone(),
            author: author.clone(),
            title: title.clone(),
            language: language.clone(),
            url: url.clone(),
        },
        sentences: *sentences,
        status: status.as_str().to_string(),
        notes: notes.clone(),
        mentions: mentions.iter().map(mention_rec).collect(),
        signature: signature.as_deref().map(|s| {
            let Signature { mins, shingles } = s;
            (mins.to_vec(), *shingles)
        }),
    }
}

fn mention_rec(row: &Extraction) -> MentionRec {
    let Extraction {
        mention,
        start,
        end,
        sentence: text,
    } = row;
    let Mention {
        sentence,
        kind,
        stance,
        cue,
        speaker,
        via,
        quantity,
        concepts,
    } = mention;
    MentionRec {
        start: *start,
        end: *end,
        text: text.to_string(),
        sentence: *sentence,
        kind: kind.as_str().to_string(),
        stance: stance.as_str().to_string(),
        cue: cue.clone(),
        speaker: speaker.as_ref().map(|s| {
            let Speaker {
                text,
                name,
                kind,
                role,
            } = s;
            SpeakerRec {
                text: text.to_string(),
                name: name.clone(),
                kind: kind.as_str().to_string(),
                role: role.clone(),
            }
        }),
        via: via.clone(),
        quantity: quantity.as_ref().map(|q| {
            let Quantity {
                start,
                end,
                kind,
                low,
                high,
                approx,
                unit,
                per,
            } = q;
            QuantityRec {
                start: *start,
                end: *end,
                kind: kind.as_str().to_string(),
                low: low.map(f64::to_bits),
                high: high.map(f64::to_bits),
                approx: *approx,
                unit: unit.clone(),
                per: per.clone(),
            }
        }),
        concepts: concepts.clone(),
    }
}

fn extracted(r: ReportRec) -> Result<Raw, String> {
    let m = r.meta;
    let published = match m.published {
        // The type is the library's date type, inferred from the field.
        Some(s) => Some(s.parse().map_err(|_| format!("bad date {s:?}"))?),
        None => None,
    };
    let signature = match r.signature {
        Some((mins, shingles)) => Some(Box::new(Signature {
            mins: mins.try_into().map_err(|_| "bad signature length")?,
            shingles,
        })),
        None => None,
    };
    let mentions = shared_sentences(
        r.mentions
            .into_iter()
            .map(mention_row)
            .collect::<Result<_, _>>()?,
    );
    let row = Extracted {
        id: r.id,
        path: r.path,
        meta: Metadata {
            outlet: m.outlet,
            relayed_via: m.relayed_via,
            published,
            place: m.place,
            author: m.author,
            title: m.title,
            language: m.language,
            url: m.url,
        },
        sentences: r.sentences,
        status: parse_status(&r.status)?,
        notes: r.notes,
        mentions: Vec::new(),
        concepts: Vec::new(),
        signature,
        texts: 0,
    };
    Ok((row, mentions))
}

/// One sentence text for the mentions of one sentence, as an extracting run shares it:
/// an entry stores the text with each mention, and a copy per mention made a cached
/// run's memory larger than an uncached one's.
fn shared_sentences(mut rows: Vec<Extraction>) -> Vec<Extraction> {
    for k in 1..rows.len() {
        let (before, after) = rows.split_at_mut(k);
        let (prev, row) = (&before[k - 1], &mut after[0]);
        if prev.mention.sentence == row.mention.sentence && prev.sentence == row.sentence {
            row.sentence = prev.sentence.clone();
        }
    }
    rows
}

fn mention_row(m: MentionRec) -> Result<Extraction, String> {
    let speaker = match m.speaker {
        Some(s) => Some(Speaker {
            text: s.text,
            name: s.name,
            kind: parse_speaker_kind(&s.kind)?,
            role: s.role,
        }),
        None => None,
    };
    let quantity = match m.quantity {
        Some(q) => Some(Quantity {
            start: q.start,
            end: q.end,
            kind: parse_quantity_kind(&q.kind)?,
            low: q.low.map(f64::from_bits),
            high: q.high.map(f64::from_bits),
            approx: q.approx,
            unit: q.unit,
            per: q.per,
        }),
        None => None,
    };
    Ok(Extraction {
        mention: Mention {
            sentence: m.sentence,
            kind: parse_claim_kind(&m.kind)?,
            stance: parse_stance(&m.stance)?,
            cue: m.cue,
            speaker,
            via: m.via,
            quantity,
            concepts: m.concepts,
        },
        start: m.start,
        end: m.end,
        sentence: m.text.into(),
    })
}

// Enum names are read back through each type's own `as_str`, so the mapping cannot drift
// from the library's; an unknown name makes the entry unreadable (recomputed).

fn parse_by_name<T: Copy>(
    all: &[T],
    name: &str,
    as_str: fn(T) -> &'static str,
    what: &str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|v| as_str(*v) == name)
        .ok_or_else(|| format!("unknown {what} {name:?}"))
}

fn parse_status(s: &str) -> Result<Status, String> {
    parse_by_name(
        &[Status::Ok, Status::Skipped, Status::Error],
        s,
        Status::as_str,
        "status",
    )
}

fn parse_stance(s: &str) -> Result<Stance, String> {
    parse_by_name(
        &[Stance::Supports, Stance::Denies, Stance::Discusses],
        s,
        Stance::as_str,
        "stance",
    )
}

fn parse_claim_kind(s: &str) -> Result<ClaimKind, String> {
    use ClaimKind::*;
    parse_by_name(
        &[Count, Money, Duration, Percent, Measure, Event],
        s,
        ClaimKind::as_str,
        "claim kind",
    )
}

fn parse_quantity_kind(s: &str) -> Result<QuantityKind, String> {
    use QuantityKind::*;
    parse_by_name(
        &[Count, Money, Duration, Percent, Measure],
        s,
        QuantityKind::as_str,
        "quantity kind",
    )
}

fn parse_speaker_kind(s: &str) -> Result<SpeakerKind, String> {
    use SpeakerKind::*;
    parse_by_name(
        &[Person, Government, Organisation, Anonymous, Outlet],
        s,
        SpeakerKind::as_str,
        "speaker kind",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Raw> {
        let lex = corro_claims::testing::lexicons();
        let ex = corro_claims::Extractor::new(&lex);
        let text = b"outlet: Reuters\ndate: 2020-10-02\n\nTurkey sent about 1,500 Syrian fighters to Azerbaijan, Omer Celik said.\nBaku denied that Turkey sent Syrian fighters to Azerbaijan.\n";
        corro_parse::read_source("a.txt", text, &Limits::default(), &lex.outlets)
            .iter()
            .map(|r| corpus::extract_report(r, &ex))
            .collect()
    }

    fn same(a: &[Raw], b: &[Raw]) {
        // Extracted has no PartialEq; its Debug form shows every field, floats exactly.
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn an_entry_round_trips_exactly() {
        let r = sample();
        assert!(!r[0].1.is_empty(), "the sample has mentions");
        assert!(r[0].0.meta.published.is_some());
        same(&decode(&encode(&r)).unwrap(), &r);
    }

    #[test]
    fn the_mentions_of_one_sentence_share_its_text_after_a_round_trip() {
        let r = decode(&encode(&sample())).unwrap();
        let ms = &r[0].1;
        let pairs: Vec<_> = ms
            .windows(2)
            .filter(|w| w[0].mention.sentence == w[1].mention.sentence)
            .collect();
        assert!(
            !pairs.is_empty(),
            "the sample has a sentence with two mentions"
        );
        for w in pairs {
            assert!(std::sync::Arc::ptr_eq(&w[0].sentence, &w[1].sentence));
        }
    }

    #[test]
    fn a_quantity_round_trips_bit_for_bit() {
        let mut r = sample();
        r[0].1[0].mention.quantity = Some(Quantity {
            start: 1,
            end: 9,
            kind: QuantityKind::Money,
            low: Some(0.1 + 0.2),
            high: None,
            approx: true,
            unit: Some("USD".into()),
            per: Some("month".into()),
        });
        same(&decode(&encode(&r)).unwrap(), &r);
    }

    #[test]
    fn damaged_entries_are_refused_not_trusted() {
        let good = encode(&sample());
        let mut flipped = good.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("truncated", good[..good.len() / 2].to_vec()),
            ("bit flip", flipped),
            ("not ours", b"hello\nworld".to_vec()),
            ("binary", vec![0xff; 64]),
        ];
        for (what, bytes) in cases {
            assert!(decode(&bytes).is_err(), "{what} was accepted");
        }
    }

    #[test]
    fn a_valid_checksum_over_bad_values_is_still_refused() {
        let body = br#"[{"id":"a","path":"a","meta":{"outlet":null,"relayed_via":[],"published":"not a date","place":null,"author":null,"title":null,"language":null,"url":null},"sentences":0,"status":"ok","notes":[],"mentions":[],"signature":null}]"#;
        let mut bytes = format!("{MAGIC}{:016x}\n", xxh3_64(body)).into_bytes();
        bytes.extend_from_slice(body);
        let err = decode(&bytes).unwrap_err();
        assert!(err.contains("bad date"), "{err}");
    }
}
