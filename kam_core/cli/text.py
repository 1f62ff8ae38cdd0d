"""Plain-text summaries for the command line, in the language of the run."""

from __future__ import annotations

import pandas as pd

from kam_core.i18n import _, fmt_number
from kam_core.importing import Preview, matched_notes
from kam_core.ingest import ParsedSheet
from kam_core.ingest.errors import named
from kam_core.store.sales import ImportCounts


def _skipped_label(kind: str) -> str:
    words = {
        "blank": _("blank"),
        "repeated_header": _("repeated header"),
        "total": _("total"),
        "page_line": _("page line"),
        "group": _("client group row"),
        "order_line": _("order's further line"),
    }
    return words.get(kind, kind.replace("_", " "))


def import_summary(counts: ImportCounts, parsed: ParsedSheet, pre: Preview) -> str:
    """Return a readable summary of one import."""
    skipped = ", ".join(
        f"{_skipped_label(k)} {fmt_number(v)}" for k, v in parsed.skipped.items() if v
    )
    figures = [
        (_("rows read"), fmt_number(counts.rows_read)),
        (_("imported"), fmt_number(counts.rows_imported)),
        (_("already stored"), fmt_number(counts.rows_duplicate)),
        (_("rejected"), fmt_number(counts.rows_rejected)),
        (_("skipped"), fmt_number(counts.rows_skipped)),
        (_("clients"), fmt_number(counts.clients)),
    ]
    lines = [
        _("Imported {file}, sheet '{sheet}' (header on row {row}) as import {upload}.").format(
            file=named(pre.book.file_name),
            sheet=named(counts.sheet),
            row=pre.layout.header_row,
            upload=counts.upload_id,
        )
    ]
    for label, value in figures:
        extra = f"  ({skipped})" if label == _("skipped") and skipped else ""
        lines.append(f"  {label:<15} {value:>12}{extra}")
    lines.append(f"  {_('revenue'):<15} {fmt_number(counts.revenue, 2):>15}")
    mapping = "; ".join(f"{f} <- {named(c)}" for f, c in counts.mapping.items())
    lines.append(_("Mapping: {mapping}").format(mapping=mapping))
    notes = [*pre.notes, *parsed.notes, *matched_notes(counts.matched)]
    lines += [_("Note: {note}").format(note=n) for n in notes]
    if len(parsed.rejected):
        lines.append(rejected_lines(parsed.rejected))
    return "\n".join(lines)


def rejected_lines(rejected: pd.DataFrame, first: int = 10) -> str:
    """The first rejected rows, each with its sheet, row, column, value and reason."""
    # The summary counts them; without the reasons a user had to rerun with --json.
    if not len(rejected):
        return ""
    lines = [_("Rejected rows (first 10):")]
    for rec in rejected.head(first).itertuples(index=False):
        if rec.value:
            text = _("sheet '{sheet}', row {row}, {column}: {reason} ('{value}')")
        else:
            text = _("sheet '{sheet}', row {row}, {column}: {reason}")
        lines.append(
            "  "
            + text.format(
                sheet=named(rec.sheet),
                row=rec.row,
                column=named(rec.column),
                reason=rec.reason,
                value=named(str(rec.value)),
            )
        )
    return "\n".join(lines)
