//! # corro-claims: what each report claims, who says it, and whether they mean it
//!
//! Given a parsed [`corro_parse::Report`], the [`Extractor`] walks its sentences and
//! returns [`Mention`]s: the quantity claims ("about a thousand armed mercenaries" →
//! count ≈1000 `fighter`) and event claims ("Turkey is sending Syrian fighters to
//! Azerbaijan") each sentence makes, with
//!
//! - a [`Stance`]: supports, denies or discusses ([`stance`]);
//! - an attribution: the [`Speaker`] and the outlets it came through ([`attribution`]);
//! - a normalised form ([`Mention::concepts`]) that the matcher compares.
//!
//! Quantities are read by [`quantity`]. Every cue, alias and unit comes from
//! [`Lexicons`], built from the files in `data/`.
//!
//! For a watch list (`corro track`), [`relate`] measures how a whole report bears on a
//! claim (overlap, cues near the claim) and [`model`] turns the measurements into
//! related / unrelated and a stance with learned, named weights (`data/stance_model.csv`).
//!
//! ```
//! # use corro_claims::*;
//! # let lex = corro_claims::testing::lexicons();
//! let ex = Extractor::new(&lex);
//! let m = ex.extract_sentence("These accusations were denied by Baku.");
//! assert!(m.is_empty()); // nothing to point back to in a stand-alone sentence
//! let m = ex.extract_sentence("Omer Celik denied that Turkey sent Syrian fighters to Azerbaijan.");
//! assert_eq!(m[0].stance, Stance::Denies);
//! assert_eq!(m[0].speaker.as_ref().unwrap().name, "Omer Celik");
//! ```
//!
//! This crate never reads files and knows nothing of clusters or output formats.

pub mod attribution;
pub mod conformance;
pub mod lexicon;
pub mod mention;
pub mod model;
pub mod quantity;
pub mod relate;
pub mod stance;
pub mod text;

pub use attribution::{Speaker, SpeakerKind};
pub use lexicon::{LexiconSources, Lexicons};
pub use mention::{ClaimKind, Extractor, Mention};
pub use quantity::{Quantity, QuantityKind, UnitLexicon};
pub use stance::Stance;

/// The lexicons shipped in `data/`, for tests and examples of this crate.
#[doc(hidden)]
pub mod testing {
    use super::*;

    pub fn lexicons() -> Lexicons {
        Lexicons::from_sources(&LexiconSources {
            units: include_str!("../../../data/units.csv"),
            currencies: include_str!("../../../data/currencies.csv"),
            entities: include_str!("../../../data/entities.csv"),
            predicates: include_str!("../../../data/predicates.csv"),
            cues: include_str!("../../../data/cues.csv"),
            stopwords: include_str!("../../../data/stopwords.txt"),
            outlets: include_str!("../../../data/outlets.csv"),
            titles: include_str!("../../../data/titles.txt"),
            documents: include_str!("../../../data/documents.txt"),
            unnamed: include_str!("../../../data/unnamed.txt"),
            publications: include_str!("../../../data/publications.txt"),
            bodies: include_str!("../../../data/bodies.txt"),
        })
        .expect("shipped lexicons parse")
    }
}
