//! `balance-mismatch`: table 三's `一 + 二 = （七）总计 + 四` fails in some column.

use super::arithmetic::{self, Arithmetic};
use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "balance-mismatch",
        default_severity: Severity::Error,
        summary: "table 三: 一 + 二 ≠ （七）总计 + 四 in some column",
        docs: DOCS,
    },
    reads: Reads::Tables,
    check,
};

const DOCS: &str = "# balance-mismatch

## What it finds
In table 三, a column where the requests received this year (一) plus those carried over (二)
differ from the requests handled (（七）总计) plus those carried into next year (四). The
template prints this check in its top-left cell: 第一项加第二项之和，等于第三项加第四项之和.

When one mistyped cell also breaks a row or column total, that cell is reported once under
`sum-mismatch`; this rule reports the balances nothing else explains.

## Why
Every request must be accounted for: received = handled + still open.

## Example
```text
一、本年新收政府信息公开申请数量	9 …
二、上年结转政府信息公开申请数量	1 …
（七）总计	9 …
四、结转下年度继续办理	0 …
```
(9 + 1 ≠ 9 + 0 in the 自然人 column).

## Fix
None when the evidence is ambiguous (which of the four numbers is wrong cannot be told);
when one cell explains the failure, an **unsafe** fix sets it.
";

fn check(context: &Context, report: &mut Report) {
    arithmetic::report(context, Arithmetic::Balances, report);
}
