/**
 * Helpers for the GPU tier: seeded random inputs, and running the same
 * computation on two tfjs backends to compare results (shapes and dtypes
 * first, then |a - e| <= atol + rtol * |e|, NaN and +-Inf exactly).
 */
import * as tf from "@tensorflow/tfjs";

/** A host-side input: values, shape and dtype, made into a tensor on whichever backend is active. */
export interface InputSpec {
  values: number[];
  shape: number[];
  dtype: "float32" | "int32" | "bool";
}

/** Deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let nextSeed = 1;

/** Uniform float32 values in [low, high), optionally with NaN/Inf/-0 mixed in. */
export function floats(shape: number[], low = -3, high = 3, specials = false): InputSpec {
  const next = random(nextSeed++);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => low + (high - low) * next());
  if (specials) [NaN, Infinity, -Infinity, -0, 0].forEach((v, i) => i < n && (values[Math.floor(next() * n)] = v));
  return { values, shape, dtype: "float32" };
}

/** Uniform int32 values in [low, high). */
export function ints(shape: number[], low = -10, high = 10): InputSpec {
  const next = random(nextSeed++);
  const n = shape.reduce((a, b) => a * b, 1);
  return { values: Array.from({ length: n }, () => Math.floor(low + (high - low) * next())), shape, dtype: "int32" };
}

/** Random booleans. */
export function bools(shape: number[]): InputSpec {
  const next = random(nextSeed++);
  const n = shape.reduce((a, b) => a * b, 1);
  return { values: Array.from({ length: n }, () => (next() < 0.5 ? 1 : 0)), shape, dtype: "bool" };
}

export function make(spec: InputSpec): tf.Tensor {
  return tf.tensor(spec.values, spec.shape, spec.dtype);
}

/** One output as read back. */
export interface Result {
  shape: number[];
  dtype: string;
  values: number[];
}

/** Runs `run` on `backend` with fresh input tensors; returns the outputs and the kernels called. */
export async function runOn(
  backend: string,
  inputs: InputSpec[],
  run: (...tensors: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<{ results: Result[]; kernels: string[] }> {
  await tf.setBackend(backend);
  const tensors = inputs.map(make);
  let outputs: tf.Tensor[] = [];
  const profile = await tf.profile(() => {
    const result = run(...tensors);
    outputs = Array.isArray(result) ? result : [result];
    return outputs;
  });
  const results: Result[] = [];
  for (const t of outputs) results.push({ shape: t.shape, dtype: t.dtype, values: Array.from(await t.data()) as number[] });
  tf.dispose([...tensors, ...outputs]);
  return { results, kernels: profile.kernelNames };
}

/** A mismatch description, or undefined when `actual` matches `expected`. */
export function compare(actual: Result[], expected: Result[], atol: number, rtol: number): string | undefined {
  if (actual.length !== expected.length) return `got ${actual.length} outputs, expected ${expected.length}`;
  for (let k = 0; k < actual.length; k++) {
    const a = actual[k]!;
    const e = expected[k]!;
    if (a.shape.join() !== e.shape.join()) return `output ${k}: shape [${a.shape}] != [${e.shape}]`;
    if (a.dtype !== e.dtype) return `output ${k}: dtype ${a.dtype} != ${e.dtype}`;
    for (let i = 0; i < e.values.length; i++) {
      const x = a.values[i]!;
      const y = e.values[i]!;
      const ok = Number.isNaN(y) ? Number.isNaN(x) : !Number.isFinite(y) ? x === y : Math.abs(x - y) <= atol + rtol * Math.abs(y);
      if (!ok) return `output ${k} [${a.shape}] element ${i}: got ${x}, expected ${y} (atol ${atol}, rtol ${rtol})`;
    }
  }
  return undefined;
}
