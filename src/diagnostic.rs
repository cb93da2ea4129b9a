//! Diagnostics: what a rule found, where (byte ranges into the original text), in both
//! languages, with related locations and an optional fix. Decided once, in the rule; the
//! shells only format them.

use crate::fix::{moved_range, Fix, HasFix};
pub use crate::message::{Lang, Message};
use serde::{Deserialize, Serialize};
use text_size::{TextRange, TextSize};

/// How serious a finding is. Ordered so that `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary location that explains a diagnostic, such as a cell that was summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: Message,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's name, e.g. `sum-mismatch`: the `code` in every output format.
    pub code: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: Message,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, range: TextRange, message: Message) -> Self {
        Diagnostic {
            code,
            severity,
            range,
            message,
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn with_related(mut self, related: Vec<Related>) -> Self {
        self.related = related;
        self
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    /// This diagnostic of a text that started at `from`, for the same text moved to start at
    /// `to` (a table whose findings are kept while an edit elsewhere moves it).
    pub fn moved(&self, from: TextSize, to: TextSize) -> Diagnostic {
        if from == to {
            return self.clone();
        }
        Diagnostic {
            code: self.code,
            severity: self.severity,
            range: moved_range(self.range, from, to),
            message: self.message.clone(),
            related: self
                .related
                .iter()
                .map(|related| Related {
                    range: moved_range(related.range, from, to),
                    message: related.message.clone(),
                })
                .collect(),
            fix: self.fix.as_ref().map(|fix| fix.moved(from, to)),
        }
    }
}

impl HasFix for Diagnostic {
    fn fix(&self) -> Option<&Fix> {
        self.fix.as_ref()
    }
}
