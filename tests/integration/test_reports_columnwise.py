"""Reports and pages built column-wise give what the row-by-row code gave (100,000 clients)."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from urllib.parse import quote

import numpy as np
import pandas as pd
import pytest

from kam_core.analytics import client_types as ct
from kam_core.analytics import losses as lo
from kam_core.analytics import win_back as wb
from kam_core.analytics.cache import clear_cache
from kam_core.analytics.columns import (
    among,
    map_distinct,
    normalised_labels,
    per_value,
    url_quoted,
)
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.source import resolve
from kam_core.dossier.reads import client_labels
from kam_core.ingest.fields import normalise_label
from kam_core.store import connect
from kam_core.vocabulary import status_label
from tests.reference import insert_sales

# Names and ids as files write them: punctuation, quotes, underscores, accents, other scripts,
# full-width letters, control characters, empty.
CHARS = "abcXYZ019 _.-~%&/?#=+\"'<>\\\t\n\x00\x7féÅ€日שׁＡ’ـ"


def _texts(seed: int, count: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(CHARS) for _ in range(rnd.randint(0, 9))) for _ in range(count)]


def test_per_value_answers_as_map_and_asks_once_per_value():
    calls: list[object] = []

    def label(value: object) -> str:
        calls.append(value)
        return status_label(value)

    values = pd.Series(["lost", "at_risk", None, "lost", np.nan, "new_one", "lost", np.nan] * 50)
    assert values.map(per_value(label)).tolist() == values.map(status_label).tolist()
    # Three values and the missing ones (a text column holds None as NaN): four calls, 400 rows.
    assert len(calls) == 4
    assert pd.Series([1, 1.0, True], dtype=object).map(per_value(repr)).tolist() == [
        "1",
        "1.0",
        "True",
    ]


@pytest.mark.parametrize("dtype", ["str", object])
def test_map_distinct_is_map(dtype):
    values = pd.Series(
        ["lost", None, "at_risk", "", "lost", np.nan] * 40, dtype=dtype, index=range(3, 243)
    )
    for func in (status_label, lambda v: isinstance(v, str) and bool(v), lambda v: [str(v)]):
        pd.testing.assert_series_equal(map_distinct(values, func), values.map(func))
    # A function that fails on a missing value is not handed one the column does not hold.
    present = values.dropna()
    assert map_distinct(present, {"lost": 1, "at_risk": 2, "": 3}.__getitem__).tolist() == [
        {"lost": 1, "at_risk": 2, "": 3}[v] for v in present
    ]


def test_url_quoted_is_quote_of_each_value():
    values = pd.Series([*_texts(1, 3000), "A&B/1", "bulk client 000001", "", "100%"])
    assert url_quoted(values).tolist() == [quote(v, safe="") for v in values]
    assert url_quoted(pd.Series(["a b", "c"], index=[7, 3])).to_dict() == {7: "a%20b", 3: "c"}
    assert url_quoted(pd.Series([], dtype="str")).tolist() == []


def test_normalised_labels_are_normalise_label_of_each_value():
    values = pd.Series([*_texts(2, 5000), "Acme Ltd.", "  O'Neil__&  Sons ", "McDonald’s"])
    assert normalised_labels(values).tolist() == [normalise_label(v) for v in values]


def test_client_labels_name_a_client_once_when_its_id_is_made_of_its_name():
    clients = pd.DataFrame(
        {
            "client_id": ["acme ltd", "C-1", "oneil sons", "x"],
            "client_name": ["Acme Ltd.", "Acme Ltd.", "O'Neil & Sons", None],
        }
    )
    assert client_labels(clients) == {
        "acme ltd": "Acme Ltd.",
        "C-1": "Acme Ltd. (C-1)",
        "oneil sons": "O'Neil & Sons",
        "x": "x",
    }


def _previous_client_types(conn, resolved):
    """The row-by-row _client_types this module replaced, kept to compare with."""
    as_of, t = resolved.as_of, resolved.thresholds
    window = ct.abc_xyz(conn, resolved).clients
    history = ct.client_history(conn, resolved, as_of)
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
    master = ct.read_clients(conn)
    if resolved.filters:
        master = master[master["client_id"].isin(frame["client_id"])]
    frame = pd.merge(frame, master, on="client_id", how="outer", suffixes=("", "_m"))
    frame["client_name"] = frame["client_name"].fillna(frame.pop("client_name_m"))
    frame = frame.sort_values("client_id").reset_index(drop=True)
    basis = ct._share_basis(frame[["profit", "revenue"]].fillna({"revenue": 0.0}))
    frame["profit_share"] = ct.abc_class(basis, frame["client_id"])["share"]
    frame["spend"] = frame["revenue_total"]
    frame["qualified"] = (
        (frame["need"] == "yes") & (frame["solvency"] == "yes") & (frame["authority"] == "yes")
    ).fillna(False)
    has_history = frame["days_since_first"].notna()
    top_new = ct.top_new_clients(
        frame.loc[has_history, "days_since_first"],
        frame.loc[has_history, "spend"].fillna(0.0),
        frame.loc[has_history, "client_id"],
        t,
    ).reindex(frame.index, fill_value=False)
    rules = {
        ct.ClientType.BREADWINNER: ct.breadwinner(
            frame["profit_share"], frame["abc"], frame["first_purchase"], as_of, t
        ),
        ct.ClientType.PROSPECT: (top_new | frame["qualified"]).astype(bool),
        ct.ClientType.IMAGE_MAKER: frame["is_image_maker"].fillna(False).astype(bool),
        ct.ClientType.EXPERT: frame["is_expert"].fillna(False).astype(bool),
    }
    overrides = frame["type_override"].map(ct.parse_override)
    frame["overridden"] = overrides.notna()
    for kind in ct.TYPE_ORDER:
        pairs = zip(overrides, rules[kind], strict=True)
        chosen = [kind in o if o is not None else r for o, r in pairs]
        frame[f"is_{kind.value}"] = np.array(chosen, dtype=bool)
    returns = ct.return_shares(conn, resolved)
    frame = frame.merge(returns, on="client_id", how="left")
    frame["expert_suggested"] = (
        (frame["return_share"].fillna(0.0).round(9) >= t.expert_return_share) & ~frame["is_expert"]
    ).astype(bool)
    flags = frame[[f"is_{k.value}" for k in ct.TYPE_ORDER]].to_numpy()
    frame["is_key"] = flags.any(axis=1)
    frame["types"] = [
        ",".join(k.value for k, f in zip(ct.TYPE_ORDER, row, strict=True) if f) for row in flags
    ]
    return frame[ct.COLUMNS]


@pytest.fixture
def generated():
    """Clients with one order, zero amounts, returns, equal revenues, flags and overrides."""
    rnd = random.Random(7)
    conn = connect(":memory:")
    rows = []
    first = date(2016, 1, 1)
    for i in range(400):
        orders = 1 if i % 5 == 0 else rnd.randint(2, 12)
        for _ in range(orders):
            day = first + timedelta(days=rnd.randint(0, 540))
            amount = 0.0 if i % 11 == 0 else (100.0 if i % 7 == 0 else rnd.randint(-50, 900))
            rows.append({"order_date": str(day), "client_id": f"c{i:03d}", "revenue": amount})
    insert_sales(conn, rows)
    overrides = ["none", "expert", "Breadwinner, prospect", " , ", "image-maker", "bogus"]
    values = []
    for i in range(0, 460, 3):  # some clients of the master data have no sales
        override = f"'{overrides[i % 6]}'" if i % 4 == 0 else "NULL"
        flags = "true" if i % 9 == 0 else "false", "true" if i % 6 == 0 else "false"
        bant = "yes" if i % 10 == 0 else "unknown"
        values.append(
            f"('c{i:03d}', {flags[0]}, {flags[1]}, {override}, '{bant}', '{bant}', '{bant}')"
        )
    conn.execute(
        "INSERT INTO clients (client_id, is_image_maker, is_expert, type_override, need,"
        " solvency, authority) VALUES " + ", ".join(values)
    )
    clear_cache()
    yield conn
    conn.close()


def test_client_types_are_those_of_the_row_by_row_code(generated):
    resolved = resolve(generated, AnalysisParams(as_of=date(2017, 6, 30)))
    got = ct._client_types(generated, resolved)
    want = _previous_client_types(generated, resolved)
    pd.testing.assert_frame_equal(got, want)
    # The generated data reaches every branch: overrides, several types, none.
    assert got["overridden"].sum() > 10 and (got["types"] == "").sum() > 10
    assert got["types"].str.contains(",").any()
    assert not math.isnan(got["profit_share"].sum())


@pytest.mark.parametrize(
    "choices",
    [
        pd.Series(["b", None, "zz", "a"], dtype="str"),
        pd.Index(["b", "q"]),
        {"a", "c"},
        ["a", 1, None],
        [],
        pd.Series([], dtype="str"),
    ],
)
def test_among_is_isin(choices):
    values = pd.Series(["a", "b", None, "c", "a", "", "1"] * 3, dtype="str", index=range(5, 26))
    want = values.isin(list(choices) if isinstance(choices, set) else choices)
    got = among(values, choices)
    pd.testing.assert_series_equal(got, want)
    objects = values.astype(object)
    pd.testing.assert_series_equal(among(objects, choices), objects.isin(list(choices)))


def _previous_losses(conn, params):
    """The losses this module's change replaced (types read and split row by row)."""
    resolved = resolve(conn, params)
    table = lo.churn(conn, params)
    lost = table[table["status"] == lo.LOST].copy()
    classes = lo.abc_xyz(conn, resolved).clients[["client_id", "abc"]]
    lost = lost.merge(classes, on="client_id", how="left")
    lost["abc"] = lost["abc"].fillna("none")
    types = ct.client_types(conn, resolved)[["client_id", "types"]]
    lost = lost.merge(types, on="client_id", how="left")
    lost["client_type"] = pd.Series(
        [t if isinstance(t, str) and t else "ordinary" for t in lost["types"]],
        index=lost.index,
        dtype="str",
    )
    by_month = lo.losses_by_month(lost, pd.Period(resolved.as_of, freq="M"))
    parts = {}
    for dim in lo.DIMENSIONS:
        source = lost
        if dim == "client_type":
            source = lost.assign(client_type=lost["client_type"].str.split(",")).explode(
                "client_type"
            )
        parts[dim] = lo.breakdown(source, dim)
    return lo.LossesResult(by_month, lost, parts, lo.loss_trend(by_month))


def test_losses_are_those_of_the_row_by_row_code(generated):
    params = AnalysisParams(as_of=date(2017, 9, 30))
    got, want = lo.losses(generated, params), _previous_losses(generated, params)
    pd.testing.assert_frame_equal(got.by_month, want.by_month)
    pd.testing.assert_frame_equal(got.clients, want.clients)
    assert got.breakdowns.keys() == want.breakdowns.keys() and got.trend == want.trend
    for dim, part in want.breakdowns.items():
        pd.testing.assert_frame_equal(got.breakdowns[dim], part)
    # Lost clients of several types, of none, and of one.
    kinds = want.clients["client_type"]
    assert kinds.str.contains(",").any() and (kinds == "ordinary").any()
    assert len(want.clients) > 20


def test_losses_without_typed_clients_call_each_ordinary(conn):
    # One client, silent for a year: lost, no type (the merged column is all missing).
    days = ("2016-01-05", "2016-03-05")
    rows = [{"order_date": d, "client_id": "solo", "revenue": 10.0} for d in days]
    insert_sales(conn, rows)
    got = lo.losses(conn, AnalysisParams(as_of=date(2017, 6, 30)))
    assert got.clients["client_type"].tolist() == ["ordinary"]
    assert got.breakdowns["client_type"]["client_type"].tolist() == ["ordinary"]


def test_suggested_offers_are_suggested_offer_of_each_client():
    rnd = random.Random(3)
    cuts = wb.OfferCuts(personal=500.0, discount=200.0)
    classes = ["A", "B", "C", "", None, np.nan, "X"]
    # Stakes at the cuts exactly, zero, negative, between and above.
    stakes = [500.0, 200.0, 0.0, -10.0, 199.99, 350.0, 900.0, 0.01]
    abc = pd.Series([rnd.choice(classes) for _ in range(600)], dtype=object)
    stake = pd.Series([rnd.choice(stakes) for _ in range(600)])
    want = [
        wb.suggested_offer(a if isinstance(a, str) else None, s, cuts)
        for a, s in zip(abc, stake, strict=True)
    ]
    assert wb.suggested_offers(abc, stake, cuts) == want
    assert wb.suggested_offers(abc.astype("str"), stake, cuts) == want
    endless = wb.OfferCuts(personal=float("inf"), discount=float("inf"))
    assert wb.suggested_offers(pd.Series(["A", None]), pd.Series([5.0, 5.0]), endless) == [
        wb.OFFERS[wb.PERSONAL],
        wb.OFFERS[wb.CAMPAIGN],
    ]
