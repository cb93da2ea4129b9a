//! `empty-section`: a heading with no content before the next heading.

use super::{diagnostic, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Message, Severity};
use crate::document::BlockKind;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "empty-section",
        default_severity: Severity::Warning,
        summary: "a heading with no content before the next heading",
        docs: DOCS,
    },
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

fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let blocks = &context.document.blocks;
    for (index, block) in blocks.iter().enumerate() {
        let BlockKind::Heading(heading) = &block.kind else {
            continue;
        };
        if heading.numbering.is_none() && heading.markdown_level.is_none() {
            continue;
        }
        let level = heading.level();
        let empty = match blocks.get(index + 1).map(|next| &next.kind) {
            None => true,
            Some(BlockKind::Heading(next)) => next.level() <= level,
            Some(_) => false,
        };
        // The title heading above the first section is not a section.
        let is_title = context
            .document
            .title
            .as_ref()
            .is_some_and(|title| title.range.contains_range(block.range));
        if empty && !is_title {
            let title = &context.source[block.range];
            let title = title.trim();
            out.push(diagnostic(
                "empty-section",
                heading.title_range,
                Message::new(
                    format!("section “{title}” is empty: the next heading follows directly; move its content under it or write 无"),
                    format!("“{title}”一节没有内容，紧接着就是下一个标题；请把内容移到此标题下，或写明“无”"),
                ),
            ));
        }
    }
}
