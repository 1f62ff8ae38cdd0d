"""Dossier workbooks read right to left in Hebrew and left to right in English."""

import io

import openpyxl

from kam_core.dossier.workbook import template_workbook
from kam_core.i18n import use_language


def _directions(data: bytes) -> set[object]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.sheet_view.rightToLeft for ws in book.worksheets}


def test_the_master_data_template_is_right_to_left_in_hebrew():
    with use_language("he"):
        assert _directions(template_workbook()) == {True}


def test_the_master_data_template_is_left_to_right_in_english():
    with use_language("en"):
        assert _directions(template_workbook()) <= {None, False}
