/** The main thread's handle on the compiler worker: promise-based requests. */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { CompilerWorkerData } from "./worker";
import { prepareLiteralCell } from "./literal_cell";
import type { CompilerReply, CompilerRequest, CompilerResponses } from "./requests";

export class CompilerError extends Error {
  override name = "CompilerError";
}

export class CompilerClient {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(data: CompilerWorkerData) {
    this.worker = new Worker(path.join(__dirname, "worker.js"), { workerData: data, stderr: false, stdout: false });
    this.worker.unref();
    this.worker.on("message", (reply: CompilerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else {
        const error = new CompilerError(reply.error.message);
        error.name = reply.error.name;
        waiter.reject(error);
      }
    });
    this.worker.on("error", (error) => this.failAll(new CompilerError(`the TypeScript worker failed: ${error.message}`)));
    this.worker.on("exit", (code) => this.failAll(new CompilerError(`the TypeScript worker exited (code ${code})`)));
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  request<R extends CompilerRequest>(request: R): Promise<CompilerResponses[R["op"]]> {
    // A cell whose check cannot fail (literal_cell.ts) needs neither the worker nor a warm checker.
    const literal = request.op === "prepare" ? prepareLiteralCell(request.code) : undefined;
    if (literal) return Promise.resolve(literal as CompilerResponses[R["op"]]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, request });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}
