"""bench/verify.py keeps working (a tiny run; the real figures come from running it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "verify.py"


def test_the_verify_benchmark_runs_at_a_tiny_size(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_verify", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--members", "400", "--councils", "4", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "floor: json.loads every entry + 2n SHA-256" in out
    assert "smolny verify, whole" in out
    # Four elections, the motion and the recall carried by a vote, all decided again.
    assert "results recounted: 6 " in out, out
