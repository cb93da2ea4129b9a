//! Binds the document's tables to the selected profile's table templates: which template a
//! table is, which template row each document row is (by its label, tolerating the wording
//! and numbering variants real drafts use), and which cell holds each template column.
//! Invariant: a row's values are bound only when its cell count fits the template; a row
//! that does not fit is recorded with the counts, and no relation reads it.

use crate::document::heading::{parse_numbering, NumberingStyle};
use crate::document::table::{Row, Table};
use crate::document::Document;
use crate::profile::{ColumnSpec, Profile, TableTemplate};
use crate::text::label_key;

/// Where a cell is: block index in the document, row index in the table, cell index in the
/// row. 12 bytes: a large table's relations hold millions of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    block: u32,
    row: u32,
    cell: u32,
}

impl CellRef {
    /// Indices past `u32::MAX` (beyond any text reportlint reads) are held as `u32::MAX`.
    pub fn new(block: usize, row: usize, cell: usize) -> CellRef {
        let index = |value: usize| u32::try_from(value).unwrap_or(u32::MAX);
        CellRef {
            block: index(block),
            row: index(row),
            cell: index(cell),
        }
    }

    pub fn block(self) -> usize {
        self.block as usize
    }

    pub fn row(self) -> usize {
        self.row as usize
    }

    pub fn cell(self) -> usize {
        self.cell as usize
    }
}

/// How well a row's label matched its template row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelMatch {
    Exact,
    /// Close but not equal: `label-mismatch` offers the template's wording.
    Similar,
}

/// A document row bound to a template row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundRow {
    pub block: usize,
    pub row: usize,
    /// Index into the template's rows.
    pub spec: usize,
    /// The cell holding the label, if the row has one.
    pub label_cell: Option<usize>,
    pub label_match: LabelMatch,
    /// Cell index for each of the template row's columns; `None` when the shape is wrong.
    pub values: Option<Vec<usize>>,
    /// `(expected, found)` value cells when they differ.
    pub shape_error: Option<(usize, usize)>,
}

/// A data row whose label matches no template row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownRow {
    pub block: usize,
    pub row: usize,
    pub label_cell: usize,
}

/// Every table that matched one template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateBinding<'p> {
    pub template: &'p TableTemplate,
    /// The document tables (block indices) bound to it.
    pub blocks: Vec<usize>,
    pub rows: Vec<BoundRow>,
    pub unknown_rows: Vec<UnknownRow>,
}

impl TemplateBinding<'_> {
    /// The bound row for a template row id, if the document has it.
    pub fn row_for(&self, template: &TableTemplate, id: &str) -> Option<&BoundRow> {
        let spec = template.rows.iter().position(|row| row.id == id)?;
        self.rows.iter().find(|row| row.spec == spec)
    }
}

/// All bindings of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bindings<'p> {
    pub templates: Vec<TemplateBinding<'p>>,
}

impl Bindings<'_> {
    /// True when the block is a table bound to some template.
    pub fn is_bound(&self, block: usize) -> bool {
        self.templates
            .iter()
            .any(|binding| binding.blocks.contains(&block))
    }
}

/// Binds every table of the document to a template of one of `profiles` (the first is
/// preferred). When several profiles have a template for a table (table 三 of gov-2019 and
/// of gov-2021), the one whose rows the table matches best wins, so a report that mixes
/// formats is checked table by table against the layout each table has. Tables for which
/// `known_free` is true are passed over: a previous analysis found that no template of
/// these profiles fits them, and a table no template fits adds nothing to any binding.
pub fn bind<'p>(
    source: &str,
    document: &Document,
    profiles: &[&'p Profile],
    known_free: impl Fn(usize) -> bool,
) -> Bindings<'p> {
    let mut bindings = Bindings::default();
    let prepared: Vec<Vec<PreparedTemplate>> = profiles
        .iter()
        .map(|profile| profile.tables.iter().map(PreparedTemplate::new).collect())
        .collect();
    if prepared.iter().all(Vec::is_empty) {
        // No template to bind to (the generic profile): no table's labels need reading.
        return bindings;
    }
    for (block, table) in document.tables().filter(|&(block, _)| !known_free(block)) {
        let mut best: Option<(
            &'p TableTemplate,
            &PreparedTemplate,
            TemplateBinding<'p>,
            usize,
        )> = None;
        let labels = TableLabels::of(source, table);
        for (profile, prepared) in profiles.iter().zip(&prepared) {
            let Some(index) = best_template(table, &labels, prepared) else {
                continue;
            };
            let template = &profile.tables[index];
            if best
                .as_ref()
                .is_some_and(|(known, ..)| std::ptr::eq(*known, template))
            {
                continue;
            }
            let mut trial = TemplateBinding {
                template,
                blocks: vec![block],
                rows: Vec::new(),
                unknown_rows: Vec::new(),
            };
            if !template.outline {
                bind_rows(source, block, table, template, &prepared[index], &mut trial);
            }
            let score = trial
                .rows
                .iter()
                .filter(|row| row.label_match == LabelMatch::Exact)
                .count()
                * 2
                + 1;
            let score = score.saturating_sub(trial.unknown_rows.len());
            if best
                .as_ref()
                .is_none_or(|(.., best_score)| score > *best_score)
            {
                best = Some((template, &prepared[index], trial, score));
            }
        }
        let Some((template, prepared_template, trial, _)) = best else {
            continue;
        };
        match bindings
            .templates
            .iter_mut()
            .find(|binding| std::ptr::eq(binding.template, template))
        {
            // Another table already has this template: bind on top of its rows (a row seen
            // twice is reported, the order continues).
            Some(binding) => {
                binding.blocks.push(block);
                if !template.outline {
                    bind_rows(source, block, table, template, prepared_template, binding);
                }
            }
            // The first table of a template: the trial binding is the binding.
            None => bindings.templates.push(trial),
        }
    }
    bindings
}

/// Other wordings of a template row, as comparison keys: aliases are accepted as they are;
/// variants are recognised but reported (`label-mismatch`), e.g. 2019's `规范性文件` in a
/// 2021 table.
struct KnownWordings {
    aliases: Vec<String>,
    variants: Vec<String>,
}

/// Template labels turned into comparison keys once.
struct PreparedTemplate {
    markers: Vec<String>,
    /// How many markers a table must carry to be this template.
    min_markers: usize,
    /// The column count of the template's single unlabelled data row (table 四), if it has
    /// one and it is wide enough (five or more columns) to be recognised by its shape.
    unlabelled_width: Option<usize>,
    /// For each template row: the key of its name (label without numbering) and its numbering.
    rows: Vec<(String, Option<(NumberingStyle, u32)>)>,
    known: Vec<KnownWordings>,
}

impl PreparedTemplate {
    fn new(template: &TableTemplate) -> PreparedTemplate {
        PreparedTemplate {
            markers: template
                .markers
                .iter()
                .map(|marker| label_key(marker))
                .collect(),
            min_markers: template.min_markers.max(1),
            unlabelled_width: template
                .rows
                .iter()
                .find(|row| row.label.is_empty())
                .map(|row| template.columns_of(row).len())
                .filter(|&width| width >= 5),
            rows: template
                .rows
                .iter()
                .map(|row| split_label(&row.label))
                .collect(),
            known: template
                .rows
                .iter()
                .map(|row| KnownWordings {
                    aliases: row
                        .aliases
                        .iter()
                        .map(|alias| split_label(alias).0)
                        .collect(),
                    variants: row
                        .variants
                        .iter()
                        .map(|variant| split_label(variant).0)
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The longest label, in bytes of its key, that is scanned for numbering markers.
const MAX_LABEL_BYTES: usize = 300;

/// Splits a label into the key of its name and its numbering: `（一）予以公开` gives
/// (`予以公开`, ChineseParen 1). When a cell holds a group label and a leaf label together
/// (`（三）不予公开 1.属于国家秘密`), the last numbered part is the row's own label.
pub fn split_label(label: &str) -> (String, Option<(NumberingStyle, u32)>) {
    split_key(label_key(label))
}

/// `split_label` of a label already made a key.
fn split_key(key: String) -> (String, Option<(NumberingStyle, u32)>) {
    // Labels are short; a long text cell is prose, taken whole (and not scanned for markers
    // at every character).
    if key.len() > MAX_LABEL_BYTES {
        return (key, None);
    }
    let mut best_start = 0;
    let mut numbering = None;
    let mut offset = 0;
    while offset < key.len() {
        let rest = &key[offset..];
        let preceded_by_di = key[..offset].ends_with('第');
        if let Some(found) = parse_numbering(rest).filter(|_| !preceded_by_di) {
            if offset == 0 || !found_in_word(&key[..offset]) {
                best_start = offset + found.len;
                numbering = Some((found.style, found.value));
                offset += found.len;
                continue;
            }
        }
        offset += rest.chars().next().map_or(1, char::len_utf8);
    }
    (key[best_start..].to_string(), numbering)
}

/// A numbering marker glued to a preceding digit or Latin letter is part of a word.
fn found_in_word(before: &str) -> bool {
    before
        .chars()
        .last()
        .is_some_and(|character| character.is_ascii_alphanumeric())
}

/// The label keys and row names of a table's text cells, worked out once for every
/// profile's templates.
struct TableLabels {
    keys: Vec<String>,
    names: Vec<String>,
}

impl TableLabels {
    fn of(source: &str, table: &Table) -> TableLabels {
        let texts = || {
            table
                .rows()
                .flat_map(|row| row.cells)
                .filter(|cell| cell.is_text())
                .map(|cell| table.cell_text(source, cell))
        };
        let keys: Vec<String> = texts().map(label_key).collect();
        let names = keys.iter().map(|key| split_key(key.clone()).0).collect();
        TableLabels { keys, names }
    }
}

/// The template a table is: the one whose markers it carries most. A table that carries
/// fewer markers than the template asks for still counts when its rows bear the template's
/// row labels: Markdown drafts often split table 二 into one small table per caption.
fn best_template(
    table: &Table,
    labels: &TableLabels,
    templates: &[PreparedTemplate],
) -> Option<usize> {
    let TableLabels { keys, names } = labels;
    templates
        .iter()
        .enumerate()
        .filter_map(|(index, template)| {
            let hits = template
                .markers
                .iter()
                .filter(|marker| keys.iter().any(|key| key.contains(marker.as_str())))
                .count();
            let rows = template
                .rows
                .iter()
                .filter(|(row_name, _)| !row_name.is_empty() && names.contains(row_name))
                .count();
            // Table 四 flattened from a PDF is one unlabelled row of fifteen numbers whose
            // header stayed in the prose: a small table with exactly that row is the template.
            // Empty cells at the row's edges are layout (an aligned row's margin).
            let unlabelled_fit = template.unlabelled_width.is_some_and(|width| {
                table.row_count() <= 3
                    && table.rows().any(|row| {
                        let values = row.value_cells();
                        let start = values.iter().position(|cell| !cell.is_empty());
                        let end = values.iter().rposition(|cell| !cell.is_empty());
                        let filled = start.zip(end).map_or(0, |(start, end)| end + 1 - start);
                        filled == width && values.iter().all(|cell| !cell.is_text())
                    })
            });
            let enough = hits >= template.min_markers || (hits >= 1 && rows >= 1) || unlabelled_fit;
            enough.then_some((index, hits + rows))
        })
        .max_by_key(|&(index, score)| (score, usize::MAX - index))
        .map(|(index, _)| index)
}

/// Similarity of two keys in 0..=100: the longest common subsequence against the longer key.
fn similarity(left: &str, right: &str) -> usize {
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    if left.is_empty() || right.is_empty() {
        return 0;
    }
    // Two rows of the longest-common-subsequence table, reused: no allocation per character.
    let mut previous = vec![0usize; right.len() + 1];
    let mut current = vec![0usize; right.len() + 1];
    for &left_char in &left {
        for (index, &right_char) in right.iter().enumerate() {
            current[index + 1] = if left_char == right_char {
                previous[index] + 1
            } else {
                current[index].max(previous[index + 1])
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[right.len()] * 100 / left.len().max(right.len())
}

/// How closely a document label matches a template row name; `None` when not at all.
fn match_label(name: &str, template_name: &str, known: &KnownWordings) -> Option<LabelMatch> {
    if name.is_empty() || template_name.is_empty() {
        return None;
    }
    // A prefix match needs a prefix long enough to mean something: `其他处理` is not `其他`.
    let exact = |candidate: &str| {
        name == candidate
            || (name.starts_with(candidate) && candidate.chars().count() >= 3)
            || (candidate.starts_with(name) && name.chars().count() >= 4)
    };
    if exact(template_name) || known.aliases.iter().any(|alias| exact(alias)) {
        return Some(LabelMatch::Exact);
    }
    if known.variants.iter().any(|variant| exact(variant)) {
        return Some(LabelMatch::Similar);
    }
    let (name_length, template_length) = (name.chars().count(), template_name.chars().count());
    let (shorter, longer) = (
        name_length.min(template_length),
        name_length.max(template_length),
    );
    // The common subsequence is at most the shorter key: when that is under three quarters
    // of the longer, the keys cannot be similar, and the table need not be filled.
    (shorter >= 4 && shorter * 100 >= 75 * longer && similarity(name, template_name) >= 75)
        .then_some(LabelMatch::Similar)
}

fn bind_rows(
    source: &str,
    block: usize,
    table: &Table,
    template: &TableTemplate,
    prepared: &PreparedTemplate,
    binding: &mut TemplateBinding<'_>,
) {
    let unlabelled_spec = template.rows.iter().position(|row| row.label.is_empty());
    let mut last_spec: Option<usize> = binding.rows.last().map(|row| row.spec);
    let mut group_context: Option<usize> = None;
    for (row_index, row) in table.rows().enumerate() {
        if is_header(&row) {
            continue;
        }
        let found = find_row_label(
            source,
            table,
            &row,
            template,
            prepared,
            last_spec,
            &mut group_context,
        );
        let (spec, label_cell, label_match) = match found {
            Some(found) => found,
            None => {
                let label_cell = row.cells.iter().rposition(|cell| cell.is_text());
                match (label_cell, unlabelled_spec) {
                    (None, Some(spec))
                        if row.has_numbers()
                            && !binding.rows.iter().any(|bound| bound.spec == spec) =>
                    {
                        (spec, None, LabelMatch::Exact)
                    }
                    // A label of its own (`数量`) before exactly the unlabelled row's values.
                    (Some(label_cell), Some(spec))
                        if row.cells.len() - label_cell - 1
                            == template.columns_of(&template.rows[spec]).len()
                            && row.value_cells().iter().all(|cell| !cell.is_text())
                            && !binding.rows.iter().any(|bound| bound.spec == spec) =>
                    {
                        (spec, Some(label_cell), LabelMatch::Exact)
                    }
                    (Some(label_cell), _)
                        if row.has_numbers() && !is_caption(source, table, &row) =>
                    {
                        binding.unknown_rows.push(UnknownRow {
                            block,
                            row: row_index,
                            label_cell,
                        });
                        continue;
                    }
                    _ => continue,
                }
            }
        };
        if binding.rows.iter().any(|bound| bound.spec == spec) {
            // A second row with the same label: keep the first, report the second as unknown.
            if let Some(label_cell) = label_cell {
                binding.unknown_rows.push(UnknownRow {
                    block,
                    row: row_index,
                    label_cell,
                });
            }
            continue;
        }
        let spec_row = &template.rows[spec];
        if spec_row.group {
            group_context = Some(spec);
        }
        let expected = template.columns_of(spec_row).len();
        let first_value = label_cell.map_or(0, |cell| cell + 1);
        let (values, shape_error) = value_cells(&row, first_value, expected);
        // A group heading without numbers of its own is as the template wants it: it is
        // bound (so it counts as present) without values.
        let group_without_numbers = spec_row.group
            && !row.cells[first_value.min(row.cells.len())..]
                .iter()
                .any(|cell| cell.number().is_some());
        let (values, shape_error) = if group_without_numbers {
            (None, None)
        } else {
            (values, shape_error)
        };
        last_spec = Some(spec);
        binding.rows.push(BoundRow {
            block,
            row: row_index,
            spec,
            label_cell,
            label_match,
            values,
            shape_error,
        });
    }
}

/// A header row: column labels and no numbers (`| 自然人 | 法人或其他组织 | 总计 |`). A data
/// row has at most its group label, its own label and perhaps a stray text value.
fn is_header(row: &Row) -> bool {
    !row.has_numbers() && row.cells.iter().filter(|cell| cell.is_text()).count() >= 3
}

/// A caption row such as `第二十条第（一）项`, or a header row: never data.
fn is_caption(source: &str, table: &Table, row: &Row) -> bool {
    let text_cells = row.cells.iter().filter(|cell| cell.is_text()).count();
    text_cells >= 3
        || row
            .cells
            .iter()
            .any(|cell| label_key(table.cell_text(source, cell)).starts_with("第二十条"))
}

/// Finds the template row a document row stands for. Text cells are tried from the right:
/// the most specific label is the last one, and a text value in a numeric position must not
/// be mistaken for the label.
fn find_row_label(
    source: &str,
    table: &Table,
    row: &Row,
    template: &TableTemplate,
    prepared: &PreparedTemplate,
    last_spec: Option<usize>,
    group_context: &mut Option<usize>,
) -> Option<(usize, Option<usize>, LabelMatch)> {
    // Each text cell's name and numbering, read once for both passes below.
    let labels: Vec<(usize, _)> = row
        .cells
        .iter()
        .enumerate()
        .filter(|(_, cell)| cell.is_text())
        .map(|(index, cell)| (index, split_label(table.cell_text(source, cell))))
        .collect();
    // Earlier label cells may name the group (`（三）不予公开`) that the leaf belongs to.
    for (_, (name, _)) in &labels {
        if let Some(spec) = template
            .rows
            .iter()
            .enumerate()
            .position(|(spec, row_spec)| {
                row_spec.group
                    && match_label(name, &prepared.rows[spec].0, &prepared.known[spec])
                        == Some(LabelMatch::Exact)
            })
        {
            *group_context = Some(spec);
        }
    }
    for &(cell_index, (ref name, numbering)) in labels.iter().rev() {
        let mut best: Option<(usize, LabelMatch, i32)> = None;
        for (spec, (template_name, template_numbering)) in prepared.rows.iter().enumerate() {
            let Some(quality) = match_label(name, template_name, &prepared.known[spec]) else {
                continue;
            };
            let mut score = if quality == LabelMatch::Exact {
                100
            } else {
                50
            };
            if name == template_name {
                score += 30;
            }
            if numbering.is_some() && numbering == *template_numbering {
                score += 10;
            }
            if last_spec.is_some_and(|last| spec > last) {
                score += 5;
            }
            let parent = template.rows[spec].parent.as_deref();
            if let (Some(group), Some(parent)) = (*group_context, parent) {
                if template.rows[group].id == parent {
                    score += 20;
                }
            }
            if best.is_none_or(|(_, _, best_score)| score > best_score) {
                best = Some((spec, quality, score));
            }
        }
        if let Some((spec, quality, _)) = best {
            return Some((spec, Some(cell_index), quality));
        }
    }
    None
}

/// The cells after the label that hold the template's `expected` values. Extra empty cells
/// (a trailing tab, an empty merged cell before the numbers) are dropped first.
fn value_cells(
    row: &Row,
    first: usize,
    expected: usize,
) -> (Option<Vec<usize>>, Option<(usize, usize)>) {
    let (mut start, mut end) = (first.min(row.cells.len()), row.cells.len());
    let is_empty = |index: usize| row.cells[index].is_empty();
    while end - start > expected && is_empty(end - 1) {
        end -= 1;
    }
    while end - start > expected && is_empty(start) {
        start += 1;
    }
    let indices: Vec<usize> = (start..end).collect();
    if indices.len() == expected {
        (Some(indices), None)
    } else {
        (None, Some((expected, indices.len())))
    }
}

/// The column specs of a bound row.
pub fn columns<'t>(template: &'t TableTemplate, bound: &BoundRow) -> &'t [ColumnSpec] {
    template.columns_of(&template.rows[bound.spec])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_split_into_name_and_numbering() {
        assert_eq!(
            split_label("（一）予以公开"),
            (
                "予以公开".to_string(),
                Some((NumberingStyle::ChineseParen, 1))
            )
        );
        assert_eq!(
            split_label("（三）不予公开 1.属于国家秘密").0,
            "属于国家秘密"
        );
        assert_eq!(
            split_label("三、本年度办理结果（一）予以公开").0,
            "予以公开"
        );
        assert_eq!(split_label("第二十条第（一）项").0, "第二十条第(一)项");
        assert_eq!(
            split_label("3. 危及“三安全一稳定”").0,
            "危及\"三安全一稳定\""
        );
    }

    #[test]
    fn close_labels_are_similar_not_exact() {
        let none = KnownWordings {
            aliases: Vec::new(),
            variants: Vec::new(),
        };
        assert_eq!(
            match_label("属于行政执法案件", "属于行政执法案卷", &none),
            Some(LabelMatch::Similar)
        );
        assert_eq!(
            match_label("予以公开", "予以公开", &none),
            Some(LabelMatch::Exact)
        );
        assert_eq!(
            match_label(
                "部分公开",
                "部分公开(区分处理的,只计这一情形,不计其他情形)",
                &none
            ),
            Some(LabelMatch::Exact)
        );
        assert_eq!(match_label("规章", "行政许可", &none), None);
        assert_eq!(match_label("其他处理", "其他", &none), None);
        let variants = KnownWordings {
            aliases: Vec::new(),
            variants: vec!["规范性文件".to_string()],
        };
        assert_eq!(
            match_label("规范性文件", "行政规范性文件", &variants),
            Some(LabelMatch::Similar)
        );
    }
}
