/**
 * Keeps what native code prints on stderr during a synchronous call out of
 * the process's stderr. Dawn's default logging callback writes warnings such
 * as "maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90
 * to 16" straight to file descriptor 2 while `requestAdapter()` enumerates
 * adapters (synchronously, before its promise is returned); in a notebook that
 * descriptor is the running cell's stderr. Dawn offers no switch to silence it.
 *
 * For the length of the call, descriptor 2 points at a temporary file (libc's
 * `dup`/`dup2` through koffi); the text is returned to the caller, which keeps
 * it for diagnostics. JavaScript's own writes cannot interleave: the call is
 * synchronous. Where libc cannot be bound (Windows), the call runs as is.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

interface Libc {
  dup(fd: number): number;
  dup2(from: number, to: number): number;
  close(fd: number): number;
}

let libc: Libc | null | undefined;

function loadLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (process.platform !== "linux" && process.platform !== "darwin") return libc;
  try {
    const koffi = require("koffi") as typeof import("koffi");
    const lib = koffi.load(process.platform === "darwin" ? "libc.dylib" : "libc.so.6");
    libc = { dup: lib.func("int dup(int fd)") as Libc["dup"], dup2: lib.func("int dup2(int from, int to)") as Libc["dup2"], close: lib.func("int close(int fd)") as Libc["close"] };
  } catch {
    libc = null;
  }
  return libc;
}

/** Runs `call` with native writes to stderr captured; returns its value and what was written. */
export function captureNativeStderr<T>(call: () => T): { value: T; stderr: string } {
  const c = loadLibc();
  if (!c) return { value: call(), stderr: "" };
  const file = path.join(os.tmpdir(), `tsgpu-native-stderr-${process.pid}-${Date.now()}.log`);
  let fileFd: number;
  try {
    fileFd = fs.openSync(file, "w+");
  } catch {
    return { value: call(), stderr: "" };
  }
  const saved = c.dup(2);
  if (saved < 0 || c.dup2(fileFd, 2) < 0) {
    if (saved >= 0) c.close(saved);
    fs.closeSync(fileFd);
    fs.rmSync(file, { force: true });
    return { value: call(), stderr: "" };
  }
  let value: T;
  let stderr = "";
  try {
    value = call();
  } finally {
    c.dup2(saved, 2);
    c.close(saved);
    stderr = readQuietly(file);
    fs.closeSync(fileFd);
    fs.rmSync(file, { force: true });
  }
  return { value, stderr };
}

function readQuietly(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
