// Finds the reportlint program: the `reportlint.path` setting, else the program bundled in
// the extension's bin/ folder, else `reportlint` on PATH. Kept free of the `vscode` module so
// that it can be checked with plain Node (test/binary.test.js).

import * as fs from 'fs';
import * as path from 'path';

export interface Environment {
  /** The `reportlint.path` setting as written (may be empty). */
  setting: string;
  /** The extension's install folder. */
  extensionPath: string;
  /** The first workspace folder, if one is open. */
  workspaceFolder?: string;
  /** The user's home folder, for `~` and `${userHome}`. */
  home: string;
  /** The environment whose PATH is searched. */
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

/**
 * `ok`: the program to run, where it came from, and the places passed over before it.
 * Not `ok`: every place looked at; `settingProblem` when reportlint.path is set but unusable
 * (then nothing else is tried: the setting says which program to run).
 */
export type Resolution =
  | { ok: true; command: string; source: string; tried: string[] }
  | { ok: false; tried: string[]; settingProblem: boolean };

/** Expands `~`, `${userHome}` and `${workspaceFolder}`; an error message when it cannot. */
export function expandSetting(
  raw: string,
  home: string,
  workspaceFolder: string | undefined,
): { value: string } | { error: string } {
  let value = raw.trim();
  if (value.includes('${workspaceFolder}')) {
    if (workspaceFolder === undefined) {
      return { error: `reportlint.path "${raw}" uses \${workspaceFolder}, but no folder is open` };
    }
    value = value.split('${workspaceFolder}').join(workspaceFolder);
  }
  value = value.split('${userHome}').join(home);
  if (value === '~') {
    value = home;
  } else if (value.startsWith('~/') || value.startsWith('~\\')) {
    value = path.join(home, value.slice(2));
  }
  return { value };
}

/** A regular file that this process may run. */
export function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** The extensions Windows tries for a command without one. */
function windowsExtensions(env: NodeJS.ProcessEnv): string[] {
  const pathext = env.PATHEXT ?? env.Pathext ?? '.COM;.EXE;.BAT;.CMD';
  return pathext
    .split(';')
    .map((extension) => extension.trim())
    .filter((extension) => extension.length > 0);
}

/** The file `name` would run as, searched in PATH like a shell does. */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): string | undefined {
  const pathVariable = platform === 'win32' ? (env.Path ?? env.PATH ?? env.path) : env.PATH;
  if (!pathVariable) {
    return undefined;
  }
  const delimiter = platform === 'win32' ? ';' : ':';
  const names =
    platform === 'win32' && path.extname(name) === ''
      ? windowsExtensions(env).map((extension) => name + extension.toLowerCase())
      : [name];
  for (const folder of pathVariable.split(delimiter)) {
    const unquoted = folder.replace(/^"(.*)"$/, '$1');
    if (unquoted === '') {
      continue;
    }
    for (const candidate of names) {
      const file = path.join(unquoted, candidate);
      if (isExecutableFile(file, platform)) {
        return file;
      }
    }
  }
  return undefined;
}

/** Whether `value` names a path (`dir/prog`) rather than a bare command name. */
function hasSeparator(value: string, platform: NodeJS.Platform): boolean {
  return value.includes('/') || (platform === 'win32' && value.includes('\\'));
}

/** `file`, or `file.exe` on Windows when `file` has no extension and only that one exists. */
function withExe(file: string, platform: NodeJS.Platform): string {
  if (platform === 'win32' && path.extname(file) === '' && !fs.existsSync(file)) {
    return file + '.exe';
  }
  return file;
}

/** Resolves the program to run; `tried` lists each place looked at, for messages and the log. */
export function resolveBinary(environment: Environment): Resolution {
  const { setting, platform } = environment;
  const tried: string[] = [];

  if (setting.trim() !== '') {
    const expanded = expandSetting(setting, environment.home, environment.workspaceFolder);
    if ('error' in expanded) {
      tried.push(expanded.error);
      return { ok: false, tried, settingProblem: true };
    }
    const value = expanded.value;
    const pathApi = platform === 'win32' ? path.win32 : path.posix;
    if (!pathApi.isAbsolute(value) && !hasSeparator(value, platform)) {
      // A bare name, as in a shell: looked up on PATH.
      const found = findOnPath(value, environment.env, platform);
      if (found !== undefined) {
        return { ok: true, command: found, source: `reportlint.path "${setting}", found on PATH`, tried };
      }
      tried.push(`reportlint.path "${setting}": not found on PATH`);
      return { ok: false, tried, settingProblem: true };
    }
    let file = value;
    if (!pathApi.isAbsolute(value)) {
      if (environment.workspaceFolder === undefined) {
        tried.push(`reportlint.path "${setting}": a relative path, but no folder is open`);
        return { ok: false, tried, settingProblem: true };
      }
      file = path.join(environment.workspaceFolder, value);
    }
    file = withExe(file, platform);
    if (isExecutableFile(file, platform)) {
      return { ok: true, command: file, source: 'reportlint.path', tried };
    }
    const reason = fs.existsSync(file) ? 'not an executable file' : 'no such file';
    tried.push(`reportlint.path "${setting}": ${file} (${reason})`);
    return { ok: false, tried, settingProblem: true };
  }

  const bundled = path.join(
    environment.extensionPath,
    'bin',
    platform === 'win32' ? 'reportlint.exe' : 'reportlint',
  );
  if (fs.existsSync(bundled) && platform !== 'win32' && !isExecutableFile(bundled, platform)) {
    // An archive may drop the executable bit; the file is ours, so give it back.
    try {
      fs.chmodSync(bundled, 0o755);
    } catch {
      // Reported below as not executable.
    }
  }
  if (isExecutableFile(bundled, platform)) {
    return { ok: true, command: bundled, source: 'bundled with the extension', tried };
  }
  tried.push(
    `the bundled program ${bundled} (${fs.existsSync(bundled) ? 'not executable' : 'not included'})`,
  );

  const onPath = findOnPath('reportlint', environment.env, platform);
  if (onPath !== undefined) {
    return { ok: true, command: onPath, source: 'found on PATH', tried };
  }
  tried.push('"reportlint" on PATH (not found)');
  return { ok: false, tried, settingProblem: false };
}
