/**
 * Deterministic column sums of a [rows, columns] quantity (the LayerNorm weight and bias gradients,
 * the bias-GELU bias gradient): a first kernel writes per-chunk partial sums [chunks, columns], one thread
 * per (chunk, column); `column_sum_f32` then sums the chunks per column. One stage when the rows fit one chunk.
 */
import type { CudaBackend } from "../backend_cuda";
import { i64, ptr } from "../device/cuda_device";
import type { DevicePointer } from "../ffi/driver_api";

/** Rows per chunk of the first stage: enough threads (chunks x columns) to fill a GPU, short loops. */
export const ROWS_PER_CHUNK = 128;

/**
 * Fills each of `outputs` ([columns] each) with column sums: `writePartials(targets, rowsPerChunk)` queues the
 * kernel that writes one [ceil(rows / rowsPerChunk), columns] partial-sum array per target.
 */
export function chunkedColumnSums(
  cuda: CudaBackend, rows: number, columns: number, outputs: DevicePointer[],
  writePartials: (targets: DevicePointer[], rowsPerChunk: number) => void,
): void {
  const chunks = Math.ceil(rows / ROWS_PER_CHUNK);
  if (chunks <= 1) {
    writePartials(outputs, Math.max(rows, 1));
    return;
  }
  const partials = outputs.map(() => cuda.device.allocator.allocate(chunks * columns * 4));
  writePartials(partials.map((p) => p.pointer), ROWS_PER_CHUNK);
  outputs.forEach((out, k) => {
    cuda.device.launch("gpt", "column_sum_f32", cuda.device.gridFor(columns), 256, [ptr(out), ptr(partials[k]!.pointer), i64(chunks), i64(columns), i64(chunks)]);
  });
  // Released at once: everything runs in order on the one stream.
  for (const p of partials) cuda.device.allocator.release(p);
}
