"""The relationship in the sales data: purchases per month, deliveries, one timeline."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kam_core.dossier.model import KINDS, RESULTS, STATUSES, label_of
from kam_core.i18n import N_, _, ngettext

ON_TIME, LATE, NOT_SHIPPED, RETURN, NO_DATES = "on time", "late", "not shipped", "return", ""
# What a reader sees for each delivery status (translated in deliveries()).
DELIVERY_LABELS: dict[str, str] = {
    ON_TIME: N_("on time"),
    NOT_SHIPPED: N_("not shipped"),
    RETURN: N_("return"),
}


def monthly_purchases(sales: pd.DataFrame) -> pd.DataFrame:
    """Per calendar month with any line: revenue, orders, lines and returned value."""
    columns = ["month", "revenue", "orders", "lines", "returns"]
    if sales.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    frame = sales.assign(
        month=pd.to_datetime(sales["order_date"]).dt.to_period("M").dt.to_timestamp(),
        order=sales["order_id"].fillna(sales["order_date"].astype(str)),
        back=sales["revenue"].where(sales["revenue"] < 0, 0.0),
    )
    out = frame.groupby("month").agg(
        revenue=("revenue", "sum"),
        orders=("order", "nunique"),
        lines=("revenue", "size"),
        returns=("back", "sum"),
    )
    return out.reset_index()[columns]


def delivery_status(sales: pd.DataFrame) -> pd.Series:
    """Per line: on time, late, not shipped, return, or blank where the data has no dates."""
    due = pd.to_datetime(sales["due_date"])
    ship = pd.to_datetime(sales["ship_date"])
    returned = sales["returned"].fillna(False).astype(bool) | (sales["revenue"] < 0)
    status = np.select(
        [
            returned,
            due.notna() & ship.notna() & (ship <= due),
            due.notna() & ship.notna(),
            due.notna() & ship.isna(),
        ],
        [RETURN, ON_TIME, LATE, NOT_SHIPPED],
        default=NO_DATES,
    )
    return pd.Series(status, index=sales.index, dtype="str")


def deliveries(sales: pd.DataFrame) -> pd.DataFrame:
    """What was delivered and when: one row per line, its delivery status and days late."""
    frame = sales.copy()
    status = delivery_status(sales)
    late = (pd.to_datetime(frame["ship_date"]) - pd.to_datetime(frame["due_date"])).dt.days
    # Words per distinct (status, days late), not per line: a big client has 25k lines.
    pairs = pd.DataFrame({"s": status, "d": late.where(status == LATE, 0).fillna(0).astype(int)})
    words = {
        (s, d): ngettext("late by {n} day", "late by {n} days", d).format(n=d)
        if s == LATE
        else (_(DELIVERY_LABELS[s]) if s in DELIVERY_LABELS else s)
        for s, d in pairs.drop_duplicates().itertuples(index=False)
    }
    frame["delivery"] = [words[k] for k in zip(pairs["s"], pairs["d"], strict=True)]
    keep = ["order_date", "order_id", "product", "category", "quantity", "revenue"]
    keep += ["due_date", "ship_date", "delivery", "returned"]
    return frame[keep]


def on_time_share(
    sales: pd.DataFrame, start: date | None = None, end: date | None = None
) -> tuple[float | None, int]:
    """Share of shipped lines (ordered in [start, end]) shipped by the promised date, and count."""
    status = delivery_status(sales)
    day = pd.to_datetime(sales["order_date"])
    in_range = pd.Series(True, index=sales.index)
    if start is not None:
        in_range &= day >= pd.Timestamp(start)
    if end is not None:
        in_range &= day <= pd.Timestamp(end)
    judged = status[in_range & status.isin([ON_TIME, LATE])]
    if judged.empty:
        return None, 0
    return float((judged == ON_TIME).mean()), len(judged)


def products(sales: pd.DataFrame) -> pd.DataFrame:
    """What the client buys: revenue, quantity, lines and last purchase per product."""
    if sales.empty:
        return pd.DataFrame(columns=["product", "category", "revenue", "quantity", "last"])
    out = sales.groupby(["product", "category"], dropna=False).agg(
        revenue=("revenue", "sum"), quantity=("quantity", "sum"), last=("order_date", "max")
    )
    return out.reset_index().sort_values("revenue", ascending=False).reset_index(drop=True)


def _orders(sales: pd.DataFrame) -> pd.DataFrame:
    if sales.empty:
        return pd.DataFrame(columns=["date", "what", "title", "amount", "detail"])
    frame = sales.assign(order=sales["order_id"].fillna(sales["order_date"].astype(str)))
    frame = frame.assign(kind=np.where(frame["revenue"] < 0, _("Return"), _("Purchase")))
    grouped = frame.groupby(["order_date", "order", "kind"], sort=False).agg(
        amount=("revenue", "sum"),
        lines=("revenue", "size"),
        items=("product", lambda s: ", ".join(sorted({str(p) for p in s.dropna()}))),
    )
    grouped = grouped.reset_index()
    return pd.DataFrame(
        {
            "date": pd.to_datetime(grouped["order_date"]),
            "what": grouped["kind"],
            "title": grouped["order"].astype(str),
            "amount": grouped["amount"],
            "detail": [
                ngettext("{n} line: {items}", "{n} lines: {items}", int(n)).format(
                    n=int(n), items=items
                )
                for n, items in zip(grouped["lines"], grouped["items"], strict=True)
            ],
        }
    )


def timeline(sales: pd.DataFrame, tenders: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """Purchases, returns, tenders and activities in one list, newest first."""
    parts = [_orders(sales)]
    if not tenders.empty:
        parts.append(
            pd.DataFrame(
                {
                    "date": pd.to_datetime(tenders["tender_date"]),
                    "what": tenders["result"].map(
                        lambda r: _("Tender: {result}").format(result=label_of(RESULTS, r))
                    ),
                    "title": tenders["subject"],
                    "amount": tenders["amount"],
                    "detail": tenders["reason"].fillna(""),
                }
            )
        )
    if not activities.empty:
        when = pd.to_datetime(activities["activity_date"]).fillna(
            pd.to_datetime(activities["due_date"])
        )
        parts.append(
            pd.DataFrame(
                {
                    "date": when,
                    "what": activities["kind"].map(lambda k: label_of(KINDS, k)),
                    "title": activities["text"].fillna(""),
                    "amount": np.nan,
                    "detail": activities["status"].map(lambda s: label_of(STATUSES, s))
                    + activities["owner"].map(lambda o: f" - {o}" if isinstance(o, str) else ""),
                }
            )
        )
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=["date", "what", "title", "amount", "detail"])
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values("date", ascending=False, na_position="first").reset_index(drop=True)
