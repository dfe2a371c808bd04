/**
 * GPU tier: every kernel registered for "cuda" against tfjs's cpu backend on
 * seeded random inputs with odd sizes, broadcasting, zero-size tensors and
 * NaN/Inf. Skips with the reason when this machine has no usable GPU.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { registerCudaBackend } from "../../kernel/backends/cuda/index";
import { CUDA_KERNEL_CONFIGS } from "../../kernel/backends/cuda/register_all_kernels";
import { checkCase, KERNEL_CASES } from "./kernel_cases";
import { GPT_KERNEL_CASES } from "./gpt_kernel_cases";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";

const availability = registerCudaBackend();
installTfjsHooks(); // the tensor registry installs them; registered directly here
const skip = availability.available ? false : `no usable GPU for the cuda backend: ${availability.detail}`;

describe("cuda kernels match the cpu backend", { skip }, () => {
  after(async () => {
    await tf.setBackend("cpu");
  });

  it("has a test case for every registered kernel", () => {
    const tested = new Set([...KERNEL_CASES, ...GPT_KERNEL_CASES].map((c) => c.kernel));
    assert.deepEqual(CUDA_KERNEL_CONFIGS.map((c) => c.kernelName).filter((k) => !tested.has(k)), []);
  });

  for (const c of KERNEL_CASES) it(`${c.kernel}: ${c.label}`, () => checkCase(c));
  for (const c of GPT_KERNEL_CASES) it(`GPT shapes, ${c.kernel}: ${c.label}`, () => checkCase(c));

  it("reads data asynchronously and synchronously, and disposes idempotently", async () => {
    await tf.setBackend("cuda");
    const before = tf.engine().backend.numDataIds();
    const t = tf.tensor([1, 2, 3]);
    assert.deepEqual(Array.from(t.dataSync()), [1, 2, 3]);
    assert.deepEqual(Array.from(await t.data()), [1, 2, 3]);
    t.dispose();
    t.dispose();
    assert.equal(tf.engine().backend.numDataIds(), before);
  });

  it("reports allocated and reserved bytes, and empties its cache", async () => {
    await tf.setBackend("cuda");
    const backend = tf.engine().backend as unknown as { memory(): { allocatedBytes: number; reservedBytes: number }; emptyCache(): void };
    const start = backend.memory();
    const t = tf.zeros([1024, 1024]);
    assert.ok(backend.memory().allocatedBytes >= start.allocatedBytes + 4 * 1024 * 1024);
    t.dispose();
    assert.ok(backend.memory().reservedBytes >= start.allocatedBytes + 4 * 1024 * 1024);
    backend.emptyCache();
    assert.equal(backend.memory().reservedBytes, backend.memory().allocatedBytes);
  });

  it("fails an impossible allocation with an out-of-memory error naming the sizes", async () => {
    await tf.setBackend("cuda");
    assert.throws(() => tf.fill([1 << 30, 1 << 10], 0), /CUDA out of memory: tried to allocate 4(\.0+)? TiB.*free.*reserved/s);
    assert.deepEqual(Array.from(tf.ones([2]).dataSync()), [1, 1]);
  });
});
