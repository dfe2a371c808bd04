import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { findLibrary, parseLdconfig } from "../../../kernel/backends/cuda/device/library_discovery";
import { loadDriver, loadNvrtc } from "../../../kernel/backends/cuda/device/library_loader";
import { FakeTree } from "./fake_tree";

describe("CUDA library discovery on fake trees", () => {
  const trees: FakeTree[] = [];
  const tree = () => {
    const t = new FakeTree();
    trees.push(t);
    return t;
  };
  after(() => trees.forEach((t) => t.remove()));

  it("finds pip's CUDA 12 NVRTC under site-packages/nvidia/cuda_nvrtc/lib", () => {
    const t = tree();
    const lib = t.file("venv/site-packages/nvidia/cuda_nvrtc/lib/libnvrtc.so.12");
    const search = findLibrary("nvrtc", t.environment({ sitePackages: ["venv/site-packages"] }));
    assert.deepEqual(search.candidates, [lib]);
    assert.ok(search.attempts.some((a) => a.path === lib && a.source === "pip" && a.found));
  });

  it("finds CUDA 13 wheels under nvidia/cu13/lib and prefers them to CUDA 12", () => {
    const t = tree();
    const cu12 = t.file("sp/nvidia/cublas/lib/libcublas.so.12");
    const cu13 = t.file("sp/nvidia/cu13/lib/libcublas.so.13");
    const search = findLibrary("cublas", t.environment({ sitePackages: ["sp"] }));
    assert.deepEqual(search.candidates, [cu13, cu12]);
  });

  it("honours the override variable, then CUDA_HOME, before LD_LIBRARY_PATH and pip", () => {
    const t = tree();
    const override = t.file("custom/libnvrtc.so.12");
    const home = t.file("toolkit/lib64/libnvrtc.so.12");
    const ld = t.file("ld/libnvrtc.so.12");
    const pip = t.file("sp/nvidia/cuda_nvrtc/lib/libnvrtc.so.12");
    const search = findLibrary(
      "nvrtc",
      t.environment({ env: { TSGPU_NVRTC_PATH: override, CUDA_HOME: t.path("toolkit"), LD_LIBRARY_PATH: `${t.path("ld")}:` }, sitePackages: ["sp"] }),
    );
    assert.deepEqual(search.candidates, [override, home, ld, pip]);
    assert.deepEqual(
      [...new Set(search.attempts.map((a) => a.source))],
      ["TSGPU_NVRTC_PATH", "CUDA_HOME", "LD_LIBRARY_PATH", "pip"],
    );
  });

  it("searches /usr/local toolkits, plain `cuda` first, then newest version first", () => {
    const t = tree();
    const old = t.file("usr/local/cuda-12.2/lib64/libcublas.so.12");
    const newer = t.file("usr/local/cuda-12.10/targets/x86_64-linux/lib/libcublas.so.12");
    const plain = t.file("usr/local/cuda/lib64/libcublas.so.12");
    t.file("usr/local/not-cuda/lib64/libcublas.so.12");
    const search = findLibrary("cublas", t.environment());
    assert.deepEqual(search.candidates, [plain, newer, old]);
  });

  it("reads the dynamic loader's cache and keeps only x86-64 entries", () => {
    const t = tree();
    const lib = t.file("sys/libnvrtc.so.12");
    const ldconfig = `2 libs found in cache \`/etc/ld.so.cache'\n\tlibnvrtc.so.12 (libc6,x86-64) => ${lib}\n\tlibnvrtc.so.12 (libc6) => /lib32/libnvrtc.so.12\n`;
    assert.deepEqual(parseLdconfig(ldconfig).get("libnvrtc.so.12"), [lib, "/lib32/libnvrtc.so.12"].slice(0, process.arch === "x64" ? 1 : 2));
    assert.deepEqual(findLibrary("nvrtc", t.environment({ ldconfig })).candidates, [lib]);
  });

  it("never takes the driver from a toolkit's link stubs", () => {
    const t = tree();
    t.file("toolkit/lib64/stubs/libcuda.so");
    const real = t.file("usr/lib/x86_64-linux-gnu/libcuda.so.1");
    const search = findLibrary("cuda", t.environment({ env: { CUDA_HOME: t.path("toolkit"), LD_LIBRARY_PATH: t.path("toolkit/lib64/stubs") } }));
    assert.deepEqual(search.candidates, [real]);
    assert.ok(search.attempts.every((a) => !a.path.includes("stubs")));
  });

  it("reports every place tried when a library is missing", () => {
    const t = tree();
    const search = findLibrary("nvrtc", t.environment({ env: { CUDA_HOME: t.path("nowhere") }, sitePackages: ["sp"] }));
    assert.equal(search.candidates.length, 0);
    assert.ok(search.attempts.length >= 6);
    assert.ok(search.attempts.every((a) => !a.found));
    assert.ok(search.attempts.some((a) => a.path === t.path("nowhere/lib64/libnvrtc.so.12")));
    assert.ok(search.attempts.some((a) => a.path === t.path("sp/nvidia/cu13/lib/libnvrtc.so.13")));
  });

  it("rejects a file that is not a loadable library, saying why", () => {
    const t = tree();
    const fake = t.file("usr/lib/x86_64-linux-gnu/libcuda.so.1");
    const { driver, report } = loadDriver(t.environment());
    if (driver) return; // this machine's loader found a real driver by soname
    assert.ok(report.rejected.some((r) => r.path === fake && r.reason.length > 0));
    assert.match(report.error ?? "", /libcuda\.so\.1/);
    assert.match(report.error ?? "", /driver/i);
  });

  it("explains how to install NVRTC when none is found", () => {
    const t = tree();
    const { nvrtc, report } = loadNvrtc(0, t.environment());
    assert.equal(nvrtc, undefined);
    assert.match(report.error ?? "", /pip install nvidia-cuda-nvrtc/);
    assert.match(report.error ?? "", /TSGPU_NVRTC_PATH/);
  });
});
