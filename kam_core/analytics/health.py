"""Account health 0-100 per client: a weighted mean of part scores (0-100), shown with its parts.

Parts without data for a client are left out and the weights of the others rescaled, so the
score always says how many parts it rests on (DOMAIN.md section 8b). Dossier parts (relationship
coverage, completeness, open risks) count once a manager has started the client's dossier; a
client nobody documented is scored on its sales alone rather than marked down for it.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.cache import cached
from kam_core.analytics.churn import churn
from kam_core.analytics.health_weights import (
    DEFAULT_WEIGHTS,
    PART_RULES,
    PARTS,
    HealthWeights,
    load_health_weights,
)
from kam_core.analytics.p_alive import p_alive_table
from kam_core.analytics.params import AnalysisParams, load_thresholds, shift_months, window_start
from kam_core.analytics.source import resolve
from kam_core.analytics.trend import revenue_change
from kam_core.dossier.completeness import completeness_by_client
from kam_core.services.snapshot import fingerprint
from kam_core.store.db import query_df

__all__ = [
    "DEFAULT_WEIGHTS",
    "HEALTH_FALL_POINTS",
    "PARTS",
    "PART_RULES",
    "HealthWeights",
    "combine",
    "coverage_score",
    "dossier_parts",
    "health_change",
    "health_table",
    "load_health_weights",
    "risk_score",
    "sales_parts",
    "trend_score",
]

XYZ_SCORES: dict[str, float] = {"X": 100.0, "Y": 60.0, "Z": 20.0}
TREND_FULL_RATIO = 1.2  # revenue / previous revenue that earns the full trend score
KEY_INFLUENCE = 4  # a contact with this influence or more is a key person
CONTACT_FRESH_DAYS, CONTACT_STALE_DAYS = 90, 180
LOST_TENDER_PENALTY, OVERDUE_PENALTY = 35.0, 20.0
HEALTH_FALL_POINTS = 15.0  # a fall this large since the previous quarter raises an alert
QUARTER_MONTHS = 3


def combine(parts: pd.DataFrame, weights: HealthWeights | None = None) -> pd.DataFrame:
    """Health and parts_used from part scores (NaN = no data), the weights rescaled per row."""
    w = asdict(weights or DEFAULT_WEIGHTS)
    scores = parts[list(PARTS)].astype(float)
    weight = pd.DataFrame({p: np.where(scores[p].notna(), w[p], 0.0) for p in PARTS})
    weight.index = scores.index
    total = weight.sum(axis=1)
    health = (scores.fillna(0.0) * weight).sum(axis=1) / total.where(total > 0)
    used = (weight > 0).sum(axis=1)
    return parts.assign(health=health.round(1), parts_used=used.astype(int))


def trend_score(revenue: pd.Series, revenue_prev: pd.Series) -> pd.Series:
    """Revenue against the previous window as 0-100; NaN where there was no previous revenue."""
    ratio = revenue.astype(float) / revenue_prev.astype(float).where(revenue_prev > 0)
    return (100.0 * (ratio / TREND_FULL_RATIO).clip(0.0, 1.0)).round(1)


def coverage_score(frame: pd.DataFrame, as_of: date) -> pd.Series:
    """Decision maker, champion and the freshness of the last key contact as 0-100."""
    score = 40.0 * frame["decision_maker"].astype(bool) + 30.0 * frame["champion"].astype(bool)
    last = pd.to_datetime(frame["last_key_contact"])
    days = (pd.Timestamp(as_of) - last).dt.days
    fresh = np.where(
        days <= CONTACT_FRESH_DAYS, 30.0, np.where(days <= CONTACT_STALE_DAYS, 15.0, 0)
    )
    return score + np.where(last.notna(), fresh, 0.0)


def risk_score(lost_tenders: pd.Series, overdue: pd.Series) -> pd.Series:
    """100 minus the penalties for lost tenders and overdue actions, not below 0."""
    penalty = LOST_TENDER_PENALTY * lost_tenders + OVERDUE_PENALTY * overdue
    return (100.0 - penalty.astype(float)).clip(lower=0.0)


_DOSSIER_SQL = """
WITH ct AS (
    SELECT client_id, count(*) AS contacts,
           bool_or(role = 'decision_maker') AS decision_maker,
           bool_or(role = 'champion' OR attitude = 'supporter') AS champion
    FROM contacts GROUP BY client_id
),
kc AS (
    -- A contact happened: a note or meeting, or an action marked done, dated by as-of.
    SELECT a.client_id, max(a.activity_date) AS last_key_contact
    FROM activities a JOIN contacts c ON c.contact_id = a.contact_id
    WHERE (c.role IN ('decision_maker', 'champion') OR c.influence >= $influence)
      AND a.activity_date <= $as_of AND a.status <> 'cancelled'
      AND (a.kind IN ('note', 'meeting') OR a.status = 'done')
    GROUP BY a.client_id
),
td AS (
    SELECT client_id, count(*) AS tenders,
           count(*) FILTER (WHERE result = 'lost' AND tender_date > $year_ago
                            AND tender_date <= $as_of) AS lost_tenders
    FROM tenders GROUP BY client_id
),
cp AS (SELECT client_id, count(*) AS competitors FROM competitors GROUP BY client_id),
ac AS (
    SELECT client_id, count(*) AS activities,
           count(*) FILTER (WHERE status IN ('planned', 'in_progress')
                            AND due_date < $as_of) AS overdue
    FROM activities GROUP BY client_id
),
k AS (
    SELECT client_id FROM ct UNION SELECT client_id FROM td
    UNION SELECT client_id FROM cp UNION SELECT client_id FROM ac
)
SELECT k.client_id, coalesce(ct.contacts, 0) AS contacts,
       coalesce(ct.decision_maker, false) AS decision_maker,
       coalesce(ct.champion, false) AS champion, kc.last_key_contact,
       coalesce(td.tenders, 0) AS tenders, coalesce(td.lost_tenders, 0) AS lost_tenders,
       coalesce(cp.competitors, 0) AS competitors, coalesce(ac.activities, 0) AS activities,
       coalesce(ac.overdue, 0) AS overdue
FROM k LEFT JOIN ct USING (client_id) LEFT JOIN kc USING (client_id)
LEFT JOIN td USING (client_id) LEFT JOIN cp USING (client_id) LEFT JOIN ac USING (client_id)
"""

_ON_TIME_SQL = """
SELECT client_id, count(*) AS lines, avg(CASE WHEN ship_date <= due_date THEN 1.0 ELSE 0 END)
       AS on_time
FROM sales
WHERE order_date >= $start AND order_date <= $as_of AND due_date IS NOT NULL
  AND ship_date IS NOT NULL AND NOT coalesce(returned, false) AND revenue >= 0
GROUP BY client_id
"""


def dossier_parts(conn: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Coverage, completeness and open-risk scores of clients whose dossier was started."""
    args = {"as_of": as_of, "year_ago": shift_months(as_of, -12), "influence": KEY_INFLUENCE}
    facts = query_df(conn, _DOSSIER_SQL, args)
    filled = completeness_by_client(conn)
    frame = filled.merge(facts, on="client_id", how="left")
    counts = ["contacts", "tenders", "competitors", "activities", "lost_tenders", "overdue"]
    frame[counts] = frame[counts].fillna(0)
    frame[["decision_maker", "champion"]] = frame[["decision_maker", "champion"]].fillna(False)
    started = (frame["completeness"] > 0) | (frame[counts[:4]].sum(axis=1) > 0)
    risky = (frame["tenders"] + frame["activities"]) > 0
    return pd.DataFrame(
        {
            "client_id": frame["client_id"],
            "coverage": coverage_score(frame, as_of).where(started),
            "completeness": (100.0 * frame["completeness"]).round(1).where(started),
            "risks": risk_score(frame["lost_tenders"], frame["overdue"]).where(started & risky),
        }
    )


def sales_parts(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Trend, probability alive, regularity and on-time scores of clients who bought by as-of."""
    as_of = params.as_of
    assert as_of is not None
    clients = churn(conn, params)[["client_id", "client_name"]]
    change = revenue_change(conn, params, as_of)
    trend = pd.DataFrame(
        {
            "client_id": change["client_id"],
            "trend": trend_score(change["revenue"], change["revenue_prev"]),
        }
    )
    alive = p_alive_table(conn, as_of, thresholds=params.thresholds)
    alive = pd.DataFrame(
        {"client_id": alive["client_id"], "p_alive": (100 * alive["p_alive"]).round(1)}
    )
    xyz = abc_xyz(conn, params).clients
    regular = pd.DataFrame(
        {"client_id": xyz["client_id"], "regularity": xyz["xyz"].map(XYZ_SCORES)}
    )
    args = {"start": window_start(as_of, params.months), "as_of": as_of}
    shipped = query_df(conn, _ON_TIME_SQL, args)
    on_time = pd.DataFrame(
        {"client_id": shipped["client_id"], "on_time": (100 * shipped["on_time"]).round(1)}
    )
    frame = clients
    for part in (trend, alive, regular, on_time):
        frame = frame.merge(part, on="client_id", how="left")
    return frame


def _unfiltered(params: AnalysisParams) -> AnalysisParams:
    # A client's health is its own: row filters of the page do not change it.
    return replace(params, manager=None, region=None, segment=None, category=None)


def health_table(
    conn: duckdb.DuckDBPyConnection,
    params: AnalysisParams | None = None,
    weights: HealthWeights | None = None,
) -> pd.DataFrame:
    """Per client who bought by as-of or has a dossier: health 0-100, parts_used and each part.

    Without weights, the weights stored in the settings (the defaults until someone changes them).
    """
    columns = ["client_id", "client_name", "health", "parts_used", *PARTS]
    base = params or AnalysisParams(thresholds=load_thresholds(conn))
    resolved = resolve(conn, _unfiltered(base))
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    weights = weights or load_health_weights(conn)
    # Every chart page and several reports of a page ask for it (after an import each asked
    # anew: a second at 100,000 clients). Its dossier parts read every dossier table: keyed by
    # everything stored, not the sales alone.
    key = (resolved, weights, fingerprint(conn)[1])
    frame = cached("health_table", conn, key, lambda: _health_table(conn, resolved, weights))
    return frame.copy()


def _health_table(
    conn: duckdb.DuckDBPyConnection, resolved: AnalysisParams, weights: HealthWeights
) -> pd.DataFrame:
    assert resolved.as_of is not None
    columns = ["client_id", "client_name", "health", "parts_used", *PARTS]
    sales = sales_parts(conn, resolved)
    dossier = dossier_parts(conn, resolved.as_of)
    known = dossier[dossier[["coverage", "completeness", "risks"]].notna().any(axis=1)]
    frame = sales.merge(known, on="client_id", how="outer")
    # Prospects without sales take their name from the dossier.
    names = query_df(conn, "SELECT client_id, client_name AS dossier_name FROM clients", {})
    frame = frame.merge(names, on="client_id", how="left")
    frame["client_name"] = frame["client_name"].fillna(frame["dossier_name"])
    frame = combine(frame, weights)
    frame = frame[frame["parts_used"] > 0]
    return frame[columns].sort_values("client_id").reset_index(drop=True)


def health_change(
    conn: duckdb.DuckDBPyConnection,
    params: AnalysisParams | None = None,
    weights: HealthWeights | None = None,
    months: int = QUARTER_MONTHS,
) -> pd.DataFrame:
    """Health now and at the end of the previous quarter (as-of minus 3 months), and the fall."""
    columns = ["client_id", "client_name", "health", "health_prev", "change", "fell"]
    base = params or AnalysisParams(thresholds=load_thresholds(conn))
    resolved = resolve(conn, _unfiltered(base))
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    weights = weights or load_health_weights(conn)
    now = health_table(conn, resolved, weights)
    before = health_table(conn, resolved.with_as_of(shift_months(resolved.as_of, -months)), weights)
    frame = now[["client_id", "client_name", "health"]].merge(
        before[["client_id", "health"]].rename(columns={"health": "health_prev"}),
        on="client_id",
        how="left",
    )
    frame["change"] = frame["health"] - frame["health_prev"]
    frame["fell"] = frame["change"] <= -HEALTH_FALL_POINTS
    return frame[columns]
