"""Scope on real reports: a manager's restricted params leave no other manager's client."""

from __future__ import annotations

import pandas as pd
import pytest

from kam_core.analytics.abc_xyz import abc_xyz, abc_xyz_matrix
from kam_core.analytics.churn import churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.concentration import concentration
from kam_core.analytics.losses import losses
from kam_core.analytics.migration import migration
from kam_core.analytics.overview import biggest_movers, key_clients_at_risk
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.portfolio import portfolio, portfolio_clients
from kam_core.analytics.win_back import win_back_list
from kam_core.dossier import records
from kam_core.importing import import_file
from kam_core.services.scope import Scope, ScopeRefused, company_totals, manager_of

DANA = {"C1", "C3", "C5"}
ORI = {"C2", "C4"}


def _csv() -> bytes:
    # Acme (Dana) 1000, Beta (Ori) 100, Gamma (Dana) 10 every month of 2024; Delta (Ori) 500
    # Jan-Mar and Eps (Dana) 300 Jan-Apr, both silent long enough since to be lost.
    lines = ["Order Date,Client ID,Customer,Amount,Sales Rep"]
    plan = [
        ("C1", "Acme", 1000.0, "Dana Levi", range(1, 13)),
        ("C2", "Beta", 100.0, "Ori Tal", range(1, 13)),
        ("C3", "Gamma", 10.0, "Dana Levi", range(1, 13)),
        ("C4", "Delta", 500.0, "Ori Tal", range(1, 4)),
        ("C5", "Eps", 300.0, "Dana Levi", range(1, 5)),
    ]
    for cid, name, amount, rep, months in plan:
        for m in months:
            lines.append(f"2024-{m:02d}-05,{cid},{name},{amount},{rep}")
    lines.append("2024-12-20,C1,Acme,1000,Dana Levi")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def sales(conn):
    import_file(conn, _csv(), "sales.csv")
    return conn


DANA_SCOPE = Scope("manager", "dana@example.com", "dana levi")  # case differs from the data
ADMIN = Scope("admin", "boss@example.com")
EXEC = Scope("executive", "cfo@example.com")


def _client_ids(result: object) -> set[str]:
    """Every client id found in a report result: frames, and frames inside result objects."""
    frames: list[pd.DataFrame] = []
    if isinstance(result, pd.DataFrame):
        frames.append(result)
    else:
        for value in vars(result).values():
            if isinstance(value, pd.DataFrame):
                frames.append(value)
            elif isinstance(value, dict):
                frames += [v for v in value.values() if isinstance(v, pd.DataFrame)]
    ids: set[str] = set()
    for frame in frames:
        if "client_id" in frame.columns:
            ids |= set(frame["client_id"].dropna().astype(str))
    return ids


REPORTS = {
    "abc_xyz": abc_xyz,
    "churn": churn,
    "client_types": client_types,
    "losses": losses,
    "win_back_list": win_back_list,
    "portfolio_clients": portfolio_clients,
    "concentration": concentration,
    "migration": migration,
    "key_clients_at_risk": key_clients_at_risk,
    "biggest_movers": biggest_movers,
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_managers_restricted_report_holds_only_their_clients(sales, name):
    params = DANA_SCOPE.restrict(AnalysisParams(), sales)
    assert params.manager == "Dana Levi"  # the data's spelling
    ids = _client_ids(REPORTS[name](sales, params))
    assert ids <= DANA
    assert not ids & ORI


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_an_admin_and_an_executive_see_every_client(sales, name):
    for scope in (ADMIN, EXEC):
        params = scope.restrict(AnalysisParams(), sales)
        assert params.manager is None
        whole = _client_ids(REPORTS[name](sales, AnalysisParams()))
        assert _client_ids(REPORTS[name](sales, params)) == whole


def test_the_reports_with_rows_per_client_list_exactly_the_managers_clients(sales):
    params = DANA_SCOPE.restrict(AnalysisParams(), sales)
    assert set(churn(sales, params)["client_id"]) == DANA
    assert set(abc_xyz(sales, params).clients["client_id"]) == DANA
    assert set(losses(sales, params).clients["client_id"]) == {"C5"}
    assert set(win_back_list(sales, params)["client_id"]) == {"C5"}


def test_a_managers_portfolio_is_their_own_line_only(sales):
    table = portfolio(sales, DANA_SCOPE.restrict(AnalysisParams(), sales))
    assert list(table["manager"]) == ["Dana Levi"]
    # 13 x 1000 + 12 x 10 in the window (Jan-Dec 2024) + 4 x 300.
    assert table["revenue"].iloc[0] == pytest.approx(13_000 + 120 + 1_200)


def test_the_matrix_counts_only_the_managers_clients(sales):
    matrix = abc_xyz_matrix(sales, DANA_SCOPE.restrict(AnalysisParams(), sales))
    assert matrix["clients"].sum() == 3


def test_asking_for_another_managers_reports_is_refused_with_the_reason(sales):
    with pytest.raises(ScopeRefused, match=r"Ori Tal.*not yours"):
        DANA_SCOPE.restrict(AnalysisParams(manager="Ori Tal"), sales)
    # Their own name, in any case, is accepted.
    assert DANA_SCOPE.restrict(AnalysisParams(manager="DANA LEVI"), sales).manager == "Dana Levi"


def test_company_totals_are_aggregates_of_everyone(sales):
    totals = company_totals(sales, DANA_SCOPE.restrict(AnalysisParams(), sales))
    # Window 2024: 13,000 + 1,200 + 120 + 1,500 + 1,200.
    assert totals.revenue == pytest.approx(17_020)
    assert totals.clients == 5
    assert 0 <= totals.key_share <= 1
    assert not any(isinstance(v, pd.DataFrame) for v in vars(totals).values())


def test_the_client_manager_is_the_one_the_reports_use(sales):
    assert manager_of(sales, "C1") == "Dana Levi"
    assert manager_of(sales, "C2") == "Ori Tal"
    assert manager_of(sales, "NOPE") is None


def test_a_manager_reads_and_edits_only_their_own_dossiers(sales):
    assert records.load(sales, "C1", scope=DANA_SCOPE).client_id == "C1"
    version = records.save_profile(sales, "C1", {"industry": "Steel"}, 0, scope=DANA_SCOPE)
    assert version == 1
    with pytest.raises(ScopeRefused, match="C2 is not one of your clients"):
        records.load(sales, "C2", scope=DANA_SCOPE)
    with pytest.raises(ScopeRefused, match="not one of your clients"):
        records.save_profile(sales, "C2", {"industry": "Steel"}, 0, scope=DANA_SCOPE)
    with pytest.raises(ScopeRefused):
        records.add(sales, "competitor", "C4", {"name": "X"}, scope=DANA_SCOPE)


def test_the_signed_in_email_stamps_the_change(sales):
    records.add(sales, "competitor", "C1", {"name": "Rival"}, user="typed", scope=DANA_SCOPE)
    stamped = records.load(sales, "C1").competitors["updated_by"].tolist()
    assert stamped == ["dana@example.com"]


def test_update_and_delete_of_another_managers_record_are_refused(sales):
    row = records.add(sales, "competitor", "C2", {"name": "Rival"}, scope=ADMIN)
    with pytest.raises(ScopeRefused):
        records.update(sales, "competitor", row, {"name": "Mine"}, 1, scope=DANA_SCOPE)
    with pytest.raises(ScopeRefused):
        records.delete(sales, "competitor", row, 1, scope=DANA_SCOPE)
    assert records.load(sales, "C2").competitors["name"].tolist() == ["Rival"]


def test_an_executive_reads_every_dossier_but_changes_none(sales):
    assert records.load(sales, "C2", scope=EXEC).client_id == "C2"
    with pytest.raises(ScopeRefused, match="executive"):
        records.save_profile(sales, "C2", {"industry": "Steel"}, 0, scope=EXEC)
    with pytest.raises(ScopeRefused, match="executive"):
        records.add(sales, "competitor", "C1", {"name": "X"}, scope=EXEC)


def test_an_admin_edits_any_dossier(sales):
    assert records.save_profile(sales, "C2", {"industry": "Steel"}, 0, scope=ADMIN) == 1


def test_clip_drops_rows_of_clients_outside_the_scope_before_an_export(sales):
    frame = churn(sales, AnalysisParams())
    assert set(DANA_SCOPE.clip(sales, frame)["client_id"]) == DANA
    assert len(ADMIN.clip(sales, frame)) == len(frame)


def test_clip_follows_the_clients_current_manager_after_a_reassignment(conn):
    # C9 belonged to Ori, then to Dana: its old rows carry Ori's name.
    csv = (
        b"Order Date,Client ID,Customer,Amount,Sales Rep\n"
        b"2024-01-05,C9,Nine,10,Ori Tal\n2024-06-05,C9,Nine,10,Dana Levi\n"
        b"2024-06-05,C2,Beta,10,Ori Tal\n"
    )
    import_file(conn, csv, "moves.csv")
    ori = Scope("manager", "ori@example.com", "Ori Tal")
    frame = pd.DataFrame({"client_id": ["C9", "C2"]})
    assert ori.clip(conn, frame)["client_id"].tolist() == ["C2"]
    assert not ori.can_read_client(conn, "C9")
    assert DANA_SCOPE.can_read_client(conn, "C9")


def test_a_client_known_only_from_the_dossier_belongs_to_its_dossier_manager(sales):
    records.save_profile(sales, "P1", {"manager": "Dana Levi"}, 0, scope=ADMIN)
    assert DANA_SCOPE.can_edit_client(sales, "P1")
    assert not Scope("manager", "o@example.com", "Ori Tal").can_read_client(sales, "P1")


def test_an_export_takes_only_the_managers_clients_and_is_audited(sales):
    from kam_core.services import audit
    from kam_core.services.scope import scoped_export

    frame = churn(sales, AnalysisParams())
    out = scoped_export(sales, DANA_SCOPE, frame, "churn")
    assert set(out["client_id"]) == DANA
    entry = audit.read(sales, action="export")
    assert entry["user_email"].tolist() == ["dana@example.com"]
    assert entry["detail"].iloc[0] == {"rows": 3, "dropped": 2}
    # The command line and local mode export without a log entry per table.
    scoped_export(sales, Scope.local(), frame, "churn")
    assert len(audit.read(sales, action="export")) == 1
