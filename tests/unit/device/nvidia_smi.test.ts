import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { NvidiaGpuReader } from "../../../kernel/device/nvidia_gpus.js";
import { parseCudaVersionFromBanner, parseNvidiaSmiCsv, queryNvidiaSmi } from "../../../kernel/device/nvidia_smi.js";

// Written in the format `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` documents:
// ", " separated, memory in MiB, power in W, "[N/A]" / "[Not Supported]" where a GPU cannot say.
const TWO_GPUS = [
  "0, NVIDIA H100 80GB HBM3, GPU-1a2b3c4d-0000-1111-2222-333344445555, 9.0, 1024, 81559, 37, 41, 118.52, 700.00, 580.65.06",
  "1, Tesla T4, GPU-99887766-aaaa-bbbb-cccc-ddddeeeeffff, 7.5, 0, 15360, [N/A], 33, [Not Supported], [N/A], 580.65.06",
  "",
].join("\n");

const BANNER = `+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 580.65.06              Driver Version: 580.65.06      CUDA Version: 13.0     |
|-----------------------------------------+------------------------+----------------------+`;

test("parses every field of nvidia-smi's CSV, in bytes and watts", () => {
  const [h100, t4] = parseNvidiaSmiCsv(TWO_GPUS, "13.0");
  assert.deepEqual(h100, {
    index: 0,
    name: "NVIDIA H100 80GB HBM3",
    source: "nvidia-smi",
    uuid: "GPU-1a2b3c4d-0000-1111-2222-333344445555",
    computeCapability: "9.0",
    memoryUsedBytes: 1024 * 1024 * 1024,
    memoryTotalBytes: 81559 * 1024 * 1024,
    utilizationPercent: 37,
    temperatureCelsius: 41,
    powerWatts: 118.52,
    powerLimitWatts: 700,
    driverVersion: "580.65.06",
    cudaVersion: "13.0",
  });
  assert.equal(t4!.name, "Tesla T4");
  assert.equal(t4!.memoryUsedBytes, 0);
  assert.equal(t4!.utilizationPercent, undefined, "[N/A] leaves the field out");
  assert.equal(t4!.powerWatts, undefined, "[Not Supported] leaves the field out");
});

test("reads quoted names and the older query without compute_cap", () => {
  const [gpu] = parseNvidiaSmiCsv('0, "Quadro RTX 8000, rev ""B""", GPU-1, 10, 48601, 0, 30, 20.1, 260.0, 470.82.01\n', undefined, false);
  assert.equal(gpu!.name, 'Quadro RTX 8000, rev "B"');
  assert.equal(gpu!.computeCapability, undefined);
  assert.equal(gpu!.driverVersion, "470.82.01");
});

test("ignores blank and malformed lines", () => {
  assert.deepEqual(parseNvidiaSmiCsv("\nNo devices were found\n"), []);
});

test("finds the CUDA version in nvidia-smi's banner", () => {
  assert.equal(parseCudaVersionFromBanner(BANNER), "13.0");
  assert.equal(parseCudaVersionFromBanner("no banner"), undefined);
});

test("queries a real nvidia-smi-shaped program and falls back to it without NVML", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsgpu-smi-"));
  try {
    const program = join(dir, "nvidia-smi");
    writeFileSync(join(dir, "banner.txt"), BANNER);
    writeFileSync(join(dir, "gpus.csv"), TWO_GPUS);
    // Prints the banner without arguments and the CSV for a --query-gpu call, as nvidia-smi does.
    writeFileSync(program, `#!/bin/sh\nif [ $# -eq 0 ]; then cat "${dir}/banner.txt"; else case "$1" in --query-gpu=*) cat "${dir}/gpus.csv";; *) exit 2;; esac; fi\n`);
    chmodSync(program, 0o755);
    const gpus = await queryNvidiaSmi(program);
    assert.equal(gpus.length, 2);
    assert.equal(gpus[0]!.cudaVersion, "13.0");
    const reader = await new NvidiaGpuReader(program).read();
    assert.equal(reader.gpus.length, 2);
    assert.equal(reader.note, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("explains an empty GPU list when neither NVML nor nvidia-smi is there", async () => {
  const found = await new NvidiaGpuReader("/nonexistent/nvidia-smi").read();
  if (found.gpus.length === 0) {
    assert.match(found.note ?? "", /^No NVIDIA GPU found \(NVML: libnvidia-ml\.so\.1 not found \(no NVIDIA driver\); nvidia-smi: \/nonexistent\/nvidia-smi not found\)$/);
  } else {
    assert.equal(found.gpus[0]!.source, "nvml", "a machine with NVML reports through it");
  }
});
