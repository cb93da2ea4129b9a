// Talks to `reportlint lsp` the way the extension's client does: the same initializationOptions,
// the settings as VS Code sends them ({reportlint: {...}} with `path` and `trace` included),
// pulled diagnostics, and the reportlint.fixAll command behind "Fix all totals in this file".
// Uses $REPORTLINT_BIN, else target/debug/reportlint of the repository; skipped when neither exists.
// Run: node --test test/

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} = require('vscode-languageserver-protocol/node');

const binary =
  process.env.REPORTLINT_BIN ?? path.resolve(__dirname, '../../../target/debug/reportlint');

const REPORT = [
  '# 𠀀 报告 😀',
  '',
  '| 项目 | 金额 |',
  '|---|---|',
  '| 甲 | 12 |',
  '| 乙 | 30 |',
  '| 合计 | 43 |',
  '',
].join('\n');

/** Applies LSP text edits (UTF-16 positions) to `text`. */
function applyEdits(text, edits) {
  const lines = text.split('\n');
  const offset = ({ line, character }) =>
    lines.slice(0, line).reduce((sum, item) => sum + item.length + 1, 0) + character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result =
      result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  }
  return result;
}

async function withServer(run) {
  const child = spawn(binary, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const messages = [];
  const edits = [];
  connection.onNotification('window/showMessage', (params) => messages.push(params.message));
  connection.onNotification('textDocument/publishDiagnostics', () => {});
  connection.onRequest('workspace/applyEdit', (params) => {
    edits.push(params.edit);
    return { applied: true };
  });
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  try {
    await run({ connection, messages, edits });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await connection.sendRequest('shutdown').catch(() => {});
    await connection.sendNotification('exit').catch(() => {});
    const timer = setTimeout(() => child.kill(), 5000);
    await exited;
    clearTimeout(timer);
    connection.dispose();
  }
}

test('the server accepts what the extension sends and fixes the total', async () => {
  assert.ok(fs.existsSync(binary), `no server at ${binary}: build it with \`cargo build\` or set REPORTLINT_BIN`);
  await withServer(async ({ connection, messages, edits }) => {
    const init = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      locale: 'en',
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        textDocument: {
          diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
        },
        workspace: {
          applyEdit: true,
          workspaceEdit: { documentChanges: true },
          configuration: true,
          diagnostics: { refreshSupport: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
      },
      // As the extension sends them (extension.ts, settings()).
      initializationOptions: { profile: 'auto', lintOn: 'type', debounceMs: 100, inlayHints: false, lang: null },
    });
    const capabilities = init.capabilities;
    assert.deepEqual(capabilities.executeCommandProvider.commands, ['reportlint.fixAll']);
    assert.ok(capabilities.codeActionProvider.codeActionKinds.includes('source.fixAll.reportlint'));
    assert.ok(capabilities.diagnosticProvider, 'VS Code pulls diagnostics');
    connection.sendNotification('initialized', {});

    // synchronize.configurationSection sends the whole section, unknown keys included.
    connection.sendNotification('workspace/didChangeConfiguration', {
      settings: {
        reportlint: {
          path: '',
          profile: 'generic',
          lintOn: 'type',
          debounceMs: 100,
          inlayHints: false,
          lang: null,
          trace: { server: 'off' },
        },
      },
    });

    for (const uri of ['untitled:Untitled-1', 'file:///tmp/reportlint-vscode-test/report.md']) {
      connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'markdown', version: 1, text: REPORT },
      });
      const report = await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
      const codes = report.items.map((item) => item.code);
      assert.ok(codes.includes('sum-mismatch'), `${uri}: ${JSON.stringify(report.items)}`);
      assert.ok(report.items.every((item) => item.source === 'reportlint'));

      // reportlint.fixAllInFile sends exactly this.
      edits.length = 0;
      await connection.sendRequest('workspace/executeCommand', {
        command: 'reportlint.fixAll',
        arguments: [uri],
      });
      assert.equal(edits.length, 1, `${uri}: one workspace/applyEdit`);
      const change = edits[0].documentChanges[0];
      assert.equal(change.textDocument.uri, uri);
      const fixed = applyEdits(REPORT, change.edits);
      assert.equal(fixed, REPORT.replace('| 合计 | 43 |', '| 合计 | 42 |'));
    }
    assert.deepEqual(messages, [], 'no warning about the settings');
  });
});
