//! `label-mismatch`: a row label that differs from the template's wording.

use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::bind::{CellRef, LabelMatch};
use crate::diagnostic::{Message, Severity};
use crate::document::heading::parse_numbering;
use crate::fix::{Applicability, Fix};
use crate::text::is_space;
use text_size::{TextRange, TextSize};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "label-mismatch",
        default_severity: Severity::Warning,
        summary: "a row or column label that differs from the template's",
        docs: DOCS,
    },
    reads: Reads::Document,
    check,
};

const DOCS: &str = "# label-mismatch

## What it finds
- A row label of a template table that is close to, but not, the template's wording:
  `7.属于行政执法案件` where the template has `7.属于行政执法案卷`. Labels are compared after
  Unicode normalisation and without whitespace, so `（一）` and `(一)`, or a label broken over
  two lines, are not mismatches.
- A row with numbers whose label matches no template row at all (a row some provinces add,
  such as `其他主动公开文件`): reported as information, since it may be intended.

## Why
Evaluators and statistics systems match rows by their official wording; a reworded row is
either a typo or a row from another year's template.

## Example
```text
| 7.属于行政执法案件 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
```

## Fix
Replaces the wording with the template's, keeping the row's numbering as written. **Unsafe**
(applied with `--unsafe-fixes`): a reworded label may be a deliberate local variant.
";

fn check(context: &Context, report: &mut Report) {
    let source = context.source;
    for binding in &context.bindings.templates {
        let template = binding.template;
        for bound in binding
            .rows
            .iter()
            .filter(|bound| bound.label_match == LabelMatch::Similar)
        {
            let Some(cell_range) = bound
                .label_cell
                .and_then(|cell| context.cell_range(CellRef::new(bound.block, bound.row, cell)))
            else {
                continue;
            };
            let spec = &template.rows[bound.spec];
            let written = &source[cell_range];
            let wanted_name = strip_numbering(&spec.label);
            let fix = name_range(written).map(|(start, end)| {
                let range = TextRange::new(
                    cell_range.start() + TextSize::from(start as u32),
                    cell_range.start() + TextSize::from(end as u32),
                );
                Fix::replace(
                    Message::new(
                        format!("Use the template's wording “{wanted_name}”"),
                        format!("改为模板用语“{wanted_name}”"),
                    ),
                    Applicability::Unsafe,
                    range,
                    wanted_name.to_string(),
                )
            });
            report.push(
                report
                    .finding(
                        cell_range,
                        Message::new(
                            format!(
                                "“{written}” differs from the template's “{}” in {}",
                                spec.label, template.name
                            ),
                            format!(
                                "“{written}”与{}模板用语“{}”不一致",
                                template.name, spec.label
                            ),
                        ),
                    )
                    .with_fix(fix),
            );
        }
        for unknown in &binding.unknown_rows {
            let Some(cell_range) =
                context.cell_range(CellRef::new(unknown.block, unknown.row, unknown.label_cell))
            else {
                continue;
            };
            let written = &source[cell_range];
            let mut found = report.finding(
                cell_range,
                Message::new(
                    format!(
                        "row “{written}” is not in the template of {}; its numbers are not checked",
                        template.name
                    ),
                    format!("“{written}”行不在{}模板中，其数字未参与核对", template.name),
                ),
            );
            found.severity = Severity::Info;
            report.push(found);
        }
    }
}

/// The label without its leading numbering.
fn strip_numbering(label: &str) -> &str {
    match parse_numbering(label) {
        Some(numbering) => &label[numbering.len..],
        None => label,
    }
}

/// The byte range of the name within a written label (after its numbering), when the name
/// is one unbroken run of text that can be replaced as a whole.
fn name_range(written: &str) -> Option<(usize, usize)> {
    let start = parse_numbering(written).map_or(0, |numbering| numbering.len);
    let name = &written[start..];
    if name.is_empty() || name.contains(is_space) || parse_numbering(name).is_some() {
        return None;
    }
    Some((start, written.len()))
}
