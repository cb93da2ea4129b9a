//! Turns the relation analysis into diagnostics, shared by `sum-mismatch` and
//! `balance-mismatch`: a culprit cell gets one diagnostic naming every relation it breaks;
//! an ambiguous failure is reported on its own total. Invariant: a total set to the sum of
//! its parts is a safe fix only when the evidence singles it out or presumes it wrong;
//! changing an addend is always unsafe.

use super::{Context, Report};
use crate::bind::CellRef;
use crate::diagnostic::{Diagnostic, Message, Related};
use crate::fix::{replace_cell, Applicability, Fix};
use crate::number::{format_like, Decimal, MAX_DIGITS};
use crate::relations::{evaluate, operand, Finding, Relation, RelationKind, Status};
use std::collections::HashSet;

/// Which of the two rules an arithmetic finding belongs to. Relations do not know rules:
/// this mapping from what a relation checks to the rule that reports it is the only one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arithmetic {
    /// `sum-mismatch`: totals and subtotals (and bounds, reported as warnings).
    Sums,
    /// `balance-mismatch`: one side equal to the other.
    Balances,
}

impl Arithmetic {
    fn of_relation(relation: &Relation) -> Arithmetic {
        match relation.kind {
            RelationKind::Sum | RelationKind::AtMost => Arithmetic::Sums,
            RelationKind::Balance => Arithmetic::Balances,
        }
    }

    /// A mistyped cell that repairs any sum is a sum mismatch, else a balance mismatch.
    fn of_finding(context: &Context, finding: &Finding) -> Arithmetic {
        match finding {
            Finding::Cell { explains, .. } => {
                if explains
                    .iter()
                    .any(|&index| relation(context, index).kind == RelationKind::Sum)
                {
                    Arithmetic::Sums
                } else {
                    Arithmetic::Balances
                }
            }
            Finding::Ambiguous {
                relation: index, ..
            } => Arithmetic::of_relation(relation(context, *index)),
        }
    }
}

/// The diagnostics of every finding of `kind`, through the report of its rule.
pub fn report(context: &Context, kind: Arithmetic, report: &mut Report) {
    for finding in context
        .findings
        .iter()
        .filter(|finding| Arithmetic::of_finding(context, finding) == kind)
    {
        let found = finding_diagnostic(context, finding, report);
        report.extend(found);
    }
}

/// How many related locations a diagnostic lists: enough to audit a column of table 三,
/// not a 20,000-row column.
const MAX_RELATED: usize = 60;

/// Related locations for cells, each once, at most `MAX_RELATED`; `role` may tag a cell
/// (`total` / `summed`).
fn related_cells(
    context: &Context,
    cells: impl Iterator<Item = CellRef>,
    role: impl Fn(CellRef) -> Option<(&'static str, &'static str)>,
) -> Vec<Related> {
    let mut seen = HashSet::new();
    cells
        .filter(|&cell| seen.insert(cell))
        .take(MAX_RELATED)
        .map(|cell| {
            let (name, text) = (context.describe(cell), context.cell_text(cell));
            let message = match role(cell) {
                Some((en, zh)) => Message::new(
                    format!("{name} ({en}): {text}"),
                    format!("{name}（{zh}）：{text}"),
                ),
                None => Message::new(format!("{name}: {text}"), format!("{name}：{text}")),
            };
            Related {
                range: range_of(context, cell),
                message,
            }
        })
        .collect()
}

/// Bounds that fail (`其中` above its parent, 本年新公开数量 above 对外公开总数量), as
/// warnings: a bound says something is implausible, not which number is wrong.
pub fn report_bounds(context: &Context, report: &mut Report) {
    for relation in context
        .relations
        .list
        .iter()
        .filter(|relation| relation.kind == RelationKind::AtMost)
    {
        let Some((left, right)) = sides(context, relation) else {
            continue;
        };
        let Some(anchor) = relation.left.first().or(relation.right.first()).copied() else {
            continue;
        };
        let (left, right) = (shown(context, anchor, left), shown(context, anchor, right));
        let related = related_cells(
            context,
            relation.cells().filter(|&cell| cell != anchor),
            |_| None,
        );
        let mut found = report
            .finding(
                range_of(context, anchor),
                if relation.left.is_empty() {
                    Message::new(
                        format!("{}: it comes to {right}", context.subject(relation).en),
                        format!("{}：结果为 {right}", context.subject(relation).zh),
                    )
                } else {
                    Message::new(
                        format!("{}: {left} > {right}", context.subject(relation).en),
                        format!("{}：{left} > {right}", context.subject(relation).zh),
                    )
                },
            )
            .with_related(related);
        found.severity = crate::diagnostic::Severity::Warning;
        report.push(found);
    }
}

fn relation<'c>(context: &'c Context, index: usize) -> &'c Relation {
    &context.relations.list[index]
}

/// "0 ≠ 2" for a failing relation as written.
fn sides(context: &Context, relation: &Relation) -> Option<(Decimal, Decimal)> {
    match evaluate(relation, &|cell| operand(context.document, cell)) {
        Status::Fails { left, right } => Some((left, right)),
        _ => None,
    }
}

fn finding_diagnostic(context: &Context, finding: &Finding, report: &Report) -> Option<Diagnostic> {
    match finding {
        Finding::Cell {
            cell,
            value,
            written,
            explains,
            presumed,
        } => Some(cell_diagnostic(
            context, report, *cell, *value, *written, explains, *presumed,
        )),
        Finding::Ambiguous {
            relation: index,
            total_fixable,
        } => ambiguous_diagnostic(context, report, *index, *total_fixable),
    }
}

fn cell_diagnostic(
    context: &Context,
    report: &Report,
    cell: CellRef,
    value: Decimal,
    written: Decimal,
    explains: &[usize],
    presumed: bool,
) -> Diagnostic {
    let explained: Vec<&Relation> = explains
        .iter()
        .map(|&index| relation(context, index))
        .collect();
    let is_total = explained
        .iter()
        .any(|relation| relation.total() == Some(cell));
    let difference = shown(
        context,
        cell,
        written.checked_sub(value).unwrap_or(Decimal::ZERO),
    );
    let (written, value_text) = (shown(context, cell, written), shown(context, cell, value));
    let name = context.describe(cell);
    let column = context.cell_name(cell).column;
    let listing_en: Vec<String> = explained
        .iter()
        .map(|relation| failing_text(context, relation, &context.subject(relation).en))
        .collect();
    let listing_zh: Vec<String> = explained
        .iter()
        .map(|relation| failing_text(context, relation, &context.subject(relation).zh))
        .collect();
    let message = if is_total
        && explained
            .first()
            .is_some_and(|first| first.total() == Some(cell))
    {
        let first = explained[0];
        let mut en = format!(
            "{} is {written} but its parts add up to {value_text} (difference {difference})",
            context.subject(first).en
        );
        let mut zh = format!(
            "{}为 {written}，但各项之和为 {value_text}（相差 {difference}）",
            context.subject(first).zh
        );
        if explained.len() > 1 {
            en.push_str(&format!(
                "; {value_text} here also makes {} add up",
                listing_en[1..].join("; ")
            ));
            zh.push_str(&format!(
                "；改为 {value_text} 后，{} 也都相符",
                listing_zh[1..].join("；")
            ));
        }
        if presumed {
            en.push_str(
                "; other single changes would also repair it, so the total is presumed wrong",
            );
            zh.push_str("；虽也可改其他单元格，但通常是合计数填错");
        }
        Message::new(en, zh)
    } else {
        let count = explained.len();
        Message::new(
            format!(
                "{name} is {written} but should be {value_text} (difference {difference}): this one cell explains {} {}: {}",
                count,
                if count == 1 { "failing total" } else { "failing totals" },
                listing_en.join("; ")
            ),
            format!("{name}填为 {written}，应为 {value_text}（相差 {difference}）：这一个单元格即可解释 {count} 处不符：{}", listing_zh.join("；")),
        )
    };
    let totals: HashSet<CellRef> = explained
        .iter()
        .filter_map(|relation| relation.total())
        .collect();
    let related = related_cells(
        context,
        explained
            .iter()
            .flat_map(|relation| relation.cells())
            .filter(|&other| other != cell),
        |other| {
            Some(if totals.contains(&other) {
                ("total", "合计")
            } else {
                ("summed", "参与求和")
            })
        },
    );
    // A relation whose parts were guessed from an unclear hierarchy may be wrong itself.
    let guessed = explained.iter().any(|relation| relation.guessed);
    let applicability = if is_total && !guessed {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let fix = cell_fix(context, cell, value, &column, applicability);
    let found = report
        .finding(range_of(context, cell), guess_noted(message, guessed))
        .with_related(related)
        .with_fix(fix);
    downgraded(found, guessed)
}

/// A finding that rests on a guessed hierarchy says so.
fn guess_noted(message: Message, guessed: bool) -> Message {
    if !guessed {
        return message;
    }
    Message::new(
        format!(
            "{}; the table does not say which rows this total sums, so this is only a hint",
            message.en
        ),
        format!("{}；表中看不出此合计汇总哪些行，仅供参考", message.zh),
    )
}

/// A finding on a guessed hierarchy is information, never an error.
fn downgraded(mut found: Diagnostic, guessed: bool) -> Diagnostic {
    if guessed {
        found.severity = crate::diagnostic::Severity::Info;
    }
    found
}

fn failing_text(context: &Context, relation: &Relation, subject: &str) -> String {
    match sides(context, relation) {
        Some((left, right)) => {
            let style_of = relation.left.first().copied();
            let show = |value: Decimal| {
                style_of.map_or_else(|| value.to_string(), |cell| shown(context, cell, value))
            };
            format!("{subject} ({} ≠ {})", show(left), show(right))
        }
        None => subject.to_string(),
    }
}

/// A value written the way the cell writes its number (`1,390`, `26216.97万元`), so that
/// messages quote numbers as the reader sees them.
/// A count is written as a whole number even if the mistyped cell had decimals (`0.5`).
fn shown(context: &Context, cell: CellRef, value: Decimal) -> String {
    match context.cell(cell).and_then(|found| found.number()) {
        Some(number) if context.is_count(cell) && value.is_integer() => {
            format_like(value.normalized(), &number.whole_style())
        }
        Some(number) => format_like(value, &number),
        None => value.to_string(),
    }
}

fn ambiguous_diagnostic(
    context: &Context,
    report: &Report,
    index: usize,
    total_fixable: bool,
) -> Option<Diagnostic> {
    let relation = relation(context, index);
    let (left_value, right_value) = sides(context, relation)?;
    let anchor = relation
        .total()
        .or_else(|| relation.right.first().copied())?;
    let difference = shown(
        context,
        anchor,
        left_value.checked_sub(right_value).unwrap_or(Decimal::ZERO),
    );
    let (left, right) = (
        shown(context, anchor, left_value),
        shown(context, anchor, right_value),
    );
    let (message, fix) = match relation.kind {
        RelationKind::Sum => {
            let column = context.cell_name(anchor).column;
            (
                Message::new(
                    format!("{} is {left} but its parts add up to {right} (difference {difference}); the evidence does not single out one cell, so check the parts too", context.subject(relation).en),
                    format!("{}为 {left}，但各项之和为 {right}（相差 {difference}）；无法判断是哪一个单元格填错，请一并核对各项", context.subject(relation).zh),
                ),
                // Offered only when it breaks no total that adds up; otherwise fixes could flip
                // a cell back and forth between two totals.
                cell_fix(context, anchor, right_value, &column, Applicability::Unsafe).filter(|_| total_fixable),
            )
        }
        // Bounds never reach the culprit search; `report_bounds` reports them.
        RelationKind::AtMost => return None,
        RelationKind::Balance => (
            Message::new(
                format!(
                    "{} does not balance: {left} ≠ {right} (difference {difference})",
                    context.subject(relation).en
                ),
                format!(
                    "{}不平衡：{left} ≠ {right}（相差 {difference}）",
                    context.subject(relation).zh
                ),
            ),
            None,
        ),
    };
    let related = related_cells(
        context,
        relation.cells().filter(|&cell| cell != anchor),
        |_| None,
    );
    let found = report
        .finding(
            range_of(context, anchor),
            guess_noted(message, relation.guessed),
        )
        .with_related(related)
        .with_fix(fix);
    Some(downgraded(found, relation.guessed))
}

fn range_of(context: &Context, cell: CellRef) -> text_size::TextRange {
    context
        .cell_range(cell)
        .unwrap_or_else(|| text_size::TextRange::empty(0.into()))
}

/// "Set 总计 to 53" in the cell's own number style.
fn cell_fix(
    context: &Context,
    cell: CellRef,
    value: Decimal,
    column: &str,
    applicability: Applicability,
) -> Option<Fix> {
    let found = context.cell(cell)?;
    found.number()?;
    // A number too long to be read back is never written.
    if value.digits() > MAX_DIGITS {
        return None;
    }
    let new_text = shown(context, cell, value);
    let title = if column.is_empty() {
        Message::new(
            format!("Set this cell to {new_text}"),
            format!("把此单元格改为 {new_text}"),
        )
    } else {
        Message::new(
            format!("Set {column} to {new_text}"),
            format!("把{column}改为 {new_text}"),
        )
    };
    Some(Fix {
        title,
        applicability,
        edits: vec![replace_cell(
            context.source,
            context.cell_range(cell)?,
            new_text,
        )],
    })
}
