"""The Upload page in Hebrew: a damaged file's refusal and rejected rows' reasons in Hebrew, with
their sheet, row, column and value; no English words outside data."""

from __future__ import annotations

import pytest

from kam_core.i18n import strip_isolates
from tests.support.apptest import FILE_FORMATS, app_at, english_words, texts, visible_texts
from tests.support.workbooks import HEBREW_EXPECTED, hebrew_quarterly_report

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(at, name, data, mime=MIME):
    at.file_uploader[0].set_value((name, data, mime))
    return at.run()


def test_the_empty_page_is_hebrew(fresh_db):
    at = app_at("upload", query={"lang": "he"})
    assert not at.exception
    assert at.title[0].value == "העלאת נתוני מכירות"
    assert "עדיין אין ייבואים." in texts(at)
    assert not english_words(at, data=FILE_FORMATS), english_words(at, data=FILE_FORMATS)


def test_a_damaged_file_is_refused_in_hebrew_at_once_and_the_history_stays(fresh_db):
    # The read runs in the worker process: the refusal must still come in the page's language.
    at = _upload(app_at("upload", query={"lang": "he"}), "רבעון.xlsx", b"PK\x03\x04broken")
    assert not at.exception
    errors = [strip_isolates(str(e.value)).replace("\\", "") for e in at.error]
    assert any(
        "רבעון.xlsx: חוברת העבודה פגומה או חלקית ואי אפשר לפתוח אותה" in e for e in errors
    ), errors
    assert any("לא שונה דבר" in e for e in errors), errors
    # Shown at once, not folded away in a collapsed status box.
    assert not any(getattr(ex, "label", "") == "אי אפשר לקרוא את הקובץ" for ex in at.expander)
    assert "היסטוריית ייבוא" in [s.value for s in at.subheader]
    # The zip library's own words in parentheses are the only English (the file name is data).
    library = ("File is not a zip file", *FILE_FORMATS)
    assert not english_words(at, data=library), english_words(at, data=library)


@pytest.mark.slow
def test_rejected_rows_give_their_reason_in_hebrew_with_sheet_row_column_and_value(
    tmp_path, fresh_db
):
    data = hebrew_quarterly_report(tmp_path / "q1.xlsx").read_bytes()
    at = _upload(app_at("upload", query={"lang": "he"}), "q1.xlsx", data)
    assert not at.exception
    labels = {sb.label: sb.value for sb in at.selectbox}
    assert labels["גיליון"] == "מכירות Q1"
    assert labels["תאריך הזמנה *"] == "תאריך"
    assert labels["הכנסות *"] == "סכום"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["שורות תקינות"] == "4"
    assert metrics["נדחו"] == "1"
    rejected = next(df.value for df in at.dataframe if "reason" in df.value.columns)
    (row,) = rejected.to_dict("records")
    assert row["sheet"] == "מכירות Q1"
    assert row["row"] == HEBREW_EXPECTED["bad_row"]
    assert strip_isolates(row["column"]) == "A (תאריך)"
    assert row["value"] == "31/02/2024"
    assert row["reason"] == "תאריך ההזמנה אינו תאריך"
    data_words = ("Q1", "Acme", "Ltd", "Beta", "Works", *FILE_FORMATS)
    assert not english_words(at, data=data_words), english_words(at, data=data_words)


def test_every_visible_text_of_the_mapping_step_is_hebrew(tmp_path, fresh_db):
    data = hebrew_quarterly_report(tmp_path / "q1.xlsx").read_bytes()
    at = _upload(app_at("upload", query={"lang": "he"}), "q1.xlsx", data)
    assert not at.exception
    shown = "\n".join(visible_texts(at))
    assert "הכותרת נמצאה בשורה 4" in texts(at)
    assert "עמודות" in shown
