"""The command line in tests: in a fresh process where the process is the point (exit codes,
pipes, signals, the environment), else its main() in this process (a process costs seconds)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kam_core.cli import main

ROOT = Path(__file__).resolve().parents[2]


def kam(db: Path, *args: object, **options: object) -> subprocess.CompletedProcess[str]:
    """Run `python -m kam_core --db db args` in a fresh process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "kam_core", "--db", str(db), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        **{"timeout": 180, **options},
    )


def kam_here(capsys: pytest.CaptureFixture[str], db: Path, *args: object) -> tuple[int, str, str]:
    """Run the command line's main() in this process: its exit code, output and errors."""
    capsys.readouterr()
    try:
        code = main(["--db", str(db), *map(str, args)])
    except SystemExit as stop:  # the parser refuses its arguments this way, as in a process
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err
