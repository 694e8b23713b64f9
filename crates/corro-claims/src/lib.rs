//! # corro-claims: claim mentions in report sentences
//!
//! placeholder overview (being written)

pub mod conformance;
pub mod quantity;

pub use quantity::{Quantity, QuantityKind, UnitLexicon};
