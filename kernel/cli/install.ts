/** `tsgpu install` / `tsgpu uninstall`: the kernelspec and the prebuilt JupyterLab extension. */
import { dataDirFromFlags } from "./jupyter_paths";
import { installKernelSpec, uninstallKernelSpec } from "./kernelspec";

interface LabExtensionModule {
  installLabExtension(dataDir: string): string;
  uninstallLabExtension(dataDir: string): void;
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
  if (lab) console.log(`Installed the tsgpu JupyterLab extension in ${lab.installLabExtension(dataDir)}`);
  else console.log("The JupyterLab extension is not part of this build; the kernel works without it.");
}

export function uninstall(flags: { user?: boolean; sysPrefix?: boolean; prefix?: string }): void {
  const dataDir = dataDirFromFlags(flags);
  console.log(uninstallKernelSpec(dataDir) ? `Removed the tsgpu kernel from ${dataDir}` : `No tsgpu kernel was installed in ${dataDir}`);
  labExtension()?.uninstallLabExtension(dataDir);
}
