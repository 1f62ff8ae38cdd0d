"""Canonical sales fields and the header synonyms that map to them (English, Hebrew, Russian,
Chinese, Japanese, Korean)."""

from __future__ import annotations

import functools
import re
import unicodedata

from kam_core.i18n import N_, _

REQUIRED = ("order_date", "revenue")
CLIENT_FIELDS = ("client_id", "client_name")
DATE_FIELDS = ("order_date", "due_date", "ship_date")
NUMBER_FIELDS = ("revenue", "profit", "quantity")
TEXT_FIELDS = (
    "client_id",
    "client_name",
    "order_id",
    "product",
    "category",
    "manager",
    "region",
    "segment",
)
BOOL_FIELDS = ("returned",)
FIELDS: tuple[str, ...] = (
    "order_date",
    "client_id",
    "client_name",
    "revenue",
    "order_id",
    "profit",
    "quantity",
    "product",
    "category",
    "manager",
    "region",
    "segment",
    "due_date",
    "ship_date",
    "returned",
)
# How the mapping editor names each field, and the word a rejected row's reason uses for it.
FIELD_LABELS: dict[str, str] = {
    "order_date": N_("Order date"),
    "client_id": N_("Client ID"),
    "client_name": N_("Client name"),
    "revenue": N_("Revenue"),
    "order_id": N_("Order ID"),
    "profit": N_("Profit"),
    "quantity": N_("Quantity"),
    "product": N_("Product"),
    "category": N_("Product category"),
    "manager": N_("Manager"),
    "region": N_("Region"),
    "segment": N_("Segment"),
    "due_date": N_("Due date"),
    "ship_date": N_("Ship date"),
    "returned": N_("Returned"),
}
FIELD_WORDS: dict[str, str] = {
    "order_date": N_("order date"),
    "client_id": N_("client id"),
    "client_name": N_("client name"),
    "revenue": N_("revenue"),
    "order_id": N_("order id"),
    "profit": N_("profit"),
    "quantity": N_("quantity"),
    "product": N_("product"),
    "category": N_("category"),
    "manager": N_("manager"),
    "region": N_("region"),
    "segment": N_("segment"),
    "due_date": N_("due date"),
    "ship_date": N_("ship date"),
    "returned": N_("returned"),
}
FIELD_HELP: dict[str, str] = {
    "order_date": N_("Required. The date of the order or invoice."),
    "client_id": N_("The client's code. With only a name, the code is derived from the name."),
    "client_name": N_("The client's name. A client id or a client name is required."),
    "revenue": N_("Required. The amount of the line (net of VAT when the file has both)."),
    "due_date": N_("The promised delivery date, for on-time delivery."),
    "ship_date": N_("The actual shipping or delivery date."),
    "returned": N_("Marks returned lines (yes/no)."),
}


def field_label(fld: str) -> str:
    """A field's label in the current language: 'order_date' -> 'Order date'."""
    return _(FIELD_LABELS[fld]) if fld in FIELD_LABELS else fld.replace("_", " ")


def field_word(fld: str) -> str:
    """A field as a word inside a sentence, in the current language: 'order date'."""
    return _(FIELD_WORDS[fld]) if fld in FIELD_WORDS else fld.replace("_", " ")


def field_help(fld: str) -> str | None:
    """The mapping editor's help for a field in the current language, if it has one."""
    return _(FIELD_HELP[fld]) if fld in FIELD_HELP else None


# Order matters within a field: earlier synonyms are stronger. A header is matched after
# normalise_label(), so case, spaces and punctuation do not count.
# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    "order_date": (
        "order date", "date", "invoice date", "document date", "sale date", "sales date",
        "transaction date", "posting date", "doc date", "order dt", "orderdate",
        "תאריך", "תאריך הזמנה", "תאריך חשבונית", "תאריך מסמך", "תאריך עסקה", "תאריך מכירה",
        "дата", "дата заказа", "дата продажи", "дата документа", "дата отгрузки документа",
        "дата счета", "период",
        # Web shops' exports (Shopify's 'Created at': an archived order's 'Closed at' is later).
        "created at",
        "invoice bill date", "bill date", "won time", "won date", "date won", "close time",
        # CRMs' deals: closed (won) on this date, created earlier ('Date Created' in SugarCRM,
        # 'Created Time' in Zoho); a day before a month or a period of a monthly report.
        "close date", "closed date", "date closed", "closing date", "closed on", "closed at",
        "actual close date", "дата закрытия", "תאריך סגירה",
        "date created", "creation date", "period", "month", "תקופה", "חודש",
        "created time", "created on", "created date",
        "date de facture", "date facture",
        # Priority's abbreviated 'invoice date' and 'document date'.
        "ת חשבונית", "ת מסמך",
        # МойСклад's documents list: the document's date and time, under 'Время'.
        "время",
        # Stripe's payments: 'Created (UTC)', when the charge was made.
        "created utc", "created date utc",
        # Chinese (simplified, traditional), Japanese and Korean exports.
        "日期", "订单日期", "訂單日期", "销售日期", "銷售日期", "发票日期", "發票日期", "开票日期",
        "開票日期", "单据日期", "單據日期", "交易日期", "下单日期", "下單日期",
        "日付", "受注日", "注文日", "売上日", "請求日", "伝票日付", "計上日", "取引日",
        "날짜", "일자", "주문일", "주문일자", "판매일", "판매일자", "매출일", "매출일자", "거래일",
        "거래일자", "전표일자",
        # German, French, Spanish and Italian exports.
        "datum", "rechnungsdatum", "belegdatum", "date de commande", "fecha", "fecha de factura",
        "data fattura", "data documento",
    ),
    "client_id": (
        "client id", "customer id", "account id", "customer no", "customer number",
        "customer code", "client code", "client no", "account number", "account no",
        "cust id", "cust no", "sold to", "sold to party",
        # Sage: the customer's account code ('Account Reference', 'A/C Ref') beside its Name.
        "account reference", "account ref", "a c ref", "a c reference",
        # Sage 200's sales ledger: 'A/C' (the account code) beside its Name.
        "a c",
        "מספר לקוח", "קוד לקוח", "מס לקוח", "חפ", "ח פ", "מזהה לקוח",
        "код клиента", "код контрагента", "инн", "номер клиента", "id клиента",
        # Hashavshevet's account key (a customer is an account there); Dynamics 365 F&O's
        # Invoice account.
        "מפתח חשבון", "invoice account", "customer account",
        "客户编号", "客户代码", "客户编码", "客戶編號", "客戶代碼", "顧客コード", "顧客番号",
        "得意先コード", "取引先コード", "고객코드", "고객번호", "거래처코드",
    ),
    "client_name": (
        "customer", "client", "account", "customer name", "client name", "account name",
        "company", "company name", "buyer", "sold to name", "customer description",
        "buyer name",
        "לקוח", "שם לקוח", "שם הלקוח", "חברה", "שם חברה",
        "клиент", "контрагент", "покупатель", "наименование клиента", "заказчик",
        "наименование контрагента", "название клиента",
        "billing name", "bill to name", "bill to", "a c name",
        # SAP's list exports: 'Sold-To Pt' (the code) beside 'Name of sold-to party'.
        "name of sold to party", "sold to party name", "name of customer", "name of payer",
        # CRMs (Pipedrive, Insightly): the deal's company beside its contact person.
        "organization", "organisation", "organization name", "organisation name", "org name",
        "компания", "название компании", "организация", "raison sociale", "nom du client",
        "accounts",
        # Hashavshevet's account name; Salesforce's Account Name in Hebrew.
        "שם חשבון",
        # Odoo's invoices: the customer as shown on the invoice (its 'Invoice' made it the
        # order number).
        "invoice partner display name", "partner display name",
        "客户", "客户名称", "客户名", "客戶", "客戶名稱", "顾客", "顧客", "顧客名", "得意先",
        "得意先名", "取引先", "取引先名", "会社名", "公司名称", "公司名稱", "고객", "고객명",
        "거래처", "거래처명", "업체명", "회사명",
        # German, French, Spanish and Italian exports.
        "kunde", "kundenname", "nom du client", "cliente", "nombre del cliente", "ragione sociale",
    ),
    "revenue": (
        "revenue", "sales", "amount", "total", "net sales", "sales amount", "net amount",
        "turnover", "sum", "value", "sales value", "total amount", "line total", "net revenue",
        "invoice amount", "amount ils", "amount usd", "total sales", "subtotal",
        "order total", "order amount", "order value", "order subtotal", "invoice total",
        "line amount", "item total", "item amount", "line subtotal", "item subtotal",
        "extended amount", "extended price", "ext amount", "ext price", "sold for",
        "untaxed amount", "untaxed total", "amount untaxed", "net value",
        # SAP Business One's invoice list ('ILS 11,700.00'): a document's total, not its number.
        "document total",
        "סכום", "מחזור", "הכנסה", "הכנסות", "סכום כולל", "סהכ", "סך הכל", "מכירות", "סכום נטו",
        "סכום לפני מעמ",
        "сумма", "выручка", "оборот", "сумма продажи", "сумма продаж", "итого", "стоимость",
        "сумма без ндс", "сумма с ндс", "продажи",
        "montant ht", "total ht",
        # German, French, Spanish and Italian exports.
        "betrag", "umsatz", "nettobetrag", "montant", "chiffre daffaires", "importe", "ventas",
        "importo", "fatturato",
        "金额", "金額", "销售额", "銷售額", "销售金额", "銷售金額", "总金额", "總金額", "营业额",
        "營業額", "合计", "合計", "売上", "売上高", "売上金額", "請求金額", "税抜金額", "合計金額",
        "금액", "매출", "매출액", "판매금액", "합계", "합계금액", "총액", "공급가액",
    ),
    "order_id": (
        "order id", "order no", "order number", "invoice", "invoice no", "invoice number",
        "document", "document no", "doc no", "order", "sales order", "so number",
        "מספר הזמנה", "הזמנה", "מספר חשבונית", "חשבונית", "מספר מסמך", "אסמכתא",
        "номер заказа", "заказ", "номер документа", "документ", "номер счета", "счет",
        "订单号", "订单编号", "訂單號", "訂單編號", "发票号", "發票號", "单据号", "單據號",
        "注文番号", "受注番号", "伝票番号", "請求書番号", "주문번호", "송장번호", "전표번호",
    ),
    "profit": (
        "profit", "gross profit", "margin", "gross margin", "margin amount", "contribution",
        "רווח", "רווח גולמי", "רווחיות", "מרווח",
        "прибыль", "валовая прибыль", "маржа", "наценка",
        "利润", "利潤", "毛利", "粗利", "利益", "이익", "마진",
    ),
    "quantity": (
        "quantity", "qty", "units", "pieces", "pcs", "volume", "count", "order quantity",
        "כמות", "יחידות",
        "количество", "кол во", "колво", "кол", "шт",
        "数量", "數量", "수량",
    ),
    "product": (
        "product", "item", "product name", "item name", "sku", "article", "material",
        "item description", "product description", "goods",
        "מוצר", "פריט", "שם מוצר", "שם פריט", "מקט", "תיאור פריט",
        "товар", "номенклатура", "продукт", "наименование товара", "артикул", "наименование",
        "产品", "產品", "商品", "产品名称", "產品名稱", "商品名称", "商品名稱", "商品名", "品名",
        "品目", "製品", "제품", "상품", "제품명", "상품명", "품목", "품명",
    ),
    "category": (
        "category", "product category", "product group", "item group", "group", "family",
        "product line", "sub category", "subcategory", "class",
        "קטגוריה", "קבוצת מוצרים", "משפחה", "קבוצה", "קבוצת פריט",
        "категория", "группа товаров", "группа", "товарная группа", "категория товара",
        "类别", "類別", "分类", "分類", "カテゴリ", "カテゴリー", "분류", "카테고리",
    ),
    "manager": (
        "manager", "account manager", "key account manager", "kam", "sales rep",
        "salesperson", "sales person", "sales manager", "rep", "agent", "owner",
        "account owner", "responsible",
        "מנהל", "מנהל לקוח", "מנהל תיק", "סוכן", "איש מכירות", "מנהל מכירות", "אחראי",
        "менеджер", "ответственный", "торговый представитель", "продавец", "агент",
        "менеджер клиента",
        "销售员", "銷售員", "业务员", "業務員", "负责人", "負責人", "担当者", "営業担当", "담당자",
        "영업담당", "영업사원",
    ),
    "region": (
        "region", "area", "territory", "district", "zone", "city", "state", "country",
        "אזור", "מחוז", "עיר", "איזור",
        "регион", "область", "округ", "город", "территория", "страна",
        "地区", "地區", "区域", "區域", "城市", "地域", "都道府県", "지역", "도시",
    ),
    "segment": (
        "segment", "customer segment", "client segment", "customer type", "client type",
        "channel", "sector", "industry", "market",
        # A shop's channel of sale, not its sales nor an order's number.
        "sales channel", "order channel",
        "סגמנט", "פלח", "סוג לקוח", "ענף", "ערוץ", "מגזר",
        "сегмент", "тип клиента", "канал", "отрасль", "категория клиента",
    ),
    "due_date": (
        "due date", "promised date", "requested date", "delivery due", "promise date",
        "requested delivery date", "planned delivery", "expected date",
        "תאריך מובטח", "תאריך אספקה מתוכנן", "תאריך יעד", "מועד אספקה",
        "срок поставки", "плановая дата", "дата поставки план", "обещанная дата",
    ),
    "ship_date": (
        "ship date", "shipping date", "shipped date", "delivery date", "dispatch date",
        "actual delivery", "delivered", "delivered date",
        "תאריך משלוח", "תאריך אספקה", "תאריך אספקה בפועל", "נשלח",
        "дата отгрузки", "дата доставки", "отгрузка", "дата поставки",
    ),
    "returned": (
        "returned", "return", "returns", "is return", "return flag", "refund",
        "החזרה", "הוחזר", "זיכוי",
        "возврат", "возвращено",
    ),
}
# fmt: on

# Hebrew vowel points and cantillation, Arabic vowel signs: the same word is written with them
# or without, so they are dropped.
_OPTIONAL_MARKS = re.compile(
    "[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u064b-\u065f\u0670]"
)


# Quotation marks other than ASCII's and Hebrew's: curly, low, angle, primes, backtick, acute,
# full-width (NFKC makes ＇ and ＂ ASCII already).
_QUOTES = re.compile("[\u2018-\u201f\u2032\u2033\u2035\u2036\u00ab\u00bb\u2039\u203a`\u00b4]")


@functools.cache
def _separators() -> re.Pattern[str]:
    """Runs of what separates words: not a letter, a digit, or a mark that is part of a letter."""
    # Other scripts' combining marks are letters' vowels (राम and रीम, กิน and กัน are two
    # names): as separators they made such names one client. Built once, on first use.
    marks = "".join(
        chr(cp) for cp in range(0x300, 0x10000) if unicodedata.category(chr(cp))[0] == "M"
    )
    return re.compile(f"(?:[^\\w{re.escape(marks)}]|_)+")


# How client ids are derived from names: 2 keeps combining marks with their letters and drops
# Hebrew points; 1 took every mark for a space; 3 also reads ids without marks (PLAIN_IDS); 4
# drops the Arabic tatweel; 5 drops typographic quotes as ASCII ones. A database holding sales
# keeps the way its ids were made (meta 'name_keys'), so a client keeps its id.
NAME_KEYS = 5
PLAIN_IDS = 3  # from this name_keys on, ids are read without marks and full-width forms
_PUNCT = re.compile(r"[\W_]+")


def normalise_label(text: object, name_keys: int = NAME_KEYS) -> str:
    """Lower-case a header, drop punctuation and collapse spaces, for matching."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text)).casefold()
    # Hebrew abbreviations use gershayim (סה"כ, ח.פ.): dropping quotes keeps the letters together.
    value = value.replace('"', "").replace("״", "").replace("'", "").replace("׳", "")
    if name_keys >= 5 and not value.isascii():
        # Typographic quotes are the same marks: McDonald’s is McDonald's, בע”מ is בע"מ.
        value = _QUOTES.sub("", value)
    if name_keys < 2:
        return " ".join(_PUNCT.sub(" ", value).split())
    if not value.isascii():
        value = _OPTIONAL_MARKS.sub("", value)
        if name_keys >= 4:
            # The tatweel (U+0640) only stretches a line between Arabic letters: عـلي is علي.
            value = value.replace("\u0640", "")
    return " ".join(_separators().sub(" ", value).split())


SYNONYM_INDEX: dict[str, str] = {}
SYNONYM_RANK: dict[str, int] = {}  # position within its field's tuple: earlier is stronger
for _field, _words in SYNONYMS.items():
    for _rank, _word in enumerate(_words):
        if normalise_label(_word) not in SYNONYM_INDEX:
            SYNONYM_INDEX[normalise_label(_word)] = _field
            SYNONYM_RANK[normalise_label(_word)] = _rank
# Net before gross: with "Amount" and "Net Amount" both in a file, revenue is the net one (as
# the field's help says), though the plain words come first as examples of a header.
for _word in (
    "net value",
    "net revenue",
    "net sales",
    "net amount",
    "סכום נטו",
    "סכום לפני מעמ",
    "сумма без ндс",
):
    SYNONYM_RANK[normalise_label(_word)] = -1

# Headers that name a field exactly (its own name, the app's label for it, and the plain word
# in Hebrew and Russian). Such a column wins over one that only carries a synonym: with both
# Country and Region present, Region is the region. Each name is also one of its synonyms.
# fmt: off
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "order_date": ("order date", "תאריך הזמנה", "дата заказа"),
    "client_id": ("client id", "מספר לקוח", "код клиента"),
    "client_name": ("client name", "client", "שם לקוח", "наименование клиента"),
    "revenue": ("revenue", "הכנסות", "выручка"),
    "order_id": ("order id", "מספר הזמנה", "номер заказа"),
    "profit": ("profit", "רווח", "прибыль"),
    "quantity": ("quantity", "כמות", "количество"),
    "product": ("product", "מוצר", "товар"),
    "category": ("category", "product category", "קטגוריה", "категория"),
    "manager": ("manager", "מנהל", "менеджер"),
    "region": ("region", "אזור", "регион"),
    "segment": ("segment", "סגמנט", "сегмент"),
    "due_date": ("due date", "תאריך יעד", "срок поставки"),
    "ship_date": ("ship date", "תאריך משלוח", "дата отгрузки"),
    "returned": ("returned", "הוחזר", "возврат"),
}
# fmt: on
NAME_INDEX: dict[str, str] = {
    normalise_label(name): fld for fld, names in FIELD_NAMES.items() for name in names
}

# fmt: off
TOTAL_LABELS = frozenset(
    normalise_label(w)
    for w in (
        "total", "totals", "grand total", "subtotal", "sub total", "sub-total", "sum", "overall",
        "total sales", "report total", 'סה"כ', "סהכ", "סך הכל", "סך הכול", 'סה"כ כללי',
        "סיכום", "итого", "всего", "итог", "общий итог", "итого по отчету",
        # Exports of European subsidiaries: German, French, Italian, Dutch, Spanish, Polish.
        "summe", "gesamt", "gesamtsumme", "somme", "totale", "totaal", "suma", "razem",
        # The grand total of a pivot table in those languages and in Hebrew.
        "gesamtergebnis", "ergebnis", "totale complessivo", "eindtotaal", "suma końcowa",
        "סכום כולל",
        # A report's closing line over every client: 'All', 'All customers', 'Summary'.
        "all", "all customers", "all clients", "all accounts", "summary", "כל הלקוחות",
        # A ledger's page totals carried to the next page and brought from the last one.
        "carried forward", "brought forward", "carried fwd", "brought fwd", "c/f", "b/f",
        "balance carried forward", "balance brought forward", "balance c/f", "balance b/f",
        "to carry forward", "übertrag", "report", "a reporter", "יתרה מועברת", "יתרה להעברה",
        "מועבר", "הועבר", "העברה מדף קודם", "перенос", "остаток на начало",
    )
)
# fmt: on
TOTAL_PREFIXES = tuple(
    normalise_label(w) + " "
    for w in (
        "total",
        "totals",
        "subtotal",
        "grand total",
        "grand totals",
        'סה"כ',
        "итого",
        "всего",
    )
)
# Excel's Data > Subtotal writes "Acme Total" under the grouped column.
TOTAL_SUFFIXES = tuple(
    " " + normalise_label(w) for w in ("total", "subtotal", "итог", "итого", "ergebnis")
)

# A label with a currency word names each row's currency: 'Currency', 'Amount Currency'
# (Salesforce), 'Doc. currency' (SAP), 'מטבע', 'Валюта'.
CURRENCY_WORDS = frozenset(
    {"currency", "curr", "cur", "ccy", "מטבע", "валюта", "währung", "devise", "moneda", "valuta",
     "waluta"}
)  # fmt: skip

# Labels of a deal's stage in a CRM's pipeline (SugarCRM's Sales Stage, Fireberry's שלב מכירה,
# amoCRM's Этап сделки).
STAGE_LABELS = frozenset(
    normalise_label(label)
    for label in (
        "stage", "deal stage", "opportunity stage", "sales stage", "שלב", "שלב מכירה", "стадия",
        "стадия сделки", "этап", "этап сделки",
    )
)  # fmt: skip
