//! The document model and its parser: headings, paragraphs and tables with byte ranges into
//! the original text. Parsing never fails: any text gives a document, and oddities (a split
//! row, a ragged row) are recorded in the model for rules to report. One pass over the lines.

mod aligned;
pub mod heading;
mod incremental;
mod stream;
pub mod table;
pub(crate) mod title;
mod verbatim;

pub use incremental::{reparse, reparse_mapped, BlockMap, TextChange};
use title::find_title;
pub use title::{find_year, find_year_before_nian, is_furniture, Title};

use crate::text::{is_blank, is_space};
use heading::{parse_numbering, plain_heading, skip_line_debris, Numbering};
use table::{
    cell_in, flattened_row, join_split_rows, pipe_row, range, tab_row, ParsedRow, Table,
    TableLayout,
};
use text_size::TextRange;

/// A parsed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub title: Option<Title>,
}

/// A top-level piece of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub range: TextRange,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Heading(Heading),
    Paragraph,
    Table(Table),
    /// A line holding only an HTML comment (`<!-- reportlint-disable … -->`): not content.
    Comment,
}

/// A heading line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// `#` count for Markdown headings.
    pub markdown_level: Option<u8>,
    pub numbering: Option<Numbering>,
    /// Where the numbering marker sits (empty when there is none).
    pub numbering_range: TextRange,
    /// The title text after the numbering.
    pub title_range: TextRange,
}

impl Heading {
    /// Outline depth: the numbering style's level, else the Markdown level minus one (so a
    /// `# Title` sits above `## 一、…`).
    pub fn level(&self) -> u8 {
        match (self.numbering, self.markdown_level) {
            (Some(numbering), _) => numbering.style.level(),
            (None, Some(level)) => level.saturating_sub(1),
            (None, None) => 1,
        }
    }
}

impl Document {
    /// Every table with its block index.
    pub fn tables(&self) -> impl Iterator<Item = (usize, &Table)> {
        self.blocks
            .iter()
            .enumerate()
            .filter_map(|(index, block)| match &block.kind {
                BlockKind::Table(table) => Some((index, table)),
                _ => None,
            })
    }

    /// The table of a block, when the block is one.
    pub fn table(&self, block: usize) -> Option<&Table> {
        match &self.blocks.get(block)?.kind {
            BlockKind::Table(table) => Some(table),
            _ => None,
        }
    }
}

/// Parses text into a document. Never fails.
pub fn parse(source: &str) -> Document {
    let lines = split_lines(source, 0, source.len());
    let mut blocks = Vec::new();
    parse_blocks(source, &lines, &mut blocks, |_| false);
    // Documents are kept for the session (the language server's): no room for blocks that
    // never come.
    blocks.shrink_to_fit();
    let title = find_title(source, &blocks);
    Document { blocks, title }
}

/// The main loop: appends the blocks of `lines` to `blocks`. Before a block starts at line
/// `index`, `stop(index)` may end the loop there.
///
/// The loop keeps no state between blocks: the blocks from a line on depend only on the
/// lines from there on (parsers look ahead, never behind), which is what lets
/// `incremental::reparse` start and stop it where a full parse starts a block.
fn parse_blocks(
    source: &str,
    lines: &[Line],
    blocks: &mut Vec<Block>,
    mut stop: impl FnMut(usize) -> bool,
) {
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let text = line.text(source);
        if is_blank(text) {
            index += 1;
            continue;
        }
        if stop(index) {
            return;
        }
        let (block, next) = if is_comment_line(text) {
            (
                Block {
                    range: range(line.start, line.end),
                    kind: BlockKind::Comment,
                },
                index + 1,
            )
        } else if let Some(found) = verbatim::verbatim_block(source, lines, index) {
            found
        } else if is_cell_line(text) {
            cell_per_line_table(source, lines, index)
        } else if text.contains('\t') && !starts_with_pipe(text) {
            tab_table(source, lines, index)
        } else if let Some(found) = pipe_table(source, lines, index) {
            found
        } else if let Some(found) = aligned::aligned_table(source, lines, index) {
            found
        } else if let Some(found) = flattened_table(source, lines, index) {
            found
        } else if let Some(found) = stream::stream_table(source, lines, index) {
            found
        } else if let Some(heading) = heading_block(source, line) {
            (heading, index + 1)
        } else {
            paragraph(source, lines, index)
        };
        blocks.push(block);
        index = next.max(index + 1);
    }
}

/// One line: its content range (without the line break) in the source.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

impl Line {
    fn text(self, source: &str) -> &str {
        &source[self.start..self.end]
    }
}

/// Splits `source[from..to]` into lines; `from` must start a line and `to` must end one (be
/// the end of the text or follow a `\n`).
fn split_lines(source: &str, from: usize, to: usize) -> Vec<Line> {
    let mut lines = Vec::with_capacity((to - from) / 40 + 1);
    let mut start = from;
    for index in memchr::memchr_iter(b'\n', &source.as_bytes()[from..to]) {
        let index = from + index;
        let end = if index > start && source.as_bytes()[index - 1] == b'\r' {
            index - 1
        } else {
            index
        };
        lines.push(Line { start, end });
        start = index + 1;
    }
    if start < to {
        lines.push(Line { start, end: to });
    }
    lines
}

fn is_cell_line(text: &str) -> bool {
    text.starts_with('\t') && !text[1..].contains('\t')
}

/// A line that holds only whitespace but is not empty: Word's no-break-space filler, which
/// sits between cells without ending a row.
fn is_filler(text: &str) -> bool {
    !text.is_empty()
        && is_blank(text)
        && text
            .chars()
            .any(|character| character == '\u{a0}' || character == '\u{3000}')
}

/// A table block spanning its rows; a table without rows gets the empty range at offset 0.
fn table_block(layout: TableLayout, rows: Vec<ParsedRow>, header_rows: usize) -> Block {
    let start = rows.first().map_or(0.into(), |row| row.range.start());
    let end = rows.last().map_or(0.into(), |row| row.range.end());
    Block {
        range: TextRange::new(start, end),
        kind: BlockKind::Table(Table::new(layout, rows, header_rows)),
    }
}

/// Ends the row being collected cell by cell, if it has any cells.
fn flush_row(cells: &mut Vec<table::Cell>, rows: &mut Vec<ParsedRow>) {
    if let (Some(first_cell), Some(last_cell)) = (cells.first(), cells.last()) {
        let range = TextRange::new(first_cell.range().start(), last_cell.range().end());
        rows.push(ParsedRow {
            range,
            cells: std::mem::take(cells),
            split_at: None,
        });
    }
}

/// One cell per line, each starting with a tab; a line without a tab right after a text
/// cell continues that cell (`本年新` / `制作数量`); an empty line ends a row; filler
/// lines of no-break spaces are skipped.
fn cell_per_line_table(source: &str, lines: &[Line], first: usize) -> (Block, usize) {
    let mut rows: Vec<ParsedRow> = Vec::new();
    let mut current: Vec<table::Cell> = Vec::new();
    let mut index = first;
    let mut last_was_cell_line = false;
    while index < lines.len() {
        let line = lines[index];
        let text = line.text(source);
        if is_cell_line(text) {
            current.push(cell_in(source, line.start + 1, line.end));
            last_was_cell_line = true;
        } else if is_filler(text) || is_comment_line(text) {
            // Filler keeps the row open and lets a continuation follow.
        } else if text.is_empty() || is_blank(text) {
            flush_row(&mut current, &mut rows);
            last_was_cell_line = false;
            // The table goes on only if a cell line follows the blank lines.
            let next = lines[index..]
                .iter()
                .position(|line| !is_blank(line.text(source)));
            match next {
                // Jump over the blank run (filler lines in it change nothing either).
                Some(offset) if is_cell_line(lines[index + offset].text(source)) => {
                    index += offset;
                    continue;
                }
                _ => break,
            }
        } else if last_was_cell_line && continues_cell(source, current.last(), text) {
            // `continues_cell` saw a non-empty text cell: it grows to the end of this line.
            if let Some(cell) = current.last_mut() {
                let end = cell_in(source, line.start, line.end).range().end();
                cell.set_range(TextRange::new(
                    cell.range().start(),
                    end.max(cell.range().end()),
                ));
            }
        } else {
            break;
        }
        index += 1;
    }
    flush_row(&mut current, &mut rows);
    join_split_rows(&mut rows);
    (table_block(TableLayout::CellPerLine, rows, 0), index)
}

/// A line without a tab continues the cell above when that cell is text and the line is
/// short and not itself a section heading.
fn continues_cell(source: &str, cell: Option<&table::Cell>, text: &str) -> bool {
    let Some(cell) = cell else { return false };
    cell.is_text()
        && text.chars().count() <= 30
        && plain_heading(text).is_none()
        && !source[cell.range()].is_empty()
}

/// Tab-separated rows; blank lines inside the table are skipped when more tab rows follow.
fn tab_table(source: &str, lines: &[Line], first: usize) -> (Block, usize) {
    let is_tab_row = |text: &str| text.contains('\t') && !is_cell_line(text);
    let mut rows = Vec::new();
    let mut index = first;
    while index < lines.len() {
        let text = lines[index].text(source);
        if is_tab_row(text) {
            rows.push(tab_row(source, lines[index].start, lines[index].end));
            index += 1;
        } else if let Some(row) = wrapped_label_row(source, lines, index) {
            rows.push(row);
            index += 2;
        } else if let Some(row) =
            group_label_row(source, lines, index, |next| is_tab_row(next.text(source)))
        {
            rows.push(row);
            index += 1;
        } else if is_blank(text) || is_comment_line(text) {
            // Blank lines and comments inside the table are skipped when more rows follow.
            let next = lines[index..].iter().position(|line| {
                let text = line.text(source);
                !is_blank(text) && !is_comment_line(text)
            });
            match next {
                Some(offset) if is_tab_row(lines[index + offset].text(source)) => index += offset,
                _ => break,
            }
        } else {
            break;
        }
    }
    join_split_rows(&mut rows);
    (table_block(TableLayout::Tab, rows, 0), index)
}

/// A row whose label wrapped onto the next line, as a browser copy of a table writes it:
/// a line of label text without tabs, then a tab row that starts with the rest of the label
/// (unnumbered text) and holds the row's numbers.
fn wrapped_label_row(source: &str, lines: &[Line], index: usize) -> Option<ParsedRow> {
    let line = lines[index];
    let text = line.text(source);
    let next = *lines.get(index + 1)?;
    let next_text = next.text(source);
    if text.contains('\t')
        || !next_text.contains('\t')
        || is_blank(text)
        || text.chars().count() > 60
        || text.contains(['。', '；'])
        || plain_heading(text).is_some()
    {
        return None;
    }
    let row = tab_row(source, next.start, next.end);
    let rest = row.cells.first().filter(|cell| cell.is_text())?;
    let rest_text = rest.text(source);
    if parse_numbering(&rest_text[skip_line_debris(rest_text)..]).is_some()
        || !row.view().has_numbers()
    {
        return None;
    }
    let start = cell_in(source, line.start, line.end).range().start();
    let label = table::Cell::new(
        TextRange::new(start, rest.range().end()),
        table::CellValue::Text,
    );
    let mut cells = vec![label];
    cells.extend(row.cells.into_iter().skip(1));
    Some(ParsedRow {
        range: range(line.start, next.end),
        cells,
        split_at: None,
    })
}

/// A line holding only an HTML comment, such as a suppression comment.
fn is_comment_line(text: &str) -> bool {
    let trimmed = text.trim_matches(is_space);
    trimmed.starts_with("<!--") && trimmed.ends_with("-->")
}

/// A line that opens with `|`: a Markdown table row even when a tab slipped into a cell.
fn starts_with_pipe(text: &str) -> bool {
    text.trim_start_matches(is_space).starts_with('|')
}

/// A Markdown line that belongs to a pipe table: it has two pipes, or starts with one.
fn is_pipe_line(text: &str) -> bool {
    let trimmed = text.trim_matches(is_space);
    trimmed.len() > 1 && (trimmed.starts_with('|') || trimmed.matches('|').count() >= 2)
}

/// A GFM delimiter row such as `--- | :---:`.
fn is_delimiter_line(text: &str) -> bool {
    let trimmed = text.trim_matches(is_space);
    trimmed.contains('-')
        && trimmed.contains('|')
        && trimmed
            .chars()
            .all(|character| matches!(character, '-' | ':' | '|') || is_space(character))
}

fn pipe_table(source: &str, lines: &[Line], first: usize) -> Option<(Block, usize)> {
    let first_text = lines[first].text(source);
    let second_text = lines
        .get(first + 1)
        .map(|line| line.text(source))
        .unwrap_or("");
    let with_delimiter = first_text.contains('|')
        && pipe_cell_kind(first_text).is_none()
        && is_delimiter_line(second_text);
    if !(with_delimiter || is_pipe_line(first_text) && is_pipe_line(second_text)) {
        return None;
    }
    let continues = |text: &str| {
        if with_delimiter {
            text.contains('|') && pipe_cell_kind(text) != Some(true)
        } else {
            is_pipe_line(text)
        }
    };
    let mut rows = Vec::new();
    let mut header_rows = 0;
    let mut index = first;
    while index < lines.len() {
        // A table that has no row by its third line is not one: this bounds how far the
        // parser looks ahead, which incremental re-parsing relies on.
        if rows.is_empty() && index > first + 1 {
            return None;
        }
        let text = lines[index].text(source);
        // A comment line (a suppression) inside a table does not end it.
        if is_comment_line(text)
            && lines
                .get(index + 1)
                .is_some_and(|next| continues(next.text(source)))
        {
            index += 1;
            continue;
        }
        if !continues(text) {
            break;
        }
        match pipe_row(source, lines[index].start, lines[index].end) {
            Some(row) => rows.push(row),
            None if header_rows == 0 => header_rows = rows.len(),
            None => {}
        }
        index += 1;
    }
    if rows.is_empty() {
        return None;
    }
    Some((table_block(TableLayout::Pipe, rows, header_rows), index))
}

/// A line that is a cell ending in ` |`, or a separator holding only `|`.
fn pipe_cell_kind(text: &str) -> Option<bool> {
    let trimmed = text.trim_matches(is_space);
    if trimmed == "|" {
        return Some(true);
    }
    (trimmed.ends_with('|') && trimmed.matches('|').count() == 1 && !trimmed.starts_with('|'))
        .then_some(false)
}

/// A group label on a line of its own inside a table (`（三）不予公开` between two rows of
/// numbers): short, numbered below the section level, and directly followed by another row
/// of the table.
fn group_label_row(
    source: &str,
    lines: &[Line],
    index: usize,
    is_row: impl Fn(Line) -> bool,
) -> Option<ParsedRow> {
    let line = lines[index];
    let text = line.text(source);
    let start = skip_line_debris(text);
    // `四、…` lines are left out: between two tables they are the section heading that the
    // last row of table 三 (`四、结转下年度继续办理`) is so often followed by.
    let numbered = parse_numbering(&text[start..])
        .is_some_and(|numbering| numbering.style != heading::NumberingStyle::ChineseComma);
    let short = text.chars().count() <= 40 && !text.contains(['。', '；', '\t', '|']);
    if !(numbered && short && index > 0 && lines.get(index + 1).is_some_and(|next| is_row(*next))) {
        return None;
    }
    Some(ParsedRow {
        range: range(line.start, line.end),
        cells: vec![cell_in(source, line.start, line.end)],
        split_at: None,
    })
}

/// Consecutive flattened rows (`label n n n …`): two or more, or one with many numbers.
fn flattened_table(source: &str, lines: &[Line], first: usize) -> Option<(Block, usize)> {
    let first_row = flattened_row(source, lines[first].start, lines[first].end)?;
    let numbers = first_row
        .cells
        .iter()
        .filter(|cell| cell.number().is_some())
        .count();
    let second_is_row = lines
        .get(first + 1)
        .is_some_and(|second| flattened_row(source, second.start, second.end).is_some());
    // One flattened line is a table only when it holds many numbers.
    if !second_is_row && numbers < table::MIN_NUMBERS_ALONE {
        return None;
    }
    let mut rows = vec![first_row];
    let mut index = first + 1;
    while let Some(line) = lines.get(index) {
        if let Some(row) = flattened_row(source, line.start, line.end) {
            rows.push(row);
        } else if let Some(row) = group_label_row(source, lines, index, |next| {
            flattened_row(source, next.start, next.end).is_some()
        }) {
            rows.push(row);
        } else {
            break;
        }
        index += 1;
    }
    Some((table_block(TableLayout::Flattened, rows, 0), index))
}

fn heading_block(source: &str, line: Line) -> Option<Block> {
    let text = line.text(source);
    let trimmed_start = text.len() - text.trim_start_matches(' ').len();
    let hashes = text[trimmed_start..]
        .chars()
        .take_while(|&character| character == '#')
        .count();
    if (1..=6).contains(&hashes) && text[trimmed_start + hashes..].starts_with([' ', '\t'])
        || (1..=6).contains(&hashes) && trimmed_start + hashes == text.len()
    {
        let after = trimmed_start + hashes;
        let content_offset = after + skip_line_debris(&text[after..]);
        let content = &text[content_offset..];
        let numbering = parse_numbering(content);
        let title_start = content_offset + numbering.map_or(0, |numbering| numbering.len);
        let title_end = text
            .trim_end_matches(|character: char| {
                is_space(character) || character == '#' || character == '*'
            })
            .len()
            .max(title_start);
        return Some(Block {
            range: range(line.start, line.end),
            kind: BlockKind::Heading(Heading {
                markdown_level: Some(hashes as u8),
                numbering,
                numbering_range: range(line.start + content_offset, line.start + title_start),
                title_range: range(line.start + title_start, line.start + title_end),
            }),
        });
    }
    let (numbering, title_start) = plain_heading(text)?;
    let numbering_start = title_start - numbering.len;
    let title_end = text
        .trim_end_matches(|character: char| is_space(character) || character == '*')
        .len()
        .max(title_start);
    Some(Block {
        range: range(line.start, line.end),
        kind: BlockKind::Heading(Heading {
            markdown_level: None,
            numbering: Some(numbering),
            numbering_range: range(line.start + numbering_start, line.start + title_start),
            title_range: range(line.start + title_start, line.start + title_end),
        }),
    })
}

/// Consecutive lines up to a blank line or the start of another kind of block.
fn paragraph(source: &str, lines: &[Line], first: usize) -> (Block, usize) {
    let mut index = first + 1;
    while index < lines.len() {
        let text = lines[index].text(source);
        let starts_other = is_blank(text)
            || is_comment_line(text)
            || verbatim::starts_verbatim(text)
            || flattened_table(source, lines, index).is_some()
            || aligned::starts_table(source, lines, index)
            || text.contains('\t')
            || is_pipe_line(text)
            || heading_block(source, lines[index]).is_some()
            || stream::stream_table(source, lines, index).is_some();
        if starts_other {
            break;
        }
        index += 1;
    }
    (
        Block {
            range: range(lines[first].start, lines[index - 1].end),
            kind: BlockKind::Paragraph,
        },
        index,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<String> {
        parse(source)
            .blocks
            .iter()
            .map(|block| match &block.kind {
                BlockKind::Heading(_) => "heading".to_string(),
                BlockKind::Paragraph => "paragraph".to_string(),
                BlockKind::Comment => "comment".to_string(),
                BlockKind::Table(table) => format!(
                    "table {:?} {}x{:?}",
                    table.layout,
                    table.row_count(),
                    table.rows().map(|row| row.cells.len()).collect::<Vec<_>>()
                ),
            })
            .collect()
    }

    #[test]
    fn recognises_each_table_encoding() {
        assert_eq!(
            kinds("| a | b |\n|---|---|\n| 1 | 2 |\n"),
            ["table Pipe 2x[2, 2]"]
        );
        assert_eq!(kinds("a | b\n--- | ---\n1 | 2\n"), ["table Pipe 2x[2, 2]"]);
        assert_eq!(kinds("标签\t1\t2\n其他\t3\t4\n"), ["table Tab 2x[3, 3]"]);
        assert_eq!(
            kinds("\t规章\n\u{a0}\n\t0\n\t0\n\n\t规范性文件\n\t1\n\t2\n"),
            ["table CellPerLine 2x[3, 3]"]
        );
        assert_eq!(
            kinds("规章 |\n0 |\n0 |\n\n规范性文件 |\n1 |\n2 |\n"),
            ["table PipeSeparated 2x[3, 3]"]
        );
        assert_eq!(
            kinds("规章\n|\n0\n|\n0\n\n规范性文件\n|\n1\n|\n2\n"),
            ["table PipeSeparated 2x[3, 3]"]
        );
        assert_eq!(
            kinds("一、本年新收 9 0 0 0 0 0 9\n二、上年结转 0 0 0 0 0 0 0\n"),
            ["table Flattened 2x[8, 8]"]
        );
    }

    #[test]
    fn a_cell_continues_on_the_next_line() {
        let source = "\t信息内容\n\t本年新\n制作数量\n\t对外公开总数量\n";
        let document = parse(source);
        let table = document.table(0).expect("a table");
        assert_eq!(
            table.cell_text(source, &table.row(0).cells[1]),
            "本年新\n制作数量"
        );
    }

    #[test]
    fn a_stray_blank_line_splits_a_row_and_is_joined() {
        let source = "\t标签\n\t1\n\t2\n\t3\n\n\t行\n\t4\n\n\t5\n\t9\n";
        let document = parse(source);
        let table = document.table(0).expect("a table");
        assert_eq!(table.row_count(), 2);
        assert_eq!(table.row(1).cells.len(), 4);
        assert!(table.row(1).split_at.is_some());
    }

    #[test]
    fn finds_headings_and_the_title() {
        let source = "2020年峄城区人民政府信息公开\n\n工作年度报告\n\n一、总体情况\n正文。\n\n## （一）主动公开\n";
        let document = parse(source);
        let title = document.title.clone().unwrap();
        assert_eq!(title.text, "2020年峄城区人民政府信息公开工作年度报告");
        assert_eq!(title.year, Some(2020));
        assert_eq!(
            document
                .blocks
                .iter()
                .filter(|block| matches!(block.kind, BlockKind::Heading(_)))
                .count(),
            2
        );
    }
}
