"""The dossier's numbers from the sales lines and the records: purchases, returns, deliveries
and tenders, so the screen and the command line show the same figures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kam_core.dossier.history import LATE, delivery_status


@dataclass(frozen=True)
class PurchaseFigures:
    """All-time totals of one client's sales lines."""

    revenue: float
    lines: int
    orders: int
    returned: float  # revenue of the returned lines, as a positive amount
    late_lines: int


@dataclass(frozen=True)
class TenderFigures:
    """How many tenders were recorded, won and lost."""

    tenders: int
    won: int
    lost: int


def purchase_figures(sales: pd.DataFrame) -> PurchaseFigures:
    """Revenue, lines, distinct orders, returned revenue and late lines of a client's sales."""
    if sales.empty:
        return PurchaseFigures(0.0, 0, 0, 0.0, 0)
    return PurchaseFigures(
        revenue=float(sales["revenue"].sum()),
        lines=len(sales),
        orders=int(sales["order_id"].nunique()),
        returned=float(-sales["revenue"].clip(upper=0).sum()),
        late_lines=int((delivery_status(sales) == LATE).sum()),
    )


def tender_figures(tenders: pd.DataFrame) -> TenderFigures:
    """Tenders recorded, won and lost."""
    results = tenders["result"] if len(tenders) else pd.Series(dtype="str")
    return TenderFigures(
        len(tenders), int((results == "won").sum()), int((results == "lost").sum())
    )
