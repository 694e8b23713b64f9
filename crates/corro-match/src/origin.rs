//! Origins: the independence key of a mention.
//!
//! - a named speaker is its own origin, whoever quotes it: "Omer Celik", "Azerbaijan
//!   (government)" — ten outlets quoting one minister are one origin;
//! - an anonymous source is keyed by the outlet that received it: "anonymous source via
//!   North Press", "a Syrian national via CNN" — however many outlets repeat CNN;
//! - the outlet's own voice is keyed by the outlet the text comes from: the end of the
//!   relay chain ("UrduPoint News / Sputnik" → Sputnik) of the copy family's first report.
//!
//! Within one report, the outlet's own-voice mentions of a claim restate the sources the
//! same report gives for it; they are folded into that report's first attributed origin
//! for the claim (see `score`).

use corro_claims::SpeakerKind;

use crate::{Claim, NameTable, ReportFacts};

/// The outlet a report's own voice stands for: the deepest relay, else the outlet, else
/// the report itself.
pub fn voice_of(report: &ReportFacts) -> String {
    if let Some(last) = report.relayed_via.last() {
        return last.clone();
    }
    match &report.outlet {
        Some(o) => o.clone(),
        None => format!("report {}", report.id),
    }
}

/// The origin key of a mention, given the report it is in and that report's copy-family
/// root (`names`: the run's strings).
pub fn of(m: &Claim, family_root: &ReportFacts, names: &NameTable) -> String {
    let voice = || match m.via {
        Some(v) => names.get(v).to_string(),
        None => voice_of(family_root),
    };
    match &m.source {
        None => voice(),
        Some(s) => match s.kind {
            SpeakerKind::Person
            | SpeakerKind::Government
            | SpeakerKind::Organisation
            | SpeakerKind::Outlet => names.get(s.name).to_string(),
            SpeakerKind::Anonymous => format!("{} via {}", names.get(s.name), voice()),
        },
    }
}

/// True when the mention is in the outlet's own voice (no speaker).
pub fn is_own_voice(m: &Claim) -> bool {
    m.source.is_none() && m.via.is_none()
}
