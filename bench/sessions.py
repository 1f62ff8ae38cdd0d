"""Benchmark: the server alone with N users at once, driven over Streamlit's websocket, no browser.

Usage: .venv/bin/python bench/sessions.py [--users 1 4 8] [--rounds 3] [--limit 120]
       [--navigation link app] [--think 0] [--rows 1000000] [--clients 10000] [--app-dir DIR]
       [--profile] [--compare-browser]

The same app, database (1M generated transactions, built once by bench/concurrency.py) and
server start as bench/concurrency.py, but each user is a websocket client speaking the
frontend's protocol (BackMsg / ForwardMsg protobufs on /_stcore/stream), so the machine's cores
go to the server and not to N simulated browsers (in production each browser runs on its
user's machine). A visit by link is what a new document does: the health and host-config
requests, a new websocket (a new session) and a rerun_script naming the page by its URL path
and query string; a visit inside the app is a rerun_script on the same session with the page's
script hash and the hashes of the elements the client already holds (as a sidebar click does).
A visit is timed from its first request until the script_finished message, every delta before
it received. A page's deltas are checked: its title (h1) is there, no exception element, no
error box, no page-not-found. --think waits that many seconds (0.5x-1.5x at random) between a
user's visits: 0 keeps the server saturated, as N users clicking without pause.
Prints, per N and navigation: median / p95 per page and overall, p95(N) / median(1) against the
4x target, server CPU per visit (/proc), this driver's CPU, the app's script runs (KAM_RUN_LOG)
and the load average. --profile samples the server's threads from inside the server process and
prints where the script threads were, per page. --compare-browser records one headless
Chromium's websocket frames for each page and prints its deltas beside this client's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench_common import machine
from concurrency import (  # beside this script
    PAGES,
    ROOT,
    TARGET_FACTOR,
    build_db,
    code_line,
    cpu_seconds,
    p95,
    script_runs,
    start_server,
)
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

TITLES = {
    "": "Overview",
    "abc-xyz": "ABC-XYZ",
    "types": "Client types",
    "churn": "Churn and win-back",
    "managers": "Managers",
    "dossier": "Client dossier",
}
WORK = Path(tempfile.gettempdir()) / "kam-bench-sessions"
VISIT_TIMEOUT = 300.0
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
ERROR_ALERT = 1  # Alert.Format.ERROR


@dataclass
class Visit:
    """One page visit: what was asked, how long it took and what came back."""

    page: str
    mode: str
    seconds: float | None = None
    messages: int = 0
    bytes: int = 0
    elements: Counter = field(default_factory=Counter)
    refs: int = 0
    titles: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ended: float | None = None  # time.time() when the visit ended (background users)


def page_query(page: str, client: str) -> tuple[str, str]:
    """The URL path (without the slash) and query string of a page."""
    return page, (f"client={client}" if page == "dossier" else "")


def _pings(base: str) -> None:
    """What a new document asks before its websocket (the frontend's doInitPings)."""
    for path in ("/_stcore/health", "/_stcore/host-config"):
        with urllib.request.urlopen(base + path, timeout=30) as reply:
            reply.read()


class Session:
    """One user's Streamlit session over the websocket, as the frontend holds it."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.ws = None
        self.pages: dict[str, str] = {}  # URL path -> page script hash (navigation message)
        self.kept: dict[str, ForwardMsg] = {}  # cacheable element messages by hash

    async def open(self, page: str, query: str) -> Visit:
        """A visit by link: a new document's requests, a new session, its first run."""
        await self.close()
        self.kept.clear()
        visit = Visit(page, "link")
        start = time.perf_counter()
        await asyncio.to_thread(_pings, self.base)
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await connect(
            url, subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], max_size=None
        )
        state = ClientState(query_string=query, page_name=page, page_script_hash="")
        return await self._run(state, visit, start)

    async def goto(self, page: str, query: str) -> Visit:
        """A visit inside the app: the same session runs another page."""
        visit = Visit(page, "app")
        key = page or "overview"
        if key not in self.pages:
            visit.errors.append(f"no page {key!r} in the navigation")
            return visit
        state = ClientState(query_string=query, page_script_hash=self.pages[key])
        state.cached_message_hashes.extend(self.kept)
        return await self._run(state, visit, time.perf_counter())

    async def _run(self, state: ClientState, visit: Visit, start: float) -> Visit:
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base}/{visit.page}" + (
            f"?{state.query_string}" if state.query_string else ""
        )
        msg = BackMsg()
        msg.rerun_script.CopyFrom(state)
        await self.ws.send(msg.SerializeToString())
        try:
            async with asyncio.timeout(VISIT_TIMEOUT):
                while not await self._receive(visit):
                    pass
        except TimeoutError:
            visit.errors.append("no script_finished in time")
            return visit
        visit.seconds = time.perf_counter() - start
        title = TITLES.get(visit.page)
        if title and not any(title in t for t in visit.titles):
            visit.errors.append(f"title {title!r} not among {visit.titles}")
        return visit

    async def _receive(self, visit: Visit) -> bool:
        """Read one message into the visit; True once the page's run has finished."""
        return self.take(await self.ws.recv(), visit)

    def take(self, data: bytes, visit: Visit) -> bool:
        """Count one ForwardMsg into the visit; True once the page's run has finished."""
        visit.messages += 1
        visit.bytes += len(data)
        fm = ForwardMsg()
        fm.ParseFromString(data)
        kind = fm.WhichOneof("type")
        if kind == "ref_hash":  # an element the client holds: the server sent its hash only
            visit.refs += 1
            if fm.ref_hash not in self.kept:
                visit.errors.append("a reference to an element never received")
                return False
            fm, kind = self.kept[fm.ref_hash], "delta"
        if kind == "delta":
            self._element(fm, visit)
        elif kind == "navigation":
            for app_page in fm.navigation.app_pages:
                self.pages[app_page.url_pathname] = app_page.page_script_hash
        elif kind == "page_not_found":
            visit.errors.append(f"page not found: {fm.page_not_found.page_name}")
        elif kind == "script_finished":
            status = fm.script_finished
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                visit.errors.append("the script did not compile")
                return True
            return status in DONE  # finished early for a rerun (switch_page): more follows
        return False

    def _element(self, fm: ForwardMsg, visit: Visit) -> None:
        delta = fm.delta
        if delta.WhichOneof("type") != "new_element":
            visit.elements[delta.WhichOneof("type") or "?"] += 1
            return
        if fm.metadata.cacheable:
            self.kept[fm.hash] = fm
        element = delta.new_element
        kind = element.WhichOneof("type") or "?"
        visit.elements[kind] += 1
        if kind == "heading" and element.heading.tag == "h1":
            visit.titles.append(element.heading.body)
        elif kind == "exception":
            exc = element.exception
            visit.errors.append(f"exception {exc.type}: {exc.message[:200]}")
        elif kind == "alert" and element.alert.format == ERROR_ALERT:
            visit.errors.append(f"error box: {element.alert.body[:200]}")

    async def close(self) -> None:
        """Leave: the server ends the session as when a tab closes."""
        if self.ws is not None:
            await self.ws.close()
            self.ws = None


async def user(
    base: str, client: str, order: list[str], mode: str, think: float, deadline: float
) -> list[Visit]:
    """One user visiting the pages in order, by link or (after the first) inside the app."""
    session, out = Session(base), []
    try:
        for step, page in enumerate(order):
            if time.monotonic() > deadline:
                break
            path, query = page_query(page, client)
            if mode == "link" or step == 0:
                visit = await session.open(path, query)
                visit.mode = "open" if mode == "app" else "link"
            else:
                visit = await session.goto(path, query)
            out.append(visit)
            if think > 0:
                await asyncio.sleep(think * random.uniform(0.5, 1.5))
    finally:
        await session.close()
    return out


class Background:
    """K users visiting the pages in turn over the protocol, on a thread of their own, until
    stopped: the load of the other users while bench/concurrency.py measures a browser."""

    def __init__(self, base: str, client: str, users: int, mode: str, think: float) -> None:
        self.base, self.client = base, client
        self.users, self.mode, self.think = users, mode, think
        self.visits: list[Visit] = []
        self.cpu = 0.0  # processor seconds of the thread driving them
        self._ready = threading.Event()
        self._opened: set[int] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    def start(self, timeout: float = 600) -> None:
        """Start the users; return once each has finished one visit."""
        if self.users == 0:
            return
        self._thread.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError(f"background users not all served within {timeout:g} s")

    def stop(self) -> None:
        """Stop the users (a visit under way is dropped) and close their sessions."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread.is_alive():
            self._thread.join(timeout=60)

    def between(self, start: float, end: float) -> list[Visit]:
        """The visits that ended between start and end (time.time())."""
        return [v for v in list(self.visits) if v.ended is not None and start <= v.ended <= end]

    async def _main(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        began = time.thread_time()
        tasks = [asyncio.create_task(self._user(i)) for i in range(self.users)]
        await self._stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.cpu = time.thread_time() - began

    async def _user(self, i: int) -> None:
        # Each starts a page further on than the one before (the browser user starts at 0).
        start = (i + 1) % len(PAGES)
        order = PAGES[start:] + PAGES[:start]
        session, step = Session(self.base), 0
        try:
            while True:
                page = order[step % len(order)]
                path, query = page_query(page, self.client)
                try:
                    if self.mode == "link" or step == 0:
                        visit = await session.open(path, query)
                        visit.mode = "open" if self.mode == "app" else "link"
                    else:
                        visit = await session.goto(path, query)
                except Exception as exc:
                    # A dropped connection is a failed visit; the user opens the app again.
                    visit = Visit(page, "open", errors=[f"{type(exc).__name__}: {exc}"[:200]])
                    step = -1
                    await asyncio.sleep(1)
                visit.ended = time.time()
                self.visits.append(visit)
                step += 1
                self._opened.add(i)
                if len(self._opened) == self.users:
                    self._ready.set()
                if self.think > 0:
                    await asyncio.sleep(self.think * random.uniform(0.5, 1.5))
        finally:
            await session.close()


async def run_users(
    base: str, client: str, users: int, mode: str, rounds: int, think: float, limit: float
) -> list[Visit]:
    """N users at once, each starting from another page; every visit of every user."""
    deadline = time.monotonic() + limit
    plans = []
    for i in range(users):
        order = PAGES[i % len(PAGES) :] + PAGES[: i % len(PAGES)]
        # Inside the app the first visit opens the session; a page more keeps rounds whole.
        plans.append(order * rounds + (order[:1] if mode == "app" else []))
    done = await asyncio.gather(*(user(base, client, p, mode, think, deadline) for p in plans))
    return [visit for visits in done for visit in visits]


def summary(visits: list[Visit]) -> dict[str, tuple[float, float, int]]:
    """Per page and overall: median, p95 and visits timed."""
    rows = {}
    for name in [*PAGES, "all"]:
        times = [v.seconds for v in visits if name in ("all", v.page) and v.seconds is not None]
        rows[name] = (statistics.median(times), p95(times), len(times)) if times else (0, 0, 0)
    return rows


@dataclass
class Measured:
    """One N in one navigation mode: the visits and what the machine did meanwhile."""

    users: int
    mode: str
    visits: list[Visit]
    server_cpu: float
    driver_cpu: float
    wall: float
    loads: tuple[float, float]
    runs: list[dict]

    @property
    def timed(self) -> list[Visit]:
        """The visits of the mode measured (inside the app, not each session's opening)."""
        return [v for v in self.visits if v.mode == self.mode and not v.errors]

    @property
    def failed(self) -> list[Visit]:
        """Visits with an error or without an end."""
        return [v for v in self.visits if v.errors or v.seconds is None]


def measure(pid: int, base: str, client: str, args: argparse.Namespace, mode: str) -> list:
    """Each N in turn, in one navigation mode."""
    out = []
    for users in args.users:
        loads = os.getloadavg()[0]
        cpu, mine, began, wall = (
            cpu_seconds(pid),
            time.process_time(),
            time.time(),
            time.perf_counter(),
        )
        if args.profile:
            os.kill(pid, signal.SIGUSR1)
        visits = asyncio.run(
            run_users(base, client, users, mode, args.rounds, args.think, args.limit)
        )
        if args.profile:
            keep_profile(pid, WORK / "profile.json", WORK / f"profile-{mode}-{users}.json")
        m = Measured(
            users,
            mode,
            visits,
            cpu_seconds(pid) - cpu,
            time.process_time() - mine,
            time.perf_counter() - wall,
            (loads, os.getloadavg()[0]),
            [r for r in script_runs(args.run_log, began, time.time()) if r["page"] != "home"],
        )
        rows = summary(m.timed)
        text = "  ".join(f"{p or 'overview'} {a:.3f}/{b:.3f}" for p, (a, b, _n) in rows.items())
        print(
            f"{users} users {mode}: {len(m.timed)} visits timed, {len(m.failed)} failed, "
            f"server CPU {m.server_cpu / max(len(visits), 1):.3f} s a visit, load "
            f"{m.loads[0]:.2f}->{m.loads[1]:.2f}: {text}",
            flush=True,
        )
        for v in m.failed:
            print(f"  FAILED {v.mode} {v.page or 'overview'}: {'; '.join(v.errors)}")
        out.append(m)
    return out


def keep_profile(pid: int, written: Path, kept: Path) -> None:
    """Ask the sampled server to write what it sampled since the last reset; keep it."""
    before = written.stat().st_mtime if written.exists() else 0
    os.kill(pid, signal.SIGUSR2)
    for _ in range(100):
        time.sleep(0.1)
        if written.exists() and written.stat().st_mtime != before:
            time.sleep(0.2)  # let the write end
            shutil.copyfile(written, kept)
            return
    print(f"no profile written for {kept.name}")


def table(measured: list[Measured]) -> list[str]:
    """The markdown table of one navigation mode and its verdict."""
    head = " | ".join(p or "overview" for p in PAGES)
    lines = [
        f"| users | {head} | all pages | ratio p95(N) / median(1) | visits | server CPU s / "
        "visit | driver CPU s / visit | script run wall / CPU s (median / p95) | load | wall s |",
        "| ---: |" + " ---: |" * (len(PAGES) + 8),
    ]
    one = next((m for m in measured if m.users == 1), None)
    base = summary(one.timed)["all"][0] if one else float("nan")
    for m in measured:
        rows = summary(m.timed)
        n = max(len(m.visits), 1)
        cells = " | ".join(f"{a:.3f} / {b:.3f}" for a, b, _ in rows.values())
        walls, cpus = [r["wall"] for r in m.runs], [r["cpu"] for r in m.runs]
        runs = (
            f"{statistics.median(walls):.3f} / {p95(walls):.3f}, "
            f"{statistics.median(cpus):.3f} / {p95(cpus):.3f}"
            if walls
            else "-"
        )
        ratio = rows["all"][1] / base if base else float("nan")
        failed = f" ({len(m.failed)} failed)" if m.failed else ""
        lines.append(
            f"| {m.users} | {cells} | {ratio:.1f}x | {rows['all'][2]}{failed} | "
            f"{m.server_cpu / n:.3f} | {m.driver_cpu / n:.3f} | {runs} | "
            f"{m.loads[0]:.2f}-{m.loads[1]:.2f} | {m.wall:.0f} |"
        )
    most = max(measured, key=lambda m: m.users)
    if one and most.users > 1:
        ratio = summary(most.timed)["all"][1] / base
        verdict = "PASS" if ratio <= TARGET_FACTOR else "FAIL"
        lines.append(
            f"\nTarget: {most.users} users' p95 within {TARGET_FACTOR:g}x of one user's median: "
            f"{summary(most.timed)['all'][1]:.3f} / {base:.3f} s = {ratio:.1f}x, {verdict}."
        )
    return lines


def shapes(visits: list[Visit]) -> dict[str, Counter]:
    """Per page, the elements of its first clean visit (to compare runs and clients)."""
    out: dict[str, Counter] = {}
    for v in visits:
        if not v.errors and v.page not in out:
            out[v.page] = v.elements
    return out


def browser_shapes(base: str, client: str) -> dict[str, Counter]:
    """Per page, the elements one headless Chromium received opening it by link."""
    from concurrency import CHART, CHROMIUM, FLAGS, READY_JS, TABLE, page_url
    from playwright.sync_api import sync_playwright

    out: dict[str, Counter] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        for page in PAGES:
            frames: list[bytes] = []

            def watch(ws, frames=frames) -> None:
                ws.on("framereceived", frames.append)

            tab.on("websocket", watch)
            tab.goto(page_url(base, page, client), wait_until="commit")
            ready = [CHART, TABLE, 1, 0, TITLES[page]]
            tab.wait_for_function(READY_JS, arg=ready, timeout=180_000)
            tab.wait_for_timeout(1500)  # anything sent after the run ends
            tab.remove_listener("websocket", watch)
            visit, reader = Visit(page, "browser"), Session(base)
            for data in frames:
                if isinstance(data, bytes):
                    reader.take(data, visit)
            out[page] = visit.elements
            print(
                f"browser {page or 'overview':9s} {visit.messages} messages, "
                f"{visit.bytes / 1024:.0f} KB, errors {visit.errors}",
                flush=True,
            )
        browser.close()
    return out


def compare(mine: dict[str, Counter], browser: dict[str, Counter]) -> list[str]:
    """A line per page: this client's elements beside the browser's, and any difference."""
    lines = []
    for page in PAGES:
        a, b = mine.get(page, Counter()), browser.get(page, Counter())
        diff = {k: (a[k], b[k]) for k in sorted(set(a) | set(b)) if a[k] != b[k]}
        lines.append(
            f"{page or 'overview':9s} client {sum(a.values())} deltas, browser "
            f"{sum(b.values())}; plotly {a['plotly_chart']}/{b['plotly_chart']}, dataframe "
            f"{a['dataframe']}/{b['dataframe']}; differences (client, browser): {diff or 'none'}"
        )
    return lines


def main() -> None:
    """Build the database, start the app, warm it, measure each N and mode, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120, help="seconds at most per N")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between visits")
    parser.add_argument("--navigation", nargs="+", choices=["link", "app"], default=["link", "app"])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the app's tree to serve")
    parser.add_argument("--profile", action="store_true", help="sample the server's threads")
    parser.add_argument("--compare-browser", action="store_true", help="deltas beside Chromium's")
    args = parser.parse_args()
    built, info = build_db(args.rows, args.clients)
    client = str(info["client"])
    # A copy of its own: a server of bench/concurrency.py may hold the built file (DuckDB lets
    # one process open it), and the app writes its snapshot and inbox beside the database.
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / built.name
    if not db.exists() or db.stat().st_mtime < built.stat().st_mtime:
        shutil.copyfile(built, db)
    args.run_log = WORK / "runs.jsonl"
    app_dir = args.app_dir.resolve()
    began = time.strftime("%H:%M:%S")
    sampled = WORK / "profile.json"
    if args.profile:
        proc, base = start_sampled(app_dir, db, WORK / "server.log", args.run_log, sampled)
    else:
        proc, base = start_server(app_dir, db, WORK / "server.log", run_log=args.run_log)
    failed = 0
    try:
        warm = asyncio.run(run_users(base, client, 1, "link", 1, 0, 600))
        for v in warm:
            print(
                f"warm-up {v.page or 'overview':9s} {v.seconds or 0:7.2f} s  "
                f"{v.messages} messages, {v.bytes / 1024:.0f} KB, {dict(v.elements)}"
                + (f"  ERRORS {v.errors}" if v.errors else "")
            )
        if any(v.errors for v in warm):
            sys.exit("a page failed while warming up")
        if args.compare_browser:
            print("\n".join(compare(shapes(warm), browser_shapes(base, client))))
        results = {mode: measure(proc.pid, base, client, args, mode) for mode in args.navigation}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(
        f"\nMachine: {machine()}. {code_line(app_dir)} Data: {info['rows']:,} rows, "
        f"{info['clients']:,} clients; dossier of {client}. Think time {args.think:g} s. "
        f"Started {began}, ended {time.strftime('%H:%M:%S')}."
    )
    if args.profile:
        for mode in results:
            most = max(args.users)
            print(f"\nProfile, {most} users, {mode}:")
            print("\n".join(profile_lines(WORK / f"profile-{mode}-{most}.json")))
    for mode, measured in results.items():
        print(f"\nNavigation: {mode}. Cells: median / p95 seconds per visit.\n")
        print("\n".join(table(measured)))
        failed += sum(len(m.failed) for m in measured)
    if failed:
        sys.exit(f"{failed} visits failed")


# --profile: the server runs under a sampler started in its own process. sys.executable is
# pointed at a wrapper (bench/concurrency.py's start_server starts `sys.executable -m streamlit
# run ...`), which runs this file with --serve-sampled before Streamlit's own command line.
SAMPLE_SECONDS = 0.02


def _label(code) -> str:
    """file:function, the file relative to the app or to site-packages."""
    name = code.co_filename
    for root in (str(ROOT) + "/", "site-packages/"):
        if root in name:
            name = name.split(root, 1)[1]
    return f"{name}:{code.co_name}"


def _page_of(frame) -> str:
    """The page a script thread runs (views/<page>/...), or app.py's own part."""
    page = "app.py"
    while frame is not None:
        parts = frame.f_code.co_filename.split("/views/")
        if len(parts) == 2:
            page = parts[1].split("/")[0]
        frame = frame.f_back
    return page


def sample_forever(out: Path) -> None:
    """Every few ms, each Python thread's stack weighted by the processor time it used since."""
    import atexit
    import json
    import signal
    import threading

    cpu: dict[tuple, float] = Counter()
    wall: dict[tuple, float] = Counter()
    last: dict[int, tuple] = {}
    me = threading.get_ident()

    lock = threading.Lock()

    def dump(*_: object) -> None:
        with lock:
            rows = [[*k, cpu[k], wall.get(k, 0.0)] for k in cpu]
        out.write_text(json.dumps(rows))

    def reset(*_: object) -> None:
        with lock:
            cpu.clear()
            wall.clear()

    def loop() -> None:
        while True:
            time.sleep(SAMPLE_SECONDS)
            threads = {t.ident: t for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if ident == me or ident not in threads:
                    continue
                try:
                    used = time.clock_gettime(time.pthread_getcpuclockid(ident))
                except OSError:
                    continue
                # A thread's clock starts at zero: a new thread (an ident can be reused by
                # the next script run's thread) has spent all it shows.
                thread, before = last.get(ident, (None, 0.0))
                if thread is not threads[ident]:
                    before = 0.0
                spent = max(0.0, used - before)
                last[ident] = (threads[ident], used)
                name = threads[ident].name
                kind = "script" if name.startswith("ScriptRunner") else name.split("-")[0]
                try:
                    page = _page_of(frame) if kind == "script" else ""
                    with lock:
                        walk(kind, page, frame, spent)
                except AttributeError as exc:  # a stack changing under the walk: skip it
                    print(f"sampler: {name}: {exc!r}", file=sys.stderr)

    def walk(kind: str, page: str, frame, spent: float) -> None:
        seen, leaf = set(), True
        while frame is not None:
            key = (kind, page, _label(frame.f_code), leaf)
            if key[:3] not in seen:  # a recursive function counts once a sample
                seen.add(key[:3])
                cpu[key] += spent
                wall[key] += SAMPLE_SECONDS
            frame, leaf = frame.f_back, False

    # The bench starts a measurement with SIGUSR1 (forget) and ends it with SIGUSR2 (write).
    signal.signal(signal.SIGUSR1, reset)
    signal.signal(signal.SIGUSR2, dump)
    atexit.register(dump)
    threading.Thread(target=loop, name="sampler", daemon=True).start()


def profile_lines(path: Path, top: int = 12) -> list[str]:
    """Where the server's Python threads spent processor time, per thread kind and page."""
    import json

    rows = json.loads(path.read_text()) if path.exists() else []
    total = sum(r[4] for r in rows if r[3])  # self time: each sample's leaf once
    lines = [f"Sampled processor time of the server's Python threads: {total:.1f} s"]
    groups = sorted({(r[0], r[1]) for r in rows})
    for kind, page in groups:
        mine = [r for r in rows if (r[0], r[1]) == (kind, page)]
        own = sum(r[4] for r in mine if r[3])
        if own < 0.02 * total:
            continue
        lines.append(f"\n{kind} {page}: {own:.2f} s ({100 * own / max(total, 1e-9):.0f}%)")
        inclusive = Counter()
        for r in mine:
            inclusive[r[2]] += r[4]
        selfs = Counter({r[2]: r[4] for r in mine if r[3]})
        for name, spent in inclusive.most_common(top):
            lines.append(f"  {spent:6.2f} s incl  {selfs.get(name, 0):6.2f} s self  {name}")
        lines.append(
            "  heaviest self: " + ", ".join(f"{n} {s:.2f}" for n, s in selfs.most_common(6))
        )
    return lines


def serve_sampled(argv: list[str]) -> None:
    """The wrapper's entry: sample, then run Streamlit's command line with the rest."""
    out = Path(argv[0])
    rest = argv[1:]
    if rest[:2] == ["-m", "streamlit"]:
        rest = rest[2:]
    sample_forever(out)
    from streamlit.web import cli

    sys.argv = ["streamlit", *rest]
    cli.main()


def start_sampled(app_dir: Path, db: Path, log: Path, run_log: Path, out: Path):
    """start_server with the sampler inside the server process."""
    wrapper = WORK / "python-sampled"
    wrapper.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" --serve-sampled '
        f'"{out}" "$@"\n'
    )
    wrapper.chmod(0o755)
    out.unlink(missing_ok=True)
    real, sys.executable = sys.executable, str(wrapper)
    try:
        return start_server(app_dir, db, log, run_log=run_log)
    finally:
        sys.executable = real


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve-sampled"]:
        serve_sampled(sys.argv[2:])
    else:
        main()
