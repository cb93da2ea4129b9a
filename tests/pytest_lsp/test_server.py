"""`reportlint lsp`, the built binary, driven by a third-party client (pytest-lsp/pygls)
that impersonates real editors with their recorded capabilities.

Run through `scripts/pytest-lsp.sh`. The server is `$REPORTLINT_BIN` (default
`target/debug/reportlint` in the repository) started as `reportlint lsp`.

Positions are compared in the encoding the server negotiated: UTF-8 bytes when the client
offers `utf-8` (Neovim 0.11, Emacs 29), else UTF-16 code units. Clients that declare
`textDocument.diagnostic` (Neovim 0.10 and 0.11) pull diagnostics; to the others they are
pushed. Nothing here sleeps to synchronise: every wait is for a message, with a timeout.
"""

from __future__ import annotations

import asyncio
import os
import pathlib
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = pathlib.Path(__file__).resolve().parents[2]
SERVER = os.environ.get("REPORTLINT_BIN") or str(REPO / "target" / "debug" / "reportlint")

# Recorded clients shipped with pytest-lsp 1.0.1 (pytest_lsp/clients/*.json):
#   neovim 0.7.0      utf-16, push, plain `changes`
#   neovim 0.10.0     utf-16 only, pulls diagnostics
#   neovim 0.11.0     offers utf-8, pulls diagnostics
#   vscode 1.65.2     utf-16, push, `documentChanges`, dynamic file-watcher registration
#   emacs 29.1        offers utf-32/utf-8/utf-16, push, `documentChanges`, dynamic registration
CLIENTS = [
    "neovim@v0.7.0",
    "neovim@v0.10.0",
    "neovim@v0.11.0",
    "visual-studio-code@v1.65.2",
    "emacs@v29.1",
]

# Seconds any one awaited message may take (a noisy 2-core machine, a debug build).
WAIT = 30.0

REPORT = """# 𠀀 报告 😀

| 项目 | 金额 |
|---|---|
| 甲 | 12 |
| 乙 | 30 |
| 合计 | 43 |
"""

# The same table with a text column of surrogate pairs before each amount, so the total's
# column differs between UTF-8, UTF-16 and characters.
WIDE_REPORT = """# 𠀀 报告 😀

| 项目 | 备注 | 金额 |
|---|---|---|
| 甲 | 𠀀 | 12 |
| 乙 | 😀 | 30 |
| 合计 | 𠀀😀 | 43 |
"""

SAMPLE = REPO / "fixtures" / "samples" / "quangang-2020-tsv.txt"


# --- the client -----------------------------------------------------------------------


def record_diagnostics(ls: LanguageClient, params: types.PublishDiagnosticsParams):
    ls.diagnostics[params.uri] = params.diagnostics
    ls.published.append(params)
    ls.changed.set()


def record_registration(ls: LanguageClient, params: types.RegistrationParams):
    ls.registrations.extend(params.registrations)
    ls.changed.set()


def make_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics (with its version) and
    accepting `client/registerCapability` (VS Code and Emacs allow dynamic registration)."""
    client = LanguageClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record_diagnostics
    features[types.CLIENT_REGISTER_CAPABILITY] = record_registration
    register_lsp_features(client, features)
    client.published = []
    client.changed = asyncio.Event()
    client.registrations = []
    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[SERVER, "lsp"], client_factory=make_client),
    params=CLIENTS,
)
async def client(request, lsp_client: LanguageClient):
    spec = request.param
    lsp_client.spec = spec
    lsp_client.init_result = await within(
        lsp_client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities(spec),
                initialization_options={"debounceMs": 0},
                locale="en",
            )
        ),
        "initialize",
    )
    yield
    server = lsp_client._server
    if server is not None and server.returncode is None:
        await within(lsp_client.shutdown_session(), "shutdown and exit")


async def until(client: LanguageClient, condition, what: str):
    """Waits until `condition()` returns something other than None (returning that), woken
    by each message the client records. Clearing and checking happen without yielding to
    the event loop, so no message is missed."""

    async def wait():
        while True:
            client.changed.clear()
            if (result := condition()) is not None:
                return result
            await client.changed.wait()

    return await within(wait(), what)


async def within(awaitable, what: str, seconds: float = WAIT):
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except asyncio.TimeoutError:
        pytest.fail(f"no answer to {what} within {seconds} s")


def encoding(client: LanguageClient) -> str:
    """The position encoding the server chose: `utf-8` or `utf-16`."""
    chosen = client.init_result.capabilities.position_encoding
    return "utf-16" if chosen is None else str(getattr(chosen, "value", chosen))


def pulls(client: LanguageClient) -> bool:
    return client.capabilities.text_document.diagnostic is not None


def takes_related_information(client: LanguageClient) -> bool:
    """Whether the client declared `relatedInformation` for pushed or pulled diagnostics
    (Emacs 29.1 declares false: the server then sends none)."""
    text_document = client.capabilities.text_document
    publish = text_document.publish_diagnostics
    pull = text_document.diagnostic
    return bool((publish and publish.related_information) or (pull and pull.related_information))


# --- positions in the negotiated encoding -----------------------------------------------


def width(text: str, enc: str) -> int:
    if enc == "utf-8":
        return len(text.encode("utf-8"))
    if enc == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    raise ValueError(enc)


def position(text: str, offset: int, enc: str) -> types.Position:
    """The position of a character offset (the texts here end lines with `\\n` only)."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=line, character=width(text[start:offset], enc))


def offset(text: str, at: types.Position, enc: str) -> int:
    """The character offset of a position; it must fall on a character boundary."""
    start = 0
    for _ in range(at.line):
        start = text.index("\n", start) + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    column = 0
    index = start
    while column < at.character:
        assert index < end, f"{at} is past the end of its line"
        column += width(text[index], enc)
        index += 1
    assert column == at.character, f"{at} is inside a character in {enc}"
    return index


def span(text: str, needle: str, enc: str, line: int | None = None) -> types.Range:
    """The range of `needle` (on `line`, when given)."""
    start = 0
    if line is not None:
        for _ in range(line):
            start = text.index("\n", start) + 1
    index = text.index(needle, start)
    if line is not None:
        assert text.count("\n", 0, index) == line, f"{needle!r} not on line {line}"
    return types.Range(
        start=position(text, index, enc), end=position(text, index + len(needle), enc)
    )


def apply_edits(text: str, edits: list[types.TextEdit], enc: str) -> str:
    """Applies edits that all refer to `text` (as in one TextDocumentEdit)."""
    spans = sorted(
        (
            (offset(text, edit.range.start, enc), offset(text, edit.range.end, enc), edit)
            for edit in edits
        ),
        key=lambda item: item[0],
        reverse=True,
    )
    for start, end, edit in spans:
        text = text[:start] + edit.new_text + text[end:]
    return text


# --- documents ----------------------------------------------------------------------------


class Doc:
    """The client's copy of one open document."""

    def __init__(self, client: LanguageClient, uri: str, text: str):
        self.client = client
        self.uri = uri
        self.text = text
        self.version = 1
        self.enc = encoding(client)

    @classmethod
    def open(cls, client: LanguageClient, uri: str, text: str, language: str = "markdown"):
        doc = cls(client, uri, text)
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language, version=doc.version, text=text
                )
            )
        )
        return doc

    def change(self, edits: list[types.TextEdit]):
        """Applies edits (all relative to the current text) locally and sends them as
        range changes, last first so that each stays valid after the ones before it."""
        new_text = apply_edits(self.text, edits, self.enc)
        ordered = sorted(
            edits,
            key=lambda edit: offset(self.text, edit.range.start, self.enc),
            reverse=True,
        )
        self.text = new_text
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
                    for edit in ordered
                ],
            )
        )

    def replace(self, needle: str, new_text: str, line: int | None = None):
        where = span(self.text, needle, self.enc, line)
        self.change([types.TextEdit(range=where, new_text=new_text)])

    def apply_workspace_edit(self, edit: types.WorkspaceEdit):
        """Applies a workspace edit for this document, in whichever form the server chose
        (`documentChanges` pinned to our version, or `changes`)."""
        if edit.document_changes is not None:
            assert edit.changes is None
            (document_edit,) = edit.document_changes
            assert isinstance(document_edit, types.TextDocumentEdit), document_edit
            assert document_edit.text_document.uri == self.uri
            assert document_edit.text_document.version == self.version
            edits = list(document_edit.edits)
        else:
            assert edit.changes is not None, edit
            assert list(edit.changes) == [self.uri], edit.changes
            edits = list(edit.changes[self.uri])
        self.change(edits)

    async def diagnostics(self) -> list[types.Diagnostic]:
        """The diagnostics of the current version: pulled, or waited for until published."""
        if pulls(self.client):
            report = await within(
                self.client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(
                        text_document=types.TextDocumentIdentifier(uri=self.uri)
                    )
                ),
                "textDocument/diagnostic",
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport), report
            assert report.result_id, report
            # Asking again with that result id: nothing changed since.
            again = await within(
                self.client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(
                        text_document=types.TextDocumentIdentifier(uri=self.uri),
                        previous_result_id=report.result_id,
                    )
                ),
                "textDocument/diagnostic",
            )
            assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport), again
            assert again.result_id == report.result_id, again
            return list(report.items)
        return await until(self.client, self.published, f"diagnostics of version {self.version}")

    def published(self) -> list[types.Diagnostic] | None:
        """The last diagnostics published for this document if they are of its current
        version, else None."""
        for params in reversed(self.client.published):
            if params.uri == self.uri:
                assert params.version is not None, params
                assert params.version <= self.version, params
                if params.version == self.version:
                    return list(params.diagnostics)
                return None
        return None

    async def server_text(self) -> dict[str, Any]:
        answer = await within(
            self.client.protocol.send_request_async(
                "reportlint/documentText", {"uri": self.uri}
            ),
            "reportlint/documentText",
        )
        return {"version": answer.version, "text": answer.text}

    async def hover(self, at: types.Position) -> types.Hover | None:
        return await within(
            self.client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=self.uri), position=at
                )
            ),
            "textDocument/hover",
        )

    async def code_actions(self, range_: types.Range, diagnostics, only=None):
        return await within(
            self.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=self.uri),
                    range=range_,
                    context=types.CodeActionContext(diagnostics=diagnostics, only=only),
                )
            ),
            "textDocument/codeAction",
        )


def uri_in(tmp_path: pathlib.Path, name: str = "report.md") -> str:
    return (tmp_path / name).as_uri()


def codes(diagnostics) -> list[str]:
    return [diagnostic.code for diagnostic in diagnostics]


def the_sum_mismatch(diagnostics) -> types.Diagnostic:
    assert codes(diagnostics) == ["sum-mismatch"], diagnostics
    (found,) = diagnostics
    assert found.source == "reportlint"
    assert found.severity == types.DiagnosticSeverity.Error
    return found


# --- the tests ------------------------------------------------------------------------------


async def test_initialize_negotiates_sync_and_encoding(client: LanguageClient):
    result = client.init_result
    assert result.server_info is not None and result.server_info.name == "reportlint"
    sync = result.capabilities.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions), sync
    assert sync.open_close is True
    assert sync.change == types.TextDocumentSyncKind.Incremental == 2
    offered = client.capabilities.general and client.capabilities.general.position_encodings
    offered = [str(getattr(kind, "value", kind)) for kind in offered or []]
    assert encoding(client) == ("utf-8" if "utf-8" in offered else "utf-16")
    assert result.capabilities.position_encoding is not None
    # The server offers pull diagnostics exactly to the clients that pull.
    assert (result.capabilities.diagnostic_provider is not None) == pulls(client)
    kinds = result.capabilities.code_action_provider.code_action_kinds
    assert "quickfix" in kinds and any(str(k).startswith("source.fixAll") for k in kinds)


async def test_a_wrong_total_is_diagnosed(client: LanguageClient, tmp_path):
    doc = Doc.open(client, uri_in(tmp_path), REPORT)
    found = the_sum_mismatch(await doc.diagnostics())
    assert found.range == span(doc.text, "43", doc.enc, line=6)
    assert "42" in found.message and "43" in found.message
    if takes_related_information(client):
        # The parts it summed, as related information in the same encoding.
        related = [item.location for item in found.related_information or []]
        for line, cell in [(4, "12"), (5, "30")]:
            where = types.Location(uri=doc.uri, range=span(doc.text, cell, doc.enc, line=line))
            assert where in related, found.related_information
    else:
        assert not found.related_information, found.related_information
    if not pulls(client):
        assert list(client.diagnostics[doc.uri]) == [found]
        assert client.published[-1].version == 1


async def test_incremental_edits_after_cjk_and_surrogate_pairs(client: LanguageClient, tmp_path):
    doc = Doc.open(client, uri_in(tmp_path), REPORT)
    the_sum_mismatch(await doc.diagnostics())

    # Insert two supplementary characters after 乙: from here on the line's columns differ
    # between UTF-8 (𠀀 and 😀 are 4 bytes, 乙 3) and UTF-16 (2 units each, 乙 1).
    after = span(doc.text, "乙", doc.enc, line=5).end
    doc.change([types.TextEdit(range=types.Range(start=after, end=after), new_text="𠀀😀")])
    assert doc.text.splitlines()[5] == "| 乙𠀀😀 | 30 |"
    the_sum_mismatch(await doc.diagnostics())

    # The cell after them: 30 -> 31 makes the total right.
    cell = span(doc.text, "30", doc.enc, line=5)
    assert cell.start.character == (16 if doc.enc == "utf-8" else 10)
    doc.replace("30", "31", line=5)
    assert await doc.diagnostics() == []
    assert await doc.server_text() == {"version": doc.version, "text": doc.text}

    # 31 -> 29: wrong again, and the summed cell is found after the surrogate pairs.
    doc.replace("31", "29", line=5)
    found = the_sum_mismatch(await doc.diagnostics())
    assert "41" in found.message, found.message
    cell = span(doc.text, "29", doc.enc, line=5)
    if takes_related_information(client):
        related = [item.location.range for item in found.related_information or []]
        assert cell in related, found.related_information
    assert await doc.server_text() == {"version": doc.version, "text": doc.text}
    # Hovering the last character of that cell gives the cell's range.
    inside = types.Position(line=cell.end.line, character=cell.end.character - 1)
    hover = await doc.hover(inside)
    assert hover is not None and hover.range == cell, hover


@pytest.mark.parametrize("text", [REPORT, WIDE_REPORT], ids=["report", "wide"])
async def test_the_preferred_quick_fix_repairs_the_total(client: LanguageClient, tmp_path, text):
    doc = Doc.open(client, uri_in(tmp_path), text)
    found = the_sum_mismatch(await doc.diagnostics())
    assert found.range == span(doc.text, "43", doc.enc, line=6)

    actions = await doc.code_actions(found.range, [found])
    assert actions, actions
    assert all(isinstance(action, types.CodeAction) for action in actions), actions
    preferred = [action for action in actions if action.is_preferred]
    assert len(preferred) == 1, actions
    (fix,) = preferred
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.diagnostics and fix.diagnostics[0].code == "sum-mismatch"
    # Every action is a literal with an edit of the right form for this client.
    versioned = bool(
        client.capabilities.workspace
        and client.capabilities.workspace.workspace_edit
        and client.capabilities.workspace.workspace_edit.document_changes
    )
    for action in actions:
        assert (action.edit.document_changes is not None) == versioned, action
        assert (action.edit.changes is not None) == (not versioned), action

    doc.apply_workspace_edit(fix.edit)
    assert doc.text == text.replace("| 43 |", "| 42 |")
    assert await doc.diagnostics() == []
    assert await doc.server_text() == {"version": doc.version, "text": doc.text}


async def test_fix_all_is_one_edit_that_leaves_the_text_clean(client: LanguageClient, tmp_path):
    doc = Doc.open(client, uri_in(tmp_path), WIDE_REPORT)
    the_sum_mismatch(await doc.diagnostics())
    whole = types.Range(
        start=types.Position(line=0, character=0),
        end=position(doc.text, len(doc.text), doc.enc),
    )
    actions = await doc.code_actions(whole, [], only=["source.fixAll"])
    assert len(actions) == 1, actions
    (fix_all,) = actions
    assert str(fix_all.kind).startswith("source.fixAll"), fix_all
    edit = fix_all.edit
    edits = edit.document_changes[0].edits if edit.document_changes else edit.changes[doc.uri]
    assert len(edits) == 1, edit
    doc.apply_workspace_edit(edit)
    assert doc.text == WIDE_REPORT.replace("| 43 |", "| 42 |")
    assert await doc.diagnostics() == []

    # Nothing left to fix: no fix-all action.
    whole.end = position(doc.text, len(doc.text), doc.enc)
    assert list(await doc.code_actions(whole, [], only=["source.fixAll"])) == []


async def test_hover_on_the_wrong_total_shows_the_arithmetic(client: LanguageClient, tmp_path):
    doc = Doc.open(client, uri_in(tmp_path), WIDE_REPORT)
    the_sum_mismatch(await doc.diagnostics())
    cell = span(doc.text, "43", doc.enc, line=6)
    inside = types.Position(line=cell.start.line, character=cell.start.character + 1)
    hover = await doc.hover(inside)
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent), hover
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "≠" in hover.contents.value, hover.contents.value
    assert "43" in hover.contents.value and "42" in hover.contents.value
    assert hover.range == cell


async def test_the_real_sample_has_its_sum_mismatch_on_line_77(client: LanguageClient):
    text = SAMPLE.read_text(encoding="utf-8")
    doc = Doc.open(client, SAMPLE.as_uri(), text, language="plaintext")
    diagnostics = await doc.diagnostics()
    mismatches = [d for d in diagnostics if d.code == "sum-mismatch" and d.range.start.line == 77]
    assert mismatches, [(d.code, d.range.start.line) for d in diagnostics]
    assert all(d.source == "reportlint" for d in diagnostics)


async def test_push_and_pull_clients_get_what_they_declared(client: LanguageClient, tmp_path):
    doc = Doc.open(client, uri_in(tmp_path), REPORT)
    the_sum_mismatch(await doc.diagnostics())
    # Closing clears pushed diagnostics.
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=doc.uri))
    )
    if not pulls(client):
        cleared = await until(
            client,
            lambda: client.published[-1] if len(client.published[-1].diagnostics) == 0 else None,
            "the diagnostics cleared on close",
        )
        assert cleared.uri == doc.uri and cleared.version is None, cleared
    # A client that allows it is asked to watch reportlint.toml files.
    watch = client.capabilities.workspace and client.capabilities.workspace.did_change_watched_files
    if watch and watch.dynamic_registration:
        registration = await until(
            client,
            lambda: next(
                (r for r in client.registrations if r.method == "workspace/didChangeWatchedFiles"),
                None,
            ),
            "the file watcher registration",
        )
        options = registration.register_options
        assert isinstance(options, dict), registration
        globs = [watcher["globPattern"] for watcher in options["watchers"]]
        assert "**/reportlint.toml" in globs, registration
    await within(client.shutdown_session(), "shutdown and exit")
    if pulls(client):
        # Nothing was ever pushed to a client that pulls.
        assert client.published == [], client.published
    if not (watch and watch.dynamic_registration):
        assert client.registrations == [], client.registrations


async def test_shutdown_ends_the_server(client: LanguageClient, tmp_path):
    Doc.open(client, uri_in(tmp_path), REPORT)
    server = client._server
    assert server is not None and server.returncode is None
    await within(client.shutdown_session(), "shutdown and exit")
    assert server.returncode == 0
