/**
 * tfjs's WebGPUBackend with tsgpu's checks around it:
 *
 * - A tensor larger than the device's largest storage buffer is refused at
 *   creation with an {@link OutOfMemoryError} naming the size (tfjs would
 *   create an invalid buffer and return garbage).
 * - Errors the device reports asynchronously (out of memory, validation,
 *   device lost) are kept and thrown at the next `data()` read, so a bad
 *   result is never returned as if it were good.
 * - `synchronize()` waits for submitted GPU work, for timing.
 *
 * - `downloadAll()` reads every live tensor back (tfjs then keeps a CPU
 *   copy), which `use()` and `compare()` call before switching away: tfjs
 *   moves tensors between backends with a synchronous read, which WebGPU
 *   cannot do in Node.
 *
 * `dataSync()`/`arraySync()` cannot work in Node: tfjs reads GPU data
 * synchronously through an OffscreenCanvas, which Node lacks. Use
 * `await tensor.data()` / `await tensor.array()`.
 */
import { formatBytes } from "../../util/format.js";
import { OutOfMemoryError, TensorRuntimeError } from "../../util/tensor_errors.js";
import type { GpuDeviceLike } from "./adapter.js";

type WebGPUBackendClass = typeof import("@tensorflow/tfjs-backend-webgpu").WebGPUBackend;
type DataId = object;

/** A device error reported by WebGPU outside any call (GPUOutOfMemoryError, GPUValidationError...). */
export class WebGpuDeviceError extends TensorRuntimeError {
  override name = "WebGpuDeviceError";
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 4, complex64: 8, string: 0 };

/** What tsgpu adds to tfjs's WebGPUBackend. */
export interface CheckedWebGpuBackend extends InstanceType<WebGPUBackendClass> {
  /** Largest buffer a tensor may occupy on this device, bytes. */
  readonly maxTensorBytes: number;
  /** Throws a kept asynchronous device error, once. */
  throwIfDeviceFailed(): void;
  /** Waits until all submitted GPU work is done (for timing). */
  synchronize(): Promise<void>;
  /** Reads every live tensor back so tfjs can move them to another backend synchronously. */
  downloadAll(): Promise<void>;
}

/** Defines the checked subclass for the loaded tfjs-backend-webgpu. */
export function checkedWebGpuBackendClass(Base: WebGPUBackendClass): new (device: GpuDeviceLike, adapterInfo: unknown) => CheckedWebGpuBackend {
  return class CheckedWebGPUBackend extends Base {
    deviceErrors: string[] = [];
    /** Data ids this backend holds, weakly (tfjs's own map is a WeakMap and cannot be listed). */
    liveData = new Set<WeakRef<DataId>>();
    private sinceLastPrune = 0;
    outOfMemory: string | undefined;
    lostMessage: string | undefined;
    /** Largest buffer a tensor may occupy on this device. */
    readonly maxTensorBytes: number;

    constructor(device: GpuDeviceLike, adapterInfo: unknown) {
      super(device as never, adapterInfo as never);
      this.maxTensorBytes = Math.min(device.limits["maxStorageBufferBindingSize"] ?? Infinity, device.limits["maxBufferSize"] ?? Infinity);
      const onError = (event: { error: { message: string; constructor: { name: string } } }) => {
        const kind = event.error.constructor.name;
        if (kind === "GPUOutOfMemoryError") this.outOfMemory = event.error.message;
        else if (this.deviceErrors.length < 5) this.deviceErrors.push(`${kind}: ${event.error.message.split("\n")[0]}`);
      };
      if (device.addEventListener) device.addEventListener("uncapturederror", onError);
      else device.onuncapturederror = onError;
      void device.lost.then((info) => {
        this.lostMessage = info.message || info.reason || "device lost";
      });
    }

    checkSize(shape: readonly number[], dtype: string): void {
      const bytes = shape.reduce((a, b) => a * b, 1) * (BYTES_PER_ELEMENT[dtype] ?? 4);
      if (bytes > this.maxTensorBytes) {
        throw new OutOfMemoryError(
          "webgpu",
          bytes,
          undefined,
          `a ${dtype} tensor of shape [${shape.join(", ")}] is larger than this device's largest buffer (${formatBytes(this.maxTensorBytes)})`,
        );
      }
    }

    /** Throws a kept asynchronous device error, once. */
    throwIfDeviceFailed(): void {
      if (this.lostMessage !== undefined) throw new WebGpuDeviceError(`the WebGPU device was lost (${this.lostMessage}); restart the kernel to use webgpu again`);
      if (this.outOfMemory !== undefined) {
        const message = this.outOfMemory;
        this.outOfMemory = undefined;
        const held = (this as unknown as { bufferManager?: { numBytesAllocated?: number } }).bufferManager?.numBytesAllocated;
        throw new OutOfMemoryError("webgpu", undefined, undefined, `the device ran out of memory (${message})${held === undefined ? "" : `; tfjs holds ${formatBytes(held)} of GPU buffers`}`);
      }
      if (this.deviceErrors.length) {
        const errors = this.deviceErrors.splice(0);
        throw new WebGpuDeviceError(`WebGPU reported errors, so results may be invalid: ${errors.join("; ")}`);
      }
    }

    track(dataId: DataId): void {
      this.liveData.add(new WeakRef(dataId));
      if (++this.sinceLastPrune >= 1024) {
        this.sinceLastPrune = 0;
        const map = (this as unknown as { tensorMap: { has(id: DataId): boolean } }).tensorMap;
        for (const ref of this.liveData) {
          const id = ref.deref();
          if (id === undefined || !map.has(id)) this.liveData.delete(ref);
        }
      }
    }

    override makeTensorInfo(shape: number[], dtype: never, values?: never) {
      this.checkSize(shape, dtype);
      const info = super.makeTensorInfo(shape, dtype, values);
      this.track(info.dataId);
      return info;
    }

    override write(values: never, shape: number[], dtype: never) {
      this.checkSize(shape, dtype);
      const dataId = super.write(values, shape, dtype);
      this.track(dataId);
      return dataId;
    }

    override move(dataId: DataId, values: never, shape: number[], dtype: never, refCount: number) {
      this.checkSize(shape, dtype);
      super.move(dataId as never, values, shape, dtype, refCount);
      this.track(dataId);
    }

    async downloadAll(): Promise<void> {
      const map = (this as unknown as { tensorMap: { has(id: DataId): boolean } }).tensorMap;
      const reads: Promise<unknown>[] = [];
      for (const ref of this.liveData) {
        // Checked just before each read: starting a read flushes tfjs's pending disposals,
        // which can unregister ids later in this loop.
        const id = ref.deref();
        if (id !== undefined && map.has(id)) reads.push(this.read(id));
        else this.liveData.delete(ref);
      }
      await Promise.all(reads);
    }

    override readSync(dataId: DataId) {
      try {
        return super.readSync(dataId as never);
      } catch (error) {
        if (error instanceof ReferenceError && /OffscreenCanvas/.test(error.message)) {
          throw new TensorRuntimeError(
            "webgpu tensors cannot be read synchronously in Node (dataSync(), arraySync(), or tf.setBackend moving them to another backend): " +
              "tfjs would need an OffscreenCanvas, which Node does not have. Use await tensor.data() / await tensor.array(), " +
              "and switch backends with tsgpu's await use(name), which downloads webgpu tensors first.",
          );
        }
        throw error;
      }
    }

    override async read(dataId: DataId) {
      this.throwIfDeviceFailed();
      const values = await super.read(dataId as never);
      this.throwIfDeviceFailed();
      return values;
    }

    /** Waits until all submitted GPU work is done (for timing). */
    async synchronize(): Promise<void> {
      const self = this as unknown as { submitQueue?: () => void; commandEncoder?: unknown; device: GpuDeviceLike };
      if (self.commandEncoder) self.submitQueue?.();
      await self.device.queue.onSubmittedWorkDone();
      this.throwIfDeviceFailed();
    }
  };
}
