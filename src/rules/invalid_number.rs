//! `invalid-number`: text, a fraction or a negative value where a count belongs.

use super::cells::numeric_cells;
use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::diagnostic::{Message, Severity};
use crate::document::table::{Cell, CellValue};
use crate::profile::ValueKind;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "invalid-number",
        default_severity: Severity::Error,
        summary: "text, a fraction or a negative value where a count belongs",
        docs: DOCS,
    },
    reads: Reads::Tables,
    check,
};

const DOCS: &str = "# invalid-number

## What it finds
- Text where a number belongs (`若干`, `1/2`, `3件左右`).
- A count (table 三 and 四, the 件数/数量 columns of table 二) that is negative or has a
  fractional part. `本年增/减` may be negative; `采购总金额` and 万元 amounts may have decimals.

## Why
Counts of requests, cases and documents are whole numbers of zero or more; anything else is
a typo or a note typed into the wrong cell, and the totals cannot be checked.

## Example
```text
| （一）予以公开 | 3.5 | 0 | 0 | 0 | 0 | 0 | 3.5 |
```

## Fix
None: write the count as a whole number.
";

/// Whether a cell where a number of `kind` belongs holds something else: text, or a
/// number the kind does not allow. Most cells are fine: this is decided before naming one.
fn suspicious(cell: &Cell, kind: ValueKind) -> bool {
    match cell.value() {
        CellValue::Text => true,
        CellValue::Number(number) => match kind {
            ValueKind::Count => number.value().is_negative() || !number.value().is_integer(),
            ValueKind::Signed => !number.value().is_integer(),
            ValueKind::Money => number.value().is_negative(),
            ValueKind::Number => false,
        },
        CellValue::Blank { .. } => false,
    }
}

fn check(context: &Context, report: &mut Report) {
    for numeric in numeric_cells(context, suspicious) {
        let (Some(cell), Some(range)) =
            (context.cell(numeric.cell), context.cell_range(numeric.cell))
        else {
            continue;
        };
        let text = &context.source[range];
        let described = context.describe(numeric.cell);
        let name = if described.is_empty() {
            String::new()
        } else {
            format!(" ({described})")
        };
        let problem = match cell.value() {
            CellValue::Text
                if text.contains('/')
                    && text
                        .split('/')
                        .all(|part| crate::number::parse_number(part.trim()).is_some()) =>
            {
                Some((
                    format!("“{text}” is a fraction, not a number{name}"),
                    format!("“{text}”是分数，不是数字{name}"),
                ))
            }
            CellValue::Text if too_long(text) => Some((
                format!("“{text}” has more digits than reportlint can check exactly (18){name}; totals that use it are not checked"),
                format!("“{text}”位数过多（超过 18 位），无法精确核对{name}；涉及此格的合计未核对"),
            )),
            CellValue::Text => Some((
                format!("“{text}” is not a number{name}; write digits only"),
                format!("“{text}”不是数字{name}；请只填写数字"),
            )),
            CellValue::Number(number) => match numeric.kind {
                ValueKind::Count if number.value().is_negative() => Some((
                    format!("a count cannot be negative: {text}{name}"),
                    format!("数量不能为负数：{text}{name}"),
                )),
                ValueKind::Count | ValueKind::Signed if !number.value().is_integer() => Some((
                    format!("a count must be a whole number: {text}{name}"),
                    format!("数量必须是整数：{text}{name}"),
                )),
                ValueKind::Money if number.value().is_negative() => Some((
                    format!("an amount cannot be negative here: {text}{name}"),
                    format!("金额不能为负数：{text}{name}"),
                )),
                _ => None,
            },
            CellValue::Blank { .. } => None,
        };
        if let Some((en, zh)) = problem {
            report.push(report.finding(range, Message::new(en, zh)));
        }
    }
}

/// A number written with more digits than exact checking supports.
fn too_long(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits > 18
        && text.chars().all(|character| {
            character.is_ascii_digit() || matches!(character, ',' | '.' | '+' | '-')
        })
}
