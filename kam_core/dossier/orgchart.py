"""The decision map as an organisation chart: a tree layout, a plotly figure and an SVG."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.theme import style
from kam_core.dossier.model import ATTITUDES, ROLES, label_of
from kam_core.i18n import _

ATTITUDE_COLOURS = {"supporter": "#2e7d32", "neutral": "#9e9e9e", "opponent": "#c62828"}
ROLE_SYMBOLS = {
    "decision_maker": "star",
    "champion": "diamond",
    "blocker": "x",
    "gatekeeper": "triangle-up",
}
ROLE_ORDER = {role: i for i, role in enumerate(ROLES)}
LEVEL_PX, SLOT_PX = 150, 170
# Connectors leave below the boss's label and arrive just above the person's marker.
BELOW_LABEL, ABOVE_MARKER = 0.52, 0.3
# People drawn at most: a chart of more cannot be read (100,000 took minutes to draw, 50 side
# by side overlapped); the table beside it lists everyone.
MAX_CHARTED = 20
LABEL_CHARS = 40  # a name or title on the chart is cut here; the hover text has it whole


def charted(contacts: pd.DataFrame) -> pd.DataFrame:
    """The people the chart draws: all, or up to MAX_CHARTED weighing most in the decision
    (role first, then influence, then name), each with the bosses above them, so the chart
    shows who answers to whom."""
    if len(contacts) <= MAX_CHARTED:
        return contacts
    rank = contacts.assign(
        _role=contacts["role"].map(ROLE_ORDER).fillna(99),
        _weight=-pd.to_numeric(contacts["influence"], errors="coerce").fillna(0),
        _name=contacts["name"].astype(str),
    ).sort_values(["_role", "_weight", "_name"])
    ids = [int(i) for i in rank["contact_id"]]
    boss = {i: _key(b) for i, b in zip(ids, rank["reports_to"], strict=True)}
    chosen: dict[int, None] = {}
    for person in ids[: 10 * MAX_CHARTED]:  # the weightiest; a long chain does not fit anyway
        chain: list[int] = []
        at: int | None = person
        while at is not None and at in boss and at not in chosen and at not in chain:
            chain.append(at)
            if len(chosen) + len(chain) > MAX_CHARTED:
                break
            at = boss[at]
        if len(chosen) + len(chain) <= MAX_CHARTED:
            chosen.update(dict.fromkeys(chain))
        elif not chosen:
            # The weightiest person's chain is longer than the chart (a circle of 30, a decision
            # maker at the foot of a long line): they and the bosses that fit above them, the
            # top one drawn as reporting to no one (the chart drew nobody or only the line's
            # top, and the brief of a circle failed).
            chosen.update(dict.fromkeys(chain[:MAX_CHARTED]))
        if len(chosen) >= MAX_CHARTED:
            break
    return contacts[contacts["contact_id"].astype(int).isin(chosen)]


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _key(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def tree_layout(contacts: pd.DataFrame) -> pd.DataFrame:
    """Per contact: x (slot), depth (0 = top) and parent, bosses centred over their people."""
    return layout_with_cuts(contacts)[0]


def cut_edges(contacts: pd.DataFrame) -> list[tuple[int, int]]:
    """(contact, boss) links left out of the chart because they close a reporting circle."""
    return layout_with_cuts(contacts)[1]


def layout_with_cuts(contacts: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[int, int]]]:
    """The tree layout and the reporting links cut to break circles.

    Built without recursion: a chain of any length (1,500 people) or a circle lays out in
    linear time, and each circle loses exactly the link above the person drawn at its top.
    """
    columns = ["contact_id", "x", "depth", "parent"]
    if contacts.empty:
        return pd.DataFrame({c: pd.Series(dtype="float") for c in columns}), []
    ids = [int(i) for i in contacts["contact_id"]]
    boss = {i: _key(b) for i, b in zip(ids, contacts["reports_to"], strict=True)}
    order = {
        int(r.contact_id): (ROLE_ORDER.get(r.role, 99), -_influence(r.influence), str(r.name))
        for r in contacts.itertuples()
    }
    children: dict[int | None, list[int]] = {}
    for i in ids:
        parent = boss[i] if boss[i] in boss and boss[i] != i else None
        children.setdefault(parent, []).append(i)
    for kids in children.values():
        kids.sort(key=order.__getitem__)
    place: dict[int, tuple[float, int, int | None]] = {}
    slot = [0.0]
    for root in children.get(None, []):
        _place_tree(root, children, place, slot)
    for i in sorted(ids, key=order.__getitem__):  # people inside a reporting circle
        if i not in place:
            _place_tree(i, children, place, slot)
    cuts = [
        (i, boss[i])
        for i in sorted(place)
        if boss[i] in boss and boss[i] != i and place[i][2] != boss[i]
    ]
    rows = [{"contact_id": i, "x": x, "depth": d, "parent": p} for i, (x, d, p) in place.items()]
    frame = pd.DataFrame(rows)[columns].sort_values("contact_id").reset_index(drop=True)
    return frame, cuts


def _influence(value: object) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _place_tree(
    root: int,
    children: dict[int | None, list[int]],
    place: dict[int, tuple[float, int, int | None]],
    slot: list[float],
) -> None:
    """Place root and everyone below it (post-order with an explicit stack)."""
    stack: list[tuple[int, int, int | None, list[int] | None]] = [(root, 0, None, None)]
    while stack:
        node, depth, parent, kids = stack.pop()
        if kids is None:
            if node in place:
                continue
            kids = [k for k in children.get(node, []) if k not in place]
            place[node] = (0.0, depth, parent)  # mark before descending: a circle stops here
            stack.append((node, depth, parent, kids))
            stack.extend((k, depth + 1, node, None) for k in reversed(kids))
            continue
        placed = [place[k][0] for k in kids if place[k][2] == node]
        if placed:
            x = (placed[0] + placed[-1]) / 2
        else:
            x = slot[0]
            slot[0] += 1
        place[node] = (x, depth, parent)


def _label(row: pd.Series) -> str:
    parts = [f"<b>{html.escape(_short(str(row['name'])))}</b>"]
    if isinstance(row.get("title"), str) and row["title"]:
        parts.append(html.escape(_short(row["title"])))
    parts.append(html.escape(label_of(ROLES, row.get("role")) or _("role unknown")))
    return "<br>".join(parts)


def decision_map_figure(contacts: pd.DataFrame) -> go.Figure:
    """The organisation chart: colour = attitude, size = influence, symbol = role."""
    contacts = charted(contacts)
    layout = tree_layout(contacts)
    frame = contacts.merge(layout, on="contact_id")
    pos = {int(r.contact_id): (r.x, -r.depth) for r in frame.itertuples()}
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for r in frame.itertuples():
        if r.parent is not None and not pd.isna(r.parent):
            (x0, y0), (x1, y1) = pos[int(r.parent)], pos[int(r.contact_id)]
            mid = y1 + ABOVE_MARKER  # elbow connectors read as an organisation chart
            xs += [x0, x0, x1, x1, None]
            ys += [y0 - BELOW_LABEL, mid, mid, y1 + ABOVE_MARKER / 2, None]
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines", line={"color": "#b0b0b0"}, hoverinfo="skip", showlegend=False
        )
    )
    for attitude, colour in ATTITUDE_COLOURS.items():
        part = frame[frame["attitude"] == attitude]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=-part["depth"],
                mode="markers+text",
                name=label_of(ATTITUDES, attitude),
                legendgroup=f"attitude:{attitude}",
                showlegend=False,  # the legend shows a plain circle per colour, below
                text=[_label(row) for _, row in part.iterrows()],
                textposition="bottom center",
                customdata=part["contact_id"],
                hovertext=[_hover(row) for _, row in part.iterrows()],
                hoverinfo="text",
                marker={
                    "color": colour,
                    "size": 14 + 7 * part["influence"].astype(float),
                    "symbol": [ROLE_SYMBOLS.get(r, "circle") for r in part["role"]],
                    "line": {"color": "white", "width": 1},
                },
            )
        )
    _add_legend(fig, frame)
    depth = int(frame["depth"].max()) if len(frame) else 0
    width = float(frame["x"].max()) if len(frame) else 0.0
    fig.update_xaxes(visible=False, range=[-0.7, width + 0.7])
    fig.update_yaxes(visible=False, range=[-depth - 0.8, 0.5])
    fig.update_layout(height=LEVEL_PX * (depth + 1) + 120, plot_bgcolor="white")
    fig = style(fig, _("Decision map"), money_axis=None)
    # The legend explains, it does not filter: a click on "Supporter" would hide only its key.
    fig.update_layout(legend={"groupclick": "toggleitem", "tracegroupgap": 24})
    return fig


def _add_legend(fig: go.Figure, frame: pd.DataFrame) -> None:
    """Legend entries: one circle per attitude colour, then each role shape once, in grey.

    A person's marker carries both (colour = attitude, shape = role); a legend entry taken
    from the people's own traces would show whichever shape came first for a colour.
    """
    present = [a for a in ATTITUDE_COLOURS if (frame["attitude"] == a).any()]
    for attitude in present:
        colour = ATTITUDE_COLOURS[attitude]
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=label_of(ATTITUDES, attitude),
                legendgroup="attitudes",
                legendgrouptitle_text=_("Attitude (colour)"),
                marker={"color": colour, "size": 12, "symbol": "circle"},
                hoverinfo="skip",
            )
        )
    roles = [r for r in ROLE_SYMBOLS if (frame["role"] == r).any()]
    if not roles:
        return
    others = ~frame["role"].isin(ROLE_SYMBOLS)
    shapes = [(label_of(ROLES, r), ROLE_SYMBOLS[r]) for r in roles]
    if others.any():
        shapes.append((_("Other roles"), "circle"))
    for label, symbol in shapes:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=label,
                legendgroup="roles",
                legendgrouptitle_text=_("Role (shape)"),
                marker={"color": "#616161", "size": 12, "symbol": symbol},
                hoverinfo="skip",
            )
        )


def _hover(row: pd.Series) -> str:
    attitude = html.escape(label_of(ATTITUDES, row.get("attitude")))
    parts = [_label(row), _("Attitude: {attitude}").format(attitude=attitude)]
    parts.append(_("Influence: {n} of 5").format(n=int(row["influence"])))
    for key in ("email", "phone"):
        if isinstance(row.get(key), str) and row[key]:
            parts.append(html.escape(row[key]))
    return "<br>".join(parts)


def _radius(influence: int) -> int:
    return 6 + 3 * influence


def decision_map_svg(contacts: pd.DataFrame) -> str:
    """The same chart as an inline SVG for the printable brief; every text is escaped."""
    if contacts.empty:
        return ""
    contacts = charted(contacts)
    frame = contacts.merge(tree_layout(contacts), on="contact_id")
    pad = SLOT_PX / 2

    def at(x: float, depth: int) -> tuple[float, float]:
        return pad + x * SLOT_PX, 40 + depth * LEVEL_PX

    width = pad * 2 + float(frame["x"].max()) * SLOT_PX
    height = 40 + int(frame["depth"].max()) * LEVEL_PX + 100  # room for the lowest labels
    pos = {int(r.contact_id): at(r.x, int(r.depth)) for r in frame.itertuples()}
    boss_influence = {int(r.contact_id): int(r.influence) for r in frame.itertuples()}
    title = html.escape(_("Decision map"))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{title}">'
    ]
    for r in frame.itertuples():
        if r.parent is not None and not pd.isna(r.parent):
            (x0, y0), (x1, y1) = pos[int(r.parent)], pos[int(r.contact_id)]
            y0 += _radius(boss_influence[int(r.parent)]) + 46  # below the boss's three lines
            mid = y1 - _radius(5) - 8
            y1 -= _radius(int(r.influence))
            out.append(
                f'<polyline points="{x0:.0f},{y0:.0f} {x0:.0f},{mid:.0f} {x1:.0f},{mid:.0f} '
                f'{x1:.0f},{y1:.0f}" fill="none" stroke="#b0b0b0"/>'
            )
    for r in frame.itertuples():
        x, y = pos[int(r.contact_id)]
        colour = ATTITUDE_COLOURS.get(r.attitude, "#9e9e9e")
        radius = _radius(int(r.influence))
        out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{radius}" fill="{colour}"/>')
        lines = [_short(str(r.name)), label_of(ROLES, r.role), label_of(ATTITUDES, r.attitude)]
        for k, text in enumerate(lines):
            weight = ' font-weight="bold"' if k == 0 else ""
            out.append(
                f'<text x="{x:.0f}" y="{y + radius + 14 + 13 * k:.0f}" text-anchor="middle" '
                f'font-size="11"{weight}>{html.escape(text)}</text>'
            )
    out.append("</svg>")
    return "".join(out)
