"""The import service: a file's bytes in, rows stored, with a report of what happened."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from kam_core.i18n import NP_, _, fmt_number, ngettext, pgettext
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
from kam_core.ingest.errors import named
from kam_core.ingest.fields import DATE_FIELDS
from kam_core.ingest.mapping_refusal import missing_columns_message
from kam_core.ingest.memory import give_back
from kam_core.store.overlap import DEFAULT_MONTH_SHARE, RULES, Overlap, month_reconciliation
from kam_core.store.sales import (
    ImportCounts,
    UploadInfo,
    find_overlap,
    import_rows,
    load_mapping,
)
from kam_core.store.settings import read_settings
from kam_core.vocabulary import DATE_FORMAT

DUPLICATES = ("skip", "keep")
# The share of a month's rows that must be stored already before rows matching only on
# client, date and amount count as the same orders (stored setting; 0.8 by default).
MONTH_SHARE_SETTING = "duplicate_month_share"


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
        notes.append(_("Column mapping taken from an earlier import with the same header."))
    return Preview(book, layout, sha256, remembered, notes)


def check_layout(pre: Preview) -> None:
    """Refuse a sheet whose required columns are not mapped, naming what is missing."""
    missing = pre.layout.missing_required()
    if missing:
        raise ImportRefused(missing_columns_message(pre.book.file_name, pre.layout, missing))


def parse(pre: Preview, monthfirst: bool | None = None) -> ParsedSheet:
    """Parse the previewed sheet with its mapping."""
    check_layout(pre)
    return parse_sheet(pre.book.sheet(pre.layout.sheet), pre.layout, monthfirst)


def month_share(conn: duckdb.DuckDBPyConnection) -> float:
    """The stored share of a month that makes amount-only matches probable duplicates."""
    value = read_settings(conn).get(MONTH_SHARE_SETTING)
    if isinstance(value, int | float) and 0 < value <= 1:
        return float(value)
    return DEFAULT_MONTH_SHARE


def check_duplicates(conn: duckdb.DuckDBPyConnection, parsed: ParsedSheet) -> Overlap:
    """Before storing: the parsed rows that look like rows another upload already stored."""
    if parsed.rows.empty:
        return Overlap(0, pd.DataFrame(columns=["source_row", "upload_id", "rule"]))
    return find_overlap(conn, parsed.rows, month_share(conn))


def describe_overlap(overlap: Overlap) -> str:
    """One sentence on the probable duplicates: how many, which uploads, which rule."""
    if not overlap.count:
        return ""
    uploads: dict[int, str] = {}
    for m in overlap.matches:
        uploads.setdefault(
            m.upload_id,
            _("{file}, uploaded {date}").format(
                file=named(m.file_name), date=f"{m.imported_at:{DATE_FORMAT}}"
            ),
        )
    if len(uploads) > 1:
        names = "; ".join(
            _("{upload} (import {number})").format(upload=text, number=uid)
            for uid, text in uploads.items()
        )
    else:
        names = next(iter(uploads.values()))
    counts: dict[str, int] = {}
    for m in overlap.matches:
        counts[m.rule] = counts.get(m.rule, 0) + m.rows
    if len(counts) == 1:
        rules = _(RULES[next(iter(counts))])
    else:
        rules = "; ".join(f"{_(RULES[r])} ({fmt_number(n)})" for r, n in counts.items())
    return ngettext(
        "{count} of {total} row looks like a row already stored from {uploads}: {rules}",
        "{count} of {total} rows look like rows already stored from {uploads}: {rules}",
        overlap.total,
    ).format(
        count=fmt_number(overlap.count),
        total=fmt_number(overlap.total),
        uploads=names,
        rules=rules,
    )


def duplicate_reasons(overlap: Overlap) -> dict[int, str]:
    """The rejected-rows reason of each probable duplicate, by source row."""
    uploads = {m.upload_id: m for m in overlap.matches}
    reasons: dict[int, str] = {}
    for row, upload_id in zip(overlap.rows["source_row"], overlap.rows["upload_id"], strict=True):
        m = uploads[int(upload_id)]
        reasons[int(row)] = _(
            "probable duplicate of {file} (import {number}, uploaded {date})"
        ).format(file=named(m.file_name), number=m.upload_id, date=f"{m.imported_at:{DATE_FORMAT}}")
    return reasons


def _skipped_rows(pre: Preview, parsed: ParsedSheet, overlap: Overlap) -> pd.DataFrame:
    """Skipped probable duplicates as rejected rows: reason, and the values under their columns."""
    reasons = duplicate_reasons(overlap)
    rows = parsed.rows[parsed.rows["source_row"].isin(list(reasons))]
    labels = pre.layout.mapping_labels()
    out = pd.DataFrame(
        {
            "sheet": pre.layout.sheet,
            "row": rows["source_row"].astype("int64").to_numpy(),
            "column": _("row"),
            "value": "",
            "reason": [reasons[int(r)] for r in rows["source_row"]],
        }
    )
    for fld, label in labels.items():
        if fld in rows and label not in out.columns:
            values = rows[fld]
            if fld in DATE_FIELDS:
                values = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
            out[label] = values.to_numpy()
    return out


def store_parsed(
    conn: duckdb.DuckDBPyConnection,
    pre: Preview,
    parsed: ParsedSheet,
    all_or_nothing: bool = False,
    options: dict[str, object] | None = None,
    duplicates: str = "skip",
) -> ImportCounts:
    """Store the parsed rows in one transaction and remember the mapping that was used.

    Probable duplicates of another upload's rows are left out with duplicates="skip" (then
    added to parsed.rejected with their reason) or stored with "keep".
    """
    if duplicates not in DUPLICATES:
        raise ImportRefused(
            _("Duplicates must be 'skip' or 'keep', not '{value}'.").format(value=duplicates)
        )
    rejected = len(parsed.rejected)
    if all_or_nothing and rejected:
        first = parsed.rejected.iloc[0]
        raise ImportRefused(
            _(
                "{file}: {count} row(s) rejected and all-or-nothing was asked, so nothing was "
                "imported. First: sheet '{sheet}', row {row}, {column}: {reason} ('{value}')."
            ).format(
                file=named(pre.book.file_name),
                count=fmt_number(rejected),
                sheet=named(first["sheet"]),
                row=first["row"],
                column=first["column"],
                reason=first["reason"],
                value=first["value"],
            )
        )
    if parsed.rows.empty:
        detail = ""
        if rejected:
            first = parsed.rejected.iloc[0]
            detail = " " + _(
                "All {count} data row(s) were rejected; first: row {row}, {column}: {reason} "
                "('{value}')."
            ).format(
                count=fmt_number(rejected),
                row=first["row"],
                column=first["column"],
                reason=first["reason"],
                value=first["value"],
            )
        raise ImportRefused(
            _("{file}, sheet '{sheet}': no valid rows to import.").format(
                file=named(pre.book.file_name), sheet=named(pre.layout.sheet)
            )
            + detail
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
    counts = import_rows(conn, parsed.rows, info, duplicates, month_share(conn))
    if counts.rows_probable_duplicate and counts.overlap is not None:
        skipped = _skipped_rows(pre, parsed, counts.overlap)
        parsed.rejected = pd.concat([parsed.rejected, skipped], ignore_index=True)
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
    duplicates: str = "skip",
) -> tuple[ImportCounts, ParsedSheet, Preview]:
    """Read, parse and store one file end to end; on_parsed sees the rows before storing.

    duplicates: "skip" leaves out rows that look like another upload's rows (listed in
    parsed.rejected with the upload they match), "keep" stores them.
    """
    pre = preview(conn, data, file_name, sheet, overrides)
    give_back()
    parsed = parse(pre, monthfirst)
    if on_parsed is not None:
        on_parsed(parsed)
    pre.book.release()  # the cell grid is not needed once rows are parsed
    give_back()
    options = {"monthfirst": monthfirst, "all_or_nothing": all_or_nothing, "duplicates": duplicates}
    counts = store_parsed(conn, pre, parsed, all_or_nothing, options, duplicates)
    return counts, parsed, pre


def reconcile(conn: duckdb.DuckDBPyConnection, parsed: ParsedSheet) -> pd.DataFrame:
    """After an import: revenue per month in the file against revenue now stored for it."""
    return month_reconciliation(conn, parsed.rows)


# The report's own columns, named in the current language in the workbook.
REJECTED_HEADERS = {
    "sheet": NP_("rejected rows", "sheet"),
    "row": NP_("rejected rows", "row"),
    "column": NP_("rejected rows", "column"),
    "value": NP_("rejected rows", "value"),
    "reason": NP_("rejected rows", "reason"),
}


def rejected_workbook(rejected: pd.DataFrame) -> bytes:
    """Return the rejected rows as an .xlsx file, with formulas neutralised.

    The report's own headers and the sheet name are in the current language (right to left in
    Hebrew); the file's columns keep their names.
    """
    from kam_core.export import to_excel_bytes

    names = {
        c: pgettext("rejected rows", label)
        for c, label in REJECTED_HEADERS.items()
        if c in rejected.columns
    }
    return to_excel_bytes({_("Rejected rows"): rejected.rename(columns=names)})
