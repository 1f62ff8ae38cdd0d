"""Hostile arguments on the command line: each failure is one line and exit code 2, never an
internal error, and nothing typed or pasted reaches the terminal as a control sequence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.commands import ROOT, kam, kam_here

CSV = "Order Date,Customer,Amount\n2024-01-05,Acme,100\n"


@pytest.fixture
def sales(tmp_path: Path, db_file: Path, capsys) -> Path:
    """A database holding one import, and the CSV it came from."""
    path = tmp_path / "sales.csv"
    path.write_text(CSV, encoding="utf-8")
    code, _out, err = kam_here(capsys, db_file, "import", path)
    assert code == 0, err
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("report", "churn", "--as-of", "\x1b]0;owned\x07\x1b[2J"),
        ("import", "sales.csv", "--map", "\x1b[31mred"),
        ("report", "churn", "--months", "1\n2 error: forged"),
    ],
)
def test_a_value_argparse_refuses_is_shown_escaped_on_one_line(db_file, sales, capsys, args):
    code, _out, err = kam_here(capsys, db_file, *args)
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err
    assert len(err.strip().splitlines()) == 1
    assert "\\x1b" in err or "1 2 error: forged" in err


def test_a_text_argument_that_is_not_utf8_is_refused_naming_it(db_file, sales, capsys):
    # b"\xe3\xf9\xe4" is 'דשה' in Windows-1255: Python holds the bytes as lone surrogates.
    manager = os.fsdecode(b"\xe3\xf9\xe4")
    for args in (
        ("report", "churn", "--manager", manager),
        ("import-master", sales, "--user", manager),
    ):
        code, out, err = kam_here(capsys, db_file, *args)
        assert code == 2, args
        assert err == (
            "error: the argument '\ufffd\ufffd\ufffd' holds bytes that are not UTF-8 text; "
            "write it in UTF-8.\n"
        )
        assert out == ""


def test_a_file_the_system_cannot_read_is_refused_naming_it(db_file, sales, capsys):
    # /proc/self/mem is a regular file of size 0 whose read fails: an input/output error.
    for command in ("import", "import-master", "restore"):
        code, _out, err = kam_here(capsys, db_file, command, "/proc/self/mem")
        assert code == 2, command
        assert err == "error: /proc/self/mem could not be read or written: Input/output error.\n"


def test_output_to_a_link_that_leads_back_to_itself_replaces_the_link(
    db_file, sales, tmp_path, capsys
):
    loop = tmp_path / "loop.xlsx"
    loop.symlink_to(loop)
    code, out, err = kam_here(capsys, db_file, "export-dossiers", loop)
    assert (code, err) == (0, ""), err
    assert out == f"Dossiers written to {loop}.\n"
    assert not loop.is_symlink() and loop.read_bytes()[:2] == b"PK"
    ring = tmp_path / "ring.duckdb"
    ring.symlink_to(tmp_path / "ring2.duckdb")
    (tmp_path / "ring2.duckdb").symlink_to(ring)
    code, out, err = kam_here(capsys, db_file, "backup", ring)
    assert (code, err) == (0, ""), err
    assert out.startswith(f"Backup written to {ring}: 1 sales rows")


def test_in_a_process_a_bad_argument_is_one_line_without_a_traceback(db_file, sales):
    done = kam(db_file, "import", "/proc/self/mem")
    assert done.returncode == 2
    assert (
        done.stderr == "error: /proc/self/mem could not be read or written: Input/output error.\n"
    )


@pytest.mark.parametrize(
    "args", [("uploads",), ("uploads", "--json"), ("report", "churn"), ("users", "list", "--json")]
)
def test_output_to_a_full_disk_is_one_line_and_exit_code_two(db_file, sales, args):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "kam_core", "--db", str(db_file), *args],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=180,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == "error: the output could not be written: No space left on device.\n"
