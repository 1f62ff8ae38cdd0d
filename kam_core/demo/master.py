"""Deterministic dossiers for the demo's key clients: profiles, people, tenders, competitors,
qualification and activities, written as a master-data workbook and imported like one."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from kam_core.demo import texts as t
from kam_core.demo.sales import EN_TRADES, demo_sales
from kam_core.dossier.workbook import SHEETS
from kam_core.export import to_excel_bytes
from kam_core.i18n import _

DEMO_MASTER_NAME = "kam-demo-master.xlsx"
DEMO_USER = "demo"
KEY_CLIENTS = 20
SEED = 20240501
DATA_END = pd.Timestamp("2025-12-31")  # the demo sales end here; plans run into 2026
# Names of companies, people and competitors are data: they stay as they are in every language.
FIRST, LAST, PEOPLE, COMPETITORS = t.FIRST, t.LAST, t.PEOPLE, t.COMPETITORS


def key_clients(sales: pd.DataFrame, n: int = KEY_CLIENTS) -> pd.DataFrame:
    """The n largest demo clients by revenue, with name, region and first and last purchase."""
    facts = sales.groupby("client_id").agg(
        client_name=("client_name", "last"),
        region=("region", "last"),
        manager=("manager", "last"),
        segment=("segment", "last"),
        revenue=("revenue", "sum"),
        first=("order_date", "min"),
        last=("order_date", "max"),
    )
    facts = facts.reset_index().sort_values(["revenue", "client_id"], ascending=[False, True])
    return facts.head(n).reset_index(drop=True)


def _industry(name: str, rng: np.random.Generator) -> str:
    for word in (*EN_TRADES, *t.INDUSTRY_WORDS):
        if word in name:
            return t.INDUSTRY_WORDS.get(word, word)
    return str(rng.choice(EN_TRADES))


def _profile(c: pd.Series, rank: int, rng: np.random.Generator) -> dict:
    industry = _industry(c.client_name, rng)
    employees = int(round(rng.integers(120, 600) * (1 + (KEY_CLIENTS - rank) / 4), -1))
    answers = ("yes", "yes", "yes") if rank % 5 != 4 else ("yes", "unknown", "no")
    if rank % 7 == 3:
        answers = ("yes", "yes", "unknown")
    return {
        "client_id": c.client_id,
        "client_name": c.client_name,
        "industry": t.industry_word(industry),
        "employees": employees,
        "website": f"https://www.{c.client_id.lower()}.example.com",
        "description": t.description(industry, c.region, c.segment),
        "history": t.history(c["first"].date()),
        "team": _(t.TEAM),
        "org_structure": _(t.ORG_STRUCTURE),
        "environment": _(t.ENVIRONMENT),
        "is_image_maker": rank < 3,
        "is_expert": rank % 6 == 1,
        "need": answers[0],
        "solvency": answers[1],
        "authority": answers[2],
        "qualification_note": _(t.CHECKED if rank % 5 != 4 else t.UNDER_REVIEW),
        "qualification_source": _(t.SOURCES[0] if rank % 2 else t.SOURCES[1]),
        "qualification_date": (DATA_END - pd.Timedelta(days=int(rng.integers(20, 200)))).date(),
    }


def _contacts(c: pd.Series, rank: int, rng: np.random.Generator) -> list[dict]:
    count = 3 + rank % 4
    people = list(PEOPLE[:count])
    if rank % 9 == 4:  # a few dossiers still miss the decision maker
        people = people[1:]
    rows, names = [], []
    for title, role, boss, weights in people:
        first, name = _person(rng)
        while name in names:
            first, name = _person(rng)
        names.append(name)
        attitude = str(rng.choice(("supporter", "neutral", "opponent"), p=weights))
        boss_name = None
        if boss is not None and PEOPLE[boss] in people:
            boss_name = names[people.index(PEOPLE[boss])]
        influence = 5 if role == "decision_maker" else int(rng.integers(2, 5))
        phone = f"+972-5{rng.integers(0, 10)}-{rng.integers(1000000, 9999999)}"
        email = f"{name.lower().replace(' ', '.')}@{c.client_id.lower()}.example.com"
        rows.append(
            {
                "client_id": c.client_id,
                "name": name,
                "title": t.title_of(PEOPLE.index((title, role, boss, weights)), first),
                "role": role,
                "attitude": attitude,
                "influence": influence,
                "reports_to": boss_name,
                "phone": phone,
                "email": email,
            }
        )
    return rows


def _person(rng: np.random.Generator) -> tuple[str, str]:
    first = str(rng.choice(FIRST))
    return first, f"{first} {rng.choice(LAST)}"


def _tenders(c: pd.Series, rng: np.random.Generator) -> list[dict]:
    rows = []
    for k in range(int(rng.integers(1, 4))):
        result = str(rng.choice(("won", "lost", "pending", "declined"), p=(0.45, 0.3, 0.15, 0.1)))
        if k == 0 and result == "pending":
            result = "won"
        day = DATA_END - pd.Timedelta(days=int(rng.integers(20, 900)))
        if result == "pending":
            day = DATA_END - pd.Timedelta(days=int(rng.integers(5, 40)))
        rows.append(
            {
                "client_id": c.client_id,
                "tender_date": day.date(),
                "subject": _(str(rng.choice(t.SUBJECTS))),
                "amount": float(round(c.revenue * rng.uniform(0.1, 0.4), -3)),
                "result": result,
                "reason": _(str(rng.choice(t.REASONS[result]))),
                "winner": str(rng.choice(COMPETITORS)) if result == "lost" else None,
            }
        )
    return rows


def _competitors(c: pd.Series, rng: np.random.Generator) -> list[dict]:
    picks = rng.choice(len(COMPETITORS), int(rng.integers(1, 4)), replace=False)
    return [
        {
            "client_id": c.client_id,
            "name": COMPETITORS[i],
            "share": float(round(rng.uniform(0.08, 0.45), 2)),
            "strengths": _(t.STRENGTHS[i]),
            "weaknesses": _(t.WEAKNESSES[(i + 2) % len(t.WEAKNESSES)]),
        }
        for i in picks
    ]


def _activities(
    c: pd.Series, rank: int, contacts: list[dict], rng: np.random.Generator
) -> list[dict]:
    rows = []
    for k in range(2):
        day = DATA_END - pd.Timedelta(days=int(rng.integers(10, 300)))
        rows.append(
            {
                "client_id": c.client_id,
                "kind": "meeting" if k else "note",
                "activity_date": day.date(),
                "owner": c.manager,
                "status": "done",
                "text": _(t.NOTES[(rank + k) % len(t.NOTES)]),
            }
        )
    for k in range(1 + rank % 3):
        target = contacts[(rank + k) % len(contacts)]["name"]
        due = DATA_END + pd.Timedelta(days=int(rng.integers(15, 120)))
        rows.append(
            {
                "client_id": c.client_id,
                "kind": "abm",
                "activity_date": DATA_END.date(),
                "owner": c.manager,
                "status": "in_progress" if k == 0 and rank % 2 else "planned",
                "due_date": due.date(),
                "contact": target,
                "text": _(t.ABM[(rank + k) % len(t.ABM)]),
            }
        )
    if c["last"] < DATA_END - pd.Timedelta(days=90):
        rows.append(
            {
                "client_id": c.client_id,
                "kind": "win_back",
                "activity_date": DATA_END.date(),
                "owner": c.manager,
                "status": "planned",
                "due_date": (DATA_END + pd.Timedelta(days=14)).date(),
                "text": _(t.WIN_BACK),
            }
        )
    return rows


def demo_master_frames(sales: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The demo's master data as canonical frames per sheet (no People: the sales workbook
    carries it)."""
    rng = np.random.default_rng(SEED)
    clients = key_clients(demo_sales() if sales is None else sales)
    out: dict[str, list[dict]] = {
        s: [] for s in ("Clients", "Contacts", "Tenders", "Competitors", "Activities")
    }
    for rank, c in clients.iterrows():
        out["Clients"].append(_profile(c, int(rank), rng))
        people = _contacts(c, int(rank), rng)
        out["Contacts"] += people
        out["Tenders"] += _tenders(c, rng)
        out["Competitors"] += _competitors(c, rng)
        out["Activities"] += _activities(c, int(rank), people, rng)
    return {name: pd.DataFrame(rows) for name, rows in out.items()}


def demo_master_workbook(sales: pd.DataFrame | None = None) -> bytes:
    """The demo's master data as a workbook in the template's layout."""
    sheets = {}
    for name, frame in demo_master_frames(sales).items():
        columns = SHEETS[name]
        out = frame.reindex(columns=[f for f, _ in columns])
        out.columns = [h for _, h in columns]
        sheets[name] = out
    return to_excel_bytes(sheets)


def load_demo_master(conn: duckdb.DuckDBPyConnection, sales_workbook: bytes) -> None:
    """Import the demo dossiers and the People sheet of the demo sales workbook."""
    from kam_core.demo.workbook import DEMO_WORKBOOK_NAME
    from kam_core.dossier.importer import import_master

    import_master(conn, demo_master_workbook(), DEMO_MASTER_NAME, user=DEMO_USER)
    import_master(conn, sales_workbook, DEMO_WORKBOOK_NAME, user=DEMO_USER)
