"""A thin front end over jupyter_client for the kernel suites.

`RunningKernel` starts a real tsgpu kernel process (KernelManager), connects a
BlockingKernelClient, and offers `execute()` that returns the shell reply together with
every iopub message the request caused. Every iopub message seen is also kept in
`iopub_log`, so tests can look for output that arrives late or outside its cell.
`wait_iopub` looks there (and reads on) for such a message. Raw-socket helpers build wire
frames with pyzmq; `write_marker_code` and `execute_content` build cells and requests.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import struct
import time
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any, Callable

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

ROOT = Path(__file__).resolve().parents[2]
KERNEL_NAME = "tsgpu"
START_TIMEOUT_S = 60
REPLY_TIMEOUT_S = 60
DELIMITER = b"<IDS|MSG>"
"""The frame between routing identities and the signed parts of a wire message."""
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def tiny_png() -> bytes:
    """A valid 1x1 RGB PNG (one green pixel), built here so tests know every byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00\xff\x00"))
        + chunk(b"IEND", b"")
    )


def ts_bytes(data: bytes) -> str:
    """A TypeScript Uint8Array literal holding `data`."""
    return "new Uint8Array([" + ", ".join(str(b) for b in data) + "])"


def ts_string(text: str) -> str:
    """A TypeScript string literal (JSON is valid TypeScript)."""
    return json.dumps(text)


@dataclass
class Execution:
    """What one execute_request produced."""

    msg_id: str
    reply: dict[str, Any]
    outputs: list[dict[str, Any]] = field(default_factory=list)
    """iopub messages with this request as parent, between busy and idle (exclusive)."""
    stdin_requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.reply["content"]["status"]

    def of_type(self, msg_type: str) -> list[dict[str, Any]]:
        return [m for m in self.outputs if m["msg_type"] == msg_type]

    def stream_text(self, name: str | None = None) -> str:
        return "".join(
            m["content"]["text"]
            for m in self.outputs
            if m["msg_type"] == "stream" and (name is None or m["content"]["name"] == name)
        )

    def result_text(self) -> str | None:
        results = self.of_type("execute_result")
        if not results:
            return None
        assert len(results) == 1, f"more than one execute_result: {results}"
        return results[0]["content"]["data"]["text/plain"]

    def error(self) -> dict[str, Any]:
        errors = self.of_type("error")
        assert len(errors) == 1, f"expected one error message, got {self.outputs}"
        return errors[0]["content"]

    def all_text(self) -> str:
        """Every human-readable string this cell produced (streams, errors, results)."""
        parts: list[str] = []
        for m in self.outputs:
            c = m["content"]
            if m["msg_type"] == "stream":
                parts.append(c["text"])
            elif m["msg_type"] == "error":
                parts += [c.get("ename", ""), c.get("evalue", ""), *c.get("traceback", [])]
            elif m["msg_type"] in ("execute_result", "display_data"):
                parts.append(str(c["data"].get("text/plain", "")))
        c = self.reply["content"]
        if c.get("status") == "error":
            parts += [c.get("ename", ""), c.get("evalue", ""), *c.get("traceback", [])]
        return strip_ansi("\n".join(parts))


class RunningKernel:
    """A tsgpu kernel process with a connected blocking client."""

    def __init__(self, cwd: Path | None = None, kernel_name: str = KERNEL_NAME, wait: bool = True):
        self.km = KernelManager(kernel_name=kernel_name)
        self.km.start_kernel(cwd=str(cwd) if cwd else None)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.iopub_log: list[dict[str, Any]] = []
        if wait:
            self.kc.wait_for_ready(timeout=START_TIMEOUT_S)
            self.drain_iopub()

    # -- lifecycle -------------------------------------------------------------------
    def close(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=False)

    @property
    def pid(self) -> int:
        return self.km.provisioner.process.pid  # type: ignore[union-attr]

    def connection_info(self) -> dict[str, Any]:
        return self.km.get_connection_info()

    # -- messages --------------------------------------------------------------------
    def drain_iopub(self, timeout: float = 0.2) -> list[dict[str, Any]]:
        got = []
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=timeout)
            except Empty:
                return got
            self.iopub_log.append(msg)
            got.append(msg)

    def shell_reply(self, msg_id: str, timeout: float = REPLY_TIMEOUT_S) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no shell reply to {msg_id} within {timeout} s")
            msg = self.kc.get_shell_msg(timeout=remaining)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def control_reply(self, msg_id: str, timeout: float = REPLY_TIMEOUT_S) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no control reply to {msg_id} within {timeout} s")
            msg = self.kc.control_channel.get_msg(timeout=remaining)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def iopub_until_idle(
        self, msg_id: str, timeout: float = REPLY_TIMEOUT_S, busy_already_seen: bool = False
    ) -> list[dict[str, Any]]:
        """iopub messages of request `msg_id` after its busy status, up to its idle status."""
        deadline = time.monotonic() + timeout
        outputs: list[dict[str, Any]] = []
        seen_busy = busy_already_seen
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no idle status for {msg_id} within {timeout} s; got {outputs}")
            msg = self.kc.get_iopub_msg(timeout=remaining)
            self.iopub_log.append(msg)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                state = msg["content"]["execution_state"]
                if state == "busy":
                    seen_busy = True
                elif state == "idle":
                    assert seen_busy, f"idle without busy for {msg_id}"
                    return outputs
                continue
            outputs.append(msg)

    def send_shell(self, msg_type: str, content: dict[str, Any]) -> str:
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def send_control(self, msg_type: str, content: dict[str, Any]) -> str:
        msg = self.kc.session.msg(msg_type, content)
        self.kc.control_channel.send(msg)
        return msg["header"]["msg_id"]

    def request(self, msg_type: str, content: dict[str, Any], timeout: float = REPLY_TIMEOUT_S) -> dict[str, Any]:
        """Sends a shell request and returns its reply."""
        return self.shell_reply(self.send_shell(msg_type, content), timeout)

    def execute(
        self,
        code: str,
        timeout: float = REPLY_TIMEOUT_S,
        stdin: Callable[[dict[str, Any]], str] | None = None,
        **kwargs: Any,
    ) -> Execution:
        """Runs `code` and returns the reply and its outputs.

        `stdin`, when given, answers each input_request (it receives the request and
        returns the reply value); the request is sent with allow_stdin=True.
        """
        if stdin is not None:
            kwargs.setdefault("allow_stdin", True)
        else:
            kwargs.setdefault("allow_stdin", False)
        msg_id = self.kc.execute(code, **kwargs)
        stdin_requests: list[dict[str, Any]] = []
        if stdin is not None:
            reply = self._reply_answering_stdin(msg_id, stdin, stdin_requests, timeout)
        else:
            reply = self.shell_reply(msg_id, timeout)
        outputs = self.iopub_until_idle(msg_id, timeout)
        return Execution(msg_id, reply, outputs, stdin_requests)

    def _reply_answering_stdin(self, msg_id, answer, requests, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=0.05)
                if msg["parent_header"].get("msg_id") == msg_id:
                    return msg
            except Empty:
                pass
            try:
                request = self.kc.get_stdin_msg(timeout=0.05)
            except Empty:
                continue
            requests.append(request)
            self.kc.input(answer(request))
        raise TimeoutError(f"no shell reply to {msg_id} within {timeout} s")

    def value(self, code: str, **kwargs: Any) -> str | None:
        """text/plain of the cell's execute_result; fails if the cell did not succeed."""
        run = self.execute(code, **kwargs)
        assert run.status == "ok", f"cell failed: {code!r}\n{run.all_text()}"
        return run.result_text()

    def wait_for(self, condition_ts: str, timeout_ms: int = 5000) -> None:
        """Runs a cell that waits (asynchronously) until the TS expression is truthy."""
        code = (
            "await new Promise<void>((resolve, reject) => {\n"
            "  const start = Date.now();\n"
            "  const timer = setInterval(() => {\n"
            f"    if ({condition_ts}) {{ clearInterval(timer); resolve(); }}\n"
            f"    else if (Date.now() - start > {timeout_ms}) {{ clearInterval(timer); "
            f"reject(new Error({ts_string('timed out waiting for ' + condition_ts)})); }}\n"
            "  }, 10);\n"
            "});"
        )
        run = self.execute(code)
        assert run.status == "ok", run.all_text()


# -- raw sockets ------------------------------------------------------------------------
def raw_socket(info: dict[str, Any], channel: str, kind: int = zmq.DEALER) -> zmq.Socket:
    """A plain zmq socket connected to one of the kernel's channels."""
    ctx = zmq.Context.instance()
    sock = ctx.socket(kind)
    sock.linger = 0
    if kind == zmq.DEALER:
        sock.identity = uuid.uuid4().hex.encode()
    port = info[f"{channel}_port"]
    sock.connect(f"{info['transport']}://{info['ip']}:{port}")
    return sock


def session_with_key(key: bytes, signature_scheme: str = "hmac-sha256") -> Session:
    return Session(key=key, signature_scheme=signature_scheme, username="tester")


def recv_within(sock: zmq.Socket, timeout_s: float) -> list[bytes] | None:
    if sock.poll(int(timeout_s * 1000)):
        return sock.recv_multipart()
    return None


# -- cells, waits and notebook folders shared by the protocol suites ----------------------
def write_notebook_folder(folder: Path) -> None:
    """A folder as a notebook would sit in: npm packages beside it and a local .ts module."""
    cjs = folder / "node_modules" / "cjs-greeter"
    cjs.mkdir(parents=True)
    (cjs / "package.json").write_text(
        json.dumps({"name": "cjs-greeter", "version": "1.0.0", "main": "index.js", "types": "index.d.ts"})
    )
    (cjs / "index.js").write_text(
        '"use strict";\nexports.greet = (name) => "hello " + name;\nexports.kind = "cjs";\n'
    )
    (cjs / "index.d.ts").write_text(
        "export declare function greet(name: string): string;\nexport declare const kind: \"cjs\";\n"
    )

    # ESM only: "type": "module", an exports map with no "require" condition, and a
    # top-level await, so require() cannot load it even where Node supports require(esm).
    esm = folder / "node_modules" / "esm-tripler"
    esm.mkdir(parents=True)
    (esm / "package.json").write_text(
        json.dumps(
            {
                "name": "esm-tripler",
                "version": "1.0.0",
                "type": "module",
                "exports": {".": {"types": "./index.d.ts", "import": "./index.js"}},
            }
        )
    )
    (esm / "index.js").write_text(
        "const ready = await Promise.resolve(true);\n"
        "export function triple(n) { return n * 3; }\n"
        "export const isReady = ready;\n"
        'export default "esm-default";\n'
    )
    (esm / "index.d.ts").write_text(
        "export declare function triple(n: number): number;\n"
        "export declare const isReady: boolean;\n"
        "declare const label: string;\nexport default label;\n"
    )

    (folder / "helper.ts").write_text(
        "export interface Box { value: number }\n"
        "export function double(n: number): number { return n * 2; }\n"
        "export const boxed: Box = { value: 7 };\n"
    )


def write_marker_code(path: Path, text: str = "ran") -> str:
    return f'import {{ writeFileSync }} from "node:fs";\nwriteFileSync({ts_string(str(path))}, {ts_string(text)});'


def execute_content(code: str, **overrides: Any) -> dict[str, Any]:
    content = {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }
    content.update(overrides)
    return content


def wait_iopub(kernel: RunningKernel, predicate: Callable[[dict], bool], timeout: float = 15) -> dict:
    """Reads iopub until a message satisfies `predicate` (also checks what was already seen)."""
    for msg in kernel.iopub_log:
        if predicate(msg):
            return msg
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError("expected iopub message did not arrive")
        try:
            msg = kernel.kc.get_iopub_msg(timeout=remaining)
        except Empty:
            continue
        kernel.iopub_log.append(msg)
        if predicate(msg):
            return msg


def wait_started(kernel: RunningKernel, msg_id: str, timeout: float = 30) -> None:
    """Waits for the request's execute_input: the cell has started running."""
    wait_iopub(
        kernel,
        lambda m: m["msg_type"] == "execute_input" and m["parent_header"].get("msg_id") == msg_id,
        timeout,
    )


def is_date(value: Any) -> bool:
    return isinstance(value, dt.datetime) and value.tzinfo is not None


def typescript_version() -> str:
    return json.loads((ROOT / "node_modules" / "typescript" / "package.json").read_text())["version"]
