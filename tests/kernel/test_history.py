"""history_request returns stored cells (not silent or unstored ones) and pairs inputs with outputs."""
from __future__ import annotations

import uuid


def test_history_keeps_stored_cells_and_skips_silent_and_unstored_ones(kernel):
    tag = uuid.uuid4().hex[:8]
    kernel.execute(f'"stored {tag}"')
    kernel.execute(f'"unstored {tag}"', store_history=False)
    kernel.execute(f'"silent {tag}"', silent=True)
    reply = kernel.request("history_request", {"output": False, "raw": True, "hist_access_type": "search", "pattern": f"*{tag}*"})
    inputs = [entry[2] for entry in reply["content"]["history"]]
    assert inputs == [f'"stored {tag}"']


def test_history_tail_with_output_pairs_input_and_result(kernel):
    kernel.execute("100 + 23")
    reply = kernel.request("history_request", {"output": True, "raw": True, "hist_access_type": "tail", "n": 1})
    (session, line, (source, output)), = reply["content"]["history"]
    assert source == "100 + 23"
    assert output == "123"
