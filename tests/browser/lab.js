// A real `jupyter lab` for the browser tests: the project's .venv, a free port,
// a token, and temporary config/runtime/settings/workspace dirs so nothing from
// the developer's own Jupyter leaks in (or is changed).
"use strict";
const { spawn } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { freePort } = require("../../scripts/ports.js");

/**
 * Starts JupyterLab serving `rootDir`, with `jupyterPath` (a data dir holding
 * kernels/ and labextensions/) first on JUPYTER_PATH. Resolves once /api/status
 * answers. `stop()` ends it and its kernels.
 */
async function startLab({ venv, rootDir, jupyterPath, tempDir, logFile }) {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const dirs = {};
  for (const name of ["config", "runtime", "data", "settings", "workspaces"]) {
    dirs[name] = path.join(tempDir, name);
    fs.mkdirSync(dirs[name], { recursive: true });
  }
  // No news toast over the screenshots, and no request to the news feed (offline).
  const notification = path.join(dirs.settings, "@jupyterlab", "apputils-extension");
  fs.mkdirSync(notification, { recursive: true });
  fs.writeFileSync(path.join(notification, "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false", checkForUpdates: false }));
  const env = {
    ...process.env,
    PATH: `${path.join(venv, "bin")}${path.delimiter}${process.env.PATH}`,
    VIRTUAL_ENV: venv,
    JUPYTER_PATH: jupyterPath,
    JUPYTER_CONFIG_DIR: dirs.config,
    JUPYTER_RUNTIME_DIR: dirs.runtime,
    JUPYTER_DATA_DIR: dirs.data,
    JUPYTERLAB_SETTINGS_DIR: dirs.settings,
    JUPYTERLAB_WORKSPACES_DIR: dirs.workspaces,
    JUPYTER_PLATFORM_DIRS: "1",
  };
  const out = fs.openSync(logFile, "w");
  const child = spawn(
    path.join(venv, "bin", "jupyter"),
    [
      "lab",
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--ServerApp.port_retries=0",
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${rootDir}`,
      // Tests drive JupyterLab through its command registry (window.jupyterapp).
      "--LabApp.expose_app_in_browser=True",
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
      "--LabApp.news_url=None",
      "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ],
    { cwd: rootDir, env, stdio: ["ignore", out, out], detached: true },
  );
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await Promise.race([exited.then(() => "exited"), new Promise((r) => setTimeout(r, 300, "wait"))]);
    if (status === "exited") throw new Error(`jupyter lab exited before it answered; its log: ${logFile}\n${fs.readFileSync(logFile, "utf8").slice(-2000)}`);
    try {
      const response = await fetch(`${base}/api/status?token=${token}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`jupyter lab did not answer on ${base} within 60 s; log: ${logFile}`);
  }
  return {
    base,
    token,
    url: (pathname, query = "") => `${base}${pathname}?${query ? `${query}&` : ""}token=${token}`,
    async stop() {
      if (child.exitCode !== null) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(r, 8000, false))]);
      if (!done) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
      fs.closeSync(out);
    },
  };
}

module.exports = { startLab, freePort };
