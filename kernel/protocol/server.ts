/**
 * Starts a kernel for a connection file: sockets (transport) <-> verified
 * messages (wire) <-> the Kernel <-> the executor. The only place they meet.
 */
import { ChildExecutor } from "../executor/child_executor";
import { readConnectionFile } from "../transport/connection";
import { KernelSockets } from "../transport/sockets";
import { History, HistoryFile } from "./history";
import { Kernel } from "./kernel";
import { Session } from "./session";
import { decodeMessage, encodeMessage, Signer } from "./wire";

const log = (text: string) => process.stderr.write(`[tsgpu] ${text}\n`);

export interface KernelServer {
  kernel: Kernel;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The notebook's folder: cells run and resolve imports there (default: the working directory). */
  directory?: string;
  /** Modules the execution child loads at start to register its hooks (see executor/hooks.ts). */
  childSetupModules?: readonly string[];
  /** The history file kept across restarts and sessions (history.ts); none: history lasts for this kernel only. */
  historyFile?: string;
}

export async function startKernel(connectionFile: string, options: StartOptions = {}): Promise<KernelServer> {
  const info = readConnectionFile(connectionFile);
  const signer = new Signer(info.key, info.signature_scheme);
  const session = new Session();
  let kernel: Kernel | undefined;
  const sockets = new KernelSockets(info, {
    onFrames(channel, frames) {
      let message;
      try {
        message = decodeMessage(frames, signer);
      } catch (error) {
        // Dropped, never executed: a forged or broken message gets no answer (spec "The Wire Protocol").
        log(`dropped a message on ${channel}: ${(error as Error).message}`);
        return;
      }
      try {
        if (channel === "stdin") {
          if (message.header.msg_type !== "input_reply") log(`dropped a message on stdin: a "${message.header.msg_type}" (only input_reply is read there)`);
          else if (!kernel!.onInputReply(message)) log("dropped an input_reply on stdin: no input_request is waiting for one");
          return;
        }
        kernel!.handle(channel, message);
      } catch (error) {
        // A handler that throws must not end the socket's receive loop (the channel would go deaf).
        log(`dropped a message on ${channel}: handling "${message.header.msg_type}" threw ${(error as Error)?.message ?? String(error)}`);
      }
    },
    onSubscribe: (topic) => kernel?.welcome(topic),
    onError: (error) => log(`socket error: ${error.message}`),
  });
  const close = async () => {
    await kernel!.close();
    await sockets.close();
  };
  const executor = new ChildExecutor({ directory: options.directory ?? process.cwd(), childSetupModules: options.childSetupModules });
  kernel = new Kernel(session, (channel, message) => sockets.send(channel, encodeMessage(message, signer)), {
    executor,
    history: new History(options.historyFile ? new HistoryFile(options.historyFile, log) : undefined),
    log,
    onShutdown: () => {
      void sockets.close().then(() => process.exit(0));
    },
  });
  await sockets.bind();
  kernel.announce();
  // interrupt_mode "signal": Jupyter sends SIGINT to the kernel process.
  process.on("SIGINT", () => kernel!.interrupt());
  process.on("SIGTERM", () => void close().then(() => process.exit(0)));
  return { kernel, close };
}
