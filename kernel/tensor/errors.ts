/** Errors the tensor runtime throws; every message says what to do next. */
import { TensorRuntimeError } from "../util/tensor_errors.js";

export { formatBytes } from "../util/format.js";
export { OutOfMemoryError, TensorRuntimeError } from "../util/tensor_errors.js";

/** A backend was asked for that does not exist here or cannot run. */
export class BackendUnavailableError extends TensorRuntimeError {
  override name = "BackendUnavailableError";
  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly available: readonly string[],
  ) {
    super(
      `backend "${backend}" cannot be used: ${reason}. Available here: ${available.length ? available.join(", ") : "none"}` +
        ` (see await devices() for the reasons).`,
    );
  }
}
