/**
 * GPU benchmark: one ResNet-50 training step (batch 32, 224x224x3, 1000
 * classes, Adam; bench/workloads/cnn_models.ts) on tsgpu's `cuda` backend
 * (tfjs-layers trainOnBatch) and on PyTorch eager on the same GPU
 * (torch_cnn.py), fp32 and TF32, median of a few steps after two warm-up
 * steps; prints the ratios (target: cuda <= 1.5x PyTorch) and writes
 * $OUT/resnet50_step.json.
 *
 * Run: node build/bench/gpu/resnet50_step.js [--steps N] [--batch N]
 * Env: TSGPU_PYTHON (python with torch; default python3).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { type CudaBackend, cudaDiagnostics, registerCudaBackend } from "../../kernel/backends/cuda/index";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";
import { buildResNet50, CNN_LEARNING_RATE } from "../workloads/cnn_models";
import { ratio, runTorch } from "./torch_runner";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function cudaSteps(batch: number, steps: number, tf32: boolean): Promise<number[]> {
  (tf.engine().backend as CudaBackend).setTf32(tf32);
  const model = buildResNet50(1);
  const xs = tf.randomUniform([batch, 224, 224, 3]);
  const ys = tf.oneHot(tf.randomUniform([batch], 0, 1000, "int32"), 1000).toFloat();
  const times: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const start = performance.now();
    await model.trainOnBatch(xs, ys); // reads the loss back: the step has finished on the GPU
    if (i >= 2) times.push((performance.now() - start) / 1000);
  }
  tf.dispose([xs, ys]);
  model.dispose();
  return times;
}

async function main(): Promise<void> {
  const steps = option("--steps", 5);
  const batch = option("--batch", 32);
  const availability = registerCudaBackend();
  installTfjsHooks();
  if (!availability.available) {
    console.log(`SKIP: no usable GPU for the cuda backend: ${availability.detail}`);
    return;
  }
  await tf.setBackend("cuda");
  const record: Record<string, unknown> = {
    date: new Date().toISOString(),
    workload: `ResNet-50 training step, batch ${batch}, 224x224x3, Adam lr ${CNN_LEARNING_RATE}, median of ${steps} steps after 2 warm-up steps`,
    cuda: cudaDiagnostics().detail,
    node: process.version,
    tfjs: tf.version.tfjs,
  };
  const fp32 = await cudaSteps(batch, steps, false);
  const tf32 = await cudaSteps(batch, steps, true);
  (tf.engine().backend as CudaBackend).setTf32(false);
  const cuda = { fp32: median(fp32), tf32: median(tf32) };
  record.cuda_result = { ...cuda, fp32_times: fp32, tf32_times: tf32 };
  console.log(`cuda: fp32 ${cuda.fp32.toFixed(3)} s/step, tf32 ${cuda.tf32.toFixed(3)} s/step`);
  (tf.engine().backend as CudaBackend).emptyCache(); // leave the GPU's memory to PyTorch
  let torch: { fp32?: { step_seconds: number }; tf32?: { step_seconds: number } } = {};
  try {
    torch = runTorch(["resnet50", String(batch), String(steps), String(CNN_LEARNING_RATE)]) as typeof torch;
    record.torch_result = torch;
  } catch (error) {
    record.torch_error = (error as Error).message;
    console.log(`PyTorch run failed (set TSGPU_PYTHON to a python with torch): ${(error as Error).message}`);
  }
  record.ratios = { fp32: torch.fp32 ? cuda.fp32 / torch.fp32.step_seconds : null, tf32: torch.tf32 ? cuda.tf32 / torch.tf32.step_seconds : null };
  writeFileSync(join(process.env.OUT ?? ".", "resnet50_step.json"), `${JSON.stringify(record, null, 2)}\n`);
  console.log("");
  for (const row of [["mode", "tsgpu cuda s", "PyTorch s", "cuda / PyTorch"], ...(["fp32", "tf32"] as const).map((m) => [m, cuda[m].toFixed(3), torch[m]?.step_seconds.toFixed(3) ?? "n/a", ratio(cuda[m], torch[m]?.step_seconds)])]) {
    console.log(row.map((c) => c.padEnd(16)).join(""));
  }
  console.log("(target: cuda <= 1.5x PyTorch eager)");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
