"""Import benchmark: our workbook import against pandas' openpyxl read, in separate processes.

Usage: .venv/bin/python bench/ingest.py [--sizes 100000,1000000] [--repeat 3] [--repeat-large 1]
       [--skip-baseline-above N] [--breakdown] [--no-append]

Workbooks are generated once into bench/out/ (git-ignored) and reused. Every measurement runs
in its own child process, which reports its own time and peak RSS (ru_maxrss), so one
measurement's memory never leaks into another's. Results are printed and appended to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import ingest_guarded as guarded  # beside this script
from bench_common import machine as common_machine  # beside this script
from bench_common import peak_rss_bytes

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
GENERATOR_VERSION = 1
LARGE = 100_000  # sizes above this use --repeat-large
MB = 1024 * 1024
TARGET_100K_SECONDS = 3.0
TARGET_100K_SPEEDUP = 4.0
TARGET_1M_PEAK_BYTES = int(1.5 * 1024**3)

HEADER = [
    "Order ID",
    "Order Date",
    "Customer ID",
    "Customer Name",
    "Sales",
    "Profit",
    "Quantity",
    "Product",
    "Category",
    "Region",
    "Manager",
]
NAME_FIRST = [
    "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Acme",
    "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Gringotts", "Oscorp", "Wonka",
    "Dunder", "Pied Piper", "Prestige", "Massive", "Blue Sky", "Red Rock", "Silver Line",
    "Golden Gate", "Evergreen", "Summit", "Harbor", "Orion", "Atlas", "Zenith", "Keystone",
    "Pioneer", "Granite", "Cedar", "Falcon", "Meridian", "Horizon", "Sterling", "Beacon",
    "Lakeside",
]  # fmt: skip
NAME_CORE = [
    "Trading", "Logistics", "Foods", "Pharma", "Textiles", "Metals", "Plastics", "Electronics",
    "Systems", "Supplies", "Industries", "Retail", "Wholesale", "Distribution", "Packaging",
    "Chemicals", "Hospitality", "Construction", "Medical", "Automotive", "Printing", "Energy",
    "Furniture", "Agro", "Marine",
]  # fmt: skip
NAME_SUFFIX = ["Ltd", "Inc", "GmbH", "LLC", "Co.", "S.A.", "B.V.", "Group"]
CITIES = [
    "Tel Aviv", "Haifa", "Jerusalem", "Beersheba", "Netanya", "Ashdod", "Berlin", "Warsaw",
    "Riga", "Lyon", "Porto", "Leeds", "Austin", "Denver", "Tampa", "Graz",
]  # fmt: skip
CATEGORIES = [
    "Office Supplies", "Furniture", "Technology", "Packaging", "Chemicals", "Food Service",
    "Safety", "Tools",
]  # fmt: skip
PRODUCT_WORDS = [
    "Standard", "Pro", "Compact", "Deluxe", "Eco", "Heavy Duty", "Mini", "Max", "Classic",
    "Plus", "Lite", "Industrial", "Premium", "Basic", "Ultra", "Smart", "Flex", "Prime",
    "Select", "Value", "Elite", "Core", "Nano", "Titan", "Swift",
]  # fmt: skip
REGIONS = ["North", "Center", "South", "Export"]
MANAGERS = [
    "Dana Levi", "Yossi Cohen", "Maya Peretz", "Olga Ivanova", "Avi Mizrahi", "Noa Friedman",
    "Sergei Petrov", "Tamar Katz", "Eitan Shapiro", "Irina Smirnova", "Ronit Biton",
    "David Klein",
]  # fmt: skip


def clients_for(rows: int) -> int:
    """Number of distinct clients for a workbook: ~10k at 100k rows, ~50k at 1M rows."""
    return max(20, round(10_000 * (rows / 100_000) ** 0.69897))


def workbook_path(rows: int) -> Path:
    """Where the generated workbook of this many data rows lives."""
    return OUT_DIR / f"sales_{rows}_v{GENERATOR_VERSION}.xlsx"


def generate_workbook(path: Path, rows: int, seed: int = 20240) -> None:
    """Write an ERP-like sales export of rows data lines with xlsxwriter in constant_memory mode."""
    import numpy as np
    import xlsxwriter

    rng = np.random.default_rng(seed + rows)
    n_clients = clients_for(rows)

    # Clients: unique names "<first> <core> <suffix> (<city>)", a manager and its region each.
    combos = len(NAME_FIRST) * len(NAME_CORE) * len(NAME_SUFFIX) * len(CITIES)
    picks = rng.choice(combos, size=n_clients, replace=combos < n_clients)
    names = []
    for k in picks.tolist():
        k, city = divmod(k, len(CITIES))
        k, suffix = divmod(k, len(NAME_SUFFIX))
        first, core = divmod(k, len(NAME_CORE))
        names.append(
            f"{NAME_FIRST[first]} {NAME_CORE[core]} {NAME_SUFFIX[suffix]} ({CITIES[city]})"
        )
    client_ids = [f"C{n:06d}" for n in rng.choice(900_000, n_clients, replace=False) + 100_000]
    client_manager = rng.integers(0, len(MANAGERS), n_clients)
    weights = rng.lognormal(0.0, 1.4, n_clients)  # heavy tail: a few clients buy most

    # Products: 25 per category, with a unit price each.
    products = [
        f"{c[:3].upper()}-{100 + i:04d} {w}"
        for c in CATEGORIES
        for i, w in enumerate(PRODUCT_WORDS)
    ]
    product_category = [c for c in CATEGORIES for _ in PRODUCT_WORDS]
    unit_price = np.round(rng.lognormal(3.5, 1.0, len(products)), 2)
    product_weights = rng.lognormal(0.0, 1.0, len(products))

    # Orders of 1+ lines over three years, sorted by date like an ERP export.
    n_orders = rows // 16 * 10 + 10
    lines = 1 + rng.poisson(0.6, n_orders)
    while lines.sum() < rows:
        lines = np.concatenate([lines, 1 + rng.poisson(0.6, n_orders)])
    n_orders = int(np.searchsorted(np.cumsum(lines), rows) + 1)
    lines = lines[:n_orders]
    if n_orders >= n_clients:
        extra = rng.choice(n_clients, n_orders - n_clients, p=weights / weights.sum())
        order_client = rng.permutation(np.concatenate([np.arange(n_clients), extra]))
    else:
        order_client = rng.choice(n_clients, n_orders, p=weights / weights.sum())
    first_day = (date(2022, 1, 1) - date(1899, 12, 30)).days  # Excel's serial day number
    order_day = np.sort(rng.integers(0, 3 * 365 + 1, n_orders)) + first_day
    line_order = np.repeat(np.arange(n_orders), lines)[:rows]

    client = order_client[line_order]
    day = order_day[line_order]
    product = rng.choice(len(products), rows, p=product_weights / product_weights.sum())
    quantity = 1 + rng.negative_binomial(1, 0.2, rows)
    discount = rng.choice([0.0, 0.05, 0.1, 0.15], rows, p=[0.6, 0.2, 0.15, 0.05])
    sales = np.round(quantity * unit_price[product] * (1 - discount), 2)
    margin = np.clip(rng.normal(0.2, 0.15, rows), -0.5, 0.6)
    profit = np.round(sales * margin, 2)

    tmp = path.with_name(path.name + ".part")
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    sheet = book.add_worksheet("Sales Orders")
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7"})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    money = book.add_format({"num_format": "#,##0.00"})
    count = book.add_format({"num_format": "#,##0"})
    total_label = book.add_format({"bold": True, "top": 1})
    total_money = book.add_format({"bold": True, "top": 1, "num_format": "#,##0.00"})
    total_count = book.add_format({"bold": True, "top": 1, "num_format": "#,##0"})
    for col, width in enumerate([12, 12, 12, 40, 12, 12, 9, 24, 16, 9, 16]):
        sheet.set_column(col, col, width)

    sheet.write_string(0, 0, "Sales Orders Report - All Regions, 01/01/2022 to 31/12/2024", title)
    sheet.write_string(1, 0, "Printed: 15/01/2025 08:30 by erp.reports")
    for col, label in enumerate(HEADER):  # row 2 stays blank
        sheet.write_string(3, col, label, head)
    sheet.freeze_panes(4, 0)

    write_s, write_n = sheet.write_string, sheet.write_number
    line_order_l, day_l, client_l = line_order.tolist(), day.tolist(), client.tolist()
    product_l, quantity_l = product.tolist(), quantity.tolist()
    sales_l, profit_l, manager_l = sales.tolist(), profit.tolist(), client_manager.tolist()
    for i in range(rows):
        r = i + 4
        c, p = client_l[i], product_l[i]
        m = manager_l[c]
        write_s(r, 0, f"SO-{1_000_000 + line_order_l[i]}")
        write_n(r, 1, day_l[i], date_fmt)
        write_s(r, 2, client_ids[c])
        write_s(r, 3, names[c])
        write_n(r, 4, sales_l[i], money)
        write_n(r, 5, profit_l[i], money)
        write_n(r, 6, quantity_l[i], count)
        write_s(r, 7, products[p])
        write_s(r, 8, product_category[p])
        write_s(r, 9, REGIONS[m % len(REGIONS)])
        write_s(r, 10, MANAGERS[m])
    r = rows + 4
    write_s(r, 0, "Grand Total", total_label)
    write_n(r, 4, round(float(sales.sum()), 2), total_money)
    write_n(r, 5, round(float(profit.sum()), 2), total_money)
    write_n(r, 6, int(quantity.sum()), total_count)
    book.close()
    os.replace(tmp, path)


def ensure_workbook(rows: int, seed: int) -> tuple[Path, float | None]:
    """Return the workbook for rows, generating it if missing; also the generation seconds."""
    path = workbook_path(rows)
    if path.exists():
        return path, None
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    generate_workbook(path, rows, seed)
    return path, time.perf_counter() - start


# ---- child processes: each prints one JSON line with its own figures ----------------------


def _peak_rss_bytes() -> int:
    """This process's peak resident set size in bytes."""
    return peak_rss_bytes()


def _cpu_seconds() -> float:
    """User + system CPU seconds this process has used so far (all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_import(path: str, db: str, how: str = "bytes") -> dict[str, Any]:
    """Import the file into the database at db; time and memory.

    how: "bytes" reads the file's bytes first and imports them (as the Upload page has them);
    "file" imports the file where it lies (as the command line does).
    """
    sys.path.insert(0, str(ROOT))
    import dataclasses

    from kam_core.config import SETTINGS
    from kam_core.importing import import_file
    from kam_core.ingest import worker
    from kam_core.store import connect

    # A loaded machine can take longer than the 60 s read limit on 1M rows: measure the import
    # rather than its refusal (the figure says how long the read took).
    slow_ok = dataclasses.replace(SETTINGS.limits, max_read_seconds=600)
    worker.read_file.__defaults__ = (slow_ok, None)
    # The application starts its file reader when it starts (worker.warm_up_in_background), so
    # an upload does not wait for it: started here before the clock, and timed on its own.
    started = time.perf_counter()
    worker.warm_up()
    server_start = time.perf_counter() - started
    cpu_before = _cpu_seconds()
    start = time.perf_counter()
    data = Path(path).read_bytes() if how == "bytes" else Path(path)
    read_done = time.perf_counter()
    conn = connect(db)
    connected = time.perf_counter()
    counts, parsed, _pre = import_file(conn, data, Path(path).name)
    imported = time.perf_counter()
    conn.close()
    end = time.perf_counter()
    return {
        "seconds": end - start,
        "read_bytes_s": read_done - start,
        "connect_s": connected - read_done,
        "import_file_s": imported - connected,
        "close_s": end - imported,
        "cpu_s": _cpu_seconds(),
        "import_cpu_s": _cpu_seconds() - cpu_before,
        "server_start_s": server_start,
        "peak_bytes": _peak_rss_bytes(),
        "worker_peak_bytes": (worker.last_read() or None) and worker.last_read().worker_peak_bytes,
        "worker_read_s": (worker.last_read() or None) and worker.last_read().seconds,
        "rows_read": counts.rows_read,
        "rows_imported": counts.rows_imported,
        "rows_duplicate": counts.rows_duplicate,
        "rows_rejected": counts.rows_rejected,
        "rows_skipped": counts.rows_skipped,
        "clients": counts.clients,
        "skipped": parsed.skipped,
    }


def child_openpyxl(path: str) -> dict[str, Any]:
    """Time pandas.read_excel(path, engine="openpyxl") alone, with this process's peak RSS."""
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_excel(path, engine="openpyxl")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_bytes": _peak_rss_bytes(), "shape": list(frame.shape)}


class _Peak:
    """Per-stage peak RSS: resets the kernel's high-water mark, else samples in a thread."""

    def __init__(self) -> None:
        """Start tracking; prefer /proc/self/clear_refs (exact) over sampling."""
        import threading

        self.exact = self._reset()
        self.sampled = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if not self.exact:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()

    @staticmethod
    def _status(key: str) -> int:
        """A field of /proc/self/status in bytes (VmRSS, VmHWM)."""
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    @staticmethod
    def _reset() -> bool:
        """Reset VmHWM to the current RSS; False when the kernel does not allow it."""
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
            return True
        except OSError:
            return False

    def _sample(self) -> None:
        """Record the largest VmRSS seen every 5 ms (fallback)."""
        while not self._stop.wait(0.005):
            self.sampled = max(self.sampled, self._status("VmRSS"))

    def stage_end(self) -> tuple[int, int]:
        """Return (peak during the stage, RSS now) and start the next stage."""
        now = self._status("VmRSS")
        peak = self._status("VmHWM") if self.exact else max(self.sampled, now)
        if self.exact:
            self._reset()
        self.sampled = now
        return peak, now


def child_breakdown(path: str, db: str) -> dict[str, Any]:
    """Run import_file's stages one by one (same objects kept alive) with time and RSS each."""
    import hashlib

    sys.path.insert(0, str(ROOT))
    from kam_core.importing import Preview, parse, store_parsed
    from kam_core.ingest import choose_sheet, read_file
    from kam_core.store import connect

    tracker = _Peak()
    stages: list[dict[str, Any]] = []
    base = tracker._status("VmRSS")

    def mark(name: str, start: float, **extra: Any) -> None:
        seconds = time.perf_counter() - start
        peak, now = tracker.stage_end()
        stages.append(
            {"stage": name, "seconds": seconds, "peak_bytes": peak, "rss_after_bytes": now, **extra}
        )

    t = time.perf_counter()
    data = Path(path).read_bytes()
    mark("read bytes", t)
    t = time.perf_counter()
    conn = connect(db)
    mark("connect (fresh db)", t)
    t = time.perf_counter()
    book = read_file(data, Path(path).name)
    mark("read_file (fastexcel)", t, arrow_bytes=sum(g.table.nbytes for g in book.sheets))
    t = time.perf_counter()
    pre = Preview(book, choose_sheet(book), hashlib.sha256(data).hexdigest())
    mark("choose_sheet + sha256", t)
    t = time.perf_counter()
    parsed = parse(pre)
    mark("parse_sheet (pandas)", t, rows_frame_bytes=int(parsed.rows.memory_usage(deep=True).sum()))
    t = time.perf_counter()
    counts = store_parsed(conn, pre, parsed)
    mark("store: import_rows (duckdb)", t)
    t = time.perf_counter()
    conn.close()
    mark("close", t)
    return {
        "stages": stages,
        "base_rss_bytes": base,
        "exact_peaks": tracker.exact,
        "rows_imported": counts.rows_imported,
        "peak_bytes": max(s["peak_bytes"] for s in stages),  # ru_maxrss is reset with VmHWM
    }


def run_child(args: list[str]) -> dict[str, Any]:
    """Run this script as a child measurement and return the JSON it prints."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---- the parent: measure, print, append ---------------------------------------------------


@dataclass
class SizeResult:
    """All figures for one workbook size."""

    rows: int
    file_mb: float
    generated_s: float | None
    imports: list[dict[str, Any]] = field(default_factory=list)
    reimports: list[dict[str, Any]] = field(default_factory=list)
    baseline: dict[str, Any] | None = None
    breakdown: dict[str, Any] | None = None

    @property
    def import_s(self) -> float:
        """Median end-to-end import time."""
        return statistics.median(r["seconds"] for r in self.imports)

    @property
    def reimport_s(self) -> float:
        """Median re-import time."""
        return statistics.median(r["seconds"] for r in self.reimports)

    @property
    def peak_bytes(self) -> int:
        """Largest peak RSS over the import runs."""
        return max(r["peak_bytes"] for r in self.imports)

    @property
    def speedup(self) -> float | None:
        """openpyxl read time over our end-to-end import time."""
        return self.baseline["seconds"] / self.import_s if self.baseline else None


def measure(rows: int, repeat: int, baseline: bool, breakdown: bool, seed: int) -> SizeResult:
    """Generate (or reuse) the workbook for rows and run every measurement on it."""
    path, generated = ensure_workbook(rows, seed)
    note = f"generated in {generated:.1f} s" if generated is not None else "reused"
    print(f"[{rows:,} rows] {path.relative_to(ROOT)} ({note})", flush=True)
    result = SizeResult(rows, path.stat().st_size / MB, generated)
    for run in range(repeat):
        with tempfile.TemporaryDirectory(prefix="kam-bench-") as tmp:
            db = str(Path(tmp) / "bench.duckdb")
            first = run_child(["import", str(path), db])
            _check(first, rows, fresh=True)
            again = run_child(["import", str(path), db])
            _check(again, rows, fresh=False)
        result.imports.append(first)
        result.reimports.append(again)
        print(
            f"  import run {run + 1}/{repeat}: {first['seconds']:.2f} s, "
            f"peak {first['peak_bytes'] / MB:,.0f} MB; re-import {again['seconds']:.2f} s, "
            f"peak {again['peak_bytes'] / MB:,.0f} MB",
            flush=True,
        )
    if breakdown:
        with tempfile.TemporaryDirectory(prefix="kam-bench-") as tmp:
            result.breakdown = run_child(["breakdown", str(path), str(Path(tmp) / "b.duckdb")])
    if baseline:
        print("  openpyxl read ...", flush=True)
        result.baseline = run_child(["openpyxl", str(path)])
        print(
            f"  openpyxl read: {result.baseline['seconds']:.2f} s, "
            f"peak {result.baseline['peak_bytes'] / MB:,.0f} MB",
            flush=True,
        )
    return result


def _check(figures: dict[str, Any], rows: int, fresh: bool) -> None:
    """Fail loudly when an import did not store (or skip) exactly the generated rows."""
    want_imported, want_dup = (rows, 0) if fresh else (0, rows)
    got = (figures["rows_imported"], figures["rows_duplicate"], figures["rows_rejected"])
    if got != (want_imported, want_dup, 0) or figures["rows_skipped"] != 1:
        raise RuntimeError(f"unexpected counts for {rows:,} rows (fresh={fresh}): {figures}")


def _fmt(value: float | None, spec: str, suffix: str = "") -> str:
    """Format a number or '-' when missing."""
    return "-" if value is None else f"{value:{spec}}{suffix}"


def results_table(results: list[SizeResult]) -> str:
    """The markdown table of the main figures."""
    lines = [
        "| rows | our import s | re-import s | our peak MB | openpyxl read s | openpyxl peak MB "
        "| speed-up |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        base = r.baseline
        lines.append(
            f"| {r.rows:,} | {r.import_s:.2f} | {r.reimport_s:.2f} | {r.peak_bytes / MB:,.0f} "
            f"| {_fmt(base and base['seconds'], '.1f')} "
            f"| {_fmt(base and base['peak_bytes'] / MB, ',.0f')} | {_fmt(r.speedup, '.1f', 'x')} |"
        )
    return "\n".join(lines)


def targets(results: list[SizeResult]) -> list[str]:
    """The issue's targets with PASS, FAIL or 'not measured'."""
    by_rows = {r.rows: r for r in results}
    small, large = by_rows.get(100_000), by_rows.get(1_000_000)

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("PASS" if ok else "FAIL")

    t1 = small and small.import_s < TARGET_100K_SECONDS
    t2 = small.speedup >= TARGET_100K_SPEEDUP if small and small.speedup is not None else None
    t3 = large and large.peak_bytes < TARGET_1M_PEAK_BYTES
    return [
        f"- 100k rows end to end < {TARGET_100K_SECONDS:g} s: "
        f"{verdict(t1)}" + (f" ({small.import_s:.2f} s)" if small else ""),
        f"- 100k rows >= {TARGET_100K_SPEEDUP:g}x faster than the openpyxl read: "
        f"{verdict(t2)}" + (f" ({small.speedup:.1f}x)" if small and small.speedup else ""),
        "- 1M rows peak memory < 1.5 GB (1,536 MiB): "
        f"{verdict(t3)}" + (f" ({large.peak_bytes / MB:,.0f} MiB)" if large else ""),
    ]


def details(results: list[SizeResult], repeat: int, repeat_large: int) -> list[str]:
    """Notes on method and per-size detail lines (file sizes, phases, counts)."""
    out = [
        "Method: each figure comes from its own child process; peak MB is that process's "
        'ru_maxrss (MiB, interpreter and libraries included). "Our import" = read the file\'s '
        "bytes + open a fresh database file + `import_file` + close, median of "
        f"{repeat} run(s) up to {LARGE:,} rows and {repeat_large} above; peak is the largest "
        'of the runs. "Re-import" = the same file again into that database in a new '
        "process (every row already stored). The openpyxl read is `pandas.read_excel(path, "
        'engine="openpyxl")` alone, 1 run. Speed-up = openpyxl read s / our import s.',
        "",
    ]
    for r in results:
        first = r.imports[0]
        out.append(
            f"- {r.rows:,} rows: {r.file_mb:.1f} MB xlsx, {first['clients']:,} clients; "
            f"phases (run 1): read bytes {first['read_bytes_s']:.2f} s, connect "
            f"{first['connect_s']:.2f} s, import_file {first['import_file_s']:.2f} s, close "
            f"{first['close_s']:.2f} s; process CPU {first['cpu_s']:.1f} s; runs: "
            + ", ".join(f"{x['seconds']:.2f}" for x in r.imports)
            + f" s; re-import peak {max(x['peak_bytes'] for x in r.reimports) / MB:,.0f} MB."
        )
    return out


def breakdown_table(result: SizeResult) -> list[str]:
    """Stage-by-stage time and memory of one import, as markdown lines."""
    b = result.breakdown
    if not b:
        return []
    how = "kernel high-water mark reset per stage" if b["exact_peaks"] else "RSS sampled 5 ms"
    lines = [
        f"Stage breakdown at {result.rows:,} rows (one process; {how}; RSS at start "
        f"{b['base_rss_bytes'] / MB:,.0f} MB, process peak {b['peak_bytes'] / MB:,.0f} MB):",
        "",
        "| stage | s | peak MB during | RSS MB after | note |",
        "|---|---:|---:|---:|---|",
    ]
    for s in b["stages"]:
        note = ""
        if "arrow_bytes" in s:
            note = f"Arrow grid {s['arrow_bytes'] / MB:,.0f} MB"
        if "rows_frame_bytes" in s:
            note = f"parsed rows frame {s['rows_frame_bytes'] / MB:,.0f} MB"
        lines.append(
            f"| {s['stage']} | {s['seconds']:.2f} | {s['peak_bytes'] / MB:,.0f} "
            f"| {s['rss_after_bytes'] / MB:,.0f} | {note} |"
        )
    return [*lines, ""]


def machine() -> str:
    """One line describing this machine and the library versions."""
    libs = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("fastexcel", "duckdb", "pandas", "pyarrow", "openpyxl")
    )
    return f"{common_machine()}; {libs}"


def code_version() -> str:
    """The commit measured, noting uncommitted changes to kam_core (read-only git calls)."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "kam_core"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    commit = head.stdout.strip() or "no commit"
    return commit + (" + uncommitted changes in kam_core" if dirty.stdout.strip() else "")


def load_average() -> str:
    """The 1-minute load average (other work on the machine skews timings)."""
    return Path("/proc/loadavg").read_text().split()[0]


def append_results(text: str) -> None:
    """Append a section to bench/RESULTS.md, creating the file with its heading if needed."""
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nFigures are appended by the bench scripts (bench/*.py); "
            "newest at the bottom.\n"
        )
    with RESULTS.open("a") as fh:
        fh.write("\n" + text)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100000,1000000", help="comma-separated data row counts")
    p.add_argument("--repeat", type=int, default=3, help=f"import runs for sizes <= {LARGE:,}")
    p.add_argument("--repeat-large", type=int, default=1, help=f"import runs above {LARGE:,}")
    p.add_argument(
        "--skip-baseline-above",
        type=int,
        default=None,
        metavar="N",
        help="skip the openpyxl read for sizes above N rows (default: keep all)",
    )
    p.add_argument(
        "--breakdown",
        action="store_true",
        help="also time each import stage with its peak memory (one extra run)",
    )
    p.add_argument("--seed", type=int, default=20240, help="generator seed")
    p.add_argument("--no-append", action="store_true", help="print only; leave RESULTS.md")
    p.add_argument(
        "--guarded",
        action="store_true",
        help="measure guarded reading instead: 1M-row CSV and xlsx imports, files over the "
        "row bound, the worker's cost and the 300k-tag scan",
    )
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one measurement) and report."""
    args = parse_args(argv)
    if args.child:
        kind, *rest = args.child
        runner = {
            "import": child_import,
            "openpyxl": child_openpyxl,
            "breakdown": child_breakdown,
            "refusal": guarded.child_refusal,
            "overhead": guarded.child_overhead,
            "tags": guarded.child_tags,
        }[kind]
        print(json.dumps(runner(*rest)))
        return 0
    if args.guarded:
        return run_guarded(args)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    stamp = subprocess.run(["date", "-u"], capture_output=True, text=True, check=False)
    code, load_before = code_version(), load_average()
    results = []
    for rows in sizes:
        repeat = args.repeat if rows <= LARGE else args.repeat_large
        keep = args.skip_baseline_above is None or rows <= args.skip_baseline_above
        results.append(measure(rows, repeat, keep, args.breakdown, args.seed))

    body = [
        "## Import (bench/ingest.py)",
        "",
        f"Date: {stamp.stdout.strip()}",
        f"Machine: {machine()}",
        f"Code: {code}; 1-min load average {load_before} at start, {load_average()} at end",
        "",
        results_table(results),
        "",
        "Targets (issue 2, section 7):",
        *targets(results),
        "",
        *details(results, args.repeat, args.repeat_large),
        "",
    ]
    for r in results:
        body.extend(breakdown_table(r))
    text = "\n".join(body).rstrip() + "\n"
    print("\n" + text)
    if not args.no_append:
        append_results(text)
        print(f"Appended to {RESULTS.relative_to(ROOT)}")
    return 0


def run_guarded(args: argparse.Namespace) -> int:
    """Measure guarded reading (issue 10) and append an Import section with its figures."""
    stamp = subprocess.run(["date", "-u"], capture_output=True, text=True, check=False)
    code, load_before = code_version(), load_average()
    xlsx, _ = ensure_workbook(1_000_000, args.seed)
    csv_path = guarded.csv_from_workbook(xlsx)
    imports = []
    for label, path, how, target in (
        ("1M-row CSV, command line", csv_path, "file", "< 3 s, < 800 MB"),
        ("1M-row CSV, upload", csv_path, "bytes", "< 3 s, < 800 MB"),
        ("1M-row xlsx, command line", xlsx, "file", "< 10 s, < 1.2 GB"),
        ("1M-row xlsx, upload", xlsx, "bytes", "< 10 s, < 1.2 GB"),
    ):
        load = guarded.load_now()
        with tempfile.TemporaryDirectory() as tmp:
            result = run_child(["import", str(path), str(Path(tmp) / "kam.duckdb"), how])
        result["load"] = f"{load}, {guarded.load_now()}"
        print(
            f"{label}: {result['seconds']:.2f} s, CPU {result['cpu_s']:.2f} s, "
            f"peak {result['peak_bytes'] / MB:,.0f} MB, load {result['load']}"
        )
        imports.append((label, result, target))
    refusals = []
    for label, path in guarded.over_bound_files().items():
        load = guarded.load_now()
        result = run_child(["refusal", str(path)])
        result["load"] = f"{load}, {guarded.load_now()}"
        print(f"{label}: {result['seconds']:.2f} s, {result['message']}")
        refusals.append((label, result))
    results = {
        "imports": imports,
        "refusals": refusals,
        "overhead": run_child(["overhead"]),
        "tags": run_child(["tags"]),
    }
    body = [
        "## Import (bench/ingest.py --guarded)",
        "",
        f"Date: {stamp.stdout.strip()}",
        f"Machine: {machine()}",
        f"Code: {code}; 1-min load average {load_before} at start, {load_average()} at end",
        *guarded.section(results),
        "",
    ]
    text = "\n".join(body).rstrip() + "\n"
    print("\n" + text)
    if not args.no_append:
        append_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
