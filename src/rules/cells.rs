//! The numeric cells the cell rules look at: every value cell of a bound template row with
//! its column kind, and every other cell a relation reads. Invariant: each cell is listed
//! once, template cells first.

use super::Context;
use crate::bind::{columns, CellRef};
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
                keep(
                    CellRef {
                        block: bound.block,
                        row: bound.row,
                        cell,
                    },
                    column.kind,
                );
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
