//! `sum-mismatch`: a total or subtotal that differs from the sum of its parts.

use super::arithmetic::{self, Arithmetic};
use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "sum-mismatch",
        default_severity: Severity::Error,
        summary: "a total or subtotal that differs from the sum of its parts",
        docs: DOCS,
    },
    reads: Reads::Tables,
    check,
};

const DOCS: &str = "# sum-mismatch

## What it finds
A total that differs from the sum of its parts: in table 三 every row's `总计` against the six
applicant columns, every column's `（七）总计` against the result rows, and subtotals of
group rows that carry numbers; in table 四 each block's `总计`; in a legacy 统计表 a parent
against its children; in any table, a row or column labelled 总计 / 合计 / 小计 / Total /
Subtotal / Sum against what it sums. Numbers are compared exactly, decimals included.

Bounds are reported as **warnings**: a `其中：` row greater than its parent (legacy 统计表),
and in the 2019 table 二 a 本年新公开数量 greater than 对外公开总数量 or a 上一年项目数量 +
本年增/减 below zero.

When several totals fail together, reportlint looks for the one mistyped cell that explains
them all (the cell at the crossing of the failing row and column) and reports that cell
once, listing the totals it breaks. A relation that reads a blank cell is not checked; the
blank cell is reported by `blank-cell` instead.

## Why
Totals that do not add up are the most common error evaluators find, and the most
embarrassing one to publish.

## Example
```text
4. 保护第三方合法权益	2	0	0	0	0	0	0
```
The 自然人 column then sums to 53 against `（七）总计` 51, and the row's 总计 is 0: setting
自然人 to 0 repairs both, so that cell is reported.

## Fix
Setting a total to the sum of its parts is **safe** when the evidence singles out that total
(or presumes it wrong: one relation fails and its total is the natural suspect), and is
applied by `check --fix`. It is **unsafe** when the evidence is ambiguous. Changing an addend
is always **unsafe** (`--unsafe-fixes`). The number keeps its cell's formatting.
";

fn check(context: &Context, report: &mut Report) {
    arithmetic::report(context, Arithmetic::Sums, report);
    arithmetic::report_bounds(context, report);
}
