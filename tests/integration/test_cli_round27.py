"""Command-line options a command does not use, and names that name no one, are refused with
one line and exit code 2 instead of being accepted and ignored."""

from __future__ import annotations

import pytest

from kam_core.store import connect
from tests.integration.commands import kam_here


@pytest.mark.parametrize(
    ("args", "unused"),
    [
        (("p-alive", "--manager", "Dana"), "--manager"),  # printed every client
        (("model", "--format", "csv"), "--format"),  # printed JSON all the same
        (("churn", "--by", "clients"), "--by"),
        (("abc-xyz", "--horizon-months", "3"), "--horizon-months"),
        (("types", "--migration-months", "6"), "--migration-months"),
        (("health", "--region", "North"), "--region"),
        (("churn", "--xyz-method", "stability"), "--xyz-method"),
    ],
)
def test_a_report_option_the_report_does_not_use_is_refused(sales_db, capsys, args, unused):
    code, out, err = kam_here(capsys, sales_db, "report", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert f"report {args[0]} does not use {unused}" in err


def test_options_of_the_report_itself_still_print_it(sales_db, capsys):
    for args in (
        ("losses", "--by", "clients", "--format", "json"),
        ("p-alive", "--horizon-months", "6"),
        ("migration", "--migration-months", "6", "--xyz-method", "stability"),
        ("model", "--format", "json"),
    ):
        code, out, err = kam_here(capsys, sales_db, "report", *args)
        assert code == 0 and out.strip(), (args, err)


@pytest.mark.parametrize("value", ["", "   ", "\u200b", "\u200f\t"])
def test_a_name_that_names_no_one_is_refused(sales_db, tmp_path, capsys, value):
    master = tmp_path / "Clients.csv"
    master.write_text("Client ID,Industry\nC1,Food\n", encoding="utf-8")
    for args in (
        ("import-master", master, "--user", value),
        ("report", "churn", "--manager", value),
        ("users", "add", "a@example.com", "--role", "admin", "--name", value),
    ):
        code, _out, err = kam_here(capsys, sales_db, *args)
        assert code == 2, args
        assert "names nothing" in err and err.count("\n") == 1


def test_an_author_with_a_line_break_is_recorded_on_one_line(sales_db, tmp_path, capsys):
    master = tmp_path / "Clients.csv"
    master.write_text("Client ID,Industry\nC1,Food\n", encoding="utf-8")
    code, _, err = kam_here(capsys, sales_db, "import-master", master, "--user", "Dana\n Cohen")
    assert code == 0, err
    conn = connect(sales_db)
    assert conn.execute("SELECT updated_by FROM clients").fetchall() == [("Dana Cohen",)]
    conn.close()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--wait-timeout", "5"), "--wait-timeout applies only with --wait"),
        (("--wait", "--wait-timeout", "nan"), "must be more than 0"),
        (("--wait", "--wait-timeout", "-1"), "must be more than 0"),
        (("--wait", "--wait-timeout", "inf"), "must be more than 0"),
    ],
)
def test_a_wait_timeout_that_cannot_apply_is_refused(db_file, tmp_path, capsys, args, said):
    sales = tmp_path / "s.csv"
    sales.write_text("Order Date,Customer,Amount\n2024-01-05,Acme,100\n", encoding="utf-8")
    code, _, err = kam_here(capsys, db_file, "import", sales, *args)
    assert code == 2 and said in err


def test_a_file_name_with_a_line_break_is_said_on_one_line(sales_db, tmp_path, capsys):
    for args in (
        ("export-dossiers", tmp_path / "dossiers\n.xlsx"),
        ("backup", tmp_path / "backup\x1b[2J\n.duckdb"),
    ):
        code, out, err = kam_here(capsys, sales_db, *args)
        assert code == 0, err
        assert out.count("\n") == 1 and "\\x0a" in out and "\x1b" not in out, out


@pytest.mark.parametrize(
    ("maps", "said"),
    [
        (("revenue=Amount", "revenue=Other"), "--map names two columns for revenue"),
        (("revenue=Amount", "profit=Amount"), "--map gives column 'Amount' to two fields"),
    ],
)
def test_a_field_or_a_column_mapped_twice_is_refused(db_file, tmp_path, capsys, maps, said):
    sales = tmp_path / "s.csv"
    sales.write_text("Order Date,Customer,Amount,Other\n2024-01-05,Acme,100,5\n", encoding="utf-8")
    args = [item for pair in maps for item in ("--map", pair)]
    code, _, err = kam_here(capsys, db_file, "import", sales, *args)
    assert code == 2 and said in err


def test_a_zero_width_space_in_a_refused_argument_is_shown(db_file, capsys):
    code, _, err = kam_here(capsys, db_file, "users", "add", "a\u200b@b.c", "--role", "admin")
    assert code == 2
    assert "'a\\x200b@b.c' is not an email address" in err
