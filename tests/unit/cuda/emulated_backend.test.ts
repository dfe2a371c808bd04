/**
 * The whole cuda backend — library loading, the driver/NVRTC/cuBLAS
 * bindings, the caching allocator, kernel compilation and launches, and every
 * kernel — on a CPU emulator of the driver and cuBLAS (emulator/), so it runs
 * on CI without a GPU. NVRTC is the real one (it compiles each family for
 * the emulated sm_80 GPU); the kernels run as the same CUDA C compiled by g++
 * for the host. The GPU tier (tests/gpu) runs the same cases on a real GPU.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { CudaBackend, CudaOutOfMemoryError, cudaDiagnostics } from "../../../kernel/backends/cuda/index";
import { CUDA_KERNEL_CONFIGS } from "../../../kernel/backends/cuda/register_all_kernels";
import { DENSE_STACK_GRADIENTS_KERNEL, FusedKernelInputError } from "../../../kernel/fused/index";
import { registration as cpuBlas } from "../cpu_blas/compare";
import { BAD_INPUT_CASES, thrownBy } from "../fused/bad_inputs";
import { checkCase, KERNEL_CASES } from "../../gpu/kernel_cases";
import { GPT_KERNEL_CASES } from "../../gpu/gpt_kernel_cases";
import { CNN_KERNEL_CASES } from "../../gpu/cnn_kernel_cases";
import { emulatedCudaSkipReason, startEmulatedCuda } from "./emulated_cuda";

const skip = emulatedCudaSkipReason();

describe("cuda backend on the CPU emulator", { skip }, () => {
  let stop: () => Promise<void>;

  before(async () => {
    stop = await startEmulatedCuda();
  });

  after(async () => {
    await stop();
  });

  it("reports the device, the target and every library it loaded", () => {
    const diagnostics = cudaDiagnostics();
    assert.match(diagnostics.detail, /tsgpu CPU emulator \(sm_80, sm_80 cubin\), driver CUDA 12\.8, NVRTC 12\.\d+, cuBLAS 12\.9\.0/);
    assert.deepEqual(diagnostics.libraries.map((l) => [l.library, Boolean(l.loaded)]), [["cuda", true], ["nvrtc", true], ["cublas", true]]);
  });

  it("has a test case for every registered kernel", () => {
    // The GPT's fused kernels run in gpt_kernels.test.ts.
    const tested = new Set([...KERNEL_CASES, ...GPT_KERNEL_CASES].map((c) => c.kernel));
    assert.deepEqual(CUDA_KERNEL_CONFIGS.map((c) => c.kernelName).filter((k) => !tested.has(k)), []);
  });

  // The CNN families run in conv.test.ts, pool.test.ts and batchnorm.test.ts.
  for (const c of KERNEL_CASES.filter((k) => !CNN_KERNEL_CASES.includes(k))) it(`${c.kernel}: ${c.label}`, () => checkCase(c));

  it("trains an MLP with model.fit like the cpu backend does, through the fused dense-stack step", async () => {
    const next = (() => {
      let seed = 7;
      return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    })();
    const xs = Float32Array.from({ length: 512 * 20 }, () => next() * 2 - 1);
    const labels = Int32Array.from({ length: 512 }, (_, i) => (xs[i * 20]! + xs[i * 20 + 1]! > 0 ? 1 : 0) + (xs[i * 20 + 2]! > 0.5 ? 1 : 0));
    let fusedStepRan = false;
    const train = async (backend: string) => {
      let history: tf.History | undefined;
      await tf.setBackend(backend);
      const model = tf.sequential();
      model.add(tf.layers.dense({ inputShape: [20], units: 16, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
      model.add(tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
      model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
      const x = tf.tensor2d(xs, [512, 20]);
      const y = tf.oneHot(tf.tensor1d(labels, "int32"), 3).toFloat();
      const profile = await tf.profile(async () => {
        history = await model.fit(x, y, { epochs: 5, batchSize: 64, shuffle: false, verbose: 0 });
      });
      if (backend === "cuda") fusedStepRan = profile.kernels.some((k) => k.name === DENSE_STACK_GRADIENTS_KERNEL);
      tf.dispose([x, y]);
      model.dispose();
      return { loss: history!.history.loss as number[], accuracy: history!.history.acc as number[] };
    };
    const cpu = await train("cpu");
    const cuda = await train("cuda");
    assert.ok(fusedStepRan, "the cuda run did not go through the fused dense-stack step");
    assert.ok(cuda.loss[4]! < cuda.loss[0]! * 0.8, `loss fell too little: ${cuda.loss}`);
    for (let e = 0; e < 5; e++) assert.ok(Math.abs(cuda.loss[e]! - cpu.loss[e]!) < 1e-3, `epoch ${e}: cuda loss ${cuda.loss[e]} vs cpu ${cpu.loss[e]}`);
  });

  for (const c of BAD_INPUT_CASES) {
    it(`${c.kernel} rejects ${c.label} with the error cpu-blas gives`, { skip: cpuBlas.available ? false : `cpu-blas unavailable: ${cpuBlas.detail}` }, async () => {
      await tf.setBackend("cuda");
      const onCuda = thrownBy(c);
      await tf.setBackend("cpu-blas");
      const onCpuBlas = thrownBy(c);
      await tf.setBackend("cuda");
      assert.ok(onCuda instanceof FusedKernelInputError, `expected a FusedKernelInputError, got ${String(onCuda)}`);
      assert.equal(onCuda.input, c.input);
      assert.ok(onCpuBlas instanceof FusedKernelInputError, `expected a FusedKernelInputError, got ${String(onCpuBlas)}`);
      assert.equal(onCuda.message, onCpuBlas.message);
    });
  }

  it("reuses device memory across training steps and returns it on dispose", async () => {
    await tf.setBackend("cuda");
    const backend = tf.engine().backend as CudaBackend;
    const start = backend.memory().allocatedBytes;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).relu().sum().dataSync());
    }
    assert.equal(backend.memory().allocatedBytes, start);
    assert.ok(backend.memory().reservedBytes > start);
    backend.emptyCache();
    assert.equal(backend.memory().reservedBytes, backend.memory().allocatedBytes);
  });

  it("fails an allocation beyond device memory with the driver's figures, then keeps working", async () => {
    await tf.setBackend("cuda");
    assert.throws(() => tf.fill([128 * 1024 * 1024], 1), (error: unknown) => {
      assert.ok(error instanceof CudaOutOfMemoryError);
      assert.match(error.message, /tried to allocate 512 MiB; the GPU has .* free of 256 MiB/);
      return true;
    });
    assert.deepEqual(Array.from(tf.fill([2], 3).dataSync()), [3, 3]);
  });
});
