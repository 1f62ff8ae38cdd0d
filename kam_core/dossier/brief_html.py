"""HTML pieces of the negotiation brief: escaping, amounts, dates, tables and lists."""

from __future__ import annotations

import html

import pandas as pd

from kam_core.dossier.amounts import amount_text
from kam_core.i18n import _, fmt_date


def e(value: object) -> str:
    """Escape any value for HTML; blanks become an empty string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def money(value: object, symbol: str = "", decimals: int = 0) -> str:
    """An amount with the currency symbol and the locale's separators, or a dash."""
    return amount_text(value, symbol, decimals)


def day(value: object) -> str:
    """A date in the locale's short form, or a blank."""
    if value is None or pd.isna(value):
        return ""
    return fmt_date(pd.Timestamp(value))


def table(rows: list[list[str]], header: list[str], numeric: tuple[int, ...] = ()) -> str:
    """An HTML table of already escaped cells, or a note that there is nothing."""
    if not rows:
        return f'<p class="empty">{e(_("Nothing recorded."))}</p>'
    head = "<tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>" if any(header) else ""
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table>{head}{body}</table>"


def bullets(items: list[str], css: str = "") -> str:
    """A list of escaped items, or a note that there is nothing."""
    if not items:
        return f'<p class="empty">{e(_("None."))}</p>'
    return f'<ul class="{css}">' + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>"
