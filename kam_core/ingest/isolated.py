"""Read binary workbooks (.xls, .xlsb) and OpenDocument sheets in a child process.

These formats cannot be measured before the reader sees them the way .xlsx worksheets are
(zipscan.py), and a damaged or forged one can make the reader ask for gigabytes at once or stop
the process. The child has a memory ceiling and a time limit; if it dies, the upload is refused
and the application goes on serving everyone else.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import asdict

from kam_core.config import PROJECT_ROOT, ImportLimits
from kam_core.ingest.errors import ImportRefused

ISOLATED_KINDS = ("xls", "xlsb", "ods")
MEMORY_CEILING = 6 * 1024**3  # bytes of address space for the child
TIME_LIMIT = 600  # seconds


def read_isolated(data: bytes, file_name: str, limits: ImportLimits) -> list:
    """Return the file's sheet grids, read by a child process under a memory ceiling."""
    request = pickle.dumps((data, file_name, asdict(limits)))
    # The child imports this package whatever the current folder is.
    path = os.pathsep.join(p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from kam_core.ingest.isolated import child; child()"],
            input=request,
            env={**os.environ, "PYTHONPATH": path},
            capture_output=True,
            timeout=TIME_LIMIT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ImportRefused(
            f"{file_name}: reading the workbook took longer than {TIME_LIMIT // 60} minutes; "
            "it was stopped. Save it as .xlsx in Excel and upload that file."
        ) from exc
    if done.returncode != 0 or not done.stdout:
        raise ImportRefused(
            f"{file_name}: the workbook could not be read: the reader stopped (the file is "
            "damaged, or built to exhaust memory). Save it as .xlsx in Excel and upload that file."
        )
    # The child is this program's own code: what it sends back is trusted.
    outcome, payload = pickle.loads(done.stdout)
    if outcome == "refused":
        raise ImportRefused(payload)
    return payload


def child() -> None:
    """Read the request from stdin, answer on stdout: ("ok", grids) or ("refused", message)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))
    data, file_name, limits = pickle.loads(sys.stdin.buffer.read())
    from kam_core.ingest.read import read_grids

    try:
        answer = ("ok", read_grids(data, file_name, ImportLimits(**limits)))
    except ImportRefused as exc:
        answer = ("refused", str(exc))
    sys.stdout.buffer.write(pickle.dumps(answer))
    sys.stdout.buffer.flush()
