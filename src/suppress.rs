//! Inline suppression comments: where in a text which rules are silenced, in Markdown and
//! plain text alike. Invariant: every range is a byte range of whole lines of the parsed
//! text (a line runs from its first byte through its `\n`), and the stored range lists are
//! sorted and disjoint, so a lookup is a binary search.
//!
//! # Comments
//!
//! ```text
//! <!-- reportlint-disable-next-line sum-mismatch, blank-cell -->
//! | Total | 12 |
//!
//! <!-- reportlint-disable empty-section -->
//! ...every line in between...
//! <!-- reportlint-enable empty-section -->
//! ```
//!
//! * `reportlint-disable-next-line CODES` silences the codes on the next non-blank line
//!   after the line the comment ends on. Blank lines (only whitespace, including U+00A0 and
//!   U+3000) are skipped, and so are lines holding nothing but reportlint comments, so
//!   several such comments can be stacked above one line.
//! * `reportlint-disable CODES` … `reportlint-enable CODES` silences the codes on every line
//!   after the disable comment's line and before the enable comment's line. A disable with
//!   no enable runs to the end of the text.
//! * Without codes, a comment applies to every rule. `reportlint-enable CODE` inside a
//!   `reportlint-disable` of every rule turns just that code back on.
//! * Codes are separated by commas and/or whitespace. Unknown codes are kept, not reported.
//! * A comment may span lines, and may share a line with other text.

use crate::diagnostic::Diagnostic;
use crate::fix::Edit;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// The marker every suppression comment holds; a text without it has no suppressions.
const MARKER: &str = "reportlint-";

/// Where rules are silenced in one text: byte ranges per code, and for every rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressions {
    /// Ranges where every rule is silenced. Sorted, disjoint.
    all: Vec<Range<usize>>,
    /// Ranges where every rule but the listed ones is silenced. Sorted, disjoint.
    all_except: Vec<(Range<usize>, BTreeSet<String>)>,
    /// Ranges where one code is silenced. Each list sorted, disjoint.
    by_code: BTreeMap<String, Vec<Range<usize>>>,
}

/// What a suppression comment asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    DisableNextLine,
    Disable,
    Enable,
}

/// One suppression comment: its kind, its codes (empty = every rule) and where it sits.
#[derive(Debug)]
struct Directive<'a> {
    kind: Kind,
    codes: Vec<&'a str>,
    /// Byte offset of `<!--`.
    start: usize,
    /// Byte offset just past `-->`.
    end: usize,
}

/// The open `reportlint-disable` blocks while the text is read.
#[derive(Default)]
struct Blocks {
    /// A disable of every rule: where it took effect, and the codes enabled again since.
    all: Option<(usize, BTreeSet<String>)>,
    /// Disables of single codes: where each took effect.
    codes: BTreeMap<String, usize>,
}

impl Suppressions {
    /// Reads every suppression comment in `text` in one pass. Cheap when the text holds
    /// no `reportlint-` at all.
    pub fn parse(text: &str) -> Suppressions {
        let mut suppressions = Suppressions::default();
        if memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
            return suppressions;
        }
        let mut blocks = Blocks::default();
        let mut cursor = 0;
        while let Some(directive) = next_directive(text, cursor) {
            cursor = directive.end;
            match directive.kind {
                Kind::DisableNextLine => {
                    if let Some(line) = next_content_line(text, directive.end) {
                        suppressions.add(&directive.codes, line);
                    }
                }
                Kind::Disable => {
                    let at = line_end(text, directive.end);
                    suppressions.disable(&mut blocks, &directive.codes, at);
                }
                Kind::Enable => {
                    let at = line_start(text, directive.start);
                    suppressions.enable(&mut blocks, &directive.codes, at);
                }
            }
        }
        suppressions.enable(&mut blocks, &[], usize::MAX);
        suppressions.normalize();
        suppressions
    }

    /// Whether diagnostics of rule `code` starting at `byte_offset` are silenced.
    pub fn is_suppressed(&self, code: &str, byte_offset: usize) -> bool {
        if find(&self.all, byte_offset, |range| range).is_some() {
            return true;
        }
        if let Some((_, except)) = find(&self.all_except, byte_offset, |(range, _)| range) {
            if !except.contains(code) {
                return true;
            }
        }
        self.by_code
            .get(code)
            .is_some_and(|ranges| find(ranges, byte_offset, |range| range).is_some())
    }

    /// Drops the diagnostics a comment silences.
    pub fn retain(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.is_empty() {
            return;
        }
        diagnostics.retain(|diagnostic| {
            !self.is_suppressed(diagnostic.code, usize::from(diagnostic.range.start()))
        });
    }

    /// Whether the text silences nothing at all.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.all_except.is_empty() && self.by_code.is_empty()
    }

    /// Silences `codes` (none = every rule) in `range`.
    fn add(&mut self, codes: &[&str], range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        if codes.is_empty() {
            self.all.push(range);
        } else {
            for code in codes {
                self.by_code
                    .entry((*code).to_string())
                    .or_default()
                    .push(range.clone());
            }
        }
    }

    /// Silences every rule but `except` in `range`.
    fn add_all_except(&mut self, range: Range<usize>, except: BTreeSet<String>) {
        if range.is_empty() {
            return;
        }
        if except.is_empty() {
            self.all.push(range);
        } else {
            self.all_except.push((range, except));
        }
    }

    /// A `reportlint-disable` taking effect at byte `at`.
    fn disable(&mut self, blocks: &mut Blocks, codes: &[&str], at: usize) {
        match blocks.all.take() {
            Some((start, except)) => {
                let changed = if codes.is_empty() {
                    !except.is_empty()
                } else {
                    codes.iter().any(|code| except.contains(*code))
                };
                if changed {
                    let at = at.max(start);
                    let remaining = except
                        .iter()
                        .filter(|code| !codes.is_empty() && !codes.contains(&code.as_str()))
                        .cloned()
                        .collect();
                    self.add_all_except(start..at, except);
                    blocks.all = Some((at, remaining));
                } else {
                    blocks.all = Some((start, except));
                }
            }
            None if codes.is_empty() => blocks.all = Some((at, BTreeSet::new())),
            None => {}
        }
        for code in codes {
            blocks.codes.entry((*code).to_string()).or_insert(at);
        }
    }

    /// A `reportlint-enable` taking effect at byte `at`.
    fn enable(&mut self, blocks: &mut Blocks, codes: &[&str], at: usize) {
        if codes.is_empty() {
            if let Some((start, except)) = blocks.all.take() {
                self.add_all_except(start..at.max(start), except);
            }
            for (code, start) in std::mem::take(&mut blocks.codes) {
                self.add(&[&code], start..at.max(start));
            }
            return;
        }
        for code in codes {
            if let Some(start) = blocks.codes.remove(*code) {
                self.add(&[code], start..at.max(start));
            }
        }
        if let Some((start, except)) = blocks.all.take() {
            if codes.iter().all(|code| except.contains(*code)) {
                blocks.all = Some((start, except));
            } else {
                let at = at.max(start);
                let mut more = except.clone();
                more.extend(codes.iter().map(|code| (*code).to_string()));
                self.add_all_except(start..at, except);
                blocks.all = Some((at, more));
            }
        }
    }

    /// Sorts every list and merges overlapping and touching ranges.
    fn normalize(&mut self) {
        merge(&mut self.all);
        for ranges in self.by_code.values_mut() {
            merge(ranges);
        }
        self.all_except.sort_by_key(|(range, _)| range.start);
    }
}

/// Sorts ranges and merges those that overlap or touch.
fn merge(ranges: &mut Vec<Range<usize>>) {
    ranges.sort_by_key(|range| range.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges.drain(..) {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    *ranges = merged;
}

/// The item of a sorted, disjoint list whose range holds `offset`.
fn find<T>(items: &[T], offset: usize, range: impl Fn(&T) -> &Range<usize>) -> Option<&T> {
    let index = items.partition_point(|item| range(item).end <= offset);
    items.get(index).filter(|item| range(item).start <= offset)
}

/// The next suppression comment starting at or after byte `from`, if any.
fn next_directive(text: &str, mut from: usize) -> Option<Directive<'_>> {
    loop {
        let open = from + text[from..].find("<!--")?;
        let body_start = open + 4;
        let close = body_start + text[body_start..].find("-->")?;
        let end = close + 3;
        if let Some((kind, codes)) = parse_body(&text[body_start..close]) {
            return Some(Directive {
                kind,
                codes,
                start: open,
                end,
            });
        }
        from = body_start;
    }
}

/// The kind and codes of a comment's body, if it is a suppression comment.
fn parse_body(body: &str) -> Option<(Kind, Vec<&str>)> {
    let body = body.trim_start();
    if !body.starts_with(MARKER) {
        return None;
    }
    let (kind, rest) = [
        ("reportlint-disable-next-line", Kind::DisableNextLine),
        ("reportlint-disable", Kind::Disable),
        ("reportlint-enable", Kind::Enable),
    ]
    .into_iter()
    .find_map(|(keyword, kind)| {
        let rest = body.strip_prefix(keyword)?;
        (rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == ','))
            .then_some((kind, rest))
    })?;
    let codes = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|code| !code.is_empty())
        .collect();
    Some((kind, codes))
}

/// The edit that inserts `<!-- reportlint-disable-next-line CODE -->` above the line where
/// `found` starts, ending in the line break that line uses (`\r\n` or `\n`).
pub fn disable_next_line(text: &str, found: &Diagnostic) -> Edit {
    let start = usize::from(found.range.start());
    let line_end = text[start..].find('\n').map(|index| start + index);
    let newline = match line_end {
        Some(end) if end > 0 && text.as_bytes()[end - 1] == b'\r' => "\r\n",
        _ => "\n",
    };
    let at = text_size::TextSize::try_from(line_start(text, start)).unwrap_or_default();
    Edit {
        range: text_size::TextRange::empty(at),
        new_text: format!(
            "<!-- reportlint-disable-next-line {} -->{newline}",
            found.code
        ),
    }
}

/// The start of the line holding byte `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |newline| newline + 1)
}

/// The end of the line holding byte `offset`: just past its `\n`, or the end of the text.
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |newline| offset + newline + 1)
}

/// The byte range of the first line after the one holding byte `offset` that is neither
/// blank nor only reportlint comments. The last line's range reaches one past the text's
/// end, so a diagnostic at the very end still falls on it.
fn next_content_line(text: &str, offset: usize) -> Option<Range<usize>> {
    let mut start = line_end(text, offset);
    while start < text.len() {
        let end = line_end(text, start);
        if !is_skippable(&text[start..end]) {
            let end = if end == text.len() && !text.ends_with('\n') {
                end + 1
            } else {
                end
            };
            return Some(start..end);
        }
        start = end;
    }
    None
}

/// Whether a line is blank or holds nothing but reportlint comments.
fn is_skippable(line: &str) -> bool {
    let mut rest = line.trim();
    while !rest.is_empty() {
        let Some(body) = rest.strip_prefix("<!--") else {
            return false;
        };
        let Some(close) = body.find("-->") else {
            return false;
        };
        if parse_body(&body[..close]).is_none() {
            return false;
        }
        rest = body[close + 3..].trim_start();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte offset of the first occurrence of `needle`.
    fn at(text: &str, needle: &str) -> usize {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in text"))
    }

    #[test]
    fn text_without_marker_has_no_suppressions() {
        let suppressions = Suppressions::parse("# Report\n\n<!-- a comment -->\n| a | 1 |\n");
        assert!(suppressions.is_empty());
        assert!(!suppressions.is_suppressed("sum-mismatch", 0));
        assert!(Suppressions::parse("").is_empty());
    }

    #[test]
    fn marker_outside_a_comment_suppresses_nothing() {
        let text = "reportlint-disable sum-mismatch\nrow\n<!-- reportlint-disabled x -->\nrow\n";
        assert!(Suppressions::parse(text).is_empty());
        assert!(Suppressions::parse("<!-- reportlint-disable-next-lines x -->\nrow").is_empty());
        assert!(Suppressions::parse("<!-- reportlint-disable x").is_empty());
        assert!(Suppressions::parse("<!-- reportlint-other x -->\nrow").is_empty());
    }

    #[test]
    fn next_line_suppresses_only_the_listed_codes_on_the_next_line() {
        let text =
            "intro\n<!-- reportlint-disable-next-line sum-mismatch -->\n| Total | 12 |\nafter\n";
        let suppressions = Suppressions::parse(text);
        assert!(!suppressions.is_empty());
        let row = at(text, "| Total");
        assert!(suppressions.is_suppressed("sum-mismatch", row));
        assert!(suppressions.is_suppressed("sum-mismatch", at(text, "12")));
        assert!(suppressions.is_suppressed("sum-mismatch", at(text, "\nafter")));
        assert!(!suppressions.is_suppressed("blank-cell", row));
        assert!(!suppressions.is_suppressed("sum-mismatch", at(text, "after")));
        assert!(!suppressions.is_suppressed("sum-mismatch", at(text, "intro")));
        assert!(!suppressions.is_suppressed("sum-mismatch", at(text, "<!--")));
    }

    #[test]
    fn next_line_without_codes_suppresses_every_rule() {
        let text = "<!-- reportlint-disable-next-line -->\nrow\nafter\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("sum-mismatch", at(text, "row")));
        assert!(suppressions.is_suppressed("anything-at-all", at(text, "row")));
        assert!(!suppressions.is_suppressed("sum-mismatch", at(text, "after")));
    }

    #[test]
    fn codes_are_separated_by_commas_and_spaces() {
        let text = "<!-- reportlint-disable-next-line a,b , c\td  e,,f -->\nrow\n";
        let suppressions = Suppressions::parse(text);
        let row = at(text, "row");
        for code in ["a", "b", "c", "d", "e", "f"] {
            assert!(suppressions.is_suppressed(code, row), "{code}");
        }
        assert!(!suppressions.is_suppressed("g", row));
        assert!(!suppressions.is_suppressed("", row));
    }

    #[test]
    fn unknown_codes_are_kept() {
        let text = "<!-- reportlint-disable-next-line no-such-rule -->\nrow\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("no-such-rule", at(text, "row")));
        assert!(!suppressions.is_suppressed("sum-mismatch", at(text, "row")));
    }

    #[test]
    fn next_line_skips_blank_lines_including_wide_spaces() {
        let text = "<!-- reportlint-disable-next-line x -->\n\n   \n\u{a0}\u{3000}\t\nrow\nafter\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("x", at(text, "row")));
        assert!(!suppressions.is_suppressed("x", at(text, "\u{3000}")));
        assert!(!suppressions.is_suppressed("x", at(text, "after")));
    }

    #[test]
    fn stacked_next_line_comments_apply_to_the_same_line() {
        let text = "<!-- reportlint-disable-next-line a -->\n\
                    <!-- reportlint-disable-next-line b --> <!-- reportlint-disable-next-line c -->\n\
                    row\nafter\n";
        let suppressions = Suppressions::parse(text);
        let row = at(text, "row");
        assert!(suppressions.is_suppressed("a", row));
        assert!(suppressions.is_suppressed("b", row));
        assert!(suppressions.is_suppressed("c", row));
        assert!(!suppressions.is_suppressed("a", at(text, "after")));
    }

    #[test]
    fn a_plain_comment_line_is_not_skipped() {
        let text = "<!-- reportlint-disable-next-line a -->\n<!-- note -->\nrow\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("a", at(text, "<!-- note")));
        assert!(!suppressions.is_suppressed("a", at(text, "row")));
    }

    #[test]
    fn next_line_after_a_comment_at_a_line_end() {
        let text = "| a | 1 | <!-- reportlint-disable-next-line x -->\n| b | 2 |\n| c | 3 |\n";
        let suppressions = Suppressions::parse(text);
        assert!(!suppressions.is_suppressed("x", at(text, "| a")));
        assert!(suppressions.is_suppressed("x", at(text, "| b")));
        assert!(!suppressions.is_suppressed("x", at(text, "| c")));
    }

    #[test]
    fn next_line_counts_from_the_line_a_multiline_comment_ends_on() {
        let text = "<!--\n  reportlint-disable-next-line\n  x\n-->\nrow\nafter\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("x", at(text, "row")));
        assert!(!suppressions.is_suppressed("x", at(text, "after")));
    }

    #[test]
    fn next_line_at_the_end_of_the_text() {
        let text = "<!-- reportlint-disable-next-line x -->\nlast";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("x", at(text, "last")));
        assert!(suppressions.is_suppressed("x", text.len()));
        let text = "<!-- reportlint-disable-next-line x -->\n\n";
        assert!(Suppressions::parse(text).is_empty());
        assert!(Suppressions::parse("<!-- reportlint-disable-next-line x -->").is_empty());
    }

    #[test]
    fn crlf_line_endings() {
        let text = "a\r\n<!-- reportlint-disable-next-line x -->\r\n\r\n \r\nrow\r\nafter\r\n\
                    <!-- reportlint-disable y -->\r\nIN\r\n<!-- reportlint-enable y -->\r\nOUT\r\n";
        let suppressions = Suppressions::parse(text);
        let row = at(text, "row");
        assert!(suppressions.is_suppressed("x", row));
        assert!(suppressions.is_suppressed("x", row + 3)); // the \r
        assert!(suppressions.is_suppressed("x", row + 4)); // the \n
        assert!(!suppressions.is_suppressed("x", at(text, "after")));
        assert!(suppressions.is_suppressed("y", at(text, "IN")));
        assert!(!suppressions.is_suppressed("y", at(text, "OUT")));
        assert!(!suppressions.is_suppressed("y", at(text, "after")));
    }

    #[test]
    fn block_suppresses_the_lines_in_between() {
        let text = "before\n<!-- reportlint-disable empty-section -->\none\ntwo\n\
                    <!-- reportlint-enable empty-section -->\nafter\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("empty-section", at(text, "one")));
        assert!(suppressions.is_suppressed("empty-section", at(text, "two")));
        assert!(!suppressions.is_suppressed("sum-mismatch", at(text, "one")));
        assert!(!suppressions.is_suppressed("empty-section", at(text, "before")));
        assert!(!suppressions.is_suppressed("empty-section", at(text, "after")));
        assert!(!suppressions.is_suppressed("empty-section", at(text, "<!-- reportlint-disable")));
        assert!(!suppressions.is_suppressed("empty-section", at(text, "<!-- reportlint-enable")));
    }

    #[test]
    fn block_without_codes_suppresses_every_rule() {
        let text = "<!-- reportlint-disable -->\nIN\n<!-- reportlint-enable -->\nOUT\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("sum-mismatch", at(text, "IN")));
        assert!(suppressions.is_suppressed("blank-cell", at(text, "IN")));
        assert!(!suppressions.is_suppressed("sum-mismatch", at(text, "OUT")));
    }

    #[test]
    fn disable_without_enable_runs_to_the_end() {
        let text = "before\n<!-- reportlint-disable a b -->\none\n\ntwo";
        let suppressions = Suppressions::parse(text);
        assert!(!suppressions.is_suppressed("a", at(text, "before")));
        assert!(suppressions.is_suppressed("a", at(text, "one")));
        assert!(suppressions.is_suppressed("b", at(text, "two")));
        assert!(suppressions.is_suppressed("a", text.len()));
        assert!(!suppressions.is_suppressed("c", at(text, "two")));
        let text = "<!-- reportlint-disable -->\nrest";
        assert!(Suppressions::parse(text).is_suppressed("x", text.len()));
    }

    #[test]
    fn enable_closes_only_its_codes() {
        let text = "<!-- reportlint-disable a, b -->\none\n<!-- reportlint-enable a -->\ntwo\n\
                    <!-- reportlint-enable b -->\nthree\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("a", at(text, "one")));
        assert!(suppressions.is_suppressed("b", at(text, "one")));
        assert!(!suppressions.is_suppressed("a", at(text, "two")));
        assert!(suppressions.is_suppressed("b", at(text, "two")));
        assert!(!suppressions.is_suppressed("b", at(text, "three")));
    }

    #[test]
    fn enable_without_codes_closes_every_block() {
        let text = "<!-- reportlint-disable a -->\n<!-- reportlint-disable b -->\none\n\
                    <!-- reportlint-enable -->\ntwo\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("a", at(text, "one")));
        assert!(suppressions.is_suppressed("b", at(text, "one")));
        assert!(!suppressions.is_suppressed("a", at(text, "two")));
        assert!(!suppressions.is_suppressed("b", at(text, "two")));
    }

    #[test]
    fn enable_of_one_code_inside_a_disable_of_every_rule() {
        let text = "<!-- reportlint-disable -->\none\n<!-- reportlint-enable a -->\ntwo\n\
                    <!-- reportlint-disable a -->\nthree\n<!-- reportlint-enable -->\nfour\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("a", at(text, "one")));
        assert!(suppressions.is_suppressed("b", at(text, "one")));
        assert!(!suppressions.is_suppressed("a", at(text, "two")));
        assert!(suppressions.is_suppressed("b", at(text, "two")));
        assert!(suppressions.is_suppressed("a", at(text, "three")));
        assert!(suppressions.is_suppressed("b", at(text, "three")));
        assert!(!suppressions.is_suppressed("a", at(text, "four")));
        assert!(!suppressions.is_suppressed("b", at(text, "four")));
    }

    #[test]
    fn next_line_inside_a_partly_enabled_block() {
        let text = "<!-- reportlint-disable -->\n<!-- reportlint-enable a -->\n\
                    <!-- reportlint-disable-next-line a -->\nrow\nafter\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("a", at(text, "row")));
        assert!(!suppressions.is_suppressed("a", at(text, "after")));
        assert!(suppressions.is_suppressed("b", at(text, "after")));
    }

    #[test]
    fn enable_without_disable_is_harmless() {
        let text = "<!-- reportlint-enable a -->\nrow\n<!-- reportlint-enable -->\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_empty());
        assert!(!suppressions.is_suppressed("a", at(text, "row")));
    }

    #[test]
    fn repeated_disable_keeps_the_first_start() {
        let text = "<!-- reportlint-disable a -->\none\n<!-- reportlint-disable a -->\ntwo\n\
                    <!-- reportlint-enable a -->\nthree\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("a", at(text, "one")));
        assert!(suppressions.is_suppressed("a", at(text, "two")));
        assert!(!suppressions.is_suppressed("a", at(text, "three")));
    }

    #[test]
    fn disable_and_enable_on_one_line_suppress_nothing() {
        let text = "<!-- reportlint-disable a --> text <!-- reportlint-enable a -->\nrow\n";
        let suppressions = Suppressions::parse(text);
        assert!(!suppressions.is_suppressed("a", at(text, "text")));
        assert!(!suppressions.is_suppressed("a", at(text, "row")));
    }

    #[test]
    fn inline_disable_starts_on_the_next_line() {
        let text = "| a | 1 | <!-- reportlint-disable x -->\n| b | 2 |\n";
        let suppressions = Suppressions::parse(text);
        assert!(!suppressions.is_suppressed("x", at(text, "| a")));
        assert!(suppressions.is_suppressed("x", at(text, "| b")));
    }

    #[test]
    fn comments_inside_other_text_and_unicode() {
        let text = "标题\u{3000}<!--reportlint-disable-next-line 合计-->\n年度 | 合计\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("合计", at(text, "年度")));
        assert!(!suppressions.is_suppressed("合计", at(text, "标题")));
    }

    #[test]
    fn a_plain_comment_before_a_directive_is_skipped() {
        let text = "<!-- note --> <!-- reportlint-disable-next-line a -->\nrow\n";
        let suppressions = Suppressions::parse(text);
        assert!(suppressions.is_suppressed("a", at(text, "row")));
    }

    #[test]
    fn merge_joins_overlapping_and_touching_ranges() {
        let mut ranges = vec![5..7, 0..2, 2..3, 6..9, 20..21];
        merge(&mut ranges);
        assert_eq!(ranges, vec![0..3, 5..9, 20..21]);
    }

    #[test]
    fn large_text_without_marker_is_fast() {
        let text = "| a | 1 | 2 |\n".repeat(400_000);
        let started = std::time::Instant::now();
        let suppressions = Suppressions::parse(&text);
        assert!(suppressions.is_empty());
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn many_comments_parse_in_one_pass() {
        let text = "<!-- reportlint-disable-next-line a -->\nrow\n".repeat(50_000);
        let suppressions = Suppressions::parse(&text);
        let last_row = text.rfind("row").unwrap();
        assert!(suppressions.is_suppressed("a", last_row));
        assert!(!suppressions.is_suppressed("a", 0));
    }
}
