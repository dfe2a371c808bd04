/**
 * Getting a WebGPU device from Dawn in Node (npm `webgpu`), set up the way
 * tfjs-backend-webgpu needs it (see shared FACTS):
 *
 * - `EGL_PLATFORM=surfaceless` so Dawn's OpenGL ES path runs without a display.
 * - Adapters tried in order: Dawn's default (Vulkan/Metal/D3D12 on real GPUs);
 *   then OpenGL ES and desktop OpenGL at the "compatibility" feature level,
 *   which is what Mesa's software renderer (llvmpipe) offers on machines
 *   without a GPU (Debian 12's Vulkan software renderer is too old for Dawn).
 * - The device is requested with every limit raised to the adapter's: tfjs's
 *   shaders use 256-thread workgroups and large buffers, and with the default
 *   limits they fail validation silently and results are garbage.
 * - tfjs-backend-webgpu reads `navigator.gpu` and the `GPUBufferUsage`,
 *   `GPUMapMode`... constants as globals; they are defined only where missing.
 *
 * - What Dawn prints from native code while enumerating adapters (limits it
 *   "artificially reduced") is captured (`native_stderr.ts`), not left on the
 *   cell's stderr, and kept in `WebGpuDevice.nativeLog`.
 *
 * Set `TSGPU_WEBGPU=off` to skip WebGPU entirely.
 */

import { captureNativeStderr } from "./native_stderr.js";

/** Minimal WebGPU typings for what tsgpu touches (the package's own are DOM-based). */
export interface GpuAdapterLike {
  readonly features: ReadonlySet<string>;
  readonly limits: Record<string, number>;
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  requestDevice(descriptor?: { requiredLimits?: Record<string, number>; requiredFeatures?: string[] }): Promise<GpuDeviceLike>;
}

export interface GpuDeviceLike {
  readonly limits: Record<string, number>;
  readonly lost: Promise<{ reason?: string; message: string }>;
  readonly queue: { onSubmittedWorkDone(): Promise<void> };
  addEventListener?(type: "uncapturederror", listener: (event: { error: { message: string; constructor: { name: string } } }) => void): void;
  onuncapturederror?: ((event: { error: { message: string; constructor: { name: string } } }) => void) | null;
  destroy(): void;
}

interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<GpuAdapterLike | null>;
}

export interface WebGpuDevice {
  adapter: GpuAdapterLike;
  device: GpuDeviceLike;
  /** Which Dawn backend and feature level gave the adapter, e.g. "opengles, compatibility". */
  path: string;
  /** Short name of the adapter, e.g. "llvmpipe-llvm-15-0-6-256-bits" or "NVIDIA GeForce RTX 4090". */
  description: string;
  /** Everything the adapter says about itself (device, driver description, vendor). */
  details: string;
  /** True for CPU renderers (llvmpipe, SwiftShader, lavapipe, softpipe). */
  software: boolean;
  /** What Dawn printed from native code while finding adapters (kept out of the cell's stderr). */
  nativeLog: string[];
}

const ATTEMPTS: Array<{ flags: string[]; options: Record<string, unknown>; path: string }> = [
  { flags: [], options: { powerPreference: "high-performance" }, path: "default, core" },
  { flags: ["backend=opengles"], options: { featureLevel: "compatibility" }, path: "opengles, compatibility" },
  { flags: ["backend=opengl"], options: { featureLevel: "compatibility" }, path: "opengl, compatibility" },
];

const SOFTWARE = /llvmpipe|swiftshader|lavapipe|softpipe|software/i;

/** Thrown with the reason when no adapter can be had. */
export class NoWebGpuAdapterError extends Error {
  override name = "NoWebGpuAdapterError";
}

/**
 * Loads Dawn, installs the globals tfjs-backend-webgpu reads, and returns a
 * device with raised limits from the first adapter that answers.
 * `raiseLimits: false` keeps WebGPU's default limits; only tests want that.
 */
export async function requestWebGpuDevice(options: { raiseLimits?: boolean } = {}): Promise<WebGpuDevice> {
  for await (const candidate of webGpuDevices(options)) return candidate;
  throw new NoWebGpuAdapterError("no WebGPU adapter");
}

/**
 * Every device Dawn offers, in the order of {@link ATTEMPTS}, so a caller can
 * move on when one gives wrong results. Throws {@link NoWebGpuAdapterError}
 * with each path's reason when none gives an adapter.
 */
export async function* webGpuDevices(options: { raiseLimits?: boolean } = {}): AsyncGenerator<WebGpuDevice> {
  if (process.env["TSGPU_WEBGPU"] === "off") throw new NoWebGpuAdapterError("disabled by TSGPU_WEBGPU=off");
  if (process.platform === "linux" && !process.env["EGL_PLATFORM"]) process.env["EGL_PLATFORM"] = "surfaceless";
  let dawn: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    dawn = (await import("webgpu")) as unknown as typeof dawn;
  } catch (error) {
    throw new NoWebGpuAdapterError(`the webgpu package (Dawn) does not load: ${error instanceof Error ? error.message : String(error)}`);
  }
  const tried: string[] = [];
  const nativeLog: string[] = [];
  let yielded = false;
  for (const attempt of ATTEMPTS) {
    const skipDefault = attempt.flags.length === 0 && process.platform === "linux" ? linuxVulkanUnusable() : undefined;
    if (skipDefault) {
      // Dawn's default on Linux is Vulkan; with no GPU device node or no loader it only prints errors.
      tried.push(`${attempt.path}: ${skipDefault}`);
      continue;
    }
    let adapter: GpuAdapterLike | null = null;
    let gpu: GpuLike | undefined;
    try {
      const created = dawn.create(attempt.flags);
      gpu = created;
      // Dawn prints adapter warnings from native code while enumerating: kept out of the cell, in `nativeLog`.
      const request = captureNativeStderr(() => created.requestAdapter(attempt.options));
      if (request.stderr.trim()) nativeLog.push(...request.stderr.trim().split("\n").map((line) => `${attempt.path}: ${line}`));
      adapter = await request.value;
    } catch (error) {
      tried.push(`${attempt.path}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      continue;
    }
    if (!adapter) {
      tried.push(`${attempt.path}: no adapter`);
      continue;
    }
    installGlobals(dawn.globals, gpu);
    const requiredLimits: Record<string, number> = {};
    // raiseLimits: false reproduces the default-limits device that makes tfjs's shaders invalid (tests use it).
    if (options.raiseLimits !== false) for (const key in adapter.limits) {
      const value = adapter.limits[key];
      if (typeof value === "number") requiredLimits[key] = value;
    }
    const requiredFeatures = ["timestamp-query"].filter((f) => adapter!.features.has(f));
    const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
    const info = adapter.info ?? {};
    const parts = [info.device, info.description, info.vendor, info.architecture].map((s) => (s ?? "").trim()).filter((s, i, all) => s && all.indexOf(s) === i);
    const description = (parts[0] ?? "unknown adapter").replace(/[-\s]+$/, "");
    yielded = true;
    yield { adapter, device, path: attempt.path, description, details: parts.join(", "), software: SOFTWARE.test(parts.join(" ")), nativeLog: [...nativeLog] };
  }
  if (!yielded) throw new NoWebGpuAdapterError(`no WebGPU adapter (${tried.join("; ")})`);
}

/**
 * Why Dawn's Vulkan path cannot give a hardware adapter on this Linux machine
 * (no GPU device node under /dev/dri or /dev/nvidia*, or no Vulkan loader),
 * or undefined when it may. Software Vulkan (lavapipe) is not worth trying:
 * Debian 12's is too old for Dawn, and GL on llvmpipe follows anyway.
 */
function linuxVulkanUnusable(): string | undefined {
  const fs = require("node:fs") as typeof import("node:fs");
  const nodes = [...safeList(fs, "/dev/dri").filter((n) => n.startsWith("renderD")), ...safeList(fs, "/dev").filter((n) => /^nvidia\d+$/.test(n))];
  if (nodes.length === 0) return "no GPU device node (/dev/dri/renderD*, /dev/nvidia*)";
  return hasVulkanLoader(fs) ? undefined : "no Vulkan loader (libvulkan.so.1)";
}

function safeList(fs: typeof import("node:fs"), dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Whether the dynamic loader can find libvulkan.so.1 (ld.so.cache or LD_LIBRARY_PATH). */
function hasVulkanLoader(fs: typeof import("node:fs")): boolean {
  const dirs = (process.env["LD_LIBRARY_PATH"] ?? "").split(":").filter(Boolean);
  if (dirs.some((dir) => fs.existsSync(`${dir}/libvulkan.so.1`))) return true;
  try {
    return fs.readFileSync("/etc/ld.so.cache").includes("libvulkan.so.1");
  } catch {
    return true; // cannot tell: let Dawn try
  }
}

/**
 * tfjs-backend-webgpu reads `navigator.gpu` and the WebGPU constant
 * namespaces from the global scope (as in a browser). Defines only what is
 * missing; never replaces an existing value.
 */
function installGlobals(globals: Record<string, unknown>, gpu: GpuLike): void {
  const scope = globalThis as Record<string, unknown>;
  for (const [key, value] of Object.entries(globals)) if (!(key in scope)) scope[key] = value;
  const navigator = (scope["navigator"] ??= {}) as Record<string, unknown>;
  if (!navigator["gpu"]) {
    try {
      Object.defineProperty(navigator, "gpu", { value: gpu, configurable: true, enumerable: true });
    } catch {
      scope["navigator"] = Object.assign(Object.create(navigator as object) as object, { gpu });
    }
  }
}
