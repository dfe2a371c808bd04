/**
 * GPU information from the `nvidia-smi` command, used where NVML cannot be
 * loaded by FFI. One query, CSV without header or units:
 *
 *   nvidia-smi --query-gpu=index,name,uuid,compute_cap,memory.used,memory.total,
 *     utilization.gpu,temperature.gpu,power.draw,power.limit,driver_version
 *     --format=csv,noheader,nounits
 *
 * Memory is in MiB, power in W, utilisation in percent. Fields a GPU cannot
 * report read "[N/A]" or "[Not Supported]". (`compute_cap` needs driver 510+;
 * older drivers reject the whole query, and then tsgpu asks again without it.)
 * The CUDA version is not a query field: it is read once from the banner of
 * plain `nvidia-smi` ("CUDA Version: 12.8").
 */
import { execFile } from "node:child_process";
import type { GpuInfo } from "../runtime/device_snapshot.js";

export const NVIDIA_SMI_FIELDS = [
  "index",
  "name",
  "uuid",
  "compute_cap",
  "memory.used",
  "memory.total",
  "utilization.gpu",
  "temperature.gpu",
  "power.draw",
  "power.limit",
  "driver_version",
] as const;

const MIB = 1024 * 1024;

/** Splits one CSV line as nvidia-smi writes it (", " separated; names may be quoted). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === "," && !quoted) {
      fields.push(current.trim());
      current = "";
    } else current += c;
  }
  fields.push(current.trim());
  return fields;
}

function numberOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined || text === "" || text.startsWith("[")) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function textOrUndefined(text: string | undefined): string | undefined {
  return text === undefined || text === "" || text.startsWith("[") ? undefined : text;
}

/**
 * Parses the CSV output of the query above (fields in {@link NVIDIA_SMI_FIELDS}
 * order, or that order without `compute_cap` when `withComputeCap` is false).
 */
export function parseNvidiaSmiCsv(output: string, cudaVersion?: string, withComputeCap = true): GpuInfo[] {
  const names = withComputeCap ? [...NVIDIA_SMI_FIELDS] : NVIDIA_SMI_FIELDS.filter((f) => f !== "compute_cap");
  const gpus: GpuInfo[] = [];
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const values = splitCsvLine(line);
    if (values.length < names.length) continue;
    const field = (name: string) => values[names.indexOf(name as (typeof names)[number])];
    const index = numberOrUndefined(field("index"));
    const name = textOrUndefined(field("name"));
    if (index === undefined || name === undefined) continue;
    const memoryUsed = numberOrUndefined(field("memory.used"));
    const memoryTotal = numberOrUndefined(field("memory.total"));
    const gpu: GpuInfo = { index, name, source: "nvidia-smi" };
    const set = <K extends keyof GpuInfo>(key: K, value: GpuInfo[K] | undefined) => {
      if (value !== undefined) gpu[key] = value;
    };
    set("uuid", textOrUndefined(field("uuid")));
    set("computeCapability", withComputeCap ? textOrUndefined(field("compute_cap")) : undefined);
    set("memoryUsedBytes", memoryUsed === undefined ? undefined : memoryUsed * MIB);
    set("memoryTotalBytes", memoryTotal === undefined ? undefined : memoryTotal * MIB);
    set("utilizationPercent", numberOrUndefined(field("utilization.gpu")));
    set("temperatureCelsius", numberOrUndefined(field("temperature.gpu")));
    set("powerWatts", numberOrUndefined(field("power.draw")));
    set("powerLimitWatts", numberOrUndefined(field("power.limit")));
    set("driverVersion", textOrUndefined(field("driver_version")));
    set("cudaVersion", cudaVersion);
    gpus.push(gpu);
  }
  return gpus;
}

/** Reads "CUDA Version: 12.8" from nvidia-smi's banner. */
export function parseCudaVersionFromBanner(banner: string): string | undefined {
  return /CUDA Version:\s*([0-9]+\.[0-9]+)/.exec(banner)?.[1];
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 1 << 20, windowsHide: true }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr: String(stderr) }));
      else resolve(String(stdout));
    });
  });
}

let cudaVersionFromBanner: Promise<string | undefined> | undefined;
let computeCapSupported = true;

/** Queries nvidia-smi (the command on PATH unless `command` is given). Rejects when it cannot run. */
export async function queryNvidiaSmi(command = "nvidia-smi", timeoutMs = 3000): Promise<GpuInfo[]> {
  cudaVersionFromBanner ??= run(command, [], timeoutMs).then(parseCudaVersionFromBanner, () => undefined);
  const query = (fields: readonly string[]) => run(command, [`--query-gpu=${fields.join(",")}`, "--format=csv,noheader,nounits"], timeoutMs);
  let csv: string;
  if (computeCapSupported) {
    try {
      csv = await query(NVIDIA_SMI_FIELDS);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
      computeCapSupported = false;
      csv = await query(NVIDIA_SMI_FIELDS.filter((f) => f !== "compute_cap"));
    }
  } else csv = await query(NVIDIA_SMI_FIELDS.filter((f) => f !== "compute_cap"));
  return parseNvidiaSmiCsv(csv, await cudaVersionFromBanner, computeCapSupported);
}
