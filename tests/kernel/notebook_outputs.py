"""What a notebook's saved outputs must look like to read well with nothing installed
(GitHub, nbviewer, Colab, nbconvert): shared by the bundled-notebook and committed-notebook
suites."""
from __future__ import annotations

import re

import nbformat

STANDARD_MIME = {"text/plain", "text/html", "text/markdown", "image/png", "image/jpeg", "image/svg+xml", "text/latex", "application/json"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Native libraries writing to the process's stderr (Dawn's limit warnings when WebGPU is probed).
NATIVE_NOISE = re.compile(r"artificially reduced")


def outputs(nb: nbformat.NotebookNode):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def rich(nb: nbformat.NotebookNode):
    return [o for o in outputs(nb) if o.output_type in ("execute_result", "display_data")]


def errors(nb: nbformat.NotebookNode) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for o in outputs(nb) if o.output_type == "error"]


def is_chart(output) -> bool:
    """A tsgpu chart (training or comparison): it carries a tsgpu MIME type."""
    return any(k.startswith("application/vnd.tsgpu") for k in output.data)


def unreadable_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Outputs that would show badly without tsgpu: no text/plain, only custom MIME types,
    charts without PNG, ANSI escapes, native-library warnings."""
    problems = []
    for o in rich(nb):
        kinds = set(o.data)
        if "text/plain" not in kinds:
            problems.append(f"no text/plain: {sorted(kinds)}")
        if not kinds & STANDARD_MIME:
            problems.append(f"only custom MIME types: {sorted(kinds)}")
        if is_chart(o) and not {"text/html", "image/png"} <= kinds:
            problems.append(f"a chart without its HTML and PNG: {sorted(kinds)}")
    for o in outputs(nb):
        text = o.get("text", "") if o.output_type == "stream" else "\n".join(o.get("traceback", []))
        if ANSI.search(text):
            problems.append(f"ANSI escape codes in a {o.output_type} output: {text[:120]!r}")
        if o.output_type == "stream" and o.name == "stderr" and NATIVE_NOISE.search(text):
            problems.append(f"native-library warning in stderr: {text.strip().splitlines()[0]!r}")
    return problems


def results_tables(nb: nbformat.NotebookNode) -> list[str]:
    """The text of every results table (resultsTable()): task | CPU | GPU | speed-up, with the machine."""
    found = []
    for o in rich(nb):
        text = str(o.data.get("text/plain", ""))
        html = str(o.data.get("text/html", ""))
        if "measured on" in text and "<table" in html and all(f"<th>{h}</th>" in html for h in ("task", "CPU", "GPU", "speed-up")):
            found.append(text)
    return found


def accuracies(nb: nbformat.NotebookNode) -> list[float]:
    texts = [str(o.data.get("text/plain", "")) for o in rich(nb) if o.output_type == "execute_result"]
    return [float(m.group(1)) for t in texts for m in [re.search(r"test accuracy ([\d.]+) %", t)] if m]


def validation_losses(nb: nbformat.NotebookNode) -> list[tuple[float, float]]:
    """(before, after) from the GPT notebook's "validation loss before fine-tuning X, after Y"."""
    texts = [str(o.data.get("text/plain", "")) for o in rich(nb) if o.output_type == "execute_result"]
    return [(float(m.group(1)), float(m.group(2))) for t in texts for m in [re.search(r"validation loss before fine-tuning ([\d.]+), after ([\d.]+)", t)] if m]
