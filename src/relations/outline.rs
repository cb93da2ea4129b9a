//! Relations of a legacy 统计表: rows numbered 一、 / （一） / 1、 nest, and a parent whose
//! label names a partitioned count (收到申请数, 办结数, …) equals the sum of its children.
//! `其中：` rows are "at most the parent" and unnumbered rows are notes: neither is summed.

use super::{Relation, RelationKind, Relations, Subject};
use crate::bind::{split_label, CellRef};
use crate::document::Document;
use crate::profile::TableTemplate;
use crate::text::label_key;

/// Adds the parent-equals-children relations of one outline table.
pub fn relations(
    source: &str,
    document: &Document,
    block: usize,
    template: &TableTemplate,
    out: &mut Relations,
) {
    let Some(table) = document.table(block) else {
        return;
    };
    let parents: Vec<String> = template
        .sum_parents
        .iter()
        .map(|parent| label_key(parent))
        .collect();
    // The 统计数 column: the last column of the table's usual width. A row with a text value
    // (`见附件`) or without that cell still takes part, so that the relations that need it
    // are left unchecked (and the text reported) instead of it silently counting as zero.
    let width = table.numeric_width();
    let Some(value_column) = width.checked_sub(1).filter(|&column| column > 0) else {
        return;
    };
    // (level, row index, label, value cell) of the rows that can take part.
    let mut entries: Vec<(u8, usize, String, usize)> = Vec::new();
    for (row_index, row) in table.rows().enumerate() {
        let Some(label_index) = row.cells.iter().position(|cell| cell.is_text()) else {
            continue;
        };
        let label = table.cell_text(source, &row.cells[label_index]);
        let key = label_key(label);
        let (_, numbering) = split_label(label);
        if label_index >= value_column {
            continue;
        }
        if key.starts_with("其中") {
            // `其中：…` is a part of the row above it: at most that row, never summed.
            if let Some(&(_, parent_row, _, parent_cell)) = entries.last() {
                let parent_label =
                    super::short_label(table.row_label(source, &table.row(parent_row)));
                let part = super::short_label(label);
                out.list.push(Relation {
                    kind: RelationKind::AtMost,
                    left: vec![CellRef::new(block, row_index, value_column)],
                    right: vec![CellRef::new(block, parent_row, parent_cell)],
                    subject: Subject::text(
                        format!("“{part}” is part of “{parent_label}” and must not exceed it"),
                        format!("“{part}”是“{parent_label}”的一部分，不应大于它"),
                    ),
                    guessed: false,
                });
            }
            continue;
        }
        let Some((style, _)) = numbering else {
            continue;
        };
        let value_cell = value_column;
        entries.push((style.level(), row_index, key, value_cell));
    }
    for (position, (level, row_index, key, value_cell)) in entries.iter().enumerate() {
        if !parents.iter().any(|parent| key.contains(parent.as_str())) {
            continue;
        }
        let children: Vec<CellRef> = entries[position + 1..]
            .iter()
            .take_while(|(child_level, ..)| child_level > level)
            .filter(|(child_level, ..)| *child_level == level + 1)
            .map(|&(_, child_row, _, child_cell)| CellRef::new(block, child_row, child_cell))
            .collect();
        if children.len() < 2 {
            continue;
        }
        let label = super::short_label(table.row_label(source, &table.row(*row_index)));
        out.list.push(Relation {
            kind: RelationKind::Sum,
            left: vec![CellRef::new(block, *row_index, *value_cell)],
            right: children,
            subject: Subject::text(format!("“{label}”"), format!("“{label}”")),
            guessed: false,
        });
    }
}
