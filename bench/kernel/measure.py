"""Kernel latency benchmark: tsgpu, tslab and ipykernel started interleaved in one run.

For each kernel and round:
  cold start   process spawn -> first kernel_info_reply (a request sent right after the
               spawn, which ZeroMQ queues until the kernel binds; repeated every 0.5 s
               while unanswered). Timed here, not with
               jupyter_client's wait_for_ready, which adds 0.2 s or more.
  first cell   the first execute_request ("1 + 1") -> its execute_reply and idle status
               (type-checker warm-up included for the TypeScript kernels).
  round trip   the same trivial cell repeated, and distinct trivial cells `1 + N`, each
               timed from send to both execute_reply and iopub idle, as a front end waits;
               distinct cells that need the checker (`Math.max(N, 2) * 2`); distinct
               20-line tensor cells (tfjs for the TypeScript kernels, after one import).
  completion   complete_request on a member of an imported module (tfjs for the
               TypeScript kernels, `os` for ipykernel) -> complete_reply.

Runs under bench/.venv (jupyter_client, pyzmq, ipykernel); started by bench/kernel/run.js,
which sets up the peers. Prints medians and tsgpu's ratios, writes a markdown report.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import zmq
from jupyter_client.session import Session

ROOT = Path(__file__).resolve().parents[2]
DELIMITER = b"<IDS|MSG>"


@dataclass
class Peer:
    name: str
    argv: list[str]  # "{connection_file}" is replaced
    version: str
    language: str = "typescript"  # or "python": which workload texts it gets


@dataclass
class Samples:
    cold_start: list[float] = field(default_factory=list)
    first_cell: list[float] = field(default_factory=list)
    same_cell: list[float] = field(default_factory=list)
    distinct_cells: list[float] = field(default_factory=list)
    first_cell_after_idle: list[float] = field(default_factory=list)
    first_general_cell: list[float] = field(default_factory=list)
    first_general_cell_after_idle: list[float] = field(default_factory=list)
    distinct_general_cells: list[float] = field(default_factory=list)
    tensor_cells: list[float] = field(default_factory=list)
    completions: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def general_cell(language: str, n: int) -> str:
    """A distinct small cell that references a name, so a type checker has work to do."""
    return f"Math.max({n}, 2) * 2" if language == "typescript" else f"max({n}, 2) * 2"


TENSOR_SETUP = {"typescript": 'import * as tf from "@tensorflow/tfjs";\ntf.getBackend()'}


def tensor_cell(language: str, n: int) -> str | None:
    """A distinct 20-line cell creating tensors and running ops (same names each time,
    as when a notebook cell is edited and run again)."""
    if language != "typescript":
        return None
    return f"""const n = {n};
const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
const w = tf.ones([3, 4]).mul(n);
const y = tf.matMul(x, w);
const z = y.relu().add(tf.scalar(1));
const s = z.sum();
const m = tf.mean(z, 0);
const t = m.reshape([2, 2]);
const u = tf.concat([t, t], 0);
const v = u.transpose();
const e = v.exp().log();
const q = tf.sub(e, v).abs().max();
const shape: number[] = u.shape;
const total = s.dataSync()[0] + q.dataSync()[0];
function scale(a: tf.Tensor, k: number): tf.Tensor {{ return a.mul(k); }}
const scaled = scale(x, 2).sum().dataSync()[0];
tf.dispose([x, w, y, z, s, m, t, u, v, e, q]);
const result = {{ shape, total, scaled }};
result.total + result.scaled + n"""


def completion_code(language: str, n: int) -> str:
    """A cell (distinct each time) ending in a member access on an imported module."""
    if language == "typescript":
        return f"const k{n} = {n};\ntf.ma"
    return f"import os\nk{n} = {n}\nos.pa"


def free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class WireClient:
    """Just enough of a Jupyter client, on raw sockets, to time requests precisely."""

    def __init__(self, info: dict, session: Session):
        self.ctx = zmq.Context.instance()
        self.session = session
        addr = lambda port: f"tcp://{info['ip']}:{port}"  # noqa: E731
        self.shell = self.ctx.socket(zmq.DEALER)
        self.control = self.ctx.socket(zmq.DEALER)
        self.iopub = self.ctx.socket(zmq.SUB)
        for sock in (self.shell, self.control, self.iopub):
            sock.linger = 0
            # Retry a refused connect every 2 ms (default 100 ms) while the kernel is
            # still starting, so the cold-start time is not rounded up to 100 ms steps.
            sock.setsockopt(zmq.RECONNECT_IVL, 2)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.shell.connect(addr(info["shell_port"]))
        self.control.connect(addr(info["control_port"]))
        self.iopub.connect(addr(info["iopub_port"]))

    def close(self) -> None:
        for sock in (self.shell, self.control, self.iopub):
            sock.close()

    def send(self, sock, msg_type: str, content: dict) -> str:
        msg = self.session.msg(msg_type, content)
        self.session.send(sock, msg)
        return msg["header"]["msg_id"]

    def recv(self, sock, timeout_s: float) -> dict | None:
        if not sock.poll(int(max(0.0, timeout_s) * 1000)):  # poll(-1) would block forever
            return None
        frames = sock.recv_multipart()
        return self.session.deserialize(frames[frames.index(DELIMITER) + 1 :], content=True)

    def wait_reply(self, msg_id: str, timeout_s: float = 60) -> dict:
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            msg = self.recv(self.shell, deadline - time.perf_counter())
            if msg and msg["parent_header"].get("msg_id") == msg_id:
                return msg
        raise TimeoutError(f"no reply to {msg_id}")

    def execute(self, code: str, timeout_s: float = 20) -> float:
        """Seconds from sending `code` to having both its execute_reply and its idle status."""
        start = time.perf_counter()
        msg_id = self.send(
            self.shell,
            "execute_request",
            {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        )
        got_reply = got_idle = False
        deadline = start + timeout_s
        poller = zmq.Poller()
        poller.register(self.shell, zmq.POLLIN)
        poller.register(self.iopub, zmq.POLLIN)
        while not (got_reply and got_idle):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"execute {code!r}: reply={got_reply} idle={got_idle}")
            for sock, _ in poller.poll(int(remaining * 1000) + 1):
                msg = self.recv(sock, 0)
                if msg is None or msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if sock is self.shell:
                    if msg["content"].get("status") != "ok":
                        raise RuntimeError(f"execute {code!r} failed: {msg['content']}")
                    got_reply = True
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    got_idle = True
        return time.perf_counter() - start

    def complete(self, code: str, timeout_s: float = 20) -> float:
        """Seconds from a complete_request at the end of `code` to its complete_reply (with matches)."""
        start = time.perf_counter()
        msg_id = self.send(self.shell, "complete_request", {"code": code, "cursor_pos": len(code)})
        reply = self.wait_reply(msg_id, timeout_s)
        elapsed = time.perf_counter() - start
        if reply["msg_type"] != "complete_reply" or not reply["content"].get("matches"):
            raise RuntimeError(f"complete {code!r}: {reply['msg_type']} {str(reply['content'])[:200]}")
        return elapsed

    def first_kernel_info_reply(self, timeout_s: float = 60) -> None:
        """Sends kernel_info_request, again every 0.5 s while unanswered (a kernel may drop
        a request that arrives while it is still setting up); returns at the first reply."""
        deadline = time.perf_counter() + timeout_s
        sent: set[str] = set()
        while time.perf_counter() < deadline:
            sent.add(self.send(self.shell, "kernel_info_request", {}))
            resend_at = time.perf_counter() + 0.5
            while time.perf_counter() < resend_at:
                msg = self.recv(self.shell, resend_at - time.perf_counter())
                if msg and msg["parent_header"].get("msg_id") in sent:
                    return
        raise TimeoutError(f"no kernel_info_reply within {timeout_s} s")

    def iopub_live(self, timeout_s: float = 10) -> None:
        """Sends kernel_info until something arrives on iopub (status or iopub_welcome)."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            msg_id = self.send(self.shell, "kernel_info_request", {})
            if self.recv(self.iopub, 0.2) is not None:
                self.wait_reply(msg_id)
                while self.recv(self.iopub, 0.05) is not None:
                    pass
                return
        raise TimeoutError("iopub never delivered a message")


def run_once(peer: Peer, cwd: Path, repeats: int, samples: Samples | None, idle_s: float = 0.0, first_only: str | None = None) -> None:
    """One kernel start. With first_only (a Samples field), only times the first cell,
    sent after the kernel has been idle for idle_s (a user opening a notebook, then
    running a cell): `1 + 1` for first_cell_after_idle, a cell that needs the checker
    for the first_general_cell fields."""
    key = os.urandom(16).hex()
    shell, iopub, stdin, control, hb = free_ports(5)
    info = {
        "transport": "tcp", "ip": "127.0.0.1", "key": key, "signature_scheme": "hmac-sha256",
        "shell_port": shell, "iopub_port": iopub, "stdin_port": stdin, "control_port": control, "hb_port": hb,
        "kernel_name": peer.name,
    }
    connection_file = cwd / f"connection-{peer.name}-{key[:8]}.json"
    connection_file.write_text(json.dumps(info))
    argv = [a.replace("{connection_file}", str(connection_file)) for a in peer.argv]
    client = WireClient(info, Session(key=key.encode(), signature_scheme="hmac-sha256", username="bench"))
    log = open(cwd / f"{peer.name}.log", "ab")
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    try:
        client.first_kernel_info_reply()
        cold = time.perf_counter() - start
        client.iopub_live()
        if first_only:
            time.sleep(idle_s)
            code = "1 + 1" if first_only == "first_cell_after_idle" else general_cell(peer.language, 7)
            after_idle = client.execute(code)
            if samples is not None:
                getattr(samples, first_only).append(after_idle)
        else:
            first = client.execute("1 + 1")
            same = [client.execute("1 + 1") for _ in range(repeats)]
            distinct = [client.execute(f"1 + {n}") for n in range(2, repeats + 2)]
            general = [client.execute(general_cell(peer.language, n)) for n in range(2, repeats + 2)]
            heavy = max(5, repeats // 5)
            tensor: list[float] = []
            completions: list[float] = []
            if peer.language in TENSOR_SETUP:
                client.execute(TENSOR_SETUP[peer.language], timeout_s=120)
                tensor = [client.execute(tensor_cell(peer.language, n), timeout_s=60) for n in range(heavy)]
            else:
                client.execute("import os", timeout_s=60)
            completions = [client.complete(completion_code(peer.language, n)) for n in range(heavy)]
            if samples is not None:
                samples.cold_start.append(cold)
                samples.first_cell.append(first)
                samples.same_cell.extend(same)
                samples.distinct_cells.extend(distinct)
                samples.distinct_general_cells.extend(general)
                samples.tensor_cells.extend(tensor)
                samples.completions.extend(completions)
        client.send(client.control, "shutdown_request", {"restart": False})
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    except (TimeoutError, RuntimeError) as error:
        # A peer that loses a reply or a status message: note it, drop this start's
        # samples, go on with the others.
        if samples is not None:
            samples.failures.append(str(error))
        print(f"  {peer.name}: {error} (this start's samples dropped)", flush=True)
    finally:
        client.close()
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--peers", required=True, help="JSON list of {name, argv, version}")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--idle", type=float, default=2.0, help="idle seconds before the 'first cell after idle' cell")
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    peers = [Peer(**p) for p in json.loads(args.peers)]
    results = {p.name: Samples() for p in peers}

    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="tsgpu-bench-") as tmp:
        cwd = Path(tmp)
        print(f"warm-up: one unmeasured start of each kernel (file cache)", flush=True)
        # The TypeScript kernels import @tensorflow/tfjs from the notebook folder (tslab has no copy of its own).
        (cwd / "node_modules").mkdir()
        (cwd / "node_modules" / "@tensorflow").symlink_to(ROOT / "node_modules" / "@tensorflow", target_is_directory=True)
        for peer in peers:
            run_once(peer, cwd, 5, None)
        for round_index in range(args.rounds):
            # Rotate the order each round so no kernel always runs first or last.
            order = peers[round_index % len(peers):] + peers[: round_index % len(peers)]
            for peer in order:
                run_once(peer, cwd, args.repeats, results[peer.name])
            for first_only, idle_s in (("first_cell_after_idle", args.idle), ("first_general_cell", 0.0), ("first_general_cell_after_idle", args.idle)):
                for peer in order:
                    run_once(peer, cwd, 0, results[peer.name], idle_s=idle_s, first_only=first_only)
            print(f"round {round_index + 1}/{args.rounds}: " + ", ".join(
                f"{p.name} cold {ms(results[p.name].cold_start[-1]) if results[p.name].cold_start else 'failed'}"
                for p in peers), flush=True)

    metrics = [
        ("cold start to kernel_info_reply", "cold_start", "0.3 s"),
        ("first cell (`1 + 1`) right after start", "first_cell", "1.5 s"),
        (f"first cell after {args.idle:g} s idle", "first_cell_after_idle", "-"),
        (f"round trip, same cell x{args.repeats}", "same_cell", "2 ms"),
        (f"round trip, distinct cells `1 + N` x{args.repeats}", "distinct_cells", "fastest peer"),
        ("first cell `Math.max(7, 2) * 2` right after start", "first_general_cell", "0.5 s"),
        (f"first cell `Math.max(7, 2) * 2` after {args.idle:g} s idle", "first_general_cell_after_idle", "fastest peer"),
        (f"round trip, distinct cells `Math.max(N, 2) * 2` x{args.repeats}", "distinct_general_cells", "-"),
        (f"20-line tfjs cell, distinct x{max(5, args.repeats // 5)}", "tensor_cells", "-"),
        (f"completion `tf.ma` (ipykernel: `os.pa`) x{max(5, args.repeats // 5)}", "completions", "-"),
    ]
    medians = {p.name: {key: (statistics.median(getattr(results[p.name], key)) if getattr(results[p.name], key) else None) for _, key, _ in metrics} for p in peers}
    others = [p.name for p in peers if p.name != "tsgpu"]

    header = "| metric (median) | target | " + " | ".join(p.name for p in peers) + " | " + " | ".join(f"tsgpu / {o}" for o in others) + " |"
    rule = "|" + " --- |" * (2 + len(peers) + len(others))
    rows = []
    for title, key, target in metrics:
        cells = [ms(medians[p.name][key]) if medians[p.name][key] is not None else "-" for p in peers]
        ratios = [f"{medians['tsgpu'][key] / medians[o][key]:.2f}" if medians["tsgpu"][key] and medians[o][key] else "-" for o in others]
        rows.append(f"| {title} | {target} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    table = "\n".join([header, rule, *rows])
    failures = [f"{p.name}: {len(results[p.name].failures)} of {4 * args.rounds} starts failed ({'; '.join(sorted(set(results[p.name].failures)))})" for p in peers if results[p.name].failures]
    failure_note = ("\nStarts that failed (their samples are left out):\n" + "\n".join(f"- {f}" for f in failures) + "\n") if failures else ""
    print()
    print(table)

    load_end = os.getloadavg()
    now = dt.datetime.now(dt.timezone.utc)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    report = f"""# Kernel latency: tsgpu vs tslab vs ipykernel

Run {now:%Y-%m-%d %H:%M} UTC by `npm run bench:kernel` (bench/kernel/), tsgpu at commit `{commit}`.

Machine: {os.cpu_count()} CPUs (`nproc` {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}), {cpu_model()}; Linux {platform.release()}; Node {node}; Python {platform.python_version()}. Load average (1 min) {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end (other work shares this machine).

Peers: {", ".join(f"{p.name} {p.version}" for p in peers)}. {args.rounds} rounds after one unmeasured warm-up start of each kernel; in each round every kernel is started in turn (order rotated each round), so all three see the same machine state. Round trips: {args.repeats} executions per round and kind, pooled over rounds.

{table}

Ratios below 1 mean tsgpu is faster. Definitions:
- **cold start**: process spawn to the first `kernel_info_reply` (a request sent right after the spawn, queued by ZeroMQ until the kernel binds, and sent again every 0.5 s while unanswered). Timed on raw sockets, not with jupyter_client's `wait_for_ready`, which adds 0.2 s or more.
- **first cell**: the first `execute_request` after start (type checker warm-up included for the TypeScript kernels) to both its `execute_reply` and its idle status.
- **first cell after idle**: a fresh kernel left idle for the given time after its first `kernel_info_reply`, then its first cell (what a user who opens a notebook and then runs a cell sees; shows whether a kernel warms up in the background).
- **first cell `Math.max(7, 2) * 2`**: as first cell, but a cell that refers to a library name, so a type checker must load its libraries first (tsgpu prepares literal arithmetic such as `1 + 1` without the checker, see kernel/compiler/literal_cell.ts).
- **round trip**: one trivial cell, send to both `execute_reply` and iopub idle (what a front end waits for). "same cell" repeats `1 + 1`; "distinct cells" sends `1 + 2`, `1 + 3`, ... so no per-source cache can help; `Math.max(N, 2) * 2` (ipykernel: `max(N, 2) * 2`) is the same with a name to check.
- **20-line tfjs cell**: after `import * as tf from "@tensorflow/tfjs"` (untimed), cells of 20 lines that declare the same names each time (as a notebook cell edited and run again), create tensors and run about 15 ops; a different constant each time. TypeScript kernels only (ipykernel has no tfjs; the venv has no numpy).
- **completion**: `complete_request` with the cursor after `tf.ma` in a cell that also declares a new constant (distinct text each time), to the `complete_reply`; ipykernel completes `os.pa` after `import os`.

Targets from issue 2: cold start at most 0.3 s, round trip at most 2 ms, first cell under 1.5 s. Issue 13: a distinct trivial cell and the first cell after 2 s idle no slower than the fastest peer; the first cell right after start under 0.5 s. This is a shared, noisy machine: read the ratios, not the absolute numbers.
{failure_note}{args.note}
"""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    sys.exit(main())
