//! Text for terminals: one block per finding with the source line and carets, colour when
//! asked, the profile and what was checked, and the summary line.

use super::*;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::render::test_support::*;

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
        let files = [one_file("x", &info)];
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
        // (files, errors, warnings, infos), files in which nothing was checked, language.
        // Findings are reported whatever was checked (the last case).
        let cases = [
            (
                (3, 2, 1, 0),
                0,
                Lang::En,
                "Found 2 errors, 1 warning and 0 infos in 3 files.",
            ),
            (
                (1, 1, 0, 1),
                0,
                Lang::En,
                "Found 1 error, 0 warnings and 1 info in 1 file.",
            ),
            (
                (3, 2, 1, 0),
                0,
                Lang::Zh,
                "共检查 3 个文件：2 个错误，1 个警告，0 条提示。",
            ),
            ((3, 0, 0, 0), 0, Lang::En, "All checks passed (3 files)."),
            ((1, 0, 0, 0), 0, Lang::En, "All checks passed (1 file)."),
            ((3, 0, 0, 0), 0, Lang::Zh, "检查通过（3 个文件）。"),
            (
                (1, 0, 0, 0),
                1,
                Lang::En,
                "No problems found, but nothing was checked (1 file).",
            ),
            (
                (3, 0, 0, 0),
                1,
                Lang::En,
                "No problems found (3 files), but nothing was checked in 1 of them.",
            ),
            (
                (3, 0, 0, 0),
                1,
                Lang::Zh,
                "未发现问题（3 个文件），但其中 1 个文件未核对任何内容。",
            ),
            (
                (3, 1, 0, 0),
                3,
                Lang::En,
                "Found 1 error, 0 warnings and 0 infos in 3 files.",
            ),
        ];
        for ((files, errors, warnings, infos), unchecked, lang, expected) in cases {
            assert_eq!(
                summary_line(&summary(files, errors, warnings, infos), unchecked, lang),
                expected
            );
        }
    }

    #[test]
    fn clean_files_print_only_the_summary() {
        let files = [
            one_file("a", &[]),
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
}
