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
from kam_core.ingest.fields import STAGE_LABELS, normalise_label
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
        # Dynamics GP's SOP Type, Odoo's move_type, SAP's billing type.
        "sop type", "move type", "move_type", "billing type", "sales order type", "order type",
        "sales document type",
    )
)  # fmt: skip
# A credit note's type: a phrase in the cell ('Credit Memo', 'Sales credit note', 'Return'), not
# the word credit alone ('Credit Sale' is a sale on credit terms, 'Credit Card' a payment).
_CREDIT_WORDS = re.compile(
    r"\bcredit\s*(?:note|notes|memo|memos|invoice|nota)\b|\bsales\s+credit\b|"
    r"\bcr\s*memo\b|\bcash\s+(?:refund|return)\b|\bout\s*_?\s*refund\b|\breturn\s+authori[sz]ation\b|"
    r"\b(?:returned goods|sales return)\b|"
    # Xero's ACCRECCREDIT (beside ACCREC, an invoice); QuickBooks' Refund Receipt (money paid
    # back for a Sales Receipt).
    r"^accreccredit$|\brefund\s+receipts?\b|"
    r"זיכוי|החזרה|возврат",
    re.IGNORECASE,
)
# The word alone ('Return', Dynamics GP's SOP Type) is a credit note only beside a sale's kind
# ('Invoice'): beside 'One-way' it is a return ticket, a sale.
# (SAP writes its code after the kind: 'Returns (RE)' beside 'Standard Order (OR)'.)
_BARE_CREDIT = re.compile(r"^(?:return|returns|refund|refunds)(?: [a-z]{1,4})?$", re.IGNORECASE)
_REFUND_PAID = re.compile(r"^refunds?$")
_SALE_WORDS = re.compile(
    r"\b(?:invoice|invoices|sale|sales|order|orders)\b|חשבונית|מכירה|реализац|отгрузк|сч[её]т",
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
    # (QuickBooks' Sales Receipt is a sale paid at once, not a payment.)
    r"^(?:payment|payments|receive payment|customer payment|receipt|prepayment|prepayments|"
    r"payment received|קבלה|קבלות|תשלום|оплата|платеж|платёж|поступление)$",
    re.IGNORECASE,
)
_MONEY_MOVED = re.compile(
    r"\b(?:withdraw\w*|transfer\w*|deposit|conversion|hold|holds|reserve|payment sent|"
    r"general payment|authori[sz]ation)\b",
    re.IGNORECASE,
)
_PAYMENT_CODES = frozenset({"sr", "sa", "pmt"})
# A charge for paying late (Acumatica's Overdue Charge) is billed beside the invoices but sells
# nothing.
_LATE_CHARGES = re.compile(
    r"^(?:(?:overdue|finance|late|late payment) (?:charge|charges)|late (?:payment )?fees?|"
    r"ריבית פיגורים|пени)$"
)
# The invoice itself cancelled or voided (a document type of QuickBooks, Zoho and ERPs' lists):
# no sale, and no document of its own to net out (as SAP's Invoice Cancellation is).
_VOIDED_INVOICES = re.compile(
    r"^(?:(?:cancell?ed|voided|void|annulled) (?:sales )?(?:invoice|bill|billing document)|"
    r"(?:sales )?(?:invoice|bill) (?:cancell?ed|voided|void|annulled)|"
    r"חשבונית(?: מס)? מבוטלת|аннулированный сч[её]т)$"
)
# Offers and pro formas are never sales: the invoice that may follow is ('Quotation Sent',
# 'Proforma Invoice', הצעת מחיר, חשבון עסקה).
# The whole kind, not a word of it: 'Cost Estimate' may be a service sold, 'Invoice - from
# Quote' an invoice.
_OFFER_WORDS = re.compile(
    r"^(?:(?:sales |price )?(?:quote|quotes|quotation|quotations|estimate|estimates|proposal|"
    r"proposals)(?: sent)?|pro ?forma(?: invoice)?s?|הצעת מחיר|הצעות מחיר|חשבון עסקה|"
    r"חשבונות עסקה|проформа|счет проформа|коммерческое предложение)$",
    re.IGNORECASE,
)
# An order or a delivery note beside the invoices is the same sale again (one deal was counted
# as its order, its delivery note and its invoice); without invoices it is the file's sale.
_ORDER_WORDS = re.compile(
    r"^(?:sales order|sales orders|order|orders|customer order|customer orders|"
    r"delivery|deliveries|delivery note|delivery notes|packing slip|packing slips|shipment|"
    r"shipments|dispatch note|goods issue|הזמנה|הזמנות|הזמנת לקוח|הזמנות לקוח|תעודת משלוח|"
    r"תעודות משלוח|משלוח|заказ|заказ клиента|заказ покупателя)$",
    re.IGNORECASE,
)
_PAID = re.compile(r"\bpayments?\b|\breceipts?\b|תשלום|קבלה|оплат", re.IGNORECASE)
_INVOICE_WORDS = re.compile(
    r"\b(?:invoice|invoices|bill|bills)\b|חשבונית|^(?:si|in|inv|iv)$|реализац|сч[её]т-фактур",
    re.IGNORECASE,
)
# Codes of a day book (Sage: SI invoice, SC credit): a credit note's code counts only beside an
# invoice's code, for CR or SR are a change or a service request elsewhere.
_CREDIT_CODES = frozenset({"sc", "cn", "crn", "credit", "cr"})
_INVOICE_CODES = frozenset({"si", "in", "inv", "iv", "invoice"})
# A document cancelling an invoice (SAP's Invoice Cancellation, billing type S1) repeats the
# invoice's amount, positive; the invoice stays in the file: stored negative, the two net to
# nothing. A 'Cancelled Invoice' is the invoice itself, no document of its own: not these.
_INVOICE_CANCELS = re.compile(
    r"^(?:(?:sales )?(?:invoice|billing|billing document|debit memo) "
    r"(?:cancellation|cancelation|reversal|storno)|"
    r"(?:cancellation|cancelation|cancel|reversal|storno)(?: of)?(?: an?)? (?:sales )?"
    r"(?:invoice|billing document|debit memo)|stornorechnung|rechnungsstorno|"
    r"ביטול חשבונית(?: מס)?)(?: [a-z]\d)?$"
)
# SAP's billing types by code, told by its invoices' F1 or F2: G2 a credit memo, RE a credit for
# returns, S1 an invoice's cancellation (S2 cancels a credit memo: positive, as written).
_SAP_INVOICE_CODES = frozenset({"f1", "f2"})
_SAP_CREDIT_CODES = frozenset({"g2", "re"})
_SAP_CANCEL_CODES = frozenset({"s1"})
# A file of credit notes only (Xero's and Zoho's exports of them) says so by its dates' or
# numbers' labels: *CreditNoteDate, Credit Note Number; its amounts are written positive.
_CREDIT_NOTE_LABELS = re.compile(
    r"^credit ?(?:note|memo)s? ?(?:date|number|no|num|nbr|id)?$|"
    r"^(?:תאריך|מספר) (?:חשבונית )?זיכוי$|^(?:дата|номер) возврата$"
)

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
    invoices = bool(codes & _INVOICE_CODES)
    if invoices or any(_SALE_WORDS.search(k) and k not in found for k in kinds):
        found += [k for k in kinds if _BARE_CREDIT.match(normalise_label(k))]
    if invoices:
        found += [k for k in kinds if normalise_label(k) in _CREDIT_CODES]
    if codes & _SAP_INVOICE_CODES:
        found += [k for k in kinds if normalise_label(k) in _SAP_CREDIT_CODES]
    return found


def _cancel_kinds(kinds: list[str]) -> list[str]:
    """The kinds of a document-type column that name an invoice's cancellation."""
    sap = bool({normalise_label(k) for k in kinds} & _SAP_INVOICE_CODES)
    return [
        k
        for k in kinds
        if _INVOICE_CANCELS.match(normalise_label(k))
        or (sap and normalise_label(k) in _SAP_CANCEL_CODES)
    ]


def _payment_kinds(kinds: list[str]) -> list[str]:
    """The kinds of a document-type column that name payments received."""
    codes = {normalise_label(k) for k in kinds}
    found = [k for k in kinds if _PAYMENT_WORDS.search(normalise_label(k))]
    if codes & _INVOICE_CODES:
        found += [k for k in kinds if normalise_label(k) in _PAYMENT_CODES]
    return found


def _not_yet_sales(kinds: list[str], credited: list[str]) -> list[str]:
    """The kinds of a document-type column that name offers, pro formas, or (beside invoices)
    orders and delivery notes."""
    norm = {k: normalise_label(k) for k in kinds}
    offers = [k for k in kinds if _OFFER_WORDS.search(norm[k]) and k not in credited]
    invoiced = any(
        _INVOICE_WORDS.search(norm[k])
        and k not in offers
        and k not in credited
        and not _PAID.search(norm[k])  # 'Invoice Payment' is a payment
        for k in kinds
    )
    orders = [k for k in kinds if invoiced and _ORDER_WORDS.match(norm[k])]
    return offers + orders


def sale_kinds(kinds: list[str]) -> list[str]:
    """The kinds of a document-type column that name sales (an invoice, a sales order), none
    of them a credit note, a cancellation, a payment, an offer or a late charge."""
    others = {
        *_credit_kinds(kinds), *_cancel_kinds(kinds), *_payment_kinds(kinds),
        *_not_yet_sales(kinds, []),
    }  # fmt: skip
    return [
        k
        for k in kinds
        if k not in others
        and not _PAID.search(k)
        and not _CANCELLED.search(k)
        and not _LATE_CHARGES.match(normalise_label(k))
        and (
            _SALE_WORDS.search(k)
            or _INVOICE_WORDS.search(k)
            or normalise_label(k) in _INVOICE_CODES
        )
    ]


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
        return _credit_note_file(layout, out)
    kinds = texts(col)
    distinct = [str(v) for v in pc.unique(kinds).to_pylist() if v is not None]
    if len(distinct) > 50:
        return []  # not a column of kinds
    where = layout.title(col)
    notes = []
    paid = _payment_kinds(distinct)
    labels = {normalise_label(label) for label in layout.columns}
    if {"gross", "fee"} <= labels:
        # PayPal's activity (Gross, Fee, Net): a Payment Received is a buyer paying for a sale;
        # moving the balance to the bank (or holding, converting it) is no sale nor refund.
        paid = [k for k in paid if normalise_label(k) != "payment received"]
        moved = [k for k in distinct if _MONEY_MOVED.search(normalise_label(k))]
        if moved and len(moved) < len(distinct):
            notes.append(_moved(reasons, kinds, moved, where))
    # A file of nothing but receipts is refused as such (no row is a sale).
    if paid and len(paid) < len(distinct):
        why = _("a payment received ({kinds}), not a sale")
        shown, count = _reject(reasons, kinds, paid, 3, where, why)
        notes.append(
            ngettext(
                "{column}: {count} row is a payment received ({kinds}), not a sale; it was "
                "rejected.",
                "{column}: {count} rows are payments received ({kinds}), not sales; they were "
                "rejected.",
                count,
            ).format(column=where, count=fmt_number(count), kinds=shown)
        )
    charged = [k for k in distinct if _LATE_CHARGES.match(normalise_label(k))]
    if charged:
        notes.append(_marked_no_sale(reasons, _rows_of(kinds, charged), where, kinds, charged[0]))
    # A list of them alone is no sale either: every row is rejected, and the file refused with
    # the reason (its invoices were all stored).
    voided = [k for k in distinct if _VOIDED_INVOICES.match(normalise_label(k))]
    if voided:
        notes.append(_marked_no_sale(reasons, _rows_of(kinds, voided), where, kinds, voided[0]))
    credited = _credit_kinds(distinct)
    repaid = _refunds_paid(distinct, paid, credited)
    if repaid:
        credited = [k for k in credited if k not in repaid]
        notes.append(_moved(reasons, kinds, repaid, where))
    cancels = _cancel_kinds(distinct)
    early = _not_yet_sales(distinct, credited + cancels)
    if early:
        why = _("a quote, pro forma, order or delivery note ({kinds}), not a sale")
        shown, count = _reject(reasons, kinds, early, 4, where, why)
        notes.append(
            ngettext(
                "{column}: {count} row is a quote, pro forma, order or delivery note ({kinds}), "
                "not a sale (the invoice is); it was rejected.",
                "{column}: {count} rows are quotes, pro formas, orders or delivery notes "
                "({kinds}), not sales (the invoices are); they were rejected.",
                count,
            ).format(column=where, count=fmt_number(count), kinds=shown)
        )
    if credited and "revenue" in out:
        notes += _unsigned_credits(where, _rows_of(kinds, credited), credited, out)
    if cancels and "revenue" in out:
        notes += _cancelled_invoices(where, _rows_of(kinds, cancels), cancels, out)
    return notes


def _refunds_paid(kinds: list[str], paid: list[str], credited: list[str]) -> list[str]:
    """A ledger's bare Refund beside its receipts and credit notes (Sage 200): the money of a
    credit note paid back, which the credit note already took off; else none."""
    refunds = [k for k in credited if _REFUND_PAID.match(normalise_label(k))]
    if not refunds or not paid or len(refunds) == len(credited):
        return []
    return refunds if len(refunds) + len(paid) < len(kinds) else []


def _moved(reasons: Reasons, kinds: Text, moved: list[str], where: str) -> str:
    """Reject the rows moving money (moved kinds), not selling; the note saying so."""
    why = _("money moved ({kinds}), not a sale")
    shown, count = _reject(reasons, kinds, moved, 3, where, why)
    return ngettext(
        "{column}: {count} row moves money ({kinds}), not a sale; it was rejected.",
        "{column}: {count} rows move money ({kinds}), not sales; they were rejected.",
        count,
    ).format(column=where, count=fmt_number(count), kinds=shown)


def _reject(
    reasons: Reasons, kinds: Text, chosen: list[str], shown: int, where: str, why: str
) -> tuple[str, int]:
    """Reject the rows of the chosen kinds, why (worded, '{kinds}' for the first shown of
    them) as their reason; (those kinds as named, how many rows)."""
    rows = _rows_of(kinds, chosen)
    named_kinds = ", ".join(named(k) for k in chosen[:shown])
    reasons.note(rows, where, kinds, why.format(kinds=named_kinds))
    return named_kinds, int(rows.sum())


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
            "{column}: {count} row is a credit note ({kinds}) with a positive amount; it is "
            "read as a negative amount, taken off revenue.",
            "{column}: {count} rows are credit notes ({kinds}) with positive amounts; they are "
            "read as negative amounts, taken off revenue.",
            int(rows.sum()),
        ).format(column=where, count=fmt_number(int(rows.sum())), kinds=shown)
    ]


def _credit_note_file(layout: Layout, out: dict[str, object]) -> list[str]:
    """A file dated or numbered as credit notes: its positive amounts stored negative; the
    note. (Its labels alone tell, so an ordinary file costs nothing.)"""
    cols = [layout.mapping[f] for f in ("order_date", "order_id") if f in layout.mapping]
    labels = [normalise_label(layout.columns[c]) for c in cols]
    named_by = [
        c for c, label in zip(cols, labels, strict=True) if _CREDIT_NOTE_LABELS.match(label)
    ]
    if "revenue" not in out or not named_by or any(_INVOICE_WORDS.search(x) for x in labels):
        return []
    amounts = np.asarray(out["revenue"], float)
    where, label = layout.title(named_by[0]), layout.columns[named_by[0]]
    notes = _unsigned_credits(where, ~np.isnan(amounts), [label], out)
    count = int((amounts > 0).sum())
    if not notes or (amounts < 0).any():
        return notes  # none positive, or written both ways: as written (and the note on it)
    return [
        ngettext(
            "{column}: the file lists credit notes; its {count} amount written positive is read "
            "as negative, taken off revenue.",
            "{column}: the file lists credit notes; its {count} amounts written positive are "
            "read as negative, taken off revenue.",
            count,
        ).format(column=where, count=fmt_number(count))
    ]


def _cancelled_invoices(
    where: str, rows: np.ndarray, kinds: list[str], out: dict[str, object]
) -> list[str]:
    """Invoices' cancellations written positive stored negative, as credit notes are; the note.

    A file writing any of them negative signs them itself: left as written.
    """
    theirs = np.asarray(out["revenue"], float)[rows]
    if not (theirs > 0).any() or (theirs < 0).any():
        return []
    _unsigned_credits(where, rows, kinds, out)  # its note speaks of credit notes
    count = int((theirs > 0).sum())
    return [
        ngettext(
            "{column}: {count} row cancels an invoice ({kinds}) with a positive amount; it is "
            "read as a negative amount, so the invoice and its cancellation cancel out.",
            "{column}: {count} rows cancel invoices ({kinds}) with positive amounts; they are "
            "read as negative amounts, so each invoice and its cancellation cancel out.",
            count,
        ).format(
            column=where, count=fmt_number(count), kinds=", ".join(named(k) for k in kinds[:3])
        )
    ]


# Labels of a column saying what became of an order, an invoice or a deal.
STATE_LABELS = frozenset(
    normalise_label(label)
    for label in (
        "status", "state", "order status", "invoice status", "document status", "doc status",
        "financial status", "payment status", "stage", "deal stage", "opportunity stage",
        "סטטוס", "מצב", "סטטוס מסמך", "סטטוס הזמנה", "שלב", "статус", "состояние",
        "стадия", "стадия сделки",
        # SugarCRM's Sales Stage, Fireberry's שלב מכירה, amoCRM's Этап сделки; Dynamics 365's
        # Status Reason (Canceled); SAP's Rejection Status (Completely Rejected).
        "sales stage", "deal status", "opportunity status", "status reason", "rejection status",
        "credit note status",
        "שלב מכירה", "סטטוס עסקה", "этап", "этап сделки", "статус сделки",
        # Labels naming a document's state otherwise: Odoo's and Intacct's State, Clover's Order
        # Payment State, a posting's or an approval's status, a status code; ('Status
        # (Invoice)' reads 'status invoice').
        "order state", "invoice state", "document state", "payment state",
        "order payment state", "sales order status", "status invoice", "status order",
        "status code", "order status code", "invoice status code", "posting status",
        "approval status", "מצב הזמנה", "מצב חשבונית", "מצב מסמך", "סטטוס חשבונית",
        "статус заказа", "статус счета", "статус документа",
    )
)  # fmt: skip
# A state denied is no state: 'Not Rejected', SAP's 'Nothing Rejected', 'לא בוטל', 'Не отменен'.
_DENIED = re.compile(r"^(?:not|no|non|nothing|none|לא|не)\b", re.IGNORECASE)
# A quote or an estimate accepted became a sale; a cancellation only requested (and declined)
# left it one: 'Quote accepted', 'Estimate approved', 'Cancellation requested - declined'.
_KEPT = re.compile(
    r"\b(?:accepted|approved|converted|invoiced|requested)\b|אושר|מאושר|התקבל|принят|одобрен|"
    # A refund, cancellation, return or chargeback refused (or a chargeback won by the seller)
    # leaves the sale: 'Refund declined', 'Chargeback won'.
    r"\b(?:refund|cancel\w*|return|chargeback)\w*\s+(?:was\s+)?(?:declined|rejected|denied)\b|"
    r"\bchargeback\s+(?:won|reversed)\b",
    re.IGNORECASE,
)
# What a payment's status says of the sale: a payment failed or declined leaves it owed, not
# undone; a void or a full refund undoes it.
_PAYMENT_NOT_A_SALE = re.compile(
    r"\b(?:void\w*|refunded|cancel\w*|chargeback|charged back)\b", re.IGNORECASE
)
_PAYMENT_STATES = frozenset(
    {"payment status", "financial status", "payment state", "order payment state"}
)
# A payment authorised and never taken: Shopify's expired (the authorisation lapsed), Stripe's
# Uncaptured (a charge Stripe's own volume leaves out until it is captured). Shopify's
# authorized stays a sale: the order stands and is captured when it ships.
_NOT_TAKEN = re.compile(r"^(?:expired|uncaptured)$")
# Yes/no columns saying a row is no sale when set (Business Central's Cancelled), or is one only
# when set (a sheet's Won? checkbox, 1C's and МойСклад's Проведено: posted).
_FLAG_NOT_A_SALE = frozenset(
    normalise_label(label)
    for label in (
        "cancelled", "canceled", "is cancelled", "is canceled", "void", "voided", "is void",
        "deleted", "is draft", "מבוטל", "בוטל", "מבוטלת", "отменен", "отменено", "отменён",
        "удален",
        # 1C's deletion mark: a document to be deleted, whether posted or not.
        "пометка удаления", "помечен на удаление", "удалён", "deletion mark", "deletionmark",
        "marked for deletion",
    )
)  # fmt: skip
_FLAG_SALE = frozenset(
    normalise_label(label)
    for label in (
        "won", "is won", "closed won", "זכייה", "נסגר", "проведен", "проведено", "проведён",
    )
)  # fmt: skip
_YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔", "כן", "да", "истина"})
_NO = frozenset({"no", "n", "false", "0", "לא", "нет", "ложь"})
# What no sale became: cancelled, void, deleted, a draft (one not posted yet), failed, lost,
# refunded in full; reversed or annulled (storno), credited in full, charged back by the card's
# bank; a pro forma, an offer expired. A return stays a sale, as Returned does (the goods came
# back; a credit note takes the money off): Возврат, הוחזר. Hebrew's זוכה is also a winner
# (_credited tells).
# Bitrix24's Отклонён (rejected) and Удалён (deleted) are written with е or ё.
_NOT_A_SALE = re.compile(
    r"\b(?:cancel\w*|void\w*|deleted|draft|drafts|unposted|failed|declined|denied|refunded|"
    r"rejected|abandoned|quotation|quotation sent|quote|estimate|reversed|storno|storniert|"
    r"annull?ed|credited|chargeback|chargebacks|charged back|pro ?forma|expired|"
    r"rückerstattet)\b|מבוטל|בוטל|טיוטה|טיוטא|זוכתה|"
    r"נדחה|אבוד|הצעת מחיר|отмен\w*|аннулир\w*|черновик|удал[её]н\w*|отклон\w*|провален\w*|"
    r"отказ\w*|сторн\w*|проформа",
    re.IGNORECASE,
)
# A deal lost, not a parcel or a tracking number: 'Lost', 'Closed Lost', 'Closed - Lost',
# 'Lost (price)', 'Lost to competitor', 'Deal lost'. The word elsewhere is something else lost
# ('Tracking lost', 'Lost & Found return processed', 'Lost in transit - reshipped').
# Read on the value as written (lower-cased), for its brackets and dashes say which it is.
_LOST = re.compile(
    r"^(?:\d+\s*[-.):]?\s*)?(?:(?:closed|deal|opportunity|opp)\s*[-–—:/_]?\s*)?lost"
    r"(?:\s*$|\s*[-–—:(\[,;.]|\s+(?:to|deal|opportunity)\b)"
)
# A client's own state (churned, inactive, a former client): beside it, 'Lost' is the client
# lost, and a lost client's past invoices are sales (the churn analysis needs them).
_CLIENT_STATES = re.compile(
    r"^(?:churned|inactive|former(?: client| customer)?|dormant|lapsed)$|^לא פעיל|^נטש|"
    r"^לקוח לשעבר$|^(?:неактивн\w*|ушел|ушёл|бывший\w*|отток)$"
)
_ACTIVE_OR_LOST = frozenset({"active", "lost"})
# Acumatica's documents not yet released (On Hold, then Balanced), drafts in its words; told
# by its 'Nbr.' labels (Reference Nbr.), for elsewhere an account balanced may be one settled.
_UNRELEASED = frozenset({"balanced", "on hold"})
# Magento's order grid (Purchase Date, Bill-to Name, Grand Total (Base) and (Purchased)): an
# order Closed there was refunded in full (a credit memo for all of it), beside Complete; in a
# CRM's deals or an invoice list Closed is won or paid, so only these labels tell.
_MAGENTO_LABELS = frozenset({"purchase date", "bill to name", "grand total base"})
_MAGENTO_TOTALS = frozenset({"grand total base", "grand total purchased"})
_MAGENTO_REFUNDED = frozenset({"closed"})
_PARTLY = re.compile(r"\bpartial\w*|\bpart\b|חלקי|частичн", re.IGNORECASE)
_WON = re.compile(
    r"\bwon\b|\bclosed won\b|נסגר בהצלחה|זכייה|выигран|успешн|заключен", re.IGNORECASE
)


_HOPES = re.compile(
    r"negotiat|proposal|qualif|prospect|\blead|\bopen\b|\bnew\b|contact|discover|demo|"
    r"follow|pending|in progress|перегово|в работе|предложен|משא ומתן|הצעה|ליד|פתוח|חדש",
    re.IGNORECASE,
)


def _lost(value: str) -> bool:
    """True for a status saying a deal was lost (read as written, lower-cased)."""
    return bool(_LOST.match(" ".join(value.casefold().split())))


def _no_sale(value: str, norm: str) -> bool:
    """True for a status saying its row is no sale (cancelled, void, a draft, a deal lost)."""
    return bool(_NOT_A_SALE.search(norm)) or _lost(value)


# Hebrew's זוכה: an invoice credited (זוּכָּה: a credit note took it off), or a winner (זוֹכֶה)
# of a tender or a deal. Among an invoice's states (paid, open, cancelled) it is the first;
# where the column speaks of tenders or deals (lost, submitted, won), the second.
_CREDITED_HE = re.compile(r"^זוכה(?: במלואה| במלואו| במלוא[הו])?$")
_WINNERS_WORDS = re.compile(
    r"הפסד|הפסיד|מפסיד|לא זכה|לא זכינו|הוגש|הגשה|מכרז|זכייה|זכינו|נבחר|ממתין להחלטה|בהערכה"
)


def _credited(layout: Layout, col: int, norm: dict[str, str], value: str) -> bool:
    """True for זוכה in a column of an invoice's states (not a stage, no tender's words)."""
    if not _CREDITED_HE.match(norm[value]):
        return False
    if normalise_label(layout.columns[col]) in STAGE_LABELS:
        return False
    return not any(_WINNERS_WORDS.search(v) or _WON.search(v) for v in norm.values())


def _magento(layout: Layout) -> bool:
    """True for Magento's order grid: two of its labels and one of its grand totals."""
    labels = {normalise_label(label) for label in layout.columns}
    return len(labels & _MAGENTO_LABELS) >= 2 and bool(labels & _MAGENTO_TOTALS)


def _clients_states(layout: Layout, col: int, texts: Texts, norm: dict[str, str]) -> bool:
    """True where a bare status holds each invoice's client's state, Active or Lost.

    A deal list says Active and Lost of each deal: a client's deals differ, and a deal list
    has no invoice number. A client list's invoices repeat their client's one state.
    """
    values = set(norm.values())
    if (
        "order_id" not in layout.mapping
        or normalise_label(layout.columns[col]) in STAGE_LABELS
        or not {"active", "lost"} <= values
        or not all(v in _ACTIVE_OR_LOST or _CLIENT_STATES.search(v) for v in values)
    ):
        return False
    client = layout.mapping.get("client_id", layout.mapping.get("client_name"))
    if client is None:
        return False
    pairs = pa.table({"client": texts(client), "state": texts(col)})
    per_client = pairs.group_by("client").aggregate(
        [("state", "count_distinct"), ("state", "count")]
    )
    # Each client one state, and some client's rows repeat it: the state is the client's.
    return (
        pc.max(per_client["state_count_distinct"]).as_py() == 1
        and (pc.max(per_client["state_count"]).as_py() or 0) >= 2
    )


def state_columns(layout: Layout) -> list[int]:
    """The unmapped columns saying what became of each row's order, invoice or deal (Odoo
    writes Payment Status before Status: each is read)."""
    mapped = set(layout.mapping.values())
    # A bare 'State' is read as the region (a US state), yet Sage Intacct writes an invoice's
    # state under it (Draft, Posted, Paid): its values tell, for no region is called Draft.
    mapped.discard(layout.mapping.get("region", -1))
    return [
        col
        for col, text in enumerate(layout.columns)
        if col not in mapped and normalise_label(text) in STATE_LABELS
    ][:_STATE_COLUMNS]


_STATE_COLUMNS = 5


def document_states(layout: Layout, texts: Texts, reasons: Reasons) -> list[str]:
    """Reject the rows whose status says they are no sale (cancelled, void, a draft, lost,
    refunded; a deal not won), or whose yes/no column does; the notes saying so."""
    notes = [n for col in state_columns(layout) for n in _states_of(layout, col, texts, reasons)]
    return notes + document_flags(layout, texts, reasons)


def _states_of(layout: Layout, col: int, texts: Texts, reasons: Reasons) -> list[str]:
    """One status column's rows that are no sale rejected; the note saying so."""
    states = texts(col)
    distinct = [str(v) for v in pc.unique(states).to_pylist() if v is not None]
    if len(distinct) > 50:
        return []  # not a column of states
    norm = {k: normalise_label(k) for k in distinct}
    if normalise_label(layout.columns[col]) in _PAYMENT_STATES:
        said = {k for k in distinct if _PAYMENT_NOT_A_SALE.search(norm[k])}
    else:
        said = {k for k in distinct if _no_sale(k, norm[k])}
        if any(_CLIENT_STATES.search(v) for v in norm.values()) or _clients_states(
            layout, col, texts, norm
        ):
            said = {k for k in said if not _lost(k)}
        if any("nbr" in normalise_label(label).split() for label in layout.columns):
            said |= {k for k in distinct if norm[k] in _UNRELEASED}
        if _magento(layout):
            said |= {k for k in distinct if norm[k] in _MAGENTO_REFUNDED}
    said |= {k for k in distinct if _NOT_TAKEN.match(norm[k])}
    said |= {k for k in distinct if _credited(layout, col, norm, k)}
    dropped = [
        k
        for k in distinct
        if k in said
        and not _PARTLY.search(norm[k])
        and not _DENIED.match(norm[k])
        and not _KEPT.search(norm[k])
    ]
    # Deals: where some are won, only those are sales; the others are the pipeline's hopes.
    # A pipeline's other stages say so (lost, negotiation, proposal): a project's Won beside
    # Delivery and Completed on invoices is no pipeline, and its invoices are sales.
    pipeline = (
        normalise_label(layout.columns[col]) in STAGE_LABELS
        and any(_WON.search(v) for v in norm.values())
        and any(_HOPES.search(v) or _no_sale(k, v) for k, v in norm.items())
    )
    if pipeline:
        dropped = [k for k in distinct if not _WON.search(norm[k]) or _no_sale(k, norm[k])]
    if not dropped:
        return []
    rows = _rows_of(states, dropped)
    where = layout.title(col)
    shown = ", ".join(named(k) for k in dropped[:4])
    why = (
        _("a deal not won is no sale")
        if pipeline
        else _("its status says it is no sale (cancelled, void, a draft, lost or refunded)")
    )
    reasons.note(rows, where, states, why)
    count = int(rows.sum())
    return [
        ngettext(
            "{column}: {count} row's status says it is no sale ({states}): it was rejected.",
            "{column}: {count} rows' status says they are no sales ({states}): they were rejected.",
            count,
        ).format(column=where, count=fmt_number(count), states=shown)
    ]


def document_flags(layout: Layout, texts: Texts, reasons: Reasons) -> list[str]:
    """Reject the rows a yes/no column marks as no sale: Cancelled = Yes, or Won? = No where
    some are won (a column of anything but yes and no is no flag)."""
    mapped = set(layout.mapping.values())
    notes = []
    for col, text in enumerate(layout.columns):
        label = normalise_label(text)
        if col in mapped or (label not in _FLAG_NOT_A_SALE and label not in _FLAG_SALE):
            continue
        flags = texts(col)
        distinct = [str(v) for v in pc.unique(flags).to_pylist() if v is not None]
        values = {k: normalise_label(k) for k in distinct}
        if not distinct or not set(values.values()) <= _YES | _NO:
            continue
        if label in _FLAG_SALE and not any(v in _YES for v in values.values()):
            continue  # nothing marked as won or posted: the column says nothing
        set_to = _YES if label in _FLAG_NOT_A_SALE else _NO
        dropped = [k for k, v in values.items() if v in set_to]
        if not dropped:
            continue
        rows = _rows_of(flags, dropped)
        notes.append(_marked_no_sale(reasons, rows, layout.title(col), flags, dropped[0]))
    return notes


def _marked_no_sale(reasons: Reasons, rows: np.ndarray, where: str, cells: Text, value: str) -> str:
    """Reject the rows a column marks as no sale; the note that says so."""
    reasons.note(rows, where, cells, _("this column says the row is no sale"))
    count = int(rows.sum())
    return ngettext(
        "{column}: {count} row is marked '{value}' there, so it is no sale: it was rejected.",
        "{column}: {count} rows are marked '{value}' there, so they are no sales: they "
        "were rejected.",
        count,
    ).format(column=where, count=fmt_number(count), value=named(value))
