//! Tables written as a stream of cells, one per line, whatever separates them: blank lines
//! between every cell (Word/WPS "save as text", HTML-to-text), cells ending in ` |`, lone `|`
//! lines standing for empty cells and `||` / `|||` lines between rows, or bare cells split by
//! `|` lines. The row structure of such text is unreliable or gone; what is left is the order
//! of labels and values, and rows are rebuilt from it: a row is its labels followed by its
//! values, so a label after a value starts the next row.
//!
//! Invariants: rows inside a stream are never headings (a numbered line followed by values is
//! a row label), and a stream never takes the heading after it (a numbered line followed by
//! anything else ends it). Every decision looks at most `LOOKAHEAD_LINES` lines past the line
//! it is made at, which is what incremental re-parsing relies on.

use super::heading::{parse_numbering, plain_heading, skip_line_debris, Numbering, NumberingStyle};
use super::table::{
    cell_in, cell_value, flattened_row, range, Cell, CellValue, ParsedRow, Table, TableLayout,
};
use super::verbatim::starts_verbatim;
use super::{Block, BlockKind, Line};
use crate::text::{is_blank, is_space};
use text_size::TextRange;

/// How far past a line any decision about it may look, in lines: the longest run of labels
/// a stream reads without a value, then how far a numbered label looks for its value.
pub const LOOKAHEAD_LINES: usize = MAX_LABEL_RUN + ROW_LABEL_LOOKAHEAD + 2;

/// A stream table starts only where a value follows within this many lines, and a run of
/// labels (headers of the next table) longer than this ends it.
const MAX_LABEL_RUN: usize = 48;

/// How many lines after a numbered line its value (or its sub-label) is looked for.
const ROW_LABEL_LOOKAHEAD: usize = 16;

/// The longest line, in characters, that is read as one cell of a stream.
const MAX_CELL_CHARS: usize = 60;

/// What one line of a stream is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A cell holding text: a label or a header.
    Label(Cell),
    /// A cell holding a number, a placeholder, or nothing (a lone `|`).
    Value(Cell),
    /// `||`, `|||`: the end of a row.
    RowBreak,
    /// A `|` between two bare cells: a separator, not a cell.
    Separator,
    /// One or more blank lines: the end of a row where cells stand on adjacent lines,
    /// nothing where a blank line stands between every two cells.
    BlankLines,
}

/// Reads the stream table starting at `first`, if one starts there: at least one label, then
/// values (two or more numbers or placeholders in all), the first within `LOOKAHEAD_LINES`.
/// Returns the table and the index of the first line after it.
pub(super) fn stream_table(source: &str, lines: &[Line], first: usize) -> Option<(Block, usize)> {
    let tokens = read_tokens(source, lines, first);
    let filled_values = tokens
        .iter()
        .filter(|(_, token)| matches!(token, Token::Value(cell) if !cell.range().is_empty()))
        .count();
    let first_label = tokens
        .iter()
        .position(|(_, token)| matches!(token, Token::Label(_)))?;
    let first_value = tokens
        .iter()
        .position(|(_, token)| matches!(token, Token::Value(cell) if !cell.range().is_empty()))?;
    if filled_values < 2 || first_value < first_label {
        return None;
    }
    let next = tokens.last().map_or(first + 1, |(line, _)| line + 1);
    // Blank lines mark rows only where some cells stand on adjacent lines.
    let adjacent_cells = tokens.windows(2).any(|pair| {
        pair[1].0 == pair[0].0 + 1
            && pair[0].1 != Token::BlankLines
            && pair[1].1 != Token::BlankLines
    });
    let rows = group_rows(
        source,
        tokens.into_iter().map(|(_, token)| match token {
            Token::BlankLines if adjacent_cells => Token::RowBreak,
            token => token,
        }),
    );
    let start = rows.first()?.range.start();
    let end = rows.last()?.range.end();
    let layout = if lines[first..next]
        .iter()
        .any(|line| line.text(source).contains('|'))
    {
        TableLayout::PipeSeparated
    } else {
        TableLayout::CellStream
    };
    let block = Block {
        range: TextRange::new(start, end),
        kind: BlockKind::Table(Table::new(layout, rows, 0)),
    };
    Some((block, next))
}

/// The tokens of the stream from `first`, each with its line index, up to and including its
/// last value (and the row breaks and empty cells right after it). Empty when no stream
/// starts at `first`.
fn read_tokens(source: &str, lines: &[Line], first: usize) -> Vec<(usize, Token)> {
    let mut tokens: Vec<(usize, Token)> = Vec::new();
    // Where the tokens end if nothing after the last value belongs to the stream.
    let mut kept = 0;
    // The line of the last value (or the first line, before any value).
    let mut last_value_line = first;
    let mut previous_bare = false;
    let mut numbering = SeenNumbering::default();
    let mut index = first;
    while index < lines.len() && index - last_value_line <= MAX_LABEL_RUN {
        let line = lines[index];
        let text = line.text(source);
        if is_blank(text) {
            if tokens
                .last()
                .is_some_and(|(_, token)| *token != Token::BlankLines)
            {
                tokens.push((index, Token::BlankLines));
            }
            index += 1;
            continue;
        }
        let Some(token) = line_token(source, lines, index, previous_bare, &numbering) else {
            break;
        };
        previous_bare = matches!(token, Token::Label(_) | Token::Value(_)) && !text.contains('|');
        match &token {
            Token::Value(_) => {
                last_value_line = index;
                kept = tokens.len() + 1;
            }
            Token::Label(cell) => {
                // A label that continues the rows' numbering is a row even when no value
                // follows (its cells were empty, or the text ends).
                let continues =
                    plain_heading(text).is_some_and(|(heading, _)| numbering.continues(heading));
                if continues {
                    kept = tokens.len() + 1;
                }
                numbering.see(cell.text(source));
            }
            // Row breaks and separators right after a value stay with the table.
            Token::RowBreak | Token::Separator | Token::BlankLines
                if kept == tokens.len() && kept > 0 =>
            {
                kept += 1;
            }
            Token::RowBreak | Token::Separator | Token::BlankLines => {}
        }
        tokens.push((index, token));
        index += 1;
    }
    tokens.truncate(kept);
    tokens
}

/// The last number of each numbering style among a stream's labels, so that `（二）…` right
/// after the row `（一）予以公开` is read as the next row, not as a heading.
#[derive(Debug, Default)]
struct SeenNumbering {
    last: Vec<(NumberingStyle, u32)>,
}

impl SeenNumbering {
    fn see(&mut self, label: &str) {
        if let Some(found) = parse_numbering(&label[skip_line_debris(label)..]) {
            self.last.retain(|(style, _)| *style != found.style);
            self.last.push((found.style, found.value));
        }
    }

    /// A sub-level number (`（二）`, `2.`) that follows the last one of its style. Section
    /// numbers (`四、`) never continue a table: the heading after table 三 is `四、…`.
    fn continues(&self, numbering: Numbering) -> bool {
        numbering.style != NumberingStyle::ChineseComma
            && self
                .last
                .iter()
                .any(|&(style, value)| style == numbering.style && value + 1 == numbering.value)
    }
}

/// Classifies one line of a stream; `None` when the line cannot be part of one (prose, a
/// heading, a line of another table layout).
fn line_token(
    source: &str,
    lines: &[Line],
    index: usize,
    previous_bare: bool,
    numbering: &SeenNumbering,
) -> Option<Token> {
    let line = lines[index];
    let text = line.text(source);
    let trimmed = text.trim_matches(is_space);
    if text.contains('\t') || trimmed.starts_with('#') || starts_verbatim(text) {
        return None;
    }
    if trimmed.chars().all(|character| character == '|') {
        return Some(match trimmed.len() {
            1 if previous_bare => Token::Separator,
            1 => {
                let at = line.start + (text.len() - text.trim_start_matches(is_space).len());
                Token::Value(Cell::new(
                    range(at, at),
                    CellValue::Blank { placeholder: false },
                ))
            }
            _ => Token::RowBreak,
        });
    }
    let cell = if trimmed.contains('|') {
        // A cell ending in ` |`: one bar, at the end.
        if !trimmed.ends_with('|') || trimmed.matches('|').count() != 1 {
            return None;
        }
        let bar = line.start + text.rfind('|').unwrap_or(text.len());
        cell_in(source, line.start, bar)
    } else {
        if !is_bare_cell(text) || flattened_row(source, line.start, line.end).is_some() {
            return None;
        }
        if let Some((heading, _)) = plain_heading(text) {
            if !numbering.continues(heading) && !labels_a_row(source, lines, index) {
                return None;
            }
        }
        cell_in(source, line.start, line.end)
    };
    Some(match cell.value() {
        CellValue::Text => Token::Label(cell),
        _ => Token::Value(cell),
    })
}

/// A line short enough to be one cell, and not a sentence.
fn is_bare_cell(text: &str) -> bool {
    let trimmed = text.trim_matches(is_space);
    !trimmed.is_empty()
        && trimmed.chars().count() <= MAX_CELL_CHARS
        && !trimmed.trim_end_matches('。').contains(['。', '；', ';'])
        && !trimmed.ends_with(['。', '：', ':'])
}

/// Whether the numbered line at `index` labels a row rather than heading a section: the next
/// line with content is a value, or a numbered sub-label (`三、本年度办理结果` /
/// `（一）予以公开` / `0`) that a value follows.
fn labels_a_row(source: &str, lines: &[Line], index: usize) -> bool {
    let mut following = lines[index + 1..]
        .iter()
        .take(ROW_LABEL_LOOKAHEAD)
        .map(|line| line.text(source).trim_matches(is_space))
        .map(|text| text.trim_end_matches('|').trim_end_matches(is_space))
        .filter(|text| !text.is_empty());
    let is_value = |text: &str| !matches!(cell_value(text), CellValue::Text);
    match following.next() {
        Some(next) if is_value(next) => true,
        Some(next) if parse_numbering(&next[skip_line_debris(next)..]).is_some() => {
            following.next().is_some_and(is_value)
        }
        _ => false,
    }
}

/// Rebuilds rows from the tokens: each row is its labels, then its values; a label after a
/// value, or a row break, starts the next row. Of the labels before a row's values, the row
/// keeps its own label and the numbered group labels just before it (`三、本年度办理结果`
/// `（一）予以公开`; `（三）` `不予公开` `1.属于国家秘密`); the labels before those are the
/// table's headers and form a row of their own. Empty cells with no label before them are
/// layout, not cells.
fn group_rows(source: &str, tokens: impl Iterator<Item = Token>) -> Vec<ParsedRow> {
    let mut rows = Vec::new();
    let mut labels: Vec<Cell> = Vec::new();
    let mut values: Vec<Cell> = Vec::new();
    for token in tokens {
        match token {
            Token::Label(cell) => {
                if !values.is_empty() {
                    finish_row(source, &mut labels, &mut values, &mut rows);
                }
                match labels.last_mut() {
                    // A label whose bracket is still open goes on in the next cell.
                    Some(open) if has_open_bracket(open.text(source)) => {
                        open.set_range(open.range().cover(cell.range()));
                    }
                    _ => labels.push(cell),
                }
            }
            Token::Value(cell) => {
                if !(labels.is_empty() && values.is_empty() && cell.range().is_empty()) {
                    values.push(cell);
                }
            }
            Token::RowBreak => finish_row(source, &mut labels, &mut values, &mut rows),
            Token::Separator | Token::BlankLines => {}
        }
    }
    finish_row(source, &mut labels, &mut values, &mut rows);
    rows
}

/// Ends the row being built: header labels become a row of their own, then the row.
fn finish_row(
    source: &str,
    labels: &mut Vec<Cell>,
    values: &mut Vec<Cell>,
    rows: &mut Vec<ParsedRow>,
) {
    if labels.is_empty() && values.iter().all(|cell| cell.range().is_empty()) {
        values.clear();
        return;
    }
    let headers = if values.is_empty() {
        0
    } else {
        labels.len() - own_labels(source, labels)
    };

    if headers > 0 {
        rows.push(row_of(labels.drain(..headers).collect()));
    }
    let mut cells = std::mem::take(labels);
    cells.append(values);
    if !cells.is_empty() {
        rows.push(row_of(cells));
    }
}

/// How many of the trailing labels name the row: its own label, and before it numbered
/// labels (a group and its leaf) or a bare number (`（三）`) with the group name after it;
/// none when the last label is a repeated column header.
fn own_labels(source: &str, labels: &[Cell]) -> usize {
    let numbering_of = |cell: &Cell| {
        let text = cell.text(source);
        parse_numbering(&text[skip_line_debris(text)..])
            .map(|numbering| (numbering, text.len() - skip_line_debris(text)))
    };
    let numbered = |cell: &Cell| numbering_of(cell).is_some();
    let bare_number =
        |cell: &Cell| numbering_of(cell).is_some_and(|(numbering, len)| numbering.len >= len);
    // A last label that the run holds twice is a column header (table 四's 总计 closes each
    // of its three blocks): the values have no label of their own.
    let Some(last) = labels.last() else { return 0 };
    let last_text = last.text(source);
    if labels[..labels.len() - 1]
        .iter()
        .any(|cell| cell.text(source) == last_text)
    {
        return 0;
    }
    let mut count = 1;
    while count < labels.len() {
        let before = labels.len() - 1 - count;
        if numbered(&labels[before]) {
            count += 1;
        } else if before > 0 && bare_number(&labels[before - 1]) {
            count += 2;
        } else {
            break;
        }
    }
    count
}

/// An opening bracket without its closing one: the label wraps onto the next line.
fn has_open_bracket(text: &str) -> bool {
    let opened = text.matches(['（', '(']).count();
    let closed = text.matches(['）', ')']).count();
    opened > closed
}

fn row_of(cells: Vec<Cell>) -> ParsedRow {
    let start = cells.first().map_or(0.into(), |cell| cell.range().start());
    let end = cells.last().map_or(0.into(), |cell| cell.range().end());
    ParsedRow {
        range: TextRange::new(start, end),
        cells,
        split_at: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::document::{parse, BlockKind};

    /// Each table of the text as rows of cell texts, and the other blocks as their kind.
    fn blocks(source: &str) -> Vec<String> {
        parse(source)
            .blocks
            .iter()
            .map(|block| match &block.kind {
                BlockKind::Table(table) => format!(
                    "table {:?} {:?}",
                    table.layout,
                    table
                        .rows()
                        .map(|row| row
                            .cells
                            .iter()
                            .map(|cell| table.cell_text(source, cell))
                            .collect::<Vec<_>>()
                            .join(" "))
                        .collect::<Vec<_>>()
                ),
                BlockKind::Heading(_) => format!("heading {}", &source[block.range]),
                BlockKind::Paragraph => "paragraph".to_string(),
                BlockKind::Comment => "comment".to_string(),
            })
            .collect()
    }

    #[test]
    fn a_blank_line_between_every_cell_leaves_labels_then_values() {
        let source = "二、主动公开政府信息情况\n\n第二十条第（一）项\n\n信息内容\n\n本年制发件数\n\n\
                      规章\n\n0\n\n1\n\n行政规范性文件\n\n2\n\n3\n\n三、收到和处理政府信息公开申请情况\n\n正文。\n";
        assert_eq!(
            blocks(source),
            [
                "heading 二、主动公开政府信息情况",
                "table CellStream [\"第二十条第（一）项 信息内容 本年制发件数\", \"规章 0 1\", \"行政规范性文件 2 3\"]",
                "heading 三、收到和处理政府信息公开申请情况",
                "paragraph",
            ]
        );
    }

    #[test]
    fn numbered_row_labels_inside_a_table_are_rows_and_the_next_section_is_a_heading() {
        let source = "其他\n\n一、本年新收政府信息公开申请数量\n\n1\n\n2\n\n三、本年度办理结果\n\n\
                      （一）予以公开\n\n3\n\n（三）\n\n不予公开\n\n1.属于国家秘密\n\n0\n\n\
                      四、结转下年度继续办理\n\n0\n\n四、政府信息公开行政复议、行政诉讼情况\n\n行政复议\n";
        assert_eq!(
            blocks(source),
            [
                "table CellStream [\"其他\", \"一、本年新收政府信息公开申请数量 1 2\", \
                 \"三、本年度办理结果 （一）予以公开 3\", \"（三） 不予公开 1.属于国家秘密 0\", \
                 \"四、结转下年度继续办理 0\"]",
                "heading 四、政府信息公开行政复议、行政诉讼情况",
                "paragraph",
            ]
        );
    }

    #[test]
    fn lone_bars_are_empty_cells_and_bar_runs_end_rows() {
        let source = "第二十条第(一)项 |\n|||\n信息内容 |\n本年制发件数 |\n规章 |\n/ |\n|\n\
                      行政许可 |\n0 |\n||\n三、收到和处理政府信息公开申请情况\n";
        assert_eq!(
            blocks(source),
            [
                "table PipeSeparated [\"第二十条第(一)项\", \"信息内容 本年制发件数\", \"规章 / \", \"行政许可 0\"]",
                "heading 三、收到和处理政府信息公开申请情况",
            ]
        );
    }

    #[test]
    fn a_label_with_an_open_bracket_goes_on_in_the_next_cell() {
        let source = "（二）部分公开（区分处理的，只计这一情形，\n\n不计其他情形）\n\n1\n\n2\n";
        let document = parse(source);
        let table = document.table(0).expect("a table");
        assert_eq!(
            table.cell_text(source, &table.row(0).cells[0]),
            "（二）部分公开（区分处理的，只计这一情形，\n\n不计其他情形）"
        );
        assert_eq!(table.row(0).cells.len(), 3);
    }

    #[test]
    fn the_next_number_of_the_rows_is_a_row_even_without_values() {
        let source = "（一）予以公开\n\n1\n\n2\n\n（二）部分公开\n";
        let document = parse(source);
        assert_eq!(document.blocks.len(), 1);
        assert_eq!(document.table(0).expect("a table").row_count(), 2);
    }

    #[test]
    fn short_lines_without_values_and_prose_are_not_tables() {
        assert_eq!(
            blocks("某某县人民政府办公室\n\n2024年1月20日\n"),
            ["paragraph", "paragraph"]
        );
        assert_eq!(
            blocks("全年共公开信息15条。\n\n12\n\n收到申请3件。\n"),
            ["paragraph", "paragraph", "paragraph"]
        );
    }
}
