/**
 * The tsgpu JupyterLab extension: its plugins, in one list. The renderers for
 * tsgpu's MIME types are the package's `mimeExtension` (renderers/index.ts).
 */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { devicePlugin } from "./device/plugin";
import { timingPlugin } from "./timing/plugin";

const plugins: JupyterFrontEndPlugin<any>[] = [devicePlugin, timingPlugin];
export default plugins;
export { IDeviceMonitor } from "./tokens";
