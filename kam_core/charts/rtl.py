"""Plotly in right-to-left pages: mirrored category axes, legends and titles; bidi-safe labels.

Plotly draws left to right whatever the page's direction. In Hebrew, bar charts over categories
(clients, classes, statuses) are read from the right, so their x axis is reversed and the value
axis moves to the right-hand side. Time axes (dates, or labels such as '2024-01') keep running
left to right, as Hebrew business charts do; the dossier's purchases chart (charts/dossier.py)
is the one exception and reverses its own axis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import plotly.graph_objects as go

from kam_core.charts.theme import settle_margins
from kam_core.i18n import get_language, has_hebrew, is_rtl, isolate, strip_isolates

__all__ = [
    "bidi_label",
    "bidi_labels",
    "bidi_template",
    "isolate",
    "mirror_figure",
    "strip_isolates",
]

# Labels of time: '2024-01', '2024-01-31', '2024-01-01T00:00:00', '01/2024', '2024 Q1'.
_PERIOD = re.compile(
    r"^\s*(\d{4}[-/.]\d{1,2}([-/.]\d{1,2})?([ T][\d:.]+)?|\d{1,2}[-/.]\d{4}|\d{4} ?-?Q[1-4])\s*$"
)


def bidi_label(text: object) -> str:
    """A label safe in SVG text: isolated when it holds Hebrew, so mixed names keep their order."""
    value = str(text)
    return isolate(value) if has_hebrew(value) else value


def bidi_labels(values: Iterable[object]) -> list[str]:
    """bidi_label() of each value (tick texts, legend names, bar texts)."""
    return [bidi_label(v) for v in values]


def bidi_template(template: str) -> str:
    """A hovertemplate whose Hebrew lines are isolated one by one (the <extra> part left as is)."""
    lines = []
    for line in template.split("<br>"):
        body, extra, tail = line.partition("<extra>")
        lines.append((bidi_label(body) if body else body) + extra + tail)
    return "<br>".join(lines)


def _bidi_texts(fig: go.Figure) -> None:
    """Isolate the Hebrew titles, legend names and hover lines of a figure."""
    for trace in fig.data:
        name = getattr(trace, "name", None)
        if isinstance(name, str):
            trace.name = bidi_label(name)
        template = getattr(trace, "hovertemplate", None)
        if isinstance(template, str):
            trace.hovertemplate = bidi_template(template)
        elif template is not None and not isinstance(template, str):
            trace.hovertemplate = [bidi_template(str(t)) for t in template]
    layout = fig.layout
    if layout.title.text:
        layout.title.text = bidi_label(layout.title.text)
    if layout.legend.title.text:
        layout.legend.title.text = bidi_label(layout.legend.title.text)
    for key in (*_axis_keys(fig, "x"), *_axis_keys(fig, "y")):
        title = layout[key].title
        if title.text:
            title.text = bidi_label(title.text)
    for note in layout.annotations or ():
        if note.text:
            note.text = bidi_label(note.text)


def _axis_key(ref: str | None, letter: str) -> str:
    """The layout key of a trace's axis reference: 'x' -> 'xaxis', 'x2' -> 'xaxis2'."""
    ref = ref or letter
    return f"{letter}axis{ref[1:]}"


def _categories(fig: go.Figure, key: str, letter: str) -> list[str]:
    """The category labels on an axis, in the order plotly shows them."""
    axis = fig.layout[key]
    if axis.categoryarray is not None and len(axis.categoryarray):
        return [str(c) for c in axis.categoryarray]
    seen: dict[str, None] = {}
    for trace in fig.data:
        if _axis_key(getattr(trace, f"{letter}axis", None), letter) != key:
            continue
        values = getattr(trace, letter, None)
        if values is None:
            continue
        for v in values:
            seen.setdefault(str(v), None)
    return list(seen)


def _is_category(fig: go.Figure, key: str, labels: list[str]) -> bool:
    """True for an axis of names rather than numbers or dates."""
    kind = fig.layout[key].type
    if kind in ("linear", "log", "date"):
        return False
    if kind != "category":
        # Plotly infers the type from the data: names are strings that are not numbers.
        def numeric(s: str) -> bool:
            try:
                float(s.replace(",", ""))
                return True
            except ValueError:
                return False

        if not labels or all(numeric(s) for s in labels):
            return False
    return not all(_PERIOD.match(strip_isolates(s)) for s in labels)


def _axis_keys(fig: go.Figure, letter: str) -> list[str]:
    keys = {_axis_key(getattr(t, f"{letter}axis", None), letter) for t in fig.data}
    keys |= {k for k in fig.layout.to_plotly_json() if re.fullmatch(f"{letter}axis\\d*", k)}
    return sorted(keys)


def _isolate_ticks(fig: go.Figure, key: str, labels: list[str]) -> None:
    """Show Hebrew category names isolated, without changing the data clicks return."""
    axis = fig.layout[key]
    if axis.ticktext is not None or not any(has_hebrew(s) for s in labels):
        return
    axis.update(tickmode="array", tickvals=labels, ticktext=bidi_labels(labels))


def mirror_figure(fig: go.Figure, lang: str | None = None) -> go.Figure:
    """Lay a figure out for the language: in Hebrew, categories from the right; labels bidi-safe."""
    # Every figure of a page passes here once its axes have their sides: the place to settle
    # its margins (settle_margins), so the browser lays it out once.
    rtl = is_rtl(lang or get_language())
    reversed_x = False
    _bidi_texts(fig)
    for letter in ("x", "y"):
        for key in _axis_keys(fig, letter):
            labels = _categories(fig, key, letter)
            if not _is_category(fig, key, labels):
                continue
            _isolate_ticks(fig, key, labels)
            if rtl and letter == "x":
                fig.layout[key].autorange = "reversed"
                reversed_x = True
    if not rtl:
        return settle_margins(fig)
    fig.update_layout(title={"x": 1, "xanchor": "right"}, hoverlabel={"align": "right"})
    if fig.layout.legend.orientation == "h":
        # A row of legend entries reads from the right, opposite the title.
        fig.update_layout(legend={"x": 0, "xanchor": "left", "traceorder": "reversed"})
    if reversed_x:
        # Values are read next to the first category, which is now on the right.
        for key in _axis_keys(fig, "y"):
            # A second value axis drawn over the first swaps to the other side with it.
            fig.layout[key].side = "left" if fig.layout[key].overlaying else "right"
        if fig.layout.legend.orientation != "h":
            fig.update_layout(legend={"x": -0.02, "xanchor": "right"})
    return settle_margins(fig)
