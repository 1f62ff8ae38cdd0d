"""Benchmark: how long every page takes to render with 1M transactions loaded.

Usage: .venv/bin/python bench/pages.py [--rows 1000000] [--clients 10000] [--warm-runs 3]
       [--no-append]

Generates the transactions inside DuckDB (SQL, a few seconds) into a temporary database, builds
the rollups with kam_core.store.rollup.refresh_rollup, then measures each page with Streamlit's
AppTest in its own fresh process: "first load" is the page's first run in that process (the
page's modules imported, the database opened, every analytics cache empty), "warm" is the
median of the reruns that follow (what a user waits for after changing a widget or coming
back to the page). Appends the figures to bench/RESULTS.md under "## Pages (bench/pages.py)".
Targets (issue 4): warm < 2 s, first load < 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench_common import generate_sales, machine  # beside this script

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Pages (bench/pages.py)"
WARM_TARGET, COLD_TARGET = 2.0, 5.0
# URL path of each page as app.py registers it; the dossier gets a real client id.
PAGES = ["overview", "upload", "abc-xyz", "types", "churn", "managers", "dossier", "settings"]
PLACEHOLDER = "This screen is not built yet"


def generate(path: Path, rows: int, clients: int) -> dict[str, object]:
    """Fill a new database with generated sales and build the rollups; return what it holds."""
    sys.path.insert(0, str(ROOT))
    from kam_core.store import connect
    from kam_core.store.rollup import refresh_rollup

    conn = connect(path)
    conn.execute("SELECT setseed(0.42)")
    start = time.perf_counter()
    generate_sales(conn, rows, clients, "2023-01-01")
    generated = time.perf_counter() - start
    start = time.perf_counter()
    refresh_rollup(conn)
    rollup = time.perf_counter() - start
    stats = conn.execute(
        "SELECT count(*), count(DISTINCT client_id), min(order_date), max(order_date) FROM sales"
    ).fetchall()[0]
    top = conn.execute(
        "SELECT client_id FROM sales GROUP BY 1 ORDER BY sum(revenue) DESC, 1 LIMIT 1"
    ).fetchall()[0][0]
    conn.close()
    return {
        "rows": int(stats[0]),
        "clients": int(stats[1]),
        "first": str(stats[2]),
        "last": str(stats[3]),
        "client": top,
        "generate_s": generated,
        "rollup_s": rollup,
    }


def child(page: str, query: dict[str, str], warm_runs: int) -> dict[str, object]:
    """In a fresh process: the page's first run, then warm reruns; times and what it showed."""
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    # Open the page itself on the first run, as a deep link does (AppTest's switch_page would
    # look the page up by file name before a first run, and abc_xyz.py is /abc-xyz).
    at._page_hash = calc_hash(page)
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(warm_runs):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    shown = " ".join(str(e.value) for kind in ("title", "info", "error") for e in getattr(at, kind))
    return {
        "cold": cold,
        "warm": statistics.median(warm) if warm else None,
        "warm_runs": warm,
        "exception": [str(e.value) for e in at.exception],
        "title": at.title[0].value if at.title else "",
        "placeholder": PLACEHOLDER in shown,
        "elements": sum(1 for _ in at.main),
    }


def measure(db: Path, page: str, query: dict[str, str], warm_runs: int) -> dict[str, object]:
    """Run child() in a new interpreter against the database."""
    env = {**os.environ, "KAM_DB": str(db), "PYTHONPATH": str(ROOT)}
    args = [sys.executable, __file__, "--child", page, "--warm-runs", str(warm_runs)]
    args += ["--query", json.dumps(query)]
    out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        return {"error": (out.stderr or out.stdout)[-2000:]}
    return json.loads(lines[-1])


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "-"
    return f"{value:.2f} {'ok' if value < target else 'SLOW'}"


def report(data: dict[str, object], results: dict[str, dict], warm_runs: int) -> list[str]:
    """The markdown section for RESULTS.md (also printed)."""
    import duckdb
    import streamlit

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "",
        f"### {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine()}; streamlit {streamlit.__version__}, duckdb {duckdb.__version__}; "
        f"1-min load average {load:.2f} at the end.",
        f"Data: {data['rows']:,} generated transactions, {data['clients']:,} clients, "
        f"{data['first']} to {data['last']} (generated in DuckDB in {data['generate_s']:.1f} s, "
        f"rollups built in {data['rollup_s']:.1f} s).",
        "",
        "| page | first load s (< 5) | warm s (< 2) | page state |",
        "| --- | ---: | ---: | --- |",
    ]
    for page, r in results.items():
        if "error" in r:
            lines.append(f"| {page} | - | - | failed to run: see the console |")
            continue
        state = "placeholder" if r["placeholder"] else "built"
        if r["exception"]:
            state += ", EXCEPTION: " + "; ".join(r["exception"])[:120].replace("|", "/")
        lines.append(
            f"| {page} | {verdict(r['cold'], COLD_TARGET)} | {verdict(r['warm'], WARM_TARGET)} "
            f"| {state} |"
        )
    lines += [
        "",
        "Method: each page in a fresh process with AppTest (the app's router, the page opened "
        f"as a deep link). First load = its first run; warm = median of {warm_runs} reruns "
        "in the same session. Times are the Python side (script run, queries, figures, table "
        "serialisation); the browser's drawing is not included.",
    ]
    return lines


def append(lines: list[str]) -> None:
    """Add the section under its heading at the end of RESULTS.md (created if missing)."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if HEADING not in text:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n"
    head, _, tail = text.partition(HEADING + "\n")
    cut = tail.find("\n## ")
    section, after = (tail, "") if cut < 0 else (tail[:cut], tail[cut:])
    section = section.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    RESULTS.write_text(head + HEADING + "\n" + section + after)


def main() -> None:
    """Generate, measure every page, print and append the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    parser.add_argument("--no-append", action="store_true", help="print only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--query", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, json.loads(args.query), args.warm_runs)))
        return
    with tempfile.TemporaryDirectory(prefix="kam-bench-pages-") as tmp:
        db = Path(tmp) / "kam.duckdb"
        data = generate(db, args.rows, args.clients)
        print(
            f"{data['rows']:,} rows, {data['clients']:,} clients: generated in "
            f"{data['generate_s']:.1f} s, rollups in {data['rollup_s']:.1f} s"
        )
        results = {}
        for page in args.pages:
            query = {"client": str(data["client"])} if page == "dossier" else {}
            name = f"dossier?client={data['client']}" if page == "dossier" else page
            results[name] = r = measure(db, page, query, args.warm_runs)
            if "error" in r:
                print(f"{name:24s} FAILED\n{r['error']}")
            else:
                warm = f"{r['warm']:.2f}" if r["warm"] is not None else "-"
                flag = " placeholder" if r["placeholder"] else ""
                flag += " EXCEPTION" if r["exception"] else ""
                print(f"{name:24s} first load {r['cold']:6.2f} s  warm {warm:>6} s{flag}")
    lines = report(data, results, args.warm_runs)
    print("\n".join(lines))
    if not args.no_append:
        append(lines)
        print(f"appended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
