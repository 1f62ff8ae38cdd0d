"""The import service: a file's bytes in, rows stored, with a report of what happened."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from kam_core.ingest import (
    ImportRefused,
    Layout,
    ParsedSheet,
    Workbook,
    apply_mapping,
    choose_sheet,
    parse_sheet,
    read_file,
)
from kam_core.ingest.memory import give_back
from kam_core.store.sales import ImportCounts, UploadInfo, import_rows, load_mapping


@dataclass
class Preview:
    """A read file with its detected (or remembered) layout, before anything is stored."""

    book: Workbook
    layout: Layout
    sha256: str
    remembered: bool = False
    notes: list[str] = field(default_factory=list)


def preview(
    conn: duckdb.DuckDBPyConnection | None,
    data: bytes,
    file_name: str,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Preview:
    """Read a file, pick its sheet and header, and map columns (remembered mapping first)."""
    book = read_file(data, file_name)
    return detect(conn, book, hashlib.sha256(data).hexdigest(), sheet, overrides)


def detect(
    conn: duckdb.DuckDBPyConnection | None,
    book: Workbook,
    sha256: str,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Preview:
    """Pick the sheet and header of a read file and map its columns (remembered mapping first)."""
    layout = choose_sheet(book, sheet)
    remembered = False
    if conn is not None and layout.header_index >= 0:
        saved = load_mapping(conn, layout.signature())
        if saved and all(c in layout.columns for c in saved.values()):
            cleared = {f: "" for f in layout.mapping}
            layout = apply_mapping(layout, {**cleared, **saved})
            remembered = True
    if overrides:
        layout = apply_mapping(layout, overrides)
    notes = list(book.notes)
    if remembered:
        notes.append("Column mapping taken from an earlier import with the same header.")
    return Preview(book, layout, sha256, remembered, notes)


def check_layout(pre: Preview) -> None:
    """Refuse a sheet whose required columns are not mapped, naming what is missing."""
    missing = pre.layout.missing_required()
    if missing:
        found = ", ".join(pre.layout.columns[:30]) or "none"
        raise ImportRefused(
            f"{pre.book.file_name}, sheet '{pre.layout.sheet}': no column recognised for "
            f"{', '.join(missing)}. Columns found (header row {pre.layout.header_row}): {found}. "
            "Map them by hand (command line: --map FIELD=COLUMN)."
        )


def parse(pre: Preview, monthfirst: bool | None = None) -> ParsedSheet:
    """Parse the previewed sheet with its mapping."""
    check_layout(pre)
    return parse_sheet(pre.book.sheet(pre.layout.sheet), pre.layout, monthfirst)


def store_parsed(
    conn: duckdb.DuckDBPyConnection,
    pre: Preview,
    parsed: ParsedSheet,
    all_or_nothing: bool = False,
    options: dict[str, object] | None = None,
) -> ImportCounts:
    """Store the parsed rows in one transaction and remember the mapping that was used."""
    rejected = len(parsed.rejected)
    if all_or_nothing and rejected:
        first = parsed.rejected.iloc[0]
        raise ImportRefused(
            f"{pre.book.file_name}: {rejected:,} row(s) rejected and all-or-nothing was asked, "
            f"so nothing was imported. First: sheet '{first['sheet']}', row {first['row']}, "
            f"{first['column']}: {first['reason']} ('{first['value']}')."
        )
    if parsed.rows.empty:
        detail = ""
        if rejected:
            first = parsed.rejected.iloc[0]
            detail = (
                f" All {rejected:,} data row(s) were rejected; first: row {first['row']}, "
                f"{first['column']}: {first['reason']} ('{first['value']}')."
            )
        raise ImportRefused(
            f"{pre.book.file_name}, sheet '{pre.layout.sheet}': no valid rows to import.{detail}"
        )
    info = UploadInfo(
        file_name=pre.book.file_name,
        sha256=pre.sha256,
        sheet=pre.layout.sheet,
        header_row=pre.layout.header_row,
        mapping=pre.layout.mapping_labels(),
        options=dict(options or {}),
        rows_read=parsed.rows_read,
        rows_rejected=rejected,
        rows_skipped=parsed.rows_skipped,
        header_signature=pre.layout.signature(),
        header=pre.layout.columns,
    )
    counts = import_rows(conn, parsed.rows, info)
    return counts


def import_file(
    conn: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    monthfirst: bool | None = None,
    all_or_nothing: bool = False,
    on_parsed: Callable[[ParsedSheet], None] | None = None,
) -> tuple[ImportCounts, ParsedSheet, Preview]:
    """Read, parse and store one file end to end; on_parsed sees the rows before storing."""
    pre = preview(conn, data, file_name, sheet, overrides)
    give_back()
    parsed = parse(pre, monthfirst)
    if on_parsed is not None:
        on_parsed(parsed)
    pre.book.release()  # the cell grid is not needed once rows are parsed
    give_back()
    options = {"monthfirst": monthfirst, "all_or_nothing": all_or_nothing}
    counts = store_parsed(conn, pre, parsed, all_or_nothing, options)
    return counts, parsed, pre


def rejected_workbook(rejected: pd.DataFrame) -> bytes:
    """Return the rejected rows as an .xlsx file, with formulas neutralised."""
    from kam_core.export import to_excel_bytes

    return to_excel_bytes({"Rejected rows": rejected})
