//! Profiles as data: required sections with accepted wordings, and table templates with
//! labelled rows and columns, hierarchy and relations. Built-in profiles are TOML files
//! compiled into the binary; a user's profile is the same format, read from a file by the
//! shell and handed in as text. Selection picks a profile from the report's year (title,
//! 统计期限, opening text) or cited format notice, and the tables' layout. Invariant: rules read profiles; they never hard-code labels.

mod select;

pub use select::{select, select_from, BlockFacts, Selection};

use serde::Deserialize;
use std::sync::OnceLock;

/// A complete profile.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// A built-in (or earlier loaded) profile this one starts from.
    #[serde(default)]
    pub extends: Option<String>,
    /// Report years this format applies to.
    #[serde(default)]
    pub first_year: Option<u32>,
    #[serde(default)]
    pub last_year: Option<u32>,
    /// Labels only this format's tables carry.
    #[serde(default)]
    pub layout_markers: Vec<String>,
    /// Labels only a disclosure report's tables carry (`第二十条`, `本年新收…`): a document
    /// whose tables hold one is a disclosure report even without a title.
    #[serde(default)]
    pub report_markers: Vec<String>,
    #[serde(default)]
    pub sections: Vec<SectionSpec>,
    #[serde(default)]
    pub tables: Vec<TableTemplate>,
    /// Derive sums from 总计 / 合计 / Total labels in any table without a template.
    #[serde(default)]
    pub generic: bool,
}

/// A required top-level section.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SectionSpec {
    /// Its number: 1 for `一、`.
    pub number: u32,
    /// The template's wording.
    pub title: String,
    /// Accepted wordings, each a list of tokens that must all appear in the heading.
    #[serde(default)]
    pub accept: Vec<Vec<String>>,
}

impl SectionSpec {
    /// Its wordings as label keys, to test headings against (`SectionKeys::accepts`).
    pub fn keys(&self) -> SectionKeys {
        let key = crate::text::label_key;
        SectionKeys {
            accept: self
                .accept
                .iter()
                .map(|tokens| tokens.iter().map(|token| key(token)).collect())
                .collect(),
            title: key(&self.title),
        }
    }
}

/// A section's wordings as label keys (`SectionSpec::keys`).
#[derive(Debug, Clone)]
pub struct SectionKeys {
    accept: Vec<Vec<String>>,
    title: String,
}

impl SectionKeys {
    /// Whether a heading, given as its label key, is this section: it holds every token of
    /// one accepted wording, or the template's wording.
    pub fn accepts(&self, title_key: &str) -> bool {
        self.accept.iter().any(|tokens| {
            tokens
                .iter()
                .all(|token| title_key.contains(token.as_str()))
        }) || title_key.contains(self.title.as_str())
    }
}

/// What a numeric cell may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A non-negative integer.
    Count,
    /// An integer that may be negative (`本年增/减`).
    Signed,
    /// A non-negative decimal amount (`26216.97万元`).
    Money,
    /// Any number.
    Number,
}

/// A numeric column: its label and what it holds, written `"label:kind"` in TOML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    pub label: String,
    pub kind: ValueKind,
}

impl<'de> Deserialize<'de> for ColumnSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let (label, kind) = match text.rsplit_once(':') {
            Some((label, kind)) => (label, kind),
            None => (text.as_str(), "number"),
        };
        let kind = match kind {
            "count" => ValueKind::Count,
            "signed" => ValueKind::Signed,
            "money" => ValueKind::Money,
            "number" => ValueKind::Number,
            other => {
                return Err(serde::de::Error::custom(format!(
                "unknown column kind `{other}` in \"{text}\"; use count, signed, money or number"
            )))
            }
        };
        Ok(ColumnSpec {
            label: label.to_string(),
            kind,
        })
    }
}

/// A template row.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RowSpec {
    pub id: String,
    /// The template's wording, with its numbering (`（一）予以公开`); empty for a table's
    /// single unlabelled data row.
    pub label: String,
    /// Other accepted wordings.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Wordings recognised as this row but reported by `label-mismatch` (an older format's).
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(default)]
    pub parent: Option<String>,
    /// A heading row that carries no numbers of its own.
    #[serde(default)]
    pub group: bool,
    /// The row's own columns, when they differ from the table's.
    #[serde(default)]
    pub columns: Option<Vec<ColumnSpec>>,
    /// In an extending profile: insert this new row after the row with this id.
    #[serde(default)]
    pub after: Option<String>,
}

/// How cells relate.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", tag = "kind", deny_unknown_fields)]
pub enum RelationSpec {
    /// In every row: the `total` column equals the sum of the `parts` columns.
    RowSum { total: String, parts: Vec<String> },
    /// In every column: the `total` row equals the sum of the `parts` rows (`"leaves:ID"`
    /// means every leaf row under the row ID).
    ColumnSum { total: String, parts: RowSelector },
    /// In every column: the sum of the `left` rows equals the sum of the `right` rows.
    Balance {
        left: Vec<String>,
        right: Vec<String>,
    },
    /// In every row that has these columns: the sum of the `left` columns is at most the
    /// sum of the `right` columns (an empty `left` means zero). Reported as a warning.
    RowAtMost {
        #[serde(default)]
        left: Vec<String>,
        right: Vec<String>,
    },
}

/// Rows named one by one, or every leaf under a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowSelector {
    Ids(Vec<String>),
    LeavesOf(String),
}

impl<'de> Deserialize<'de> for RowSelector {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(String),
            Many(Vec<String>),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Many(ids) => Ok(RowSelector::Ids(ids)),
            Raw::One(text) => match text.strip_prefix("leaves:") {
                Some(group) => Ok(RowSelector::LeavesOf(group.to_string())),
                None => Ok(RowSelector::Ids(vec![text])),
            },
        }
    }
}

/// A table template.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TableTemplate {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// The section (by number) the table belongs in.
    #[serde(default)]
    pub section: Option<u32>,
    /// Labels that identify the table.
    #[serde(default)]
    pub markers: Vec<String>,
    #[serde(default)]
    pub min_markers: usize,
    /// The numeric columns of every row that does not list its own.
    #[serde(default)]
    pub columns: Vec<ColumnSpec>,
    #[serde(default)]
    pub rows: Vec<RowSpec>,
    #[serde(default)]
    pub relations: Vec<RelationSpec>,
    /// Group rows that carry numbers must equal the sum of their leaves.
    #[serde(default)]
    pub subtotals: bool,
    /// Rows are not listed: their numbering (一、 /（一）/ 1、) gives the hierarchy.
    #[serde(default)]
    pub outline: bool,
    /// In an outline table, parents whose label contains one of these sum their children.
    #[serde(default)]
    pub sum_parents: Vec<String>,
    /// In an extending profile: rows of the base template to remove.
    #[serde(default)]
    pub drop_rows: Vec<String>,
}

impl TableTemplate {
    /// The columns of a template row.
    pub fn columns_of<'t>(&'t self, row: &'t RowSpec) -> &'t [ColumnSpec] {
        row.columns.as_deref().unwrap_or(&self.columns)
    }

    pub fn row(&self, id: &str) -> Option<&RowSpec> {
        self.rows.iter().find(|row| row.id == id)
    }

    /// Every leaf (a row that is nobody's parent) under the row `group`, in template order.
    pub fn leaves_of(&self, group: &str) -> Vec<&RowSpec> {
        let is_parent = |id: &str| {
            self.rows
                .iter()
                .any(|row| row.parent.as_deref() == Some(id))
        };
        let under = |row: &RowSpec| {
            let mut parent = row.parent.as_deref();
            while let Some(id) = parent {
                if id == group {
                    return true;
                }
                parent = self.row(id).and_then(|row| row.parent.as_deref());
            }
            false
        };
        self.rows
            .iter()
            .filter(|row| under(row) && !is_parent(&row.id))
            .collect()
    }
}

/// A profile file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub message: String,
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.message)
    }
}

const BUILTIN_SOURCES: [(&str, &str); 4] = [
    ("gov-2019", include_str!("builtin/gov-2019.toml")),
    ("gov-2021", include_str!("builtin/gov-2021.toml")),
    ("gov-legacy", include_str!("builtin/gov-legacy.toml")),
    ("generic", include_str!("builtin/generic.toml")),
];

/// The names `--profile` accepts, besides `auto`.
pub const BUILTIN_NAMES: [&str; 4] = ["gov-2021", "gov-2019", "gov-legacy", "generic"];

/// The built-in profiles, parsed once.
pub fn builtins() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        let mut loaded: Vec<Profile> = Vec::new();
        for (name, source) in BUILTIN_SOURCES {
            match parse_profile(source, name, &loaded) {
                Ok(profile) => loaded.push(profile),
                // Built-in profiles are tested; a broken one is a bug in this build.
                Err(error) => panic!("built-in profile {name} is invalid: {error}"),
            }
        }
        loaded
    })
}

/// A built-in profile by name.
pub fn builtin(name: &str) -> Option<&'static Profile> {
    builtins().iter().find(|profile| profile.name == name)
}

/// Reads a profile from TOML text; `origin` names the file in messages. `extends` may name
/// any profile in `bases` (the built-ins when a user's profile is read).
pub fn parse_profile(
    source: &str,
    origin: &str,
    bases: &[Profile],
) -> Result<Profile, ProfileError> {
    let profile: Profile = toml::from_str(source).map_err(|error| ProfileError {
        message: format!("{origin}: {}", error.to_string().trim_end()),
    })?;
    let profile =
        match profile.extends.clone() {
            None => profile,
            Some(base_name) => {
                let base =
                    bases
                        .iter()
                        .find(|base| base.name == base_name)
                        .ok_or_else(|| ProfileError {
                            message: format!(
                    "{origin}: extends = \"{base_name}\" names no known profile; known: {}",
                    bases.iter().map(|base| base.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
                        })?;
                extend(base, profile)
            }
        };
    validate(&profile).map_err(|message| ProfileError {
        message: format!("{origin}: {message}"),
    })?;
    Ok(profile)
}

/// A profile made of `base` with `child` laid over it: fields the child sets replace the
/// base's; tables with the base's ids are merged row by row.
fn extend(base: &Profile, child: Profile) -> Profile {
    let mut merged = base.clone();
    merged.name = child.name;
    merged.extends = None;
    if !child.description.is_empty() {
        merged.description = child.description;
    }
    merged.first_year = child.first_year.or(base.first_year);
    merged.last_year = if child.first_year.is_some() || child.last_year.is_some() {
        child.last_year
    } else {
        base.last_year
    };
    if !child.layout_markers.is_empty() {
        merged.layout_markers = child.layout_markers;
    }
    if !child.report_markers.is_empty() {
        merged.report_markers = child.report_markers;
    }
    if !child.sections.is_empty() {
        merged.sections = child.sections;
    }
    merged.generic = child.generic || base.generic;
    for table in child.tables {
        match merged.tables.iter_mut().find(|known| known.id == table.id) {
            Some(known) => merge_table(known, table),
            None => merged.tables.push(table),
        }
    }
    merged
}

fn merge_table(base: &mut TableTemplate, child: TableTemplate) {
    if !child.name.is_empty() {
        base.name = child.name;
    }
    base.section = child.section.or(base.section);
    if !child.markers.is_empty() {
        base.markers = child.markers;
        base.min_markers = child.min_markers;
    }
    if !child.columns.is_empty() {
        base.columns = child.columns;
    }
    if !child.relations.is_empty() {
        base.relations = child.relations;
    }
    base.rows.retain(|row| !child.drop_rows.contains(&row.id));
    for row in child.rows {
        if let Some(known) = base.rows.iter_mut().find(|known| known.id == row.id) {
            *known = row;
            continue;
        }
        let position = row
            .after
            .as_ref()
            .and_then(|after| base.rows.iter().position(|known| &known.id == after))
            .map_or(base.rows.len(), |index| index + 1);
        base.rows.insert(position, row);
    }
}

/// Checks that every id a relation or parent names exists, that parents form no cycle, and
/// that a `leaves:` group has rows under it.
fn validate(profile: &Profile) -> Result<(), String> {
    for table in &profile.tables {
        let has_row = |id: &str| table.rows.iter().any(|row| row.id == id);
        let has_column = |label: &str| table.columns.iter().any(|column| column.label == label);
        for row in &table.rows {
            if let Some(parent) = &row.parent {
                if !has_row(parent) {
                    return Err(format!(
                        "table {}: row {} has unknown parent \"{parent}\"",
                        table.id, row.id
                    ));
                }
            }
        }
        for row in &table.rows {
            let mut parent = row.parent.as_deref();
            for _ in 0..=table.rows.len() {
                match parent {
                    Some(id) if id == row.id => {
                        return Err(format!(
                            "table {}: row {} is its own ancestor (a parent cycle)",
                            table.id, row.id
                        ));
                    }
                    Some(id) => parent = table.row(id).and_then(|row| row.parent.as_deref()),
                    None => break,
                }
            }
        }
        for relation in &table.relations {
            if let RelationSpec::ColumnSum {
                parts: RowSelector::LeavesOf(group),
                ..
            } = relation
            {
                if table.leaves_of(group).is_empty() {
                    return Err(format!(
                        "table {}: \"leaves:{group}\" names a row with no rows under it",
                        table.id
                    ));
                }
            }
        }
        for relation in &table.relations {
            let (rows, columns): (Vec<&String>, Vec<&String>) = match relation {
                RelationSpec::RowSum { total, parts } => {
                    (Vec::new(), std::iter::once(total).chain(parts).collect())
                }
                RelationSpec::ColumnSum { total, parts } => {
                    let mut rows = vec![total];
                    match parts {
                        RowSelector::Ids(ids) => rows.extend(ids),
                        RowSelector::LeavesOf(group) => rows.push(group),
                    }
                    (rows, Vec::new())
                }
                RelationSpec::Balance { left, right } => {
                    (left.iter().chain(right).collect(), Vec::new())
                }
                // A row bound applies to the rows that have its columns (table 二's blocks have
                // their own), and to none in a profile whose rows do not.
                RelationSpec::RowAtMost { .. } => (Vec::new(), Vec::new()),
            };
            if let Some(missing) = rows.into_iter().find(|id| !has_row(id)) {
                return Err(format!(
                    "table {}: a relation names unknown row \"{missing}\"",
                    table.id
                ));
            }
            if let Some(missing) = columns.into_iter().find(|label| !has_column(label)) {
                return Err(format!(
                    "table {}: a relation names unknown column \"{missing}\"",
                    table.id
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load_and_extend() {
        let gov_2021 = builtin("gov-2021").unwrap();
        assert_eq!(gov_2021.sections.len(), 6);
        let table_3 = gov_2021
            .tables
            .iter()
            .find(|table| table.id == "table-3")
            .unwrap();
        let leaves: Vec<&str> = table_3
            .leaves_of("results")
            .iter()
            .map(|row| row.id.as_str())
            .collect();
        assert!(leaves.contains(&"other-handling-3"));
        assert!(!leaves.contains(&"other-handling"));
        let table_2 = gov_2021
            .tables
            .iter()
            .find(|table| table.id == "table-2")
            .unwrap();
        assert!(table_2.row("procurement").is_none());
        assert_eq!(gov_2021.last_year, None);
        let gov_2019 = builtin("gov-2019").unwrap();
        assert_eq!(
            gov_2019.tables[1].leaves_of("results").len(),
            2 + 8 + 3 + 5 + 1
        );
    }

    #[test]
    fn user_profiles_get_clear_errors() {
        let error =
            parse_profile("name = \"x\"\nbogus = 1\n", "mine.toml", builtins()).unwrap_err();
        assert!(error.message.starts_with("mine.toml:"), "{}", error.message);
        assert!(error.message.contains("bogus"), "{}", error.message);
        let error = parse_profile(
            "name = \"x\"\nextends = \"nope\"\n",
            "mine.toml",
            builtins(),
        )
        .unwrap_err();
        assert!(error.message.contains("gov-2019"), "{}", error.message);
        let relation = "name = \"x\"\n[[tables]]\nid = \"t\"\ncolumns = [\"a\"]\n[[tables.relations]]\nkind = \"row-sum\"\ntotal = \"b\"\nparts = [\"a\"]\n";
        let error = parse_profile(relation, "mine.toml", builtins()).unwrap_err();
        assert!(
            error.message.contains("unknown column \"b\""),
            "{}",
            error.message
        );
        let cycle = "name = \"x\"\n[[tables]]\nid = \"t\"\n[[tables.rows]]\nid = \"a\"\nlabel = \"甲\"\nparent = \"b\"\n[[tables.rows]]\nid = \"b\"\nlabel = \"乙\"\nparent = \"a\"\n";
        let error = parse_profile(cycle, "mine.toml", builtins()).unwrap_err();
        assert!(error.message.contains("cycle"), "{}", error.message);
        let empty_group = "name = \"x\"\n[[tables]]\nid = \"t\"\ncolumns = [\"a\"]\n[[tables.rows]]\nid = \"total\"\nlabel = \"合计\"\n[[tables.rows]]\nid = \"g\"\nlabel = \"收入\"\n[[tables.relations]]\nkind = \"column-sum\"\ntotal = \"total\"\nparts = \"leaves:g\"\n";
        let error = parse_profile(empty_group, "mine.toml", builtins()).unwrap_err();
        assert!(
            error.message.contains("no rows under it"),
            "{}",
            error.message
        );
    }

    #[test]
    fn every_built_in_label_matches_in_traditional_script() {
        // Every quoted Chinese string of the built-in profiles, as a mirror site writes it.
        assert_eq!(
            zhconv::zhconv("第二十条", zhconv::Variant::ZhHant),
            "第二十條"
        );
        for (name, source) in BUILTIN_SOURCES {
            for label in source
                .lines()
                .filter(|line| !line.trim_start().starts_with('#'))
                .flat_map(|line| line.split('"').skip(1).step_by(2))
                .map(|quoted| quoted.rsplit_once(':').map_or(quoted, |(label, _)| label))
                .filter(|label| {
                    label
                        .chars()
                        .any(|character| ('\u{4e00}'..='\u{9fff}').contains(&character))
                })
            {
                let traditional = zhconv::zhconv(label, zhconv::Variant::ZhHant);
                assert_eq!(
                    crate::text::label_key(&traditional),
                    crate::text::label_key(label),
                    "{name}: {label} written {traditional}"
                );
            }
        }
    }
}
