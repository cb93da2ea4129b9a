//! Text helpers shared by the parser and the rules: what counts as whitespace (including
//! U+00A0 and U+3000), and the normalised form labels are compared in (NFKC, no
//! whitespace, no Markdown emphasis), so that `（一）` and `(一)` or `本年新\n制作数量`
//! and `本年新制作数量` compare equal, and traditional script (`第二十條`, `申請`) compares
//! equal to simplified.

use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Whitespace as reports use it: ASCII and Unicode spaces, no-break space, ideographic space.
pub fn is_space(character: char) -> bool {
    character.is_whitespace()
        || character == '\u{a0}'
        || character == '\u{3000}'
        || character == '\u{feff}'
}

/// True when the text holds nothing but whitespace.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(is_space)
}

/// The byte range of `text` without leading and trailing whitespace, relative to `text`.
pub fn trimmed_bounds(text: &str) -> (usize, usize) {
    let start = text.len() - text.trim_start_matches(is_space).len();
    let end = text.trim_end_matches(is_space).len();
    if end < start {
        (start, start)
    } else {
        (start, end)
    }
}

/// Where the dense part of the traditional-to-simplified table starts and ends: CJK
/// Extension A and the Unified Ideographs, where nearly every traditional character lies.
const DENSE_START: u32 = 0x3400;
const DENSE_END: u32 = 0xA000;

/// OpenCC's character table (TSCharacters, as `zhconv` ships it): a direct-indexed array over
/// the CJK blocks (0 = unchanged) and a small map for characters outside them.
struct Simplifier {
    dense: Vec<u32>,
    other: HashMap<char, char>,
}

/// Characters that are also in use in simplified text, which `zhconv` leaves to its phrase
/// rules (`屬於` → `属于`, `祕密` → `秘密`, `答覆` → `答复`): OpenCC's first candidate for each,
/// and `覆` → `复`, which OpenCC converts in its phrases only. Mapping them always merges a
/// few variants in label keys, which is harmless since both sides of a comparison are keys.
const PHRASE_ONLY: &[(char, char)] = &[
    ('乾', '干'),
    ('剋', '克'),
    ('劄', '札'),
    ('吒', '咤'),
    ('夥', '伙'),
    ('徵', '征'),
    ('扞', '捍'),
    ('於', '于'),
    ('昇', '升'),
    ('氾', '泛'),
    ('祕', '秘'),
    ('脩', '修'),
    ('蒐', '搜'),
    ('薹', '苔'),
    ('袷', '夹'),
    ('谿', '溪'),
    ('釐', '厘'),
    ('陞', '升'),
    ('麽', '么'),
    ('覆', '复'),
];

impl Simplifier {
    fn set(&mut self, from: char, to: char) {
        match u32::from(from) {
            code @ DENSE_START..DENSE_END => {
                self.dense[(code - DENSE_START) as usize] = u32::from(to)
            }
            _ => {
                self.other.insert(from, to);
            }
        }
    }
}

fn simplifier() -> &'static Simplifier {
    static TABLE: OnceLock<Simplifier> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Simplifier {
            dense: vec![0; (DENSE_END - DENSE_START) as usize],
            other: HashMap::new(),
        };
        // The table also holds phrases (TSPhrases); labels need only the single characters,
        // which keeps conversion a lookup per character.
        for (from, to) in zhconv::tables::expand_table(zhconv::tables::ZH_HANS_TABLE) {
            let (mut from_chars, mut to_chars) = (from.chars(), to.chars());
            let (Some(from), None, Some(to), None) = (
                from_chars.next(),
                from_chars.next(),
                to_chars.next(),
                to_chars.next(),
            ) else {
                continue;
            };
            table.set(from, to);
        }
        for &(from, to) in PHRASE_ONLY {
            table.set(from, to);
        }
        table
    })
}

/// The simplified form of one character (itself when it has none). Only CJK characters are
/// looked up.
pub fn simplified(character: char) -> char {
    let code = u32::from(character);
    if code < 0x2E80 {
        return character;
    }
    let table = simplifier();
    if (DENSE_START..DENSE_END).contains(&code) {
        match table.dense[(code - DENSE_START) as usize] {
            0 => character,
            to => char::from_u32(to).unwrap_or(character),
        }
    } else {
        table.other.get(&character).copied().unwrap_or(character)
    }
}

/// The comparison key of a label: NFKC, in simplified script, without whitespace, Markdown
/// emphasis or backslash escapes, with curly quotes made straight.
pub fn label_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    // Most labels are already in NFKC form; checking that is much cheaper than normalising.
    let normalized: Box<dyn Iterator<Item = char>> =
        match unicode_normalization::is_nfkc_quick(text.chars()) {
            unicode_normalization::IsNormalized::Yes => Box::new(text.chars()),
            _ => Box::new(text.nfkc()),
        };
    for character in normalized {
        match character {
            '*' | '_' | '`' | '\\' => {}
            '“' | '”' | '「' | '」' => key.push('"'),
            '‘' | '’' => key.push('\''),
            '．' | '。' if key.chars().last().is_some_and(|last| last.is_ascii_digit()) => {
                key.push('.')
            }
            other if is_space(other) => {}
            other => key.push(simplified(other)),
        }
    }
    key
}

/// `text.to_lowercase()`, without looking up every character of a Chinese label in the
/// case tables: ASCII letters are lowered in place, and text of ASCII, CJK ideographs and
/// CJK or general punctuation only (which have no case) needs nothing more.
pub fn lowercase(mut text: String) -> String {
    if text
        .chars()
        .all(|character| character.is_ascii() || caseless(character))
    {
        text.make_ascii_lowercase();
        text
    } else {
        text.to_lowercase()
    }
}

/// Characters with no lower case of their own: general punctuation, CJK symbols and
/// punctuation, CJK ideographs (extension A and the unified block).
fn caseless(character: char) -> bool {
    matches!(
        u32::from(character),
        0x2000..=0x206F | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_caseless_character_lowers_to_itself() {
        let caseless_characters = (0..=0x9FFFu32)
            .filter_map(char::from_u32)
            .filter(|&character| caseless(character));
        for character in caseless_characters {
            assert_eq!(
                character.to_lowercase().collect::<String>(),
                character.to_string(),
                "U+{:04X}",
                u32::from(character)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn lowercase_is_to_lowercase(text in "[a-zA-Z0-9 合计總計（）“”ÀÉΣΩДﬃ㎏Ａ]{0,12}") {
            proptest::prop_assert_eq!(lowercase(text.clone()), text.to_lowercase());
        }
    }

    #[test]
    fn labels_compare_after_normalisation() {
        assert_eq!(label_key("（一）予以公开"), label_key("(一) 予以公开"));
        assert_eq!(label_key("本年新\n制作数量"), "本年新制作数量");
        assert_eq!(label_key("结 果 维 持"), "结果维持");
        assert_eq!(label_key("**合计**"), "合计");
        assert_eq!(
            label_key("3. 危及“三安全一稳定”"),
            label_key("3.危及\"三安全一稳定\"")
        );
        assert_eq!(label_key("1．属于国家秘密"), "1.属于国家秘密");
    }

    #[test]
    fn traditional_labels_compare_equal_to_simplified() {
        for (traditional, simplified) in [
            ("第二十條", "第二十条"),
            ("申請", "申请"),
            ("總計", "总计"),
            (
                "本年新收政府信息公開申請數量",
                "本年新收政府信息公开申请数量",
            ),
            ("商業 企業", "商业企业"),
            ("本年製發件數", "本年制发件数"),
            ("行政複議", "行政复议"),
            ("第二十條第（一）項", "第二十条第(一)项"),
            ("1.屬於國家祕密", "1.属于国家秘密"),
            ("4.無正當理由大量反覆申請", "4.无正当理由大量反复申请"),
            ("申請答覆數", "申请答复数"),
        ] {
            assert_eq!(
                label_key(traditional),
                label_key(simplified),
                "{traditional}"
            );
        }
        // Simplified and ASCII text is unchanged.
        assert_eq!(label_key("予以公开 Total"), "予以公开Total");
        assert_eq!(simplified('a'), 'a');
        assert_eq!(simplified('开'), '开');
    }

    #[test]
    fn whitespace_includes_nbsp_and_ideographic_space() {
        assert!(is_blank("\u{a0}\u{3000} \t"));
        assert_eq!(trimmed_bounds("\u{a0}0 "), (2, 3));
    }
}
