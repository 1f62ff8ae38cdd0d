"""The demo's dossier texts are written in the language it is loaded in: Hebrew for he, English
for en, with the same clients, people, codes, dates and amounts in both."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kam_core.demo.master import demo_master_frames
from kam_core.demo.texts import title_of
from kam_core.i18n import use_language

HEBREW = re.compile(r"[\u0590-\u05ff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# The manager-written texts of each sheet; everything else is a name, an id, a code or a number.
TEXTS = {
    "Clients": [
        "industry",
        "description",
        "history",
        "team",
        "org_structure",
        "environment",
        "qualification_note",
        "qualification_source",
    ],
    "Contacts": ["title"],
    "Tenders": ["subject", "reason"],
    "Competitors": ["strengths", "weaknesses"],
    "Activities": ["text"],
}


@pytest.fixture(scope="module")
def english() -> dict[str, pd.DataFrame]:
    with use_language("en"):
        return demo_master_frames()


@pytest.fixture(scope="module")
def hebrew() -> dict[str, pd.DataFrame]:
    with use_language("he"):
        return demo_master_frames()


def test_the_hebrew_demo_writes_every_dossier_text_in_hebrew(hebrew):
    for sheet, columns in TEXTS.items():
        for column in columns:
            values = hebrew[sheet][column].dropna().astype(str)
            assert len(values), (sheet, column)
            not_hebrew = [v for v in values if not HEBREW.search(v)]
            assert not not_hebrew, (sheet, column, not_hebrew[:3])
            # No English word left in them (a year or a range such as 2024-2026 is fine).
            latin = [v for v in values if LATIN_WORD.search(v)]
            assert not latin, (sheet, column, latin[:3])


def test_the_english_demo_writes_them_in_english(english):
    for sheet, columns in TEXTS.items():
        for column in columns:
            values = english[sheet][column].dropna().astype(str)
            assert not any(HEBREW.search(v) for v in values), (sheet, column)
    profile = english["Clients"].iloc[0]
    assert profile["description"].endswith("buys from us across several product categories.")
    assert profile["history"].startswith("Client since January 2023.")


def test_both_languages_hold_the_same_clients_people_codes_dates_and_amounts(english, hebrew):
    for sheet, frame in english.items():
        other = hebrew[sheet]
        assert frame.shape == other.shape, sheet
        data = [c for c in frame.columns if c not in TEXTS[sheet]]
        pd.testing.assert_frame_equal(frame[data], other[data], obj=sheet)


def test_a_hebrew_profile_reads_as_hebrew_prose(hebrew):
    profile = hebrew["Clients"].iloc[0]
    # The largest demo client: a pharma company of the South region, Enterprise segment, whose
    # first purchase was in January 2023.
    assert profile["industry"] == "פארמה"
    assert profile["description"] == (
        "חברת פארמה באזור הדרום, פלח ארגונים גדולים; רוכשת מאיתנו בכמה קטגוריות מוצרים."
    )
    assert profile["history"].startswith("לקוח מאז ינואר 2023.")


def test_a_woman_holds_the_feminine_hebrew_title():
    with use_language("he"):
        assert title_of(0, "Olga") == 'מנכ"לית'
        assert title_of(0, "David") == 'מנכ"ל'
        assert title_of(3, "Maya") == "מנהלת רכש"
    with use_language("en"):
        assert title_of(3, "Maya") == "Procurement Manager"
