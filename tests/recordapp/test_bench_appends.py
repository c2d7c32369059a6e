"""bench/record.py --appends keeps working (a tiny run on SQLite; the figures come from docs)."""

from __future__ import annotations

import os
import subprocess

from .conftest import PYTHON, REPO, subprocess_env


def test_the_appends_benchmark_runs_on_sqlite() -> None:
    env = subprocess_env()
    env.pop("DATABASE_URL", None)
    env.pop("SMOLNY_DATA_DIR", None)
    run = subprocess.run(
        [
            PYTHON,
            str(REPO / "bench" / "record.py"),
            "--appends",
            "sqlite",
            "--writers",
            "1,4",
            "--seconds",
            "0.3",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=os.fspath(REPO),
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if line.strip().startswith("sqlite |")]
    assert [line.split("|")[1].strip() for line in lines] == ["1", "4"]
    assert "fsyncs/s (floor)" in run.stdout
