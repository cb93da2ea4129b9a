//! The one line index: where each line of a text starts, built once per text, so that every
//! offset-to-line lookup is a binary search. Both shells use it: the command line for its
//! 1-based lines and character columns, the language server for protocol positions.
//!
//! Line breaks: `\n`, `\r\n` and a lone `\r` each end a line, as the LSP specification counts
//! them and as editors show a file, so a line number printed by `reportlint check` is the
//! line an editor shows. The break itself belongs to no line's text or columns: an offset on
//! it is just past the line's last character. (The open document's rope in the language
//! server is built with the same policy, ropey's `cr_lines`; a property test holds them
//! equal.) Offsets past the end clamp to the end; offsets inside a character move back to
//! its start, so a stale range still lands somewhere sensible instead of panicking.

use serde::Serialize;

/// The byte offsets at which each line of one text starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the first byte of every line; the first entry is always 0.
    line_starts: Vec<usize>,
    /// Length of the text the index was built from, to catch callers passing another text.
    len: usize,
}

/// A place in a text as people count it: 1-based line, 1-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// The 1-based line number.
    pub line: usize,
    /// The 1-based column, counted in Unicode characters (code points), not bytes.
    pub column: usize,
}

impl LineIndex {
    /// Indexes the line starts of `text`. Every other method must be given the same text.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        // Only the line breaks are visited (a vectorised search), not every byte.
        for index in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let ends_line = bytes[index] == b'\n' || bytes.get(index + 1) != Some(&b'\n');
            if ends_line {
                line_starts.push(index + 1);
            }
        }
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// The index of `text`, which is the indexed text with the bytes `old` replaced by
    /// `new_len` bytes: only the lines around the change are scanned, the later line starts
    /// are moved. Equals `LineIndex::new(text)`.
    pub fn edited(mut self, text: &str, old: std::ops::Range<usize>, new_len: usize) -> LineIndex {
        let bytes = text.as_bytes();
        let new_end = old.start + new_len;
        if old.start > old.end || old.end > self.len || new_end > text.len() {
            return LineIndex::new(text);
        }
        // A break's kind depends on the byte after it (`\r\n` is one break), so the scan
        // starts one byte before the change and ends one byte after the new text; the line
        // starts before and after those bytes are unchanged, the later ones moved.
        let kept = self
            .line_starts
            .partition_point(|&start| start < old.start.max(1));
        let moved = self
            .line_starts
            .partition_point(|&start| start < old.end + 2);
        let scan_end = (new_end + 1).min(text.len());
        let mut scanned = Vec::new();
        for index in
            memchr::memchr2_iter(b'\n', b'\r', &bytes[old.start.saturating_sub(1)..scan_end])
        {
            let index = index + old.start.saturating_sub(1);
            if bytes[index] == b'\n' || bytes.get(index + 1) != Some(&b'\n') {
                scanned.push(index + 1);
            }
        }
        let shift = |start: usize| start - old.end + new_end;
        for start in &mut self.line_starts[moved..] {
            *start = shift(*start);
        }
        self.line_starts.splice(kept..moved, scanned);
        self.len = text.len();
        self
    }

    /// How many lines the text has. A text ending in a line break has an empty last line,
    /// because an offset at the very end of such a text sits on that line.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line that holds `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        // The first entry is 0, so at least one start is <= offset.
        self.line_starts
            .partition_point(|&start| start <= offset.min(self.len))
            - 1
    }

    /// Where a 0-based line starts and where its content ends (before its line break); a
    /// line past the last is the empty end of the text.
    pub fn line_bounds(&self, text: &str, line: usize) -> (usize, usize) {
        debug_assert_eq!(self.len, text.len(), "LineIndex used with another text");
        let Some(&start) = self.line_starts.get(line) else {
            return (text.len(), text.len());
        };
        let end = match self.line_starts.get(line + 1) {
            Some(&next) => {
                let bytes = text.as_bytes();
                let mut end = next - 1;
                if bytes[end] == b'\n' && end > start && bytes[end - 1] == b'\r' {
                    end -= 1;
                }
                end
            }
            None => text.len(),
        };
        (start, end)
    }

    /// The 1-based line and character column of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let (start, content_end) = self.line_bounds(text, line);
        let column = text[start..offset.min(content_end)].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The text of a 1-based line, without its line break. Lines that do not exist give an
    /// empty string, because a caller rendering context has nothing to show there.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        if line == 0 || line > self.line_starts.len() {
            return "";
        }
        let (start, content_end) = self.line_bounds(text, line - 1);
        &text[start..content_end]
    }
}

/// Clamps an offset into the text and moves it back to a character boundary. (The standard
/// library's `floor_char_boundary` is newer than this crate's minimum Rust version.)
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// An edited index is the index of the edited text, whatever the breaks around the
        /// change (a `\r` before an inserted `\n`, a `\r\n` cut in two).
        #[test]
        fn an_edited_index_equals_a_new_one(
            text in "[a\r\n中]{0,40}",
            at in 0usize..41,
            removed in 0usize..6,
            inserted in "[b\r\n]{0,5}",
        ) {
            let start = floor_char_boundary(&text, at);
            let end = floor_char_boundary(&text, start + removed);
            let mut edited = text.clone();
            edited.replace_range(start..end, &inserted);
            prop_assert_eq!(
                LineIndex::new(&text).edited(&edited, start..end, inserted.len()),
                LineIndex::new(&edited)
            );
        }
    }

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn ascii_positions_are_one_based_and_count_characters() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), pos(1, 1));
        assert_eq!(index.position(text, 2), pos(1, 3));
        assert_eq!(index.position(text, 3), pos(2, 1));
        assert_eq!(index.position(text, 5), pos(2, 3));
        assert_eq!(index.line_count(), 2);
        assert_eq!(index.line_text(text, 1), "ab");
        assert_eq!(index.line_text(text, 2), "cd");
    }

    #[test]
    fn cjk_characters_are_one_column_each() {
        let text = "合计：中x\n中";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), pos(1, 2));
        let x = text.find('x').unwrap();
        assert_eq!(x, 12);
        assert_eq!(index.position(text, x), pos(1, 5));
        assert_eq!(index.position(text, x + 1), pos(1, 6));
        assert_eq!(index.position(text, x + 2), pos(2, 1));
        assert_eq!(index.position(text, text.len()), pos(2, 2));
    }

    #[test]
    fn supplementary_characters_are_one_column_each() {
        let text = "𠀀😀a";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 4), pos(1, 2));
        assert_eq!(index.position(text, 8), pos(1, 3));
        assert_eq!(index.position(text, 9), pos(1, 4));
        // An offset inside a four-byte character moves back to the character's start.
        assert_eq!(index.position(text, 2), pos(1, 1));
        assert_eq!(index.position(text, 7), pos(1, 2));
    }

    #[test]
    fn crlf_line_ends_are_not_columns() {
        let text = "ab\r\ncd\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 2), pos(1, 3), "on the \\r");
        assert_eq!(index.position(text, 3), pos(1, 3), "on the \\n");
        assert_eq!(index.position(text, 4), pos(2, 1));
        assert_eq!(index.position(text, 8), pos(3, 1));
        assert_eq!(index.line_text(text, 1), "ab");
        assert_eq!(index.line_text(text, 2), "cd");
        assert_eq!(index.line_text(text, 3), "");
        assert_eq!(index.line_text(text, 4), "");
        assert_eq!(index.line_text(text, 0), "");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_in_editors() {
        let text = "a\rb\r";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_text(text, 1), "a");
        assert_eq!(index.line_text(text, 2), "b");
        assert_eq!(index.position(text, 1), pos(1, 2), "on the \\r");
        assert_eq!(index.position(text, 2), pos(2, 1));
        assert_eq!(index.position(text, 4), pos(3, 1));
    }

    #[test]
    fn offsets_past_the_end_clamp_to_the_end() {
        let text = "ab\nc";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 100), pos(2, 2));
        let text = "ab\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), pos(2, 1));
        assert_eq!(index.position(text, usize::MAX), pos(2, 1));
        let index = LineIndex::new("");
        assert_eq!(index.position("", 0), pos(1, 1));
        assert_eq!(index.position("", 7), pos(1, 1));
        assert_eq!(index.line_text("", 1), "");
    }
}
