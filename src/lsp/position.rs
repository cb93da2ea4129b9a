//! The one place where LSP positions (0-based line, column in the negotiated encoding) and
//! the engine's byte offsets meet: over an analysed text through the core's `LineIndex`,
//! and over the open document's rope for `didChange` edits. Lines end at `\n`, `\r\n` or
//! `\r`, as in LSP (`crate::line_index`; ropey's `cr_lines`). Positions past the end of a line or of the document are clamped, never
//! rejected; a column inside a character (half a surrogate pair, a byte inside 中) rounds
//! down to the character's start.

use crate::line_index::{floor_char_boundary, LineIndex};
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// How columns are counted, as negotiated in `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Bytes of UTF-8: taken when the client offers it.
    Utf8,
    /// UTF-16 code units: the protocol's default, and all VS Code speaks.
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client lists it, else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// An analysed text and its line index: what positions in requests and answers refer to.
#[derive(Clone, Copy)]
pub struct Lines<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
}

/// How many columns `text` spans in `encoding`.
fn columns(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => text.len(),
        Encoding::Utf16 => text.encode_utf16().count(),
    }
}

/// The byte offset of a position, clamped to the line's end and the document's end.
pub fn offset(lines: Lines, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= lines.index.line_count() {
        return lines.text.len();
    }
    let (start, end) = lines.index.line_bounds(lines.text, line);
    let wanted = position.character as usize;
    let mut counted = 0;
    for (at, character) in lines.text[start..end].char_indices() {
        let width = match encoding {
            Encoding::Utf8 => character.len_utf8(),
            Encoding::Utf16 => character.len_utf16(),
        };
        if counted + width > wanted {
            return start + at;
        }
        counted += width;
    }
    end
}

/// The position of a byte offset (clamped to the document; rounded down to a character).
pub fn position(lines: Lines, offset: usize, encoding: Encoding) -> Position {
    let offset = floor_char_boundary(lines.text, offset);
    let line = lines.index.line_of(offset);
    let (start, end) = lines.index.line_bounds(lines.text, line);
    let column = columns(&lines.text[start..offset.min(end)], encoding);
    Position::new(line as u32, column as u32)
}

/// The LSP range of a byte range.
pub fn range(lines: Lines, bytes: text_size::TextRange, encoding: Encoding) -> Range {
    Range::new(
        position(lines, bytes.start().into(), encoding),
        position(lines, bytes.end().into(), encoding),
    )
}

/// The byte range of an LSP range; a range given backwards is put the right way round.
pub fn byte_range(lines: Lines, range: Range, encoding: Encoding) -> std::ops::Range<usize> {
    let start = offset(lines, range.start, encoding);
    let end = offset(lines, range.end, encoding);
    start.min(end)..start.max(end)
}

/// The byte range of a `didChange` edit in the open document's rope, by the same rules as
/// `byte_range` (the rope breaks lines as `LineIndex` does: ropey's `cr_lines`).
pub fn edit_range(rope: &Rope, range: Range, encoding: Encoding) -> std::ops::Range<usize> {
    let offset = |position: Position| {
        let line = position.line as usize;
        if line >= rope.len_lines() {
            return rope.len_bytes();
        }
        let start = rope.line_to_char(line);
        let slice = rope.line(line);
        let mut length = slice.len_chars();
        if length > 0 && slice.char(length - 1) == '\n' {
            length -= 1;
        }
        if length > 0 && slice.char(length - 1) == '\r' {
            length -= 1;
        }
        let end = start + length;
        let column = position.character as usize;
        let char_index = match encoding {
            Encoding::Utf8 => {
                let byte = (rope.char_to_byte(start) + column).min(rope.char_to_byte(end));
                rope.byte_to_char(byte)
            }
            Encoding::Utf16 => {
                let units = rope.char_to_utf16_cu(start) + column;
                rope.utf16_cu_to_char(units.min(rope.char_to_utf16_cu(end)))
            }
        };
        rope.char_to_byte(char_index.min(end))
    };
    let (start, end) = (offset(range.start), offset(range.end));
    start.min(end)..start.max(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "ab\r\n中x\n𠀀😀y\rlast";

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn utf16_counts_supplementary_characters_twice() {
        let index = LineIndex::new(TEXT);
        let lines = Lines {
            text: TEXT,
            index: &index,
        };
        let x = TEXT.find('x').unwrap();
        assert_eq!(position(lines, x, Encoding::Utf16), pos(1, 1));
        let y = TEXT.find('y').unwrap();
        assert_eq!(position(lines, y, Encoding::Utf16), pos(2, 4));
        assert_eq!(offset(lines, pos(2, 4), Encoding::Utf16), y);
        assert_eq!(
            offset(lines, pos(2, 2), Encoding::Utf16),
            TEXT.find('😀').unwrap()
        );
    }

    #[test]
    fn utf8_counts_bytes() {
        let index = LineIndex::new(TEXT);
        let lines = Lines {
            text: TEXT,
            index: &index,
        };
        let y = TEXT.find('y').unwrap();
        assert_eq!(position(lines, y, Encoding::Utf8), pos(2, 8));
        assert_eq!(offset(lines, pos(2, 8), Encoding::Utf8), y);
        // A column inside 中 rounds down to its start.
        assert_eq!(
            offset(lines, pos(1, 1), Encoding::Utf8),
            TEXT.find('中').unwrap()
        );
    }

    #[test]
    fn half_a_surrogate_pair_rounds_down() {
        let index = LineIndex::new(TEXT);
        let lines = Lines {
            text: TEXT,
            index: &index,
        };
        assert_eq!(
            offset(lines, pos(2, 1), Encoding::Utf16),
            TEXT.find('𠀀').unwrap()
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let index = LineIndex::new(TEXT);
        let lines = Lines {
            text: TEXT,
            index: &index,
        };
        let last = TEXT.find("last").unwrap();
        assert_eq!(position(lines, last, Encoding::Utf16), pos(3, 0));
        assert_eq!(offset(lines, pos(3, 0), Encoding::Utf16), last);
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let index = LineIndex::new(TEXT);
        let lines = Lines {
            text: TEXT,
            index: &index,
        };
        // Past the end of line 0 stops before its CRLF.
        assert_eq!(offset(lines, pos(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(lines, pos(0, 99), Encoding::Utf8), 2);
        assert_eq!(offset(lines, pos(99, 0), Encoding::Utf16), TEXT.len());
        assert_eq!(position(lines, TEXT.len() + 5, Encoding::Utf16), pos(3, 4));
    }

    #[test]
    fn every_character_boundary_round_trips() {
        let index = LineIndex::new(TEXT);
        let lines = Lines {
            text: TEXT,
            index: &index,
        };
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for (index, _) in TEXT.char_indices().chain([(TEXT.len(), ' ')]) {
                // The byte after `\r` in `\r\n` is inside a line break: not a cursor place.
                if index > 0
                    && TEXT.as_bytes()[index - 1] == b'\r'
                    && TEXT[index..].starts_with('\n')
                {
                    continue;
                }
                let there = position(lines, index, encoding);
                assert_eq!(
                    offset(lines, there, encoding),
                    index,
                    "{encoding:?} {index}"
                );
            }
        }
    }

    /// `didChange` edits are placed in the rope by the rules positions follow in the text.
    #[test]
    fn edits_in_the_rope_land_where_positions_in_the_text_do() {
        let index = LineIndex::new(TEXT);
        let lines = Lines {
            text: TEXT,
            index: &index,
        };
        let rope = Rope::from_str(TEXT);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for line in 0..6 {
                for character in 0..12 {
                    let range = Range::new(pos(0, 1), pos(line, character));
                    assert_eq!(
                        edit_range(&rope, range, encoding),
                        byte_range(lines, range, encoding),
                        "{encoding:?} {line}:{character}"
                    );
                }
            }
        }
    }

    #[test]
    fn negotiation_prefers_utf8_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let vscode = [PositionEncodingKind::UTF16];
        assert_eq!(Encoding::negotiate(Some(&vscode)), Encoding::Utf16);
        let neovim = [
            PositionEncodingKind::UTF8,
            PositionEncodingKind::UTF16,
            PositionEncodingKind::UTF32,
        ];
        assert_eq!(Encoding::negotiate(Some(&neovim)), Encoding::Utf8);
    }
}
