"""The Managers page's tables: the portfolio columns, one manager's clients and risks."""

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from kam_core.analytics.columns import among, map_distinct
from kam_core.i18n import _, get_language, is_rtl
from kam_core.i18n import terms as t
from kam_core.i18n.formats import date_column_format
from kam_core.vocabulary import WIN_BACK_LABELS as WIN_BACK
from kam_core.vocabulary import header, label_of, status_label
from ui.tables import client_table, percent_column, percent_points, progress_percent

COUNT = {"format": "%d"}
ORDER = [
    "manager",
    "clients",
    "revenue",
    "revenue_change_pct",
    "revenue_change",
    "revenue_prev",
    "health",
    "key_clients",
    "at_risk",
    "lost",
    "dossier_completeness",
]
# The ABC-XYZ mix (in the chart beside) and the clients buying in the window go to the
# download only: fewer columns fit at 1024 px, and a wide table in Hebrew opens on its last.
EXTRA = [*"abcxyz", "clients_in_window"]


def portfolio_config(in_money: Callable[[str], str], health: Any) -> dict[str, Any]:
    """The portfolio table's headers: money columns carry the currency, counts no decimals."""
    return {
        # Pinned columns go to the left edge even in Hebrew: pinned in English only.
        "manager": st.column_config.TextColumn(
            header("manager"), pinned=not is_rtl(get_language())
        ),
        "clients": st.column_config.NumberColumn(_("Clients"), **COUNT),
        "clients_in_window": st.column_config.NumberColumn(
            _("Buying in window"), help=_("Clients with sales in the window."), **COUNT
        ),
        "revenue": st.column_config.NumberColumn(in_money(_("Revenue")), format="localized"),
        "revenue_prev": st.column_config.NumberColumn(
            in_money(_("Previous window")), format="localized"
        ),
        "revenue_change": st.column_config.NumberColumn(in_money(_("Change")), format="localized"),
        "revenue_change_pct": percent_column(_("Change %")),
        **{
            k: st.column_config.NumberColumn(
                k.upper(), help=_("Clients of class {cls}.").format(cls=k.upper()), **COUNT
            )
            for k in "abcxyz"
        },
        "health": health,
        "key_clients": st.column_config.NumberColumn(t.term(t.KEY_CLIENTS), **COUNT),
        "at_risk": st.column_config.NumberColumn(t.term(t.STATUS_AT_RISK), **COUNT),
        "lost": st.column_config.NumberColumn(t.term(t.STATUS_LOST), **COUNT),
        "dossier_completeness": progress_percent(
            _("Key-client dossiers"),
            help=_(
                "How complete the dossiers of the manager's key clients are, on average: the share "
                "of dossier sections filled (profile, decision map, competitors, tenders, "
                "qualification, plan, notes)."
            ),
        ),
    }


def client_rows(mine: pd.DataFrame) -> pd.DataFrame:
    """One manager's clients as the table shows them, largest revenue first."""
    return (
        mine.sort_values(["revenue", "client_id"], ascending=[False, True])[
            [
                "client_id",
                "client_name",
                "cell",
                "status",
                "health",
                "is_key",
                "revenue",
                "revenue_prev",
                "change",
                "completeness",
            ]
        ]
        .assign(status=lambda f: map_distinct(f["status"], status_label))
        .pipe(percent_points, ["completeness"])
    )


def clients_table(
    rows: pd.DataFrame, who: str, in_money: Callable[[str], str], health: Any
) -> None:
    """One manager's clients (client_rows), largest revenue first; a click opens the dossier."""
    client_table(
        rows,
        key=f"mgr_clients:{who}",
        stem="manager-clients",
        height=360,
        column_config={
            "cell": "ABC-XYZ",
            "status": _("Churn status"),
            "health": health,
            "is_key": st.column_config.CheckboxColumn(t.term(t.KEY_CLIENT)),
            "revenue": st.column_config.NumberColumn(in_money(_("Revenue")), format="localized"),
            "revenue_prev": st.column_config.NumberColumn(
                in_money(_("Previous window")), format="localized"
            ),
            "change": st.column_config.NumberColumn(in_money(_("Change")), format="localized"),
            "completeness": progress_percent(t.term(t.DOSSIER)),
        },
    )


def risk_rows(risks: pd.DataFrame, mine: pd.DataFrame) -> pd.DataFrame:
    """The win-back list's rows of one manager's clients as the risks table shows them."""
    risks = risks[among(risks["client_id"], mine["client_id"])]
    risks = risks.merge(mine[["client_id", "health"]], on="client_id", how="left")
    return risks[
        [
            "client_id",
            "client_name",
            "churn_status",
            "health",
            "abc",
            "is_key",
            "revenue_at_stake",
            "last_purchase",
            "days_since_last",
            "offer",
            "status",
        ]
    ].assign(
        churn_status=lambda f: map_distinct(f["churn_status"], status_label),
        abc=lambda f: f["abc"].fillna("—"),
        offer=lambda f: map_distinct(f["offer"], lambda o: _(o) if isinstance(o, str) else "—"),
        status=lambda f: map_distinct(f["status"], lambda s: label_of(WIN_BACK, s)),
    )


def risks_table(rows: pd.DataFrame, who: str, in_money: Callable[[str], str], health: Any) -> None:
    """One manager's at-risk and lost clients (risk_rows), largest revenue at stake first."""
    client_table(
        rows,
        key=f"mgr_risks:{who}",
        stem="manager-risks",
        column_config={
            "churn_status": _("Churn status"),
            "health": health,
            "abc": "ABC",
            "is_key": st.column_config.CheckboxColumn(t.term(t.KEY_CLIENT)),
            "revenue_at_stake": st.column_config.NumberColumn(
                in_money(header("revenue_at_stake")), format="localized"
            ),
            "last_purchase": st.column_config.DateColumn(
                header("last_purchase"), format=date_column_format()
            ),
            "days_since_last": st.column_config.NumberColumn(_("Days silent"), **COUNT),
            "offer": header("offer"),
            "status": st.column_config.TextColumn(
                _("Win-back status"), help=_("Set on the Churn and win-back page.")
            ),
        },
    )
