"""Profile: where one view of each chart page spends server time once its results are cached.

Usage: .venv/bin/python bench/profile_views.py [--runs 3] [--top 12] [--pages overview ...]
       [--app-dir DIR] [--dump DIR] [--browser] [--cold] [--db FILE]

Uses the database bench/concurrency.py builds (1M transactions). Each page runs in its own
process with AppTest: one view first (it fills the caches), then --runs views in new
sessions (as a link opens), each under cProfile in the script's own thread. Prints, per page,
the wall and CPU time of a view and the costliest calls of the app's code and of Streamlit's
elements (cumulative CPU ms per view, DuckDB's threads included).

--cold: every profiled view starts with empty caches, as the first view after an import does
(each report and figure computed anew). --db FILE: profile on that database instead (e.g. the
demo data with bench/uploads_after_large.py's 100,000 clients imported).

--browser: what the browser does instead. One `streamlit run` of the app (bench/concurrency.py's
server), one headless Chromium; each page opened --runs times, each in a new context, and
measured until drawn: the renderer's main-thread work from the DevTools protocol
(Performance.getMetrics: TaskDuration, ScriptDuration, LayoutDuration, RecalcStyleDuration),
the bytes the page's websocket received, the elements on the page (all, and inside plotly's
SVG), and the server's script run for the visit (wall and CPU of the script thread, from the
app's KAM_RUN_LOG).
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "abc-xyz", "types", "churn", "managers", "dossier"]
# Calls worth naming: the app's own code and Streamlit's element marshalling.
WATCH = (
    "/views/",
    "/ui/",
    "/kam_core/",
    "streamlit/elements/",
    "plotly/io/",
    "plotly/basedatatypes",
)
BUILTINS = ("execute", "fetchall", "df", "to_json", "dumps")


def child(
    app_dir: Path,
    page: str,
    client: str,
    runs: int,
    top: int,
    dump: Path | None = None,
    cold: bool = False,
) -> dict[str, object]:
    """In a fresh process: warm the caches, then profile views of the page in new sessions."""
    import cProfile

    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from kam_core.analytics import cache as results
    from ui import cache as views

    # CPU time of the whole process (DuckDB's threads included), not wall time: the machine is
    # shared, and waiting for a core is not the view's cost.
    profile = cProfile.Profile(time.process_time)
    original = script_runner.ScriptRunner._run_script
    state = {"on": False}

    def profiled(self, rerun_data):  # the script thread: cProfile sees only its own thread
        if not state["on"]:
            return original(self, rerun_data)
        profile.enable()
        try:
            return original(self, rerun_data)
        finally:
            profile.disable()

    script_runner.ScriptRunner._run_script = profiled

    # A server compiles each script once (its runtime's ScriptCache); every AppTest has its
    # own runtime and would compile app.py and the page again on each view (AST rewriting for
    # magic, ~0.3 s), a cost a real visit does not pay.
    compiled: dict[str, object] = {}
    init = ScriptCache.__init__

    def shared_cache(self) -> None:
        init(self)
        self._cache = compiled

    ScriptCache.__init__ = shared_cache

    last: list = []

    def view() -> tuple[float, float]:
        at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=600)
        if page == "dossier":
            at.query_params["client"] = client
        at._page_hash = calc_hash(page)
        if cold and state["on"]:  # as after an import: every report and figure computed anew
            results.clear_cache()
            views.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        at.run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if at.exception:
            raise RuntimeError("; ".join(str(e.value) for e in at.exception))
        last[:] = [at]
        return wall, cpu

    view()
    state["on"] = True
    times = [view() for _ in range(runs)]
    stats = pstats.Stats(profile)
    if dump is not None:  # the whole profile, for pstats or snakeviz
        dump.mkdir(parents=True, exist_ok=True)
        stats.dump_stats(str(dump / f"{page}.prof"))
    total = max(v[3] for v in stats.stats.values()) / runs
    rows = []
    for (file, line, name), (_cc, calls, _tt, cum, _callers) in stats.stats.items():
        where = f"{file}:{line}"
        named = any(w in file for w in WATCH) or (file == "~" and any(b in name for b in BUILTINS))
        if not named or cum / runs < 0.005 or cum / runs > 0.95 * total:
            continue
        short = file.split("site-packages/")[-1].replace(str(app_dir) + "/", "")
        label = f"{short}:{line} {name}" if file != "~" else name
        rows.append((cum / runs * 1000, calls / runs, label, where))
    rows.sort(reverse=True)
    return {
        "shipped": shipped(last[0]),
        "wall_ms": sorted(t[0] for t in times)[len(times) // 2] * 1000,
        "cpu_ms": sorted(t[1] for t in times)[len(times) // 2] * 1000,
        "profiled_ms": total * 1000,
        "top": [(ms, calls, label) for ms, calls, label, _ in rows[:top]],
    }


def shipped(at) -> dict[str, list[int]]:
    """What a view sends the browser: each figure's JSON bytes, each table's rows and bytes."""
    figures = [len(e.proto.spec) for e in at.get("plotly_chart")]
    tables = list(at.dataframe)  # data editors included
    return {
        "figure_bytes": figures,
        "table_rows": [len(e.value) for e in tables],
        "table_bytes": [
            len(e.proto.arrow_data.data or e.proto.lazy_data.initial_chunk.data) for e in tables
        ],
    }


BROWSER_METRICS = (
    "TaskDuration",
    "ScriptDuration",
    "LayoutDuration",
    "RecalcStyleDuration",
    "ThreadTime",
    "ProcessTime",
)
SHAPE_JS = """() => ({
    elements: document.getElementsByTagName('*').length,
    svg: document.querySelectorAll('[data-testid="stPlotlyChart"] svg *').length,
    tables: document.querySelectorAll('[data-testid="stDataFrame"]').length,
})"""


def _metrics(cdp) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def browser_views(app_dir: Path, pages: list[str], runs: int) -> None:
    """Open each page in new browser contexts and print what the browser spent on it."""
    import statistics

    from concurrency import (
        CACHE,
        CHART,
        CHROMIUM,
        DONE_JS,
        EXPECT_JS,
        FLAGS,
        READY_JS,
        TABLE,
        WATCH_INIT,
        app_path,
        build_db,
        page_url,
        script_runs,
        start_server,
        visit,
    )
    from playwright.sync_api import sync_playwright

    db, info = build_db(1_000_000, 10_000)
    run_log = CACHE / "profile-runs.jsonl"
    proc, base = start_server(app_dir, db, CACHE / "profile-server.log", run_log=run_log)
    names = {"overview": ""}
    rows = []
    print(f"load {os.getloadavg()[0]:.2f} at the start")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.add_init_script(WATCH_INIT.replace("READY", READY_JS))
            tab = context.new_page()
            cdp = context.new_cdp_session(tab)
            cdp.send("Performance.enable")
            got: list[int] = []
            tab.on("websocket", lambda ws: ws.on("framereceived", lambda m: got.append(len(m))))
            tab.goto(f"{base}/_stcore/health")

            def open_page(page: str, want: dict, how: str):
                """One visit by link (a new document) or inside the app; what it cost."""
                args = [CHART, TABLE, want["charts"], want["tables"], want.get("title", "")]
                before, sent, began = _metrics(cdp), len(got), time.time()
                path = app_path(names.get(page, page), str(info["client"]))
                if how == "app":
                    tab.evaluate(EXPECT_JS, [args, path])
                else:
                    tab.evaluate(EXPECT_JS, [args, None])
                    tab.goto(base + path, wait_until="commit")
                done = None
                while not done and time.time() - began < 300:
                    time.sleep(0.1)
                    try:
                        done = tab.evaluate(DONE_JS)
                    except Exception:  # between documents
                        done = None
                tab.wait_for_timeout(300)  # frames still in flight
                after = _metrics(cdp)
                # A new document may start the counters again.
                spent = {
                    k: after.get(k, 0) - before.get(k, 0)
                    if after.get(k, 0) >= before.get(k, 0)
                    else after.get(k, 0)
                    for k in BROWSER_METRICS
                }
                seconds = done / 1000 - began if done else float("nan")
                print(f"  {how} {page} {seconds:.2f} s", file=sys.stderr, flush=True)
                server = script_runs(run_log, began, time.time())
                server = [r for r in server if r["page"] != "home"]
                shape = tab.evaluate(SHAPE_JS)
                return how, seconds, spent, sum(got[sent:]), shape, server

            expect = {}
            for page in pages:  # warm: results cached, scripts in the browser's cache
                url = page_url(base, names.get(page, page), str(info["client"]))
                expect[page] = visit(tab, url, None)[1]
            for how in ("link", "app"):
                for _ in range(runs):
                    for page in pages:
                        rows.append((page, *open_page(page, expect[page], how)))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    print(f"load {os.getloadavg()[0]:.2f} at the end")
    print(
        "| page | opened | visit s | task ms | script ms | layout ms | style ms | "
        "renderer CPU ms | websocket KB | elements | SVG elements | server run wall ms | "
        "server run CPU ms |"
    )
    print("| --- | --- |" + " ---: |" * 11)

    def med(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    for how in ("link", "app"):
        for page in pages:
            mine = [r for r in rows if r[0] == page and r[1] == how]
            spent = {k: med([r[3][k] for r in mine]) * 1000 for k in BROWSER_METRICS}
            server = [run for r in mine for run in r[6]]
            print(
                f"| {page} | {how} | {med([r[2] for r in mine]):.2f} | "
                f"{spent['TaskDuration']:.0f} | {spent['ScriptDuration']:.0f} | "
                f"{spent['LayoutDuration']:.0f} | {spent['RecalcStyleDuration']:.0f} | "
                f"{spent['ProcessTime']:.0f} | {med([r[4] for r in mine]) / 1024:.0f} | "
                f"{med([r[5]['elements'] for r in mine]):.0f} | "
                f"{med([r[5]['svg'] for r in mine]):.0f} | "
                f"{med([x['wall'] for x in server]) * 1000:.0f} | "
                f"{med([x['cpu'] for x in server]) * 1000:.0f} |"
            )


def _first_client(db: Path) -> str:
    """A client of the database, for the dossier's visits."""
    import duckdb

    conn = duckdb.connect(str(db), read_only=True)
    try:
        return str(conn.execute("SELECT min(client_id) FROM sales").fetchall()[0][0])
    finally:
        conn.close()


def main() -> None:
    """Profile every page in its own process and print the costliest calls."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    parser.add_argument("--dump", type=Path, help="write each page's profile to DIR/<page>.prof")
    parser.add_argument("--browser", action="store_true", help="measure the browser's side")
    parser.add_argument("--cold", action="store_true", help="empty caches before each view")
    parser.add_argument("--db", type=Path, help="profile on this database instead")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from concurrency import build_db

    if args.browser:
        browser_views(args.app_dir.resolve(), args.pages, args.runs)
        return

    if args.db:
        db, info = args.db.resolve(), {"client": _first_client(args.db)}
    else:
        db, info = build_db(1_000_000, 10_000)
    app_dir = args.app_dir.resolve()
    if args.child:
        sys.path.insert(0, str(app_dir))
        os.chdir(app_dir)
        client = str(info["client"])
        result = child(app_dir, args.child, client, args.runs, args.top, args.dump, args.cold)
        print(json.dumps(result))
        return
    env = {**os.environ, "KAM_DB": str(db), "PYTHONPATH": str(app_dir)}
    for page in args.pages:
        cmd = [sys.executable, __file__, "--child", page, "--runs", str(args.runs)]
        cmd += ["--top", str(args.top), "--app-dir", str(app_dir)]
        if args.dump:
            cmd += ["--dump", str(args.dump.resolve())]
        if args.cold:
            cmd.append("--cold")
        if args.db:
            cmd += ["--db", str(db)]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
        if out.returncode or not lines:
            print(f"{page}: FAILED\n{out.stderr[-1500:]}")
            continue
        r = json.loads(lines[-1])
        print(
            f"\n{page}: view {r['wall_ms']:.0f} ms wall, {r['cpu_ms']:.0f} ms CPU "
            f"(profiled: {r['profiled_ms']:.0f} ms CPU)"
        )
        ship = r["shipped"]
        print(
            f"  ships {len(ship['figure_bytes'])} figures, "
            f"{sum(ship['figure_bytes']) / 1024:.0f} KB of JSON {ship['figure_bytes']}; "
            f"{len(ship['table_rows'])} tables, "
            f"{sum(ship['table_rows'])} rows {ship['table_rows']}, "
            f"{sum(ship['table_bytes']) / 1024:.0f} KB of Arrow"
        )
        for ms, calls, label in r["top"]:
            print(f"  {ms:7.0f} ms  {calls:6.0f}x  {label}")


if __name__ == "__main__":
    main()
