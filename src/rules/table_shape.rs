//! `table-shape`: a row with missing or extra cells against the header or template, or a
//! row split in two by a stray blank line.

use super::cells::unread_tables;
use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::bind::columns;
use crate::diagnostic::{Message, Severity};
use crate::document::table::TableLayout;
use crate::relations::generic::ragged_rows;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "table-shape",
        default_severity: Severity::Error,
        summary:
            "a row with missing or extra cells against the header or template; a row split in two",
        docs: DOCS,
    },
    reads: Reads::Tables,
    check,
};

const DOCS: &str = "# table-shape

## What it finds
- A row of a template table (二, 三, 四) with more or fewer value cells than the template's
  columns, so the numbers cannot be matched to their columns.
- A row of a Markdown table with more or fewer cells than its header row.
- A row split in two by a stray blank line (common when a Word table is pasted as text): the
  two fragments are joined for the arithmetic, and the split is reported.
- A template table none of whose rows has the template's number of value cells (a column
  lost or added when the table was pasted): reported once for the table, on its first row,
  saying that no number of it was read and no total checked, instead of once per row.

## Why
A missing cell shifts every number after it into the wrong column; totals then look wrong
for reasons that have nothing to do with the arithmetic. No relation reads a row whose
shape is wrong.

## Example
```text
| （二）部分公开 | 1 | 0 | 0 | 0 | 0 | 1 |
```
(six values where table 三 has seven columns).

## Fix
None: which cell is missing cannot be known. Add the missing cell, remove the extra one, or
delete the stray blank line.
";

fn check(context: &Context, report: &mut Report) {
    for (_, table) in context.tables() {
        for row in table.rows().filter(|row| table.split_at(row).is_some()) {
            let Some(label) = context.row_label_cell(&row) else {
                continue;
            };
            report.push(report.finding(table.cell_range(label),
                Message::new(
                    "this row is split in two by a blank line; its cells were joined for checking; remove the blank line",
                    "此行被空行拆成了两段（已合并后核对）；请删除行中的空行",
                ),
            ));
        }
    }
    let unread = unread_tables(context);
    for table in unread.iter().filter(|table| table.shape_errors > 0) {
        let binding = table.binding;
        let Some((bound, (expected, found))) = binding
            .rows
            .iter()
            .find_map(|bound| Some((bound, bound.shape_error?)))
        else {
            continue;
        };
        let Some(parsed) = context.table(bound.block) else {
            continue;
        };
        let Some(row) = parsed.get_row(bound.row) else {
            continue;
        };
        let range = parsed.range_of(&row, bound.label_cell);
        let names = columns(binding.template, bound)
            .iter()
            .map(|column| column.label.as_str())
            .collect::<Vec<_>>()
            .join(" · ");
        let name = &binding.template.name;
        let rows = table.shape_errors;
        let (en, zh) = if rows == 1 {
            (
                format!("no number of {name} could be read: its row has {found} value cells but the template has {expected} columns ({names}), so none of its totals was checked; add or remove cells so each number sits in its column"),
                format!("{name}的数字一个也未能读取：此行有 {found} 个数值单元格，模板为 {expected} 列（{names}），因此此表的合计都未核对；请补齐或删除单元格，使每个数字对应其列"),
            )
        } else {
            (
                format!("no number of {name} could be read: none of its {rows} rows with values has the template's columns (this one has {found} value cells for {expected}: {names}), so none of its totals was checked; check that the table was pasted whole, one cell per column"),
                format!("{name}的数字一个也未能读取：{rows} 行数值都与模板的列对不上（此行 {found} 个数值单元格，模板 {expected} 列：{names}），因此此表的合计都未核对；请检查表格是否完整粘贴、每列一个单元格"),
            )
        };
        report.push(report.finding(range, Message::new(en, zh)));
    }
    for binding in &context.bindings.templates {
        let template = binding.template;
        if unread
            .iter()
            .any(|table| table.shape_errors > 0 && std::ptr::eq(table.binding, binding))
        {
            continue;
        }
        for bound in &binding.rows {
            let Some((expected, found)) = bound.shape_error else {
                continue;
            };
            let Some(table) = context.table(bound.block) else {
                continue;
            };
            let Some(row) = table.get_row(bound.row) else {
                continue;
            };
            let range = table.range_of(&row, bound.label_cell);
            let names: Vec<&str> = columns(template, bound)
                .iter()
                .map(|column| column.label.as_str())
                .collect();
            let names = names.join(" · ");
            if found == 0 {
                // A label with no cell after it: its cells were empty (text exports drop
                // empty cells) or never written. Nothing is misplaced, so it is the blank
                // cells' warning, not a shape error.
                let mut empty = report.finding(range,
                    Message::new(
                        format!("this row has no numbers where the template has {expected} columns ({names}); write them, 0 where there was none; its totals are not checked"),
                        format!("此行没有数字，模板为 {expected} 列（{names}）；请填写，没有的填 0；此行的合计未核对"),
                    ),
                );
                empty.severity = Severity::Warning;
                report.push(empty);
                continue;
            }
            report.push(report.finding(range,
                Message::new(
                    format!("this row has {found} value cells but the template has {expected} columns ({names}); add or remove cells so each number sits in its column"),
                    format!("此行有 {found} 个数值单元格，模板为 {expected} 列（{names}）；请补齐或删除单元格，使每个数字对应其列"),
                ),
            ));
        }
    }
    // A legacy 统计表 row that stops short of the 统计数 column (`2．传真申请数	件`).
    for binding in context
        .bindings
        .templates
        .iter()
        .filter(|binding| binding.template.outline)
    {
        for table in binding
            .blocks
            .iter()
            .filter_map(|&block| context.table(block))
        {
            let width = table.numeric_width();
            for row in table
                .rows()
                .filter(|row| row.cells.len() >= 2 && row.cells.len() < width)
            {
                let found = row.cells.len();
                report.push(report.finding(table.cell_range(&row.cells[0]),
                    Message::new(
                        format!("this row has {found} cells but the table's rows have {width}; its value is missing, so the totals that need it are not checked"),
                        format!("此行有 {found} 个单元格，表中各行为 {width} 个；缺少数值，涉及此行的合计无法核对"),
                    ),
                ));
            }
        }
    }
    // Tab-separated and other text tables with total labels: a row that does not line up is
    // left out of every sum.
    for (block, table) in context.tables() {
        if table.layout == TableLayout::Pipe || context.bindings.is_bound(block) {
            continue;
        }
        for row_index in ragged_rows(context.source, table) {
            let row = &table.row(row_index);
            let found = row.filled_width();
            report.push(report.finding(table.range_of(row, Some(0)),
                Message::new(
                    format!("this row has {found} cells that do not line up with the header's columns; it is left out of the totals until its cells are fixed"),
                    format!("此行的 {found} 个单元格与表头各列对不上；在补齐之前，此行不计入合计"),
                ),
            ));
        }
    }
    for (block, table) in context.tables() {
        if table.layout != TableLayout::Pipe
            || table.header_rows == 0
            || context.bindings.is_bound(block)
        {
            continue;
        }
        let width = table.row(table.header_rows - 1).cells.len();
        for row in table.rows().skip(table.header_rows) {
            if row.cells.len() == width {
                continue;
            }
            let found = row.cells.len();
            let range = table.range_of(&row, Some(0));
            report.push(report.finding(range,
                Message::new(
                    format!("this row has {found} cells but the header has {width}; add or remove cells so each value sits under its header"),
                    format!("此行有 {found} 个单元格，表头有 {width} 个；请补齐或删除单元格，使每个值对应其表头"),
                ),
            ));
        }
    }
}
