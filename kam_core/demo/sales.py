"""Deterministic demo dataset: realistic B2B sales lines (written as a workbook by workbook.py)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

START = np.datetime64("2023-01-01")
END = np.datetime64("2025-12-31")
N_CLIENTS = 300
N_NEW, N_LOST, N_SLOWING = 20, 24, 25

# The tables below are data, laid out for reading rather than by the formatter.
# fmt: off
# Tuples, not dicts or sets, so every draw happens in a fixed order.
REGIONS = ("North", "Center", "South", "Jerusalem")
REGION_WEIGHTS = (0.2, 0.4, 0.2, 0.2)
REGION_MANAGERS = (
    ("North", "Dana Levi"), ("Center", "Yossi Cohen"), ("Center", "Maria Ivanova"),
    ("South", "Avi Peretz"), ("Jerusalem", "Noa Friedman"),
)
SEGMENTS = ("Enterprise", "Mid-market", "SMB")
# category, gross margin, lead time in days
CATEGORIES = (
    ("Packaging", 0.21, 7), ("Office Supplies", 0.28, 3), ("Cleaning & Hygiene", 0.32, 5),
    ("Safety Equipment", 0.26, 10), ("Electrical", 0.19, 14), ("IT Hardware", 0.15, 21),
)
# category index, product, list price; grouped by category
PRODUCTS = (
    (0, "Carton box 40x30", 4.2), (0, "Stretch film roll", 18.5),
    (0, "Pallet wrap machine", 640.0), (0, "Bubble wrap 100m", 32.0),
    (1, "A4 paper box", 24.0), (1, "Toner cartridge", 89.0),
    (1, "Desk organiser", 15.5), (1, "Whiteboard 120x90", 120.0),
    (2, "Hand soap 5L", 21.0), (2, "Floor cleaner 10L", 38.0),
    (2, "Paper towels case", 29.0), (2, "Disinfectant 1L", 9.5),
    (3, "Safety helmet", 35.0), (3, "Hi-vis vest", 12.0),
    (3, "Safety shoes", 95.0), (3, "First aid kit", 68.0),
    (4, "LED panel 60x60", 54.0), (4, "Cable NYY 3x2.5 100m", 310.0),
    (4, "Circuit breaker 16A", 22.0), (4, "Extension reel 25m", 79.0),
    (5, "Laptop 14in", 780.0), (5, "Monitor 27in", 260.0),
    (5, "Network switch 24p", 410.0), (5, "Keyboard and mouse set", 45.0),
)
EN_BRANDS = (
    "Acme", "Atlas", "Beacon", "Cedar", "Delta", "Summit", "Harbor", "Orion", "Pioneer", "Vertex",
    "Keystone", "Northwind", "Redwood", "Silverline", "Galil", "Carmel", "Negev", "Jaffa",
    "Horizon", "Meridian", "Falcon", "Granite", "Lighthouse", "Olive Tree", "Sapphire", "Triton",
    "Zenith", "Coral", "Everest", "Sunrise",
)
EN_TRADES = (
    "Logistics", "Foods", "Systems", "Construction", "Retail", "Pharma", "Textiles",
    "Engineering", "Hospitality", "Plastics", "Motors", "Energy",
)
EN_LEGAL = ("Ltd", "Inc", "Group", "Industries Ltd", "& Co")
HE_NAMES = (
    'שחר מערכות בע"מ', 'גלבוע לוגיסטיקה בע"מ', 'אורן תעשיות בע"מ', 'כרמל מזון בע"מ',
    'תבור הנדסה בע"מ', 'ים המלח כימיקלים בע"מ', 'אופק שיווק בע"מ', 'דקל בנייה בע"מ',
    'נחל רשתות בע"מ', 'מגדל טקסטיל בע"מ', 'ארז פלסטיק בע"מ', 'חרמון אנרגיה בע"מ',
    'שקד מלונאות בע"מ', 'רימון פארם בע"מ', 'עמק סחר בע"מ',
)
RU_NAMES = (
    "ООО Ромашка", "ООО Вектор", "АО Северснаб", "ООО Меридиан", "ООО Техпром", "АО Уралторг",
    "ООО Балтика-Опт", "ООО Стройресурс", "ООО Альфа-Логистик", "АО Волгахим",
    "ООО Сибирь-Трейд", "ООО Восток", "ООО Кедр", "АО Промтекс", "ООО Энергосбыт",
)
# Canonical column -> the header an ERP export would print for it.
HEADERS = (
    ("order_id", "Order No"), ("order_date", "Order Date"), ("client_id", "Customer ID"),
    ("client_name", "Customer Name"), ("revenue", "Net Sales"), ("profit", "Gross Profit"),
    ("quantity", "Qty"), ("product", "Product"), ("category", "Product Category"),
    ("manager", "Account Manager"), ("region", "Region"), ("segment", "Segment"),
    ("due_date", "Promised Date"), ("ship_date", "Ship Date"), ("returned", "Returned"),
)
# fmt: on
COLUMNS = tuple(c for c, _ in HEADERS)


def _client_names(rng: np.random.Generator) -> list[str]:
    """Return N_CLIENTS unique company names, mostly English with some Hebrew and Russian."""
    n_en = N_CLIENTS - len(HE_NAMES) - len(RU_NAMES)
    pairs = rng.permutation(len(EN_BRANDS) * len(EN_TRADES))[:n_en]
    legal = rng.integers(0, len(EN_LEGAL), n_en)
    names = [
        f"{EN_BRANDS[p // len(EN_TRADES)]} {EN_TRADES[p % len(EN_TRADES)]} {EN_LEGAL[k]}"
        for p, k in zip(pairs, legal, strict=True)
    ]
    names += list(HE_NAMES) + list(RU_NAMES)
    return [names[i] for i in rng.permutation(len(names))]  # scatter languages over client ids


def _clients(rng: np.random.Generator) -> pd.DataFrame:
    """Return one row per client with its stable attributes and buying behaviour."""
    n = N_CLIENTS
    # Lognormal annual spend gives the heavy tail the concentration charts are about.
    annual = np.exp(rng.normal(10.4, 1.25, n))
    rank = np.argsort(np.argsort(-annual, kind="stable"), kind="stable")
    seg = np.where(rank < 0.1 * n, 0, np.where(rank < 0.4 * n, 1, 2))
    # Big clients mostly buy monthly, small ones sporadically: 0 monthly, 1 quarterly, 2 sporadic.
    pattern_p = np.array([[0.75, 0.2, 0.05], [0.45, 0.35, 0.2], [0.15, 0.35, 0.5]])[seg]
    pattern = (rng.random(n)[:, None] > pattern_p.cumsum(axis=1)).sum(axis=1)
    role = np.zeros(n, dtype=int)  # 0 steady, 1 new, 2 lost, 3 slowing
    perm = rng.permutation(n)
    role[perm[:N_NEW]] = 1
    role[perm[N_NEW : N_NEW + N_LOST]] = 2
    role[perm[N_NEW + N_LOST : N_NEW + N_LOST + N_SLOWING]] = 3
    # Most clients predate the data; a quarter joined during it, new ones in the last 6 months.
    joined = rng.random(n) < 0.25
    start = START + np.where(joined, rng.integers(30, 900, n), 0).astype("m8[D]")
    start = np.where(role == 1, END - rng.integers(10, 170, n).astype("m8[D]"), start)
    start = np.where(role == 2, START + rng.integers(0, 60, n).astype("m8[D]"), start)
    # Lost clients stop between mid-2023 and May 2025: well past the 7-month silence line.
    end = np.where(role == 2, START + rng.integers(180, 850, n).astype("m8[D]"), END)
    region = rng.choice(len(REGIONS), n, p=REGION_WEIGHTS)
    managers = [[m for r, m in REGION_MANAGERS if r == reg] for reg in REGIONS]
    out = pd.DataFrame({"client_id": [f"C{i + 1:04d}" for i in range(n)]})
    out["client_name"] = _client_names(rng)
    out["manager"] = [managers[r][rng.integers(0, len(managers[r]))] for r in region]
    out["region"] = [REGIONS[r] for r in region]
    out["segment"] = [SEGMENTS[s] for s in seg]
    out = out.assign(annual=annual, pattern=pattern, role=role, start=start, end=end)
    out["rate"] = rng.uniform(5, 10, n)  # sporadic buyers' orders per year
    out["trend"] = rng.normal(0.05, 0.12, n)  # yearly growth (or decline) of order size
    out["discount"] = rng.uniform(0, 0.12, n)
    out["late_p"] = np.where(rng.random(n) < 0.15, 0.25, 0.04)  # a few badly served clients
    out["return_p"] = np.where(rng.random(n) < 0.1, 0.06, 0.008)  # a few demanding ones
    out["day"] = rng.integers(0, 25, n)
    out["phase"] = rng.integers(0, 3, n)
    out["cat_w"] = list(rng.dirichlet(np.full(len(CATEGORIES), 0.5), n))  # favourite categories
    return out


def _order_dates(c: Any, rng: np.random.Generator) -> np.ndarray:
    """Return the order dates of one client (an itertuples row) between its start and end."""
    s, e = np.datetime64(c.start, "D"), np.datetime64(c.end, "D")
    months = np.arange(START.astype("M8[M]"), END.astype("M8[M]") + 1)
    if c.pattern == 0:
        day = np.clip(c.day + rng.integers(-2, 3, len(months)), 0, 27)
        dates = months.astype("M8[D]") + day.astype("m8[D]")
        dates = dates[rng.random(len(dates)) > 0.05]  # an occasional skipped month
    elif c.pattern == 1:
        months = months[(months.astype(int) - c.phase) % 3 == 0]
        dates = months.astype("M8[D]") + rng.integers(0, 28, len(months)).astype("m8[D]")
        dates = dates[rng.random(len(dates)) > 0.05]
    else:
        gaps = rng.exponential(365 / c.rate, 40).round().astype(int) + 1
        dates = s + np.cumsum(gaps).astype("m8[D]")
    dates = dates[(dates >= s) & (dates <= e)]
    if s > START:  # a client's first order marks the start of the relationship
        dates = np.union1d(dates, [s])
    if c.role == 3:  # slowing down: fewer orders in the last year
        keep = (dates < END - 365) | (rng.random(len(dates)) < 0.45)
        dates = dates[keep | (dates == dates.min(initial=END))]  # never drop the first order
    return np.unique(dates)


def _lines(clients: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return the order lines of every client, with prices, margins and delivery dates."""
    prod_cat = np.array([p[0] for p in PRODUCTS])
    count = np.bincount(prod_cat)
    first = np.cumsum(count) - count  # index of each category's first product
    parts = []
    for k, c in enumerate(clients.itertuples(index=False)):
        dates = _order_dates(c, rng)
        years = (dates - START).astype(int) / 365.0
        value = c.annual / (12, 4, c.rate)[c.pattern] * rng.lognormal(0, 0.35, len(dates))
        value *= (1 + c.trend) ** years * (1 + 0.12 * np.sin(2 * np.pi * years))
        if c.role == 3:  # slowing down: smaller orders in the last year too
            value = np.where(dates >= END - 365, value * 0.6, value)
        order = np.repeat(np.arange(len(dates)), 1 + np.minimum(rng.poisson(1.3, len(dates)), 4))
        share = rng.gamma(2.0, 1.0, len(order))
        share /= np.bincount(order, share)[order]  # split the order's value over its lines
        cat = rng.choice(len(CATEGORIES), len(order), p=c.cat_w)
        prod = first[cat] + (rng.random(len(order)) * count[cat]).astype(int)
        parts.append((np.full(len(order), k), dates[order], prod, value[order] * share))
    client, date, prod, value = (np.concatenate(x) for x in zip(*parts, strict=True))
    attrs = clients.iloc[client]
    price = np.array([p[2] for p in PRODUCTS])[prod] * (1 - attrs["discount"].to_numpy())
    qty = np.maximum(1, np.round(value / price))
    n = len(qty)
    cat = prod_cat[prod]
    margin = np.array([x[1] for x in CATEGORIES])[cat] - attrs["discount"].to_numpy() / 3
    margin += rng.normal(0, 0.04, n)
    margin = np.where(rng.random(n) < 0.01, -rng.uniform(0.02, 0.2, n), margin)  # loss leaders
    lines = pd.DataFrame({"client": client, "order_date": date, "prod": prod, "quantity": qty})
    lines["revenue"] = np.round(qty * price, 2)
    lines["profit"] = np.round(lines["revenue"] * np.clip(margin, -0.3, 0.45), 2)
    lead = np.array([x[2] for x in CATEGORIES])[cat]
    lines["due_date"] = lines["order_date"] + pd.to_timedelta(lead, unit="D")
    late = rng.random(n) < attrs["late_p"].to_numpy()
    shift = np.where(late, 1 + np.minimum(rng.exponential(7, n), 40), -rng.integers(0, 4, n))
    ship = lines["due_date"] + pd.to_timedelta(np.floor(shift), unit="D")
    lines["ship_date"] = ship.where(ship <= END)  # not yet shipped at the print date
    lines["return_p"] = attrs["return_p"].to_numpy()
    return lines


def _returns(lines: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return credit rows for a few shipped lines: negative amounts, same order and product."""
    back = lines["ship_date"] + pd.to_timedelta(rng.integers(3, 30, len(lines)), unit="D")
    hit = (rng.random(len(lines)) < lines["return_p"]) & (back <= END)
    ret = lines[hit].copy()
    part = np.maximum(1, np.round(ret["quantity"] * rng.uniform(0.1, 1.0, len(ret))))
    frac = part / ret["quantity"]
    ret["quantity"] = -part
    ret["revenue"] = -np.round(ret["revenue"] * frac, 2)
    ret["profit"] = -np.round(ret["profit"] * frac, 2)
    # A credit note is dated when the goods come back and has no delivery dates of its own.
    ret["order_date"], ret["due_date"], ret["ship_date"] = back[hit], pd.NaT, pd.NaT
    ret["returned"] = True
    return ret


def demo_sales(seed: int = 20240101) -> pd.DataFrame:
    """Return the deterministic demo sales lines (canonical columns), one row per order line."""
    # Generated once per seed (a quarter of a second each time); callers get their own copy.
    return _generated(seed).copy()


@lru_cache(maxsize=2)
def _generated(seed: int) -> pd.DataFrame:
    """The demo sales lines of a seed, generated."""
    rng = np.random.default_rng(seed)
    clients = _clients(rng)
    lines = _lines(clients, rng)
    # Number orders by date so order ids rise with time, as an ERP would issue them.
    lines["order_no"] = lines.groupby(["order_date", "client"], sort=True).ngroup() + 1
    lines["line"] = lines.groupby("order_no").cumcount()
    lines["returned"] = False
    rows = pd.concat([lines, _returns(lines, rng)], ignore_index=True)
    rows = rows.sort_values(["order_date", "order_no", "returned", "line"], kind="stable")
    rows = rows.join(
        clients[["client_id", "client_name", "manager", "region", "segment"]], "client"
    )
    rows["order_id"] = [f"SO-{i:06d}" for i in rows["order_no"]]
    rows["product"] = [PRODUCTS[p][1] for p in rows["prod"]]
    rows["category"] = [CATEGORIES[PRODUCTS[p][0]][0] for p in rows["prod"]]
    for col in ("order_date", "due_date", "ship_date"):
        rows[col] = rows[col].astype("datetime64[ns]")
    rows["quantity"] = rows["quantity"].astype(float)
    rows["returned"] = rows["returned"].astype(bool)
    return rows[list(COLUMNS)].reset_index(drop=True)
