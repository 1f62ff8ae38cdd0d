"""Benchmark: BG/NBD + Gamma-Gamma fit and the per-client table on generated transactions.

Usage: .venv/bin/python bench/model.py [--rows 1000000] [--clients 50000] [--no-write]
Appends the figures to bench/RESULTS.md under "## Model (bench/model.py)".
Each measurement runs in its own child process, so peak memory is that of the work alone
(interpreter, libraries and DuckDB included).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from bench_common import generate_sales, machine, peak_rss_bytes  # noqa: E402

HEADING = "## Model (bench/model.py)"


def peak_mb() -> float:
    """This process's peak resident memory in MiB."""
    return peak_rss_bytes() / 2**20


def _timer(out: dict[str, object]):
    """A function that runs a step and records its wall and CPU seconds under its name."""

    def timed(name: str, step):
        wall, cpu = time.perf_counter(), time.process_time()
        value = step()
        out[f"{name}_s"] = time.perf_counter() - wall
        out[f"{name}_cpu"] = time.process_time() - cpu
        return value

    return timed


def child(db: str) -> None:
    """Time the model's entry points on an existing database; print one JSON line."""
    from kam_core.analytics import p_alive as pa
    from kam_core.analytics.cache import clear_cache
    from kam_core.store import connect

    conn = connect(db)
    base = peak_mb()
    out: dict[str, object] = {"base_mb": base}
    timed = _timer(out)
    summary = timed("summary", lambda: pa.purchase_summary(conn, pa.default_as_of(conn)))
    fit = timed("model_fit", lambda: pa.model_fit(conn))
    table = timed("p_alive_table", lambda: pa.p_alive_table(conn))
    timed("cached", lambda: pa.p_alive_table(conn))
    out["peak_mb"] = peak_mb()
    clear_cache()
    check = timed("holdout", lambda: pa.holdout_validation(conn))
    out["holdout_weeks"] = check.holdout_weeks
    out["peak_after_holdout_mb"] = peak_mb()
    out["clients"] = len(table)
    out["distinct_histories"] = int(summary[["x", "t_x", "t"]].drop_duplicates().shape[0])
    out["fit"] = fit.as_dict()
    out["bg_iterations"] = fit.bgnbd.iterations if fit.bgnbd else 0
    out["trusted"] = fit.trusted
    print(json.dumps(out))
    conn.close()


def build(db: Path, rows: int, clients: int) -> float:
    """Generate the sales and build the rollups; return seconds."""
    from kam_core.store import connect
    from kam_core.store.rollup import refresh_rollup

    conn = connect(db)
    start = time.perf_counter()
    conn.execute("SELECT setseed(0.42)")
    generate_sales(conn, rows, clients)
    refresh_rollup(conn)
    conn.close()
    return time.perf_counter() - start


def main() -> None:
    """Generate, measure in a child process, print and append the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        built = build(db, args.rows, args.clients)
        print(f"{args.rows:,} rows, {args.clients:,} clients: generated in {built:.1f} s")
        runs = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(db)],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise SystemExit(done.stderr)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print({k: v for k, v in runs[-1].items() if k != "fit"})
    best = min(runs, key=lambda r: r["model_fit_s"] + r["p_alive_table_s"])
    bg, gg = best["fit"]["bgnbd"], best["fit"]["gamma_gamma"]
    lines = [
        f"\n### {datetime.now():%Y-%m-%d %H:%M} - {machine()}\n",
        f"Generated sales (bench_common): {args.rows:,} rows, {args.clients:,} clients "
        f"({best['clients']:,} with a purchase, {best['distinct_histories']:,} distinct "
        f"(x, t_x, T)); 1-min load average {load:.2f} at start. Best of {len(runs)} runs, each "
        "in a fresh process with an empty cache.\n",
        "| step | seconds | CPU seconds |",
        "| --- | ---: | ---: |",
        f"| purchase summary (SQL over sales) | {best['summary_s']:.2f} | "
        f"{best['summary_cpu']:.2f} |",
        f"| model_fit (BG/NBD + Gamma-Gamma, summary cached) | {best['model_fit_s']:.2f} | "
        f"{best['model_fit_cpu']:.2f} |",
        f"| p_alive_table (predictions + churn status, fit cached) | "
        f"{best['p_alive_table_s']:.2f} | {best['p_alive_table_cpu']:.2f} |",
        f"| p_alive_table again (cached) | {best['cached_s']:.4f} | {best['cached_cpu']:.4f} |",
        f"| holdout_validation ({best['holdout_weeks']} weeks, cold: summary, fit and"
        f" {best['holdout_weeks']} weekly predictions) | {best['holdout_s']:.2f} | "
        f"{best['holdout_cpu']:.2f} |",
        "",
        f"Peak memory: {best['peak_mb']:.0f} MiB after the fit and the table "
        f"({best['base_mb']:.0f} MiB after connecting), {best['peak_after_holdout_mb']:.0f} MiB "
        "after the holdout validation.",
        f"Fit: r {bg['r']:.3f}, alpha {bg['alpha']:.2f}, a {bg['a']:.3f}, b {bg['b']:.3f} "
        f"({best['bg_iterations']} iterations, trusted: {best['trusted']}); Gamma-Gamma "
        f"p {gg['p']:.2f}, q {gg['q']:.2f}, gamma {gg['gamma']:.1f}.",
    ]
    print("\n".join(lines))
    if args.no_write:
        return
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmark results\n"
    if HEADING not in text:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n"
    head, _, tail = text.partition(HEADING + "\n")
    rest = tail.find("\n## ")
    section, after = (tail, "") if rest < 0 else (tail[:rest], tail[rest:])
    kept = section.rstrip("\n") + "\n" if section.strip() else ""
    section = kept + "\n".join(lines) + "\n"
    results.write_text(head + HEADING + "\n" + section + after)
    print(f"appended to {results}")


if __name__ == "__main__":
    main()
