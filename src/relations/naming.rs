//! Names for cells in messages, computed on demand: the row's label and the column's label,
//! from the template a table is bound to, or from the table's own header row.

use super::generic::header_row;
use super::{short_label, CellName};
use crate::bind::{columns, Bindings, CellRef};
use crate::document::Document;

/// The row and column labels of a cell.
pub fn cell_name(
    source: &str,
    document: &Document,
    bindings: &Bindings,
    cell: CellRef,
) -> CellName {
    let Some(table) = document.table(cell.block()) else {
        return CellName::default();
    };
    let Some(row) = table.get_row(cell.row()) else {
        return CellName::default();
    };
    for binding in bindings
        .templates
        .iter()
        .filter(|binding| binding.blocks.contains(&cell.block()))
    {
        let template = binding.template;
        if template.outline {
            let column = template
                .columns
                .first()
                .map_or("", |column| column.label.as_str());
            return CellName {
                row: short_label(table.row_label(source, &row)),
                column: short_label(column),
            };
        }
        let Some(bound) = binding
            .rows
            .iter()
            .find(|bound| bound.block == cell.block() && bound.row == cell.row())
        else {
            continue;
        };
        let column = bound
            .values
            .as_ref()
            .and_then(|values| values.iter().position(|&index| index == cell.cell()))
            .and_then(|position| columns(template, bound).get(position))
            .map_or(String::new(), |column| column.label.clone());
        let written = bound
            .label_cell
            .and_then(|index| row.cells.get(index))
            .map(|found| table.cell_text(source, found));
        return CellName {
            row: short_label(written.unwrap_or(&template.rows[bound.spec].label)),
            column: short_label(&column),
        };
    }
    let column = header_row(table)
        .and_then(|header| table.row(header).cells.get(cell.cell()))
        .map_or("", |found| table.cell_text(source, found));
    CellName {
        row: short_label(table.row_label(source, &row)),
        column: short_label(column),
    }
}
