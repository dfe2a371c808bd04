/**
 * Compiles kernel families with NVRTC for the device's own architecture and
 * keeps the images on disk (`~/.cache/tsgpu/cuda`, or $TSGPU_CUDA_CACHE_DIR),
 * keyed by a hash of the source, the target, and the NVRTC and driver
 * versions, so a kernel is compiled once per machine.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CudaUnavailableError } from "../errors";
import type { NvrtcApi } from "../ffi/nvrtc_api";

/** What NVRTC is asked to produce for a device. */
export interface CompileTarget {
  /** e.g. "--gpu-architecture=sm_90" */
  option: string;
  kind: "cubin" | "ptx";
  /** Human-readable, e.g. "sm_90 cubin" or "compute_90 PTX (JIT by the driver for sm_100)". */
  description: string;
}

/**
 * Picks the target for a device of compute capability `deviceArch` (e.g. 90)
 * given NVRTC's supported list: the exact `sm_XX` cubin when NVRTC knows the
 * architecture, else PTX for the newest architecture not above the device's,
 * which the driver compiles at load. Throws {@link CudaUnavailableError} when
 * the device is older than anything NVRTC can target.
 */
export function chooseTarget(deviceArch: number, supported: readonly number[], nvrtcVersion: string): CompileTarget {
  if (supported.includes(deviceArch)) {
    return { option: `--gpu-architecture=sm_${deviceArch}`, kind: "cubin", description: `sm_${deviceArch} cubin` };
  }
  const lower = supported.filter((a) => a <= deviceArch);
  if (lower.length === 0) {
    throw new CudaUnavailableError(
      `this GPU's architecture sm_${deviceArch} is older than anything NVRTC ${nvrtcVersion} can target ` +
        `(oldest: sm_${Math.min(...supported)}). Install the NVRTC of an older CUDA toolkit that still supports it ` +
        `(e.g. pip install nvidia-cuda-nvrtc-cu12) and point TSGPU_NVRTC_PATH at its libnvrtc.so, or use another backend.`,
    );
  }
  const arch = Math.max(...lower);
  return {
    option: `--gpu-architecture=compute_${arch}`,
    kind: "ptx",
    description: `compute_${arch} PTX (compiled by the driver for sm_${deviceArch})`,
  };
}

/** The default on-disk cache folder. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.TSGPU_CUDA_CACHE_DIR) return env.TSGPU_CUDA_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "tsgpu", "cuda");
}

/** A compiled family image and whether it came from the disk cache. */
export interface CompiledFamily {
  image: Buffer;
  kind: "cubin" | "ptx";
  fromCache: boolean;
  cacheFile: string;
}

export class KernelCompiler {
  private readonly versionKey: string;

  constructor(
    private readonly nvrtc: NvrtcApi,
    readonly target: CompileTarget,
    driverVersion: number,
    readonly cacheDir: string = defaultCacheDir(),
  ) {
    const v = nvrtc.version();
    this.versionKey = `nvrtc ${v.major}.${v.minor} driver ${driverVersion}`;
  }

  /** The family's image, from the cache when present, else compiled and stored. */
  compile(family: string, source: string): CompiledFamily {
    const hash = createHash("sha256").update(source).update("\0").update(this.target.option).update("\0").update(this.versionKey).digest("hex");
    const arch = this.target.option.replace(/^.*=/, "");
    const cacheFile = join(this.cacheDir, `${family}-${arch}-${hash.slice(0, 24)}.${this.target.kind}`);
    try {
      return { image: readFileSync(cacheFile), kind: this.target.kind, fromCache: true, cacheFile };
    } catch {
      // Not cached yet.
    }
    const compiled = this.nvrtc.compile(source, `${family}.cu`, [this.target.option, "--std=c++17"], this.target.kind);
    // cuModuleLoadData needs PTX text NUL-terminated (NVRTC's size includes the NUL; keep it so).
    const needsNul = compiled.kind === "ptx" && compiled.image[compiled.image.length - 1] !== 0;
    const image = needsNul ? Buffer.concat([compiled.image, Buffer.from([0])]) : compiled.image;
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, image);
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only home only costs a recompile next time.
    }
    return { image, kind: compiled.kind, fromCache: false, cacheFile };
  }
}
