//! Engine results in protocol terms: diagnostics, edits and workspace edits. Only converts;
//! the words, severities, related cells and fixes were decided by the rules.

use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::fix::Edit;
use crate::lsp::position::{range, Encoding, Lines};
use tower_lsp_server::ls_types::{
    self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

/// The text the engine checked, as the protocol needs it for positions.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub uri: &'a Uri,
    pub lines: Lines<'a>,
    pub encoding: Encoding,
    /// The client takes related locations; without them a diagnostic is just its message.
    pub related_information: bool,
}

/// One engine diagnostic as an LSP diagnostic.
pub fn diagnostic(target: Target, found: &Diagnostic, lang: Lang) -> lsp::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = found
        .related
        .iter()
        .map(|related| DiagnosticRelatedInformation {
            location: Location::new(
                target.uri.clone(),
                range(target.lines, related.range, target.encoding),
            ),
            message: related.message.get(lang).to_string(),
        })
        .collect();
    lsp::Diagnostic {
        range: range(target.lines, found.range, target.encoding),
        severity: Some(match found.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(found.code.to_string())),
        source: Some("reportlint".to_string()),
        message: found.message.get(lang).to_string(),
        related_information: (target.related_information && !related.is_empty()).then_some(related),
        ..lsp::Diagnostic::default()
    }
}

/// Engine edits as LSP text edits.
pub fn text_edits(target: Target, edits: &[Edit]) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|edit| {
            TextEdit::new(
                range(target.lines, edit.range, target.encoding),
                edit.new_text.clone(),
            )
        })
        .collect()
}

/// A workspace edit of one document: `documentChanges` pinned to `version` when the client
/// supports them, else plain `changes`.
pub fn workspace_edit(
    uri: &Uri,
    version: i32,
    edits: Vec<TextEdit>,
    versioned: bool,
) -> WorkspaceEdit {
    if versioned {
        WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some([(uri.clone(), edits)].into_iter().collect()),
            ..WorkspaceEdit::default()
        }
    }
}
