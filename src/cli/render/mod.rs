//! Rendering: turns diagnostics, which point at byte ranges, into what people and machines
//! read — plain or coloured text for terminals, a stable JSON document, SARIF for code
//! scanning, and GitHub workflow commands for pull-request annotations.
//!
//! This is the only place in the command-line shell where byte offsets become lines and
//! columns, so every format agrees on where a finding is. Invariant: lines and columns are
//! 1-based, columns count Unicode characters (`char`s, i.e. code points), and end positions
//! are exclusive; lines are counted by `crate::line_index` (`\n`, `\r\n` and a lone `\r`
//! end a line, as editors count them). Display columns (how wide text is on a
//! terminal) are used only to place carets under source lines and never leave this module.

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::fix::Fix;
use crate::line_index::{floor_char_boundary, LineIndex, Position};
use crate::lint::Checked;
use crate::rules::RuleMeta;
use serde::Serialize;
use std::io::{self, Write};
use text_size::TextRange;
use unicode_width::UnicodeWidthStr;

/// One checked file and everything found in it, as the renderers need it.
#[derive(Debug, Clone, Copy)]
pub struct FileResult<'a> {
    /// The path as the user gave it; printed unchanged except where a format demands a URI.
    pub path: &'a str,
    /// The name of the profile the file was checked against, e.g. `gov-2019`.
    pub profile: &'a str,
    /// Why that profile, e.g. `title year 2023` (the words of JSON and SARIF).
    pub profile_reason: &'a str,
    /// The same in Chinese, for `--verbose --lang zh`.
    pub profile_reason_zh: &'a str,
    /// What the engine read and checked in the file.
    pub checked: Checked,
    /// The exact text the diagnostics' byte ranges point into.
    pub text: &'a str,
    /// The findings, in the order they are to be printed (the caller sorts them).
    pub diagnostics: &'a [Diagnostic],
}

/// How many files were checked and how many findings of each severity they had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// The number of files checked, including those with no findings.
    pub files: usize,
    /// The number of error diagnostics.
    pub errors: usize,
    /// The number of warning diagnostics.
    pub warnings: usize,
    /// The number of info diagnostics.
    pub infos: usize,
}

impl Summary {
    /// Counts the files and the diagnostics of each severity.
    pub fn of(files: &[FileResult]) -> Summary {
        let mut summary = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for diagnostic in files.iter().flat_map(|file| file.diagnostics) {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }

    /// Every diagnostic, whatever its severity.
    fn findings(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// A range as two positions, the end exclusive; the shape every structured format uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Span {
    start: Position,
    end: Position,
}

impl Span {
    fn of(index: &LineIndex, text: &str, range: TextRange) -> Span {
        Span {
            start: index.position(text, range.start().into()),
            end: index.position(text, range.end().into()),
        }
    }
}

mod github;
mod json;
mod sarif;
mod text;

pub use github::render_github;
pub use json::render_json;
pub use sarif::render_sarif;
pub use text::{render_text, TextOptions};

/// What the format tests share: a sample report with findings, and a way to capture output.
#[cfg(test)]
mod test_support {
    use super::*;
    pub use crate::diagnostic::{Message, Related};
    pub use crate::fix::{Applicability, Fix};
    pub use serde_json::{json, Value};
    pub use text_size::{TextRange, TextSize};

    pub fn range(start: u32, end: u32) -> TextRange {
        TextRange::new(TextSize::from(start), TextSize::from(end))
    }

    pub fn render(renderer: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> String {
        let mut buffer = Vec::new();
        renderer(&mut buffer).unwrap();
        String::from_utf8(buffer).unwrap()
    }

    /// A table row whose total, `12`, is wrong; the cells `5` and `8` are related.
    pub const SAMPLE: &str = "# Budget\n| a | b | total |\n| 5 | 8 | 12 |\n";

    pub fn sample_diagnostics() -> Vec<Diagnostic> {
        let total = SAMPLE.find("12").unwrap() as u32;
        let five = SAMPLE.find('5').unwrap() as u32;
        let eight = SAMPLE.find('8').unwrap() as u32;
        vec![
            Diagnostic::new(
                "sum-mismatch",
                Severity::Error,
                range(total, total + 2),
                Message::new(
                    "Total is 12 but the cells add up to 13",
                    "合计为 12，但各项之和为 13",
                ),
            )
            .with_related(vec![
                Related {
                    range: range(five, five + 1),
                    message: Message::new("summed cell", "参与求和的单元格"),
                },
                Related {
                    range: range(eight, eight + 1),
                    message: Message::new("summed cell", "参与求和的单元格"),
                },
            ])
            .with_fix(Some(Fix::replace(
                Message::new("Replace 12 with 13", "将 12 改为 13"),
                Applicability::Safe,
                range(total, total + 2),
                "13".to_string(),
            ))),
            Diagnostic::new(
                "missing-section",
                Severity::Warning,
                range(0, 8),
                Message::new("Section \"Summary\" is missing", "缺少“摘要”一节"),
            ),
        ]
    }

    /// What a small clean table gives: one table, one total checked.
    pub const CHECKED: Checked = Checked {
        tables: 1,
        template_tables: 0,
        totals: 1,
        unchecked_totals: 0,
        expects_tables: false,
    };

    pub const COLOUR: TextOptions = TextOptions {
        color: true,
        verbose: false,
    };

    /// A file `a.md` holding `text`, with these findings.
    pub fn one_file<'a>(text: &'a str, diagnostics: &'a [Diagnostic]) -> FileResult<'a> {
        FileResult {
            path: "a.md",
            profile: "p",
            profile_reason: "test",
            profile_reason_zh: "test",
            checked: CHECKED,
            text,
            diagnostics,
        }
    }

    pub fn sample_file(diagnostics: &[Diagnostic]) -> FileResult<'_> {
        FileResult {
            path: "docs/report.md",
            profile: "gov-2019",
            profile_reason: "test",
            profile_reason_zh: "test",
            checked: CHECKED,
            text: SAMPLE,
            diagnostics,
        }
    }
}
