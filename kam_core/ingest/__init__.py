"""Workbook -> clean rows: read, find the header, map columns, parse and validate."""

from kam_core.ingest.errors import ImportRefused
from kam_core.ingest.fields import FIELDS, REQUIRED
from kam_core.ingest.grid import SheetGrid, Workbook
from kam_core.ingest.header import Layout, apply_mapping, choose_sheet, detect_layout
from kam_core.ingest.validate import ParsedSheet, parse_sheet
from kam_core.ingest.worker import read_file

__all__ = [
    "FIELDS",
    "REQUIRED",
    "ImportRefused",
    "Layout",
    "ParsedSheet",
    "SheetGrid",
    "Workbook",
    "apply_mapping",
    "choose_sheet",
    "detect_layout",
    "parse_sheet",
    "read_file",
]
