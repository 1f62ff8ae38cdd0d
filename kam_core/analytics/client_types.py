"""Key-client types: breadwinner, prospect, image-maker, expert (DOMAIN.md section 2)."""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics.abc_xyz import abc_class, abc_xyz
from kam_core.analytics.cache import cached
from kam_core.analytics.churn import client_history
from kam_core.analytics.columns import among, map_distinct
from kam_core.analytics.params import AnalysisParams, shift_months, window_start
from kam_core.analytics.source import resolve
from kam_core.config import Thresholds
from kam_core.store.clients import master_version, read_clients


class ClientType(StrEnum):
    """The four types of key client the article names."""

    BREADWINNER = "breadwinner"
    PROSPECT = "prospect"
    IMAGE_MAKER = "image_maker"
    EXPERT = "expert"


TYPE_ORDER: tuple[ClientType, ...] = tuple(ClientType)
COLUMNS: list[str] = [
    "client_id",
    "client_name",
    "types",
    "is_key",
    "is_breadwinner",
    "is_prospect",
    "is_image_maker",
    "is_expert",
    "overridden",
    "abc",
    "profit_share",
    "first_purchase",
    "spend",
    "qualified",
    "return_share",
    "expert_suggested",
]


def parse_override(text: object) -> frozenset[ClientType] | None:
    """A manager's choice of types ("breadwinner, expert"; "none" = ordinary); None when unset."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    words = [w.strip().lower().replace("-", "_").replace(" ", "_") for w in str(text).split(",")]
    words = [w for w in words if w]
    if not words:
        return None
    return frozenset(ClientType(w) for w in words if w in ClientType._value2member_map_)


def top_new_clients(
    days_since_first: pd.Series, spend: pd.Series, client_ids: pd.Series, t: Thresholds
) -> pd.Series:
    """True for new clients (first purchase within prospect_days) in the top share by spend."""
    new = days_since_first <= t.prospect_days
    ranked = pd.DataFrame({"spend": spend[new], "client_id": client_ids[new]}).sort_values(
        ["spend", "client_id"], ascending=[False, True]
    )
    keep = math.ceil(round(t.prospect_top_share * len(ranked), 9))
    chosen = ranked.head(keep)
    chosen = chosen[chosen["spend"] > 0]
    return pd.Series(days_since_first.index.isin(chosen.index), index=days_since_first.index)


def breadwinner(
    profit_share: pd.Series, abc: pd.Series, first_purchase: pd.Series, as_of: date, t: Thresholds
) -> pd.Series:
    """Share >= 10%, or class A with a relationship of at least 12 months."""
    since = pd.Timestamp(shift_months(as_of, -t.breadwinner_months))
    long_enough = pd.to_datetime(first_purchase) <= since
    share_rule = profit_share.astype(float).round(9) >= t.breadwinner_share
    return (share_rule | ((abc == "A") & long_enough)).fillna(False).astype(bool)


def _share_basis(totals: pd.DataFrame) -> pd.Series:
    # Profit share, or revenue share where the data has no profit at all.
    if totals["profit"].notna().any():
        return totals["profit"].fillna(0.0)
    return totals["revenue"]


def return_shares(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Per client, returned value over purchased value in the window (returns: negative lines)."""
    assert params.as_of is not None
    filters = params.filters
    # Column names come from the fixed FILTERS tuple; the values travel as parameters.
    where = "".join(f" AND {col} = ${col}" for col in filters)
    frame = (
        conn.cursor()
        .execute(
            f"""SELECT client_id,
               sum(CASE WHEN revenue < 0 THEN -revenue ELSE 0 END)
                   / nullif(sum(CASE WHEN revenue > 0 THEN revenue ELSE 0 END), 0)
                   AS return_share
            FROM sales
            WHERE order_date >= $start AND order_date <= $as_of{where}
            GROUP BY client_id
            HAVING sum(CASE WHEN revenue < 0 THEN 1 ELSE 0 END) > 0""",
            {"start": window_start(params.as_of, params.months), "as_of": params.as_of, **filters},
        )
        .fetchall()
    )
    return pd.DataFrame(frame, columns=["client_id", "return_share"]).astype(
        {"client_id": "str", "return_share": "float64"}
    )


def client_types(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Types per client (rules, then the manager's override), for every known client."""
    resolved = resolve(conn, params)
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    key = (resolved, master_version(conn))
    return cached("client_types", conn, key, lambda: _client_types(conn, resolved)).copy()


def _client_types(conn: duckdb.DuckDBPyConnection, resolved: AnalysisParams) -> pd.DataFrame:
    as_of, t = resolved.as_of, resolved.thresholds
    assert as_of is not None
    window = abc_xyz(conn, resolved).clients
    history = client_history(conn, resolved, as_of)
    frame = pd.merge(
        window[["client_id", "client_name", "abc", "revenue", "profit"]],
        history[
            ["client_id", "client_name", "first_purchase", "days_since_first", "revenue_total"]
        ],
        on="client_id",
        how="outer",
        suffixes=("", "_h"),
    )
    frame["client_name"] = frame["client_name"].fillna(frame.pop("client_name_h"))
    master = read_clients(conn)
    if resolved.filters:
        master = master[among(master["client_id"], frame["client_id"])]
    frame = pd.merge(frame, master, on="client_id", how="outer", suffixes=("", "_m"))
    frame["client_name"] = frame["client_name"].fillna(frame.pop("client_name_m"))
    frame = frame.sort_values("client_id").reset_index(drop=True)
    basis = _share_basis(frame[["profit", "revenue"]].fillna({"revenue": 0.0}))
    frame["profit_share"] = abc_class(basis, frame["client_id"])["share"]
    frame["spend"] = frame["revenue_total"]
    frame["qualified"] = (
        (frame["need"] == "yes") & (frame["solvency"] == "yes") & (frame["authority"] == "yes")
    ).fillna(False)
    has_history = frame["days_since_first"].notna()
    top_new = top_new_clients(
        frame.loc[has_history, "days_since_first"],
        frame.loc[has_history, "spend"].fillna(0.0),
        frame.loc[has_history, "client_id"],
        t,
    ).reindex(frame.index, fill_value=False)
    rules = {
        ClientType.BREADWINNER: breadwinner(
            frame["profit_share"], frame["abc"], frame["first_purchase"], as_of, t
        ),
        ClientType.PROSPECT: (top_new | frame["qualified"]).astype(bool),
        ClientType.IMAGE_MAKER: frame["is_image_maker"].fillna(False).astype(bool),
        ClientType.EXPERT: frame["is_expert"].fillna(False).astype(bool),
    }
    # Column-wise: the rules' answer, the manager's choice on the few rows that have one.
    overrides = map_distinct(frame["type_override"], parse_override)
    frame["overridden"] = overrides.notna()
    chosen_rows = np.flatnonzero(frame["overridden"].to_numpy(dtype=bool))
    for kind in TYPE_ORDER:
        chosen = np.asarray(rules[kind]).astype(bool)
        chosen[chosen_rows] = [kind in overrides.iat[i] for i in chosen_rows]
        frame[f"is_{kind.value}"] = chosen
    # DOMAIN.md: a high rate of returns suggests an expert (demanding on quality). A hint for
    # the manager, never a type by itself.
    returns = return_shares(conn, resolved)
    frame = frame.merge(returns, on="client_id", how="left")
    frame["expert_suggested"] = (
        (frame["return_share"].fillna(0.0).round(9) >= t.expert_return_share) & ~frame["is_expert"]
    ).astype(bool)
    flags = frame[[f"is_{k.value}" for k in TYPE_ORDER]].to_numpy()
    frame["is_key"] = flags.any(axis=1)
    # Each row's flags as a number: its text is one of 2^4, joined once each.
    codes = flags.astype(np.int64) @ (1 << np.arange(len(TYPE_ORDER), dtype=np.int64))
    texts = np.array(
        [
            ",".join(k.value for i, k in enumerate(TYPE_ORDER) if code >> i & 1)
            for code in range(1 << len(TYPE_ORDER))
        ],
        dtype=object,
    )
    frame["types"] = texts[codes].tolist()
    return frame[COLUMNS]
