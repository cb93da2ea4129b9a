//! GitHub workflow commands (`::error file=…::`), for pull-request annotations.

use super::*;

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
    use crate::cli::render::test_support::*;

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
        let files = [one_file("x", &info)];
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
