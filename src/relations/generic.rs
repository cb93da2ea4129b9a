//! Relations of any table from its own labels: a column headed 总计 / 合计 / 小计 / Total /
//! Subtotal / Sum is the sum of the numeric columns just before it; a row labelled so is
//! the sum of the rows above it (a 合计 after 小计 rows sums the 小计 rows). Ratio columns
//! (%, 率, 增速, 排名, 序号) are never summed.

use super::{Relation, RelationKind, Relations, Subject};
use crate::bind::CellRef;
use crate::document::table::{Row, Table, TableLayout};
use crate::text::label_key;

/// How strong a total label is: a subtotal sums plain rows; a total sums subtotals if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TotalRank {
    Subtotal,
    Total,
}

/// Recognises a total label: 总计, 合计, 小计, 共计, Total, Subtotal, Sum, Grand total
/// (with emphasis, whitespace or a parenthesised unit around it).
pub fn total_rank(label: &str) -> Option<TotalRank> {
    let key = label_key(label).to_lowercase();
    let key = match key.find(['(', '（']) {
        Some(open) if open > 0 => &key[..open],
        _ => key.as_str(),
    };
    let key = key.trim_end_matches([':', '：']);
    match key {
        "小计" | "subtotal" | "sub-total" => Some(TotalRank::Subtotal),
        "总计" | "合计" | "共计" | "总数" | "total" | "totals" | "sum" | "grandtotal" => {
            Some(TotalRank::Total)
        }
        _ if key.ends_with("小计") && key.chars().count() <= 6 => Some(TotalRank::Subtotal),
        _ if (key.ends_with("合计") || key.ends_with("总计")) && key.chars().count() <= 6 => {
            Some(TotalRank::Total)
        }
        _ => None,
    }
}

/// What a body row is to the total rows around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRow {
    /// A row a total sums.
    Part,
    /// A row no total sums: `其中：…` (a part of the row above), an average, a ratio.
    Skipped,
    Total(TotalRank),
}

/// Row labels that are never summed: breakdowns of the row above, averages and ratios.
const SKIPPED_ROW_PREFIXES: &[&str] = &[
    "其中",
    "含：",
    "含:",
    "平均",
    "均值",
    "中位数",
    "占比",
    "比重",
    "同比",
    "增长",
    "增幅",
    "average",
    "mean",
    "median",
    "ofwhich",
    "%",
];

fn body_row(label: &str) -> BodyRow {
    if let Some(rank) = total_rank(label) {
        return BodyRow::Total(rank);
    }
    let key = label_key(label).to_lowercase();
    if SKIPPED_ROW_PREFIXES
        .iter()
        .any(|prefix| key.starts_with(prefix))
        || key.ends_with('%')
        || key.ends_with("率")
    {
        BodyRow::Skipped
    } else {
        BodyRow::Part
    }
}

/// Header words of columns that hold ratios, ranks or serial numbers, which never add up.
const NOT_SUMMED: &[&str] = &[
    "%", "率", "比重", "占比", "增速", "增长", "同比", "环比", "排名", "名次", "序号", "编号",
    "年份",
];

/// English header words (whole words) of columns that never add up.
const NOT_SUMMED_WORDS: &[&str] = &[
    "rate",
    "ratio",
    "share",
    "rank",
    "ranking",
    "growth",
    "change",
    "year",
    "percent",
    "percentage",
];

/// Headers of serial-number columns, matched whole (`No. of cases` is a count).
const SERIAL_HEADERS: &[&str] = &["no", "no.", "#", "id", "nr"];

/// True when a header names a ratio, rank or serial-number column.
fn not_summed(header: &str) -> bool {
    let lower = header.to_lowercase();
    NOT_SUMMED.iter().any(|word| lower.contains(word))
        || lower
            .split(|character: char| !character.is_alphanumeric())
            .any(|word| NOT_SUMMED_WORDS.contains(&word))
        || SERIAL_HEADERS.contains(&lower.trim())
}

/// Adds the relations a table's own total labels imply.
pub fn relations(source: &str, block: usize, table: &Table, out: &mut Relations) {
    let Some(header_index) = header_row(table) else {
        return;
    };
    let header = &table.rows[header_index];
    let width = header.cells.len();
    // A row fits when its cells line up with the header's; trailing empty cells (a trailing
    // tab) do not count either way.
    let fits = |row: &Row| lines_up(table, header, row);
    let body: Vec<usize> = (header_index + 1..table.rows.len())
        .filter(|&row| fits(&table.rows[row]))
        .collect();
    let label_of = |row: &Row| row.first_text(source);
    let column_names: Vec<&str> = header.cells.iter().map(|cell| cell.text(source)).collect();
    let numeric: Vec<bool> = (0..width)
        .map(|column| {
            let name = column_names[column].to_lowercase();
            let key = label_key(&name);
            let summable = !not_summed(&name)
                && !["其中", "含：", "含:", "平均", "average", "mean"]
                    .iter()
                    .any(|prefix| key.starts_with(prefix));
            let numbers = body
                .iter()
                .filter(|&&row| {
                    table.rows[row].cells[column]
                        .number()
                        .is_some_and(|number| !number.is_ratio())
                })
                .count();
            let filled = body
                .iter()
                .filter(|&&row| !table.rows[row].cells[column].is_blank())
                .count();
            summable && numbers > 0 && numbers * 2 >= filled
        })
        .collect();
    let total_columns: Vec<usize> = (0..width)
        .filter(|&column| numeric[column] && total_rank(column_names[column]).is_some())
        .collect();
    let ragged_rows: Vec<usize> = (header_index + 1..table.rows.len())
        .filter(|&row| !fits(&table.rows[row]))
        .collect();

    // Total columns: each row's total equals the numeric columns right before it.
    for &total_column in &total_columns {
        let parts = part_columns(&numeric, &total_columns, total_column);
        if parts.len() < 2 {
            continue;
        }
        for &row in &body {
            let cell = |column: usize| CellRef {
                block,
                row,
                cell: column,
            };
            out.list.push(Relation {
                kind: RelationKind::Sum,
                left: vec![cell(total_column)],
                right: parts.iter().map(|&column| cell(column)).collect(),
                subject: Subject::RowTotal,
            });
        }
    }

    // Total rows: each numeric column's total equals the rows it sums.
    let ranks: Vec<BodyRow> = body
        .iter()
        .map(|&row| body_row(label_of(&table.rows[row])))
        .collect();
    // Budget tables put each block's total first (`收入合计` above its items): when the
    // table opens with a total, every total sums the rows below it.
    let totals_on_top = ranks
        .iter()
        .find(|rank| **rank != BodyRow::Skipped)
        .is_some_and(|rank| matches!(rank, BodyRow::Total(_)));
    for (position, &row) in body.iter().enumerate() {
        let BodyRow::Total(rank) = ranks[position] else {
            continue;
        };
        let parts = part_rows(&ranks, position, rank, totals_on_top);
        if parts.len() < 2 {
            continue;
        }
        // A ragged row among the summed rows makes the column sums uncheckable.
        let previous_boundary = (0..position)
            .rev()
            .find(|&earlier| matches!(ranks[earlier], BodyRow::Total(_)))
            .map_or(header_index, |earlier| body[earlier]);
        let next_boundary = (position + 1..body.len())
            .find(|&later| matches!(ranks[later], BodyRow::Total(_)))
            .map_or(table.rows.len(), |later| body[later]);
        let (low, high) = if body[parts[0]] < row {
            (previous_boundary, row)
        } else {
            (row, next_boundary)
        };
        if ragged_rows
            .iter()
            .any(|&ragged| ragged > low && ragged < high)
        {
            continue;
        }
        for column in (0..width).filter(|&column| numeric[column]) {
            out.list.push(Relation {
                kind: RelationKind::Sum,
                left: vec![CellRef {
                    block,
                    row,
                    cell: column,
                }],
                right: parts
                    .iter()
                    .map(|&part| CellRef {
                        block,
                        row: body[part],
                        cell: column,
                    })
                    .collect(),
                subject: Subject::ColumnTotal,
            });
        }
    }
}

/// A row lines up with the header when it has as many cells, or (outside Markdown, where a
/// trailing tab adds an empty cell) the same cells up to the last filled one.
fn lines_up(table: &Table, header: &Row, row: &Row) -> bool {
    let width = header.cells.len();
    row.cells.len() == width
        || (table.layout != TableLayout::Pipe
            && row.filled_width() == header.filled_width()
            && row.cells.len() >= width)
}

/// Rows whose cells do not line up with the header, in a table whose total labels give it
/// relations: those rows are left out of every sum, so `table-shape` reports them.
pub fn ragged_rows(source: &str, table: &Table) -> Vec<usize> {
    let Some(header_index) = header_row(table) else {
        return Vec::new();
    };
    let header = &table.rows[header_index];
    let has_totals = header
        .cells
        .iter()
        .any(|cell| total_rank(cell.text(source)).is_some())
        || table.rows[header_index + 1..]
            .iter()
            .any(|row| total_rank(row.first_text(source)).is_some());
    if !has_totals {
        return Vec::new();
    }
    let fits = |row: &Row| lines_up(table, header, row);
    (header_index + 1..table.rows.len())
        .filter(|&row| table.rows[row].has_numbers() && !fits(&table.rows[row]))
        .collect()
}

/// The header row: the last row before a Markdown delimiter, else the first row with two or
/// more text cells and no numbers.
pub fn header_row(table: &Table) -> Option<usize> {
    if table.layout == TableLayout::Pipe && table.header_rows > 0 {
        return Some(table.header_rows - 1);
    }
    table.rows.iter().position(|row| {
        !row.has_numbers() && row.cells.iter().filter(|cell| cell.is_text()).count() >= 2
    })
}

/// The numeric columns a total column sums: the unbroken run of numeric, non-total columns
/// right before it, or, when there is none, right after it.
fn part_columns(numeric: &[bool], totals: &[usize], total: usize) -> Vec<usize> {
    let usable = |column: usize| numeric[column] && !totals.contains(&column);
    let before: Vec<usize> = (0..total)
        .rev()
        .take_while(|&column| usable(column))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if !before.is_empty() {
        return before;
    }
    (total + 1..numeric.len())
        .take_while(|&column| usable(column))
        .collect()
}

/// The body positions a total row sums: plain rows back to the previous total of any rank
/// (for a subtotal), or the subtotals since the previous total when there are some. A total
/// row at the top of the table sums the rows below it instead.
fn part_rows(ranks: &[BodyRow], position: usize, rank: TotalRank, below: bool) -> Vec<usize> {
    // Plain rows met before any subtotal lie outside every subtotal group (after the last
    // one, or before the first when totals come first); rows beyond a subtotal belong to it.
    let mut outside = Vec::new();
    let mut subtotals = Vec::new();
    let others: Box<dyn Iterator<Item = usize>> = if below {
        Box::new(position + 1..ranks.len())
    } else {
        Box::new((0..position).rev())
    };
    for other in others {
        match ranks[other] {
            BodyRow::Part if subtotals.is_empty() => outside.push(other),
            BodyRow::Part | BodyRow::Skipped => {}
            BodyRow::Total(TotalRank::Subtotal) if rank == TotalRank::Total => {
                subtotals.push(other)
            }
            BodyRow::Total(_) => break,
        }
    }
    // A total over subtotals sums the subtotals and the rows no subtotal covers.
    let mut chosen = outside;
    chosen.extend(subtotals);
    if !below && chosen.is_empty() {
        // A total at the very top of a table that does not open with totals sums the rows below.
        return part_rows(ranks, position, rank, true);
    }
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_labels() {
        assert_eq!(total_rank("**合计**"), Some(TotalRank::Total));
        assert_eq!(total_rank("总计（万元）"), Some(TotalRank::Total));
        assert_eq!(total_rank("Total"), Some(TotalRank::Total));
        assert_eq!(total_rank("Subtotal"), Some(TotalRank::Subtotal));
        assert_eq!(total_rank("收入合计"), Some(TotalRank::Total));
        assert_eq!(total_rank("总计划投资"), None);
        assert_eq!(total_rank("Total revenue"), None);
    }

    #[test]
    fn subtotals_feed_the_total() {
        use BodyRow::{Part, Skipped, Total};
        let ranks = [
            Part,
            Part,
            Total(TotalRank::Subtotal),
            Part,
            Skipped,
            Part,
            Total(TotalRank::Subtotal),
            Total(TotalRank::Total),
        ];
        assert_eq!(part_rows(&ranks, 2, TotalRank::Subtotal, false), vec![0, 1]);
        assert_eq!(part_rows(&ranks, 6, TotalRank::Subtotal, false), vec![3, 5]);
        assert_eq!(part_rows(&ranks, 7, TotalRank::Total, false), vec![2, 6]);
        let blocks = [
            Total(TotalRank::Total),
            Part,
            Part,
            Total(TotalRank::Total),
            Part,
            Skipped,
            Part,
        ];
        assert_eq!(part_rows(&blocks, 0, TotalRank::Total, true), vec![1, 2]);
        assert_eq!(part_rows(&blocks, 3, TotalRank::Total, true), vec![4, 6]);
        let top = [Total(TotalRank::Total), Part, Skipped, Part];
        assert_eq!(part_rows(&top, 0, TotalRank::Total, false), vec![1, 3]);
        assert_eq!(body_row("其中：中央补助"), Skipped);
        assert_eq!(body_row("Average"), Skipped);
        assert_eq!(body_row("东城区"), Part);
        let trailing = [
            Part,
            Total(TotalRank::Subtotal),
            Part,
            Part,
            Total(TotalRank::Subtotal),
            Part,
            Total(TotalRank::Total),
        ];
        assert_eq!(
            part_rows(&trailing, 6, TotalRank::Total, false),
            vec![1, 4, 5]
        );
        assert!(not_summed("Growth (%)") && not_summed("No.") && not_summed("Rank"));
        for summed in [
            "Corporate",
            "No. of cases",
            "Shareholders",
            "Exchange",
            "Yearly total",
        ] {
            assert!(!not_summed(summed), "{summed}");
        }
        assert_eq!(body_row("含山县"), Part);
        assert_eq!(body_row("含：利息收入"), Skipped);
    }
}
