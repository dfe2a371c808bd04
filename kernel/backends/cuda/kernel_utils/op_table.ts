/**
 * The table the element-wise and reduction kernels are generated from: each
 * operation is one C expression per dtype, nothing more. Adding an op is one
 * row here plus a `kernels/<KernelName>.ts` that names it (see
 * docs/cuda-backend.md).
 *
 * Device dtypes: tfjs `float32` -> C `float` ("f32"); `int32` and `bool`
 * (stored as 0/1 in 32 bits) -> C `int` ("i32"). NaN rules follow the tfjs
 * cpu backend (e.g. Relu and Maximum propagate NaN).
 */

/** Element type of a device buffer. */
export type DeviceType = "f32" | "i32";

export const C_TYPE: Record<DeviceType, string> = { f32: "float", i32: "int" };

/** A unary op: `x` is the input, `p0`/`p1` float parameters (alpha, clip bounds). */
export interface UnaryOp {
  name: string;
  f32?: string;
  i32?: string;
  /** tfjs output dtype when it differs from the input's (stored as i32 on the device). */
  output?: "bool" | "int32";
}

/** A binary op on `a` and `b` of the same type. */
export interface BinaryOp {
  name: string;
  f32?: string;
  i32?: string;
  /** tfjs output dtype when it differs from the inputs' (stored as i32 on the device). */
  output?: "bool" | "int32";
}

/** A reduction: `init` is the identity, `combine` folds `b` into `a`, `finish` maps the result (`r`, `count`). */
export interface ReduceOp {
  name: string;
  types: DeviceType[];
  init: Partial<Record<DeviceType, string>>;
  combine: string;
  finish?: string;
}

const NAN = "__int_as_float(0x7fffffff)";

export const UNARY_OPS: readonly UnaryOp[] = [
  { name: "identity", f32: "x", i32: "x" },
  { name: "neg", f32: "-x", i32: "-x" },
  { name: "abs", f32: "fabsf(x)", i32: "(x < 0 ? -x : x)" },
  { name: "exp", f32: "expf(x)" },
  { name: "expm1", f32: "expm1f(x)" },
  { name: "log", f32: "logf(x)" },
  { name: "log1p", f32: "log1pf(x)" },
  { name: "sqrt", f32: "sqrtf(x)" },
  { name: "rsqrt", f32: "rsqrtf(x)" },
  { name: "square", f32: "x * x", i32: "x * x" },
  { name: "reciprocal", f32: "1.0f / x" },
  { name: "relu", f32: "(x < 0.0f ? 0.0f : x)", i32: "(x < 0 ? 0 : x)" },
  { name: "relu6", f32: "(x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x))", i32: "(x < 0 ? 0 : (x > 6 ? 6 : x))" },
  { name: "elu", f32: "(x >= 0.0f ? x : expm1f(x))" },
  { name: "leaky_relu", f32: "(x < 0.0f ? p0 * x : x)" },
  { name: "step", f32: `(x != x ? ${NAN} : (x > 0.0f ? 1.0f : p0))`, i32: "(x > 0 ? 1 : (int)p0)" },
  { name: "sigmoid", f32: "1.0f / (1.0f + expf(-x))" },
  { name: "tanh", f32: "tanhf(x)" },
  { name: "softplus", f32: "(x > 20.0f ? x : log1pf(expf(x)))" },
  { name: "sin", f32: "sinf(x)" },
  { name: "cos", f32: "cosf(x)" },
  { name: "tan", f32: "tanf(x)" },
  { name: "asin", f32: "asinf(x)" },
  { name: "acos", f32: "acosf(x)" },
  { name: "atan", f32: "atanf(x)" },
  { name: "sinh", f32: "sinhf(x)" },
  { name: "cosh", f32: "coshf(x)" },
  { name: "asinh", f32: "asinhf(x)" },
  { name: "acosh", f32: "acoshf(x)" },
  { name: "atanh", f32: "atanhf(x)" },
  // tfjs's SELU constants (backend_util.SELU_SCALEALPHA, SELU_SCALE).
  { name: "selu", f32: "(x >= 0.0f ? 1.0507009873554805f * x : 1.7580993408473768f * expm1f(x))" },
  { name: "erf", f32: "erff(x)" },
  { name: "floor", f32: "floorf(x)", i32: "x" },
  { name: "ceil", f32: "ceilf(x)", i32: "x" },
  { name: "round", f32: "rintf(x)", i32: "x" },
  { name: "sign", f32: "(float)((x > 0.0f) - (x < 0.0f))", i32: "((x > 0) - (x < 0))" },
  { name: "clip", f32: "(x > p1 ? p1 : (x < p0 ? p0 : x))", i32: "(x > (int)p1 ? (int)p1 : (x < (int)p0 ? (int)p0 : x))" },
  { name: "logical_not", i32: "(x == 0)" },
  { name: "is_nan", f32: "(x != x)", output: "bool" },
  { name: "is_inf", f32: "(isinf(x) ? 1 : 0)", output: "bool" },
  { name: "is_finite", f32: "(isfinite(x) ? 1 : 0)", output: "bool" },
];

export const BINARY_OPS: readonly BinaryOp[] = [
  { name: "add", f32: "a + b", i32: "a + b" },
  { name: "sub", f32: "a - b", i32: "a - b" },
  { name: "mul", f32: "a * b", i32: "a * b" },
  { name: "div", f32: "a / b" },
  {
    // tfjs's FloorDiv returns int32 for any input; float results convert as JavaScript's ToInt32.
    name: "floor_div",
    f32: "(isfinite(floorf(a / b)) ? (int)(unsigned int)(long long)floorf(a / b) : 0)",
    i32: "(b == 0 ? 0 : (a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0)))",
    output: "int32",
  },
  { name: "mod", f32: "fmodf(fmodf(a, b) + b, b)", i32: "(b == 0 ? 0 : ((a % b) + b) % b)" },
  { name: "maximum", f32: "((a > b || a != a) ? a : b)", i32: "(a > b ? a : b)" },
  { name: "minimum", f32: "((a < b || a != a) ? a : b)", i32: "(a < b ? a : b)" },
  { name: "pow", f32: "powf(a, b)", i32: "(int)rintf(powf((float)a, (float)b))" },
  { name: "squared_difference", f32: "(a - b) * (a - b)", i32: "(a - b) * (a - b)" },
  { name: "atan2", f32: "atan2f(a, b)" },
  { name: "prelu", f32: "(a < 0.0f ? b * a : a)" },
  // EluGrad: a = dy, b = y (Elu's output), as tfjs's cpu backend.
  { name: "elu_grad", f32: "(b >= 0.0f ? a : a * (b + 1.0f))" },
  { name: "bitwise_and", i32: "a & b" },
  { name: "equal", f32: "(a == b)", i32: "(a == b)", output: "bool" },
  { name: "not_equal", f32: "(a != b)", i32: "(a != b)", output: "bool" },
  { name: "less", f32: "(a < b)", i32: "(a < b)", output: "bool" },
  { name: "less_equal", f32: "(a <= b)", i32: "(a <= b)", output: "bool" },
  { name: "greater", f32: "(a > b)", i32: "(a > b)", output: "bool" },
  { name: "greater_equal", f32: "(a >= b)", i32: "(a >= b)", output: "bool" },
  { name: "logical_and", i32: "(a != 0 && b != 0)" },
  { name: "logical_or", i32: "(a != 0 || b != 0)" },
];

const INF = "__int_as_float(0x7f800000)";

export const REDUCE_OPS: readonly ReduceOp[] = [
  { name: "sum", types: ["f32", "i32"], init: { f32: "0.0f", i32: "0" }, combine: "a + b" },
  { name: "mean", types: ["f32"], init: { f32: "0.0f" }, combine: "a + b", finish: "r / (float)count" },
  { name: "prod", types: ["f32", "i32"], init: { f32: "1.0f", i32: "1" }, combine: "a * b" },
  { name: "max", types: ["f32", "i32"], init: { f32: `-${INF}`, i32: "(-2147483647 - 1)" }, combine: "((b > a || b != b) ? b : a)" },
  { name: "min", types: ["f32", "i32"], init: { f32: INF, i32: "2147483647" }, combine: "((b < a || b != b) ? b : a)" },
  { name: "any", types: ["i32"], init: { i32: "0" }, combine: "((a != 0 || b != 0) ? 1 : 0)" },
  { name: "all", types: ["i32"], init: { i32: "1" }, combine: "((a != 0 && b != 0) ? 1 : 0)" },
];

/** Name of a generated kernel, e.g. `unary_exp_f32`. */
export function kernelName(family: string, op: string, type: DeviceType): string {
  // Memoised: launches ask for it every time, and a Map keyed by the (interned) op name beats building and hashing a new string.
  const byType = (KERNEL_NAMES[family] ??= {});
  const byOp = (byType[type] ??= new Map<string, string>());
  let name = byOp.get(op);
  if (name === undefined) byOp.set(op, (name = `${family}_${op}_${type}`));
  return name;
}
const KERNEL_NAMES: Record<string, Partial<Record<DeviceType, Map<string, string>>>> = {};
