// Debian packages some test tiers and backends need, installed on demand when
// running as root (CI, fresh machines); otherwise the tiers that need them say
// what to install. Kept in one list so README, .ci/run and npm test agree.
"use strict";
const { execFileSync } = require("node:child_process");

/** package -> why tsgpu needs it */
const SYSTEM_PACKAGES = {
  chromium: "browser tests of the JupyterLab extension",
  "libopenblas0-pthread": "the fast CPU backend (cpu-blas): multithreaded BLAS",
  libegl1: "WebGPU through EGL (Dawn's OpenGL ES path)",
  "libegl-mesa0": "Mesa's EGL, for WebGPU on machines without a GPU",
  libgles2: "WebGPU through OpenGL ES",
  "libgl1-mesa-dri": "Mesa's software renderer (llvmpipe), the GPU stand-in on CI",
  "dataset-fashion-mnist": "Fashion-MNIST's offline copy (30 MB), which loadFashionMnist() reads and the data tests check",
};

function installed(pkg) {
  try {
    return execFileSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).includes("install ok installed");
  } catch {
    return false;
  }
}

/** Installs what is missing when possible; returns the packages still missing. */
function ensureSystemPackages({ log = console.log } = {}) {
  let missing;
  try {
    missing = Object.keys(SYSTEM_PACKAGES).filter((pkg) => !installed(pkg));
  } catch {
    return [];
  }
  if (missing.length === 0) return [];
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    log(`[system] missing Debian packages (install as root): apt-get install -y ${missing.join(" ")}`);
    return missing;
  }
  log(`[system] apt-get install -y ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { stdio: "inherit", env });
  } catch (error) {
    log(`[system] apt-get failed: ${error.message}`);
  }
  return missing.filter((pkg) => !installed(pkg));
}

module.exports = { SYSTEM_PACKAGES, ensureSystemPackages };
if (require.main === module) {
  const left = ensureSystemPackages();
  process.exitCode = left.length ? 1 : 0;
}
