"""An independent pandas implementation of the DOMAIN.md rules, to check the SQL reports against."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

DEFAULTS = dict(
    abc_a=0.80,
    abc_b=0.95,
    new_days=90,
    risk_days=60,
    risk_gaps=1.5,
    lost_days=180,
    lost_gaps=3.0,
    breadwinner_share=0.10,
    prospect_days=183,
    prospect_top=0.20,
)


def load_sales(conn) -> pd.DataFrame:
    """The sales table as a DataFrame with Timestamp dates."""
    df = conn.execute("SELECT * EXCLUDE (row_key) FROM sales").df()
    df["order_date"] = pd.to_datetime(df["order_date"])
    return df


def filtered(sales: pd.DataFrame, filters: dict | None = None) -> pd.DataFrame:
    """Rows matching every filter (column == value); a manager takes its clients' every row."""
    filters = dict(filters or {})
    manager = filters.pop("manager", None)
    if manager is not None:
        current = latest(sales, "manager").str.strip().str.casefold()
        mine = current[current == manager.strip().casefold()].index
        sales = sales[sales["client_id"].isin(mine)]
    for col, value in filters.items():
        sales = sales[sales[col] == value]
    return sales


def window(as_of: pd.Timestamp, months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day and last day (as-of) of the window."""
    start = (as_of.to_period("M") - (months - 1)).to_timestamp()
    return start, as_of


def latest(sales: pd.DataFrame, column: str) -> pd.Series:
    """Latest non-null value of a column per client (ties: later upload, later source row)."""
    rows = sales[sales[column].notna()].sort_values(["order_date", "upload_id", "source_row"])
    return rows.groupby("client_id")[column].last()


def abc_xyz(
    sales,
    as_of=None,
    months=12,
    measure="revenue",
    method="stability",
    period="month",
    cuts=(0.5, 1.0),
    a=0.80,
    b=0.95,
    filters=None,
) -> pd.DataFrame:
    """ABC class, XYZ metric and class per client with rows in the window."""
    df = filtered(sales, filters)
    as_of = pd.Timestamp(as_of) if as_of is not None else df["order_date"].max()
    start, end = window(as_of, months)
    win = df[(df["order_date"] >= start) & (df["order_date"] <= end)]
    if measure == "profit" and df.loc[df["order_date"] <= end, "profit"].notna().sum() == 0:
        measure = "revenue"
    value = win.groupby("client_id")[measure].sum()
    out = value.rename("value").reset_index()
    out = out.sort_values(["value", "client_id"], ascending=[False, True]).reset_index(drop=True)
    pos = out["value"].clip(lower=0)
    total = pos.sum()
    out["share"] = pos / total if total > 0 else 0.0
    out["cumulative_share"] = out["share"].cumsum()
    prev = (pos.cumsum() - pos) / total if total > 0 else pos * 0
    cls = []
    for v, p in zip(out["value"], prev.round(9), strict=False):
        cls.append("C" if v <= 0 else "A" if p < a else "B" if p < b else "C")
    out["abc"] = cls
    freq = "Q" if period == "quarter" else "M"
    periods = pd.period_range(start.to_period(freq), end.to_period(freq), freq=freq)
    per = (
        win.assign(p=win["order_date"].dt.to_period(freq))
        .pivot_table(index="client_id", columns="p", values="revenue", aggfunc="sum", fill_value=0)
        .reindex(columns=periods, fill_value=0)
    )
    if method == "frequency":
        bought = win[win["revenue"] > 0]
        hits = bought.assign(p=bought["order_date"].dt.to_period(freq)).groupby("client_id")["p"]
        metric = (hits.nunique() / len(periods)).reindex(per.index, fill_value=0.0)
    else:
        mean = per.mean(axis=1)
        metric = (per.std(axis=1, ddof=0) / mean).where(mean > 0)
    if cuts is None:
        obs = metric.dropna()
        cuts = (obs.quantile(1 / 3), obs.quantile(2 / 3)) if len(obs) else None
    out["xyz_metric"] = out["client_id"].map(metric)
    xyz = []
    for m in out["xyz_metric"].round(9):
        if cuts is None or pd.isna(m):
            xyz.append("Z")
        elif method == "frequency":
            xyz.append("X" if m >= cuts[0] else "Y" if m >= cuts[1] else "Z")
        else:
            xyz.append("X" if m <= cuts[0] else "Y" if m <= cuts[1] else "Z")
    out["xyz"] = xyz
    out["cell"] = out["abc"] + out["xyz"]
    return out


def churn(sales, as_of=None, filters=None, t=DEFAULTS) -> pd.DataFrame:
    """First/last purchase, median gap, status and revenue at stake per client."""
    df = filtered(sales, filters)
    as_of = pd.Timestamp(as_of) if as_of is not None else df["order_date"].max()
    df = df[df["order_date"] <= as_of]
    rows = []
    for client, g in df.groupby("client_id"):
        dates = sorted(set(g.loc[g["revenue"] > 0, "order_date"]))
        if not dates:
            continue
        first, last = dates[0], dates[-1]
        gaps = [(y - x).days for x, y in itertools.pairwise(dates)]
        gap = float(np.median(gaps)) if gaps else math.nan
        silent, age = (as_of - last).days, (as_of - first).days
        lost_limit = max(t["lost_days"], 0 if math.isnan(gap) else t["lost_gaps"] * gap)
        risk_limit = max(t["risk_days"], 0 if math.isnan(gap) else t["risk_gaps"] * gap)
        if silent > lost_limit:
            status = "lost"
        elif age <= t["new_days"]:
            status = "new"
        elif silent > risk_limit:
            status = "at_risk"
        else:
            status = "active"
        in_year = g[(g["order_date"] > last - pd.Timedelta(days=365)) & (g["order_date"] <= last)]
        rows.append(
            dict(
                client_id=client,
                first_purchase=first,
                last_purchase=last,
                days_since_last=silent,
                median_gap_days=gap,
                status=status,
                revenue_total=g["revenue"].sum(),
                revenue_at_stake=in_year["revenue"].sum(),
                lost_on=last + pd.Timedelta(days=math.floor(lost_limit)),
            )
        )
    return pd.DataFrame(rows)


def losses_by_month(churn_table: pd.DataFrame) -> pd.DataFrame:
    """Lost clients and revenue lost per month of passing the threshold (months with losses)."""
    lost = churn_table[churn_table["status"] == "lost"]
    month = lost["lost_on"].dt.strftime("%Y-%m")
    return lost.groupby(month).agg(
        clients_lost=("client_id", "size"), revenue_lost=("revenue_at_stake", "sum")
    )


def breadwinners_and_prospects(sales, as_of=None, months=12, t=DEFAULTS) -> pd.DataFrame:
    """The rule-based breadwinner and prospect flags (no master data) per client."""
    as_of = pd.Timestamp(as_of) if as_of is not None else sales["order_date"].max()
    abc = abc_xyz(sales, as_of, months).set_index("client_id")
    start, _ = window(as_of, months)
    win = sales[(sales["order_date"] >= start) & (sales["order_date"] <= as_of)]
    basis = "profit" if win["profit"].notna().any() else "revenue"
    per = win.groupby("client_id")[basis].sum().clip(lower=0)
    share = per / per.sum() if per.sum() > 0 else per * 0
    hist = churn(sales, as_of, t=t).set_index("client_id")
    since = as_of - pd.DateOffset(months=12)
    ids = sorted(set(abc.index) | set(hist.index))
    new = hist[(as_of - hist["first_purchase"]).dt.days <= t["prospect_days"]]
    ranked = new.reset_index().sort_values(["revenue_total", "client_id"], ascending=[False, True])
    top = ranked.head(math.ceil(round(t["prospect_top"] * len(ranked), 9)))
    top_ids = set(top.loc[top["revenue_total"] > 0, "client_id"])
    rows = []
    for cid in ids:
        first = hist["first_purchase"].get(cid)
        long_rel = first is not None and not pd.isna(first) and first <= since
        rows.append(
            dict(
                client_id=cid,
                is_breadwinner=bool(
                    round(share.get(cid, 0.0), 9) >= t["breadwinner_share"]
                    or (abc["abc"].get(cid) == "A" and long_rel)
                ),
                is_prospect=cid in top_ids,
            )
        )
    return pd.DataFrame(rows)


def top_share(abc_table: pd.DataFrame, fraction: float) -> float:
    """Share of the top fraction of clients (ceil, at least one)."""
    n = max(1, math.ceil(round(fraction * len(abc_table), 9)))
    return float(abc_table.sort_values("value", ascending=False)["share"].head(n).sum())


def gini(values: pd.Series) -> float:
    """Gini by the mean absolute difference formula (independent of the rank formula)."""
    x = values.clip(lower=0).to_numpy(dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


def portfolio_revenue(sales, as_of=None, months=12) -> pd.Series:
    """Window revenue per manager, clients assigned to their latest non-null manager."""
    as_of = pd.Timestamp(as_of) if as_of is not None else sales["order_date"].max()
    start, _ = window(as_of, months)
    win = sales[(sales["order_date"] >= start) & (sales["order_date"] <= as_of)]
    manager = latest(sales, "manager")
    rev = win.groupby("client_id")["revenue"].sum()
    return rev.groupby(rev.index.map(manager).fillna("(unassigned)")).sum()


SALES_COLUMNS = [
    "order_date",
    "client_id",
    "client_name",
    "revenue",
    "profit",
    "quantity",
    "category",
    "manager",
    "region",
    "segment",
    "returned",
]


def insert_sales(conn, rows: list[dict] | pd.DataFrame, refresh: bool = True) -> None:
    """Insert rows (dicts with sales columns) numbered as upload 0, then refresh the rollup."""
    from kam_core.store.rollup import refresh_rollup

    df = pd.DataFrame(rows).copy()
    for col in SALES_COLUMNS:
        if col not in df.columns:
            df[col] = None
    start = conn.execute("SELECT coalesce(max(source_row), 0) FROM sales").fetchall()[0][0]
    df["source_row"] = np.arange(start + 1, start + 1 + len(df))
    df["row_key"] = df["source_row"]
    df["upload_id"] = 0
    df["order_date"] = pd.to_datetime(df["order_date"])
    conn.register("incoming_rows", df)
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, source_row, order_date, client_id, client_name,"
        " revenue, profit, quantity, category, manager, region, segment, returned) "
        "SELECT row_key::UHUGEINT, upload_id, source_row, order_date::DATE, client_id,"
        " client_name, revenue::DOUBLE, profit::DOUBLE, quantity::DOUBLE, category, manager,"
        " region, segment, returned::BOOLEAN FROM incoming_rows"
    )
    conn.unregister("incoming_rows")
    if refresh:
        refresh_rollup(conn)


def generate(
    n_rows: int = 3000, n_clients: int = 120, seed: int = 7, with_profit: bool = True
) -> pd.DataFrame:
    """Random sales over 2015-2017 with skewed client sizes, returns, zero rows and gaps."""
    rng = np.random.default_rng(seed)
    weights = rng.pareto(1.2, n_clients) + 0.05
    client = rng.choice(n_clients, n_rows, p=weights / weights.sum())
    # Each client buys within its own active span, so some churn and some are new.
    first = rng.integers(0, 1000, n_clients)
    span = rng.integers(1, 1096, n_clients)
    day = first[client] + (rng.random(n_rows) * span[client]).astype(int)
    day = np.minimum(day, 1095)
    dates = pd.Timestamp("2015-01-01") + pd.to_timedelta(day, unit="D")
    revenue = np.round(rng.lognormal(5, 1.2, n_rows), 2)
    kind = rng.random(n_rows)
    revenue = np.where(kind < 0.04, -revenue / 3, np.where(kind < 0.06, 0.0, revenue))
    variant = rng.integers(0, 2, n_rows)
    profit = np.round(revenue * rng.uniform(-0.2, 0.4, n_rows), 2) if with_profit else None
    return pd.DataFrame(
        {
            "order_date": dates,
            "client_id": [f"C{c:04d}" for c in client],
            "client_name": np.where(
                rng.random(n_rows) < 0.1,
                None,
                [f"Client {c} v{v}" for c, v in zip(client, variant, strict=True)],
            ),
            "revenue": revenue,
            "profit": profit,
            "quantity": rng.integers(1, 20, n_rows).astype(float),
            "category": rng.choice(["Furniture", "Office", "Tech"], n_rows),
            "manager": rng.choice(["Ann", "Bob", "Cid", None], n_rows, p=[0.4, 0.3, 0.2, 0.1]),
            "region": rng.choice(["East", "West"], n_rows),
            "segment": rng.choice(["Consumer", "Corporate"], n_rows),
            "returned": kind < 0.04,
        }
    )
