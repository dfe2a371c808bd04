/** Runs bench/gpu/torch_cnn.py with the Python that holds PyTorch ($TSGPU_PYTHON, default python3); its last stdout line is JSON. */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export function runTorch(args: string[]): Record<string, unknown> {
  const python = process.env.TSGPU_PYTHON ?? "python3";
  // Beside this file in the device bundle; in the source tree when run from build/ (tsc does not copy .py files).
  const script = [join(__dirname, "torch_cnn.py"), resolve(__dirname, "../../../bench/gpu/torch_cnn.py")].find((p) => existsSync(p)) ?? "torch_cnn.py";
  const out = execFileSync(python, [script, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>;
}

/** "1.23x" or "n/a". */
export const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}x` : "n/a");
