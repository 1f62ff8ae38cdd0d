"""Benchmark: a file through the Upload page in a browser, with the server's memory.

Usage: .venv/bin/python bench/upload_page.py [--file PATH] [--case csv|xlsx] [--repeat N]
       [--no-append]

Starts `streamlit run app.py` headless on a free loopback port with an empty database, opens the
Upload page in headless Chromium (/usr/bin/chromium), chooses the file (the 1M-row export of
bench/ingest_guarded.py by default, made there once), waits until the rows are checked (the
Import button shown and the page idle), clicks Import and waits for the result. Prints the
seconds of both steps and the server process's memory: its high-water mark (VmHWM, which
includes the upload's arrival) and the largest resident size sampled every 20 ms before and
after the click, and what it keeps once the file is checked and once it is imported. Appends a
section to bench/RESULTS.md unless --no-append.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench_common import machine  # beside this script
from concurrency import code_line, free_port
from ingest_guarded import csv_from_workbook

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
MB = 1024 * 1024


class Server:
    """The app on a free port, over an empty database, with its memory sampled."""

    def __init__(self, folder: Path) -> None:
        """Start the app and a thread sampling its resident memory."""
        self.port = free_port()
        env = dict(os.environ, KAM_DB=str(folder / "kam.duckdb"))
        self.err = (folder / "server.log").open("w")
        self.proc = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/streamlit"),
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.err,
        )
        self.samples: list[tuple[float, int]] = []
        threading.Thread(target=self._sample, daemon=True).start()

    def status(self, key: str) -> int:
        """A field of the server's /proc status, in bytes."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
        return 0

    def _sample(self) -> None:
        while self.proc.poll() is None:
            try:
                self.samples.append((time.perf_counter(), self.status("VmRSS")))
            except (OSError, ValueError):
                return
            time.sleep(0.02)

    def largest(self, start: float, end: float) -> int:
        """The largest resident size sampled between two moments."""
        return max((rss for t, rss in self.samples if start <= t <= end), default=0)

    def stop(self) -> None:
        """Stop the app."""
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.err.close()


def one_upload(path: Path) -> dict[str, float]:
    """One upload of path through the page, on a fresh server and database."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kam-bench-upload-") as tmp:
        server = Server(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
                )
                page = browser.new_page(viewport={"width": 1400, "height": 3000})
                for _ in range(120):
                    try:
                        page.goto(f"http://127.0.0.1:{server.port}/upload")
                        break
                    except Exception:  # not listening yet
                        time.sleep(0.5)
                page.wait_for_selector('input[type="file"]', state="attached", timeout=60_000)
                time.sleep(2)  # the page settled
                idle = server.status("VmRSS")
                chosen = time.perf_counter()
                page.set_input_files('input[type="file"]', str(path))
                button = page.get_by_role("button", name="Import")
                button.wait_for(timeout=600_000)
                page.wait_for_function(
                    "!document.querySelector('[data-testid=stStatusWidget]')", timeout=600_000
                )
                checked = time.perf_counter()
                kept_checked = server.status("VmRSS")
                button.click()
                page.get_by_text("Import #").first.wait_for(timeout=600_000)
                imported = time.perf_counter()
                kept_imported = server.status("VmRSS")
                browser.close()
        finally:
            hwm = server.status("VmHWM") if server.proc.poll() is None else 0
            server.stop()
    return {
        "check_s": checked - chosen,
        "import_s": imported - checked,
        "idle_mb": idle / MB,
        "peak_check_mb": server.largest(chosen, checked) / MB,
        "peak_import_mb": server.largest(checked, imported) / MB,
        "hwm_mb": hwm / MB,
        "kept_checked_mb": kept_checked / MB,
        "kept_imported_mb": kept_imported / MB,
    }


def main(argv: list[str] | None = None) -> int:
    """Measure, print and append."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="the file to upload")
    parser.add_argument("--case", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: nothing measured", file=sys.stderr)
        return 2
    path = args.file
    if path is None:
        from ingest import ensure_workbook

        workbook, _generated = ensure_workbook(1_000_000, 20240)
        path = workbook if args.case == "xlsx" else csv_from_workbook(workbook)
    rows = []
    for run in range(args.repeat):
        load = os.getloadavg()[0]
        figures = one_upload(path)
        figures["load"] = load
        rows.append(figures)
        print(
            f"run {run + 1}: chosen -> checked {figures['check_s']:.2f} s, Import -> result "
            f"{figures['import_s']:.2f} s; server idle {figures['idle_mb']:.0f} MB, largest "
            f"while checking {figures['peak_check_mb']:.0f} MB, while importing "
            f"{figures['peak_import_mb']:.0f} MB, high-water mark {figures['hwm_mb']:.0f} MB; "
            f"kept once checked {figures['kept_checked_mb']:.0f} MB, once imported "
            f"{figures['kept_imported_mb']:.0f} MB (load {load:.1f})",
            flush=True,
        )
    if not args.no_append:
        append(path, rows)
    return 0


def append(path: Path, rows: list[dict[str, float]]) -> None:
    """Add a section with the runs to bench/RESULTS.md."""
    lines = [
        "",
        "## A file through the Upload page (bench/upload_page.py)",
        "",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {machine()}",
        code_line(ROOT),
        f"File: {path.name} ({path.stat().st_size / MB:.0f} MB), one browser user, empty database.",
        "",
        "| run | chosen -> checked s | Import -> result s | server idle MB | largest while "
        "checking MB | largest while importing MB | high-water mark MB | kept once checked MB "
        "| kept once imported MB | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(rows, 1):
        lines.append(
            f"| {i} | {r['check_s']:.2f} | {r['import_s']:.2f} | {r['idle_mb']:.0f} | "
            f"{r['peak_check_mb']:.0f} | {r['peak_import_mb']:.0f} | {r['hwm_mb']:.0f} | "
            f"{r['kept_checked_mb']:.0f} | {r['kept_imported_mb']:.0f} | {r['load']:.1f} |"
        )
    lines += [
        "",
        "MB = 2^20 bytes. Largest = the server's resident size sampled every 20 ms; the "
        "high-water mark (the kernel's VmHWM) also catches what falls between samples, the "
        "upload's arrival included.",
    ]
    with (ROOT / "bench" / "RESULTS.md").open("a") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
