/**
 * Row loops over [rows, classes] arrays: softmax, its gradient, and the
 * categorical cross-entropy of tf.layers (kernel/fused/) with its
 * gradient. The Softmax, TsgpuSoftmaxGrad and TsgpuCategoricalCrossentropy(Grad)
 * kernels run them on one tensor each; the fused dense-stack training step
 * runs them back to back on its own scratch arrays. Rounding follows tfjs's
 * kernels (float32 stores, float64 running sums), so both give the same bits.
 *
 * In place: softmaxRows may write over `values`, softmaxGradRows over `dy`;
 * the cross-entropy gradient needs its own output array.
 */

/** out = softmax(values) along each row of `columns`: max, exp(x - max) and sum, then a scale. */
export function softmaxRows(values: Float32Array, out: Float32Array, columns: number): void {
  if (columns === 0) return;
  for (let start = 0; start < values.length; start += columns) {
    const end = start + columns;
    let max = -Infinity;
    for (let i = start; i < end; i++) max = Math.max(max, values[i]!);
    let sum = 0;
    for (let i = start; i < end; i++) {
      out[i] = Math.exp(values[i]! - max);
      sum += out[i]!;
    }
    const total = Math.fround(sum);
    for (let i = start; i < end; i++) out[i] = out[i]! / total;
  }
}

/**
 * out = p - sum(p) * y per row, p = dy * y: the gradient of y = softmax(x)
 * given dy, rounded where tfjs's four kernels round (the product, the row sum
 * accumulated in float64 as tfjs's Sum, and sum * y).
 */
export function softmaxGradRows(dy: Float32Array, y: Float32Array, out: Float32Array, columns: number): void {
  for (let start = 0; columns > 0 && start < y.length; start += columns) {
    const end = start + columns;
    let sum = 0;
    for (let i = start; i < end; i++) {
      out[i] = dy[i]! * y[i]!; // rounded to float32 on store
      sum += out[i]!;
    }
    const total = Math.fround(sum);
    for (let i = start; i < end; i++) out[i] = out[i]! - Math.fround(total * y[i]!);
  }
}

/**
 * loss[r] = -sum_j target[r,j] * log(clip(output[r,j] / sum_k output[r,k], epsilon, 1 - epsilon)),
 * with float64 intermediates (an ulp or so from tfjs's op-by-op float32 rounding).
 */
export function crossentropyRows(target: Float32Array, output: Float32Array, loss: Float32Array, rows: number, classes: number, epsilon: number): void {
  const high = 1 - epsilon;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += output[base + j]!;
    let total = 0;
    for (let j = 0; j < classes; j++) {
      const z = Math.fround(output[base + j]! / sum);
      const q = z < epsilon ? epsilon : z > high ? high : z; // NaN stays NaN
      // A zero target adds 0 * log(q) = 0 (q is clipped, so log(q) is finite unless q is NaN): skip the log.
      const tj = target[base + j]!;
      if (tj !== 0 || q !== q) total += tj * Math.log(q);
    }
    loss[r] = -total;
  }
}

/**
 * The gradient of {@link crossentropyRows} with respect to `output`, given
 * dy (one value per row), as tfjs's gradients of the eight ops compute it:
 * dz = -dy * target / z inside the clip (0 outside), then through z = output / sum.
 */
export function crossentropyGradRows(dy: Float32Array, target: Float32Array, output: Float32Array, grad: Float32Array, rows: number, classes: number, epsilon: number): void {
  const high = 1 - epsilon;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += output[base + j]!;
    // First pass: dz (kept in grad) and sum_k dz_k * output_k.
    let weighted = 0;
    for (let j = 0; j < classes; j++) {
      const z = Math.fround(output[base + j]! / sum);
      const inside = z >= epsilon && z <= high;
      const dz = inside ? (-dy[r]! * target[base + j]!) / z : 0;
      grad[base + j] = dz;
      weighted += dz * output[base + j]!;
    }
    const shared = -weighted / (sum * sum);
    for (let j = 0; j < classes; j++) grad[base + j] = grad[base + j]! / sum + shared;
  }
}
