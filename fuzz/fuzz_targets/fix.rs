//! Fuzz target for fixes: the edits of each fix never overlap; safe fixes reach a fixed
//! point, a second round changes nothing, the result lints again; every byte outside the
//! edited ranges is kept; and no safe fix rewrites a total that held.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::fix::{apply_fixes, fix_until_stable, Applicability, FixMode};
use reportlint::lint::{lint, LintOptions};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let options = LintOptions::default();
    let lint_text = |text: &str| lint(text, &options).diagnostics;
    let diagnostics = lint_text(&text);
    let mut edited = Vec::new();
    for fix in diagnostics.iter().filter_map(|diagnostic| diagnostic.fix.as_ref()) {
        for pair in fix.edits.windows(2) {
            assert!(pair[0].range.end() <= pair[1].range.start(), "{fix:?}");
        }
        if fix.applicability == Applicability::Safe {
            edited.extend(fix.edits.iter().map(|edit| edit.range));
        }
    }
    // One round of safe fixes keeps every byte outside their edits: the text between the
    // edited ranges appears, in order, in the result.
    let (once, _) = apply_fixes(&text, &diagnostics, FixMode::SafeOnly);
    edited.sort_by_key(|range| range.start());
    let mut gaps = Vec::new();
    let mut cursor = 0;
    for range in &edited {
        let start = usize::from(range.start());
        if start >= cursor {
            gaps.push(&text[cursor..start]);
        }
        cursor = cursor.max(usize::from(range.end()));
    }
    gaps.push(&text[cursor.min(text.len())..]);
    let mut remaining = once.as_str();
    for gap in gaps {
        let Some(found) = remaining.find(gap) else {
            panic!("bytes outside the edits were lost: {gap:?}");
        };
        remaining = &remaining[found + gap.len()..];
    }
    let Ok(fixed) = fix_until_stable(&text, FixMode::SafeOnly, lint_text) else {
        return;
    };
    let again = fix_until_stable(&fixed.text, FixMode::SafeOnly, lint_text)
        .expect("a fixed text settles at once");
    assert_eq!(again.text, fixed.text, "a second fix changed the text");
    assert_eq!(again.fixes_applied, 0);
    // No safe fix rewrote a total that held: what was fixed no longer fails, and nothing
    // that held before fails after.
    let codes = |text: &str| {
        lint_text(text)
            .into_iter()
            .filter(|diagnostic| diagnostic.code == "sum-mismatch" || diagnostic.code == "balance-mismatch")
            .count()
    };
    assert!(codes(&fixed.text) <= codes(&text), "fixing made more totals fail");
});
