// The reportlint extension: starts `reportlint lsp` for Markdown and plain-text documents
// and adds three commands (fix all totals, restart the server, show a rule's documentation).

import { execFile } from 'child_process';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  DiagnosticPullMode,
  DocumentSelector,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { resolveBinary, Resolution } from './binary';

/** The "Installation" section of reportlint's README. */
const INSTALL_URL = 'https://example.invalid/reportlint#installation';

const SECTION = 'reportlint';
/** The server's executeCommand that applies every safe fix to one document. */
const SERVER_FIX_ALL = 'reportlint.fixAll';
const RULE_SCHEME = 'reportlint-rule';

const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'markdown' },
  { scheme: 'file', language: 'plaintext' },
  { scheme: 'untitled', language: 'markdown' },
  { scheme: 'untitled', language: 'plaintext' },
];

/** The "reportlint" output channel: this extension's log and the client's. */
let output: vscode.OutputChannel;
/** The client of the last start, when a program was found (it may have failed to start). */
let client: LanguageClient | undefined;
/** Starts and stops run one after another, never interleaved. */
let lifecycle: Promise<void> = Promise.resolve();
/** The restart pending after reportlint.path changed. */
let pathRestart: ReturnType<typeof setTimeout> | undefined;

/** What the server accepts in initializationOptions and didChangeConfiguration. */
interface ServerSettings {
  profile: string;
  lintOn: string;
  debounceMs: number;
  inlayHints: boolean;
  lang: string | null;
}

/** The options the server reads, from the reportlint section of the settings. */
function settings(): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    profile: config.get<string>('profile', 'auto'),
    lintOn: config.get<string>('lintOn', 'type'),
    debounceMs: Math.max(0, Math.round(config.get<number>('debounceMs', 100))),
    inlayHints: config.get<boolean>('inlayHints', false),
    lang: config.get<string | null>('lang', null) ?? null,
  };
}

/** The program to run, found as binary.ts describes, with this window's settings. */
function resolveServer(context: vscode.ExtensionContext): Resolution {
  return resolveBinary({
    setting: vscode.workspace.getConfiguration(SECTION).get<string>('path', ''),
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    home: os.homedir(),
    env: process.env,
    platform: process.platform,
  });
}

/** The error shown when no program can be run, with the way out. */
async function showNotFound(resolution: Resolution & { ok: false }): Promise<void> {
  const install = 'Install instructions';
  const openSettings = 'Open settings';
  const lead = resolution.settingProblem
    ? 'reportlint: the program set in reportlint.path cannot be run.'
    : 'reportlint: the reportlint program was not found.';
  const choice = await vscode.window.showErrorMessage(
    `${lead} Tried: ${resolution.tried.join('; ')}.`,
    install,
    openSettings,
  );
  if (choice === install) {
    await vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
  } else if (choice === openSettings) {
    await openPathSetting();
  }
}

/** The settings editor, filtered to reportlint.path. */
async function openPathSetting(): Promise<void> {
  const query = `${SECTION}.path`;
  if (vscode.env.remoteName !== undefined) {
    // In a remote window (SSH, WSL, containers, code-server) a machine-overridable setting
    // is read from the remote settings, not the local user settings.
    try {
      await vscode.commands.executeCommand('workbench.action.openRemoteSettings', { query });
      return;
    } catch {
      // Fall back to the user settings.
    }
  }
  await vscode.commands.executeCommand('workbench.action.openSettings', query);
}

/** The text of a thrown value, for a message. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Waits `ms`, or less when `token` is cancelled first. */
function sleep(ms: number, token: vscode.CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve();
    }, ms);
    const listener = token.onCancellationRequested(() => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
  });
}

function createClient(command: string): LanguageClient {
  // stdio, the default: no `transport` here, or the client would add `--stdio` to the arguments.
  const serverOptions: ServerOptions = { command, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: settings(),
    // Sends `{reportlint: {...}}` as workspace/didChangeConfiguration whenever it changes.
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    diagnosticCollectionName: SECTION,
    // VS Code pulls diagnostics: on open, on every change and on save, and again for
    // documents in the background or when the server asks for a refresh. The server honours
    // lintOn for pulls too: with "save" it answers each one with the check made at open or at
    // the last save. So the filter only spares requests: with lintOn "save" it drops the pulls
    // after typing; the save pull stays, as it is the one that gets the new check. With
    // lintOn "type" a save pull is cheap: the server answers "unchanged" when nothing changed.
    diagnosticPullOptions: {
      onChange: true,
      onSave: true,
      filter: (_document, mode) => mode === DiagnosticPullMode.onType && settings().lintOn === 'save',
    },
    middleware: {
      // The server does not debounce pulls, so the debounce is here: with lintOn "type" every
      // pull waits debounceMs first, and a newer edit cancels the waiting pull, after which
      // the client pulls again.
      provideDiagnostics: async (document, previousResultId, token, next) => {
        const { lintOn, debounceMs } = settings();
        if (lintOn === 'type' && debounceMs > 0) {
          await sleep(debounceMs, token);
          if (token.isCancellationRequested) {
            throw new vscode.CancellationError();
          }
        }
        return next(document, previousResultId, token);
      },
    },
  };
  return new LanguageClient(SECTION, 'reportlint', serverOptions, clientOptions);
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const resolution = resolveServer(context);
  if (!resolution.ok) {
    output.appendLine(`reportlint program not found. Tried: ${resolution.tried.join('; ')}`);
    void showNotFound(resolution);
    return;
  }
  for (const place of resolution.tried) {
    output.appendLine(`Not used: ${place}`);
  }
  output.appendLine(`Using ${resolution.command} (${resolution.source}): ${resolution.command} lsp`);
  const created = createClient(resolution.command);
  client = created;
  try {
    await created.start();
  } catch (error) {
    // The client has already shown its own error; the log gets the details.
    output.appendLine(`The server ${resolution.command} did not start: ${String(error)}`);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running === undefined) {
    return;
  }
  try {
    if (running.state !== State.Stopped) {
      await running.stop();
    }
  } catch (error) {
    output.appendLine(`Stopping the server: ${String(error)}`);
  }
  try {
    await running.dispose();
  } catch {
    // Already stopped.
  }
}

/** Runs `task` after every start or stop queued before it, whether those worked or not. */
function queue(task: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.catch(() => undefined).then(task);
  return lifecycle;
}

function restart(context: vscode.ExtensionContext): Promise<void> {
  return queue(async () => {
    await stop();
    await start(context);
  });
}

/** reportlint.fixAllInFile: every safe fix in the active (or given) document. */
async function fixAllInFile(uri?: vscode.Uri): Promise<void> {
  const document =
    uri instanceof vscode.Uri
      ? await vscode.workspace.openTextDocument(uri)
      : vscode.window.activeTextEditor?.document;
  if (document === undefined) {
    void vscode.window.showInformationMessage('reportlint: open a report to fix first.');
    return;
  }
  if (vscode.languages.match(DOCUMENT_SELECTOR as vscode.DocumentSelector, document) === 0) {
    void vscode.window.showInformationMessage(
      `reportlint checks Markdown and plain-text documents, not ${document.languageId}.`,
    );
    return;
  }
  const running = client;
  if (running === undefined || !running.isRunning()) {
    const restartLabel = 'Restart server';
    const choice = await vscode.window.showErrorMessage(
      'reportlint: the server is not running.',
      restartLabel,
    );
    if (choice === restartLabel) {
      await vscode.commands.executeCommand('reportlint.restartServer');
    }
    return;
  }
  const before = document.version;
  try {
    // The server answers by sending workspace/applyEdit, which the client applies.
    await running.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_FIX_ALL,
      arguments: [running.code2ProtocolConverter.asUri(document.uri)],
    });
  } catch (error) {
    void vscode.window.showErrorMessage(
      `reportlint: fixing the totals failed: ${describe(error)}`,
    );
    return;
  }
  if (document.version === before) {
    void vscode.window.showInformationMessage('reportlint: no total to fix in this file.');
  }
}

interface RuleSummary {
  code: string;
  severity: string;
  summary: string;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = stderr.trim() || error.message;
        reject(new Error(detail));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** The code of a reportlint diagnostic under the cursor, if there is one. */
function codeAtCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return undefined;
  }
  const position = editor.selection.active;
  for (const diagnostic of vscode.languages.getDiagnostics(editor.document.uri)) {
    if (diagnostic.source !== 'reportlint' || !diagnostic.range.contains(position)) {
      continue;
    }
    const code = diagnostic.code;
    if (typeof code === 'string' || typeof code === 'number') {
      return String(code);
    }
    if (code !== undefined) {
      return String(code.value);
    }
  }
  return undefined;
}

async function pickRule(command: string): Promise<string | undefined> {
  const rules = JSON.parse(await run(command, ['rule', '--json'])) as RuleSummary[];
  const items: (vscode.QuickPickItem & { code: string })[] = rules.map((rule) => ({
    label: rule.code,
    description: rule.severity,
    detail: rule.summary,
    code: rule.code,
  }));
  const preselect = codeAtCursor();
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { code: string }>();
  pick.title = 'reportlint rules';
  pick.placeholder = 'The rule whose documentation to show';
  pick.matchOnDetail = true;
  pick.items = items;
  const current = items.find((item) => item.code === preselect);
  if (current !== undefined) {
    pick.activeItems = [current];
  }
  return new Promise((resolve) => {
    let chosen: string | undefined;
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0]?.code ?? pick.activeItems[0]?.code;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}

/** Serves `reportlint-rule:/CODE.md` documents: the text of `reportlint rule CODE`. */
class RuleDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.path, text);
    this.changed.fire(uri);
  }
}

async function showRuleDocs(
  context: vscode.ExtensionContext,
  rules: RuleDocuments,
  code?: unknown,
): Promise<void> {
  const resolution = resolveServer(context);
  if (!resolution.ok) {
    await showNotFound(resolution);
    return;
  }
  let rule = typeof code === 'string' && code.trim() !== '' ? code.trim() : undefined;
  try {
    rule = rule ?? (await pickRule(resolution.command));
    if (rule === undefined) {
      return;
    }
    const text = await run(resolution.command, ['rule', rule]);
    const uri = vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${rule}.md` });
    rules.set(uri, text);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      // No Markdown preview (the built-in extension is disabled): show the text itself.
      await vscode.window.showTextDocument(uri, { preview: true });
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`reportlint: ${describe(error)}`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('reportlint');
  context.subscriptions.push(output);

  const rules = new RuleDocuments();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, rules),
    vscode.commands.registerCommand('reportlint.fixAllInFile', (uri?: vscode.Uri) =>
      fixAllInFile(uri),
    ),
    vscode.commands.registerCommand('reportlint.restartServer', () => {
      output.appendLine('Restarting the server');
      return restart(context);
    }),
    vscode.commands.registerCommand('reportlint.showRuleDocs', (code?: unknown) =>
      showRuleDocs(context, rules, code),
    ),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.path`)) {
        // Later, and once for a burst of changes (typing in the settings editor): the client
        // first sends the change to the server it has, which must not be stopping by then.
        clearTimeout(pathRestart);
        pathRestart = setTimeout(() => {
          output.appendLine('reportlint.path changed: restarting the server');
          void restart(context);
        }, 500);
      }
    }),
    { dispose: () => clearTimeout(pathRestart) },
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // reportlint.path from the workspace counts only in a trusted workspace.
      const inspected = vscode.workspace.getConfiguration(SECTION).inspect<string>('path');
      if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) {
        void restart(context);
      }
    }),
  );

  await queue(() => start(context));
}

export function deactivate(): Promise<void> {
  return queue(stop);
}
