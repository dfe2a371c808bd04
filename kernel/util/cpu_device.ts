import * as os from "node:os";

/** "2 x Intel(R) Xeon(R) ..." for comparison tables. */
export function cpuDeviceName(): string {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return `${cores} x ${os.cpus()[0]?.model?.trim() || os.arch()}`;
}
