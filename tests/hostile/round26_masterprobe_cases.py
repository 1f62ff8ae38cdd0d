"""Files of a twenty-sixth round, probing where master data and sales meet: master data in a
text file is now told by the file's name (tenders.csv holds Tenders), so a sales export that
happens to carry such a name must still import as sales on the Upload page and the command
line's import. The master-data shapes of the round (numbers past a double's smallest, text
files named after their kind, rejected rows listed by the command line) are tests of
tests/integration/test_hostile_master.py: this corpus imports sales."""

from __future__ import annotations

from tests.hostile.case import Case

# A sales export named after a master-data kind, with a tender-like amount of 1e-400 (rejected
# as in any sales file) beside two sales.
SALES_NAMED_TENDERS = (
    b"Order Date,Customer,Amount\n2024-01-05,Acme,1200\n2024-01-06,Beta,1e-400\n"
    b"2024-01-07,Gamma,300\n"
)
# A sales export named Clients.csv whose customers are a zero-width space and a BOM with a
# joiner: no name at all, as master data now reads them too (an internal error there).
SALES_INVISIBLE_NAMES = (
    "Order Date,Customer,Amount\n2024-01-05,\u200b,100\n2024-01-06,\ufeff\u200d,50\n"
    "2024-01-07,Acme,300\n"
).encode()
SALES_NAMED_CONTACTS = 'Order Date,Customer,Amount\n2024-02-01,משה בע"מ,500\n'.encode()


def round26_masterprobe_cases() -> list[Case]:
    return [
        Case(
            "Clients.csv",
            lambda p: SALES_INVISIBLE_NAMES,
            rows=1,
            rejected=2,
            names=frozenset({"Acme"}),
            reason="client is missing",
            revenue=300.0,
        ),
        Case(
            "tenders.csv",
            lambda p: SALES_NAMED_TENDERS,
            rows=2,
            rejected=1,
            names=frozenset({"Acme", "Gamma"}),
            value="1e-400",
            reason="too small for a number to hold",
            revenue=1500.0,
        ),
        Case(
            "Contacts.CSV",
            lambda p: SALES_NAMED_CONTACTS,
            rows=1,
            names=frozenset({'משה בע"מ'}),
            revenue=500.0,
        ),
    ]
