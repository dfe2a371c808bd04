/**
 * The `tsgpu.device` comm target: the device panel opens it and sends
 * `snapshot_request`s; each is answered with one snapshot (protocol in
 * runtime/device_snapshot.ts). Registered in the execution child at start by
 * kernel/monitor/child_setup.ts.
 */
import * as os from "node:os";
import { comms } from "../runtime/comms.js";
import { DEVICE_COMM_TARGET, DEVICE_SNAPSHOT_VERSION, type DeviceSnapshot } from "../runtime/device_snapshot.js";

/** Takes a full snapshot. */
export type SnapshotCollector = () => Promise<DeviceSnapshot>;

/**
 * Registers the device comm target. `loadCollector` is called on the first
 * request (so registering loads nothing heavy); if it throws, a CPU and memory
 * snapshot is sent instead.
 */
export function registerDeviceCommTarget(loadCollector: () => SnapshotCollector): void {
  let collector: SnapshotCollector | undefined;
  const snapshot = () => {
    if (!collector) {
      try {
        collector = loadCollector();
      } catch {
        collector = basicSnapshot;
      }
    }
    return collector();
  };
  comms.registerTarget(DEVICE_COMM_TARGET, (comm) => {
    comm.onMessage(async (data) => {
      if (data.type !== "snapshot_request") return;
      try {
        comm.send({ type: "snapshot", snapshot: await snapshot() });
      } catch (error) {
        comm.send({ type: "error", message: (error as Error).message });
      }
    });
  });
}

/** CPU and memory only: used when the full collector cannot be loaded. */
async function basicSnapshot(): Promise<DeviceSnapshot> {
  const memory = process.memoryUsage();
  return {
    version: DEVICE_SNAPSHOT_VERSION,
    time: Date.now(),
    hostname: os.hostname(),
    cpu: { model: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, loadAverage: os.loadavg(), totalMemoryBytes: os.totalmem(), freeMemoryBytes: os.freemem() },
    process: { pid: process.pid, cpuPercent: 0, residentBytes: memory.rss, heapUsedBytes: memory.heapUsed },
    gpus: [],
    gpuNote: "GPU information is not available in this build",
    backends: [],
  };
}
