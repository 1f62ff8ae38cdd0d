"""Benchmark: how long the chart pages take when N browser users open them at the same time.

Usage: .venv/bin/python bench/concurrency.py [--users 1 4 8] [--rounds 3] [--limit 240]
       [--rows 1000000] [--clients 10000] [--app-dir DIR] [--label TEXT] [--no-append] [--pin]
       [--navigation link app] [--background-sessions K ...] [--think S]

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

--background-sessions 0 3 7 [--think S]: one browser user (the first --users value) measured
while K users of bench/sessions.py's websocket client (no browser: in production each user's
browser runs on their own machine) visit the pages in turn, the same navigation, for the whole
measurement; each K in turn. Serves a copy of the database in /tmp/kam-bench-background/.
Prints per page and overall median / p95, p95 with K over the median with 0, server CPU per
visit, the background visits and their median / p95, others' processor use and the load; with
--pin the server runs on one CPU, the browser and the drivers on the other. The section is
appended at the end of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
    title: (document.querySelector('h1') || {}).textContent || '',
})"""
# Rendered: the script has finished, the running indicator is gone, no element of the page
# before is left (stale), the page's own title is shown (when known), and at least the charts
# and tables the calibration visit found are on the page.
READY_JS = """([chart, table, charts, tables, title]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    const h1 = document.querySelector('h1');
    if (title && (!h1 || h1.textContent !== title)) return false;
    const n = s => new Set([...document.querySelectorAll(s)].map(e => e.parentElement)).size;
    const c = new Set([...document.querySelectorAll(chart)].map(
        e => e.closest('[data-testid="stPlotlyChart"]'))).size;
    const t = new Set([...document.querySelectorAll(table)].map(
        e => e.closest('[data-testid="stDataFrame"]'))).size;
    return c >= charts && t >= tables && n('h1') > 0;
}"""


# Each tab watches itself: every 50 ms the page checks READY_JS against what the driver asked
# for (kept in sessionStorage, so a new document of the tab knows it too) and notes the time it
# was first drawn. The driver then asks each tab only a few times a second: polling READY_JS
# from here 20 times a second per tab cost this script and Playwright's driver more processor
# time than the server (47 s of CPU against the server's 2 s in a 1-user run).
WATCH_INIT = """(() => {
    const ready = READY;
    const want = () => window.__kamWant
        || (window.__kamWant = JSON.parse(sessionStorage.getItem('kamWant') || 'null'));
    setInterval(() => {
        const w = want();
        if (!w || window.__kamDone) return;
        try { if (ready(w)) window.__kamDone = Date.now(); } catch (e) {}
    }, 50);
})();"""
# What the driver asks of the next visit; with a path, the page is opened inside the app, as a
# click in the sidebar or on a table row does: the address changes and Streamlit's frontend asks
# the same session for that page (its popstate handler), no new document, no JavaScript loaded
# again.
EXPECT_JS = """([want, path]) => {
    sessionStorage.setItem('kamWant', JSON.stringify(want));
    window.__kamWant = want;
    window.__kamDone = null;
    if (path) {
        window.history.pushState({}, '', path);
        window.dispatchEvent(new PopStateEvent('popstate'));
    }
}"""
DONE_JS = "() => window.__kamDone || null"
POLL_SECONDS = 0.25


def app_path(page: str, client: str) -> str:
    """The page's path inside the app (the Overview by its own address)."""
    return f"/dossier?client={client}" if page == "dossier" else f"/{page or 'overview'}"


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


def _proc_table() -> dict[int, tuple[int, float, str]]:
    """Every process: pid -> (parent pid, CPU seconds so far, command line)."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        table[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, cmd)
    return table


class ProcessCpu:
    """CPU seconds of the server, the browsers and the driver (this script and Playwright's
    node), sampled every half second so processes that end during a run still count."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.root = os.getpid()
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.kinds: dict[int, str | None] = {}
        self._baseline = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _kind(self, pid: int, table: dict) -> str:
        """server, chromium, driver, or other (a process of someone else)."""
        seen = pid
        for _ in range(64):
            if seen == self.server_pid:
                return "server"
            if seen == self.root:
                return "chromium" if "chrom" in table[pid][2] else "driver"
            if seen not in table or seen <= 1:
                return "other"
            seen = table[seen][0]
        return "other"

    def sample(self) -> None:
        """Read every process of ours once."""
        table = _proc_table()
        for pid in table:
            # A process keeps the kind it was first seen as: an exiting one has no command line
            # left (it would pass for the driver), an orphan no parent of ours. Other people's
            # processes count too ("other"): the load they put on the machine meanwhile.
            kind = self.kinds.get(pid)
            if kind is None and table[pid][2].strip():
                kind = self.kinds[pid] = self._kind(pid, table)
            if kind is None:
                continue
            self.first.setdefault(pid, 0.0 if self._baseline else table[pid][1])
            self.last[pid] = (kind, table[pid][1])

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def __enter__(self) -> ProcessCpu:
        self.sample()  # the processes alive now count from here, later ones from zero
        self._baseline = True
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def totals(self) -> dict[str, float]:
        """CPU seconds per kind of process over the sampled span."""
        out = {"server": 0.0, "chromium": 0.0, "driver": 0.0, "other": 0.0}
        for pid, (kind, cpu) in self.last.items():
            out[kind] += max(0.0, cpu - self.first.get(pid, 0.0))
        return out


def script_runs(run_log: Path, start: float, end: float) -> list[dict]:
    """The app's script runs that ended between start and end (time.time())."""
    if not run_log.exists():
        return []
    runs = [json.loads(line) for line in run_log.read_text().splitlines() if line.strip()]
    return [r for r in runs if start <= r["end"] <= end]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    app_dir: Path,
    db: Path,
    log: Path,
    view_cache: bool = True,
    cpus: set[int] | None = None,
    run_log: Path | None = None,
) -> tuple[subprocess.Popen, str]:
    """Start the app headless on a free loopback port (on the given CPUs only, if any); return
    the process and its base URL. With run_log, the app writes a line per script run there."""
    port = free_port()
    env = {**os.environ, "KAM_DB": str(db), "PYTHONPATH": str(app_dir)}
    if run_log is not None:
        run_log.unlink(missing_ok=True)
        env["KAM_RUN_LOG"] = str(run_log)
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


def visit(tab, url: str, expect: dict | None) -> tuple[float, dict]:
    """Open a page and wait until it is rendered; return the seconds and what it showed."""
    start = time.perf_counter()
    tab.goto(url, wait_until="commit", timeout=5 * PAGE_TIMEOUT_MS)
    if expect is None:  # calibration: wait for a finished run, then let it settle
        # A first view computes every report of a million rows: minutes on a loaded machine.
        wait = 5 * PAGE_TIMEOUT_MS
        tab.wait_for_function(READY_JS, arg=[CHART, TABLE, 1, 0], timeout=wait)
        tab.wait_for_timeout(1500)
        tab.wait_for_function(READY_JS, arg=[CHART, TABLE, 0, 0], timeout=wait)
    else:
        args = [CHART, TABLE, expect["charts"], expect["tables"], expect.get("title", "")]
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
    base: str,
    client: str,
    users: int,
    expect: dict,
    rounds: int,
    limit: float,
    in_app: bool = False,
    open_first: bool = False,
) -> list[tuple[str, float | None, dict]]:
    """N sessions in one browser (a context each: its own cookies, its own Streamlit session).

    With open_first, each tab first opens the app with one visit more, its result marked
    "opening": True (a new browser context's first document loads the app's JavaScript into an
    empty cache: 28 s against 3-8 s later at load 7.7), and each round then ends on the page
    opened, so no visit asks for the page already shown and inside the app every round is
    visits inside the app.

    A real user's browser runs on their own machine; a browser process per simulated user
    would spend this machine's two cores on N browser, GPU and network processes the server
    never sees. One thread drives every tab: it starts each visit and asks the tabs in turn
    (a few times a second) whether the page has noted itself drawn.
    """
    from playwright.sync_api import sync_playwright

    out: list = []
    deadline = time.monotonic() + limit
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tabs, plans = [], []
        for i in range(users):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.add_init_script(WATCH_INIT.replace("READY", READY_JS))
            tab = context.new_page()
            tab.set_default_timeout(PAGE_TIMEOUT_MS)
            tab.goto(f"{base}/_stcore/health")
            order = PAGES[i % len(PAGES) :] + PAGES[: i % len(PAGES)]
            tabs.append(tab)
            if open_first:
                plans.append(order[:1] + (order[1:] + order[:1]) * rounds)
            else:
                plans.append([page for _ in range(rounds) for page in order])
        step = [0] * users
        started = [0.0] * users

        def begin(i: int) -> None:
            page = plans[i][step[i]]
            want = expect[page]
            args = [CHART, TABLE, want["charts"], want["tables"], want.get("title", "")]
            started[i] = time.time()  # the page notes its drawn time by the same clock
            if in_app and step[i] > 0:  # the app is open: the next page as a click opens it
                tabs[i].evaluate(EXPECT_JS, [args, app_path(page, client)])
            else:
                tabs[i].evaluate(EXPECT_JS, [args, None])
                tabs[i].goto(page_url(base, page, client), wait_until="commit")

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
                    try:
                        done = tabs[i].evaluate(DONE_JS)
                    except Exception:  # the tab is between documents: not drawn yet
                        done = None
                    if done:
                        elapsed = done / 1000 - started[i]
                        seen = tabs[i].evaluate(COUNT_JS, [CHART, TABLE])
                        seen["opening"] = open_first and step[i] == 0
                        out.append((page, elapsed, seen))
                    elif time.time() - started[i] > PAGE_TIMEOUT_MS / 1000:
                        opening = open_first and step[i] == 0
                        out.append((page, None, {"error": "not drawn in time", "opening": opening}))
                    else:
                        continue
                    step[i] += 1
                    if step[i] < len(plans[i]) and time.monotonic() < deadline:
                        begin(i)
                time.sleep(POLL_SECONDS)
        finally:
            browser.close()
    return out


def p95(values: list[float]) -> float:
    """The 95th percentile by the nearest-rank rule: the ceil(0.95 n)-th smallest value."""
    ordered = sorted(values)
    # Integer arithmetic: 0.95 * n in floating point can land a hair above a whole rank, and
    # round() rounds halves to even (n = 20 took the 20th value instead of the 19th).
    rank = -(-95 * len(ordered) // 100)
    return ordered[max(rank, 1) - 1]


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
        f"Navigation: {getattr(args, 'label_mode', NAVIGATION['link'])}.",
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


def where_time_went(
    results: dict[int, dict], split: dict[int, dict[str, float]], runs: dict[int, list[dict]]
) -> list[str]:
    """Markdown: CPU per visit by process (server, browsers, driver) and the app's script runs
    (wall and the script thread's CPU, from KAM_RUN_LOG) beside the browser's visit times."""
    lines = [
        "",
        "Where the time went, per visit: CPU seconds by process (sampled from /proc every "
        "0.5 s: the `streamlit run` process and its children; Chromium's browser, GPU and "
        "renderer processes; this script with Playwright's driver), and the app's script runs "
        "(from the run's start in app.py to its end; wall under load, and the script thread's "
        "CPU) next to what the browser waited (median / p95 s):",
        "",
        "| users | visits | server CPU | Chromium CPU | driver CPU | script run wall | "
        "script run CPU | browser visit |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for users, rows in results.items():
        n = max(rows["all"][2] + rows["all"][3], 1)
        cpu = split.get(users, {})
        # The page runs only: the hidden root page that switches to the Overview is a few ms.
        done = [r for r in runs.get(users, []) if r["page"] != "home"]
        walls = [r["wall"] for r in done]
        cpus = [r["cpu"] for r in done]
        wall = f"{statistics.median(walls):.2f} / {p95(walls):.2f}" if walls else "-"
        thread = f"{statistics.median(cpus):.2f} / {p95(cpus):.2f}" if cpus else "-"
        lines.append(
            f"| {users} | {n} | {cpu.get('server', 0) / n:.2f} | {cpu.get('chromium', 0) / n:.2f}"
            f" | {cpu.get('driver', 0) / n:.2f} | {wall} | {thread} | "
            f"{rows['all'][0]:.2f} / {rows['all'][1]:.2f} |"
        )
    one = results.get(1, {}).get("all")
    most = max(results) if results else 0
    done = [r["wall"] for r in runs.get(most, []) if r["page"] != "home"]
    one_runs = [r["wall"] for r in runs.get(1, []) if r["page"] != "home"]
    if one and most > 1 and done and one_runs:
        ratio = p95(done) / statistics.median(one_runs)
        verdict = "PASS" if ratio <= TARGET_FACTOR else "FAIL"
        lines += [
            "",
            f"Target measured at the server (script run wall, {most} users' p95 over one "
            f"user's median): {p95(done):.2f} s / {statistics.median(one_runs):.2f} s = "
            f"{ratio:.1f}x, {verdict}.",
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


NAVIGATION = {
    "link": "every visit a new document (a link opening the page: a new session, the app's "
    "JavaScript started again)",
    "app": "pages opened inside the app after the first (as a click in the sidebar or on a "
    "table row: the same session and document)",
}


def measure(
    pid: int,
    base: str,
    client: str,
    expect: dict,
    args: argparse.Namespace,
    in_app: bool,
    run_log: Path,
    loads: list[float],
) -> tuple[dict, dict, dict, dict]:
    """Each N in turn: visit summaries, server CPU, CPU by process and the app's script runs."""
    results: dict[int, dict] = {}
    cpu: dict[int, float] = {}
    split: dict[int, dict[str, float]] = {}
    runs: dict[int, list[dict]] = {}
    for users in args.users:
        used = cpu_seconds(pid)
        began = time.time()
        with ProcessCpu(pid) as where:
            if args.browser_per_user:
                visits = run_users(base, client, users, expect, args.rounds, args.limit)
            else:
                visits = run_users_shared(
                    base, client, users, expect, args.rounds, args.limit, in_app
                )
        cpu[users] = cpu_seconds(pid) - used
        split[users] = where.totals()
        runs[users] = script_runs(run_log, began, time.time())
        loads.append(os.getloadavg()[0])
        results[users] = rows = summary(visits)
        for page, seconds, seen in visits:
            if seconds is None:
                print(f"  {users} users: {page or 'overview'} failed: {seen}")
        text = "  ".join(f"{p or 'overview'} {m:.2f}/{q:.2f}" for p, (m, q, _, _) in rows.items())
        per = cpu[users] / max(rows["all"][2] + rows["all"][3], 1)
        where_to = "in the app" if in_app else "by link"
        print(
            f"{users} users {where_to} ({rows['all'][2]} visits, server CPU {per:.2f} s each): "
            f"{text}  CPU by process: {where.totals()}",
            flush=True,
        )
    return results, cpu, split, runs


# --background-sessions: one browser user measured while K users of bench/sessions.py's protocol
# client (no browser, as users whose browsers run on their own machines) keep the server busy.
AMONG_HEADING = (
    "## 2026-12-01: one browser user among eight (bench/concurrency.py --background-sessions)"
)
AMONG_WORK = Path(tempfile.gettempdir()) / "kam-bench-background"


def measure_among(
    pid: int, base: str, client: str, expect: dict, args: argparse.Namespace, in_app: bool
) -> list[dict]:
    """Each K in turn: start K background users, wait for a visit of each, time the browser
    user(s), stop them; what the browser waited and what the machine did meanwhile."""
    from sessions import Background  # sessions.py imports this module: imported when needed

    mode = "app" if in_app else "link"
    out = []
    for k in args.background_sessions:
        others = Background(base, client, k, mode, args.think)
        others.start()
        load = os.getloadavg()[0]
        used, began, wall = cpu_seconds(pid), time.time(), time.perf_counter()
        try:
            with ProcessCpu(pid) as where:
                visits = run_users_shared(
                    base, client, args.users[0], expect, args.rounds, args.limit, in_app, True
                )
            server, ended = cpu_seconds(pid) - used, time.time()
            wall = time.perf_counter() - wall
        finally:
            others.stop()
        background = others.between(began, ended)
        row = {
            "k": k,
            "mode": mode,
            "rows": summary([v for v in visits if not v[2].get("opening")]),
            "visits": len(visits),
            "background": background,
            "background_timed": [
                v.seconds for v in background if v.mode == mode and not v.errors and v.seconds
            ],
            "background_failed": sum(1 for v in background if v.errors or v.seconds is None),
            "server": server,
            "split": where.totals(),
            "background_cpu": others.cpu,
            "wall": wall,
            "loads": (load, os.getloadavg()[0]),
        }
        out.append(row)
        every = row["rows"]["all"]
        print(
            f"{k} background users {mode}: browser {every[0]:.2f} / {every[1]:.2f} s "
            f"({every[2]} timed, {every[3]} failed), background visits {len(background)} "
            f"({row['background_failed']} failed), server CPU {server:.1f} s, "
            f"by process {row['split']}, load {load:.2f}->{row['loads'][1]:.2f}",
            flush=True,
        )
        for page, seconds, seen in visits:
            if seconds is None:
                print(f"  browser visit of {page or 'overview'} failed: {seen}")
        time.sleep(2)  # the stopped sessions' last runs end before the next K starts
    return out


def report_among(measured: list[dict], args: argparse.Namespace) -> list[str]:
    """The markdown table of one navigation mode with K background users, and its verdict."""
    head = " | ".join(p or "overview" for p in PAGES)
    lines = [
        f"| background users | {head} | all pages | p95 / median(K=0) | browser visits | "
        "background visits (failed) | background median / p95 | server CPU s / visit | "
        "Chromium / driver CPU s per browser visit | others' processes, cores | load |",
        "| ---: |" + " ---: |" * (len(PAGES) + 10),
    ]
    zero = next((m for m in measured if m["k"] == 0), None)
    base = zero["rows"]["all"][0] if zero else None
    for m in measured:
        rows, split = m["rows"], m["split"]
        cells = " | ".join(f"{a:.2f} / {b:.2f}" for a, b, _n, _f in rows.values())
        n, failed = rows["all"][2], rows["all"][3]
        bg = m["background_timed"]
        bg_cells = f"{statistics.median(bg):.2f} / {p95(bg):.2f}" if bg else "-"
        ratio = f"{rows['all'][1] / base:.1f}x" if base else "-"
        done = m["visits"] + len(m["background"])
        lines.append(
            f"| {m['k']} | {cells} | {ratio} | {n}"
            + (f" ({failed} failed)" if failed else "")
            + f" | {len(m['background'])} ({m['background_failed']}) | {bg_cells} | "
            f"{m['server'] / max(done, 1):.3f} | {split['chromium'] / max(m['visits'], 1):.2f} / "
            f"{split['driver'] / max(m['visits'], 1):.2f} | {split['other'] / m['wall']:.2f} | "
            f"{m['loads'][0]:.2f}-{m['loads'][1]:.2f} |"
        )
    most = max(measured, key=lambda m: m["k"])
    if base and most["k"] > 0:
        ratio = most["rows"]["all"][1] / base
        verdict = "PASS" if ratio <= TARGET_FACTOR else "FAIL"
        lines += [
            "",
            f"Target: the browser user's p95 with {most['k']} others within "
            f"{TARGET_FACTOR:g}x of its median alone: {most['rows']['all'][1]:.2f} / "
            f"{base:.2f} s = {ratio:.1f}x, {verdict}.",
        ]
    return lines


def among_lines(info: dict, tables: dict[str, list[dict]], args, code: str) -> list[str]:
    """The section's block for one run: how it was measured and a table per navigation."""
    import duckdb
    import streamlit

    lines = [
        "",
        f"### {datetime.now():%Y-%m-%d %H:%M} {args.label}".rstrip(),
        "",
        f"Machine: {machine()}; streamlit {streamlit.__version__}, duckdb {duckdb.__version__}. "
        + code,
        f"Data: {info['rows']:,} generated transactions, {info['clients']:,} clients; dossier "
        f"of {info['client']}. {args.users[0]} browser user(s), {args.rounds} rounds of the six "
        f"pages; background users think {args.think:g} s between visits (0.5x-1.5x at random)."
        + (
            " Pinned (--pin): the server on one CPU, the browser and the drivers on the other."
            if args.pin
            else " Not pinned."
        ),
    ]
    for mode, measured in tables.items():
        lines += ["", f"Navigation: {NAVIGATION[mode]}.", "", *report_among(measured, args)]
    lines += [
        "",
        "Cells: the browser user's median / p95 seconds per visit (nearest rank; with 18 "
        "visits the p95 is the slowest), after one untimed visit opening the app (a new "
        "browser context's first document fills an empty cache). Background users: "
        "bench/sessions.py's websocket client, each visiting the pages in turn from another"
        " starting page, the same navigation as the browser, started and each served one "
        "visit before the browser starts, stopped after; their visits counted are those "
        "that ended while the browser was measured. Server CPU per visit: the app's user + "
        "system time over every visit done meanwhile (browser and background). Others' "
        "processes: CPU seconds of processes not started by this bench per second of the "
        "run (the load of other people's work). Load: 1-minute load average before and "
        "after.",
    ]
    return lines


def append_at_end(lines: list[str]) -> None:
    """Add the lines under AMONG_HEADING, the file's last section (made at the end if new)."""
    text = RESULTS.read_text().rstrip("\n")
    last = text.rfind("\n## ")
    if last < 0 or not text[last + 1 :].startswith(AMONG_HEADING):
        text += f"\n\n{AMONG_HEADING}\n"
    RESULTS.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n")


def main() -> None:
    """Build the database, start the app, measure each N, print and append the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--users", type=int, nargs="+", help="browser users (default 1 4 8; 1 among others)"
    )
    parser.add_argument(
        "--background-sessions",
        type=int,
        nargs="+",
        metavar="K",
        help="measure the browser user while K protocol users (bench/sessions.py) load the "
        "server, each K in turn (e.g. 0 3 7); the first --users value is the browsers",
    )
    parser.add_argument(
        "--think", type=float, default=0.0, help="background users' seconds between visits"
    )
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
    parser.add_argument(
        "--navigation",
        nargs="+",
        choices=["link", "app"],
        default=["link"],
        help="link: every visit opens a new document (a new session, as a link opens); app: "
        "after the first, pages open inside the app (as a sidebar or table click does)",
    )
    args = parser.parse_args()
    code = code_line(args.app_dir.resolve())  # the code served: others commit while it runs
    among = args.background_sessions is not None
    args.users = args.users or ([1] if among else [1, 4, 8])
    db, info = build_db(args.rows, args.clients)
    client = str(info["client"])
    log = CACHE / "server.log"
    run_log = CACHE / "runs.jsonl"
    if among:  # a copy of its own: another bench's server may hold the built file
        AMONG_WORK.mkdir(parents=True, exist_ok=True)
        built, db = db, AMONG_WORK / db.name
        if not db.exists() or db.stat().st_mtime < built.stat().st_mtime:
            shutil.copyfile(built, db)
        log, run_log = AMONG_WORK / "server.log", AMONG_WORK / "runs.jsonl"
    cpus = sorted(os.sched_getaffinity(0))
    server_cpus = {cpus[0]} if args.pin and len(cpus) > 1 else None
    proc, base = start_server(
        args.app_dir.resolve(), db, log, not args.no_view_cache, server_cpus, run_log
    )
    if server_cpus:
        # Browsers started from here inherit this: they draw on the other cores, not the server's.
        os.sched_setaffinity(0, set(cpus[1:]))
    loads = [os.getloadavg()[0]]
    measured: dict[str, tuple] = {}
    try:
        calib: list = []
        session(base, client, PAGES, None, 1, time.monotonic() + 600, None, calib)
        expect = {}
        for page, seconds, seen in calib:
            if seconds is None:
                raise RuntimeError(f"page {page or 'overview'} did not render: {seen}")
            expect[page] = seen
            print(f"warm-up {page or 'overview':10s} {seconds:6.2f} s  shows {seen}")
        for mode in args.navigation:
            if among:
                measured[mode] = measure_among(proc.pid, base, client, expect, args, mode == "app")
                continue
            measured[mode] = measure(
                proc.pid, base, client, expect, args, mode == "app", run_log, loads
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    lines: list[str] = []
    if among:
        lines = among_lines(info, measured, args, code)
        print("\n".join(lines))
        if not args.no_append:
            append_at_end(lines)
            print(f"appended to {RESULTS.relative_to(ROOT)}")
        return
    for mode, (results, cpu, split, runs) in measured.items():
        args.label_mode = NAVIGATION[mode]
        lines += report(info, results, cpu, args, loads, code)
        lines += where_time_went(results, split, runs)
    print("\n".join(lines))
    if not args.no_append:
        append(lines)
        print(f"appended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
