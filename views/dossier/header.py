"""The top of the dossier: find a client (kept in the URL), key figures, outlook and warnings."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import duckdb
import streamlit as st

from kam_core.dossier import ClientSummary, Completeness
from kam_core.dossier.outlook import Outlook, parts_frame
from kam_core.dossier.qualification import VERDICTS, Qualification
from kam_core.dossier.reads import client_labels, client_list
from kam_core.i18n import _, fmt_date, fmt_number, fmt_percent, fmt_signed_percent, ngettext
from kam_core.i18n import terms as t
from kam_core.i18n.formats import MISSING
from kam_core.services.scope import Scope
from kam_core.vocabulary import status_label, type_labels
from ui.cache import remember
from ui.rtl import rtl_column_config, rtl_columns
from ui.tables import percent_column, percent_points
from ui.text import esc
from views.dossier.money import NARROW, WIDE, amount
from views.dossier.money import figure_row as _row


def picker_labels(conn: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, str]:
    """client_id -> "Name (ID)" of every client the scope may read, largest first."""
    return client_labels(scope.clip(conn, client_list(conn)))


# Up to this many clients the picker lists them all (its own type-ahead finds one); a longer
# list is searched on the server and the picker offers the first matches, largest first: 10k
# labels were ~300 KB sent and drawn on every view of the dossier.
PICKER_ALL = 500
PICKER_MATCHES = 50


def picker_options(
    labels: dict[str, str], text: str, current: str | None, limit: int | None = None
) -> list[str]:
    """The first `limit` (PICKER_MATCHES) client ids whose label (name or id) holds the text,
    largest first; the client open now stays listed."""
    # Read at call time, not bound as a default: a test lowers the module's value.
    limit = PICKER_MATCHES if limit is None else limit
    found = list(itertools.islice(_matching(labels, text), limit))
    if current in labels and current not in found:
        found.insert(0, current)
    return found


def named_client(labels: dict[str, str], name: str) -> str | None:
    """The id of the one client whose name (its label without the id) is name, in any case."""
    needle = name.strip().casefold()
    found = [
        code
        for code, label in labels.items()
        if label.casefold() == needle or label.casefold() == f"{needle} ({code.casefold()})"
    ]
    return found[0] if len(found) == 1 else None


def count_matches(labels: dict[str, str], text: str) -> int:
    """How many clients' labels (name or id) hold the text; all of them for no text."""
    return len(labels) if not text.strip() else sum(1 for _id in _matching(labels, text))


def _matching(labels: dict[str, str], text: str) -> Iterator[str]:
    """The client ids, in the labels' order, whose label holds the text (any case)."""
    needle = text.strip().casefold()
    return (c for c, label in labels.items() if not needle or needle in label.casefold())


def _cut_note(labels: dict[str, str], text: str) -> str | None:
    """What the picker leaves out when it lists only the first matches, or None."""
    total = count_matches(labels, text)
    if total <= PICKER_MATCHES:
        return None
    if text.strip():
        note = _("The first {limit} of {total} clients matching the search, largest first.")
    else:
        note = _("The {limit} largest of {total} clients. Type a name or id to find any other.")
    return note.format(limit=fmt_number(PICKER_MATCHES), total=fmt_number(total))


def pick_client(conn: duckdb.DuckDBPyConnection, scope: Scope) -> str | None:
    """A type-ahead picker of the clients the scope may read, synced with ?client=ID."""
    # Built once per stored state and scope: 10k labels cost a third of a second a view.
    labels = remember(picker_labels, conn, scope)
    wanted = st.query_params.get("client")
    if wanted and wanted not in labels:
        # A link naming the client ('?client=Acme Ltd') opens it when one client has the name.
        wanted = named_client(labels, wanted) or wanted
    if wanted and wanted not in labels:
        if scope.can_read_client(conn, wanted) or scope.sees_everything:
            st.warning(_("No client with this id in the data."))
            st.text(_("Asked for: {client_id}").format(client_id=wanted))
        else:
            st.error(_("This client is outside what you may see."))
            st.text(scope.refusal(wanted))  # text: it holds names and addresses
        wanted = None
    note = None
    if len(labels) <= PICKER_ALL:
        ids = list(labels)
        box = st
    else:
        search, box = st.columns([1, 2], vertical_alignment="bottom")
        text = search.text_input(
            _("Client"),
            key="dossier_client_search",
            placeholder=_("Type a name or id"),
            max_chars=100,
        )
        ids = picker_options(labels, text or "", wanted)
        if text and not ids:
            search.caption(_("No row matches the search."))
        note = _cut_note(labels, text or "")
    chosen = box.selectbox(
        _("Client"),
        ids,
        index=ids.index(wanted) if wanted in ids else None,
        format_func=labels.get,
        placeholder=_("Type a name or id"),
        help=_("Clients from the sales data and from imported master data, largest first."),
        label_visibility="visible" if box is st else "hidden",
    )
    if note:
        st.caption(note)
    if chosen and st.query_params.get("client") != chosen:
        st.query_params["client"] = chosen
    return chosen


def _cells(summary: ClientSummary) -> str:
    """The ABC-XYZ cells oldest to newest, so the history reads in the reading order."""
    history = summary.cell_history
    if history.empty:
        return MISSING
    ordered = history.sort_values("as_of")
    return " · ".join(f"{fmt_date(row.as_of)} {row.cell}" for row in ordered.itertuples())


def header(
    summary: ClientSummary,
    name: str,
    manager: str | None,
    industry: str | None,
    done: Completeness,
    quali: Qualification,
) -> None:
    """Name, key figures, ABC-XYZ history, types and the completeness of the dossier."""
    st.header(esc(name), anchor=False)
    facts = [_("ID {client_id}").format(client_id=summary.client_id)]
    facts += [v for v in (industry, summary.region, summary.segment) if v]
    facts.append(_("Manager: {name}").format(name=manager or _("not assigned")))
    if summary.first_purchase:
        facts.append(_("client since {date}").format(date=fmt_date(summary.first_purchase)))
    st.caption(esc(" · ".join(facts)))
    # Rows that wrap: at 1024 px four amounts side by side would be cut ("₪695...").
    top = _row()
    change = None if summary.change_pct is None else fmt_signed_percent(summary.change_pct)
    top.metric(
        _("Revenue in the window"),
        amount(summary.revenue),
        change,
        help=_("Against the previous window of the same length; the line shows each period."),
        chart_data=summary.trend or None,
        chart_type="area",
        width=WIDE,
    )
    history = summary.cell_history
    previous = history.sort_values("as_of")["cell"].iloc[-2] if len(history) > 1 else None
    cell = top.container(width=NARROW)
    cell.metric("ABC-XYZ", summary.cell or MISSING)
    if previous not in (None, summary.cell, "-"):
        cell.caption(_("was {cell} a window earlier").format(cell=previous))
    top.metric(
        _("Status"),
        status_label(summary.churn_status) if summary.churn_status else MISSING,
        width=NARROW,
    )
    last = fmt_date(summary.last_purchase) if summary.last_purchase else MISSING
    # A date in the metric's large type needs the wide column: '06/12/2…' was cut at 150 px.
    bought = top.container(width=WIDE)
    bought.metric(_("Last purchase"), last)
    if summary.days_since_last is not None:
        days = summary.days_since_last
        bought.caption(ngettext("{n} day ago", "{n} days ago", days).format(n=fmt_number(days)))
    on_time = MISSING if summary.on_time is None else fmt_percent(summary.on_time)
    delivered = top.container(width=NARROW)
    delivered.metric(
        _("On-time delivery"),
        on_time,
        help=_("Lines ordered in the window and shipped by the promised date."),
    )
    lines = summary.on_time_lines
    delivered.caption(
        ngettext("of {n} line", "of {n} lines", lines).format(n=fmt_number(lines))
        if lines
        else _("no promised dates")
    )
    missing = "; ".join(_(m) for m in done.missing)
    top.metric(
        _("Dossier complete"),
        fmt_percent(done.score, 0),
        help=_("Missing: {sections}").format(sections=missing)
        if done.missing
        else _("Every section filled."),
        width=NARROW,
    )
    types = type_labels(",".join(summary.types)) if summary.types else type_labels(None)
    if summary.types_overridden:
        types = _("{types} (set by a manager)").format(types=types)
    strategy = _(summary.strategy) if summary.strategy else _("no sales in the window")
    st.markdown(
        f"**{_('Types:')}** {esc(types)}  \n**{_('ABC-XYZ history:')}** {esc(_cells(summary))}"
        f"  \n**{_('Strategy:')}** {esc(strategy)}"
        f"  \n**{_('Qualification:')}** {esc(_(VERDICTS[quali.verdict]))}"
    )


def outlook_row(outlook: Outlook, horizon_months: int = 12) -> None:
    """Probability alive, expected value and the health score with its parts, in words."""
    cols = _row()
    unsure = _("not enough data")
    if not outlook.bought:
        why = _("No purchases yet: the model needs a purchase history.")
    elif not outlook.model_trusted:
        why = _("Too few clients buy repeatedly for the model to be trusted.")
    else:
        why = _("From how often and how recently the client bought (BG/NBD model).")
    cols.metric(
        t.term(t.PROBABILITY_ALIVE),
        fmt_percent(outlook.p_alive) if outlook.model_trusted else unsure,
        help=_("The chance the client still buys from us. {why}").format(why=why),
        width=WIDE,
    )
    value = amount(outlook.expected_value) if outlook.expected_value is not None else unsure
    cols.metric(
        _("Expected value, next {n} months").format(n=horizon_months),
        value,
        help=_("Expected purchases times the expected value of a purchase. {why}").format(why=why),
        width=WIDE,
    )
    health = cols.container(width=WIDE)
    if outlook.health is None:
        health.metric(t.term(t.HEALTH_SCORE), unsure)
        return
    health.metric(t.term(t.HEALTH_SCORE), f"{fmt_number(outlook.health)} / 100")
    total = len(outlook.parts)
    health.caption(
        ngettext(
            "rests on {n} part of {total}", "rests on {n} parts of {total}", outlook.parts_used
        ).format(n=outlook.parts_used, total=total)
    )
    # Built only when opened: closed, its table was still sent and drawn on every view.
    why = st.expander(
        _("Why this health score"),
        icon=":material/monitor_heart:",
        key="dossier_health_why",
        on_change="rerun",
    )
    if not why.open:
        return
    with why:
        st.caption(
            _(
                "Each part scores 0 to 100; parts without data are left out and the weights of "
                "the others grow to fill their place."
            )
        )
        frame = percent_points(parts_frame(outlook), ["weight"])
        config = {
            "part": _("Part"),
            "score": st.column_config.NumberColumn(_("Score"), format="%.0f"),
            "weight": percent_column(_("Weight")),
            "meaning": _("What it looks at"),
        }
        st.dataframe(
            rtl_columns(frame),
            hide_index=True,
            width="stretch",
            column_config=rtl_column_config(frame, config),
        )


def warnings_box(items: list[str]) -> None:
    """The risks and decision-map gaps, one line each (user text escaped)."""
    if items:
        st.warning("  \n".join(f"• {esc(i)}" for i in items), icon=":material/warning:")
