//! The server's text store: random `didChange` edits, with positions in UTF-8 or UTF-16
//! (past line ends, inside characters, ranges given backwards), applied to an open document
//! and to a plain `String` through an independent reading of the protocol's rules. The texts
//! must stay equal, and the composed pending change must describe exactly what changed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::lsp::documents::OpenDocument;
use reportlint::lsp::position::Encoding;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// Byte offsets where lines start: after `\n`, `\r\n` or a lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => {
                starts.push(at + 2);
                at += 2;
            }
            b'\r' | b'\n' => {
                starts.push(at + 1);
                at += 1;
            }
            _ => at += 1,
        }
    }
    starts
}

/// The byte offset of a position: a line past the end is the end of the text; a column
/// past the line's content is its end; a column inside a character rounds down.
fn model_offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let starts = line_starts(text);
    let line = position.line as usize;
    if line >= starts.len() {
        return text.len();
    }
    let start = starts[line];
    let next = starts.get(line + 1).copied().unwrap_or(text.len());
    let line_text = &text[start..next];
    let break_len = if line_text.ends_with("\r\n") {
        2
    } else {
        usize::from(line_text.ends_with(['\n', '\r']))
    };
    let end = next - break_len;
    let content = &text[start..end];
    let mut units = 0usize;
    for (index, character) in content.char_indices() {
        let width = match encoding {
            Encoding::Utf8 => character.len_utf8(),
            Encoding::Utf16 => character.len_utf16(),
        };
        if units + width > position.character as usize {
            return start + index;
        }
        units += width;
    }
    end
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let encoding = if flags & 1 == 0 { Encoding::Utf8 } else { Encoding::Utf16 };
    let initial_len = usize::from(flags >> 1).min(rest.len());
    let (initial, mut edits) = rest.split_at(initial_len);
    let mut model = String::from_utf8_lossy(initial).into_owned();
    let mut document = OpenDocument::new(&model, 0);
    let original = model.clone();
    while edits.len() >= 5 {
        let (head, tail) = edits.split_at(5);
        let inserted_len = usize::from(head[4] & 0x0f).min(tail.len());
        let (inserted, tail) = tail.split_at(inserted_len);
        edits = tail;
        let inserted = String::from_utf8_lossy(inserted).into_owned();
        let whole = head[4] & 0xf0 == 0xf0;
        let range = Range::new(
            Position::new(u32::from(head[0] % 8), u32::from(head[1] % 16)),
            Position::new(u32::from(head[2] % 8), u32::from(head[3] % 16)),
        );
        let change = TextDocumentContentChangeEvent {
            range: (!whole).then_some(range),
            range_length: None,
            text: inserted.clone(),
        };
        document.apply(&change, encoding);
        if whole {
            model = inserted;
        } else {
            let start = model_offset(&model, range.start, encoding);
            let end = model_offset(&model, range.end, encoding);
            model.replace_range(start.min(end)..start.max(end), &inserted);
        }
        assert_eq!(document.text(), model, "after {change:?} in {encoding:?}");
    }
    if let Some(pending) = document.pending {
        let old = std::ops::Range::<usize>::from(pending.old_range);
        let new_end = old.start + usize::from(pending.new_len);
        assert!(old.end <= original.len() && new_end <= model.len());
        assert_eq!(original[..old.start], model[..old.start]);
        assert_eq!(original[old.end..], model[new_end..]);
    }
});
