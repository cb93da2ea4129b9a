//! The rule registry: every rule's name, default severity and documentation, and the
//! function that runs them all over one checked document. Invariant: rule names are unique
//! kebab-case names of defects, and each has a file in this folder with its docs.

use crate::diagnostic::Severity;

/// What the shells need to know about a rule without running it.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// The rule's name: the `code` of its diagnostics and the key users put in config.
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line, for `reportlint rule` and SARIF.
    pub summary: &'static str,
    /// The whole documentation, Markdown, for `reportlint rule NAME`.
    pub docs: &'static str,
}

/// Every rule, in the order `reportlint rule` lists them.
pub const RULES: &[RuleMeta] = &[];

/// Looks a rule up by name.
pub fn find(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|rule| rule.code == code)
}
