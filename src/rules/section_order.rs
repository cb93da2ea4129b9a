//! `section-order`: sections out of order, misnumbered, or duplicated.

use super::sections::{match_sections, sibling_sequences};
use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::diagnostic::{Message, Severity};
use crate::document::heading::{chinese_numeral, NumberingStyle};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "section-order",
        default_severity: Severity::Warning,
        summary: "sections out of order, misnumbered, or duplicated",
        docs: DOCS,
    },
    reads: Reads::Document,
    check,
};

const DOCS: &str = "# section-order

## What it finds
- A required section that comes after a section that should follow it, or appears twice.
- A required section whose written number differs from its place in the format (`三、主动公开
  政府信息情况` where the format has `二、`).
- In any report: a numbered heading (`一、`, or `（一）` within a section) whose number is not
  greater than the one before it: out of order or duplicated.

## Why
Evaluators read the sections by number; a report whose sections are shuffled or misnumbered
reads as carelessly drafted, and cross-references break.

## Example
```text
二、主动公开政府信息情况
四、政府信息公开行政复议、行政诉讼情况
三、收到和处理政府信息公开申请情况
```

## Fix
None offered: moving sections is a decision for the author.
";

fn check(context: &Context, report: &mut Report) {
    let sections = &context.selection.profile.sections;
    let matched = match_sections(context);
    let mut highest: Option<usize> = None;
    let mut counts = vec![0usize; sections.len()];
    for found in matched {
        counts[found.section] += 1;
    }
    for found in matched {
        let spec = &sections[found.section];
        let wanted = format!("{}、{}", chinese_numeral(spec.number), spec.title);
        if highest.is_some_and(|highest| found.section <= highest) {
            let (en, zh) = if counts[found.section] > 1 {
                (
                    format!("section “{wanted}” appears more than once"),
                    format!("“{wanted}”一节重复出现"),
                )
            } else {
                (
                    format!("section “{wanted}” comes after a section that should follow it"),
                    format!("“{wanted}”一节的位置靠后了，应排在其后各节之前"),
                )
            };
            report.push(report.finding(found.range, Message::new(en, zh)));
        } else if found.written_number != Some(spec.number) {
            let message = match found.written_number {
                Some(written) => Message::new(
                    format!(
                        "this section is numbered {} but it is “{wanted}” in the format",
                        chinese_numeral(written)
                    ),
                    format!(
                        "此节编号为“{}”，但按格式应为“{wanted}”",
                        chinese_numeral(written)
                    ),
                ),
                None => Message::new(
                    format!("this section has no number; the format numbers it “{wanted}”"),
                    format!("此节没有编号，按格式应为“{wanted}”"),
                ),
            };
            let range = if found.numbering_range.is_empty() {
                found.range
            } else {
                found.numbering_range
            };
            report.push(report.finding(range, message));
        }
        highest = highest.max(Some(found.section));
    }
    for sequence in sibling_sequences(context) {
        // Required sections are checked against the format above; their numbering is not
        // checked a second time as a plain sequence.
        if !sections.is_empty()
            && sequence
                .first()
                .is_some_and(|(_, _, style)| *style == NumberingStyle::ChineseComma)
        {
            continue;
        }
        let mut previous: Option<u32> = None;
        for &(number, range, style) in &sequence {
            if let Some(before) = previous.filter(|&before| number <= before) {
                let (en, zh) = if number == before {
                    (
                        format!(
                            "“{}” is numbered the same as the heading before it",
                            style.render(number)
                        ),
                        format!("“{}”与上一个标题编号重复", style.render(number)),
                    )
                } else {
                    (
                        format!(
                            "“{}” comes after “{}”: the headings are out of order",
                            style.render(number),
                            style.render(before)
                        ),
                        format!(
                            "“{}”排在“{}”之后，标题顺序颠倒",
                            style.render(number),
                            style.render(before)
                        ),
                    )
                };
                report.push(report.finding(range, Message::new(en, zh)));
            }
            previous = Some(previous.map_or(number, |before| before.max(number)));
        }
    }
}
