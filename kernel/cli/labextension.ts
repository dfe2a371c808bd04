/**
 * Installs the prebuilt JupyterLab extension (built by scripts/build_extension.js
 * into build/labextension/) into a Jupyter data directory, where JupyterLab
 * finds it as `<data dir>/labextensions/tsgpu/` (a "prebuilt" or federated
 * extension: no JupyterLab rebuild, no Node on the user's side).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The extension's package name: its folder under `labextensions/`. */
export const LAB_EXTENSION_NAME = "tsgpu";

/** Thrown when the prebuilt extension is missing or a data directory is unusable. */
export class LabExtensionError extends Error {
  override name = "LabExtensionError";
}

/** The folder with the prebuilt extension inside this package (build/labextension). */
export function prebuiltLabExtensionDir(): string {
  // Compiled to build/kernel/cli/labextension.js: the package root is three levels up.
  const packageRoot = path.resolve(__dirname, "..", "..", "..");
  return path.join(packageRoot, "build", "labextension");
}

/**
 * Copies the prebuilt extension to `<dataDir>/labextensions/tsgpu/`, replacing
 * an older copy. Returns the destination folder.
 */
export function installLabExtension(dataDir: string): string {
  const source = prebuiltLabExtensionDir();
  const manifest = path.join(source, "package.json");
  if (!fs.existsSync(manifest)) {
    throw new LabExtensionError(`the prebuilt JupyterLab extension is missing (${manifest}): build it with \`npm run build:labextension\` (or \`node scripts/build_extension.js\`) in the tsgpu checkout.`);
  }
  const data = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string; jupyterlab?: { _build?: unknown } };
  if (data.name !== LAB_EXTENSION_NAME || data.jupyterlab?._build === undefined) {
    throw new LabExtensionError(`${manifest} is not a built tsgpu extension (name ${JSON.stringify(data.name)}): rebuild it with \`node scripts/build_extension.js --force\`.`);
  }
  const destination = path.join(dataDir, "labextensions", LAB_EXTENSION_NAME);
  try {
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    // Copy next to the destination, then swap, so a running JupyterLab never sees half a copy.
    const temporary = `${destination}.tmp-${process.pid}`;
    fs.rmSync(temporary, { recursive: true, force: true });
    fs.cpSync(source, temporary, { recursive: true });
    fs.rmSync(destination, { recursive: true, force: true });
    fs.renameSync(temporary, destination);
  } catch (error) {
    throw new LabExtensionError(`could not install the JupyterLab extension into ${destination}: ${(error as Error).message}`);
  }
  return destination;
}

/** Removes `<dataDir>/labextensions/tsgpu/`; returns false when it was absent. */
export function uninstallLabExtension(dataDir: string): boolean {
  const destination = path.join(dataDir, "labextensions", LAB_EXTENSION_NAME);
  if (!fs.existsSync(destination)) return false;
  try {
    fs.rmSync(destination, { recursive: true, force: true });
    return true;
  } catch (error) {
    throw new LabExtensionError(`could not remove the JupyterLab extension at ${destination}: ${(error as Error).message}`);
  }
}
