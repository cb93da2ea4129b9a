//! The `check` and `rule` commands: per-file reading, linting, fixing and atomic writing,
//! in parallel, then rendering in the order the files were given. Invariant: a file is
//! written only when fixing converged and the new text encodes back into the file's own
//! encoding; the write goes to a temporary file in the same folder and is renamed over.

use super::encoding::{decode_owned, encode, Decoded};
use super::files::{collect, Input, EXTENSIONS};
use super::read::{read_file, read_stdin, ReadError, Snapshot};
use super::render::{
    render_github, render_json, render_sarif, render_text, FileResult, TextOptions,
};
use super::write::{install_signal_cleanup, replace};
use super::{language, CheckArgs, Format};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Lang, Message};
use crate::fix::{fix_until_stable, FixMode};
use crate::lint::{lint, Checked, LintOptions, LintResult};
use crate::profile::builtin;
use crate::rules::{codes, find, RULES};
use crate::workspace::{load_config, profile_for, FoundConfig, Workspace};
use rayon::prelude::*;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The size of the buffer the report is written through.
const OUTPUT_BUFFER: usize = 64 * 1024;

/// What became of one input.
struct Outcome {
    path: String,
    profile: String,
    profile_reason: Message,
    checked: Checked,
    /// The file holds nothing but whitespace: nothing was checked in it.
    empty: bool,
    text: String,
    diagnostics: Vec<Diagnostic>,
    fixed: usize,
    diff: Option<String>,
    error: Option<String>,
    /// The file was checked, but its fix was not written (it changed meanwhile, is
    /// read-only, …): the findings are those of the file as it stays, and the run exits 2.
    refused: Option<String>,
}

impl Outcome {
    fn failed(path: String, error: String) -> Outcome {
        Outcome {
            path,
            profile: String::new(),
            profile_reason: Message::new(String::new(), String::new()),
            checked: Checked::default(),
            empty: false,
            text: String::new(),
            diagnostics: Vec::new(),
            fixed: 0,
            diff: None,
            error: Some(error),
            refused: None,
        }
    }

    /// A file checked as `result` says, `text` being the text its ranges point into.
    fn checked(path: String, result: LintResult, text: String) -> Outcome {
        Outcome {
            path,
            profile: result.profile,
            profile_reason: result.profile_reason,
            checked: result.checked,
            empty: false,
            // The renderers read the text only where a finding points: a clean file's text
            // is dropped now, not held until every file is checked.
            text: if result.diagnostics.is_empty() {
                String::new()
            } else {
                text
            },
            diagnostics: result.diagnostics,
            fixed: 0,
            diff: None,
            error: None,
            refused: None,
        }
    }
}

pub fn check(args: &CheckArgs) -> ExitCode {
    let mut lang = language(args.lang);
    if let Some(unknown) = args
        .select
        .iter()
        .flatten()
        .chain(&args.ignore)
        .find(|name| find(name).is_none())
    {
        eprintln!(
            "reportlint: unknown rule \"{unknown}\" in --select/--ignore; valid rules: {}",
            codes().join(", ")
        );
        return ExitCode::from(2);
    }
    let forced_config = match &args.config {
        Some(path) => match load_config(path) {
            Ok(loaded) => Some(loaded),
            Err(message) => {
                eprintln!("reportlint: {message}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let inputs = collect(&paths, args.stdin_filename.as_deref());
    if inputs.is_empty() {
        // Only folders can expand to nothing: every other path is an input of its own.
        let given: Vec<String> = paths
            .iter()
            .map(|path| path.display().to_string())
            .collect();
        let looked_for: Vec<String> = EXTENSIONS
            .iter()
            .map(|extension| format!("*.{extension}"))
            .collect();
        let message = format!(
            "no report files in {} (looked for {}); name a file or a folder that holds reports",
            given.join(", "),
            looked_for.join(", ")
        );
        return nothing_checked(args, lang, &[message]);
    }

    // Configurations are found and loaded once per file, before the parallel part.
    let mut workspace = Workspace::new(forced_config);
    let mut jobs: Vec<(Input, FoundConfig)> = Vec::new();
    for input in inputs {
        // The configuration of a file's folder; stdin uses its --stdin-filename's folder.
        let config_for = match &input {
            Input::File(path) => path.clone(),
            Input::Stdin { name } => name.clone().unwrap_or_else(|| PathBuf::from("stdin")),
        };
        let config = workspace.config_for(&config_for);
        if let (Input::File(path), Some(Ok(config))) = (&input, &config) {
            if config.excludes(path) {
                tracing::debug!(path = %path.display(), "excluded by configuration");
                continue;
            }
        }
        jobs.push((input, config));
    }
    if let Some(name) = args
        .profile
        .as_deref()
        .filter(|name| *name != "auto" && builtin(name).is_none())
    {
        let custom = jobs.iter().any(|(_, config)| {
            config
                .as_ref()
                .and_then(|config| config.as_ref().ok())
                .and_then(|config| config.custom_profile.as_ref())
                .is_some_and(|profile| profile.name == name)
        });
        if !custom {
            eprintln!(
                "reportlint: unknown profile \"{name}\" in --profile; use auto, {}, or the name of the profile in a profile-file of reportlint.toml",
                crate::profile::BUILTIN_NAMES.join(", ")
            );
            return ExitCode::from(2);
        }
    }
    if args.lang.is_none() {
        // The configuration's language applies when the command line does not choose one.
        if let Some(configured) = jobs
            .iter()
            .find_map(|(_, config)| config.as_ref()?.as_ref().ok()?.config.lang)
        {
            lang = configured;
        }
    }
    let writes_files = (args.fix || args.unsafe_fixes)
        && !args.diff
        && jobs
            .iter()
            .any(|(input, _)| matches!(input, Input::File(_)));
    if writes_files {
        // Without it, a signal while a fixed copy is being written leaves that copy behind.
        if let Err(error) = install_signal_cleanup() {
            tracing::warn!("cannot watch for SIGINT/SIGTERM ({error}); an interrupted --fix may leave a .reportlint-*.tmp file");
        }
    }
    let outcomes: Vec<Outcome> = jobs
        .into_par_iter()
        .map(|(input, config)| check_one(args, input, config))
        .collect();

    let mut failures: Vec<String> = Vec::new();
    for outcome in &outcomes {
        if let Some(error) = outcome.error.as_ref().or(outcome.refused.as_ref()) {
            eprintln!("reportlint: {error}");
            failures.push(error.clone());
        } else if outcome.empty {
            // Not a failure of the tool, but never a silent pass either.
            eprintln!(
                "reportlint: {}: the file is empty or holds only whitespace; nothing in it was checked",
                outcome.path
            );
        }
    }
    let failed = !failures.is_empty();
    let checked: Vec<&Outcome> = outcomes
        .iter()
        .filter(|outcome| outcome.error.is_none() && !outcome.empty)
        .collect();
    if checked.is_empty() && !outcomes.is_empty() {
        let empty: Vec<&str> = outcomes
            .iter()
            .filter(|outcome| outcome.empty)
            .map(|outcome| outcome.path.as_str())
            .collect();
        let message = if empty.len() == outcomes.len() {
            format!(
                "no readable report among the inputs: {} {} empty or only whitespace; name a file that holds a report",
                empty.join(", "),
                if empty.len() == 1 { "is" } else { "are" }
            )
        } else {
            format!(
                "no readable report among the {} given; nothing was checked",
                count_files(outcomes.len())
            )
        };
        failures.push(message);
        return nothing_checked(args, lang, &failures);
    }
    if outcomes.is_empty() {
        eprintln!(
            "reportlint: every report file given is excluded by the configuration (exclude in reportlint.toml); nothing was checked"
        );
    }
    // When fixed stdin text goes to stdout, the report goes to stderr.
    let fixing_stdin = (args.fix || args.unsafe_fixes)
        && !args.diff
        && paths.iter().any(|path| path.as_os_str() == "-");
    // Buffered: stdout is line-buffered and stderr not at all, so a large JSON or SARIF
    // report was one write call per line (a quarter of `check` on big.md).
    let sink: Box<dyn Write> = if fixing_stdin {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, sink);
    let rendered = if args.diff {
        checked
            .iter()
            .filter_map(|outcome| outcome.diff.as_deref())
            .try_for_each(|diff| out.write_all(diff.as_bytes()))
    } else {
        let results: Vec<FileResult> = checked
            .iter()
            .map(|outcome| FileResult {
                path: &outcome.path,
                profile: &outcome.profile,
                profile_reason: &outcome.profile_reason.en,
                profile_reason_zh: &outcome.profile_reason.zh,
                checked: outcome.checked,
                text: &outcome.text,
                diagnostics: &outcome.diagnostics,
            })
            .collect();
        let metas: Vec<_> = RULES.iter().map(|rule| rule.meta).collect();
        match args.format {
            Format::Text => render_text(
                &mut out,
                &results,
                lang,
                TextOptions {
                    color: use_color(),
                    verbose: args.verbose,
                },
            ),
            Format::Json => render_json(&mut out, &results, lang),
            Format::Sarif => render_sarif(&mut out, &results, lang, &metas, &failures),
            Format::Github => render_github(&mut out, &results, lang),
        }
    };
    if let Err(error) = rendered.and_then(|()| out.flush()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("reportlint: cannot write the output: {error}");
            return ExitCode::from(2);
        }
    }
    let fixed: usize = outcomes.iter().map(|outcome| outcome.fixed).sum();
    if (args.fix || args.unsafe_fixes) && !args.diff {
        let files = outcomes.iter().filter(|outcome| outcome.fixed > 0).count();
        match lang {
            Lang::En => eprintln!(
                "Fixed {fixed} problem{} in {files} file{}.",
                plural(fixed),
                plural(files)
            ),
            Lang::Zh => eprintln!("已修复 {files} 个文件中的 {fixed} 处问题。"),
        }
    }
    if failed {
        return ExitCode::from(2);
    }
    if args.diff {
        return ExitCode::from(u8::from(
            checked.iter().any(|outcome| outcome.diff.is_some()),
        ));
    }
    let threshold = args.fail_on.threshold();
    let over = checked
        .iter()
        .flat_map(|outcome| &outcome.diagnostics)
        .any(|diagnostic| diagnostic.severity >= threshold);
    ExitCode::from(u8::from(over))
}

/// Ends a run in which no report was checked: the last of `failures` says why on stderr
/// (the others are already there). The document formats still print a valid, empty
/// document, because their consumers parse stdout whatever the exit code (`jq`, a SARIF
/// upload after `|| true`); text and GitHub print nothing that could read as a pass. Exit 2.
fn nothing_checked(args: &CheckArgs, lang: Lang, failures: &[String]) -> ExitCode {
    if let Some(message) = failures.last() {
        eprintln!("reportlint: {message}");
    }
    let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, std::io::stdout().lock());
    let metas: Vec<_> = RULES.iter().map(|rule| rule.meta).collect();
    let rendered = match args.format {
        Format::Json if !args.diff => render_json(&mut out, &[], lang),
        Format::Sarif if !args.diff => render_sarif(&mut out, &[], lang, &metas, failures),
        _ => Ok(()),
    };
    if let Err(error) = rendered.and_then(|()| out.flush()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("reportlint: cannot write the output: {error}");
        }
    }
    ExitCode::from(2)
}

/// `1 file`, `3 files`.
fn count_files(count: usize) -> String {
    format!("{count} file{}", plural(count))
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (to anything non-empty).
fn use_color() -> bool {
    std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

fn check_one(args: &CheckArgs, input: Input, config: FoundConfig) -> Outcome {
    let display = match &input {
        Input::File(path) => path.display().to_string(),
        Input::Stdin { name: Some(name) } => name.display().to_string(),
        Input::Stdin { name: None } => "-".to_string(),
    };
    let config = match config.transpose() {
        Ok(config) => config,
        Err(message) => return Outcome::failed(display, message),
    };
    let profile = match profile_for(args.profile.as_deref(), config.as_deref()) {
        Ok(profile) => profile,
        Err(message) => return Outcome::failed(display, message),
    };
    let writes = (args.fix || args.unsafe_fixes) && !args.diff;
    let (bytes, snapshot) = match read_input(&input, writes) {
        Ok(read) => read,
        Err(error) => return Outcome::failed(display.clone(), format!("{display}: {error}")),
    };
    let decoded = match decode_owned(bytes, args.encoding.as_deref()) {
        Ok(decoded) => decoded,
        Err(error) => return Outcome::failed(display.clone(), format!("{display}: {error}")),
    };
    if decoded.text.chars().all(crate::text::is_space) {
        // Fixing stdin echoes its text whatever it holds: a filter must not swallow input.
        if matches!(input, Input::Stdin { .. }) && writes {
            if let Err(message) =
                write_back(&input, &display, &decoded.text, &decoded, snapshot.as_ref())
            {
                return Outcome::failed(display, message);
            }
        }
        return Outcome {
            empty: true,
            error: None,
            ..Outcome::failed(display, String::new())
        };
    }
    let options = LintOptions {
        profile: profile.as_deref(),
        config: config.as_ref().map(|loaded| &loaded.config),
        select: args.select.as_deref(),
        ignore: &args.ignore,
    };
    // What the file holds, analysed once; its findings are what is reported.
    let analysed = |text: String| {
        let (text, result) =
            Analysis::of_text(text, profile.clone(), &options).into_text_and_result();
        Outcome::checked(display.clone(), result, text)
    };
    let wants_fix = args.fix || args.unsafe_fixes || args.diff;
    if !wants_fix {
        return analysed(decoded.text);
    }
    let mode = if args.unsafe_fixes {
        FixMode::SafeAndUnsafe
    } else {
        FixMode::SafeOnly
    };
    // The fixer's last pass checks the very text it returns: that check is the file's
    // result (so a file with nothing to fix is checked once, not twice).
    let mut last_check = None;
    let fixed = match fix_until_stable(&decoded.text, mode, |text| {
        let result = lint(text, &options);
        let diagnostics = result.diagnostics.clone();
        last_check = Some(result);
        diagnostics
    }) {
        Ok(fixed) => fixed,
        Err(not_converged) => {
            return Outcome::failed(
                display.clone(),
                format!("{display}: fixes did not settle after {} passes; nothing was written. Please report this with the file.", not_converged.passes),
            )
        }
    };
    let changed = fixed.text != decoded.text;
    let mut diff = None;
    if args.diff {
        if changed {
            diff = Some(unified_diff(&display, &decoded.text, &fixed.text));
        }
    } else if changed || matches!(input, Input::Stdin { .. }) {
        // Fixing stdin always echoes the text: a filter must not swallow its input.
        if let Err(message) = write_back(&input, &display, &fixed.text, &decoded, snapshot.as_ref())
        {
            // What stays on disk is the text that was read: its findings are the true ones.
            return Outcome {
                refused: Some(message),
                ..analysed(decoded.text)
            };
        }
    }
    let fixed_count = if args.diff { 0 } else { fixed.fixes_applied };
    let result = last_check.unwrap_or_else(|| lint(&fixed.text, &options));
    Outcome {
        fixed: fixed_count,
        diff,
        ..Outcome::checked(display, result, fixed.text)
    }
}

/// Reads an input whole, up to `MAX_INPUT_BYTES`; a file also gives what it was when read,
/// for `write::replace` to compare with just before it writes.
fn read_input(input: &Input, for_fix: bool) -> Result<(Vec<u8>, Option<Snapshot>), ReadError> {
    match input {
        Input::File(path) => {
            read_file(path, for_fix).map(|(bytes, snapshot)| (bytes, Some(snapshot)))
        }
        Input::Stdin { .. } => read_stdin().map(|bytes| (bytes, None)),
    }
}

/// Writes fixed text back in the file's own encoding: stdin goes to stdout; a file is
/// replaced by `write::replace`, which refuses when the file changed since it was read.
fn write_back(
    input: &Input,
    display: &str,
    text: &str,
    decoded: &Decoded,
    snapshot: Option<&Snapshot>,
) -> Result<(), String> {
    let bytes = encode(text, decoded)
        .map_err(|error| format!("{display}: {error}; nothing was written"))?;
    match (input, snapshot) {
        (Input::File(path), Some(snapshot)) => {
            replace(path, snapshot, &bytes).map_err(|message| format!("{display}: {message}"))
        }
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(|error| format!("cannot write the fixed text: {error}"))
        }
    }
}

fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// `reportlint rule [NAME]`.
pub fn rule(name: Option<&str>, json: bool) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match name {
        None if json => {
            let list: Vec<serde_json::Value> = RULES
                .iter()
                .map(|rule| serde_json::json!({"code": rule.meta.code, "severity": rule.meta.default_severity.as_str(), "summary": rule.meta.summary}))
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            )
        }
        None => RULES.iter().try_for_each(|rule| {
            writeln!(
                out,
                "{:<18} {:<8} {}",
                rule.meta.code,
                rule.meta.default_severity.as_str(),
                rule.meta.summary
            )
        }),
        Some(name) => match find(name) {
            Some(meta) if json => writeln!(
                out,
                "{}",
                serde_json::json!({"code": meta.code, "severity": meta.default_severity.as_str(), "summary": meta.summary, "docs": meta.docs})
            ),
            Some(meta) => write!(
                out,
                "{}\nDefault severity: {}\n",
                meta.docs,
                meta.default_severity.as_str()
            ),
            None => {
                eprintln!(
                    "reportlint: unknown rule \"{name}\"; valid rules: {}",
                    codes().join(", ")
                );
                return ExitCode::from(2);
            }
        },
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("reportlint: cannot write the output: {error}");
            ExitCode::from(2)
        }
    }
}
