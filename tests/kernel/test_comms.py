"""Comms work both ways: targets registered by cells, comms opened by cells, comm_info, unknown targets closed back, the tsgpu.device target."""
from __future__ import annotations

import uuid

from harness import RunningKernel, wait_iopub


def comm_iopub(kernel: RunningKernel, msg_type: str, comm_id: str, timeout: float = 15) -> dict:
    return wait_iopub(
        kernel,
        lambda m: m["msg_type"] == msg_type and m["content"].get("comm_id") == comm_id,
        timeout,
    )


def test_comm_info_lists_comms_filtered_by_target_name(kernel):
    kernel.execute('comms.registerTarget("info-target", () => {});')
    comm_id = uuid.uuid4().hex
    kernel.send_shell("comm_open", {"comm_id": comm_id, "target_name": "info-target", "data": {}})
    reply = kernel.request("comm_info_request", {"target_name": "info-target"})
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["comms"].get(comm_id) == {"target_name": "info-target"}
    other = kernel.request("comm_info_request", {"target_name": "no-such-target"})
    assert comm_id not in other["content"]["comms"]
    everything = kernel.request("comm_info_request", {})
    assert comm_id in everything["content"]["comms"]


def test_a_front_end_opens_a_comm_to_a_target_registered_by_a_cell(kernel):
    setup = kernel.execute(
        "const echoLog: unknown[] = [];\n"
        'comms.registerTarget("echo", (comm, data) => {\n'
        "  echoLog.push(data);\n"
        "  comm.onMessage((payload) => comm.send({ echo: payload }));\n"
        '  comm.onClose(() => echoLog.push("closed"));\n'
        "});"
    )
    assert setup.status == "ok", setup.all_text()
    comm_id = uuid.uuid4().hex
    kernel.send_shell("comm_open", {"comm_id": comm_id, "target_name": "echo", "data": {"hello": 1}})
    kernel.send_shell("comm_msg", {"comm_id": comm_id, "data": {"n": 2}})
    answer = comm_iopub(kernel, "comm_msg", comm_id)
    assert answer["content"]["data"] == {"echo": {"n": 2}}
    kernel.send_shell("comm_close", {"comm_id": comm_id, "data": {}})
    kernel.wait_for("echoLog.length === 2")
    assert kernel.value("JSON.stringify(echoLog)") == "'[{\"hello\":1},\"closed\"]'"


def test_a_comm_open_for_an_unknown_target_is_closed_back(kernel):
    comm_id = uuid.uuid4().hex
    kernel.send_shell("comm_open", {"comm_id": comm_id, "target_name": "nobody-listens", "data": {}})
    comm_iopub(kernel, "comm_close", comm_id)


def test_a_cell_opens_a_comm_to_the_front_end_and_both_sides_talk(kernel):
    run = kernel.execute(
        "const received: unknown[] = [];\n"
        'const toClient = comms.open("client-target", { greeting: "hi" });\n'
        "toClient.onMessage((data) => received.push(data));\n"
        'toClient.send({ step: 1 });\n'
        "toClient.id"
    )
    assert run.status == "ok", run.all_text()
    comm_id = run.result_text().strip("'")
    opened = comm_iopub(kernel, "comm_open", comm_id)
    assert opened["content"]["target_name"] == "client-target"
    assert opened["content"]["data"] == {"greeting": "hi"}
    assert comm_iopub(kernel, "comm_msg", comm_id)["content"]["data"] == {"step": 1}
    kernel.send_shell("comm_msg", {"comm_id": comm_id, "data": {"reply": 2}})
    kernel.wait_for("received.length === 1")
    assert kernel.value("JSON.stringify(received)") == "'[{\"reply\":2}]'"
    kernel.execute('toClient.close({ bye: true });')
    assert comm_iopub(kernel, "comm_close", comm_id)["content"]["data"] == {"bye": True}


def test_the_device_comm_target_is_registered(kernel):
    comm_id = uuid.uuid4().hex
    kernel.send_shell("comm_open", {"comm_id": comm_id, "target_name": "tsgpu.device", "data": {}})
    reply = kernel.request("comm_info_request", {"target_name": "tsgpu.device"})
    assert comm_id in reply["content"]["comms"], "tsgpu.device did not accept a comm"
    kernel.send_shell("comm_close", {"comm_id": comm_id, "data": {}})
