/**
 * What the tsgpu kernel adds to its execution child, registered through the
 * executor's hooks (kernel/executor/hooks.ts) when the child starts. The
 * kernel names this module in `ExecutionOptions.childSetupModules`.
 *
 * - the `tsgpu.device` comm target, for the device panel;
 * - out-of-memory errors described with what was asked and what is free;
 * - TensorFlow.js's misleading "install tfjs-node" banner quieted;
 * - tfjs tensors and layers models displayed with their values and summary
 *   (tensor/tensor_view.ts, tensor/model_view.ts), through the display
 *   formatters: a value's own `Symbol.for("Jupyter.display")` still wins.
 *
 * Only light modules load here: the tensor runtime and the device readers are
 * required the first time they are needed, so the first cell does not wait for them.
 */
import { registerDeviceCommTarget } from "../device/comm_target.js";
import { registerErrorDescriber, registerModuleLoadHook } from "../executor/hooks.js";
import { registerDisplayFormatter } from "../runtime/display.js";

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

// Both views are light (no tfjs import) and load with the first object a cell displays;
// their checks are duck typing, cheap for every other value.
registerDisplayFormatter((value) => {
  if (value === null || typeof value !== "object") return undefined;
  const tensors = require("../tensor/tensor_view.js") as typeof import("../tensor/tensor_view.js");
  if (tensors.isTensorLike(value)) return tensors.tensorBundle(value);
  const models = require("../tensor/model_view.js") as typeof import("../tensor/model_view.js");
  if (models.isLayersModelLike(value)) return models.modelBundle(value);
  return undefined;
});
