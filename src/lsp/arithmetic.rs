//! The arithmetic in the editor: a hover on a number lists every relation it is in with
//! its sum, and inlay hints show what a wrong total should be.

use super::*;

impl Backend {
    pub(super) async fn hover_at(&self, params: HoverParams) -> Result<Option<Hover>> {
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
        let found = analysis.engine.evidence_at(byte);
        let Some(cell) = found
            .first()
            .and_then(|item| item.cells.iter().copied().find(|&cell| touches(cell)))
        else {
            // On the title: which profile the report is checked against, and why.
            let Some(title) = analysis.document().title.as_ref().map(|title| title.range) else {
                return Ok(None);
            };
            if !touches(title) {
                return Ok(None);
            }
            return Ok(Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: analysis.engine.profile_text().get(lang).to_string(),
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

    pub(super) async fn inlay_hints_in(
        &self,
        params: InlayHintParams,
    ) -> Result<Option<Vec<InlayHint>>> {
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
            .engine
            .evidence_in(visible.clone())
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
}
