"""The layers hold: kam_core never imports streamlit, and the screens never reach the store.

Only connecting may import from kam_core.store: ui/db.py (the cached connection: connect and
DatabaseError) and ui/auth.py (the inbox watcher's own connection: connect). Everything else
goes through kam_core's services, analytics and dossier.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONNECTING = [
    ("ui/db.py", "kam_core.store", {"connect", "DatabaseError"}),
    ("ui/auth.py", "kam_core.store", {"connect"}),
]


def imports(path: Path) -> Iterator[tuple[int, str, set[str]]]:
    """(line, module, names) for every import in a file; names is empty for `import x`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, set()
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, {a.name for a in node.names}


def is_within(module: str, package: str) -> bool:
    """True when module is package or one of its submodules."""
    return module == package or module.startswith(package + ".")


def offenders(folders: list[str], banned: str, allowed=(), root: Path = ROOT) -> list[str]:
    """ "file:line imports module" for every import of the banned package under the folders."""
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            for line, module, names in imports(path):
                reaches = is_within(module, banned) or (
                    module == banned.rsplit(".", 1)[0] and banned.rsplit(".", 1)[1] in names
                )
                if not reaches:
                    continue
                if any(rel == f and module == m and names <= ok for f, m, ok in allowed):
                    continue
                found.append(f"{rel}:{line} imports {module} {sorted(names) or ''}".rstrip())
    return found


def test_kam_core_never_imports_streamlit():
    assert offenders(["kam_core"], "streamlit") == []


def test_screens_and_ui_never_import_the_store():
    assert offenders(["views", "ui"], "kam_core.store", CONNECTING) == []


def test_the_check_names_the_file_and_line_of_a_store_import(tmp_path):
    bad = tmp_path / "views" / "bad" / "page.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("import os\nfrom kam_core.store.sales import sales_count\n")
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "db.py").write_text("from kam_core.store import connect, sales_count\n")
    (tmp_path / "ui" / "params.py").write_text("from kam_core import store\n")
    found = offenders(["views", "ui"], "kam_core.store", CONNECTING, tmp_path)
    assert found == [
        "views/bad/page.py:2 imports kam_core.store.sales ['sales_count']",
        "ui/db.py:1 imports kam_core.store ['connect', 'sales_count']",
        "ui/params.py:1 imports kam_core ['store']",
    ]
