// Builds the prebuilt JupyterLab extension into build/labextension/ (what
// `tsgpu install` copies to <data dir>/labextensions/tsgpu/).
//
//   1. tsc -p src/tsconfig.json           -> build/extension/lib (ES modules)
//   2. a package folder build/extension/   (package.json made here, style/, schema/)
//   3. @jupyterlab/builder build-labextension --core-path build/jupyterlab-core/
//
// The core path is a folder whose package.json is JupyterLab's core package.json
// (the one the builder reads to know which packages JupyterLab shares, and at
// which versions). It is copied from scripts/jupyterlab/core.package.json, which
// is JupyterLab 4.5.11's own (identical to `jupyterlab/staging/package.json` in
// its wheel): npm's @jupyterlab/core-meta starts at 4.6, and the extension is built
// against the oldest JupyterLab it supports. So the build needs npm alone, no
// Python: `npm ci && npm pack` works on a clean clone (docs/packaging.md). A test
// checks the copy against the JupyterLab pinned in tests/requirements.txt.
//
// The package folder is generated rather than the repository root because the
// builder shares (and so bundles) every `dependencies` entry of the package it
// builds, and the root's are the kernel's (zeromq, tfjs, koffi...). The build is
// skipped when a hash of its inputs is unchanged (build/extension/.input-hash).
//
// Usage: node scripts/build_extension.js [--force] [--development]
"use strict";
const { execFileSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const stagingDir = path.join(root, "build", "extension");
const outputDir = path.join(root, "build", "labextension");
const hashFile = path.join(stagingDir, ".input-hash");
/** Name of the extension: the labextensions/<name>/ folder and the plugin id prefix. */
const EXTENSION_NAME = "tsgpu";

/** JupyterLab's core package.json that the extension is built against (kept in the repository). */
const CORE_PACKAGE_JSON = path.join(root, "scripts", "jupyterlab", "core.package.json");
/** The folder given to the builder as --core-path: it reads `<dir>/package.json` only. */
const corePathDir = path.join(root, "build", "jupyterlab-core");

function findCorePackageJson() {
  if (!fs.existsSync(CORE_PACKAGE_JSON)) throw new Error(`${path.relative(root, CORE_PACKAGE_JSON)} is missing: restore it from git`);
  return CORE_PACKAGE_JSON;
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

/** Hash of everything the build reads. */
function inputHash(corePackageJson) {
  const hash = createHash("sha256");
  const files = [
    ...listFiles(path.join(root, "src")),
    ...listFiles(path.join(root, "style")),
    ...listFiles(path.join(root, "schema")),
    ...listFiles(path.join(root, "kernel", "charts")),
    path.join(root, "kernel", "runtime", "device_snapshot.ts"),
    path.join(root, "kernel", "runtime", "mime_types.ts"),
    path.join(root, "package.json"),
    path.join(root, "node_modules", "@jupyterlab", "builder", "package.json"),
    corePackageJson,
    __filename,
  ].sort();
  for (const file of files) hash.update(path.relative(root, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/** True when build/labextension is up to date with its sources. */
function isExtensionBuilt() {
  try {
    return fs.readFileSync(hashFile, "utf8") === inputHash(findCorePackageJson()) && fs.existsSync(path.join(outputDir, "package.json"));
  } catch {
    return false;
  }
}

function copyDir(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}

/** Builds the extension unless it is up to date; returns the output folder. */
function buildExtension({ force = false, development = false, log = console.log } = {}) {
  const corePackageJson = findCorePackageJson();
  const hash = inputHash(corePackageJson);
  if (!force && fs.existsSync(hashFile) && fs.readFileSync(hashFile, "utf8") === hash && fs.existsSync(path.join(outputDir, "package.json"))) {
    log("[extension] up to date");
    return outputDir;
  }
  const started = Date.now();
  const rootPackage = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  fs.rmSync(path.join(stagingDir, "lib"), { recursive: true, force: true });
  fs.rmSync(hashFile, { force: true });
  log("[extension] compiling src/ (tsc)");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "src", "tsconfig.json")], { cwd: root, stdio: "inherit" });
  copyDir(path.join(root, "style"), path.join(stagingDir, "style"));
  copyDir(path.join(root, "schema"), path.join(stagingDir, "schema"));
  const extensionPackage = {
    name: EXTENSION_NAME,
    version: rootPackage.version,
    description: "tsgpu for JupyterLab: device panel and status item, cell timing, training and comparison charts.",
    license: rootPackage.license,
    main: "lib/src/index.js",
    style: "style/index.css",
    styleModule: "style/index.js",
    sideEffects: ["style/*.css", "style/index.js"],
    // Nothing here is bundled from npm: every import is a JupyterLab core package (shared, import: false).
    dependencies: {},
    jupyterlab: {
      extension: "lib/src/index.js",
      mimeExtension: "lib/src/renderers/index.js",
      schemaDir: "schema",
      outputDir: "../labextension",
    },
  };
  fs.writeFileSync(path.join(stagingDir, "package.json"), `${JSON.stringify(extensionPackage, null, 2)}\n`);
  log(`[extension] building the prebuilt extension against JupyterLab ${JSON.parse(fs.readFileSync(corePackageJson, "utf8")).version}`);
  const builder = path.join(root, "node_modules", "@jupyterlab", "builder", "lib", "build-labextension.js");
  if (!fs.existsSync(builder)) throw new Error("@jupyterlab/builder is not installed: run `npm install` (it is a devDependency).");
  fs.mkdirSync(corePathDir, { recursive: true });
  fs.copyFileSync(corePackageJson, path.join(corePathDir, "package.json"));
  const args = [builder, "--core-path", corePathDir];
  if (development) args.push("--development");
  args.push(stagingDir);
  try {
    // webpack's report is long: shown only when the build fails.
    execFileSync(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`);
    throw new Error(`@jupyterlab/builder failed (exit ${error.status}); its output is above`);
  }
  if (!fs.existsSync(path.join(outputDir, "package.json"))) throw new Error(`the builder finished but ${path.relative(root, outputDir)}/package.json is missing`);
  fs.writeFileSync(hashFile, hash);
  log(`[extension] built ${path.relative(root, outputDir)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return outputDir;
}

module.exports = { buildExtension, isExtensionBuilt, findCorePackageJson, CORE_PACKAGE_JSON, EXTENSION_NAME, outputDir };

if (require.main === module) {
  try {
    buildExtension({ force: process.argv.includes("--force"), development: process.argv.includes("--development") });
  } catch (error) {
    console.error(`[extension] build failed: ${error.message}`);
    process.exit(1);
  }
}
