/**
 * Dropout with a counter-based mask: element i of a tensor is kept when a hash of (seed, i) is at or above
 * rate * 2^32, so a backend makes the mask where the data is (no random numbers uploaded) and the gradient
 * remakes the same mask from the seed instead of keeping it (reference: kernel/gpt/ops.ts `dropout`, which
 * builds the same mask on the host).
 *
 * TsgpuDropout: inputs { x } float32, attrs { rate in [0, 1), seed: integer in [0, 2^32) }
 *   -> y of x's shape: y[i] = keep(seed, i) ? x[i] / (1 - rate) : 0   (i the flat index, below 2^32)
 *   keep(seed, i) = hash(i, key(seed)) >= threshold(rate), with
 *   mix(h) = h ^= h >> 16; h *= 0x7feb352d; h ^= h >> 15; h *= 0x846ca68b; h ^= h >> 16   (32-bit, wrapping)
 *   key(seed) = mix(seed), hash(i, key) = mix(mix(i ^ key) + key), threshold(rate) = min(round(rate * 2^32), 2^32 - 1).
 * Its gradient is the same kernel on dy with the same attributes.
 */
import { GptKernelInputError, requireFloat32, type ShapedInput } from "./errors.js";

export const DROPOUT_KERNEL = "TsgpuDropout";

export interface DropoutAttrs {
  rate: number;
  seed: number;
}

/** The 32-bit mixing step of the mask's hash. */
export function dropoutMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The per-seed key the kernels receive. */
export function dropoutKey(seed: number): number {
  return dropoutMix(seed >>> 0);
}

/** Hashes at or above this are kept. */
export function dropoutThreshold(rate: number): number {
  return Math.min(Math.round(rate * 2 ** 32), 2 ** 32 - 1);
}

/** hash(i, key) of the mask: element `index` (below 2^32) is kept when this is at or above the threshold. */
export function dropoutHash(index: number, key: number): number {
  return dropoutMix((dropoutMix((index ^ key) >>> 0) + key) >>> 0);
}

/** The mask as multipliers (1 / (1 - rate) kept, 0 dropped) for `size` elements: the reference. */
export function dropoutMask(rate: number, seed: number, size: number): Float32Array {
  const key = dropoutKey(seed);
  const threshold = dropoutThreshold(rate);
  const scale = 1 / (1 - rate);
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = dropoutHash(i, key) >= threshold ? scale : 0;
  return mask;
}

/** Throws unless `rate` is in [0, 1) and `seed` an integer in [0, 2^32); `kernel` names the caller. */
export function validateDropoutAttrs(kernel: string, rate: number, seed: number): void {
  if (!(rate >= 0 && rate < 1)) throw new GptKernelInputError(`${kernel}: rate must be in [0, 1), got ${rate}`);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new GptKernelInputError(`${kernel}: seed must be an integer in [0, 2^32), got ${seed}`);
}

export function validateDropout(x: ShapedInput, rate: number, seed: number): void {
  requireFloat32(x, `${DROPOUT_KERNEL}: x`);
  validateDropoutAttrs(DROPOUT_KERNEL, rate, seed);
  let size = 1;
  for (const d of x.shape) size *= d;
  if (size > 2 ** 32) throw new GptKernelInputError(`${DROPOUT_KERNEL}: x [${x.shape}] has more than 2^32 elements: the mask's counter is 32-bit`);
}
