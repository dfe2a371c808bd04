"""Executes notebooks with nbclient on the tsgpu kernel and writes their outputs back.

Called by scripts/notebooks.js (`npm run notebooks`), which installs the kernelspec into a
temporary prefix and sets JUPYTER_PATH. Usage: run_notebooks.py MACHINE MODE NOTEBOOK...

What is kept: every output, and the per-cell execution timing nbclient records. What is
removed as noise: ANSI escape codes in streams and tracebacks, and the kernel's own
transient fields. The machine, the date, the wall time and the 1-minute load average before and
after go into the notebook's metadata (`tsgpu`): on a shared machine the load says how far the
absolute times can be trusted (the ratios are measured in the same run).
"""
from __future__ import annotations

import datetime
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def clean(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            output.pop("transient", None)
            if output.output_type == "stream":
                output.text = ANSI.sub("", output.text)
            elif output.output_type == "error":
                output.traceback = [ANSI.sub("", line) for line in output.traceback]


def main(machine: str, mode: str, paths: list[str]) -> int:
    failed = 0
    for name in paths:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        client = NotebookClient(nb, kernel_name="tsgpu", timeout=None, startup_timeout=60, record_timing=True,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except CellExecutionError as error:
            failed += 1
            print(f"{path.name}: a cell failed: {str(error).splitlines()[0] if str(error) else error!r}", file=sys.stderr)
        seconds = time.monotonic() - started
        clean(nb)
        nb.metadata["tsgpu"] = {
            "machine": machine,
            "mode": mode,
            "executed": datetime.date.today().isoformat(),
            "seconds": round(seconds),
            "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        }
        nbformat.validate(nb)
        nbformat.write(nb, path)
        print(f"{path.name}: {seconds:.0f} s ({mode})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
