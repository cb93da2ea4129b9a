//! The one table model every text encoding parses into (pipes, tabs, one cell per line,
//! `|`-separated cells, flattened rows), and the parsers that build it. Invariant: every
//! cell's range lies inside the original text and covers exactly its trimmed content (an
//! empty cell has an empty range where its content would be).

use crate::number::{parse_number, Number};
use crate::text::{is_blank, is_space, trimmed_bounds};
use text_size::{TextRange, TextSize};

/// How a table was written in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableLayout {
    /// Markdown/GFM pipe table.
    Pipe,
    /// One row per line, cells separated by tabs.
    Tab,
    /// One cell per line (each starting with a tab), rows separated by blank lines.
    CellPerLine,
    /// One cell per line, cells ending in ` |` or separated by lines holding only `|`.
    PipeSeparated,
    /// One cell per line with nothing marking the rows (blank lines between every cell).
    CellStream,
    /// Rows flattened to a label followed by space-separated numbers.
    Flattened,
    /// Columns separated by runs of spaces and aligned by position (`pdftotext -layout`,
    /// plain-text releases); see `aligned.rs`.
    Aligned,
}

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellValue {
    Number(Number),
    /// Nothing, or a placeholder such as `/`, `-`, `—`, `无`.
    Blank {
        placeholder: bool,
    },
    Text,
}

/// One cell: where its content is, and what it holds, in 16 bytes (tables hold millions of
/// cells). `shape` packs the kind in its top two bits and the content's length below them;
/// a number's length has `NUMBER_LENGTH_BITS` bits, the rest hold its scale and style.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// In the text while a parser builds the row; relative to the table's base once the row
    /// is in a `Table` (ask the table: `Table::cell_range`).
    start: TextSize,
    shape: u32,
    /// A number's mantissa; 0 for every other kind.
    mantissa: i64,
}

const KIND_SHIFT: u32 = 30;
const TEXT: u32 = 0;
const BLANK: u32 = 1;
const PLACEHOLDER: u32 = 2;
const NUMBER: u32 = 3;
/// Bits of a number's length: a number written in more than 32,767 bytes (digits padded with
/// that many spaces before the unit) is read as text.
const NUMBER_LENGTH_BITS: u32 = KIND_SHIFT - crate::number::PACKED_BITS;
const LENGTH_MASK: u32 = (1 << KIND_SHIFT) - 1;
const NUMBER_LENGTH_MASK: u32 = (1 << NUMBER_LENGTH_BITS) - 1;

impl Cell {
    /// A cell with content at `range` holding `value`. A length beyond what the packing holds
    /// (a cell of more than 1 GiB) is cut to it.
    pub(in crate::document) fn new(range: TextRange, value: CellValue) -> Cell {
        let length = u32::from(range.len());
        let (kind, bits, mantissa) = match value {
            CellValue::Number(number) if length <= NUMBER_LENGTH_MASK => {
                let (mantissa, bits) = number.packed();
                (
                    NUMBER,
                    u32::from(bits) << NUMBER_LENGTH_BITS | length,
                    mantissa,
                )
            }
            CellValue::Number(_) | CellValue::Text => (TEXT, length.min(LENGTH_MASK), 0),
            CellValue::Blank { placeholder } => (
                if placeholder { PLACEHOLDER } else { BLANK },
                length.min(LENGTH_MASK),
                0,
            ),
        };
        Cell {
            start: range.start(),
            shape: kind << KIND_SHIFT | bits,
            mantissa,
        }
    }

    fn kind(&self) -> u32 {
        self.shape >> KIND_SHIFT
    }

    fn length(&self) -> u32 {
        if self.kind() == NUMBER {
            self.shape & NUMBER_LENGTH_MASK
        } else {
            self.shape & LENGTH_MASK
        }
    }

    /// Where the content is: in the text while a parser builds the row, relative to the
    /// table's base in a `Table`.
    pub(in crate::document) fn range(&self) -> TextRange {
        TextRange::at(self.start, TextSize::from(self.length()))
    }

    /// The same value at another place (a continued cell grows; a table's base moves).
    pub(in crate::document) fn set_range(&mut self, range: TextRange) {
        *self = Cell::new(range, self.value());
    }

    /// The cell's text, while its range is still the text's (a parser building a row).
    pub(in crate::document) fn text<'t>(&self, source: &'t str) -> &'t str {
        &source[self.range()]
    }

    /// What the cell holds.
    pub fn value(&self) -> CellValue {
        match self.kind() {
            NUMBER => CellValue::Number(self.unpack_number()),
            BLANK => CellValue::Blank { placeholder: false },
            PLACEHOLDER => CellValue::Blank { placeholder: true },
            _ => CellValue::Text,
        }
    }

    fn unpack_number(&self) -> Number {
        let bits = (self.shape & LENGTH_MASK) >> NUMBER_LENGTH_BITS;
        Number::unpacked(self.mantissa, bits as u16)
    }

    /// No content: an empty slot between separators.
    pub fn is_empty(&self) -> bool {
        self.length() == 0
    }

    pub fn number(&self) -> Option<Number> {
        (self.kind() == NUMBER).then(|| self.unpack_number())
    }

    pub fn is_text(&self) -> bool {
        self.kind() == TEXT
    }

    pub fn is_blank(&self) -> bool {
        matches!(self.kind(), BLANK | PLACEHOLDER)
    }
}

impl std::fmt::Debug for Cell {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Cell")
            .field("range", &self.range())
            .field("value", &self.value())
            .finish()
    }
}

/// A row as a parser builds it: its own cells, offsets in the text. A `Table` stores its
/// rows' cells in one list and hands out `Row`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    pub(in crate::document) range: TextRange,
    pub cells: Vec<Cell>,
    /// Where a second fragment of this row starts when a stray blank line split the row in
    /// two and the parser joined the pieces.
    pub(in crate::document) split_at: Option<TextSize>,
}

impl ParsedRow {
    /// The row as a table's row reads.
    pub fn view(&self) -> Row<'_> {
        Row {
            range: self.range,
            cells: &self.cells,
            split_at: self.split_at,
        }
    }
}

/// One row of a table: its cells, and where it is (offsets relative to the table's base:
/// ask the table, `Table::row_range`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'t> {
    pub(in crate::document) range: TextRange,
    pub cells: &'t [Cell],
    pub(in crate::document) split_at: Option<TextSize>,
}

impl<'t> Row<'t> {
    /// Index of the first value cell: the cell after the last text cell.
    pub fn values_start(&self) -> usize {
        self.cells
            .iter()
            .rposition(Cell::is_text)
            .map_or(0, |index| index + 1)
    }

    /// The cells after the row's labels.
    pub fn value_cells(&self) -> &'t [Cell] {
        &self.cells[self.values_start()..]
    }

    /// The cells up to and including the last text cell.
    pub fn label_cells(&self) -> &'t [Cell] {
        &self.cells[..self.values_start()]
    }

    /// The number of cells up to the last non-empty one: a trailing tab adds no cell.
    pub fn filled_width(&self) -> usize {
        self.cells
            .iter()
            .rposition(|cell| !cell.is_empty())
            .map_or(0, |index| index + 1)
    }

    pub fn has_numbers(&self) -> bool {
        self.cells.iter().any(|cell| cell.number().is_some())
    }

    pub(in crate::document) fn text_cell_count(&self) -> usize {
        self.cells.iter().filter(|cell| cell.is_text()).count()
    }
}

/// Where a row is, and where its cells end in its table's list of cells (they start where
/// the row before ends): 16 bytes a row, and no allocation of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StoredRow {
    range: TextRange,
    cells_end: u32,
    /// `NOT_SPLIT` for a row that is one piece.
    split_at: u32,
}

const NOT_SPLIT: u32 = u32::MAX;

/// A parsed table. Its rows' and cells' offsets are relative to `base`, so that moving the
/// table after an edit before it moves one offset, not one per cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub layout: TableLayout,
    rows: Box<[StoredRow]>,
    /// Every row's cells, one row after the other.
    cells: Box<[Cell]>,
    /// Rows before a Markdown delimiter row (`|---|`); 0 when the layout has none.
    pub header_rows: usize,
    /// Where the offsets of the rows and cells count from.
    pub(in crate::document) base: TextSize,
}

impl Table {
    /// A table of rows whose offsets are the text's.
    pub(in crate::document) fn new(
        layout: TableLayout,
        rows: Vec<ParsedRow>,
        header_rows: usize,
    ) -> Table {
        let base = rows
            .iter()
            .map(|row| row.range.start())
            .chain(
                rows.iter()
                    .flat_map(|row| row.cells.iter().map(|cell| cell.start)),
            )
            .min()
            .unwrap_or_default();
        // Tables are kept for the whole session: exactly the room the rows and cells take.
        let mut cells = Vec::with_capacity(rows.iter().map(|row| row.cells.len()).sum());
        let mut stored = Vec::with_capacity(rows.len());
        for row in rows {
            cells.extend(row.cells.into_iter().map(|mut cell| {
                cell.start -= base;
                cell
            }));
            stored.push(StoredRow {
                range: row.range - base,
                cells_end: u32::try_from(cells.len()).unwrap_or(u32::MAX),
                split_at: row.split_at.map_or(NOT_SPLIT, |at| u32::from(at - base)),
            });
        }
        Table {
            layout,
            rows: stored.into_boxed_slice(),
            cells: cells.into_boxed_slice(),
            header_rows,
            base,
        }
    }

    /// How many rows the table has.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// Row `index`, if the table has it.
    pub fn get_row(&self, index: usize) -> Option<Row<'_>> {
        let stored = self.rows.get(index)?;
        let start = index
            .checked_sub(1)
            .map_or(0, |before| self.rows[before].cells_end as usize);
        Some(Row {
            range: stored.range,
            cells: &self.cells[start..stored.cells_end as usize],
            split_at: (stored.split_at != NOT_SPLIT).then(|| TextSize::from(stored.split_at)),
        })
    }

    /// Row `index`. Panics when the table has no such row, as indexing does.
    pub fn row(&self, index: usize) -> Row<'_> {
        match self.get_row(index) {
            Some(row) => row,
            None => panic!("row {index} of a table of {} rows", self.rows.len()),
        }
    }

    /// The rows, first to last.
    pub fn rows(
        &self,
    ) -> impl ExactSizeIterator<Item = Row<'_>> + DoubleEndedIterator + Clone + '_ {
        (0..self.rows.len()).map(|index| self.row(index))
    }

    /// Where a cell of this table is in the text.
    pub fn cell_range(&self, cell: &Cell) -> TextRange {
        cell.range() + self.base
    }

    /// A cell's text.
    pub fn cell_text<'t>(&self, source: &'t str, cell: &Cell) -> &'t str {
        &source[self.cell_range(cell)]
    }

    /// Where cell `cell` of a row is in the text, or the whole row when it has no such cell.
    pub fn range_of(&self, row: &Row, cell: Option<usize>) -> TextRange {
        cell.and_then(|cell| row.cells.get(cell))
            .map_or(self.row_range(row), |cell| self.cell_range(cell))
    }

    /// Where a row of this table is in the text.
    pub fn row_range(&self, row: &Row) -> TextRange {
        row.range + self.base
    }

    /// Where the second fragment of a row joined across a stray blank line starts.
    pub fn split_at(&self, row: &Row) -> Option<TextSize> {
        row.split_at.map(|at| at + self.base)
    }

    /// A row's label for messages: its first text cell (empty when it has none).
    pub fn row_label<'t>(&self, source: &'t str, row: &Row) -> &'t str {
        row.cells
            .iter()
            .find(|cell| cell.is_text())
            .map_or("", |cell| self.cell_text(source, cell))
    }

    /// The cell count of the widest row that carries numbers: the width of a 统计表, whose
    /// last column holds the values.
    pub fn numeric_width(&self) -> usize {
        self.rows()
            .filter(|row| row.has_numbers())
            .map(|row| row.cells.len())
            .max()
            .unwrap_or(0)
    }
}

/// Placeholders that stand for "no value" in a numeric position.
const PLACEHOLDERS: &[&str] = &[
    "/", "／", "-", "－", "—", "——", "–", "--", "无", "N/A", "n/a", "NA", "空", "\\",
];

/// Classifies a cell's trimmed text.
pub fn cell_value(text: &str) -> CellValue {
    let text = text.trim_matches(is_space);
    if text.is_empty() {
        return CellValue::Blank { placeholder: false };
    }
    if PLACEHOLDERS.contains(&text) {
        return CellValue::Blank { placeholder: true };
    }
    match parse_number(text) {
        Some(number) => CellValue::Number(number),
        None => CellValue::Text,
    }
}

/// Builds a cell from a slot of the text (the bytes between two separators).
pub fn cell_in(source: &str, slot_start: usize, slot_end: usize) -> Cell {
    let (start, end) = trimmed_bounds(&source[slot_start..slot_end]);
    let (mut start, mut end) = (slot_start + start, slot_start + end);
    // Markdown emphasis (`**53**`) belongs to the formatting, not to the cell's value.
    while end >= start + 2
        && source[start..end].starts_with('*')
        && source[start..end].ends_with('*')
    {
        let inner = &source[start + 1..end - 1];
        let (inner_start, inner_end) = trimmed_bounds(inner);
        end = start + 1 + inner_end;
        start += 1 + inner_start;
    }
    Cell::new(range(start, end), cell_value(&source[start..end]))
}

pub(crate) fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(offset(start), offset(end))
}

pub(crate) fn offset(position: usize) -> TextSize {
    TextSize::try_from(position).unwrap_or(TextSize::from(u32::MAX))
}

/// The stretches of `line[start..end]` between unescaped pipes (a pipe after an odd run of
/// backslashes is escaped). Only pipes and backslashes are looked at, and both are ASCII,
/// so never part of another character.
fn pipe_slots(line: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let content = &line.as_bytes()[start..end];
    let mut slots = Vec::new();
    let mut slot_start = start;
    let mut backslashes_end = usize::MAX;
    let mut backslashes = 0usize;
    for index in memchr::memchr2_iter(b'|', b'\\', content) {
        if content[index] == b'\\' {
            backslashes = if backslashes_end == index {
                backslashes + 1
            } else {
                1
            };
            backslashes_end = index + 1;
        } else if backslashes_end != index || backslashes % 2 == 0 {
            slots.push((slot_start, start + index));
            slot_start = start + index + 1;
        }
    }
    slots.push((slot_start, end));
    slots
}

/// Splits a Markdown table line into cells; `None` for a delimiter row.
pub fn pipe_row(source: &str, line_start: usize, line_end: usize) -> Option<ParsedRow> {
    let line = &source[line_start..line_end];
    let (content_start, content_end) = trimmed_bounds(line);
    let mut slots = pipe_slots(line, content_start, content_end);
    // Leading and trailing pipes open and close the row; they do not make empty cells.
    if line[content_start..].starts_with('|') && !slots.is_empty() {
        slots.remove(0);
    }
    if line[..content_end].ends_with('|') && !slots.is_empty() {
        slots.pop();
    }
    let is_delimiter = !slots.is_empty()
        && slots.iter().all(|&(start, end)| {
            let cell = line[start..end].trim_matches(is_space);
            !cell.is_empty()
                && cell
                    .trim_matches(':')
                    .chars()
                    .all(|character| character == '-')
                && cell.contains('-')
        });
    if is_delimiter {
        return None;
    }
    let cells = slots
        .into_iter()
        .map(|(start, end)| cell_in(source, line_start + start, line_start + end))
        .collect();
    Some(ParsedRow {
        range: range(line_start, line_end),
        cells,
        split_at: None,
    })
}

/// Splits a tab-separated line into cells.
pub fn tab_row(source: &str, line_start: usize, line_end: usize) -> ParsedRow {
    let line = &source[line_start..line_end];
    let mut cells = Vec::new();
    let mut slot_start = 0;
    for (index, _) in line.match_indices('\t') {
        cells.push(cell_in(source, line_start + slot_start, line_start + index));
        slot_start = index + 1;
    }
    cells.push(cell_in(source, line_start + slot_start, line_end));
    ParsedRow {
        range: range(line_start, line_end),
        cells,
        split_at: None,
    }
}

/// How many numbers a flattened line needs to stand as a table row on its own, without a
/// label or a neighbouring row.
pub const MIN_NUMBERS_ALONE: usize = 5;

/// Reads a flattened row (`label 0 0 0 0 0 0 0`): a label followed by at least three
/// numbers or placeholders separated by whitespace.
pub fn flattened_row(source: &str, line_start: usize, line_end: usize) -> Option<ParsedRow> {
    let line = &source[line_start..line_end];
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut end = line.trim_end_matches(is_space).len();
    loop {
        let before = line[..end].trim_end_matches(|character: char| !is_space(character));
        let token_start = before.len();
        if token_start == end {
            break;
        }
        match cell_value(&line[token_start..end]) {
            CellValue::Number(_) | CellValue::Blank { placeholder: true } => {
                tokens.push((token_start, end))
            }
            _ => break,
        }
        end = line[..token_start].trim_end_matches(is_space).len();
        if end == 0 {
            break;
        }
    }
    let label_end = end;
    let numbers = tokens.len();
    let unlabelled = label_end == 0 || is_blank(&line[..label_end]);
    // A row of numbers alone (table 四's one data row) needs more numbers to be told from prose.
    if numbers < 3 || (unlabelled && numbers < MIN_NUMBERS_ALONE) || line[..label_end].contains('|')
    {
        return None;
    }
    let mut cells = Vec::with_capacity(numbers + 1);
    if !unlabelled {
        let label = cell_in(source, line_start, line_start + label_end);
        if !label.is_text() {
            return None;
        }
        cells.push(label);
    }
    for (start, end) in tokens.into_iter().rev() {
        cells.push(cell_in(source, line_start + start, line_start + end));
    }
    Some(ParsedRow {
        range: range(line_start, line_end),
        cells,
        split_at: None,
    })
}

/// Joins rows that a stray blank line (or a page break) split in two: a fragment holding
/// only numbers and blanks is appended to the row before it when together they have the
/// width the table's other rows have.
pub fn join_split_rows(rows: &mut Vec<ParsedRow>) {
    let typical_values = most_common(
        rows.iter()
            .filter(|row| {
                row.view()
                    .value_cells()
                    .iter()
                    .filter(|cell| cell.number().is_some())
                    .count()
                    >= 2
            })
            .map(|row| row.view().value_cells().len()),
    );
    // Rows are moved once: joined fragments are appended to the row before them, and the
    // header width is tracked as the scan goes (no look-back per row).
    let mut joined: Vec<ParsedRow> = Vec::with_capacity(rows.len());
    let mut header_width: Option<usize> = None;
    for fragment in std::mem::take(rows) {
        if let Some(previous) = joined.last_mut() {
            let fragment_is_values =
                fragment.view().text_cell_count() == 0 && fragment.view().has_numbers();
            let previous_is_partial = (1..=3).contains(&previous.view().text_cell_count());
            let together_values = previous.view().value_cells().len() + fragment.cells.len();
            let together_cells = previous.cells.len() + fragment.cells.len();
            let fits = typical_values.is_some_and(|width| {
                previous.view().value_cells().len() < width && together_values == width
            }) || header_width
                .is_some_and(|width| previous.cells.len() < width && together_cells == width);
            if fragment_is_values && previous_is_partial && fits {
                previous.split_at = Some(fragment.range.start());
                previous.range = previous.range.cover(fragment.range);
                previous.cells.extend(fragment.cells);
                continue;
            }
            // The header a fragment is measured against is the last one before its row.
            if !previous.view().has_numbers() && previous.view().text_cell_count() >= 2 {
                header_width = Some(previous.cells.len());
            }
        }
        joined.push(fragment);
    }
    *rows = joined;
}

fn most_common(values: impl Iterator<Item = usize>) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(known, _)| *known == value) {
            Some((_, count)) => *count += 1,
            None => counts.push((value, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(value, count)| (count, value))
        .map(|(value, _)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_rows_keep_empty_cells_and_skip_delimiters() {
        let source = "| a | 1 |  |\n|---|:--:|---|\n第二十条 | |||";
        let row = pipe_row(source, 0, 12).unwrap();
        assert_eq!(row.cells.len(), 3);
        assert!(row.cells[2].is_blank());
        assert!(pipe_row(source, 13, 27).is_none());
        let merged = pipe_row(source, 28, source.len()).unwrap();
        assert_eq!(merged.cells.len(), 4);
    }

    proptest::proptest! {
        /// The pipes that split a row are those a character-by-character reading finds.
        #[test]
        fn pipes_split_where_a_character_reading_splits(line in "[|\\\\a中 ]{0,16}") {
            let mut expected = Vec::new();
            let mut slot_start = 0;
            let mut escaped = false;
            for (at, character) in line.char_indices() {
                if character == '|' && !escaped {
                    expected.push((slot_start, at));
                    slot_start = at + 1;
                }
                escaped = character == '\\' && !escaped;
            }
            expected.push((slot_start, line.len()));
            proptest::prop_assert_eq!(pipe_slots(&line, 0, line.len()), expected);
        }
    }

    #[test]
    fn flattened_rows_need_three_numbers() {
        let source = "四、结转下年度继续办理 0 0 0 0 0 0 0";
        let row = flattened_row(source, 0, source.len()).unwrap();
        assert_eq!(row.cells.len(), 8);
        assert_eq!(row.cells[0].text(source), "四、结转下年度继续办理");
        let prose = "共收到申请 9 件";
        assert!(flattened_row(prose, 0, prose.len()).is_none());
    }

    #[test]
    fn cell_values() {
        assert_eq!(cell_value(" / "), CellValue::Blank { placeholder: true });
        assert_eq!(cell_value(""), CellValue::Blank { placeholder: false });
        let source = "| **53** |";
        let cell = cell_in(source, 1, source.len() - 1);
        assert_eq!(cell.text(source), "53");
        assert!(matches!(cell.value(), CellValue::Number(_)));
        assert_eq!(cell_value("总计"), CellValue::Text);
    }

    #[test]
    fn a_cell_holds_its_range_and_value_in_16_bytes() {
        assert_eq!(std::mem::size_of::<Cell>(), 16);
        let values = [
            CellValue::Text,
            CellValue::Blank { placeholder: false },
            CellValue::Blank { placeholder: true },
            cell_value("-１，２３４．５６ 万元"),
            cell_value("999999999999999999"),
        ];
        for value in values {
            let at = range(7, 40);
            let cell = Cell::new(at, value);
            assert_eq!((cell.range(), cell.value()), (at, value));
        }
        let long = format!("12{}万元", " ".repeat(40_000));
        assert!(matches!(cell_value(&long), CellValue::Number(_)));
        let cell = Cell::new(range(0, long.len()), cell_value(&long));
        assert!(cell.is_text() && cell.range() == range(0, long.len()));
    }
}
