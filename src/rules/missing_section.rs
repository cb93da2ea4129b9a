//! `missing-section`: a required section is absent (or, in a generic report, a numbered
//! section is skipped).

use super::sections::{match_sections, sibling_sequences, top_headings};
use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::diagnostic::{Message, Severity};
use crate::document::heading::chinese_numeral;
use text_size::TextRange;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "missing-section",
        default_severity: Severity::Error,
        summary: "a required section is absent",
        docs: DOCS,
    },
    reads: Reads::Document,
    check,
};

const DOCS: &str = "# missing-section

## What it finds
- In a government disclosure report (gov-2019, gov-2021): one of the six sections the format
  requires is absent. Headings are matched on key words, so published variants such as
  `工作基本情况` or `其他事项` are accepted.
- In any report: a numbered sequence of headings skips a number (`一、` `二、` `四、`) and the
  skipped number appears nowhere else.

## Why
The regulations fix the report's content; a missing section is the first thing an evaluator
marks down.

## Example
A 2020 report with sections 一, 二, 四, 五, 六: `三、收到和处理政府信息公开申请情况` is missing.

## Fix
None: write the section. The diagnostic sits where the section belongs.
";

fn check(context: &Context, report: &mut Report) {
    let sections = &context.selection.profile.sections;
    if !sections.is_empty() {
        let matched = match_sections(context);
        let headings = top_headings(context);
        for (index, spec) in sections.iter().enumerate() {
            if matched.iter().any(|found| found.section == index) {
                continue;
            }
            // Point at the first present section that should come after this one.
            let anchor = matched
                .iter()
                .filter(|found| found.section > index)
                .map(|found| found.range)
                .next()
                .or_else(|| headings.last().map(|(_, range)| *range))
                .or_else(|| context.document.title.as_ref().map(|title| title.range))
                .unwrap_or_else(|| TextRange::empty(0.into()));
            let wanted = format!("{}、{}", chinese_numeral(spec.number), spec.title);
            // The section's table, when it is missing too: said here, once, because the
            // table is missing for the same reason (`missing-row` stays silent about it).
            let (table_en, table_zh) = context
                .selection
                .tables
                .tables
                .iter()
                .find(|template| {
                    template.section == Some(spec.number)
                        && !context
                            .bindings
                            .templates
                            .iter()
                            .any(|binding| binding.template.id == template.id)
                })
                .map_or((String::new(), String::new()), |template| {
                    (
                        format!(", nor its table {}", template.name),
                        format!("，也没有{}", template.name),
                    )
                });
            report.push(report.finding(anchor,
                Message::new(
                    format!(
                        "the report has no section “{wanted}”{table_en}, which the {} format requires",
                        context.selection.profile.name
                    ),
                    format!(
                        "报告缺少“{wanted}”一节{table_zh}（{} 格式要求）",
                        context.selection.profile.name
                    ),
                ),
            ));
        }
        return;
    }
    for sequence in sibling_sequences(context) {
        let numbers: Vec<u32> = sequence.iter().map(|(number, ..)| *number).collect();
        let Some(&highest) = numbers.iter().max() else {
            continue;
        };
        for missing in 1..highest {
            if numbers.contains(&missing) {
                continue;
            }
            let (_, anchor, style) = sequence
                .iter()
                .find(|(number, ..)| *number > missing)
                .copied()
                .unwrap_or(sequence[sequence.len() - 1]);
            let wanted = style.render(missing);
            report.push(report.finding(anchor,
                Message::new(
                    format!("the numbered sections skip “{wanted}”: add the missing section or renumber the headings"),
                    format!("章节编号跳过了“{wanted}”：请补上缺少的一节，或重新编号"),
                ),
            ));
        }
    }
}
