//! The one fix type, and the one function that applies fixes to text. `check --fix`, and
//! later the editor's quick fix and fix-all, all go through here. Invariant: edits inside
//! a fix are sorted and do not overlap, and applying fixes never touches a byte outside
//! the edited ranges.

use crate::message::Message;
use serde::Serialize;
use text_size::{TextRange, TextSize};

/// What carries a fix (a diagnostic), so that this module need not know diagnostics.
pub trait HasFix {
    fn fix(&self) -> Option<&Fix>;
}

/// How far a fix can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Shown to the user, never applied automatically.
    #[serde(rename = "display")]
    DisplayOnly,
    /// Applied with `--unsafe-fixes`: the evidence does not single out the cell.
    Unsafe,
    /// Applied with `--fix`: the change is what the evidence calls for.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// Replace the text in `range` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

/// A titled list of sorted, non-overlapping edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: Message,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix made of one edit.
    pub fn replace(
        title: Message,
        applicability: Applicability,
        range: TextRange,
        new_text: String,
    ) -> Fix {
        Fix {
            title,
            applicability,
            edits: vec![Edit { range, new_text }],
        }
    }

    /// This fix for the same text moved from `from` to `to`.
    pub fn moved(&self, from: TextSize, to: TextSize) -> Fix {
        Fix {
            title: self.title.clone(),
            applicability: self.applicability,
            edits: self
                .edits
                .iter()
                .map(|edit| Edit {
                    range: moved_range(edit.range, from, to),
                    new_text: edit.new_text.clone(),
                })
                .collect(),
        }
    }

    fn overlaps(&self, taken: &[TextRange]) -> bool {
        self.edits
            .iter()
            .any(|edit| taken.iter().any(|range| ranges_overlap(*range, edit.range)))
    }
}

/// `range` of a text that starts at `from`, for the same text moved to start at `to`.
pub fn moved_range(range: TextRange, from: TextSize, to: TextSize) -> TextRange {
    range - from + to
}

/// Two ranges overlap when they share a byte, when they are equal, or when an empty range
/// sits strictly inside the other: two edits there could not both be applied.
pub fn ranges_overlap(first: TextRange, second: TextRange) -> bool {
    first == second || (first.start() < second.end() && second.start() < first.end())
}

/// An edit that puts `new_text` in a table cell whose content is at `content`. In a padded
/// Markdown table (`| 51   |`) the padding after the content shrinks or grows so the
/// closing pipe keeps its column; everything else outside the content stays as it was.
pub fn replace_cell(source: &str, content: TextRange, new_text: String) -> Edit {
    let end = usize::from(content.end());
    let after = &source[end..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    let closes_cell = after[spaces..].starts_with('|');
    let old_width = source[content].chars().count();
    let new_width = new_text.chars().count();
    if !closes_cell || spaces < 2 || old_width == new_width {
        return Edit {
            range: content,
            new_text,
        };
    }
    // Keep at least one space before the pipe.
    let padding = (spaces + old_width).saturating_sub(new_width).max(1);
    let range = TextRange::new(
        content.start(),
        content.end() + TextSize::from(spaces as u32),
    );
    Edit {
        range,
        new_text: format!("{new_text}{}", " ".repeat(padding)),
    }
}

/// Which fixes a caller wants applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    SafeOnly,
    SafeAndUnsafe,
}

impl FixMode {
    pub fn allows(self, applicability: Applicability) -> bool {
        match self {
            FixMode::SafeOnly => applicability == Applicability::Safe,
            FixMode::SafeAndUnsafe => applicability >= Applicability::Unsafe,
        }
    }
}

/// Applies every allowed fix that does not overlap one applied before it, in the order of
/// the diagnostics. Returns the new text and how many fixes were applied.
pub fn apply_fixes(text: &str, diagnostics: &[impl HasFix], mode: FixMode) -> (String, usize) {
    let mut taken: Vec<TextRange> = Vec::new();
    let mut edits: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in diagnostics.iter().filter_map(HasFix::fix) {
        if !mode.allows(fix.applicability) || fix.edits.is_empty() || fix.overlaps(&taken) {
            continue;
        }
        taken.extend(fix.edits.iter().map(|edit| edit.range));
        edits.extend(fix.edits.iter());
        applied += 1;
    }
    edits.sort_by_key(|edit| edit.range.start());
    let mut output = String::with_capacity(text.len());
    let mut cursor = 0usize;
    for edit in edits {
        let start = usize::from(edit.range.start());
        let end = usize::from(edit.range.end());
        output.push_str(&text[cursor..start]);
        output.push_str(&edit.new_text);
        cursor = end;
    }
    output.push_str(&text[cursor..]);
    (output, applied)
}

/// The one edit that turns `before` into `after`: what lies between their common prefix and
/// common suffix (on character boundaries). `None` when the texts are equal. The editor's
/// fix-all sends this instead of the whole text, so the cursor and undo history survive.
pub fn minimal_edit(before: &str, after: &str) -> Option<Edit> {
    if before == after {
        return None;
    }
    let mut prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(left, right)| left == right)
        .count();
    while !before.is_char_boundary(prefix) || !after.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let longest_suffix = before.len().min(after.len()) - prefix;
    let mut suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(longest_suffix)
        .take_while(|(left, right)| left == right)
        .count();
    while !before.is_char_boundary(before.len() - suffix)
        || !after.is_char_boundary(after.len() - suffix)
    {
        suffix -= 1;
    }
    let start = TextSize::try_from(prefix).ok()?;
    let end = TextSize::try_from(before.len() - suffix).ok()?;
    Some(Edit {
        range: TextRange::new(start, end),
        new_text: after[prefix..after.len() - suffix].to_string(),
    })
}

/// The result of fixing until nothing changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    pub text: String,
    pub fixes_applied: usize,
    pub passes: usize,
}

/// Fixing did not settle within the pass limit: a rule's fix keeps producing new work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotConverged {
    pub passes: usize,
}

/// How many lint-and-fix passes are tried before giving up loudly.
pub const MAX_FIX_PASSES: usize = 10;

/// Lints, applies fixes, and repeats until a pass applies nothing.
pub fn fix_until_stable<T: HasFix>(
    text: &str,
    mode: FixMode,
    mut lint: impl FnMut(&str) -> Vec<T>,
) -> Result<FixOutcome, NotConverged> {
    let mut current = text.to_string();
    let mut fixes_applied = 0;
    for pass in 1..=MAX_FIX_PASSES {
        let diagnostics = lint(&current);
        let (next, applied) = apply_fixes(&current, &diagnostics, mode);
        if applied == 0 || next == current {
            return Ok(FixOutcome {
                text: current,
                fixes_applied,
                passes: pass,
            });
        }
        fixes_applied += applied;
        current = next;
    }
    Err(NotConverged {
        passes: MAX_FIX_PASSES,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(source: &str, content: &str, new_text: &str) -> String {
        let start = source.find(content).unwrap();
        let range = TextRange::at(
            TextSize::from(start as u32),
            TextSize::from(content.len() as u32),
        );
        let edit = replace_cell(source, range, new_text.to_string());
        let mut output = source.to_string();
        output.replace_range(std::ops::Range::<usize>::from(edit.range), &edit.new_text);
        output
    }

    #[test]
    fn padded_cells_keep_their_pipes_aligned() {
        assert_eq!(edit("| 总计 | 51   |\n", "51", "153"), "| 总计 | 153  |\n");
        assert_eq!(edit("| 总计 | 151  |\n", "151", "53"), "| 总计 | 53   |\n");
        assert_eq!(edit("| 总计 | 51 |\n", "51", "153"), "| 总计 | 153 |\n");
        assert_eq!(edit("总计\t51\t", "51", "153"), "总计\t153\t");
    }

    #[test]
    fn minimal_edit_spans_only_what_changed() {
        let cases = [
            ("| 总计 | 53 |", "| 总计 | 13 |"),
            ("a 中 b", "a 文 b"),
            ("aaa", "aaaa"),
            ("", "x"),
            ("𠀀1", "𠀀12"),
            ("12\r\n", "1\r\n"),
        ];
        for (before, after) in cases {
            let edit = minimal_edit(before, after).unwrap();
            let range = std::ops::Range::<usize>::from(edit.range);
            let rebuilt = format!(
                "{}{}{}",
                &before[..range.start],
                edit.new_text,
                &before[range.end..]
            );
            assert_eq!(rebuilt, after);
        }
        let edit = minimal_edit("| 总计 | 53 |", "| 总计 | 13 |").unwrap();
        assert_eq!(edit.new_text, "1");
        assert_eq!(minimal_edit("same", "same"), None);
    }

    #[test]
    fn overlapping_ranges() {
        let range = |start: u32, end: u32| TextRange::new(start.into(), end.into());
        assert!(ranges_overlap(range(0, 5), range(4, 6)));
        assert!(!ranges_overlap(range(0, 5), range(5, 6)));
        assert!(ranges_overlap(range(2, 2), range(2, 2)));
        assert!(ranges_overlap(range(0, 5), range(2, 2)));
    }
}
