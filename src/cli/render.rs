//! Rendering: turns diagnostics, which point at byte ranges, into what people and machines
//! read — plain or coloured text for terminals, a stable JSON document, SARIF for code
//! scanning, and GitHub workflow commands for pull-request annotations.
//!
//! This is the only place in the command-line shell where byte offsets become lines and
//! columns, so every format agrees on where a finding is. Invariant: lines and columns are
//! 1-based, columns count Unicode characters (`char`s, i.e. code points), and end positions
//! are exclusive; lines are counted by `crate::line_index` (`\n`, `\r\n` and a lone `\r`
//! end a line, as editors count them). Display columns (how wide text is on a
//! terminal) are used only to place carets under source lines and never leave this module.

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::fix::Fix;
use crate::line_index::{floor_char_boundary, LineIndex, Position};
use crate::lint::Checked;
use crate::rules::RuleMeta;
use serde::Serialize;
use std::io::{self, Write};
use text_size::TextRange;
use unicode_width::UnicodeWidthStr;

/// One checked file and everything found in it, as the renderers need it.
#[derive(Debug, Clone, Copy)]
pub struct FileResult<'a> {
    /// The path as the user gave it; printed unchanged except where a format demands a URI.
    pub path: &'a str,
    /// The name of the profile the file was checked against, e.g. `gov-2019`.
    pub profile: &'a str,
    /// Why that profile, e.g. `title year 2023` (the words of JSON and SARIF).
    pub profile_reason: &'a str,
    /// The same in Chinese, for `--verbose --lang zh`.
    pub profile_reason_zh: &'a str,
    /// What the engine read and checked in the file.
    pub checked: Checked,
    /// The exact text the diagnostics' byte ranges point into.
    pub text: &'a str,
    /// The findings, in the order they are to be printed (the caller sorts them).
    pub diagnostics: &'a [Diagnostic],
}

/// How many files were checked and how many findings of each severity they had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// The number of files checked, including those with no findings.
    pub files: usize,
    /// The number of error diagnostics.
    pub errors: usize,
    /// The number of warning diagnostics.
    pub warnings: usize,
    /// The number of info diagnostics.
    pub infos: usize,
}

impl Summary {
    /// Counts the files and the diagnostics of each severity.
    pub fn of(files: &[FileResult]) -> Summary {
        let mut summary = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for diagnostic in files.iter().flat_map(|file| file.diagnostics) {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }

    /// Every diagnostic, whatever its severity.
    fn findings(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// A range as two positions, the end exclusive; the shape every structured format uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Span {
    start: Position,
    end: Position,
}

impl Span {
    fn of(index: &LineIndex, text: &str, range: TextRange) -> Span {
        Span {
            start: index.position(text, range.start().into()),
            end: index.position(text, range.end().into()),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------

/// ANSI styles. Kept as plain escape codes because the output needs only four styles and
/// the caller has already decided, from the terminal and `NO_COLOR`, whether to use them.
const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[34m",
    }
}

/// Wraps `text` in `style` when colour is on; otherwise returns it unchanged, so that
/// uncoloured output never contains an escape byte.
fn paint(text: &str, style: &str, color: bool) -> String {
    if color {
        format!("{style}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// How many spaces a tab becomes, in the shown source line and in the caret computation
/// alike, so carets stay under the characters they mark.
const TAB_WIDTH: usize = 4;

/// The source text as it is shown on a terminal: tabs become spaces, and other control
/// characters become U+FFFD so that a stray escape or carriage return in a draft can
/// neither restyle the terminal nor move the cursor and misplace the carets.
fn displayed(source: &str) -> String {
    let mut shown = String::with_capacity(source.len());
    for character in source.chars() {
        match character {
            '\t' => shown.extend(std::iter::repeat_n(' ', TAB_WIDTH)),
            c if c.is_control() => shown.push('\u{FFFD}'),
            c => shown.push(c),
        }
    }
    shown
}

/// The terminal width of source text once displayed. Ambiguous-width characters count as
/// one column, as most terminals draw them; CJK ideographs and most emoji count as two.
fn display_width(source: &str) -> usize {
    displayed(source).width()
}

/// How text output is laid out, beyond the language.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colour (the caller decides from the terminal and `NO_COLOR`).
    pub color: bool,
    /// One line per file naming its profile and why, before the file's diagnostics.
    pub verbose: bool,
}

/// Renders diagnostics for people: a header, the source line, carets under the range,
/// related notes and the fix title, then what was checked and a one-line summary in the
/// chosen language. Keywords such as `error`, `note` and `fix` stay English in both
/// languages because editors' problem matchers and people's `grep`s look for them.
///
/// # Errors
///
/// Fails only when writing to `out` fails.
pub fn render_text(
    out: &mut dyn Write,
    files: &[FileResult],
    lang: Lang,
    options: TextOptions,
) -> io::Result<()> {
    let color = options.color;
    for file in files {
        if options.verbose {
            writeln!(out, "{}", profile_line(file, lang))?;
        }
        let index = LineIndex::new(file.text);
        for diagnostic in file.diagnostics {
            write_text_diagnostic(out, file, &index, diagnostic, lang, color)?;
        }
    }
    if files.is_empty() {
        let nothing = match lang {
            Lang::En => "No file was checked.",
            Lang::Zh => "未检查任何文件。",
        };
        return writeln!(out, "{nothing}");
    }
    writeln!(out, "{}", checked_line(files, lang))?;
    // A pass is claimed only when something was checked, and never over a file whose
    // profile wanted tables in which no total was found (its rules may be switched off).
    let unchecked_files = if files.iter().all(|file| file.checked.nothing()) {
        files.len()
    } else {
        files.iter().filter(|file| file.checked.missed()).count()
    };
    writeln!(
        out,
        "{}",
        summary_line(&Summary::of(files), unchecked_files, lang)
    )
}

/// `path: profile gov-2021 (title year 2023)`, the `--verbose` line of one file.
fn profile_line(file: &FileResult, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{}: profile {} ({})",
            file.path, file.profile, file.profile_reason
        ),
        Lang::Zh => format!(
            "{}：按 {} 格式检查（{}）",
            file.path, file.profile, file.profile_reason_zh
        ),
    }
}

/// How many files names are listed before "and N more".
const LISTED_FILES: usize = 3;

/// What was checked, over all files: `Checked 1 file (gov-2019): 3 tables, 57 totals
/// checked; 2 totals could not be checked (blank, non-numeric or mixed-unit cells).` Files in which no
/// total was found are named, so that a report the engine could not read never hides
/// behind the others; when no file had one, the line says nothing was checked.
fn checked_line(files: &[FileResult], lang: Lang) -> String {
    let mut profiles: Vec<&str> = files.iter().map(|file| file.profile).collect();
    profiles.sort_unstable();
    profiles.dedup();
    let profiles = profiles.join(", ");
    let count = files.len();
    let sum = |part: fn(&Checked) -> usize| -> usize {
        files.iter().map(|file| part(&file.checked)).sum()
    };
    let tables = sum(|checked| checked.tables);
    let totals = sum(|checked| checked.totals);
    let unchecked = sum(|checked| checked.unchecked_totals);
    let empty: Vec<&str> = files
        .iter()
        .filter(|file| file.checked.nothing())
        .map(|file| file.path)
        .collect();
    let listed = |separator: &str, more: &dyn Fn(usize) -> String| {
        let mut names = empty[..empty.len().min(LISTED_FILES)].join(separator);
        if empty.len() > LISTED_FILES {
            names.push_str(&more(empty.len() - LISTED_FILES));
        }
        names
    };
    match lang {
        Lang::En => {
            let head = format!("Checked {} ({profiles})", count_en(count, "file"));
            if empty.len() == count {
                let found = if tables == 0 {
                    "no table was found".to_string()
                } else {
                    format!("{} but no total was found", count_en(tables, "table"))
                };
                return format!("{head}: {found}, so nothing was checked.");
            }
            let mut line = format!(
                "{head}: {}, {} checked",
                count_en(tables, "table"),
                count_en(totals, "total")
            );
            if unchecked > 0 {
                line.push_str(&format!(
                    "; {} could not be checked (blank, non-numeric or mixed-unit cells)",
                    count_en(unchecked, "total")
                ));
            }
            if !empty.is_empty() {
                let names = listed(", ", &|more| format!(" and {more} more"));
                line.push_str(&format!("; nothing was checked in {names}"));
            }
            line.push('.');
            line
        }
        Lang::Zh => {
            let head = format!("已检查 {count} 个文件（{profiles}）");
            if empty.len() == count {
                let found = if tables == 0 {
                    "没有找到表格".to_string()
                } else {
                    format!("{tables} 张表，但没有找到合计")
                };
                return format!("{head}：{found}，未核对任何内容。");
            }
            let mut line = format!("{head}：{tables} 张表，核对了 {totals} 处合计");
            if unchecked > 0 {
                line.push_str(&format!(
                    "；{unchecked} 处合计无法核对（有空白、非数字或单位不一的单元格）"
                ));
            }
            if !empty.is_empty() {
                let names = listed("、", &|more| format!(" 等 {} 个文件", more + LISTED_FILES));
                line.push_str(&format!("；{names} 中未核对任何内容"));
            }
            line.push('。');
            line
        }
    }
}

fn write_text_diagnostic(
    out: &mut dyn Write,
    file: &FileResult,
    index: &LineIndex,
    diagnostic: &Diagnostic,
    lang: Lang,
    color: bool,
) -> io::Result<()> {
    let text = file.text;
    let start = index.position(text, diagnostic.range.start().into());
    let style = severity_style(diagnostic.severity);
    let location = format!("{}:{}:{}:", file.path, start.line, start.column);
    writeln!(
        out,
        "{} {} {}",
        paint(&location, BOLD, color),
        paint(
            &format!("{}[{}]", diagnostic.severity.as_str(), diagnostic.code),
            style,
            color
        ),
        diagnostic.message.get(lang),
    )?;

    let (pad, carets) = caret_columns(index, text, diagnostic.range);
    let source = index.line_text(text, start.line);
    let number = start.line.to_string();
    let gutter = " ".repeat(number.len());
    if source.is_empty() {
        writeln!(out, " {number} |")?;
    } else {
        writeln!(out, " {number} | {}", displayed(source))?;
    }
    writeln!(
        out,
        " {gutter} | {}{}",
        " ".repeat(pad),
        paint(&"^".repeat(carets), style, color)
    )?;

    for related in &diagnostic.related {
        let at = index.position(text, related.range.start().into());
        writeln!(
            out,
            "  = note: {}:{}:{}: {}",
            file.path,
            at.line,
            at.column,
            related.message.get(lang)
        )?;
    }
    if let Some(fix) = &diagnostic.fix {
        writeln!(
            out,
            "  = fix ({}): {}",
            fix.applicability.as_str(),
            fix.title.get(lang)
        )?;
    }
    writeln!(out)
}

/// Where the carets for `range` go on the range's first line: how many display columns
/// of padding come first, and how many carets follow. A range that continues onto later
/// lines is underlined to the end of its first line, and a range that covers nothing
/// visible (empty, or at a line's end) still gets one caret so the spot can be seen.
fn caret_columns(index: &LineIndex, text: &str, range: TextRange) -> (usize, usize) {
    let start = floor_char_boundary(text, range.start().into());
    let end = floor_char_boundary(text, range.end().into()).max(start);
    let line = index.line_of(start);
    let (line_start, content_end) = index.line_bounds(text, line);
    let first = &text[line_start..content_end];
    let start_in_line = start.min(content_end) - line_start;
    let end_in_line = end.min(content_end) - line_start;
    let pad = display_width(&first[..start_in_line]);
    let until = display_width(&first[..end_in_line]);
    (pad, until.saturating_sub(pad).max(1))
}

/// The closing line of text output, in the chosen language. With no findings it claims
/// success only when `unchecked_files`, the files in which nothing was checked that should
/// have been, is zero.
fn summary_line(summary: &Summary, unchecked_files: usize, lang: Lang) -> String {
    let everything = unchecked_files == summary.files;
    match (lang, summary.findings()) {
        (Lang::En, 0) if unchecked_files > 0 && everything => format!(
            "No problems found, but nothing was checked ({}).",
            count_en(summary.files, "file")
        ),
        (Lang::Zh, 0) if unchecked_files > 0 && everything => {
            format!("未发现问题，但未核对任何内容（{} 个文件）。", summary.files)
        }
        (Lang::En, 0) if unchecked_files > 0 => format!(
            "No problems found ({}), but nothing was checked in {unchecked_files} of them.",
            count_en(summary.files, "file")
        ),
        (Lang::Zh, 0) if unchecked_files > 0 => format!(
            "未发现问题（{} 个文件），但其中 {unchecked_files} 个文件未核对任何内容。",
            summary.files
        ),
        (Lang::En, 0) => format!("All checks passed ({}).", count_en(summary.files, "file")),
        (Lang::Zh, 0) => format!("检查通过（{} 个文件）。", summary.files),
        (Lang::En, _) => format!(
            "Found {}, {} and {} in {}.",
            count_en(summary.errors, "error"),
            count_en(summary.warnings, "warning"),
            count_en(summary.infos, "info"),
            count_en(summary.files, "file"),
        ),
        (Lang::Zh, _) => format!(
            "共检查 {} 个文件：{} 个错误，{} 个警告，{} 条提示。",
            summary.files, summary.errors, summary.warnings, summary.infos
        ),
    }
}

/// `1 error`, `2 errors`, `0 errors`: English plural by adding `s`, which all our nouns take.
fn count_en(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

// ---------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------

/// The version of the JSON contract; raised only when a key changes meaning or goes away.
const JSON_VERSION: u32 = 1;

// The JSON contract is written as structs because serde serialises struct fields in
// declaration order, which keeps the documented key order stable for consumers that diff
// or snapshot the output; a `json!` map would sort its keys.

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    profile: &'a str,
    profile_reason: &'a str,
    checked: JsonChecked,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// What the engine read and checked in one file; the same counts as `lint::Checked`.
#[derive(Serialize)]
struct JsonChecked {
    tables: usize,
    template_tables: usize,
    totals: usize,
    unchecked_totals: usize,
}

impl From<Checked> for JsonChecked {
    fn from(checked: Checked) -> JsonChecked {
        JsonChecked {
            tables: checked.tables,
            template_tables: checked.template_tables,
            totals: checked.totals,
            unchecked_totals: checked.unchecked_totals,
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    range: Span,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    range: Span,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    range: Span,
    new_text: &'a str,
}

/// Renders the stable JSON contract (version 1): one pretty-printed document with
/// 2-space indentation and a final newline, messages in the chosen language, and `fix`
/// present as `null` when a diagnostic has none so consumers need not test for the key.
///
/// # Errors
///
/// Fails only when writing to `out` fails.
pub fn render_json(out: &mut dyn Write, files: &[FileResult], lang: Lang) -> io::Result<()> {
    let report = JsonReport {
        version: JSON_VERSION,
        files: files.iter().map(|file| json_file(file, lang)).collect(),
        summary: Summary::of(files),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

fn json_file<'a>(file: &FileResult<'a>, lang: Lang) -> JsonFile<'a> {
    let index = LineIndex::new(file.text);
    let text = file.text;
    let diagnostics = file
        .diagnostics
        .iter()
        .map(|diagnostic| JsonDiagnostic {
            code: diagnostic.code,
            severity: diagnostic.severity.as_str(),
            message: diagnostic.message.get(lang),
            range: Span::of(&index, text, diagnostic.range),
            related: diagnostic
                .related
                .iter()
                .map(|related| JsonRelated {
                    message: related.message.get(lang),
                    range: Span::of(&index, text, related.range),
                })
                .collect(),
            fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                title: fix.title.get(lang),
                applicability: fix.applicability.as_str(),
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| JsonEdit {
                        range: Span::of(&index, text, edit.range),
                        new_text: &edit.new_text,
                    })
                    .collect(),
            }),
        })
        .collect();
    JsonFile {
        path: file.path,
        profile: file.profile,
        profile_reason: file.profile_reason,
        checked: file.checked.into(),
        diagnostics,
    }
}

// ---------------------------------------------------------------------------------------
// SARIF
// ---------------------------------------------------------------------------------------

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<SarifRun<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: SarifTool<'a>,
    invocations: Vec<SarifInvocation<'a>>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: SarifRunProperties<'a>,
}

/// Whether the run did its job; a file that could not be read, or no report at all, makes
/// it unsuccessful and is said in a notification, as SARIF viewers expect.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifInvocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<SarifNotification<'a>>,
}

#[derive(Serialize)]
struct SarifNotification<'a> {
    level: &'static str,
    message: SarifText<'a>,
}

/// The run's property bag: per file, the profile it was checked against and why, and what
/// was checked, so that a scan that checked nothing can be told from a clean one.
#[derive(Serialize)]
struct SarifRunProperties<'a> {
    files: Vec<SarifFileProperties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFileProperties<'a> {
    uri: String,
    profile: &'a str,
    profile_reason: &'a str,
    checked: SarifChecked,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifChecked {
    tables: usize,
    template_tables: usize,
    totals: usize,
    unchecked_totals: usize,
}

#[derive(Serialize)]
struct SarifTool<'a> {
    driver: SarifDriver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifDriver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<SarifRule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule<'a> {
    id: &'a str,
    short_description: SarifText<'a>,
    full_description: SarifText<'a>,
    default_configuration: SarifConfiguration,
}

#[derive(Serialize)]
struct SarifConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct SarifText<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: SarifText<'a>,
    locations: Vec<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: SarifPhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<SarifText<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysicalLocation {
    artifact_location: SarifArtifactLocation,
    region: SarifRegion,
}

#[derive(Serialize, Clone)]
struct SarifArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

impl SarifRegion {
    fn of(index: &LineIndex, text: &str, range: TextRange) -> SarifRegion {
        let span = Span::of(index, text, range);
        SarifRegion {
            start_line: span.start.line,
            start_column: span.start.column,
            end_line: span.end.line,
            end_column: span.end.column,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: SarifText<'a>,
    artifact_changes: Vec<SarifArtifactChange<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifArtifactChange<'a> {
    artifact_location: SarifArtifactLocation,
    replacements: Vec<SarifReplacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifReplacement<'a> {
    deleted_region: SarifRegion,
    inserted_content: SarifText<'a>,
}

/// SARIF has no `info` level; `note` is its level for findings that are not problems.
fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Renders a SARIF 2.1.0 log with one run, for code-scanning services. Columns are
/// declared as `unicodeCodePoints`, which is exactly how [`Position`] counts, so regions
/// need no conversion. `rules` becomes the driver's rule table, and each result points
/// into it by `ruleIndex` when its code is listed there. `failures` are the tool's own
/// errors (an unreadable file, no report to check): they make the invocation unsuccessful.
///
/// # Errors
///
/// Fails only when writing to `out` fails.
pub fn render_sarif(
    out: &mut dyn Write,
    files: &[FileResult],
    lang: Lang,
    rules: &[RuleMeta],
    failures: &[String],
) -> io::Result<()> {
    let driver = SarifDriver {
        name: "reportlint",
        version: env!("CARGO_PKG_VERSION"),
        information_uri: env!("CARGO_PKG_REPOSITORY"),
        rules: rules
            .iter()
            .map(|rule| SarifRule {
                id: rule.code,
                short_description: SarifText { text: rule.summary },
                full_description: SarifText { text: rule.docs },
                default_configuration: SarifConfiguration {
                    level: sarif_level(rule.default_severity),
                },
            })
            .collect(),
    };
    let mut results = Vec::new();
    for file in files {
        let index = LineIndex::new(file.text);
        let artifact = SarifArtifactLocation {
            uri: path_to_uri(file.path),
        };
        for diagnostic in file.diagnostics {
            results.push(sarif_result(
                file, &index, &artifact, diagnostic, lang, rules,
            ));
        }
    }
    let log = SarifLog {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: vec![SarifRun {
            tool: SarifTool { driver },
            invocations: vec![SarifInvocation {
                execution_successful: failures.is_empty(),
                tool_execution_notifications: failures
                    .iter()
                    .map(|failure| SarifNotification {
                        level: "error",
                        message: SarifText { text: failure },
                    })
                    .collect(),
            }],
            column_kind: "unicodeCodePoints",
            results,
            properties: SarifRunProperties {
                files: files
                    .iter()
                    .map(|file| SarifFileProperties {
                        uri: path_to_uri(file.path),
                        profile: file.profile,
                        profile_reason: file.profile_reason,
                        checked: SarifChecked {
                            tables: file.checked.tables,
                            template_tables: file.checked.template_tables,
                            totals: file.checked.totals,
                            unchecked_totals: file.checked.unchecked_totals,
                        },
                    })
                    .collect(),
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn sarif_result<'a>(
    file: &FileResult<'a>,
    index: &LineIndex,
    artifact: &SarifArtifactLocation,
    diagnostic: &'a Diagnostic,
    lang: Lang,
    rules: &[RuleMeta],
) -> SarifResult<'a> {
    let text = file.text;
    let location = |range: TextRange| SarifPhysicalLocation {
        artifact_location: artifact.clone(),
        region: SarifRegion::of(index, text, range),
    };
    SarifResult {
        rule_id: diagnostic.code,
        rule_index: rules.iter().position(|rule| rule.code == diagnostic.code),
        level: sarif_level(diagnostic.severity),
        message: SarifText {
            text: diagnostic.message.get(lang),
        },
        locations: vec![SarifLocation {
            id: None,
            physical_location: location(diagnostic.range),
            message: None,
        }],
        related_locations: diagnostic
            .related
            .iter()
            .enumerate()
            .map(|(id, related)| SarifLocation {
                id: Some(id),
                physical_location: location(related.range),
                message: Some(SarifText {
                    text: related.message.get(lang),
                }),
            })
            .collect(),
        fixes: diagnostic
            .fix
            .iter()
            .map(|fix| sarif_fix(fix, index, text, artifact, lang))
            .collect(),
    }
}

fn sarif_fix<'a>(
    fix: &'a Fix,
    index: &LineIndex,
    text: &str,
    artifact: &SarifArtifactLocation,
    lang: Lang,
) -> SarifFix<'a> {
    SarifFix {
        description: SarifText {
            text: fix.title.get(lang),
        },
        artifact_changes: vec![SarifArtifactChange {
            artifact_location: artifact.clone(),
            replacements: fix
                .edits
                .iter()
                .map(|edit| SarifReplacement {
                    deleted_region: SarifRegion::of(index, text, edit.range),
                    inserted_content: SarifText {
                        text: &edit.new_text,
                    },
                })
                .collect(),
        }],
    }
}

/// Turns a file path into the URI reference SARIF requires: `/` separators, a leading
/// `./` dropped (code-scanning services match paths relative to the repository root), a
/// Windows drive path as a `file:///` URI (otherwise `C:` would read as a URI scheme),
/// and every byte outside the characters a URI path may hold percent-encoded, which
/// covers spaces, `%`, `#`, `?`, `:` and non-ASCII names such as Chinese file names.
fn path_to_uri(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    let (prefix, rest) = if drive {
        (format!("file:///{}:", &path[..1]), &path[2..])
    } else {
        (String::new(), path.as_str())
    };
    let mut uri = prefix;
    for byte in rest.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            uri.push('%');
            uri.push(char::from(HEX[usize::from(byte >> 4)]));
            uri.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    uri
}

// ---------------------------------------------------------------------------------------
// GitHub workflow commands
// ---------------------------------------------------------------------------------------

/// Renders one GitHub Actions workflow command per diagnostic, which GitHub shows as an
/// annotation on the pull request's diff. Info becomes `notice`, GitHub's mildest level.
///
/// # Errors
///
/// Fails only when writing to `out` fails.
pub fn render_github(out: &mut dyn Write, files: &[FileResult], lang: Lang) -> io::Result<()> {
    for file in files {
        let index = LineIndex::new(file.text);
        for diagnostic in file.diagnostics {
            let span = Span::of(&index, file.text, diagnostic.range);
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(file.path),
                span.start.line,
                span.start.column,
                span.end.line,
                span.end.column,
                escape_property(&format!("reportlint ({})", diagnostic.code)),
                escape_data(diagnostic.message.get(lang)),
            )?;
        }
    }
    Ok(())
}

/// Escapes a workflow command's message, so that a newline in it cannot end the command
/// early and start another one.
fn escape_data(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value, where `:` and `,` are separators too.
fn escape_property(value: &str) -> String {
    escape_data(value).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Message, Related};
    use crate::fix::{Applicability, Fix};
    use serde_json::{json, Value};
    use text_size::{TextRange, TextSize};

    fn range(start: u32, end: u32) -> TextRange {
        TextRange::new(TextSize::from(start), TextSize::from(end))
    }

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    fn render(renderer: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> String {
        let mut buffer = Vec::new();
        renderer(&mut buffer).unwrap();
        String::from_utf8(buffer).unwrap()
    }

    /// A table row whose total, `12`, is wrong; the cells `5` and `8` are related.
    const SAMPLE: &str = "# Budget\n| a | b | total |\n| 5 | 8 | 12 |\n";

    fn sample_diagnostics() -> Vec<Diagnostic> {
        let total = SAMPLE.find("12").unwrap() as u32;
        let five = SAMPLE.find('5').unwrap() as u32;
        let eight = SAMPLE.find('8').unwrap() as u32;
        vec![
            Diagnostic::new(
                "sum-mismatch",
                Severity::Error,
                range(total, total + 2),
                Message::new(
                    "Total is 12 but the cells add up to 13",
                    "合计为 12，但各项之和为 13",
                ),
            )
            .with_related(vec![
                Related {
                    range: range(five, five + 1),
                    message: Message::new("summed cell", "参与求和的单元格"),
                },
                Related {
                    range: range(eight, eight + 1),
                    message: Message::new("summed cell", "参与求和的单元格"),
                },
            ])
            .with_fix(Some(Fix::replace(
                Message::new("Replace 12 with 13", "将 12 改为 13"),
                Applicability::Safe,
                range(total, total + 2),
                "13".to_string(),
            ))),
            Diagnostic::new(
                "missing-section",
                Severity::Warning,
                range(0, 8),
                Message::new("Section \"Summary\" is missing", "缺少“摘要”一节"),
            ),
        ]
    }

    /// What a small clean table gives: one table, one total checked.
    const CHECKED: Checked = Checked {
        tables: 1,
        template_tables: 0,
        totals: 1,
        unchecked_totals: 0,
        expects_tables: false,
    };

    const COLOUR: TextOptions = TextOptions {
        color: true,
        verbose: false,
    };

    fn sample_file(diagnostics: &[Diagnostic]) -> FileResult<'_> {
        FileResult {
            path: "docs/report.md",
            profile: "gov-2019",
            profile_reason: "test",
            profile_reason_zh: "test",
            checked: CHECKED,
            text: SAMPLE,
            diagnostics,
        }
    }

    // --- positions ---------------------------------------------------------------------

    #[test]
    fn ascii_positions_are_one_based_and_count_characters() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), pos(1, 1));
        assert_eq!(index.position(text, 2), pos(1, 3));
        assert_eq!(index.position(text, 3), pos(2, 1));
        assert_eq!(index.position(text, 5), pos(2, 3));
        assert_eq!(index.line_count(), 2);
        assert_eq!(index.line_text(text, 1), "ab");
        assert_eq!(index.line_text(text, 2), "cd");
    }

    #[test]
    fn cjk_characters_are_one_column_each() {
        let text = "合计：中x\n中";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), pos(1, 2));
        let x = text.find('x').unwrap();
        assert_eq!(x, 12);
        assert_eq!(index.position(text, x), pos(1, 5));
        assert_eq!(index.position(text, x + 1), pos(1, 6));
        assert_eq!(index.position(text, x + 2), pos(2, 1));
        assert_eq!(index.position(text, text.len()), pos(2, 2));
    }

    #[test]
    fn supplementary_characters_are_one_column_each() {
        let text = "𠀀😀a";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 4), pos(1, 2));
        assert_eq!(index.position(text, 8), pos(1, 3));
        assert_eq!(index.position(text, 9), pos(1, 4));
        // An offset inside a four-byte character moves back to the character's start.
        assert_eq!(index.position(text, 2), pos(1, 1));
        assert_eq!(index.position(text, 7), pos(1, 2));
    }

    #[test]
    fn crlf_line_ends_are_not_columns() {
        let text = "ab\r\ncd\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 2), pos(1, 3), "on the \\r");
        assert_eq!(index.position(text, 3), pos(1, 3), "on the \\n");
        assert_eq!(index.position(text, 4), pos(2, 1));
        assert_eq!(index.position(text, 8), pos(3, 1));
        assert_eq!(index.line_text(text, 1), "ab");
        assert_eq!(index.line_text(text, 2), "cd");
        assert_eq!(index.line_text(text, 3), "");
        assert_eq!(index.line_text(text, 4), "");
        assert_eq!(index.line_text(text, 0), "");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_in_editors() {
        let text = "a\rb\r";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_text(text, 1), "a");
        assert_eq!(index.line_text(text, 2), "b");
        assert_eq!(index.position(text, 1), pos(1, 2), "on the \\r");
        assert_eq!(index.position(text, 2), pos(2, 1));
        assert_eq!(index.position(text, 4), pos(3, 1));
    }

    #[test]
    fn offsets_past_the_end_clamp_to_the_end() {
        let text = "ab\nc";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 100), pos(2, 2));
        let text = "ab\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), pos(2, 1));
        assert_eq!(index.position(text, usize::MAX), pos(2, 1));
        let index = LineIndex::new("");
        assert_eq!(index.position("", 0), pos(1, 1));
        assert_eq!(index.position("", 7), pos(1, 1));
        assert_eq!(index.line_text("", 1), "");
    }

    // --- text --------------------------------------------------------------------------

    #[test]
    fn text_output_without_colour() {
        let diagnostics = sample_diagnostics();
        let files = [sample_file(&diagnostics)];
        let output = render(|out| render_text(out, &files, Lang::En, TextOptions::default()));
        let expected = "\
docs/report.md:3:11: error[sum-mismatch] Total is 12 but the cells add up to 13
 3 | | 5 | 8 | 12 |
   |           ^^
  = note: docs/report.md:3:3: summed cell
  = note: docs/report.md:3:7: summed cell
  = fix (safe): Replace 12 with 13

docs/report.md:1:1: warning[missing-section] Section \"Summary\" is missing
 1 | # Budget
   | ^^^^^^^^

Checked 1 file (gov-2019): 1 table, 1 total checked.
Found 1 error, 1 warning and 0 infos in 1 file.
";
        assert_eq!(output, expected);
        assert!(!output.contains('\x1b'));
    }

    #[test]
    fn text_output_in_chinese() {
        let diagnostics = sample_diagnostics();
        let files = [sample_file(&diagnostics)];
        let output = render(|out| render_text(out, &files, Lang::Zh, TextOptions::default()));
        assert!(output
            .starts_with("docs/report.md:3:11: error[sum-mismatch] 合计为 12，但各项之和为 13\n"));
        assert!(output.contains("  = note: docs/report.md:3:3: 参与求和的单元格\n"));
        assert!(output.contains("  = fix (safe): 将 12 改为 13\n"));
        assert!(output.ends_with("\n共检查 1 个文件：1 个错误，1 个警告，0 条提示。\n"));
    }

    #[test]
    fn text_output_with_colour() {
        let diagnostics = sample_diagnostics();
        let files = [sample_file(&diagnostics)];
        let output = render(|out| render_text(out, &files, Lang::En, COLOUR));
        assert!(output.contains("\x1b[1mdocs/report.md:3:11:\x1b[0m"));
        assert!(output.contains("\x1b[1;31merror[sum-mismatch]\x1b[0m"));
        assert!(output.contains("\x1b[1;31m^^\x1b[0m"));
        assert!(output.contains("\x1b[1;33mwarning[missing-section]\x1b[0m"));
        assert!(output.contains("\x1b[1;33m^^^^^^^^\x1b[0m"));
        let info = [Diagnostic::new(
            "note-me",
            Severity::Info,
            range(0, 1),
            Message::new("fyi", "供参考"),
        )];
        let files = [FileResult {
            path: "a.md",
            profile: "p",
            profile_reason: "test",
            profile_reason_zh: "test",
            checked: CHECKED,
            text: "x",
            diagnostics: &info,
        }];
        let output = render(|out| render_text(out, &files, Lang::En, COLOUR));
        assert!(output.contains("\x1b[34minfo[note-me]\x1b[0m"));
    }

    /// Renders one diagnostic over `text` and returns its source and caret lines.
    fn caret_lines(text: &str, start: u32, end: u32) -> (String, String) {
        let diagnostics = [Diagnostic::new(
            "x",
            Severity::Error,
            range(start, end),
            Message::new("m", "m"),
        )];
        let files = [FileResult {
            path: "f",
            profile: "p",
            profile_reason: "test",
            profile_reason_zh: "test",
            checked: CHECKED,
            text,
            diagnostics: &diagnostics,
        }];
        let output = render(|out| render_text(out, &files, Lang::En, TextOptions::default()));
        let lines: Vec<&str> = output.lines().collect();
        (lines[1].to_string(), lines[2].to_string())
    }

    #[test]
    fn caret_under_cjk_uses_display_columns() {
        // "合计：" is three wide characters (6 columns), so "12" starts at column 7.
        let text = "合计：12";
        let start = text.find("12").unwrap() as u32;
        let (source, carets) = caret_lines(text, start, start + 2);
        assert_eq!(source, " 1 | 合计：12");
        assert_eq!(carets, "   |       ^^");
        // Underlining the wide characters themselves takes two carets each.
        let (_, carets) = caret_lines(text, 3, 6);
        assert_eq!(carets, "   |   ^^");
        // Supplementary ideographs and emoji are wide too.
        let (_, carets) = caret_lines("𠀀😀a", 8, 9);
        assert_eq!(carets, "   |     ^");
    }

    #[test]
    fn tabs_are_four_columns_in_source_and_carets() {
        let (source, carets) = caret_lines("\tx\ty", 3, 4);
        assert_eq!(source, " 1 |     x    y");
        assert_eq!(carets, "   |          ^");
    }

    #[test]
    fn empty_and_multi_line_ranges() {
        let (_, carets) = caret_lines("abc", 1, 1);
        assert_eq!(carets, "   |  ^", "an empty range gets one caret");
        let (_, carets) = caret_lines("abc", 3, 3);
        assert_eq!(carets, "   |    ^", "so does the end of the text");
        let (source, carets) = caret_lines("abcd\r\nefg", 2, 8);
        assert_eq!(source, " 1 | abcd", "the \\r is not shown");
        assert_eq!(
            carets, "   |   ^^",
            "underlined to the end of the first line"
        );
        let (_, carets) = caret_lines("ab\ncd", 2, 5);
        assert_eq!(
            carets, "   |   ^",
            "a range starting at a line break still shows"
        );
    }

    #[test]
    fn control_characters_are_not_sent_to_the_terminal() {
        let (source, carets) = caret_lines("a\x1b[31mb", 6, 7);
        assert_eq!(source, " 1 | a\u{FFFD}[31mb");
        assert_eq!(carets, "   |       ^");
    }

    #[test]
    fn wide_line_numbers_widen_the_gutter() {
        let text = "\n".repeat(11) + "x";
        let (source, carets) = caret_lines(&text, 11, 12);
        assert_eq!(source, " 12 | x");
        assert_eq!(carets, "    | ^");
    }

    #[test]
    fn summary_lines() {
        let summary = |files, errors, warnings, infos| Summary {
            files,
            errors,
            warnings,
            infos,
        };
        assert_eq!(
            summary_line(&summary(3, 2, 1, 0), 0, Lang::En),
            "Found 2 errors, 1 warning and 0 infos in 3 files."
        );
        assert_eq!(
            summary_line(&summary(1, 1, 0, 1), 0, Lang::En),
            "Found 1 error, 0 warnings and 1 info in 1 file."
        );
        assert_eq!(
            summary_line(&summary(3, 2, 1, 0), 0, Lang::Zh),
            "共检查 3 个文件：2 个错误，1 个警告，0 条提示。"
        );
        assert_eq!(
            summary_line(&summary(3, 0, 0, 0), 0, Lang::En),
            "All checks passed (3 files)."
        );
        assert_eq!(
            summary_line(&summary(1, 0, 0, 0), 0, Lang::En),
            "All checks passed (1 file)."
        );
        assert_eq!(
            summary_line(&summary(3, 0, 0, 0), 0, Lang::Zh),
            "检查通过（3 个文件）。"
        );
        assert_eq!(
            summary_line(&summary(1, 0, 0, 0), 1, Lang::En),
            "No problems found, but nothing was checked (1 file)."
        );
        assert_eq!(
            summary_line(&summary(3, 0, 0, 0), 1, Lang::En),
            "No problems found (3 files), but nothing was checked in 1 of them."
        );
        assert_eq!(
            summary_line(&summary(3, 0, 0, 0), 1, Lang::Zh),
            "未发现问题（3 个文件），但其中 1 个文件未核对任何内容。"
        );
        assert_eq!(
            summary_line(&summary(3, 1, 0, 0), 3, Lang::En),
            "Found 1 error, 0 warnings and 0 infos in 3 files.",
            "findings are reported whatever was checked"
        );
    }

    #[test]
    fn clean_files_print_only_the_summary() {
        let files = [
            FileResult {
                path: "a.md",
                profile: "p",
                profile_reason: "test",
                profile_reason_zh: "test",
                checked: CHECKED,
                text: "a",
                diagnostics: &[],
            },
            FileResult {
                path: "b.md",
                profile: "p",
                profile_reason: "test",
                profile_reason_zh: "test",
                checked: CHECKED,
                text: "b",
                diagnostics: &[],
            },
        ];
        let output = render(|out| render_text(out, &files, Lang::En, COLOUR));
        assert_eq!(
            output,
            "Checked 2 files (p): 2 tables, 2 totals checked.\nAll checks passed (2 files).\n"
        );
    }

    #[test]
    fn summary_counts_every_file_and_severity() {
        let diagnostics = sample_diagnostics();
        let files = [sample_file(&diagnostics), sample_file(&[])];
        assert_eq!(
            Summary::of(&files),
            Summary {
                files: 2,
                errors: 1,
                warnings: 1,
                infos: 0
            }
        );
    }

    // --- JSON --------------------------------------------------------------------------

    #[test]
    fn json_matches_the_contract() {
        let diagnostics = sample_diagnostics();
        let files = [sample_file(&diagnostics)];
        let output = render(|out| render_json(out, &files, Lang::En));
        let value: Value = serde_json::from_str(&output).unwrap();
        let span = |l1, c1, l2, c2| json!({"start": {"line": l1, "column": c1}, "end": {"line": l2, "column": c2}});
        let expected = json!({
            "version": 1,
            "files": [{
                "path": "docs/report.md",
                "profile": "gov-2019",
                "profile_reason": "test",
                "checked": {"tables": 1, "template_tables": 0, "totals": 1, "unchecked_totals": 0},
                "diagnostics": [
                    {
                        "code": "sum-mismatch",
                        "severity": "error",
                        "message": "Total is 12 but the cells add up to 13",
                        "range": span(3, 11, 3, 13),
                        "related": [
                            {"message": "summed cell", "range": span(3, 3, 3, 4)},
                            {"message": "summed cell", "range": span(3, 7, 3, 8)}
                        ],
                        "fix": {
                            "title": "Replace 12 with 13",
                            "applicability": "safe",
                            "edits": [{"range": span(3, 11, 3, 13), "new_text": "13"}]
                        }
                    },
                    {
                        "code": "missing-section",
                        "severity": "warning",
                        "message": "Section \"Summary\" is missing",
                        "range": span(1, 1, 1, 9),
                        "related": [],
                        "fix": null
                    }
                ]
            }],
            "summary": {"files": 1, "errors": 1, "warnings": 1, "infos": 0}
        });
        assert_eq!(value, expected);
    }

    #[test]
    fn json_is_pretty_with_keys_in_contract_order() {
        let diagnostics = [Diagnostic::new(
            "x-y",
            Severity::Info,
            range(1, 1),
            Message::new("m", "消息"),
        )
        .with_fix(Some(Fix::replace(
            Message::new("t", "标题"),
            Applicability::DisplayOnly,
            range(0, 1),
            "b".to_string(),
        )))];
        let files = [FileResult {
            path: "a b.md",
            profile: "p",
            profile_reason: "test",
            profile_reason_zh: "test",
            checked: CHECKED,
            text: "a",
            diagnostics: &diagnostics,
        }];
        let output = render(|out| render_json(out, &files, Lang::Zh));
        let expected = r#"{
  "version": 1,
  "files": [
    {
      "path": "a b.md",
      "profile": "p",
      "profile_reason": "test",
      "checked": {
        "tables": 1,
        "template_tables": 0,
        "totals": 1,
        "unchecked_totals": 0
      },
      "diagnostics": [
        {
          "code": "x-y",
          "severity": "info",
          "message": "消息",
          "range": {
            "start": {
              "line": 1,
              "column": 2
            },
            "end": {
              "line": 1,
              "column": 2
            }
          },
          "related": [],
          "fix": {
            "title": "标题",
            "applicability": "display",
            "edits": [
              {
                "range": {
                  "start": {
                    "line": 1,
                    "column": 1
                  },
                  "end": {
                    "line": 1,
                    "column": 2
                  }
                },
                "new_text": "b"
              }
            ]
          }
        }
      ]
    }
  ],
  "summary": {
    "files": 1,
    "errors": 0,
    "warnings": 0,
    "infos": 1
  }
}
"#;
        assert_eq!(output, expected);
    }

    #[test]
    fn json_for_no_files_is_still_one_document() {
        let output = render(|out| render_json(out, &[], Lang::En));
        let value: Value = serde_json::from_str(&output).unwrap();
        assert_eq!(
            value,
            json!({"version": 1, "files": [],
                   "summary": {"files": 0, "errors": 0, "warnings": 0, "infos": 0}})
        );
        assert!(output.ends_with("}\n"));
    }

    // --- SARIF -------------------------------------------------------------------------

    const RULE_TABLE: &[RuleMeta] = &[
        RuleMeta {
            code: "missing-section",
            default_severity: Severity::Warning,
            summary: "A required section is missing",
            docs: "# missing-section\n\nLong docs.",
        },
        RuleMeta {
            code: "sum-mismatch",
            default_severity: Severity::Error,
            summary: "A total does not match its parts",
            docs: "# sum-mismatch\n\nLong docs.",
        },
    ];

    #[test]
    fn sarif_has_the_required_fields() {
        let diagnostics = sample_diagnostics();
        let mut file = sample_file(&diagnostics);
        file.path = "docs\\my report.md";
        let output = render(|out| render_sarif(out, &[file], Lang::En, RULE_TABLE, &[]));
        let log: Value = serde_json::from_str(&output).unwrap();
        assert_eq!(log["$schema"], SARIF_SCHEMA);
        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");

        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "reportlint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
        assert_eq!(
            driver["rules"][1],
            json!({
                "id": "sum-mismatch",
                "shortDescription": {"text": "A total does not match its parts"},
                "fullDescription": {"text": "# sum-mismatch\n\nLong docs."},
                "defaultConfiguration": {"level": "error"}
            })
        );
        assert_eq!(
            driver["rules"][0]["defaultConfiguration"]["level"],
            "warning"
        );

        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        let uri = "docs/my%20report.md";
        let region = |l1, c1, l2, c2| json!({"startLine": l1, "startColumn": c1, "endLine": l2, "endColumn": c2});
        assert_eq!(
            results[0],
            json!({
                "ruleId": "sum-mismatch",
                "ruleIndex": 1,
                "level": "error",
                "message": {"text": "Total is 12 but the cells add up to 13"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": region(3, 11, 3, 13)
                }}],
                "relatedLocations": [
                    {"id": 0, "physicalLocation": {
                        "artifactLocation": {"uri": uri}, "region": region(3, 3, 3, 4)
                    }, "message": {"text": "summed cell"}},
                    {"id": 1, "physicalLocation": {
                        "artifactLocation": {"uri": uri}, "region": region(3, 7, 3, 8)
                    }, "message": {"text": "summed cell"}}
                ],
                "fixes": [{
                    "description": {"text": "Replace 12 with 13"},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri},
                        "replacements": [{
                            "deletedRegion": region(3, 11, 3, 13),
                            "insertedContent": {"text": "13"}
                        }]
                    }]
                }]
            })
        );
        assert_eq!(results[1]["ruleIndex"], 0);
        assert_eq!(results[1]["level"], "warning");
        assert!(results[1].get("fixes").is_none());
        assert!(results[1].get("relatedLocations").is_none());
    }

    #[test]
    fn sarif_levels_and_unknown_rules() {
        let diagnostics = [Diagnostic::new(
            "not-registered",
            Severity::Info,
            range(0, 0),
            Message::new("m", "消息"),
        )];
        let files = [FileResult {
            path: "a.md",
            profile: "p",
            profile_reason: "test",
            profile_reason_zh: "test",
            checked: CHECKED,
            text: "",
            diagnostics: &diagnostics,
        }];
        let output = render(|out| render_sarif(out, &files, Lang::Zh, &[], &[]));
        let log: Value = serde_json::from_str(&output).unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["level"], "note");
        assert_eq!(result["message"]["text"], "消息");
        assert!(result.get("ruleIndex").is_none());
        assert_eq!(log["runs"][0]["tool"]["driver"]["rules"], json!([]));
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_to_uri("docs/a.md"), "docs/a.md");
        assert_eq!(path_to_uri("./docs/a b.md"), "docs/a%20b.md");
        assert_eq!(path_to_uri("docs\\sub\\a.md"), "docs/sub/a.md");
        assert_eq!(path_to_uri("C:\\work\\a.md"), "file:///C:/work/a.md");
        assert_eq!(path_to_uri("100%#?:.md"), "100%25%23%3F%3A.md");
        assert_eq!(path_to_uri("报告.md"), "%E6%8A%A5%E5%91%8A.md");
        assert_eq!(path_to_uri("/abs/a.md"), "/abs/a.md");
    }

    // --- GitHub ------------------------------------------------------------------------

    #[test]
    fn github_commands_per_severity() {
        let diagnostics = sample_diagnostics();
        let files = [sample_file(&diagnostics)];
        let output = render(|out| render_github(out, &files, Lang::En));
        assert_eq!(
            output,
            "::error file=docs/report.md,line=3,col=11,endLine=3,endColumn=13,\
             title=reportlint (sum-mismatch)::Total is 12 but the cells add up to 13\n\
             ::warning file=docs/report.md,line=1,col=1,endLine=1,endColumn=9,\
             title=reportlint (missing-section)::Section \"Summary\" is missing\n"
        );
        let info = [Diagnostic::new(
            "i",
            Severity::Info,
            range(0, 1),
            Message::new("m", "m"),
        )];
        let files = [FileResult {
            path: "a.md",
            profile: "p",
            profile_reason: "test",
            profile_reason_zh: "test",
            checked: CHECKED,
            text: "x",
            diagnostics: &info,
        }];
        let output = render(|out| render_github(out, &files, Lang::En));
        assert!(output.starts_with("::notice file=a.md,"));
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let diagnostics = [Diagnostic::new(
            "x",
            Severity::Error,
            range(0, 1),
            Message::new("100% wrong:\r\nsee, here", "m"),
        )];
        let files = [FileResult {
            path: "dir,1/a:b%.md",
            profile: "p",
            profile_reason: "test",
            profile_reason_zh: "test",
            checked: CHECKED,
            text: "x",
            diagnostics: &diagnostics,
        }];
        let output = render(|out| render_github(out, &files, Lang::En));
        assert_eq!(
            output,
            "::error file=dir%2C1/a%3Ab%25.md,line=1,col=1,endLine=1,endColumn=2,\
             title=reportlint (x)::100%25 wrong:%0D%0Asee, here\n"
        );
        assert_eq!(escape_data("a%\r\n:,"), "a%25%0D%0A:,");
        assert_eq!(escape_property("a%\r\n:,"), "a%25%0D%0A%3A%2C");
    }
}
