"""Reading a CSV, a workbook, a web page or an XML Spreadsheet does not import pandas: every
reading worker would pay for it (a quarter of a second per upload, against a few milliseconds
for the read itself)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]

_READ = """
import sys
from pathlib import Path
from kam_core.config import SETTINGS
from kam_core.ingest.read import read_here
book = read_here(Path(sys.argv[1]).read_bytes(), Path(sys.argv[1]).name, SETTINGS.limits)
assert book.sheets[0].n_rows == 3, book.sheets[0].n_rows
print("pandas" in sys.modules)
"""


def _csv(path: Path) -> Path:
    path.write_bytes(b"Date,Client,Revenue\n2024-01-05, Acme ,100\n2024-01-06,Beta,200\n")
    return path


def _xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    for row in (["Date", "Client", "Revenue"], ["2024-01-05", "Acme", 100], ["2024-01-06", "B", 2]):
        book.active.append(row)
    book.save(path)
    return path


def _html(path: Path) -> Path:
    path.write_bytes(
        b"<html><body><table><tr><th>Date</th><th>Client</th><th>Revenue</th></tr>"
        b"<tr><td>2024-01-05</td><td>Acme</td><td>100</td></tr>"
        b"<tr><td>2024-01-06</td><td></td><td>200</td></tr></table></body></html>"
    )
    return path


def _xml(path: Path) -> Path:
    rows = [["Date", "Client", "Revenue"], ["2024-01-05", "Acme", "100"], ["2024-01-06", "B", "2"]]
    cells = "".join(
        "<Row>" + "".join(f'<Cell><Data ss:Type="String">{v}</Data></Cell>' for v in r) + "</Row>"
        for r in rows
    )
    path.write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        f'<Worksheet ss:Name="Sales"><Table>{cells}</Table></Worksheet></Workbook>'
    )
    return path


@pytest.mark.parametrize(
    "make", [_csv, _xlsx, _html, _xml], ids=["csv", "xlsx", "web page", "XML Spreadsheet"]
)
def test_reading_a_file_leaves_pandas_unimported(tmp_path, make):
    path = make(tmp_path / f"sales.{make.__name__[1:]}")
    done = subprocess.run(
        [sys.executable, "-c", _READ, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"
