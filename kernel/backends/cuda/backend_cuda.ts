/**
 * The `cuda` tfjs backend: tensor data lives in device memory (one block from
 * the caching allocator per data id; zero-size tensors hold none), kernels
 * run on the device's single stream, and only reads synchronise.
 *
 * Device storage per dtype: float32 as float, int32 as int, bool as int 0/1
 * (converted to Uint8Array on read, as tfjs expects). `string` tensors stay on
 * the host (no GPU kernel uses them); complex64 is not supported.
 */
import {
  type BackendTimingInfo,
  backend_util,
  DataStorage,
  type DataType,
  engine,
  KernelBackend,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import type { MemoryBlock } from "./device/caching_allocator";
import type { KernelDevice } from "./device/cuda_device";
import { CudaUnsupportedError } from "./errors";
import type { DevicePointer } from "./ffi/driver_api";
import type { DeviceType } from "./kernel_utils/op_table";

type DataId = object;

interface TensorData {
  dtype: DataType;
  /** Elements. */
  size: number;
  /** Null for zero-size and string tensors. */
  block: MemoryBlock | null;
  /** Host copy of string tensors. */
  strings?: Uint8Array[];
  refCount: number;
}

/** Memory figures of the backend, tfjs's fields plus the allocator's. */
export interface CudaMemoryInfo {
  unreliable: boolean;
  /** Bytes of live tensors' blocks. */
  numBytesInGPU: number;
  /** Bytes held from the device (live + cached blocks). */
  numBytesInGPUAllocated: number;
  allocatedBytes: number;
  reservedBytes: number;
  cachedBytes: number;
}

export class CudaBackend extends KernelBackend {
  private static nextDataId = 0;
  private readonly data: DataStorage<TensorData>;
  private disposed = false;

  constructor(readonly device: KernelDevice) {
    super();
    this.data = new DataStorage(this, engine());
  }

  /** tfjs dtype -> element type on the device. */
  deviceType(dtype: DataType): DeviceType {
    if (dtype === "float32") return "f32";
    if (dtype === "int32" || dtype === "bool") return "i32";
    throw new CudaUnsupportedError(`the cuda backend has no GPU kernels for dtype ${dtype}; move the tensor to the cpu backend for this operation`);
  }

  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    const dataId = { id: CudaBackend.nextDataId++ };
    this.data.set(dataId, this.store(values, util.sizeFromShape(shape), dtype, 1));
    return dataId;
  }

  override move(dataId: DataId, values: backend_util.BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    this.data.set(dataId, this.store(values, util.sizeFromShape(shape), dtype, refCount));
  }

  private store(values: backend_util.BackendValues | null, size: number, dtype: DataType, refCount: number): TensorData {
    if (dtype === "string") return { dtype, size, block: null, strings: (values ?? []) as Uint8Array[], refCount };
    if (dtype === "complex64") throw new CudaUnsupportedError("the cuda backend does not support complex64 tensors; use the cpu backend for complex math");
    const block = size === 0 ? null : this.device.allocator.allocate(size * 4);
    if (block && values != null) this.device.upload(block.pointer, toDeviceArray(values as ArrayLike<number>, dtype));
    return { dtype, size, block, refCount };
  }

  /** A new tensor of `shape`, allocated on the device and left uninitialised (kernels fill it). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo {
    const dataId = { id: CudaBackend.nextDataId++ };
    this.data.set(dataId, this.store(null, util.sizeFromShape(shape), dtype, 1));
    return { dataId, shape, dtype };
  }

  /** A new tensor holding `values` (host data uploaded). */
  makeTensorInfo(shape: number[], dtype: DataType, values: backend_util.BackendValues): TensorInfo {
    return { dataId: this.write(values, shape, dtype), shape, dtype };
  }

  /** Device address of a tensor's data (0 for zero-size tensors). */
  pointer(info: TensorInfo): DevicePointer {
    const data = this.data.get(info.dataId);
    if (data === undefined) throw new Error(`tensor data ${JSON.stringify(info.dataId)} is not on the cuda backend (disposed?)`);
    if (data.dtype === "string") throw new CudaUnsupportedError("string tensors have no device data on the cuda backend");
    return data.block?.pointer ?? 0;
  }

  /** Releases an intermediate result a kernel made and no longer needs. */
  disposeIntermediateTensorInfo(info: TensorInfo): void {
    this.disposeData(info.dataId);
  }

  override refCount(dataId: DataId): number {
    return this.data.has(dataId) ? this.data.get(dataId).refCount : 0;
  }

  override incRef(dataId: DataId): void {
    this.data.get(dataId).refCount++;
  }

  override numDataIds(): number {
    return this.data.numDataIds();
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const data = this.data.get(dataId);
    if (data === undefined) throw new Error("readSync: this tensor was disposed or belongs to another backend");
    if (data.dtype === "string") return data.strings ?? [];
    const values = data.dtype === "float32" ? new Float32Array(data.size) : new Int32Array(data.size);
    if (data.block) this.device.download(data.block.pointer, values);
    return data.dtype === "bool" ? Uint8Array.from(values as Int32Array) : values;
  }

  override async read(dataId: DataId): Promise<backend_util.BackendValues> {
    await this.device.idle();
    return this.readSync(dataId);
  }

  /** Drops one reference; frees the block (back to the allocator's cache) at zero. Safe to call twice. */
  override disposeData(dataId: DataId, force = false): boolean {
    if (!this.data.has(dataId)) return true;
    const data = this.data.get(dataId);
    data.refCount--;
    if (!force && data.refCount > 0) return false;
    if (data.block) this.device.allocator.release(data.block);
    this.data.delete(dataId);
    return true;
  }

  override memory(): CudaMemoryInfo {
    const stats = this.device.allocator.stats();
    return {
      unreliable: false,
      numBytesInGPU: stats.allocatedBytes,
      numBytesInGPUAllocated: stats.reservedBytes,
      allocatedBytes: stats.allocatedBytes,
      reservedBytes: stats.reservedBytes,
      cachedBytes: stats.cachedBytes,
    };
  }

  /** Gives cached free blocks back to the driver (tensors in use are untouched). */
  emptyCache(): void {
    this.device.synchronize();
    this.device.allocator.emptyCache();
  }

  /** Matmuls with bfloat16 inputs and fp32 accumulation (opt-in; fp32 is the default and the reference). TSGPU_CUDA_BF16=1 turns it on. */
  bf16 = process.env.TSGPU_CUDA_BF16 === "1";

  /** bfloat16 matmul inputs (fp32 accumulation and output) when true; fp32 (or TF32) when false (the default). */
  setBf16(enabled: boolean): void {
    this.bf16 = enabled;
  }

  /** fp32 matmuls on TF32 tensor cores (Ampere and newer) when true; exact fp32 when false (the default). */
  setTf32(enabled: boolean): void {
    this.device.cublas.setTf32(enabled);
  }

  override async time(f: () => void): Promise<BackendTimingInfo> {
    this.device.synchronize();
    const start = util.now();
    f();
    this.device.synchronize();
    return { kernelMs: util.now() - start };
  }

  override timerAvailable(): boolean {
    return true;
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return super.epsilon();
  }

  override dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.device.synchronize();
  }
}

/** Host values in the device's layout: Float32Array for float32, Int32Array for int32 and bool. */
function toDeviceArray(values: ArrayLike<number>, dtype: DataType): Float32Array | Int32Array {
  if (dtype === "float32") return values instanceof Float32Array ? values : Float32Array.from(values);
  return values instanceof Int32Array ? values : Int32Array.from(values);
}
