"""The sub-commands' help (each option's text and its word metavars) and the errors their
argument types raise are Hebrew with --lang he, and the English source with --lang en."""

from __future__ import annotations

import argparse
import re

import pytest

from kam_core.cli.main import build_parser, main
from kam_core.cli.report import REPORTS
from kam_core.i18n import gettext, has_hebrew, use_language
from kam_core.ingest.guard import SALES_SUFFIXES

COMMANDS = [
    ["import"],
    ["report"],
    ["users", "add"],
    ["users"],
    ["backup"],
    ["restore"],
    ["import-master"],
    ["export-dossiers"],
    ["demo"],
]
# Latin words a Hebrew help may hold: formats and the analysis name XYZ (docs/GLOSSARY.md), and
# codes the user types (the command 'backup', the role 'manager').
ALLOWED = {"JSON", "CSV", "XYZ", "XLSX", "backup", "manager"}


def _help(capsys: pytest.CaptureFixture[str], lang: str, command: list[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", lang, *command, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def _flat(text: str) -> str:
    """The text with its line breaks and runs of spaces as single spaces (help wraps)."""
    return " ".join(text.split())


def _subparser(lang: str, command: list[str]) -> argparse.ArgumentParser:
    """The parser of one sub-command, built in a language as main() builds it."""
    with use_language(lang):
        parser = build_parser()
    for name in command:
        (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = sub.choices[name]
    return parser


def _help_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The options and positionals with a help text, and the sub-commands of a command."""
    actions = [a for a in parser._actions if a.help and a.help != argparse.SUPPRESS]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            actions.extend(action._choices_actions)
    return actions


def _english_words(out: str) -> list[str]:
    """Latin words in the help texts, leaving out the usage, option and argument names, choices,
    metavars, file names and report names."""
    texts = []
    for line in out.split("\n\n", 1)[1].splitlines():  # after the usage block
        indent = len(line) - len(line.lstrip())
        if 0 < indent <= 4:  # an option's or argument's names, then (maybe) its help
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            line = parts[1] if len(parts) == 2 else ""
        texts.append(line)
    text = "\n".join(texts)
    suffixes = "|".join(sorted((*SALES_SUFFIXES, "duckdb"), key=len, reverse=True))
    text = re.sub(rf"\S*\.(?:{suffixes})\b", " ", text)
    for name in sorted(REPORTS, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z_]+", text)
    return [w for w in words if w not in ALLOWED]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_help_text_of_a_command_prints_in_hebrew(capsys, command):
    out = _help(capsys, "he", command)
    flat = _flat(out)
    actions = _help_actions(_subparser("he", command))
    assert len(actions) >= 2  # -h and at least one of the command's own
    for action in actions:
        with use_language("he"):
            hebrew = gettext(action.help)
        assert has_hebrew(hebrew), f"{action.help!r} has no Hebrew in the catalog"
        assert _flat(hebrew) in flat
    assert _english_words(out) == [], out


def test_import_help_in_hebrew_translates_the_metavars_that_are_words(capsys):
    flat = _flat(_help(capsys, "he", ["import"]))
    assert "--map שדה=עמודה מיפוי שדה לעמודה (אפשר לחזור על האפשרות)" in flat
    assert "--sheet גיליון הגיליון לקריאה" in flat
    assert "[--wait-timeout שניות]" in flat
    assert "--rejected-out XLSX כתיבת השורות שנדחו לחוברת העבודה הזו" in flat
    for english in ("FIELD=COLUMN", "SHEET", "SECONDS", "map a field", "workbook"):
        assert english not in flat


def test_report_help_in_hebrew(capsys):
    flat = _flat(_help(capsys, "he", ["report"]))
    assert "--as-of תאריך נכון לתאריך (ברירת מחדל: התאריך האחרון בנתונים)" in flat
    assert "--region אזור רק שורות של האזור הזה" in flat
    assert "לדוח p-alive: מספר החודשים קדימה" in flat


def _error_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()  # one line, no usage block
    error, hint = line.rsplit(" (", 1)
    assert hint.endswith(" --help)")  # where the options are told
    return error


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["import", "q.xlsx", "--map", "price=Amount"],
            "python -m kam_core import: שגיאה: הארגומנט --map: שדה לא מוכר 'price'; השדות: "
            "order_date, client_id, client_name, revenue, order_id, profit, quantity, product, "
            "category, manager, region, segment, due_date, ship_date, returned",
        ),
        (
            ["import", "q.xlsx", "--map", "Amount"],
            "python -m kam_core import: שגיאה: הארגומנט --map: נדרש שדה=עמודה, התקבל 'Amount'",
        ),
        (
            ["report", "churn", "--as-of", "2024-13-01"],
            "python -m kam_core report: שגיאה: הארגומנט --as-of: אינו תאריך (YYYY-MM-DD): "
            "2024-13-01",
        ),
        (
            ["report", "churn", "--as-of", "1899-12-31"],
            "python -m kam_core report: שגיאה: הארגומנט --as-of: 1899-12-31 מוקדם מ-1900-01-01",
        ),
        (
            ["report", "churn", "--months", "601"],
            "python -m kam_core report: שגיאה: הארגומנט --months: חייב להיות בין 1 ל-600",
        ),
    ],
)
def test_a_bad_value_is_refused_in_hebrew(capsys, argv, line):
    assert _error_line(capsys, ["--lang", "he", *argv]) == line


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_english_help_is_the_source_text(capsys, command):
    flat = _flat(_help(capsys, "en", command))
    for action in _help_actions(_subparser("en", command)):
        assert _flat(action.help) in flat
    assert not has_hebrew(flat)


def test_english_metavars_and_errors_are_unchanged(capsys):
    flat = _flat(_help(capsys, "en", ["import"]))
    for text in ("--sheet SHEET", "--map FIELD=COLUMN", "[--wait-timeout SECONDS]"):
        assert text in flat
    assert "--region REGION only rows with this region" in _flat(_help(capsys, "en", ["report"]))
    assert _error_line(capsys, ["--lang", "en", "import", "q.xlsx", "--map", "price=Amount"]) == (
        "python -m kam_core import: error: argument --map: unknown field 'price'; fields: "
        "order_date, client_id, client_name, revenue, order_id, profit, quantity, product, "
        "category, manager, region, segment, due_date, ship_date, returned"
    )
    assert _error_line(capsys, ["--lang", "en", "import", "q.xlsx", "--map", "Amount"]) == (
        "python -m kam_core import: error: argument --map: expected FIELD=COLUMN, got 'Amount'"
    )
