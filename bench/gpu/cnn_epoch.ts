/**
 * GPU benchmark: one MNIST epoch of the bundled CNN (PyTorch examples/mnist's
 * net, bench/workloads/cnn_models.ts) at batch 128, on tsgpu's `cuda` backend
 * (tfjs-layers model.fit, unchanged) and on PyTorch eager on the same GPU with
 * the data already there (torch_cnn.py), each in fp32 and TF32, one timed
 * epoch after a short warm-up; prints the ratios (target: cuda <= 1.2x
 * PyTorch) and writes $OUT/cnn_epoch.json.
 *
 * Run: node build/bench/gpu/cnn_epoch.js [--images N]   (N < 60000: a shorter "epoch", for smoke runs)
 * Env: TSGPU_PYTHON (python with torch; default python3), TSGPU_MNIST_DIR.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { type CudaBackend, cudaDiagnostics, registerCudaBackend } from "../../kernel/backends/cuda/index";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";
import { buildMnistCnn, CNN_LEARNING_RATE } from "../workloads/cnn_models";
import { mnistArrays, splitTensors } from "../workloads/mlp_model";
import { ratio, runTorch } from "./torch_runner";

const BATCH_SIZE = 128;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function cudaEpoch(xs: tf.Tensor4D, ys: tf.Tensor2D, tf32: boolean): Promise<number> {
  (tf.engine().backend as CudaBackend).setTf32(tf32);
  const model = buildMnistCnn();
  const warm = Math.min(BATCH_SIZE * 20, xs.shape[0]);
  await model.fit(xs.slice(0, warm), ys.slice(0, warm), { epochs: 1, batchSize: BATCH_SIZE, verbose: 0 }); // kernel compilation, allocator
  const start = performance.now();
  await model.fit(xs, ys, { epochs: 1, batchSize: BATCH_SIZE, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - start) / 1000;
  model.dispose();
  return seconds;
}

async function main(): Promise<void> {
  const availability = registerCudaBackend();
  installTfjsHooks();
  if (!availability.available) {
    console.log(`SKIP: no usable GPU for the cuda backend: ${availability.detail}`);
    return;
  }
  await tf.setBackend("cuda");
  const mnist = await mnistArrays();
  const { images, labels } = mnist.train;
  const count = Math.min(mnist.train.count, option("--images", mnist.train.count));
  const flat = splitTensors(images, labels, count);
  const xs = tf.reshape(flat.xs, [count, 28, 28, 1]) as tf.Tensor4D;
  const record: Record<string, unknown> = {
    date: new Date().toISOString(),
    workload: `MNIST CNN (conv32-conv64-maxpool-dropout-dense128-dropout-dense10), Adam lr ${CNN_LEARNING_RATE}, batch ${BATCH_SIZE}, one epoch of ${count} images`,
    cuda: cudaDiagnostics().detail,
    node: process.version,
    tfjs: tf.version.tfjs,
  };
  const cuda = { fp32: await cudaEpoch(xs, flat.ys, false), tf32: await cudaEpoch(xs, flat.ys, true) };
  (tf.engine().backend as CudaBackend).setTf32(false);
  record.cuda_result = cuda;
  console.log(`cuda: fp32 ${cuda.fp32.toFixed(3)} s/epoch, tf32 ${cuda.tf32.toFixed(3)} s/epoch`);
  tf.dispose([flat.xs, flat.ys, xs]);

  const dir = mkdtempSync(join(tmpdir(), "tsgpu-bench-"));
  let torch: { fp32?: { epoch_seconds: number }; tf32?: { epoch_seconds: number } } = {};
  try {
    writeFileSync(join(dir, "images.f32"), images.subarray(0, count * 784));
    writeFileSync(join(dir, "labels.u8"), labels.subarray(0, count));
    torch = runTorch(["mnist", join(dir, "images.f32"), join(dir, "labels.u8"), String(count), String(BATCH_SIZE), String(CNN_LEARNING_RATE)]) as typeof torch;
    record.torch_result = torch;
  } catch (error) {
    record.torch_error = (error as Error).message;
    console.log(`PyTorch run failed (set TSGPU_PYTHON to a python with torch): ${(error as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = [
    ["mode", "tsgpu cuda s", "PyTorch s", "cuda / PyTorch"],
    ...(["fp32", "tf32"] as const).map((m) => [m, cuda[m].toFixed(3), torch[m]?.epoch_seconds.toFixed(3) ?? "n/a", ratio(cuda[m], torch[m]?.epoch_seconds)]),
  ];
  record.ratios = { fp32: torch.fp32 ? cuda.fp32 / torch.fp32.epoch_seconds : null, tf32: torch.tf32 ? cuda.tf32 / torch.tf32.epoch_seconds : null };
  writeFileSync(join(process.env.OUT ?? ".", "cnn_epoch.json"), `${JSON.stringify(record, null, 2)}\n`);
  console.log("");
  for (const row of rows) console.log(row.map((c) => c.padEnd(16)).join(""));
  console.log("(target: cuda <= 1.2x PyTorch eager)");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
