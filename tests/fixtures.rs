//! The fixture harness: every report under `fixtures/` is a test case, so a new case is a
//! new file and never new Rust.
//!
//! For every `.md`, `.markdown` and `.txt` file under `fixtures/` (any depth):
//! - the diagnostics, one per line as `LINE:COL severity[code] message [fix …]`, and the
//!   profile name are snapshotted (`tests/snapshots/fixtures__<path>.snap`), and so is the
//!   text after safe fixes when they change it (`…<path>.fixed.snap`);
//! - the fix invariants hold (see `check_fix_invariants`).
//!
//! For files under `fixtures/rules/<code>/`: a `bad*` file yields at least one diagnostic of
//! `<code>`, a `good*` file yields none; every registered rule has such a folder holding
//! both kinds, and every folder there names a registered rule.
//!
//! All fixtures are checked before a test fails, and the failure lists every fixture that
//! broke, so one run shows everything (and `INSTA_UPDATE=always` writes every snapshot).

use reportlint::diagnostic::{Diagnostic, Severity};
use reportlint::fix::{apply_fixes, fix_until_stable, ranges_overlap, Applicability, FixMode};
use reportlint::line_index::LineIndex;
use reportlint::lint::{lint, LintOptions};
use reportlint::rules::RULES;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixtures_dir() -> PathBuf {
    root().join("fixtures")
}

fn snapshots_dir() -> PathBuf {
    root().join("tests").join("snapshots")
}

/// One fixture: its path relative to `fixtures/` with `/` separators, and its text.
struct Fixture {
    name: String,
    path: PathBuf,
    text: String,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|error| panic!("{dir:?}: {error}"));
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| EXTENSIONS.contains(&extension))
        {
            out.push(path);
        }
    }
}

fn fixtures() -> Vec<Fixture> {
    let base = fixtures_dir();
    let mut paths = Vec::new();
    walk(&base, &mut paths);
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures found under {base:?}");
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&base)
                .expect("fixtures lie under fixtures/")
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{name}: not UTF-8 text ({error})"));
            Fixture { name, path, text }
        })
        .collect()
}

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    lint(text, &LintOptions::default()).diagnostics
}

/// The snapshot names of a fixture: `fixtures__rules__sum-mismatch__bad-x.md` and the same
/// with `.fixed` for the text after safe fixes (insta turns `/` into `__`).
fn snapshot_name(fixture: &str) -> String {
    format!("fixtures/{fixture}")
}

fn fixed_snapshot_name(fixture: &str) -> String {
    format!("fixtures/{fixture}.fixed")
}

/// The diagnostics as `LINE:COL severity[code] message`, with the fix's applicability and
/// new texts when there is one, under a line naming the profile.
fn render(text: &str) -> String {
    let result = lint(text, &LintOptions::default());
    let index = LineIndex::new(text);
    let mut out = format!("profile: {}\n", result.profile);
    if result.diagnostics.is_empty() {
        out.push_str("(no diagnostics)\n");
    }
    for diagnostic in &result.diagnostics {
        let position = index.position(text, diagnostic.range.start().into());
        write!(
            out,
            "{}:{} {}[{}] {}",
            position.line,
            position.column,
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.message.en
        )
        .unwrap();
        if let Some(fix) = &diagnostic.fix {
            let texts: Vec<String> = fix
                .edits
                .iter()
                .map(|edit| format!("{:?}", edit.new_text))
                .collect();
            write!(
                out,
                " [fix {}: {}]",
                fix.applicability.as_str(),
                texts.join(", ")
            )
            .unwrap();
        }
        out.push('\n');
    }
    out
}

/// Runs `check` for every fixture, catching panics (failed snapshots and assertions
/// included) so that every fixture is checked; fails listing the fixtures that broke.
fn for_each_fixture(what: &str, check: impl Fn(&Fixture)) {
    let mut failed = Vec::new();
    for fixture in fixtures() {
        if catch_unwind(AssertUnwindSafe(|| check(&fixture))).is_err() {
            failed.push(fixture.name.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "{what} failed for {} fixture(s) (see the panics above):\n  {}",
        failed.len(),
        failed.join("\n  ")
    );
}

#[test]
fn snapshots() {
    for_each_fixture("snapshots", |fixture| {
        insta::with_settings!({
            snapshot_path => snapshots_dir(),
            prepend_module_to_snapshot => false,
            input_file => &fixture.path,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(snapshot_name(&fixture.name), render(&fixture.text));
            let fixed = fix_until_stable(&fixture.text, FixMode::SafeOnly, diagnostics)
                .unwrap_or_else(|error| panic!("{}: {error:?}", fixture.name));
            if fixed.text != fixture.text {
                insta::assert_snapshot!(fixed_snapshot_name(&fixture.name), fixed.text);
            }
        });
    });
}

/// Every snapshot of this harness belongs to a fixture that still exists (and a `.fixed`
/// snapshot to a fixture whose safe fixes still change it), so a renamed or deleted
/// fixture does not leave a stale expectation behind.
#[test]
fn no_orphan_snapshots() {
    let mut expected = BTreeSet::new();
    for fixture in fixtures() {
        let file = |name: String| format!("{}.snap", name.replace('/', "__"));
        expected.insert(file(snapshot_name(&fixture.name)));
        let fixed = fix_until_stable(&fixture.text, FixMode::SafeOnly, diagnostics);
        if fixed.is_ok_and(|fixed| fixed.text != fixture.text) {
            expected.insert(file(fixed_snapshot_name(&fixture.name)));
        }
    }
    let Ok(entries) = std::fs::read_dir(snapshots_dir()) else {
        return;
    };
    let orphans: Vec<String> = entries
        .map(|entry| entry.expect("a readable directory entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.starts_with("fixtures__") && name.ends_with(".snap"))
        .filter(|name| !expected.contains(name))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots without a fixture (delete them): {orphans:?}"
    );
}

/// The rule folder a fixture sits in, and whether it is a `bad*` or `good*` case.
fn rule_case(name: &str) -> Option<(&str, Option<bool>)> {
    let rest = name.strip_prefix("rules/")?;
    let (code, file) = rest.split_once('/')?;
    let file = file.rsplit('/').next().unwrap_or(file);
    let kind = if file.starts_with("bad") {
        Some(true)
    } else if file.starts_with("good") {
        Some(false)
    } else {
        None
    };
    Some((code, kind))
}

#[test]
fn rule_fixtures_trigger_their_rule() {
    for_each_fixture("rule expectations", |fixture| {
        let Some((code, kind)) = rule_case(&fixture.name) else {
            return;
        };
        let Some(bad) = kind else {
            panic!(
                "{}: a file under fixtures/rules/<code>/ must be named bad-* or good-*",
                fixture.name
            );
        };
        let found: Vec<String> = diagnostics(&fixture.text)
            .iter()
            .filter(|diagnostic| diagnostic.code == code)
            .map(|diagnostic| diagnostic.message.en.clone())
            .collect();
        if bad {
            assert!(
                !found.is_empty(),
                "{}: a bad fixture must yield at least one {code} diagnostic; it yields none",
                fixture.name
            );
        } else {
            assert!(
                found.is_empty(),
                "{}: a good fixture must yield no {code} diagnostic; it yields {found:#?}",
                fixture.name
            );
        }
    });
}

/// Reports in other formats and encodings: a `*-clean.*` file must raise no error or
/// warning (the promise made for clean reports), and a `*-errors.*` file at least one error.
#[test]
fn format_fixtures_are_clean_or_wrong_as_named() {
    for_each_fixture("format expectations", |fixture| {
        if !fixture.name.starts_with("formats/") {
            return;
        }
        let found = diagnostics(&fixture.text);
        let serious: Vec<String> = found
            .iter()
            .filter(|diagnostic| diagnostic.severity >= Severity::Warning)
            .map(|diagnostic| format!("{} {}", diagnostic.code, diagnostic.message.en))
            .collect();
        if fixture.name.contains("-clean.") {
            assert!(
                serious.is_empty(),
                "{}: a clean report must raise no error or warning: {serious:#?}",
                fixture.name
            );
        } else {
            assert!(
                fixture.name.contains("-errors."),
                "{}: a format fixture is named *-clean.* or *-errors.*",
                fixture.name
            );
            assert!(
                found
                    .iter()
                    .any(|diagnostic| diagnostic.severity == Severity::Error),
                "{}: a report with planted errors must raise at least one error",
                fixture.name
            );
        }
    });
}

/// The registry test: adding a rule without fixtures fails here.
#[test]
fn every_rule_has_good_and_bad_fixtures() {
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for fixture in fixtures() {
        if let Some((code, Some(bad))) = rule_case(&fixture.name) {
            let entry = kinds.entry(code.to_string()).or_default();
            if bad {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
    }
    let codes: BTreeSet<&str> = RULES.iter().map(|rule| rule.meta.code).collect();
    let mut problems = Vec::new();
    for code in &codes {
        match kinds.get(*code) {
            None => problems.push(format!("{code}: no folder fixtures/rules/{code}/")),
            Some((0, _)) => problems.push(format!("{code}: no bad-* fixture")),
            Some((_, 0)) => problems.push(format!("{code}: no good-* fixture")),
            Some(_) => {}
        }
    }
    let folders = std::fs::read_dir(fixtures_dir().join("rules")).expect("fixtures/rules/");
    for folder in folders {
        let folder = folder.expect("a readable entry");
        if !folder.path().is_dir() {
            continue;
        }
        let name = folder.file_name();
        let name = name.to_string_lossy();
        if !codes.contains(name.as_ref()) {
            problems.push(format!("fixtures/rules/{name}/ names no registered rule"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// (code, severity, English message): how diagnostics are compared across a fix, where
/// positions move but what is said should not.
fn keys(diagnostics: &[Diagnostic]) -> BTreeMap<(String, String, String), usize> {
    let mut keys = BTreeMap::new();
    for diagnostic in diagnostics {
        *keys
            .entry((
                diagnostic.code.to_string(),
                diagnostic.severity.as_str().to_string(),
                diagnostic.message.en.clone(),
            ))
            .or_insert(0) += 1;
    }
    keys
}

/// The fix invariants, for every fixture:
/// 1. within each fix the edits are sorted and do not overlap (`ranges_overlap`), and each
///    edit's range lies inside the text, on character boundaries;
/// 2. each fix changes the text, and applied on its own changes nothing outside its edited
///    ranges: the bytes before the first edit, between edits and after the last are the
///    original bytes;
/// 3. applying safe fixes, and separately safe and unsafe fixes, reaches a fixed point
///    without `NotConverged`, and a second fixing pass over the result changes nothing;
/// 4. after safe fixing, for every code that had a safe fix applied, the fixed text has
///    strictly fewer diagnostics of that code than the original, and no new ones: each of
///    its diagnostics (code, severity, message) is one the original text already had;
/// 5. more generally, safe fixing creates no diagnostic of any code that the original text
///    did not have (compared the same way).
#[test]
fn fix_invariants() {
    for_each_fixture("fix invariants", |fixture| {
        check_fix_invariants(&fixture.name, &fixture.text)
    });
}

fn check_fix_invariants(name: &str, text: &str) {
    let original = diagnostics(text);
    for diagnostic in &original {
        let Some(fix) = &diagnostic.fix else { continue };
        let what = format!(
            "{name}: fix of {} “{}”",
            diagnostic.code, diagnostic.message.en
        );
        assert!(!fix.edits.is_empty(), "{what}: has no edits");
        for edit in &fix.edits {
            let (start, end) = (
                usize::from(edit.range.start()),
                usize::from(edit.range.end()),
            );
            assert!(
                end <= text.len(),
                "{what}: edit {start}..{end} ends past the text"
            );
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "{what}: edit {start}..{end} is not on character boundaries"
            );
        }
        for pair in fix.edits.windows(2) {
            assert!(
                pair[0].range.end() <= pair[1].range.start()
                    && !ranges_overlap(pair[0].range, pair[1].range),
                "{what}: edits {:?} and {:?} are unsorted or overlap",
                pair[0].range,
                pair[1].range
            );
        }
        // What the fix should produce, spliced by hand.
        let mut expected = String::new();
        let mut cursor = 0;
        for edit in &fix.edits {
            expected.push_str(&text[cursor..edit.range.start().into()]);
            expected.push_str(&edit.new_text);
            cursor = edit.range.end().into();
        }
        expected.push_str(&text[cursor..]);
        assert_ne!(expected, text, "{what}: changes nothing");
        if fix.applicability == Applicability::DisplayOnly {
            continue;
        }
        let (applied, count) = apply_fixes(
            text,
            std::slice::from_ref(diagnostic),
            FixMode::SafeAndUnsafe,
        );
        assert_eq!(count, 1, "{what}: was not applied on its own");
        assert_eq!(applied, expected, "{what}: applying it touched other bytes");
        let first = usize::from(fix.edits[0].range.start());
        let last = usize::from(fix.edits[fix.edits.len() - 1].range.end());
        assert!(
            applied.starts_with(&text[..first]) && applied.ends_with(&text[last..]),
            "{what}: the text before or after the edits changed"
        );
    }

    for mode in [FixMode::SafeOnly, FixMode::SafeAndUnsafe] {
        let outcome = fix_until_stable(text, mode, diagnostics)
            .unwrap_or_else(|error| panic!("{name}: {mode:?} fixes do not converge: {error:?}"));
        let again = fix_until_stable(&outcome.text, mode, diagnostics)
            .unwrap_or_else(|error| panic!("{name}: {mode:?} second pass: {error:?}"));
        assert_eq!(
            again.fixes_applied, 0,
            "{name}: a second {mode:?} pass applied fixes"
        );
        assert_eq!(
            again.text, outcome.text,
            "{name}: a second {mode:?} pass changed the text"
        );
    }

    // Which codes had a safe fix applied, pass by pass, as `fix_until_stable` applies them.
    let mut fixed_codes = BTreeSet::new();
    let mut current = text.to_string();
    for _ in 0..reportlint::fix::MAX_FIX_PASSES {
        let found = diagnostics(&current);
        let (next, applied) = apply_fixes(&current, &found, FixMode::SafeOnly);
        if applied == 0 || next == current {
            break;
        }
        // apply_fixes takes the allowed fixes that do not overlap one taken before, in order.
        let mut taken: Vec<text_size::TextRange> = Vec::new();
        for diagnostic in &found {
            let Some(fix) = &diagnostic.fix else { continue };
            if fix.applicability != Applicability::Safe
                || fix
                    .edits
                    .iter()
                    .any(|edit| taken.iter().any(|range| ranges_overlap(*range, edit.range)))
            {
                continue;
            }
            taken.extend(fix.edits.iter().map(|edit| edit.range));
            fixed_codes.insert(diagnostic.code);
        }
        current = next;
    }
    let before = keys(&original);
    let after_diagnostics = diagnostics(&current);
    let after = keys(&after_diagnostics);
    for code in &fixed_codes {
        let count = |diagnostics: &[Diagnostic]| {
            diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.code == *code)
                .count()
        };
        assert!(
            count(&after_diagnostics) < count(&original),
            "{name}: safe fixes of {code} did not reduce its diagnostics ({} before, {} after)",
            count(&original),
            count(&after_diagnostics)
        );
    }
    let new: Vec<_> = after
        .iter()
        .filter(|(key, &count)| before.get(*key).copied().unwrap_or(0) < count)
        .map(|(key, _)| key)
        .collect();
    assert!(
        new.is_empty(),
        "{name}: safe fixes created diagnostics the original did not have: {new:#?}"
    );
}
