/**
 * GPU benchmark: one MNIST epoch of the 784-128-10 MLP at batch 128
 *   - on tsgpu's `cuda` backend (tfjs-layers model.fit, unchanged),
 *   - on PyTorch eager on the same GPU, data already on the GPU (torch_mlp.py),
 *   - on tsgpu's CPU path (the `cpu-blas` backend when it loads, else tfjs `cpu`),
 * and prints the ratios. Epoch times are medians after a warm-up epoch.
 * Writes the full record as JSON to $OUT/mlp_epoch.json (or ./mlp_epoch.json).
 *
 * Run: node build/bench/gpu/mlp_epoch.js [--epochs N] [--cpu-epochs N]
 * Env: TSGPU_PYTHON (python with torch; default python3), TSGPU_MNIST_DIR.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { cudaDiagnostics, registerCudaBackend } from "../../kernel/backends/cuda/index";
import { BENCH_BATCH_SIZE as BATCH_SIZE, buildMlp, LEARNING_RATE, mnistArrays, splitTensors } from "../workloads/mlp_model";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function tfjsEpochs(backend: string, images: Float32Array, labels: Uint8Array, count: number, epochs: number) {
  await tf.setBackend(backend);
  const { xs, ys } = splitTensors(images, labels, count);
  const model = buildMlp();
  const times: number[] = [];
  let accuracy = 0;
  for (let e = 0; e <= epochs; e++) {
    const start = performance.now();
    const history = await model.fit(xs, ys, { epochs: 1, batchSize: BATCH_SIZE, shuffle: true, verbose: 0 });
    if (e > 0) times.push((performance.now() - start) / 1000); // epoch 0 is the warm-up (kernel compilation, allocator)
    accuracy = (history.history.acc as number[] | undefined)?.[0] ?? accuracy;
  }
  tf.dispose([xs, ys]);
  model.dispose();
  return { system: `tsgpu ${backend}`, epoch_seconds: median(times), epoch_times: times, train_accuracy: accuracy };
}

async function main(): Promise<void> {
  const epochs = option("--epochs", 3);
  const cpuEpochs = option("--cpu-epochs", 1);
  const availability = registerCudaBackend();
  installTfjsHooks(); // the tensor registry installs them; registered directly here
  if (!availability.available) {
    console.log(`SKIP: no usable GPU for the cuda backend: ${availability.detail}`);
    return;
  }
  const mnist = await mnistArrays();
  const { images, labels, count } = mnist.train;
  const record: Record<string, unknown> = {
    date: new Date().toISOString(),
    workload: `MNIST MLP 784-128-10, Adam lr ${LEARNING_RATE}, batch ${BATCH_SIZE}, one epoch of ${count} images`,
    cuda: cudaDiagnostics().detail,
    node: process.version,
    tfjs: tf.version.tfjs,
    cpu: `${cpus()[0]?.model ?? "unknown"} x ${cpus().length}`,
  };

  const cuda = await tfjsEpochs("cuda", images, labels, count, epochs);
  record.cuda_result = cuda;
  console.log(`cuda: ${cuda.epoch_seconds.toFixed(3)} s/epoch`);

  const dir = mkdtempSync(join(tmpdir(), "tsgpu-bench-"));
  writeFileSync(join(dir, "images.f32"), images.subarray(0, count * 784));
  writeFileSync(join(dir, "labels.u8"), labels.subarray(0, count));
  let torch: { epoch_seconds: number } | undefined;
  try {
    const python = process.env.TSGPU_PYTHON ?? "python3";
    const out = execFileSync(python, [join(__dirname, "torch_mlp.py"), join(dir, "images.f32"), join(dir, "labels.u8"), String(count), String(epochs), String(LEARNING_RATE)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    torch = JSON.parse(out.trim().split("\n").pop()!) as { epoch_seconds: number };
    record.torch_result = torch;
    console.log(`pytorch eager: ${torch.epoch_seconds.toFixed(3)} s/epoch`);
  } catch (error) {
    record.torch_error = (error as Error).message;
    console.log(`PyTorch run failed (set TSGPU_PYTHON to a python with torch): ${(error as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  let cpuName = "cpu";
  try {
    const blas = require("../../kernel/backends/cpu_blas/index") as { registerCpuBlasBackend(): { available: boolean } };
    if (blas.registerCpuBlasBackend().available) cpuName = "cpu-blas";
  } catch {
    // The fast CPU path is not part of this build: tfjs cpu.
  }
  const cpu = await tfjsEpochs(cpuName, images, labels, count, cpuEpochs);
  record.cpu_result = cpu;
  console.log(`${cpu.system}: ${cpu.epoch_seconds.toFixed(3)} s/epoch`);

  const rows = [
    ["system", "s/epoch", "vs PyTorch eager"],
    ["tsgpu cuda", cuda.epoch_seconds.toFixed(3), torch ? `${(cuda.epoch_seconds / torch.epoch_seconds).toFixed(2)}x` : "n/a"],
    ["PyTorch eager (same GPU)", torch ? torch.epoch_seconds.toFixed(3) : "failed", torch ? "1.00x" : "n/a"],
    [cpu.system, cpu.epoch_seconds.toFixed(3), torch ? `${(cpu.epoch_seconds / torch.epoch_seconds).toFixed(2)}x` : "n/a"],
  ];
  record.ratios = {
    cuda_over_torch: torch ? cuda.epoch_seconds / torch.epoch_seconds : null,
    cpu_over_cuda: cpu.epoch_seconds / cuda.epoch_seconds,
  };
  const outDir = process.env.OUT ?? ".";
  writeFileSync(join(outDir, "mlp_epoch.json"), `${JSON.stringify(record, null, 2)}\n`);
  console.log("");
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(i === 0 ? 26 : 12)).join(""));
  console.log(`\ncpu path / cuda: ${(cpu.epoch_seconds / cuda.epoch_seconds).toFixed(1)}x   (target: cuda <= 1.5x PyTorch eager)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
