//! `empty-section`: a heading with no content before the next heading.

use super::{Context, Reads, Report, Rule, RuleMeta};
use crate::diagnostic::{Message, Severity};
use crate::document::BlockKind;
use text_size::TextRange;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "empty-section",
        default_severity: Severity::Warning,
        summary: "a heading with no content before the next heading",
        docs: DOCS,
    },
    reads: Reads::Document,
    check,
};

const DOCS: &str = "# empty-section

## What it finds
A section or sub-section heading followed directly by a heading of the same or a higher
level (or by the end of the document): the section says nothing.

## Why
An empty section is usually a sign that its content went somewhere else: the table pasted
above the heading instead of below it, or text left under the previous heading.

## Example
```text
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
```

## Fix
None: move the section's content under it, or write `无` if there is nothing to report.
";

fn check(context: &Context, report: &mut Report) {
    let blocks = &context.document.blocks;
    for (index, block) in blocks.iter().enumerate() {
        let BlockKind::Heading(heading) = &block.kind else {
            continue;
        };
        if heading.numbering.is_none() && heading.markdown_level.is_none() {
            continue;
        }
        // The title heading above the first section is not a section.
        if context
            .document
            .title
            .as_ref()
            .is_some_and(|title| title.range.contains_range(block.range))
        {
            continue;
        }
        // Comments (suppressions) are not content.
        let next = blocks[index + 1..]
            .iter()
            .find(|next| !matches!(next.kind, BlockKind::Comment));
        let at_end = next.is_none();
        let empty = match next.map(|next| &next.kind) {
            None => true,
            Some(BlockKind::Heading(next)) => next.level() <= heading.level(),
            Some(_) => false,
        };
        if !empty {
            continue;
        }
        let shown = TextRange::new(
            heading
                .numbering_range
                .start()
                .min(heading.title_range.start()),
            heading.title_range.end(),
        );
        let title = context.source[shown].trim();
        let (en, zh) = if at_end {
            (
                format!("section “{title}” is empty: the document ends right after its heading; write its content or 无"),
                format!("“{title}”一节没有内容，文档在标题后就结束了；请补写内容，或写明“无”"),
            )
        } else {
            (
                format!("section “{title}” is empty: the next heading follows directly; move its content under it or write 无"),
                format!("“{title}”一节没有内容，紧接着就是下一个标题；请把内容移到此标题下，或写明“无”"),
            )
        };
        report.push(report.finding(heading.title_range, Message::new(en, zh)));
    }
}
