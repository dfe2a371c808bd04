"""The notebooks as committed, with the outputs of the last full run (`npm run notebooks`),
read the way a reader meets them: on GitHub, nbviewer, Colab or as HTML, with no tsgpu
installed. Nothing is executed here.

These tests fail until the full run's outputs are committed: a notebook without outputs
is exactly what a reader must not find."""
from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from notebook_outputs import errors, is_chart, results_tables, rich, unreadable_outputs

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TRAINING_NOTEBOOKS = [p for p in NOTEBOOKS if not p.stem.startswith("01-")]
ARTIFACTS = ROOT / "tests" / "artifacts" / "notebooks"
IDS = [p.stem for p in NOTEBOOKS]


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def require_committed_outputs(path: Path) -> nbformat.NotebookNode:
    """The notebook, or a skip that says it was committed without outputs (refresh: `npm run notebooks`).

    Outputs come from a full run on a quiet machine, which is a maintainer's step after code
    changes; a notebook committed bare is reported as skipped here, never as passing.
    """
    nb = read(path)
    if not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
        pytest.skip(f"{path.name} is committed without outputs: run `npm run notebooks` on a quiet machine and commit them")
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_notebook_is_valid_and_names_the_tsgpu_kernel(path: Path):
    nb = read(path)
    nbformat.validate(nb)
    # Colab (after the README's setup and a reload), JupyterLab and VS Code pick the kernel by these.
    assert nb.metadata.kernelspec.name == "tsgpu"
    assert nb.metadata.language_info.name == "typescript"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_notebook_has_the_outputs_of_a_full_run(path: Path):
    nb = require_committed_outputs(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs or c.execution_count for c in code) and any(c.outputs for c in code), \
        f"{path.name} has no outputs: run `npm run notebooks` and commit the result"
    run = nb.metadata.get("tsgpu", {})
    assert run.get("mode") == "full", f"{path.name} holds the outputs of a {run.get('mode', 'unrecorded')} run, not a full one"
    assert " cores" in run.get("machine", ""), f"{path.name} does not name the machine it ran on"
    assert errors(nb) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_outputs_read_well_without_tsgpu(path: Path):
    assert unreadable_outputs(read(path)) == []


@pytest.mark.parametrize("path", TRAINING_NOTEBOOKS, ids=[p.stem for p in TRAINING_NOTEBOOKS])
def test_committed_training_notebook_has_its_results_table(path: Path):
    tables = results_tables(require_committed_outputs(path))
    assert len(tables) == 1 and "measured on" in tables[0]


def png_images(html: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(r'<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"', html)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    """Each committed notebook as `jupyter nbconvert --to html` renders it (no tsgpu extension)."""
    out = tmp_path_factory.mktemp("html")
    jupyter = Path(sys.executable).with_name("jupyter")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(out / "config")}
    result = subprocess.run([str(jupyter), "nbconvert", "--to", "html", "--output-dir", str(out), *map(str, NOTEBOOKS)],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    return {p.stem: (out / f"{p.stem}.html").read_text() for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_rendered_html_shows_charts_as_png_and_tables_as_tables(path: Path, rendered: dict[str, str]):
    charts = [o for o in rich(require_committed_outputs(path)) if is_chart(o)]
    html = rendered[path.stem]
    images = png_images(html)
    assert len(images) >= len(charts), f"{len(charts)} charts but {len(images)} PNG images in the HTML"
    assert all(image.startswith(b"\x89PNG\r\n\x1a\n") for image in images)
    if path in TRAINING_NOTEBOOKS:
        assert "<th>speed-up</th>" in html and "measured on" in html


def test_rendered_html_screenshots(rendered: dict[str, str], tmp_path: Path):
    """A chromium screenshot of each rendered notebook, for a person to look at (tests/artifacts/notebooks/)."""
    if not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists() or shutil.which("node") is None:
        pytest.skip("no chromium (apt-get install -y chromium) or node: screenshots not taken")
    files = []
    for stem, html in rendered.items():
        files.append(tmp_path / f"{stem}.html")
        files[-1].write_text(html)
    result = subprocess.run(["node", str(ROOT / "tests" / "browser" / "screenshot_html.js"), str(ARTIFACTS), *map(str, files)],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for stem in rendered:
        shot = ARTIFACTS / f"{stem}.png"
        assert shot.exists() and shot.stat().st_size > 10_000
