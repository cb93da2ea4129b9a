//! `blank-cell`: an empty cell or a placeholder where a number belongs.

use super::cells::{numeric_cells, unread_tables};
use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::bind::CellRef;
use crate::diagnostic::{Message, Severity};
use crate::document::table::CellValue;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "blank-cell",
        default_severity: Severity::Warning,
        summary: "an empty cell or placeholder where the template wants a number",
        docs: DOCS,
    },
    reads: Reads::Tables,
    check,
};

const DOCS: &str = "# blank-cell

## What it finds
An empty cell, or a placeholder (`/`, `-`, `—`, `无`), where the template wants a number, or
where a total needs one to be checked. A blank is not zero: reportlint never invents numbers,
so every total that reads a blank cell is left unchecked, and the blank is reported here.
A template table with no number at all, only blanks, is reported once, on its first blank
cell, instead of once per cell.

## Why
The format asks for a number in every cell, 0 included; evaluators count blank cells as
omissions, and a blank hides whether the totals add up.

## Example
```text
行政复议: 结果维持 (blank) · 结果纠正 (blank) · …
```

## Fix
None: write the number, 0 if there was none.
";

fn check(context: &Context, report: &mut Report) {
    // Tables with no number at all: one finding each. A shape error, if any, is the cause
    // and `table-shape` says so instead.
    let blank_tables: Vec<_> = unread_tables(context)
        .into_iter()
        .filter(|table| table.shape_errors == 0 && table.blanks > 0)
        .collect();
    for table in &blank_tables {
        let first = table.binding.rows.iter().find_map(|bound| {
            bound.values.iter().flatten().find_map(|&cell| {
                let cell = CellRef::new(bound.block, bound.row, cell);
                context
                    .cell(cell)
                    .filter(|found| found.is_blank())
                    .and_then(|_| context.cell_range(cell))
            })
        });
        let Some(first) = first else { continue };
        let name = &table.binding.template.name;
        let blanks = table.blanks;
        report.push(report.finding(first,
            Message::new(
                format!("{name} has no numbers: all {blanks} of its value cells are empty or placeholders, so none of its totals was checked; write the numbers, 0 where nothing happened"),
                format!("{name}没有任何数字：{blanks} 个数值单元格全为空或占位符，因此此表的合计都未核对；请填写数字（没有发生的填 0）"),
            ),
        ));
    }
    for numeric in numeric_cells(context, |cell, _| cell.is_blank()) {
        if blank_tables
            .iter()
            .any(|table| table.holds(numeric.cell.block()))
        {
            continue;
        }
        let Some(cell) = context.cell(numeric.cell) else {
            continue;
        };
        let CellValue::Blank { placeholder } = cell.value() else {
            continue;
        };
        let described = context.describe(numeric.cell);
        let name = if described.is_empty() {
            String::new()
        } else {
            format!(" ({described})")
        };
        let (en, zh) = if placeholder {
            (
                format!("“{}” stands where a number belongs{name}; write the number, 0 if there was none; totals that use this cell are not checked", context.cell_text(numeric.cell)),
                format!("此处应填数字{name}，却填了“{}”；请填写数字（没有则填 0），涉及此格的合计无法核对", context.cell_text(numeric.cell)),
            )
        } else {
            (
                format!("empty cell where a number belongs{name}; write the number, 0 if there was none; totals that use this cell are not checked"),
                format!("此处应填数字{name}，却为空；请填写数字（没有则填 0），涉及此格的合计无法核对"),
            )
        };
        let Some(range) = context.cell_range(numeric.cell) else {
            continue;
        };
        report.push(report.finding(range, Message::new(en, zh)));
    }
}
