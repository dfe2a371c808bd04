import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Nvml, NvmlError, NvmlLoadError } from "../../../kernel/device/nvml.js";

// A stand-in for libnvidia-ml.so.1, compiled here, with the signatures of NVIDIA's nvml.h:
// it checks the FFI binding end to end (prototypes, out parameters, struct layouts) on a
// machine without a driver. One GPU; power reports NVML_ERROR_NOT_SUPPORTED (3), as some GPUs do.
const STAND_IN = `
#include <string.h>
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
static int initialised = 0;
static int device_token = 42;
int nvmlInit_v2(void) { initialised = 1; return 0; }
int nvmlDeviceGetCount_v2(unsigned int *count) { if (!initialised) return 1; *count = 1; return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **device) { if (index != 0) return 2; *device = &device_token; return 0; }
static int check(void *device) { return device == &device_token ? 0 : 2; }
int nvmlDeviceGetName(void *device, char *name, unsigned int length) { if (check(device)) return 2; strncpy(name, "NVIDIA H100 80GB HBM3", length); return 0; }
int nvmlDeviceGetUUID(void *device, char *uuid, unsigned int length) { if (check(device)) return 2; strncpy(uuid, "GPU-1a2b3c4d-0000-1111-2222-333344445555", length); return 0; }
int nvmlDeviceGetCudaComputeCapability(void *device, int *major, int *minor) { if (check(device)) return 2; *major = 9; *minor = 0; return 0; }
int nvmlDeviceGetMemoryInfo(void *device, nvmlMemory_t *memory) { if (check(device)) return 2; memory->total = 85520809984ULL; memory->free = 84441055232ULL; memory->used = 1079754752ULL; return 0; }
int nvmlDeviceGetUtilizationRates(void *device, nvmlUtilization_t *u) { if (check(device)) return 2; u->gpu = 87; u->memory = 12; return 0; }
int nvmlDeviceGetTemperature(void *device, int sensor, unsigned int *celsius) { if (check(device) || sensor != 0) return 2; *celsius = 41; return 0; }
int nvmlDeviceGetPowerUsage(void *device, unsigned int *mw) { return 3; }
int nvmlDeviceGetEnforcedPowerLimit(void *device, unsigned int *mw) { if (check(device)) return 2; *mw = 700000; return 0; }
int nvmlSystemGetDriverVersion(char *version, unsigned int length) { strncpy(version, "580.65.06", length); return 0; }
int nvmlSystemGetCudaDriverVersion(int *version) { *version = 13000; return 0; }
`;

function compiler(): string | undefined {
  for (const cc of ["cc", "gcc", "clang"]) {
    try {
      execFileSync(cc, ["--version"], { stdio: "ignore" });
      return cc;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

test("reads GPUs through the NVML binding (a compiled stand-in library)", (t) => {
  const cc = compiler();
  if (!cc || process.platform !== "linux") {
    t.skip("needs a C compiler on Linux to build the stand-in libnvidia-ml");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "tsgpu-nvml-"));
  try {
    writeFileSync(join(dir, "nvml.c"), STAND_IN);
    const library = join(dir, "libnvidia-ml.so.1");
    execFileSync(cc, ["-shared", "-fPIC", "-o", library, join(dir, "nvml.c")]);
    const nvml = Nvml.open([join(dir, "missing.so"), library]);
    assert.equal(nvml.libraryPath, library);
    assert.deepEqual(nvml.gpus(), [
      {
        index: 0,
        name: "NVIDIA H100 80GB HBM3",
        source: "nvml",
        uuid: "GPU-1a2b3c4d-0000-1111-2222-333344445555",
        computeCapability: "9.0",
        memoryUsedBytes: 1_079_754_752,
        memoryTotalBytes: 85_520_809_984,
        utilizationPercent: 87,
        temperatureCelsius: 41,
        powerLimitWatts: 700,
        driverVersion: "580.65.06",
        cudaVersion: "13.0",
      },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a missing NVML library fails to open with the loader's reason", () => {
  assert.throws(() => Nvml.open(["/nonexistent/libnvidia-ml.so.1"]), (error: unknown) => {
    assert.ok(error instanceof NvmlLoadError);
    assert.match(error.message, /^cannot load NVML, the NVIDIA driver's management library \(\/nonexistent\/libnvidia-ml\.so\.1: .+\)$/);
    return true;
  });
});

test("NVML errors name the call and the return code", () => {
  const error = new NvmlError("nvmlInit_v2", 9);
  assert.equal(error.message, "nvmlInit_v2 failed: NVML_ERROR_DRIVER_NOT_LOADED (9)");
});
