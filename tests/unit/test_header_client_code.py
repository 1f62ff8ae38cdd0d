"""A bare "Customer" beside "Customer Name" is the client's code, as ERP exports mean it."""

import pytest

from kam_core.ingest.header import auto_map


def clients(labels: list[str]) -> dict[str, str]:
    """The client columns auto_map picks, by label."""
    mapping = auto_map(labels)
    return {f: labels[i] for f, i in mapping.items() if f.startswith("client")}


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        # SAP-style and Priority-style exports: the bare word holds the code.
        (["Date", "Customer", "Customer Name", "Amount"], {"Customer", "Customer Name"}),
        (["Date", "Client name", "Client", "Amount"], {"Client", "Client name"}),
        (["תאריך", "לקוח", "שם לקוח", "סכום"], {"לקוח", "שם לקוח"}),
        (["תאריך", "לקוח", "שם הלקוח", "סכום"], {"לקוח", "שם הלקוח"}),
        (["Дата", "Клиент", "Наименование клиента", "Сумма"], {"Клиент", "Наименование клиента"}),
    ],
)
def test_the_bare_label_is_the_id_and_the_fuller_one_the_name(labels, expected):
    found = clients(labels)
    bare, fuller = sorted(expected, key=len)
    assert found == {"client_id": bare, "client_name": fuller}


def test_with_an_id_column_the_fuller_name_wins_and_the_bare_one_is_left():
    labels = ["Date", "Customer", "Customer ID", "Customer Name", "Amount"]
    assert clients(labels) == {"client_id": "Customer ID", "client_name": "Customer Name"}


@pytest.mark.parametrize(
    "labels",
    [
        ["Date", "Customer", "Amount"],
        # Another word made fuller may name something else (a ledger account): left as it was.
        ["Date", "Customer", "Account Name", "Amount"],
    ],
)
def test_without_the_same_word_made_fuller_the_customer_stays_the_name(labels):
    assert clients(labels) == {"client_name": "Customer"}
