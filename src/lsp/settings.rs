//! The editor-side options (`initializationOptions`, `workspace/didChangeConfiguration`);
//! the `reportlint.toml` that governs each document comes from `crate::workspace`.

use crate::diagnostic::Lang;
use crate::profile::builtin;
use serde::Deserialize;

/// When documents are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LintOn {
    /// On every change, after the debounce.
    #[default]
    Type,
    /// When the document is opened or saved.
    Save,
}

/// The options an editor may send. Unknown keys are ignored; a key with a wrong type is
/// reported and leaves that option as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `auto` or a built-in profile's name; a `reportlint.toml` profile wins over `auto`.
    pub profile: String,
    pub debounce_ms: u64,
    pub lint_on: LintOn,
    pub inlay_hints: bool,
    /// Message language; `None` follows the client's locale.
    pub lang: Option<Lang>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            profile: "auto".to_string(),
            debounce_ms: 100,
            lint_on: LintOn::Type,
            inlay_hints: false,
            lang: None,
        }
    }
}

/// The options as sent, every key optional.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Partial {
    profile: Option<String>,
    debounce_ms: Option<u64>,
    lint_on: Option<LintOn>,
    inlay_hints: Option<bool>,
    lang: Option<String>,
}

impl Settings {
    /// Applies the options in `value` (either the options themselves or an object holding
    /// them under `reportlint`, as VS Code sends them). Returns a message for each option
    /// that could not be read; the others are applied.
    pub fn update(&mut self, value: &serde_json::Value) -> Vec<String> {
        let value = value.get("reportlint").unwrap_or(value);
        let Some(object) = value.as_object() else {
            return if value.is_null() {
                Vec::new()
            } else {
                vec![format!(
                    "reportlint settings must be an object, not {value}"
                )]
            };
        };
        let mut problems = Vec::new();
        for (key, item) in object {
            if key == "lang" && item.is_null() {
                // `"lang": null` means "follow the client's locale" again.
                self.lang = None;
                continue;
            }
            let single = serde_json::json!({ key: item });
            match serde_json::from_value::<Partial>(single) {
                Ok(partial) => self.apply(partial, &mut problems),
                Err(error) => problems.push(format!("reportlint setting `{key}`: {error}")),
            }
        }
        problems
    }

    fn apply(&mut self, partial: Partial, problems: &mut Vec<String>) {
        if let Some(profile) = partial.profile {
            if profile == "auto" || builtin(&profile).is_some() {
                self.profile = profile;
            } else {
                problems.push(format!(
                    "reportlint setting `profile`: unknown profile \"{profile}\"; use \"auto\" or one of {}",
                    crate::profile::BUILTIN_NAMES.join(", ")
                ));
            }
        }
        if let Some(debounce) = partial.debounce_ms {
            self.debounce_ms = debounce;
        }
        if let Some(lint_on) = partial.lint_on {
            self.lint_on = lint_on;
        }
        if let Some(inlay_hints) = partial.inlay_hints {
            self.inlay_hints = inlay_hints;
        }
        if let Some(lang) = partial.lang {
            self.lang = Some(Lang::from_locale(&lang));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_option_and_the_vscode_nesting() {
        let mut settings = Settings::default();
        let problems = settings.update(&json!({"reportlint": {
            "profile": "gov-2019", "debounceMs": 0, "lintOn": "save",
            "inlayHints": true, "lang": "zh-CN", "unknown": 1
        }}));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.profile, "gov-2019");
        assert_eq!(settings.debounce_ms, 0);
        assert_eq!(settings.lint_on, LintOn::Save);
        assert!(settings.inlay_hints);
        assert_eq!(settings.lang, Some(Lang::Zh));
        settings.update(&json!({"lang": null}));
        assert_eq!(settings.lang, None);
    }

    #[test]
    fn a_bad_option_is_reported_and_the_rest_applied() {
        let mut settings = Settings::default();
        let problems =
            settings.update(&json!({"debounceMs": "fast", "profile": "nope", "inlayHints": true}));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("debounceMs"), "{problems:?}");
        assert!(
            problems[1].contains("unknown profile \"nope\""),
            "{problems:?}"
        );
        assert_eq!(settings.debounce_ms, 100);
        assert_eq!(settings.profile, "auto");
        assert!(settings.inlay_hints);
        assert!(settings.update(&json!(null)).is_empty());
        assert_eq!(settings.update(&json!(3)).len(), 1);
    }
}
