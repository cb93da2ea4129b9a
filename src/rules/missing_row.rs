//! `missing-row`: a template row absent from its table.

use super::cells::unread_tables;
use super::sections::match_sections;
use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::diagnostic::{Message, Severity};
use crate::profile::TableTemplate;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "missing-row",
        default_severity: Severity::Warning,
        summary: "a template row absent from its table",
        docs: DOCS,
    },
    reads: Reads::Document,
    check,
};

const DOCS: &str = "# missing-row

## What it finds
A row the template requires (`（二）部分公开`, `8.属于行政查询事项`, `行政事业性收费`, …) that the
table does not have; or a whole template table (二, 三, 四) absent from its section,
reported once on the section's heading (a table that belongs in no section, such as the
legacy 统计表, on the title); or a template table that was found but from which no number
was read, when no other rule says why (a 统计表 whose cells are all blank), reported once
on the table. Group headings (`（三）不予公开`) count as present when any of their
rows is. Only tables the profile recognises are checked; totals that would need the missing
row are not checked.

## Why
Every row of the official template must be reported, with 0 where nothing happened; a
dropped row also hides requests from the totals.

## Example
Table 三 without `7.属于行政执法案卷`.

## Fix
None: add the row with its numbers (0 if none).
";

fn check(context: &Context, report: &mut Report) {
    missing_tables(context, report);
    unread(context, report);
    for binding in &context.bindings.templates {
        let template = binding.template;
        if template.outline {
            continue;
        }
        let present = |spec: usize| binding.rows.iter().any(|bound| bound.spec == spec);
        for (spec, row) in template.rows.iter().enumerate() {
            if present(spec) || (row.group && has_present_descendant(template, &row.id, &present)) {
                continue;
            }
            // Point at the next row that is present, else at the end of the last table.
            let anchor = binding
                .rows
                .iter()
                .filter(|bound| bound.spec > spec)
                .min_by_key(|bound| bound.spec)
                .and_then(|bound| {
                    let table = context.table(bound.block)?;
                    Some(table.range_of(&table.get_row(bound.row)?, bound.label_cell))
                })
                .or_else(|| {
                    binding
                        .blocks
                        .last()
                        .map(|&block| context.document.blocks[block].range)
                });
            let Some(anchor) = anchor else { continue };
            let (label_en, label_zh) = if row.label.is_empty() {
                ("the data row", "数据行")
            } else {
                (row.label.as_str(), row.label.as_str())
            };
            report.push(report.finding(
                anchor,
                Message::new(
                    format!(
                        "{} has no row “{label_en}”; add it (with 0 where nothing happened)",
                        template.name
                    ),
                    format!(
                        "{}缺少“{label_zh}”一行；请补上（没有发生的填 0）",
                        template.name
                    ),
                ),
            ));
        }
    }
}

fn has_present_descendant(
    template: &TableTemplate,
    group: &str,
    present: &impl Fn(usize) -> bool,
) -> bool {
    template.rows.iter().enumerate().any(|(spec, row)| {
        row.parent.as_deref() == Some(group)
            && (present(spec) || (row.group && has_present_descendant(template, &row.id, present)))
    })
}

/// A template table absent altogether (replaced by prose, or pasted as a picture): every
/// one of its rows is missing. Reported once, on the heading of the section it belongs in;
/// when that section is missing too, `missing-section` says so instead.
fn missing_tables(context: &Context, report: &mut Report) {
    let sections = match_sections(context);
    for template in &context.selection.tables.tables {
        if context
            .bindings
            .templates
            .iter()
            .any(|binding| binding.template.id == template.id)
        {
            continue;
        }
        let Some(number) = template.section else {
            // A table that belongs in no section (the legacy 统计表): said on the title.
            let anchor = context
                .document
                .title
                .as_ref()
                .map_or(text_size::TextRange::empty(0.into()), |title| title.range);
            report.push(report.finding(anchor,
                Message::new(
                    format!("the report has no {} (none of its rows was found); add the table as the format draws it", template.name),
                    format!("报告缺少{}（一行也未找到）；请按格式补上此表", template.name),
                ),
            ));
            continue;
        };
        let Some(heading) = sections.iter().find(|found| {
            context
                .selection
                .profile
                .sections
                .get(found.section)
                .is_some_and(|spec| spec.number == number)
        }) else {
            continue;
        };
        report.push(report.finding(heading.range,
            Message::new(
                format!("this section has no {} table (none of its rows was found); add the table as the format draws it", template.name),
                format!("本节缺少{}（一行也未找到）；请按格式补上此表", template.name),
            ),
        ));
    }
}

/// A template table found but holding no number, when neither `table-shape` (rows of the
/// wrong width) nor `blank-cell` (blank cells) nor `invalid-number` (text) says why: once
/// per table, on its first cell, so that a table read as nothing is never silent.
fn unread(context: &Context, report: &mut Report) {
    for table in unread_tables(context) {
        let outline = table.binding.template.outline;
        if !outline && (table.shape_errors > 0 || table.blanks > 0 || table.texts > 0) {
            continue;
        }
        let Some(range) = table
            .binding
            .blocks
            .first()
            .and_then(|&block| context.table(block))
            .and_then(|found| Some(found.row_range(&found.get_row(0)?)))
        else {
            continue;
        };
        let name = &table.binding.template.name;
        report.push(report.finding(range,
            Message::new(
                format!("{name} was found but no number was read from it, so none of its totals was checked; write its numbers in the value cells, 0 where nothing happened"),
                format!("找到了{name}，但未读到任何数字，因此此表的合计都未核对；请在数值单元格中填写数字（没有发生的填 0）"),
            ),
        ));
    }
}
