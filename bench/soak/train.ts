/**
 * Soak phase (b), in its own process: trains the MNIST MLP (784-128-10, Adam, batch 128,
 * bench/workloads/mlp_model.ts) for N epochs of a fixed image subset on one backend and
 * prints one JSON line per epoch: tf.memory().numTensors and the process RSS, then a
 * summary line. A leak shows as a tensor count or RSS that keeps growing.
 *
 *   node build/bench/soak/train.js --backend cpu-blas|cuda --epochs 100 --images 6000
 *
 * For `cuda` the caller points TSGPU_LIBCUDA_PATH etc. at the CPU emulator (run.js does).
 */
import * as tf from "@tensorflow/tfjs";
import { registerCpuBlasBackend } from "../../kernel/backends/cpu_blas/index";
import { registerCudaBackend } from "../../kernel/backends/cuda/index";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";
import { BENCH_BATCH_SIZE, buildMlp, mnistArrays, splitTensors } from "../workloads/mlp_model";

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1]! : fallback;
}

async function main(): Promise<void> {
  const backend = argument("backend", "cpu-blas");
  const epochs = Number(argument("epochs", "100"));
  const images = Number(argument("images", "6000"));
  const availability = backend === "cuda" ? registerCudaBackend() : registerCpuBlasBackend();
  if (!availability.available) throw new Error(`${backend} is not available: ${availability.detail}`);
  installTfjsHooks();
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend("${backend}") failed`);
  const mnist = await mnistArrays();
  const { xs, ys } = splitTensors(mnist.train.images, mnist.train.labels, Math.min(images, mnist.train.count));
  const model = buildMlp(42);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const history = await model.fit(xs, ys, { epochs: 1, batchSize: BENCH_BATCH_SIZE, shuffle: true, verbose: 0 });
    const loss = Number(history.history.loss![0]);
    console.log(JSON.stringify({ epoch, numTensors: tf.memory().numTensors, rss: process.memoryUsage().rss, loss }));
  }
  console.log(JSON.stringify({ done: true, backend, epochs, images }));
}

main().catch((error: Error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
