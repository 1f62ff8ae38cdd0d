"""Find the sales sheet, its header row and the column each canonical field comes from."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pyarrow.compute as pc

from kam_core.i18n import _
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.fields import (
    CLIENT_FIELDS,
    CURRENCY_WORDS,
    FIELDS,
    NAME_INDEX,
    REQUIRED,
    STAGE_LABELS,
    SYNONYM_INDEX,
    SYNONYM_RANK,
    normalise_label,
)
from kam_core.ingest.read import SheetGrid, Workbook

HEADER_SCAN_ROWS = 60
_MAX_SYNONYM_WORDS = max(len(k.split()) for k in SYNONYM_INDEX)


@dataclass
class Layout:
    """Where the data sits in a sheet and how its columns map to canonical fields."""

    sheet: str
    header_row: int  # as Excel numbers it
    header_index: int  # index into the grid's table
    columns: list[str]  # display labels, unique, one per grid column
    letters: tuple[str, ...]
    mapping: dict[str, int] = field(default_factory=dict)  # field -> column index
    score: int = 0
    # Other sheets of the workbook whose columns map to sales too (chosen by best header).
    others: tuple[str, ...] = ()
    aside: tuple[str, ...] = ()  # sheets of sales columns left out: summaries, plans, returns
    two_rows: bool = False  # the header's labels join the row above ('Customer' over 'Name')
    # A ledger's two sides: the column of the sales' amounts and the one taken off them.
    ledger: tuple[int, int] | None = None

    def title(self, col: int) -> str:
        """A column as messages name it: its letter and its label ('D (Amount)'), isolated in
        a right-to-left language (a Hebrew note starting with it read from its middle)."""
        return named(f"{self.letters[col]} ({self.columns[col]})")

    def mapping_labels(self) -> dict[str, str]:
        """Return the mapping as field -> column label, in canonical field order."""
        return {f: self.columns[self.mapping[f]] for f in FIELDS if f in self.mapping}

    def signature(self) -> str:
        """Return a stable key for this header, to remember a confirmed mapping."""
        labels = [normalise_label(c) for c in self.columns]
        return hashlib.sha256(json.dumps(labels, ensure_ascii=False).encode()).hexdigest()[:32]

    def missing_required(self) -> list[str]:
        """Return the required fields the mapping lacks ('client' for both client fields)."""
        missing = [f for f in REQUIRED if f not in self.mapping]
        if not any(f in self.mapping for f in CLIENT_FIELDS):
            missing.append("client_id or client_name")
        return missing


_INVISIBLE_IN_LABEL = re.compile(
    "[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def header_cells(grid: SheetGrid, layout: Layout) -> list[object]:
    """The header row's cells as the sheet writes them (the layout's labels are made unique:
    'Amount', 'Amount (2)'); none without a header."""
    if layout.header_index < 0 or layout.header_index >= grid.table.num_rows:
        return []
    return list(grid.table.slice(layout.header_index, 1).to_pylist()[0].values())


# A share, not an amount: 'Margin %', 'Profit (%)', 'רווח %', 'Маржа, %', 'Discount pct'.
# A rate written in the label ('Amount incl. 17% VAT', 'Revenue (100%)') names no share.
_PERCENT = re.compile(r"(?<![\d.])\s*%|\bpct\b|\bpercent|\bprozent|אחוז|процент", re.IGNORECASE)
AMOUNT_FIELDS = frozenset({"revenue", "profit", "quantity"})


# A header written as one word (OrderDate, SalesAmount, Xero's *InvoiceDate) is read as words.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


LONGEST_LABEL = 200  # characters; a longer cell is text, never a column's header


@functools.lru_cache(maxsize=65_536)
def _match_text(label: str) -> tuple[str | None, float]:
    return _match_label(label)


def match_label(label: object) -> tuple[str | None, float]:
    """Return (field, strength) for a header label; strength 0 when nothing matches."""
    # The same labels come back sheet after sheet and row after row: each is matched once.
    if isinstance(label, str):
        if len(label) > LONGEST_LABEL:
            # No header is that long; matched, each such cell of a sheet of them took a
            # millisecond (a 1 KB file held the server for a minute).
            return None, 0.0
        return _match_text(label)
    return _match_label(label)


def _match_label(label: object) -> tuple[str | None, float]:
    """Return (field, strength) for a header label; strength 0 when nothing matches."""
    if isinstance(label, str) and not label.isascii():
        # Invisible characters (a zero-width joiner in 'Reve\u200dnue', a direction mark)
        # would split a word; a header is matched by what it shows.
        label = _INVISIBLE_IN_LABEL.sub("", label)
    if isinstance(label, str):
        label = _CAMEL.sub(" ", label)
    norm = normalise_label(label)
    if not norm:
        return None, 0.0
    fld, strength = _match_normalised(norm)
    of_lines = False
    if isinstance(label, str) and "/" in label and strength < 2.0:
        # Odoo's export names a line's field under its document: 'Invoice lines/Product'. Only
        # a line's own fields are read so ('Invoice lines/Account' is a ledger's account, not
        # the client: the document's client, date and number have columns of their own).
        parent, child = label.rsplit("/", 1)
        own = _match_normalised(normalise_label(child))
        of_lines = bool(_LINES.intersection(normalise_label(parent).split()))
        if own[0] in _LINE_FIELDS and own[1] > strength:
            fld, strength = own
            norm = normalise_label(child)
        elif of_lines:
            return None, 0.0  # 'Invoice lines/Account': no field of a sale's
    if fld is None and _tax_words_only(norm):
        fld, strength = "revenue", 1.0  # 'Tax Excluded', 'Excl. VAT', 'Untaxed'
    if fld in AMOUNT_FIELDS and isinstance(label, str) and _PERCENT.search(label):
        return None, 0.0  # a margin in percent stored as profit was a few dollars a sale
    if fld == "order_date" and _HOPED.intersection(norm.split()):
        return None, 0.0
    if fld == "revenue":
        net_first = _net_first(norm, strength, of_lines)
        if net_first is None:
            return None, 0.0
        strength = net_first
    return fld, strength


# Revenue is net of VAT where a file has both (the field's help says so): 'Amount excl. VAT'
# beside 'Amount incl. VAT' took the leftmost, with VAT. A label saying it is without VAT
# beats every plain synonym ('Amount' beside 'Amount excl. VAT' is taken to include it); a
# net or gross one wins or loses against its like.
_NET = frozenset({"net", "нетто", "נטו"})
_GROSS = frozenset({"gross", "брутто", "ברוטו", "לתשלום"})
_TAX = frozenset({"vat", "tax", "taxes", "gst", "mwst", "ust", "tva", "iva", "ндс", "מעמ", "מס"})
_WITHOUT = frozenset(
    {"excl", "excluding", "exclusive", "without", "before", "ex", "pre", "w o", "без", "до",
     "ללא", "לפני", "בלי", "net of", "חייב"}
)  # fmt: skip
_WITH = frozenset(
    {"incl", "inc", "including", "inclusive", "with", "after", "w", "с", "включая", "כולל",
     "אחרי", "עם", "т ч", "вкл"}
)  # fmt: skip
# Written after the tax: 'Tax Excluded' (Odoo), 'Total (Tax Exclusive)', 'Amount VAT incl.'.
_WITHOUT_AFTER = frozenset({"excluded", "exclusive", "excl", "excluding"})
_WITH_AFTER = frozenset({"included", "inclusive", "incl", "including"})
_UNTAXED = frozenset({"untaxed", "pretax"})
# Words of a label that is no line's revenue though it names an amount and the tax.
_NOT_REVENUE = frozenset(
    {"discount", "discounts", "unit", "price", "rebate", "הנחה", "מחיר", "ליחידה", "цена",
     "единицы", "rabatt", "preis",
     # What an order's total is made of besides the goods, or what is left of it to pay
     # (WooCommerce's shipping_total came before its order_total).
     "shipping", "freight", "handling", "postage", "fee", "fees", "commission", "balance",
     "paid", "due", "outstanding", "deposit", "tip", "tips", "cost", "costs", "refund",
     "refunded", "משלוח", "עמלה", "יתרה", "שולם", "עלות", "доставка", "комиссия", "остаток",
     "оплачено", "себестоимость",
     # Counts: a shop's 'Total Items' or 'Total Lines' is how many, not how much.
     "items", "lines", "count",
     # Amounts of a plan, not of sales: a budget, a forecast, a CRM's weighted deal value.
     "budget", "budgeted", "forecast", "target", "plan", "planned", "quota", "weighted",
     "estimated", "projected", "potential", "pipeline", "probability", "תקציב", "תחזית", "יעד",
     "бюджет", "прогноз", "план"}
)  # fmt: skip
# Words that make a label a number that names something, not an amount: last in English
# ('Sales Record Number', 'Sales ID'), first in Hebrew and Russian ('מספר מכירה', 'Номер').
_IDENTIFIER_LAST = frozenset(
    {"number", "no", "nr", "nbr", "num", "id", "record", "ref", "reference", "code"}
)
_IDENTIFIER_FIRST = frozenset({"מספר", "номер", "no", "nr"})
# The line's own amount, where a file also repeats its invoice's totals on every line (Zoho's
# Item Total beside SubTotal and Total, Xero's LineAmount beside Total).
_LINE = frozenset({"line", "item", "extended", "ext", "שורה", "строки"})
_LINES = frozenset({"line", "lines", "item", "items"})  # 'Invoice lines/Subtotal'
_LINE_FIELDS = frozenset({"product", "quantity", "revenue", "profit", "category"})
# The amount in the company's own currency beside the document's (Business Central's LCY).
# Oracle's Accounted Amount beside its Entered Amount: the ledger's (functional) currency.
_CURRENCY_WORDS = frozenset({"currency", "curr", "ccy", "מטבע", "валюта"})
# The code column beside an amount: the amount's own label, then 'Currency'.
_CURRENCY_OF = frozenset({"amount", "value", "revenue", "sales", "total", "converted", "price"})
# The sale net of what is taken off it or billed beside it, read before the total: after
# discount (Priority's סה"כ לאחר הנחה), before freight (Dynamics 365's Total Pre-Freight Amount,
# with neither freight nor tax), Dynamics 365 F&O's Sales balance (its Invoice amount adds the
# tax). Such a label's words of what it leaves out are dropped before it is judged.
_DISCOUNT_WORDS = frozenset(
    {"discount", "discounts", "הנחה", "הנחות", "rabatt", "freight", "balance"}
)
_AFTER_DISCOUNT = re.compile(
    # Not where the freight or a balance is what the label is of ('Freight amount after
    # discount', 'Balance amount after discount').
    r"^(?!.*(?<!\bpre )(?<!\bbefore )(?<!\bexcl )(?<!\bexcluding )(?<!\bwithout )\bfreight\b)"
    r"(?!.*(?<!^sales )\bbalance\b)"
    r"(?:.*\b(?:after|net of|less|minus)\s+(?:the\s+)?(?:discounts?|rabatt)\b|"
    r".*(?:לאחר|אחרי)\s+הנח|.*после\s+скидк|.*nach\s+rabatt|"
    r".*\b(?:pre|before|excl|excluding|without)\s+freight\b|sales balance$)"
)
_LOCAL = frozenset(
    {
        *("lcy", "local currency", "base currency", "company currency", "מטבע מקומי"),
        *("accounted", "acctd", "functional currency", "ledger currency", "home currency"),
        # Salesforce's Amount (converted): the deal's amount in the organisation's currency.
        "converted",
    }
)


def unmapped_column(layout: Layout, label: Callable[[str], bool]) -> int | None:
    """The first column no field is mapped to whose normalised label passes the test."""
    mapped = set(layout.mapping.values())
    for col, text in enumerate(layout.columns):
        if col not in mapped and label(normalise_label(text)):
            return col
    return None


def currency_column(layout: Layout) -> int | None:
    """The column naming each row's currency ('Currency', Salesforce's 'Amount Currency', SAP's
    'Doc. currency', 'מטבע'), if no field is mapped to it."""
    return unmapped_column(layout, lambda label: bool(CURRENCY_WORDS.intersection(label.split())))


def in_local_currency(label: object) -> bool:
    """True for an amount's label saying it is in the company's own currency ('Sales (LCY)')."""
    words = normalise_label(label).split()
    pairs = {" ".join(words[i : i + 2]) for i in range(len(words))}
    return bool(_LOCAL.intersection(pairs | set(words)))


def _tax_words_only(norm: str) -> bool:
    """True for a label of nothing but a tax and how it is counted ('Excl. VAT', 'Untaxed')."""
    words = norm.split()
    known = _TAX | _WITHOUT | _WITH | _WITHOUT_AFTER | _WITH_AFTER | _UNTAXED | {"total"}
    if not words or not set(words) <= known:
        return False
    return bool(_UNTAXED.intersection(words)) or (bool(_TAX.intersection(words)) and len(words) > 1)


def _lift(strength: float, bonus: float, above_name: bool = False) -> float:
    """A revenue label raised above every plain synonym by bonus, and above the field's own
    name where it says it is without tax or in the company's currency ('Revenue excl. VAT'
    beside 'Revenue' is the revenue); its own strength breaks ties."""
    return (4.0 if above_name else 3.0) + bonus + strength / 10_000


def _net_first(norm: str, strength: float, of_lines: bool = False) -> float | None:
    """A revenue label's strength, raised when it says net of VAT, a line's own amount or the
    local currency's, and lowered when gross; None for a label naming the tax itself or a
    discount, a unit, a price, shipping or a balance (no revenue)."""
    words = norm.split()
    if ("extended price" in norm or "ext price" in norm) and "unit" not in words:
        words = [w for w in words if w != "price"]  # quantity times price: the line's amount
    # 'Amount after discount', 'סה"כ לאחר הנחה' (Priority prints it beside the total with VAT):
    # the net sale, not the discount.
    discounted = bool(_AFTER_DISCOUNT.search(norm))
    if discounted:
        words = [w for w in words if w not in _DISCOUNT_WORDS and not w.startswith("скидк")]
    if len(words) > 1 and words[-1] in _CURRENCY_WORDS and words[-2] in _CURRENCY_OF:
        # Salesforce's 'Amount Currency', 'Amount (converted) Currency': the code of the
        # amount's currency ('Net Value in Document Currency' is an amount).
        return None
    if _NOT_REVENUE.intersection(words) or any(w.startswith("скидк") for w in words):
        return None  # 'Discount amount excl. VAT', 'Unit value excl. VAT', 'shipping_total'
    if words and (words[-1] in _IDENTIFIER_LAST or words[0] in _IDENTIFIER_FIRST):
        return None  # eBay's 'Sales Record Number' (1, 2, 3) was stored as the revenue
    # A qualifier counts only right before the tax it qualifies (or right after it): 'Amount
    # excl. VAT' is without it, 'Tax amount before discount' is the tax.
    untaxed = gross_tax = taxed = False
    words = [w for w in words if not w.isdigit()]  # 'incl. 17% VAT' qualifies the VAT too
    for i, word in enumerate(words):
        if word not in _TAX:
            continue
        taxed = True
        before = {words[i - 1] if i else "", " ".join(words[max(i - 2, 0) : i])}
        after = words[i + 1] if i + 1 < len(words) else ""
        untaxed = untaxed or bool(_WITHOUT.intersection(before)) or after in _WITHOUT_AFTER
        gross_tax = gross_tax or bool(_WITH.intersection(before)) or after in _WITH_AFTER
    untaxed = untaxed or bool(_UNTAXED.intersection(words))
    if taxed and not (untaxed or gross_tax):
        return None  # 'VAT Amount', 'Sales Tax', 'Сумма НДС', 'סה"כ מע"מ': the tax itself
    net = untaxed or discounted or bool(_NET.intersection(words))
    gross = gross_tax or bool(_GROSS.intersection(words))
    bonus = 0.0
    local = in_local_currency(norm)
    if local:
        bonus += 0.3
    if of_lines or _LINE.intersection(words):
        bonus += 0.2
    if (untaxed or discounted) and not gross:
        bonus += 0.1  # above 'Net Amount' (3.001) too: it says so twice
    elif "subtotal" in words or "sub total" in norm:
        bonus += 0.01  # Odoo's Subtotal beside Total: before tax and shipping
    if bonus:
        # An Odoo line's field ('Invoice lines/Subtotal') is the line's own amount: it beats
        # its invoice's untaxed amount, written on the invoice's first line only.
        above_name = local or of_lines or ((untaxed or discounted) and not gross)
        return _lift(strength, bonus, above_name) - (0.05 if gross else 0.0)
    if net and gross:
        return strength
    if net and " ".join(w for w in words if w not in _NET) in NAME_INDEX:
        return _lift(strength, 0.05, True)  # 'Net Revenue' beside 'Revenue': the net one
    if net:  # 'Amount (net)' beside 'Amount (gross)'; a plain synonym still beats it
        return strength + 0.05
    return strength - 0.05 if gross else strength


# Labels that name the client only where nothing better does: Xero's ContactName is its
# customer, a CRM's Contact Name the person at the customer (an Account or Company wins).
# So too Odoo's Partner, and a bare Net (Sage's day book: Net, Tax, Gross), which a
# weighbridge's export writes for the net weight beside its Amount.
_WEAK = {
    "contact name": "client_name",
    "partner": "client_name",
    "net": "revenue",
    # Tally's Particulars (the party). (A bare Name is not: alone, it may be anyone's, a
    # monday.com board's deal, a product; auto_map takes it beside a client's code.)
    "particulars": "client_name",
    # Google Forms' Timestamp: when the answer came, the sale's date where no date is named.
    "timestamp": "order_date",
}
# A date someone hopes for is no sale's date: 'Expected close date' beside 'Close date'.
_HOPED = frozenset(
    {"expected", "estimated", "est", "forecast", "planned", "projected", "target"}
    | {"ожидаемая", "предполагаемая", "планируемая", "צפוי", "משוער"}
)
# A ledger's account is no client: Xero's AccountCode (200, Sales) beside its ContactName.
_NOT_A_FIELD = frozenset(
    normalise_label(label)
    for label in (
        "account code", "gl account", "ledger account", "account type",
        # PayPal's TimeZone, Square's Time Zone: no region.
        "timezone", "time zone",
        # A document's kind (its number is elsewhere): read by credits.py, never an order id.
        "document type", "doc type", "doc. type", "transaction type", "invoice type",
        "entry type", "document kind", "סוג מסמך", "סוג חשבונית", "тип документа",
        "вид документа",
        # A deal's stage or an order's state (read by credits.py): 'Sales Stage' is no sales.
        "sales stage", "status reason", "rejection status", "שלב מכירה",
        # 'Order State' and 'Invoice Status' hold Paid or Draft, not the order's number, and
        # 'Payment State' no region: taken so, every row's order was 'Paid'.
        "order state", "invoice state", "document state", "payment state",
        "order payment state", "order status", "invoice status", "document status",
        "sales order status", "status invoice", "status order", "order status code",
        "invoice status code", "מצב הזמנה", "מצב חשבונית", "מצב מסמך", "סטטוס הזמנה",
        "סטטוס חשבונית",
        # The customer's own reference (its order number), a payment's attempts: no client, no
        # quantity.
        "customer reference", "customer po", "customer po number",
        "customer order number", "customer reference number", "attempt count", "attempts",
    )
) | frozenset(
    # An order's or an invoice's attribute is no order number: 'Order Source', 'Order Type',
    # 'Invoice Currency' held one word on every row, and another branch's sales were skipped as
    # duplicates of the same order. (A number's label ends in a word of identity: No, ID, #.)
    normalise_label(f"{head} {word}") if head.isascii() else normalise_label(f"{word} {head}")
    for head, words in (
        *((head, (
            "source", "origin", "type", "type code", "kind", "currency", "stage", "category",
            "class", "priority", "tag", "tags", "note", "notes", "comment", "comments", "memo",
            "description", "terms", "method",
        )) for head in ("order", "sales order", "invoice", "document")),
        *((head, ("סוג", "מקור", "מטבע", "הערות", "תיאור")) for head in ("הזמנה", "חשבונית")),
    )
    for word in words
)  # fmt: skip


def _match_normalised(norm: str) -> tuple[str | None, float]:
    """match_label on a normalised label."""
    # A header naming the field exactly beats any synonym; among synonyms the one listed
    # earlier for its field wins ("Customer" over "Company"), whatever the column order.
    if norm in NAME_INDEX:
        return NAME_INDEX[norm], 4.0
    if norm in SYNONYM_INDEX:
        return SYNONYM_INDEX[norm], 3.0 - SYNONYM_RANK[norm] / 1000
    if norm in _NOT_A_FIELD:
        return None, 0.0
    if norm in _WEAK:
        return _WEAK[norm], 1.05
    words = norm.split()
    if len(words) > 8:  # long sentences are titles or notes, not headers
        return None, 0.0
    # The longest synonym found as a run of whole words wins: "Net Sales ILS" -> revenue,
    # "Sales Rep Name" -> manager (two words beat one); of two as long, the one listed first.
    for size in range(min(_MAX_SYNONYM_WORDS, len(words)), 0, -1):
        runs = (" ".join(words[start : start + size]) for start in range(len(words) - size + 1))
        hits = [run for run in runs if run in SYNONYM_INDEX]
        if hits:
            fld = SYNONYM_INDEX[hits[0]]
            rank = min(SYNONYM_RANK[run] for run in hits if SYNONYM_INDEX[run] == fld)
            return fld, 1.0 + size / 10 - rank / 10_000
    return None, 0.0


def auto_map(labels: list[str]) -> dict[str, int]:
    """Assign each canonical field at most one column, strongest matches first."""
    candidates = []
    for index, label in enumerate(labels):
        fld, strength = match_label(label)
        if fld:
            candidates.append((-strength, index, fld))
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _strength, index, fld in sorted(candidates):
        if fld not in mapping and index not in used:
            mapping[fld] = index
            used.add(index)
    _code_beside_name(labels, sorted(candidates), mapping, used)
    _gross_before_fees(labels, mapping, used)
    _expected_close(labels, mapping, used)
    if "client_id" in mapping and "client_name" not in mapping:
        # A bare 'Name' beside the client's code is its name (Sage's Account Reference, Name);
        # alone, it may be anyone's (a person's, a product's).
        # (SAP's Name 1 beside the Customer code too.)
        bare = [i for i, label in enumerate(labels) if normalise_label(label) in ("name", "name 1")]
        if len(bare) == 1 and bare[0] not in used:
            mapping["client_name"] = bare[0]
    return mapping


# A deal's creation: the day it entered the pipeline, not the day it was won.
_CREATED = frozenset(
    normalise_label(label)
    for label in (
        "date created", "creation date", "created time", "created on", "created date",
        "created at", "дата создания", "תאריך יצירה",
    )
)  # fmt: skip

# A deal's close, once the hoping word is set aside ('Expected Close Date', 'Expected Close').
_CLOSES = frozenset(
    normalise_label(label)
    for label in (
        "close date", "closing date", "close", "date of close", "дата закрытия", "תאריך סגירה",
    )
)  # fmt: skip


def _expected_close(labels: list[str], mapping: dict[str, int], used: set[int]) -> None:
    """A deal list's expected close date, where it has no other close date and a stage.

    SugarCRM writes a deal's close only under 'Expected Close Date' (beside 'Date Created'
    and 'Sales Stage'): a deal won closed then; its creation dated a sale months early.
    """
    at = mapping.get("order_date")
    norms = [_short_label(label) for label in labels]
    if (at is not None and norms[at] not in _CREATED) or not STAGE_LABELS.intersection(norms):
        return
    closes = [
        i
        for i, norm in enumerate(norms)
        if i not in used
        and _HOPED.intersection(norm.split())
        and " ".join(word for word in norm.split() if word not in _HOPED) in _CLOSES
    ]
    if len(closes) != 1:
        return
    if at is not None:
        used.discard(at)
    mapping["order_date"] = closes[0]
    used.add(closes[0])


_FEES = frozenset({"fee", "fees", "paypal fee", "processing fee", "processing fees", "stripe fee"})


def _short_label(label: object) -> str:
    """A label normalised, or '' for a cell too long to be one (every row of the first ones is
    tried as the header: a cell of 100 million spaces, normalised, took the server to 12 GB)."""
    text = "" if label is None else str(label)
    return normalise_label(text) if len(text) <= LONGEST_LABEL else ""


def _gross_before_fees(labels: list[str], mapping: dict[str, int], used: set[int]) -> None:
    """Gross, not Net, where Net is what is left after a payment processor's fee (PayPal's
    Gross, Fee, Net): the fee is the company's cost, not less revenue."""
    at = mapping.get("revenue")
    norms = [_short_label(label) for label in labels]
    if at is None or norms[at] != "net" or not _FEES.intersection(norms):
        return
    gross = [i for i, norm in enumerate(norms) if norm == "gross" and i not in used]
    if len(gross) == 1:
        used.discard(at)
        mapping["revenue"] = gross[0]
        used.add(gross[0])


# A bare "Customer" beside a "Customer Name" is the customer's code in ERP exports (SAP's
# Customer / Customer Name, Priority's לקוח / שם לקוח), not a second name column.
BARE_CLIENT = frozenset(
    normalise_label(word)
    for word in (
        "customer", "client", "account", "sold to", "לקוח", "клиент", "контрагент", "покупатель",
        "заказчик",
    )
)  # fmt: skip


def _code_beside_name(
    labels: list[str], ranked: list[tuple[float, int, str]], mapping: dict[str, int], used: set[int]
) -> None:
    """A bare client label beside a fuller name label: the name from the fuller, the id the bare."""
    if "client_name" not in mapping:
        return
    name = mapping["client_name"]
    for _strength, index, fld in ranked:
        if fld != "client_name" or index in used:
            continue
        bare = [i for i in (name, index) if normalise_label(labels[i]) in BARE_CLIENT]
        if len(bare) != 1:
            return
        fuller = index if bare[0] == name else name
        # Only the same word made fuller ("Customer" and "Customer Name"): "Customer" beside an
        # "Account Name" may be a ledger account's name, not the customer's.
        if match_label(labels[fuller])[1] < 2.0:
            return  # the fuller label must itself name the client ("Customer (E)" does not)
        word, text = normalise_label(labels[bare[0]]), normalise_label(labels[fuller])
        # Hebrew writes "the customer" as one word (שם הלקוח), Russian declines it (клиента).
        if f" {word} " not in f" {text} " and not any(
            w.startswith(word) or w == f"ה{word}" for w in text.split()
        ):
            return
        mapping["client_name"] = fuller
        used.add(index)
        if "client_id" not in mapping:
            mapping["client_id"] = bare[0]
        else:
            used.discard(bare[0])  # the id has its own column: the bare one is left unmapped
        return


def _score(mapping: dict[str, int]) -> int:
    required = sum(1 for f in REQUIRED if f in mapping)
    client = 1 if any(f in mapping for f in CLIENT_FIELDS) else 0
    return 10 * (required + client) + len(mapping)


def _row_labels(grid: SheetGrid, index: int) -> list[str]:
    row = grid.table.slice(index, 1).to_pylist()[0]
    return [("" if row[f"c{i}"] is None else str(row[f"c{i}"]).strip()) for i in range(len(row))]


def unique_labels(labels: list[str], above: list[str], letters: tuple[str, ...]) -> list[str]:
    """Fill blank labels (from a merged cell above, else the column letter) and de-duplicate."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        text = label or (above[i] if i < len(above) else "") or f"Column {letters[i]}"
        key = text.casefold()
        if key in seen:
            seen[key] += 1
            text = f"{text} ({seen[key]})"
        else:
            seen[key] = 1
        out.append(text)
    return out


_BLANK_ROWS_SKIPPED = 10_000  # blank rows above a table passed over to find its header


def _top_rows(grid: SheetGrid, first: int) -> list[list[str]]:
    """The rows looked at for the header from table row first, as stripped texts."""
    top = grid.table.slice(first, min(HEADER_SCAN_ROWS, max(grid.n_rows - first, 0)))
    cells = [column.to_pylist() for column in top.columns]
    return [
        ["" if value is None else str(value).strip() for value in row]
        for row in zip(*cells, strict=True)
    ]


def _first_filled(grid: SheetGrid) -> int:
    """The first table row holding two cells or more (a header's least), among the first
    _BLANK_ROWS_SKIPPED: a title alone above the blank rows is passed over too (0 if none)."""
    head = grid.table.slice(0, min(_BLANK_ROWS_SKIPPED, grid.n_rows))
    count = None
    for column in head.columns:
        if column.null_count == len(column):
            continue
        filled = pc.cast(column.is_valid(), "int32")
        count = filled if count is None else pc.add(count, filled)
    if count is None:
        return 0
    return max(pc.index(pc.greater_equal(count, 2), True).as_py(), 0)


def detect_layout(grid: SheetGrid) -> Layout:
    """Find the header row of one sheet: the row among the first ones matching most fields."""
    best: Layout | None = None
    # The rows looked at, read once and column by column: a row at a time cost 3 ms a row on a
    # sheet 1,000 columns wide, minutes for a workbook of such sheets.
    rows = _top_rows(grid, 0)
    if not any(sum(1 for x in labels if x) >= 2 for labels in rows):
        # Blank rows above the table (a report placed lower on its sheet) do not count: the
        # rows looked at start at its first filled one.
        first = _first_filled(grid)
        if first:
            rows = [[] for _ in range(first)] + _top_rows(grid, first)
    for index, labels in enumerate(rows):
        if sum(1 for x in labels if x) < 2:
            continue
        # Map the filled labels: a blank cell under a merged title cell carries that title.
        above = rows[index - 1] if index else []
        columns = unique_labels(labels, above, grid.letters)
        mapping = auto_map(columns)
        score = _score(mapping)
        joined = _joined_labels(labels, above)
        two_rows = False
        if joined is not None and not any(ch.isdigit() for ch in "".join(labels)):
            # A header of two rows: 'Customer' over 'Code' and 'Name', 'Invoice' over 'Date'
            # and 'Number'. Read together only when that maps more than either row alone, and
            # the lower row holds no figure: a header over its first row of data ('Type' over
            # 'Invoice') mapped one more field so.
            both = unique_labels(joined, [], grid.letters)
            both_mapping = auto_map(both)
            if _score(both_mapping) > max(
                score, _score(auto_map(unique_labels(above, [], grid.letters)))
            ):
                columns, mapping, score, two_rows = both, both_mapping, _score(both_mapping), True
        # Of rows mapping as many fields, the first wins, unless the row under it holds no
        # date where its date column is: a title row 'Client report, Date: 2024-04-01, Amount
        # in USD' above 'Date, Client, Amount' is no header.
        if (
            best is None
            or score > best.score
            or (
                score == best.score
                and not _data_below(grid, best.header_index, best.mapping)
                and _data_below(grid, index, mapping)
            )
        ):
            best = Layout(
                grid.name, index + grid.first_row, index, columns, grid.letters, mapping, score,
                two_rows=two_rows,
            )  # fmt: skip
    if best is None:
        columns = [f"Column {letter}" for letter in grid.letters]
        best = Layout(grid.name, grid.first_row, -1, columns, grid.letters, {}, 0)
    else:
        _ledger_account_no_client(rows, best)
        _name_beside_code(rows, best)
        _customer_jobs(rows, best)
        _name_of_documents(rows, best)
        _email_of_shop_orders(best)
        _bare_order_number(rows, best)
    return best


# A web shop's orders export (Shopify's orders_export.csv): its line items' own columns.
_SHOP_LINES = frozenset({"lineitem quantity", "lineitem name", "lineitem price"})


def _email_of_shop_orders(layout: Layout) -> None:
    """Map a shop's order Email to the client where no column names one (Shopify's export
    with its Billing Name left out): the file was refused for want of a client."""
    if any(f in layout.mapping for f in CLIENT_FIELDS):
        return
    labels = [_short_label(label) for label in layout.columns]
    if len(_SHOP_LINES.intersection(labels)) < 2 or "email" not in labels:
        return
    email = labels.index("email")
    if email not in layout.mapping.values():
        layout.mapping["client_name"] = email


def _filled_below(rows: list[list[str]], layout: Layout, col: int) -> list[str]:
    """The filled cells of a column in the rows looked at below the header."""
    return [row[col] for row in rows[layout.header_index + 1 :] if col < len(row) and row[col]]


# QuickBooks Desktop's Name: 'Customer:Job' ('Kristy Abercrombie:Kitchen'), the job within its
# customer.
# Not 'Customer: Acme' (a space after), '10:30 Acme' (figures before) or 'https://...'.
CUSTOMER_JOB = re.compile(r"[^:]*[^\s\d:][^:]*:[^\s:/].*")


def _customer_jobs(rows: list[list[str]], layout: Layout) -> None:
    """Map a bare Name column of Customer:Job values to the client, where no client is mapped
    (the parse keeps the customer, validate.customer_of_jobs)."""
    if any(f in layout.mapping for f in CLIENT_FIELDS):
        return
    mapped = set(layout.mapping.values())
    for col, label in enumerate(layout.columns):
        if col in mapped or _short_label(label) != "name":
            continue
        values = _filled_below(rows, layout, col)
        jobs = sum(1 for v in values if len(v) <= LONGEST_LABEL and CUSTOMER_JOB.fullmatch(v))
        if len(values) >= 2 and jobs >= 0.9 * len(values):
            layout.mapping["client_name"] = col
            return


# A document's kind in a transaction list (NetSuite's saved search, QuickBooks' Transaction
# List: Type Invoice, Credit Memo, Cash Sale, Payment).
_DOCUMENT_KINDS = re.compile(
    r"\b(?:invoice|credit memo|credit note|cash sale|cash refund|sales order|sales receipt|"
    r"return authori[sz]ation|payment)\b",
    re.IGNORECASE,
)
_KIND_LABELS = frozenset({"type", "transaction type", "document type", "doc type"})


def _name_of_documents(rows: list[list[str]], layout: Layout) -> None:
    """Map a bare Name column to the client in a list of documents with no client column.

    NetSuite's saved search writes each transaction's customer under Name beside Type
    (Invoice), Date, Document Number and Amount; the file was refused for want of a client.
    Elsewhere a bare Name may be a product's or a person's: the Type's kinds of document tell.
    """
    if any(f in layout.mapping for f in CLIENT_FIELDS):
        return
    mapped = set(layout.mapping.values())
    labels = [_short_label(label) for label in layout.columns]
    names = [i for i, norm in enumerate(labels) if norm == "name" and i not in mapped]
    kinds = [i for i, norm in enumerate(labels) if norm in _KIND_LABELS]
    if len(names) != 1 or len(kinds) != 1:
        return
    values = _filled_below(rows, layout, kinds[0])
    documents = sum(1 for v in values if _DOCUMENT_KINDS.search(v))
    if len(values) >= 2 and documents * 2 > len(values):
        layout.mapping["client_name"] = names[0]


# A bare number's label: QuickBooks' Num, No., Odoo's Number.
_BARE_NUMBER = frozenset({"num", "no", "nbr", "nr", "number"})
# Shopify's order name: '#1001'.
_ORDER_NAME = re.compile(r"#\d{1,12}")


def _bare_order_number(rows: list[list[str]], layout: Layout) -> None:
    """The order number under a bare Num, No. or Number, or Shopify's Name (#1001), where no
    other column holds it (every order was one line, and its lines not told apart)."""
    if "order_id" in layout.mapping:
        return
    mapped = set(layout.mapping.values())
    labels = [_short_label(label) for label in layout.columns]
    for col, norm in enumerate(labels):
        if col in mapped or norm not in _BARE_NUMBER | {"name"}:
            continue
        values = [v for v in _filled_below(rows, layout, col) if len(v) <= LONGEST_LABEL]
        if len(values) < 2:
            continue
        if norm == "name":
            if sum(1 for v in values if _ORDER_NAME.fullmatch(v)) >= 0.9 * len(values):
                layout.mapping["order_id"] = col
                return
            continue
        # A running count of the rows (1, 2, 3 ...) numbers the lines, not the orders.
        if values == [str(n) for n in range(1, len(values) + 1)]:
            continue
        layout.mapping["order_id"] = col
        return


# A ledger's accounts (QuickBooks' Transaction List: Account = Accounts Receivable (A/R),
# Undeposited Funds): the 'Account' column is no client there.
_LEDGER = re.compile(r"receivable|undeposited|\ba/r\b|\(a/r\)", re.IGNORECASE)


def _ledger_account_no_client(rows: list[list[str]], layout: Layout) -> None:
    """Unmap a client column whose values are mostly a ledger's accounts."""
    for fld in ("client_name", "client_id"):
        at = layout.mapping.get(fld)
        if at is None:
            continue
        values = _filled_below(rows, layout, at)
        if len(values) >= 2 and sum(1 for v in values if _LEDGER.search(v)) * 2 >= len(values):
            del layout.mapping[fld]


# A client's code: a few letters at most, then digits and marks, no space ('C001', '10234').
_CODE = re.compile(r"[A-Za-z]{0,4}[-_/.]?\d[\w\-/.]{0,14}")


def _name_beside_code(rows: list[list[str]], layout: Layout) -> None:
    """A client label over codes with names in the unlabelled column after it (the header cell
    merged over both, 'Client' over 'C001' and 'Acme'): the code is the id, the names the name."""
    at = layout.mapping.get("client_name")
    if at is None or "client_id" in layout.mapping or at + 1 >= len(layout.letters):
        return
    header = rows[layout.header_index]
    if (at + 1 < len(header) and header[at + 1]) or at + 1 in layout.mapping.values():
        return
    codes = _filled_below(rows, layout, at)
    names = _filled_below(rows, layout, at + 1)
    if len(codes) < 2 or len(names) < len(codes) * 0.9:
        return
    coded = sum(1 for value in codes if _CODE.fullmatch(value))
    named_ = sum(1 for v in names if not _CODE.fullmatch(v) and any(c.isalpha() for c in v))
    if coded >= 0.9 * len(codes) and named_ >= 0.9 * len(names):
        layout.mapping["client_id"] = at
        layout.mapping["client_name"] = at + 1


def _joined_labels(labels: list[str], above: list[str]) -> list[str] | None:
    """The labels joined to the row above, each of its labels spanning the blank cells to its
    right (a merged cell's); None when the row above holds under two labels or more cells
    than the row."""
    filled = [text for text in above if text]
    if len(filled) < 2 or sum(1 for text in labels if text) < len(filled):
        return None
    joined, group = [], ""
    for i, label in enumerate(labels):
        group = above[i] if i < len(above) and above[i] else group
        joined.append(f"{group} {label}".strip() if label else group)
    return joined


def _data_below(grid: SheetGrid, header_index: int, mapping: dict[str, int]) -> bool:
    """True when the row under a header holds digits where the header maps the order date
    (a date, a serial), or the header maps no date."""
    at = mapping.get("order_date")
    if at is None:
        return True
    row = header_index + 1
    if row >= grid.n_rows:
        return False
    value = grid.table.column(at)[row].as_py()
    return value is not None and any(ch.isdigit() for ch in str(value))


# Sheets that restate the sales or plan them, not more sales: importing them with the months
# counted the quarter twice (a Summary pivot) or added a budget, a forecast, returns or the
# payments of the sales.
_SUMMARY_SHEET = frozenset(
    normalise_label(word)
    for word in (
        "summary", "pivot", "totals", "total", "dashboard", "overview", "budget", "forecast",
        "plan", "target", "targets", "returns", "credits", "סיכום", "ריכוז", "תקציב", "תחזית",
        "יעדים", "החזרות", "זיכויים", "итоги", "итого", "сводная", "сводка", "бюджет", "прогноз",
        "план", "возвраты",
        # Money received for the sales: payments, receipts (an accounting app's workbook).
        "payments", "receipts", "payment", "קבלות", "תקבולים", "תשלומים", "оплаты", "платежи",
    )
)  # fmt: skip


def choose_sheet(book: Workbook, sheet: str | None = None, others: bool = True) -> Layout:
    """Return the layout of the named sheet, or of the sheet whose header matches best; with
    others, the other sheets holding sales columns are named in it."""
    chosen = detect_layout(book.sheet(sheet)) if sheet is not None else None
    if chosen is not None and not others:
        return chosen  # a sheet of a workbook imported sheet by sheet: the rest are known
    layouts = [
        detect_layout(g) for g in book.sheets if g.n_rows and (chosen is None or g.name != sheet)
    ]
    if chosen is None and not layouts:
        raise ImportRefused(
            _("{file}: the file has no data (every sheet is empty).").format(
                file=named(book.file_name)
            )
        )
    hidden = {g.name for g in book.sheets if g.hidden}
    # Visible sheets win ties: a hidden sheet is usually a lookup list.
    best = chosen or max(layouts, key=lambda lay: (lay.score, lay.sheet not in hidden))
    # A workbook of a sheet per month (Jan, Feb, Mar) is imported a sheet at a time: the
    # others are named, so that none is left out unnoticed.
    salesy = [
        lay
        for lay in layouts
        if lay is not best and lay.sheet not in hidden and not lay.missing_required()
    ]
    aside = tuple(
        lay.sheet
        for lay in salesy
        if _SUMMARY_SHEET.intersection(normalise_label(lay.sheet).split())
    )
    others = tuple(lay.sheet for lay in salesy if lay.sheet not in aside)
    return replace(best, others=others, aside=aside) if others or aside else best


def apply_mapping(layout: Layout, overrides: dict[str, str]) -> Layout:
    """Return the layout with fields re-mapped to the given column labels or letters."""
    mapping = dict(layout.mapping)
    for fld, column in overrides.items():
        if fld not in FIELDS:
            raise ImportRefused(
                _("Unknown field '{field}'. Fields: {fields}.").format(
                    field=fld, fields=", ".join(FIELDS)
                )
            )
        if column in ("", None):
            mapping.pop(fld, None)
            continue
        index = _find_column(layout, str(column))
        if index is None:
            raise ImportRefused(
                _("Sheet '{sheet}' has no column '{column}'. Columns: {columns}.").format(
                    sheet=named(layout.sheet),
                    column=named(column),
                    columns=", ".join(layout.columns),
                )
            )
        for other, idx in list(mapping.items()):
            if idx == index and other != fld:
                del mapping[other]
        mapping[fld] = index
    return replace(layout, mapping=mapping, score=_score(mapping))


def _find_column(layout: Layout, column: str) -> int | None:
    for i, label in enumerate(layout.columns):
        if label == column:
            return i
    wanted = normalise_label(column)
    for i, label in enumerate(layout.columns):
        if normalise_label(label) == wanted:
            return i
    upper = column.strip().upper()
    if upper in layout.letters:
        return layout.letters.index(upper)
    return None
