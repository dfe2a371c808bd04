/**
 * The known computation a WebGPU backend must get right before tsgpu offers
 * it: a matmul with sizes that are not multiples of any workgroup tile, a
 * reduction over 4099 elements (more than one 256-thread workgroup), an
 * elementwise chain and a conv2d, compared with float64 results computed here.
 * It catches devices whose limits make tfjs's shaders fail validation, which
 * otherwise return zeros or garbage without an error.
 */
import type { Tfjs } from "../backend_entry.js";

/** Deterministic values in [-1, 1] without randomness. */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sin(seed + i * 0.7311) * Math.cos(i * 0.137);
  return out;
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): string | undefined {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) return `element ${i} is ${a}, expected ${e}`;
  }
  return undefined;
}

/**
 * Runs the check on the active backend. Returns undefined when it passes, or
 * what went wrong. Disposes everything it creates.
 */
export async function checkKnownComputation(tf: Tfjs): Promise<string | undefined> {
  const m = 37, k = 129, n = 19;
  const a = values(m * k, 1);
  const b = values(k * n, 2);
  const expectedProduct = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
    expectedProduct[i * n + j] = s;
  }
  const long = values(4099, 3);
  const expectedSum = long.reduce((s, v) => s + v, 0);
  const expectedChain = Array.from(long.subarray(0, 300), (v) => Math.exp(Math.max(0, v)) * 2 - 1);
  // conv2d: 1 image 9x11, 2 channels in, 3 out, 3x3 kernel, valid padding
  const [h, w, ci, co] = [9, 11, 2, 3];
  const image = values(h * w * ci, 4);
  const kernel = values(3 * 3 * ci * co, 5);
  const expectedConv: number[] = [];
  for (let y = 0; y < h - 2; y++) for (let x = 0; x < w - 2; x++) for (let o = 0; o < co; o++) {
    let s = 0;
    for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) for (let c = 0; c < ci; c++) {
      s += image[((y + dy) * w + (x + dx)) * ci + c]! * kernel[((dy * 3 + dx) * ci + c) * co + o]!;
    }
    expectedConv.push(s);
  }

  const outputs = tf.tidy(() => {
    const longT = tf.tensor1d(long);
    return [
      tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])),
      tf.sum(longT),
      tf.sub(tf.mul(tf.exp(tf.relu(longT.slice(0, 300))), 2), 1),
      tf.conv2d(tf.tensor4d(image, [1, h, w, ci]), tf.tensor4d(kernel, [3, 3, ci, co]), 1, "valid"),
    ];
  });
  try {
    const [product, sum, chain, conv] = await Promise.all(outputs.map((t) => t.data()));
    // fp32 accumulation over 129 / 4099 terms of magnitude <= 1: errors stay well below 1e-3.
    const problems = [
      ["matMul 37x129x19", close(product!, expectedProduct, 1e-4, 1e-3)],
      ["sum of 4099", close(sum!, [expectedSum], 1e-3, 1e-4)],
      ["exp(relu(x))*2-1", close(chain!, expectedChain, 1e-5, 1e-5)],
      ["conv2d 9x11x2 -> 3", close(conv!, expectedConv, 1e-4, 1e-3)],
    ].filter(([, problem]) => problem !== undefined);
    return problems.length ? problems.map(([what, problem]) => `${what}: ${problem}`).join("; ") : undefined;
  } finally {
    for (const t of outputs) t.dispose();
  }
}
