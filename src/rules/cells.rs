//! The numeric cells the cell rules look at: every value cell of a bound template row with
//! its column kind, and every other cell a relation reads. Invariant: each cell is listed
//! once, template cells first. Also the template tables from which no number was read, so
//! that the rules say so once per table instead of once per row or cell.

use super::Context;
use crate::bind::{columns, CellRef, TemplateBinding};
use crate::document::table::Cell;
use crate::profile::ValueKind;
use std::collections::HashSet;

/// A cell where a number belongs, and what kind of number.
pub struct NumericCell {
    pub cell: CellRef,
    pub kind: ValueKind,
}

/// Every cell where the profile or a relation expects a number and that `wanted` keeps
/// (given the cell and the kind of number expected there). Only kept cells are remembered,
/// so a large table of good numbers costs nothing here.
pub fn numeric_cells(
    context: &Context,
    wanted: impl Fn(&Cell, ValueKind) -> bool,
) -> Vec<NumericCell> {
    let mut seen = HashSet::new();
    let mut cells = Vec::new();
    let mut keep = |cell: CellRef, kind: ValueKind| {
        if context.cell(cell).is_some_and(|found| wanted(found, kind)) && seen.insert(cell) {
            cells.push(NumericCell { cell, kind });
        }
    };
    for binding in &context.bindings.templates {
        for bound in &binding.rows {
            let Some(values) = &bound.values else {
                continue;
            };
            for (column, &cell) in columns(binding.template, bound).iter().zip(values) {
                keep(CellRef::new(bound.block, bound.row, cell), column.kind);
            }
        }
    }
    for relation in &context.relations.list {
        let has_number = relation.cells().any(|cell| {
            context
                .cell(cell)
                .is_some_and(|found| found.number().is_some())
        });
        if has_number {
            for cell in relation.cells() {
                keep(cell, ValueKind::Number);
            }
        }
    }
    cells
}

/// A template table that was found (its rows' labels matched) but from which not one number
/// was read: every total in it is unchecked. The rules report it once, naming the table,
/// and leave out the per-row and per-cell findings the same cause would pile up.
pub struct UnreadTable<'c, 'p> {
    pub binding: &'c TemplateBinding<'p>,
    /// Rows whose value cells do not match the template's columns (`table-shape`).
    pub shape_errors: usize,
    /// Value cells that are empty or a placeholder (`blank-cell`).
    pub blanks: usize,
    /// Value cells holding text (`invalid-number`).
    pub texts: usize,
}

impl UnreadTable<'_, '_> {
    /// True when `block` is one of the table's text tables.
    pub fn holds(&self, block: usize) -> bool {
        self.binding.blocks.contains(&block)
    }
}

/// The template tables of the document from which no number was read.
pub fn unread_tables<'c, 'p>(context: &'c Context<'p>) -> Vec<UnreadTable<'c, 'p>> {
    let mut unread = Vec::new();
    for binding in &context.bindings.templates {
        let mut found = UnreadTable {
            binding,
            shape_errors: 0,
            blanks: 0,
            texts: 0,
        };
        let numbers = if binding.template.outline {
            // A 统计表 is read by its outline, not by template rows: any number in it counts.
            binding
                .blocks
                .iter()
                .filter_map(|&block| context.table(block))
                .flat_map(crate::document::table::Table::rows)
                .flat_map(|row| row.cells)
                .any(|cell| cell.number().is_some())
        } else {
            bound_numbers(context, binding, &mut found)
        };
        if !numbers {
            unread.push(found);
        }
    }
    unread
}

/// Counts the bound rows' shape errors and non-number value cells into `found`; true when
/// some value cell holds a number.
fn bound_numbers(context: &Context, binding: &TemplateBinding, found: &mut UnreadTable) -> bool {
    let mut numbers = false;
    for bound in &binding.rows {
        if bound.shape_error.is_some() {
            found.shape_errors += 1;
        }
        for &cell in bound.values.iter().flatten() {
            let Some(cell) = context.cell(CellRef::new(bound.block, bound.row, cell)) else {
                continue;
            };
            if cell.number().is_some() {
                numbers = true;
            } else if cell.is_blank() {
                found.blanks += 1;
            } else if cell.is_text() {
                found.texts += 1;
            }
        }
    }
    numbers
}
