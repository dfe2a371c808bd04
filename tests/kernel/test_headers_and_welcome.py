"""kernel_info fields, a dated header on every message, replies that match the message schemas, and iopub_welcome on subscribe (protocol 5.5)."""
from __future__ import annotations

import time

import zmq
from jupyter_client.manager import KernelManager
from jupyter_kernel_test.msgspec_v5 import validate_message

from harness import (
    DELIMITER,
    RunningKernel,
    is_date,
    raw_socket,
    recv_within,
    typescript_version,
    wait_iopub,
)


def test_kernel_info_reports_ok_status_and_protocol_5_4_or_later(kernel):
    reply = kernel.request("kernel_info_request", {})
    validate_message(reply, "kernel_info_reply", reply["parent_header"]["msg_id"])
    content = reply["content"]
    assert content["status"] == "ok"
    major, minor = (int(p) for p in content["protocol_version"].split(".")[:2])
    assert (major, minor) >= (5, 4), content["protocol_version"]
    assert content["implementation"] == "tsgpu"
    assert content["implementation_version"]
    assert isinstance(content["banner"], str) and content["banner"]


def test_kernel_info_language_info_names_typescript_and_the_real_compiler_version(kernel):
    info = kernel.request("kernel_info_request", {})["content"]["language_info"]
    assert info["name"] == "typescript"
    assert info["file_extension"] == ".ts"
    assert info["mimetype"] == "text/typescript"
    assert info["version"] == typescript_version()
    assert info["pygments_lexer"] == "typescript"


def test_kernel_info_has_help_links(kernel):
    links = kernel.request("kernel_info_request", {})["content"]["help_links"]
    assert isinstance(links, list) and links
    for link in links:
        assert link["text"] and link["url"].startswith("https://")


def test_every_message_header_has_a_date(kernel):
    info = kernel.request("kernel_info_request", {})
    run = kernel.execute('console.log("dated"); display.html("<i>d</i>"); 1 + 1')
    messages = [info, run.reply, *run.outputs]
    assert {m["msg_type"] for m in run.outputs} >= {"stream", "display_data", "execute_result"}
    for msg in messages + kernel.iopub_log[-5:]:
        assert is_date(msg["header"].get("date")), f"{msg['msg_type']} header has no date: {msg['header']}"


def test_replies_and_outputs_match_the_message_schemas(kernel):
    run = kernel.execute('console.log("schema"); 40 + 2')
    validate_message(run.reply, "execute_reply", run.msg_id)
    for msg in run.outputs:
        validate_message(msg, msg["msg_type"], run.msg_id)


def test_iopub_welcome_arrives_signed_on_subscribe():
    km = KernelManager(kernel_name="tsgpu")
    km.start_kernel()
    try:
        info = km.get_connection_info()
        sub = raw_socket(info, "iopub", zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        session = km.session
        deadline = time.monotonic() + 30
        welcome = None
        while welcome is None and time.monotonic() < deadline:
            frames = recv_within(sub, deadline - time.monotonic())
            if frames is None:
                break
            msg = session.deserialize(frames[frames.index(DELIMITER) + 1 :])  # checks the signature
            if msg["msg_type"] == "iopub_welcome":
                welcome = msg
        sub.close()
        assert welcome is not None, "no iopub_welcome after subscribing to iopub"
        assert welcome["content"] == {"subscription": ""}
        assert is_date(welcome["header"]["date"])
    finally:
        km.shutdown_kernel(now=True)


def test_first_output_after_the_welcome_is_not_lost():
    k = RunningKernel(wait=False)
    try:
        wait_iopub(k, lambda m: m["msg_type"] == "iopub_welcome", timeout=30)
        run = k.execute('console.log("first words")')
        assert run.status == "ok"
        assert "first words" in run.stream_text("stdout")
    finally:
        k.close()
