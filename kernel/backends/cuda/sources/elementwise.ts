/**
 * Element-wise kernels, generated from the op table (`kernel_utils/op_table.ts`).
 *
 * Layout: outputs are contiguous row-major. Unary kernels read a contiguous
 * input of `n` elements. Binary and select kernels read inputs through
 * per-dimension strides over the output's shape (stride 0 = broadcast); the
 * host collapses dimensions first so same-shape and scalar cases run at rank 1.
 * Dtypes: f32 (float) and i32 (int; also bool as 0/1). Casts between them.
 * bias_activation_<op>_f32 adds a bias row to a [rows, cols] matmul result and
 * applies an activation in one pass (_FusedMatMul).
 * Kernel names: unary_<op>_<type>, binary_<op>_<type>, select_<type>,
 * cast_<from>_<to>, bias_activation_<op>_f32.
 */
import { BINARY_OPS, C_TYPE, type DeviceType, kernelName, UNARY_OPS } from "../kernel_utils/op_table";
import { COMMON_HEADER } from "./common";

const TYPES: DeviceType[] = ["f32", "i32"];

function unaryKernel(name: string, expression: string, input: DeviceType, output: DeviceType): string {
  const tin = C_TYPE[input];
  const tout = C_TYPE[output];
  return `
extern "C" __global__ void ${name}(${tout}* __restrict__ out, const ${tin}* __restrict__ in, i64 n, float p0, float p1) {
  GRID_STRIDE_LOOP(i, n) { const ${tin} x = in[i]; out[i] = (${tout})(${expression}); }
}`;
}

function binaryKernel(name: string, expression: string, input: DeviceType, output: DeviceType): string {
  const tin = C_TYPE[input];
  const tout = C_TYPE[output];
  return `
extern "C" __global__ void ${name}(${tout}* __restrict__ out, const ${tin}* __restrict__ pa, const ${tin}* __restrict__ pb, broadcast2 s) {
  GRID_STRIDE_LOOP(i, s.n) {
    i64 ia, ib;
    if (s.rank == 1) { ia = i * s.sa[0]; ib = i * s.sb[0]; }
    else {
      ia = 0; ib = 0; i64 r = i;
      for (int d = (int)s.rank - 1; d >= 0; --d) { const i64 c = r % s.dims[d]; r /= s.dims[d]; ia += c * s.sa[d]; ib += c * s.sb[d]; }
    }
    const ${tin} a = pa[ia]; const ${tin} b = pb[ib];
    out[i] = (${tout})(${expression});
  }
}`;
}

function selectKernel(type: DeviceType): string {
  const t = C_TYPE[type];
  return `
extern "C" __global__ void select_${type}(${t}* __restrict__ out, const int* __restrict__ pc, const ${t}* __restrict__ pa, const ${t}* __restrict__ pb, broadcast3 s) {
  GRID_STRIDE_LOOP(i, s.n) {
    i64 ic = 0, ia = 0, ib = 0, r = i;
    for (int d = (int)s.rank - 1; d >= 0; --d) { const i64 c = r % s.dims[d]; r /= s.dims[d]; ic += c * s.sa[d]; ia += c * s.sb[d]; ib += c * s.sc[d]; }
    out[i] = pc[ic] != 0 ? pa[ia] : pb[ib];
  }
}`;
}

const CASTS: Array<[DeviceType | "bool", DeviceType | "bool", string]> = [
  // JavaScript's ToInt32 (the cpu backend): NaN and +-Inf give 0, large values wrap modulo 2^32.
  ["f32", "i32", "(isfinite(x) ? (int)(unsigned int)(long long)x : 0)"],
  ["i32", "f32", "(float)x"],
  ["f32", "bool", "(x != 0.0f ? 1 : 0)"],
  ["i32", "bool", "(x != 0 ? 1 : 0)"],
];

function castKernel(from: DeviceType | "bool", to: DeviceType | "bool", expression: string): string {
  const tin = from === "f32" ? "float" : "int";
  const tout = to === "f32" ? "float" : "int";
  return `
extern "C" __global__ void cast_${from}_${to}(${tout}* __restrict__ out, const ${tin}* __restrict__ in, i64 n) {
  GRID_STRIDE_LOOP(i, n) { const ${tin} x = in[i]; out[i] = ${expression}; }
}`;
}

/** Activations _FusedMatMul applies together with its bias: tfjs name -> unary op of the table. */
export const FUSED_ACTIVATIONS: Record<string, string> = {
  linear: "identity",
  relu: "relu",
  relu6: "relu6",
  elu: "elu",
  sigmoid: "sigmoid",
  leakyrelu: "leaky_relu",
};

/**
 * out[i] = act(x[i] + bias[i % cols]) over a contiguous [rows, cols] matmul
 * result, in place allowed (out may equal x: each element is read then written
 * by the same thread, so no __restrict__ here). p0 is the activation's alpha.
 */
function biasActivationKernel(op: string, expression: string): string {
  return `
extern "C" __global__ void bias_activation_${op}_f32(float* out, const float* in, const float* __restrict__ bias, i64 n, i64 cols, float p0) {
  GRID_STRIDE_LOOP(i, n) { const float x = in[i] + bias[i % cols]; const float p1 = 0.0f; (void)p1; out[i] = ${expression}; }
}`;
}

/** Names of every generated unary kernel, for tests. */
export function unaryKernelNames(): string[] {
  return UNARY_OPS.flatMap((op) => TYPES.filter((t) => op[t] !== undefined).map((t) => kernelName("unary", op.name, t)));
}

/** Names of every generated binary kernel, for tests. */
export function binaryKernelNames(): string[] {
  return BINARY_OPS.flatMap((op) => TYPES.filter((t) => op[t] !== undefined).map((t) => kernelName("binary", op.name, t)));
}

/**
 * cast_f32_bf16: float -> bfloat16 bits (round to nearest even; NaN stays a
 * quiet NaN), for the opt-in bf16 matmul (TSGPU_CUDA_BF16=1). No cuda_bf16.h:
 * NVRTC from pip ships without the toolkit's headers.
 */
const BF16_CAST = `extern "C" __global__ void cast_f32_bf16(unsigned short* __restrict__ out, const float* __restrict__ in, i64 n) {
  GRID_STRIDE_LOOP(i, n) {
    const unsigned int u = __float_as_uint(in[i]);
    out[i] = (u & 0x7fffffffu) > 0x7f800000u ? (unsigned short)((u >> 16) | 0x40u) : (unsigned short)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
  }
}`;

/** The family's CUDA C source. */
export function elementwiseSource(): string {
  const parts = [COMMON_HEADER];
  for (const op of UNARY_OPS) {
    for (const type of TYPES) {
      const expression = op[type];
      if (expression !== undefined) parts.push(unaryKernel(kernelName("unary", op.name, type), expression, type, op.output ? "i32" : type));
    }
  }
  for (const op of BINARY_OPS) {
    for (const type of TYPES) {
      const expression = op[type];
      if (expression !== undefined) parts.push(binaryKernel(kernelName("binary", op.name, type), expression, type, op.output ? "i32" : type));
    }
  }
  for (const op of new Set(Object.values(FUSED_ACTIVATIONS))) parts.push(biasActivationKernel(op, UNARY_OPS.find((u) => u.name === op)!.f32!));
  for (const type of TYPES) parts.push(selectKernel(type));
  for (const [from, to, expression] of CASTS) parts.push(castKernel(from, to, expression));
  parts.push(BF16_CAST);
  return parts.join("\n");
}
