"""Workbook -> clean rows: read, find the header, map columns, parse and validate."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kam_core.ingest.errors import ImportRefused
    from kam_core.ingest.fields import FIELDS, REQUIRED
    from kam_core.ingest.grid import SheetGrid, Workbook
    from kam_core.ingest.header import Layout, apply_mapping, choose_sheet, detect_layout
    from kam_core.ingest.validate import ParsedSheet, parse_sheet
    from kam_core.ingest.worker import read_file

# Each name is imported from its module when first asked for: the file reader's fork server
# imports kam_core.ingest.read and must not pay for the parsing modules (pandas) it never uses.
_WHERE = {
    "FIELDS": "fields",
    "REQUIRED": "fields",
    "ImportRefused": "errors",
    "Layout": "header",
    "ParsedSheet": "validate",
    "SheetGrid": "grid",
    "Workbook": "grid",
    "apply_mapping": "header",
    "choose_sheet": "header",
    "detect_layout": "header",
    "parse_sheet": "validate",
    "read_file": "worker",
}

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


def __getattr__(name: str) -> Any:
    """The public name from the module that defines it, imported on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
