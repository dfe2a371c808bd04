/**
 * Entry point of the execution child process: installs the display, comm and
 * stdin sinks and the cell globals, then runs what the kernel process sends.
 * Nothing here touches Jupyter messages; it speaks child_protocol.ts.
 */
import { inspect } from "node:util";
import { setDisplaySink } from "../runtime/display";
import { acceptCommOpen, deliverCommClose, deliverCommMessage, setCommTransport, comms } from "../runtime/comms";
import { setStdinSink, StdinNotAllowedError } from "../runtime/stdin";
import { cellGlobals } from "../runtime/api";
import { DEVICE_COMM_TARGET, DEVICE_SNAPSHOT_VERSION, type DeviceSnapshot } from "../device/snapshot";
import { blockingPrompt } from "./blocking_prompt";
import { CellRunner } from "./cell_runner";
import { sendToHost } from "./host_channel";
import { ModuleLoader } from "./module_loader";
import type { HostToChild, RunRequest } from "./child_protocol";

const loader = new ModuleLoader(process.cwd());
const runner = new CellRunner(loader);
let allowStdin = false;
let nextInputId = 0;
const pendingInputs = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();

setDisplaySink({
  display: (request) => sendToHost({ type: "display", ...request }),
  clearOutput: (wait) => sendToHost({ type: "clear_output", wait }),
});

setCommTransport({
  open: (commId, targetName, data, metadata) => sendToHost({ type: "comm_open", commId, targetName, data, metadata }),
  send: (commId, data, metadata, buffers) => sendToHost({ type: "comm_msg", commId, data, metadata, buffers }),
  close: (commId, data, metadata) => sendToHost({ type: "comm_close", commId, data, metadata }),
});

setStdinSink({
  promptSync(message, password) {
    if (!allowStdin) throw new StdinNotAllowedError();
    return blockingPrompt(message, password);
  },
  prompt(message, password) {
    if (!allowStdin) return Promise.reject(new StdinNotAllowedError());
    const id = nextInputId++;
    return new Promise((resolve, reject) => {
      pendingInputs.set(id, { resolve, reject });
      sendToHost({ type: "input_request", id, prompt: message, password });
    });
  },
});

for (const [name, value] of Object.entries(cellGlobals)) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

registerDeviceTarget();

/** The device panel's comm: answers each snapshot_request with a snapshot. */
function registerDeviceTarget(): void {
  comms.registerTarget(DEVICE_COMM_TARGET, (comm) => {
    comm.onMessage(async (data) => {
      if (data.type !== "snapshot_request") return;
      try {
        comm.send({ type: "snapshot", snapshot: await deviceSnapshot() });
      } catch (error) {
        comm.send({ type: "error", message: (error as Error).message });
      }
    });
  });
}

type Collector = () => Promise<DeviceSnapshot>;
let collector: Collector | undefined;
async function deviceSnapshot(): Promise<DeviceSnapshot> {
  if (!collector) {
    try {
      collector = (require("../device/collect") as { collectDeviceSnapshot: Collector }).collectDeviceSnapshot;
    } catch {
      collector = basicSnapshot;
    }
  }
  return collector();
}

/** CPU and memory only: used until the full device collector is available. */
async function basicSnapshot(): Promise<DeviceSnapshot> {
  const os = await import("node:os");
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

let queue: Promise<void> = Promise.resolve();

async function run(request: RunRequest): Promise<void> {
  allowStdin = request.allowStdin;
  const outcome = await runner.run(request);
  allowStdin = false;
  sendToHost({ type: "result", id: request.id, ...outcome });
}

process.on("message", (message: HostToChild) => {
  switch (message.type) {
    case "run":
      queue = queue.then(() => run(message));
      break;
    case "interrupt":
      runner.requestInterrupt(message.id);
      break;
    case "comm_open":
      if (!safely(() => acceptCommOpen(message.commId, message.targetName, message.data), `comm target "${message.targetName}"`)) {
        sendToHost({ type: "comm_open_rejected", commId: message.commId, targetName: message.targetName });
      }
      break;
    case "comm_msg":
      safely(() => deliverCommMessage(message.commId, message.data, message.metadata, message.buffers), `comm ${message.commId}`);
      break;
    case "comm_close":
      safely(() => deliverCommClose(message.commId, message.data), `comm ${message.commId}`);
      break;
    case "comm_info": {
      const open: Record<string, { target_name: string }> = {};
      for (const comm of comms.list(message.targetName)) open[comm.id] = { target_name: comm.targetName };
      sendToHost({ type: "comm_info_reply", id: message.id, comms: open });
      break;
    }
    case "input_reply": {
      const waiter = pendingInputs.get(message.id);
      pendingInputs.delete(message.id);
      if (message.value === null) waiter?.reject(new Error("input was cancelled"));
      else waiter?.resolve(message.value);
      break;
    }
  }
});

/** Runs a handler of front-end traffic; its errors go to stderr, never up. */
function safely<T>(handler: () => T, what: string): T | undefined {
  try {
    return handler();
  } catch (error) {
    process.stderr.write(`tsgpu: error in ${what}: ${(error as Error)?.stack ?? inspect(error)}\n`);
    return undefined;
  }
}

// Errors from timers or promises that no cell awaits: report them, keep going.
process.on("uncaughtException", (error) => {
  process.stderr.write(`Uncaught ${error instanceof Error ? error.stack ?? error.message : inspect(error)}\n`);
});
process.on("unhandledRejection", (reason) => {
  process.stderr.write(`Unhandled promise rejection: ${reason instanceof Error ? reason.stack ?? reason.message : inspect(reason)}\n`);
});
process.on("disconnect", () => process.exit(0));

sendToHost({ type: "ready", pid: process.pid });
