"""Plain-text summaries for the command line."""

from __future__ import annotations

from kam_core.importing import Preview
from kam_core.ingest import ParsedSheet
from kam_core.store.sales import ImportCounts


def import_summary(counts: ImportCounts, parsed: ParsedSheet, pre: Preview) -> str:
    """Return a readable summary of one import."""
    skipped = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in parsed.skipped.items() if v)
    lines = [
        f"Imported {pre.book.file_name}, sheet '{counts.sheet}' (header on row "
        f"{pre.layout.header_row}) as import {counts.upload_id}.",
        f"  rows read       {counts.rows_read:>12,}",
        f"  imported        {counts.rows_imported:>12,}",
        f"  already stored  {counts.rows_duplicate:>12,}",
        f"  rejected        {counts.rows_rejected:>12,}",
        f"  skipped         {counts.rows_skipped:>12,}" + (f"  ({skipped})" if skipped else ""),
        f"  clients         {counts.clients:>12,}",
        f"  revenue         {counts.revenue:>15,.2f}",
        "Mapping: " + "; ".join(f"{f} <- {c}" for f, c in counts.mapping.items()),
    ]
    lines += [f"Note: {n}" for n in pre.notes]
    if len(parsed.rejected):
        lines.append("Rejected rows (first 10):")
        for rec in parsed.rejected.head(10).itertuples(index=False):
            lines.append(
                f"  sheet '{rec.sheet}', row {rec.row}, {rec.column}: {rec.reason}"
                + (f" ('{rec.value}')" if rec.value else "")
            )
    return "\n".join(lines)
