/**
 * Entry point of the execution child process: installs the display, comm and
 * stdin sinks and the cell globals, loads the setup modules named on its
 * command line (the layers above register their hooks there, see hooks.ts),
 * then runs what the kernel process sends.
 * Nothing here touches Jupyter messages; it speaks child_protocol.ts.
 */
import path from "node:path";
import { inspect } from "node:util";
import { Worker } from "node:worker_threads";
import { setDisplaySink } from "../runtime/display";
import { acceptCommOpen, deliverCommClose, deliverCommMessage, setCommTransport, comms } from "../runtime/comms";
import { setStdinSink, StdinNotAllowedError } from "../runtime/stdin";
import { cellGlobals } from "../runtime/api";
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

// The globals Node and the kernel define: the debugger shows the notebook's globals without them.
Object.defineProperty(globalThis, Symbol.for("tsgpu.startGlobals"), { value: new Set(Object.getOwnPropertyNames(globalThis)), enumerable: false });

for (const [name, value] of Object.entries(cellGlobals)) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

for (const setupModule of process.argv.slice(2)) {
  safely(() => require(setupModule), `setup module ${setupModule}`);
}

let queue: Promise<void> = Promise.resolve();
let inspectorRelay: Worker | undefined;

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
    case "warm_up":
      queue = queue.then(async () => {
        await runner.warmUp(message.body).catch((error: Error) => process.stderr.write(`tsgpu: warming up the run path failed: ${error.message}\n`));
        sendToHost({ type: "warmed_up" });
      });
      break;
    case "interrupt":
      runner.requestInterrupt(message.id);
      break;
    case "inspector_start":
      if (!inspectorRelay) {
        inspectorRelay = new Worker(path.join(__dirname, "inspector_relay.js"));
        inspectorRelay.on("error", (error) => process.stderr.write(`tsgpu: the debugger relay failed: ${error.stack ?? error.message}\n`));
      }
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
