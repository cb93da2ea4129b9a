//! Shared reading of a document's section headings for the section rules: which heading is
//! which required section of the profile, and the numbered sibling sequences of a generic
//! report. Invariant: each heading is assigned to at most one required section, preferring
//! the section whose number it carries.

use super::Context;
use crate::document::heading::NumberingStyle;
use crate::document::{BlockKind, Heading};
use crate::text::label_key;
use text_size::TextRange;

/// A top-level heading matched to a required section.
#[derive(Debug, Clone, Copy)]
pub struct MatchedSection {
    /// Index into the profile's sections.
    pub section: usize,
    /// The number written on the heading (1 for `一、`), if it has one.
    pub written_number: Option<u32>,
    pub range: TextRange,
    pub numbering_range: TextRange,
}

/// The level-1 numbered headings of the document, in order.
pub fn top_headings<'c>(context: &'c Context) -> Vec<(&'c Heading, TextRange)> {
    let is_top_numbered = |heading: &Heading| {
        heading
            .numbering
            .is_some_and(|numbering| numbering.style == NumberingStyle::ChineseComma)
    };
    let title = context.document.title.as_ref().map(|title| title.range);
    let headings: Vec<(&Heading, TextRange)> = context
        .document
        .blocks
        .iter()
        .filter_map(|block| match &block.kind {
            BlockKind::Heading(heading)
                if !title.is_some_and(|title| title.contains_range(block.range)) =>
            {
                Some((heading, block.range))
            }
            _ => None,
        })
        .collect();
    // Unnumbered Markdown headings count as sections at the level numbered sections use (or,
    // when none is numbered, at the shallowest level below the title).
    let section_level = headings
        .iter()
        .find(|(heading, _)| is_top_numbered(heading))
        .and_then(|(heading, _)| heading.markdown_level)
        .or_else(|| {
            headings
                .iter()
                .filter(|(heading, _)| heading.numbering.is_none())
                .filter_map(|(heading, _)| heading.markdown_level)
                .min()
        });
    headings
        .into_iter()
        .filter(|(heading, _)| {
            is_top_numbered(heading)
                || (heading.numbering.is_none()
                    && heading.markdown_level.is_some()
                    && heading.markdown_level == section_level)
        })
        .collect()
}

/// Top-level headings matched to the profile's required sections; worked out once per
/// context, for the rules that ask.
pub fn match_sections<'c>(context: &'c Context) -> &'c [MatchedSection] {
    context
        .matched_sections
        .get_or_init(|| matched_sections(context))
}

fn matched_sections(context: &Context) -> Vec<MatchedSection> {
    let sections = &context.selection.profile.sections;
    if sections.is_empty() {
        return Vec::new();
    }
    let keys: Vec<_> = sections.iter().map(|section| section.keys()).collect();
    let mut matched: Vec<MatchedSection> = Vec::new();
    let mut taken = std::collections::HashSet::new();
    for (heading, range) in top_headings(context) {
        let written_number = heading.numbering.map(|numbering| numbering.value);
        let title_key = label_key(&context.source[heading.title_range]);
        let candidates: Vec<usize> = (0..sections.len())
            .filter(|&index| keys[index].accepts(&title_key))
            .collect();
        let by_number = candidates
            .iter()
            .copied()
            .find(|&index| Some(sections[index].number) == written_number);
        let first_free = candidates
            .iter()
            .copied()
            .find(|&index| !taken.contains(&index));
        if let Some(section) = by_number.or(first_free).or(candidates.first().copied()) {
            taken.insert(section);
            matched.push(MatchedSection {
                section,
                written_number,
                range,
                numbering_range: heading.numbering_range,
            });
        }
    }
    matched
}

/// A numbered heading in a sequence: its number, its range and its numbering style.
pub type Sibling = (u32, TextRange, NumberingStyle);

/// Numbered sibling headings: each numbered heading belongs to the sequence of its style
/// under the nearest earlier heading of an outer style (`（一）` under `一、`, `1.` under
/// `（一）`, or top-level `1.` in a report numbered that way). Each list holds (number,
/// heading range, numbering style), in document order; the top-level lists come first.
pub fn sibling_sequences(context: &Context) -> Vec<Vec<Sibling>> {
    type Key = (Option<usize>, NumberingStyle);
    let mut groups: Vec<(Key, Vec<Sibling>)> = Vec::new();
    let mut positions: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    let mut open: Vec<(usize, u8)> = Vec::new();
    for (index, block) in context.document.blocks.iter().enumerate() {
        let BlockKind::Heading(heading) = &block.kind else {
            continue;
        };
        let Some(numbering) = heading.numbering else {
            continue;
        };
        let level = numbering.style.level();
        while open
            .last()
            .is_some_and(|&(_, open_level)| open_level >= level)
        {
            open.pop();
        }
        let key = (open.last().map(|&(parent, _)| parent), numbering.style);
        let group = *positions.entry(key).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[group]
            .1
            .push((numbering.value, block.range, numbering.style));
        open.push((index, level));
    }
    groups.sort_by_key(|((parent, _), _)| parent.is_some());
    groups.into_iter().map(|(_, group)| group).collect()
}
