"""The notebooks in notebooks/ run end to end (nbclient, the tsgpu kernel) in quick mode,
the sizes `npm run notebooks -- --quick` uses: 2,048 MNIST images (TSGPU_NOTEBOOK_SAMPLES),
the CNN timed on cpu-blas (and cuda where there is one), ResNet-50 at batch 2, a tiny GPT
for a few steps (TSGPU_NOTEBOOK_QUICK). What is
checked is what a reader relies on: every cell runs without error, the rich outputs carry
the standard MIME types (text/plain, text/html, image/png) that GitHub, nbviewer and Colab
show, each training notebook ends with its results table, and the models learn."""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from notebook_outputs import accuracies, errors, is_chart, results_tables, rich, validation_losses

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TRAINING_NOTEBOOKS = [p for p in NOTEBOOKS if not p.stem.startswith("01-")]
# The GPU tier (tests/gpu/notebooks_quick.test.ts) sets this to "cuda": every results table's
# GPU column must then have been measured on that backend.
REQUIRED_GPU = os.environ.get("TSGPU_NOTEBOOKS_GPU")

QUICK = {
    "TSGPU_NOTEBOOK_SAMPLES": "2048",
    # JavaScript's cpu kernels take about a minute per CNN step on 2 cores: the CNN notebook
    # times the BLAS path (and cuda where there is one); the MLP notebook still runs cpu.
    "TSGPU_NOTEBOOK_BACKENDS": "cpu-blas,cuda",
    "TSGPU_NOTEBOOK_RESNET_BATCH": "2",
    # The GPT notebook: a 2-layer 64-wide GPT, 12 pretraining and 8 fine-tuning steps, no Hub.
    "TSGPU_NOTEBOOK_QUICK": "1",
}


@lru_cache(maxsize=None)
def run(path: Path) -> nbformat.NotebookNode:
    """The notebook after one run (each notebook runs once per test session)."""
    nb = nbformat.read(path, as_version=4)
    os.environ.update(QUICK)
    NotebookClient(nb, kernel_name="tsgpu", timeout=600, startup_timeout=60,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_bundled_notebook_runs_without_errors(path: Path):
    nb = run(path)
    assert errors(nb) == []
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")
    outputs = rich(nb)
    assert outputs and all("text/plain" in o.data for o in outputs)
    for o in outputs:
        if is_chart(o):
            assert {"text/html", "image/png"} <= set(o.data), f"a tsgpu chart without its fallbacks: {sorted(o.data)}"


@pytest.mark.parametrize("path", TRAINING_NOTEBOOKS, ids=[p.stem for p in TRAINING_NOTEBOOKS])
def test_training_notebook_ends_with_its_results_table(path: Path):
    nb = run(path)
    tables = results_tables(nb)
    assert len(tables) == 1, f"expected one results table, found {len(tables)}"
    # The machine is named, and a side that could not run says why instead of a number.
    assert "measured on" in tables[0] and " cores" in tables[0]
    last_code = [c for c in nb.cells if c.cell_type == "code"][-1]
    assert results_tables(nbformat.from_dict({"cells": [last_code]})) == tables


@pytest.mark.skipif(not REQUIRED_GPU, reason="the GPU tier sets TSGPU_NOTEBOOKS_GPU=cuda on a machine with a GPU")
@pytest.mark.parametrize("path", TRAINING_NOTEBOOKS, ids=[p.stem for p in TRAINING_NOTEBOOKS])
def test_results_table_measures_the_required_gpu(path: Path):
    table = results_tables(run(path))[0]
    # Only the GPU column names a GPU backend in parentheses: "2.1 s (cuda)", "~2.4 h (cuda, estimated)".
    assert re.search(rf"\({re.escape(REQUIRED_GPU)}(, estimated)?\)", table), table
    assert "no GPU on this machine" not in table, table


def test_the_tour_names_the_machine():
    nb = run(ROOT / "notebooks" / "01-kernel-tour.ipynb")
    texts = [str(o.data.get("text/markdown", "")) for o in rich(nb)]
    assert any("This notebook ran on" in t and " cores" in t for t in texts), texts


def test_the_mnist_notebook_learns():
    found = accuracies(run(ROOT / "notebooks" / "02-mnist-mlp-cpu-vs-gpu.ipynb"))
    assert found
    # One epoch on 2048 images (16 Adam steps): far better than chance (10 %); about 70-85 % seen.
    assert found[0] > 40


def test_the_cnn_notebook_learns():
    found = accuracies(run(ROOT / "notebooks" / "03-cnn-cpu-vs-gpu.ipynb"))
    assert found
    # One epoch on 2048 images (32 Adam steps at batch 64, with dropout): far better than chance.
    assert found[0] > 40


def test_the_gpt_notebook_fine_tunes():
    nb = run(ROOT / "notebooks" / "04-gpt-fine-tune-cpu-vs-gpu.ipynb")
    found = validation_losses(nb)
    assert len(found) == 1, found
    before, after = found[0]
    # 8 fine-tuning steps on 1946-2014 lower the loss on the held-out 2015-2021 addresses.
    assert after < before
    assert sum(is_chart(o) for o in rich(nb)) >= 2  # the pretraining and fine-tuning curves
