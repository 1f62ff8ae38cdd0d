"""Every string the product marks for translation has its Hebrew in the catalog, and the glossary
agrees with it. Fails with the list of what to translate (see the workflow in kam_core/i18n)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file

from kam_core.i18n import terms, use_language
from kam_core.i18n.catalogs import read_catalog

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "he" / "LC_MESSAGES" / "kam.po"
SOURCES = ("kam_core", "ui", "views")
# The markers of kam_core.i18n: gettext's usual names plus NP_ (a constant with a context).
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]|%[sd]")
_MARKER_WITH_FSTRING = re.compile(
    r"\b(?:_|N_|gettext|ngettext|pgettext|NP_)\(\s*(?:\"[^\"]*\",\s*)?[rb]?f[\"']"
)


def _extracted() -> dict[tuple[str | None, str], list[str]]:
    """(context, msgid) of every marked string in the sources, with where it was found."""
    found: dict[tuple[str | None, str], list[str]] = {}
    runs = [
        (ROOT / folder, extract_from_dir(ROOT / folder, keywords=KEYWORDS)) for folder in SOURCES
    ]
    for base, results in runs:
        for filename, lineno, message, _comments, context in results:
            msgid = message[0] if isinstance(message, tuple) else message
            found.setdefault((context, msgid), []).append(f"{base.name}/{filename}:{lineno}")
    # Python 3.11's tokenizer gives an f-string whole, so the extractor does not see a marked
    # string inside one (f"<p>{_('Open tenders')}</p>"): the syntax tree does.
    for path in [ROOT / "app.py", *(p for f in SOURCES for p in sorted((ROOT / f).rglob("*.py")))]:
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in ("_", "N_", "gettext")
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[0].value, str)
                ):
                    where = f"{path.relative_to(ROOT)}:{call.lineno}"
                    found.setdefault((None, call.args[0].value), []).append(where)
    app = ROOT / "app.py"
    if app.exists():
        for lineno, message, _comments, context in extract_from_file("python", app, KEYWORDS):
            msgid = message[0] if isinstance(message, tuple) else message
            found.setdefault((context, msgid), []).append(f"app.py:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalog():
    return read_catalog(PO)


@pytest.fixture(scope="module")
def extracted():
    return _extracted()


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_every_marked_string_has_a_hebrew_translation(catalog, extracted):
    missing = []
    for (context, msgid), where in sorted(extracted.items(), key=lambda kv: kv[1]):
        if not msgid:
            continue
        message = catalog.get(msgid, context=context)
        if message is None or not all(s.strip() for s in _strings(message)):
            label = f"[{context}] {msgid!r}" if context else repr(msgid)
            missing.append(f"{label}  ({where[0]})")
    assert not missing, (
        f"{len(missing)} strings have no Hebrew in {PO.relative_to(ROOT)} or its parts/; add "
        "them to the part of their area (parts/*.po) with their Hebrew:\n" + "\n".join(missing)
    )


def test_no_translation_is_left_fuzzy(catalog):
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, "fuzzy entries (check the Hebrew, then remove '#, fuzzy'):\n" + "\n".join(
        map(repr, fuzzy)
    )
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"


def test_translations_keep_the_placeholders_of_the_english(catalog):
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = sorted(_PLACEHOLDER.findall(ids[-1]))
        for text in _strings(message):
            if text and sorted(_PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{ids[0]!r}: {text!r}")
    assert not wrong, "placeholders differ from the English:\n" + "\n".join(wrong)


def test_no_f_string_is_marked_for_translation():
    # _(f"...") is looked up after formatting and never found: use _("... {x}").format(x=...).
    offenders = []
    files = [p for folder in SOURCES for p in (ROOT / folder).rglob("*.py")]
    for path in [*files, ROOT / "app.py"]:
        if not path.exists():
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _MARKER_WITH_FSTRING.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def _glossary_rows() -> list[tuple[str, str, str]]:
    """(English, Hebrew, context) of every row of the glossary's tables."""
    rows = []
    text = (ROOT / "docs" / "GLOSSARY.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5 and cells[0] not in ("English", "---"):
            rows.append((cells[0], cells[1], cells[4]))
    return rows


def test_the_glossary_and_the_catalog_say_the_same_hebrew():
    rows = _glossary_rows()
    disagree = []
    with use_language("he"):
        for term in terms.ALL:
            hebrew = terms.term(term)
            if (str(term), hebrew, term.context or "") not in rows:
                disagree.append(f"{term!r} ({term.context or 'no context'}): catalog {hebrew!r}")
    assert not disagree, "docs/GLOSSARY.md disagrees with kam.po:\n" + "\n".join(disagree)
