//! Text helpers shared by the parser and the rules: what counts as whitespace (including
//! U+00A0 and U+3000), and the normalised form labels are compared in (NFKC, no
//! whitespace, no Markdown emphasis), so that `（一）` and `(一)` or `本年新\n制作数量`
//! and `本年新制作数量` compare equal.

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

/// The comparison key of a label: NFKC, without whitespace, Markdown emphasis or
/// backslash escapes, with curly quotes made straight.
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
            other => key.push(other),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn whitespace_includes_nbsp_and_ideographic_space() {
        assert!(is_blank("\u{a0}\u{3000} \t"));
        assert_eq!(trimmed_bounds("\u{a0}0 "), (2, 3));
    }
}
