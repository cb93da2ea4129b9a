//! reportlint: checks report drafts (sections, tables, totals) and repairs wrong totals.
//! The core (`document`, `profile`, `rules`, `diagnostic`, `fix`) is pure and does no IO;
//! the `cli` and `lsp` modules are thin shells over it, compiled only with their features;
//! `workspace` finds and loads the configuration files both shells share.

pub mod analysis;
pub mod bind;
#[cfg(feature = "cli")]
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod evidence;
pub mod fix;
pub mod line_index;
pub mod lint;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod message;
pub mod number;
pub mod profile;
pub mod relations;
pub mod rules;
pub mod suppress;
pub mod text;
pub mod workspace;
