//! Picks the profile for a document: a government disclosure report gets the format of its
//! year (gov-2021 / gov-2019 / gov-legacy), anything else `generic`. The tables' layout is
//! read independently: when it belongs to another format than the year's, the selection
//! says so (the `wrong-format` rule reports it) and tables are checked against the layout
//! they actually have, so one wrong format does not bury the report in row-by-row noise.

use super::{builtin, builtins, Profile};
use crate::document::Document;
use crate::text::label_key;
use text_size::TextRange;

/// The outcome of profile selection.
#[derive(Debug, Clone)]
pub struct Selection<'p> {
    /// The profile the report must follow (named in every output).
    pub profile: &'p Profile,
    /// The profile whose table templates match the tables as written.
    pub tables: &'p Profile,
    /// Where the tables show a layout of another format than `profile`.
    pub wrong_format: Option<TextRange>,
    /// Why `profile` was chosen, for people: `title year 2023`, `table columns, no year found`.
    pub reason: String,
}

/// Selects a profile. `forced` comes from `--profile` or the configuration.
pub fn select<'p>(source: &str, document: &Document, forced: Option<&'p Profile>) -> Selection<'p>
where
    'static: 'p,
{
    let layout = detect_layout(source, document);
    let (profile, reason) = match forced {
        Some(profile) => (
            profile,
            "chosen by --profile or the configuration".to_string(),
        ),
        None => auto_profile(document, layout.map(|(profile, _)| profile)),
    };
    match layout {
        Some((layout_profile, evidence))
            if !profile.layout_markers.is_empty() && layout_profile.name != profile.name =>
        {
            Selection {
                profile,
                tables: layout_profile,
                wrong_format: Some(evidence),
                reason,
            }
        }
        _ => Selection {
            profile,
            tables: profile,
            wrong_format: None,
            reason,
        },
    }
}

fn auto_profile(
    document: &Document,
    layout: Option<&'static Profile>,
) -> (&'static Profile, String) {
    let generic = builtin("generic").expect("the generic profile is built in");
    let title = document.title.as_ref();
    let is_disclosure_report = title.is_some_and(|title| {
        let key = label_key(&title.text);
        key.contains("信息公开") && key.contains("报告")
    });
    // Tables alone decide only when there is no title to read: 统计指标 / 统计数 tables are
    // common in documents that are not disclosure reports (statistical bulletins).
    if !is_disclosure_report && (title.is_some() || layout.is_none()) {
        return (generic, "no disclosure-report title or tables".to_string());
    }
    let by_year = title.and_then(|title| title.year).and_then(|year| {
        builtins().iter().find(|profile| {
            !profile.layout_markers.is_empty()
                && profile.first_year.is_none_or(|first| year >= first)
                && profile.last_year.is_none_or(|last| year <= last)
        })
    });
    match (by_year, layout) {
        (Some(profile), _) => {
            let year = title.and_then(|title| title.year).unwrap_or_default();
            (profile, format!("title year {year}"))
        }
        (None, Some(profile)) => (profile, "table columns, no year found".to_string()),
        (None, None) => (
            builtin("gov-2021").expect("gov-2021 is built in"),
            "a disclosure report with no year and no template tables".to_string(),
        ),
    }
}

/// The built-in format whose layout markers the tables carry most, with the first cell that
/// shows it.
fn detect_layout(source: &str, document: &Document) -> Option<(&'static Profile, TextRange)> {
    // Each text cell is normalised once, whatever the number of profiles.
    let keys: Vec<(String, TextRange)> = document
        .tables()
        .flat_map(|(_, table)| table.rows.iter().flat_map(|row| &row.cells))
        .filter(|cell| cell.is_text())
        .map(|cell| (label_key(cell.text(source)), cell.range))
        .collect();
    let mut best: Option<(&'static Profile, usize, TextRange)> = None;
    for profile in builtins()
        .iter()
        .filter(|profile| !profile.layout_markers.is_empty())
    {
        let markers: Vec<String> = profile
            .layout_markers
            .iter()
            .map(|marker| label_key(marker))
            .collect();
        let mut found = vec![false; markers.len()];
        let mut evidence = None;
        for (key, range) in &keys {
            for (index, marker) in markers.iter().enumerate() {
                if !found[index] && key.contains(marker.as_str()) {
                    found[index] = true;
                    evidence = evidence.or(Some(*range));
                }
            }
        }
        let count = found.iter().filter(|&&hit| hit).count();
        if count > 0
            && best
                .as_ref()
                .is_none_or(|(_, best_count, _)| count > *best_count)
        {
            best = evidence.map(|range| (profile, count, range));
        }
    }
    best.map(|(profile, _, range)| (profile, range))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    fn names(source: &str) -> (String, String, bool) {
        let document = parse(source);
        let selection = select(source, &document, None);
        (
            selection.profile.name.clone(),
            selection.tables.name.clone(),
            selection.wrong_format.is_some(),
        )
    }

    #[test]
    fn picks_by_year_and_layout() {
        let report_2020 = "2020年某区政府信息公开工作年度报告\n\n一、总体情况\n";
        assert_eq!(
            names(report_2020),
            ("gov-2019".into(), "gov-2019".into(), false)
        );
        let report_2022 = "某区2022年政府信息公开工作年度报告\n\n| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n|---|---|---|---|\n| 规章 | 0 | 0 | 0 |\n";
        assert_eq!(
            names(report_2022),
            ("gov-2021".into(), "gov-2019".into(), true)
        );
        let legacy = "某县2016年政府信息公开工作年度报告\n\n一、概述\n";
        assert_eq!(names(legacy).0, "gov-legacy");
        assert_eq!(
            names("# Quarterly report\n\n| Item | Total |\n|---|---|\n| a | 1 |\n").0,
            "generic"
        );
    }
}
