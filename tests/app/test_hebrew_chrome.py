"""Streamlit's own English words (the file uploader's button, size limit and drop text, the Stop
button) are replaced in Hebrew by the frame's style sheet, with the text safely escaped."""

from __future__ import annotations

import re

from tests.support.apptest import app_at
from ui.rtl import chrome_stylesheet, css_string


def _unescaped(css_literal: str) -> str:
    """The text a CSS string literal of css_string() holds."""
    return re.sub(r"\\([0-9a-f]{6})", lambda m: chr(int(m.group(1), 16)), css_literal[1:-1])


def _styles(at) -> str:
    """The HTML blocks of the run (the frame's style sheets among them), as sent."""
    return "\n".join(el.proto.body for el in at.get("html"))


def test_a_css_string_cannot_be_left_by_quotes_backslashes_or_a_closing_tag():
    hostile = 'a"b\\c</style><script>x</script>\n;}'
    literal = css_string(hostile)
    assert literal.startswith('"') and literal.endswith('"')
    inner = literal[1:-1]
    for dangerous in ('"', "\\\\", "<", ">", "\n", ";", "}"):
        assert dangerous not in inner.replace("\\0", "")
    assert _unescaped(literal) == hostile


def test_hebrew_replaces_the_uploaders_words_and_english_keeps_streamlits():
    css = chrome_stylesheet("he", max_upload_mb=200)
    literals = [_unescaped(m) for m in re.findall(r'content: ("[^"]*")', css)]
    assert literals == [
        "בחירת קובץ",
        "עד 200 מ״ב לקובץ",
        "שחררו את הקובץ כאן",
        "עצירה",
        "עוצר...",
        "דילוג לתוכן הראשי",
    ]
    # The original English is hidden where the Hebrew shows.
    assert '[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }' in css
    # In English only the uploader's limit: the app's, not the browser's (config.toml).
    assert chrome_stylesheet("en").count("::after") == 1
    assert css_string("Up to 200 MB per file") in chrome_stylesheet("en")


def test_the_upload_page_in_hebrew_carries_the_uploaders_hebrew(fresh_db):
    at = app_at("upload", query={"lang": "he"})
    assert not at.exception
    styles = _styles(at)
    assert css_string("בחירת קובץ") in styles
    assert css_string("עד 200 מ״ב לקובץ") in styles  # .streamlit/config.toml: maxUploadSize


def test_the_upload_page_in_english_states_the_apps_limit(fresh_db):
    at = app_at("upload", query={"lang": "en"})
    assert css_string("Up to 200 MB per file") in _styles(at)
