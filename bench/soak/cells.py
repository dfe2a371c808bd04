"""Soak phase (c): runs N small cells in one kernel and samples the RSS of the kernel
process and of its execution child every `--every` cells. Prints one JSON object.

    .venv/bin/python bench/soak/cells.py --cells 10000 [--every 500]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "kernel"))
from fuzz import KernelProcess, wait_ready  # noqa: E402

# Small cells of the kinds notebooks run: arithmetic, a declaration, printing, a tensor.
CELLS = [
    "{i} + 1",
    "let value{m} = {i} * 2;\nvalue{m}",
    'console.log("cell {i}")',
    "[{i}, {i} + 1].map((x) => x * x)",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=500)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tsgpu-soak-cells-"))
    kernel = KernelProcess(folder)
    result = {"cells": args.cells, "errors": 0, "crashed": False, "samples": []}
    try:
        wait_ready(kernel)
        result["samples"].append({"cell": 0, **kernel.rss()})
        for i in range(1, args.cells + 1):
            code = CELLS[i % len(CELLS)].format(i=i, m=i % 50)
            reply = kernel.execute(code)
            if reply is None:
                result["crashed"] = not kernel.alive()
                result["errors"] += 1
                if result["crashed"]:
                    break
            elif reply["content"].get("status") != "ok":
                result["errors"] += 1
            if i % args.every == 0 or i == args.cells:
                result["samples"].append({"cell": i, **kernel.rss()})
    finally:
        kernel.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
