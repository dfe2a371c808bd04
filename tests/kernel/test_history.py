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


def test_history_survives_restarts_and_new_kernels_as_earlier_sessions(workdir):
    """The history file in the Jupyter data directory (JUPYTER_DATA_DIR, set by conftest) outlives kernels."""
    from harness import RunningKernel

    tag = uuid.uuid4().hex[:8]
    first = RunningKernel(cwd=workdir)
    try:
        first.execute(f'"first {tag}"')
        first.execute(f'"second {tag}"')
        (old_session, _, _), = first.request("history_request", {"output": False, "raw": True, "hist_access_type": "tail", "n": 1})["content"]["history"]
        first.km.restart_kernel(now=False)
        first.kc.wait_for_ready(timeout=60)
        first.execute(f'"after restart {tag}"')
        reply = first.request("history_request", {"output": False, "raw": True, "hist_access_type": "search", "pattern": f"*{tag}*"})
        sessions = [entry[0] for entry in reply["content"]["history"]]
        assert sessions == [old_session, old_session, old_session + 1], "a restart is a new session"
    finally:
        first.close()

    second = RunningKernel(cwd=workdir)
    try:
        second.execute(f'"new kernel {tag}"')
        tail = second.request("history_request", {"output": True, "raw": True, "hist_access_type": "tail", "n": 4})["content"]["history"]
        assert [entry[2][0] for entry in tail] == [f'"first {tag}"', f'"second {tag}"', f'"after restart {tag}"', f'"new kernel {tag}"']
        assert tail[0][2][1] == f"'first {tag}'", "outputs are kept too"
        new_session = tail[-1][0]
        assert new_session == old_session + 2
        earlier = second.request("history_request", {"output": False, "raw": True, "hist_access_type": "range", "session": -2, "start": 1, "stop": None})
        assert [entry[2] for entry in earlier["content"]["history"]][-2:] == [f'"first {tag}"', f'"second {tag}"']
        assert all(entry[0] == old_session for entry in earlier["content"]["history"])
        current = second.request("history_request", {"output": False, "raw": True, "hist_access_type": "range", "session": 0, "start": 1, "stop": None})
        assert [entry[2] for entry in current["content"]["history"]] == [f'"new kernel {tag}"']
        found = second.request("history_request", {"output": False, "raw": True, "hist_access_type": "search", "pattern": f'"first {tag}"'})
        assert [entry[:2] for entry in found["content"]["history"]] == [[old_session, 1]]
    finally:
        second.close()
