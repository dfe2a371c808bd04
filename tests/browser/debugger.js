// Browser test of JupyterLab's visual debugger on a tsgpu notebook. run.js calls
// checkDebugger() in its JupyterLab session; it also runs alone:
//
//   node tests/browser/debugger.js       (after `npx tsc -p tsconfig.json`)
//
// A real `jupyter lab` (lab.js) and Debian's chromium: the bug button turns the
// debugger on, a click in the gutter sets a breakpoint, running the cell stops on
// that line with the local variable shown in the Variables panel, continue lets the
// cell finish. Screenshot: tests/artifacts/browser/debugger-paused.png.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startLab } = require("./lab.js");

const root = path.resolve(__dirname, "..", "..");
const artifacts = path.join(root, "tests", "artifacts", "browser");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const CELL = ["function scale(values: number[], factor: number): number[] {", "  const scaled = values.map((v) => v * factor);", "  return scaled;", "}", "const result = scale([1, 2, 3], 10);", 'console.log(result.join(" "));'].join("\n");
const BREAK_LINE = 3;

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** The notebook checkDebugger() opens; write it as DEBUG_NOTEBOOK into JupyterLab's root folder. */
const DEBUG_NOTEBOOK = "debug.ipynb";
function debuggerNotebook() {
  return {
    cells: [{ cell_type: "code", execution_count: null, id: "debugcell", metadata: {}, outputs: [], source: CELL }],
    metadata: { kernelspec: { name: "tsgpu", display_name: "TypeScript (tsgpu)", language: "typescript" }, language_info: { name: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/**
 * In an open JupyterLab page whose root folder holds DEBUG_NOTEBOOK: opens it, turns the
 * debugger on, sets a breakpoint with a click in the gutter, runs the cell, checks the call
 * stack, the highlighted line and the Variables panel (screenshot debugger-paused.png in
 * `artifacts`), continues and waits for the cell's output. Throws on the first failed check.
 */
async function checkDebugger(page, artifacts) {
  await page.evaluate((file) => window.jupyterapp.commands.execute("docmanager:open", { path: file }), DEBUG_NOTEBOOK);
  await page.waitForFunction((file) => window.jupyterapp.shell.currentWidget?.context?.path === file && window.jupyterapp.shell.currentWidget.sessionContext?.session?.kernel?.status === "idle", DEBUG_NOTEBOOK, { timeout: 90_000 });

  // The bug button is enabled because kernel_info says debugger: true.
  const bug = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-DebuggerBugButton");
  await bug.waitFor({ state: "visible", timeout: 30_000 });
  await page.waitForFunction(() => {
    const button = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-DebuggerBugButton");
    return button && !button.hasAttribute("disabled") && !button.closest("[aria-disabled='true']");
  }, null, { timeout: 30_000 });
  await bug.click();
  await page.evaluate(() => window.jupyterapp.commands.execute("debugger:show-panel"));
  await page.waitForSelector(".jp-DebuggerVariables", { state: "visible", timeout: 30_000 });
  await page.waitForSelector(".jp-NotebookPanel:not(.lm-mod-hidden) .cm-breakpoint-gutter", { state: "visible", timeout: 30_000 });

  // Set the breakpoint with a click in the gutter, level with the line.
  const line = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-line").nth(BREAK_LINE - 1);
  const lineBox = await line.boundingBox();
  const gutterBox = await page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-breakpoint-gutter").first().boundingBox();
  await page.mouse.click(gutterBox.x + gutterBox.width / 2, lineBox.y + lineBox.height / 2);
  await page.waitForSelector(".jp-DebuggerBreakpoint", { timeout: 10_000 });
  const listed = await page.locator(".jp-DebuggerBreakpoint-line").allTextContents();
  assert(listed.map((t) => t.trim()).includes(String(BREAK_LINE)), `breakpoints panel lists lines ${JSON.stringify(listed)}`);

  // Not awaited in the page: the run ends only after continue.
  await page.evaluate(() => {
    void window.jupyterapp.commands.execute("notebook:run-cell");
  });
  await page.waitForSelector(".jp-DebuggerCallstackFrame", { timeout: 60_000 });
  const frames = await page.locator(".jp-DebuggerCallstackFrame").allTextContents();
  assert(frames[0].includes("scale (cell[1])") && frames[1].includes("cell[1]"), `call stack: ${JSON.stringify(frames)}`);
  assert(!frames.some((f) => f.includes("node:")), `Node's own frames are hidden: ${JSON.stringify(frames)}`);
  // The stopped line is highlighted in the cell.
  const highlighted = await page.evaluate(() => [...document.querySelectorAll(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-line")].findIndex((l) => l.className.includes("highlight")) + 1);
  assert(highlighted === BREAK_LINE, `highlighted line ${highlighted}, expected ${BREAK_LINE}`);
  await page.waitForFunction(() => /scaled/.test(document.querySelector(".jp-DebuggerVariables-body")?.textContent ?? ""), null, { timeout: 30_000 });
  await page.screenshot({ path: path.join(artifacts, "debugger-paused.png") });
  const variables = await page.locator(".jp-DebuggerVariables-body").first().textContent();
  assert(variables.includes("factor") && variables.includes("10"), `variables panel: ${variables}`);

  await page.evaluate(() => window.jupyterapp.commands.execute("debugger:continue"));
  await page.waitForFunction(() => document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output")?.textContent.includes("10 20 30"), null, { timeout: 60_000 });
}

async function main() {
  const { ensurePythonEnv, venv } = require(path.join(root, "scripts", "python_env.js"));
  ensurePythonEnv({ quiet: true });
  assert(fs.existsSync(path.join(root, "build", "kernel", "cli", "main.js")), "build/kernel/cli/main.js is missing: run `npx tsc -p tsconfig.json` first");
  assert(fs.existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium or set CHROMIUM`);
  fs.mkdirSync(artifacts, { recursive: true });
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "tsgpu-browser-debugger-"));
  const prefix = path.join(temp, "prefix");
  execFileSync(process.execPath, [path.join(root, "bin", "tsgpu.js"), "install", "--prefix", prefix], { stdio: "pipe" });
  const rootDir = path.join(temp, "notebooks");
  fs.mkdirSync(rootDir);
  fs.writeFileSync(path.join(rootDir, DEBUG_NOTEBOOK), JSON.stringify(debuggerNotebook(), null, 1));
  const lab = await startLab({ venv, rootDir, jupyterPath: path.join(prefix, "share", "jupyter"), tempDir: path.join(temp, "lab"), logFile: path.join(artifacts, "jupyter-lab-debugger.log") });
  let context;
  try {
    const { chromium } = require("playwright-core");
    context = await chromium.launchPersistentContext(path.join(temp, "chromium"), { executablePath: CHROMIUM, args: CHROMIUM_FLAGS, viewport: { width: 1400, height: 900 }, timeout: 60_000 });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(lab.url("/lab", "reset"));
    await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.started && document.querySelector("#jp-main-dock-panel"), null, { timeout: 60_000 });
    await page.evaluate(() => window.jupyterapp.restored);
    await checkDebugger(page, artifacts);
    console.log("ok - JupyterLab's debugger stops on a breakpoint in a TypeScript cell, shows its variables, and continues");
    console.log("1 passed, 0 failed");
  } finally {
    await context?.close().catch(() => {});
    await lab.stop();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

module.exports = { DEBUG_NOTEBOOK, debuggerNotebook, checkDebugger };

if (require.main === module) {
  main().catch((error) => {
    console.log(`not ok - JupyterLab's debugger on a TypeScript cell\n  ${String(error.stack ?? error).split("\n").join("\n  ")}`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  });
}
