//! Relations of tables bound to a profile template: row sums, column sums over a group's
//! leaves, balances, and subtotals of group rows that carry numbers.

use super::{Relation, RelationKind, Relations, Subject};
use crate::bind::{columns, BoundRow, CellRef, TemplateBinding};
use crate::document::Document;
use crate::profile::{RelationSpec, RowSelector, TableTemplate};

/// Adds the relations of one template binding.
pub fn relations(
    source: &str,
    document: &Document,
    binding: &TemplateBinding,
    out: &mut Relations,
) {
    let template = binding.template;
    for spec in &template.relations {
        match spec {
            RelationSpec::RowSum { total, parts } => {
                for bound in &binding.rows {
                    let (Some(total_cell), Some(part_cells)) = (
                        cell_of(template, bound, total),
                        parts
                            .iter()
                            .map(|part| cell_of(template, bound, part))
                            .collect::<Option<Vec<_>>>(),
                    ) else {
                        continue;
                    };
                    out.list.push(Relation {
                        kind: RelationKind::Sum,
                        left: vec![total_cell],
                        right: part_cells,
                        subject: Subject::RowTotal,
                        guessed: false,
                    });
                }
            }
            RelationSpec::ColumnSum { total, parts } => {
                let part_ids: Vec<String> = match parts {
                    RowSelector::Ids(ids) => ids.clone(),
                    RowSelector::LeavesOf(group) => template
                        .leaves_of(group)
                        .iter()
                        .map(|row| row.id.clone())
                        .collect(),
                };
                column_relations(
                    binding,
                    std::slice::from_ref(total),
                    &part_ids,
                    RelationKind::Sum,
                    out,
                );
            }
            RelationSpec::RowAtMost { left, right } => {
                for bound in &binding.rows {
                    let cells = |labels: &[String]| {
                        labels
                            .iter()
                            .map(|label| cell_of(template, bound, label))
                            .collect::<Option<Vec<_>>>()
                    };
                    let (Some(left_cells), Some(right_cells)) = (cells(left), cells(right)) else {
                        continue;
                    };
                    let row = row_label(source, document, template, bound);
                    let (left_names, right_names) = (left.join(" + "), right.join(" + "));
                    let subject = if left.is_empty() {
                        Subject::text(
                            format!("in row “{row}”, {right_names} must not be negative"),
                            format!("“{row}”行的{right_names}不应为负数"),
                        )
                    } else {
                        Subject::text(
                            format!("in row “{row}”, {left_names} must not exceed {right_names}"),
                            format!("“{row}”行的{left_names}不应大于{right_names}"),
                        )
                    };
                    out.list.push(Relation {
                        kind: RelationKind::AtMost,
                        left: left_cells,
                        right: right_cells,
                        subject,
                        guessed: false,
                    });
                }
            }
            RelationSpec::Balance { left, right } => {
                column_relations(binding, left, right, RelationKind::Balance, out);
            }
        }
    }
    if template.subtotals {
        for bound in binding
            .rows
            .iter()
            .filter(|bound| template.rows[bound.spec].group && bound.values.is_some())
        {
            let group_id = template.rows[bound.spec].id.clone();
            let leaves: Vec<String> = template
                .leaves_of(&group_id)
                .iter()
                .map(|row| row.id.clone())
                .collect();
            column_relations(binding, &[group_id], &leaves, RelationKind::Sum, out);
        }
    }
}

/// For every column of the first `left` row: the `left` rows against the `right` rows.
/// Skipped when any of the rows is missing or has the wrong shape (other rules say so).
fn column_relations(
    binding: &TemplateBinding,
    left: &[String],
    right: &[String],
    kind: RelationKind,
    out: &mut Relations,
) {
    let template = binding.template;
    let rows = |ids: &[String]| {
        ids.iter()
            .map(|id| {
                binding
                    .row_for(template, id)
                    .filter(|bound| bound.values.is_some())
            })
            .collect::<Option<Vec<&BoundRow>>>()
    };
    let (Some(left_rows), Some(right_rows)) = (rows(left), rows(right)) else {
        return;
    };
    let Some(first) = left_rows.first() else {
        return;
    };
    for column in columns(template, first) {
        let cells = |bound_rows: &[&BoundRow]| {
            bound_rows
                .iter()
                .map(|bound| cell_of(template, bound, &column.label))
                .collect::<Option<Vec<CellRef>>>()
        };
        let (Some(left_cells), Some(right_cells)) = (cells(&left_rows), cells(&right_rows)) else {
            continue;
        };
        let subject = match kind {
            RelationKind::Sum => Subject::ColumnTotal,
            RelationKind::Balance | RelationKind::AtMost => {
                let side = |bound_rows: &[&BoundRow]| {
                    bound_rows
                        .iter()
                        .map(|bound| short_number(&template.rows[bound.spec].label))
                        .collect::<Vec<_>>()
                        .join(" + ")
                };
                let equation = format!("{} = {}", side(&left_rows), side(&right_rows));
                Subject::text(
                    format!("column {}: {equation}", column.label),
                    format!("{}列：{equation}", column.label),
                )
            }
        };
        out.list.push(Relation {
            kind,
            left: left_cells,
            right: right_cells,
            subject,
            guessed: false,
        });
    }
}

/// The short name of a row in an equation: its numbering (`一`, `（七）总计`).
fn short_number(label: &str) -> String {
    match label.find('、') {
        Some(end) => label[..end].to_string(),
        None => label.to_string(),
    }
}

/// The cell of a bound row that holds the column labelled `label`.
fn cell_of(template: &TableTemplate, bound: &BoundRow, label: &str) -> Option<CellRef> {
    let position = columns(template, bound)
        .iter()
        .position(|column| column.label == label)?;
    let cell = *bound.values.as_ref()?.get(position)?;
    Some(CellRef::new(bound.block, bound.row, cell))
}

/// The row's label as written in the document, or the template's.
fn row_label(
    source: &str,
    document: &Document,
    template: &TableTemplate,
    bound: &BoundRow,
) -> String {
    let written = bound.label_cell.and_then(|cell| {
        let table = document.table(bound.block)?;
        Some(table.cell_text(source, table.get_row(bound.row)?.cells.get(cell)?))
    });
    super::short_label(written.unwrap_or(&template.rows[bound.spec].label))
}
