"""Win-back list: lost and at-risk clients by revenue at stake, with an offer and a status."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.churn import AT_RISK, LOST, churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.columns import map_distinct
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.source import resolve
from kam_core.i18n import N_
from kam_core.store.win_back import read_win_back
from kam_core.vocabulary import WIN_BACK_OPEN, WIN_BACK_STATUSES

# The offer grows with what is at stake: a client whose loss matters gets people, not a mailing.
PERSONAL, DISCOUNT, CAMPAIGN = "personal", "discount", "campaign"
# English msgids (stored in the list as text; screens translate them at display).
OFFERS: dict[str, str] = {
    PERSONAL: N_("Personal meeting with the key account manager and a director; tailored terms"),
    DISCOUNT: N_("Discount"),
    CAMPAIGN: N_("Campaign"),
}
TIER_OF_CLASS = {"A": PERSONAL, "B": DISCOUNT, "C": CAMPAIGN}
TOP_DECILE = 0.9


@dataclass(frozen=True)
class OfferCuts:
    """Revenue at stake from which a lost or at-risk client gets a personal offer or a discount."""

    personal: float
    discount: float


def offer_cuts(window_classes: pd.DataFrame, at_stake: pd.Series) -> OfferCuts:
    """Cuts relative to the distribution: the revenue of the smallest A and B client now.

    A client whose revenue at stake (its last 12 months before the loss) would make it an A
    client of the current window is a large loss, whatever its class in the window (a lost
    client has little or no revenue there, so its own class says C). With no classes in the
    window, the top decile of revenue at stake gets the personal offer.
    """
    floors = {}
    for cls in ("A", "B"):
        revenue = window_classes.loc[window_classes["abc"] == cls, "revenue"]
        revenue = revenue[revenue > 0]
        floors[cls] = float(revenue.min()) if len(revenue) else None
    stake = at_stake[at_stake > 0]
    decile = float(stake.quantile(TOP_DECILE)) if len(stake) else float("inf")
    personal = floors["A"] if floors["A"] is not None else decile
    discount = floors["B"] if floors["B"] is not None else personal
    return OfferCuts(personal, min(discount, personal))


# What a manager can record, and what a client with nothing recorded shows.
STATUSES: tuple[str, ...] = WIN_BACK_STATUSES
DEFAULT_STATUS = WIN_BACK_OPEN
COLUMNS: list[str] = [
    "client_id",
    "client_name",
    "churn_status",
    "abc",
    "types",
    "is_key",
    "revenue_at_stake",
    "last_purchase",
    "days_since_last",
    "manager",
    "region",
    "offer",
    "status",
    "note",
    "updated_at",
    "updated_by",
]


def suggested_offer(
    abc: str | None, revenue_at_stake: float | None = None, cuts: OfferCuts | None = None
) -> str:
    """The offer for a client: the larger of what its class and its revenue at stake call for.

    A client without a class in the window is treated as C.
    """
    tier = TIER_OF_CLASS.get(abc or "C", CAMPAIGN)
    if cuts is not None and revenue_at_stake is not None and revenue_at_stake > 0:
        if revenue_at_stake >= cuts.personal:
            tier = PERSONAL
        elif revenue_at_stake >= cuts.discount and tier == CAMPAIGN:
            tier = DISCOUNT
    return OFFERS[tier]


def _class_tier(abc: object) -> str:
    return TIER_OF_CLASS.get((abc if isinstance(abc, str) else None) or "C", CAMPAIGN)


def suggested_offers(abc: pd.Series, revenue_at_stake: pd.Series, cuts: OfferCuts) -> list[str]:
    """suggested_offer() of each client (a class that is not text counts as none), by column."""
    tier = np.asarray(map_distinct(abc, _class_tier), dtype=object)
    stake = np.asarray(revenue_at_stake, dtype=float)
    personal = (stake > 0) & (stake >= cuts.personal)
    discount = (stake > 0) & ~personal & (stake >= cuts.discount) & (tier == CAMPAIGN)
    tier = np.where(personal, PERSONAL, np.where(discount, DISCOUNT, tier))
    return [OFFERS[t] for t in tier]


def win_back_list(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Lost and at-risk clients ordered by revenue at stake (then client id)."""
    resolved = resolve(conn, params)
    table = churn(conn, params)
    frame = table[table["status"].isin([LOST, AT_RISK])].rename(columns={"status": "churn_status"})
    if resolved is None or frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    window = abc_xyz(conn, resolved).clients
    classes = window[["client_id", "abc"]]
    types = client_types(conn, resolved)[["client_id", "types", "is_key"]]
    frame = frame.merge(classes, on="client_id", how="left").merge(
        types, on="client_id", how="left"
    )
    frame["is_key"] = frame["is_key"].fillna(False).astype(bool)
    cuts = offer_cuts(window, frame["revenue_at_stake"].fillna(0.0))
    frame["offer"] = suggested_offers(frame["abc"], frame["revenue_at_stake"].fillna(0.0), cuts)
    stored = read_win_back(conn)[["client_id", "status", "note", "updated_at", "updated_by"]]
    frame = frame.merge(stored, on="client_id", how="left")
    frame["status"] = frame["status"].fillna(DEFAULT_STATUS)
    frame = frame.sort_values(["revenue_at_stake", "client_id"], ascending=[False, True])
    return frame[COLUMNS].reset_index(drop=True)
