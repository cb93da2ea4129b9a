//! Relations of any table from its own labels: a column headed 总计 / 合计 / 小计 / Total /
//! Subtotal / Sum is the sum of the numeric columns just before it; a row labelled so is
//! the sum of the rows above it (a 合计 after 小计 rows sums the 小计 rows). Ratio columns
//! (%, 率, 增速, 排名, 序号) are never summed.

use super::{Relation, RelationKind, Relations, Subject};
use crate::bind::CellRef;
use crate::document::heading::parse_numbering;
use crate::document::table::{Row, Table, TableLayout};
use crate::number::Decimal;
use crate::text::{label_key, lowercase};

/// How strong a total label is: a subtotal sums plain rows; a total sums subtotals if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TotalRank {
    Subtotal,
    Total,
}

/// Recognises a total label: 总计, 合计, 小计, 共计, Total, Subtotal, Sum, Grand total
/// (with emphasis, whitespace or a parenthesised unit around it).
pub fn total_rank(label: &str) -> Option<TotalRank> {
    rank_of(&lower_key(label))
}

/// A label's key in lower case: what the total and row patterns are matched against.
fn lower_key(label: &str) -> String {
    lowercase(label_key(label))
}

/// `total_rank` of a label already made a lower-case key.
fn rank_of(key: &str) -> Option<TotalRank> {
    let key = match key.find(['(', '（']) {
        Some(open) if open > 0 => &key[..open],
        _ => key,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyRow {
    /// A row a total may sum, with its numbering level (`一、` 1, `（一）` 2, `1.` 3, `（1）` 4)
    /// when it has one.
    Part { level: Option<u8> },
    /// `其中：…`, `含：…`, `of which …`, `including …`: a breakdown of the row above.
    Breakdown,
    /// A row no total sums: an average, a ratio.
    Skipped,
    /// A total; `scope` is the X of `Total X` / `X合计` / `X小计` (label key), empty for a
    /// bare 合计 / Total.
    Total { rank: TotalRank, scope: String },
}

/// Row labels that break down the row above: never summed with it.
const BREAKDOWN_PREFIXES: &[&str] = &[
    "其中",
    "含：",
    "含:",
    "ofwhich",
    "including",
    "includes",
    "incl.",
    "thereof",
];

/// Row labels that are never summed: averages and ratios.
const SKIPPED_ROW_PREFIXES: &[&str] = &[
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
    "%",
];

fn body_row(label: &str) -> BodyRow {
    let key = lower_key(label);
    if let Some(rank) = rank_of(&key) {
        let scope = named_total(&key).map_or_else(String::new, |(_, scope)| scope);
        return BodyRow::Total { rank, scope };
    }
    if let Some((rank, scope)) = named_total(&key) {
        return BodyRow::Total { rank, scope };
    }
    if BREAKDOWN_PREFIXES
        .iter()
        .any(|prefix| key.starts_with(prefix))
    {
        BodyRow::Breakdown
    } else if SKIPPED_ROW_PREFIXES
        .iter()
        .any(|prefix| key.starts_with(prefix))
        || key.ends_with('%')
        || key.ends_with("率")
    {
        BodyRow::Skipped
    } else {
        let numbering = parse_numbering(label.trim_start_matches(crate::text::is_space));
        BodyRow::Part {
            level: numbering.map(|numbering| numbering.style.level()),
        }
    }
}

/// A total of something named: `Total current assets`, `流动资产合计`, `基本支出小计`
/// (label key, lower case), with its scope (`currentassets`, `流动资产`). Numbering before
/// the name is left out of the scope.
fn named_total(key: &str) -> Option<(TotalRank, String)> {
    let strip = |scope: &str| {
        let start = parse_numbering(scope).map_or(0, |numbering| numbering.len);
        scope[start..].trim_matches([':', '：']).to_string()
    };
    if let Some(scope) = key
        .strip_prefix("total")
        .filter(|scope| scope.len() > 1 && scope.chars().next().is_some_and(char::is_alphabetic))
    {
        return Some((TotalRank::Total, strip(scope)));
    }
    if let Some(scope) = key
        .strip_prefix("subtotal")
        .filter(|scope| !scope.is_empty())
    {
        return Some((TotalRank::Subtotal, strip(scope)));
    }
    for (suffix, rank) in [
        ("小计", TotalRank::Subtotal),
        ("合计", TotalRank::Total),
        ("总计", TotalRank::Total),
    ] {
        if let Some(scope) = key.strip_suffix(suffix).filter(|scope| !scope.is_empty()) {
            return Some((rank, strip(scope)));
        }
    }
    None
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
    let header = &table.row(header_index);
    let width = header.cells.len();
    // A row fits when its cells line up with the header's; trailing empty cells (a trailing
    // tab) do not count either way.
    let fits = |row: &Row| lines_up(table, header, row);
    let body: Vec<usize> = (header_index + 1..table.row_count())
        .filter(|&row| fits(&table.row(row)))
        .collect();
    let label_of = |row: &Row| table.row_label(source, row);
    let column_names: Vec<&str> = header
        .cells
        .iter()
        .map(|cell| table.cell_text(source, cell))
        .collect();
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
                    table.row(row).cells[column]
                        .number()
                        .is_some_and(|number| !number.is_ratio())
                })
                .count();
            let filled = body
                .iter()
                .filter(|&&row| !table.row(row).cells[column].is_blank())
                .count();
            summable && numbers > 0 && numbers * 2 >= filled
        })
        .collect();
    let column_ranks: Vec<Option<TotalRank>> = (0..width)
        .map(|column| total_rank(column_names[column]).filter(|_| numeric[column]))
        .collect();
    let total_columns: Vec<usize> = (0..width)
        .filter(|&column| column_ranks[column].is_some())
        .collect();
    // A row of labels only (`Current assets`, a group label) holds no value a sum could
    // miss: only rows with numbers that do not line up make sums uncheckable.
    let ragged_rows: Vec<usize> = (header_index + 1..table.row_count())
        .filter(|&row| table.row(row).has_numbers() && !fits(&table.row(row)))
        .collect();

    // Total columns: each row's total equals the numeric columns right before it.
    for &total_column in &total_columns {
        let parts = part_columns(&numeric, &column_ranks, total_column);
        if parts.is_empty() {
            continue;
        }
        for &row in &body {
            let cell = |column: usize| CellRef::new(block, row, column);
            out.list.push(Relation {
                kind: RelationKind::Sum,
                left: vec![cell(total_column)],
                right: parts.iter().map(|&column| cell(column)).collect(),
                subject: Subject::RowTotal,
                guessed: false,
            });
        }
    }

    // Total rows: each numeric column's total equals the rows it sums.
    let ranks: Vec<BodyRow> = body
        .iter()
        .map(|&row| body_row(label_of(&table.row(row))))
        .collect();
    let indents: Vec<Option<usize>> = body
        .iter()
        .map(|&row| label_indent(source, table, &table.row(row)))
        .collect();
    // Budget tables put each block's total first (`收入合计` above its items): when the
    // table opens with a total, every total sums the rows below it.
    let totals_on_top = ranks
        .iter()
        .find(|rank| **rank != BodyRow::Skipped)
        .is_some_and(|rank| matches!(rank, BodyRow::Total { .. }));
    let is_total = |position: usize| matches!(ranks[position], BodyRow::Total { .. });
    for (position, &row) in body.iter().enumerate() {
        if !is_total(position) {
            continue;
        }
        let found = part_rows(&ranks, &indents, position, totals_on_top);
        // Where the rows do not say which of them are parts, the reading under which every
        // column adds up is taken; the relation stays marked as resting on a guess.
        let parts = match found.alternative {
            Some(alternative)
                if !column_sums_hold(table, &numeric, row, &body, &found.parts)
                    && column_sums_hold(table, &numeric, row, &body, &alternative) =>
            {
                alternative
            }
            _ => found.parts,
        };
        if parts.is_empty() {
            continue;
        }
        // A ragged row among the summed rows makes the column sums uncheckable.
        let previous_boundary = (0..position)
            .rev()
            .find(|&earlier| is_total(earlier))
            .map_or(header_index, |earlier| body[earlier]);
        let next_boundary = (position + 1..body.len())
            .find(|&later| is_total(later))
            .map_or(table.row_count(), |later| body[later]);
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
                left: vec![CellRef::new(block, row, column)],
                right: parts
                    .iter()
                    .map(|&part| CellRef::new(block, body[part], column))
                    .collect(),
                subject: Subject::ColumnTotal,
                guessed: found.guessed,
            });
        }
    }
}

/// How far a row's label is indented, in characters from the start of its line, where the
/// layout keeps indentation (aligned text); `None` elsewhere.
fn label_indent(source: &str, table: &Table, row: &Row) -> Option<usize> {
    if table.layout != TableLayout::Aligned {
        return None;
    }
    let label = row.cells.iter().find(|cell| cell.is_text())?;
    let start = usize::from(table.cell_range(label).start());
    let line_start = source[..start].rfind('\n').map_or(0, |newline| newline + 1);
    Some(source[line_start..start].chars().count())
}

/// True when, in every numeric column, the total row equals the sum of `parts` (body
/// positions), all of them numbers.
fn column_sums_hold(
    table: &Table,
    numeric: &[bool],
    total_row: usize,
    body: &[usize],
    parts: &[usize],
) -> bool {
    let value = |row: usize, column: usize| {
        table
            .row(row)
            .cells
            .get(column)
            .and_then(|cell| cell.number())
            .filter(|number| !number.is_ratio())
            .map(|number| number.value())
    };
    (0..numeric.len())
        .filter(|&column| numeric[column])
        .all(|column| {
            let sum = parts.iter().try_fold(Decimal::ZERO, |sum, &part| {
                sum.checked_add(value(body[part], column)?)
            });
            sum.is_some() && sum == value(total_row, column)
        })
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
    let header = &table.row(header_index);
    let has_totals = header
        .cells
        .iter()
        .any(|cell| total_rank(table.cell_text(source, cell)).is_some())
        || table
            .rows()
            .skip(header_index + 1)
            .any(|row| total_rank(table.row_label(source, &row)).is_some());
    if !has_totals {
        return Vec::new();
    }
    let fits = |row: &Row| lines_up(table, header, row);
    (header_index + 1..table.row_count())
        .filter(|&row| table.row(row).has_numbers() && !fits(&table.row(row)))
        .collect()
}

/// The header row: the last row before a Markdown delimiter, else the first row with two or
/// more text cells and no numbers, or a label over consecutive years (`项目 2022 2023`, as
/// tab-separated and aligned text write year columns).
pub fn header_row(table: &Table) -> Option<usize> {
    if table.layout == TableLayout::Pipe && table.header_rows > 0 {
        return Some(table.header_rows - 1);
    }
    table.rows().position(|row| {
        let texts = row.cells.iter().filter(|cell| cell.is_text()).count();
        let labelled = texts >= 1 || row.cells.first().is_some_and(|cell| cell.is_blank());
        (!row.has_numbers() && texts >= 2) || (labelled && is_year_header(&row))
    })
}

/// A row whose numbers are two or more consecutive years, in either order.
fn is_year_header(row: &Row) -> bool {
    let years: Vec<Decimal> = row
        .cells
        .iter()
        .filter_map(|cell| cell.number())
        .map(|number| number.value())
        .collect();
    let is_year = |value: &Decimal| {
        value.is_integer()
            && *value >= Decimal::from_integer(1900)
            && *value <= Decimal::from_integer(2100)
    };
    let step = |first: Decimal, second: Decimal| second.checked_sub(first);
    let steps: Vec<Option<Decimal>> = years
        .windows(2)
        .map(|pair| step(pair[0], pair[1]))
        .collect();
    let one = Decimal::from_integer(1);
    let minus_one = Decimal::from_integer(-1);
    years.len() >= 2
        && years.iter().all(is_year)
        && (steps.iter().all(|step| *step == Some(one))
            || steps.iter().all(|step| *step == Some(minus_one)))
}

/// The numeric columns a total column sums: the unbroken run of numeric, non-total columns
/// right before it, or, when there is none, right after it. A 合计 / Total column after 小计
/// / Subtotal columns sums those subtotals and the columns after the last of them, as a
/// total row after subtotal rows does.
fn part_columns(numeric: &[bool], ranks: &[Option<TotalRank>], total: usize) -> Vec<usize> {
    let usable = |column: usize| numeric[column] && ranks[column].is_none();
    let mut before = Vec::new();
    let mut subtotals = Vec::new();
    for column in (0..total).rev() {
        match ranks[column] {
            Some(TotalRank::Subtotal) if ranks[total] == Some(TotalRank::Total) => {
                subtotals.push(column)
            }
            Some(_) => break,
            None if !numeric[column] => break,
            // Columns before a subtotal are that subtotal's parts.
            None if !subtotals.is_empty() => {}
            None => before.push(column),
        }
    }
    before.extend(subtotals);
    before.sort_unstable();
    if !before.is_empty() {
        return before;
    }
    (total + 1..numeric.len())
        .take_while(|&column| usable(column))
        .collect()
}

/// The rows a total sums, and whether that rests on a guess.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    /// Body positions, in order.
    parts: Vec<usize>,
    /// The rows do not say for sure which of them are parts.
    guessed: bool,
    /// The other reading of an ambiguous hierarchy (rows after a `其中` that may be its
    /// continuation or the next items).
    alternative: Option<Vec<usize>>,
}

/// Whether total `outer` sums total `inner` (which then is one of its parts) instead of
/// ending where `inner` stands.
fn subsumes(outer: &BodyRow, inner: &BodyRow) -> bool {
    let (
        BodyRow::Total {
            rank: outer_rank,
            scope: outer_scope,
        },
        BodyRow::Total {
            rank: inner_rank,
            scope: inner_scope,
        },
    ) = (outer, inner)
    else {
        return false;
    };
    match (outer_scope.is_empty(), inner_scope.is_empty()) {
        // A bare 合计 / Total sums the subtotals and the named totals above it.
        (true, true) => *outer_rank == TotalRank::Total && *inner_rank == TotalRank::Subtotal,
        (true, false) => *outer_rank == TotalRank::Total,
        // A named total sums the bare 小计 rows of its rows, and the totals of a narrower
        // name: `Total current assets` is part of `Total assets`, 流动资产合计 of 资产合计.
        (false, true) => *inner_rank == TotalRank::Subtotal,
        // `Total liabilities and equity` sums `Total liabilities` and `Total equity`.
        (false, false) => {
            inner_scope != outer_scope
                && outer_scope
                    .split("and")
                    .flat_map(|piece| piece.split(['及', '和', '与']))
                    // Pieces too short to be a name (`st` of `standard`) say nothing.
                    .filter(|piece| piece.len() >= 4)
                    .any(|piece| inner_scope.ends_with(piece))
        }
    }
}

/// The body positions a total row sums: the rows back to the previous total that it does
/// not sum (or the section start), where every total it sums stands for the rows above it;
/// a total at the top of the table sums the rows below it instead. Of the plain rows, the
/// items the numbering marks as one level are the parts; `其中` rows and what continues
/// them are breakdowns, not parts.
fn part_rows(ranks: &[BodyRow], indents: &[Option<usize>], position: usize, below: bool) -> Parts {
    let total = &ranks[position];
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
        match &ranks[other] {
            BodyRow::Total { .. } if subsumes(total, &ranks[other]) => subtotals.push(other),
            BodyRow::Total { .. } => break,
            _ if subtotals.is_empty() => outside.push(other),
            _ => {}
        }
    }
    if !below && outside.is_empty() && subtotals.is_empty() {
        // A total at the very top of a table that does not open with totals sums the rows below.
        return part_rows(ranks, indents, position, true);
    }
    outside.sort_unstable();
    let mut found = items(ranks, indents, &outside);
    found.parts.extend(subtotals.iter().copied());
    found.parts.sort_unstable();
    if let Some(alternative) = &mut found.alternative {
        alternative.extend(subtotals);
        alternative.sort_unstable();
    }
    found
}

/// The parts among plain rows (body positions, in order) that no subtotal covers.
fn items(ranks: &[BodyRow], indents: &[Option<usize>], rows: &[usize]) -> Parts {
    let level = |row: usize| match ranks[row] {
        BodyRow::Part { level } => level,
        _ => None,
    };
    let is_part = |row: usize| matches!(ranks[row], BodyRow::Part { .. });
    if let Some(top) = rows.iter().filter_map(|&row| level(row)).min() {
        // Numbered items: the items of the top level are the parts; rows after one of them
        // up to the next are its breakdown. Unnumbered rows before the first item may be
        // parts or not: that is a guess, and both readings are kept.
        let first_item = rows
            .iter()
            .position(|&row| level(row) == Some(top))
            .unwrap_or(0);
        let parts: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&row| level(row) == Some(top))
            .collect();
        let before: Vec<usize> = rows[..first_item]
            .iter()
            .copied()
            .filter(|&row| is_part(row))
            .collect();
        if before.is_empty() {
            return Parts {
                parts,
                guessed: false,
                alternative: None,
            };
        }
        let mut alternative = parts.clone();
        alternative.extend(before);
        alternative.sort_unstable();
        return Parts {
            parts,
            guessed: true,
            alternative: Some(alternative),
        };
    }
    // Unnumbered rows: a `其中` row breaks down the row above it; the plain rows right after
    // it continue the breakdown when indented deeper than that row, are the next items when
    // indented as it is, and are ambiguous when the text keeps no indentation.
    let mut parts = Vec::new();
    let mut alternative = Vec::new();
    let mut guessed = false;
    let mut parent_indent: Option<usize> = None;
    let mut in_breakdown = false;
    for &row in rows {
        match ranks[row] {
            BodyRow::Breakdown => in_breakdown = true,
            BodyRow::Part { .. } if !in_breakdown => {
                parts.push(row);
                alternative.push(row);
                parent_indent = indents[row];
            }
            BodyRow::Part { .. } => match (indents[row], parent_indent) {
                (Some(indent), Some(parent)) if indent > parent => {}
                (Some(_), Some(_)) => {
                    in_breakdown = false;
                    parts.push(row);
                    alternative.push(row);
                    parent_indent = indents[row];
                }
                _ => {
                    guessed = true;
                    alternative.push(row);
                }
            },
            _ => {}
        }
    }
    Parts {
        parts,
        guessed,
        alternative: guessed.then_some(alternative),
    }
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

    fn total(rank: TotalRank, scope: &str) -> BodyRow {
        BodyRow::Total {
            rank,
            scope: scope.to_string(),
        }
    }

    const PART: BodyRow = BodyRow::Part { level: None };
    const SUBTOTAL: TotalRank = TotalRank::Subtotal;
    const TOTAL: TotalRank = TotalRank::Total;

    /// The parts of the total at `position`, without indentation.
    fn parts(ranks: &[BodyRow], position: usize, below: bool) -> Vec<usize> {
        part_rows(ranks, &vec![None; ranks.len()], position, below).parts
    }

    #[test]
    fn subtotals_feed_the_total() {
        use BodyRow::Skipped;
        let ranks = [
            PART,
            PART,
            total(SUBTOTAL, ""),
            PART,
            Skipped,
            PART,
            total(SUBTOTAL, ""),
            total(TOTAL, ""),
        ];
        assert_eq!(parts(&ranks, 2, false), vec![0, 1]);
        assert_eq!(parts(&ranks, 6, false), vec![3, 5]);
        assert_eq!(parts(&ranks, 7, false), vec![2, 6]);
        let blocks = [
            total(TOTAL, "收入"),
            PART,
            PART,
            total(TOTAL, "支出"),
            PART,
            Skipped,
            PART,
        ];
        assert_eq!(parts(&blocks, 0, true), vec![1, 2]);
        assert_eq!(parts(&blocks, 3, true), vec![4, 6]);
        let top = [total(TOTAL, ""), PART, Skipped, PART];
        assert_eq!(parts(&top, 0, false), vec![1, 3]);
        assert_eq!(body_row("其中：中央补助"), BodyRow::Breakdown);
        assert_eq!(body_row("Average"), Skipped);
        assert_eq!(body_row("东城区"), PART);
        let trailing = [
            PART,
            total(SUBTOTAL, ""),
            PART,
            PART,
            total(SUBTOTAL, ""),
            PART,
            total(TOTAL, ""),
        ];
        assert_eq!(parts(&trailing, 6, false), vec![1, 4, 5]);
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
        assert_eq!(body_row("含山县"), PART);
        assert_eq!(body_row("含：利息收入"), BodyRow::Breakdown);
    }

    #[test]
    fn a_total_column_sums_the_subtotal_columns() {
        let numeric = [false, true, true, true, true, true, true, true];
        let ranks = [
            None,
            None,
            None,
            Some(SUBTOTAL),
            None,
            None,
            Some(SUBTOTAL),
            Some(TOTAL),
        ];
        assert_eq!(part_columns(&numeric, &ranks, 3), vec![1, 2]);
        assert_eq!(part_columns(&numeric, &ranks, 6), vec![4, 5]);
        assert_eq!(part_columns(&numeric, &ranks, 7), vec![3, 6]);
        let first = [Some(TOTAL), None, None];
        assert_eq!(part_columns(&[true, true, true], &first, 0), vec![1, 2]);
    }

    #[test]
    fn named_totals_nest() {
        assert_eq!(
            body_row("Total current assets"),
            total(TOTAL, "currentassets")
        );
        assert_eq!(body_row("Total assets"), total(TOTAL, "assets"));
        assert_eq!(body_row("流动资产合计"), total(TOTAL, "流动资产"));
        assert_eq!(body_row("一、基本支出小计"), total(SUBTOTAL, "基本支出"));
        assert_eq!(body_row("合计"), total(TOTAL, ""));
        let balance = [
            PART,
            PART,
            total(TOTAL, "currentassets"),
            PART,
            PART,
            total(TOTAL, "non-currentassets"),
            total(TOTAL, "assets"),
        ];
        assert_eq!(parts(&balance, 2, false), vec![0, 1]);
        assert_eq!(parts(&balance, 5, false), vec![3, 4]);
        assert_eq!(parts(&balance, 6, false), vec![2, 5]);
        let funding = [
            PART,
            PART,
            total(TOTAL, "liabilities"),
            PART,
            total(TOTAL, "equity"),
            total(TOTAL, "liabilitiesandequity"),
        ];
        assert_eq!(parts(&funding, 5, false), vec![2, 4]);
        assert!(subsumes(
            &total(TOTAL, "负债和所有者权益"),
            &total(TOTAL, "所有者权益")
        ));
        assert!(!subsumes(&total(TOTAL, "支出"), &total(TOTAL, "收入")));
    }

    #[test]
    fn numbered_items_are_the_parts_and_breakdowns_are_not() {
        let ranks: Vec<BodyRow> = [
            "一、基本支出",
            "其中：人员经费",
            "公用经费",
            "二、项目支出",
            "1.专项业务费",
            "支出合计",
        ]
        .iter()
        .map(|label| body_row(label))
        .collect();
        let found = part_rows(&ranks, &[None; 6], 5, false);
        assert_eq!(found.parts, vec![0, 3]);
        assert!(!found.guessed);
        // Unnumbered rows after a `其中` row: indentation decides, or it is a guess.
        let plain: Vec<BodyRow> = ["基本支出", "其中：人员经费", "公用经费", "项目支出", "合计"]
            .iter()
            .map(|label| body_row(label))
            .collect();
        let indented = part_rows(
            &plain,
            &[Some(0), Some(4), Some(4), Some(0), Some(0)],
            4,
            false,
        );
        assert_eq!((indented.parts, indented.guessed), (vec![0, 3], false));
        let flat = part_rows(&plain, &[None; 5], 4, false);
        assert!(flat.guessed);
        assert_eq!(flat.parts, vec![0]);
        assert_eq!(flat.alternative, Some(vec![0, 2, 3]));
    }
}
