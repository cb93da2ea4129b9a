//! The numeric cells the cell rules look at: every value cell of a bound template row with
//! its column kind, and every other cell a relation reads. Invariant: each cell is listed
//! once, template cells first.

use super::Context;
use crate::bind::{columns, CellRef};
use crate::profile::ValueKind;
use std::collections::HashSet;

/// A cell where a number belongs, and what kind of number.
pub struct NumericCell {
    pub cell: CellRef,
    pub kind: ValueKind,
}

/// Every cell where the profile or a relation expects a number.
pub fn numeric_cells(context: &Context) -> Vec<NumericCell> {
    let mut seen = HashSet::new();
    let mut cells = Vec::new();
    for binding in &context.bindings.templates {
        let template = binding.template;
        for bound in &binding.rows {
            let Some(values) = &bound.values else {
                continue;
            };
            for (column, &cell) in columns(template, bound).iter().zip(values) {
                let cell = CellRef {
                    block: bound.block,
                    row: bound.row,
                    cell,
                };
                if seen.insert(cell) {
                    cells.push(NumericCell {
                        cell,
                        kind: column.kind,
                    });
                }
            }
        }
    }
    for relation in &context.relations.list {
        let has_number = relation.cells().any(|cell| {
            context
                .cell(cell)
                .is_some_and(|found| found.number().is_some())
        });
        for cell in relation.cells() {
            if has_number && seen.insert(cell) {
                cells.push(NumericCell {
                    cell,
                    kind: ValueKind::Number,
                });
            }
        }
    }
    cells
}
