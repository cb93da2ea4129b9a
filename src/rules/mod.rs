//! The rule registry and the context rules read: every rule's name, default severity and
//! documentation, and its check. Invariant: rule names are unique kebab-case names of
//! defects; each rule lives in its own file with its docs; adding a rule touches that file,
//! one line of `RULES`, and its fixtures.

mod arithmetic;
mod balance_mismatch;
mod blank_cell;
mod cells;
mod empty_section;
mod invalid_number;
mod label_mismatch;
mod missing_row;
mod missing_section;
mod mixed_units;
mod section_order;
mod sections;
mod sum_mismatch;
mod table_shape;
mod wrong_format;

use crate::bind::{Bindings, CellRef};
use crate::diagnostic::{Diagnostic, Message, Severity};
use crate::document::table::{Cell, Row, Table};
use crate::document::Document;
use crate::profile::Selection;
use crate::relations::naming::cell_name;
use crate::relations::{CellName, Finding, Relation, Relations, Subject};

/// What the shells need to know about a rule without running it.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// The rule's name: the `code` of its diagnostics and the key users put in config.
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line, for `reportlint rule` and SARIF.
    pub summary: &'static str,
    /// The whole documentation, Markdown, for `reportlint rule NAME`.
    pub docs: &'static str,
}

/// A rule: its metadata, what it reads, and its check.
pub struct Rule {
    pub meta: RuleMeta,
    pub reads: Reads,
    pub check: fn(&Context, &mut Report),
}

/// What a rule reads, which decides the contexts it runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// The document as a whole: its sections, the profile selection, the template bindings.
    /// Runs once, in the document's context.
    Document,
    /// Tables and their relations, through `Context::tables` and the context's relations
    /// and findings only: runs in the document's context (the template tables) and in the
    /// context of each free table, and what it finds in one table depends on that table
    /// alone.
    Tables,
}

/// Which tables a context holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The tables bound to templates, and the whole document for the `Reads::Document`
    /// rules.
    Document,
    /// One table no template claimed (block index): its relations come from its own total
    /// labels and connect it to no other table.
    FreeTable(usize),
}

/// Where one rule's findings go. It knows the rule, so a finding carries the rule's name and
/// default severity without the rule naming itself, and it applies the severity the user
/// configured for the rule. (Inline suppressions are applied to the whole analysis by
/// `Suppressions::retain`: a free table's findings are kept across edits, its comments not.)
pub struct Report<'a> {
    meta: &'static RuleMeta,
    /// The severity the configuration sets for every finding of the rule.
    severity: Option<Severity>,
    found: &'a mut Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub fn new(
        meta: &'static RuleMeta,
        severity: Option<Severity>,
        found: &'a mut Vec<Diagnostic>,
    ) -> Report<'a> {
        Report {
            meta,
            severity,
            found,
        }
    }

    /// A finding of this rule at its default severity, to complete (related cells, a fix,
    /// a severity of its own) and `push`.
    pub fn finding(&self, range: text_size::TextRange, message: Message) -> Diagnostic {
        Diagnostic::new(self.meta.code, self.meta.default_severity, range, message)
    }

    /// Adds a finding. A configured severity applies to every finding; without one, the
    /// rule's own choice stands (an info-level unknown row).
    pub fn push(&mut self, mut diagnostic: Diagnostic) {
        debug_assert_eq!(
            diagnostic.code, self.meta.code,
            "made by another rule's report"
        );
        if let Some(severity) = self.severity {
            diagnostic.severity = severity;
        }
        self.found.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }
}

/// Every rule, in the order `reportlint rule` lists them.
pub const RULES: &[Rule] = &[
    missing_section::RULE,
    section_order::RULE,
    empty_section::RULE,
    table_shape::RULE,
    label_mismatch::RULE,
    missing_row::RULE,
    blank_cell::RULE,
    invalid_number::RULE,
    sum_mismatch::RULE,
    balance_mismatch::RULE,
    mixed_units::RULE,
    wrong_format::RULE,
];

/// Looks a rule up by name.
pub fn find(code: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|rule| &rule.meta)
        .find(|meta| meta.code == code)
}

/// Every rule name, in registry order.
pub fn codes() -> Vec<&'static str> {
    RULES.iter().map(|rule| rule.meta.code).collect()
}

/// Everything the rules read about one part of a document, computed once.
pub struct Context<'a> {
    pub source: &'a str,
    pub document: &'a Document,
    pub part: Part,
    pub selection: Selection<'a>,
    /// The template bindings (none in a free table's context).
    pub bindings: Bindings<'a>,
    /// The relations of the part's tables, and the culprit search over them.
    pub relations: Relations,
    pub findings: Vec<Finding>,
    /// The headings matched to the profile's sections (`sections::match_sections`).
    pub matched_sections: std::sync::OnceLock<Vec<sections::MatchedSection>>,
}

impl Context<'_> {
    /// The tables of this part, in document order: the bound tables, or the free table.
    pub fn tables(&self) -> impl Iterator<Item = (usize, &Table)> {
        let blocks = match self.part {
            Part::Document => {
                let mut bound: Vec<usize> = self
                    .bindings
                    .templates
                    .iter()
                    .flat_map(|binding| binding.blocks.iter().copied())
                    .collect();
                bound.sort_unstable();
                bound.dedup();
                bound
            }
            Part::FreeTable(block) => vec![block],
        };
        blocks
            .into_iter()
            .filter_map(|block| Some((block, self.document.table(block)?)))
    }

    pub fn table(&self, block: usize) -> Option<&Table> {
        self.document.table(block)
    }

    pub fn cell(&self, cell: CellRef) -> Option<&Cell> {
        self.table(cell.block())?
            .get_row(cell.row())?
            .cells
            .get(cell.cell())
    }

    /// Where a cell is in the text.
    pub fn cell_range(&self, cell: CellRef) -> Option<text_size::TextRange> {
        Some(self.table(cell.block())?.cell_range(self.cell(cell)?))
    }

    /// The text of a cell, trimmed.
    pub fn cell_text(&self, cell: CellRef) -> &str {
        self.cell_range(cell)
            .map_or("", |range| &self.source[range])
    }

    /// The row and column labels of a cell, for messages.
    pub fn cell_name(&self, cell: CellRef) -> CellName {
        cell_name(self.source, self.document, &self.bindings, cell)
    }

    /// "“4. 保护第三方合法权益” · 自然人".
    pub fn describe(&self, cell: CellRef) -> String {
        self.cell_name(cell).describe()
    }

    /// True when a template says the cell holds a count (a whole number).
    pub fn is_count(&self, cell: CellRef) -> bool {
        self.bindings.templates.iter().any(|binding| {
            binding.rows.iter().any(|bound| {
                bound.block == cell.block()
                    && bound.row == cell.row()
                    && bound
                        .values
                        .as_ref()
                        .and_then(|values| values.iter().position(|&index| index == cell.cell()))
                        .is_some_and(|position| {
                            crate::bind::columns(binding.template, bound)
                                .get(position)
                                .is_some_and(|column| {
                                    matches!(
                                        column.kind,
                                        crate::profile::ValueKind::Count
                                            | crate::profile::ValueKind::Signed
                                    )
                                })
                        })
            })
        })
    }

    /// What a relation checks, in words: totals are named from their cell's row and column.
    pub fn subject(&self, relation: &Relation) -> Message {
        let total = relation
            .total()
            .map(|cell| self.cell_name(cell))
            .unwrap_or_default();
        match &relation.subject {
            Subject::Text(message) => (**message).clone(),
            Subject::RowTotal if total.row.is_empty() => {
                Message::new(format!("the {}", total.column), total.column.clone())
            }
            Subject::RowTotal => Message::new(
                format!("the {} of row “{}”", total.column, total.row),
                format!("“{}”行的{}", total.row, total.column),
            ),
            Subject::ColumnTotal => Message::new(
                format!("the “{}” of column {}", total.row, total.column),
                format!("{}列的“{}”", total.column, total.row),
            ),
        }
    }

    /// The cell that names a row: its last label cell, else its first cell.
    pub fn row_label_cell<'r>(&self, row: &'r Row) -> Option<&'r Cell> {
        row.label_cells()
            .iter()
            .rev()
            .find(|cell| cell.is_text())
            .or(row.cells.first())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            let code = rule.meta.code;
            assert!(seen.insert(code), "{code} registered twice");
            assert!(
                code.chars()
                    .all(|character| character.is_ascii_lowercase() || character == '-'),
                "{code}"
            );
            assert!(
                rule.meta.docs.starts_with(&format!("# {code}")),
                "{code}: docs must start with its name"
            );
            for part in ["## What it finds", "## Why", "## Example", "## Fix"] {
                assert!(rule.meta.docs.contains(part), "{code}: docs lack {part}");
            }
        }
    }
}
