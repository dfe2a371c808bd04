/**
 * Reference-free math of the GPT fused kernels (contracts in kernel/fused/gpt/),
 * on float32 row-major arrays, no backend object. Row reductions accumulate in
 * float64 (JS numbers); results are stored as float32. The big row and elementwise loops
 * (cross-entropy over the vocabulary, GELU, AdamW) run on the thread pool (parallel/).
 */
import { dropoutHash } from "../../../fused/gpt/dropout.js";
import type { Sgemm } from "../ffi/blas_library.js";
import { defineRangeLoops, runRange } from "./parallel/thread_pool.js";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/** LayerNorm forward over rows of `channels`. */
export function layerNormForward(x: Float32Array, w: Float32Array, b: Float32Array, epsilon: number, channels: number, y: Float32Array, mean: Float32Array, rstd: Float32Array): void {
  const rows = mean.length;
  for (let r = 0, o = 0; r < rows; r++, o += channels) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += x[o + c]!;
    const mu = s / channels;
    let v = 0;
    for (let c = 0; c < channels; c++) {
      const d = x[o + c]! - mu;
      v += d * d;
    }
    const rs = 1 / Math.sqrt(v / channels + epsilon);
    mean[r] = mu;
    rstd[r] = rs;
    for (let c = 0; c < channels; c++) y[o + c] = (x[o + c]! - mu) * rs * w[c]! + b[c]!;
  }
}

/** LayerNorm backward; dw and db are accumulated into (pass zeros). */
export function layerNormBackward(dy: Float32Array, x: Float32Array, w: Float32Array, mean: Float32Array, rstd: Float32Array, channels: number, dx: Float32Array, dw: Float32Array, db: Float32Array): void {
  const rows = mean.length;
  const dw64 = new Float64Array(channels);
  const db64 = new Float64Array(channels);
  for (let r = 0, o = 0; r < rows; r++, o += channels) {
    const mu = mean[r]!;
    const rs = rstd[r]!;
    let sumG = 0;
    let sumGX = 0;
    for (let c = 0; c < channels; c++) {
      const xhat = (x[o + c]! - mu) * rs;
      const d = dy[o + c]!;
      const g = d * w[c]!;
      sumG += g;
      sumGX += g * xhat;
      dw64[c] += d * xhat;
      db64[c] += d;
    }
    const meanG = sumG / channels;
    const meanGX = sumGX / channels;
    for (let c = 0; c < channels; c++) {
      const xhat = (x[o + c]! - mu) * rs;
      dx[o + c] = rs * (dy[o + c]! * w[c]! - meanG - xhat * meanGX);
    }
  }
  for (let c = 0; c < channels; c++) {
    dw[c] = dw64[c]!;
    db[c] = db64[c]!;
  }
}

export function biasGeluForward(x: Float32Array, bias: Float32Array, channels: number, y: Float32Array): void {
  runRange(loops.biasGeluRows, [x, bias, y], [channels], x.length / channels, channels);
}

function biasGeluRows([x, bias, y]: Float32Array[], [channels]: number[], start: number, end: number): void {
  for (let i = start * channels; i < end * channels; i += channels) {
    for (let c = 0; c < channels; c++) {
      const u = x[i + c]! + bias[c]!;
      y[i + c] = 0.5 * u * (1 + Math.tanh(SQRT_2_OVER_PI * (u + GELU_CUBIC * u * u * u)));
    }
  }
}

export function biasGeluBackward(dy: Float32Array, x: Float32Array, bias: Float32Array, channels: number, dx: Float32Array, dbias: Float32Array): void {
  runRange(loops.biasGeluGradRows, [dy, x, bias, dx], [channels], x.length / channels, channels);
  const db = new Float64Array(channels);
  for (let i = 0; i < x.length; i += channels) for (let c = 0; c < channels; c++) db[c] += dx[i + c]!;
  for (let c = 0; c < channels; c++) dbias[c] = db[c]!;
}

/** dx of bias + GELU over rows [start, end) (dbias is summed from dx afterwards). */
function biasGeluGradRows([dy, x, bias, dx]: Float32Array[], [channels]: number[], start: number, end: number): void {
  for (let i = start * channels; i < end * channels; i += channels) {
    for (let c = 0; c < channels; c++) {
      const u = x[i + c]! + bias[c]!;
      const u2 = u * u;
      const t = Math.tanh(SQRT_2_OVER_PI * (u + GELU_CUBIC * u2 * u));
      dx[i + c] = dy[i + c]! * (0.5 * (1 + t) + 0.5 * u * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * u2));
    }
  }
}

/** Dropout on the attention probabilities: TsgpuDropout's mask (kernel/fused/gpt/dropout.ts), keyed by the seed. */
export interface AttentionDropout {
  key: number;
  threshold: number;
  /** 1 / (1 - rate). */
  scale: number;
}

/** to[i] = from[i] * mask(offset + i) for i < n: the dropout multipliers of probs' flat indices from `offset`. */
function applyAttentionDropout(dropout: AttentionDropout, from: Float32Array, to: Float32Array, offset: number, n: number): void {
  for (let i = 0; i < n; i++) to[i] = dropoutHash(offset + i, dropout.key) >= dropout.threshold ? from[i]! * dropout.scale : 0;
}

/**
 * Causal attention forward; `out` [B, T, C], `probs` [B, H, T, T] (masked entries 0, before dropout).
 * With `dropout`, `scratch` (T*T floats) holds each head's dropped probabilities for the product with v.
 */
export function attentionForward(sgemm: Sgemm, qkv: Float32Array, batch: number, time: number, channels: number, heads: number, out: Float32Array, probs: Float32Array, dropout?: AttentionDropout, scratch?: Float32Array): void {
  const d = channels / heads;
  const row = 3 * channels;
  const scale = 1 / Math.sqrt(d);
  const tt = time * time;
  for (let b = 0; b < batch; b++) {
    const base = b * time * row;
    for (let h = 0; h < heads; h++) {
      const p = probs.subarray((b * heads + h) * tt, (b * heads + h + 1) * tt);
      const q = qkv.subarray(base + h * d);
      const k = qkv.subarray(base + channels + h * d);
      const v = qkv.subarray(base + 2 * channels + h * d);
      sgemm(false, true, time, time, d, scale, q, row, k, row, 0, p, time);
      for (let t = 0; t < time; t++) {
        const o = t * time;
        let max = -Infinity;
        for (let s = 0; s <= t; s++) if (p[o + s]! > max) max = p[o + s]!;
        let sum = 0;
        for (let s = 0; s <= t; s++) {
          const e = Math.exp(p[o + s]! - max);
          p[o + s] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let s = 0; s <= t; s++) p[o + s] = p[o + s]! * inv;
        p.fill(0, o + t + 1, o + time);
      }
      let weights = p;
      if (dropout) {
        applyAttentionDropout(dropout, p, scratch!, (b * heads + h) * tt, tt);
        weights = scratch!;
      }
      sgemm(false, false, time, d, time, 1, weights, time, v, row, 0, out.subarray(b * time * channels + h * d), channels);
    }
  }
}

/**
 * Causal attention backward; `dqkv` [B, T, 3C] is fully written. `scratch` holds T*T floats, twice that with
 * `dropout` (the dropped probabilities are remade from the seed).
 */
export function attentionBackward(sgemm: Sgemm, dy: Float32Array, qkv: Float32Array, probs: Float32Array, batch: number, time: number, channels: number, heads: number, dqkv: Float32Array, scratch: Float32Array, dropout?: AttentionDropout): void {
  const d = channels / heads;
  const row = 3 * channels;
  const scale = 1 / Math.sqrt(d);
  const tt = time * time;
  const ds = scratch.subarray(0, tt);
  const dropped = dropout ? scratch.subarray(tt, 2 * tt) : undefined;
  for (let b = 0; b < batch; b++) {
    const base = b * time * row;
    for (let h = 0; h < heads; h++) {
      const offset = (b * heads + h) * tt;
      const p = probs.subarray(offset, offset + tt);
      const q = qkv.subarray(base + h * d);
      const k = qkv.subarray(base + channels + h * d);
      const v = qkv.subarray(base + 2 * channels + h * d);
      const dout = dy.subarray(b * time * channels + h * d);
      // dprobs = dout v^T into ds (through the dropout mask), then dscores in place.
      sgemm(false, true, time, time, d, 1, dout, channels, v, row, 0, ds, time);
      if (dropout) applyAttentionDropout(dropout, ds, ds, offset, tt);
      for (let t = 0; t < time; t++) {
        const o = t * time;
        let dot = 0;
        for (let s = 0; s <= t; s++) dot += ds[o + s]! * p[o + s]!;
        for (let s = 0; s <= t; s++) ds[o + s] = p[o + s]! * (ds[o + s]! - dot) * scale;
        ds.fill(0, o + t + 1, o + time);
      }
      let weights = p;
      if (dropout) {
        applyAttentionDropout(dropout, p, dropped!, offset, tt);
        weights = dropped!;
      }
      sgemm(true, false, time, d, time, 1, weights, time, dout, channels, 0, dqkv.subarray(base + 2 * channels + h * d), row);
      sgemm(false, false, time, d, time, 1, ds, time, k, row, 0, dqkv.subarray(base + h * d), row);
      sgemm(true, false, time, d, time, 1, ds, time, q, row, 0, dqkv.subarray(base + channels + h * d), row);
    }
  }
}

/** dtable (zeroed by the caller) += dy rows by id; returns the index of a bad id, or -1. */
export function embeddingScatterAdd(dy: Float32Array, ids: Int32Array, channels: number, vocab: number, dtable: Float32Array): number {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= vocab) return i;
    const to = id * channels;
    const from = i * channels;
    for (let c = 0; c < channels; c++) dtable[to + c] += dy[from + c]!;
  }
  return -1;
}

/** Cross-entropy over rows of `vocab` columns, loss and dlogits in one pass per row (targets already checked); returns the mean loss. */
export function vocabCrossEntropyLoss(logits: Float32Array, targets: Int32Array, vocab: number, dlogits: Float32Array): number {
  const rows = targets.length;
  const rowLoss = new Float32Array(rows);
  runRange(loops.crossEntropyRows, [logits, Float32Array.from(targets), dlogits, rowLoss], [vocab, rows], rows, vocab);
  let total = 0;
  for (let r = 0; r < rows; r++) total += rowLoss[r]!;
  return total / rows;
}

function crossEntropyRows([logits, targets, dlogits, rowLoss]: Float32Array[], [vocab, rows]: number[], rowStart: number, rowEnd: number): void {
  const invRows = 1 / rows!;
  for (let r = rowStart; r < rowEnd; r++) {
    const o = r * vocab!;
    const target = targets![r]!;
    let max = -Infinity;
    for (let c = 0; c < vocab; c++) if (logits[o + c]! > max) max = logits[o + c]!;
    let sum = 0;
    for (let c = 0; c < vocab; c++) {
      const e = Math.exp(logits[o + c]! - max);
      dlogits[o + c] = e;
      sum += e;
    }
    rowLoss![r] = max + Math.log(sum) - logits[o + target]!;
    const scale = invRows / sum;
    for (let c = 0; c < vocab; c++) dlogits[o + c] = dlogits[o + c]! * scale;
    dlogits[o + target] = dlogits[o + target]! - invRows;
  }
}

/** AdamW over whole arrays into new arrays (see kernel/fused/gpt/adamw.ts). */
export function adamwUpdate(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, out: { param: Float32Array; m: Float32Array; v: Float32Array }, a: { learningRate: number; beta1: number; beta2: number; epsilon: number; weightDecay: number; step: number; gradScale: number }): void {
  const scalars = [1 / (1 - a.beta1 ** a.step), 1 / (1 - a.beta2 ** a.step), a.learningRate, a.learningRate * a.weightDecay, a.beta1, a.beta2, a.epsilon, a.gradScale];
  runRange(loops.adamwRange, [param, grad, m, v, out.param, out.m, out.v], scalars, param.length);
}

function adamwRange([param, grad, m, v, outParam, outM, outV]: Float32Array[], scalars: number[], start: number, end: number): void {
  const [c1, c2, lr, decay, b1, b2, epsilon, gradScale] = scalars as [number, number, number, number, number, number, number, number];
  const out = { param: outParam!, m: outM!, v: outV! };
  for (let i = start; i < end; i++) {
    const g = grad![i]! * gradScale;
    const m1 = b1 * m![i]! + (1 - b1) * g;
    const v1 = b2 * v![i]! + (1 - b2) * g * g;
    out.m[i] = m1;
    out.v[i] = v1;
    const p = param![i]!;
    out.param[i] = p - (lr * (m1 * c1)) / (Math.sqrt(v1 * c2) + epsilon) - decay * p;
  }
}

const loops = defineRangeLoops(__filename, { biasGeluRows, biasGeluGradRows, crossEntropyRows, adamwRange });
