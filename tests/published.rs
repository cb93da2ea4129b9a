//! The four published excerpts (`fixtures/published/`) give exactly the findings their truth
//! lists (`../shared/samples/published/README.md`), with the right profile, and nothing else
//! at warning or error but what the excerpt's cut explains: the sections after the last one
//! present, in each table the template rows after the last row present, and the row the
//! cut went through.

use reportlint::diagnostic::Severity;
use reportlint::document::parse;
use reportlint::line_index::LineIndex;
use reportlint::lint::{context, lint, LintOptions};
use std::ops::RangeInclusive;
use std::path::Path;

/// What an excerpt must give.
struct Truth {
    file: &'static str,
    profile: &'static str,
    /// Findings at warning or error besides the cut's: lines, rule, how many.
    findings: &'static [(RangeInclusive<usize>, &'static str, usize)],
    /// The sections the cut removed.
    cut_sections: &'static [&'static str],
}

const TRUTH: &[Truth] = &[
    Truth {
        file: "04_pingli_zhengyang_2021_cells.txt",
        profile: "gov-2021",
        // Table 二 has the 2019 columns in a report on 2021.
        findings: &[(21..=21, "wrong-format", 1)],
        cut_sections: &["三", "四", "五", "六"],
    },
    Truth {
        file: "10_xixian_taiping_2022_cells.txt",
        profile: "gov-2021",
        findings: &[],
        cut_sections: &["四", "五", "六"],
    },
    Truth {
        file: "14_district_tjj_2023_pipecells.txt",
        profile: "gov-2021",
        findings: &[
            // 规章: three `/`.
            (15..=17, "blank-cell", 3),
            // 本年新收 and 上年结转: six empty cells before their 总计 0.
            (62..=70, "blank-cell", 6),
            (71..=79, "blank-cell", 6),
            // （一）予以公开: all seven cells empty.
            (81..=89, "blank-cell", 7),
        ],
        cut_sections: &["四", "五", "六"],
    },
    Truth {
        file: "20_mayang_banlishu_2022_trad.txt",
        profile: "gov-2021",
        findings: &[],
        cut_sections: &["四", "五", "六"],
    },
];

#[test]
fn published_excerpts_give_their_truth_and_nothing_but_the_cut() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/published");
    let mut failures = Vec::new();
    for truth in TRUTH {
        let source = std::fs::read_to_string(folder.join(truth.file)).expect("the excerpt");
        let result = lint(&source, &LintOptions::default());
        let lines = LineIndex::new(&source);
        let line_of = |offset| lines.position(&source, offset).line;
        if result.profile != truth.profile {
            failures.push(format!("{}: profile {}", truth.file, result.profile));
        }
        let serious: Vec<_> = result
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity >= Severity::Warning)
            .collect();
        for (lines_expected, code, count) in truth.findings {
            let found = serious
                .iter()
                .filter(|diagnostic| {
                    diagnostic.code == *code
                        && lines_expected.contains(&line_of(usize::from(diagnostic.range.start())))
                })
                .count();
            if found != *count {
                failures.push(format!(
                    "{}: {found} {code} on lines {lines_expected:?}, expected {count}",
                    truth.file
                ));
            }
        }
        let expected_total: usize = truth.findings.iter().map(|(_, _, count)| count).sum();
        // The last line is the row the cut went through.
        let last_line = lines.position(&source, source.trim_end().len()).line;
        let cut_explained = |diagnostic: &reportlint::diagnostic::Diagnostic| {
            diagnostic.code == "missing-row"
                || diagnostic.code == "missing-section"
                || line_of(usize::from(diagnostic.range.start())) == last_line
        };
        let others: Vec<_> = serious
            .iter()
            .filter(|diagnostic| !cut_explained(diagnostic))
            .map(|diagnostic| {
                format!(
                    "{}:{} {}",
                    line_of(usize::from(diagnostic.range.start())),
                    diagnostic.code,
                    diagnostic.message.en
                )
            })
            .collect();
        if others.len() != expected_total {
            failures.push(format!("{}: findings {others:#?}", truth.file));
        }
        let missing_sections: Vec<_> = serious
            .iter()
            .filter(|diagnostic| diagnostic.code == "missing-section")
            .map(|diagnostic| diagnostic.message.en.clone())
            .collect();
        let cut_sections_named = missing_sections.len() == truth.cut_sections.len()
            && truth.cut_sections.iter().all(|number| {
                missing_sections
                    .iter()
                    .any(|message| message.contains(&format!("“{number}、")))
            });
        if !cut_sections_named {
            failures.push(format!(
                "{}: missing sections {missing_sections:#?}",
                truth.file
            ));
        }
        // In every table, no template row is missing before the last row present.
        let document = parse(&source);
        let context = context(&source, &document, None);
        for binding in &context.bindings.templates {
            let template = binding.template;
            let Some(last) = binding.rows.iter().map(|bound| bound.spec).max() else {
                continue;
            };
            for (spec, row) in template.rows.iter().enumerate().take(last) {
                let present = binding.rows.iter().any(|bound| {
                    bound.spec == spec
                        || template.rows[bound.spec].parent.as_deref() == Some(row.id.as_str())
                });
                if !present && !row.group {
                    failures.push(format!(
                        "{}: {} row {} missing before the cut",
                        truth.file, template.id, row.label
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
