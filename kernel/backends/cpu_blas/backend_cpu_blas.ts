/**
 * The "cpu-blas" tfjs backend: tfjs's MathBackendCPU (JS typed-array storage)
 * with the heavy kernels (matmul, conv2d and gradients, pooling) replaced by
 * BLAS-backed ones. All of tfjs's cpu kernels are registered again under the
 * new name, so every op works; ours take precedence for the kernels they cover.
 */
import "@tensorflow/tfjs-backend-cpu";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { type backend_util, type DataId, type DataType, getKernelsForBackend, registerBackend, registerKernel } from "@tensorflow/tfjs-core";
import { float32Pool } from "./kernel_utils/buffer_pool.js";
import { cpuBlasKernelConfigs } from "./register_all_kernels.js";

/** Name under which the backend is registered with tfjs. */
export const CPU_BLAS_BACKEND = "cpu-blas";

/**
 * MathBackendCPU that recycles the kernels' output arrays through
 * {@link float32Pool}: it counts which tensor entries hold pooled buffers and
 * hands copies (never pooled memory) to readers.
 */
export class MathBackendCpuBlas extends MathBackendCPU {
  constructor() {
    super();
    // tfjs prints a tfjs-node advertisement on the first write of a cpu backend in Node.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    const dataId = super.write(values, shape, dtype);
    float32Pool.retain(values);
    return dataId;
  }

  override move(dataId: DataId, values: backend_util.BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    super.move(dataId, values, shape, dtype, refCount);
    float32Pool.retain(values);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId)!.values : undefined;
    const result = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) float32Pool.release(values);
    return result;
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const values = super.readSync(dataId);
    return float32Pool.isPooled(values) ? (values as Float32Array).slice() : values;
  }

  override async read(dataId: DataId): Promise<backend_util.BackendValues> {
    return this.readSync(dataId);
  }

  override dispose(): void {
    super.dispose();
    float32Pool.clear();
  }
}

let registered = false;

/** Registers the backend and its kernels with tfjs (once); `priority` as in tf.registerBackend. */
export function registerCpuBlasWithTfjs(priority = 0): void {
  if (registered) return;
  const ours = new Set(cpuBlasKernelConfigs.map((config) => config.kernelName));
  for (const config of getKernelsForBackend("cpu")) {
    if (!ours.has(config.kernelName)) registerKernel({ ...config, backendName: CPU_BLAS_BACKEND });
  }
  for (const config of cpuBlasKernelConfigs) registerKernel(config);
  registerBackend(CPU_BLAS_BACKEND, () => new MathBackendCpuBlas(), priority);
  registered = true;
}
