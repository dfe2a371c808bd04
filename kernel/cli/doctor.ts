/** `tsgpu doctor`: what tsgpu finds on this machine, and what to do when something is missing. */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dataSearchPath } from "./jupyter_paths";
import { KERNEL_NAME } from "./kernelspec";

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

function run(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 20000 }).trim();
  } catch {
    return undefined;
  }
}

function section(title: string, lines: string[]): void {
  console.log(`\n${title}`);
  for (const line of lines) console.log(`  ${line}`);
}

interface Diagnosable {
  name: string;
  load: () => Promise<string[]>;
}

/** Optional parts report themselves when present in this build. */
const PARTS: Diagnosable[] = [
  {
    name: "Tensor backends",
    load: async () => {
      const tensor = require("../monitor/devices") as { devices?: () => Promise<unknown> | unknown };
      const found = (await tensor.devices?.()) as { backends?: { name: string; available: boolean; detail: string }[] } | undefined;
      const hooks = require("../fused/hooks/status") as typeof import("../fused/hooks/status");
      const lines = (found?.backends ?? []).map((b) => `${b.available ? "ok  " : "no  "} ${b.name}: ${b.detail}`);
      const status = hooks.tfjsHooksStatus();
      return [...lines, `${status?.state === "declined" ? "no  " : "ok  "} ${hooks.describeTfjsHooks(status)}`];
    },
  },
  {
    name: "CUDA",
    load: async () => {
      const cuda = require("../backends/cuda") as typeof import("../backends/cuda");
      return cuda.describeCudaDiagnostics();
    },
  },
];

export async function doctor(): Promise<void> {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  section("tsgpu", [
    `version ${pkg.version} at ${PACKAGE_ROOT}`,
    `node ${process.version} at ${process.execPath}`,
    `TypeScript ${(JSON.parse(readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version: string }).version}`,
    `${os.cpus().length} x ${os.cpus()[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  ]);
  const dirs = dataSearchPath();
  section(
    "Jupyter data directories (kernelspec found?)",
    dirs.map((dir) => `${existsSync(path.join(dir, "kernels", KERNEL_NAME, "kernel.json")) ? "tsgpu kernel" : "-           "}  ${dir}`),
  );
  if (!dirs.some((dir) => existsSync(path.join(dir, "kernels", KERNEL_NAME, "kernel.json")))) {
    console.log("  No tsgpu kernelspec found: run `npx tsgpu install` (or --sys-prefix inside a virtual environment).");
  }
  const lab = run("jupyter", ["lab", "--version"]);
  section("JupyterLab", [lab ? `jupyter lab ${lab} (${run("sh", ["-c", "command -v jupyter"]) ?? "jupyter"})` : "not found on PATH (install it with `pip install jupyterlab`, or use `npm start` from a tsgpu checkout)"]);
  for (const part of PARTS) {
    try {
      section(part.name, await part.load());
    } catch (error) {
      section(part.name, [`not available in this build (${(error as Error).message.split("\n")[0]})`]);
    }
  }
}
