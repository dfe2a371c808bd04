import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { blasCandidates, type BlasLibrary, searchBlas } from "../../../kernel/backends/cpu_blas/ffi/blas_library.js";
import { findBlasLibrary, registerCpuBlasBackend } from "../../../kernel/backends/cpu_blas/index.js";
import { cpuBlasKernelConfigs } from "../../../kernel/backends/cpu_blas/register_all_kernels.js";
import { registration, skipReason } from "./compare.js";
import { FUSED_KERNEL_NAMES } from "../../../kernel/fused/index.js";
import { GPT_FUSED_KERNEL_NAMES } from "../../../kernel/fused/gpt/index.js";

describe("BLAS library search", () => {
  it("reports every candidate it tried and why each failed", () => {
    const result = searchBlas(["/nonexistent/libopenblas.so", "libc.so.6"], 1);
    assert.equal(result.library, undefined);
    assert.equal(result.tried.length, 2);
    assert.match(result.tried[0]!, /^\/nonexistent\/libopenblas\.so: cannot load/);
    assert.match(result.tried[1]!, /^libc\.so\.6: loaded but has no cblas_sgemm/);
  });

  /** C = A x B for A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]], and A^T x B through the flags. */
  function checkGemm(library: BlasLibrary): void {
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([5, 6, 7, 8]);
    const c = new Float32Array(4);
    library.sgemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
    assert.deepEqual(Array.from(c), [19, 22, 43, 50]);
    library.sgemm(true, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
    assert.deepEqual(Array.from(c), [26, 30, 38, 44]);
  }

  it("computes a GEMM with every candidate library that loads (system and Python-bundled)", (t) => {
    const loadable = blasCandidates().map((path) => searchBlas([path]).library).filter((l): l is BlasLibrary => l !== undefined);
    if (loadable.length === 0) {
      t.skip("no BLAS library on this machine");
      return;
    }
    for (const library of loadable) checkGemm(library);
    t.diagnostic(`checked ${loadable.map((l) => `${l.path} (${l.symbol})`).join(", ")}`);
  });

  it("tries TSGPU_BLAS first", () => {
    const previous = process.env.TSGPU_BLAS;
    process.env.TSGPU_BLAS = "/opt/custom/libmyblas.so";
    try {
      assert.equal(blasCandidates()[0], "/opt/custom/libmyblas.so");
    } finally {
      if (previous === undefined) delete process.env.TSGPU_BLAS;
      else process.env.TSGPU_BLAS = previous;
    }
  });

  it("answers available:false with the paths tried when nothing is found, and where it is when found", () => {
    const found = findBlasLibrary();
    assert.ok(found.tried.length > 0);
    if (registration.available) {
      assert.ok(found.path);
      assert.match(registration.detail, /thread/);
    } else {
      assert.equal(found.path, undefined);
      assert.match(registration.detail, /no BLAS library found; tried/);
    }
  });
});

describe("cpu-blas backend registration", { skip: skipReason }, () => {
  it("registers its own heavy kernels, tsgpu's fused kernels and tfjs's cpu kernels for every other op", () => {
    const expected = new Set([...tf.getKernelsForBackend("cpu").map((k) => k.kernelName), ...FUSED_KERNEL_NAMES, ...GPT_FUSED_KERNEL_NAMES]);
    const blas = tf.getKernelsForBackend("cpu-blas");
    assert.deepEqual(new Set(blas.map((k) => k.kernelName)), expected);
    for (const config of cpuBlasKernelConfigs) {
      assert.equal(tf.getKernel(config.kernelName, "cpu-blas")?.kernelFunc, config.kernelFunc, config.kernelName);
    }
  });

  it("can be registered twice without error and is selectable", async () => {
    assert.equal(registerCpuBlasBackend().available, true);
    assert.equal(await tf.setBackend("cpu-blas"), true);
    assert.equal(tf.getBackend(), "cpu-blas");
    assert.deepEqual(Array.from(tf.matMul([[1, 2]], [[3], [4]]).dataSync()), [11]);
  });
});
