/**
 * Prints the tfjs kernels that model.fit (then predict and evaluate) calls
 * for the CNN workloads, traced with tf.profile on tfjs's cpu backend, and
 * which of them the cuda backend does not register. The lists are in
 * docs/cuda-backend.md ("The kernels").
 *
 * Run: node build/bench/workloads/trace_cnn_kernels.js
 */
import * as tf from "@tensorflow/tfjs";
import { CUDA_KERNEL_CONFIGS } from "../../kernel/backends/cuda/register_all_kernels";
import { buildMnistCnn, buildResNet } from "./cnn_models";

const registered = new Set(CUDA_KERNEL_CONFIGS.map((c) => c.kernelName));

async function trace(name: string, model: tf.LayersModel, inputShape: number[]): Promise<void> {
  const x = tf.randomUniform([4, ...inputShape]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], "int32"), 10).toFloat();
  // tf.profile returns the engine's one profile record, reset by the next call: read the names at once.
  const names = (p: { kernels: Array<{ name: string }> }) => [...new Set(p.kernels.map((k) => k.name))].filter((k) => !k.endsWith("__op")).sort();
  const fitKernels = names(await tf.profile(async () => {
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  }));
  const extra = names(await tf.profile(() => model.predict(x) as tf.Tensor)).filter((k) => !fitKernels.includes(k));
  console.log(`${name}: model.fit calls ${fitKernels.length} kernels: ${fitKernels.join(" ")}`);
  console.log(`  predict adds: ${extra.join(" ") || "nothing"}`);
  console.log(`  not registered on cuda: ${[...fitKernels, ...extra].filter((k) => !registered.has(k)).join(" ") || "none"}`);
  tf.dispose([x, y]);
  model.dispose();
}

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  await trace("MNIST CNN (28x28, narrow widths: the kernels do not depend on them)", buildMnistCnn({ widths: [4, 8, 16] }), [28, 28, 1]);
  await trace("tiny ResNet (basic blocks)", buildResNet({ inputShape: [8, 8, 3], classes: 10, stages: [1, 1], width: 4, basic: true }), [8, 8, 3]);
  await trace("bottleneck ResNet (ResNet-50's blocks, 32x32)", buildResNet({ inputShape: [32, 32, 3], classes: 10, stages: [1, 1], width: 4 }), [32, 32, 3]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
