//! The document's title and the year it names: read from the first blocks, joined when a
//! title breaks over lines. Pure; reads only the first `TITLE_BLOCKS` blocks, which is what
//! lets incremental re-parsing keep the title when those blocks are kept.

use super::table;
use super::{Block, BlockKind};
use crate::text::is_space;
use text_size::TextRange;

/// The document's title: its first lines before the first section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub range: TextRange,
    /// The title lines joined without line breaks.
    pub text: String,
    /// The year the report is about (`2020年…年度报告` gives 2020).
    pub year: Option<u32>,
}

/// How many leading blocks the title is looked for in.
pub(super) const TITLE_BLOCKS: usize = 4;

/// The title: a leading unnumbered heading, or the paragraph lines before the first heading
/// (a title often breaks over two lines: `2020年峄城区人民政府信息公开` / `工作年度报告`).
/// Reads only the first `TITLE_BLOCKS` blocks.
pub(super) fn find_title(source: &str, blocks: &[Block]) -> Option<Title> {
    let mut parts = Vec::new();
    for block in blocks.iter().take(TITLE_BLOCKS) {
        match &block.kind {
            BlockKind::Heading(heading) if heading.numbering.is_none() => {
                parts.push(block.range);
                break;
            }
            BlockKind::Heading(_) | BlockKind::Table(_) => break,
            BlockKind::Comment => continue,
            BlockKind::Paragraph => {
                let text = &source[block.range];
                if text.chars().count() > 80 {
                    // Long prose (an introduction) ends the title, though its first line may be the title.
                    if parts.is_empty() {
                        let first_line_end = text.find('\n').unwrap_or(text.len());
                        if first_line_end < text.len()
                            && text[..first_line_end].chars().count() <= 80
                        {
                            parts.push(TextRange::at(
                                block.range.start(),
                                table::offset(first_line_end),
                            ));
                        }
                    }
                    break;
                }
                parts.push(block.range);
            }
        }
        if parts.len() == 3 {
            break;
        }
    }
    let first = *parts.first()?;
    let covered = parts.iter().fold(first, |all, part| all.cover(*part));
    let text: String = parts
        .iter()
        .flat_map(|part| source[*part].chars())
        .filter(|&character| character != '\n' && character != '\r' && character != '#')
        .collect();
    let text = text.trim_matches(is_space).to_string();
    let year = find_year(&text);
    Some(Title {
        range: covered,
        text,
        year,
    })
}

/// The first plausible year (1990–2099) in a title, written with digits and usually `年`.
pub fn find_year(text: &str) -> Option<u32> {
    let characters: Vec<char> = text.chars().collect();
    let mut fallback = None;
    for start in 0..characters.len().saturating_sub(3) {
        let window = &characters[start..start + 4];
        let before_is_digit = start > 0 && characters[start - 1].is_ascii_digit();
        let after = characters.get(start + 4).copied();
        if before_is_digit
            || after.is_some_and(|character| character.is_ascii_digit())
            || !window.iter().all(char::is_ascii_digit)
        {
            continue;
        }
        let year: u32 = window.iter().collect::<String>().parse().ok()?;
        if !(1990..=2099).contains(&year) {
            continue;
        }
        if after == Some('年') {
            return Some(year);
        }
        fallback = fallback.or(Some(year));
    }
    fallback
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(
            find_year("景泰县2020年政府信息公开工作年度报告"),
            Some(2020)
        );
        assert_eq!(find_year("Annual report 2023"), Some(2023));
        assert_eq!(find_year("编号12345"), None);
    }
}
