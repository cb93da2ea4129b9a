//! `mixed-units`: a total whose cells are written in different units, which reportlint
//! does not add up.

use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::diagnostic::{Message, Related, Severity};
use crate::relations::units;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "mixed-units",
        default_severity: Severity::Warning,
        summary: "a total whose cells are written in different units",
        docs: DOCS,
    },
    reads: Reads::Tables,
    check,
};

const DOCS: &str = "# mixed-units

## What it finds
A total, subtotal or balance whose cells carry different units: `1.5万元` as the total of
`1万元` and `5000元`, or `件` beside `个`. reportlint does not convert between units, so it
does not check such a total, and it says so instead of passing it.

## Why
Adding `1万元` and `5000元` as plain numbers gives 5001, a wrong total that looks right; a
fixer that did so would rewrite a correct total. One unit per column (usually the one the
header names, such as 万元) keeps the table readable and checkable.

## Example
```text
| 项目 | 金额 |
|---|---|
| 甲 | 1万元 |
| 乙 | 5000元 |
| 合计 | 1.5万元 |
```

## Fix
None: write every cell of the total in one unit; the total is then checked.
";

fn check(context: &Context, report: &mut Report) {
    for relation in &context.relations.mixed_units {
        let Some(anchor) = relation.total().or_else(|| relation.left.first().copied()) else {
            continue;
        };
        let Some(anchor_range) = context.cell_range(anchor) else {
            continue;
        };
        let written = units(context.document, relation).join(", ");
        let subject = context.subject(relation);
        let related = relation
            .cells()
            .filter(|&other| other != anchor)
            .filter_map(|other| {
                let range = context.cell_range(other)?;
                let text = &context.source[range];
                Some(Related {
                    range,
                    message: Message::new(
                        format!("{}: {text}", context.describe(other)),
                        format!("{}：{text}", context.describe(other)),
                    ),
                })
            })
            .collect();
        report.push(
            report.finding(anchor_range,
                Message::new(
                    format!(
                        "{} is not checked: its cells are written in different units ({written}); write them all in one unit",
                        subject.en
                    ),
                    format!(
                        "{}未核对：其单元格单位不一（{written}）；请统一为一种单位",
                        subject.zh
                    ),
                ),
            )
            .with_related(related),
        );
    }
}
