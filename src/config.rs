//! The `reportlint.toml` / `.reportlint.toml` configuration: parsed from text into a
//! [`Config`]. Invariant: a `Config` only ever holds known keys, known rule names, valid
//! severities and (unless a `profile-file` defines its own) a known profile name; every
//! problem is a [`ConfigError`] that names the file and the key and lists the valid choices.
//! This module does no IO: callers read the file and resolve paths.
//!
//! # Format
//!
//! ```toml
//! profile = "auto"                      # or gov-2021, gov-2019, gov-legacy, generic,
//!                                       # or a name defined by the custom profile file
//! profile-file = "profiles/mine.toml"   # optional: a custom profile, relative to the
//!                                       # config file's folder
//! lang = "zh"                           # optional: en | zh
//! exclude = ["drafts/old/**", "*.bak.md"]   # optional glob patterns, relative to the
//!                                           # config file's folder
//!
//! [rules]
//! sum-mismatch = "warning"              # error | warning | info | off
//! empty-section = "off"
//! ```
//!
//! Every key is optional. Rules not named under `[rules]` keep their default severity.
//!
//! # Exclude patterns
//!
//! Patterns are matched against the whole path of a file relative to the config file's
//! folder, with `/` between segments: `*` matches any run of characters within one segment,
//! `?` matches one character within a segment, and a segment that is exactly `**` matches
//! any number of segments, including none. So `*.bak.md` excludes only files at the top of
//! the folder, and `**/*.bak.md` excludes them at any depth. A pattern that matches a folder
//! excludes everything inside it: `drafts/old` excludes `drafts/old/a.md`. Leading `./` and
//! `/` are ignored in both patterns and paths.

use crate::diagnostic::{Lang, Severity};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// The names a configuration file may have, in the order they are looked for in a folder.
pub const CONFIG_FILE_NAMES: [&str; 2] = ["reportlint.toml", ".reportlint.toml"];

/// The top-level keys a configuration file may hold, in the order the docs list them.
const KEYS: [&str; 5] = ["profile", "profile-file", "lang", "exclude", "rules"];

/// A parsed configuration file. Every field is what the file said, or empty when it said
/// nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// The profile's name (`profile`): a known profile, or one defined by `profile_file`.
    pub profile: Option<String>,
    /// The custom profile file (`profile-file`), as written: relative to the config
    /// file's folder unless absolute. The caller resolves and reads it.
    pub profile_file: Option<PathBuf>,
    /// The language messages are shown in (`lang`).
    pub lang: Option<Lang>,
    /// Glob patterns (`exclude`) for files not to check; see [`Config::is_excluded`].
    pub exclude: Vec<String>,
    /// Per-rule settings (`[rules]`), keyed by rule name.
    pub rules: BTreeMap<String, RuleSetting>,
}

/// What `[rules]` says about one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleSetting {
    /// The rule does not run.
    Off,
    /// The rule runs and reports at this severity instead of its default.
    Severity(Severity),
}

/// A configuration file that cannot be used. The message names the file and the key and
/// lists the valid choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The whole message, starting with the file name given to [`Config::parse`].
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses the text of a configuration file. `path_for_messages` starts every error
    /// message; `known_rules` and `known_profiles` are the names the file may use.
    pub fn parse(
        text: &str,
        path_for_messages: &str,
        known_rules: &[&str],
        known_profiles: &[&str],
    ) -> Result<Config, ConfigError> {
        let file = path_for_messages;
        let error = |message: String| ConfigError {
            message: format!("{file}: {message}"),
        };
        let table: toml::Table = text.parse().map_err(|syntax: toml::de::Error| {
            let detail = syntax
                .message()
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            match syntax.span() {
                Some(span) => {
                    let (line, column) = line_and_column(text, span.start);
                    ConfigError {
                        message: format!("{file}:{line}:{column}: TOML syntax error: {detail}"),
                    }
                }
                None => error(format!("TOML syntax error: {detail}")),
            }
        })?;

        if let Some(key) = table.keys().find(|key| !KEYS.contains(&key.as_str())) {
            return Err(error(format!(
                "unknown key {key:?}; valid keys: {}",
                KEYS.join(", ")
            )));
        }

        let mut config = Config::default();

        if let Some(value) = table.get("profile-file") {
            let path = value.as_str().ok_or_else(|| {
                error(format!(
                    "profile-file = {value} is not a path; write it as a string relative to \
                     this file's folder, e.g. profile-file = \"profiles/mine.toml\""
                ))
            })?;
            if path.trim().is_empty() {
                return Err(error(
                    "profile-file is empty; write a path relative to this file's folder, \
                     e.g. profile-file = \"profiles/mine.toml\""
                        .to_string(),
                ));
            }
            config.profile_file = Some(PathBuf::from(path));
        }

        if let Some(value) = table.get("profile") {
            let profiles = list(known_profiles);
            let name = value.as_str().ok_or_else(|| {
                error(format!(
                    "profile = {value} is not a profile name; known profiles: {profiles}"
                ))
            })?;
            if config.profile_file.is_none() && !known_profiles.contains(&name) {
                return Err(error(format!(
                    "unknown profile {name:?}; known profiles: {profiles} \
                     (or set profile-file to a custom profile that defines it)"
                )));
            }
            config.profile = Some(name.to_string());
        }

        if let Some(value) = table.get("lang") {
            config.lang = match value.as_str() {
                Some("en") => Some(Lang::En),
                Some("zh") => Some(Lang::Zh),
                _ => {
                    return Err(error(format!(
                        "lang = {value} is not a language; use en or zh"
                    )))
                }
            };
        }

        if let Some(value) = table.get("exclude") {
            let items = value.as_array().ok_or_else(|| {
                error(format!(
                    "exclude = {value} is not a list of glob patterns; write e.g. \
                     exclude = [\"drafts/old/**\", \"*.bak.md\"]"
                ))
            })?;
            for (index, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(pattern) if !pattern.trim().is_empty() => {
                        config.exclude.push(pattern.to_string());
                    }
                    Some(_) => {
                        return Err(error(format!(
                            "exclude[{index}] is an empty pattern; remove it or write a glob \
                             such as \"drafts/old/**\""
                        )))
                    }
                    None => {
                        return Err(error(format!(
                            "exclude[{index}] = {item} is not a glob pattern; write it as a \
                             string such as \"drafts/old/**\""
                        )))
                    }
                }
            }
        }

        if let Some(value) = table.get("rules") {
            let rules = value.as_table().ok_or_else(|| {
                error(format!(
                    "rules = {value} is not a table; write a [rules] section with lines \
                     such as sum-mismatch = \"warning\""
                ))
            })?;
            for (name, setting) in rules {
                if !known_rules.contains(&name.as_str()) {
                    return Err(error(format!(
                        "unknown rule {name:?} in [rules]; valid rules: {}",
                        list(known_rules)
                    )));
                }
                let setting = match setting.as_str() {
                    Some("off") => RuleSetting::Off,
                    Some("error") => RuleSetting::Severity(Severity::Error),
                    Some("warning") => RuleSetting::Severity(Severity::Warning),
                    Some("info") => RuleSetting::Severity(Severity::Info),
                    _ => {
                        return Err(error(format!(
                            "rules.{name} = {setting} is not a severity; \
                             use error, warning, info or off"
                        )))
                    }
                };
                config.rules.insert(name.clone(), setting);
            }
        }

        Ok(config)
    }

    /// The severity rule `code` reports at: what `[rules]` says, else `default`.
    /// `None` means the rule is off.
    pub fn severity_for(&self, code: &str, default: Severity) -> Option<Severity> {
        match self.rules.get(code) {
            Some(RuleSetting::Off) => None,
            Some(RuleSetting::Severity(severity)) => Some(*severity),
            None => Some(default),
        }
    }

    /// Whether a file, given by its `/`-separated path relative to the config file's
    /// folder, matches an `exclude` pattern (or lies in a folder that matches one).
    pub fn is_excluded(&self, relative_path: &str) -> bool {
        let path = segments(relative_path);
        if path.is_empty() {
            return false;
        }
        self.exclude.iter().any(|pattern| {
            let pattern = segments(pattern);
            !pattern.is_empty()
                && (1..=path.len()).any(|end| match_segments(&pattern, &path[..end]))
        })
    }
}

/// Names joined for a message, or `(none)` when there are none.
fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "(none)".to_string()
    } else {
        names.join(", ")
    }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The segments of a `/`-separated path or pattern, without empty and `.` segments.
fn segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|segment| !segment.is_empty() && *segment != ".")
        .collect()
}

/// Whether pattern segments match path segments; a `**` segment matches any number of
/// path segments. Greedy with backtracking to the last `**`, so linear in practice.
fn match_segments(pattern: &[&str], path: &[&str]) -> bool {
    let (mut p, mut s) = (0, 0);
    let mut globstar: Option<(usize, usize)> = None;
    while s < path.len() {
        if p < pattern.len() && pattern[p] == "**" {
            globstar = Some((p, s));
            p += 1;
        } else if p < pattern.len() && match_segment(pattern[p], path[s]) {
            p += 1;
            s += 1;
        } else if let Some((star_p, star_s)) = globstar {
            p = star_p + 1;
            s = star_s + 1;
            globstar = Some((star_p, star_s + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|segment| *segment == "**")
}

/// Whether one pattern segment (`*` any run, `?` one character) matches one path segment.
fn match_segment(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, n));
            p += 1;
        } else if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if let Some((star_p, star_n)) = star {
            p = star_p + 1;
            n = star_n + 1;
            star = Some((star_p, star_n + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registered rules: the configuration is checked against the real registry.
    fn rules() -> Vec<&'static str> {
        crate::rules::codes()
    }
    const PROFILES: &[&str] = &["auto", "gov-2021", "gov-2019", "gov-legacy", "generic"];

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, "reportlint.toml", &rules(), PROFILES)
    }

    fn error(text: &str) -> String {
        parse(text)
            .expect_err("config should be rejected")
            .to_string()
    }

    fn excluding(patterns: &[&str]) -> Config {
        Config {
            exclude: patterns.iter().map(|pattern| pattern.to_string()).collect(),
            ..Config::default()
        }
    }

    #[test]
    fn file_names() {
        assert_eq!(CONFIG_FILE_NAMES, ["reportlint.toml", ".reportlint.toml"]);
    }

    #[test]
    fn empty_file_is_the_default_config() {
        assert_eq!(parse("").unwrap(), Config::default());
        assert_eq!(parse("# only a comment\n\n").unwrap(), Config::default());
    }

    #[test]
    fn full_example_parses() {
        let config = parse(
            r#"
profile = "auto"
profile-file = "profiles/mine.toml"
lang = "zh"
exclude = ["drafts/old/**", "*.bak.md"]
[rules]
sum-mismatch = "warning"
empty-section = "off"
"#,
        )
        .unwrap();
        assert_eq!(config.profile.as_deref(), Some("auto"));
        assert_eq!(
            config.profile_file,
            Some(PathBuf::from("profiles/mine.toml"))
        );
        assert_eq!(config.lang, Some(Lang::Zh));
        assert_eq!(config.exclude, vec!["drafts/old/**", "*.bak.md"]);
        assert_eq!(
            config.rules.get("sum-mismatch"),
            Some(&RuleSetting::Severity(Severity::Warning))
        );
        assert_eq!(config.rules.get("empty-section"), Some(&RuleSetting::Off));
        assert_eq!(config.rules.len(), 2);
    }

    #[test]
    fn every_known_profile_is_accepted() {
        for profile in PROFILES {
            let config = parse(&format!("profile = {profile:?}")).unwrap();
            assert_eq!(config.profile.as_deref(), Some(*profile));
            assert_eq!(config.profile_file, None);
        }
    }

    #[test]
    fn both_languages_are_accepted() {
        assert_eq!(parse("lang = \"en\"").unwrap().lang, Some(Lang::En));
        assert_eq!(parse("lang = \"zh\"").unwrap().lang, Some(Lang::Zh));
    }

    #[test]
    fn every_severity_and_off_are_accepted() {
        let config = parse(
            "[rules]\nmissing-section = \"error\"\nsection-order = \"warning\"\n\
             table-shape = \"info\"\nblank-cell = \"off\"\n",
        )
        .unwrap();
        assert_eq!(
            config.rules.get("missing-section"),
            Some(&RuleSetting::Severity(Severity::Error))
        );
        assert_eq!(
            config.rules.get("section-order"),
            Some(&RuleSetting::Severity(Severity::Warning))
        );
        assert_eq!(
            config.rules.get("table-shape"),
            Some(&RuleSetting::Severity(Severity::Info))
        );
        assert_eq!(config.rules.get("blank-cell"), Some(&RuleSetting::Off));
    }

    #[test]
    fn inline_and_dotted_rules_are_accepted() {
        let config = parse("rules = { sum-mismatch = \"info\" }").unwrap();
        assert_eq!(
            config.rules.get("sum-mismatch"),
            Some(&RuleSetting::Severity(Severity::Info))
        );
        let config = parse("rules.wrong-format = \"off\"").unwrap();
        assert_eq!(config.rules.get("wrong-format"), Some(&RuleSetting::Off));
    }

    #[test]
    fn severity_for_uses_the_setting_or_the_default() {
        let config = parse("[rules]\nsum-mismatch = \"warning\"\nempty-section = \"off\"").unwrap();
        assert_eq!(
            config.severity_for("sum-mismatch", Severity::Error),
            Some(Severity::Warning)
        );
        assert_eq!(config.severity_for("empty-section", Severity::Error), None);
        assert_eq!(
            config.severity_for("blank-cell", Severity::Info),
            Some(Severity::Info)
        );
        assert_eq!(
            Config::default().severity_for("table-shape", Severity::Error),
            Some(Severity::Error)
        );
    }

    #[test]
    fn unknown_key_lists_the_valid_keys() {
        assert_eq!(
            error("rulez = 1"),
            "reportlint.toml: unknown key \"rulez\"; valid keys: profile, profile-file, lang, \
             exclude, rules"
        );
        assert_eq!(
            error("[rule]\nsum-mismatch = \"off\""),
            "reportlint.toml: unknown key \"rule\"; valid keys: profile, profile-file, lang, \
             exclude, rules"
        );
    }

    #[test]
    fn messages_start_with_the_given_path() {
        let message = Config::parse("rulez = 1", "docs/.reportlint.toml", &rules(), PROFILES)
            .unwrap_err()
            .message;
        assert!(
            message.starts_with("docs/.reportlint.toml: unknown key"),
            "{message}"
        );
    }

    #[test]
    fn unknown_rule_lists_the_valid_rules() {
        assert_eq!(
            error("[rules]\nsum-mismatc = \"off\""),
            "reportlint.toml: unknown rule \"sum-mismatc\" in [rules]; valid rules: \
             missing-section, section-order, empty-section, table-shape, label-mismatch, \
             missing-row, blank-cell, invalid-number, sum-mismatch, balance-mismatch, mixed-units, \
             wrong-format"
        );
    }

    #[test]
    fn unknown_rule_with_no_known_rules_says_none() {
        let message = Config::parse("[rules]\nx = \"off\"", "reportlint.toml", &[], PROFILES)
            .unwrap_err()
            .message;
        assert_eq!(
            message,
            "reportlint.toml: unknown rule \"x\" in [rules]; valid rules: (none)"
        );
    }

    #[test]
    fn bad_severity_lists_the_valid_severities() {
        assert_eq!(
            error("[rules]\nsum-mismatch = \"fatal\""),
            "reportlint.toml: rules.sum-mismatch = \"fatal\" is not a severity; use error, \
             warning, info or off"
        );
        assert_eq!(
            error("[rules]\nsum-mismatch = \"Warning\""),
            "reportlint.toml: rules.sum-mismatch = \"Warning\" is not a severity; use error, \
             warning, info or off"
        );
        assert_eq!(
            error("[rules]\nsum-mismatch = false"),
            "reportlint.toml: rules.sum-mismatch = false is not a severity; use error, \
             warning, info or off"
        );
    }

    #[test]
    fn rules_must_be_a_table() {
        assert_eq!(
            error("rules = \"off\""),
            "reportlint.toml: rules = \"off\" is not a table; write a [rules] section with \
             lines such as sum-mismatch = \"warning\""
        );
    }

    #[test]
    fn unknown_profile_lists_the_known_profiles() {
        assert_eq!(
            error("profile = \"gov-2020\""),
            "reportlint.toml: unknown profile \"gov-2020\"; known profiles: auto, gov-2021, \
             gov-2019, gov-legacy, generic (or set profile-file to a custom profile that \
             defines it)"
        );
    }

    #[test]
    fn profile_must_be_a_string() {
        assert_eq!(
            error("profile = 2021"),
            "reportlint.toml: profile = 2021 is not a profile name; known profiles: auto, \
             gov-2021, gov-2019, gov-legacy, generic"
        );
    }

    #[test]
    fn any_profile_name_is_accepted_with_a_profile_file() {
        let config = parse("profile = \"mine\"\nprofile-file = \"profiles/mine.toml\"").unwrap();
        assert_eq!(config.profile.as_deref(), Some("mine"));
        assert_eq!(
            config.profile_file,
            Some(PathBuf::from("profiles/mine.toml"))
        );
        // The order of the keys in the file does not matter.
        let config = parse("profile-file = \"mine.toml\"\nprofile = \"ours\"").unwrap();
        assert_eq!(config.profile.as_deref(), Some("ours"));
    }

    #[test]
    fn profile_file_alone_is_accepted() {
        let config = parse("profile-file = \"p.toml\"").unwrap();
        assert_eq!(config.profile, None);
        assert_eq!(config.profile_file, Some(PathBuf::from("p.toml")));
    }

    #[test]
    fn profile_file_must_be_a_non_empty_string() {
        assert_eq!(
            error("profile-file = 1"),
            "reportlint.toml: profile-file = 1 is not a path; write it as a string relative \
             to this file's folder, e.g. profile-file = \"profiles/mine.toml\""
        );
        assert_eq!(
            error("profile-file = \" \""),
            "reportlint.toml: profile-file is empty; write a path relative to this file's \
             folder, e.g. profile-file = \"profiles/mine.toml\""
        );
    }

    #[test]
    fn bad_lang_lists_the_languages() {
        assert_eq!(
            error("lang = \"fr\""),
            "reportlint.toml: lang = \"fr\" is not a language; use en or zh"
        );
        assert_eq!(
            error("lang = 1"),
            "reportlint.toml: lang = 1 is not a language; use en or zh"
        );
    }

    #[test]
    fn exclude_must_be_a_list_of_patterns() {
        assert_eq!(
            error("exclude = \"*.bak.md\""),
            "reportlint.toml: exclude = \"*.bak.md\" is not a list of glob patterns; write \
             e.g. exclude = [\"drafts/old/**\", \"*.bak.md\"]"
        );
        assert_eq!(
            error("exclude = [\"a\", 3]"),
            "reportlint.toml: exclude[1] = 3 is not a glob pattern; write it as a string \
             such as \"drafts/old/**\""
        );
        assert_eq!(
            error("exclude = [\"\"]"),
            "reportlint.toml: exclude[0] is an empty pattern; remove it or write a glob such \
             as \"drafts/old/**\""
        );
    }

    #[test]
    fn syntax_errors_give_the_line_and_column() {
        assert_eq!(
            error("profile = \"auto\"\nlang = \n"),
            "reportlint.toml:2:8: TOML syntax error: invalid string; expected `\"`, `'`"
        );
        assert_eq!(
            error("profile = \"auto\"\n\n[rules\n"),
            "reportlint.toml:3:7: TOML syntax error: invalid table header; expected `.`, `]`"
        );
    }

    #[test]
    fn duplicate_keys_are_syntax_errors() {
        assert_eq!(
            error("lang = \"en\"\nlang = \"zh\"\n"),
            "reportlint.toml:2:1: TOML syntax error: duplicate key `lang` in document root"
        );
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_and_column("abc", 0), (1, 1));
        assert_eq!(line_and_column("a\nbc", 3), (2, 2));
        assert_eq!(line_and_column("年\n年份", 7), (2, 2));
        assert_eq!(line_and_column("ab", 99), (1, 3));
    }

    #[test]
    fn single_star_stays_within_a_segment() {
        let config = excluding(&["*.bak.md"]);
        assert!(config.is_excluded("report.bak.md"));
        assert!(config.is_excluded(".bak.md"));
        assert!(!config.is_excluded("report.md"));
        assert!(!config.is_excluded("drafts/report.bak.md"));
        let config = excluding(&["drafts/*.md"]);
        assert!(config.is_excluded("drafts/a.md"));
        assert!(!config.is_excluded("drafts/sub/a.md"));
        assert!(!config.is_excluded("other/a.md"));
    }

    #[test]
    fn double_star_crosses_segments() {
        let config = excluding(&["drafts/old/**"]);
        assert!(config.is_excluded("drafts/old/a.md"));
        assert!(config.is_excluded("drafts/old/2019/q1/a.md"));
        assert!(!config.is_excluded("drafts/new/a.md"));
        assert!(!config.is_excluded("drafts/older/a.md"));
        let config = excluding(&["**/*.bak.md"]);
        assert!(config.is_excluded("a.bak.md"));
        assert!(config.is_excluded("x/y/z/a.bak.md"));
        assert!(!config.is_excluded("x/y/z/a.md"));
        let config = excluding(&["a/**/b/*.md"]);
        assert!(config.is_excluded("a/b/c.md"));
        assert!(config.is_excluded("a/x/y/b/c.md"));
        assert!(config.is_excluded("a/b/x/b/c.md"));
        assert!(!config.is_excluded("a/x/c.md"));
        let config = excluding(&["**"]);
        assert!(config.is_excluded("anything/at/all.md"));
    }

    #[test]
    fn question_mark_matches_one_character() {
        let config = excluding(&["q?.md"]);
        assert!(config.is_excluded("q1.md"));
        assert!(config.is_excluded("q季.md"));
        assert!(!config.is_excluded("q.md"));
        assert!(!config.is_excluded("q12.md"));
        assert!(!config.is_excluded("q/.md"));
    }

    #[test]
    fn a_matching_folder_excludes_its_contents() {
        let config = excluding(&["drafts/old"]);
        assert!(config.is_excluded("drafts/old"));
        assert!(config.is_excluded("drafts/old/a.md"));
        assert!(!config.is_excluded("drafts/old.md"));
        let config = excluding(&["arch*"]);
        assert!(config.is_excluded("archive/2019/report.md"));
    }

    #[test]
    fn literal_patterns_match_exactly() {
        let config = excluding(&["report.md"]);
        assert!(config.is_excluded("report.md"));
        assert!(!config.is_excluded("report.mdx"));
        assert!(!config.is_excluded("my-report.md"));
        assert!(!config.is_excluded("sub/report.md"));
        assert!(!excluding(&[]).is_excluded("report.md"));
    }

    #[test]
    fn leading_dot_slash_and_slash_are_ignored() {
        let config = excluding(&["./drafts/*.md"]);
        assert!(config.is_excluded("drafts/a.md"));
        assert!(config.is_excluded("./drafts/a.md"));
        let config = excluding(&["/drafts/*.md"]);
        assert!(config.is_excluded("drafts/a.md"));
        assert!(!config.is_excluded(""));
    }

    #[test]
    fn segment_matcher_backtracks() {
        assert!(match_segment("*a*b", "xaxxab"));
        assert!(match_segment("a*b*c", "abbbc"));
        assert!(!match_segment("a*b*c", "abbb"));
        assert!(match_segment("**", "abc"));
        assert!(match_segment("", ""));
        assert!(!match_segment("", "a"));
    }
}
