/**
 * SIMD loops (WebAssembly 128-bit, four floats at a time) over arrays on the
 * cpu-blas heap (heap.ts). V8 compiles a JavaScript loop over Float32Arrays
 * to one element at a time through float64 (about 1 ns per element here);
 * these take a quarter to a tenth of that, which matters for the many
 * mid-sized tensors of a training step (a bias add, ReLU and its gradient,
 * Adam over each weight matrix).
 *
 * Pointers and lengths are in bytes. Lengths are rounded up to whole vectors:
 * heap blocks are whole pages, so a loop may read past an input's end (into
 * its block's padding, or the next data of a view's block) and writes past an
 * output's end only into that output's own padding.
 *
 * Each loop gives the same float32 result as the JavaScript loop it replaces
 * (loops.ts): float32 add, subtract, multiply, divide and square root are
 * correctly rounded either way. Adam's float32 intermediates differ from the
 * JavaScript loop's float64 ones by an ulp or so.
 */
import { encodeModule, F32, type FunctionSpec, I32, op, V128, type ValueType } from "./encoder.js";
import { MAXIMUM_WASM_PAGES, type WasmHeap } from "./heap.js";

/** Binary ops with a SIMD instruction, by tfjs kernel name. */
const BINARY: Record<string, number[]> = { Add: op.f32x4Add, Sub: op.f32x4Sub, Multiply: op.f32x4Mul, RealDiv: op.f32x4Div };

/** `v128.load` of `pointer + i` (locals). */
const load = (pointer: number, i: number): number[] => [...op.localGet(pointer), ...op.localGet(i), ...op.i32Add, ...op.v128Load()];
/** Address `pointer + i` for a following `v128.store`. */
const address = (pointer: number, i: number): number[] => [...op.localGet(pointer), ...op.localGet(i), ...op.i32Add];

/** `for (i = 0; i < bytes; i += 16) body` with locals `i` and `bytes`. */
function forVectors(i: number, bytes: number, body: number[]): number[] {
  return [
    ...op.i32Const(0), ...op.localSet(i),
    ...op.block, ...op.loop,
    ...op.localGet(i), ...op.localGet(bytes), ...op.i32GeU, ...op.brIf(1),
    ...body,
    ...op.localGet(i), ...op.i32Const(16), ...op.i32Add, ...op.localSet(i),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
}

/** `for (row = 0; row < rows; row++, base += rowBytes) body` with locals. */
function forRows(row: number, rows: number, base: number, rowBytes: number, body: number[]): number[] {
  return [
    ...op.i32Const(0), ...op.localSet(row),
    ...op.i32Const(0), ...op.localSet(base),
    ...op.block, ...op.loop,
    ...op.localGet(row), ...op.localGet(rows), ...op.i32GeU, ...op.brIf(1),
    ...body,
    ...op.localGet(row), ...op.i32Const(1), ...op.i32Add, ...op.localSet(row),
    ...op.localGet(base), ...op.localGet(rowBytes), ...op.i32Add, ...op.localSet(base),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
}

function fn(name: string, params: ValueType[], locals: ValueType[], body: number[]): FunctionSpec {
  return { name, params, locals, body };
}

function binaryFunctions(kernel: string, instruction: number[]): FunctionSpec[] {
  // same(x, y, o, bytes): o = x op y.             locals: i=4
  const same = fn(`${kernel}_same`, [I32, I32, I32, I32], [I32], forVectors(4, 3, [...address(2, 4), ...load(0, 4), ...load(1, 4), ...instruction, ...op.v128Store()]));
  // scalarB(x, s, o, bytes): o = x op s.          locals: i=4, sv=5
  const splat = [...op.localGet(1), ...op.f32x4Splat, ...op.localSet(5)];
  const scalarB = fn(`${kernel}_scalarB`, [I32, F32, I32, I32], [I32, V128], [...splat, ...forVectors(4, 3, [...address(2, 4), ...load(0, 4), ...op.localGet(5), ...instruction, ...op.v128Store()])]);
  const scalarA = fn(`${kernel}_scalarA`, [I32, F32, I32, I32], [I32, V128], [...splat, ...forVectors(4, 3, [...address(2, 4), ...op.localGet(5), ...load(0, 4), ...instruction, ...op.v128Store()])]);
  // rowB(a, b, o, rows, rowBytes): a full, b one row: o[r] = a[r] op b.   locals: row=5, base=6, c=7, fr=8, or=9
  // rowA(a, b, o, rows, rowBytes): a one row, b full: o[r] = a op b[r].
  const rowBody = (full: number, row: number, rowFirst: boolean): number[] =>
    forRows(5, 3, 6, 4, [
      ...op.localGet(full), ...op.localGet(6), ...op.i32Add, ...op.localSet(8),
      ...op.localGet(2), ...op.localGet(6), ...op.i32Add, ...op.localSet(9),
      ...forVectors(7, 4, [...address(9, 7), ...(rowFirst ? [...load(row, 7), ...load(8, 7)] : [...load(8, 7), ...load(row, 7)]), ...instruction, ...op.v128Store()]),
    ]);
  const rowLocals: ValueType[] = [I32, I32, I32, I32, I32];
  const rowB = fn(`${kernel}_rowB`, [I32, I32, I32, I32, I32], rowLocals, rowBody(0, 1, false));
  const rowA = fn(`${kernel}_rowA`, [I32, I32, I32, I32, I32], rowLocals, rowBody(1, 0, true));
  return [same, scalarB, scalarA, rowB, rowA];
}

function unaryFunctions(): FunctionSpec[] {
  const unary = (name: string, compute: number[]): FunctionSpec =>
    fn(name, [I32, I32, I32], [I32, V128], [
      ...op.f32Const(0), ...op.f32x4Splat, ...op.localSet(4),
      ...forVectors(3, 2, [...address(1, 3), ...load(0, 3), ...compute, ...op.v128Store()]),
    ]);
  return [
    // max(x, 0): NaN stays NaN, -0 becomes +0.
    unary("Relu", [...op.localGet(4), ...op.f32x4Max]),
    unary("Neg", op.f32x4Neg),
    unary("Sqrt", op.f32x4Sqrt),
    // ReluGrad(dy, x, o, bytes): dy * (x > 0), x where x is NaN.   locals: i=4, one=5, xv=6, zero=7
    fn("ReluGrad", [I32, I32, I32, I32], [I32, V128, V128, V128], [
      ...op.f32Const(1), ...op.f32x4Splat, ...op.localSet(5),
      ...forVectors(4, 3, [
        ...address(2, 4),
        ...load(1, 4), ...op.localTee(6),
        ...load(0, 4), ...op.localGet(6), ...op.localGet(7), ...op.f32x4Gt, ...op.localGet(5), ...op.v128And, ...op.f32x4Mul,
        ...op.localGet(6), ...op.localGet(6), ...op.f32x4Ne,
        ...op.v128Bitselect,
        ...op.v128Store(),
      ]),
    ]),
  ];
}

/**
 * AdamUpdate(x, g, m, v, newX, newM, newV, bytes, beta1, keep1, beta2, keep2,
 * stepSize, inverseSecondCorrection, epsilon), as loops.ts's AdamUpdate.
 */
function adamFunction(): FunctionSpec {
  // params 0-7 i32, 8-14 f32; locals: i=15, splats 16-22, g=23, m=24, v=25
  const splats = [8, 9, 10, 11, 12, 13, 14].flatMap((param, k) => [...op.localGet(param), ...op.f32x4Splat, ...op.localSet(16 + k)]);
  const [beta1, keep1, beta2, keep2, stepSize, inverse, epsilon] = [16, 17, 18, 19, 20, 21, 22];
  const body = forVectors(15, 7, [
    ...load(1, 15), ...op.localSet(23),
    // m' = beta1 * m + keep1 * g
    ...op.localGet(beta1), ...load(2, 15), ...op.f32x4Mul, ...op.localGet(keep1), ...op.localGet(23), ...op.f32x4Mul, ...op.f32x4Add, ...op.localSet(24),
    // v' = beta2 * v + keep2 * g * g
    ...op.localGet(beta2), ...load(3, 15), ...op.f32x4Mul, ...op.localGet(keep2), ...op.localGet(23), ...op.f32x4Mul, ...op.localGet(23), ...op.f32x4Mul, ...op.f32x4Add, ...op.localSet(25),
    ...address(5, 15), ...op.localGet(24), ...op.v128Store(),
    ...address(6, 15), ...op.localGet(25), ...op.v128Store(),
    // x' = x - stepSize * m' / (sqrt(v' * inverse) + epsilon)
    ...address(4, 15),
    ...load(0, 15),
    ...op.localGet(stepSize), ...op.localGet(24), ...op.f32x4Mul,
    ...op.localGet(25), ...op.localGet(inverse), ...op.f32x4Mul, ...op.f32x4Sqrt, ...op.localGet(epsilon), ...op.f32x4Add,
    ...op.f32x4Div,
    ...op.f32x4Sub,
    ...op.v128Store(),
  ]);
  return fn("AdamUpdate", [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32], [I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128], [...splats, ...body]);
}

/** The exported loops, by name; pointers and byte lengths as described above. */
export interface SimdLoops {
  [name: string]: (...args: number[]) => void;
}

/** Encodes and instantiates the loops over `heap`'s memory; throws where WebAssembly SIMD or shared memory is missing. */
export function instantiateSimdLoops(heap: WasmHeap): SimdLoops {
  const functions = [...Object.entries(BINARY).flatMap(([kernel, instruction]) => binaryFunctions(kernel, instruction)), ...unaryFunctions(), adamFunction()];
  const bytes = encodeModule(functions, heap.memory.buffer.byteLength / 65536, MAXIMUM_WASM_PAGES);
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, { env: { memory: heap.memory } });
  return instance.exports as unknown as SimdLoops;
}
