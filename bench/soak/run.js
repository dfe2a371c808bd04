#!/usr/bin/env node
// `npm run soak`: long runs that must not crash or leak, each against real processes.
//   (a) fuzz   the protocol fuzzer (tests/kernel/fuzz.py) against a real kernel: 100,000 messages
//   (b) train  the MNIST MLP (784-128-10, Adam, batch 128) for 100 epochs of a 6,000-image subset
//              on cpu-blas, and of a 1,024-image subset on the cuda CPU emulator (slow);
//              tf.memory().numTensors and RSS sampled every epoch (bench/soak/train.ts)
//   (c) cells  10,000 small cells in one kernel; RSS of the kernel and its execution child
//              sampled every 500 cells (bench/soak/cells.py)
// Prints a table and writes bench/results/soak-<date>.md (date, machine, load, scale used).
// Options: --messages N --epochs N --cells N --images N --emulator-images N --seed N --only fuzz,train,cells
// Needs the build (npx tsc -p tsconfig.json) and .venv (node scripts/python_env.js).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const python = path.join(root, ".venv", "bin", "python");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const scale = {
  messages: Number(option("messages", "100000")),
  epochs: Number(option("epochs", "100")),
  images: Number(option("images", "6000")),
  emulatorImages: Number(option("emulator-images", "1024")),
  cells: Number(option("cells", "10000")),
};
const seed = option("seed", undefined);
const only = option("only", "fuzz,train,cells").split(",");
const log = (text) => console.log(`[soak] ${text}`);
const mib = (bytes) => (bytes / 2 ** 20).toFixed(0);

function run(command, args, env = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 28 });
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

function trend(values) {
  return values.map(mib).join(" ");
}

function stats(values) {
  return values.length ? { first: values[0], last: values[values.length - 1], max: Math.max(...values) } : { first: NaN, last: NaN, max: NaN };
}

function emulatorEnv() {
  const script =
    'const e = require("./build/tests/unit/cuda/emulator/build_emulator.js"); const n = require("./build/tests/unit/cuda/nvrtc_library.js");' +
    "const why = e.emulatorUnavailableReason() ?? (n.nvrtcPathForTests() ? undefined : n.NO_NVRTC_MESSAGE);" +
    "console.log(JSON.stringify(why ? { why } : { ...e.buildEmulator(), nvrtc: n.nvrtcPathForTests() }));";
  const found = JSON.parse(run(process.execPath, ["-e", script]).stdout);
  if (found.why) return { why: found.why };
  return {
    env: {
      TSGPU_LIBCUDA_PATH: found.libcuda,
      TSGPU_CUBLAS_PATH: found.libcublas,
      TSGPU_EMULATOR_KERNELS: found.kernels,
      TSGPU_NVRTC_PATH: found.nvrtc,
      TSGPU_EMULATOR_THREADS: "4",
      TSGPU_CUDA_CACHE_DIR: path.join(os.tmpdir(), "tsgpu-soak-cuda-cache"),
    },
  };
}

const rows = [];

function fuzzPhase() {
  const out = path.join(os.tmpdir(), `tsgpu-soak-fuzz-${process.pid}.json`);
  const args = [path.join("tests", "kernel", "fuzz.py"), "--messages", String(scale.messages), "--check-every", "500", "--json", out];
  if (seed !== undefined) args.push("--seed", seed);
  log(`(a) fuzz: ${scale.messages} messages`);
  const result = run(python, args);
  const report = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, "utf8")) : undefined;
  fs.rmSync(out, { force: true });
  const summary = (result.stdout.match(/^fuzz seed=.*$/m) ?? ["(no summary)"])[0];
  log(summary);
  for (const line of result.stdout.split("\n").filter((l) => l.includes("FAIL"))) log(line);
  const samples = report?.rss_samples ?? [];
  rows.push({
    phase: `fuzz (${scale.messages} msgs, seed ${report?.seed ?? "?"})`,
    crashes: report ? report.failures.filter((f) => /ended|no reply/.test(f)).length : 1,
    failures: report ? report.failures.length : 1,
    tensors: undefined,
    rss: stats(samples.map((s) => s.kernel)),
    childRss: stats(samples.map((s) => s.child)),
    seconds: result.seconds,
    note: `${summary}; kernel RSS MiB per checkpoint: ${trend(samples.map((s) => s.kernel))}`,
  });
}

function trainPhase(backend, images, env) {
  log(`(b) train: ${backend}, ${scale.epochs} epochs x ${images} images`);
  const result = run(process.execPath, [path.join("build", "bench", "soak", "train.js"), "--backend", backend, "--epochs", String(scale.epochs), "--images", String(images)], env);
  const epochs = result.stdout.split("\n").filter((l) => l.startsWith('{"epoch"')).map((l) => JSON.parse(l));
  const done = result.stdout.includes('"done":true');
  if (!done) log(`train on ${backend} did not finish (exit ${result.status}): ${result.stderr.slice(-2000)}`);
  const label = backend === "cuda" ? "cuda emulator" : backend;
  rows.push({
    phase: `train ${label} (${scale.epochs} ep x ${images} img)`,
    crashes: done ? 0 : 1,
    failures: done ? 0 : 1,
    tensors: stats(epochs.map((e) => e.numTensors)),
    rss: stats(epochs.map((e) => e.rss)),
    childRss: undefined,
    seconds: result.seconds,
    note: epochs.length ? `loss ${epochs[0].loss.toFixed(3)} -> ${epochs[epochs.length - 1].loss.toFixed(3)}; RSS MiB every 10 epochs: ${trend(epochs.filter((e) => e.epoch % 10 === 0 || e.epoch === 1).map((e) => e.rss))}` : "",
  });
}

function cellsPhase() {
  log(`(c) cells: ${scale.cells} cells in one kernel`);
  const result = run(python, [path.join("bench", "soak", "cells.py"), "--cells", String(scale.cells), "--every", String(Math.max(1, Math.floor(scale.cells / 20)))]);
  const report = result.status === 0 ? JSON.parse(result.stdout.trim().split("\n").pop()) : undefined;
  if (!report) log(`cells phase failed: ${result.stderr.slice(-2000)}`);
  const samples = report?.samples ?? [];
  rows.push({
    phase: `cells (${scale.cells})`,
    crashes: report ? Number(report.crashed) : 1,
    failures: report ? report.errors : 1,
    tensors: undefined,
    rss: stats(samples.map((s) => s.kernel)),
    childRss: stats(samples.map((s) => s.child)),
    seconds: result.seconds,
    note: report ? `${report.errors} cells not ok; kernel/child RSS MiB every ${samples[1]?.cell ?? "?"} cells: ${samples.map((s) => `${mib(s.kernel)}/${mib(s.child)}`).join(" ")}` : "",
  });
}

function machine() {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  return `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, load ${load} (1/5/15 min) at the end, Node ${process.version}`;
}

function table() {
  const fmt = (s) => (s ? `${s.first} / ${s.last} / ${s.max}` : "-");
  const fmtMib = (s) => (s ? `${mib(s.first)} / ${mib(s.last)} / ${mib(s.max)}` : "-");
  const lines = [
    "| phase | crashes | failures | tensors first/last/max | RSS MiB first/last/max | child RSS MiB first/last/max | time s |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.phase} | ${r.crashes} | ${r.failures} | ${fmt(r.tensors)} | ${fmtMib(r.rss)} | ${fmtMib(r.childRss)} | ${r.seconds.toFixed(0)} |`),
  ];
  return lines.join("\n");
}

function main() {
  if (!fs.existsSync(path.join(root, "build", "bench", "soak", "train.js"))) throw new Error("build missing: run `npx tsc -p tsconfig.json` first");
  if (!fs.existsSync(python)) throw new Error(".venv missing: run `node scripts/python_env.js` first");
  const started = new Date();
  if (only.includes("fuzz")) fuzzPhase();
  if (only.includes("train")) {
    trainPhase("cpu-blas", scale.images, {});
    const emulator = emulatorEnv();
    if (emulator.why) log(`cuda emulator skipped: ${emulator.why}`);
    else trainPhase("cuda", scale.emulatorImages, emulator.env);
  }
  if (only.includes("cells")) cellsPhase();
  const text = table();
  console.log(`\n${text}\n`);
  const full = scale.messages === 100000 && scale.epochs === 100 && scale.cells === 10000;
  const date = started.toISOString().slice(0, 10);
  const file = path.join(root, "bench", "results", `soak-${date}.md`);
  const notes = rows.map((r) => `- ${r.phase}: ${r.note}`).join("\n");
  fs.writeFileSync(
    file,
    `# Soak run, ${started.toISOString()}\n\n` +
      `Machine: ${machine()}.\n\n` +
      `Scale: ${full ? "full" : "REDUCED"}: --messages ${scale.messages} --epochs ${scale.epochs} --images ${scale.images} ` +
      `--emulator-images ${scale.emulatorImages} --cells ${scale.cells}` +
      `${full ? "" : " (full: --messages 100000 --epochs 100 --cells 10000)"}.\n\n` +
      `${text}\n\n${notes}\n\n` +
      "RSS of fuzz and cells is the kernel process (main thread and compiler worker); child RSS is the execution child. " +
      "Tensor counts are tf.memory().numTensors after each epoch. Produced by `npm run soak` (bench/soak/run.js).\n",
  );
  log(`wrote ${path.relative(root, file)}`);
  process.exitCode = rows.some((r) => r.crashes || r.failures) ? 1 : 0;
}

main();
