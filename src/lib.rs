//! reportlint: checks report drafts (sections, tables, totals) and repairs wrong totals.
//! The core (`document`, `profile`, `rules`, `diagnostic`, `fix`) is pure and does no IO;
//! the `cli` module is a thin shell over it, compiled only with the `cli` feature.

pub mod diagnostic;
pub mod fix;
pub mod rules;
