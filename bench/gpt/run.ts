/**
 * `npm run bench:gpt`: training and generation speed of tsgpu's GPT against PyTorch on the CPU.
 *
 *   - training tokens/s of the bench GPT (4 layers, 4 heads, 256 wide, context 128, GPT-2's
 *     50257-token vocabulary, batch 8, AdamW): tsgpu cpu-blas (fused GPT kernels), cpu-blas with
 *     the reference ops (TSGPU_FUSED_GPT=0), tfjs cpu (a couple of steps), PyTorch
 *     (transformers' GPT2LMHeadModel, same config);
 *   - generation tokens/s (greedy, 100 new tokens, batch 1, KV cache): cpu-blas and PyTorch;
 *   - one training step of GPT-2 small (124M, random weights, batch 1 x 256): cpu-blas and PyTorch.
 * Each measurement runs in its own process, interleaved round by round, with 2 threads each
 * (TSGPU_BLAS_THREADS=2, TSGPU_CPU_THREADS=2, torch.set_num_threads(2)).
 *
 * Options: --rounds N (default 1), --steps N (timed training steps, default 3),
 * --tfjs-cpu-steps N (default 1), --tfjs-cpu-timeout S (default 600: past it the table
 * shows "> S"), --no-tfjs-cpu, --no-small (skip GPT-2 small), --write (save bench/results/gpt-<date>.md).
 * Python: bench/.venv when it has torch and transformers, else the project's .venv, else a new
 * bench/.venv with torch==2.13.0 and transformers==5.25.0.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";

interface Measurement {
  framework: string;
  task: string;
  seconds: number;
  tokensPerSecond: number;
  loss?: number;
  detail: string;
  /** The run was stopped at `seconds`: the real time is longer. */
  lowerBound?: boolean;
}

const root = resolve(__dirname, "..", "..", "..");
const THREADS = { TSGPU_BLAS_THREADS: "2", TSGPU_CPU_THREADS: "2", OMP_NUM_THREADS: "2" };
// PyTorch only: on a shared, oversubscribed machine its spinning OpenMP threads made its
// generation 17x slower (45 s instead of 2.6 s for 100 tokens, measured here).
const TORCH_ENV = { OMP_WAIT_POLICY: "PASSIVE" };
const FUSED = "tsgpu cpu-blas";
const REFERENCE = "tsgpu cpu-blas, reference ops";
const TORCH = "PyTorch CPU";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function pythonWithTorch(): string {
  const works = (python: string) => existsSync(python) && spawnSync(python, ["-c", "import torch, transformers"], { stdio: "ignore" }).status === 0;
  const candidates = [join(root, "bench", ".venv", "bin", "python"), join(root, ".venv", "bin", "python")];
  const found = candidates.find(works);
  if (found) return found;
  process.stderr.write("Creating bench/.venv with torch==2.13.0 (CPU) and transformers==5.25.0...\n");
  execFileSync("python3", ["-m", "venv", join(root, "bench", ".venv")], { stdio: "inherit" });
  execFileSync(candidates[0]!, ["-m", "pip", "install", "--quiet", "torch==2.13.0", "transformers==5.25.0"], { stdio: "inherit" });
  return candidates[0]!;
}

function run(command: string, args: string[], env: Record<string, string> = {}, timeoutSeconds?: number): Measurement {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 16 << 20, env: { ...process.env, ...THREADS, ...env }, ...(timeoutSeconds ? { timeout: timeoutSeconds * 1000 } : {}) });
  if (timeoutSeconds && result.error && (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT") {
    // A lower bound: the step did not finish in this time (tfjs cpu under load).
    const task = args[args.indexOf("--task") + 1] ?? "train";
    const tokens = task === "train-small" ? 256 : 1024;
    process.stderr.write(`  ${task} ${args.join(" ")}: not done after ${timeoutSeconds} s\n`);
    return { framework: "tfjs cpu", task, seconds: timeoutSeconds, tokensPerSecond: tokens / timeoutSeconds, detail: "timed out", lowerBound: true };
  }
  const line = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !line.startsWith("{")) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr}`);
  const m = JSON.parse(line) as Measurement;
  process.stderr.write(`  ${m.task} ${m.framework}: ${m.seconds.toFixed(2)} s, ${m.tokensPerSecond.toFixed(1)} tokens/s\n`);
  return m;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function main(): void {
  const python = pythonWithTorch();
  const loadBefore = loadavg()[0]!;
  const rounds = option("rounds", 1);
  const steps = option("steps", 3);
  const tfjsCpu = !process.argv.includes("--no-tfjs-cpu");
  const small = !process.argv.includes("--no-small");
  const cpuSteps = option("tfjs-cpu-steps", 1);
  const cpuTimeout = option("tfjs-cpu-timeout", 600);
  const script = join(root, "build", "bench", "gpt", "tfjs_gpt.js");
  const tfjs = (backend: string, task: string, n: number, env: Record<string, string> = {}, timeout?: number) => run(process.execPath, [script, "--backend", backend, "--task", task, "--steps", String(n)], env, timeout);
  const torch = (task: string, n: number) => run(python, [join(root, "bench", "gpt", "torch_gpt.py"), "--task", task, "--steps", String(n)], TORCH_ENV);
  const results: Measurement[] = [];
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`round ${round + 1}\n`);
    results.push(tfjs("cpu-blas", "train", steps), torch("train", steps), tfjs("cpu-blas", "train", steps, { TSGPU_FUSED_GPT: "0" }));
    results.push(tfjs("cpu-blas", "generate", 0), torch("generate", 0));
    if (small && round === 0) results.push(tfjs("cpu-blas", "train-small", 1), torch("train-small", 1));
    if (tfjsCpu && round === 0) results.push(tfjs("cpu", "train", cpuSteps, {}, cpuTimeout));
  }

  const of = (task: string, framework: string) => results.filter((r) => r.task === task && r.framework === framework);
  const seconds = (task: string, framework: string) => (of(task, framework).length ? median(of(task, framework).map((r) => r.seconds)) : Number.NaN);
  const rate = (task: string, framework: string) => (of(task, framework).length ? median(of(task, framework).map((r) => r.tokensPerSecond)) : Number.NaN);
  const targets: Record<string, number> = { train: 1.5, generate: 1.5 };
  const names: Record<string, string> = {
    train: "training, bench GPT (4x256, ctx 128, vocab 50257), batch 8x128, AdamW",
    generate: "generation, bench GPT, greedy, 100 new tokens, batch 1, KV cache",
    "train-small": "training, GPT-2 small (124M), batch 1x256, one step",
  };
  const lines = ["| workload | framework | s per step (or per 100 tokens) | tokens/s | time / PyTorch | target | met | runs |", "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |"];
  for (const task of ["train", "generate", "train-small"]) {
    for (const framework of [FUSED, REFERENCE, "tfjs cpu", TORCH]) {
      const runs = of(task, framework);
      if (runs.length === 0) continue;
      const ratio = seconds(task, framework) / seconds(task, TORCH);
      const target = framework === FUSED ? targets[task] : undefined;
      const met = target === undefined ? "" : ratio <= target ? "yes" : "no";
      const bound = runs.some((r) => r.lowerBound) ? ">" : "";
      const fewer = bound ? "<" : "";
      lines.push(`| ${names[task]} | ${framework} | ${bound}${seconds(task, framework).toFixed(2)} | ${fewer}${rate(task, framework).toFixed(1)} | ${framework === TORCH ? "1.00x" : `${bound}${ratio.toFixed(2)}x`} | ${target ? `${target}x` : ""} | ${met} | ${runs.length} |`);
    }
  }
  const blas = results.find((r) => r.framework === FUSED)?.detail ?? "";
  const torchDetail = results.find((r) => r.framework === TORCH)?.detail ?? "";
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} logical cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${blas}; ${torchDetail}`;
  const load = `1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (${cpus().length} cores; other work on the machine slows every framework alike, so read the ratios)`;
  const table = `${lines.join("\n")}\n\n${load}. ${steps} timed training steps per run after one warm-up step (tfjs cpu: ${cpuSteps}, no warm-up); ${rounds} round(s).`;
  process.stdout.write(`\n${table}\n\nMachine: ${machine}\n`);
  if (process.argv.includes("--write")) {
    const date = new Date().toISOString().slice(0, 10);
    const file = join(root, "bench", "results", `gpt-${date}.md`);
    mkdirSync(join(root, "bench", "results"), { recursive: true });
    writeFileSync(file, `# GPT on the CPU, ${date}\n\n\`npm run bench:gpt -- ${process.argv.slice(2).join(" ")}\`\n\nMachine: ${machine}\n\n${table}\n`);
    process.stderr.write(`wrote ${file}\n`);
  }
}

main();
