"""Benchmark: 1M-row CSVs whose amounts are formatted as exports write them, imported end to end.

Usage: .venv/bin/python bench/formatted_amounts.py [--rows 1000000] [--no-append]

Writes four files into bench/out (kept): amounts plain (12345.67), grouped with a decimal
point in quotes ("12,345.67"), with a decimal comma in a ';' file (12345,67), and grouped
European with the euro sign (12.345,67 €); every amount distinct, as a year of invoices is.
Each is imported into a fresh database in its own process (the reading worker started first,
as the application starts it): the import's wall time, the parse's share, the server's peak
and the revenue stored, which must be the same for the four. Appends a table to
bench/RESULTS.md unless --no-append.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import peak_rss_bytes  # beside this script

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
KINDS = {
    "plain (12345.67)": ("plain", ",", "{:.2f}"),
    'grouped, quoted ("12,345.67")': ("grouped", ",", '"{:,.2f}"'),
    "decimal comma (12345,67)": ("comma", ";", "{:.2f}"),
    "European with sign (12.345,67 €)": ("euro", ";", "{:,.2f} €"),
}


def _european(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def write_file(kind: str, rows: int) -> Path:
    """The kind's file of rows sales, written once (the same amounts in every kind)."""
    name, sep, fmt = KINDS[kind]
    path = OUT_DIR / f"amounts_{name}_{rows}.csv"
    if path.exists():
        return path
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261206)
    part = path.with_suffix(".part")
    with part.open("w", encoding="utf-8") as fh:
        fh.write(sep.join(["Order Date", "Customer", "Amount", "Quantity"]) + "\n")
        for i in range(rows):
            amount = fmt.format(rng.randint(100, 9_999_999) / 100)
            if name in ("comma", "euro"):
                amount = _european(amount)
            day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
            fh.write(sep.join([day, f"Client {i % 5000}", amount, str(1 + i % 9)]) + "\n")
    part.replace(path)
    return path


def child(path: str) -> dict:
    """Import one file into a fresh database; time the import and its parse."""
    sys.path.insert(0, str(ROOT))
    import kam_core.importing as importing
    from kam_core.ingest import worker
    from kam_core.store import connect

    worker.warm_up()
    spent = {"parse": 0.0}
    parse = importing.parse

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return parse(*args, **kwargs)
        finally:
            spent["parse"] += time.perf_counter() - start

    importing.parse = timed
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "kam.duckdb")
        start = time.perf_counter()
        counts, _, _ = importing.import_file(conn, Path(path), Path(path).name)
        seconds = time.perf_counter() - start
        conn.close()
    return {
        "seconds": seconds,
        "parse_s": spent["parse"],
        "rows": counts.rows_imported,
        "revenue": counts.revenue,
        "peak_bytes": peak_rss_bytes(),
    }


def main(argv: list[str] | None = None) -> int:
    """Write the files, import each in a child process, print and record the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--no-append", action="store_true")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ingest import append_results, code_version, load_average, machine

    lines = [
        "| amounts | rows | import s | of which the parse s | server peak MB | revenue |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    load_start = load_average()
    for kind in KINDS:
        path = write_file(kind, args.rows)
        cmd = [sys.executable, __file__, "--child", str(path)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        line = (
            f"| {kind} | {r['rows']:,} | {r['seconds']:.2f} | {r['parse_s']:.2f} | "
            f"{r['peak_bytes'] / 2**20:,.0f} | {r['revenue']:,.2f} |"
        )
        print(line, flush=True)
        lines.append(line)
    text = "\n".join(
        [
            "## Formatted amounts (bench/formatted_amounts.py)",
            "",
            f"Date: {time.strftime('%a %b %d %H:%M:%S UTC %Y', time.gmtime())}",
            f"Machine: {machine()}",
            f"Code: {code_version()}; 1-min load average {load_start} at start, "
            f"{load_average()} at end",
            "",
            *lines,
            "",
        ]
    )
    if not args.no_append:
        append_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
