//! Checking documents: one check at a time per document on a blocking thread (the engine's
//! panics caught), debounced scheduling, publishing in version order, pulled diagnostics,
//! and re-checking every document when the configuration changes.

use super::*;

impl Backend {
    /// Checks the document's current text, or returns the check already made of it.
    /// `generation`, when given, abandons the check if the document changed since.
    pub(super) async fn analyse(
        &self,
        uri: &Uri,
        generation: Option<u64>,
    ) -> Option<Arc<Analysis>> {
        let slot = self.state().documents.get(uri)?.analysis.clone();
        let mut slot = slot.lock().await;
        let current = |state: &State| {
            let document = state.documents.get(uri)?;
            Some(generation.is_none_or(|wanted| wanted == document.generation))
        };
        {
            let state = self.state();
            if !current(&state)? {
                return None;
            }
            let document = state.documents.get(uri)?;
            if let Some(done) = slot.as_ref() {
                // No edit and no change of options since: the last check still holds (a
                // hover, an inlay hint or a code action asks here on every cursor move).
                if done.generation == document.generation && done.version == document.version {
                    return Some(done.clone());
                }
            }
        }
        // Only a check needs the options; finding them may read files, so not under the lock.
        let (options, problem) = self.options_for(uri);
        let (rope, version, checked_generation, pending) = {
            let mut state = self.state();
            if !current(&state)? {
                return None;
            }
            let document = state.documents.get_mut(uri)?;
            (
                document.rope().clone(),
                document.version,
                document.generation,
                document.pending.take(),
            )
        };
        if let Some(problem) = problem {
            warn!("{problem}");
            self.show_warning(problem);
        }
        // Taken out of the slot, so that the re-parse can take its blocks over in place
        // (unless a hover still holds it); a check that fails leaves the slot empty.
        let previous = slot.take();
        let rules = self.rules;
        let checked = tokio::task::spawn_blocking(move || {
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                let profile = options.profile();
                let lint_options = options.lint_options(profile.as_deref());
                // After an edit only the blocks it reached are parsed again, and only the
                // tables among them analysed again.
                let (text, document, previous) = match previous {
                    Some(previous) => {
                        let (old_text, document, mut carry) = match Arc::try_unwrap(previous) {
                            Ok(previous) => {
                                let (text, document, carry) = previous.engine.into_parts();
                                (Some(text), document, carry)
                            }
                            Err(shared) => (None, shared.document().clone(), shared.engine.carry()),
                        };
                        let text = checked_text(old_text, &rope, pending.as_ref());
                        match pending {
                            Some(change) => {
                                carry.edited(&text, change.old_range.into(), change.new_len.into());
                                let (document, map) = match Arc::try_unwrap(document) {
                                    Ok(owned) => reparse_mapped(Cow::Owned(owned), &text, &change),
                                    Err(shared) => {
                                        reparse_mapped(Cow::Borrowed(&shared), &text, &change)
                                    }
                                };
                                (text, Arc::new(document), Some((carry, map)))
                            }
                            None => {
                                let map = BlockMap::unchanged(document.blocks.len());
                                (text, document, Some((carry, map)))
                            }
                        }
                    }
                    None => {
                        // Sized once (`to_string` grows the string through `Display`).
                        let text = String::from(&rope);
                        let document = Arc::new(parse(&text));
                        (text, document, None)
                    }
                };
                let engine = crate::analysis::Analysis::with_rules(
                    text,
                    document,
                    profile.clone(),
                    &lint_options,
                    previous,
                    rules,
                );
                Analysis {
                    id: CHECKS.fetch_add(1, Ordering::Relaxed),
                    version,
                    generation: checked_generation,
                    options,
                    engine,
                    fixed: OnceLock::new(),
                }
            }))
        })
        .await;
        match checked {
            Ok(Ok(analysis)) => {
                let state = Arc::clone(&self.state);
                memory::trim_when_idle(analysis.id, &CHECKS, move || rest_documents(&state));
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
    pub(super) async fn check_and_publish(&self, uri: Uri, generation: u64, debounce: bool) {
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
        self.publish(uri, diagnostics, Some(analysis.version));
    }

    /// Shows a warning, through the outbox: a client that reads it and then waits for the
    /// diagnostics it concerns gets them in that order.
    pub(super) fn show_warning(&self, message: String) {
        let params = ShowMessageParams {
            typ: MessageType::WARNING,
            message,
        };
        self.outbox.notify(
            <notification::ShowMessage as notification::Notification>::METHOD,
            &params,
        );
    }

    /// Sends a document's diagnostics (called under the publishing lock, which keeps them in
    /// version order).
    pub(super) fn publish(
        &self,
        uri: Uri,
        diagnostics: Vec<lsp::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.outbox.notify(
            <notification::PublishDiagnostics as notification::Notification>::METHOD,
            &params,
        );
    }

    /// Checks every open document again (the configuration changed).
    pub(super) async fn recheck_all(&self) {
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
    pub(super) async fn pulled_check(&self, uri: &Uri) -> Option<Arc<Analysis>> {
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
    pub(super) fn refresh(&self, diagnostics: bool, inlay_hints: bool) {
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
    pub(super) fn schedule_check(&self, uri: Uri, debounce: bool) {
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
}

/// Every open document whose last check is of its current text gives its rope up
/// (`OpenDocument::rest`). A check under way holds its document's slot: that one is left.
fn rest_documents(state: &std::sync::Mutex<super::State>) {
    let mut state = state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for document in state.documents.values_mut() {
        let slot = Arc::clone(&document.analysis);
        let Ok(slot) = slot.try_lock() else {
            continue;
        };
        if let Some(check) = slot.as_ref() {
            document.rest(check);
        }
    }
}
