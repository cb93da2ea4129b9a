//! The report's outline for the editor: document symbols (sections nested by level, with
//! their tables) and folding ranges (one per section, one per table).

use crate::document::{BlockKind, Document};
use crate::lsp::position::{position, range, Encoding, Lines};
use text_size::TextRange;
use tower_lsp_server::ls_types::{DocumentSymbol, FoldingRange, FoldingRangeKind, SymbolKind};

/// A section or a table, before nesting.
struct Entry {
    /// Outline depth; tables sit one below the deepest heading.
    level: u8,
    name: String,
    kind: SymbolKind,
    /// The heading or table itself.
    selection: TextRange,
    /// A section runs to the next heading of the same or a higher level.
    full: TextRange,
}

fn entries(text: &str, document: &Document) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let end = text_size::TextSize::of(text);
    // Indexes in `out` of the sections still open, their levels rising: each heading closes
    // the ones at its level or deeper, so every block is handled in constant time.
    let mut open_sections: Vec<usize> = Vec::new();
    let mut tables_in_section = 0;
    for block in &document.blocks {
        match &block.kind {
            BlockKind::Heading(heading) => {
                let level = heading.level();
                while let Some(&open) = open_sections.last() {
                    if out[open].level < level {
                        break;
                    }
                    out[open].full = TextRange::new(out[open].full.start(), block.range.start());
                    open_sections.pop();
                }
                let name = text[block.range].trim_start_matches('#').trim().to_string();
                open_sections.push(out.len());
                out.push(Entry {
                    level,
                    name,
                    kind: SymbolKind::NAMESPACE,
                    selection: block.range,
                    full: TextRange::new(block.range.start(), end),
                });
                tables_in_section = 0;
            }
            BlockKind::Table(table) => {
                tables_in_section += 1;
                let level = open_sections
                    .last()
                    .map_or(0, |&section| out[section].level + 1);
                out.push(Entry {
                    level,
                    name: format!("table {tables_in_section} ({} rows)", table.row_count()),
                    kind: SymbolKind::ARRAY,
                    selection: block.range,
                    full: block.range,
                });
            }
            BlockKind::Paragraph | BlockKind::Comment => {}
        }
    }
    // A section's range ends before the blank lines that precede the next heading.
    for entry in &mut out {
        let trimmed = text[entry.full].trim_end().len();
        entry.full = TextRange::at(
            entry.full.start(),
            text_size::TextSize::try_from(trimmed).unwrap_or_default(),
        );
    }
    out
}

/// Sections nested by level, tables inside their section.
pub fn symbols(
    text: &str,
    document: &Document,
    lines: Lines,
    encoding: Encoding,
) -> Vec<DocumentSymbol> {
    let mut roots: Vec<DocumentSymbol> = Vec::new();
    // The chain of open symbols as (level, path of child indexes from the roots).
    let mut stack: Vec<(u8, Vec<usize>)> = Vec::new();
    for entry in entries(text, document) {
        #[allow(deprecated)] // `deprecated` is a required field of the protocol type.
        let symbol = DocumentSymbol {
            name: if entry.name.is_empty() {
                "(untitled)".to_string()
            } else {
                entry.name
            },
            detail: None,
            kind: entry.kind,
            tags: None,
            deprecated: None,
            range: range(lines, entry.full, encoding),
            selection_range: range(lines, entry.selection, encoding),
            children: None,
        };
        while stack.last().is_some_and(|(level, _)| *level >= entry.level) {
            stack.pop();
        }
        let path = match stack.last() {
            None => {
                roots.push(symbol);
                vec![roots.len() - 1]
            }
            Some((_, parent_path)) => {
                let mut parent = &mut roots[parent_path[0]];
                for &index in &parent_path[1..] {
                    parent = &mut parent
                        .children
                        .as_mut()
                        .expect("a parent on the path has children")[index];
                }
                let children = parent.children.get_or_insert_with(Vec::new);
                children.push(symbol);
                let mut path = parent_path.clone();
                path.push(children.len() - 1);
                path
            }
        };
        if entry.kind == SymbolKind::NAMESPACE {
            stack.push((entry.level, path));
        }
    }
    roots
}

/// A folding range per section and per table that spans more than one line.
pub fn folding_ranges(text: &str, document: &Document, lines: Lines) -> Vec<FoldingRange> {
    entries(text, document)
        .into_iter()
        .filter_map(|entry| {
            let start = position(lines, entry.full.start().into(), Encoding::Utf8).line;
            let end = position(lines, entry.full.end().into(), Encoding::Utf8).line;
            (end > start).then(|| FoldingRange {
                start_line: start,
                end_line: end,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: Some(entry.name),
                ..FoldingRange::default()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    const REPORT: &str = "# 2020年政府信息公开工作年度报告\n\n一、总体情况\n\n正文。\n\n（一）主动公开\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n二、主动公开政府信息情况\n\n说明。\n";

    #[test]
    fn sections_nest_by_level_and_hold_their_tables() {
        let document = parse(REPORT);
        let index = crate::line_index::LineIndex::new(REPORT);
        let lines = Lines {
            text: REPORT,
            index: &index,
        };
        let roots = symbols(REPORT, &document, lines, Encoding::Utf16);
        let names: Vec<&str> = roots.iter().map(|symbol| symbol.name.as_str()).collect();
        assert_eq!(names, ["2020年政府信息公开工作年度报告"]);
        let sections = roots[0].children.as_ref().unwrap();
        let names: Vec<&str> = sections.iter().map(|symbol| symbol.name.as_str()).collect();
        assert_eq!(names, ["一、总体情况", "二、主动公开政府信息情况"]);
        let first = sections[0].children.as_ref().unwrap();
        assert_eq!(first[0].name, "（一）主动公开");
        let table = &first[0].children.as_ref().unwrap()[0];
        assert_eq!(table.kind, SymbolKind::ARRAY);
        assert_eq!(table.name, "table 1 (2 rows)");
        // Section 一 ends before section 二's heading (line 12), without the blank line.
        assert_eq!(sections[0].range.start.line, 2);
        assert_eq!(sections[0].range.end.line, 10);
    }

    #[test]
    fn folds_sections_and_tables() {
        let document = parse(REPORT);
        let index = crate::line_index::LineIndex::new(REPORT);
        let lines = Lines {
            text: REPORT,
            index: &index,
        };
        let folds: Vec<(u32, u32)> = folding_ranges(REPORT, &document, lines)
            .iter()
            .map(|fold| (fold.start_line, fold.end_line))
            .collect();
        assert_eq!(folds, [(0, 14), (2, 10), (6, 10), (8, 10), (12, 14)]);
    }
}
