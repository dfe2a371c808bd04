/**
 * NVIDIA GPU information through NVML (`libnvidia-ml.so.1`, installed with the
 * driver) called by FFI with `koffi`. No compilation, nothing at install time;
 * where the library is missing the caller falls back to `nvidia-smi`.
 *
 * Every call is checked; a failing optional query (e.g. power on a GPU that
 * does not report it) leaves that field out instead of failing the snapshot.
 * Struct layouts and their decoding are in `nvml_structs.ts`.
 */
import type { GpuInfo } from "../runtime/device_snapshot.js";
import {
  decodeCString,
  decodeNvmlMemory,
  decodeNvmlUtilization,
  formatCudaDriverVersion,
  NVML_DRIVER_VERSION_BUFFER_SIZE,
  NVML_MEMORY_SIZE,
  NVML_NAME_BUFFER_SIZE,
  NVML_UTILIZATION_SIZE,
  NVML_UUID_BUFFER_SIZE,
  nvmlReturnName,
} from "./nvml_structs.js";

/** An NVML call failed. */
export class NvmlError extends Error {
  override name = "NvmlError";
  constructor(readonly call: string, readonly code: number) {
    super(`${call} failed: ${nvmlReturnName(code)} (${code})`);
  }
}

/** NVML's library could not be loaded (no NVIDIA driver on this machine, usually). */
export class NvmlLoadError extends Error {
  override name = "NvmlLoadError";
  /** One "path: reason" per library name tried. */
  constructor(readonly failures: string[]) {
    super(`cannot load NVML, the NVIDIA driver's management library (${failures.join("; ")})`);
  }
}

type Fn = (...args: unknown[]) => number;

interface NvmlFunctions {
  init: Fn;
  deviceCount: Fn;
  handleByIndex: Fn;
  name: Fn;
  uuid: Fn;
  computeCapability: Fn;
  memory: Fn;
  utilization: Fn;
  temperature: Fn;
  power: Fn;
  powerLimit: Fn;
  driverVersion: Fn;
  cudaDriverVersion: Fn;
}

/** Library names tried in order (Linux; the driver installs the versioned one). */
export const NVML_LIBRARY_NAMES = ["libnvidia-ml.so.1", "libnvidia-ml.so", "nvml.dll"];

const NVML_TEMPERATURE_GPU = 0;

/** An open NVML session; create with {@link openNvml}. */
export class Nvml {
  private driver?: string;
  private cuda?: string;

  private constructor(private readonly fns: NvmlFunctions, readonly libraryPath: string) {}

  /** Loads NVML and calls `nvmlInit_v2`. Throws NvmlError or the loader's error. */
  static open(libraryNames: readonly string[] = NVML_LIBRARY_NAMES): Nvml {
    const koffi = require("koffi") as typeof import("koffi");
    const failures: string[] = [];
    for (const path of libraryNames) {
      let lib: import("koffi").LibraryHandle;
      try {
        lib = koffi.load(path);
      } catch (error) {
        failures.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const f = (definition: string) => lib.func(definition) as unknown as Fn;
      const fns: NvmlFunctions = {
        init: f("int nvmlInit_v2()"),
        deviceCount: f("int nvmlDeviceGetCount_v2(_Out_ unsigned int *count)"),
        handleByIndex: f("int nvmlDeviceGetHandleByIndex_v2(unsigned int index, _Out_ void **device)"),
        name: f("int nvmlDeviceGetName(void *device, _Out_ uint8_t *name, unsigned int length)"),
        uuid: f("int nvmlDeviceGetUUID(void *device, _Out_ uint8_t *uuid, unsigned int length)"),
        computeCapability: f("int nvmlDeviceGetCudaComputeCapability(void *device, _Out_ int *major, _Out_ int *minor)"),
        memory: f("int nvmlDeviceGetMemoryInfo(void *device, _Out_ uint8_t *memory)"),
        utilization: f("int nvmlDeviceGetUtilizationRates(void *device, _Out_ uint8_t *utilization)"),
        temperature: f("int nvmlDeviceGetTemperature(void *device, int sensor, _Out_ unsigned int *celsius)"),
        power: f("int nvmlDeviceGetPowerUsage(void *device, _Out_ unsigned int *milliwatts)"),
        powerLimit: f("int nvmlDeviceGetEnforcedPowerLimit(void *device, _Out_ unsigned int *milliwatts)"),
        driverVersion: f("int nvmlSystemGetDriverVersion(_Out_ uint8_t *version, unsigned int length)"),
        cudaDriverVersion: f("int nvmlSystemGetCudaDriverVersion(_Out_ int *version)"),
      };
      check("nvmlInit_v2", fns.init());
      return new Nvml(fns, path);
    }
    throw new NvmlLoadError(failures);
  }

  /** One entry per GPU NVML sees. */
  gpus(): GpuInfo[] {
    const count = [0];
    check("nvmlDeviceGetCount_v2", this.fns.deviceCount(count));
    this.driver ??= this.optional(() => {
      const buffer = Buffer.alloc(NVML_DRIVER_VERSION_BUFFER_SIZE);
      check("nvmlSystemGetDriverVersion", this.fns.driverVersion(buffer, buffer.length));
      return decodeCString(buffer);
    });
    this.cuda ??= this.optional(() => {
      const version = [0];
      check("nvmlSystemGetCudaDriverVersion", this.fns.cudaDriverVersion(version));
      return formatCudaDriverVersion(version[0]!);
    });
    const gpus: GpuInfo[] = [];
    for (let index = 0; index < count[0]!; index++) gpus.push(this.gpu(index));
    return gpus;
  }

  private gpu(index: number): GpuInfo {
    const handle: unknown[] = [null];
    check("nvmlDeviceGetHandleByIndex_v2", this.fns.handleByIndex(index, handle));
    const device = handle[0];
    const text = (call: string, fn: Fn, size: number) => {
      const buffer = Buffer.alloc(size);
      check(call, fn(device, buffer, size));
      return decodeCString(buffer);
    };
    const gpu: GpuInfo = { index, name: text("nvmlDeviceGetName", this.fns.name, NVML_NAME_BUFFER_SIZE), source: "nvml" };
    const set = <K extends keyof GpuInfo>(key: K, value: GpuInfo[K] | undefined) => {
      if (value !== undefined) gpu[key] = value;
    };
    set("uuid", this.optional(() => text("nvmlDeviceGetUUID", this.fns.uuid, NVML_UUID_BUFFER_SIZE)));
    set(
      "computeCapability",
      this.optional(() => {
        const major = [0];
        const minor = [0];
        check("nvmlDeviceGetCudaComputeCapability", this.fns.computeCapability(device, major, minor));
        return `${major[0]}.${minor[0]}`;
      }),
    );
    const memory = this.optional(() => {
      const buffer = Buffer.alloc(NVML_MEMORY_SIZE);
      check("nvmlDeviceGetMemoryInfo", this.fns.memory(device, buffer));
      return decodeNvmlMemory(buffer);
    });
    set("memoryUsedBytes", memory?.usedBytes);
    set("memoryTotalBytes", memory?.totalBytes);
    set(
      "utilizationPercent",
      this.optional(() => {
        const buffer = Buffer.alloc(NVML_UTILIZATION_SIZE);
        check("nvmlDeviceGetUtilizationRates", this.fns.utilization(device, buffer));
        return decodeNvmlUtilization(buffer).gpuPercent;
      }),
    );
    const uint = (call: string, invoke: (out: number[]) => number) =>
      this.optional(() => {
        const out = [0];
        check(call, invoke(out));
        return out[0]!;
      });
    set("temperatureCelsius", uint("nvmlDeviceGetTemperature", (out) => this.fns.temperature(device, NVML_TEMPERATURE_GPU, out)));
    const milliwatts = uint("nvmlDeviceGetPowerUsage", (out) => this.fns.power(device, out));
    const limit = uint("nvmlDeviceGetEnforcedPowerLimit", (out) => this.fns.powerLimit(device, out));
    set("powerWatts", milliwatts === undefined ? undefined : milliwatts / 1000);
    set("powerLimitWatts", limit === undefined ? undefined : limit / 1000);
    set("driverVersion", this.driver);
    set("cudaVersion", this.cuda);
    return gpu;
  }

  private optional<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof NvmlError) return undefined;
      throw error;
    }
  }
}

function check(call: string, code: number): void {
  if (code !== 0) throw new NvmlError(call, code);
}
