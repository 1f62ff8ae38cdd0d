"""A line per script run (page, wall and processor seconds of the script's thread), written only
where KAM_RUN_LOG names a file: benchmarks compare the server's share of a visit with the
browser's."""

from __future__ import annotations

import json
import os
import threading
import time

PATH = os.environ.get("KAM_RUN_LOG", "").strip()
_lock = threading.Lock()


def log_run(page: str, wall_start: float, cpu_start: float) -> None:
    """Append the run that started at (perf_counter, thread_time) to KAM_RUN_LOG, if set."""
    if not PATH:
        return
    line = {
        "end": time.time(),
        "page": page,
        "wall": time.perf_counter() - wall_start,
        "cpu": time.thread_time() - cpu_start,
    }
    with _lock, open(PATH, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
