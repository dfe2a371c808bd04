"""binder/postBuild, run the way repo2docker runs it: in a fresh clone of this commit, with a
fresh Python environment active, its lines executed by bash from the clone's root. Then the
kernelspec and the JupyterLab extension must be in that environment's prefix.

Where this differs from Binder, and why:
- no conda: the environment is a `python -m venv`; the packages binder/environment.yml asks
  conda for (JupyterLab) come from the project's .venv through a .pth file, since installing
  JupyterLab from the network would take minutes and is not what postBuild does;
- `npm ci` reads this machine's npm cache first (npm_config_prefer_offline), so it installs
  the locked tree without re-downloading it;
- it takes minutes (npm ci, tsc, the extension's webpack build on 2 cores): the hang guard is
  raised for this test only, and TSGPU_SKIP_BINDER_TEST=1 skips it."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT_S = 900


@pytest.mark.skipif(os.environ.get("TSGPU_SKIP_BINDER_TEST") == "1", reason="TSGPU_SKIP_BINDER_TEST=1")
def test_binder_post_build_installs_the_kernel_and_extension_into_a_fresh_environment(tmp_path: Path):
    if shutil.which("git") is None or shutil.which("npm") is None:
        pytest.skip("needs git and npm")
    if hasattr(signal, "SIGALRM"):
        signal.alarm(LIMIT_S)  # the autouse hang guard (conftest.py) resets it afterwards
    clone = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, timeout=120)
    # The working tree's binder/ (what is tested may not be committed yet).
    shutil.rmtree(clone / "binder")
    shutil.copytree(ROOT / "binder", clone / "binder")
    shutil.copy(ROOT / "scripts" / "build_extension.js", clone / "scripts" / "build_extension.js")

    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=120)
    site = Path(subprocess.run([str(env_dir / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "stand_in_for_conda.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env = {
        **os.environ,
        "VIRTUAL_ENV": str(env_dir),
        "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "npm_config_prefer_offline": "true",
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    env.pop("JUPYTER_PATH", None)
    result = subprocess.run(["bash", str(clone / "binder" / "postBuild")], cwd=clone, env=env,
                            capture_output=True, text=True, timeout=LIMIT_S - 60)
    assert result.returncode == 0, f"postBuild failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"

    data = env_dir / "share" / "jupyter"
    spec = json.loads((data / "kernels" / "tsgpu" / "kernel.json").read_text())
    assert spec["language"] == "typescript"
    assert (data / "labextensions" / "tsgpu" / "package.json").exists()
