//! The engine's one entry point: text in, diagnostics out. Parses, selects the profile,
//! binds tables, builds and analyses relations, runs the rules, then applies the user's
//! severities, `--select`/`--ignore` and inline suppressions. Pure: no IO, never fails.

use crate::bind::bind;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Message};
use crate::document::{parse, Document};
use crate::profile::{select, Profile};
use crate::relations::{analyse, build, tally};
use crate::rules::{Context, Report, RULES};
use crate::suppress::Suppressions;

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
    /// Counts what the engine read in one context.
    pub fn of(context: &Context) -> Checked {
        let tally = tally(context.document, &context.relations);
        Checked {
            tables: context.document.tables().count(),
            template_tables: context.bindings.templates.len(),
            totals: tally.checked,
            unchecked_totals: tally.unchecked,
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

/// Checks one text.
pub fn lint(source: &str, options: &LintOptions) -> LintResult {
    lint_document(source, &parse(source), options)
}

/// Everything the rules read about a parsed text: profile selection, bindings, relations
/// and the culprit search, computed once. The language server's hover reads it too.
pub fn context<'a>(
    source: &'a str,
    document: &'a Document,
    profile: Option<&'a Profile>,
) -> Context<'a> {
    let selection = select(source, document, profile);
    let mut profiles = vec![selection.tables];
    if !std::ptr::eq(selection.tables, selection.profile) {
        profiles.push(selection.profile);
    }
    let bindings = bind(source, document, &profiles);
    let relations = build(source, document, &bindings);
    let findings = analyse(document, &relations);
    Context {
        source,
        document,
        selection,
        bindings,
        relations,
        findings,
    }
}

/// Checks a text already parsed into `document` (the language server keeps the document
/// model between edits and re-parses only what changed).
pub fn lint_document(source: &str, document: &Document, options: &LintOptions) -> LintResult {
    run_rules(&context(source, document, options.profile), options)
}

/// Runs the rules over a context already built (its profile was chosen when it was built;
/// `options.profile` is not read here).
pub fn run_rules(context: &Context, options: &LintOptions) -> LintResult {
    let source = context.source;
    let selection = &context.selection;
    let suppressions = Suppressions::parse(source);
    let mut diagnostics = Vec::new();
    for rule in RULES {
        let code = rule.meta.code;
        if options
            .select
            .is_some_and(|selected| !selected.iter().any(|name| name == code))
            || options.ignore.iter().any(|name| name == code)
        {
            continue;
        }
        let configured = options
            .config
            .map(|config| config.severity_for(code, rule.meta.default_severity));
        if configured == Some(None) {
            continue;
        }
        // A severity set in the configuration applies to every finding of the rule.
        let severity = options
            .config
            .filter(|config| config.rules.contains_key(code))
            .and(configured.flatten());
        let mut report = Report::new(&rule.meta, severity, &suppressions, &mut diagnostics);
        (rule.check)(context, &mut report);
    }
    diagnostics.sort_by(|left, right| {
        left.range
            .start()
            .cmp(&right.range.start())
            .then(left.code.cmp(right.code))
    });
    LintResult {
        profile: selection.profile.name.clone(),
        profile_reason: selection.basis.message(),
        checked: Checked::of(context),
        diagnostics,
    }
}
