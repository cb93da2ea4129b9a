//! Every text layout of a report binds the same grid as its Markdown twin: for each file
//! `fixtures/layouts/NAME.LAYOUT.txt`, the template rows found, the cells bound to each
//! template column (by their text) and the rules that fire are those of `NAME.pipe.md`.
//! The twins are written by `scripts/gen-layout-fixtures.py`; a new layout is a new file.

use reportlint::document::parse;
use reportlint::lint::{context, lint, LintOptions};
use std::collections::BTreeMap;
use std::path::Path;

/// One bound row: the template's table and row ids, and the text of each bound value cell
/// (`None` when the row's shape did not fit the template).
type GridRow = (String, String, Option<Vec<String>>);

/// The bound model of a report, in template order, and the codes and messages it raises.
fn grid(source: &str) -> (Vec<GridRow>, Vec<String>) {
    let document = parse(source);
    let context = context(source, &document, None);
    let mut rows = Vec::new();
    for binding in &context.bindings.templates {
        for bound in &binding.rows {
            let table = document
                .table(bound.block)
                .expect("a bound block is a table");
            let row = table.row(bound.row);
            let values = bound.values.as_ref().map(|cells| {
                cells
                    .iter()
                    .map(|&cell| table.cell_text(source, &row.cells[cell]).to_string())
                    .collect()
            });
            rows.push((
                binding.template.id.clone(),
                binding.template.rows[bound.spec].id.clone(),
                values,
            ));
        }
    }
    rows.sort();
    let findings = lint(source, &LintOptions::default())
        .diagnostics
        .iter()
        .map(|diagnostic| format!("{} {}", diagnostic.code, diagnostic.message.en))
        .collect();
    (rows, findings)
}

#[test]
fn every_layout_binds_the_grid_of_its_pipe_table_twin() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/layouts");
    let mut by_report: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for entry in std::fs::read_dir(&folder).expect("fixtures/layouts exists") {
        let path = entry.expect("a readable entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some((report, layout)) = name.split_once('.') else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("a UTF-8 fixture");
        by_report
            .entry(report.to_string())
            .or_default()
            .push((layout.to_string(), text));
    }
    assert!(by_report.len() >= 2, "clean and planted-error reports");
    let mut compared = 0;
    let mut failures = Vec::new();
    for (report, layouts) in &by_report {
        let (_, twin) = layouts
            .iter()
            .find(|(layout, _)| layout == "pipe.md")
            .unwrap_or_else(|| panic!("{report} has no pipe.md twin"));
        let expected = grid(twin);
        // Table 二 has 6 data rows, table 三 25 (with its group rows), table 四 one.
        assert!(
            expected.0.len() >= 32,
            "{report}.pipe.md binds {} rows: the twin itself is not read",
            expected.0.len()
        );
        for (layout, text) in layouts.iter().filter(|(layout, _)| layout != "pipe.md") {
            compared += 1;
            let found = grid(text);
            if found != expected {
                let missing: Vec<_> = expected
                    .0
                    .iter()
                    .filter(|row| !found.0.contains(row))
                    .collect();
                let extra: Vec<_> = found
                    .0
                    .iter()
                    .filter(|row| !expected.0.contains(row))
                    .collect();
                failures.push(format!(
                    "{report}.{layout}: rows missing {missing:?}, rows extra {extra:?}, findings {:?} instead of {:?}",
                    found.1, expected.1
                ));
            }
        }
    }
    assert!(compared >= 8, "only {compared} layouts compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
