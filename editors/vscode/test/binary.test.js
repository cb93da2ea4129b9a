// How the extension finds the reportlint program (out/binary.js; build with `npx tsc -p .`).
// Run: node --test test/

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');
const { resolveBinary, expandSetting, findOnPath } = require('../out/binary.js');

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'reportlint-binary-'));
}

function program(file, mode = 0o755) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, mode);
  return file;
}

function environment(overrides) {
  return {
    setting: '',
    extensionPath: '/nonexistent-extension',
    workspaceFolder: undefined,
    home: '/nonexistent-home',
    env: { PATH: '' },
    platform: 'linux',
    ...overrides,
  };
}

test('the setting wins, with ~ and ${workspaceFolder} expanded', () => {
  const home = tempDir();
  const folder = tempDir();
  const inHome = program(path.join(home, 'bin', 'reportlint'));
  const inFolder = program(path.join(folder, 'tools', 'reportlint'));
  const extension = tempDir();
  program(path.join(extension, 'bin', 'reportlint'));

  let found = resolveBinary(environment({ setting: '~/bin/reportlint', home, extensionPath: extension }));
  assert.equal(found.ok, true);
  assert.equal(found.command, inHome);
  assert.equal(found.source, 'reportlint.path');

  found = resolveBinary(
    environment({ setting: '${workspaceFolder}/tools/reportlint', workspaceFolder: folder }),
  );
  assert.equal(found.command, inFolder);

  // A relative path is taken from the workspace folder.
  found = resolveBinary(environment({ setting: 'tools/reportlint', workspaceFolder: folder }));
  assert.equal(found.command, inFolder);
});

test('a setting that points at nothing is an error, not a fallback', () => {
  const extension = tempDir();
  program(path.join(extension, 'bin', 'reportlint'));
  const found = resolveBinary(
    environment({ setting: '/nowhere/reportlint', extensionPath: extension }),
  );
  assert.equal(found.ok, false);
  assert.equal(found.settingProblem, true);
  assert.match(found.tried[0], /\/nowhere\/reportlint \(no such file\)/);

  const noFolder = resolveBinary(environment({ setting: '${workspaceFolder}/reportlint' }));
  assert.equal(noFolder.ok, false);
  assert.match(noFolder.tried[0], /no folder is open/);

  const notExecutable = program(path.join(tempDir(), 'reportlint'), 0o644);
  const plain = resolveBinary(environment({ setting: notExecutable }));
  assert.equal(plain.ok, false);
  assert.match(plain.tried[0], /not an executable file/);
});

test('a bare name in the setting is looked up on PATH', () => {
  const dir = tempDir();
  const custom = program(path.join(dir, 'reportlint-dev'));
  const found = resolveBinary(environment({ setting: 'reportlint-dev', env: { PATH: dir } }));
  assert.equal(found.command, custom);
  const missing = resolveBinary(environment({ setting: 'reportlint-nope', env: { PATH: dir } }));
  assert.equal(missing.ok, false);
});

test('without the setting: the bundled program, then PATH', () => {
  const extension = tempDir();
  const onPathDir = tempDir();
  const onPath = program(path.join(onPathDir, 'reportlint'));

  let found = resolveBinary(environment({ extensionPath: extension, env: { PATH: `/nowhere:${onPathDir}` } }));
  assert.equal(found.command, onPath);
  assert.equal(found.source, 'found on PATH');
  assert.match(found.tried[0], /bundled program .* \(not included\)/);

  // A bundled program that lost its executable bit (as unzipping may do) gets it back.
  const bundled = program(path.join(extension, 'bin', 'reportlint'), 0o644);
  found = resolveBinary(environment({ extensionPath: extension, env: { PATH: onPathDir } }));
  assert.equal(found.command, bundled);
  assert.equal(found.source, 'bundled with the extension');
});

test('nothing found: every place is named', () => {
  const found = resolveBinary(environment({ env: { PATH: tempDir() } }));
  assert.equal(found.ok, false);
  assert.equal(found.settingProblem, false);
  assert.equal(found.tried.length, 2);
  assert.match(found.tried[1], /"reportlint" on PATH/);
});

test('expandSetting and findOnPath', () => {
  assert.deepEqual(expandSetting(' ~ ', '/home/u', undefined), { value: '/home/u' });
  assert.deepEqual(expandSetting('${userHome}/x', '/home/u', undefined), { value: '/home/u/x' });
  assert.equal(findOnPath('reportlint', {}, 'linux'), undefined);
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'reportlint')); // a folder is not a program
  assert.equal(findOnPath('reportlint', { PATH: dir }, 'linux'), undefined);
});
