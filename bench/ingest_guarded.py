"""Figures for guarded reading (issue 10), called by bench/ingest.py --guarded.

Every measurement runs in its own child process (bench/ingest.py --child ...), which reports
its own wall time and peak RSS, and the reading worker's peak RSS as the worker measured it.

Run on its own, it prints figures for one kind of file and appends nothing:
    .venv/bin/python bench/ingest_guarded.py [--case xlsx|csv|both] [--read-only] [--repeat N]
        [--how file|bytes]
the worker's read alone (wall, processor seconds of the worker and its reading child, peak),
then, unless --read-only, the import end to end as bench/ingest.py --guarded measures it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from bench_common import peak_rss_bytes  # beside this script

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
    try:
        import_file(conn, Path(path), Path(path).name)  # as the command line reads it
        message = "imported (not refused)"
    except ImportRefused as exc:
        message = str(exc)[:120]
    seconds = time.perf_counter() - start
    stats = worker.last_read()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_bytes": peak_rss_bytes(),
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
        "Import s = from the file to closing the database, the fork server already started (as "
        "the application starts it): the command line's import reads the file where it lies "
        "(the worker maps it), the upload's starts from the file's bytes in memory (the Upload "
        "page has them from the browser; reading them from disk is timed too), which the "
        "worker gets through a file written for it. Server CPU s = the whole process "
        "(interpreter and imports included), of which the import = from the file on. "
        "Server peak = the application process's high-water mark (VmHWM: interpreter, libraries, "
        "the database "
        "and the grid mapped back from the worker); worker peak = the worker's own ru_maxrss "
        "(pages it touched after the fork).",
    ]
    return out


def child_worker_read(path: str) -> dict[str, Any]:
    """The worker's read of one file, through its protocol in a forked process, on its own."""
    sys.path.insert(0, str(ROOT))
    import kam_core.ingest.read  # noqa: F401  (imported before the fork, as the fork server does)
    from kam_core.config import SETTINGS
    from kam_core.ingest import forkserver

    # A loaded machine may need more than the 60 s limit: measure the read, not its refusal.
    limits = replace(SETTINGS.limits, max_read_seconds=600)
    folder = Path(tempfile.mkdtemp(prefix="kam-bench-"))
    shutil.copy(path, folder / "upload")
    ours, theirs = socket.socketpair()
    load = os.getloadavg()[0]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the worker, as the fork server forks it
        code = 0
        try:
            ours.close()
            signal.signal(signal.SIGCHLD, signal.SIG_IGN)
            forkserver.work(theirs)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    theirs.close()
    forkserver.receive(ours)  # its pid
    forkserver.send(ours, (str(folder), Path(path).name, asdict(limits), "en"))
    message = forkserver.receive(ours)
    while message[0] in ("pid", "child"):
        message = forkserver.receive(ours)
    seconds = time.perf_counter() - start
    usage = os.wait4(pid, 0)[2]  # the worker and the reading child it waited for
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "outcome": message[0],
        "seconds": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_bytes": message[-1],
        "load": f"{load:.1f}, {os.getloadavg()[0]:.1f}",
    }


def _run(args: list[str]) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Print the worker's read and the import of the 1M-row file (appends nothing)."""
    p = argparse.ArgumentParser(description="Guarded reading of the 1M-row file, printed only.")
    p.add_argument("--case", choices=("xlsx", "csv", "both"), default="xlsx")
    p.add_argument("--read-only", action="store_true", help="the worker's read alone")
    p.add_argument("--repeat", type=int, default=1, help="runs of each measurement")
    p.add_argument(
        "--how",
        choices=("file", "bytes"),
        default="file",
        help="import the file where it lies (command line) or from its bytes (upload)",
    )
    p.add_argument("--child-read", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child_read:
        print(json.dumps(child_worker_read(args.child_read)))
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ingest  # beside this script; it imports this module for --guarded

    xlsx, _ = ingest.ensure_workbook(1_000_000, 20240)
    paths = {"xlsx": xlsx, "csv": csv_from_workbook(xlsx) if args.case != "xlsx" else None}
    for case in ("xlsx", "csv") if args.case == "both" else (args.case,):
        path = paths[case]
        for _ in range(args.repeat):
            r = _run(["--child-read", str(path)])
            print(
                f"1M-row {case}, worker read: {r['seconds']:.2f} s, CPU {r['cpu_s']:.2f} s "
                f"(worker and reading child), peak {r['peak_bytes'] / MB:,.0f} MB, "
                f"load {r['load']}, {r['outcome']}"
            )
            if args.read_only:
                continue
            load = load_now()
            with tempfile.TemporaryDirectory() as tmp:
                db = str(Path(tmp) / "kam.duckdb")
                r = ingest.run_child(["import", str(path), db, args.how])
            print(
                f"1M-row {case}, import ({args.how}): {r['seconds']:.2f} s, "
                f"server CPU {r['cpu_s']:.2f} s (of which the import {r['import_cpu_s']:.2f}), "
                f"worker read {r['worker_read_s']:.2f} s, "
                f"server peak {r['peak_bytes'] / MB:,.0f} MB, "
                f"worker peak {(r['worker_peak_bytes'] or 0) / MB:,.0f} MB, "
                f"load {load}, {load_now()}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
