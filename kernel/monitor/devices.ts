/**
 * `devices()`: the machine and every backend, each with whether it can run
 * here and why (probing each backend once), as a device snapshot that also
 * displays itself as a table.
 */
import type { DeviceSnapshot } from "../runtime/device_snapshot.js";
import { JUPYTER_DISPLAY, type MimeBundle, tableBundle } from "../runtime/display.js";
import { describeTfjsHooks, type TfjsHooksStatus, tfjsHooksStatus } from "../fused/hooks/status.js";
import { formatBytes, probeBackends } from "../tensor/index.js";
import { collectDeviceSnapshot } from "./snapshot.js";

/** What devices() returns: the snapshot, plus whether the fused-kernel hooks went into tfjs. */
export type DevicesReport = DeviceSnapshot & {
  /** Installed, or declined with the reason (another tfjs version): then no backend gets fused training steps. */
  fusedHooks?: TfjsHooksStatus;
  [JUPYTER_DISPLAY](): MimeBundle;
};

/** Lists the machine's CPU, GPUs and the tensor backends with availability and reasons. */
export async function devices(): Promise<DevicesReport> {
  await probeBackends();
  const snapshot = await collectDeviceSnapshot();
  const report = snapshot as DevicesReport;
  const fusedHooks = tfjsHooksStatus();
  if (fusedHooks) report.fusedHooks = fusedHooks;
  return Object.defineProperty(report, JUPYTER_DISPLAY, { value: () => devicesBundle(snapshot), enumerable: false });
}

/** Text and HTML tables of a snapshot: machine, GPUs, backends. */
export function devicesBundle(snapshot: DeviceSnapshot): MimeBundle {
  const machine = `${snapshot.hostname}: ${snapshot.cpu.cores} x ${snapshot.cpu.model}, ${formatBytes(snapshot.cpu.freeMemoryBytes)} free of ${formatBytes(snapshot.cpu.totalMemoryBytes)}`;
  const gpuRows = snapshot.gpus.map((g) => ({
    gpu: String(g.index),
    name: g.name,
    memory: g.memoryTotalBytes === undefined ? "-" : `${formatBytes(g.memoryUsedBytes ?? 0)} / ${formatBytes(g.memoryTotalBytes)}`,
    "compute capability": g.computeCapability ?? "-",
    driver: [g.driverVersion, g.cudaVersion && `CUDA ${g.cudaVersion}`].filter(Boolean).join(", ") || "-",
    source: g.source,
  }));
  const backendRows = snapshot.backends.map((b) => ({ backend: `${b.name}${b.active ? " *" : ""}`, available: b.available ? "yes" : "no", detail: b.detail }));
  const gpus = gpuRows.length ? tableBundle(gpuRows) : { "text/plain": snapshot.gpuNote ?? "no GPU", "text/html": `<p>${escape(snapshot.gpuNote ?? "no GPU")}</p>` };
  const backends = tableBundle(backendRows);
  // Said only when it matters: the fused training steps are off for every backend.
  const hooks = tfjsHooksStatus()?.state === "declined" ? [describeTfjsHooks()] : [];
  return {
    "text/plain": [machine, "", gpus["text/plain"], "", backends["text/plain"], "(* = active backend)", ...hooks].join("\n"),
    "text/html": `<div><p>${escape(machine)}</p>${gpus["text/html"] as string}${backends["text/html"] as string}<p>* = active backend</p>${hooks.map((line) => `<p>${escape(line)}</p>`).join("")}</div>`,
  };
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
