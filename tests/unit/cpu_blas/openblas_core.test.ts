import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadBlas } from "../../../kernel/backends/cpu_blas/ffi/blas_library.js";
import { cpuFlags, openBlasCoreFor } from "../../../kernel/backends/cpu_blas/ffi/openblas_core.js";

const flags = (list: string) => new Set(list.split(" "));

test("a CPU with AVX-512 gets OpenBLAS's SkylakeX kernels, one with AVX2 and FMA its Haswell ones, an older one OpenBLAS's own choice", () => {
  // Sapphire Rapids (which Debian 12's OpenBLAS 0.3.21 does not know) and Zen 4.
  assert.equal(openBlasCoreFor(flags("sse4_2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl amx_tile")), "SkylakeX");
  assert.equal(openBlasCoreFor(flags("avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16")), "SkylakeX");
  // Zen 2, and an AVX-512 CPU whose kernel enabled only part of it (Knights Landing has no BW/DQ/VL).
  assert.equal(openBlasCoreFor(flags("sse4_2 avx avx2 fma")), "Haswell");
  assert.equal(openBlasCoreFor(flags("avx avx2 fma avx512f avx512cd avx512er avx512pf")), "Haswell");
  // Sandy Bridge (AVX without AVX2), and no flags at all (not Linux, or an unreadable cpuinfo).
  assert.equal(openBlasCoreFor(flags("sse4_2 avx")), undefined);
  assert.equal(openBlasCoreFor(new Set()), undefined);
});

test("the CPU flags are read from the first processor of a cpuinfo file; a missing file gives none", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "tsgpu-cpuinfo-"));
  try {
    const file = path.join(folder, "cpuinfo");
    writeFileSync(file, "processor\t: 0\nflags\t\t: fpu avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu\n");
    assert.deepEqual([...cpuFlags(file)], ["fpu", "avx2", "fma"]);
    assert.equal(cpuFlags(path.join(folder, "missing")).size, 0);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("a loaded OpenBLAS with run-time kernel selection runs the kernel family OPENBLAS_CORETYPE names", (t) => {
  const { library } = loadBlas();
  const config = library?.config ?? "";
  if (!/DYNAMIC_ARCH/.test(config) || !process.env.OPENBLAS_CORETYPE) {
    t.skip(`no OpenBLAS with DYNAMIC_ARCH and a core type on this machine (${config || "no OpenBLAS config"}, OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? "unset"})`);
    return;
  }
  assert.match(config, new RegExp(`\\b${process.env.OPENBLAS_CORETYPE}\\b`, "i"));
  t.diagnostic(config);
});
