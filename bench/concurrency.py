"""Benchmark: how long the chart pages take when N browser users open them at the same time.

Usage: .venv/bin/python bench/concurrency.py [--users 1 4 8] [--rounds 3] [--limit 240]
       [--rows 1000000] [--clients 10000] [--app-dir DIR] [--label TEXT] [--no-append] [--pin]

Builds once (kept in /tmp/kam-bench-concurrency/) a database with 1M generated transactions and
its rollups, starts `streamlit run app.py` headless on a free loopback port with KAM_DB pointing
at it, warms it with one visit of every page (so the figures are those of cached results), then
for each N drives N headless Chromium sessions at once (by default N contexts of one browser,
polled by one thread; --browser-per-user: one thread, one Playwright and one
browser each), every session opening the chart pages in turn, a few rounds, each page timed
from navigation until it is fully rendered: the script no longer running (Streamlit's running
indicator gone) and the page's charts and tables drawn. Prints median / p95 per page and
overall for each N and appends a section to bench/RESULTS.md under
"## Many users at once (bench/concurrency.py)". Target (issue 12): with 8 users, p95 within
4x of one user's median.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from bench_common import generate_sales, machine  # beside this script

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Many users at once (bench/concurrency.py)"
CACHE = Path(tempfile.gettempdir()) / "kam-bench-concurrency"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = ["", "abc-xyz", "types", "churn", "managers", "dossier"]
TARGET_FACTOR = 4.0
PAGE_TIMEOUT_MS = 120_000
# What "drawn" means on a page: a plotly chart holds its SVG, a table holds its grid canvas.
CHART = '[data-testid="stPlotlyChart"] .main-svg'
TABLE = '[data-testid="stDataFrame"] canvas'
COUNT_JS = """([chart, table]) => ({
    charts: new Set([...document.querySelectorAll(chart)].map(
        e => e.closest('[data-testid="stPlotlyChart"]'))).size,
    tables: new Set([...document.querySelectorAll(table)].map(
        e => e.closest('[data-testid="stDataFrame"]'))).size,
})"""
# Rendered: the script has finished, the running indicator is gone, and at least the charts
# and tables the calibration visit found are on the page.
READY_JS = """([chart, table, charts, tables]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    const n = s => new Set([...document.querySelectorAll(s)].map(e => e.parentElement)).size;
    const c = new Set([...document.querySelectorAll(chart)].map(
        e => e.closest('[data-testid="stPlotlyChart"]'))).size;
    const t = new Set([...document.querySelectorAll(table)].map(
        e => e.closest('[data-testid="stDataFrame"]'))).size;
    return c >= charts && t >= tables && n('h1') > 0;
}"""


def build_db(rows: int, clients: int) -> tuple[Path, dict[str, object]]:
    """The benchmark database (built once and kept) and what it holds."""
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"kam-{rows}-{clients}.duckdb"
    info_file = db.with_suffix(".json")
    if db.exists() and info_file.exists():
        return db, json.loads(info_file.read_text())
    sys.path.insert(0, str(ROOT))
    from kam_core.store import connect
    from kam_core.store.rollup import refresh_rollup

    for stale in (db, db.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    conn = connect(db)
    conn.execute("SELECT setseed(0.42)")
    generate_sales(conn, rows, clients, "2023-01-01")
    refresh_rollup(conn)
    stats = conn.execute(
        "SELECT count(*), count(DISTINCT client_id), min(order_date), max(order_date) FROM sales"
    ).fetchall()[0]
    top = conn.execute(
        "SELECT client_id FROM sales GROUP BY 1 ORDER BY sum(revenue) DESC, 1 LIMIT 1"
    ).fetchall()[0][0]
    conn.close()
    info = {
        "rows": int(stats[0]),
        "clients": int(stats[1]),
        "first": str(stats[2]),
        "last": str(stats[3]),
        "client": str(top),
    }
    info_file.write_text(json.dumps(info))
    return db, info


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    app_dir: Path, db: Path, log: Path, view_cache: bool = True, cpus: set[int] | None = None
) -> tuple[subprocess.Popen, str]:
    """Start the app headless on a free loopback port (on the given CPUs only, if any); return
    the process and its base URL."""
    port = free_port()
    env = {**os.environ, "KAM_DB": str(db), "PYTHONPATH": str(app_dir)}
    env["KAM_VIEW_CACHE"] = "on" if view_cache else "off"  # off: every view computes, as before
    args = [sys.executable, "-m", "streamlit", "run", str(app_dir / "app.py")]
    args += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    args += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    # Other people edit the tree while the bench runs: no reruns on their saves.
    args += ["--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    out = log.open("w")
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    proc = subprocess.Popen(
        args, cwd=app_dir, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=pin
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the app stopped: " + log.read_text()[-2000:])
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.25)
    proc.terminate()
    raise RuntimeError("the app did not start: " + log.read_text()[-2000:])


def page_url(base: str, page: str, client: str) -> str:
    """The address of a page; the dossier opens a key client."""
    return f"{base}/dossier?client={client}" if page == "dossier" else f"{base}/{page}"


def visit(tab, url: str, expect: dict[str, int] | None) -> tuple[float, dict[str, int]]:
    """Open a page and wait until it is rendered; return the seconds and what it showed."""
    start = time.perf_counter()
    tab.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
    if expect is None:  # calibration: wait for a finished run, then let it settle
        tab.wait_for_function(READY_JS, arg=[CHART, TABLE, 1, 0], timeout=PAGE_TIMEOUT_MS)
        tab.wait_for_timeout(1500)
        tab.wait_for_function(READY_JS, arg=[CHART, TABLE, 0, 0], timeout=PAGE_TIMEOUT_MS)
    else:
        args = [CHART, TABLE, expect["charts"], expect["tables"]]
        tab.wait_for_function(READY_JS, arg=args, timeout=PAGE_TIMEOUT_MS, polling=50)
    seconds = time.perf_counter() - start
    return seconds, tab.evaluate(COUNT_JS, [CHART, TABLE])


def session(
    base: str,
    client: str,
    pages: list[str],
    expect: dict[str, dict[str, int]] | None,
    rounds: int,
    deadline: float,
    barrier: threading.Barrier | None,
    out: list,
) -> None:
    """One user: its own browser, the pages in turn for a few rounds; appends (page, s) to out."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(f"{base}/_stcore/health")
        if barrier is not None:
            barrier.wait(timeout=120)
        try:
            for _ in range(rounds):
                for page in pages:
                    if time.monotonic() > deadline:
                        return
                    want = None if expect is None else expect[page]
                    try:
                        seconds, seen = visit(tab, page_url(base, page, client), want)
                        out.append((page, seconds, seen))
                    except Exception as exc:  # a timed-out page is reported, not fatal
                        out.append((page, None, {"error": str(exc).splitlines()[0][:160]}))
        finally:
            browser.close()


def run_users(
    base: str, client: str, users: int, expect: dict, rounds: int, limit: float
) -> list[tuple[str, float | None, dict]]:
    """N sessions at once, each starting on a different page; every visit's page and seconds."""
    out: list = []
    barrier = threading.Barrier(users)
    deadline = time.monotonic() + limit
    threads = []
    for i in range(users):
        order = PAGES[i % len(PAGES) :] + PAGES[: i % len(PAGES)]
        args = (base, client, order, expect, rounds, deadline, barrier, out)
        threads.append(threading.Thread(target=session, args=args, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=limit + 300)
    return out


def run_users_shared(
    base: str, client: str, users: int, expect: dict, rounds: int, limit: float
) -> list[tuple[str, float | None, dict]]:
    """N sessions in one browser (a context each: its own cookies, its own Streamlit session).

    A real user's browser runs on their own machine; a browser process per simulated user
    would spend this machine's two cores on N browser, GPU and network processes the server
    never sees. One thread drives every tab: it starts each visit and polls the tabs in turn.
    """
    from playwright.sync_api import sync_playwright

    out: list = []
    deadline = time.monotonic() + limit
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tabs, plans = [], []
        for i in range(users):
            tab = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            tab.set_default_timeout(PAGE_TIMEOUT_MS)
            tab.goto(f"{base}/_stcore/health")
            order = PAGES[i % len(PAGES) :] + PAGES[: i % len(PAGES)]
            tabs.append(tab)
            plans.append([page for _ in range(rounds) for page in order])
        step = [0] * users
        started = [0.0] * users

        def begin(i: int) -> None:
            started[i] = time.perf_counter()
            tabs[i].goto(page_url(base, plans[i][step[i]], client), wait_until="commit")

        for i in range(users):
            begin(i)
        try:
            while time.monotonic() < deadline and any(
                step[i] < len(plans[i]) for i in range(users)
            ):
                for i in range(users):
                    if step[i] >= len(plans[i]):
                        continue
                    page = plans[i][step[i]]
                    want = expect[page]
                    args = [CHART, TABLE, want["charts"], want["tables"]]
                    try:
                        ready = tabs[i].evaluate(READY_JS, args)
                    except Exception:  # the tab is between documents: not ready yet
                        ready = False
                    elapsed = time.perf_counter() - started[i]
                    if ready:
                        out.append((page, elapsed, tabs[i].evaluate(COUNT_JS, [CHART, TABLE])))
                    elif elapsed > PAGE_TIMEOUT_MS / 1000:
                        out.append((page, None, {"error": "not drawn in time"}))
                    else:
                        continue
                    step[i] += 1
                    if step[i] < len(plans[i]) and time.monotonic() < deadline:
                        begin(i)
                time.sleep(0.05)
        finally:
            browser.close()
    return out


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))]


def summary(visits: list) -> dict[str, tuple[float, float, int, int]]:
    """Per page and overall: median, p95, visits timed, visits failed."""
    rows: dict[str, tuple[float, float, int, int]] = {}
    for name in [*PAGES, "all"]:
        chosen = [v for v in visits if name in ("all", v[0])]
        times = [v[1] for v in chosen if v[1] is not None]
        failed = len(chosen) - len(times)
        if times:
            rows[name] = (statistics.median(times), p95(times), len(times), failed)
        else:
            rows[name] = (float("nan"), float("nan"), 0, failed)
    return rows


def report(
    info: dict, results: dict[int, dict], cpu: dict[int, float], args, loads: list[float], code: str
) -> list[str]:
    """The markdown section for RESULTS.md (also printed)."""
    import duckdb
    import streamlit

    lines = [
        "",
        f"### {datetime.now():%Y-%m-%d %H:%M} {args.label}".rstrip(),
        "",
        f"Machine: {machine()}; streamlit {streamlit.__version__}, duckdb {duckdb.__version__}; "
        f"1-min load average {min(loads):.2f} to {max(loads):.2f} during the run "
        "(other jobs share the machine). " + code,
        f"Data: {info['rows']:,} generated transactions, {info['clients']:,} clients, "
        f"{info['first']} to {info['last']}; dossier of {info['client']}. "
        + ("View cache OFF (KAM_VIEW_CACHE=off)." if args.no_view_cache else "View cache on.")
        + (
            " Pinned (--pin): the server on one CPU, the browsers on the other."
            if args.pin
            else " Not pinned: the server and the browsers share every CPU."
        ),
        "",
        "| users | "
        + " | ".join(p or "overview" for p in PAGES)
        + " | all pages | visits | server CPU s / visit |",
        "| ---: |" + " ---: |" * (len(PAGES) + 3),
    ]
    for users, rows in results.items():
        cells = [f"{m:.2f} / {q:.2f}" for m, q, _n, _f in rows.values()]
        n, failed = rows["all"][2], rows["all"][3]
        lines.append(
            f"| {users} | "
            + " | ".join(cells)
            + f" | {n}"
            + (f" ({failed} failed)" if failed else "")
            + f" | {cpu[users] / max(n + failed, 1):.2f} |"
        )
    one = results.get(1, {}).get("all")
    most = max(results)
    if one and most > 1:
        ratio = results[most]["all"][1] / one[0]
        verdict = "PASS" if ratio <= TARGET_FACTOR else "FAIL"
        lines += [
            "",
            f"Target: with {most} users the p95 within {TARGET_FACTOR:g}x of one user's median: "
            f"{results[most]['all'][1]:.2f} s / {one[0]:.2f} s = {ratio:.1f}x, {verdict}.",
        ]
    lines += [
        "",
        "Cells: median / p95 seconds per page visit. Method: one `streamlit run` process; "
        "every page visited once first (results cached); then N headless Chromium sessions "
        + (
            "(a browser process each) "
            if args.browser_per_user
            else "(contexts of one browser process, driven by one thread) "
        )
        + f"at once, each opening the six pages in turn from a different starting page, "
        f"{args.rounds} rounds (at most {args.limit:g} s per N). A visit is timed from "
        "navigation (a new Streamlit session, as a link opens) until the script state is "
        "not running, the running indicator is gone and the page's charts (plotly SVG) and "
        "tables (grid canvas) are drawn. Server CPU: the app process's user + system time "
        "during the N-user run over the visits started, timed or not (load-independent, unlike "
        "the times).",
    ]
    return lines


def append(lines: list[str]) -> None:
    """Add the section under its heading in RESULTS.md, keeping every other section."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if HEADING not in text:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n"
    head, _, tail = text.partition(HEADING + "\n")
    cut = tail.find("\n## ")
    section, after = (tail, "") if cut < 0 else (tail[:cut], tail[cut:])
    section = section.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    RESULTS.write_text(head + HEADING + "\n" + section + after)


def code_line(app_dir: Path) -> str:
    """Which code was measured: the commit and whether the tree had changes."""
    try:
        rev = subprocess.run(
            ["git", "-C", str(app_dir), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(app_dir), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return f"Code: {rev}" + (" + uncommitted changes." if dirty else ".")
    except (OSError, subprocess.CalledProcessError):
        return f"Code: a copy of the tree in {app_dir}."


def main() -> None:
    """Build the database, start the app, measure each N, print and append the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=float, default=240, help="seconds at most per N")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the app's tree to serve")
    parser.add_argument("--label", default="", help="a word for the heading, e.g. before")
    parser.add_argument("--no-append", action="store_true", help="print only")
    parser.add_argument(
        "--no-view-cache", action="store_true", help="KAM_VIEW_CACHE=off: views compute all"
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the server on the first CPU, this script and its browsers on the others (taskset)",
    )
    parser.add_argument(
        "--browser-per-user",
        action="store_true",
        help="a Chromium process per user (each user's browser costs this machine's cores too)",
    )
    args = parser.parse_args()
    db, info = build_db(args.rows, args.clients)
    client = str(info["client"])
    log = CACHE / "server.log"
    cpus = sorted(os.sched_getaffinity(0))
    server_cpus = {cpus[0]} if args.pin and len(cpus) > 1 else None
    proc, base = start_server(args.app_dir.resolve(), db, log, not args.no_view_cache, server_cpus)
    if server_cpus:
        # Browsers started from here inherit this: they draw on the other cores, not the server's.
        os.sched_setaffinity(0, set(cpus[1:]))
    loads = [os.getloadavg()[0]]
    results: dict[int, dict] = {}
    cpu: dict[int, float] = {}
    try:
        calib: list = []
        session(base, client, PAGES, None, 1, time.monotonic() + 600, None, calib)
        expect = {}
        for page, seconds, seen in calib:
            if seconds is None:
                raise RuntimeError(f"page {page or 'overview'} did not render: {seen}")
            expect[page] = seen
            print(f"warm-up {page or 'overview':10s} {seconds:6.2f} s  shows {seen}")
        for users in args.users:
            used = cpu_seconds(proc.pid)
            drive = run_users if args.browser_per_user else run_users_shared
            visits = drive(base, client, users, expect, args.rounds, args.limit)
            cpu[users] = cpu_seconds(proc.pid) - used
            loads.append(os.getloadavg()[0])
            results[users] = rows = summary(visits)
            for page, seconds, seen in visits:
                if seconds is None:
                    print(f"  {users} users: {page or 'overview'} failed: {seen}")
            text = "  ".join(
                f"{p or 'overview'} {m:.2f}/{q:.2f}" for p, (m, q, _, _) in rows.items()
            )
            per = cpu[users] / max(rows["all"][2] + rows["all"][3], 1)
            print(f"{users} users ({rows['all'][2]} visits, server CPU {per:.2f} s each): {text}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    lines = report(info, results, cpu, args, loads, code_line(args.app_dir.resolve()))
    print("\n".join(lines))
    if not args.no_append:
        append(lines)
        print(f"appended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
