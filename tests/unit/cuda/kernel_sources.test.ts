import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CudaUnavailableError, NvrtcError } from "../../../kernel/backends/cuda/errors";
import { NvrtcApi } from "../../../kernel/backends/cuda/ffi/nvrtc_api";
import { chooseTarget, KernelCompiler } from "../../../kernel/backends/cuda/device/kernel_compiler";
import { KERNEL_FAMILIES } from "../../../kernel/backends/cuda/sources/kernel_families";
import { NO_NVRTC_MESSAGE, nvrtcPathForTests } from "./nvrtc_library";

const nvrtcPath = nvrtcPathForTests();
const skip = nvrtcPath ? false : NO_NVRTC_MESSAGE;
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

describe("kernel sources compile with NVRTC", { skip }, () => {
  const nvrtc = nvrtcPath ? NvrtcApi.load(nvrtcPath) : undefined;

  // sm_75/80/90 (Turing, Ampere, Hopper) and the newest architecture this NVRTC targets (Blackwell with NVRTC 12.9).
  const newest = nvrtc ? Math.max(...nvrtc.supportedArchs()) : 90;
  for (const arch of [...new Set([75, 80, 90, newest])]) {
    for (const [family, source] of Object.entries(KERNEL_FAMILIES)) {
      it(`compiles the ${family} family to an sm_${arch} cubin`, () => {
        const compiled = nvrtc!.compile(source(), `${family}.cu`, [`--gpu-architecture=sm_${arch}`, "--std=c++17"], "cubin");
        assert.ok(compiled.image.length > 1000);
        assert.deepEqual(compiled.image.subarray(0, 4), ELF_MAGIC);
      });
    }
  }

  it("reports a compile error with the call, the options and NVRTC's log", () => {
    assert.throws(
      () => nvrtc!.compile('extern "C" __global__ void broken(float* out) { out[0] = undefined_name; }', "broken.cu", ["--gpu-architecture=sm_80"], "cubin"),
      (error: unknown) => {
        assert.ok(error instanceof NvrtcError);
        assert.match(error.message, /nvrtcCompileProgram\(broken\.cu, --gpu-architecture=sm_80\)/);
        assert.match(error.log, /undefined_name/);
        return true;
      },
    );
  });

  it("lists sm_75, sm_80 and sm_90 among the supported architectures", () => {
    const archs = nvrtc!.supportedArchs();
    for (const arch of [75, 80, 90]) assert.ok(archs.includes(arch), `sm_${arch} in [${archs}]`);
  });
});

describe("kernel compiler disk cache", { skip }, () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "tsgpu-cuda-cache-"));
  after(() => rmSync(cacheDir, { recursive: true, force: true }));

  it("compiles a family once, then loads it from the cache keyed by source and target", () => {
    const nvrtc = NvrtcApi.load(nvrtcPath!);
    const compiler = new KernelCompiler(nvrtc, chooseTarget(80, nvrtc.supportedArchs(), "test"), 12080, cacheDir);
    const source = KERNEL_FAMILIES.softmax();
    const first = compiler.compile("softmax", source);
    const second = compiler.compile("softmax", source);
    assert.equal(first.fromCache, false);
    assert.equal(second.fromCache, true);
    assert.deepEqual(second.image, first.image);
    const changed = compiler.compile("softmax", `${source}\n// changed\n`);
    assert.equal(changed.fromCache, false);
    const otherArch = new KernelCompiler(nvrtc, chooseTarget(90, nvrtc.supportedArchs(), "test"), 12080, cacheDir).compile("softmax", source);
    assert.equal(otherArch.fromCache, false);
    assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith(".cubin")).length, 3);
  });

  it("emits NUL-terminated PTX when the driver must compile for a newer GPU", () => {
    const nvrtc = NvrtcApi.load(nvrtcPath!);
    const archs = nvrtc.supportedArchs();
    const target = chooseTarget(Math.max(...archs) + 10, archs, "test");
    const compiled = new KernelCompiler(nvrtc, target, 13000, cacheDir).compile("gather", KERNEL_FAMILIES.gather());
    assert.equal(compiled.kind, "ptx");
    assert.equal(compiled.image[compiled.image.length - 1], 0);
  });
});

describe("compile target choice", () => {
  const supported = [75, 80, 86, 89, 90, 100, 120];

  it("uses a cubin for the device's own architecture when NVRTC knows it", () => {
    assert.deepEqual(chooseTarget(90, supported, "12.9"), { option: "--gpu-architecture=sm_90", kind: "cubin", description: "sm_90 cubin" });
  });

  it("falls back to PTX of the newest lower architecture for a GPU newer than NVRTC", () => {
    const target = chooseTarget(130, supported, "12.9");
    assert.equal(target.option, "--gpu-architecture=compute_120");
    assert.equal(target.kind, "ptx");
  });

  it("refuses a GPU older than anything NVRTC targets, saying what to install", () => {
    assert.throws(() => chooseTarget(61, supported, "13.0"), (error: unknown) => {
      assert.ok(error instanceof CudaUnavailableError);
      assert.match(error.message, /sm_61 is older than anything NVRTC 13\.0 can target \(oldest: sm_75\)/);
      assert.match(error.message, /TSGPU_NVRTC_PATH/);
      return true;
    });
  });
});
