/**
 * What the tsgpu kernel adds to its execution child, registered through the
 * executor's hooks (kernel/executor/hooks.ts) when the child starts. The
 * kernel names this module in `ExecutionOptions.childSetupModules`.
 *
 * - the `tsgpu.device` comm target, for the device panel;
 * - out-of-memory errors described with what was asked and what is free;
 * - TensorFlow.js's misleading "install tfjs-node" banner quieted.
 *
 * Only light modules load here: the tensor runtime and the device readers are
 * required the first time they are needed, so the first cell does not wait for them.
 */
import { registerDeviceCommTarget } from "../device/comm_target.js";
import { registerErrorDescriber, registerModuleLoadHook } from "../executor/hooks.js";

const ALLOCATION_FAILURE = /allocation failed|Invalid (typed )?array length|out of memory/i;

registerDeviceCommTarget(() => (require("./snapshot.js") as typeof import("./snapshot.js")).collectDeviceSnapshot);

// The tensor runtime knows the backend and the bytes tensors hold; it is only loaded for such errors.
registerErrorDescriber((thrown) => {
  if (!(thrown instanceof Error) || !ALLOCATION_FAILURE.test(thrown.message)) return undefined;
  const memory = require("../tensor/memory.js") as typeof import("../tensor/memory.js");
  return memory.describeOutOfMemory(thrown);
});

registerModuleLoadHook((specifier, loaded) => {
  if (specifier === "@tensorflow/tfjs" && loaded.kind === "commonjs") {
    (require("../tensor/tfjs.js") as typeof import("../tensor/tfjs.js")).quietTfjsNodeAdvice(loaded.exports);
  }
});
