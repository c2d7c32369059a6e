"""The benchmark script keeps working (a tiny run; the real figures come from running it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "record.py"


def test_the_benchmark_runs_at_a_tiny_size(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_record", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--sizes", "300,1000", "--repeat", "1", "--batch", "7"])
    out = capsys.readouterr().out
    assert "floor" in out
    assert "1,000 inclusion" in out
    assert "     1,000 |" in out
    # aics-tlog runs where its Python >= 3.12 venv exists, and says why not where it does not.
    assert "its floor" in out or "not run: no " in out
