/**
 * Where cpu-blas's loops run: SIMD WebAssembly over the heap when every array
 * of the call lives there (wasm/heap.ts, wasm/simd_loops.ts), else the
 * JavaScript range loops (loops.ts), on every core for big work
 * (parallel/thread_pool.ts). Kernels call {@link runLoop} with a loop name
 * from loops.ts and its arrays, scalars and units; they never pick a path.
 *
 * `TSGPU_CPU_SIMD=0` turns the heap and the SIMD loops off (everything then
 * runs on plain arrays and the JavaScript loops).
 */
import { LOOPS } from "./loops.js";
import { runRange } from "./parallel/thread_pool.js";
import { HEAP_MIN_LENGTH, WasmHeap } from "./wasm/heap.js";
import { instantiateSimdLoops, type SimdLoops } from "./wasm/simd_loops.js";

let state: { heap: WasmHeap; loops: SimdLoops } | undefined;
let unavailableReason: string | undefined;
let started = false;

function start(): void {
  if (started) return;
  started = true;
  if (process.env.TSGPU_CPU_SIMD === "0") {
    unavailableReason = "turned off by TSGPU_CPU_SIMD=0";
    return;
  }
  try {
    const heap = new WasmHeap();
    state = { heap, loops: instantiateSimdLoops(heap) };
  } catch (error) {
    unavailableReason = `WebAssembly SIMD or shared memory is not available (${(error as Error).message})`;
  }
}

/** The heap, or undefined when SIMD is off or unavailable. */
export function simdHeap(): WasmHeap | undefined {
  start();
  return state?.heap;
}

/** Why the SIMD loops are not used, or undefined when they are. */
export function simdUnavailableReason(): string | undefined {
  start();
  return unavailableReason;
}

/** Bytes of whole vectors covering `elements` floats. */
const vectorBytes = (elements: number): number => Math.ceil(elements / 4) * 16;

type Adapter = (loops: SimdLoops, arrays: Float32Array[], scalars: number[], units: number, elementsPerUnit: number) => boolean;

const offsets = (arrays: Float32Array[]): number[] => arrays.map((array) => array.byteOffset);

/** How each loops.ts loop maps to a SIMD loop (false: no SIMD form for these arguments). */
const ADAPTERS: Record<string, Adapter> = {};
for (const op of ["Add", "Sub", "Multiply", "RealDiv"]) {
  ADAPTERS[`${op}.same`] = (loops, arrays, _s, units) => (loops[`${op}_same`]!(...offsets(arrays), vectorBytes(units)), true);
  ADAPTERS[`${op}.scalarB`] = (loops, [x, o], [s], units) => (loops[`${op}_scalarB`]!(x!.byteOffset, s!, o!.byteOffset, vectorBytes(units)), true);
  ADAPTERS[`${op}.scalarA`] = (loops, [x, o], [s], units) => (loops[`${op}_scalarA`]!(x!.byteOffset, s!, o!.byteOffset, vectorBytes(units)), true);
  for (const layout of ["rowA", "rowB"]) {
    // Rows must be whole vectors: the row loop does not round each row up.
    ADAPTERS[`${op}.${layout}`] = (loops, arrays, _s, units, width) => width % 4 === 0 && (loops[`${op}_${layout}`]!(...offsets(arrays), units, width * 4), true);
  }
}
for (const op of ["Relu", "Neg", "Sqrt", "ReluGrad"]) {
  ADAPTERS[op] = (loops, arrays, _s, units) => (loops[op]!(...offsets(arrays), vectorBytes(units)), true);
}
ADAPTERS.AdamUpdate = (loops, arrays, scalars, units) => (loops.AdamUpdate!(...offsets(arrays), vectorBytes(units), ...scalars), true);

/** Per argument position, a one-page heap block that small arrays off the heap are copied through. */
const stagingBlocks: Float32Array[] = [];

/**
 * `arrays` with each one that is off the heap but shorter than a page (a
 * bias, a [batch, 1] column) replaced by a copy on a staging block, or
 * undefined when a longer one is off the heap.
 */
function onHeap(heap: WasmHeap, arrays: Float32Array[]): Float32Array[] | undefined {
  let staged: Float32Array[] | undefined;
  for (let i = 0; i < arrays.length; i++) {
    const array = arrays[i]!;
    if (heap.owns(array)) continue;
    if (array.length > HEAP_MIN_LENGTH) return undefined;
    const block = (stagingBlocks[i] ??= heap.alloc(HEAP_MIN_LENGTH)!);
    if (!block) return undefined;
    const copy = block.subarray(0, array.length);
    copy.set(array);
    (staged ??= arrays.slice())[i] = copy;
  }
  return staged ?? arrays;
}

/**
 * Runs loops.ts's loop `name` over [0, units) of `arrays` (inputs, then
 * outputs, each output a whole array from the pool): as SIMD when it has a
 * SIMD form and its arrays are on the heap (short ones are copied there and
 * back), else as runRange does. An output may also be passed as an input (an
 * elementwise pass in place): staged copies go back in argument order, so the
 * output's comes last.
 */
export function runLoop(name: string, arrays: Float32Array[], scalars: number[], units: number, elementsPerUnit = 1): void {
  const adapter = ADAPTERS[name];
  if (adapter && units > 0) {
    start();
    const heapArrays = state && onHeap(state.heap, arrays);
    if (heapArrays && adapter(state!.loops, heapArrays, scalars, units, elementsPerUnit)) {
      // Staged copies of outputs go back (staged inputs are unchanged: copying them back is harmless).
      heapArrays.forEach((array, i) => {
        if (array !== arrays[i]) arrays[i]!.set(array);
      });
      return;
    }
  }
  const loop = LOOPS[name];
  if (!loop) throw new Error(`cpu-blas: no loop named ${name}`);
  runRange(loop, arrays, scalars, units, elementsPerUnit);
}
