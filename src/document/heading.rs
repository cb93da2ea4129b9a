//! Section numbering (`一、`, `（一）`, `1.`, `（1）`) and heading recognition. A line is a
//! heading when it is a Markdown ATX heading, or when it is short, starts with a Chinese
//! section number and reads like a title rather than a sentence.

use crate::text::is_space;

/// The numbering styles of Chinese official documents, outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberingStyle {
    /// `一、`: sections.
    ChineseComma,
    /// `（一）`: sub-sections.
    ChineseParen,
    /// `1.` or `1、`: items.
    ArabicDot,
    /// `（1）`: sub-items.
    ArabicParen,
}

impl NumberingStyle {
    /// The outline depth the style stands for, 1 for sections.
    pub fn level(self) -> u8 {
        match self {
            NumberingStyle::ChineseComma => 1,
            NumberingStyle::ChineseParen => 2,
            NumberingStyle::ArabicDot => 3,
            NumberingStyle::ArabicParen => 4,
        }
    }

    /// Writes `value` in this style, e.g. `三、` or `（三）`.
    pub fn render(self, value: u32) -> String {
        match self {
            NumberingStyle::ChineseComma => format!("{}、", chinese_numeral(value)),
            NumberingStyle::ChineseParen => format!("（{}）", chinese_numeral(value)),
            NumberingStyle::ArabicDot => format!("{value}."),
            NumberingStyle::ArabicParen => format!("（{value}）"),
        }
    }
}

/// A section number found at the start of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numbering {
    pub style: NumberingStyle,
    pub value: u32,
    /// Byte length of the marker, including its punctuation and any following spaces.
    pub len: usize,
}

const CHINESE_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Reads a Chinese numeral from 一 to 九十九 (`十一`, `二十`, `二十三`).
pub fn parse_chinese_numeral(text: &str) -> Option<u32> {
    let digit = |character: char| {
        CHINESE_DIGITS
            .iter()
            .position(|&known| known == character)
            .map(|index| index as u32)
    };
    let characters: Vec<char> = text.chars().collect();
    match characters.as_slice() {
        [single] if *single == '十' => Some(10),
        [single] => digit(*single).filter(|&value| value > 0),
        ['十', ones] => Some(10 + digit(*ones)?),
        [tens, '十'] => Some(digit(*tens)? * 10),
        [tens, '十', ones] => Some(digit(*tens)? * 10 + digit(*ones)?),
        _ => None,
    }
}

/// Writes 1..=99 as a Chinese numeral.
pub fn chinese_numeral(value: u32) -> String {
    let digit = |index: u32| CHINESE_DIGITS[index as usize];
    match value {
        1..=9 => digit(value).to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", digit(value - 10)),
        20..=99 if value % 10 == 0 => format!("{}十", digit(value / 10)),
        20..=99 => format!("{}十{}", digit(value / 10), digit(value % 10)),
        _ => value.to_string(),
    }
}

fn is_chinese_digit(character: char) -> bool {
    character == '十' || CHINESE_DIGITS[1..].contains(&character)
}

/// Reads the numbering at the very start of `text`, if any.
pub fn parse_numbering(text: &str) -> Option<Numbering> {
    let skip_spaces =
        |from: usize| from + text[from..].len() - text[from..].trim_start_matches(is_space).len();
    let mut characters = text.char_indices();
    let (_, first) = characters.next()?;
    if first == '（' || first == '(' {
        let inner_start = first.len_utf8();
        let close = text[inner_start..].find(['）', ')'])? + inner_start;
        let inner = text[inner_start..close].trim_matches(is_space);
        let close_len = text[close..].chars().next()?.len_utf8();
        let end = skip_spaces(close + close_len);
        if let Some(value) = parse_chinese_numeral(inner) {
            return Some(Numbering {
                style: NumberingStyle::ChineseParen,
                value,
                len: end,
            });
        }
        if !inner.is_empty()
            && inner.len() <= 3
            && inner.chars().all(|character| character.is_ascii_digit())
        {
            let value = inner.parse().ok()?;
            return Some(Numbering {
                style: NumberingStyle::ArabicParen,
                value,
                len: end,
            });
        }
        return None;
    }
    if is_chinese_digit(first) {
        let digits_end = text
            .find(|character: char| !is_chinese_digit(character))
            .unwrap_or(text.len());
        let value = parse_chinese_numeral(&text[..digits_end])?;
        // Drafts type the marker loosely: `五、`, `五 、`, `五，`, `五,`, `五.`, or `五` and a
        // space (including U+00A0 and U+3000) before the title.
        let after_spaces = skip_spaces(digits_end);
        let punctuation = text[after_spaces..].chars().next()?;
        let end = if matches!(punctuation, '、' | '．' | '.' | '，' | ',') {
            skip_spaces(after_spaces + punctuation.len_utf8())
        } else if after_spaces > digits_end
            && !punctuation.is_ascii_digit()
            && !is_space(punctuation)
        {
            after_spaces
        } else {
            return None;
        };
        return Some(Numbering {
            style: NumberingStyle::ChineseComma,
            value,
            len: end,
        });
    }
    if first.is_ascii_digit() || ('０'..='９').contains(&first) {
        let digits_end = text
            .find(|character: char| {
                !(character.is_ascii_digit() || ('０'..='９').contains(&character))
            })
            .unwrap_or(text.len());
        let digits: String = text[..digits_end]
            .chars()
            .map(|character| {
                char::from_digit(
                    character
                        .to_digit(10)
                        .unwrap_or_else(|| character as u32 - '０' as u32),
                    10,
                )
                .unwrap_or('0')
            })
            .collect();
        if digits.len() > 3 {
            return None;
        }
        let rest = &text[digits_end..];
        let punctuation = rest.chars().next()?;
        let after = rest[punctuation.len_utf8()..].chars().next();
        // `2020.5` or `1.5万` are numbers, not item markers.
        if matches!(punctuation, '.' | '．' | '、')
            && !after.is_some_and(|character| character.is_ascii_digit())
        {
            let end = skip_spaces(digits_end + punctuation.len_utf8());
            return Some(Numbering {
                style: NumberingStyle::ArabicDot,
                value: digits.parse().ok()?,
                len: end,
            });
        }
    }
    None
}

/// Strips Word export debris such as `[bookmark: _GoBack]` and Markdown emphasis from the
/// start of a line; returns the byte offset where the real text starts.
pub fn skip_line_debris(line: &str) -> usize {
    let mut offset = 0;
    loop {
        let rest = &line[offset..];
        let trimmed = rest.trim_start_matches(is_space);
        offset += rest.len() - trimmed.len();
        if trimmed.starts_with("[bookmark:") {
            match trimmed.find(']') {
                Some(close) => offset += close + 1,
                None => return offset,
            }
        } else if let Some(stripped) = trimmed.strip_prefix("**") {
            offset += trimmed.len() - stripped.len();
        } else {
            return offset;
        }
    }
}

/// The longest title, in characters, that a plain-text line may have and still be a heading.
const MAX_TITLE_CHARS: usize = 45;

/// Decides whether a plain line (not a Markdown heading) is a section heading, returning its
/// numbering and the byte offset where the title text starts.
pub fn plain_heading(line: &str) -> Option<(Numbering, usize)> {
    let start = skip_line_debris(line);
    let numbering = parse_numbering(&line[start..])?;
    if !matches!(
        numbering.style,
        NumberingStyle::ChineseComma | NumberingStyle::ChineseParen
    ) {
        return None;
    }
    let title = line[start + numbering.len..]
        .trim_end_matches(is_space)
        .trim_end_matches("**");
    let title_chars = title.chars().count();
    if title_chars == 0 || title_chars > MAX_TITLE_CHARS {
        return None;
    }
    // A sentence ends inside the line: this is a paragraph that starts with a number.
    let body = title.trim_end_matches(['。', '：', ':']);
    if body.contains(['。', '；', ';', '，']) && numbering.style == NumberingStyle::ChineseParen
    {
        return None;
    }
    if body.contains(['。', '；', ';']) {
        return None;
    }
    Some((numbering, start + numbering.len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbering_styles() {
        let style =
            |text: &str| parse_numbering(text).map(|numbering| (numbering.style, numbering.value));
        assert_eq!(
            style("一、总体情况"),
            Some((NumberingStyle::ChineseComma, 1))
        );
        assert_eq!(
            style("十二、其他"),
            Some((NumberingStyle::ChineseComma, 12))
        );
        assert_eq!(
            style("（三）不予公开"),
            Some((NumberingStyle::ChineseParen, 3))
        );
        assert_eq!(style("(七) 总计"), Some((NumberingStyle::ChineseParen, 7)));
        assert_eq!(
            style("4. 保护第三方合法权益"),
            Some((NumberingStyle::ArabicDot, 4))
        );
        assert_eq!(style("1、当面申请数"), Some((NumberingStyle::ArabicDot, 1)));
        assert_eq!(style("（2）其他"), Some((NumberingStyle::ArabicParen, 2)));
        assert_eq!(style("2020.5"), None);
        assert_eq!(style("一是加强"), None);
        for loose in [
            "五 、存在",
            "五，存在",
            "五,存在",
            "五\u{3000}存在",
            "五\u{a0}存在",
            "五 存在",
        ] {
            assert_eq!(
                style(loose),
                Some((NumberingStyle::ChineseComma, 5)),
                "{loose}"
            );
        }
        assert_eq!(style("（本列数据的勾稽关系为"), None);
    }

    #[test]
    fn tells_headings_from_paragraphs() {
        assert!(plain_heading("一、总体情况").is_some());
        assert!(plain_heading("[bookmark: _GoBack]六、其他需要报告的事项").is_some());
        assert!(plain_heading("（二）2020年工作计划").is_some());
        assert!(
            plain_heading(" （一）加强法定主动公开内容公开。依法及时对区政府年度重大决策")
                .is_none()
        );
        assert!(plain_heading("1. 开展政务公开培训").is_none());
    }

    #[test]
    fn numerals_round_trip() {
        for value in 1..=99 {
            assert_eq!(parse_chinese_numeral(&chinese_numeral(value)), Some(value));
        }
    }
}
