"""Workbooks of a twenty-third round: values written in other ways than the usual writers do."""

from __future__ import annotations

from tests.hostile.case import Case


def round23_workbook_cases() -> list[Case]:
    return []
