"""Figures for guarded reading (issue 10), called by bench/ingest.py --guarded.

Every measurement runs in its own child process (bench/ingest.py --child ...), which reports
its own wall time and peak RSS, and the reading worker's peak RSS as the worker measured it.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
MB = 1024 * 1024


def csv_from_workbook(xlsx: Path) -> Path:
    """The same export as CSV (every cell as the workbook shows it), written once and kept."""
    path = xlsx.with_suffix(".csv")
    if path.exists():
        return path
    import fastexcel
    import pyarrow.csv as pcsv

    sheet = fastexcel.read_excel(str(xlsx)).load_sheet(0, header_row=None, dtypes="string")
    table = sheet.to_arrow()
    options = pcsv.WriteOptions(include_header=False)
    pcsv.write_csv(table, str(path.with_suffix(".part")), options)
    path.with_suffix(".part").replace(path)
    return path


def over_bound_files() -> dict[str, Path]:
    """Files over the 5,000,000-row bound: blank lines (190 MB) and short data rows (77 MB)."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    blank = OUT_DIR / "over_bound_blank_lines.csv"
    if not blank.exists():
        with blank.open("wb") as fh:
            fh.write(b"Order Date,Customer,Amount\n")
            for _ in range(190):
                fh.write(b"\n" * MB)
    rows = OUT_DIR / "over_bound_rows.csv"
    if not rows.exists():
        with rows.open("wb") as fh:
            fh.write(b"Order Date,Customer,Amount\n")
            for _ in range(51):
                fh.write(b"2024-01-05,A,1\n" * 100_000)
    return {"190 MB of blank lines": blank, "5.1M short rows (77 MB)": rows}


def child_refusal(path: str) -> dict[str, Any]:
    """Import a file that must be refused; time, this process's peak and the worker's."""
    sys.path.insert(0, str(ROOT))

    from kam_core.importing import import_file
    from kam_core.ingest import ImportRefused, worker
    from kam_core.store import connect

    conn = connect(":memory:")
    start = time.perf_counter()
    data = Path(path).read_bytes()
    try:
        import_file(conn, data, Path(path).name)
        message = "imported (not refused)"
    except ImportRefused as exc:
        message = str(exc)[:120]
    seconds = time.perf_counter() - start
    stats = worker.last_read()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "worker_peak_bytes": stats.worker_peak_bytes if stats else None,
        "worker_seconds": stats.seconds if stats else None,
        "message": message,
    }


def child_overhead() -> dict[str, Any]:
    """What the worker costs: starting the fork server once, then each read against in-process."""
    sys.path.insert(0, str(ROOT))
    from kam_core.config import SETTINGS
    from kam_core.ingest import read_file, worker
    from kam_core.ingest.read import read_here

    small = b"Order Date,Customer,Amount\n" + b"2024-01-05,Acme Ltd,100\n" * 1000
    start = time.perf_counter()
    worker.warm_up()
    server_start = time.perf_counter() - start
    isolated, local = [], []
    for _ in range(20):
        t = time.perf_counter()
        read_file(small, "small.csv")
        isolated.append(time.perf_counter() - t)
        t = time.perf_counter()
        read_here(small, "small.csv", SETTINGS.limits)
        local.append(time.perf_counter() - t)
    # A spawned worker per read would pay a fresh interpreter and the readers' imports.
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import kam_core.ingest.read"], cwd=ROOT, check=True)
    spawn = time.perf_counter() - t
    return {
        "server_start_s": server_start,
        "read_in_worker_s": statistics.median(isolated),
        "read_in_process_s": statistics.median(local),
        "spawn_per_read_s": spawn,
    }


def child_tags() -> dict[str, Any]:
    """Scan of a sheet of 300,000 unclosed `<c` tags with a stray quote, in this process."""
    sys.path.insert(0, str(ROOT))
    from kam_core.config import SETTINGS
    from kam_core.ingest import ImportRefused
    from kam_core.ingest.guard import sniff
    from tests.hostile.guarded import unclosed_cell_tags

    data = unclosed_cell_tags(300_000)
    start = time.perf_counter()
    try:
        sniff(data, "tags.xlsx", SETTINGS.limits)
        outcome = "accepted"
    except ImportRefused as exc:
        outcome = str(exc)[:90]
    return {"seconds": time.perf_counter() - start, "bytes": len(data), "outcome": outcome}


def load_now() -> str:
    """The 1-minute load average now."""
    return f"{os.getloadavg()[0]:.1f}"


def section(results: dict[str, Any]) -> list[str]:
    """Markdown lines for the guarded-reading figures."""
    out = ["", "Guarded reading (issue 10): every upload read in a worker process.", ""]
    out.append(
        "| file | rows | import s (wall) | server CPU s | of which the import | worker read s "
        "| fork server start s | server peak MB | worker peak MB | load at start, end | target |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for label, r, target in results["imports"]:
        worker_mb = f"{r['worker_peak_bytes'] / MB:,.0f}" if r.get("worker_peak_bytes") else "-"
        read_s = f"{r['worker_read_s']:.2f}" if r.get("worker_read_s") else "-"
        out.append(
            f"| {label} | {r.get('rows_imported', 0):,} | {r['seconds']:.2f} | "
            f"{r.get('cpu_s', 0):.2f} | {r.get('import_cpu_s', 0):.2f} | {read_s} | "
            f"{r.get('server_start_s', 0):.2f} | {r['peak_bytes'] / MB:,.0f} | {worker_mb} | "
            f"{r.get('load', '-')} | {target} |"
        )
    out += [
        "",
        "| refused file | s (wall) | server CPU s | server peak MB | worker peak MB "
        "| load at start, end | message |",
    ]
    out.append("|---|---:|---:|---:|---:|---|---|")
    for label, r in results["refusals"]:
        worker_mb = f"{r['worker_peak_bytes'] / MB:,.0f}" if r.get("worker_peak_bytes") else "-"
        out.append(
            f"| {label} | {r['seconds']:.2f} | {r.get('cpu_s', 0):.2f} | "
            f"{r['peak_bytes'] / MB:,.0f} | {worker_mb} | {r.get('load', '-')} | "
            f"{r['message']} |"
        )
    o = results["overhead"]
    tags = results["tags"]
    out += [
        "",
        f"Worker cost: the fork server starts once per application process in "
        f"{o['server_start_s']:.2f} s (interpreter + readers imported); then a read of a "
        f"1,000-row CSV takes {o['read_in_worker_s'] * 1000:.0f} ms in a worker against "
        f"{o['read_in_process_s'] * 1000:.0f} ms in process (median of 20), so each upload "
        f"pays about {(o['read_in_worker_s'] - o['read_in_process_s']) * 1000:.0f} ms. A "
        f"spawned worker per read would pay {o['spawn_per_read_s']:.2f} s each time "
        "(multiprocessing's forkserver also re-imports the application's main module in every "
        "worker, which under Streamlit is the whole web server).",
        f"Scan of 300,000 unclosed `<c` tags with a stray quote ({tags['bytes'] / 1024:,.0f} KB "
        f"zipped): {tags['seconds']:.3f} s, {tags['outcome']}",
        "",
        "Import s = reading the file's bytes to closing the database, the fork server already "
        "started (as the application starts it); server CPU s = the whole process (interpreter "
        "and imports included), of which the import = from reading the bytes on. "
        "Server peak = the application process's ru_maxrss (interpreter, libraries, the database "
        "and the grid mapped back from the worker); worker peak = the worker's own ru_maxrss "
        "(pages it touched after the fork).",
    ]
    return out
