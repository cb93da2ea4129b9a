// Drives VS Code (code-server, already running) in headless Chromium with playwright-core and
// checks what the reportlint extension shows for a report whose total is wrong. Started by
// scripts/vscode-e2e.sh, which installs code-server and the extension and starts both.
//
// Environment:
//   E2E_URL        code-server's address, e.g. http://127.0.0.1:PORT (required)
//   E2E_FOLDER     the workspace folder code-server opened (required)
//   E2E_FILE       the report's file name in that folder (default: report.md)
//   SCREENSHOT     the screenshot with squiggle, hover and Problems panel
//                  (default: target/vscode-e2e/screenshot.png)
//   E2E_ARTIFACTS  folder for screenshots of failed checks (default: SCREENSHOT's folder)
//   E2E_RESULTS    file to write "PASSED FAILED" to
//   E2E_TIMEOUT_MS how long to wait for the diagnostic (default: 60000)
//   E2E_QUICKFIX=0 leave out the quick-fix check
//   CHROMIUM       the browser (default: /usr/bin/chromium)
//
// Prints one line per check (`ok   - ...` or `FAIL - ...: why`) and exits non-zero when any
// check failed.
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync, statSync } from "node:fs";
import path from "node:path";

const url = process.env.E2E_URL;
const folder = process.env.E2E_FOLDER;
if (!url || !folder) {
  console.error("e2e.mjs: set E2E_URL and E2E_FOLDER (run scripts/vscode-e2e.sh)");
  process.exit(2);
}
const file = process.env.E2E_FILE || "report.md";
const screenshot = path.resolve(process.env.SCREENSHOT || "target/vscode-e2e/screenshot.png");
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || path.dirname(screenshot));
const diagnosticTimeout = Number(process.env.E2E_TIMEOUT_MS || 60000);
const quickFix = process.env.E2E_QUICKFIX !== "0";
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

// The report's wrong total and what the hover must show about it.
const WRONG = "43";
const ARITHMETIC = /43\s*≠\s*12\s*\+\s*30\s*=\s*42/;

const results = [];
let passed = 0;
let failed = 0;
const started = Date.now();

// Stop everything if the browser hangs: the whole run must end on its own.
const watchdog = setTimeout(() => {
  console.log(`FAIL - the run did not finish within ${Math.round((Date.now() - started) / 1000)} s`);
  writeResults(passed, failed + 1);
  process.exit(1);
}, 5 * 60 * 1000);

function writeResults(p, f) {
  if (process.env.E2E_RESULTS) writeFileSync(process.env.E2E_RESULTS, `${p} ${f}\n`);
}

async function poll(what, timeoutMs, fn, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} (waited ${Math.round(timeoutMs / 1000)} s)` + (last ? `: ${last.message}` : ""));
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);

let page;
async function check(name, fn, { needs = [] } = {}) {
  const t0 = Date.now();
  const missing = needs.filter((n) => !results.find((r) => r.name === n && r.ok));
  if (missing.length) {
    failed++;
    results.push({ name, ok: false });
    console.log(`FAIL - ${name}: not run, it needs: ${missing.join("; ")}`);
    return false;
  }
  try {
    const detail = await fn();
    passed++;
    results.push({ name, ok: true });
    console.log(`ok   - ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ""}`);
    return true;
  } catch (e) {
    failed++;
    results.push({ name, ok: false });
    let shot = "";
    if (page) {
      const p = path.join(artifacts, `failure-${slug(name)}.png`);
      try {
        await page.screenshot({ path: p });
        shot = ` [screenshot: ${p}]`;
      } catch {
        // no page to take a picture of
      }
    }
    console.log(`FAIL - ${name}: ${e.message.split("\n")[0]}${shot}`);
    return false;
  }
}

// Text of the Problems panel's rows (file rows and marker rows).
async function problemRows() {
  return page.locator(".markers-panel .monaco-tl-contents").allInnerTexts();
}

// Screen position of the wrong total in the editor's rendered line of the 合计 row.
async function wrongTotalPosition() {
  return page.evaluate((needle) => {
    const editor = document.querySelector(".editor-instance .monaco-editor");
    if (!editor) return null;
    for (const line of editor.querySelectorAll(".view-lines .view-line")) {
      if (!line.textContent.includes("合计")) continue;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(needle);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + needle.length);
        const r = range.getBoundingClientRect();
        if (r.width === 0) continue;
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
    }
    return null;
  }, WRONG);
}

async function visibleHoverText() {
  const texts = await page.locator(".monaco-editor .monaco-hover:not(.hidden)").allInnerTexts();
  return texts.join("\n");
}

async function totalLineText() {
  const lines = await page.locator(".editor-instance .monaco-editor .view-lines .view-line").allInnerTexts();
  return lines.map((l) => l.replace(/\u00a0/g, " ")).find((l) => l.includes("合计")) || "";
}

mkdirSync(path.dirname(screenshot), { recursive: true });
mkdirSync(artifacts, { recursive: true });

const browser = await chromium.launch({
  executablePath,
  headless: true,
  // Playwright gives the browser a new temporary profile of its own. Without the
  // background-networking flags Chromium keeps trying hosts this machine cannot reach.
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  page = await context.newPage();
  page.setDefaultTimeout(30000);

  await check("the workbench loads", async () => {
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: "domcontentloaded", timeout: 60000 });
    await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60000 });
    // The explorer lists the folder's files once the workbench has restored.
    await page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${file}"]`).first()
      .waitFor({ state: "visible", timeout: 60000 })
      .catch(() => {
        throw new Error(`the explorer does not list ${file}`);
      });
  });

  await check(`${file} opens in an editor (Ctrl+P)`, async () => {
    await poll("the quick-open box did not open", 15000, async () => {
      await page.keyboard.press("Control+P");
      return page.locator(".quick-input-widget .quick-input-box input").first().isVisible();
    }, 1000);
    await page.keyboard.type(file);
    await page.locator(".quick-input-widget .monaco-list-row", { hasText: file }).first()
      .waitFor({ state: "visible", timeout: 20000 })
      .catch(() => {
        throw new Error(`quick open does not offer ${file}`);
      });
    await page.keyboard.press("Enter");
    await page.locator(".tabs-container .tab.active", { hasText: file }).waitFor({ timeout: 15000 });
    await poll("the editor does not show the 合计 row", 15000, async () => (await totalLineText()).includes("43"));
  }, { needs: ["the workbench loads"] });

  const opened = `${file} opens in an editor (Ctrl+P)`;

  await check("the Problems panel lists reportlint's sum-mismatch diagnostic", async () => {
    await page.keyboard.press("Control+Shift+M");
    await page.locator(".markers-panel").waitFor({ state: "visible", timeout: 15000 });
    const row = await poll(`no reportlint diagnostic about the total in the Problems panel`, diagnosticTimeout, async () => {
      const rows = await problemRows();
      return rows.find((r) => /reportlint/.test(r) && (/sum-mismatch/.test(r) || (/43/.test(r) && /42/.test(r))));
    });
    const rows = await problemRows();
    if (!rows.some((r) => r.includes(file))) throw new Error(`the Problems panel names no ${file}: ${JSON.stringify(rows)}`);
    return row.replace(/\s+/g, " ").trim();
  }, { needs: [opened] });

  await check("the wrong total has an error squiggle under it", async () => {
    return poll(`no .squiggly-error under the "${WRONG}" of the 合计 row`, 15000, async () => {
      const at = await wrongTotalPosition();
      if (!at) return null;
      const boxes = await page.locator(".editor-instance .monaco-editor .squiggly-error").evaluateAll(
        (found) => found.map((element) => element.getBoundingClientRect().toJSON()));
      const under = boxes.find((box) =>
        box.left <= at.x && at.x <= box.right && box.top - 2 <= at.y && at.y <= box.bottom + 2);
      return under && `${boxes.length} decoration(s), one spanning x ${Math.round(under.left)}–${Math.round(under.right)} under "${WRONG}"`;
    });
  }, { needs: ["the Problems panel lists reportlint's sum-mismatch diagnostic"] });

  const hoverName = "hovering the total shows the arithmetic (43 ≠ 12 + 30 = 42)";
  await check(hoverName, async () => {
    const text = await poll("no hover with the arithmetic", 30000, async () => {
      const at = await wrongTotalPosition();
      if (!at) throw new Error(`no "${WRONG}" in the 合计 row of the editor`);
      // Come in from the side, as a pointer does, then rest on the number.
      await page.mouse.move(at.x - 80, at.y, { steps: 4 });
      await page.mouse.move(at.x, at.y, { steps: 4 });
      const seen = await poll("", 3000, async () => {
        const t = await visibleHoverText();
        return ARITHMETIC.test(t) ? t : null;
      }).catch(() => null);
      return seen;
    }, 500);
    return text.split("\n").find((l) => ARITHMETIC.test(l)).trim();
  }, { needs: ["the Problems panel lists reportlint's sum-mismatch diagnostic"] });

  await check(`screenshot with squiggle, hover and Problems panel (${path.relative(process.cwd(), screenshot) || screenshot})`, async () => {
    await page.waitForTimeout(300); // let the hover finish fading in
    await page.screenshot({ path: screenshot });
    const { size } = statSync(screenshot);
    if (size < 10000) throw new Error(`the screenshot is only ${size} bytes`);
    return `${Math.round(size / 1024)} KiB`;
  }, { needs: [hoverName] });

  if (quickFix) {
    await check("the quick fix “Set 金额 to 42” rewrites the total and clears the Problems panel", async () => {
      await page.keyboard.press("Escape");
      const at = await wrongTotalPosition();
      if (!at) throw new Error(`no "${WRONG}" in the 合计 row of the editor`);
      await page.mouse.click(at.x, at.y);
      await page.mouse.move(at.x, at.y + 200); // away, so the hover does not cover the menu
      const FIX = "Set 金额 to 42";
      await poll(`Ctrl+. offers no “${FIX}”`, 20000, async () => {
        if (!(await page.locator(".action-widget").isVisible())) {
          await page.keyboard.press("Control+.");
          await page.locator(".action-widget").waitFor({ state: "visible", timeout: 3000 });
        }
        return page.locator(".action-widget .monaco-list-row", { hasText: FIX }).first().isVisible();
      }, 500);
      // Walk the menu with the arrow keys to the fix, then take it with Enter.
      for (let i = 0; ; i++) {
        const focused = await page.locator(".action-widget .monaco-list-row.focused").first().innerText().catch(() => "");
        if (focused.includes(FIX)) break;
        if (i >= 10) throw new Error(`the arrow keys never reach “${FIX}” (focused: ${JSON.stringify(focused)})`);
        await page.keyboard.press("ArrowDown");
      }
      await page.keyboard.press("Enter");
      await poll("the total did not become 42", 10000, async () => /\|\s*合计\s*\|\s*42\s*\|/.test(await totalLineText()));
      await poll("the Problems panel still lists the diagnostic", diagnosticTimeout, async () => {
        const rows = await problemRows();
        return !rows.some((r) => /sum-mismatch/.test(r) || (/43/.test(r) && /42/.test(r)));
      });
      await page.locator(".editor-instance .monaco-editor .squiggly-error").first()
        .waitFor({ state: "detached", timeout: 10000 })
        .catch(() => {
          throw new Error("the squiggle is still there");
        });
      return (await totalLineText()).trim();
    }, { needs: ["the Problems panel lists reportlint's sum-mismatch diagnostic"] });
  }
} finally {
  await browser.close().catch(() => {});
}

clearTimeout(watchdog);
writeResults(passed, failed);
process.exit(failed ? 1 : 0);
