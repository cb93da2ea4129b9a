//! The engine's pipeline: text in, diagnostics out. Parses, selects the profile, binds
//! tables, builds and analyses relations, runs the rules, then applies the user's
//! severities, `--select`/`--ignore` and inline suppressions. Pure: no IO, never fails.
//!
//! A document is analysed in parts: the document part (sections, profile, the tables bound
//! to templates, which a template may join across tables) and one part per free table (a
//! table no template claimed, whose relations come from its own total labels and read no
//! other table). A free table's outcome depends on its text and the profiles alone, so an
//! analysis after an edit takes it over from the previous one while the table is unchanged
//! (`Previous`), moving its findings with the table.

use crate::bind::{bind, Bindings};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Message, Severity};
use crate::document::{parse, BlockMap, Document};
use crate::profile::{select, select_from, BlockFacts, Profile, Selection};
use crate::relations::{analyse, build_bound, build_free, tally, Tally};
use crate::rules::{Context, Part, Reads, Report, RULES};
use crate::suppress::Suppressions;
use std::collections::HashMap;
use std::sync::Arc;
use text_size::TextSize;

/// What to check and how, beyond the text itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct LintOptions<'a> {
    /// A profile chosen by the user (`--profile`, config); `None` selects automatically.
    pub profile: Option<&'a Profile>,
    /// Per-rule severities and `off` from the configuration.
    pub config: Option<&'a Config>,
    /// Only these rules (`--select`), when given.
    pub select: Option<&'a [String]>,
    /// Never these rules (`--ignore`).
    pub ignore: &'a [String],
}

/// The outcome of checking one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintResult {
    /// The profile the report was checked against.
    pub profile: String,
    /// Why that profile, in both languages (`title year 2023` / `标题年份 2023`).
    pub profile_reason: Message,
    /// What was read and checked, whatever the findings.
    pub checked: Checked,
    /// Sorted by position, then by rule.
    pub diagnostics: Vec<Diagnostic>,
}

/// How much of a text was read and checked, so that a run which checked nothing can say so
/// instead of passing. Counted by the engine; the shells only print the numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Checked {
    /// Tables read from the text, in whatever text encoding.
    pub tables: usize,
    /// Template tables of the profile that were found (表二, 表三, 表四, a 统计表); a
    /// template table split over several text tables counts once.
    pub template_tables: usize,
    /// Relations (totals, subtotals, balances, bounds) evaluated with a number in every cell.
    pub totals: usize,
    /// Relations that read a blank or non-numeric cell, or mix units, so were not checked.
    pub unchecked_totals: usize,
    /// The profile has template tables, so a report without totals was not really checked
    /// (generic prose with no table is fine as it is).
    pub expects_tables: bool,
}

impl Checked {
    /// Counts what the engine read: the document part and the free tables' tallies.
    fn of(context: &Context, free: &[FreeTable]) -> Checked {
        let mut counted = tally(context.document, &context.relations);
        for table in free {
            counted.checked += table.outcome.tally.checked;
            counted.unchecked += table.outcome.tally.unchecked;
        }
        Checked {
            tables: context.document.tables().count(),
            template_tables: context.bindings.templates.len(),
            totals: counted.checked,
            unchecked_totals: counted.unchecked,
            expects_tables: !context.selection.tables.tables.is_empty(),
        }
    }

    /// True when no relation was found at all: the text had no table with totals.
    pub fn nothing(&self) -> bool {
        self.totals == 0 && self.unchecked_totals == 0
    }

    /// True when the profile wanted tables and not one total was found: such a file must
    /// never be said to have passed.
    pub fn missed(&self) -> bool {
        self.nothing() && self.expects_tables
    }
}

/// What the options decide about each rule, in registry order: off, or on with the
/// severity the configuration sets for all its findings (`None`: the rule's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulePlan {
    rules: Vec<Option<Option<Severity>>>,
}

impl RulePlan {
    pub fn new(options: &LintOptions) -> RulePlan {
        let rules = RULES
            .iter()
            .map(|rule| {
                let code = rule.meta.code;
                if options
                    .select
                    .is_some_and(|selected| !selected.iter().any(|name| name == code))
                    || options.ignore.iter().any(|name| name == code)
                {
                    return None;
                }
                let Some(config) = options.config else {
                    return Some(None);
                };
                // A severity set in the configuration applies to every finding of the rule.
                let severity = config.severity_for(code, rule.meta.default_severity)?;
                Some(config.rules.contains_key(code).then_some(severity))
            })
            .collect();
        RulePlan { rules }
    }
}

/// How the rules are run over one context: `run_rules`, or in tests a stand-in that fails on
/// purpose (to show that the language server survives a panic in the engine).
pub type Rules = fn(&Context, &RulePlan) -> Vec<Diagnostic>;

/// Runs the rules the plan leaves on over one context (the document part: every rule; a
/// free table: the `Reads::Tables` rules). Sorted by position, then by rule; suppression
/// comments are not applied here.
pub fn run_rules(context: &Context, plan: &RulePlan) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (rule, planned) in RULES.iter().zip(&plan.rules) {
        let Some(severity) = *planned else {
            continue;
        };
        if rule.reads == Reads::Document && context.part != Part::Document {
            continue;
        }
        let mut report = Report::new(&rule.meta, severity, &mut diagnostics);
        (rule.check)(context, &mut report);
    }
    sort(&mut diagnostics);
    diagnostics
}

fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|left, right| {
        left.range
            .start()
            .cmp(&right.range.start())
            .then(left.code.cmp(right.code))
    });
}

/// What the rules found in one free table, kept for the next analysis while the table is
/// unchanged.
#[derive(Debug)]
pub struct TableOutcome {
    /// The table's start when this was found (read only to move its findings).
    start: TextSize,
    /// Its findings, before suppression comments (which live outside the table).
    diagnostics: Vec<Diagnostic>,
    tally: Tally,
}

/// A free table of an analysis and what was found in it.
#[derive(Debug, Clone)]
pub struct FreeTable {
    pub block: usize,
    pub outcome: Arc<TableOutcome>,
}

impl FreeTable {
    /// The context of this table in `document` (for the arithmetic of a hover). Its
    /// relations are built again: they read the table's own text alone, and keeping every
    /// free table's relations took more memory than the text (a table's are only asked for
    /// when a hover or an inlay hint is about it).
    pub fn context<'a>(
        &self,
        source: &'a str,
        document: &'a Document,
        selection: &Selection<'a>,
    ) -> Context<'a> {
        Context {
            source,
            document,
            part: Part::FreeTable(self.block),
            selection: selection.clone(),
            bindings: Bindings::default(),
            relations: build_free(source, document, self.block),
            findings: Vec::new(),
            matched_sections: Default::default(),
        }
    }
}

/// What an analysis of a document hands the next one after a change: the facts of its
/// blocks, its free tables, the rule plan and the profiles they were found under, and which
/// of its blocks the new document keeps (`BlockMap`).
pub struct Previous {
    pub facts: Vec<Option<Arc<BlockFacts>>>,
    pub free: Vec<FreeTable>,
    pub map: BlockMap,
    pub plan: RulePlan,
    /// The addresses of the selection's two profiles (the caller keeps a user's profile
    /// alive until the next analysis is built, so an address is not reused meanwhile).
    pub profiles: (usize, usize),
}

impl Previous {
    /// What `parts`, analysed under `plan`, hands on (copying its lists).
    pub fn of(parts: &Parts, plan: &RulePlan, map: BlockMap) -> Previous {
        Previous {
            facts: parts.facts.clone(),
            free: parts.free.clone(),
            map,
            plan: plan.clone(),
            profiles: profile_addresses(&parts.document.selection),
        }
    }
}

/// The addresses of the selection's profile and tables' profile, which identify them.
pub fn profile_addresses(selection: &Selection) -> (usize, usize) {
    let address = |profile: &Profile| std::ptr::from_ref(profile) as usize;
    (address(selection.profile), address(selection.tables))
}

/// An analysed document: the document part's context, the free tables, what was found.
pub struct Parts<'a> {
    pub document: Context<'a>,
    /// What each block tells the profile selection.
    pub facts: Vec<Option<Arc<BlockFacts>>>,
    /// In block order.
    pub free: Vec<FreeTable>,
    pub result: LintResult,
}

/// Checks one text.
pub fn lint(source: &str, options: &LintOptions) -> LintResult {
    let document = parse(source);
    analyse_parts(
        source,
        &document,
        options.profile,
        &RulePlan::new(options),
        None,
        run_rules,
    )
    .result
}

/// The document part's context of a parsed text: selection, bindings, the relations of the
/// bound tables and the culprit search over them.
pub fn context<'a>(
    source: &'a str,
    document: &'a Document,
    profile: Option<&'a Profile>,
) -> Context<'a> {
    document_context(source, document, select(source, document, profile), |_| {
        false
    })
}

fn document_context<'a>(
    source: &'a str,
    document: &'a Document,
    selection: Selection<'a>,
    known_free: impl Fn(usize) -> bool,
) -> Context<'a> {
    let mut profiles = vec![selection.tables];
    if !std::ptr::eq(selection.tables, selection.profile) {
        profiles.push(selection.profile);
    }
    let bindings = bind(source, document, &profiles, known_free);
    let relations = build_bound(source, document, &bindings);
    let findings = analyse(document, &relations);
    Context {
        source,
        document,
        part: Part::Document,
        selection,
        bindings,
        relations,
        findings,
        matched_sections: Default::default(),
    }
}

/// Analyses a parsed text against `profile` (else the selection's choice) with the rules of
/// `plan`, taking over from `previous` the outcome of every free table it kept.
pub fn analyse_parts<'a>(
    source: &'a str,
    document: &'a Document,
    profile: Option<&'a Profile>,
    plan: &RulePlan,
    previous: Option<Previous>,
    rules: Rules,
) -> Parts<'a> {
    let facts: Vec<Option<Arc<BlockFacts>>> = document
        .blocks
        .iter()
        .enumerate()
        .map(|(index, block)| {
            let old = previous
                .as_ref()
                .and_then(|previous| previous.facts.get(previous.map.old_index(index)?));
            match old {
                Some(facts) => facts.clone(),
                None => BlockFacts::of(source, block),
            }
        })
        .collect();
    let selection = select_from(source, document, profile, &facts);
    // A free table stays free, with the same findings, while the profiles, the rules and
    // the table are what they were.
    let previous = previous.filter(|previous| {
        previous.plan == *plan && previous.profiles == profile_addresses(&selection)
    });
    let mut kept: Vec<FreeTable> = previous
        .map(|previous| {
            let map = previous.map;
            previous
                .free
                .into_iter()
                .filter_map(|table| {
                    Some(FreeTable {
                        block: map.new_index(table.block)?,
                        outcome: table.outcome,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    kept.sort_by_key(|table| table.block);
    let is_kept = |block: usize| {
        kept.binary_search_by_key(&block, |table| table.block)
            .is_ok()
    };
    let context = document_context(source, document, selection, is_kept);
    let mut diagnostics = rules(&context, plan);
    let bound: Vec<usize> = context.tables().map(|(block, _)| block).collect();
    let mut kept = kept.into_iter().peekable();
    let mut free = Vec::new();
    // Tables with no findings share one outcome per tally: where such a table starts is
    // never read, and thousands of correct tables then cost no outcome each.
    let mut quiet: HashMap<Tally, Arc<TableOutcome>> = HashMap::new();
    for (block, _) in document.tables() {
        if let Some(table) = kept.next_if(|table| table.block == block) {
            free.push(table);
        } else if bound.binary_search(&block).is_err() {
            let outcome = free_outcome(&context, block, plan, rules);
            let outcome = if outcome.diagnostics.is_empty() {
                Arc::clone(
                    quiet
                        .entry(outcome.tally)
                        .or_insert_with(|| Arc::new(outcome)),
                )
            } else {
                Arc::new(outcome)
            };
            free.push(FreeTable { block, outcome });
        }
    }
    for table in &free {
        let outcome = &table.outcome;
        let start = document.blocks[table.block].range.start();
        diagnostics.extend(
            outcome
                .diagnostics
                .iter()
                .map(|diagnostic| diagnostic.moved(outcome.start, start)),
        );
    }
    // Comments only silence findings: with none, the text is not searched for them.
    if !diagnostics.is_empty() {
        Suppressions::parse(source).retain(&mut diagnostics);
    }
    sort(&mut diagnostics);
    let result = LintResult {
        profile: context.selection.profile.name.clone(),
        profile_reason: context.selection.basis.message(),
        checked: Checked::of(&context, &free),
        diagnostics,
    };
    Parts {
        document: context,
        facts,
        free,
        result,
    }
}

/// Analyses one free table of the document part's document.
fn free_outcome(document: &Context, block: usize, plan: &RulePlan, rules: Rules) -> TableOutcome {
    let relations = build_free(document.source, document.document, block);
    let findings = analyse(document.document, &relations);
    let context = Context {
        source: document.source,
        document: document.document,
        part: Part::FreeTable(block),
        selection: document.selection.clone(),
        bindings: Bindings::default(),
        relations,
        findings,
        matched_sections: Default::default(),
    };
    let diagnostics = rules(&context, plan);
    TableOutcome {
        start: document.document.blocks[block].range.start(),
        tally: tally(document.document, &context.relations),
        diagnostics,
    }
}
