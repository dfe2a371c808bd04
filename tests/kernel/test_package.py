"""The package a user installs: `npm pack`, then the tarball installed into an empty folder.

Everything here runs the installed copy (`<tmp>/app/node_modules/tsgpu`), never the
repository: its `tsgpu install` writes the kernelspec and the prebuilt JupyterLab
extension, JupyterLab lists the extension, the kernel it installed trains a small model,
and `tsgpu uninstall` removes both.

`npm pack` runs the package's prepack (tsc, then the extension build, skipped when its
inputs are unchanged). The tarball's dependencies come from the npm cache that `npm ci`
filled (`--prefer-offline`), so no network is needed when that cache is warm.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import RunningKernel, strip_ansi

ROOT = Path(__file__).resolve().parents[2]

# Packed size today is about 0.3 MB. 5 MB leaves room for growth and still catches a
# files list that lets in tests, benchmark results, notebooks' outputs or images.
MAX_PACKED_BYTES = 5 * 1024 * 1024
# Forbidden in the tarball: what a user never runs.
FORBIDDEN = re.compile(r"^(tests|bench|notebooks|docs|src|scripts|kernel|build/tests|build/bench|build/extension)/|\.map$|\.tsbuildinfo$")
REQUIRED = [
    "package.json",
    "README.md",
    "LICENSE",
    "bin/tsgpu.js",
    "build/kernel/index.js",
    "build/kernel/index.d.ts",
    "build/kernel/cli/main.js",
    "build/labextension/package.json",
    "assets/logo-64x64.png",
]


def run(args: list[str], cwd: Path, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert result.returncode == 0, f"{' '.join(args)} failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def packed(tmp_path_factory) -> dict:
    """`npm pack` of the repository: npm's JSON report with the tarball's path added."""
    destination = tmp_path_factory.mktemp("pack")
    started = time.monotonic()
    result = run(["npm", "pack", "--json", "--pack-destination", str(destination)], ROOT, timeout=600)
    # prepack's own log lines come before npm's JSON (a list opened on a line of its own).
    lines = result.stdout.splitlines()
    report = json.loads("\n".join(lines[lines.index("[") :]))[0]
    report["path"] = destination / report["filename"]
    report["seconds"] = time.monotonic() - started
    print(
        f"\nnpm pack: {report['filename']}, {report['size'] / 1e6:.2f} MB packed, "
        f"{report['unpackedSize'] / 1e6:.2f} MB unpacked, {report['entryCount']} files, {report['seconds']:.0f} s"
    )
    return report


@pytest.fixture(scope="module")
def app(packed, tmp_path_factory) -> Path:
    """An empty folder where the tarball was installed with npm, as a user would."""
    folder = tmp_path_factory.mktemp("app")
    started = time.monotonic()
    run(["npm", "install", "--prefer-offline", "--no-audit", "--no-fund", str(packed["path"])], folder, timeout=600)
    print(f"npm install of the tarball: {time.monotonic() - started:.0f} s")
    assert (folder / "node_modules" / "tsgpu" / "build" / "labextension" / "package.json").exists()
    return folder


def tsgpu(app: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return run(["npx", "--no", "tsgpu", *args], app, timeout=120, env={**os.environ, **(env or {})})


def labextension_list(data_dir: Path) -> dict[str, str]:
    """`jupyter labextension list` with `data_dir` first on JUPYTER_PATH: {extensions folder: its lines}."""
    env = {**os.environ, "JUPYTER_PATH": str(data_dir)}
    result = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    sections: dict[str, str] = {}
    current = None
    for line in strip_ansi(result.stdout + result.stderr).splitlines():
        if line.startswith("/"):
            current = line.strip()
            sections[current] = ""
        elif current and line.strip():
            sections[current] += line.strip() + "\n"
    return sections


def test_the_tarball_holds_what_a_user_runs_and_nothing_else(packed):
    files = sorted(f["path"] for f in packed["files"])
    assert packed["size"] < MAX_PACKED_BYTES, f"{packed['size']} bytes packed"
    for required in REQUIRED:
        assert required in files, f"{required} is missing from the tarball"
    stray = [f for f in files if FORBIDDEN.search(f)]
    assert not stray, f"the tarball holds files a user never runs: {stray[:20]}"


def test_the_extension_is_built_against_the_pinned_jupyterlab():
    # scripts/jupyterlab/core.package.json must be the core package.json of the JupyterLab
    # that tests/requirements.txt pins (the builder reads it for shared package versions).
    import jupyterlab

    staging = Path(jupyterlab.__file__).parent / "staging" / "package.json"
    kept = ROOT / "scripts" / "jupyterlab" / "core.package.json"
    assert json.loads(kept.read_text()) == json.loads(staging.read_text()), (
        f"{kept.relative_to(ROOT)} differs from JupyterLab {jupyterlab.__version__}'s {staging}: copy it over"
    )


def test_install_with_a_prefix_runs_the_installed_kernel_and_lists_the_extension(app, tmp_path, monkeypatch):
    prefix = tmp_path / "prefix"
    data_dir = prefix / "share" / "jupyter"
    tsgpu(app, "install", "--prefix", str(prefix))
    spec = json.loads((data_dir / "kernels" / "tsgpu" / "kernel.json").read_text())
    assert Path(spec["argv"][1]).resolve() == (app / "node_modules" / "tsgpu" / "bin" / "tsgpu.js").resolve(), spec["argv"]

    listed = labextension_list(data_dir)
    ours = listed.get(str(data_dir / "labextensions"), "")
    assert re.search(r"^tsgpu v\S+ enabled\s+OK", ours, re.M), f"tsgpu is not listed as enabled and OK under {data_dir}: {listed}"

    # The kernel that install wrote, started from an empty notebook folder: "tsgpu" and
    # "@tensorflow/tfjs" resolve to the installed package and its dependencies.
    monkeypatch.setenv("JUPYTER_PATH", str(data_dir))
    notebook = tmp_path / "notebook"
    notebook.mkdir()
    kernel = RunningKernel(cwd=notebook)
    try:
        cell = kernel.execute(
            """
import * as tf from "@tensorflow/tfjs";
import { use, devices } from "tsgpu";
await use("cpu-blas");
const model = tf.sequential({ layers: [
  tf.layers.dense({ inputShape: [4], units: 8, activation: "relu" }),
  tf.layers.dense({ units: 2, activation: "softmax" }),
] });
model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
const xs = tf.randomNormal([16, 4]);
const ys = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0], "int32"), 2);
let steps = 0;
const history = await model.fit(xs, ys, { batchSize: 8, epochs: 1, verbose: 0, callbacks: { onBatchEnd: async () => { steps++; } } });
console.log(`trained ${steps} steps on ${tf.getBackend()}, loss ${(history.history.loss[0] as number).toFixed(4)}`);
console.log(`kernel ${process.argv[1]}`);
await devices()
""",
            timeout=180,
        )
        text = cell.all_text()
        assert cell.status == "ok", text
        assert re.search(r"trained 2 steps on cpu-blas, loss \d+\.\d{4}", text), text
        # The cell runs in the installed package's execution process.
        assert f"kernel {app.resolve() / 'node_modules' / 'tsgpu' / 'build'}" in text, text
        table = cell.result_text() or ""
        print(table)
        for backend in ("cpu", "cpu-blas", "webgpu", "cuda", "tensorflow"):
            assert re.search(rf"^\s*{re.escape(backend)}( \*)?\s", table, re.M), f"{backend} missing from devices():\n{table}"
    finally:
        kernel.close()

    removed = tsgpu(app, "uninstall", "--prefix", str(prefix))
    assert not (data_dir / "kernels" / "tsgpu").exists(), removed.stdout
    assert not (data_dir / "labextensions" / "tsgpu").exists(), removed.stdout
    assert str(data_dir / "labextensions") not in labextension_list(data_dir)


@pytest.mark.parametrize("flag", ["--user", "--sys-prefix"])
def test_install_and_uninstall_write_and_remove_kernel_and_extension(app, tmp_path, flag):
    # --user writes to JUPYTER_DATA_DIR when set; --sys-prefix to the active environment's share/jupyter.
    env = {"JUPYTER_DATA_DIR": str(tmp_path / "user-data"), "VIRTUAL_ENV": str(tmp_path / "venv")}
    data_dir = tmp_path / "user-data" if flag == "--user" else tmp_path / "venv" / "share" / "jupyter"
    tsgpu(app, "install", flag, env=env)
    assert (data_dir / "kernels" / "tsgpu" / "kernel.json").exists()
    assert (data_dir / "labextensions" / "tsgpu" / "package.json").exists()
    tsgpu(app, "uninstall", flag, env=env)
    assert not (data_dir / "kernels" / "tsgpu").exists()
    assert not (data_dir / "labextensions" / "tsgpu").exists()
