//! The document's title and the year it names, read from the document's opening: banner,
//! navigation and page-metadata lines (`来源：… 发布时间：…`, `【 字体:`) are passed over, a
//! line naming a report (`…年度报告`, `…年报`, in either script) is preferred to the first
//! line, and a title broken over two lines is joined. Pure; reads only the first
//! `TITLE_BLOCKS` blocks, which is what lets incremental re-parsing keep the title when those
//! blocks are kept.

use super::{Block, BlockKind};
use crate::text::{is_space, label_key};
use text_size::{TextRange, TextSize};

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
pub(super) const TITLE_BLOCKS: usize = 8;

/// The longest line, in characters, that may be (part of) a title.
const MAX_TITLE_LINE: usize = 60;

/// Words of page furniture: a line holding one is a banner, navigation or metadata line of a
/// web page, not a title (compared as label keys: NFKC, simplified script, no whitespace).
const FURNITURE: &[&str] = &[
    "来源:",
    "发布时间",
    "发布日期",
    "发布机构",
    "作者:",
    "字号",
    "字体:",
    "浏览次数",
    "阅读次数",
    "点击数",
    "访问量",
    "当前位置",
    "索引号",
    "发文机关",
    "成文日期",
    "主题分类",
    "打印本页",
    "关闭窗口",
    "分享到",
    "首页>",
    ">>",
    "【大中小】",
    "门户网站",
    "欢迎访问",
    "专栏",
];

/// One line of the opening that may hold the title.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    range: TextRange,
    /// Whether it directly follows the previous candidate (no other line in between).
    adjacent: bool,
}

/// The title: in the opening (the blocks before the first numbered heading or table), the
/// line that names a report, joined with the line before it when the title breaks there
/// (`2020年峄城区人民政府信息公开` / `工作年度报告`); without one, the first line that is not
/// page furniture. Reads only the first `TITLE_BLOCKS` blocks.
pub(super) fn find_title(source: &str, blocks: &[Block]) -> Option<Title> {
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut adjacent = false;
    'blocks: for block in blocks.iter().take(TITLE_BLOCKS) {
        match &block.kind {
            BlockKind::Heading(heading) if heading.numbering.is_none() => {
                // A Markdown heading is a line of its own: never joined with another.
                if !is_furniture(&source[block.range]) {
                    candidates.push(Candidate {
                        range: block.range,
                        adjacent: false,
                    });
                }
                adjacent = false;
            }
            BlockKind::Heading(_) | BlockKind::Table(_) => break,
            BlockKind::Comment => continue,
            BlockKind::Paragraph => {
                let mut line_start = usize::from(block.range.start());
                let block_end = usize::from(block.range.end());
                for (index, line) in source[line_start..block_end].split('\n').enumerate() {
                    let range = TextRange::new(
                        offset(line_start),
                        offset(line_start + line.trim_end_matches('\r').len()),
                    );
                    line_start += line.len() + 1;
                    if line.chars().count() > MAX_TITLE_LINE || is_sentence(line) {
                        // Prose: the opening's text starts here.
                        if index == 0 && candidates.is_empty() {
                            continue 'blocks;
                        }
                        break 'blocks;
                    }
                    if is_furniture(line) {
                        adjacent = false;
                        continue;
                    }
                    candidates.push(Candidate {
                        range,
                        // Lines of one paragraph follow each other; a paragraph follows the
                        // previous block's last line only across a blank line, as titles do.
                        adjacent: index > 0 || adjacent,
                    });
                    adjacent = true;
                }
            }
        }
    }
    let names_report = |candidate: &Candidate| names_report(&source[candidate.range]);
    let (first, last) = match candidates.iter().position(names_report) {
        Some(at) => {
            // A title breaks over at most three lines.
            let mut first = at;
            while first > 0
                && at - first < 2
                && candidates[first].adjacent
                && starts_title(&source[candidates[first - 1].range])
            {
                first -= 1;
            }
            (first, at)
        }
        None => (0, 0),
    };
    let parts = candidates.get(first..=last)?;
    let covered = TextRange::new(parts[0].range.start(), parts[parts.len() - 1].range.end());
    let text: String = parts
        .iter()
        .map(|part| {
            source[part.range]
                .trim_matches(|character: char| is_space(character) || character == '#')
                .to_string()
        })
        .collect();
    let year = find_year(&text);
    Some(Title {
        range: covered,
        text,
        year,
    })
}

fn offset(position: usize) -> TextSize {
    TextSize::try_from(position).unwrap_or_default()
}

/// A banner, navigation or page-metadata line (`信息来源:正阳镇 作者:佚名 发布时间:…`), or a
/// bare date.
pub fn is_furniture(line: &str) -> bool {
    let key = label_key(line);
    if key.is_empty() {
        return true;
    }
    FURNITURE.iter().any(|word| key.contains(word)) || is_date(&key)
}

/// A line holding only a date and maybe a time: `2022-01-26 16:32`, `2023年3月20日`.
fn is_date(key: &str) -> bool {
    let digits = key.chars().filter(char::is_ascii_digit).count();
    digits >= 6
        && key
            .chars()
            .all(|character| character.is_ascii_digit() || "-/.:年月日".contains(character))
}

/// A line of prose: it holds a full stop or a comma.
fn is_sentence(line: &str) -> bool {
    line.contains(['。', '，', '；', ';'])
}

/// A line that names a report: `…年度报告`, `…年报`, `…工作报告` (either script).
fn names_report(line: &str) -> bool {
    let key = label_key(line);
    key.contains("报告") || key.contains("年报")
}

/// The first half of a broken title: short, and ending where a title breaks (after the
/// issuer, the year or `信息公开`), not after a sentence.
fn starts_title(line: &str) -> bool {
    let key = label_key(line);
    !key.is_empty()
        && key.chars().count() <= 40
        && !names_report(line)
        && !key.ends_with([':', '。', '!', '?'])
}

/// The first plausible year (1990–2099) in a title, written with digits and usually `年`
/// (a year followed by `年` wins over a bare one), or in Chinese numerals (`二〇二二年`).
pub fn find_year(text: &str) -> Option<u32> {
    let (with_nian, bare) = scan_years(text);
    with_nian.or(bare)
}

/// The first year (1990–2099) written before `年` (`2022年以来`, `二〇二二年`), with its
/// byte offset in `text`; a bare number is not one.
pub fn find_year_before_nian(text: &str) -> Option<(u32, usize)> {
    let characters: Vec<(usize, char)> = text.char_indices().collect();
    let found = year_windows(&characters).find(|&(_, _, nian)| nian);
    found.map(|(year, at, _)| (year, at))
}

fn scan_years(text: &str) -> (Option<u32>, Option<u32>) {
    let characters: Vec<(usize, char)> = text.char_indices().collect();
    let mut bare = None;
    for (year, _, nian) in year_windows(&characters) {
        if nian {
            return (Some(year), bare);
        }
        bare = bare.or(Some(year));
    }
    (None, bare)
}

/// Every four-digit run (ASCII or Chinese numerals) that is a plausible year: (year, byte
/// offset, followed by `年`).
fn year_windows(characters: &[(usize, char)]) -> impl Iterator<Item = (u32, usize, bool)> + '_ {
    let digit = |character: char| -> Option<(u32, bool)> {
        if character.is_ascii_digit() {
            return Some((character as u32 - '0' as u32, true));
        }
        "〇一二三四五六七八九"
            .chars()
            .position(|known| known == character)
            .map(|value| (value as u32, false))
            .or_else(|| (character == '零').then_some((0, false)))
    };
    (0..characters.len().saturating_sub(3)).filter_map(move |start| {
        let kind = digit(characters[start].1)?.1;
        let same_kind = |index: usize| {
            characters
                .get(index)
                .and_then(|&(_, character)| digit(character))
                .is_some_and(|(_, ascii)| ascii == kind)
        };
        if start > 0 && same_kind(start - 1) || same_kind(start + 4) {
            return None;
        }
        let mut year = 0;
        for &(_, character) in &characters[start..start + 4] {
            let (value, ascii) = digit(character)?;
            if ascii != kind {
                return None;
            }
            year = year * 10 + value;
        }
        let nian = characters.get(start + 4).map(|&(_, character)| character) == Some('年');
        // A Chinese-numeral run counts only as a year written out (`二〇二二年`).
        ((1990..=2099).contains(&year) && (kind || nian)).then_some((
            year,
            characters[start].0,
            nian,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(source: &str) -> Option<(String, Option<u32>)> {
        let document = crate::document::parse(source);
        document.title.map(|title| (title.text, title.year))
    }

    fn found(text: &str, year: u32) -> Option<(String, Option<u32>)> {
        Some((text.to_string(), Some(year)))
    }

    #[test]
    fn page_furniture_before_the_title_is_passed_over() {
        let expected = found("平利县正阳镇2021年度政府信息公开工作年度报告", 2021);
        for opening in [
            "信息来源:正阳镇 作者:佚名 发布时间:2022-01-26 16:32 【 字体:\n\n",
            "来源：平利县人民政府 发布时间：2022-01-26\n",
            "平利县人民政府门户网站\n首页 > 政务公开 > 年度报告\n\n",
            "<!-- 注释 -->\n\n",
            "# Notes\n\n",
            "字号：大 中 小\n",
            "2022-01-26\n",
            "政府信息公开年报专栏\n\n",
        ] {
            let source = format!(
                "{opening}平利县正阳镇2021年度政府信息公开工作年度报告\n\n一、总体情况\n\n正文。\n"
            );
            assert_eq!(title(&source), expected, "{opening:?}");
        }
        // Furniture after the title stays out of it.
        let after = "平利县正阳镇2021年度政府信息公开工作年度报告\n\n信息来源:正阳镇 作者:佚名 发布时间:2022-01-26 16:32 【 字体:\n\n一、总体情况\n";
        assert_eq!(title(after), expected);
    }

    #[test]
    fn a_title_over_two_or_three_lines_is_joined() {
        assert_eq!(
            title("2020年峄城区人民政府信息公开\n工作年度报告\n\n一、总体情况\n"),
            found("2020年峄城区人民政府信息公开工作年度报告", 2020)
        );
        assert_eq!(
            title("某县人民政府\n\n2022年政府信息公开\n\n工作年度报告\n\n一、总体情况\n"),
            found("某县人民政府2022年政府信息公开工作年度报告", 2022)
        );
        // A Markdown heading is a line of its own.
        assert_eq!(
            title("# Notes\n\n某镇2022年信息公开年报\n\n一、总体情况\n"),
            found("某镇2022年信息公开年报", 2022)
        );
    }

    #[test]
    fn titles_in_every_wording() {
        for (text, year) in [
            ("某镇2022年信息公开年报", 2022),
            ("某局2023年度报告", 2023),
            ("2021年某区政府信息公开工作年度报告", 2021),
            ("某区政府2021年信息公开工作年度报告", 2021),
            ("麻陽縣板栗樹鄉人民政府2022年政府信息公開工作年度報告", 2022),
        ] {
            assert_eq!(
                title(&format!("{text}\n\n一、总体情况\n")),
                found(text, year),
                "{text}"
            );
        }
        // A sentence that mentions the report is not its title.
        assert_eq!(
            title("根据《条例》规定，现公布区统计局2023年政府信息公开工作年度报告。本报告由总体情况等六部分组成。\n一、总体情况\n"),
            None
        );
    }

    #[test]
    fn years_before_nian() {
        assert_eq!(
            find_year_before_nian("国办公开办函〔2019〕60号，2022年以来"),
            Some((2022, 36))
        );
        assert_eq!(find_year_before_nian("二〇二二年"), Some((2022, 0)));
        assert_eq!(find_year_before_nian("编号2022"), None);
    }

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
