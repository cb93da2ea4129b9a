//! Fuzz target: any text, under every built-in profile, is parsed and linted without a
//! panic, and every diagnostic's range lies inside the text on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::lint::{lint, LintOptions};
use reportlint::profile::builtins;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let automatic = LintOptions::default();
    let forced: Vec<LintOptions> = builtins()
        .iter()
        .map(|profile| LintOptions {
            profile: Some(profile),
            ..LintOptions::default()
        })
        .collect();
    for options in std::iter::once(&automatic).chain(&forced) {
        for diagnostic in lint(&text, options).diagnostics {
            let (start, end) = (
                usize::from(diagnostic.range.start()),
                usize::from(diagnostic.range.end()),
            );
            assert!(start <= end && end <= text.len(), "{diagnostic:?}");
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
    }
});
