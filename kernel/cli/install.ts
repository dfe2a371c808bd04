/** `tsgpu install` / `tsgpu uninstall`: the kernelspec and the prebuilt JupyterLab extension. */
import { dataDirFromFlags } from "./jupyter_paths";
import { installKernelSpec, uninstallKernelSpec } from "./kernelspec";

interface LabExtensionModule {
  installLabExtension(dataDir: string): string;
  uninstallLabExtension(dataDir: string): boolean;
}

function labExtension(): LabExtensionModule | undefined {
  try {
    return require("./labextension") as LabExtensionModule;
  } catch {
    return undefined;
  }
}

export function install(flags: { user?: boolean; sysPrefix?: boolean; prefix?: string }): void {
  const dataDir = dataDirFromFlags(flags);
  console.log(`Installed the tsgpu kernel in ${installKernelSpec(dataDir)}`);
  const lab = labExtension();
  if (!lab) {
    console.log("The JupyterLab extension is not part of this build; the kernel works without it.");
    return;
  }
  try {
    console.log(`Installed the tsgpu JupyterLab extension in ${lab.installLabExtension(dataDir)}`);
  } catch (error) {
    // The kernel is usable without the extension: say what is missing, keep what was installed.
    console.warn(`warning: the kernel is installed, the JupyterLab extension is not: ${(error as Error).message}`);
  }
}

export function uninstall(flags: { user?: boolean; sysPrefix?: boolean; prefix?: string }): void {
  const dataDir = dataDirFromFlags(flags);
  console.log(uninstallKernelSpec(dataDir) ? `Removed the tsgpu kernel from ${dataDir}` : `No tsgpu kernel was installed in ${dataDir}`);
  const lab = labExtension();
  if (lab) console.log(lab.uninstallLabExtension(dataDir) ? `Removed the tsgpu JupyterLab extension from ${dataDir}` : `No tsgpu JupyterLab extension was installed in ${dataDir}`);
}
