/**
 * Jupyter's data directories, found as jupyter_core finds them (no Python
 * needed): --user, --sys-prefix (the active virtual or conda environment),
 * --prefix DIR, and the search path for `doctor`.
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";

export class JupyterPathError extends Error {
  override name = "JupyterPathError";
}

/** The per-user Jupyter data directory. */
export function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return path.join(process.env.APPDATA ?? path.join(os.homedir(), "AppData", "Roaming"), "jupyter");
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter");
}

/** `<sys.prefix>/share/jupyter` of the active Python environment. */
export function sysPrefixDataDir(): string {
  const prefix = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX ?? pythonPrefix();
  return path.join(prefix, "share", "jupyter");
}

function pythonPrefix(): string {
  for (const python of ["python3", "python"]) {
    try {
      return execFileSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
    } catch {}
  }
  throw new JupyterPathError("--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX) or python3 on PATH; use --user or --prefix DIR instead");
}

/** Where Jupyter looks for data, in its order of precedence. */
export function dataSearchPath(): string[] {
  const dirs = [
    ...(process.env.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean),
    userDataDir(),
  ];
  for (const env of [process.env.VIRTUAL_ENV, process.env.CONDA_PREFIX]) if (env) dirs.push(path.join(env, "share", "jupyter"));
  dirs.push("/usr/local/share/jupyter", "/usr/share/jupyter");
  return [...new Set(dirs)];
}

/** Resolves the install-location flags to a data directory. */
export function dataDirFromFlags(flags: { user?: boolean; sysPrefix?: boolean; prefix?: string }): string {
  if (flags.prefix) return path.resolve(flags.prefix, "share", "jupyter");
  if (flags.sysPrefix) return sysPrefixDataDir();
  return userDataDir();
}
