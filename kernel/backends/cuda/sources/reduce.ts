/**
 * Reductions over the innermost axis, generated from the op table.
 *
 * Layout: the input is contiguous [rows, cols]. reduce_<op>: the output is
 * [rows], one block of REDUCE_THREADS threads per row (grid-stride over rows):
 * each thread folds a strided slice of the row, then a shared-memory tree
 * combines the partials. reduce_columns_<op>: the leading axis is reduced,
 * the output is [cols], one thread per column (bias gradients). Other axis
 * sets are made innermost by a transpose first, as tfjs's cpu backend does. Dtypes: f32 and i32 (bool as 0/1).
 * ArgMax/ArgMin return int32 indices; ties pick the lowest index and NaN is
 * skipped except as the first element (then 0), as tfjs's cpu backend's scan.
 * scan_<sum|prod>_<type> (Cumsum, Cumprod): x viewed as contiguous
 * [outer, size, inner], one thread per (outer, inner) walking the axis in
 * order (backwards when `reverse`), writing the running total before
 * (`exclusive`) or after adding each element.
 * Kernel names: reduce_<op>_<type>, reduce_columns_<op>_<type>,
 * arg_reduce_<max|min>_<type>, scan_<sum|prod>_<type>.
 */
import { C_TYPE, type DeviceType, kernelName, REDUCE_OPS } from "../kernel_utils/op_table";
import { COMMON_HEADER } from "./common";

/** Threads per block of every reduction kernel (a power of two). */
export const REDUCE_THREADS = 256;

function reduceKernel(name: string, type: DeviceType, init: string, combine: string, finish: string | undefined): string {
  const t = C_TYPE[type];
  return `
__device__ __forceinline__ ${t} ${name}_combine(${t} a, ${t} b) { return ${combine}; }
extern "C" __global__ void ${name}(${t}* __restrict__ out, const ${t}* __restrict__ in, i64 rows, i64 cols) {
  __shared__ ${t} partial[${REDUCE_THREADS}];
  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
    const ${t}* x = in + row * cols;
    ${t} acc = ${init};
    for (i64 j = threadIdx.x; j < cols; j += blockDim.x) acc = ${name}_combine(acc, x[j]);
    partial[threadIdx.x] = acc;
    __syncthreads();
    for (int width = blockDim.x / 2; width > 0; width >>= 1) {
      if (threadIdx.x < width) partial[threadIdx.x] = ${name}_combine(partial[threadIdx.x], partial[threadIdx.x + width]);
      __syncthreads();
    }
    if (threadIdx.x == 0) { const ${t} r = partial[0]; const i64 count = cols; (void)count; out[row] = ${finish ?? "r"}; }
    __syncthreads();
  }
}`;
}

/** Reduction over the leading axis of a contiguous [rows, cols] input: one thread per column, reads coalesced across threads. */
function columnReduceKernel(name: string, type: DeviceType, init: string, combine: string, finish: string | undefined): string {
  const t = C_TYPE[type];
  return `
extern "C" __global__ void ${name}(${t}* __restrict__ out, const ${t}* __restrict__ in, i64 rows, i64 cols) {
  GRID_STRIDE_LOOP(c, cols) {
    ${t} acc = ${init};
    for (i64 r = 0; r < rows; ++r) { const ${t} b = in[r * cols + c]; const ${t} a = acc; acc = ${combine}; }
    const ${t} r = acc; const i64 count = rows; (void)count; out[c] = ${finish ?? "r"};
  }
}`;
}

function argReduceKernel(which: "max" | "min", type: DeviceType): string {
  const t = C_TYPE[type];
  const better = which === "max" ? ">" : "<";
  const name = kernelName("arg_reduce", which, type);
  return `
extern "C" __global__ void ${name}(int* __restrict__ out, const ${t}* __restrict__ in, i64 rows, i64 cols) {
  __shared__ ${t} best_value[${REDUCE_THREADS}];
  __shared__ i64 best_index[${REDUCE_THREADS}];
  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
    const ${t}* x = in + row * cols;
    ${t} value = (${t})0; i64 index = 0x7fffffffffffffffLL;
    for (i64 j = threadIdx.x; j < cols; j += blockDim.x) {
      const ${t} v = x[j];
      if (v != v) continue;
      if (index == 0x7fffffffffffffffLL || v ${better} value || (v == value && j < index)) { value = v; index = j; }
    }
    best_value[threadIdx.x] = value; best_index[threadIdx.x] = index;
    __syncthreads();
    for (int width = blockDim.x / 2; width > 0; width >>= 1) {
      if (threadIdx.x < width) {
        const ${t} v = best_value[threadIdx.x + width]; const i64 k = best_index[threadIdx.x + width];
        const i64 mine = best_index[threadIdx.x];
        if (k != 0x7fffffffffffffffLL && (mine == 0x7fffffffffffffffLL || v ${better} best_value[threadIdx.x] || (v == best_value[threadIdx.x] && k < mine))) {
          best_value[threadIdx.x] = v; best_index[threadIdx.x] = k;
        }
      }
      __syncthreads();
    }
    // As the cpu backend's sequential scan: a NaN first element is never beaten.
    if (threadIdx.x == 0) out[row] = (best_index[0] == 0x7fffffffffffffffLL || x[0] != x[0]) ? 0 : (int)best_index[0];
    __syncthreads();
  }
}`;
}

/** Names of every generated reduction kernel, for tests. */
export function reduceKernelNames(): string[] {
  return [
    ...REDUCE_OPS.flatMap((op) => op.types.map((t) => kernelName("reduce", op.name, t))),
    ...REDUCE_OPS.flatMap((op) => op.types.map((t) => kernelName("reduce_columns", op.name, t))),
    ...(["max", "min"] as const).flatMap((w) => (["f32", "i32"] as const).map((t) => kernelName("arg_reduce", w, t))),
  ];
}

function scanKernel(op: string, type: DeviceType, init: string, combine: string): string {
  const t = C_TYPE[type];
  return `
extern "C" __global__ void scan_${op}_${type}(${t}* __restrict__ out, const ${t}* __restrict__ in, i64 outer, i64 size, i64 inner, int exclusive, int reverse) {
  GRID_STRIDE_LOOP(i, outer * inner) {
    const i64 base = (i / inner) * size * inner + i % inner;
    ${t} total = (${t})${init};
    for (i64 step = 0; step < size; ++step) {
      const i64 at = base + (reverse ? size - 1 - step : step) * inner;
      const ${t} value = in[at];
      if (exclusive) { out[at] = total; total = total ${combine} value; } else { total = total ${combine} value; out[at] = total; }
    }
  }
}`;
}

/** The family's CUDA C source. */
export function reduceSource(): string {
  const parts = [COMMON_HEADER];
  for (const op of REDUCE_OPS) {
    for (const type of op.types) {
      parts.push(reduceKernel(kernelName("reduce", op.name, type), type, op.init[type]!, op.combine, op.finish));
      parts.push(columnReduceKernel(kernelName("reduce_columns", op.name, type), type, op.init[type]!, op.combine, op.finish));
    }
  }
  for (const which of ["max", "min"] as const) for (const type of ["f32", "i32"] as const) parts.push(argReduceKernel(which, type));
  for (const [op, init, combine] of [["sum", "0", "+"], ["prod", "1", "*"]] as const) for (const type of ["f32", "i32"] as const) parts.push(scanKernel(op, type, init, combine));
  return parts.join("\n");
}
