"""The notebooks in notebooks/ run end to end (nbclient, the tsgpu kernel), on a slice of
the data (TSGPU_NOTEBOOK_SAMPLES) so CI stays quick. What is checked is what a reader
relies on: every cell runs without error and the rich outputs carry the standard MIME types
(text/plain, text/html, image/png) that GitHub, nbviewer and Colab show."""
from __future__ import annotations

import os
import re
from pathlib import Path

from functools import lru_cache

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@lru_cache(maxsize=None)
def run(path: Path) -> nbformat.NotebookNode:
    """The notebook after one run (each notebook runs once per test session)."""
    nb = nbformat.read(path, as_version=4)
    os.environ["TSGPU_NOTEBOOK_SAMPLES"] = "2048"
    # The CNN notebook times one step per backend: JavaScript's cpu kernels take seconds per
    # step on 2 cores, so CI times the BLAS path only there (the MLP notebook still runs cpu).
    os.environ["TSGPU_NOTEBOOK_BACKENDS"] = "cpu-blas"
    NotebookClient(nb, kernel_name="tsgpu", timeout=600, startup_timeout=60,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def outputs(nb: nbformat.NotebookNode):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_bundled_notebook_runs_without_errors(path: Path):
    nb = run(path)
    errors = [f"{o.ename}: {o.evalue}" for o in outputs(nb) if o.output_type == "error"]
    assert errors == []
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")
    rich = [o for o in outputs(nb) if o.output_type in ("execute_result", "display_data")]
    assert rich and all("text/plain" in o.data for o in rich)
    for o in rich:
        if any(k.startswith("application/vnd.tsgpu") for k in o.data):
            assert {"text/html", "image/png"} <= set(o.data), f"a tsgpu chart without its fallbacks: {sorted(o.data)}"


def test_the_mnist_notebook_learns():
    nb = run(ROOT / "notebooks" / "02-mnist-mlp-cpu-vs-gpu.ipynb")
    texts = [str(o.data.get("text/plain", "")) for o in outputs(nb) if o.output_type == "execute_result"]
    accuracy = [float(m.group(1)) for t in texts for m in [re.search(r"test accuracy ([\d.]+) %", t)] if m]
    assert accuracy, texts
    # One epoch on 2048 images (16 Adam steps): far better than chance (10 %); about 70-85 % seen.
    assert accuracy[0] > 40
