//! `reportlint lsp`: the language server. A thin shell over the engine: it keeps each open
//! document in a rope, re-parses what an edit touched, runs the same `lint` as the CLI on a
//! blocking thread, and converts diagnostics, fixes and the arithmetic into protocol terms.
//!
//! Invariants: every `didChange` is applied under the state lock before the handler first
//! awaits (handlers run concurrently; an await first would let a later edit overtake it);
//! checks of one document run one at a time, and a result for a superseded version is never
//! published; a panic in the engine is caught and logged, and the server carries on.

mod actions;
mod arithmetic;
mod check;
mod convert;
#[doc(hidden)] // Public for the fuzz target of the text store.
pub mod documents;
mod memory;
mod outline;
pub mod position;
mod settings;
pub mod transport;

pub use transport::Ending;

use crate::analysis::ProfileRef;
use crate::config::CONFIG_FILE_NAMES;
use crate::diagnostic::{Diagnostic, Lang};
use crate::document::{parse, reparse_mapped, BlockMap, Document};
use crate::fix::{fix_until_stable, minimal_edit, Applicability, FixMode};
use crate::lint::{lint, run_rules, LintOptions, Rules};
use crate::profile::Profile;
use crate::workspace::{profile_for, LoadedConfig, Workspace};
use convert::{diagnostic, text_edits, workspace_edit, Target};
use documents::{checked_text, OpenDocument};
use position::{byte_range, offset, Encoding, Lines};
use settings::{LintOn, Settings};
use std::borrow::Cow;
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
    serve_with(run_rules, input, output).await
}

/// `serve` with other rules in place of the engine's: how the tests show that a panic in
/// the engine is caught.
#[doc(hidden)]
pub async fn serve_with(
    rules: Rules,
    input: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    output: impl tokio::io::AsyncWrite + Unpin + Send + 'static,
) -> Ending {
    let (outbox, outgoing) = transport::Outbox::new();
    let (service, socket) = LspService::build(|client| Backend {
        client,
        outbox: outbox.clone(),
        rules,
        state: Arc::new(Mutex::new(State::default())),
        workspace: Arc::default(),
        publishing: Arc::default(),
    })
    .custom_method("reportlint/documentText", Backend::document_text)
    .finish();
    transport::serve(input, output, service, socket, (outbox, outgoing)).await
}

/// The server: the client handle and the shared state. Cloned into the tasks that run
/// debounced checks, so that no handler waits out a debounce.
#[derive(Clone)]
pub struct Backend {
    client: Client,
    /// Where `publishDiagnostics` goes, serialised in one pass and in the order published.
    outbox: transport::Outbox,
    rules: Rules,
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
    /// The rule options, with `profile` (the one `profile()` gives, held by the caller).
    fn lint_options<'a>(&'a self, profile: Option<&'a Profile>) -> LintOptions<'a> {
        LintOptions {
            profile,
            config: self.config.as_ref().map(|loaded| &loaded.config),
            // An excluded file is not checked: no rule is selected.
            select: self.excluded.then_some(&[]),
            ignore: &[],
        }
    }

    /// The editor's explicit profile, else the configuration's, else automatic. (The
    /// editor's option only ever names a built-in profile: others are refused when set.)
    fn profile(&self) -> Option<ProfileRef> {
        profile_for(Some(&self.requested), self.config.as_deref()).unwrap_or_default()
    }
}

/// One checked version of a document: the engine's analysis of its text (the model, the
/// findings, the arithmetic), and what fix-all makes of it, computed on first request.
pub struct Analysis {
    /// Unique per check: the `resultId` of pulled diagnostics (the version alone would not
    /// change when only the configuration did).
    id: u64,
    version: i32,
    /// The document's `generation` when it was checked.
    generation: u64,
    options: Options,
    engine: crate::analysis::Analysis,
    /// The text with every safe fix applied until nothing changes; `None` when that is the
    /// text itself or fixing did not settle.
    fixed: OnceLock<Option<String>>,
}

/// Numbers the checks, for `Analysis::id`.
static CHECKS: AtomicU64 = AtomicU64::new(0);

impl Analysis {
    fn text(&self) -> &str {
        self.engine.text()
    }

    fn document(&self) -> &Arc<Document> {
        self.engine.document()
    }

    /// What the engine found (nothing in a file the configuration excludes: no rule runs).
    fn diagnostics(&self) -> &[Diagnostic] {
        &self.engine.result().diagnostics
    }

    /// The analysed text as positions see it.
    fn lines(&self) -> Lines<'_> {
        Lines {
            text: self.engine.text(),
            index: self.engine.line_index(),
        }
    }

    /// The diagnostics in protocol terms.
    fn lsp_diagnostics(&self, uri: &Uri, state: &State) -> Vec<lsp::Diagnostic> {
        let target = self.target(uri, state);
        let lang = state.lang(&self.options);
        self.diagnostics()
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

    /// `reportlint/documentText`: the server's copy of a document, to check that an editor
    /// and the server agree on the text (a debugging aid, and what the sync tests compare).
    async fn document_text(&self, params: TextDocumentIdentifier) -> Result<Option<DocumentText>> {
        let state = self.state();
        Ok(state
            .documents
            .get(&params.uri)
            .map(|document| DocumentText {
                version: document.version,
                text: document.text(),
            }))
    }
}

/// The answer to `reportlint/documentText`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct DocumentText {
    pub version: i32,
    pub text: String,
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
            self.publish(uri, Vec::new(), None);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let problems = self.state().settings.update(&params.settings);
        for problem in problems {
            self.show_warning(problem);
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
        self.code_actions(params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        self.run_command(params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.hover_at(params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.inlay_hints_in(params).await
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
            analysis.text(),
            analysis.document(),
            analysis.lines(),
            encoding,
        ))))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some(analysis) = self.analyse(&params.text_document.uri, None).await else {
            return Ok(None);
        };
        Ok(Some(outline::folding_ranges(
            analysis.text(),
            analysis.document(),
            analysis.lines(),
        )))
    }
}
