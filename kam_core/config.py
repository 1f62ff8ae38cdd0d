"""Settings with defaults: database path, import bounds and domain thresholds."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "kam.duckdb"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"


def db_path() -> Path:
    """Return the database path: $KAM_DB when set, else data/kam.duckdb."""
    env = os.environ.get("KAM_DB", "").strip()
    return Path(env).expanduser() if env else DEFAULT_DB_PATH


@dataclass(frozen=True)
class ImportLimits:
    """Bounds on uploaded files; anything larger is refused before parsing."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_unzipped_bytes: int = 1024 * 1024 * 1024
    max_rows: int = 5_000_000
    max_columns: int = 1_000
    max_cell_chars: int = 32_767  # Excel's own cell limit
    # The workbook reader allocates a sheet's whole used range (rows x columns) at once.
    max_cells: int = 50_000_000
    # Text the cells of a workbook fill from its shared strings: one long string referenced by
    # many cells multiplies in the reader's memory.
    max_text_chars: int = 400_000_000
    # Every upload is read in a worker process with this much address space and CPU time (a
    # worker starved by a busy server may run up to 4x as long on the clock).
    max_read_bytes: int = 2 * 1024**3
    max_read_seconds: float = 60.0
    # Workers reading at once in this process (others wait their turn): each may take
    # max_read_bytes, so a burst of small hostile files cannot add up past this many ceilings.
    max_concurrent_reads: int = 3
    # A workbook this large is scanned and read side by side in two processes (beside.py);
    # a smaller one is scanned first.
    read_beside_bytes: int = 4 * 1024 * 1024
    # Values: amounts (revenue, profit, quantity) per line, and how far ahead an order may be.
    max_amount: float = 1e12
    future_grace_days: int = 1
    # Text stored per value (a name, id, product, manager): longer is no name but, say, a notes
    # column mapped by mistake, and thousands of such values cost the server gigabytes.
    max_value_chars: int = 255
    # Master data (profiles, contacts, tenders...) per sheet: rows, and the text of the columns
    # read (15,000 profiles of 30,000 characters each took the server 2.9 GB).
    max_master_rows: int = 100_000
    max_master_text_bytes: int = 64 * 1024**2
    # The database's working memory (DuckDB's memory_limit, 80% of the machine by default):
    # queries and imports of every user share it, and spill to disk beyond it.
    db_memory_bytes: int = 1024**3


@dataclass(frozen=True)
class Thresholds:
    """Domain thresholds from docs/DOMAIN.md with their defaults."""

    months: int = 12
    abc_a: float = 0.80
    abc_b: float = 0.95
    xyz_stability_x: float = 0.5
    xyz_stability_y: float = 1.0
    xyz_frequency_x: float = 0.75
    xyz_frequency_y: float = 0.33
    key_share_low: float = 0.30
    key_share_high: float = 0.55
    breadwinner_share: float = 0.10
    breadwinner_months: int = 12
    prospect_days: int = 183
    prospect_top_share: float = 0.20
    churn_new_days: int = 90
    churn_risk_days: int = 60
    churn_risk_gaps: float = 1.5
    churn_lost_days: int = 180
    churn_lost_gaps: float = 3.0
    expert_return_share: float = 0.05


@dataclass(frozen=True)
class Settings:
    """All settings, read once."""

    limits: ImportLimits = field(default_factory=lambda: limits_from_env())
    thresholds: Thresholds = field(default_factory=Thresholds)


# Environment variables that size the reading worker for the machine the app runs on.
LIMIT_VARIABLES: dict[str, tuple[str, float]] = {
    "KAM_READ_MEMORY_MB": ("max_read_bytes", 1024**2),
    "KAM_READ_SECONDS": ("max_read_seconds", 1.0),
    "KAM_MAX_READS": ("max_concurrent_reads", 1),
    "KAM_MAX_UPLOAD_MB": ("max_file_bytes", 1024**2),
    "KAM_DB_MEMORY_MB": ("db_memory_bytes", 1024**2),
}


def limits_from_env(environ: dict[str, str] | None = None) -> ImportLimits:
    """The import bounds, with the worker's memory and time and the upload size from the
    environment where set (a positive number; anything else is refused at start)."""
    environ = dict(os.environ if environ is None else environ)
    changes: dict[str, float | int] = {}
    for name, (attr, unit) in LIMIT_VARIABLES.items():
        text = environ.get(name, "").strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{name} must be a number, not {text!r}") from None
        if not value > 0 or value != value or value == float("inf"):
            raise ValueError(f"{name} must be a positive number, not {text!r}")
        default = getattr(ImportLimits, attr)
        changes[attr] = type(default)(value * unit)
    return ImportLimits(**changes)


SETTINGS = Settings()
