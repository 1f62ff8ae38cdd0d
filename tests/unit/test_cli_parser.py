"""The command line's own words (argparse's usage, section titles, help and errors) follow
--lang and LANG: Hebrew from our catalog, English as argparse writes it."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kam_core.cli.main import main, requested_language

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    return subprocess.run(
        [sys.executable, "-m", "kam_core", *args],
        cwd=ROOT,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow  # a new interpreter, as a user starts the command
def test_help_in_hebrew_with_lang_he():
    done = _run(["--lang", "he", "--help"])
    assert done.returncode == 0
    out = done.stdout
    assert out.startswith("שימוש: python -m kam_core ")
    assert "\nארגומנטים לפי מיקום:\n" in out
    assert "\nאפשרויות:\n" in out
    assert "הצגת הודעת העזרה הזו ויציאה" in out
    assert "רשימת הייבואים" in out  # a command's help text
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in out


@pytest.mark.slow  # a new interpreter, as a user starts the command
def test_an_error_in_hebrew_with_lang_from_the_environment():
    done = _run(["import"], LANG="he_IL.UTF-8")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "python -m kam_core import: שגיאה: חסרים הארגומנטים הבאים: file "
        "(ראו python -m kam_core import --help)"
    ]


def test_english_stays_as_argparse_writes_it(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "en", "undo", "seven"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    # One line: the error and where the options are told, not the usage block.
    assert err == (
        "python -m kam_core undo: error: argument upload_id: an import's number is written in "
        "digits, not 'seven' (see python -m kam_core undo --help)\n"
    )


def test_an_invalid_choice_in_hebrew_names_the_choices(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "he", "report", "nonsense"])
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("python -m kam_core report: שגיאה: הארגומנט name: בחירה לא חוקית: ")
    assert "'nonsense' (יש לבחור מתוך " in last


def test_argparse_is_left_as_it_was_after_a_hebrew_run(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "he", "--help"])
    capsys.readouterr()
    other = argparse.ArgumentParser(prog="other")
    assert other.format_help().startswith("usage: other")


@pytest.mark.parametrize(
    ("argv", "env", "lang"),
    [
        (["--lang", "he", "uploads"], {}, "he"),
        (["uploads"], {"LANG": "he_IL.UTF-8"}, "he"),
        (["--lang", "en", "uploads"], {"LANG": "he_IL.UTF-8"}, "en"),
        (["--lang", "xx", "uploads"], {"LANG": "he_IL.UTF-8"}, "he"),  # refused, in Hebrew
        (["uploads"], {"LANG": "C"}, "en"),
    ],
)
def test_the_language_is_read_before_the_parser(monkeypatch, argv, env, lang):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert requested_language(argv) == lang


def test_the_language_may_also_follow_the_command():
    from kam_core.cli.main import build_parser, requested_language

    argv = ["demo", "--if-empty", "--lang", "he"]
    args = build_parser().parse_args(argv)
    assert args.command == "demo" and args.if_empty
    assert requested_language(argv) == "he"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--lang", "xx"])


def _parsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """The parser and every sub-command's parser under it, with the command's words."""
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def test_every_option_and_argument_says_what_it_is_for():
    from kam_core.cli.main import build_parser

    missing = [
        f"{prog} {action.option_strings or action.dest}"
        for prog, parser in _parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert missing == []


def test_an_empty_text_report_says_so_in_the_language_of_the_run():
    import pandas as pd

    from kam_core.cli.report import render
    from kam_core.i18n import use_language

    empty = pd.DataFrame({"client_id": []})
    assert render(empty, "table") == "(no rows)\n"
    with use_language("he"):
        assert render(empty, "table") == "(אין שורות)\n"


def test_a_folder_or_a_device_named_for_import_is_refused_as_what_it_is(tmp_path):
    from kam_core.cli.errors import CommandRefused
    from kam_core.cli.sales import existing_file

    with pytest.raises(CommandRefused, match="is a folder; name a file in it"):
        existing_file(str(tmp_path))
    with pytest.raises(CommandRefused, match="is not a regular file"):
        existing_file("/dev/zero")  # read without end, were it opened
    with pytest.raises(CommandRefused, match="no such file"):
        existing_file(str(tmp_path / "missing.csv"))


def test_a_hebrew_message_reaches_the_terminal_without_its_direction_marks(capsys):
    # The Hebrew catalog marks a parenthesis's direction with RLM ('Excel \u200f(XFD)'):
    # printed as the escape '\x200f' before; a terminal shows the words without the marks.
    from kam_core.cli.errors import complain, say

    say("עמודה אחרונה של Excel \u200f(XFD) \u200e.xls")
    complain("קובץ \u2068a.xlsx\u2069 \u200f(text:s) \x1b[2J")
    out, err = capsys.readouterr()
    assert out == "עמודה אחרונה של Excel (XFD) .xls\n"
    assert err == "error: קובץ a.xlsx (text:s) \\x1b[2J\n"
