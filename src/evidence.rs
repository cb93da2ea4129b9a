//! The arithmetic behind the checks, written out for people: every relation a document's
//! tables take part in, with its numbers (`✗ 53 ≠ 11 + 2 + 0 = 13`). The language server's
//! hover and inlay hints show it; the rules decide nothing from it. Pure, like the engine.

use crate::diagnostic::Message;
use crate::number::{format_like, Decimal};
use crate::profile::Selection;
use crate::relations::{evaluate, operand, Operand, RelationKind, Status};
use crate::rules::Context;
use text_size::TextRange;

/// At most this many terms are written out per side; a long column ends in `+ … (N more)`.
const MAX_TERMS: usize = 20;

/// One relation, evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Whether the relation holds; `None` when a blank cell leaves it unchecked.
    pub holds: Option<bool>,
    /// The total cell of a sum (where a wrong total's computed value belongs).
    pub total: Option<TextRange>,
    /// Every cell that takes part.
    pub cells: Vec<TextRange>,
    /// What is checked, then the arithmetic: "the 总计 of row “…”: 53 ≠ 11 + 2 + 0 = 13".
    pub text: Message,
    /// The value the total should have, written like the total (for a failing sum).
    pub expected: Option<String>,
}

/// What the hover on the title says: the profile and why (`Profile gov-2021: title year
/// 2023`).
pub fn profile_text(selection: &Selection) -> Message {
    let reason = selection.basis.message();
    let name = &selection.profile.name;
    Message::new(
        format!("Profile {name}: {}", reason.en),
        format!("格式 {name}：{}", reason.zh),
    )
}

/// The relations of the text whose cells all hold numbers or blanks and that `wanted` keeps
/// (given the ranges of their cells and of their total), written out. Only the kept ones are
/// evaluated and formatted, so a hover on one cell costs a scan of the relations' cells.
pub fn evidence(
    context: &Context,
    wanted: impl Fn(&mut dyn Iterator<Item = TextRange>, Option<TextRange>) -> bool,
) -> Vec<Evidence> {
    let document = context.document;
    let value = |cell| operand(document, cell);
    let mut out = Vec::new();
    for relation in &context.relations.list {
        let ranges = || relation.cells().filter_map(|cell| context.cell_range(cell));
        let total_cell = relation.total().and_then(|cell| context.cell(cell));
        let total_range = relation.total().and_then(|cell| context.cell_range(cell));
        if !wanted(&mut ranges(), total_range) {
            continue;
        }
        let cells: Vec<TextRange> = ranges().collect();
        let status = evaluate(relation, &value);
        let holds = match status {
            Status::Holds => Some(true),
            Status::Fails { .. } => Some(false),
            Status::Unchecked => None,
            Status::NotNumeric => continue,
        };
        let side = |cells: &[crate::bind::CellRef]| terms(context, cells);
        let (left, right) = (side(&relation.left), side(&relation.right));
        let operator = match (relation.kind, holds) {
            (RelationKind::AtMost, Some(false)) => ">",
            (RelationKind::AtMost, _) => "≤",
            (_, Some(false)) => "≠",
            _ => "=",
        };
        let mark = match holds {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "?",
        };
        let arithmetic = format!("{mark} {left} {operator} {right}");
        let subject = context.subject(relation);
        let text = Message::new(
            format!("{}: {arithmetic}", subject.en),
            format!("{}：{arithmetic}", subject.zh),
        );
        let expected = match (status, total_cell.and_then(|cell| cell.number())) {
            (Status::Fails { right, .. }, Some(number)) if relation.kind == RelationKind::Sum => {
                Some(format_like(right, &number))
            }
            _ => None,
        };
        out.push(Evidence {
            holds,
            total: total_range,
            cells,
            text,
            expected,
        });
    }
    out
}

/// One side of a relation: its cells as written, joined by `+`, and their sum when there is
/// more than one (`11 + 2 + 0 = 13`). A blank cell shows as `(blank)`.
fn terms(context: &Context, cells: &[crate::bind::CellRef]) -> String {
    let mut written: Vec<String> = cells
        .iter()
        .take(MAX_TERMS)
        .map(|&cell| match operand(context.document, cell) {
            Operand::Blank => "(blank)".to_string(),
            _ => context.cell_text(cell).to_string(),
        })
        .collect();
    if cells.len() > MAX_TERMS {
        written.push(format!("… ({} more)", cells.len() - MAX_TERMS));
    }
    let joined = written.join(" + ");
    if cells.len() < 2 {
        return joined;
    }
    let mut sum = Some(Decimal::ZERO);
    for &cell in cells {
        sum = match (sum, operand(context.document, cell)) {
            (Some(total), Operand::Value(value)) => total.checked_add(value),
            (Some(total), Operand::Blank) => Some(total),
            _ => None,
        };
    }
    match sum {
        Some(sum) => format!("{joined} = {}", sum.normalized()),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    fn texts(source: &str) -> Vec<(Option<bool>, String, Option<String>)> {
        let analysis = crate::analysis::Analysis::of_text(
            source.to_string(),
            None,
            &crate::lint::LintOptions::default(),
        );
        analysis
            .evidence_in(0..source.len())
            .into_iter()
            .map(|found| (found.holds, found.text.en, found.expected))
            .collect()
    }

    #[test]
    fn a_wrong_total_shows_its_arithmetic_and_the_expected_value() {
        let source = "| Item | Amount |\n|---|---|\n| A | 1,200 |\n| B | 30 |\n| Total | 1,300 |\n";
        let found = texts(source);
        assert_eq!(found.len(), 1, "{found:?}");
        let (holds, text, expected) = &found[0];
        assert_eq!(*holds, Some(false));
        assert!(text.ends_with("✗ 1,300 ≠ 1,200 + 30 = 1230"), "{text}");
        assert_eq!(expected.as_deref(), Some("1,230"));
    }

    #[test]
    fn the_profile_is_explained_in_both_languages() {
        let source = "某区2023年政府信息公开工作年度报告\n\n一、总体情况\n";
        let document = parse(source);
        let selection = crate::profile::select(source, &document, None);
        let text = profile_text(&selection);
        assert_eq!(text.en, "Profile gov-2021: title year 2023");
        assert_eq!(text.zh, "格式 gov-2021：标题年份 2023");
    }

    #[test]
    fn a_right_total_is_marked_as_holding() {
        let source = "| Item | Amount |\n|---|---|\n| A | 3 |\n| B | 6 |\n| Total | 9 |\n";
        let found = texts(source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Some(true));
        assert!(found[0].1.ends_with("✓ 9 = 3 + 6 = 9"), "{}", found[0].1);
        assert_eq!(found[0].2, None);
    }

    #[test]
    fn a_blank_part_leaves_the_relation_unchecked() {
        let source = "| Item | Amount |\n|---|---|\n| A | 3 |\n| B | |\n| Total | 9 |\n";
        let found = texts(source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, None);
        assert!(found[0].1.contains("(blank)"), "{}", found[0].1);
    }
}
