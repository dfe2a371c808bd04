"""tests/notebooks/kernel_tour.ipynb executed end to end by nbclient with the tsgpu kernel."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
TOUR = ROOT / "tests" / "notebooks" / "kernel_tour.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory):
    """The tour notebook after a run, plus every execute_reply nbclient received."""
    nb = nbformat.read(TOUR, as_version=4)
    replies: list[dict] = []
    client = NotebookClient(
        nb,
        kernel_name="tsgpu",
        timeout=120,
        startup_timeout=60,
        record_timing=True,
        resources={"metadata": {"path": str(tmp_path_factory.mktemp("tour"))}},
        on_cell_executed=lambda cell, cell_index, execute_reply: replies.append(execute_reply),
    )
    client.execute()
    return nb, replies


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_every_code_cell_ran_in_order(executed):
    nb, _ = executed
    assert [c.execution_count for c in code_cells(nb)] == list(range(1, len(code_cells(nb)) + 1))


def test_outputs_are_streams_results_and_rich_display(executed):
    nb, _ = executed
    hello, total_score, html, awaited, type_error, after = code_cells(nb)
    assert [(o.output_type, o.name, o.text) for o in hello.outputs] == [("stream", "stdout", "hello, notebook\n")]
    assert [o.output_type for o in total_score.outputs] == ["execute_result"]
    assert total_score.outputs[0].data["text/plain"] == "4"
    assert [o.output_type for o in html.outputs] == ["display_data"]
    assert html.outputs[0].data["text/html"] == "<b>hello</b>"
    assert "text/plain" in html.outputs[0].data
    assert awaited.outputs[0].data["text/plain"] == "2"
    assert after.outputs[0].data["text/plain"] == "'HELLO'"


def test_the_expected_type_error_is_saved_and_later_cells_still_run(executed):
    nb, _ = executed
    type_error = code_cells(nb)[4]
    (error,) = type_error.outputs
    assert error.output_type == "error"
    assert error.ename == "TSError"
    assert "TS2322" in error.evalue


def test_the_executed_notebook_is_valid_nbformat(executed):
    nb, _ = executed
    nbformat.validate(nb)


def test_cell_timing_is_recorded_with_the_kernels_start_time(executed):
    nb, replies = executed
    for cell in code_cells(nb):
        timing = cell.metadata["execution"]
        assert {"iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle"} <= set(timing)
    for reply in replies:
        started = reply["metadata"].get("started")
        assert started is not None, "execute_reply metadata.started is missing"
        if isinstance(started, str):
            started = dt.datetime.fromisoformat(started.replace("Z", "+00:00"))
        assert started <= reply["header"]["date"]
