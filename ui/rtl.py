"""Right to left: the style sheet that turns the page around for Hebrew, and table column order.

Streamlit has no direction switch. `direction: rtl` on the main block and the sidebar's content
makes every flex row (st.columns, metrics, tabs, form rows) start on the right by itself, so no
row-reverse is needed (with it, the two would cancel out). Text elements get
`unicode-bidi: plaintext`: each paragraph takes the direction of its first strong letter, so an
English note reads left to right inside the Hebrew page, and values inserted with
kam_core.i18n.isolate() do not decide it. Checked against Streamlit 1.67's data-testid names.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kam_core.config import SETTINGS
from kam_core.i18n import DEFAULT_LANGUAGE, fmt_number, get_language, is_rtl, pgettext, use_language

# Where Streamlit 1.67 puts readable content: the page, the sidebar's content and navigation
# (the sidebar itself stays on the left; Streamlit places it), and the layers
# it opens outside the page (dialogs, popovers, toasts, help tooltips, a select's options).
SCOPES: tuple[str, ...] = (
    '[data-testid="stMain"]',
    '[data-testid="stSidebarUserContent"]',
    '[data-testid="stSidebarNav"]',
    '[data-testid="stDialog"]',
    '[data-testid="stPopoverBody"]',
    '[data-testid="stToast"]',
    '[data-testid="stTooltipContent"]',
    '[role="listbox"]',
)


def _each(*elements: str, scopes: tuple[str, ...] = SCOPES) -> str:
    """A selector list: every element inside every scope."""
    return ", ".join(f"{scope} {element}" for scope in scopes for element in elements)


# Elements that hold text a user reads: each paragraph finds its own direction.
_TEXT = _each(
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "label",
    "summary",
    "th",
    "td",
    '[data-testid="stMetricValue"] > div',
    '[data-testid="stMetricDelta"] > div',
    '[data-testid="stCaptionContainer"]',
    '[data-testid="stText"]',
    '[role="option"]',
)

RTL_CSS = f"""
/* Hebrew: the page reads right to left (ui/rtl.py). The sidebar stays on the left. */
{", ".join(SCOPES)} {{
  direction: rtl;
  text-align: right;
}}
{_TEXT} {{
  unicode-bidi: plaintext;
  text-align: right;
}}
/* Lists indent on the right. */
{_each("ul", "ol", scopes=SCOPES[:-1])} {{
  padding-left: 0;
  padding-right: 1.5em;
}}
/* Typed text takes its own direction; numbers and dates stay left to right. */
{_each("input", "textarea")} {{
  unicode-bidi: plaintext;
  text-align: right;
}}
[data-testid="stNumberInputField"], [data-testid="stDateInputField"],
[data-testid="stDateInputField"] input, [data-testid="stDateInputFieldsScroller"],
[data-testid="stDateInputFieldsScroller"] *, [data-testid="stTimeInput"] input {{
  direction: ltr;
  unicode-bidi: isolate;
  text-align: right;
}}
/* Metrics: the value and its change align with their label on the right. */
[data-testid="stMetric"], [data-testid="stMetricLabel"] {{
  text-align: right;
}}
[data-testid="stMetricLabel"] {{
  justify-content: flex-start;
}}
/* Widgets drawn on a canvas or in SVG lay themselves out left to right: leave them so. The
   screens order table columns with rtl_columns(); charts are mirrored by mirror_figure(). */
[data-testid="stDataFrame"], [data-testid="stDataFrameResizable"],
[data-testid="stPlotlyChart"], [data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"] {{
  direction: ltr;
}}
/* Segmented controls and pills round their outer ends for left to right (a right-to-left row
   clips the last one): their buttons keep that order; the control still sits on the right. */
[data-testid="stButtonGroup"] [role="radiogroup"], [data-testid="stButtonGroup"] [role="group"] {{
  direction: ltr;
}}
/* Code, ids and addresses read left to right wherever they appear. */
{_each("code", "pre")}, [data-testid="stCode"], .ltr, .num {{
  direction: ltr;
  unicode-bidi: isolate;
}}
[data-testid="stCode"] {{
  text-align: left;
}}
"""


def stylesheet(lang: str | None = None) -> str:
    """The direction style sheet for a language: the RTL rules for Hebrew, nothing for English."""
    return RTL_CSS if is_rtl(lang or get_language()) else ""


# A table wider than its place opens scrolled to its start: the left, where a right-to-left
# table (columns reversed by rtl_columns) has its last columns. This scrolls each new table of
# a right-to-left page to the right once, so the first columns show. Fixed text, no user data.
TABLE_START_JS = """<script>
(() => {
  if (window.kamRtlTables) { return; }
  window.kamRtlTables = true;
  const main = () => document.querySelector('[data-testid="stMain"]');
  const scan = () => {
    const page = main();
    if (!page || getComputedStyle(page).direction !== "rtl") { return; }
    document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller').forEach((el) => {
      if (el.dataset.kamRtl || el.scrollWidth <= el.clientWidth) { return; }
      el.dataset.kamRtl = "1";
      el.scrollLeft = el.scrollWidth;
    });
  };
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  scan();
})();
</script>"""


def css_string(text: str) -> str:
    """A CSS string literal holding text: every character but letters, digits and spaces as a
    six-digit escape, so no quote, backslash or '</style>' can leave it."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


def _replaced(selector: str, text: str) -> str:
    """Rules that hide an element's own English text and show text in its place."""
    return (
        f"{selector} {{ font-size: 0; }}\n"
        f"{selector}::after {{ content: {css_string(text)}; font-size: 0.875rem; }}\n"
    )


# Streamlit's own words that no API translates (1.67): the file uploader's button, its size
# limit and the text shown while a file is dragged over it, the status widget's Stop button and
# the keyboard's "Skip to main content" link.
_UPLOADER = '[data-testid="stFileUploaderDropzone"]'


def chrome_stylesheet(lang: str | None = None, max_upload_mb: int = 200) -> str:
    """Rules that show Streamlit's own English words in the language (in English, its limit)."""
    lang = lang or get_language()
    instructions = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    with use_language(lang):
        limit = pgettext("file uploader", "Up to {size} MB per file").format(
            size=fmt_number(max_upload_mb)
        )
        if lang == DEFAULT_LANGUAGE:
            # Streamlit states its own limit, in the browser's megabytes (config.toml says why
            # it is above the app's): the app's limit is the one a file is held to.
            return _replaced(instructions, limit)
        rules = (
            (f"{_UPLOADER} button p", pgettext("file uploader", "Choose a file")),
            (instructions, limit),
            (
                f"{_UPLOADER} > div:not([data-testid]) > span",
                pgettext("file uploader", "Drop the file here"),
            ),
            ('[data-testid="stStatusWidget"] button:enabled', pgettext("status", "Stop")),
            ('[data-testid="stStatusWidget"] button:disabled', pgettext("status", "Stopping...")),
            ('a[data-testid="stSkipToContent"][href]', pgettext("link", "Skip to main content")),
        )
    return "".join(_replaced(selector, text) for selector, text in rules)


def apply_direction(lang: str | None = None) -> None:
    """Emit the direction style sheet and the rules translating Streamlit's own words (a <style>
    block alone takes no space on the page) and, in right-to-left languages, the script that
    opens wide tables at their first column."""
    css = stylesheet(lang) + chrome_stylesheet(lang, SETTINGS.limits.max_file_bytes // 1024**2)
    if css:
        st.html(f"<style>{css}</style>")
    if is_rtl(lang or get_language()):
        st.html(TABLE_START_JS, unsafe_allow_javascript=True)


def rtl_column_order(columns: list[str] | pd.Index, lang: str | None = None) -> list[str]:
    """Columns in reading order: reversed in Hebrew so the first column sits on the right."""
    order = [str(c) for c in columns]
    return order[::-1] if is_rtl(lang or get_language()) else order


# Set on a frame whose columns rtl_columns() reversed: a second call (a screen that orders its
# table, then ui.tables.client_table) leaves it as it is, and downloads put it back.
REVERSED = "kam_rtl_reversed"


def rtl_columns(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The frame with its columns reversed in Hebrew (st.dataframe always draws left to right);
    a frame already reversed stays as it is."""
    if frame.attrs.get(REVERSED):
        return frame
    frame = _blank_missing_text(frame)
    if not is_rtl(lang or get_language()):
        return frame
    out = frame[frame.columns[::-1]]
    out.attrs[REVERSED] = True
    return out


def _blank_missing_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with missing text shown empty: a table read 'None' where a file had nothing."""
    text = [
        c
        for c in frame.columns
        if (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype))
        and frame[c].isna().any()
    ]
    if not text:
        return frame
    attrs = dict(frame.attrs)
    out = (
        frame.assign(**{str(c): frame[c].fillna("") for c in text})
        if all(isinstance(c, str) for c in text)
        else frame
    )
    out.attrs.update(attrs)
    return out


def reading_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame in its own column order again (for files: a sheet orders its own columns)."""
    if not frame.attrs.get(REVERSED):
        return frame
    out = frame[frame.columns[::-1]]
    out.attrs.pop(REVERSED, None)
    return out


def ltr(text: object) -> str:
    """HTML for a value that must read left to right (an id, an e-mail) inside Hebrew text."""
    from html import escape

    return f'<span class="ltr" dir="ltr">{escape(str(text))}</span>'


def rtl_column_config(
    frame: pd.DataFrame, config: dict[str, Any] | None = None, lang: str | None = None
) -> dict[str, Any]:
    """st.dataframe column_config with text columns aligned right in Hebrew (numbers are)."""
    out = dict(config or {})
    if not is_rtl(lang or get_language()):
        return out
    for name in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[name]):
            continue
        entry = out.get(name)
        if entry is None:
            out[name] = {"alignment": "right"}
        elif isinstance(entry, str):
            out[name] = {"label": entry, "alignment": "right"}
        elif isinstance(entry, dict) and entry.get("alignment") is None:
            # st.column_config's columns carry alignment=None when it is not chosen.
            out[name] = {**entry, "alignment": "right"}
    return out
