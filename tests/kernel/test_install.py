"""`tsgpu install` / `tsgpu uninstall` write and remove a kernelspec Jupyter can use."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

ROOT = Path(__file__).resolve().parents[2]


def tsgpu(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(ROOT / "bin" / "tsgpu.js"), *args], capture_output=True, text=True, timeout=120)


def test_the_installed_kernelspec_launches_node_by_absolute_path(kernelspec_dir):
    spec = json.loads((kernelspec_dir / "kernel.json").read_text())
    node = spec["argv"][0]
    assert os.path.isabs(node) and os.access(node, os.X_OK), spec["argv"]
    assert "{connection_file}" in spec["argv"]
    assert spec["display_name"] == "TypeScript (tsgpu)"
    assert spec["language"] == "typescript"
    assert spec["interrupt_mode"] == "message"


def test_the_installed_kernelspec_has_a_logo(kernelspec_dir):
    # JupyterLab's launcher shows logo-svg.svg or logo-64x64.png from the spec folder.
    png = kernelspec_dir / "logo-64x64.png"
    svg = kernelspec_dir / "logo-svg.svg"
    assert png.exists() or svg.exists(), f"no logo in {sorted(p.name for p in kernelspec_dir.iterdir())}"
    if png.exists():
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if svg.exists():
        assert "<svg" in svg.read_text()


def test_jupyter_client_finds_the_kernelspec_by_name():
    spec = KernelSpecManager().get_kernel_spec("tsgpu")
    assert spec.language == "typescript"


def test_uninstall_removes_what_install_wrote(tmp_path):
    prefix = tmp_path / "prefix"
    installed = tsgpu("install", "--prefix", str(prefix))
    assert installed.returncode == 0, installed.stderr
    spec_dir = prefix / "share" / "jupyter" / "kernels" / "tsgpu"
    extension_dir = prefix / "share" / "jupyter" / "labextensions" / "tsgpu"
    assert (spec_dir / "kernel.json").exists()
    assert (extension_dir / "package.json").exists(), installed.stdout + installed.stderr
    removed = tsgpu("uninstall", "--prefix", str(prefix))
    assert removed.returncode == 0, removed.stderr
    assert not spec_dir.exists()
    assert not extension_dir.exists()
    assert "Removed the tsgpu JupyterLab extension" in removed.stdout


def test_install_rejects_conflicting_locations(tmp_path):
    result = tsgpu("install", "--user", "--prefix", str(tmp_path))
    assert result.returncode != 0
    assert "--prefix" in result.stderr + result.stdout


def test_doctor_reports_node_and_the_installed_kernelspec(kernelspec_dir):
    result = tsgpu("doctor")
    assert result.returncode == 0, result.stderr
    assert subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() in result.stdout
    assert str(kernelspec_dir.parents[1]) in result.stdout  # the Jupyter data dir holding the spec


def test_doctor_names_every_backend_and_says_why_one_is_unavailable():
    result = tsgpu("doctor")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    backends = lines[lines.index("Tensor backends (use(name) in a cell)") + 1 :]
    for name in ("cpu", "cpu-blas", "webgpu", "cuda", "tensorflow"):
        line = next((l for l in backends if l.split()[1:2] == [name]), None)
        assert line is not None, f"doctor does not list {name}:\n{result.stdout}"
        assert line.split()[0] in ("ok", "no") and len(line.split()) > 2, line  # a verdict and a reason
    assert "CUDA libraries" in result.stdout
    for library in ("cuda", "nvrtc", "cublas"):
        assert any(l.split()[1:2] == [library] for l in lines if l.startswith("  ok") or l.startswith("  no")), result.stdout
    assert "Jupyter" in lines and "JupyterLab" in result.stdout
