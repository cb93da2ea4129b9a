//! Blocks that are not report content, as CommonMark delimits them: fenced code (``` or ~~~,
//! closed by a fence of the same character at least as long), HTML blocks (`<pre>`,
//! `<script>`, `<style>`, `<textarea>` up to their closing tag; comments, processing
//! instructions, declarations and CDATA up to their end; `<div>`, `<table>` and the other
//! block-level tags up to a blank line). Their text is kept as one opaque block: nothing in
//! it is a heading, a table or a number to check.
//!
//! Invariant: a verbatim block starts only where CommonMark starts one (at most three spaces
//! of indentation) and ends where CommonMark ends it, or at the end of the text.

use super::table::range;
use super::{Block, BlockKind, Line};
use crate::text::is_blank;

/// Whether a verbatim block starts on this line (it may interrupt a paragraph or a table).
pub(super) fn starts_verbatim(text: &str) -> bool {
    opening(text)
        .is_some_and(|content| Fence::open(content).is_some() || html_block_end(content).is_some())
}

/// The line's content after at most three spaces of indentation, when it could open a block.
fn opening(text: &str) -> Option<&str> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    (indent <= 3 && text[indent..].starts_with(['`', '~', '<'])).then(|| &text[indent..])
}

/// The verbatim block starting at line `first`, if one does, and the index of the line
/// after it.
pub(super) fn verbatim_block(source: &str, lines: &[Line], first: usize) -> Option<(Block, usize)> {
    if let Some(found) = indented_code(source, lines, first) {
        return Some(found);
    }
    let content = opening(lines[first].text(source))?;
    let last = if let Some(fence) = Fence::open(content) {
        lines[first + 1..]
            .iter()
            .position(|line| fence.closes(line.text(source)))
            .map_or(lines.len() - 1, |offset| first + 1 + offset)
    } else {
        let end = html_block_end(content)?;
        match end {
            HtmlEnd::BlankLine => lines[first + 1..]
                .iter()
                .position(|line| is_blank(line.text(source)))
                .map_or(lines.len() - 1, |offset| first + offset),
            HtmlEnd::Marker(marker) => {
                let opened_after = &content[1..];
                if contains_ignore_ascii_case(opened_after, marker) {
                    first
                } else {
                    lines[first + 1..]
                        .iter()
                        .position(|line| contains_ignore_ascii_case(line.text(source), marker))
                        .map_or(lines.len() - 1, |offset| first + 1 + offset)
                }
            }
        }
    };
    let block = Block {
        range: range(lines[first].start, lines[last].end),
        kind: BlockKind::Paragraph,
    };
    Some((block, last + 1))
}

/// An indented code block that holds Markdown: a line indented four spaces or more whose
/// text starts with `|` or a fence, up to the last indented line before an unindented one.
/// (CommonMark makes every such run code; reportlint keeps the other indented runs, since
/// `pdftotext -layout` indents the tables it writes and Word indents cells with tabs.) An
/// indented code block cannot interrupt a paragraph, so it starts only where a block does.
fn indented_code(source: &str, lines: &[Line], first: usize) -> Option<(Block, usize)> {
    let indented = |text: &str| text.len() - text.trim_start_matches(' ').len() >= 4;
    let text = lines[first].text(source);
    let content = text.trim_start_matches(' ');
    if !indented(text) || !(content.starts_with('|') || Fence::open(content).is_some()) {
        return None;
    }
    let mut last = first;
    for (offset, line) in lines[first + 1..].iter().enumerate() {
        let text = line.text(source);
        if indented(text) && !is_blank(text) {
            last = first + 1 + offset;
        } else if !is_blank(text) {
            break;
        }
    }
    let block = Block {
        range: range(lines[first].start, lines[last].end),
        kind: BlockKind::Paragraph,
    };
    Some((block, last + 1))
}

/// An opening code fence: its character and length.
#[derive(Debug, Clone, Copy)]
struct Fence {
    character: u8,
    length: usize,
}

impl Fence {
    /// Three or more backticks or tildes; a backtick fence's info string holds no backtick.
    fn open(content: &str) -> Option<Fence> {
        let character = *content.as_bytes().first()?;
        if character != b'`' && character != b'~' {
            return None;
        }
        let length = content
            .bytes()
            .take_while(|&byte| byte == character)
            .count();
        let info = &content[length..];
        (length >= 3 && !(character == b'`' && info.contains('`')))
            .then_some(Fence { character, length })
    }

    /// A closing fence: at most three spaces, at least as many fence characters, then only
    /// spaces or tabs.
    fn closes(self, text: &str) -> bool {
        let indent = text.len() - text.trim_start_matches(' ').len();
        if indent > 3 {
            return false;
        }
        let content = &text[indent..];
        let length = content
            .bytes()
            .take_while(|&byte| byte == self.character)
            .count();
        length >= self.length && content[length..].trim_matches([' ', '\t']).is_empty()
    }
}

/// How an HTML block ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HtmlEnd {
    /// At the first line holding this text (case-insensitive), the line included.
    Marker(&'static str),
    /// Before the next blank line.
    BlankLine,
}

/// CommonMark's block-level HTML tag names (HTML block kind 6).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Whether a line starts an HTML block, and how the block ends (HTML block kinds 1 to 6).
fn html_block_end(content: &str) -> Option<HtmlEnd> {
    let rest = content.strip_prefix('<')?;
    if rest.starts_with("!--") {
        return Some(HtmlEnd::Marker("-->"));
    }
    if rest.starts_with('?') {
        return Some(HtmlEnd::Marker("?>"));
    }
    if rest.starts_with("![CDATA[") {
        return Some(HtmlEnd::Marker("]]>"));
    }
    if rest.starts_with('!')
        && rest[1..].starts_with(|character: char| character.is_ascii_alphabetic())
    {
        return Some(HtmlEnd::Marker(">"));
    }
    let closing = rest.starts_with('/');
    let name_start = &rest[usize::from(closing)..];
    let name_length = name_start
        .bytes()
        .take_while(|byte| byte.is_ascii_alphanumeric())
        .count();
    let name = name_start[..name_length].to_ascii_lowercase();
    let after = &name_start[name_length..];
    let ends_name =
        after.is_empty() || after.starts_with([' ', '\t', '>']) || after.starts_with("/>");
    if !ends_name || name.is_empty() {
        return None;
    }
    if !closing {
        let raw = match name.as_str() {
            "pre" => Some("</pre>"),
            "script" => Some("</script>"),
            "style" => Some("</style>"),
            "textarea" => Some("</textarea>"),
            _ => None,
        };
        if let Some(marker) = raw {
            return Some(HtmlEnd::Marker(marker));
        }
    }
    BLOCK_TAGS
        .contains(&name.as_str())
        .then_some(HtmlEnd::BlankLine)
}

fn contains_ignore_ascii_case(text: &str, marker: &str) -> bool {
    text.as_bytes()
        .windows(marker.len())
        .any(|window| window.eq_ignore_ascii_case(marker.as_bytes()))
}

#[cfg(test)]
mod tests {
    use crate::document::{parse, BlockKind};

    /// How many tables and headings the text has.
    fn content(source: &str) -> (usize, usize) {
        let document = parse(source);
        let tables = document.tables().count();
        let headings = document
            .blocks
            .iter()
            .filter(|block| matches!(block.kind, BlockKind::Heading(_)))
            .count();
        (tables, headings)
    }

    const TABLE: &str = "| 项目 | 金额 |\n|---|---|\n| 甲 | 1 |\n| 合计 | 9 |\n";

    #[test]
    fn tables_in_fences_are_not_content() {
        assert_eq!(content(&format!("```\n{TABLE}```\n")), (0, 0));
        assert_eq!(content(&format!("~~~ text\n{TABLE}~~~\n")), (0, 0));
        // A longer fence is not closed by a shorter one.
        assert_eq!(
            content(&format!("````\n```\n{TABLE}```\n````\n{TABLE}")),
            (1, 0)
        );
        // An unclosed fence runs to the end of the text.
        assert_eq!(content(&format!("```\n{TABLE}")), (0, 0));
        // A fence indented four spaces is indented code, and the table after it is read.
        assert_eq!(content(&format!("    ```\n\n{TABLE}")), (1, 0));
        // A pipe table in an indented code block is code.
        let indented: String = TABLE.lines().map(|line| format!("    {line}\n")).collect();
        assert_eq!(content(&format!("正文。\n\n{indented}\n{TABLE}")), (1, 0));
        // A table right after the fence is read.
        assert_eq!(content(&format!("````\nx\n````\n{TABLE}")), (1, 0));
    }

    #[test]
    fn tables_in_html_blocks_and_comments_are_not_content() {
        assert_eq!(content(&format!("<!--\n{TABLE}-->\n")), (0, 0));
        assert_eq!(
            content(&format!("<pre>\n一、总体情况\n{TABLE}</pre>\n")),
            (0, 0)
        );
        assert_eq!(
            content(&format!("<div class=\"x\">\n{TABLE}\n{TABLE}")),
            (1, 0)
        );
        assert_eq!(content(&format!("<DIV>\n{TABLE}")), (0, 0));
        // Not a block tag: the line is text.
        assert_eq!(content(&format!("<span>\n\n{TABLE}")), (1, 0));
        // A one-line comment stays a comment line (suppressions).
        let document = parse("<!-- reportlint-disable-next-line sum-mismatch -->\n");
        assert_eq!(document.blocks[0].kind, BlockKind::Comment);
    }
}
