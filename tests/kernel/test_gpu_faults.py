"""GPU faults in a real kernel, on the cuda backend over the CPU emulator: out of memory and a lost device give clear errors, the kernel stays alive, and a smaller retry works."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import ROOT, RunningKernel

EMULATOR_MEMORY = 64 * 1024 * 1024


def emulator_env(tmp_path: Path) -> dict[str, str]:
    """Environment pointing the cuda backend at the emulator (built by build_emulator.ts), or skip."""
    node = shutil.which("node") or "node"
    script = (
        'const e = require("./build/tests/unit/cuda/emulator/build_emulator.js");'
        'const n = require("./build/tests/unit/cuda/nvrtc_library.js");'
        'const why = e.emulatorUnavailableReason() ?? (n.nvrtcPathForTests() ? undefined : n.NO_NVRTC_MESSAGE);'
        'console.log(JSON.stringify(why ? { why } : { ...e.buildEmulator(), nvrtc: n.nvrtcPathForTests() }));'
    )
    found = json.loads(subprocess.run([node, "-e", script], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300).stdout)
    if "why" in found:
        pytest.skip(found["why"])
    return {
        "TSGPU_LIBCUDA_PATH": found["libcuda"],
        "TSGPU_CUBLAS_PATH": found["libcublas"],
        "TSGPU_EMULATOR_KERNELS": found["kernels"],
        "TSGPU_NVRTC_PATH": found["nvrtc"],
        "TSGPU_EMULATOR_MEMORY": str(EMULATOR_MEMORY),
        "TSGPU_EMULATOR_THREADS": "4",
        "TSGPU_CUDA_CACHE_DIR": str(tmp_path / "cuda-cache"),
    }


@pytest.fixture
def cuda_kernel(workdir, tmp_path, monkeypatch):
    for name, value in emulator_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    k = RunningKernel(cwd=workdir)
    yield k
    k.close()


def test_out_of_memory_and_a_lost_device_give_clear_errors_and_the_kernel_lives_on(cuda_kernel):
    k = cuda_kernel
    pid = k.pid
    setup = k.execute('import * as tf from "@tensorflow/tfjs";\nimport { use } from "tsgpu";\n(await use("cuda")).name', timeout=120)
    assert setup.status == "ok", setup.all_text()

    oom = k.execute("const big = tf.fill([32 * 1024 * 1024], 1);", timeout=120)
    assert oom.status == "error"
    error = oom.error()
    assert error["ename"].endswith("OutOfMemoryError"), error
    for expected in ("tried to allocate 128 MiB", "free of 64", "reserved", "tf.dispose", "smaller batch", 'use("cpu-blas")'):
        assert expected in error["evalue"], f"{expected!r} missing from: {error['evalue']}"
    print(f"\nOOM: {error['ename']}: {error['evalue']}")

    assert k.value("tf.fill([1024], 2).sum().dataSync()[0]", timeout=120) == "2048"

    lost = k.execute('process.env.TSGPU_EMU_LOSE_DEVICE_AT_LAUNCH = "1";\ntf.add(tf.ones([8]), 1).dataSync()', timeout=120)
    assert lost.status == "error"
    error = lost.error()
    assert "DeviceLost" in error["ename"] or "GPU context is lost" in error["evalue"], error
    for expected in ("GPU context is lost", "CUDA_ERROR_LAUNCH_FAILED", "Tensors on the cuda backend are gone", "Restart the kernel", 'use("cpu-blas")'):
        assert expected in error["evalue"], f"{expected!r} missing from: {error['evalue']}"
    print(f"device lost: {error['ename']}: {error['evalue']}")

    assert k.km.is_alive() and k.pid == pid
    assert k.value('await use("cpu-blas");\ntf.ones([3]).sum().dataSync()[0]', timeout=120) == "3"
