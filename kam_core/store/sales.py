"""Atomic, idempotent loads of sales rows, the import history and undo."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime

import duckdb
import pandas as pd

from kam_core.i18n import _
from kam_core.store.db import writing
from kam_core.store.identity import Matched, joined_notes, match_clients, remember_joins
from kam_core.store.overlap import DEFAULT_MONTH_SHARE, Overlap, mark_overlap, read_overlap
from kam_core.store.rollup import refresh_rollup
from kam_core.store.staging import SALES_COLUMNS, skip_staged, stage_rows


@dataclass
class UploadInfo:
    """What is recorded about one import besides its rows."""

    file_name: str
    sha256: str
    sheet: str | None = None
    header_row: int | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)
    rows_read: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    header_signature: str | None = None  # set: the mapping is remembered for this header
    header: list[str] = field(default_factory=list)


@dataclass
class ImportCounts:
    """The outcome of one import, as the command line and the Upload page report it."""

    upload_id: int
    rows_read: int
    rows_imported: int
    rows_duplicate: int
    rows_rejected: int
    rows_skipped: int
    clients: int
    revenue: float
    sheet: str | None
    mapping: dict[str, str]
    # Rows left out because they look like rows another upload stored (different columns or
    # rounding); with duplicates="keep" they are imported and this stays 0.
    rows_probable_duplicate: int = 0
    overlap: Overlap | None = field(default=None, repr=False, compare=False)
    # The file's client ids written as the id their client is stored under (identity.py).
    matched: Matched = field(default_factory=Matched, repr=False, compare=False)

    def as_dict(self) -> dict[str, object]:
        """Return the counts as a plain dict (for JSON)."""
        out = asdict(replace(self, overlap=None, matched=Matched()))
        del out["overlap"], out["matched"]
        out["clients_matched"] = self.matched.count
        return out


def find_overlap(
    conn: duckdb.DuckDBPyConnection, rows: pd.DataFrame, month_share: float = DEFAULT_MONTH_SHARE
) -> Overlap:
    """Before storing: the rows that look like rows another upload already stored."""
    cur = conn.cursor()
    try:
        rows, matched = match_clients(cur, rows)
        stage_rows(cur, rows)
        mark_overlap(cur, month_share, {*matched.by_sales.values(), *matched.by_alias.values()})
        overlap = read_overlap(cur)
        overlap.notes = joined_notes(matched)
        return overlap
    finally:
        cur.close()


def import_rows(
    conn: duckdb.DuckDBPyConnection,
    rows: pd.DataFrame,
    info: UploadInfo,
    duplicates: str = "keep",
    month_share: float = DEFAULT_MONTH_SHARE,
) -> ImportCounts:
    """Store new rows in one transaction; rows already stored are counted, not added again.

    Probable duplicates (rows another upload stored under a different content key) are
    looked for under the write lock, so the answer holds for what is stored at that moment;
    with duplicates="skip" they are left out, with "keep" they are stored.
    """
    if duplicates not in ("skip", "keep"):
        raise ValueError(f"duplicates must be 'skip' or 'keep', not {duplicates!r}")
    with writing(conn) as cur:
        # Keeping probable duplicates says the rows are not stored ones: no client is then
        # taken as a stored one for having its sales.
        rows, matched = match_clients(cur, rows, by_sales=duplicates == "skip")
        total = stage_rows(cur, rows)
        # A client joined by an earlier import is joined as one joined now.
        joined = {*matched.by_sales.values(), *matched.by_alias.values()}
        mark_overlap(cur, month_share, joined)
        overlap = read_overlap(cur)
        probable = 0
        if duplicates == "skip" and overlap.count:
            skip_staged(cur, "SELECT source_row FROM probable_duplicates")
            probable = overlap.count
            total -= probable
        upload_id = cur.execute("SELECT nextval('upload_id_seq')").fetchall()[0][0]
        # Into an empty store every client is new: the rollups are built whole, which is a
        # fifth faster than rebuilding them for a list of all the clients.
        first = not cur.execute("SELECT count(*) FROM (SELECT 1 FROM sales LIMIT 1)").fetchall()[0][
            0
        ]
        columns = ", ".join(SALES_COLUMNS)
        picked = ", ".join(f"s.{c}" for c in SALES_COLUMNS)
        # The key holds the order date, so only stored rows of the file's dates can share one.
        imported = cur.execute(
            f"INSERT INTO sales (row_key, upload_id, source_row, {columns}) "
            f"SELECT s.row_key, ?, s.source_row, {picked} FROM staged s ANTI JOIN ("
            "SELECT row_key FROM sales WHERE order_date BETWEEN "
            "(SELECT min(order_date) FROM staged) AND (SELECT max(order_date) FROM staged)"
            ") t ON t.row_key = s.row_key",
            [upload_id],
        ).fetchall()[0][0]
        cur.execute("INSERT INTO upload_rows SELECT ?, row_key FROM staged", [upload_id])
        remember_joins(cur, matched, int(upload_id))
        clients, revenue = cur.execute(
            "SELECT count(DISTINCT client_id), coalesce(sum(revenue), 0) FROM sales "
            "WHERE upload_id = ?",
            [upload_id],
        ).fetchall()[0]
        counts = ImportCounts(
            upload_id=int(upload_id),
            rows_read=info.rows_read,
            rows_imported=int(imported),
            rows_duplicate=total - int(imported),
            rows_rejected=info.rows_rejected,
            rows_skipped=info.rows_skipped,
            clients=int(clients),
            revenue=round(float(revenue), 2),
            sheet=info.sheet,
            mapping=info.mapping,
            rows_probable_duplicate=probable,
            overlap=overlap,
            matched=matched,
        )
        _record_upload(cur, counts, info)
        if info.header_signature:
            _remember_mapping(cur, info.header_signature, info.header, info.mapping)
        if first:
            refresh_rollup(cur)
        else:
            cur.execute(
                "CREATE OR REPLACE TEMP TABLE affected_clients AS "
                "SELECT DISTINCT client_id FROM sales WHERE upload_id = ?",
                [upload_id],
            )
            refresh_rollup(cur, "affected_clients")
    return counts


def _record_upload(cur: duckdb.DuckDBPyConnection, counts: ImportCounts, info: UploadInfo) -> None:
    cur.execute(
        """INSERT INTO uploads (upload_id, file_name, sha256, sheet, header_row, mapping, options,
               rows_read, rows_imported, rows_duplicate, rows_rejected, rows_skipped, clients,
               revenue, imported_at, rows_probable_duplicate)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            counts.upload_id,
            info.file_name,
            info.sha256,
            info.sheet,
            info.header_row,
            json.dumps(info.mapping, ensure_ascii=False),
            json.dumps(info.options, ensure_ascii=False, default=str),
            counts.rows_read,
            counts.rows_imported,
            counts.rows_duplicate,
            counts.rows_rejected,
            counts.rows_skipped,
            counts.clients,
            counts.revenue,
            _now(),
            counts.rows_probable_duplicate,
        ],
    )


def _now() -> datetime:
    """The current time in UTC, as DuckDB's TIMESTAMP stores it (naive)."""
    return datetime.now(UTC).replace(tzinfo=None)


class UndoError(ValueError):
    """The import cannot be undone (unknown, or undone already)."""


def undo_upload(conn: duckdb.DuckDBPyConnection, upload_id: int) -> int:
    """Remove an import's rows atomically, keeping rows that a live import also holds."""
    with writing(conn) as cur:
        rows = cur.execute(
            "SELECT undone_at FROM uploads WHERE upload_id = ?", [upload_id]
        ).fetchall()
        row = rows[0] if rows else None
        if row is None:
            raise UndoError(_("There is no import number {number}.").format(number=upload_id))
        if row[0] is not None:
            raise UndoError(
                _("Import {number} was already undone on {when}.").format(
                    number=upload_id, when=f"{row[0]:%Y-%m-%d %H:%M}"
                )
            )
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE affected_clients AS "
            "SELECT DISTINCT client_id FROM sales WHERE upload_id = ?",
            [upload_id],
        )
        cur.execute("DELETE FROM upload_rows WHERE upload_id = ?", [upload_id])
        cur.execute("DELETE FROM client_aliases WHERE upload_id = ?", [upload_id])
        removed = cur.execute(
            """DELETE FROM sales WHERE upload_id = ?
               AND row_key NOT IN (SELECT row_key FROM upload_rows)""",
            [upload_id],
        ).fetchall()[0][0]
        # Rows another live import also holds stay, now owned by the earliest such import.
        cur.execute(
            """UPDATE sales SET upload_id = (
                   SELECT min(r.upload_id) FROM upload_rows r WHERE r.row_key = sales.row_key)
               WHERE upload_id = ?""",
            [upload_id],
        )
        cur.execute(
            "UPDATE uploads SET undone_at = ? WHERE upload_id = ?",
            [_now(), upload_id],
        )
        refresh_rollup(cur, "affected_clients")
    return int(removed)


def list_uploads(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the import history, newest first."""
    cur = conn.cursor()
    try:
        return cur.execute(
            """SELECT upload_id, file_name, sheet, rows_read, rows_imported, rows_duplicate,
                      rows_probable_duplicate, rows_rejected, rows_skipped, clients, revenue,
                      imported_at, undone_at, sha256, mapping
               FROM uploads ORDER BY upload_id DESC"""
        ).df()
    finally:
        cur.close()


def sales_count(conn: duckdb.DuckDBPyConnection) -> int:
    """Return the number of stored sales rows."""
    cur = conn.cursor()
    try:
        return int(cur.execute("SELECT count(*) FROM sales").fetchall()[0][0])
    finally:
        cur.close()


def _remember_mapping(
    cur: duckdb.DuckDBPyConnection, signature: str, header: list[str], mapping: dict[str, str]
) -> None:
    cur.execute(
        "INSERT OR REPLACE INTO mappings VALUES (?, ?, ?, ?)",
        [
            signature,
            json.dumps(header, ensure_ascii=False),
            json.dumps(mapping, ensure_ascii=False),
            _now(),
        ],
    )


def save_mapping(
    conn: duckdb.DuckDBPyConnection, signature: str, header: list[str], mapping: dict[str, str]
) -> None:
    """Remember a confirmed mapping for workbooks with the same header."""
    with writing(conn) as cur:
        _remember_mapping(cur, signature, header, mapping)


def load_mapping(conn: duckdb.DuckDBPyConnection, signature: str) -> dict[str, str] | None:
    """Return the mapping confirmed earlier for this header, if any."""
    cur = conn.cursor()
    try:
        rows = cur.execute(
            "SELECT mapping FROM mappings WHERE signature = ?", [signature]
        ).fetchall()
    finally:
        cur.close()
    return json.loads(rows[0][0]) if rows else None
