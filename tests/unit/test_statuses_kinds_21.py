"""Documents that undo a sale (SAP's cancellations, 1C's deletion mark, credit notes written
positive, statuses of rejected, deleted, expired or uncaptured payments): no revenue."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.ingest import ImportRefused


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8") + b"\n"


def _revenues(conn) -> list[float]:
    return [r for (r,) in conn.execute("SELECT revenue FROM sales ORDER BY source_row").fetchall()]


def test_sap_invoice_cancellation_nets_its_invoice_out(conn):
    # Stored 4,700. By hand: 1,000 + 2,000 - 2,000 (the cancellation of 90000002) - 300 = 700.
    data = _csv(
        """
Billing Document,Billing Type,Billing Date,Sold-To Party,Sold-To Party Name,Net Value
90000001,Invoice,05.01.2024,100001,Acme Ltd,"1.000,00"
90000002,Invoice,17.01.2024,100002,Beta Works,"2.000,00"
90000003,Invoice Cancellation,20.01.2024,100002,Beta Works,"2.000,00"
90000004,Credit Memo,25.01.2024,100001,Acme Ltd,"300,00"
"""
    )
    counts, parsed, _pre = import_file(conn, data, "billing.csv")
    assert counts.rows_imported == 4
    assert counts.revenue == pytest.approx(700.0)
    assert _revenues(conn) == [1000.0, 2000.0, -2000.0, -300.0]
    assert any("cancels an invoice" in note for note in parsed.notes)


def test_sap_billing_type_codes(conn):
    # Stored 5,700. By hand: F2 1,000 + F2 2,000 - G2 300 - S1 2,000 + F2 400 = 1,100.
    data = _csv(
        """
Billing Document,Billing Type,Billing Date,Sold-To Party,Sold-To Party Name,Net Value
90000001,F2,2024-01-05,100001,Acme Ltd,1000
90000002,F2,2024-01-17,100002,Beta Works,2000
90000003,G2,2024-02-03,100001,Acme Ltd,300
90000004,S1,2024-02-05,100002,Beta Works,2000
90000005,F2,2024-02-14,100003,Gamma Co,400
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "fiori.csv")
    assert counts.revenue == pytest.approx(1100.0)
    assert _revenues(conn) == [1000.0, 2000.0, -300.0, -2000.0, 400.0]


def test_sap_credit_memo_cancelled_adds_back(conn):
    # S2 cancels the credit memo G2: by hand 1,000 - 300 + 300 = 1,000.
    data = _csv(
        """
Billing Document,Billing Type,Billing Date,Sold-To Party,Net Value
1,F2,2024-01-05,Acme Ltd,1000
2,G2,2024-01-06,Acme Ltd,300
3,S2,2024-01-07,Acme Ltd,300
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "s2.csv")
    assert counts.revenue == pytest.approx(1000.0)


def test_a_cancellation_written_negative_stays_as_written(conn):
    # By hand: 1,000 + 500 - 500 = 1,000.
    data = _csv(
        """
Type,Date,Customer,Amount
Invoice,2024-01-05,Acme Ltd,1000
Invoice,2024-01-06,Beta Works,500
Invoice Cancellation,2024-01-07,Beta Works,-500
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "signed.csv")
    assert counts.revenue == pytest.approx(1000.0)
    assert _revenues(conn) == [1000.0, 500.0, -500.0]


def test_1c_documents_marked_for_deletion_are_no_sales(conn):
    # Stored 7,624.75. By hand: 1,234.50 + 980 + 410.25 = 2,624.75; 2,500 is not posted and
    # 5,000 is posted but marked for deletion.
    data = _csv(
        """
Дата;Номер;Контрагент;Сумма документа;Проведен;Пометка удаления
05.01.2024 12:00:00;0000-000001;ООО Ромашка;1 234,50;Да;Нет
17.01.2024 12:00:00;0000-000002;ООО Лютик;980,00;Да;Нет
03.02.2024 12:00:00;0000-000003;ООО Ромашка;2 500,00;Нет;Да
14.02.2024 12:00:00;0000-000004;ИП Васильев;410,25;Да;Нет
15.02.2024 12:00:00;0000-000005;ИП Васильев;5 000,00;Да;Да
"""
    )
    counts, parsed, _pre = import_file(conn, data, "1c.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 2)
    assert counts.revenue == pytest.approx(2624.75)
    assert any("Пометка удаления" in note for note in parsed.notes)


def test_a_deletion_mark_in_english_is_read_too(conn):
    # By hand: 100 + 50 = 150; the row marked true is left out.
    data = _csv(
        """
Date,Number,Customer,Amount,DeletionMark
2024-01-05,1,Acme Ltd,100,false
2024-01-06,2,Acme Ltd,70,true
2024-01-07,3,Beta Works,50,false
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "1c_en.csv")
    assert counts.revenue == pytest.approx(150.0)


def test_xero_accreccredit_is_a_credit_note(conn):
    # Stored 1,700. By hand: 1,000 + 500 - 200; the VOIDED 800 left out: 1,300.
    data = _csv(
        """
*ContactName,*InvoiceNumber,*InvoiceDate,LineAmount,Type,Status
Acme Ltd,INV-0001,05 Jan 2024,1000.0,ACCREC,PAID
Beta Works,INV-0002,17 Jan 2024,500.0,ACCREC,AUTHORISED
Acme Ltd,CN-0001,03 Feb 2024,200.0,ACCRECCREDIT,PAID
Gamma Co,INV-0003,14 Feb 2024,800.0,ACCREC,VOIDED
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "xero.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 1)
    assert counts.revenue == pytest.approx(1300.0)
    assert _revenues(conn) == [1000.0, 500.0, -200.0]


def test_quickbooks_refund_receipt_is_taken_off(conn):
    # Stored 2,000. By hand: 1,000 + 500 (a Sales Receipt is a sale) - 200 + 300 = 1,600.
    data = _csv(
        """
Date,Transaction type,Num,Customer,Amount
01/05/2024,Invoice,1001,Acme Ltd,"1,000.00"
01/17/2024,Sales Receipt,1002,Beta Works,500.00
01/20/2024,Refund Receipt,1003,Beta Works,200.00
01/25/2024,Invoice,1004,Gamma Co,300.00
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "qbo.csv")
    assert counts.revenue == pytest.approx(1600.0)
    assert _revenues(conn) == [1000.0, 500.0, -200.0, 300.0]


def test_a_file_of_credit_notes_only_takes_them_off(conn):
    # Stored +150. By hand: -(100 + 50) = -150; Zoho's void credit note (70) is none.
    data = _csv(
        """
Credit Note Date,Credit Note Number,Credit Note Status,Customer Name,Total
2024-01-05,CN-00001,Closed,Acme Ltd,100.00
2024-01-17,CN-00002,Open,Beta Works,50.00
2024-01-18,CN-00003,Void,Beta Works,70.00
"""
    )
    counts, parsed, _pre = import_file(conn, data, "zoho_credit_notes.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 1)
    assert counts.revenue == pytest.approx(-150.0)
    assert _revenues(conn) == [-100.0, -50.0]
    assert any("the file lists credit notes" in note for note in parsed.notes)


def test_xero_credit_notes_dated_by_their_date_only(conn):
    # Xero's export: the number is not read as an order's, the date names the credit note.
    data = _csv(
        """
*ContactName,*CreditNoteNumber,*CreditNoteDate,LineAmount,Status
Acme Ltd,CN-0001,05 Jan 2024,100.00,PAID
Beta Works,CN-0002,17 Jan 2024,50.00,AUTHORISED
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "xero_credit_notes.csv")
    assert counts.revenue == pytest.approx(-150.0)


def test_credit_notes_written_negative_or_beside_an_invoice_date_stay_as_written(conn):
    # Already negative: -100 - 50 = -150, not flipped back. A credit note's number beside an
    # invoice's date is an invoice list's reference: 100 + 50 = 150.
    signed = _csv(
        """
Credit Note Date,Customer Name,Total
2024-01-05,Acme Ltd,-100.00
2024-01-17,Beta Works,-50.00
"""
    )
    counts, _parsed, _pre = import_file(conn, signed, "signed.csv")
    assert counts.revenue == pytest.approx(-150.0)
    listed = _csv(
        """
Invoice Date,Credit Note Number,Customer Name,Total
2024-02-05,CN-1,Gamma Co,100.00
2024-02-17,,Delta Inc,50.00
"""
    )
    counts, _parsed, _pre = import_file(conn, listed, "invoices.csv")
    assert counts.revenue == pytest.approx(150.0)


def test_bitrix_rejected_and_deleted_with_e_or_yo_are_no_sales(conn):
    # Stored 2,724.75. By hand: 1,234.50 + 410.25 (Не оплачен: owed, still a sale) = 1,644.75;
    # Отклонен 980, Удалён 100, Отклонена 60 and Удален 40 left out.
    data = _csv(
        """
ID;Дата выставления;Компания;Сумма;Статус
1;05.01.2024;ООО Ромашка;1 234,50;Оплачен
2;17.01.2024;ООО Лютик;980,00;Отклонен
3;03.02.2024;ИП Васильев;410,25;Не оплачен
4;04.02.2024;ИП Петров;100,00;Удалён
5;05.02.2024;ИП Петров;60,00;Отклонена клиентом
6;06.02.2024;ИП Петров;40,00;Удален
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "bitrix.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 4)
    assert counts.revenue == pytest.approx(1644.75)


def test_bitrix_cp1251_rejected_and_draft(conn):
    # Stored 2,214.50. By hand: 1,234.50 alone; Отклонён 980 and Черновик 410.25 left out.
    data = (
        "ID;Дата выставления;Компания;Сумма;Статус\r\n"
        "1;05.01.2024;ООО Ромашка;1 234,50;Оплачен\r\n"
        "2;17.01.2024;ООО Лютик;980,00;Отклонён\r\n"
        "3;03.02.2024;ИП Васильев;410,25;Черновик\r\n"
    ).encode("cp1251")
    counts, _parsed, _pre = import_file(conn, data, "bitrix_1251.csv")
    assert counts.revenue == pytest.approx(1234.5)


def test_shopify_expired_payment_is_no_sale(conn):
    # Stored 1,200. By hand (Subtotal): paid 100 + authorized 200 + partially_refunded 400 =
    # 700; voided 300 and expired 500 left out.
    data = _csv(
        """
Name,Email,Financial Status,Created at,Subtotal,Total,Billing Name
#1001,a@x,paid,2024-01-05 10:00:00 +0200,100.00,117.00,Acme Ltd
#1002,b@x,authorized,2024-01-06 10:00:00 +0200,200.00,234.00,Beta Works
#1003,c@x,voided,2024-01-07 10:00:00 +0200,300.00,351.00,Gamma Co
#1004,d@x,partially_refunded,2024-01-08 10:00:00 +0200,400.00,468.00,Gamma Co
#1005,e@x,expired,2024-01-09 10:00:00 +0200,500.00,585.00,Acme Ltd
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "shopify_orders.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 2)
    assert counts.revenue == pytest.approx(700.0)


def test_stripe_uncaptured_charge_is_no_sale(conn):
    # Stored 366. By hand (Converted Amount): 100 + 216 = 316; Failed 300, Refunded 400 and
    # Uncaptured 50 left out.
    head = "id,Created (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Status,"
    data = _csv(
        head
        + """Customer ID,Customer Description
ch_1,2024-01-05 10:00:00,100.00,0.00,usd,true,100.00,Paid,cus_A,Acme Ltd
ch_2,2024-01-17 10:00:00,200.00,0.00,eur,true,216.00,Paid,cus_B,Beta Works
ch_3,2024-02-03 10:00:00,300.00,0.00,usd,false,300.00,Failed,cus_A,Acme Ltd
ch_4,2024-02-14 10:00:00,400.00,400.00,usd,true,400.00,Refunded,cus_C,Gamma Co
ch_5,2024-03-06 10:00:00,50.00,0.00,usd,false,50.00,Uncaptured,cus_C,Gamma Co
"""
    )
    counts, _parsed, _pre = import_file(
        conn, data, "stripe_payments.csv", overrides={"order_date": "Created (UTC)"}
    )
    assert (counts.rows_imported, counts.rows_rejected) == (2, 3)
    assert counts.revenue == pytest.approx(316.0)


def test_an_invoice_cancelled_or_voided_is_no_sale(conn):
    # Stored 1,050. By hand: the invoices 100 + 400; the cancelled 200, voided 300 and 50 out.
    data = _csv(
        """
Date,Type,Num,Customer,Amount
2024-01-05,Invoice,1001,Acme,100
2024-01-06,Cancelled Invoice,1002,Beta,200
2024-01-07,Invoice (Void),1003,Acme,300
2024-01-08,Invoice,1004,Beta,400
2024-01-09,Void Invoice,1005,Acme,50
"""
    )
    counts, parsed, _pre = import_file(conn, data, "invoices.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 3)
    assert counts.revenue == pytest.approx(500.0)
    assert sorted(parsed.rejected["row"]) == [3, 4, 6]


def test_a_list_of_cancelled_invoices_alone_stores_nothing_and_says_why(conn):
    # Each row is an invoice cancelled: no sale. They were stored as 500 of sales.
    data = _csv(
        """
Date,Type,Customer,Amount
2024-01-06,Cancelled Invoice,Beta,200
2024-01-07,Cancelled Invoice,Acme,300
"""
    )
    with pytest.raises(ImportRefused) as refused:
        import_file(conn, data, "cancelled.csv")
    assert "All 2 data rows were rejected" in str(refused.value)
    assert "Cancelled Invoice" in str(refused.value)
    assert conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 0
