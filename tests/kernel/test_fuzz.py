"""Seeded protocol fuzzing: 2,000 signed, well-formed but wrong messages get an error reply or a logged drop, never run code, and the kernel keeps answering."""
from __future__ import annotations

import os

from fuzz import run_fuzz

MESSAGES = int(os.environ.get("TSGPU_FUZZ_MESSAGES", "2000"))
SEED = int(os.environ["TSGPU_FUZZ_SEED"]) if os.environ.get("TSGPU_FUZZ_SEED") else None


def test_fuzzed_messages_get_an_error_reply_or_a_logged_drop_and_never_run_code(tmp_path, capsys):
    report = run_fuzz(MESSAGES, SEED, check_every=100, workdir=tmp_path)
    with capsys.disabled():
        print(f"\n{report.summary()}")
    assert report.checkpoints >= MESSAGES // 100
    assert not report.failures, f"seed {report.seed} (rerun with TSGPU_FUZZ_SEED={report.seed}):\n" + "\n".join(report.failures)
