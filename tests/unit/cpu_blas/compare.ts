/**
 * Helpers for the cpu-blas tests: a seeded random source, running the same
 * function on tfjs's `cpu` and on `cpu-blas`, and an elementwise closeness check.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { registerCpuBlasBackend } from "../../../kernel/backends/cpu_blas/index.js";
import { installTfjsHooks } from "../../../kernel/fused/hooks/index.js";

/** Registration outcome; tests skip with this detail when no BLAS library is found. */
export const registration = registerCpuBlasBackend();
// The tensor registry installs the fused kernels' tfjs hooks; registering the backend directly, as here, needs them by hand.
installTfjsHooks();
export const skipReason = registration.available ? false : `cpu-blas unavailable: ${registration.detail}`;

/** Deterministic uniform(-1, 1) values (mulberry32). */
export function randomValues(length: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return values;
}

export interface Result {
  shape: number[];
  values: Float32Array;
}

/** Runs `fn` on a backend; inputs are made inside from plain arrays so they live there. */
export async function runOn(backend: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const out = fn();
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape.slice(), values: t.dataSync() as Float32Array }));
  });
}

/**
 * Asserts |a - e| <= atol + rtol * |e| elementwise, same shapes, and NaN/Inf in
 * the same places. Default atol 1e-4 / rtol 1e-3: BLAS sums in a different
 * order (blocked, FMA) than tfjs's JS loops, and sums of a few hundred float32
 * products differ by a few ulps of the partial sums, above the 1e-6 default.
 */
export function assertClose(actual: Result[], expected: Result[], atol = 1e-4, rtol = 1e-3, label = ""): void {
  assert.equal(actual.length, expected.length, `${label}: number of outputs`);
  actual.forEach((a, index) => {
    const e = expected[index]!;
    assert.deepEqual(a.shape, e.shape, `${label}: shape of output ${index}`);
    assert.equal(a.values.length, e.values.length);
    for (let i = 0; i < a.values.length; i++) {
      const x = a.values[i]!;
      const y = e.values[i]!;
      if (Number.isNaN(y) || !Number.isFinite(y)) {
        assert.ok(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)), `${label}: output ${index}[${i}] is ${x}, expected ${y}`);
        continue;
      }
      assert.ok(Math.abs(x - y) <= atol + rtol * Math.abs(y), `${label}: output ${index}[${i}] is ${x}, expected ${y} (shape ${a.shape})`);
    }
  });
}

/** Runs fn on cpu and cpu-blas and compares. */
export async function assertSameOnBothBackends(fn: () => tf.Tensor | tf.Tensor[], label: string, atol?: number, rtol?: number): Promise<void> {
  const expected = await runOn("cpu", fn);
  const actual = await runOn("cpu-blas", fn);
  assertClose(actual, expected, atol, rtol, label);
}

/** A tensor of seeded random values. */
export function random(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}
