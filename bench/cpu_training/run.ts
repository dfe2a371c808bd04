/**
 * `npm run bench:cpu`: one MNIST epoch (60,000 images, batch 128, Adam) of the
 * MLP 784-128-10 and of PyTorch's examples/mnist CNN with
 *   (a) tsgpu's cpu-blas backend (for the MLP also with its fused dense-stack
 *       step turned off, TSGPU_FUSED_STEP=0), (b) tfjs's pure-JS cpu backend,
 *   (c) PyTorch on the CPU (bench/.venv, created on first use),
 * each measurement in its own process, interleaved round by round, then a
 * table of epoch times (median) and ratios. tfjs cpu's CNN epoch is
 * extrapolated from its first batches (it would take over half an hour).
 *
 * Options: --rounds N (MLP rounds, default 3), --cnn-rounds N (default 1),
 * --tfjs-cnn-batches N (default 3: tfjs cpu takes 20-180 s per CNN batch here; 0 skips it), --cnn-batches N (cpu-blas and PyTorch
 * CNN, default: the whole epoch), --write (save bench/results/cpu_training-<date>.md).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { loadMnist } from "../../kernel/tensor/data/index.js";
import { FUSED_FRAMEWORK, UNFUSED_FRAMEWORK } from "./frameworks.js";

interface Measurement {
  framework: string;
  model: string;
  detail: string;
  batches: number;
  measuredSeconds: number;
  epochSeconds: number;
  extrapolated: boolean;
  loss?: number;
}

const root = resolve(__dirname, "..", "..", "..");
const venvPython = join(root, "bench", ".venv", "bin", "python");

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function ensureTorch(): void {
  const ok = existsSync(venvPython) && spawnSync(venvPython, ["-c", "import torch, numpy"], { stdio: "ignore" }).status === 0;
  if (ok) return;
  process.stderr.write("Creating bench/.venv with torch==2.13.0 (CPU) and numpy...\n");
  execFileSync("python3", ["-m", "venv", join(root, "bench", ".venv")], { stdio: "inherit" });
  execFileSync(venvPython, ["-m", "pip", "install", "--quiet", "torch==2.13.0", "numpy"], { stdio: "inherit" });
}

function run(command: string, args: string[], env: Record<string, string> = {}): Measurement {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 16 << 20, env: { ...process.env, ...env } });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !line.startsWith("{")) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr}`);
  }
  const measurement = JSON.parse(line) as Measurement;
  process.stderr.write(`  ${measurement.model} ${measurement.framework}: ${measurement.epochSeconds.toFixed(2)} s/epoch${measurement.extrapolated ? ` (from ${measurement.batches} batches)` : ""}\n`);
  return measurement;
}

const tfjs = (backend: string, model: string, batches?: number, env?: Record<string, string>) =>
  run(process.execPath, [join(root, "build", "bench", "cpu_training", "tfjs_train.js"), "--backend", backend, "--model", model, ...(batches ? ["--batches", String(batches)] : [])], env);
const torch = (model: string, data: string, batches?: number) =>
  run(venvPython, [join(root, "bench", "cpu_training", "torch_train.py"), "--model", model, "--data", data, ...(batches ? ["--batches", String(batches)] : [])]);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  ensureTorch();
  const loadBefore = loadavg()[0]!;
  const mnist = await loadMnist();
  const data = dirname(mnist.sources[0]!);
  const rounds = option("rounds", 3);
  const cnnRounds = option("cnn-rounds", 1);
  const tfjsCnnBatches = option("tfjs-cnn-batches", 3);
  const cnnBatches = option("cnn-batches", 0) || undefined;
  const results: Measurement[] = [];
  for (let round = 0; round < Math.max(rounds, cnnRounds); round++) {
    process.stderr.write(`round ${round + 1}\n`);
    if (round < rounds) results.push(tfjs("cpu-blas", "mlp"), torch("mlp", data), tfjs("cpu-blas", "mlp", undefined, { TSGPU_FUSED_STEP: "0" }), tfjs("cpu", "mlp"));
    if (round < cnnRounds) {
      results.push(tfjs("cpu-blas", "cnn", cnnBatches), torch("cnn", data, cnnBatches));
      if (tfjsCnnBatches > 0) results.push(tfjs("cpu", "cnn", tfjsCnnBatches));
    }
  }

  const frameworks = [FUSED_FRAMEWORK, UNFUSED_FRAMEWORK, "PyTorch CPU", "tfjs cpu"];
  const epoch = (model: string, framework: string) => {
    const runs = results.filter((r) => r.model === model && r.framework === framework);
    return runs.length ? median(runs.map((r) => r.epochSeconds)) : Number.NaN;
  };
  const lines: string[] = [];
  lines.push("| model | framework | epoch (s, median) | runs | how measured |", "| --- | --- | ---: | ---: | --- |");
  for (const model of ["mlp", "cnn"]) {
    for (const framework of frameworks) {
      const runs = results.filter((r) => r.model === model && r.framework === framework);
      if (runs.length === 0) continue;
      const how = runs[0]!.extrapolated ? `extrapolated from ${runs[0]!.batches} of 469 batches` : "full epoch";
      lines.push(`| ${model === "mlp" ? "MLP 784-128-10" : "CNN (examples/mnist)"} | ${framework} | ${epoch(model, framework).toFixed(2)} | ${runs.length} | ${how} |`);
    }
  }
  const targets: Record<string, number> = { mlp: 1.5, cnn: 2 };
  lines.push("", "| model | tsgpu | tsgpu / PyTorch | target | met | tfjs cpu / tsgpu |", "| --- | --- | ---: | ---: | --- | ---: |");
  for (const model of ["mlp", "cnn"]) {
    for (const variant of [FUSED_FRAMEWORK, UNFUSED_FRAMEWORK]) {
      const ours = epoch(model, variant);
      if (Number.isNaN(ours)) continue;
      const ratio = ours / epoch(model, "PyTorch CPU");
      const tfjsCpu = epoch(model, "tfjs cpu");
      lines.push(`| ${model.toUpperCase()} | ${variant} | ${ratio.toFixed(2)}x | ${targets[model]}x | ${ratio <= targets[model]! ? "yes" : "no"} | ${Number.isNaN(tfjsCpu) ? "not run" : `${(tfjsCpu / ours).toFixed(1)}x`} |`);
    }
  }
  const blas = results.find((r) => r.framework === FUSED_FRAMEWORK)?.detail ?? "";
  const torchDetail = results.find((r) => r.framework === "PyTorch CPU")?.detail ?? "";
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} logical cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${blas}; ${torchDetail}`;
  const load = `1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (${cpus().length} cores; other work on the machine slows every framework)`;
  const table = `${lines.join("\n")}\n\n${load}.`;
  process.stdout.write(`\nMachine: ${machine}\n\n${table}\n`);
  if (process.argv.includes("--write")) {
    const date = new Date().toISOString().slice(0, 10);
    const file = join(root, "bench", "results", `cpu_training-${date}.md`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `# CPU training benchmark, ${date}\n\nCommand: \`npm run bench:cpu\` (${process.argv.slice(2).join(" ") || "defaults"}).\n\nMachine: ${machine}\n\n${table}\n`);
    process.stdout.write(`\nwritten to ${file}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
