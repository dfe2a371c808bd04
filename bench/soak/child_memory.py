"""Where the execution child's memory goes while it runs many small cells.

Runs the soak's cells (bench/soak/cells.py) in one kernel and, at each
checkpoint, a probe cell that notes RSS and committed heap spaces, forces two
full GCs in the child, and writes V8's heap statistics, its heap spaces (used
and committed), process.memoryUsage() and the child's mappings (glibc heap,
other anonymous, file-backed) to a JSON file. Prints a summary line per
checkpoint on stderr and all samples as one JSON array on stdout.

    .venv/bin/python bench/soak/child_memory.py --at 0,1000,2000,4000 [--env NAME=VALUE] [--snapshots DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "kernel"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz import KernelProcess, wait_ready  # noqa: E402
from cells import CELLS  # noqa: E402

# The probe: two full GCs, then the numbers, written where the soak can read them.
PROBE = """import v8 from "node:v8";
import vm from "node:vm";
import fs from "node:fs";
const before: Record<string, number> = { rss: process.memoryUsage().rss };
for (const space of v8.getHeapSpaceStatistics()) if (space.physical_space_size) before[space.space_name] = space.physical_space_size;
v8.setFlagsFromString("--expose-gc");
const collect = vm.runInNewContext("gc") as () => void;
collect(); collect();
const spaces: Record<string, number> = {};
const committed: Record<string, number> = {};
for (const space of v8.getHeapSpaceStatistics()) {
  spaces[space.space_name] = space.space_used_size;
  committed[space.space_name] = space.physical_space_size;
}
const mappings = { heap: 0, anonymous: 0, file: 0 };
let current: keyof typeof mappings = "file";
for (const line of fs.readFileSync("/proc/self/smaps", "utf8").split("\\n")) {
  const header = /^[0-9a-f]+-[0-9a-f]+ \\S+ \\S+ \\S+ \\d+\\s*(.*)$/.exec(line);
  if (header) current = header[1] === "[heap]" ? "heap" : header[1] === "" ? "anonymous" : "file";
  const rss = /^Rss:\\s+(\\d+) kB/.exec(line);
  if (rss) mappings[current] += Number(rss[1]) * 1024;
}
const heap = v8.getHeapStatistics();
fs.writeFileSync(PATH, JSON.stringify({ memory: process.memoryUsage(), heap: { used: heap.used_heap_size, total: heap.total_heap_size, malloced: heap.malloced_memory, external: heap.external_memory, contexts: heap.number_of_native_contexts, detached: heap.number_of_detached_contexts }, spaces, committed, mappings, before }));
"""


def probe(kernel: KernelProcess, path: Path) -> dict:
    reply = kernel.execute(PROBE.replace("PATH", json.dumps(str(path))))
    if reply is None or reply["content"].get("status") != "ok":
        raise RuntimeError(f"the probe cell failed: {reply and reply['content']}")
    return json.loads(path.read_text())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", default="0,1000,2000,4000", help="cell counts to probe at")
    parser.add_argument("--snapshots", help="a folder: write a V8 heap snapshot of the child there at each checkpoint")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the kernel and its child (MALLOC_ARENA_MAX=2)")
    parser.add_argument("--probe-only", action="store_true", help="run only probe cells (the probe's own cost)")
    args = parser.parse_args()
    checkpoints = sorted(int(x) for x in args.at.split(","))
    folder = Path(tempfile.mkdtemp(prefix="tsgpu-child-memory-"))
    kernel = KernelProcess(folder, env=dict(item.split("=", 1) for item in args.env))
    samples = []
    try:
        wait_ready(kernel)
        ran = 0
        for target in checkpoints:
            while ran < target:
                ran += 1
                code = PROBE.replace("PATH", json.dumps(str(folder / "x.json"))) if args.probe_only else CELLS[ran % len(CELLS)].format(i=ran, m=ran % 50)
                kernel.execute(code)
            samples.append({"cell": ran, **probe(kernel, folder / "probe.json"), "rss_outside": kernel.rss()["child"]})
            if args.snapshots:
                target_file = Path(args.snapshots).resolve() / f"child-{ran}.heapsnapshot"
                kernel.execute(f'import v8 from "node:v8";\nv8.writeHeapSnapshot({json.dumps(str(target_file))});')
            print(json.dumps(summary(samples[-1])), file=sys.stderr, flush=True)
    finally:
        kernel.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(samples))
    return 0


def summary(sample: dict) -> dict:
    kib = lambda value: round(value / 1024)  # noqa: E731
    return {
        "cell": sample["cell"],
        "rss": kib(sample["memory"]["rss"]),
        "heapUsed": kib(sample["memory"]["heapUsed"]),
        "external": kib(sample["memory"]["external"]),
        "malloced": kib(sample["heap"]["malloced"]),
        "used": {name: kib(value) for name, value in sample["spaces"].items() if value},
        **{f"map_{name}": kib(value) for name, value in sample["mappings"].items()},
        "committed": {name: kib(value) for name, value in sample["committed"].items() if value},
        "before_gc": {name: kib(value) for name, value in sample["before"].items()},
    }


if __name__ == "__main__":
    sys.exit(main())
