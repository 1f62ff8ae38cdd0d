"""Files of documents that undo a sale: SAP's cancellations, 1C's deletion mark, credit notes
written positive, statuses of rejected, deleted, expired or uncaptured payments."""

from __future__ import annotations

from tests.conftest import write_xlsx
from tests.hostile import builders as b
from tests.hostile.case import Case

# 1C's list of sales documents as it saves one to Excel: amounts as text with a no-break space.
_1C = [
    ["Дата", "Номер", "Контрагент", "Сумма документа", "Валюта", "Проведен", "Пометка удаления"],
    ["05.01.2024 12:00:00", "0000-000001", "ООО Ромашка", "1\xa0234,50", "руб.", "Да", "Нет"],
    ["17.01.2024 12:00:00", "0000-000002", "ООО Лютик", "980,00", "руб.", "Да", "Нет"],
    ["03.02.2024 12:00:00", "0000-000003", "ООО Ромашка", "2\xa0500,00", "руб.", "Нет", "Да"],
    ["14.02.2024 12:00:00", "0000-000004", "ИП Васильев", "410,25", "руб.", "Да", "Нет"],
    ["15.02.2024 12:00:00", "0000-000005", "ИП Васильев", "5\xa0000,00", "руб.", "Да", "Да"],
]


def status_kind_cases() -> list[Case]:
    """Real exports whose undoing documents take nothing or their amount off revenue."""
    return [
        Case(
            "sap_billing_types_cancellation.csv",
            lambda p: (
                b"Billing Document,Billing Type,Billing Date,Sold-To Party,Sold-To Party Name,"
                b"Net Value\n"
                b'90000001,Invoice,05.01.2024,100001,Acme Ltd,"1.000,00"\n'
                b'90000002,Invoice,17.01.2024,100002,Beta Works,"2.000,00"\n'
                b'90000003,Invoice Cancellation,20.01.2024,100002,Beta Works,"2.000,00"\n'
                b'90000004,Credit Memo,25.01.2024,100001,Acme Ltd,"300,00"\n'
                b"90000005,F2,14.02.2024,100003,Gamma Co,400\n"
                b"90000006,S1,15.02.2024,100003,Gamma Co,400\n"
                b"90000007,G2,16.02.2024,100001,Acme Ltd,100\n"
            ),
            rows=7,
            revenue=600.0,
            note="its cancellation cancel out",
        ),
        Case(
            "1c_deletion_mark.xlsx",
            b.via(write_xlsx, {"TDSheet": _1C}),
            rows=3,
            rejected=2,
            revenue=2624.75,
            value="Да",
        ),
        Case(
            "xero_accreccredit_qbo_refund_receipt.csv",
            lambda p: (
                b"Customer,Number,Date,Amount,Type\n"
                b"Acme Ltd,INV-0001,2024-01-05,1000.00,ACCREC\n"
                b"Acme Ltd,CN-0001,2024-02-03,200.00,ACCRECCREDIT\n"
                b"Beta Works,1002,2024-02-17,500.00,Sales Receipt\n"
                b"Beta Works,1003,2024-02-20,150.00,Refund Receipt\n"
            ),
            rows=4,
            revenue=1150.0,
            note="credit notes (ACCRECCREDIT, Refund Receipt)",
        ),
        Case(
            "zoho_credit_notes_only.csv",
            lambda p: (
                b"Credit Note Date,Credit Note Number,Credit Note Status,Customer Name,Total\n"
                b"2024-01-05,CN-00001,Closed,Acme Ltd,100.00\n"
                b"2024-01-17,CN-00002,Open,Beta Works,50.00\n"
                b"2024-01-18,CN-00003,Void,Beta Works,70.00\n"
            ),
            rows=2,
            rejected=1,
            revenue=-150.0,
            value="Void",
            note="the file lists credit notes",
        ),
        Case(
            "bitrix_invoices_rejected_deleted_cp1251.csv",
            lambda p: (
                "ID;Дата выставления;Компания;Сумма;Статус\r\n"
                "1;05.01.2024;ООО Ромашка;1 234,50;Оплачен\r\n"
                "2;17.01.2024;ООО Лютик;980,00;Отклонён\r\n"
                "3;03.02.2024;ИП Васильев;410,25;Не оплачен\r\n"
                "4;04.02.2024;ИП Петров;100,00;Удалён\r\n"
                "5;05.02.2024;ИП Петров;60,00;Отклонен\r\n"
            ).encode("cp1251"),
            rows=2,
            rejected=3,
            revenue=1644.75,
            value="Удалён",
        ),
        Case(
            "shopify_orders_financial_status_expired.csv",
            lambda p: (
                b"Name,Email,Financial Status,Created at,Subtotal,Total,Billing Name\n"
                b"#1001,a@x,paid,2024-01-05 10:00:00 +0200,100.00,117.00,Acme Ltd\n"
                b"#1002,b@x,authorized,2024-01-06 10:00:00 +0200,200.00,234.00,Beta Works\n"
                b"#1005,e@x,expired,2024-01-09 10:00:00 +0200,500.00,585.00,Acme Ltd\n"
            ),
            rows=2,
            rejected=1,
            revenue=300.0,
            value="expired",
        ),
        Case(
            "stripe_payments_uncaptured.csv",
            lambda p: (
                b"id,Created date (UTC),Amount,Currency,Captured,Status,Customer Description\n"
                b"ch_1,2024-01-05 10:00:00,100.00,usd,true,Paid,Acme Ltd\n"
                b"ch_2,2024-01-17 10:00:00,216.00,usd,true,Paid,Beta Works\n"
                b"ch_5,2024-03-06 10:00:00,50.00,usd,false,Uncaptured,Gamma Co\n"
            ),
            rows=2,
            rejected=1,
            revenue=316.0,
            value="Uncaptured",
        ),
        Case(
            "invoices_cancelled_and_voided.csv",
            lambda p: (
                b"Date,Type,Num,Customer,Amount\n"
                b"2024-01-05,Invoice,1001,Acme,100\n"
                b"2024-01-06,Cancelled Invoice,1002,Beta,200\n"
                b"2024-01-07,Voided Invoice,1003,Acme,300\n"
                b"2024-01-08,Invoice,1004,Beta,400\n"
            ),
            rows=2,
            rejected=2,
            revenue=500.0,
            value="Cancelled Invoice",
        ),
    ]
