//! The analysed document, what `ide::Analysis` is to rust-analyzer: built once per text and
//! settings, it owns the text, its line index, the parsed document, the model the rules read
//! (profile selection, table bindings, relations, the culprit search) and what the rules
//! found. The shells ask it (diagnostics, the arithmetic behind any number, the profile and
//! why) and nothing runs a second time: the arithmetic is written out from the same model,
//! for the relations a question is about.

use crate::diagnostic::Message;
use crate::document::Document;
use crate::evidence::{evidence, profile_text, Evidence};
use crate::line_index::LineIndex;
use crate::lint::{context, run_rules, LintOptions, LintResult};
use crate::profile::Profile;
use crate::rules::Context;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};
use text_size::TextRange;

/// A profile an analysis holds on to: a built-in one, or a user's, shared.
#[derive(Debug, Clone)]
pub enum ProfileRef {
    Builtin(&'static Profile),
    Custom(Arc<Profile>),
}

impl Deref for ProfileRef {
    type Target = Profile;

    fn deref(&self) -> &Profile {
        match self {
            ProfileRef::Builtin(profile) => profile,
            ProfileRef::Custom(profile) => profile,
        }
    }
}

/// What an analysis is made from, owned so that the model can borrow it.
struct Inputs {
    text: String,
    document: Arc<Document>,
    profile: Option<ProfileRef>,
}

self_cell::self_cell!(
    /// The inputs and the rules' context that borrows them.
    struct Model {
        owner: Inputs,
        #[covariant]
        dependent: Context,
    }
);

/// How the rules are run over a context: `run_rules`, or in tests a stand-in that fails on
/// purpose (to show that the language server survives a panic in the engine).
pub type Rules = fn(&Context, &LintOptions) -> LintResult;

/// One analysed text.
pub struct Analysis {
    model: Model,
    /// Built on the first position asked for: the CLI's renderers index the text they
    /// print themselves, and never ask.
    line_index: OnceLock<LineIndex>,
    result: LintResult,
}

impl Analysis {
    /// Analyses `text`, already parsed into `document`, against `profile` (or the profile
    /// selection's choice), with the rule options of `options` (its `profile` is not read).
    pub fn new(
        text: String,
        document: Arc<Document>,
        profile: Option<ProfileRef>,
        options: &LintOptions,
    ) -> Analysis {
        Analysis::with_rules(text, document, profile, options, run_rules)
    }

    /// Parses `text` and analyses it.
    pub fn of_text(text: String, profile: Option<ProfileRef>, options: &LintOptions) -> Analysis {
        let document = Arc::new(crate::document::parse(&text));
        Analysis::new(text, document, profile, options)
    }

    /// `new` with `rules` in place of the engine's.
    pub fn with_rules(
        text: String,
        document: Arc<Document>,
        profile: Option<ProfileRef>,
        options: &LintOptions,
        rules: Rules,
    ) -> Analysis {
        let inputs = Inputs {
            text,
            document,
            profile,
        };
        let model = Model::new(inputs, |inputs| {
            context(&inputs.text, &inputs.document, inputs.profile.as_deref())
        });
        let result = rules(model.borrow_dependent(), options);
        Analysis {
            model,
            line_index: OnceLock::new(),
            result,
        }
    }

    pub fn text(&self) -> &str {
        &self.model.borrow_owner().text
    }

    pub fn document(&self) -> &Arc<Document> {
        &self.model.borrow_owner().document
    }

    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(self.text()))
    }

    /// The model the rules read.
    pub fn context(&self) -> &Context<'_> {
        self.model.borrow_dependent()
    }

    /// What the rules found, the profile and why, and what was checked.
    pub fn result(&self) -> &LintResult {
        &self.result
    }

    /// The relations a cell at byte `at` takes part in, with their arithmetic (a hover).
    pub fn evidence_at(&self, at: usize) -> Vec<Evidence> {
        let touches =
            |range: TextRange| usize::from(range.start()) <= at && at <= usize::from(range.end());
        evidence(self.context(), |cells, _| {
            for cell in cells {
                if touches(cell) {
                    return true;
                }
            }
            false
        })
    }

    /// The relations whose total cell ends inside `bytes`, with their arithmetic (inlay
    /// hints over the visible part of a document).
    pub fn evidence_in(&self, bytes: std::ops::Range<usize>) -> Vec<Evidence> {
        evidence(self.context(), |_, total| {
            total.is_some_and(|total| {
                let end = usize::from(total.end());
                bytes.start <= end && end <= bytes.end
            })
        })
    }

    /// The text and what the rules found, for a shell that is done asking.
    pub fn into_text_and_result(self) -> (String, LintResult) {
        let result = self.result;
        (self.model.into_owner().text, result)
    }

    /// The profile the report was checked against, and why (the hover on the title).
    pub fn profile_text(&self) -> Message {
        profile_text(&self.context().selection)
    }
}
