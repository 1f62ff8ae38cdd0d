"""The deterministic demo dataset: sales, the key clients' dossiers, and loading them."""

from kam_core.demo.load import demo_workbook_bytes, load_demo
from kam_core.demo.sales import demo_sales
from kam_core.demo.workbook import DEMO_WORKBOOK_NAME, write_demo_workbook

__all__ = [
    "DEMO_WORKBOOK_NAME",
    "demo_sales",
    "demo_workbook_bytes",
    "load_demo",
    "write_demo_workbook",
]
