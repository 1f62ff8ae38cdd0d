"""Profile: where one view of each chart page spends server time once its results are cached.

Usage: .venv/bin/python bench/profile_views.py [--runs 3] [--top 12] [--pages overview ...]
       [--app-dir DIR] [--dump DIR]

Uses the database bench/concurrency.py builds (1M transactions). Each page runs in its own
process with AppTest: one view first (it fills the caches), then --runs views in new
sessions (as a link opens), each under cProfile in the script's own thread. Prints, per page,
the wall and CPU time of a view and the costliest calls of the app's code and of Streamlit's
elements (cumulative CPU ms per view, DuckDB's threads included).
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
    app_dir: Path, page: str, client: str, runs: int, top: int, dump: Path | None = None
) -> dict[str, object]:
    """In a fresh process: warm the caches, then profile views of the page in new sessions."""
    import cProfile

    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

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


def main() -> None:
    """Profile every page in its own process and print the costliest calls."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    parser.add_argument("--dump", type=Path, help="write each page's profile to DIR/<page>.prof")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from concurrency import build_db

    db, info = build_db(1_000_000, 10_000)
    app_dir = args.app_dir.resolve()
    if args.child:
        sys.path.insert(0, str(app_dir))
        os.chdir(app_dir)
        client = str(info["client"])
        result = child(app_dir, args.child, client, args.runs, args.top, args.dump)
        print(json.dumps(result))
        return
    env = {**os.environ, "KAM_DB": str(db), "PYTHONPATH": str(app_dir)}
    for page in args.pages:
        cmd = [sys.executable, __file__, "--child", page, "--runs", str(args.runs)]
        cmd += ["--top", str(args.top), "--app-dir", str(app_dir)]
        if args.dump:
            cmd += ["--dump", str(args.dump.resolve())]
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
