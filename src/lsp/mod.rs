//! `reportlint lsp`: the language server. A thin shell over the engine: it keeps each open
//! document in a rope, re-parses what an edit touched, runs the same `lint` as the CLI on a
//! blocking thread, and converts diagnostics, fixes and the arithmetic into protocol terms.
//!
//! Invariants: every `didChange` is applied under the state lock before the handler first
//! awaits (handlers run concurrently; an await first would let a later edit overtake it);
//! checks of one document run one at a time, and a result for a superseded version is never
//! published; a panic in the engine is caught and logged, and the server carries on.

mod convert;
#[doc(hidden)] // Public for the fuzz target of the text store.
pub mod documents;
mod memory;
mod outline;
pub mod position;
mod settings;
pub mod transport;

pub use transport::Ending;

use crate::config::CONFIG_FILE_NAMES;
use crate::diagnostic::{Diagnostic, Lang};
use crate::document::{parse, reparse, Document};
use crate::evidence::{evidence, Evidence};
use crate::fix::{fix_until_stable, minimal_edit, Applicability, FixMode};
use crate::line_index::LineIndex;
use crate::lint::{lint, lint_document, LintOptions};
use crate::profile::Profile;
use crate::workspace::{profile_for, LoadedConfig, Workspace};
use convert::{diagnostic, text_edits, workspace_edit, Target};
use documents::OpenDocument;
use position::{byte_range, offset, Encoding, Lines};
use settings::{LintOn, Settings};
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{self as lsp, *};
use tower_lsp_server::{Client, LanguageServer, LspService};
use tracing::{debug, error, warn};

/// The code action kind of "fix everything safe in this file".
const FIX_ALL_KIND: &str = "source.fixAll.reportlint";
/// The command editors bind to "fix all totals in this file" (arguments: the document URI).
pub const FIX_ALL_COMMAND: &str = "reportlint.fixAll";

/// Runs the server on stdin/stdout until the client says `exit`. Exits 0, or 1 when the
/// client said `exit` without `shutdown` first, as the protocol asks.
pub fn run() -> std::process::ExitCode {
    memory::use_one_heap();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("reportlint lsp: cannot start the async runtime: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    let ending = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // A check still running on a blocking thread must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_millis(100));
    match ending {
        Ending::Clean => std::process::ExitCode::SUCCESS,
        Ending::ExitWithoutShutdown => std::process::ExitCode::from(1),
    }
}

/// Serves one client over a byte stream until it says `exit` or the stream ends. `run` uses
/// stdio; tests use an in-memory pipe.
pub async fn serve(
    input: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    output: impl tokio::io::AsyncWrite + Unpin + Send + 'static,
) -> Ending {
    serve_with(
        |text, document, options| lint_document(text, document, options).diagnostics,
        input,
        output,
    )
    .await
}

/// How the server checks a text; tests substitute a check that fails on purpose.
pub type Check = fn(&str, &Document, &LintOptions) -> Vec<Diagnostic>;

/// `serve` with another check in place of the engine's: how the tests show that a panic
/// in the engine is caught.
#[doc(hidden)]
pub async fn serve_with(
    check: Check,
    input: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    output: impl tokio::io::AsyncWrite + Unpin + Send + 'static,
) -> Ending {
    let (service, socket) = LspService::build(|client| Backend {
        client,
        check,
        state: Arc::new(Mutex::new(State::default())),
        workspace: Arc::default(),
        publishing: Arc::default(),
    })
    .custom_method("reportlint/documentText", Backend::document_text)
    .finish();
    transport::serve(input, output, service, socket).await
}

/// The server: the client handle and the shared state. Cloned into the tasks that run
/// debounced checks, so that no handler waits out a debounce.
#[derive(Clone)]
pub struct Backend {
    client: Client,
    check: Check,
    state: Arc<Mutex<State>>,
    /// The configuration files, behind a lock of their own: finding and reading them never
    /// holds up the handlers that need the state.
    workspace: Arc<Mutex<Workspace>>,
    /// Held while a check's result is compared with the document and published.
    publishing: Arc<tokio::sync::Mutex<()>>,
}

/// What the client told us in `initialize`.
#[derive(Default, Clone, Copy)]
struct ClientFeatures {
    /// The client pulls diagnostics (`textDocument/diagnostic`); nothing is pushed then.
    pull_diagnostics: bool,
    /// Diagnostics may carry related locations (the cells that were summed).
    related_information: bool,
    /// Workspace edits may use `documentChanges` pinned to a version.
    versioned_edits: bool,
    /// `workspace/didChangeWatchedFiles` may be registered dynamically.
    watch_files: bool,
    /// The client can be asked to pull diagnostics again.
    diagnostic_refresh: bool,
    inlay_hint_refresh: bool,
}

#[derive(Default)]
struct State {
    encoding: Encoding,
    settings: Settings,
    /// From the client's `locale`; `settings.lang` wins.
    locale_lang: Lang,
    features: ClientFeatures,
    /// Configuration problems already shown to the user, so each is shown once.
    shown_problems: HashSet<String>,
    documents: HashMap<Uri, OpenDocument>,
}

impl State {
    /// The language of messages: the editor's `lang` option, else the document's
    /// `reportlint.toml`, else the client's locale.
    fn lang(&self, options: &Options) -> Lang {
        self.settings
            .lang
            .or_else(|| {
                options
                    .config
                    .as_ref()
                    .and_then(|loaded| loaded.config.lang)
            })
            .unwrap_or(self.locale_lang)
    }
}

/// How one document is checked: its configuration and the editor's choices.
#[derive(Clone, Default)]
struct Options {
    config: Option<Arc<LoadedConfig>>,
    /// The editor's `profile` option (`auto` defers to the configuration).
    requested: String,
    /// The configuration excludes the file: it gets no diagnostics.
    excluded: bool,
}

impl Options {
    fn lint_options(&self) -> LintOptions<'_> {
        LintOptions {
            profile: self.profile(),
            config: self.config.as_ref().map(|loaded| &loaded.config),
            select: None,
            ignore: &[],
        }
    }

    /// The editor's explicit profile, else the configuration's, else automatic. (The
    /// editor's option only ever names a built-in profile: others are refused when set.)
    fn profile(&self) -> Option<&Profile> {
        profile_for(Some(&self.requested), self.config.as_deref()).unwrap_or_default()
    }
}

/// One checked version of a document: the text, its model, and what the engine found; what
/// hovers, inlay hints and fix-all derive from it is computed once, on first request.
pub struct Analysis {
    /// Unique per check: the `resultId` of pulled diagnostics (the version alone would not
    /// change when only the configuration did).
    id: u64,
    version: i32,
    /// The document's `generation` when it was checked.
    generation: u64,
    text: String,
    /// Where the lines of `text` start: every position of a request or an answer.
    line_index: LineIndex,
    document: Arc<Document>,
    options: Options,
    diagnostics: Vec<Diagnostic>,
    evidence: OnceLock<Vec<Evidence>>,
    /// The text with every safe fix applied until nothing changes; `None` when that is the
    /// text itself or fixing did not settle.
    fixed: OnceLock<Option<String>>,
}

/// Numbers the checks, for `Analysis::id`.
static CHECKS: AtomicU64 = AtomicU64::new(0);

impl Analysis {
    /// The analysed text as positions see it.
    fn lines(&self) -> Lines<'_> {
        Lines {
            text: &self.text,
            index: &self.line_index,
        }
    }

    /// Every relation of the text with its arithmetic.
    fn evidence(&self) -> &[Evidence] {
        self.evidence
            .get_or_init(|| evidence(&self.text, &self.document, self.options.profile()))
    }

    /// The diagnostics in protocol terms.
    fn lsp_diagnostics(&self, uri: &Uri, state: &State) -> Vec<lsp::Diagnostic> {
        let target = self.target(uri, state);
        let lang = state.lang(&self.options);
        self.diagnostics
            .iter()
            .map(|found| diagnostic(target, found, lang))
            .collect()
    }

    /// Where positions of this analysis go, in the client's terms.
    fn target<'a>(&'a self, uri: &'a Uri, state: &State) -> Target<'a> {
        Target {
            uri,
            lines: self.lines(),
            encoding: state.encoding,
            related_information: state.features.related_information,
        }
    }
}

impl Backend {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the state as it was at the panic; going on
        // with it beats taking the server down.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The configuration files' lock (never taken while the state's is held).
    fn workspace(&self) -> MutexGuard<'_, Workspace> {
        self.workspace
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The options for a document, reporting a broken configuration once. Reads files
    /// (the first time a folder is seen), so it is called without the state's lock.
    fn options_for(&self, uri: &Uri) -> (Options, Option<String>) {
        let mut options = Options {
            requested: self.state().settings.profile.clone(),
            ..Options::default()
        };
        let Some(path) = uri.to_file_path() else {
            return (options, None);
        };
        let config = self.workspace().config_for(&path).transpose();
        match config {
            Ok(config) => {
                options.excluded = config.as_ref().is_some_and(|loaded| loaded.excludes(&path));
                options.config = config;
                (options, None)
            }
            Err(problem) => {
                let fresh = self.state().shown_problems.insert(problem.clone());
                (
                    options,
                    fresh.then(|| {
                        format!("{problem} (checking with the defaults until it is fixed)")
                    }),
                )
            }
        }
    }

    /// Checks the document's current text, or returns the check already made of it.
    /// `generation`, when given, abandons the check if the document changed since.
    async fn analyse(&self, uri: &Uri, generation: Option<u64>) -> Option<Arc<Analysis>> {
        let slot = self.state().documents.get(uri)?.analysis.clone();
        let mut slot = slot.lock().await;
        let (options, problem) = self.options_for(uri);
        let (rope, version, checked_generation, pending) = {
            let mut state = self.state();
            let document = state.documents.get(uri)?;
            if generation.is_some_and(|wanted| wanted != document.generation) {
                return None;
            }
            if let Some(done) = slot.as_ref() {
                // No edit and no change of options since: the last check still holds.
                if done.generation == document.generation && done.version == document.version {
                    return Some(done.clone());
                }
            }
            let document = state.documents.get_mut(uri)?;
            (
                document.rope.clone(),
                document.version,
                document.generation,
                document.pending.take(),
            )
        };
        if let Some(problem) = problem {
            warn!("{problem}");
            self.client
                .show_message(MessageType::WARNING, problem)
                .await;
        }
        let previous = slot.clone();
        let check = self.check;
        let checked = tokio::task::spawn_blocking(move || {
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                let text = rope.to_string();
                let document = match (&previous, pending) {
                    (Some(previous), Some(change)) => {
                        Arc::new(reparse(&previous.document, &text, &change))
                    }
                    (Some(previous), None) => previous.document.clone(),
                    (None, _) => Arc::new(parse(&text)),
                };
                let diagnostics = if options.excluded {
                    Vec::new()
                } else {
                    check(&text, &document, &options.lint_options())
                };
                Analysis {
                    id: CHECKS.fetch_add(1, Ordering::Relaxed),
                    version,
                    generation: checked_generation,
                    line_index: LineIndex::new(&text),
                    text,
                    document,
                    options,
                    diagnostics,
                    evidence: OnceLock::new(),
                    fixed: OnceLock::new(),
                }
            }))
        })
        .await;
        match checked {
            Ok(Ok(analysis)) => {
                let analysis = Arc::new(analysis);
                *slot = Some(analysis.clone());
                Some(analysis)
            }
            Ok(Err(panic)) => {
                let reason = panic
                    .downcast_ref::<&str>()
                    .map(|text| text.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                error!("checking {} (version {version}) panicked: {reason}; the next check starts from scratch", uri.as_str());
                // The next check parses the whole text again.
                *slot = None;
                None
            }
            Err(join_error) => {
                error!(
                    "checking {} (version {version}) did not finish: {join_error}",
                    uri.as_str()
                );
                // The pending change went with it: the next check parses the whole text.
                *slot = None;
                None
            }
        }
    }

    /// Checks a document (after the debounce, when `debounce` is set) and publishes the
    /// result, unless the document changed after `generation`.
    async fn check_and_publish(&self, uri: Uri, generation: u64, debounce: bool) {
        let delay = self.state().settings.debounce_ms;
        if debounce && delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        let Some(analysis) = self.analyse(&uri, Some(generation)).await else {
            return;
        };
        // The check that the result is current and its sending happen under the publishing
        // lock: a newer version's result cannot be sent between them and then be overtaken.
        let _publishing = self.publishing.lock().await;
        let diagnostics = {
            let state = self.state();
            let current = state.documents.get(&uri);
            if current.is_none_or(|document| document.generation != analysis.generation) {
                debug!(
                    "dropping diagnostics of superseded version {}",
                    analysis.version
                );
                return;
            }
            analysis.lsp_diagnostics(&uri, &state)
        };
        self.client
            .publish_diagnostics(uri, diagnostics, Some(analysis.version))
            .await;
    }

    /// Checks every open document again (the configuration changed).
    async fn recheck_all(&self) {
        let (uris, pull, features) = {
            let mut state = self.state();
            for document in state.documents.values_mut() {
                document.options_changed();
            }
            let uris: Vec<Uri> = state.documents.keys().cloned().collect();
            (uris, state.features.pull_diagnostics, state.features)
        };
        // Inlay hints show the evidence, which the options change too.
        self.refresh(
            pull && features.diagnostic_refresh,
            features.inlay_hint_refresh,
        );
        if pull {
            return;
        }
        for uri in uris {
            self.schedule_check(uri, false);
        }
    }

    /// The check a pull is answered with: the current text's, or with `lintOn: "save"` the
    /// first one made after the document was opened, last saved or its options changed (as
    /// pushed diagnostics would be).
    async fn pulled_check(&self, uri: &Uri) -> Option<Arc<Analysis>> {
        let saves = {
            let state = self.state();
            let document = state.documents.get(uri)?;
            if state.settings.lint_on == LintOn::Save {
                if let Some(saved) = &document.saved_check {
                    return Some(saved.clone());
                }
                Some(document.saves)
            } else {
                None
            }
        };
        let analysis = self.analyse(uri, None).await?;
        if let Some(saves) = saves {
            match self.state().documents.get_mut(uri) {
                // A save during the check: the next pull checks the saved text.
                Some(document) if document.saves == saves => {
                    document.saved_check = Some(analysis.clone());
                }
                _ => {}
            }
        }
        Some(analysis)
    }

    /// Asks the client to pull diagnostics or inlay hints again, from a task of its own: no
    /// handler waits for the answer (a client that never answers must not hold a handler).
    fn refresh(&self, diagnostics: bool, inlay_hints: bool) {
        if !diagnostics && !inlay_hints {
            return;
        }
        let client = self.client.clone();
        tokio::spawn(async move {
            if diagnostics {
                let _ = client.workspace_diagnostic_refresh().await;
            }
            if inlay_hints {
                let _ = client.inlay_hint_refresh().await;
            }
        });
    }

    /// Checks and publishes on a task of its own, so the handler returns at once: handlers
    /// run at most four at a time, and four waiting out a debounce would hold up every
    /// message behind them. The document's generation is taken now, in the handler: a task
    /// that starts after later edits gives up instead of checking (and publishing) again.
    fn schedule_check(&self, uri: Uri, debounce: bool) {
        let generation = {
            let state = self.state();
            match state.documents.get(&uri) {
                Some(document) if !state.features.pull_diagnostics => document.generation,
                _ => return,
            }
        };
        let backend = self.clone();
        tokio::spawn(async move {
            backend.check_and_publish(uri, generation, debounce).await;
        });
    }

    /// Every safe fix, applied until nothing changes, as one minimal edit of the document.
    fn fix_all_edit(&self, uri: &Uri, analysis: &Analysis) -> Option<WorkspaceEdit> {
        let fixed = analysis
            .fixed
            .get_or_init(|| fix_all(uri, analysis))
            .as_deref()?;
        let edit = minimal_edit(&analysis.text, fixed)?;
        let state = self.state();
        let target = analysis.target(uri, &state);
        Some(workspace_edit(
            uri,
            analysis.version,
            text_edits(target, &[edit]),
            state.features.versioned_edits,
        ))
    }

    /// `reportlint/documentText`: the server's copy of a document, to check that an editor
    /// and the server agree on the text (a debugging aid, and what the sync tests compare).
    async fn document_text(&self, params: TextDocumentIdentifier) -> Result<Option<DocumentText>> {
        let state = self.state();
        Ok(state
            .documents
            .get(&params.uri)
            .map(|document| DocumentText {
                version: document.version,
                text: document.rope.to_string(),
            }))
    }
}

/// The answer to `reportlint/documentText`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct DocumentText {
    pub version: i32,
    pub text: String,
}

/// The text with every safe fix applied until nothing changes, as `check --fix` does; the
/// first pass uses the diagnostics the check already found. `None` when nothing changes.
fn fix_all(uri: &Uri, analysis: &Analysis) -> Option<String> {
    let has_safe_fix = analysis.diagnostics.iter().any(|found| {
        found
            .fix
            .as_ref()
            .is_some_and(|fix| FixMode::SafeOnly.allows(fix.applicability))
    });
    if !has_safe_fix {
        return None;
    }
    let lint_options = analysis.options.lint_options();
    let mut first_pass = Some(analysis.diagnostics.clone());
    let fixed = std::panic::catch_unwind(AssertUnwindSafe(|| {
        fix_until_stable(&analysis.text, FixMode::SafeOnly, |text| {
            first_pass
                .take()
                .unwrap_or_else(|| lint(text, &lint_options).diagnostics)
        })
    }));
    match fixed {
        Ok(Ok(outcome)) => (outcome.text != analysis.text).then_some(outcome.text),
        Ok(Err(not_converged)) => {
            warn!(
                "fix-all for {} did not settle after {} passes; nothing applied",
                uri.as_str(),
                not_converged.passes
            );
            None
        }
        Err(_) => {
            error!("fix-all for {} panicked; nothing applied", uri.as_str());
            None
        }
    }
}

/// Whether a code action of `kind` was asked for by `only`.
fn wanted(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    only.is_none_or(|kinds| {
        kinds.iter().any(|asked| {
            let asked = asked.as_str();
            kind == asked || kind.starts_with(&format!("{asked}."))
        })
    })
}

/// The edit that inserts a suppression comment above the line where `found` starts.
fn suppression_edit(analysis: &Analysis, found: &Diagnostic) -> crate::fix::Edit {
    let start = usize::from(found.range.start());
    let line_start = crate::suppress::line_start(&analysis.text, start);
    let line_end = analysis.text[start..].find('\n').map(|index| start + index);
    let newline = match line_end {
        Some(end) if end > 0 && analysis.text.as_bytes()[end - 1] == b'\r' => "\r\n",
        _ => "\n",
    };
    let at = text_size::TextSize::try_from(line_start).unwrap_or_default();
    crate::fix::Edit {
        range: text_size::TextRange::empty(at),
        new_text: format!(
            "<!-- reportlint-disable-next-line {} -->{newline}",
            found.code
        ),
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let capabilities = &params.capabilities;
        let general = capabilities.general.as_ref();
        let text_document = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        let encoding =
            Encoding::negotiate(general.and_then(|general| general.position_encodings.as_deref()));
        let pull_diagnostics = text_document.is_some_and(|text| text.diagnostic.is_some());
        let features = ClientFeatures {
            pull_diagnostics,
            // Either declaration will do: Neovim takes related locations in pulled
            // diagnostics too but declares them only for pushed ones.
            related_information: text_document.is_some_and(|text| {
                let pushed = text.publish_diagnostics.as_ref();
                let pulled = text.diagnostic.as_ref();
                pushed.and_then(|push| push.related_information) == Some(true)
                    || pulled.and_then(|pull| pull.related_information) == Some(true)
            }),
            versioned_edits: workspace
                .and_then(|workspace| workspace.workspace_edit.as_ref())
                .and_then(|edit| edit.document_changes)
                .unwrap_or(false),
            watch_files: workspace
                .and_then(|workspace| workspace.did_change_watched_files)
                .and_then(|watch| watch.dynamic_registration)
                .unwrap_or(false),
            diagnostic_refresh: workspace
                .and_then(|workspace| workspace.diagnostics.as_ref())
                .and_then(|diagnostics| diagnostics.refresh_support)
                .unwrap_or(false),
            inlay_hint_refresh: workspace
                .and_then(|workspace| workspace.inlay_hint.as_ref())
                .and_then(|inlay| inlay.refresh_support)
                .unwrap_or(false),
        };
        let pull = features.pull_diagnostics;
        let problems = {
            let mut state = self.state();
            state.encoding = encoding;
            #[allow(deprecated)]
            // `locale` moved to the client info in later drafts; clients still send it here.
            let locale = params.locale.clone();
            state.locale_lang = locale.as_deref().map(Lang::from_locale).unwrap_or_default();
            state.features = features;
            match &params.initialization_options {
                Some(options) => state.settings.update(options),
                None => Vec::new(),
            }
        };
        for problem in problems {
            self.client
                .show_message(MessageType::WARNING, problem)
                .await;
        }
        let sync = TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "reportlint".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(sync)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::from(FIX_ALL_KIND),
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![FIX_ALL_COMMAND.to_string()],
                    ..ExecuteCommandOptions::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("reportlint".to_string()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..DiagnosticOptions::default()
                    })
                }),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if !self.state().features.watch_files {
            return;
        }
        let watchers = CONFIG_FILE_NAMES
            .iter()
            .map(|name| FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{name}")),
                kind: None,
            })
            .collect();
        let registration = Registration {
            id: "reportlint-config-watcher".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })
            .ok(),
        };
        if let Err(error) = self.client.register_capability(vec![registration]).await {
            warn!("the client refused to watch reportlint.toml files: {error}");
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        {
            let mut state = self.state();
            state.documents.insert(
                document.uri.clone(),
                OpenDocument::new(&document.text, document.version),
            );
        }
        self.schedule_check(document.uri, false);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        // Applied before any await: a later edit must not overtake this one.
        let lint_on_type = {
            let mut state = self.state();
            let encoding = state.encoding;
            let lint_on_type = state.settings.lint_on == LintOn::Type;
            let Some(document) = state.documents.get_mut(&uri) else {
                warn!("didChange for {}, which is not open; ignored", uri.as_str());
                return;
            };
            for change in &params.content_changes {
                document.apply(change, encoding);
            }
            document.version = params.text_document.version;
            lint_on_type
        };
        if lint_on_type {
            self.schedule_check(uri, true);
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        let refresh = {
            let mut state = self.state();
            if state.settings.lint_on != LintOn::Save {
                return;
            }
            // A pulling client's next request checks the saved text; clients that do not
            // pull on save (Neovim) are asked to, when they can be.
            if let Some(document) = state.documents.get_mut(&uri) {
                document.saved();
            }
            state.features.pull_diagnostics && state.features.diagnostic_refresh
        };
        self.refresh(refresh, false);
        self.schedule_check(uri, false);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        // Under the publishing lock, so that no check of the closed document publishes
        // after the empty list that clears it.
        let _publishing = self.publishing.lock().await;
        let pull = {
            let mut state = self.state();
            state.documents.remove(&uri);
            state.features.pull_diagnostics
        };
        memory::return_freed_memory();
        if !pull {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let problems = self.state().settings.update(&params.settings);
        for problem in problems {
            self.client
                .show_message(MessageType::WARNING, problem)
                .await;
        }
        self.recheck_all().await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        {
            self.workspace().forget();
            self.state().shown_problems.clear();
        }
        self.recheck_all().await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some(analysis) = self.pulled_check(&uri).await else {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport::default()),
            ));
        };
        let result_id = analysis.id.to_string();
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        let items = analysis.lsp_diagnostics(&uri, &self.state());
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items,
                },
            }),
        ))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(analysis) = self.analyse(&uri, None).await else {
            return Ok(None);
        };
        let only = params.context.only.as_ref();
        let mut actions = Vec::new();
        let state = self.state();
        let (encoding, versioned, lang) = (
            state.encoding,
            state.features.versioned_edits,
            state.lang(&analysis.options),
        );
        let target = analysis.target(&uri, &state);
        drop(state);
        let asked = byte_range(analysis.lines(), params.range, encoding);
        let edit_of = |edits: &[crate::fix::Edit]| {
            workspace_edit(&uri, analysis.version, text_edits(target, edits), versioned)
        };
        // Without `only` (a lightbulb request, sent on every cursor move), fix-all is offered
        // only beside a safe fix, so most requests never run the fixer.
        let mut beside_safe_fix = false;
        if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
            for found in &analysis.diagnostics {
                let (start, end) = (
                    usize::from(found.range.start()),
                    usize::from(found.range.end()),
                );
                if end < asked.start || start > asked.end {
                    continue;
                }
                let converted = diagnostic(target, found, lang);
                if let Some(fix) = &found.fix {
                    beside_safe_fix |= FixMode::SafeOnly.allows(fix.applicability);
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: fix.title.get(lang).to_string(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![converted.clone()]),
                        edit: Some(edit_of(&fix.edits)),
                        is_preferred: Some(fix.applicability == Applicability::Safe),
                        ..CodeAction::default()
                    }));
                }
                let title = match lang {
                    Lang::En => format!("Disable {} for this line", found.code),
                    Lang::Zh => format!("在此行停用 {}", found.code),
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![converted]),
                    edit: Some(edit_of(&[suppression_edit(&analysis, found)])),
                    ..CodeAction::default()
                }));
            }
        }
        let fix_all_asked = match only {
            Some(_) => wanted(only, FIX_ALL_KIND),
            None => beside_safe_fix,
        };
        if fix_all_asked {
            if let Some(edit) = self.fix_all_edit(&uri, &analysis) {
                let title = match lang {
                    Lang::En => "Fix all safely fixable totals (reportlint)",
                    Lang::Zh => "修复所有可安全修复的合计（reportlint）",
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: title.to_string(),
                    kind: Some(CodeActionKind::from(FIX_ALL_KIND)),
                    edit: Some(edit),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(Some(actions))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command != FIX_ALL_COMMAND {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "unknown command {}; reportlint knows {FIX_ALL_COMMAND}",
                params.command
            )));
        }
        let uri = params
            .arguments
            .first()
            .and_then(|argument| serde_json::from_value::<Uri>(argument.clone()).ok())
            .ok_or_else(|| {
                tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                    "{FIX_ALL_COMMAND} takes the document's URI"
                ))
            })?;
        let Some(analysis) = self.analyse(&uri, None).await else {
            return Ok(None);
        };
        if let Some(edit) = self.fix_all_edit(&uri, &analysis) {
            if let Err(error) = self.client.apply_edit(edit).await {
                warn!("the client did not apply the fix-all edit: {error}");
            }
        }
        Ok(None)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let Some(analysis) = self.analyse(&at.text_document.uri, None).await else {
            return Ok(None);
        };
        let (encoding, lang) = {
            let state = self.state();
            (state.encoding, state.lang(&analysis.options))
        };
        let byte = offset(analysis.lines(), at.position, encoding);
        let touches = |range: text_size::TextRange| {
            usize::from(range.start()) <= byte && byte <= usize::from(range.end())
        };
        let found: Vec<&Evidence> = analysis
            .evidence()
            .iter()
            .filter(|item| item.cells.iter().any(|&cell| touches(cell)))
            .collect();
        let Some(cell) = found
            .first()
            .and_then(|item| item.cells.iter().copied().find(|&cell| touches(cell)))
        else {
            // On the title: which profile the report is checked against, and why.
            let Some(title) = analysis.document.title.as_ref().map(|title| title.range) else {
                return Ok(None);
            };
            if !touches(title) {
                return Ok(None);
            }
            let selection = crate::profile::select(
                &analysis.text,
                &analysis.document,
                analysis.options.profile(),
            );
            return Ok(Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: crate::evidence::profile_text(&selection)
                        .get(lang)
                        .to_string(),
                }),
                range: Some(position::range(analysis.lines(), title, encoding)),
            }));
        };
        let lines: Vec<String> = found
            .iter()
            .map(|item| format!("- {}", item.text.get(lang)))
            .collect();
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: lines.join("\n"),
            }),
            range: Some(position::range(analysis.lines(), cell, encoding)),
        }))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        if !self.state().settings.inlay_hints {
            return Ok(None);
        }
        let uri = params.text_document.uri;
        let Some(analysis) = self.analyse(&uri, None).await else {
            return Ok(None);
        };
        let (encoding, lang) = {
            let state = self.state();
            (state.encoding, state.lang(&analysis.options))
        };
        let visible = byte_range(analysis.lines(), params.range, encoding);
        let hints = analysis
            .evidence()
            .iter()
            .filter_map(|item| {
                let total = item.total?;
                let expected = item.expected.as_ref()?;
                let end = usize::from(total.end());
                (visible.start <= end && end <= visible.end).then(|| InlayHint {
                    position: position::position(analysis.lines(), end, encoding),
                    label: InlayHintLabel::String(format!("= {expected}")),
                    kind: None,
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(item.text.get(lang).to_string())),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
            })
            .collect();
        Ok(Some(hints))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some(analysis) = self.analyse(&params.text_document.uri, None).await else {
            return Ok(None);
        };
        let encoding = self.state().encoding;
        Ok(Some(DocumentSymbolResponse::Nested(outline::symbols(
            &analysis.text,
            &analysis.document,
            analysis.lines(),
            encoding,
        ))))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some(analysis) = self.analyse(&params.text_document.uri, None).await else {
            return Ok(None);
        };
        Ok(Some(outline::folding_ranges(
            &analysis.text,
            &analysis.document,
            analysis.lines(),
        )))
    }
}
