"""Benchmark: the server's memory and the others' pages after one large upload and ten small ones.

Usage: .venv/bin/python bench/uploads_after_large.py [--rows 200000] [--clients 100000]
       [--small 10] [--users 3] [--think 1.0] [--idle 20] [--settle 5] [--no-append]

Fills a database with the demo dataset and serves it with `streamlit run app.py`. K users of
bench/sessions.py's websocket client (--users) visit the chart pages and a dossier in turn for
the whole run. After --idle seconds, headless Chromium chooses on the Upload page a generated
CSV of --rows rows for --clients new clients and imports it, then --small small CSVs (three
rows each, a new client in each) one after the other, --settle seconds apart. Prints the
server's resident size after each upload (once the others have read their pages on it) and
the others' visits per stretch: median, p95, slowest, and the server's resident size after
--tail seconds more of their reading. Appends the figures to bench/RESULTS.md
unless --no-append.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import concurrency
from bench_common import machine  # beside this script
from concurrency import ROOT, code_line, start_server
from hostile_uploads import (
    CHROMIUM,
    MB,
    Sampler,
    _demo_db,
    _hwm,
    _rss,
    phase_figures,
    run_browser,
)
from sessions import Background

WORK = Path(os.environ.get("KAM_BENCH_WORK", "/tmp/kam-bench-after-large"))


class _Case:
    """What run_browser asks of a file: imported, not refused."""

    def __init__(self, name: str, rows: int) -> None:
        self.name, self.rows, self.refused = name, rows, None


def large_csv(path: Path, rows: int, clients: int) -> None:
    """rows sales lines over clients clients, two years of dates, amounts 10.00-999.99."""
    first = date(2024, 1, 1)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Order Date,Customer,Amount\n")
        for i in range(rows):
            day = first + timedelta(days=(i * 7) % 700)
            fh.write(
                f"{day:%Y-%m-%d},Bulk Client {i % clients:06d},{10 + (i * 37) % 99000 / 100}\n"
            )


def small_csv(path: Path, n: int) -> None:
    """Three sales lines of one new client."""
    lines = [f"2025-0{1 + n % 9}-1{d},Small Client {n:02d},{100 + 10 * n + d}" for d in range(3)]
    path.write_text("Order Date,Customer,Amount\n" + "\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Measure, print and append."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10, help="small uploads after the large")
    parser.add_argument("--users", type=int, default=3, help="other users reading pages")
    parser.add_argument("--think", type=float, default=1.0, help="their seconds between visits")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of reference")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after each upload")
    parser.add_argument("--tail", type=float, default=60.0, help="seconds of reading after")
    parser.add_argument("--port", type=int, default=0, help="the server's port (0: a free one)")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    if args.port:
        concurrency.free_port = lambda: args.port
    sys.path.insert(0, str(ROOT))
    WORK.mkdir(parents=True, exist_ok=True)
    large = WORK / "large.csv"
    large_csv(large, args.rows, args.clients)
    smalls = []
    for n in range(args.small):
        small_csv(WORK / f"small_{n:02d}.csv", n)
        smalls.append(WORK / f"small_{n:02d}.csv")
    client = _demo_db(WORK / "server.duckdb")
    proc, base = start_server(ROOT, WORK / "server.duckdb", WORK / "server.log")
    server = Sampler(proc.pid, tree=False)
    others = Background(base, client, args.users, "link", args.think)
    load = [os.getloadavg()[0]]
    rows: list[tuple[str, float, float, float, dict]] = []  # name, seconds, peak, after, others
    spans: dict[str, tuple[float, float]] = {}
    try:
        others.start()
        began = time.time()
        time.sleep(args.idle)
        spans["idle"] = (began, time.time())
        rows.append(("(before any upload)", 0.0, 0.0, _rss(proc.pid) / MB, {}))
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
            tab = browser.new_page(viewport={"width": 1400, "height": 3000})
            files = [(large, args.rows), *((s, 3) for s in smalls)]
            after_large = time.time()
            for i, (path, expect) in enumerate(files):
                began = time.time()
                outcome = run_browser(_Case(path.name, expect), path, tab, base, server, others)
                time.sleep(args.settle)  # the others read their pages on the new data
                load.append(os.getloadavg()[0])
                figures = phase_figures(others.between(began, time.time()))
                rows.append(
                    (path.name, outcome.seconds, outcome.peak_mb, _rss(proc.pid) / MB, figures)
                )
                flag = "" if outcome.expected else f"  NOT AS EXPECTED: {outcome.told}"
                print(
                    f"{path.name:16} {outcome.seconds:6.1f} s  RSS after {rows[-1][3]:6.0f} MB  "
                    f"others median {figures['median']:.2f} p95 {figures['p95']:.2f}{flag}",
                    flush=True,
                )
                if i == 0:
                    after_large = time.time()
            spans["small uploads"] = (after_large, time.time())
            browser.close()
        began = time.time()
        time.sleep(args.tail)  # the others read on: what the server keeps once uploads stop
        spans["after the uploads"] = (began, time.time())
        load.append(os.getloadavg()[0])
        rows.append((f"(after {args.tail:g} s more of reading)", 0.0, 0.0, _rss(proc.pid) / MB, {}))
    finally:
        others.stop()
        server.stop()
        hwm = _hwm(proc.pid)
        proc.terminate()
        proc.wait(timeout=30)
    lines = _summary(args, rows, spans, others, hwm, load)
    print("\n".join(lines))
    if not args.no_append:
        with (ROOT / "bench" / "RESULTS.md").open("a") as fh:
            fh.write("\n".join(["", *lines]) + "\n")
    return 0


def _summary(args, rows, spans, others: Background, hwm: int, load: list[float]) -> list[str]:
    lines = [
        "## Ten small uploads after a large one while others read pages "
        "(bench/uploads_after_large.py)",
        "",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {machine()}",
        code_line(ROOT),
        f"Large upload: {args.rows:,} rows for {args.clients:,} new clients (CSV) into the demo "
        f"database, then {args.small} uploads of 3 rows; {args.users} other users reading pages "
        f"by link, {args.think:g} s apart; 1-min load average {min(load):.1f}-{max(load):.1f}.",
        "",
        "| upload | seconds | server peak MB | server RSS after MB | others' visits | median s "
        "| p95 s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, seconds, peak, after, f in rows:
        if not f:
            lines.append(f"| {name} | | | {after:.0f} | | | |")
            continue
        # No visit ended while this upload was under way: no time to show.
        times = f"{f['median']:.2f} | {f['p95']:.2f}" if f["visits"] else "- | -"
        lines.append(
            f"| {name} | {seconds:.1f} | {peak:.0f} | {after:.0f} | {f['visits']:.0f} | {times} |"
        )
    lines += ["", "| while | others' visits | failed | median s | p95 s | slowest s |"]
    lines.append("|---|---:|---:|---:|---:|---:|")
    for name, span in spans.items():
        f = phase_figures(others.between(*span))
        lines.append(
            f"| {name} | {f['visits']:.0f} | {f['failed']:.0f} | {f['median']:.2f} | "
            f"{f['p95']:.2f} | {f['slowest']:.2f} |"
        )
    lines += ["", f"Server high-water mark over the run (VmHWM): {hwm / MB:.0f} MB."]
    return lines


if __name__ == "__main__":
    sys.exit(main())
