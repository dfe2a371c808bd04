/**
 * One benchmark measurement in its own process: trains one model on MNIST
 * with one tfjs backend and prints a JSON line.
 *
 *   node build/bench/cpu_training/tfjs_train.js --backend cpu-blas --model mlp [--batches N] [--profile]
 *
 * With TSGPU_FUSED_STEP=0 the MLP trains through tfjs's own step, kernel by
 * kernel, instead of the fused dense-stack step (kernel/fused/).
 *
 * --batches N trains only the first N batches of the (shuffled) epoch and
 * extrapolates the epoch time (for tfjs's slow pure-JS CNN).
 */
import * as tf from "@tensorflow/tfjs";
import { registerCpuBlasBackend } from "../../kernel/backends/cpu_blas/index.js";
import { datasetTensors, loadMnist } from "../../kernel/tensor/data/index.js";
import { FUSED_FRAMEWORK, UNFUSED_FRAMEWORK } from "./frameworks.js";
import { buildCnn, buildMlp } from "./models.js";
import { installTfjsHooks } from "../../kernel/fused/hooks/index.js";

const BATCH = 128;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const backend = argument("backend") ?? "cpu-blas";
  const modelName = argument("model") ?? "mlp";
  const limit = argument("batches") ? Number(argument("batches")) : undefined;
  let detail = "tfjs pure JavaScript";
  if (backend === "cpu-blas") {
    const registration = registerCpuBlasBackend();
    installTfjsHooks(); // the tensor registry installs them; registered directly here
    if (!registration.available) throw new Error(registration.detail);
    detail = registration.detail;
  }
  await tf.setBackend(backend);
  const mnist = await loadMnist();
  const { xs, ys, labels } = datasetTensors(mnist.train);
  labels.dispose();
  const model = modelName === "cnn" ? buildCnn() : buildMlp();
  model.compile({ optimizer: tf.train.adam(0.001), loss: "categoricalCrossentropy" });

  // Warm-up: a few batches so that JIT and allocations settle before the clock starts.
  const warm = Math.min(4, limit ?? 4) * BATCH;
  await model.fit(xs.slice(0, warm), ys.slice(0, warm), { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0, yieldEvery: "never" });

  const samples = limit !== undefined ? Math.min(60000, limit * BATCH) : 60000;
  const x = samples === 60000 ? xs : xs.slice(0, samples);
  const y = samples === 60000 ? ys : ys.slice(0, samples);
  const profile = process.argv.includes("--profile") ? await tf.profile(async () => {
    await model.fit(x.slice(0, 10 * BATCH), y.slice(0, 10 * BATCH), { batchSize: BATCH, epochs: 1, verbose: 0, yieldEvery: "never" });
  }) : undefined;
  const start = performance.now();
  const history = await model.fit(x, y, { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0, yieldEvery: "never" });
  const seconds = (performance.now() - start) / 1000;
  const batches = Math.ceil(samples / BATCH);
  const fullBatches = Math.ceil(60000 / BATCH);
  const result = {
    framework: backend === "cpu-blas" ? (process.env.TSGPU_FUSED_STEP === "0" ? UNFUSED_FRAMEWORK : FUSED_FRAMEWORK) : `tfjs ${backend}`,
    model: modelName,
    detail,
    batches,
    measuredSeconds: seconds,
    epochSeconds: (seconds * fullBatches) / batches,
    extrapolated: batches < fullBatches,
    loss: history.history.loss?.[0],
    tensorsAfter: tf.memory().numTensors,
  };
  if (profile) {
    const byKernel = new Map<string, number>();
    for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([n, ms]) => `${n} ${(ms / 10).toFixed(2)}ms/batch`);
    process.stderr.write(`profile (10 batches, kernels ${profile.kernels.length}):\n  ${top.join("\n  ")}\n`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
