//! Code actions and commands: a quick fix per fixable diagnostic, "disable for this line",
//! and fix-all (`source.fixAll.reportlint`, the `reportlint.fixAll` command), which applies
//! every safe fix until nothing changes, as `check --fix` does.

use super::*;
use crate::suppress::disable_next_line;

impl Backend {
    /// Every safe fix, applied until nothing changes, as one minimal edit of the document.
    pub(super) fn fix_all_edit(&self, uri: &Uri, analysis: &Analysis) -> Option<WorkspaceEdit> {
        let fixed = analysis
            .fixed
            .get_or_init(|| fix_all(uri, analysis))
            .as_deref()?;
        let edit = minimal_edit(analysis.text(), fixed)?;
        let state = self.state();
        let target = analysis.target(uri, &state);
        Some(workspace_edit(
            uri,
            analysis.version,
            text_edits(target, &[edit]),
            state.features.versioned_edits,
        ))
    }

    pub(super) async fn code_actions(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
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
            for found in analysis.diagnostics() {
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
                    edit: Some(edit_of(&[disable_next_line(analysis.text(), found)])),
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

    pub(super) async fn run_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
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
}

/// The text with every safe fix applied until nothing changes, as `check --fix` does; the
/// first pass uses the diagnostics the check already found. `None` when nothing changes.
fn fix_all(uri: &Uri, analysis: &Analysis) -> Option<String> {
    let has_safe_fix = analysis.diagnostics().iter().any(|found| {
        found
            .fix
            .as_ref()
            .is_some_and(|fix| FixMode::SafeOnly.allows(fix.applicability))
    });
    if !has_safe_fix {
        return None;
    }
    let profile = analysis.options.profile();
    let lint_options = analysis.options.lint_options(profile.as_deref());
    let mut first_pass = Some(analysis.diagnostics().to_vec());
    let fixed = std::panic::catch_unwind(AssertUnwindSafe(|| {
        fix_until_stable(analysis.text(), FixMode::SafeOnly, |text| {
            first_pass
                .take()
                .unwrap_or_else(|| lint(text, &lint_options).diagnostics)
        })
    }));
    match fixed {
        Ok(Ok(outcome)) => (outcome.text != analysis.text()).then_some(outcome.text),
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
