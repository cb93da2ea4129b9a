//! Whitespace-aligned text tables, as `pdftotext -layout`, plain-text statistical releases
//! and budgets write them: columns are separated by runs of two or more spaces (or a
//! U+3000), numbers are right-aligned under their header, a blank cell is a gap under a
//! column, and a long row label wraps onto a line of its own. Invariant: every cell's range
//! is exactly its trimmed text in the source (a blank cell has an empty range where the
//! column would hold it).
//!
//! Lookahead: whether a table starts at line `s` depends on lines `s` and `s + 1`, and, for
//! a header over a section label over numbers, on `s + 2`. Every block is at least one
//! line, so a failed start stays within the incremental parser's bound. A paragraph that
//! ends because such a three-line table starts after it has looked two lines past that
//! table's first line, one more than the bound; this is harmless because an aligned table
//! is never a restart or resync point (`incremental::starts_on_its_first_line` leaves the
//! layout out), and must stay so unless that start is narrowed to two lines. Inside the
//! table, a line is read together with the one after it (a label above its numbers, a
//! group label above its rows), and blank lines are skipped only to look at the first line
//! after them.
//!
//! Columns are found from where the numbers sit, measured both in characters and in display
//! width (CJK characters two columns wide): `pdftotext -layout` places one character per
//! grid cell whatever its width, while a text written for a monospaced screen aligns by
//! display width; the measure that puts the numbers into fewer columns is the one the text
//! was aligned in.

use super::heading::{parse_numbering, plain_heading};
use super::table::{cell_value, range, Cell, CellValue, ParsedRow, TableLayout};
use super::{is_comment_line, table_block, Block, Line};
use crate::text::{is_blank, is_space};
use std::collections::HashSet;

/// True when an aligned table starts at line `index`: reads that line and the next only.
pub(super) fn starts_table(source: &str, lines: &[Line], index: usize) -> bool {
    start_kind(source, lines, index).is_some()
}

/// Parses the aligned table starting at line `first`, if one starts there.
pub(super) fn aligned_table(source: &str, lines: &[Line], first: usize) -> Option<(Block, usize)> {
    let with_header = start_kind(source, lines, first)?;
    let text_of = |index: usize| lines[index].text(source);
    let mut parts: Vec<Part> = Vec::new();
    let mut index = first;
    if with_header {
        parts.push(Part::Header(fields(text_of(first))));
        index += 1;
    }
    // The data lines seen so far, for lines further down to be measured against.
    let mut seen = Seen::default();
    // The indentation (in characters) and text of the last row's label.
    let mut last_label: Option<(usize, &str)> = None;
    while index < lines.len() {
        let text = text_of(index);
        if let Some(data) = data_line(text).filter(|data| fits(&seen, data)) {
            seen.push(&data.values);
            if let Some(label) = &data.label {
                last_label = Some((label.from[0], label.text(text)));
            }
            parts.push(Part::Data { line: index, data });
            index += 1;
            continue;
        }
        if is_blank(text) {
            // A blank line inside the table is skipped when an aligned row follows it.
            let next = lines[index..]
                .iter()
                .position(|line| !is_blank(line.text(source)))
                .map(|offset| index + offset);
            match next {
                Some(next)
                    if !seen.is_empty()
                        && data_line(text_of(next)).is_some_and(|data| fits(&seen, &data)) =>
                {
                    index = next;
                    continue;
                }
                _ => break,
            }
        }
        if !is_label_text(text) {
            break;
        }
        let next_data = lines
            .get(index + 1)
            .and_then(|next| data_line(next.text(source)))
            .filter(|data| fits(&seen, data));
        match next_data {
            // A label written above its numbers (pdftotext centres a row's numbers between
            // the lines of its wrapped label).
            Some(data) if data.label.is_none() => {
                seen.push(&data.values);
                last_label = Some((indentation(text), text.trim_matches(is_space)));
                parts.push(Part::LabelAbove {
                    label_line: index,
                    line: index + 1,
                    data,
                });
                index += 2;
            }
            // The second line of a wrapped label, where the wrap shows (deeper indentation,
            // an open bracket, a lower-case start).
            Some(_) if continues_label(&seen, &parts, text) && wraps(&last_label, text) => {
                parts.push(Part::Continuation(index));
                index += 1;
            }
            // A group or section label (`（三）不予公开`, `Non-current assets`) on a line
            // of its own, above the rows it names.
            Some(_) if is_numbered(text) || is_section_label(text) => {
                parts.push(Part::Group(index));
                index += 1;
            }
            _ if continues_label(&seen, &parts, text) => {
                parts.push(Part::Continuation(index));
                index += 1;
            }
            _ => break,
        }
    }
    let measure = best_measure(&seen.lines);
    let columns = columns(&seen.lines, measure);
    let mut rows: Vec<ParsedRow> = Vec::new();
    for part in &parts {
        match part {
            Part::Header(header) => {
                let line = lines[first];
                rows.push(header_row(source, line, header, &columns, measure));
            }
            Part::Data { line, data } => {
                rows.push(data_row(
                    source,
                    lines[*line],
                    None,
                    data,
                    &columns,
                    measure,
                ));
            }
            Part::LabelAbove {
                label_line,
                line,
                data,
            } => {
                let label = lines[*label_line];
                rows.push(data_row(
                    source,
                    lines[*line],
                    Some(label),
                    data,
                    &columns,
                    measure,
                ));
            }
            Part::Group(line) => {
                let line = lines[*line];
                rows.push(ParsedRow {
                    range: range(line.start, line.end),
                    cells: vec![text_cell(source, line)],
                    split_at: None,
                });
            }
            // A wrapped label's second line belongs to the row above; its words are not a
            // cell of their own, so the row keeps the table's width.
            Part::Continuation(line) => {
                if let Some(row) = rows.last_mut() {
                    let line = lines[*line];
                    let (start, end) = trimmed(source, line);
                    row.range = row.range.cover(range(start, end));
                }
            }
        }
    }
    Some((table_block(TableLayout::Aligned, rows, 0), index))
}

/// One run of text between gaps: byte offsets in its line and its columns in both measures.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    start: usize,
    end: usize,
    /// `[characters, display width]` of where the field starts and ends.
    from: [usize; 2],
    to: [usize; 2],
}

impl Field {
    fn text<'t>(&self, line: &'t str) -> &'t str {
        &line[self.start..self.end]
    }
}

/// A line of numbers: its label field (all text before the numbers) and its value tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DataLine {
    label: Option<Field>,
    values: Vec<Field>,
    /// How many of the values are separated from the value before them by a gap.
    separated: usize,
}

/// What one line (or two) of the table is.
#[derive(Debug, Clone)]
enum Part {
    Header(Vec<Field>),
    Data {
        line: usize,
        data: DataLine,
    },
    LabelAbove {
        label_line: usize,
        line: usize,
        data: DataLine,
    },
    Group(usize),
    Continuation(usize),
}

/// Which measure: characters (0) or display width (1).
type Measure = usize;

/// How a table starts at `index`: `Some(true)` with a header line, `Some(false)` with two
/// data lines, `None` when none starts there. Reads lines `index` and `index + 1` only.
fn start_kind(source: &str, lines: &[Line], index: usize) -> Option<bool> {
    let line_text = |index: usize| lines.get(index).map(|line| line.text(source));
    let text = line_text(index)?;
    let next = line_text(index + 1)?;
    if !plain_line(text) || !plain_line(next) {
        return None;
    }
    let two_columns = |text: &str| data_line(text).filter(|data| data.separated >= 2);
    if let Some(first) = two_columns(text).filter(|_| !is_header_like(text)) {
        let second = two_columns(next)?;
        let aligned = (0..2)
            .map(|measure| aligned_values(&first.values, &second.values, measure))
            .max()
            .unwrap_or(0);
        return (aligned >= 2).then_some(false);
    }
    if !is_header_like(text) {
        return None;
    }
    // A header over numbers, or over a section label (`Current assets`) over numbers.
    let second = match two_columns(next) {
        Some(second) => second,
        None if is_section_label(next) => {
            two_columns(line_text(index + 2).filter(|text| plain_line(text))?)?
        }
        None => return None,
    };
    // At least two of the header's labels stand over numbers.
    let header = fields(text);
    let over = (0..2)
        .map(|measure| {
            header
                .iter()
                .filter(|label| {
                    second
                        .values
                        .iter()
                        .any(|value| overlaps(label, value, measure))
                })
                .count()
        })
        .max()
        .unwrap_or(0);
    (over >= 2).then_some(true)
}

/// A short line of one label naming the rows below it (`Current assets`, `（三）不予公开`):
/// no numbers, not a section heading of the document.
fn is_section_label(text: &str) -> bool {
    is_label_text(text)
        && fields(text).len() == 1
        && plain_heading(text).is_none()
        && text.trim_matches(is_space).chars().count() <= 40
}

/// A line another layout does not claim: no tab, no pipe, not a comment, a fence or a
/// Markdown heading.
fn plain_line(text: &str) -> bool {
    let trimmed = text.trim_start_matches(is_space);
    !text.contains(['\t', '|'])
        && !is_comment_line(text)
        && !trimmed.starts_with("```")
        && !trimmed.starts_with('#')
        && !is_blank(text)
}

/// A header line: two or more fields, none of them a number other than a year, and not a
/// section heading.
fn is_header_like(text: &str) -> bool {
    let fields = fields(text);
    fields.len() >= 2
        && plain_heading(text).is_none()
        && fields.iter().all(|field| {
            let word = field.text(text);
            !matches!(cell_value(word), CellValue::Number(_)) || is_year(word)
        })
}

/// `2023`, `2023年`: a column header, not a value.
fn is_year(word: &str) -> bool {
    let digits = word.trim_end_matches('年');
    digits.len() == 4
        && digits.chars().all(|character| character.is_ascii_digit())
        && (digits.starts_with("19") || digits.starts_with("20"))
}

/// Splits a line into fields at gaps: runs of two or more spaces, or any run holding a
/// U+3000 or a tab.
fn fields(text: &str) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    let mut position = [0usize; 2];
    let mut gap = 0usize;
    let mut wide_gap = false;
    for (byte, character) in text.char_indices() {
        let width = [1, display_width(character)];
        if is_space(character) {
            gap += 1;
            wide_gap |= character == '\u{3000}' || character == '\t';
        } else {
            let joins = gap == 1 && !wide_gap && !fields.is_empty();
            match fields.last_mut() {
                Some(field) if joins || gap == 0 => {
                    field.end = byte + character.len_utf8();
                    field.to = [position[0] + 1, position[1] + width[1]];
                }
                _ => fields.push(Field {
                    start: byte,
                    end: byte + character.len_utf8(),
                    from: position,
                    to: [position[0] + 1, position[1] + width[1]],
                }),
            }
            gap = 0;
            wide_gap = false;
        }
        position = [position[0] + width[0], position[1] + width[1]];
    }
    fields
}

/// The display width of a character: 2 for East Asian wide and full-width characters.
fn display_width(character: char) -> usize {
    let code = u32::from(character);
    let wide = matches!(code,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

/// Reads a line as numbers after a label: the trailing fields are numbers or placeholders
/// (single-spaced numbers inside one field are separate values), and at least one gap
/// separates the label from them.
fn data_line(text: &str) -> Option<DataLine> {
    if !plain_line(text) {
        return None;
    }
    let fields = fields(text);
    let first_value = fields
        .iter()
        .rposition(|field| !field_is_values(field.text(text)))
        .map_or(0, |index| index + 1);
    if first_value == fields.len() {
        return None;
    }
    let label = match first_value {
        0 => None,
        _ => Some(Field {
            start: fields[0].start,
            end: fields[first_value - 1].end,
            from: fields[0].from,
            to: fields[first_value - 1].to,
        }),
    };
    let mut values = Vec::new();
    let mut separated = 0;
    for field in &fields[first_value..] {
        separated += 1;
        values.extend(words(text, field));
    }
    Some(DataLine {
        label,
        values,
        separated,
    })
}

/// True when every word of a field is a number or a placeholder.
fn field_is_values(field: &str) -> bool {
    field.split(' ').all(|word| {
        matches!(
            cell_value(word),
            CellValue::Number(_) | CellValue::Blank { placeholder: true }
        )
    })
}

/// The single-space-separated words of a field, as fields of their own.
fn words(text: &str, field: &Field) -> Vec<Field> {
    let mut found = Vec::new();
    let mut position = field.from;
    let mut start: Option<(usize, [usize; 2])> = None;
    let slice = &text[field.start..field.end];
    for (offset, character) in slice.char_indices() {
        let byte = field.start + offset;
        let width = [1, display_width(character)];
        if character == ' ' {
            if let Some((word_start, from)) = start.take() {
                found.push(Field {
                    start: word_start,
                    end: byte,
                    from,
                    to: position,
                });
            }
        } else if start.is_none() {
            start = Some((byte, position));
        }
        position = [position[0] + width[0], position[1] + width[1]];
    }
    if let Some((word_start, from)) = start {
        found.push(Field {
            start: word_start,
            end: field.end,
            from,
            to: position,
        });
    }
    found
}

/// How many values of `second` end where a value of `first` ends (±1, for centred
/// numbers), in one measure.
fn aligned_values(first: &[Field], second: &[Field], measure: Measure) -> usize {
    second
        .iter()
        .filter(|value| {
            first
                .iter()
                .any(|other| value.to[measure].abs_diff(other.to[measure]) <= 1)
        })
        .count()
}

/// A header label stands over a value when their spans overlap or nearly touch: labels are
/// centred or right-aligned over numbers narrower than they are.
fn overlaps(label: &Field, value: &Field, measure: Measure) -> bool {
    label.from[measure] < value.to[measure] + 2 && value.from[measure] < label.to[measure] + 2
}

/// The values of the data lines read so far, and the right edges they end at in both
/// measures, so that a line further down is measured in time proportional to its own
/// values.
#[derive(Debug, Default)]
struct Seen {
    lines: Vec<Vec<Field>>,
    edges: [HashSet<usize>; 2],
    /// The leftmost column where a value starts, in both measures.
    numbers_start: [usize; 2],
}

impl Seen {
    fn push(&mut self, values: &[Field]) {
        if self.lines.is_empty() {
            self.numbers_start = [usize::MAX; 2];
        }
        for value in values {
            for measure in 0..2 {
                self.edges[measure].insert(value.to[measure]);
                self.numbers_start[measure] = self.numbers_start[measure].min(value.from[measure]);
            }
        }
        self.lines.push(values.to_vec());
    }

    fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// A data line further down fits the table when one of its values ends where a value of
/// the lines above ends (±1, in either measure).
fn fits(seen: &Seen, data: &DataLine) -> bool {
    seen.is_empty()
        || (0..2).any(|measure| {
            data.values.iter().any(|value| {
                let edge = value.to[measure];
                (edge.saturating_sub(1)..=edge + 1).any(|near| seen.edges[measure].contains(&near))
            })
        })
}

/// A line of text only: no numbers at its end.
fn is_label_text(text: &str) -> bool {
    plain_line(text) && data_line(text).is_none()
}

fn is_numbered(text: &str) -> bool {
    parse_numbering(text.trim_start_matches(is_space)).is_some()
}

/// A short line of text that continues the label of the row above: not numbered, and it
/// ends before the first column of numbers (prose runs across the columns).
fn continues_label(seen: &Seen, parts: &[Part], text: &str) -> bool {
    let previous_is_row = matches!(
        parts.last(),
        Some(Part::Data { .. } | Part::LabelAbove { .. } | Part::Continuation(_))
    );
    let line_fields = fields(text);
    let (Some(first), Some(last)) = (line_fields.first(), line_fields.last()) else {
        return false;
    };
    let short = text.trim_matches(is_space).chars().count() <= 24;
    let ends_before_numbers = (0..2).any(|measure| last.to[measure] < seen.numbers_start[measure]);
    previous_is_row
        && short
        && !is_numbered(text)
        && first.start > 0
        && ends_before_numbers
        && plain_heading(text).is_none()
}

/// How many whitespace characters a line starts with.
fn indentation(text: &str) -> usize {
    text.chars()
        .take_while(|&character| is_space(character))
        .count()
}

/// True when a line shows that it continues the label above: it is indented deeper, the
/// label above leaves a bracket open or is numbered (and this line is not), or it starts
/// in lower case or with closing punctuation.
fn wraps(last_label: &Option<(usize, &str)>, text: &str) -> bool {
    let Some((indent, label)) = last_label else {
        return false;
    };
    let open = label.matches(['(', '（']).count() > label.matches([')', '）']).count();
    let starts_inside = text
        .trim_start_matches(is_space)
        .starts_with(|character: char| {
            character.is_ascii_lowercase() || matches!(character, ')' | '）' | '、' | '，' | ',')
        });
    let numbered_above = is_numbered(label) && !is_numbered(text);
    indentation(text) > *indent || open || starts_inside || numbered_above
}

/// The measure in which the values fall into fewer columns.
fn best_measure(seen: &[Vec<Field>]) -> Measure {
    let count = |measure| columns(seen, measure).len();
    if count(1) < count(0) {
        1
    } else {
        0
    }
}

/// The columns of values: the spans of values that overlap, merged, left to right.
fn columns(seen: &[Vec<Field>], measure: Measure) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = seen
        .iter()
        .flatten()
        .map(|value| (value.from[measure], value.to[measure]))
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (from, to) in spans {
        match merged.last_mut() {
            Some(last) if from < last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// The column a span belongs to: the one it overlaps most, else the nearest.
fn column_of(columns: &[(usize, usize)], from: usize, to: usize) -> usize {
    let overlap = |&(start, end): &(usize, usize)| to.min(end).saturating_sub(from.max(start));
    let distance = |&(start, end): &(usize, usize)| {
        if to <= start {
            start - to
        } else {
            from.saturating_sub(end)
        }
    };
    (0..columns.len())
        .max_by_key(|&column| {
            (
                overlap(&columns[column]),
                usize::MAX - distance(&columns[column]),
            )
        })
        .unwrap_or(0)
}

/// The trimmed content bounds of a line in the source.
fn trimmed(source: &str, line: Line) -> (usize, usize) {
    let (start, end) = crate::text::trimmed_bounds(line.text(source));
    (line.start + start, line.start + end)
}

fn text_cell(source: &str, line: Line) -> Cell {
    let (start, end) = trimmed(source, line);
    Cell::new(range(start, end), cell_value(&source[start..end]))
}

fn field_cell(source: &str, line: Line, field: &Field) -> Cell {
    let (start, end) = (line.start + field.start, line.start + field.end);
    Cell::new(range(start, end), cell_value(&source[start..end]))
}

/// Where a blank cell of `column` sits on a line: at the column's right edge, or at the end
/// of a line too short to reach it.
fn blank_cell(source: &str, line: Line, column: (usize, usize), measure: Measure) -> Cell {
    let text = line.text(source);
    let mut position = 0;
    let mut at = text.trim_end_matches(is_space).len();
    for (byte, character) in text.char_indices() {
        if position >= column.1 {
            at = at.min(byte);
            break;
        }
        position += [1, display_width(character)][measure];
    }
    Cell::new(
        range(line.start + at, line.start + at),
        CellValue::Blank { placeholder: false },
    )
}

/// A row of numbers: its label (from the line above when the label was written there) and
/// one cell per column, blank where the line has a gap under the column.
fn data_row(
    source: &str,
    line: Line,
    label_line: Option<Line>,
    data: &DataLine,
    columns: &[(usize, usize)],
    measure: Measure,
) -> ParsedRow {
    let label = match (label_line, &data.label) {
        (Some(above), _) => text_cell(source, above),
        (None, Some(label)) => field_cell(source, line, label),
        (None, None) => Cell::new(
            range(line.start, line.start),
            CellValue::Blank { placeholder: false },
        ),
    };
    let mut slots: Vec<Vec<&Field>> = vec![Vec::new(); columns.len()];
    for value in &data.values {
        let column = column_of(columns, value.from[measure], value.to[measure]);
        slots[column].push(value);
    }
    let mut cells = vec![label];
    for (column, slot) in slots.iter().enumerate() {
        if slot.is_empty() {
            cells.push(blank_cell(source, line, columns[column], measure));
        }
        // Two values under one column are both kept: the row is then wider than the
        // table, which `table-shape` reports, rather than a value being lost.
        cells.extend(slot.iter().map(|value| field_cell(source, line, value)));
    }
    let start = label_line.map_or(line.start, |above| trimmed(source, above).0);
    let (_, end) = trimmed(source, line);
    ParsedRow {
        range: range(start, end.max(start)),
        cells,
        split_at: None,
    }
}

/// A header line's labels placed over the columns; labels left of every column head the
/// label column; two labels over one column make one cell.
fn header_row(
    source: &str,
    line: Line,
    header: &[Field],
    columns: &[(usize, usize)],
    measure: Measure,
) -> ParsedRow {
    let numbers_start = columns.first().map_or(usize::MAX, |column| column.0);
    let mut slots: Vec<Option<(usize, usize)>> = vec![None; columns.len() + 1];
    for field in header {
        let slot = if field.to[measure] <= numbers_start
            && !columns
                .iter()
                .any(|&(start, end)| field.from[measure] < end && start < field.to[measure])
        {
            0
        } else {
            1 + column_of(columns, field.from[measure], field.to[measure])
        };
        let bounds = slots[slot].get_or_insert((field.start, field.end));
        bounds.0 = bounds.0.min(field.start);
        bounds.1 = bounds.1.max(field.end);
    }
    let cells = slots
        .iter()
        .enumerate()
        .map(|(slot, bounds)| match bounds {
            Some((start, end)) => {
                let (start, end) = (line.start + start, line.start + end);
                Cell::new(range(start, end), cell_value(&source[start..end]))
            }
            None if slot == 0 => Cell::new(
                range(line.start, line.start),
                CellValue::Blank { placeholder: false },
            ),
            None => blank_cell(source, line, columns[slot - 1], measure),
        })
        .collect();
    let (start, end) = trimmed(source, line);
    ParsedRow {
        range: range(start, end),
        cells,
        split_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, BlockKind};
    use super::*;

    /// The texts of every cell of the first table, row by row.
    fn cells(source: &str) -> Vec<Vec<String>> {
        let document = parse(source);
        let (_, table) = document.tables().next().expect("a table");
        assert_eq!(table.layout, TableLayout::Aligned);
        table
            .rows()
            .map(|row| {
                row.cells
                    .iter()
                    .map(|cell| table.cell_text(source, cell).to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn splits_columns_at_runs_of_spaces() {
        let source = "Item              2023      2024\n\
                      Current assets     120       130\n\
                      Fixed assets        80        95\n";
        assert_eq!(
            cells(source),
            [
                ["Item", "2023", "2024"],
                ["Current assets", "120", "130"],
                ["Fixed assets", "80", "95"],
            ]
        );
    }

    #[test]
    fn a_wrapped_label_stays_one_row() {
        let source = "项目                     上年      本年\n\
                      一、一般公共服务           10        12\n\
                      \u{20}\u{20}\u{20}\u{20}支出\n\
                      二、教育支出               5         6\n";
        let document = parse(source);
        let table = document.table(0).expect("a table");
        assert_eq!(table.row_count(), 3);
        let wrapped = &table.row(1);
        assert_eq!(
            table.cell_text(source, &wrapped.cells[0]),
            "一、一般公共服务"
        );
        assert!(source[table.row_range(wrapped)].ends_with("支出"));
        assert_eq!(wrapped.cells.len(), 3);
    }

    #[test]
    fn a_label_above_its_numbers_is_the_row_label() {
        let source = "项目                         甲        乙\n\
                      （一）予以公开                 1         2\n\
                      （二）部分公开（区分处理的\n\
                      \u{20}                              3         4\n";
        let rows = cells(source);
        assert_eq!(rows[2], ["（二）部分公开（区分处理的", "3", "4"]);
    }

    #[test]
    fn a_gap_under_a_column_is_a_blank_cell() {
        let source = "指标              一季度      二季度      三季度\n\
                      出口                  10          12          14\n\
                      进口                   8                       9\n";
        let document = parse(source);
        let table = document.table(0).expect("a table");
        let row = &table.row(2);
        assert_eq!(row.cells.len(), 4);
        assert!(row.cells[2].is_blank() && row.cells[2].range().is_empty());
        assert_eq!(table.cell_text(source, &row.cells[3]), "9");
        let placeholders = "项目        甲      乙\n一          1       /\n二          —       2\n";
        let rows = cells(placeholders);
        assert_eq!(rows[1], ["一", "1", "/"]);
        assert_eq!(rows[2], ["二", "—", "2"]);
    }

    #[test]
    fn cjk_labels_align_by_characters_or_by_display_width() {
        // pdftotext gives every character one column; a monospaced screen gives CJK two.
        let by_characters =
            "项目        本年    上年\n收入合计      12      10\n其他          3       4\n";
        let by_width = "项目            本年    上年\n收入合计          12      10\nOther             3       4\n";
        for source in [by_characters, by_width] {
            let rows = cells(source);
            assert_eq!(rows.len(), 3, "{source}");
            assert!(rows.iter().all(|row| row.len() == 3), "{rows:?}");
        }
        assert_eq!(display_width('中'), 2);
        assert_eq!(display_width('a'), 1);
    }

    #[test]
    fn prose_and_flattened_rows_are_not_aligned_tables() {
        let prose = "本机关全年共收到申请  12  件，办结  10  件。\n其余事项另行说明。\n";
        assert!(parse(prose)
            .blocks
            .iter()
            .all(|block| !matches!(block.kind, BlockKind::Table(_))));
        let flattened = "三、本年度办理结果 0 0 0 0 0 0 0\n四、结转下年度继续办理 0 0 0 0 0 0 0\n";
        let document = parse(flattened);
        assert_eq!(
            document.table(0).map(|table| table.layout),
            Some(TableLayout::Flattened)
        );
        assert!(data_line("共收到申请 9 件").is_none());
        let heading = "# Budget            2023      2024\nStaff               10        12\nRent                 4         5\n";
        assert!(matches!(
            parse(heading).blocks[0].kind,
            BlockKind::Heading(_)
        ));
    }
}
