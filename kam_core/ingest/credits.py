"""Credit notes told by a document-type column, their amounts written without a sign.

Accounting exports (Sage's day book: Type SI and SC; Hebrew reports: סוג מסמך חשבונית מס and
חשבונית מס זיכוי) list credit notes beside invoices with positive amounts: stored as they are,
each credit note was added to revenue instead of taken off it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.i18n import fmt_number, ngettext
from kam_core.ingest.errors import named
from kam_core.ingest.fields import normalise_label
from kam_core.ingest.header import Layout

# Labels of a column saying what kind of document a row is.
_TYPE_LABELS = frozenset(
    normalise_label(label)
    for label in (
        "type", "document type", "doc type", "doc. type", "transaction type", "invoice type",
        "entry type", "document kind", "סוג מסמך", "סוג", "סוג חשבונית", "סוג תנועה",
        "тип документа", "вид документа", "тип", "вид операции",
    )
)  # fmt: skip
# A credit note's type, as the whole cell (codes) or a word in it.
_CREDIT_CODES = frozenset({"sc", "cn", "crn", "cr", "cm", "sr"})
_CREDIT_WORDS = re.compile(
    r"\b(credit|credits|return|returns|refund|refunds|storno)\b|זיכוי|החזרה|возврат|сторно|корректиров",
    re.IGNORECASE,
)

Texts = Callable[[int], pa.Array | pa.ChunkedArray]


def _type_column(layout: Layout) -> int | None:
    """The unmapped column naming each row's kind of document, if there is one."""
    mapped = set(layout.mapping.values())
    for col, label in enumerate(layout.columns):
        if col not in mapped and normalise_label(label) in _TYPE_LABELS:
            return col
    return None


def _is_credit(value: str) -> bool:
    return normalise_label(value) in _CREDIT_CODES or bool(_CREDIT_WORDS.search(value))


def unsigned_credits(
    layout: Layout, texts: Texts, out: dict[str, object]
) -> tuple[np.ndarray | None, str | None]:
    """The rows of credit notes whose amounts are written positive, and the note saying they
    were stored negative; (None, None) where a file has no such rows.

    Only where every credit note's amount is positive or zero: a file writing them negative
    already says so, and one writing them both ways is left as it is.
    """
    col = _type_column(layout)
    if col is None or "revenue" not in out:
        return None, None
    kinds = texts(col)
    distinct = [v for v in pc.unique(kinds).to_pylist() if v is not None]
    credit_kinds = [v for v in distinct if _is_credit(str(v))]
    if not credit_kinds or len(credit_kinds) == len(distinct) or len(distinct) > 50:
        return None, None  # no credit notes, nothing else, or not a column of kinds
    hit = pc.fill_null(pc.is_in(kinds, value_set=pa.array(credit_kinds, kinds.type)), False)
    rows = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
    amounts = np.asarray(out["revenue"], float)
    theirs = amounts[rows]
    if not (theirs > 0).any() or (theirs < 0).any():
        return None, None
    rows &= amounts > 0
    note = ngettext(
        "{column}: {count} row is a credit note ({kinds}) with a positive amount; it was "
        "stored as a negative amount, taken off revenue.",
        "{column}: {count} rows are credit notes ({kinds}) with positive amounts; they were "
        "stored as negative amounts, taken off revenue.",
        int(rows.sum()),
    ).format(
        column=named(layout.title(col)),
        count=fmt_number(int(rows.sum())),
        kinds=", ".join(named(k) for k in credit_kinds[:3]),
    )
    return rows, note
