/**
 * Host-side cost of one cuda op: tfjs's bookkeeping + argument packing + the
 * FFI launch, timed on tiny tensors so the kernel itself does not count.
 * Runs on a GPU or on the CPU emulator. Prints CPU microseconds per op (the
 * least of 7 rounds), with the cpu backend's figure beside it.
 *
 *   TSGPU_EMULATOR_SKIP_LAUNCHES=1 node scripts/gpu/run_on_emulator.js build/bench/cuda/host_overhead.js [ops=10000]   (no GPU;
 *     the emulator checks each launch but does not run it, so the figures are the host side alone)
 *   node build/bench/cuda/host_overhead.js [ops=10000]                                  (a GPU)
 */
import * as tf from "@tensorflow/tfjs";
import { registerCudaBackend } from "../../kernel/backends/cuda/index";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";

/** Microseconds of this process's CPU time per call of `body`: the least of 7 rounds (the machine may be shared and noisy). */
function timeOps(label: string, ops: number, body: () => void): number {
  for (let i = 0; i < Math.min(2000, ops); i++) body(); // warm-up: compile, allocator, caches, JIT
  let best = Infinity;
  const perRound = Math.max(1, Math.floor(ops / 7));
  for (let round = 0; round < 7; round++) {
    const started = process.cpuUsage();
    for (let i = 0; i < perRound; i++) body();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / perRound);
  }
  console.log(`${label.padEnd(40)} ${best.toFixed(2).padStart(8)} us/op`);
  return best;
}

async function main(): Promise<void> {
  const ops = Number(process.argv[2] ?? 10000);
  const availability = registerCudaBackend();
  if (!availability.available) throw new Error(`${availability.detail} (without a GPU: node scripts/gpu/run_on_emulator.js ${process.argv[1]})`);
  installTfjsHooks();
  for (const backend of ["cpu", "cuda"]) {
    await tf.setBackend(backend);
    const a = tf.ones([16]);
    const b = tf.ones([16]);
    const row = tf.ones([4, 16]);
    const m = tf.ones([8, 8]);
    timeOps(`${backend}: add [16] + [16]`, ops, () => tf.add(a, b).dispose());
    timeOps(`${backend}: exp [16]`, ops, () => tf.exp(a).dispose());
    timeOps(`${backend}: add [4, 16] + [16] (broadcast)`, ops, () => tf.add(row, b).dispose());
    timeOps(`${backend}: transpose [8, 8]`, ops, () => tf.transpose(m).dispose());
    timeOps(`${backend}: matMul [8, 8] x [8, 8]`, ops / 10, () => tf.matMul(m, m).dispose());
    await tf.engine().backend.read(tf.add(a, b).dataId); // wait for the queue
    tf.dispose([a, b, row, m]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
