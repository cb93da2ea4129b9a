//! SARIF 2.1.0 for code scanning: rules, results with regions, fixes, and notifications for
//! the files that could not be checked.

use super::*;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::render::test_support::*;

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
        let files = [one_file("", &diagnostics)];
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
}
