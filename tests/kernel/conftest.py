"""Session setup for the kernel suites: a private kernelspec and hang protection.

The suites drive a real `tsgpu` kernel through jupyter_client. Before any test runs we
install the kernelspec with the project's own CLI into a temporary prefix and point
JUPYTER_PATH at it, so the tests never depend on (or touch) the user's kernelspecs.
A second spec, "tsgpu-signal", is the same kernel with interrupt_mode "signal".

Building the TypeScript is not done here: `npx tsc -p tsconfig.json` (or `npm test`)
does that. If the build is missing the whole session stops with that instruction.

The fixtures the protocol suites (test_signing.py, test_outputs.py, ...) share live here
too: `kernel`, one kernel for the whole session whose working directory is a temporary
notebook folder with a node_modules tree and a relative .ts module; `fresh_kernel`, a
kernel of the test's own, for tests that end, restart or interrupt it; `marker`, a file
path a cell writes to prove it ran. A side effect that must NOT happen (a badly signed
message, an aborted cell) is proven by that file's absence, checked after a later, valid
request: the kernel handles shell requests in order, so the bad one has been dealt with.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from harness import RunningKernel, write_notebook_folder

ROOT = Path(__file__).resolve().parents[2]
CLI_BUILD = ROOT / "build" / "kernel" / "cli" / "main.js"
KERNEL_NAME = "tsgpu"
SIGNAL_KERNEL_NAME = "tsgpu-signal"

# A test that waits on a kernel that never answers must fail, not hang CI. This is a
# guard against hangs, not a timing assertion: it is far above any expected duration.
TEST_HANG_LIMIT_S = int(os.environ.get("TSGPU_TEST_HANG_LIMIT_S", "180"))

_tmp_root: Path | None = None


def _fail_session(message: str) -> None:
    pytest.exit(f"tests/kernel: {message}", returncode=1)


def pytest_sessionstart(session: pytest.Session) -> None:
    global _tmp_root
    if not CLI_BUILD.exists():
        _fail_session(
            f"{CLI_BUILD.relative_to(ROOT)} is missing: the kernel is not built. "
            "Run `npx tsc -p tsconfig.json` from the repository root (npm test does this)."
        )
    node = shutil.which("node")
    if node is None:
        _fail_session("`node` is not on PATH; the tsgpu kernel needs Node.js 20 or later.")

    _tmp_root = Path(tempfile.mkdtemp(prefix="tsgpu-kernel-tests-"))
    # Also removed when the session stops early (pytest.exit skips sessionfinish).
    atexit.register(shutil.rmtree, _tmp_root, ignore_errors=True)
    prefix = _tmp_root / "prefix"
    result = subprocess.run(
        [node, str(ROOT / "bin" / "tsgpu.js"), "install", "--prefix", str(prefix)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    spec_dir = prefix / "share" / "jupyter" / "kernels" / KERNEL_NAME
    if result.returncode != 0 or not (spec_dir / "kernel.json").exists():
        _fail_session(
            "`node bin/tsgpu.js install --prefix DIR` did not write "
            f"DIR/share/jupyter/kernels/{KERNEL_NAME}/kernel.json "
            f"(exit {result.returncode}).\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )

    # Same kernel, interrupted by SIGINT instead of interrupt_request.
    signal_dir = spec_dir.parent / SIGNAL_KERNEL_NAME
    shutil.copytree(spec_dir, signal_dir)
    spec = json.loads((signal_dir / "kernel.json").read_text())
    spec["interrupt_mode"] = "signal"
    spec["display_name"] = spec.get("display_name", "tsgpu") + " (signal interrupt)"
    (signal_dir / "kernel.json").write_text(json.dumps(spec, indent=1))

    runtime = _tmp_root / "runtime"
    runtime.mkdir()
    os.environ["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    # Keep the user's own config and data directories out of the picture.
    os.environ["JUPYTER_CONFIG_DIR"] = str(_tmp_root / "config")
    os.environ["JUPYTER_DATA_DIR"] = str(_tmp_root / "data")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _tmp_root is not None:
        shutil.rmtree(_tmp_root, ignore_errors=True)


@pytest.fixture(scope="session")
def kernelspec_dir() -> Path:
    assert _tmp_root is not None
    return _tmp_root / "prefix" / "share" / "jupyter" / "kernels" / KERNEL_NAME


class KernelHang(Exception):
    """Raised in the main thread when a test has waited past TEST_HANG_LIMIT_S."""


@pytest.fixture(autouse=True)
def _hang_guard(request: pytest.FixtureRequest):
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):  # noqa: ARG001
        raise KernelHang(
            f"{request.node.nodeid} waited more than {TEST_HANG_LIMIT_S} s "
            "(the kernel stopped answering?)"
        )

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TEST_HANG_LIMIT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"tsgpu kernel suites: node {shutil.which('node')}, python {sys.version.split()[0]}"]


# -- kernels for the protocol suites ----------------------------------------------------
@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The notebook folder the kernels run in (see `write_notebook_folder`)."""
    folder = tmp_path_factory.mktemp("notebook-folder")
    write_notebook_folder(folder)
    return folder


@pytest.fixture(scope="session")
def kernel(workdir: Path):
    """One kernel shared by every protocol suite; tests that end, restart or interrupt it use `fresh_kernel`."""
    k = RunningKernel(cwd=workdir)
    yield k
    k.close()


@pytest.fixture
def fresh_kernel(workdir: Path):
    """A kernel of the test's own, closed after it."""
    k = RunningKernel(cwd=workdir)
    yield k
    k.close()


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    """A file path a cell writes to prove it ran."""
    return tmp_path / f"ran-{uuid.uuid4().hex}.txt"
