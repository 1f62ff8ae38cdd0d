"""What an import reports besides its counts: probable duplicates, in words and as rejected rows,
and the rejected rows as a workbook."""

from __future__ import annotations

import pandas as pd

from kam_core.i18n import NP_, _, fmt_date, fmt_number, ngettext, pgettext
from kam_core.ingest import ParsedSheet
from kam_core.ingest.errors import named
from kam_core.ingest.fields import DATE_FIELDS
from kam_core.ingest.header import Layout
from kam_core.store.identity import matched_notes
from kam_core.store.overlap import AMENDED_DAY_RULE, AMENDED_RULE, RULES, Overlap
from kam_core.store.sales import ImportCounts


def _count(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n).format(count=fmt_number(n))


def result_text(counts: ImportCounts, revenue: str) -> str:
    """The one-line result of an import, in the singular where a count is one."""
    text = _(
        "Import #{upload}: {new}, {stored}, {rejected}, {skipped}; {clients}, revenue {revenue}."
    ).format(
        upload=counts.upload_id,
        new=_count("{count} new row", "{count} new rows", counts.rows_imported),
        stored=_count("{count} already stored", "{count} already stored", counts.rows_duplicate),
        rejected=_count("{count} rejected", "{count} rejected", counts.rows_rejected),
        skipped=_count("{count} skipped", "{count} skipped", counts.rows_skipped),
        clients=_count("{count} client", "{count} clients", counts.clients),
        revenue=revenue,
    )
    if counts.rows_probable_duplicate:
        text += " " + _count(
            "{count} probable duplicate skipped.",
            "{count} probable duplicates skipped.",
            counts.rows_probable_duplicate,
        )
    return " ".join([text, *matched_notes(counts.matched)])


def describe_overlap(overlap: Overlap) -> str:
    """One sentence on the probable duplicates: how many, which uploads, which rule."""
    if not overlap.count:
        return ""
    uploads: dict[int, str] = {}
    for m in overlap.matches:
        uploads.setdefault(
            m.upload_id,
            _("{file}, uploaded {date}").format(
                file=named(m.file_name), date=fmt_date(m.imported_at)
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


def describe_amended(overlap: Overlap) -> str:
    """What to do when lines of the file look like stored lines with their amounts corrected."""
    return " ".join(text for text in (_amended_orders(overlap), _amended_days(overlap)) if text)


def _amended_orders(overlap: Overlap) -> str:
    """The corrected lines of orders with a number."""
    if overlap.amended is None:
        return ""
    count = sum(m.rows for m in overlap.matches if m.rule == AMENDED_RULE)
    order, stored, amount, upload = overlap.amended
    return ngettext(
        "{count} line has the order, client and date of a stored line but another amount "
        "(such as order '{order}': {stored} stored, {amount} in this file). Skipped, the "
        "stored amount counts; kept, both count. If this file corrects the earlier one, undo "
        "import {number} in the import history and import this file again.",
        "{count} lines have the order, client and date of stored lines but other amounts "
        "(such as order '{order}': {stored} stored, {amount} in this file). Skipped, the "
        "stored amounts count; kept, both count. If this file corrects the earlier one, undo "
        "import {number} in the import history and import this file again.",
        count,
    ).format(
        count=fmt_number(count),
        order=named(order),
        stored=fmt_number(stored, 2),
        amount=fmt_number(amount, 2),
        number=upload,
    )


def _amended_days(overlap: Overlap) -> str:
    """The corrected lines of a file without order numbers."""
    if overlap.amended_day is None:
        return ""
    count = sum(m.rows for m in overlap.matches if m.rule == AMENDED_DAY_RULE)
    client, day, stored, amount, upload = overlap.amended_day
    return ngettext(
        "{count} line has the client and date of a stored line that this file does not "
        "repeat, but another amount, and no order number tells whether it is that sale "
        "corrected (such as {client} on {day}: {stored} stored, {amount} in this file). "
        "Skipped, the stored amount counts; kept, both count. If this file corrects the "
        "earlier one, undo import {number} in the import history and import this file again.",
        "{count} lines have the client and date of stored lines that this file does not "
        "repeat, but other amounts, and no order number tells whether they are those sales "
        "corrected (such as {client} on {day}: {stored} stored, {amount} in this file). "
        "Skipped, the stored amounts count; kept, both count. If this file corrects the "
        "earlier one, undo import {number} in the import history and import this file again.",
        count,
    ).format(
        count=fmt_number(count),
        client=named(client),
        day=fmt_date(day),
        stored=fmt_number(stored, 2),
        amount=fmt_number(amount, 2),
        number=upload,
    )


def duplicate_reasons(overlap: Overlap) -> dict[int, str]:
    """The rejected-rows reason of each probable duplicate, by source row."""
    reasons = _reasons_by_row(overlap)
    return dict(zip(reasons.index.tolist(), reasons.tolist(), strict=True))


def _reasons_by_row(overlap: Overlap) -> pd.Series:
    """duplicate_reasons as a Series indexed by source row: one text per upload, not per row
    (a million rows' dates formatted one by one took 30 s)."""
    texts = {
        m.upload_id: _("probable duplicate of {file} (import {number}, uploaded {date})").format(
            file=named(m.file_name), number=m.upload_id, date=fmt_date(m.imported_at)
        )
        for m in overlap.matches
    }
    rows = overlap.rows
    reasons = rows["upload_id"].astype("int64").map(texts)
    reasons.index = rows["source_row"].astype("int64").to_numpy()
    return reasons[~reasons.index.duplicated()]


def skipped_rows(layout: Layout, parsed: ParsedSheet, overlap: Overlap) -> pd.DataFrame:
    """Skipped probable duplicates as rejected rows: reason, and the values under their columns."""
    reasons = _reasons_by_row(overlap)
    rows = parsed.rows[parsed.rows["source_row"].isin(reasons.index)]
    out = pd.DataFrame(
        {
            "sheet": layout.sheet,
            "row": rows["source_row"].astype("int64").to_numpy(),
            "column": _("row"),
            "value": "",
            "reason": reasons.reindex(rows["source_row"].astype("int64").to_numpy()).to_numpy(),
        }
    )
    labels = layout.mapping_labels()
    for fld, label in labels.items():
        if fld in rows and label not in out.columns:
            values = rows[fld]
            if fld in DATE_FIELDS:
                values = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
            out[label] = values.to_numpy()
    return out


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
    from kam_core.export import EXCEL_ROWS, to_excel_bytes

    return to_excel_bytes({_("Rejected rows"): _with_headers(rejected)}, max_rows=EXCEL_ROWS)


def rejected_csv(rejected: pd.DataFrame) -> bytes:
    """Return every rejected row as CSV (UTF-8 with a BOM), with formulas neutralised."""
    from kam_core.export import to_csv_bytes

    return to_csv_bytes(_with_headers(rejected))


def _with_headers(rejected: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows under the report's headers in the current language."""
    names = {
        c: pgettext("rejected rows", label)
        for c, label in REJECTED_HEADERS.items()
        if c in rejected.columns
    }
    return rejected.rename(columns=names)
