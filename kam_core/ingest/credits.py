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

from kam_core.i18n import _, fmt_number, ngettext
from kam_core.ingest.errors import named
from kam_core.ingest.fields import normalise_label
from kam_core.ingest.header import Layout

# Labels of a column saying what kind of document a row is.
TYPE_LABELS = frozenset(
    normalise_label(label)
    for label in (
        "type", "document type", "doc type", "doc. type", "transaction type", "invoice type",
        "entry type", "document kind", "סוג מסמך", "סוג", "סוג חשבונית", "סוג תנועה",
        "тип документа", "вид документа", "тип", "вид операции",
    )
)  # fmt: skip
# A credit note's type: a phrase in the cell ('Credit Memo', 'Sales credit note', 'Return'), not
# the word credit alone ('Credit Sale' is a sale on credit terms, 'Credit Card' a payment).
_CREDIT_WORDS = re.compile(
    r"\bcredit\s*(?:note|notes|memo|memos|invoice|nota)\b|\bsales\s+credit\b|"
    r"^(?:return|returns|refund|refunds)$|\b(?:returned goods|sales return)\b|"
    r"זיכוי|החזרה|возврат",
    re.IGNORECASE,
)
# A credit note cancelled ('Credit Note Reversal', 'ביטול חשבונית זיכוי', 'Отмена возврата')
# adds its amount back: it is no credit note.
_CANCELLED = re.compile(
    r"\b(?:cancel\w*|reversal|reversed|void\w*|storno)\b|ביטול|מבוטל|отмен|аннулир|сторно",
    re.IGNORECASE,
)
# A payment listed among the documents (QuickBooks' Payment, Sage's SR receipt, a קבלה) is
# money received for sales already listed, not a sale.
_PAYMENT_WORDS = re.compile(
    r"^(?:payment|payments|receive payment|customer payment|sales receipt|receipt|"
    r"payment received|קבלה|קבלות|תשלום|оплата|платеж|платёж|поступление)$",
    re.IGNORECASE,
)
_PAYMENT_CODES = frozenset({"sr", "sa", "pmt"})
# Codes of a day book (Sage: SI invoice, SC credit): a credit note's code counts only beside an
# invoice's code, for CR or SR are a change or a service request elsewhere.
_CREDIT_CODES = frozenset({"sc", "cn", "crn"})
_INVOICE_CODES = frozenset({"si", "in", "inv", "iv", "invoice"})

Texts = Callable[[int], pa.Array | pa.ChunkedArray]


def _type_column(layout: Layout) -> int | None:
    """The unmapped column naming each row's kind of document, if there is one."""
    mapped = set(layout.mapping.values())
    for col, label in enumerate(layout.columns):
        if col not in mapped and normalise_label(label) in TYPE_LABELS:
            return col
    return None


def _credit_kinds(kinds: list[str]) -> list[str]:
    """The kinds of a document-type column that name credit notes."""
    codes = {normalise_label(k) for k in kinds}
    found = [
        k
        for k in kinds
        if _CREDIT_WORDS.search(normalise_label(k)) and not _CANCELLED.search(normalise_label(k))
    ]
    if codes & _INVOICE_CODES:
        found += [k for k in kinds if normalise_label(k) in _CREDIT_CODES]
    return found


def _payment_kinds(kinds: list[str]) -> list[str]:
    """The kinds of a document-type column that name payments received."""
    codes = {normalise_label(k) for k in kinds}
    found = [k for k in kinds if _PAYMENT_WORDS.search(normalise_label(k))]
    if codes & _INVOICE_CODES:
        found += [k for k in kinds if normalise_label(k) in _PAYMENT_CODES]
    return found


def payment_rows(layout: Layout, texts: Texts) -> tuple[np.ndarray | None, list[str]]:
    """The rows a document-type column names as payments, and the kinds so named."""
    col = _type_column(layout)
    if col is None:
        return None, []
    kinds = texts(col)
    distinct = [str(v) for v in pc.unique(kinds).to_pylist() if v is not None]
    if len(distinct) > 50:
        return None, []
    paid = _payment_kinds(distinct)
    if not paid or len(paid) == len(distinct):
        return None, []  # no payments, or nothing but: a file of receipts is refused as such
    hit = pc.fill_null(pc.is_in(kinds, value_set=pa.array(paid, kinds.type)), False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool), paid


def type_column(layout: Layout) -> int | None:
    """The unmapped column naming each row's kind of document, if there is one."""
    return _type_column(layout)


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
    credit_kinds = _credit_kinds([str(v) for v in distinct])
    if not credit_kinds or len(distinct) > 50:
        return None, None  # no credit notes, or not a column of kinds
    hit = pc.fill_null(pc.is_in(kinds, value_set=pa.array(credit_kinds, kinds.type)), False)
    rows = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
    amounts = np.asarray(out["revenue"], float)
    theirs = amounts[rows]
    if not (theirs > 0).any():
        return None, None
    if (theirs < 0).any():  # written both ways: left as written, and said so
        return None, _(
            "{column}: of the credit notes ({kinds}), some amounts are written negative and "
            "some positive; they were stored as written. Check the positive ones: a credit "
            "note takes its amount off revenue."
        ).format(
            column=layout.title(col),
            kinds=", ".join(named(k) for k in credit_kinds[:3]),
        )
    rows &= amounts > 0
    note = ngettext(
        "{column}: {count} row is a credit note ({kinds}) with a positive amount; it was "
        "stored as a negative amount, taken off revenue.",
        "{column}: {count} rows are credit notes ({kinds}) with positive amounts; they were "
        "stored as negative amounts, taken off revenue.",
        int(rows.sum()),
    ).format(
        column=layout.title(col),
        count=fmt_number(int(rows.sum())),
        kinds=", ".join(named(k) for k in credit_kinds[:3]),
    )
    return rows, note
