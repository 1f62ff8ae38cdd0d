"""The interface language: translations per run, locale formats, language choice, RTL helpers."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import pytest

from kam_core import i18n
from kam_core.charts.rtl import bidi_template, mirror_figure
from kam_core.i18n import (
    _,
    catalogs,
    fmt_date,
    fmt_datetime,
    fmt_growth,
    fmt_money,
    fmt_number,
    fmt_percent,
    get_language,
    is_rtl,
    language_from_env,
    negotiate,
    set_language,
    use_language,
)
from kam_core.i18n import terms as t
from kam_core.i18n.formats import date_column_format, date_pattern
from ui.rtl import rtl_column_config, rtl_columns, stylesheet

RLM, LRM, NBSP, FSI, PDI = "\u200f", "\u200e", "\u00a0", "\u2068", "\u2069"


@pytest.fixture(autouse=True)
def english_after_each_test():
    yield
    set_language("en")


# --- translations -------------------------------------------------------------------------


def test_hebrew_text_in_a_hebrew_run_and_english_in_an_english_run():
    with use_language("he"):
        assert _("Key client") == "לקוח מפתח"
        assert _("Dossier") == "תיק לקוח"
    with use_language("en"):
        assert _("Key client") == "Key client"


def test_a_word_with_two_meanings_gets_the_hebrew_of_its_context():
    with use_language("he"):
        assert t.term(t.STATUS_LOST) == "אבוד"
        assert t.term(t.TENDER_LOST) == "הפסד"
        assert t.term(t.BREADWINNER) == "מפרנס"
    assert t.term(t.STATUS_LOST) == "Lost"


def test_text_missing_from_the_catalog_shows_in_english():
    with use_language("he"):
        assert _("A sentence nobody has translated") == "A sentence nobody has translated"


def test_use_language_restores_the_language_before_it():
    set_language("he")
    with use_language("en"):
        assert get_language() == "en"
    assert get_language() == "he"


def test_an_unknown_language_falls_back_to_english():
    assert set_language("fr") == "en"
    assert set_language("he-IL") == "he"
    assert is_rtl()


def test_each_thread_keeps_its_own_language():
    barrier = threading.Barrier(2)
    seen: dict[str, tuple[str, str]] = {}

    def run(lang: str) -> None:
        set_language(lang)
        barrier.wait()  # both threads have set theirs before either reads
        seen[lang] = (get_language(), _("Key client"))

    threads = [threading.Thread(target=run, args=(lang,)) for lang in ("he", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"he": ("he", "לקוח מפתח"), "en": ("en", "Key client")}
    assert get_language() == "en"  # the test's own thread was never touched


def test_a_new_catalog_is_compiled_at_first_use_and_again_when_edited(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogs, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(catalogs, "_LOADED", {})
    po = tmp_path / "he" / "LC_MESSAGES" / "kam.po"
    po.parent.mkdir(parents=True)
    entry = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Hello"\n'
    po.write_text(entry + 'msgstr "שלום"\n', encoding="utf-8")
    assert catalogs.translations("he").gettext("Hello") == "שלום"
    assert po.with_suffix(".mo").exists()
    po.write_text(entry + 'msgstr "אהלן"\n', encoding="utf-8")
    mo = po.with_suffix(".mo")
    stamp = mo.stat().st_mtime
    import os

    os.utime(po, (stamp + 10, stamp + 10))  # the edit is newer than the compiled file
    set_language("he")  # a new run notices the edit
    assert _("Hello") == "אהלן"


# --- formats --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "he"])
def test_numbers_group_thousands_and_round_half_up(lang):
    with use_language(lang):
        assert fmt_number(1234567.5) == "1,234,568"
        assert fmt_number(2.675, 2) == "2.68"
        assert fmt_number(-1500) == "-1,500"
        assert fmt_number(None) == "—"
        assert fmt_number(float("nan")) == "—"


def test_money_in_english_puts_the_sign_before_the_amount():
    with use_language("en"):
        assert fmt_money(1234.5, "₪") == "₪1,235"
        assert fmt_money(1234.5, "₪", 2) == "₪1,234.50"
        assert fmt_money(-1234.5, "₪") == "-₪1,235"
        assert fmt_money(99, "USD") == f"USD{NBSP}99"
        assert fmt_money(pd.NA, "€") == "—"


def test_money_in_hebrew_puts_the_shekel_after_the_amount():
    with use_language("he"):
        assert fmt_money(1234.5, "₪") == f"{RLM}1,235{NBSP}{RLM}₪"
        assert fmt_money(1234.5, "₪", 2) == f"{RLM}1,234.50{NBSP}{RLM}₪"
        assert fmt_money(-1234.5, "₪") == f"{RLM}-1,235{NBSP}{RLM}₪"
        assert fmt_money(0, "$") == f"{RLM}0{NBSP}{RLM}$"
        assert fmt_money(None, "₪") == "—"


def test_percent_of_a_share():
    with use_language("he"):
        assert fmt_percent(0.123) == "12.3%"
        assert fmt_percent(0.5, 0) == "50%"
        assert fmt_percent(None) == "—"


def test_dates_are_day_first_in_both_languages():
    day = date(2026, 11, 30)
    with use_language("he"):
        assert fmt_date(day) == "30.11.2026"
        assert fmt_date(pd.Timestamp("2017-12-30")) == "30.12.2017"
        assert fmt_datetime(datetime(2026, 1, 2, 13, 5)) == "02.01.2026 13:05"
    with use_language("en"):
        assert fmt_date(day) == "30/11/2026"
        assert fmt_date("2026-11-30") == "30/11/2026"
        assert fmt_date(day, "medium") == "30 Nov 2026"
        assert fmt_date(pd.NaT) == "—"


def test_one_short_date_form_per_language_in_text_and_in_table_columns():
    # Text (fmt_date) and table columns (moment tokens for st.column_config) write the same
    # date the same way in each language: Babel's separator, day and month padded.
    day = date(2026, 2, 3)
    moment_to_strftime = {"DD": "%d", "MM": "%m", "YYYY": "%Y", "HH": "%H", "mm": "%M"}
    for lang, text in (("en", "03/02/2026"), ("he", "03.02.2026")):
        with use_language(lang):
            assert fmt_date(day) == text
            column = date_column_format()
            for token, code in moment_to_strftime.items():
                column = column.replace(token, code)
            assert day.strftime(column) == text
            assert fmt_datetime(datetime(2026, 2, 3, 9, 7)) == f"{text} 09:07"
            assert date_column_format(with_time=True) == date_column_format() + " HH:mm"
    assert date_pattern("en") == "dd/MM/y" and date_pattern("he") == "dd.MM.y"


def test_growth_from_nothing_is_new_else_a_signed_percent():
    with use_language("en"):
        assert fmt_growth(0, 5) == "new"
        assert fmt_growth(None, 5) == "new"
        assert fmt_growth(100, 112.5) == "+12.5%"
        assert fmt_growth(100, 80) == "-20.0%"
        assert fmt_growth(100, 100) == "0.0%"
        assert fmt_growth(0, 0) == "—"
        assert fmt_growth(-100, -50) == "+50.0%"  # a loss halved is an improvement
    with use_language("he"):
        assert fmt_growth(0, 5) == "חדש"
        assert fmt_growth(100, 112.5) == f"{LRM}+12.5%"


# --- choosing the language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("he-IL,he;q=0.9,en-US;q=0.8,en;q=0.7", "he"),
        ("en-US,en;q=0.9,he;q=0.8", "en"),
        ("ru-RU,ru;q=0.9,he;q=0.5", "he"),
        ("iw", "he"),
        ("he_IL.UTF-8", "he"),
        ("fr-FR,fr;q=0.9", "en"),
        ("en-US,he;q=0", "en"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_negotiate_picks_hebrew_only_when_the_browser_asks_for_it(header, lang):
    assert negotiate(header) == lang


def test_command_line_language_from_flag_then_environment():
    assert language_from_env("he") == "he"
    assert language_from_env(None, {"LANG": "he_IL.UTF-8"}) == "he"
    assert language_from_env(None, {"LANGUAGE": "fr:he", "LANG": "en_US.UTF-8"}) == "he"
    assert language_from_env(None, {"LC_ALL": "C", "LANG": "he_IL.UTF-8"}) == "en"
    assert language_from_env(None, {}) == "en"
    with pytest.raises(ValueError, match="unsupported language"):
        language_from_env("xx")


# --- right to left --------------------------------------------------------------------------


def test_the_style_sheet_is_for_hebrew_only_and_never_overrides_bidi():
    assert stylesheet("en") == ""
    css = stylesheet("he")
    assert "direction: rtl" in css and "unicode-bidi: plaintext" in css
    assert "bidi-override" not in css


def test_table_columns_read_from_the_right_in_hebrew():
    frame = pd.DataFrame({"id": ["C1"], "name": ["Acme"], "revenue": [1.0]})
    assert list(rtl_columns(frame, "he").columns) == ["revenue", "name", "id"]
    assert list(rtl_columns(frame, "en").columns) == ["id", "name", "revenue"]
    config = rtl_column_config(frame, {"name": "Client"}, "he")
    assert config == {
        "id": {"alignment": "right"},
        "name": {"label": "Client", "alignment": "right"},
    }


def test_a_text_column_configured_by_streamlit_is_aligned_right_in_hebrew():
    # Its config carries alignment=None: the amount with its currency showed at the cell's left,
    # cut off where the table opens scrolled to its right end.
    import streamlit as st

    frame = pd.DataFrame({"revenue": ["27,264 ₪"]})
    column = st.column_config.TextColumn("Revenue", width="medium")
    assert rtl_column_config(frame, {"revenue": column}, "he")["revenue"]["alignment"] == "right"
    chosen = st.column_config.TextColumn("Revenue", alignment="center")
    assert rtl_column_config(frame, {"revenue": chosen}, "he")["revenue"]["alignment"] == "center"


def _bars() -> go.Figure:
    fig = go.Figure(go.Bar(x=["Acme ישראל", "Globex"], y=[3, 1], name="הכנסות (₪)"))
    fig.update_layout(title={"text": "Revenue", "x": 0, "xanchor": "left"})
    return fig


def test_bar_categories_read_from_the_right_in_hebrew():
    fig = mirror_figure(_bars(), "he")
    assert fig.layout.xaxis.autorange == "reversed"
    assert fig.layout.yaxis.side == "right"
    assert (fig.layout.title.x, fig.layout.title.xanchor) == (1, "right")
    # The data stays as it is (a click returns the real name); only the tick text is isolated.
    assert list(fig.data[0].x) == ["Acme ישראל", "Globex"]
    assert list(fig.layout.xaxis.ticktext) == [f"{FSI}Acme ישראל{PDI}", "Globex"]
    assert fig.data[0].name == f"{FSI}הכנסות (₪){PDI}"


def test_english_charts_keep_their_order_and_time_keeps_running_left_to_right():
    assert mirror_figure(_bars(), "en").layout.xaxis.autorange is None
    months = go.Figure(go.Bar(x=["2024-01", "2024-02"], y=[1, 2]))
    assert mirror_figure(months, "he").layout.xaxis.autorange is None


def test_hover_lines_with_hebrew_are_isolated_one_by_one():
    template = "<b>%{x}</b><br>הכנסות: %{y:,.0f}<extra></extra>"
    assert (
        bidi_template(template) == f"<b>%{{x}}</b><br>{FSI}הכנסות: %{{y:,.0f}}{PDI}<extra></extra>"
    )


def test_the_package_exports_what_screens_use():
    for name in ("_", "N_", "ngettext", "pgettext", "fmt_money", "negotiate", "isolate"):
        assert hasattr(i18n, name)


def test_a_second_value_axis_moves_to_the_other_side():
    fig = go.Figure(
        [go.Bar(x=["a", "b"], y=[1, 2]), go.Scatter(x=["a", "b"], y=[1, 2], yaxis="y2")]
    )
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right"})
    fig = mirror_figure(fig, "he")
    assert (fig.layout.yaxis.side, fig.layout.yaxis2.side) == ("right", "left")


def test_an_area_catalog_in_parts_is_merged_without_overriding_the_main_one(tmp_path):
    from kam_core.i18n.catalogs import read_catalog

    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    main = tmp_path / "kam.po"
    main.write_text(head + 'msgid "Lost"\nmsgstr "אבוד"\n', encoding="utf-8")
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "upload.po").write_text(
        head + 'msgid "Lost"\nmsgstr "other"\n\nmsgid "Upload"\nmsgstr "העלאה"\n',
        encoding="utf-8",
    )
    catalog = read_catalog(main)
    assert catalog.get("Lost").string == "אבוד"
    assert catalog.get("Upload").string == "העלאה"


def test_a_negative_amount_that_rounds_to_zero_shows_no_minus_sign():
    assert fmt_money(-0.3) == "₪0"
    assert fmt_money(-0.004, "₪", 2) == "₪0.00"
    assert fmt_money(-0.5) == "-₪1"  # half a shekel rounds away from zero
    assert fmt_percent(-0.0004) == "0.0%"
    assert fmt_percent(-0.0005) == "-0.1%"
    assert fmt_number(-0.2) == "0"
    with use_language("he"):
        assert "-" not in fmt_money(-0.3)
        assert "-" in fmt_money(-12.6)
