"""The refusal of a sheet whose needed columns are not found, worded for the person who fixes it.

It names each missing field in the user's language, with headers that would be recognised for
it (taken from the synonyms in that language), and the file and sheet it is about.
"""

from __future__ import annotations

import re

from kam_core.i18n import _, fmt_number, get_language
from kam_core.ingest.errors import named
from kam_core.ingest.fields import CLIENT_FIELDS, SYNONYMS, field_label, field_word
from kam_core.ingest.header import HEADER_SCAN_ROWS, Layout
from kam_core.ingest.ledger import two_sides

# The placeholder Layout.missing_required() uses when neither client field is mapped.
CLIENT_EITHER = "client_id or client_name"
EXAMPLES_PER_FIELD = 3
# The script a synonym is written in, to offer headers in the user's language.
_HEBREW = re.compile(r"[\u0590-\u05ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _script(text: str) -> str:
    if _HEBREW.search(text):
        return "he"
    if _CYRILLIC.search(text):
        return "ru"
    return "en"


def _as_header(synonym: str) -> str:
    """A synonym as a header would be written: 'client id' -> 'Client ID'."""
    if _script(synonym) != "en":
        return synonym
    words = ["ID" if w == "id" else w for w in synonym.split()]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def example_headers(
    fld: str, lang: str | None = None, count: int = EXAMPLES_PER_FIELD
) -> list[str]:
    """Headers recognised for a field, in the given language (the run's by default)."""
    lang = lang or get_language()
    fields = CLIENT_FIELDS if fld == CLIENT_EITHER else (fld,)
    # For the client, alternate id and name headers so both ways of naming it are offered.
    pools = [[s for s in SYNONYMS[f] if _script(s) == lang] for f in fields]
    out: list[str] = []
    for i in range(max(len(p) for p in pools)):
        for pool in pools:
            if i < len(pool) and _as_header(pool[i]) not in out:
                out.append(_as_header(pool[i]))
    per_field = count + 1 if fld == CLIENT_EITHER else count
    return out[:per_field]


def missing_label(fld: str) -> str:
    """A missing field as the user knows it: 'Order date', or 'Client' for either client field."""
    return _("Client") if fld == CLIENT_EITHER else field_label(fld)


def _missing_word(fld: str) -> str:
    return _("the client (an id or a name)") if fld == CLIENT_EITHER else field_word(fld)


def missing_columns_message(
    file_name: str, layout: Layout, missing: list[str], on_page: bool = False
) -> str:
    """The refusal: what is missing, which headers would do, where, and how to map by hand
    (on_page: in the column boxes the Upload page shows above the message)."""
    fields = ", ".join(_missing_word(f) for f in missing)
    if layout.sheet == file_name:  # a CSV file: its one table is named after the file
        head = _("{file}: no column recognised for {fields}.").format(
            file=named(file_name), fields=fields
        )
    else:
        head = _("{file}, sheet '{sheet}': no column recognised for {fields}.").format(
            file=named(file_name), sheet=named(layout.sheet), fields=fields
        )
    wanted = [
        _("{field}: add a column with a header such as {headers}.").format(
            field=missing_label(f),
            headers=", ".join(named(h) for h in example_headers(f)),
        )
        for f in missing
    ]
    sides = two_sides(layout) if "revenue" in missing else None
    if sides is not None:
        # A ledger's Debit and Credit: a credit may be a credit note or a payment received.
        wanted.append(
            _(
                "{debit} and {credit} hold a ledger's two sides, and no column of document types "
                "(such as Type: Invoice, Credit note, Payment) says which side holds the sales "
                "or which credits are payments received; neither was read as revenue. Add such "
                "a column, or choose the revenue column by hand."
            ).format(debit=layout.title(sides[0]), credit=layout.title(sides[1]))
        )
    if not layout.mapping:
        # No header found at all: it may lie below the rows looked at.
        wanted.append(
            _(
                "The header is looked for in the first {rows} rows of each sheet; if it lies "
                "lower, delete the rows above it."
            ).format(rows=fmt_number(HEADER_SCAN_ROWS))
        )
    codes = " ".join(f"--map {'client_name' if f == CLIENT_EITHER else f}=COLUMN" for f in missing)
    found = ", ".join(named(c) for c in layout.columns[:30]) or _("none")
    if on_page:
        tail = _(
            "Columns found (header row {row}): {columns}. Or choose the column that holds it "
            "in the boxes above."
        ).format(row=layout.header_row, columns=found)
        return " ".join([head, *wanted, tail])
    tail = _(
        "Columns found (header row {row}): {columns}. Or choose the columns by hand on the "
        "Upload page (command line: {example})."
    ).format(row=layout.header_row, columns=found, example=named(codes))
    return " ".join([head, *wanted, tail])
