/**
 * The debugger's relay, a worker thread of the execution child: a V8 inspector
 * session on the child's main thread (`connectToMainThread`), relayed as JSON
 * lines over two pipes the kernel process gave at spawn (fds 6 and 7).
 *
 * Why a worker: a session on the main thread cannot pause it (a paused main
 * thread could not read its own commands), while a worker's session can, and
 * the worker keeps reading commands (step, evaluate, resume) while the main
 * thread is paused. Why pipes: the IPC channel is served by the main thread's
 * event loop, which stops while paused; the worker reads its pipe on its own loop.
 * Threat model: no inspector port is opened (`--inspect` is never used), so no
 * other local user can attach; only the kernel process holds these pipes.
 */
import inspector from "node:inspector";
import net from "node:net";
import { INSPECTOR_EVENT_FD, INSPECTOR_REQUEST_FD } from "./child_protocol";

const session = new inspector.Session();
session.connectToMainThread();

const output = new net.Socket({ fd: INSPECTOR_EVENT_FD, readable: false, writable: true });
const input = new net.Socket({ fd: INSPECTOR_REQUEST_FD, readable: true, writable: false });
const send = (message: unknown) => output.write(`${JSON.stringify(message)}\n`);

session.on("inspectorNotification", (notification) => send({ method: notification.method, params: notification.params }));

let buffered = "";
input.setEncoding("utf8");
input.on("data", (chunk: string) => {
  buffered += chunk;
  for (let newline = buffered.indexOf("\n"); newline >= 0; newline = buffered.indexOf("\n")) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    let request: { id: number; method: string; params?: object };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      continue;
    }
    session.post(request.method, request.params ?? {}, (error, result) => {
      send(error ? { id: request.id, error: { message: error.message } } : { id: request.id, result: result ?? {} });
    });
  }
});
send({ method: "tsgpu.relayReady", params: {} });
