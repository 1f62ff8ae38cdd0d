"""Amounts and dates as exports of other countries write them: currency codes and local
currency words, Western European month names, Chinese, Japanese and Korean dates, ISO's basic
form with a time."""

from __future__ import annotations

from tests.hostile.case import Case

# Eight sales of three clients; the amounts add up to 11,410.05 (by hand: 1,234.50 + 980.00 +
# 2,500.00 + 410.25 + 1,750.75 + 3,200.00 + 99.99 + 1,234.56).
_AMOUNTS = (1234.5, 980.0, 2500.0, 410.25, 1750.75, 3200.0, 99.99, 1234.56)
_CLIENTS = ("Acme Ltd", "Beta Works", "Acme Ltd", "Gamma Co", "Beta Works", "Gamma Co")
_CLIENTS += ("Acme Ltd", "Beta Works")
_DAYS = ((1, 5), (1, 17), (2, 3), (2, 14), (2, 28), (3, 6), (3, 19), (3, 29))
TOTAL = 11410.05
NBSP = "\u00a0"
NAMES = frozenset({"Acme Ltd", "Beta Works", "Gamma Co"})


def _csv(dates: list[str], amounts: list[str], sep: str = ",") -> bytes:
    head = sep.join(("Date", "Client", "Amount"))
    rows = [sep.join((d, c, a)) for d, c, a in zip(dates, _CLIENTS, amounts, strict=True)]
    return ("\n".join([head, *rows]) + "\n").encode("utf-8")


def _iso() -> list[str]:
    return [f"2024-{m:02d}-{d:02d}" for m, d in _DAYS]


def _plain() -> list[str]:
    return [f"{a:.2f}" for a in _AMOUNTS]


def _grouped(a: float, group: str, mark: str) -> str:
    whole, cents = f"{a:.2f}".split(".")
    if len(whole) > 3:
        whole = whole[:-3] + group + whole[-3:]
    return f"{whole}{mark}{cents}"


def world_format_cases() -> list[Case]:
    """Files whose every row was rejected for its amount or its date."""
    fr = ("janv.", "févr.", "mars")
    de = ("Jan.", "Feb.", "März")
    es = ("enero", "febrero", "marzo")
    return [
        Case(
            "swiss_chf_apostrophe.csv",
            lambda p: _csv(_iso(), [f'"CHF {_grouped(a, "’", ".")}"' for a in _AMOUNTS]),
            rows=8,
            revenue=TOTAL,
            names=NAMES,
        ),
        Case(
            "polish_zloty.csv",
            lambda p: _csv(_iso(), [f"{_grouped(a, NBSP, ',')} zł" for a in _AMOUNTS], sep=";"),
            rows=8,
            revenue=TOTAL,
            names=NAMES,
        ),
        Case(
            "swedish_krona_code_after.csv",
            lambda p: _csv(_iso(), [f'"{_grouped(a, " ", ",")} SEK"' for a in _AMOUNTS]),
            rows=8,
            revenue=TOTAL,
        ),
        Case(
            "francs_and_euros_in_one_column.csv",
            lambda p: _csv(
                _iso(), [f"{'CHF' if i % 4 else 'EUR'} {a:.2f}" for i, a in enumerate(_AMOUNTS)]
            ),
            # The six in francs are kept; the euros of rows 2 and 6 (1,234.50 and 1,750.75)
            # rejected: 11,410.05 - 2,985.25.
            rows=6,
            rejected=2,
            revenue=8424.8,
            reason="two currencies",
        ),
        Case(
            "french_month_abbreviations.csv",
            lambda p: _csv([f"{d} {fr[m - 1]} 2024" for m, d in _DAYS], _plain()),
            rows=8,
            revenue=TOTAL,
            dates=frozenset(_iso()),
        ),
        Case(
            "german_month_names.csv",
            lambda p: _csv([f'"{d}. {de[m - 1]} 2024"' for m, d in _DAYS], _plain()),
            rows=8,
            revenue=TOTAL,
            dates=frozenset(_iso()),
        ),
        Case(
            "spanish_dates_with_de.csv",
            lambda p: _csv([f"{d} de {es[m - 1]} de 2024" for m, d in _DAYS], _plain()),
            rows=8,
            revenue=TOTAL,
            dates=frozenset(_iso()),
        ),
        Case(
            "japanese_dates.csv",
            lambda p: _csv([f"2024年{m}月{d}日" for m, d in _DAYS], _plain()),
            rows=8,
            revenue=TOTAL,
            dates=frozenset(_iso()),
        ),
        Case(
            "korean_dates.csv",
            lambda p: _csv([f"2024년 {m}월 {d}일" for m, d in _DAYS], _plain()),
            rows=8,
            revenue=TOTAL,
        ),
        Case(
            "iso_basic_date_times.csv",
            lambda p: _csv([f"2024{m:02d}{d:02d}T103000Z" for m, d in _DAYS], _plain()),
            rows=8,
            revenue=TOTAL,
            dates=frozenset(_iso()),
        ),
    ]
