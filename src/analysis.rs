//! The analysed document, what `ide::Analysis` is to rust-analyzer: built once per text and
//! settings, it owns the text, its line index, the parsed document, the model the rules read
//! (profile selection, table bindings, relations, the culprit search) and what the rules
//! found. The shells ask it (diagnostics, the arithmetic behind any number, the profile and
//! why) and nothing runs a second time: the arithmetic is written out from the same model,
//! for the relations a question is about. After an edit, `Analysis::update` takes over from
//! the previous analysis every free table the edit did not reach (see `lint`).

use crate::diagnostic::Message;
use crate::document::{BlockMap, Document};
use crate::evidence::{evidence, profile_text, Evidence};
use crate::line_index::LineIndex;
use crate::lint::{analyse_parts, run_rules, FreeTable, LintOptions, LintResult, Parts};
use crate::lint::{Previous, RulePlan, Rules};
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
    /// The inputs and the analysis that borrows them.
    struct Model {
        owner: Inputs,
        #[covariant]
        dependent: Parts,
    }
);

/// What an analysis hands the next analysis of the same document (`Analysis::update`).
pub struct Carry {
    previous: Previous,
    /// The previous text's line index, if it was built: edited along with the text.
    line_index: Option<LineIndex>,
    /// Keeps a user's profile alive until the next analysis is built: the carry knows the
    /// profiles by address.
    _profile: Option<ProfileRef>,
}

impl Carry {
    /// Follows a change of the text: `old` replaced by `new_len` bytes gave `text`.
    pub fn edited(&mut self, text: &str, old: std::ops::Range<usize>, new_len: usize) {
        self.line_index = self
            .line_index
            .take()
            .map(|index| index.edited(text, old, new_len));
    }
}

/// One analysed text.
pub struct Analysis {
    model: Model,
    /// What the options decided about each rule: a later analysis takes over free tables
    /// only under the same plan.
    plan: RulePlan,
    /// Built on the first position asked for: the CLI's renderers index the text they
    /// print themselves, and never ask.
    line_index: OnceLock<LineIndex>,
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
        Analysis::with_rules(text, document, profile, options, None, run_rules)
    }

    /// Parses `text` and analyses it.
    pub fn of_text(text: String, profile: Option<ProfileRef>, options: &LintOptions) -> Analysis {
        let document = Arc::new(crate::document::parse(&text));
        Analysis::new(text, document, profile, options)
    }

    /// The analysis of `text` after a change to the text of the analysis `carry` came from:
    /// `document` is its re-parse and `map` says which blocks it kept. Equals `new` of the
    /// same inputs.
    pub fn update(
        carry: Carry,
        map: BlockMap,
        text: String,
        document: Arc<Document>,
        profile: Option<ProfileRef>,
        options: &LintOptions,
    ) -> Analysis {
        Analysis::with_rules(
            text,
            document,
            profile,
            options,
            Some((carry, map)),
            run_rules,
        )
    }

    /// `new` or `update`, with `rules` in place of the engine's.
    pub fn with_rules(
        text: String,
        document: Arc<Document>,
        profile: Option<ProfileRef>,
        options: &LintOptions,
        previous: Option<(Carry, BlockMap)>,
        rules: Rules,
    ) -> Analysis {
        let inputs = Inputs {
            text,
            document,
            profile,
        };
        let plan = RulePlan::new(options);
        let line_index = OnceLock::new();
        let model = Model::new(inputs, |inputs| {
            let previous = previous.map(|(carry, map)| {
                if let Some(index) = carry.line_index {
                    let _ = line_index.set(index);
                }
                Previous {
                    map,
                    ..carry.previous
                }
            });
            analyse_parts(
                &inputs.text,
                &inputs.document,
                inputs.profile.as_deref(),
                &plan,
                previous,
                rules,
            )
        });
        Analysis {
            model,
            plan,
            line_index,
        }
    }

    /// What the next analysis of this document, after a change, can take over from this one.
    pub fn carry(&self) -> Carry {
        let parts = self.model.borrow_dependent();
        Carry {
            previous: Previous::of(parts, &self.plan, BlockMap::unchanged(parts.facts.len())),
            line_index: self.line_index.get().cloned(),
            _profile: self.model.borrow_owner().profile.clone(),
        }
    }

    /// Takes the analysis apart for the next one: its text (to edit in place), the parsed
    /// document (which the re-parse after a change can take over in place when no one else
    /// holds it) and the carry.
    pub fn into_parts(mut self) -> (String, Arc<Document>, Carry) {
        let (facts, free) = self.model.with_dependent_mut(|_, parts| {
            (
                std::mem::take(&mut parts.facts),
                std::mem::take(&mut parts.free),
            )
        });
        let blocks = facts.len();
        let previous = Previous {
            facts,
            free,
            map: BlockMap::unchanged(blocks),
            plan: self.plan.clone(),
            profiles: crate::lint::profile_addresses(&self.context().selection),
        };
        let inputs = self.model.into_owner();
        let carry = Carry {
            previous,
            line_index: self.line_index.take(),
            _profile: inputs.profile,
        };
        (inputs.text, inputs.document, carry)
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

    /// The document part's context: selection, template bindings and their relations.
    pub fn context(&self) -> &Context<'_> {
        &self.model.borrow_dependent().document
    }

    /// What the rules found, the profile and why, and what was checked.
    pub fn result(&self) -> &LintResult {
        &self.model.borrow_dependent().result
    }

    /// The free tables whose block ranges meet `bytes` (the end inclusive).
    fn free_tables_in(&self, bytes: std::ops::Range<usize>) -> &[FreeTable] {
        let free = &self.model.borrow_dependent().free;
        let blocks = &self.document().blocks;
        let first = free
            .partition_point(|table| usize::from(blocks[table.block].range.end()) < bytes.start);
        let last = free
            .partition_point(|table| usize::from(blocks[table.block].range.start()) <= bytes.end);
        &free[first..last.max(first)]
    }

    /// The relations of the document part and of the free tables meeting `bytes` that
    /// `wanted` keeps, written out.
    fn evidence_near(
        &self,
        bytes: std::ops::Range<usize>,
        wanted: impl Fn(&mut dyn Iterator<Item = TextRange>, Option<TextRange>) -> bool,
    ) -> Vec<Evidence> {
        let context = self.context();
        let mut found = evidence(context, &wanted);
        for table in self.free_tables_in(bytes) {
            let table_context = table.context(self.text(), self.document(), &context.selection);
            found.extend(evidence(&table_context, &wanted));
        }
        found
    }

    /// The relations a cell at byte `at` takes part in, with their arithmetic (a hover).
    pub fn evidence_at(&self, at: usize) -> Vec<Evidence> {
        let touches =
            |range: TextRange| usize::from(range.start()) <= at && at <= usize::from(range.end());
        self.evidence_near(at..at, |cells, _| {
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
        self.evidence_near(bytes.clone(), |_, total| {
            total.is_some_and(|total| {
                let end = usize::from(total.end());
                bytes.start <= end && end <= bytes.end
            })
        })
    }

    /// The text and what the rules found, for a shell that is done asking.
    pub fn into_text_and_result(mut self) -> (String, LintResult) {
        let diagnostics = self
            .model
            .with_dependent_mut(|_, parts| std::mem::take(&mut parts.result.diagnostics));
        let result = LintResult {
            diagnostics,
            ..self.result().clone()
        };
        (self.model.into_owner().text, result)
    }

    /// The profile the report was checked against, and why (the hover on the title).
    pub fn profile_text(&self) -> Message {
        profile_text(&self.context().selection)
    }
}
