"""Benchmark: every analytics report on generated data, next to the pandas reference.

Usage: .venv/bin/python bench/analytics.py [--sizes 1000000:10000 10000000:100000]
       [--reference-max-rows N] [--no-write]
Appends the figures to bench/RESULTS.md under "## Analytics".
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pandas as pd  # noqa: E402
import reference as ref  # noqa: E402
from bench_common import generate_sales, machine  # noqa: E402  (beside this script)

from kam_core.analytics.abc_xyz import abc_xyz, abc_xyz_matrix  # noqa: E402
from kam_core.analytics.cache import clear_cache  # noqa: E402
from kam_core.analytics.churn import churn  # noqa: E402
from kam_core.analytics.client_types import client_types  # noqa: E402
from kam_core.analytics.concentration import concentration  # noqa: E402
from kam_core.analytics.losses import losses  # noqa: E402
from kam_core.analytics.migration import migration  # noqa: E402
from kam_core.analytics.params import AnalysisParams  # noqa: E402
from kam_core.analytics.portfolio import portfolio  # noqa: E402
from kam_core.analytics.trend import client_trend  # noqa: E402
from kam_core.analytics.win_back import win_back_list  # noqa: E402
from kam_core.store import connect  # noqa: E402
from kam_core.store.rollup import refresh_rollup  # noqa: E402


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _cold(fn: Callable[[], object]) -> float:
    clear_cache()
    return timed(fn)


def reports(conn, p: AnalysisParams) -> dict[str, Callable[[], object]]:
    """The reports as zero-argument callables."""
    return {
        "abc-xyz": lambda: abc_xyz(conn, p),
        "matrix": lambda: abc_xyz_matrix(conn, p),
        "concentration": lambda: concentration(conn, p),
        "types": lambda: client_types(conn, p),
        "churn": lambda: churn(conn, p),
        "losses": lambda: losses(conn, p),
        "win-back": lambda: win_back_list(conn, p),
        "migration": lambda: migration(conn, p),
        "portfolio": lambda: portfolio(conn, p),
        "trend": lambda: client_trend(conn, p),
        "abc-xyz (manager filter)": lambda: abc_xyz(conn, AnalysisParams(manager="M1")),
    }


def references(sales) -> dict[str, Callable[[], object]]:
    """The pandas reference for the reports it covers."""
    return {
        "abc-xyz": lambda: ref.abc_xyz(sales),
        "matrix": lambda: ref.abc_xyz(sales).groupby("cell")["value"].sum(),
        "concentration": lambda: ref.top_share(ref.abc_xyz(sales), 0.2),
        "churn": lambda: ref.churn(sales),
        "losses": lambda: ref.losses_by_month(ref.churn(sales)),
        "migration": lambda: (
            ref.abc_xyz(sales),
            ref.abc_xyz(sales, sales["order_date"].max() - pd.DateOffset(months=3)),
        ),
        "portfolio": lambda: ref.portfolio_revenue(sales),
        "abc-xyz (manager filter)": lambda: ref.abc_xyz(sales, filters={"manager": "M1"}),
    }


def run_size(rows: int, clients: int, reference_max_rows: int, cheap_ref_max: int) -> list[str]:
    """Generate, build the rollup, time every report; return markdown table lines."""
    conn = connect(":memory:")
    conn.execute("SELECT setseed(0.42)")
    gen = timed(lambda: generate_sales(conn, rows, clients, "2015-01-01"))
    roll = timed(lambda: refresh_rollup(conn))
    print(f"{rows:,} rows / {clients:,} clients: generate {gen:.1f}s, rollup {roll:.2f}s")
    lines = [
        f"\n**{rows:,} rows, {clients:,} clients** (generated in DuckDB {gen:.1f} s; "
        f"full rollup build {roll:.2f} s)\n",
        "| report | cold (s) | cached (s) | pandas reference (s) | speed-up |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    sales = None
    if rows <= cheap_ref_max:
        load = time.perf_counter()
        sales = ref.load_sales(conn)
        print(f"  load into pandas for the reference: {time.perf_counter() - load:.1f}s")
    refs = references(sales) if sales is not None else {}
    for name, fn in reports(conn, AnalysisParams()).items():
        cold = min(_cold(fn) for _ in range(2))
        warm = timed(fn)
        slow = name in ("churn", "losses")  # the reference loops over clients in Python
        ref_s = None
        if name in refs and (not slow or rows <= reference_max_rows):
            ref_s = timed(refs[name])
        ref_txt = f"{ref_s:.2f}" if ref_s is not None else "-"
        ratio = f"{ref_s / cold:.0f}x" if ref_s is not None else "-"
        print(f"  {name:26s} cold {cold:7.3f}s  cached {warm:7.4f}s  reference {ref_txt}")
        lines.append(f"| {name} | {cold:.3f} | {warm:.4f} | {ref_txt} | {ratio} |")
    conn.close()
    return lines


def main() -> None:
    """Run the sizes given and append the figures to bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["1000000:10000", "10000000:100000"],
        help="ROWS:CLIENTS pairs",
    )
    parser.add_argument(
        "--reference-max-rows",
        type=int,
        default=2_000_000,
        help="largest size for the (slow, per-client loop) churn reference",
    )
    parser.add_argument(
        "--pandas-max-rows",
        type=int,
        default=20_000_000,
        help="largest size loaded into pandas for the reference at all",
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args()
    lines = [
        f"\n### {datetime.now():%Y-%m-%d %H:%M} - {machine()}, DuckDB "
        f"{__import__('duckdb').__version__}, pandas {__import__('pandas').__version__}\n",
        "Cold = cache cleared (best of 2); cached = the same call again. Reports share cached "
        "intermediate results, so cold times each include everything they need. As-of = "
        "latest date, 12 months, revenue, stability XYZ.",
    ]
    for size in args.sizes:
        rows, clients = (int(x) for x in size.split(":"))
        lines += run_size(rows, clients, args.reference_max_rows, args.pandas_max_rows)
    if args.no_write:
        return
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmark results\n"
    if "## Analytics" not in text:
        text = text.rstrip("\n") + "\n\n## Analytics\n"
    # New runs go right under the heading's existing runs (at the end of that section).
    head, _, tail = text.partition("## Analytics\n")
    rest_idx = tail.find("\n## ")
    section, after = (tail, "") if rest_idx < 0 else (tail[:rest_idx], tail[rest_idx:])
    section = section.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    results.write_text(head + "## Analytics\n" + section + after)
    print(f"appended to {results}")


if __name__ == "__main__":
    main()
