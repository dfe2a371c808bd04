/**
 * Services the tsgpu JupyterLab extension provides to other plugins.
 */
import { Token } from "@lumino/coreutils";
import type { DeviceModel } from "./device/model";

/** The device model that follows the active notebook's kernel (panel and status item share it). */
export const IDeviceMonitor = new Token<DeviceModel>("tsgpu:IDeviceMonitor", "Device snapshots of the active notebook's kernel, over the tsgpu.device comm.");
