//! `wrong-format`: a report on year N laid out in the other format (2019 vs 2021 columns).

use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::diagnostic::{Message, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "wrong-format",
        default_severity: Severity::Error,
        summary: "a report on year N laid out in the other format (2019 vs 2021 columns)",
        docs: DOCS,
    },
    reads: Reads::Document,
    check,
};

const DOCS: &str = "# wrong-format

## What it finds
A report whose tables use the layout of another format than the one its year requires: a
report on 2021 or later (format 国办公开办函〔2021〕30号) with the 2019 columns of table 二
(`本年新制作数量`, `上一年项目数量`, `政府集中采购`), or a report on 2019/2020 with the 2021
columns (`本年制发件数`, `行政规范性文件`, the three leaves of `（六）其他处理`).

## Why
Clerks start from last year's file. A report in the wrong format is sent back however right
its numbers are.

## Example
`某区2022年政府信息公开工作年度报告` whose table 二 has the column `本年新制作数量`.

## Fix
None: the tables must be redrawn from the current template. The other table rules check the
tables against the layout they actually have, so their numbers are still verified.
";

fn check(context: &Context, report: &mut Report) {
    let Some(evidence) = context.selection.wrong_format else {
        return;
    };
    let expected = &context.selection.profile.name;
    let found = &context.selection.tables.name;
    let year = context.selection.year;
    let about = match year {
        Some(year) => format!("This report on {year} must use the {expected} format"),
        None => format!("This report must use the {expected} format"),
    };
    let about_zh = match year {
        Some(year) => format!("{year}年度报告应使用 {expected} 格式"),
        None => format!("本报告应使用 {expected} 格式"),
    };
    let text = context
        .source
        .get(std::ops::Range::<usize>::from(evidence))
        .unwrap_or("");
    report.push(report.finding(evidence,
        Message::new(
            format!("{about}, but its tables use the {found} layout (“{text}”); redraw them from the current template"),
            format!("{about_zh}，但表格使用的是 {found} 的样式（“{text}”）；请按现行模板重新制表"),
        ),
    ));
}
