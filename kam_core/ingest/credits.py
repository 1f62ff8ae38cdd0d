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
from kam_core.ingest.header import Layout, unmapped_column
from kam_core.ingest.reasons import Reasons
from kam_core.ingest.text import Text

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

Texts = Callable[[int], Text]


def type_column(layout: Layout) -> int | None:
    """The unmapped column naming each row's kind of document, if there is one."""
    return unmapped_column(layout, lambda label: label in TYPE_LABELS)


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


def _rows_of(kinds: Text, chosen: list[str]) -> np.ndarray:
    """The rows whose kind is one of chosen."""
    hit = pc.fill_null(pc.is_in(kinds, value_set=pa.array(chosen, kinds.type)), False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def document_kinds(
    layout: Layout, texts: Texts, out: dict[str, object], reasons: Reasons
) -> list[str]:
    """Read a document-type column: payments among the documents rejected, credit notes
    written positive stored negative (in out); the notes saying so."""
    col = type_column(layout)
    if col is None:
        return []
    kinds = texts(col)
    distinct = [str(v) for v in pc.unique(kinds).to_pylist() if v is not None]
    if len(distinct) > 50:
        return []  # not a column of kinds
    where = layout.title(col)
    notes = []
    paid = _payment_kinds(distinct)
    # A file of nothing but receipts is refused as such (no row is a sale).
    if paid and len(paid) < len(distinct):
        rows = _rows_of(kinds, paid)
        shown = ", ".join(named(k) for k in paid[:3])
        reasons.note(
            rows, where, kinds, _("a payment received ({kinds}), not a sale").format(kinds=shown)
        )
        notes.append(
            ngettext(
                "{column}: {count} row is a payment received ({kinds}), not a sale; it was "
                "rejected.",
                "{column}: {count} rows are payments received ({kinds}), not sales; they were "
                "rejected.",
                int(rows.sum()),
            ).format(column=where, count=fmt_number(int(rows.sum())), kinds=shown)
        )
    credited = _credit_kinds(distinct)
    if credited and "revenue" in out:
        notes += _unsigned_credits(where, _rows_of(kinds, credited), credited, out)
    return notes


def _unsigned_credits(
    where: str, rows: np.ndarray, kinds: list[str], out: dict[str, object]
) -> list[str]:
    """Credit notes written positive stored negative (revenue, profit, quantity); the note.

    Only where every credit note's amount is positive or zero: a file writing them negative
    already says so, and one writing them both ways is left as it is, with a note.
    """
    amounts = np.asarray(out["revenue"], float)
    theirs = amounts[rows]
    shown = ", ".join(named(k) for k in kinds[:3])
    if not (theirs > 0).any():
        return []
    if (theirs < 0).any():
        return [
            _(
                "{column}: of the credit notes ({kinds}), some amounts are written negative and "
                "some positive; they were stored as written. Check the positive ones: a credit "
                "note takes its amount off revenue."
            ).format(column=where, kinds=shown)
        ]
    rows &= amounts > 0
    for fld in ("revenue", "profit", "quantity"):
        if fld in out:
            values = np.asarray(out[fld], float).copy()
            values[rows & (values > 0)] *= -1
            out[fld] = values
    return [
        ngettext(
            "{column}: {count} row is a credit note ({kinds}) with a positive amount; it was "
            "stored as a negative amount, taken off revenue.",
            "{column}: {count} rows are credit notes ({kinds}) with positive amounts; they were "
            "stored as negative amounts, taken off revenue.",
            int(rows.sum()),
        ).format(column=where, count=fmt_number(int(rows.sum())), kinds=shown)
    ]
