import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { cudaDiagnostics, describeCudaDiagnostics, registerCudaBackend } from "../../../kernel/backends/cuda/index";
import { findLibrary } from "../../../kernel/backends/cuda/device/library_discovery";
import { CUDA_KERNEL_CONFIGS } from "../../../kernel/backends/cuda/register_all_kernels";

const hasDriver = findLibrary("cuda").candidates.length > 0;

/** The 28 kernels tfjs-layers model.fit calls for an MLP with Adam and softmax cross-entropy (traced; see docs/cuda-backend.md). */
const MLP_TRAINING_KERNELS = [
  "Add", "ArgMax", "BatchMatMul", "Cast", "ClipByValue", "Equal", "GatherV2", "GreaterEqual", "Identity", "LessEqual",
  "Log", "LogicalAnd", "Mean", "Multiply", "Neg", "RealDiv", "Relu", "Reshape", "Select", "Slice", "Softmax", "Sqrt",
  "Square", "Step", "Sub", "Sum", "ZerosLike", "_FusedMatMul",
];

describe("registering the cuda backend", () => {
  it("reports unavailable with the reason on a machine without the NVIDIA driver", { skip: hasDriver ? "this machine has libcuda: see the GPU tier" : false }, () => {
    const result = registerCudaBackend();
    assert.equal(result.available, false);
    assert.match(result.detail, /no NVIDIA driver/);
    assert.match(result.detail, /libcuda\.so\.1/);
    assert.ok(!Object.keys(tf.engine().registryFactory).includes("cuda"));
  });

  it("is safe to call twice and gives the same answer", () => {
    assert.deepEqual(registerCudaBackend(), registerCudaBackend());
  });

  it("leaves tfjs's cpu backend working", async () => {
    registerCudaBackend();
    await tf.setBackend("cpu");
    const product = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
    assert.deepEqual(Array.from(await product.data()), [17, 39]);
  });

  it("lists every library with the places it looked", { skip: hasDriver ? "this machine has libcuda" : false }, () => {
    const diagnostics = cudaDiagnostics();
    assert.deepEqual(diagnostics.libraries.map((l) => l.library), ["cuda", "nvrtc", "cublas"]);
    for (const library of diagnostics.libraries) assert.ok(library.search.attempts.length > 0, `${library.library} attempts`);
    assert.ok(diagnostics.libraries[0]!.search.attempts.some((a) => a.path.endsWith("libcuda.so.1")));
  });

  it("describes the diagnostics as text for tsgpu doctor, listing the paths tried", { skip: hasDriver ? "this machine has libcuda" : false }, () => {
    const lines = describeCudaDiagnostics();
    assert.match(lines[0]!, /^cuda: unavailable - no NVIDIA driver/);
    assert.ok(lines.some((l) => /^\s+missing \/usr\/lib\/x86_64-linux-gnu\/libcuda\.so\.1 \(system\)$/.test(l)), lines.join("\n"));
    assert.ok(lines.some((l) => /^  nvrtc: /.test(l)));
  });

  it("has a kernel for each of the 28 kernels an MLP's model.fit calls", () => {
    const registered = new Set(CUDA_KERNEL_CONFIGS.map((c) => c.kernelName));
    assert.deepEqual(MLP_TRAINING_KERNELS.filter((k) => !registered.has(k)), []);
    assert.ok(CUDA_KERNEL_CONFIGS.every((c) => c.backendName === "cuda"));
    assert.equal(registered.size, CUDA_KERNEL_CONFIGS.length);
  });
});
