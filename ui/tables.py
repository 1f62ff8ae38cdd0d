"""Column formats shared by the tables of every page, downloads, and client tables that show
a page of rows with a search (the downloads always hold the whole table)."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from kam_core.export import EXCEL_ROWS, to_csv_bytes, to_excel_bytes
from kam_core.i18n import _, fmt_number, get_language, use_language
from kam_core.i18n.formats import date_column_format
from kam_core.services.scope import scoped_export
from kam_core.vocabulary import HEADERS, header
from ui.cache import lagging
from ui.rtl import reading_order, rtl_column_config, rtl_columns
from ui.screens import page_file

# Rows a table shows before it asks for a search or "show all": thousands of rows sent whole
# cost every view of the page (serialising, sending, drawing) while nobody scrolls through
# them; a portfolio of a few hundred clients still shows whole.
ROW_LIMIT = 500


def sales_columns() -> dict[str, Any]:
    """Column formats of a table of sales rows, with headers in the current language."""
    return {
        "order_date": st.column_config.DateColumn(_("Date"), format=date_column_format()),
        "order_id": _("Order"),
        "product": _("Product"),
        "category": header("category"),
        "quantity": st.column_config.NumberColumn(header("quantity"), format="localized"),
        "revenue": st.column_config.NumberColumn(header("revenue"), format="localized"),
        "profit": st.column_config.NumberColumn(header("profit"), format="localized"),
        "manager": header("manager"),
        "region": header("region"),
        "due_date": st.column_config.DateColumn(_("Promised"), format=date_column_format()),
        "ship_date": st.column_config.DateColumn(_("Shipped"), format=date_column_format()),
        "returned": st.column_config.CheckboxColumn(_("Returned")),
    }


class _SalesColumns(Mapping):
    """sales_columns() read at each use, so `**SALES_COLUMNS` is in the language of the run."""

    def __getitem__(self, key: str) -> Any:
        return sales_columns()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(sales_columns())

    def __len__(self) -> int:
        return len(sales_columns())


SALES_COLUMNS: Mapping[str, Any] = _SalesColumns()


def _label(column: str, entry: Any) -> str:
    """The header a column is shown with: its config's label, else the vocabulary's."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping) and entry.get("label"):
        return str(entry["label"])
    return header(column) if column in HEADERS else column


def export_frame(frame: pd.DataFrame, config: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The table as a download holds it: headers as on the screen, in the current language."""
    config = config or {}
    frame = reading_order(frame)
    names = {c: _label(str(c), config.get(c)) for c in frame.columns}
    return frame.rename(columns=names)


def excel_file(table: Callable[[], pd.DataFrame], stem: str, lang: str) -> bytes:
    """A table as an Excel download, written in the page's language.

    The file is made when the browser asks for it, outside the page's run: its direction
    (right to left in Hebrew) and its closing line are set in the page's language here.
    """
    with use_language(lang):
        return to_excel_bytes({stem[:31]: table()}, max_rows=EXCEL_ROWS)


def downloads(
    frame: pd.DataFrame, stem: str, key: str, column_config: Mapping[str, Any] | None = None
) -> None:
    """Offer the table as Excel and CSV: the scope's rows only, headers translated, formulas
    neutralised; each download is recorded in team mode."""
    from ui.auth import session_scope
    from ui.db import get_conn

    scope = session_scope()
    lang = get_language()

    def table() -> pd.DataFrame:
        # Built only when clicked (on large tables the files cost more than the page), in the
        # page's language, from a cursor of its own.
        with use_language(lang):
            out = scoped_export(get_conn(), scope, frame, stem)
            return export_frame(out, column_config)

    # A page showing previous figures while the new are computed offers no file of them: a
    # download is kept and passed on as the current figures.
    waiting = lagging()
    later = _("Downloads return with the new figures.") if waiting else None
    # Narrow columns cut a label: the buttons sit side by side in a row that keeps them whole.
    left, right, _rest = st.columns([1, 1, 3])
    left.download_button(
        "Excel",
        lambda: excel_file(table, stem, lang),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}:xlsx",
        disabled=waiting,
        help=later,
        on_click="ignore",  # a rerun would drop the file's maker before the browser asks for it
        icon=":material/download:",
        width="content",
    )
    right.download_button(
        "CSV",
        lambda: to_csv_bytes(table()),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}:csv",
        disabled=waiting,
        help=later,
        on_click="ignore",
        icon=":material/download:",
        width="content",
    )


def client_table(
    frame: pd.DataFrame,
    key: str,
    stem: str,
    column_config: dict | None = None,
    height: int | None = None,
) -> None:
    """Show a table of clients: sortable, searchable, downloadable; a click opens the dossier.

    A long table shows its first ROW_LIMIT rows, a search box and a "show all" switch; the
    Excel and CSV downloads hold every row.

    Columns without a config get the vocabulary's header: "Client ID" is the id, "Client" the
    name, on every page. In Hebrew the first column sits on the right.
    """
    config = {c: header(c) for c in frame.columns if c in HEADERS} | (column_config or {})
    shown = limited(frame, key)
    event = st.dataframe(
        rtl_columns(shown),
        key=key,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        column_config=rtl_column_config(shown, config),
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event is not None else []
    if rows and rows[0] < len(shown) and "client_id" in shown:
        client = str(shown.iloc[rows[0]]["client_id"])
        st.switch_page(page_file("dossier"), query_params={"client": client})
    st.caption(_("Tick a row's box to open the client's dossier."))
    downloads(frame, stem, key, config)


def search_rows(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """The rows where any text column contains the text, ignoring case."""
    text = text.strip()
    if not text or frame.empty:
        return frame
    hit = pd.Series(False, index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_datetime64_any_dtype(values):
            continue
        hit |= values.astype(str).str.contains(text, case=False, regex=False, na=False)
    return frame[hit]


def limited(frame: pd.DataFrame, key: str, limit: int = ROW_LIMIT) -> pd.DataFrame:
    """The rows to show: a short table whole; a long one searched, then its first rows or all."""
    if len(frame) <= limit:
        return frame
    search, everything = st.columns([3, 1], vertical_alignment="center")
    text = search.text_input(
        _("Search the table"),
        key=f"{key}:search",
        placeholder=_("Search: client, name, manager, region..."),
        label_visibility="collapsed",
        max_chars=100,
    )
    show_all = everything.toggle(
        _("Show all {n} rows").format(n=fmt_number(len(frame))),
        key=f"{key}:all",
    )
    shown = search_rows(frame, text or "")
    if text and shown.empty:
        st.caption(_("No row matches the search."))
    if show_all or len(shown) <= limit:
        return shown
    if text:
        note = _(
            "The first {limit} of {total} rows matching the search. Search, or show all rows; "
            "the downloads hold the whole table."
        )
    else:
        note = _(
            "The first {limit} of {total} rows. Search, or show all rows; "
            "the downloads hold the whole table."
        )
    st.caption(note.format(limit=fmt_number(limit), total=fmt_number(len(shown))))
    return shown.head(limit)


def money_table(
    frame: pd.DataFrame, config: Mapping[str, Any], amounts: Iterable[str], decimals: int
) -> tuple[pd.DataFrame, dict]:
    """A client table's rows with its amount columns rounded to the currency's decimals."""
    # Only the amounts the table shows: the header carries the symbol, the cells the digits.
    shown = [c for c in amounts if c in frame.columns and c in config]
    frame = frame.assign(**{c: frame[c].astype(float).round(decimals) for c in shown})
    return frame, dict(config)


def money_column(label: str, symbol: str) -> Any:
    """A column of amounts: the label with the currency symbol, numbers grouped."""
    return st.column_config.NumberColumn(f"{label} ({symbol.strip()})", format="localized")


def percent_points(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Shares (0.524) as percentage points (52.4), for columns shown with percent_column()."""
    present = [c for c in columns if c in frame.columns]
    return frame.assign(**{c: frame[c].astype(float) * 100 for c in present})


def percent_column(label: str, **kwargs: Any) -> Any:
    """A column of percentage points with one decimal, as every percentage reads: '52.4%'."""
    return st.column_config.NumberColumn(label, format="%.1f%%", **kwargs)


def progress_percent(label: str, **kwargs: Any) -> Any:
    """A bar over percentage points (0-100) with one decimal, for columns of percent_points()."""
    return st.column_config.ProgressColumn(
        label, format="%.1f%%", min_value=0.0, max_value=100.0, **kwargs
    )
