//! The JSON document: a stable, versioned contract (`JSON_VERSION`) for scripts and CI.

use super::*;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::render::test_support::*;

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
}
