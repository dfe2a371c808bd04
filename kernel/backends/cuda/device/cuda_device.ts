/**
 * One GPU as the backend sees it: the driver, the device's primary context,
 * one stream all work is queued on, the caching allocator, the kernel
 * compiler and the loaded kernel families. As in tinygrad, a device is an
 * allocator + a compiler + a program runner; the backend holds tensors.
 *
 * Work is asynchronous: launches, device-to-device copies and uploads are
 * queued on the stream; only downloads (and {@link CudaDevice.synchronize})
 * wait for it.
 */
import { CachingAllocator, type DeviceMemory } from "./caching_allocator";
import { CudaDeviceLostError, CudaLaunchError, CudaUnavailableError, isContextLost } from "../errors";
import type { CublasApi } from "../ffi/cublas_api";
import {
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
  CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT,
  CUDA_ERROR_OUT_OF_MEMORY,
  CUDA_SUCCESS,
  type CudaHandle,
  type DevicePointer,
  type DriverApi,
} from "../ffi/driver_api";
import type { NvrtcApi } from "../ffi/nvrtc_api";
import { KERNEL_FAMILIES, type KernelFamily } from "../sources/kernel_families";
import { chooseTarget, KernelCompiler } from "./kernel_compiler";

/** One kernel argument, packed by value into the launch's parameter list. */
export type KernelArg =
  | { ptr: DevicePointer }
  | { i64: number }
  | { i32: number }
  | { f32: number }
  | { struct: Buffer };

export const ptr = (value: DevicePointer): KernelArg => ({ ptr: value });
export const i64 = (value: number): KernelArg => ({ i64: value });
export const f32 = (value: number): KernelArg => ({ f32: value });
export const struct = (value: Buffer): KernelArg => ({ struct: value });

/**
 * Scalar argument slots, reused by every launch: cuLaunchKernel copies the
 * parameter values when it queues the kernel, so they are free once it returns.
 */
const ARG_SLOTS = Array.from({ length: 16 }, () => Buffer.alloc(8));

function packArg(arg: KernelArg, index: number): Buffer {
  if ("struct" in arg) return arg.struct;
  const slot = ARG_SLOTS[index] ?? Buffer.alloc(8);
  if ("f32" in arg) {
    slot.writeFloatLE(arg.f32, 0);
  } else if ("i32" in arg) {
    slot.writeInt32LE(arg.i32, 0);
  } else {
    // Device pointers and int64 values used here are non-negative and below 2^53.
    const value = "ptr" in arg ? arg.ptr : arg.i64;
    slot.writeUInt32LE(value % 0x100000000, 0);
    slot.writeUInt32LE(Math.floor(value / 0x100000000), 4);
  }
  return slot;
}

/** Facts about the device, for diagnostics. */
export interface DeviceInfo {
  ordinal: number;
  name: string;
  /** e.g. 90 for compute capability 9.0 */
  arch: number;
  multiprocessors: number;
  totalMemoryBytes: number;
  /** e.g. 12080 */
  driverVersion: number;
  target: string;
}

/**
 * What the backend and its kernels need from a device: memory, copies,
 * launches and cuBLAS. {@link CudaDevice} is the real one; tests of the
 * backend's bookkeeping use a host-memory implementation.
 */
export interface KernelDevice {
  readonly allocator: CachingAllocator;
  readonly cublas: CublasApi;
  upload(pointer: DevicePointer, data: ArrayBufferView): void;
  download(pointer: DevicePointer, into: ArrayBufferView): void;
  copy(dst: DevicePointer, src: DevicePointer, bytes: number): void;
  fill32(pointer: DevicePointer, bits: number, count: number): void;
  synchronize(): void;
  idle(): Promise<void>;
  gridFor(n: number, threads?: number): number;
  launch(family: KernelFamily, name: string, blocks: number, threads: number, args: KernelArg[]): void;
}

export class CudaDevice implements KernelDevice {
  readonly allocator: CachingAllocator;
  readonly stream: CudaHandle;
  readonly info: DeviceInfo;
  /** Wait for each launch to finish and check it (TSGPU_CUDA_SYNC=1): slow, pinpoints faulting kernels. */
  readonly syncEveryLaunch = process.env.TSGPU_CUDA_SYNC === "1";
  private readonly compiler: KernelCompiler;
  private readonly modules = new Map<KernelFamily, CudaHandle>();
  /** Loaded kernels by family, then name (no key string built per launch). */
  private readonly functions = new Map<KernelFamily, Map<string, CudaHandle>>();
  /** Parameter arrays by argument count, refilled by every launch (cuLaunchKernel copies the values). */
  private readonly paramArrays: Buffer[][] = [];
  private cublasApi: CublasApi | undefined;

  /**
   * Initialises the driver, takes device `ordinal`'s primary context and
   * creates the stream. Throws {@link CudaUnavailableError} when there is no
   * usable GPU.
   */
  constructor(
    readonly driver: DriverApi,
    nvrtc: NvrtcApi,
    ordinal = 0,
  ) {
    try {
      driver.init();
    } catch (error) {
      throw new CudaUnavailableError(
        `the NVIDIA driver is installed but found no usable GPU (${(error as Error).message}). ` +
          `Check \`nvidia-smi\`, CUDA_VISIBLE_DEVICES and that this process can open /dev/nvidia*.`,
      );
    }
    const count = driver.deviceCount();
    if (count === 0) throw new CudaUnavailableError("the NVIDIA driver reports no GPU (cuDeviceGetCount = 0). Check `nvidia-smi` and CUDA_VISIBLE_DEVICES.");
    if (ordinal >= count) throw new CudaUnavailableError(`GPU ${ordinal} requested but the driver sees ${count} GPU(s) (0..${count - 1}).`);
    const device = driver.device(ordinal);
    const arch =
      10 * driver.attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) + driver.attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    const driverVersion = driver.driverVersion();
    const v = nvrtc.version();
    const target = chooseTarget(arch, nvrtc.supportedArchs(), `${v.major}.${v.minor}`);
    driver.retainPrimaryContext(device);
    this.stream = driver.createStream();
    this.compiler = new KernelCompiler(nvrtc, target, driverVersion);
    this.info = {
      ordinal,
      name: driver.deviceName(device),
      arch,
      multiprocessors: driver.attribute(device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
      totalMemoryBytes: driver.totalMemory(device),
      driverVersion,
      target: target.description,
    };
    const memory: DeviceMemory = {
      allocate: (bytes) => {
        const { code, pointer } = driver.tryAlloc(bytes);
        if (code === CUDA_ERROR_OUT_OF_MEMORY) return null;
        driver.check(`cuMemAlloc(${bytes} bytes)`, code);
        return pointer;
      },
      free: (pointer) => {
        // Queued kernels may still use a cached block being given back: wait for them first.
        if (!driver.streamDone(this.stream)) this.synchronize();
        driver.free(pointer);
      },
      memoryInfo: () => driver.memoryInfo(),
    };
    this.allocator = new CachingAllocator(memory);
  }

  /** cuBLAS bound to this device's stream; set once by the backend. */
  get cublas(): CublasApi {
    if (!this.cublasApi) throw new CudaUnavailableError("cuBLAS is not loaded for this device");
    return this.cublasApi;
  }

  set cublas(api: CublasApi) {
    this.cublasApi = api;
  }

  /** Queues a host-to-device copy of `data` to `pointer`. */
  upload(pointer: DevicePointer, data: ArrayBufferView): void {
    if (data.byteLength === 0) return;
    this.driver.check("cuMemcpyHtoDAsync", this.driver.raw.cuMemcpyHtoDAsync(pointer, data, data.byteLength, this.stream));
  }

  /** Waits for queued work, then copies `into.byteLength` bytes from `pointer`. */
  download(pointer: DevicePointer, into: ArrayBufferView): void {
    if (into.byteLength === 0) return;
    this.driver.check("cuMemcpyDtoHAsync", this.driver.raw.cuMemcpyDtoHAsync(into, pointer, into.byteLength, this.stream));
    this.synchronize();
  }

  /** Queues a device-to-device copy. */
  copy(dst: DevicePointer, src: DevicePointer, bytes: number): void {
    if (bytes === 0) return;
    this.driver.check("cuMemcpyDtoDAsync", this.driver.raw.cuMemcpyDtoDAsync(dst, src, bytes, this.stream));
  }

  /** Queues filling `count` 32-bit words with `bits`. */
  fill32(pointer: DevicePointer, bits: number, count: number): void {
    if (count === 0) return;
    this.driver.check("cuMemsetD32Async", this.driver.raw.cuMemsetD32Async(pointer, bits >>> 0, count, this.stream));
  }

  /** Waits until all queued work is done; reports a kernel fault as a {@link CudaLaunchError}. */
  synchronize(): void {
    const code = this.driver.raw.cuStreamSynchronize(this.stream);
    if (code !== CUDA_SUCCESS) {
      this.driver.check("cuStreamSynchronize", code); // a lost context throws CudaDeviceLostError here
      throw new CudaLaunchError(
        `a queued GPU operation failed: cuStreamSynchronize returned ${this.driver.errorName(code)}: ${this.driver.errorString(code)}. ` +
          `The CUDA context may be unusable now: restart the kernel. Run with TSGPU_CUDA_SYNC=1 to find the failing kernel.`,
      );
    }
  }

  /** Resolves when queued work is done, without blocking the event loop. */
  async idle(): Promise<void> {
    while (!this.driver.streamDone(this.stream)) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Compiles (or loads from the disk cache) the family's module on first use and returns the kernel. */
  kernel(family: KernelFamily, name: string): CudaHandle {
    let byName = this.functions.get(family);
    if (byName === undefined) this.functions.set(family, (byName = new Map()));
    const known = byName.get(name);
    if (known !== undefined) return known;
    let module = this.modules.get(family);
    if (module === undefined) {
      const compiled = this.compiler.compile(family, KERNEL_FAMILIES[family]());
      module = this.driver.loadModule(compiled.image);
      this.modules.set(family, module);
    }
    const fn = this.driver.getFunction(module, name);
    byName.set(name, fn);
    return fn;
  }

  /** Blocks for `n` work items with `threads` per block, grid-stride kernels (capped at 32 blocks per SM). */
  gridFor(n: number, threads = 256): number {
    return Math.max(1, Math.min(Math.ceil(n / threads), this.info.multiprocessors * 32));
  }

  /** Queues `family/name` on the stream with `blocks` x `threads`. */
  launch(family: KernelFamily, name: string, blocks: number, threads: number, args: KernelArg[]): void {
    const fn = this.kernel(family, name);
    const params = (this.paramArrays[args.length] ??= new Array<Buffer>(args.length));
    for (let i = 0; i < args.length; i++) params[i] = packArg(args[i]!, i);
    const code = this.driver.raw.cuLaunchKernel(fn, blocks, 1, 1, threads, 1, 1, 0, this.stream, params, null);
    if (code !== CUDA_SUCCESS) {
      if (isContextLost(code)) throw new CudaDeviceLostError(`cuLaunchKernel(${name})`, code, this.driver.errorName(code));
      throw new CudaLaunchError(
        `cuLaunchKernel(${name}, grid ${blocks}, block ${threads}) failed with ${this.driver.errorName(code)}: ${this.driver.errorString(code)}`,
      );
    }
    if (this.syncEveryLaunch) {
      const status = this.driver.raw.cuStreamSynchronize(this.stream);
      if (status !== CUDA_SUCCESS) {
        throw new CudaLaunchError(`kernel ${name} (grid ${blocks}, block ${threads}) failed while running: ${this.driver.errorName(status)}: ${this.driver.errorString(status)}`);
      }
    }
  }
}
