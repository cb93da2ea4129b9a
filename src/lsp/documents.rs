//! The open documents: each a rope edited in place by `didChange`, its version, and the
//! changes made since the document model was last parsed, composed into one byte range so
//! that the next check re-parses only that part (`document::reparse`). A document at rest
//! (checked, and not edited since) gives its rope up: the last check's analysis holds the
//! same text, so the text is held once, and the rope is made again from it at the next edit.

use crate::document::TextChange;
use crate::lsp::position::{edit_range, Encoding};
use ropey::Rope;
use std::sync::Arc;
use text_size::{TextRange, TextSize};
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

/// The text of an open document.
enum Text {
    /// Being edited.
    Editing(Rope),
    /// At rest: the text of this check, which is the document's version and generation.
    Resting(Arc<super::Analysis>),
}

/// One open document.
pub struct OpenDocument {
    text: Text,
    pub version: i32,
    /// Counts every edit and change of options; a debounced check started for an older
    /// count gives up, and a check made at the current count still holds.
    pub generation: u64,
    /// What changed since the text the parsed model was made from; `None` when nothing did
    /// (or when there is no model yet: the first check parses the whole text).
    pub pending: Option<TextChange>,
    /// The parsed model of the last checked text, and the check itself. Held while a
    /// check runs, so checks of one document run one after the other.
    pub analysis: Arc<tokio::sync::Mutex<Option<Arc<super::Analysis>>>>,
    /// With `lintOn: "save"`, the check a pulling client is answered with: the first one
    /// made after the document was opened, last saved, or its options changed. `None`: the
    /// next pull checks.
    pub saved_check: Option<Arc<super::Analysis>>,
    /// Counts saves and configuration changes: a pull's check made across one is not kept
    /// as `saved_check`.
    pub saves: u64,
}

impl OpenDocument {
    pub fn new(text: &str, version: i32) -> OpenDocument {
        OpenDocument {
            text: Text::Editing(Rope::from_str(text)),
            version,
            generation: 0,
            pending: None,
            analysis: Arc::default(),
            saved_check: None,
            saves: 0,
        }
    }

    /// The options changed (settings, a `reportlint.toml`): check again even if the text
    /// did not, and forget the saved check.
    pub fn options_changed(&mut self) {
        self.generation += 1;
        self.saved();
    }

    /// Saved: a pulling client's next request (with `lintOn: "save"`) checks the saved text.
    pub fn saved(&mut self) {
        self.saved_check = None;
        self.saves += 1;
    }

    /// The document's rope, made again from the resting check's text if need be.
    pub fn rope(&mut self) -> &mut Rope {
        if let Text::Resting(check) = &self.text {
            self.text = Text::Editing(Rope::from_str(check.engine.text()));
        }
        match &mut self.text {
            Text::Editing(rope) => rope,
            Text::Resting(_) => unreachable!("the rope was made just above"),
        }
    }

    /// A copy of the text.
    pub fn text(&self) -> String {
        match &self.text {
            Text::Editing(rope) => String::from(rope),
            Text::Resting(check) => check.engine.text().to_string(),
        }
    }

    /// Gives the rope up for `check`'s text when that is the document's text: the check is
    /// of this version and generation (no edit and no change of options since) and no change
    /// waits to be parsed.
    pub fn rest(&mut self, check: &Arc<super::Analysis>) {
        if matches!(self.text, Text::Editing(_))
            && self.pending.is_none()
            && check.version == self.version
            && check.generation == self.generation
        {
            self.text = Text::Resting(Arc::clone(check));
        }
    }

    /// Applies one `didChange` event: a range edit, or the whole text when it has no range.
    pub fn apply(&mut self, change: &TextDocumentContentChangeEvent, encoding: Encoding) {
        let rope = self.rope();
        let bytes = match change.range {
            Some(range) => edit_range(rope, range, encoding),
            None => 0..rope.len_bytes(),
        };
        let start = rope.byte_to_char(bytes.start);
        let end = rope.byte_to_char(bytes.end);
        rope.remove(start..end);
        rope.insert(start, &change.text);
        let edit = TextChange {
            old_range: TextRange::new(size(bytes.start), size(bytes.end)),
            new_len: TextSize::of(change.text.as_str()),
        };
        self.pending = Some(match self.pending {
            Some(earlier) => compose(earlier, edit),
            None => edit,
        });
        self.generation += 1;
    }
}

fn size(offset: usize) -> TextSize {
    TextSize::try_from(offset).unwrap_or(TextSize::from(u32::MAX))
}

/// One change equivalent to `first` followed by `second` (whose range is in the text after
/// `first`): the union of what they touched, in the coordinates of the text before `first`.
pub fn compose(first: TextChange, second: TextChange) -> TextChange {
    let first_start = i64::from(u32::from(first.old_range.start()));
    let first_end_now = first_start + i64::from(u32::from(first.new_len));
    let first_delta = first_end_now - i64::from(u32::from(first.old_range.end()));
    let second_start = i64::from(u32::from(second.old_range.start()));
    let second_end = i64::from(u32::from(second.old_range.end()));
    let second_delta = i64::from(u32::from(second.new_len)) - (second_end - second_start);
    let start = first_start.min(second_start);
    let end_now = first_end_now.max(second_end);
    let to_size = |value: i64| TextSize::from(u32::try_from(value.max(0)).unwrap_or(u32::MAX));
    TextChange {
        old_range: TextRange::new(to_size(start), to_size(end_now - first_delta)),
        new_len: to_size(end_now - start + second_delta),
    }
}

/// The text of `rope` for a check: the previous check's text with `change` applied in
/// place when the previous check handed its text over (no new 5 MB string per keystroke,
/// and the old one is not freed), else a copy of the rope.
pub fn checked_text(previous: Option<String>, rope: &Rope, change: Option<&TextChange>) -> String {
    let Some(mut text) = previous else {
        return String::from(rope);
    };
    let Some(change) = change else {
        return if text.len() == rope.len_bytes() {
            text
        } else {
            String::from(rope)
        };
    };
    let old = std::ops::Range::<usize>::from(change.old_range);
    let new_end = old.start + usize::from(change.new_len);
    let fits = old.end <= text.len()
        && text.is_char_boundary(old.start)
        && text.is_char_boundary(old.end)
        && text.len() - old.len() + usize::from(change.new_len) == rope.len_bytes()
        && new_end <= rope.len_bytes();
    if !fits {
        return String::from(rope);
    }
    let inserted: String = rope.byte_slice(old.start..new_end).chunks().collect();
    text.replace_range(old, &inserted);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_previous_text_edited_in_place_equals_the_rope() {
        let before = "一、总体情况\n| 合计 | 12 |\n";
        let mut document = OpenDocument::new(before, 1);
        let mut rope_before = document.rope().clone();
        for (start, end, inserted) in [(3, 6, "新"), (20, 20, "34"), (0, 0, ""), (10, 26, "中x")]
        {
            let old_text = String::from(&rope_before);
            let (start, end) = (start.min(old_text.len()), end.min(old_text.len()));
            let change = TextChange {
                old_range: TextRange::new((start as u32).into(), (end as u32).into()),
                new_len: TextSize::of(inserted),
            };
            let char_start = document.rope().byte_to_char(start);
            let char_end = document.rope().byte_to_char(end);
            document.rope().remove(char_start..char_end);
            document.rope().insert(char_start, inserted);
            assert_eq!(
                checked_text(Some(old_text), document.rope(), Some(&change)),
                document.text()
            );
            rope_before = document.rope().clone();
        }
        // A change that does not fit the previous text: the rope is copied.
        let wrong = TextChange {
            old_range: TextRange::new(0.into(), 1.into()),
            new_len: 5.into(),
        };
        assert_eq!(
            checked_text(Some("x".to_string()), document.rope(), Some(&wrong)),
            document.text()
        );
        assert_eq!(checked_text(None, document.rope(), None), document.text());
    }

    /// Applies a change to a string the plain way.
    fn apply(text: &str, change: TextChange, inserted: &str) -> String {
        let range = std::ops::Range::<usize>::from(change.old_range);
        assert_eq!(usize::from(change.new_len), inserted.len());
        format!("{}{inserted}{}", &text[..range.start], &text[range.end..])
    }

    #[test]
    fn composed_changes_cover_both_edits() {
        let base = "0123456789abcdefghij";
        let cases = [
            ((2, 4), "XYZ", (10, 12), "q"),
            ((8, 9), "", (1, 3), "long"),
            ((5, 5), "ab", (4, 8), ""),
            ((3, 7), "", (3, 3), ""),
        ];
        for ((a0, a1), a_text, (b0, b1), b_text) in cases {
            let first = TextChange {
                old_range: TextRange::new(a0.into(), a1.into()),
                new_len: TextSize::of(a_text),
            };
            let middle = apply(base, first, a_text);
            let second = TextChange {
                old_range: TextRange::new(b0.into(), b1.into()),
                new_len: TextSize::of(b_text),
            };
            let after = apply(&middle, second, b_text);
            let both = compose(first, second);
            // The composed change replaces a span of `base` by the same span of `after`.
            let old = std::ops::Range::<usize>::from(both.old_range);
            let new_end = old.start + usize::from(both.new_len);
            let spliced = apply(base, both, &after[old.start..new_end]);
            assert_eq!(spliced, after, "{a0}-{a1} then {b0}-{b1}");
            assert_eq!(&base[old.end..], &after[new_end..]);
        }
    }
}
