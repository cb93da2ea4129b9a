//! Properties that must hold for every input, checked with proptest (which shrinks any
//! failure to a small counterexample): incremental re-parsing equals a fresh parse; LSP
//! position conversions round-trip, and the server's rope breaks lines as the core's line
//! index does; safe fixes reach a fixed point, a second fix changes
//! nothing and bytes outside the edited cells are kept; a table written in any supported
//! layout binds the same grid.

use proptest::prelude::*;
use reportlint::document::{parse, reparse, TextChange};
use reportlint::fix::{fix_until_stable, FixMode};
use reportlint::lint::{context, lint, LintOptions};
use text_size::{TextRange, TextSize};

/// Lines that start, continue and end every kind of block the parser knows.
const LINES: &[&str] = &[
    "",
    "",
    "\u{a0}",
    "<!-- x -->",
    "一、总体情况",
    "二、主动公开政府信息情况",
    "（三）不予公开",
    "（一）予以公开",
    "1.属于国家秘密",
    "## 标题",
    "正文一句话。",
    "合计 0 0 0 0 0",
    "项目\t1\t2",
    "\t1",
    "\t本年新",
    "制作数量",
    "|",
    "||",
    "规章 |",
    "0 |",
    "/ |",
    "| a | b |",
    "|---|---|",
    "| 合计 | 3 |",
    "项目      上半年      下半年",
    "合计        1          2",
    "0",
    "12",
    "```",
    "~~~",
    "<div>",
    "2022年政府信息公开工作年度报告",
    "\r",
    // Cells of a stream table: whether the first of them starts a table depends on a value
    // many lines further on.
    "信息内容",
    "本年制发件数",
    "自然人",
    "商业企业",
    "科研机构",
    "规章",
    "行政许可",
    "其他",
];

fn document_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(LINES), 1..120)
        .prop_map(|lines| lines.iter().map(|line| format!("{line}\n")).collect())
}

/// A byte offset of `text` on a character boundary, from a random fraction.
fn boundary(text: &str, fraction: f64) -> usize {
    let mut offset = ((text.len() as f64) * fraction) as usize;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn incremental_reparse_equals_a_fresh_parse(
        text in document_text(),
        edits in prop::collection::vec(
            (0.0..1.0f64, 0.0..0.2f64, prop::sample::select(LINES), any::<bool>()),
            1..6,
        ),
    ) {
        let mut text = text;
        let mut document = parse(&text);
        for (at, length, insert, newline) in edits {
            let start = boundary(&text, at);
            let end = boundary(&text, (at + length).min(1.0)).max(start);
            let insert = if newline { format!("{insert}\n") } else { insert.to_string() };
            let mut edited = String::with_capacity(text.len() + insert.len());
            edited.push_str(&text[..start]);
            edited.push_str(&insert);
            edited.push_str(&text[end..]);
            let change = TextChange {
                old_range: TextRange::new(TextSize::from(start as u32), TextSize::from(end as u32)),
                new_len: TextSize::from(insert.len() as u32),
            };
            document = reparse(&document, &edited, &change);
            prop_assert_eq!(&document, &parse(&edited), "after replacing {}..{} with {:?}", start, end, insert);
            text = edited;
        }
    }

    #[test]
    fn position_conversions_round_trip(
        pieces in prop::collection::vec(prop::sample::select(&["a", "中", "𠀀", "😀", "\n", "\r\n", "\r", "\t"][..]), 0..60),
    ) {
        use reportlint::line_index::LineIndex;
        use reportlint::lsp::position::{byte_range, edit_range, offset, position, Encoding, Lines};
        let text: String = pieces.concat();
        let index = LineIndex::new(&text);
        let lines = Lines { text: &text, index: &index };
        // The rope of an open document and the line index of its analysed text break lines
        // the same way: every edit range lands where the same positions do in the text.
        let rope = ropey::Rope::from_str(&text);
        prop_assert_eq!(rope.len_lines(), index.line_count());
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for line in 0..=index.line_count() as u32 {
                for character in [0, 1, 2, 3, 100] {
                    let range = lsp_range(line, character);
                    prop_assert_eq!(edit_range(&rope, range, encoding), byte_range(lines, range, encoding));
                }
            }
        }
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for (at, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                // Inside a CRLF the position is the line's end: the offset rounds to it.
                let back = offset(lines, position(lines, at, encoding), encoding);
                let inside_crlf = at > 0 && text[..at].ends_with('\r') && text[at..].starts_with('\n');
                if inside_crlf {
                    prop_assert_eq!(back, at - 1);
                } else {
                    prop_assert_eq!(back, at, "{:?} at {} in {:?}", encoding, at, text);
                }
            }
        }
    }

    #[test]
    fn safe_fixes_settle_change_nothing_twice_and_keep_other_bytes(
        rows in prop::collection::vec((0u32..2000, 0u32..2000), 1..8),
        wrong_total in 0u32..5000,
        wrong_row in any::<prop::sample::Index>(),
        padding in prop::sample::select(&[" ", "  ", "\u{a0}"][..]),
        crlf in any::<bool>(),
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("# 经费{newline}{newline}| 项目 | 上半年 | 下半年 | 合计 |{newline}|---|---|---|---|{newline}");
        let wrong = wrong_row.index(rows.len());
        for (index, (first, second)) in rows.iter().enumerate() {
            let total = if index == wrong { wrong_total } else { first + second };
            text.push_str(&format!("| 行{index} |{padding}{first} | {second} | {total} |{newline}"));
        }
        let lint_text = |text: &str| lint(text, &LintOptions::default()).diagnostics;
        let fixed = fix_until_stable(&text, FixMode::SafeOnly, lint_text).expect("fixing settles");
        let again = fix_until_stable(&fixed.text, FixMode::SafeOnly, lint_text).expect("fixing settles");
        prop_assert_eq!(&again.text, &fixed.text, "a second fix changed the text");
        prop_assert_eq!(again.fixes_applied, 0);
        // Only the wrong total's cell may change: every other line is kept byte for byte.
        let before: Vec<&str> = text.split(newline).collect();
        let after: Vec<&str> = fixed.text.split(newline).collect();
        prop_assert_eq!(before.len(), after.len());
        for (line, (old, new)) in before.iter().zip(&after).enumerate() {
            if old != new {
                prop_assert_eq!(line, 4 + wrong, "line {} changed: {:?} -> {:?}", line, old, new);
                let (first, second) = rows[wrong];
                prop_assert!(new.ends_with(&format!(" {} |", first + second)), "{:?}", new);
            }
        }
        let left: Vec<_> = lint_text(&fixed.text).into_iter().filter(|d| d.code == "sum-mismatch").collect();
        prop_assert!(left.is_empty(), "{:?}", left);
    }

    #[test]
    fn a_table_binds_the_same_grid_in_every_layout(
        values in prop::collection::vec(0u32..50, 6),
    ) {
        // Table 三's first rows, 自然人 … 其他 then 总计, in three layouts.
        let labels = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "四、结转下年度继续办理"];
        let mut rows: Vec<Vec<String>> = Vec::new();
        for (index, label) in labels.iter().enumerate() {
            let mut cells = vec![label.to_string()];
            let numbers: Vec<u32> = values.iter().map(|value| value + index as u32).collect();
            cells.extend(numbers.iter().map(u32::to_string));
            cells.push(numbers.iter().sum::<u32>().to_string());
            rows.push(cells);
        }
        let header = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];
        let opening = "某县2022年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n";
        let pipe = format!(
            "{opening}| {} |\n|{}\n{}\n",
            header.join(" | "),
            "---|".repeat(header.len()),
            rows.iter().map(|row| format!("| {} |", row.join(" | "))).collect::<Vec<_>>().join("\n")
        );
        let blank_between = format!(
            "{opening}{}\n",
            header.iter().map(|cell| cell.to_string()).chain(rows.iter().flatten().cloned()).collect::<Vec<_>>().join("\n\n")
        );
        let pipe_cells = format!(
            "{opening}{}\n",
            header.iter().map(|cell| format!("{cell} |")).collect::<Vec<_>>().join("\n")
                + "\n||\n"
                + &rows.iter().map(|row| row.iter().map(|cell| format!("{cell} |")).collect::<Vec<_>>().join("\n") + "\n||").collect::<Vec<_>>().join("\n")
        );
        let grid = |source: &str| {
            let document = parse(source);
            let context = context(source, &document, None);
            let mut found: Vec<(String, Vec<String>)> = context
                .bindings
                .templates
                .iter()
                .flat_map(|binding| binding.rows.iter().map(move |bound| (binding, bound)))
                .map(|(binding, bound)| {
                    let table = document.table(bound.block).expect("a table");
                    let row = table.row(bound.row);
                    let cells = bound
                        .values
                        .iter()
                        .flatten()
                        .map(|&cell| table.cell_text(source, &row.cells[cell]).to_string())
                        .collect();
                    (binding.template.rows[bound.spec].id.clone(), cells)
                })
                .collect();
            found.sort();
            found
        };
        let expected = grid(&pipe);
        prop_assert_eq!(expected.len(), 3);
        prop_assert_eq!(&grid(&blank_between), &expected);
        prop_assert_eq!(&grid(&pipe_cells), &expected);
    }
}

/// An LSP range from the start of the text to a position.
fn lsp_range(line: u32, character: u32) -> tower_lsp_server::ls_types::Range {
    use tower_lsp_server::ls_types::{Position, Range};
    Range::new(Position::new(0, 0), Position::new(line, character))
}
