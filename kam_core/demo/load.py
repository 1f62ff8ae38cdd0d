"""Load the demo dataset through the same import path a user's workbook takes.

The dossiers' texts (profiles, job titles, tenders, competitors, notes, plans) and the sales'
regions, segments and categories are written in one language when the demo is loaded: the
language asked for, else the language of the run.
The command line's run speaks --lang, else $LANGUAGE, $LC_ALL, $LC_MESSAGES or $LANG (so
`make run` on an empty database writes the demo in the installation's locale); the app's
"Load demo data" button writes it in the language of the page. Names of clients, people,
products and competitors are data and stay as they are.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from kam_core.config import DEMO_DIR
from kam_core.demo.master import load_demo_master
from kam_core.demo.workbook import DEMO_WORKBOOK_NAME, write_demo_workbook
from kam_core.i18n import DEFAULT_LANGUAGE, get_language, use_language
from kam_core.importing import import_file
from kam_core.store.sales import ImportCounts


def demo_workbook_bytes() -> bytes:
    """Return the demo workbook in the run's language: the English one from data/demo/ (written
    first if it is missing), another language's written afresh (data/demo/ holds only the file
    the repository ships)."""
    path = DEMO_DIR / DEMO_WORKBOOK_NAME
    if get_language() == DEFAULT_LANGUAGE and not path.exists():
        try:
            DEMO_DIR.mkdir(parents=True, exist_ok=True)
            write_demo_workbook(path)
        except OSError:  # a read-only checkout still gets its demo data
            pass
    if get_language() == DEFAULT_LANGUAGE and path.exists():
        return path.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        return write_demo_workbook(Path(tmp) / DEMO_WORKBOOK_NAME).read_bytes()


def load_demo(conn: duckdb.DuckDBPyConnection, lang: str | None = None) -> ImportCounts:
    """Import the demo workbook and the key clients' dossiers, their texts in lang (default:
    the language of the run); nothing is added twice."""
    with use_language(lang or get_language()):
        data = demo_workbook_bytes()
        counts, _, _ = import_file(conn, data, DEMO_WORKBOOK_NAME)
        load_demo_master(conn, data)  # dossiers of the key clients and the People's managers
    return counts
