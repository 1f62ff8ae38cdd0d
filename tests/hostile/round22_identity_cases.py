"""Files of a twenty-second round on client identity and the order of day and month: a code
left blank on a row of a client the file names with it, codes in other capitals under one
name, and a day-first column whose dates also read month first."""

from __future__ import annotations

from tests.hostile.case import Case


def round22_identity_cases() -> list[Case]:
    """One client per code in a file; a column a date proves day first read so."""
    return [
        Case(
            "code_blank_on_a_row_of_a_coded_client.csv",
            lambda p: (
                b"Date,Client ID,Client,Amount\n"
                b"2025-04-01,C001,Acme Ltd,100.00\n"
                b"2025-04-02,,Acme Ltd,50.25\n"
                b"2025-04-03,C002,Beta Works,70.00\n"
            ),
            rows=3,
            revenue=220.25,
            ids=frozenset({"C001", "C002"}),
        ),
        Case(
            "codes_in_three_capitalisations.csv",
            lambda p: (
                b"Date,Client ID,Client,Amount\n"
                b"2025-04-01,Acme-01,Acme,100.00\n"
                b"2025-04-02,ACME-01,Acme,200.00\n"
                b"2025-04-03,acme-01,Acme,300.00\n"
            ),
            rows=3,
            revenue=600.0,
            ids=frozenset({"ACME-01"}),
        ),
        Case(
            "day_first_proved_by_one_date.csv",
            lambda p: (
                b"Date,Customer,Amount\n"
                b"25/03/2024,Acme,100.00\n"
                b"05/03/2024,Acme,200.00\n"
                b"10/02/2024,Beta,300.00\n"
            ),
            rows=3,
            revenue=600.0,
            dates=frozenset({"2024-03-25", "2024-03-05", "2024-02-10"}),
        ),
    ]
