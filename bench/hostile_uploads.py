"""Benchmark: the hostile corpus through the command line and the Upload page while others read.

Usage: .venv/bin/python bench/hostile_uploads.py [--users 3] [--think 1.0] [--idle 20]
       [--cli-every 1] [--browser-every 4] [--match TEXT] [--only NAME,...] [--no-append]

Writes the hostile corpus (tests/hostile/make_corpus.py: every file with the outcome it must
have) into /tmp/kam-bench-hostile/, fills a database with the demo dataset and serves it with
`streamlit run app.py`. K users of bench/sessions.py's websocket client (--users) visit the
chart pages and a dossier in turn for the whole run, --think seconds apart. Then:
- idle: --idle seconds with no upload, the others' visits as the reference;
- command line: every --cli-every-th file imported by `python -m kam_core import --json` into a
  database holding two baseline rows (a fresh copy per file), timed, with the peak resident
  memory of the command and its reading worker together (sampled every 20 ms);
- browser: every --browser-every-th file chosen on the Upload page in headless Chromium
  (/usr/bin/chromium), Import pressed when the page offers it, until the page is idle; timed,
  with the server's largest resident size meanwhile and its health after each file.
Each file's outcome is held against the corpus: on the command line, refused with the expected
words or the expected rows imported; on the page, an error (or the columns asked for) shown
for a file to refuse, the import's result for a file to import.
Prints a line per file and a summary (the others' visits per phase: median, p95, the slowest,
failures), and appends the summary to bench/RESULTS.md unless --no-append.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench_common import machine  # beside this script
from concurrency import ROOT, code_line, p95, start_server
from sessions import Background, Visit

WORK = Path("/tmp/kam-bench-hostile")
CHROMIUM = "/usr/bin/chromium"
MB = 1024 * 1024
BASELINE = b"Order Date,Customer,Amount\n2023-12-01,Baseline One,10\n2023-12-02,Baseline Two,20\n"
FILE_TIMEOUT_S = 180.0
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Outcome:
    """One file through one path: how long, how much memory, what the user was told."""

    name: str
    path: str  # "cli" or "browser"
    seconds: float
    peak_mb: float
    expected: bool
    told: str  # the message, or the rows imported
    exit_code: int | None = None
    server_alive: bool = True
    others_slowest: float | None = None


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    """The resident memory of a process and all its descendants together."""
    kids, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss(current)
        todo.extend(kids.get(current, []))
    return total


class Sampler:
    """The largest resident size of a process (with its descendants) between two moments."""

    def __init__(self, pid: int, tree: bool) -> None:
        self.pid, self.tree = pid, tree
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            size = tree_rss(self.pid) if self.tree else _rss(self.pid)
            self.samples.append((time.perf_counter(), size))
            time.sleep(0.02)

    def largest(self, start: float, end: float) -> int:
        """The largest size sampled between start and end (perf_counter)."""
        return max((s for t, s in self.samples if start <= t <= end), default=0)

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        self._thread.join(timeout=5)


def expected(case, refused: str | None, rows: int | None) -> bool:
    """Whether what happened is what the corpus asks of the file."""
    if case.refused:
        return refused is not None and case.refused.lower() in refused.lower()
    return refused is None and rows == case.rows


def run_cli(case, path: Path, baseline_db: Path) -> Outcome:
    """Import one file from the command line into a copy of the baseline database."""
    db = WORK / "cli.duckdb"
    for leftover in (db, db.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    shutil.copy(baseline_db, db)
    args = [sys.executable, "-m", "kam_core", "--db", str(db), "import", "--json", str(path)]
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = Sampler(proc.pid, tree=True)
    try:
        out, err = proc.communicate(timeout=FILE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.stop()
    peak = max((s for _, s in sampler.samples), default=0)
    refused, rows, told = None, None, ""
    try:
        answer = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
    except json.JSONDecodeError:
        answer = {}
    if "error" in answer:
        refused = told = str(answer["error"])
    elif "rows_imported" in answer:
        rows = int(answer["rows_imported"])
        told = f"{rows} rows imported, {answer.get('rows_rejected', 0)} rejected"
    else:
        told = (err.strip().splitlines() or ["(nothing printed)"])[-1]
    ok = expected(case, refused, rows) and proc.returncode in (0, 2)
    return Outcome(case.name, "cli", seconds, peak / MB, ok, told, proc.returncode)


UPLOAD_IDLE_JS = """() => {
  if (document.querySelector('[data-testid=stStatusWidget]')) return false;
  if (/Import #\\d+/.test(document.body.innerText)) return true;
  if (document.querySelector('[data-testid=stAlertContentError]')) return true;
  if (document.querySelector('[data-testid=stAlertContentWarning]')) return true;
  return [...document.querySelectorAll('button')].some((b) => b.innerText.trim() === 'Import');
}"""


def run_browser(case, path: Path, tab, base: str, server: Sampler, others: Background) -> Outcome:
    """Choose one file on the Upload page, press Import when offered, wait for the answer."""
    tab.goto(f"{base}/upload", wait_until="commit")
    tab.get_by_text("Upload sales data").first.wait_for(timeout=120_000)
    tab.wait_for_function(
        "!document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000
    )
    began, start = time.time(), time.perf_counter()
    tab.locator("input[type=file]").set_input_files(str(path))
    timeout = FILE_TIMEOUT_S * 1000
    tab.wait_for_timeout(300)  # the upload reaches the server and its run starts
    tab.wait_for_function(UPLOAD_IDLE_JS, timeout=timeout, polling=100)
    # The running indicator shows only after a moment: a note drawn early in a run looks like
    # the end of it. The answer holds once it still holds a second later.
    tab.wait_for_timeout(1000)
    tab.wait_for_function(UPLOAD_IDLE_JS, timeout=timeout, polling=100)
    button = tab.get_by_role("button", name="Import", exact=True)
    # A file with rejected rows shows its warning above the rows and the Import button below
    # them, drawn a moment later: give the button that moment before reading a refusal.
    with contextlib.suppress(Exception):  # no button: refused, or the columns asked for
        button.first.wait_for(timeout=5000)
    imported = None
    if button.count() and button.first.is_enabled():
        button.first.click()
        message = tab.get_by_text("Import #").first
        try:
            message.wait_for(timeout=timeout)
            imported = message.inner_text()
        except Exception:  # an error instead: read below
            pass
        tab.wait_for_function(
            "!document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout
        )
    seconds = time.perf_counter() - start
    alerts = [a.inner_text() for a in tab.locator("[data-testid=stAlert]").all()]
    alive = _healthy(base)
    slowest = [v.seconds for v in others.between(began, time.time()) if v.seconds]
    if imported is not None:
        told, ok = imported.splitlines()[0], not case.refused
    else:
        told = next((a for a in alerts if case.refused and case.refused.lower() in a.lower()), "")
        told = told or (alerts[0] if alerts else "(no message)")
        # The page may word a refusal its own way ("no row can be imported" where the
        # command line says "no valid rows"): refused with an error shown is the outcome.
        # A file whose columns were not recognised is not refused outright: the page asks for
        # the columns (a warning) and imports nothing until they are chosen.
        errors = tab.locator("[data-testid=stAlertContentError]").count()
        errors += tab.locator("[data-testid=stAlertContentWarning]").count()
        ok = bool(case.refused) and errors > 0
    peak = server.largest(start, time.perf_counter())
    return Outcome(
        case.name,
        "browser",
        seconds,
        peak / MB,
        ok,
        " ".join(told.split())[:160],
        server_alive=alive,
        others_slowest=max(slowest, default=None),
    )


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as reply:
            return reply.status == 200
    except OSError:
        return False


def phase_figures(visits: list[Visit]) -> dict[str, float]:
    """The others' visits of one phase: how many, failed, median, p95, slowest."""
    timed = [v.seconds for v in visits if v.seconds and not v.errors]
    return {
        "visits": len(visits),
        "failed": sum(1 for v in visits if v.errors or not v.seconds),
        "median": statistics.median(timed) if timed else 0.0,
        "p95": p95(timed) if timed else 0.0,
        "slowest": max(timed, default=0.0),
    }


def _demo_db(path: Path) -> str:
    """A database with the demo dataset; one of its clients, for the others' dossier visits."""
    for leftover in (path, path.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "kam_core", "--db", str(path), "demo"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    import duckdb

    conn = duckdb.connect(str(path), read_only=True)
    try:
        return conn.execute("SELECT min(client_id) FROM sales").fetchall()[0][0]
    finally:
        conn.close()


def _baseline_db(path: Path) -> None:
    source = WORK / "baseline.csv"
    source.write_bytes(BASELINE)
    for leftover in (path, path.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "kam_core", "--db", str(path), "import", str(source)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    """Measure, print and append."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=3, help="other users reading pages")
    parser.add_argument("--think", type=float, default=1.0, help="their seconds between visits")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of reference")
    parser.add_argument("--cli-every", type=int, default=1, help="0: no command-line imports")
    parser.add_argument("--browser-every", type=int, default=4, help="0: no browser uploads")
    parser.add_argument("--match", default="", help="only files whose name holds this")
    parser.add_argument("--only", default="", help="only these files (names, comma-separated)")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.hostile.make_corpus import write_corpus

    WORK.mkdir(parents=True, exist_ok=True)
    corpus = [(c, p) for c, p in write_corpus(WORK / "files") if args.match in c.name]
    if args.only:
        corpus = [(c, p) for c, p in corpus if c.name in args.only.split(",")]
    cli_files = corpus[:: args.cli_every] if args.cli_every else []
    browser_files = corpus[:: args.browser_every] if args.browser_every else []
    if browser_files and not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: no browser uploads", file=sys.stderr)
        browser_files = []
    client = _demo_db(WORK / "server.duckdb")
    _baseline_db(WORK / "baseline.duckdb")
    proc, base = start_server(ROOT, WORK / "server.duckdb", WORK / "server.log")
    server = Sampler(proc.pid, tree=False)
    others = Background(base, client, args.users, "link", args.think)
    phases: dict[str, tuple[float, float]] = {}
    outcomes: list[Outcome] = []
    load = os.getloadavg()[0]
    try:
        others.start()
        began = time.time()
        time.sleep(args.idle)
        phases["idle"] = (began, time.time())
        if cli_files:
            began = time.time()
            for case, path in cli_files:
                outcome = run_cli(case, path, WORK / "baseline.duckdb")
                outcomes.append(outcome)
                _print(outcome)
            phases["command line"] = (began, time.time())
        if browser_files:
            from playwright.sync_api import sync_playwright

            began = time.time()
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
                )
                tab = browser.new_page(viewport={"width": 1400, "height": 3000})
                for case, path in browser_files:
                    try:
                        outcome = run_browser(case, path, tab, base, server, others)
                    except Exception as exc:  # a page that never answered is an outcome too
                        outcome = Outcome(
                            case.name,
                            "browser",
                            FILE_TIMEOUT_S,
                            0.0,
                            False,
                            f"no answer: {type(exc).__name__}",
                            server_alive=_healthy(base),
                        )
                        tab = browser.new_page(viewport={"width": 1400, "height": 3000})
                    outcomes.append(outcome)
                    _print(outcome)
                browser.close()
            phases["browser"] = (began, time.time())
    finally:
        others.stop()
        server.stop()
        server_hwm = _hwm(proc.pid)
        proc.terminate()
        proc.wait(timeout=30)
    figures = {name: phase_figures(others.between(*span)) for name, span in phases.items()}
    lines = summary(outcomes, figures, args, len(corpus), server_hwm, load)
    print("\n".join(lines))
    if not args.no_append:
        with (ROOT / "bench" / "RESULTS.md").open("a") as fh:
            fh.write("\n".join(["", *lines]) + "\n")
    return 0


def _hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _print(o: Outcome) -> None:
    mark = "ok " if o.expected else "NOT"
    extra = "" if o.server_alive else " SERVER DOWN"
    print(f"{mark} {o.path:7} {o.seconds:6.2f} s {o.peak_mb:6.0f} MB  {o.name}: {o.told}{extra}")


def summary(
    outcomes: list[Outcome],
    figures: dict[str, dict[str, float]],
    args: argparse.Namespace,
    corpus: int,
    server_hwm: int,
    load: float,
) -> list[str]:
    """The section for bench/RESULTS.md."""
    lines = [
        "## The hostile corpus while others read pages (bench/hostile_uploads.py)",
        "",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {machine()}",
        code_line(ROOT),
        f"Corpus: {corpus} files; {args.users} other users reading pages by link, "
        f"{args.think:g} s apart (0.5x-1.5x); 1-min load average {load:.1f} at start.",
        "",
        "| path | files | as expected | median s | p95 s | slowest s (file) | "
        "peak MB median / largest (file) | server down |",
        "|---|---:|---:|---:|---:|---|---|---:|",
    ]
    for path in ("cli", "browser"):
        mine = [o for o in outcomes if o.path == path]
        if not mine:
            continue
        secs = [o.seconds for o in mine]
        slow = max(mine, key=lambda o: o.seconds)
        big = max(mine, key=lambda o: o.peak_mb)
        lines.append(
            f"| {'command line' if path == 'cli' else 'Upload page'} | {len(mine)} | "
            f"{sum(o.expected for o in mine)} | {statistics.median(secs):.2f} | "
            f"{p95(secs):.2f} | {slow.seconds:.2f} ({slow.name}) | "
            f"{statistics.median(o.peak_mb for o in mine):.0f} / {big.peak_mb:.0f} "
            f"({big.name}) | {sum(not o.server_alive for o in mine)} |"
        )
    lines += [
        "",
        "| while | others' visits | failed | median s | p95 s | slowest s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, f in figures.items():
        lines.append(
            f"| {name} | {f['visits']:.0f} | {f['failed']:.0f} | {f['median']:.2f} | "
            f"{f['p95']:.2f} | {f['slowest']:.2f} |"
        )
    wrong = [o for o in outcomes if not o.expected]
    lines += [
        "",
        f"Server high-water mark over the run (VmHWM): {server_hwm / MB:.0f} MB. Command-line "
        "peak = the command and its reading worker together; Upload page peak = the server "
        "process (the worker reads apart from it).",
        "Not as the corpus expects: "
        + ("none." if not wrong else "; ".join(f"{o.path} {o.name}: {o.told}" for o in wrong)),
    ]
    return lines


if __name__ == "__main__":
    sys.exit(main())
