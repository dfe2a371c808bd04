"""A seeded protocol fuzzer for the tsgpu kernel (reusable: tests/kernel/test_fuzz.py, `npm run soak`).

It starts a real kernel (its own connection file, stderr kept in a file) and sends it
correctly signed, well-formed messages of every request type the kernel handles, on shell,
control and stdin, each with ONE thing wrong: a content or header field set to a wrong type
or an extreme value (null, huge and big-int numbers, 1e308, -0, NaN/Infinity as Python's
json writes them, a 100 kB string, lone surrogates, lists and objects), a field left out,
a content/header/metadata/parent_header frame that is not an object; plus the same message
sent twice, reply types sent as requests, requests on the wrong channel and input_reply
with no input_request.

What it checks for each message, from the outcome it predicts:
- a frame the wire layer must reject (not an object, not JSON, header without string
  msg_id/msg_type) is dropped: no reply, and the kernel logs "[tsgpu] dropped ..." on
  stderr (counted at the end);
- every other request gets a signed reply on its own socket, parented to it;
- comm traffic and input_reply get no reply (they are not requests).
What must never happen: code other than the intended cell runs. Every place a mutation
can put text (a `code` turned into a list, user_expressions as a list, comm data, history
patterns, completion code, an execute_request on control, a reply type carrying code) holds
MARKER code that writes a file; the file must never appear. Every `check_every` messages a
normal cell must answer, the marker must be absent and the kernel process alive.

Reproducible: the same seed sends the same messages (the seed is printed first).
CLI: python tests/kernel/fuzz.py --messages 2000 [--seed N] [--json out.json]
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zmq
from jupyter_client.connect import write_connection_file

ROOT = Path(__file__).resolve().parents[2]
DELIMITER = b"<IDS|MSG>"
REPLY_TIMEOUT_S = 60.0
HUGE_STRING = "x" * 100_000
INTENDED_CODE = "1"
"""The only code a fuzzed execute_request may run (cheap: the kernel reuses its check)."""

# Values a field is mutated to. NaN and Infinity make Python write invalid JSON
# (`NaN`), which the kernel must drop; 10**400 parses to Infinity in JavaScript.
EXTREMES: list[Any] = [
    None, True, 0, -1, -0.0, 0.5, 2**53 + 1, 2**64, -(2**63) - 1, 10**400, 1e308, -1e308,
    float("nan"), float("inf"), float("-inf"), "", HUGE_STRING, "\ud800", "a\udfffb",
    "\U0001f600" * 3, [], {}, [1, "two", None],
]
VERBOSE = bool(os.environ.get("TSGPU_FUZZ_VERBOSE"))


def marker_code(path: Path) -> str:
    # process.getBuiltinModule works wherever the code lands (a cell, vm.runInThisContext, eval).
    return f'process.getBuiltinModule("node:fs").writeFileSync({json.dumps(str(path))}, "ran")'


def _dumps(value: Any) -> bytes:
    # ensure_ascii keeps lone surrogates as \\udXXX escapes (valid JSON, invalid UTF-16).
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode()


def _has_nonfinite(value: Any) -> bool:
    if isinstance(value, float):
        return value != value or value in (float("inf"), float("-inf"))
    if isinstance(value, dict):
        return any(_has_nonfinite(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nonfinite(v) for v in value)
    return False


@dataclass
class Case:
    """One fuzzed message and the outcome the kernel must produce."""

    channel: str
    msg_type: str
    header: Any
    parent_header: Any
    metadata: Any
    content: Any
    mutation: str
    expect: str = "reply"  # "reply" | "drop" | "silent"
    repeat: int = 1

    @property
    def msg_id(self) -> str | None:
        return self.header.get("msg_id") if isinstance(self.header, dict) else None


@dataclass
class FuzzReport:
    seed: int
    sent: int = 0
    replies: int = 0
    drops_expected: int = 0
    drops_logged: int = 0
    checkpoints: int = 0
    failures: list[str] = field(default_factory=list)
    rss_samples: list[dict[str, int]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"fuzz seed={self.seed}: {self.sent} messages, {self.replies} replies, "
            f"{self.drops_expected} drops expected / {self.drops_logged} logged, "
            f"{self.checkpoints} checkpoints, {len(self.failures)} failures, {self.seconds:.1f} s"
        )


class MessageFactory:
    """Builds the fuzzed cases from a seeded random generator."""

    def __init__(self, rng: random.Random, marker: Path, session: str):
        self.rng = rng
        self.marker = marker
        self.marker_code = marker_code(marker)
        self.session = session

    def header(self, msg_type: str) -> dict[str, Any]:
        return {
            "msg_id": uuid.UUID(int=self.rng.getrandbits(128)).hex,
            "session": self.session,
            "username": "fuzzer",
            "date": "2026-01-01T00:00:00.000000Z",
            "msg_type": msg_type,
            "version": "5.5",
        }

    def base(self) -> tuple[str, str, dict[str, Any]]:
        """A valid request: (channel, msg_type, content). Code-bearing fields hold marker code
        wherever the kernel must not run them."""
        m = self.marker_code
        comm_id = uuid.UUID(int=self.rng.getrandbits(128)).hex
        choices: list[tuple[str, str, dict[str, Any]]] = [
            ("shell", "execute_request", {"code": INTENDED_CODE, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False, "stop_on_error": False}),
            ("shell", "complete_request", {"code": m, "cursor_pos": len(m)}),
            ("shell", "inspect_request", {"code": m, "cursor_pos": 10, "detail_level": 0}),
            ("shell", "is_complete_request", {"code": m}),
            ("shell", "history_request", {"output": True, "raw": True, "hist_access_type": "tail", "n": 5}),
            ("shell", "history_request", {"output": False, "raw": True, "hist_access_type": "range", "session": 0, "start": 0, "stop": 3}),
            ("shell", "history_request", {"output": False, "raw": True, "hist_access_type": "search", "pattern": m, "n": 3, "unique": True}),
            ("shell", "kernel_info_request", {}),
            ("shell", "comm_info_request", {"target_name": "tsgpu.device"}),
            ("shell", "comm_open", {"comm_id": comm_id, "target_name": "fuzz.no_such_target", "data": {"code": m}}),
            ("shell", "comm_msg", {"comm_id": comm_id, "data": {"code": m}}),
            ("shell", "comm_close", {"comm_id": comm_id, "data": {}}),
            ("shell", "input_reply", {"value": m}),
            ("shell", "usage_request", {}),
            ("shell", "execute_reply", {"status": "ok", "code": m, "execution_count": 1}),
            ("shell", "fuzz_unknown_request", {"code": m}),
            ("control", "kernel_info_request", {}),
            ("control", "interrupt_request", {}),
            ("control", "usage_request", {}),
            ("control", "debug_request", {"type": "request", "seq": 1, "command": "initialize", "arguments": {}}),
            ("control", "execute_request", {"code": m, "silent": False}),
            ("control", "comm_info_request", {}),
            ("control", "kernel_info_reply", {"status": "ok"}),
            ("stdin", "input_reply", {"value": m}),
        ]
        # execute_request carries most risk (it runs code): sent four times as often.
        return self.rng.choices(choices, [4] + [1] * (len(choices) - 1))[0]

    def mutant(self) -> Any:
        # A quarter of the mutants carry marker code (in a list or an object), the rest are EXTREMES.
        value = self.rng.choice(["list-with-code", "object-with-code"]) if self.rng.random() < 0.25 else self.rng.choice(EXTREMES)
        if value == "list-with-code":
            return [self.marker_code]
        if value == "object-with-code":
            return {"nested": {"code": self.marker_code}, "toString": self.marker_code}
        return value

    def case(self) -> Case:
        channel, msg_type, content = self.base()
        header = self.header(msg_type)
        parent: Any = {}
        metadata: Any = {}
        kind = self.rng.choices(["content", "missing", "frame", "header", "duplicate", "none"], [50, 12, 8, 18, 6, 6])[0]
        mutation = kind
        repeat = 1
        if kind == "content" and content:
            key = self.rng.choice(sorted(content))
            content[key] = self.mutant()
            mutation = f"content.{key}"
        elif kind == "content":
            content["extra"] = self.mutant()
            mutation = "content.extra"
        elif kind == "missing" and content:
            key = self.rng.choice(sorted(content))
            del content[key]
            mutation = f"missing content.{key}"
        elif kind == "frame":
            frame = self.rng.choice(["content", "header", "metadata", "parent_header"])
            value = self.rng.choice([[1, 2], "a string", None, 42, [self.marker_code]])
            mutation = f"{frame} frame = {type(value).__name__}"
            if frame == "content":
                content = value
            elif frame == "header":
                header = value
            elif frame == "metadata":
                metadata = value
            else:
                parent = value
        elif kind == "header":
            key = self.rng.choice(sorted(header))
            if self.rng.random() < 0.25:
                del header[key]
                mutation = f"missing header.{key}"
            else:
                header[key] = self.mutant()
                mutation = f"header.{key}"
        elif kind == "duplicate":
            repeat = 2
            mutation = "same msg_id twice"
        case = Case(channel, msg_type, header, parent, metadata, content, mutation, repeat=repeat)
        case.expect = self.expectation(case)
        return case

    @staticmethod
    def expectation(case: Case) -> str:
        frames = (case.header, case.parent_header, case.metadata, case.content)
        if any(not isinstance(f, dict) for f in frames) or any(_has_nonfinite(f) for f in frames):
            return "drop"
        if not isinstance(case.header.get("msg_id"), str) or not isinstance(case.header.get("msg_type"), str):
            return "drop"
        if case.channel == "stdin":
            return "drop"  # input_reply with no input_request waiting: dropped, and logged
        if case.channel == "shell" and case.msg_type in ("comm_open", "comm_msg", "comm_close"):
            return "drop" if not isinstance(case.content.get("comm_id"), str) else "silent"
        return "reply"


class KernelProcess:
    """A kernel started from our own connection file, its stderr kept in a file."""

    def __init__(self, workdir: Path, env: dict[str, str] | None = None):
        self.workdir = workdir
        self.connection_file = str(workdir / "connection.json")
        self.key = uuid.uuid4().hex.encode()
        write_connection_file(self.connection_file, ip="127.0.0.1", key=self.key, signature_scheme="hmac-sha256")
        self.info = json.loads(Path(self.connection_file).read_text())
        self.stderr_path = workdir / "kernel.stderr"
        self._stderr = open(self.stderr_path, "wb")
        node = shutil.which("node") or "node"
        self.process = subprocess.Popen(
            [node, str(ROOT / "bin" / "tsgpu.js"), "kernel", "--connection-file", self.connection_file],
            cwd=workdir, stdout=subprocess.DEVNULL, stderr=self._stderr, env={**os.environ, **(env or {})},
        )
        self.ctx = zmq.Context()
        self.sockets = {}
        for channel in ("shell", "control", "stdin"):
            sock = self.ctx.socket(zmq.DEALER)
            sock.linger = 0
            sock.identity = uuid.uuid4().hex.encode()
            sock.connect(f"tcp://127.0.0.1:{self.info[channel + '_port']}")
            self.sockets[channel] = sock
        self.pending: dict[str, list[dict[str, Any]]] = {}

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def sign(self, parts: list[bytes]) -> bytes:
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode()

    def send(self, channel: str, header: Any, parent: Any, metadata: Any, content: Any) -> None:
        parts = [_dumps(header), _dumps(parent), _dumps(metadata), _dumps(content)]
        self.sockets[channel].send_multipart([DELIMITER, self.sign(parts), *parts])

    def receive(self, channel: str, timeout_s: float) -> dict[str, Any] | None:
        sock = self.sockets[channel]
        if not sock.poll(int(timeout_s * 1000)):
            return None
        frames = sock.recv_multipart()
        at = frames.index(DELIMITER)
        parts = frames[at + 2: at + 6]
        if not hmac.compare_digest(frames[at + 1], self.sign(parts)):
            raise AssertionError(f"reply on {channel} with a bad signature")
        header, parent, metadata, content = (json.loads(p) for p in parts)
        return {"header": header, "parent_header": parent, "metadata": metadata, "content": content, "msg_type": header["msg_type"]}

    def reply_to(self, channel: str, msg_id: str, timeout_s: float = REPLY_TIMEOUT_S) -> dict[str, Any] | None:
        """The reply parented to msg_id (other replies seen meanwhile are kept for later)."""
        key = f"{channel}:{msg_id}"
        deadline = time.monotonic() + timeout_s
        while not self.pending.get(key):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.alive():
                return None
            msg = self.receive(channel, min(remaining, 1.0))
            if msg is not None:
                self.pending.setdefault(f"{channel}:{msg['parent_header'].get('msg_id')}", []).append(msg)
        reply = self.pending[key].pop(0)
        if not self.pending[key]:
            del self.pending[key]
        return reply

    def execute(self, code: str, timeout_s: float = REPLY_TIMEOUT_S) -> dict[str, Any] | None:
        header = {"msg_id": uuid.uuid4().hex, "session": "fuzz-check", "username": "fuzzer", "date": "2026-01-01T00:00:00Z", "msg_type": "execute_request", "version": "5.5"}
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        self.send("shell", header, {}, {}, content)
        return self.reply_to("shell", header["msg_id"], timeout_s)

    def rss(self) -> dict[str, int]:
        """RSS in bytes of the kernel process and each of its children (the execution child)."""
        def rss_of(pid: int) -> int:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
            except OSError:
                pass
            return 0

        sample = {"kernel": rss_of(self.pid), "child": 0}
        try:
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
            sample["child"] = sum(rss_of(int(c)) for c in children)
        except OSError:
            pass
        return sample

    def dropped_lines(self) -> int:
        self._stderr.flush()
        text = self.stderr_path.read_text(errors="replace")
        return sum(1 for line in text.splitlines() if line.startswith("[tsgpu] dropped"))

    def close(self) -> None:
        for sock in self.sockets.values():
            sock.close()
        self.ctx.term()
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()


def wait_ready(kernel: KernelProcess, timeout_s: float = 60) -> None:
    header = {"msg_id": uuid.uuid4().hex, "session": "fuzz-check", "username": "fuzzer", "date": "2026-01-01T00:00:00Z", "msg_type": "kernel_info_request", "version": "5.5"}
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        kernel.send("shell", header, {}, {}, {})
        if kernel.reply_to("shell", header["msg_id"], 2.0) is not None:
            return
    raise TimeoutError("the kernel did not answer kernel_info_request")


def check_reply(case: Case, reply: dict[str, Any]) -> str | None:
    """Why a reply is wrong, or None."""
    if not reply["msg_type"].endswith("_reply"):
        return f"reply type {reply['msg_type']!r}"
    status = reply["content"].get("status")
    if reply["msg_type"] == "debug_reply" and reply["content"].get("type") == "response":
        return None
    if reply["msg_type"] == "is_complete_reply" and status in ("complete", "incomplete", "invalid", "unknown"):
        return None
    if reply["msg_type"] == "usage_reply" and status is None:
        return None  # ipykernel's usage_reply (not in the spec) has no status either
    if status not in ("ok", "error", "aborted"):
        return f"reply status {status!r}"
    if status == "error" and not isinstance(reply["content"].get("ename"), str):
        return "error reply without ename"
    return None


def run_fuzz(messages: int, seed: int | None = None, check_every: int = 100, log=print, workdir: Path | None = None) -> FuzzReport:
    """Starts a kernel, sends `messages` fuzzed messages, returns what went wrong."""
    seed = seed if seed is not None else random.SystemRandom().randrange(2**32)
    log(f"fuzz: seed {seed} (rerun with TSGPU_FUZZ_SEED={seed}), {messages} messages")
    report = FuzzReport(seed)
    own_dir = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="tsgpu-fuzz-")) if own_dir else workdir
    marker = folder / "MARKER-must-not-exist.txt"
    kernel = KernelProcess(folder)
    started = time.monotonic()
    try:
        wait_ready(kernel)
        factory = MessageFactory(random.Random(seed), marker, uuid.UUID(int=seed).hex)
        report.rss_samples.append(kernel.rss())
        for index in range(1, messages + 1):
            case = factory.case()
            if VERBOSE:
                log(f"#{index} {case.channel} {case.msg_type} [{case.mutation}] expect {case.expect}")
            for _ in range(case.repeat):
                kernel.send(case.channel, case.header, case.parent_header, case.metadata, case.content)
                report.sent += 1
            if case.expect == "drop":
                report.drops_expected += case.repeat
            elif case.expect == "reply":
                for _ in range(case.repeat):
                    reply = kernel.reply_to(case.channel, case.msg_id or "")
                    if reply is None:
                        report.failures.append(f"#{index} {case.channel} {case.msg_type} [{case.mutation}]: no reply")
                        break
                    report.replies += 1
                    problem = check_reply(case, reply)
                    if problem:
                        report.failures.append(f"#{index} {case.channel} {case.msg_type} [{case.mutation}]: {problem}")
            if index % check_every == 0 or index == messages:
                checkpoint(kernel, report, marker, index)
                if not kernel.alive():
                    break
            if len(report.failures) > 20:
                break
        report.drops_logged = kernel.dropped_lines()
        if report.drops_logged < report.drops_expected:
            report.failures.append(f"{report.drops_expected} messages had to be dropped but only {report.drops_logged} drops were logged on stderr")
    finally:
        report.seconds = time.monotonic() - started
        kernel.close()
        if report.failures:
            tail = kernel.stderr_path.read_text(errors="replace")[-3000:]
            log(f"fuzz: kernel stderr (tail):\n{tail}")
        if own_dir:
            shutil.rmtree(folder, ignore_errors=True)
    log(report.summary())
    return report


def checkpoint(kernel: KernelProcess, report: FuzzReport, marker: Path, index: int) -> None:
    report.checkpoints += 1
    if not kernel.alive():
        report.failures.append(f"after #{index}: the kernel process ended (exit {kernel.process.returncode})")
        return
    reply = kernel.execute(f"{index} + 1")
    if reply is None or reply["content"].get("status") != "ok":
        report.failures.append(f"after #{index}: a normal cell did not answer ok: {reply and reply['content']}")
    if marker.exists():
        report.failures.append(f"after #{index}: marker code ran (a mutated message executed code)")
        marker.unlink()
    report.rss_samples.append(kernel.rss())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--check-every", type=int, default=100)
    parser.add_argument("--json", type=Path, default=None, help="write the report as JSON here")
    args = parser.parse_args()
    report = run_fuzz(args.messages, args.seed, args.check_every)
    for failure in report.failures:
        print(f"  FAIL {failure}")
    if args.json:
        args.json.write_text(json.dumps(report.__dict__, indent=1))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
