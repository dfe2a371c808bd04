/**
 * GPU benchmark: GPT training throughput (tokens per second) on tsgpu's
 * `cuda` backend (`gpt.create(...).fit`, AdamW, gradient clipping) and on
 * PyTorch eager on the same GPU (torch_gpt.py: the same model, optimizer and
 * batch, data already on the GPU, scaled_dot_product_attention), in fp32 and
 * with TF32 matmuls, for a 4-layer 256-wide GPT and GPT-2 small. Prints the
 * ratios (target: tsgpu >= 0.7x PyTorch) and writes $OUT/gpt_tokens.json.
 * Dropout is 0 in both (tsgpu draws dropout masks on the host).
 *
 * Run: node build/bench/gpu/gpt_tokens.js [--steps N] [--warmup N] [--models small,gpt2]
 * Without a GPU (a smoke run): node scripts/gpu/run_on_emulator.js build/bench/gpu/gpt_tokens.js --models tiny --steps 2 --warmup 1
 * Env: TSGPU_PYTHON (python with torch; default python3).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { type CudaBackend, cudaDiagnostics, registerCudaBackend } from "../../kernel/backends/cuda/index";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";
import * as gpt from "../../kernel/gpt/index";

/** A workload: the model (GPT-2 vocabulary) and the batch. */
export interface GptWorkload {
  name: string;
  layers: number;
  embedding: number;
  heads: number;
  contextLength: number;
  batchSize: number;
}

export const GPT_WORKLOADS: GptWorkload[] = [
  { name: "small", layers: 4, embedding: 256, heads: 4, contextLength: 256, batchSize: 16 },
  { name: "gpt2", layers: 12, embedding: 768, heads: 12, contextLength: 512, batchSize: 4 },
  // Only when asked for (--models tiny): a smoke run of this script on the CPU emulator.
  { name: "tiny", layers: 1, embedding: 32, heads: 2, contextLength: 16, batchSize: 2 },
];
const DEFAULT_WORKLOADS = "small,gpt2";
const VOCAB = 50257;
const LEARNING_RATE = 3e-4;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

/** Seeded token ids (throughput does not depend on their values). */
function trainingTokens(count: number): Int32Array {
  let seed = 1;
  return Int32Array.from({ length: count }, () => (seed = (seed * 1103515245 + 12345) % 2147483648) % VOCAB);
}

async function tsgpuTokensPerSecond(w: GptWorkload, tf32: boolean, steps: number, warmup: number, tokens: Int32Array): Promise<number> {
  await tf.setBackend("cuda");
  (tf.backend() as CudaBackend).setTf32(tf32);
  const model = gpt.create({ vocabSize: VOCAB, contextLength: w.contextLength, layers: w.layers, heads: w.heads, embedding: w.embedding, dropout: 0, seed: 1 });
  try {
    const options = { batchSize: w.batchSize, contextLength: w.contextLength, learningRate: LEARNING_RATE, seed: 2 };
    await model.fit(tokens, { ...options, steps: warmup }); // kernel compilation, cuBLAS, allocator
    const history = await model.fit(tokens, { ...options, steps });
    return history.tokensPerSecond;
  } finally {
    model.dispose();
    (tf.backend() as CudaBackend).setTf32(false);
  }
}

function torchTokensPerSecond(w: GptWorkload, tf32: boolean, steps: number, warmup: number): { tokens_per_second: number } | { error: string } {
  try {
    const python = process.env.TSGPU_PYTHON ?? "python3";
    const spec = JSON.stringify({ ...w, vocabSize: VOCAB, learningRate: LEARNING_RATE, tf32, steps, warmup });
    const out = execFileSync(python, [join(__dirname, "torch_gpt.py"), spec], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    return JSON.parse(out.trim().split("\n").pop()!) as { tokens_per_second: number };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function main(): Promise<void> {
  const steps = Number(option("--steps", "20"));
  const warmup = Number(option("--warmup", "3"));
  const names = option("--models", DEFAULT_WORKLOADS).split(",");
  const availability = registerCudaBackend();
  installTfjsHooks(); // the tensor registry installs them; registered directly here
  if (!availability.available) {
    console.log(`SKIP: no usable GPU for the cuda backend: ${availability.detail}`);
    return;
  }
  const tokens = trainingTokens(1 << 20);
  const results: Array<Record<string, unknown>> = [];
  const rows: string[][] = [["model", "math", "tsgpu tok/s", "PyTorch tok/s", "tsgpu/PyTorch"]];
  for (const w of GPT_WORKLOADS.filter((x) => names.includes(x.name))) {
    for (const tf32 of [false, true]) {
      const math = tf32 ? "tf32" : "fp32";
      const ours = await tsgpuTokensPerSecond(w, tf32, steps, warmup, tokens);
      const torch = torchTokensPerSecond(w, tf32, steps, warmup);
      const ratio = "tokens_per_second" in torch ? ours / torch.tokens_per_second : null;
      results.push({ workload: w, math, tsgpu_tokens_per_second: ours, torch, ratio });
      rows.push([`${w.name} (${w.layers}x${w.embedding}, batch ${w.batchSize}x${w.contextLength})`, math, ours.toFixed(0),
        "tokens_per_second" in torch ? torch.tokens_per_second.toFixed(0) : "failed", ratio === null ? "n/a" : `${ratio.toFixed(2)}x`]);
      console.log(rows[rows.length - 1]!.join("  "));
    }
  }
  const record = { date: new Date().toISOString(), cuda: cudaDiagnostics().detail, node: process.version, tfjs: tf.version.tfjs, steps, warmup, results };
  writeFileSync(join(process.env.OUT ?? ".", "gpt_tokens.json"), `${JSON.stringify(record, null, 2)}\n`);
  console.log("");
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(i === 0 ? 44 : 15)).join(""));
  console.log("\n(target: tsgpu >= 0.7x PyTorch eager)");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
