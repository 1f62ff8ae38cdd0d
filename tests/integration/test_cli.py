"""The command line: python -m kam_core [--db PATH] import / uploads / undo."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kam_core.cli import main
from kam_core.importing import import_file
from kam_core.store import connect
from tests.conftest import SALES_HEADER, quarter_rows
from tests.integration.commands import ROOT, kam, kam_here
from tests.support.demo_cache import demo_database

Q1_MAPPING = {
    "order_date": "Order Date",
    "client_name": "Customer",
    "revenue": "Amount",
    "manager": "Sales Rep",
}
Q1_COUNTS = {
    "rows_read": 9,
    "rows_imported": 9,
    "rows_duplicate": 0,
    "rows_rejected": 0,
    "rows_skipped": 0,
    "clients": 3,
    "revenue": 111.0 * (1 + 2 + 3),
}


def sizes(db: Path) -> tuple[int, int]:
    conn = connect(db)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("sales", "uploads")
        )
    finally:
        conn.close()


@pytest.fixture
def q1(make_xlsx):
    archive = [["Date", "Client", "Net", "Gross"], [dt.date(2024, 5, 1), "Zed", 5, 6]]
    return make_xlsx(
        {
            "Instructions": [["One line per order"]],
            "Sales": [SALES_HEADER, *quarter_rows([1, 2, 3])],
            "Archive": archive,
        },
        "q1.xlsx",
    )


def test_import_prints_one_json_object_and_a_full_reimport_still_exits_zero(db_file, q1, capsys):
    first = kam(db_file, "import", q1, "--json")
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert {k: out[k] for k in (*Q1_COUNTS, "upload_id", "sheet", "mapping")} == {
        **Q1_COUNTS,
        "upload_id": 1,
        "sheet": "Sales",
        "mapping": Q1_MAPPING,
    }
    code, stdout, stderr = kam_here(capsys, db_file, "import", q1, "--json")
    assert code == 0, stderr
    out = json.loads(stdout)
    assert (out["upload_id"], out["rows_imported"], out["rows_duplicate"]) == (2, 0, 9)
    assert (out["clients"], out["revenue"]) == (0, 0.0)
    assert sizes(db_file) == (9, 2)


def test_sheet_and_map_options_choose_the_sheet_and_the_columns(db_file, q1, capsys):
    args = ("import", q1, "--sheet", "Archive", "--map", "revenue=Gross", "--json")
    code, stdout, stderr = kam_here(capsys, db_file, *args)
    assert code == 0, stderr
    out = json.loads(stdout)
    assert (out["sheet"], out["rows_imported"], out["revenue"]) == ("Archive", 1, 6.0)
    assert out["mapping"] == {"order_date": "Date", "client_name": "Client", "revenue": "Gross"}


def test_an_unreadable_file_exits_two_saying_why_and_writes_nothing(db_file, q1, tmp_path):
    conn = connect(db_file)
    import_file(conn, q1.read_bytes(), q1.name)
    conn.close()
    fake = tmp_path / "march.xlsx"
    fake.write_bytes(b"%PDF-1.4\n1 0 obj\n")
    done = kam(db_file, "import", fake, "--json")
    assert done.returncode == 2
    assert "march.xlsx: this is a PDF document, not a spreadsheet." in done.stderr
    assert json.loads(done.stdout) == {
        "error": "march.xlsx: this is a PDF document, not a spreadsheet."
    }
    assert sizes(db_file) == (9, 1)


def test_uploads_lists_the_imports_and_undo_removes_one(db_file, q1, make_xlsx, capsys):
    conn = connect(db_file)
    import_file(conn, q1.read_bytes(), q1.name)
    later = make_xlsx({"Sales": [SALES_HEADER, *quarter_rows([4])]}, "april.xlsx")
    import_file(conn, later.read_bytes(), later.name)
    conn.close()
    code, stdout, stderr = kam_here(capsys, db_file, "uploads", "--json")
    assert code == 0, stderr
    history = json.loads(stdout)
    assert [(u["upload_id"], u["file_name"], u["rows_imported"]) for u in history] == [
        (2, "april.xlsx", 3),
        (1, "q1.xlsx", 9),
    ]
    assert all(u["undone_at"] is None for u in history)
    code, stdout, _ = kam_here(capsys, db_file, "undo", 1)
    assert (code, stdout.strip()) == (0, "Import 1 undone: 9 rows removed.")
    assert sizes(db_file) == (3, 2)


# The rest runs main() in this process: a process each costs seconds and shows nothing more,
# except where the process is the point (exit codes, a closed pipe, the environment).


def test_import_without_json_prints_a_readable_summary(db_file, q1, capsys):
    assert main(["--db", str(db_file), "import", str(q1)]) == 0
    text = capsys.readouterr().out
    assert "Imported q1.xlsx, sheet 'Sales' (header on row 1) as import 1." in text
    assert "imported                   9" in text
    assert "Mapping: order_date <- Order Date; client_name <- Customer" in text


def test_all_or_nothing_exits_two_and_rejected_out_writes_the_rejected_rows(
    db_file, make_xlsx, tmp_path, capsys
):
    path = make_xlsx(
        {"Sales": [SALES_HEADER, [dt.date(2024, 1, 5), "Acme", 10, "Dana"], ["32/01/2024", "B", 5]]}
    )
    assert main(["--db", str(db_file), "import", str(path), "--all-or-nothing"]) == 2
    assert "1 row was rejected and all-or-nothing was asked" in capsys.readouterr().err
    assert sizes(db_file) == (0, 0)
    out = tmp_path / "rejected.xlsx"
    assert main(["--db", str(db_file), "import", str(path), "--rejected-out", str(out)]) == 0
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][:5] == ("Sales", 3, "A (Order Date)", "32/01/2024", "order date is not a date")
    assert sizes(db_file) == (1, 1)


def test_rejected_rows_are_written_even_when_all_or_nothing_imports_nothing(
    db_file, make_xlsx, tmp_path
):
    path = make_xlsx(
        {"Sales": [SALES_HEADER, [dt.date(2024, 1, 5), "Acme", 10, "Dana"], ["32/01/2024", "B", 5]]}
    )
    out = tmp_path / "rejected.xlsx"
    args = ["--db", str(db_file), "import", str(path), "--all-or-nothing", "--rejected-out"]
    assert main([*args, str(out)]) == 2
    assert sizes(db_file) == (0, 0)
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("Sales", 3)


def test_a_missing_file_and_a_sheet_without_required_columns_exit_two(db_file, make_xlsx, capsys):
    assert main(["--db", str(db_file), "import", "nope.xlsx"]) == 2
    assert "nope.xlsx: no such file." in capsys.readouterr().err
    path = make_xlsx({"People": [["Name", "Region"], ["Dana", "North"]]})
    assert main(["--db", str(db_file), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "sheet 'People': no column recognised for order date, revenue, the client" in err
    assert "Order date: add a column with a header such as Order date, Date" in err


def test_map_with_an_unknown_field_is_a_usage_error(db_file, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(db_file), "import", "x.xlsx", "--map", "price=Amount"])
    assert stop.value.code == 2
    assert "unknown field 'price'" in capsys.readouterr().err


def test_undo_of_an_unknown_import_exits_two(db_file, capsys):
    assert main(["--db", str(db_file), "undo", "7"]) == 2
    assert "There is no import number 7." in capsys.readouterr().err


def test_an_unexpected_failure_exits_one_with_a_message(db_file, q1, monkeypatch, capsys):
    import kam_core.cli.sales

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(kam_core.cli.sales, "import_file", broken)
    assert main(["--db", str(db_file), "import", str(q1)]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_debug_shows_the_traceback_of_an_internal_error(db_file, q1, monkeypatch):
    import kam_core.cli.sales

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(kam_core.cli.sales, "import_file", broken)
    with pytest.raises(RuntimeError, match="boom"):
        main(["--db", str(db_file), "--debug", "import", str(q1)])


def test_report_arguments_out_of_range_are_refused_with_exit_two(db_file, capsys):
    for args in (
        ["--months", "100000"],
        ["--as-of", "0001-01-01"],
        ["--as-of", "9999-12-31"],  # a window ending the day after cannot be counted
        ["--months", "x"],
    ):
        code, _, stderr = kam_here(capsys, db_file, "report", "churn", *args)
        assert code == 2, args
        assert "Traceback" not in stderr


def test_control_characters_from_a_file_never_reach_the_terminal(tmp_path, db_file, capsys):
    # A file name (like a sheet or client name) can carry terminal escape sequences.
    path = tmp_path / "q1\x1b]0;owned\x07\x1b[2J.csv"
    path.write_text("Order Date,Customer,Amount\n2024-01-05,Acme,100\n", encoding="utf-8")
    code, stdout, stderr = kam_here(capsys, db_file, "import", path)
    assert code == 0, stderr
    assert "\x1b" not in stdout and "\x07" not in stdout
    assert "q1\\x1b]0;owned\\x07\\x1b[2J.csv" in stdout


def test_output_piped_into_a_reader_that_closes_early_ends_quietly(db_file):
    shutil.copy(demo_database(), db_file)  # what `kam demo` loads, built once per run
    done = subprocess.run(
        f"{sys.executable} -m kam_core --db {db_file} report churn | head -n 1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.startswith("client_id,")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_lang_he_prints_a_hebrew_refusal_and_exits_two(tmp_path, db_file, capsys):
    damaged = tmp_path / "רבעון.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    code, _, stderr = kam_here(capsys, db_file, "--lang", "he", "import", damaged)
    assert code == 2, stderr
    line = stderr.strip()
    # The whole line in Hebrew, the file's name kept as it is, no bidi marks on a terminal.
    assert line.startswith("שגיאה: רבעון.xlsx: חוברת העבודה פגומה או חלקית ואי אפשר לפתוח אותה")
    code, _, stderr = kam_here(capsys, db_file, "--lang", "en", "import", damaged)
    assert code == 2
    assert stderr.startswith(
        "error: רבעון.xlsx: the workbook is damaged or incomplete and cannot be opened"
    )


def test_the_language_follows_language_or_lang_when_lang_is_not_given(tmp_path, db_file):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    for variables in ({"LANG": "he_IL.UTF-8"}, {"LANGUAGE": "he:en", "LANG": "C.UTF-8"}):
        done = kam(db_file, "import", empty, env={**env, **variables})
        assert (done.returncode, done.stderr.strip()) == (2, "שגיאה: empty.csv: הקובץ ריק.")


def test_in_hebrew_json_keys_stay_english_and_the_summary_is_hebrew(db_file, tmp_path, capsys):
    path = tmp_path / "q.csv"
    path.write_text(
        "Order Date,Customer,Amount\n2024-01-05,Acme,100\n2024-01-06,Acme,x\n", encoding="utf-8"
    )
    assert main(["--db", str(db_file), "--lang", "he", "import", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows_imported"] == 1 and out["rows_rejected"] == 1
    (rejected,) = out["rejected"]
    assert set(rejected) == {"sheet", "row", "column", "value", "reason"}
    assert rejected["row"] == 3 and rejected["value"] == "x"
    assert rejected["reason"] == "ההכנסות אינו סכום"
    assert main(["--db", str(db_file), "--lang", "he", "undo", "1"]) == 0
    assert capsys.readouterr().out.strip() == "ייבוא 1 בוטל: שורה 1 הוסרה."
    # The language was the command's only: this process reads English again.
    assert main(["--db", str(db_file), "undo", "1"]) == 2
    assert capsys.readouterr().err.startswith("error: Import 1 was already undone")


def test_written_files_never_replace_the_database_or_the_file_read(
    db_file, make_xlsx, tmp_path, capsys
):
    path = make_xlsx({"Sales": [SALES_HEADER, [dt.date(2024, 1, 5), "Acme", 10], ["x", "B", 5]]})
    assert main(["--db", str(db_file), "import", str(path)]) == 0
    before, data = sizes(db_file), path.read_bytes()
    wal = db_file.with_name(db_file.name + ".wal")
    for target in (db_file, wal, path, tmp_path, "/dev/full", tmp_path / "none" / "r.xlsx", ""):
        code, _out, err = kam_here(capsys, db_file, "import", path, "--rejected-out", target)
        assert code == 2 and err.startswith("error: ") and "Traceback" not in err, (target, err)
    for target in (db_file, tmp_path, "/dev/full", ""):
        code, _out, err = kam_here(capsys, db_file, "export-dossiers", target)
        assert code == 2 and err.startswith("error: "), (target, err)
    assert sizes(db_file) == before and path.read_bytes() == data
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*.partial"))


def test_rejected_rows_go_to_csv_whole_when_the_name_says_csv(db_file, tmp_path, capsys):
    lines = ["Order Date,Customer,Amount", "2024-01-05,Acme,10"]
    lines += [f"2024-01-05,B{i},x{i}" for i in range(30)]
    path = tmp_path / "sales.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "rejected.csv"
    code, _out, err = kam_here(capsys, db_file, "import", path, "--rejected-out", out)
    assert code == 0, err
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(text) == 31 and "x29" in text[-1]


def test_an_empty_db_option_is_refused_instead_of_a_database_in_memory(tmp_path, capsys):
    path = tmp_path / "sales.csv"
    path.write_text("Order Date,Customer,Amount\n2024-01-05,Acme,10\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", "", "import", str(path)]) == 2
    assert "--db names no file" in capsys.readouterr().err


def test_a_line_break_in_a_sheet_name_cannot_forge_a_line_of_output(db_file, make_xlsx, capsys):
    forged = "Sales\nerror (database is corrupt)"
    path = make_xlsx({forged: [SALES_HEADER, [dt.date(2024, 1, 5), "Acme", 10], ["x", "B", 5]]})
    code, out, err = kam_here(capsys, db_file, "import", path)
    assert code == 0, err
    assert not any(line.startswith("error") for line in (out + err).splitlines())
    assert "Sales\\x0aerror (database is corrupt)" in out


def test_a_file_or_link_beside_the_output_is_never_written_through(db_file, tmp_path, capsys):
    assert main(["--db", str(db_file), "demo"]) == 0
    before = db_file.read_bytes()
    out = tmp_path / "dossiers.xlsx"
    (tmp_path / "dossiers.xlsx.partial").symlink_to(db_file)
    (tmp_path / ".dossiers.xlsx.partial").mkdir()
    code, _out, err = kam_here(capsys, db_file, "export-dossiers", out)
    assert code == 0, err
    assert db_file.read_bytes() == before
    assert out.read_bytes()[:2] == b"PK"


def test_a_file_name_that_is_not_utf8_is_imported_and_listed_with_its_bad_bytes_replaced(
    db_file, tmp_path, capsys
):
    # "דוח מכירות.csv" in Windows-1255 bytes: what unzipping an archive made on Windows gives.
    raw = os.fsencode(tmp_path) + b"/" + "דוח מכירות".encode("cp1255") + b".csv"
    with open(raw, "wb") as out:
        out.write(b"Order Date,Customer,Amount\n2024-01-05,Acme,100\n2024-01-06,Beta,200.5\n")
    code, out, err = kam_here(capsys, db_file, "import", os.fsdecode(raw), "--json")
    assert code == 0, err
    assert json.loads(out)["rows_imported"] == 2
    code, out, _err = kam_here(capsys, db_file, "uploads", "--json")
    assert code == 0
    name = json.loads(out)[0]["file_name"]
    assert name == "\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd.csv"
    code, out, err = kam_here(capsys, db_file, "import", os.fsdecode(raw))  # the summary too
    assert code == 0, err
    assert "Imported \ufffd\ufffd\ufffd" in out


def test_a_file_named_on_the_command_line_imports_as_its_uploaded_bytes_do(
    db_file, tmp_path, capsys
):
    # The command line hands the worker the file where it lies (through a link to it); the
    # Upload page hands it the bytes. Same rows, same digest, and the named file is untouched.
    text = "Order Date,Customer,Amount\n" + "".join(
        f"2024-0{1 + i % 3}-1{i % 9},Client {i % 7},{i}.25\n" for i in range(40)
    )
    source = tmp_path / "in folder" / "q1 export.csv"
    source.parent.mkdir()
    source.write_text(text, encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(source)
    code, out, _err = kam_here(capsys, db_file, "import", link, "--json")
    assert code == 0, out
    assert json.loads(out)["rows_imported"] == 40
    other = tmp_path / "other.duckdb"
    conn = connect(other)
    try:
        import_file(conn, source.read_bytes(), "latest.csv")
    finally:
        conn.close()
    stored = []
    for db in (db_file, other):
        conn = connect(db)
        try:
            stored.append(
                (
                    conn.execute("SELECT sha256, file_name FROM uploads").fetchall(),
                    conn.execute(
                        "SELECT row_key, order_date, client_id, revenue FROM sales ORDER BY row_key"
                    ).fetchall(),
                )
            )
        finally:
            conn.close()
    assert stored[0] == stored[1]
    assert stored[0][0] == [(hashlib.sha256(text.encode()).hexdigest(), "latest.csv")]
    assert source.read_text(encoding="utf-8") == text and link.is_symlink()


def test_a_file_that_changes_while_it_is_read_is_refused_and_nothing_is_stored(
    db_file, tmp_path, monkeypatch, capsys
):
    import kam_core.importing as importing

    source = tmp_path / "being saved.csv"
    source.write_text("Order Date,Customer,Amount\n2024-01-05,Acme,5\n", encoding="utf-8")
    real = importing.read_file

    def read_while_written(data, file_name, **kwargs):
        with source.open("a", encoding="utf-8") as out:  # another program still writing it
            out.write("2024-01-06,Beta,6\n")
        return real(data, file_name, **kwargs)

    monkeypatch.setattr(importing, "read_file", read_while_written)
    code, _out, err = kam_here(capsys, db_file, "import", source)
    assert code == 2
    assert "changed while it was read" in err and "Import it again once it is saved" in err
    assert sizes(db_file) == (0, 0)


def test_all_sheets_imports_every_month_and_names_a_sheet_it_cannot(tmp_path, capsys):
    import json as json_

    import xlsxwriter

    from tests.integration.commands import kam_here

    path = tmp_path / "q1.xlsx"
    book = xlsxwriter.Workbook(path)
    for name, day in (("Jan", "2026-01-05"), ("Feb", "2026-02-05"), ("Mar", "not a date")):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ["Order Date", "Customer", "Amount"])
        sheet.write_row(1, 0, [day, "Acme", 100])
        sheet.write_row(2, 0, [day, "Beta", 50])
    book.close()
    code, out, _err = kam_here(
        capsys, tmp_path / "k.duckdb", "import", path, "--all-sheets", "--json"
    )
    assert code == 0
    result = json_.loads(out)
    assert (result["sheet"], result["rows_imported"]) == ("Jan", 2)
    others = {o["sheet"]: o for o in result["other_sheets"]}
    assert others["Feb"]["rows_imported"] == 2
    assert others["Feb"]["revenue"] == 150.0
    assert "no valid rows" in others["Mar"]["error"]


def test_all_sheets_leaves_a_summary_a_budget_and_returns_alone(tmp_path, capsys):
    import json as json_

    import xlsxwriter

    from tests.integration.commands import kam_here

    path = tmp_path / "q1.xlsx"
    book = xlsxwriter.Workbook(path)
    for name, day, amount in (("Jan", "2026-01-05", 100), ("Feb", "2026-02-05", 200)):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ["Order Date", "Customer", "Amount"])
        sheet.write_row(1, 0, [day, "Acme", amount])
    summary = book.add_worksheet("Summary")  # the months again, by month: counted twice
    summary.write_row(0, 0, ["Customer", "Month", "Revenue"])
    summary.write_row(1, 0, ["Acme", "2026-01", 100])
    summary.write_row(2, 0, ["Acme", "2026-02", 200])
    budget = book.add_worksheet("Plan 2026")
    budget.write_row(0, 0, ["Customer", "Month", "Budget Amount"])
    budget.write_row(1, 0, ["Acme", "2026-03", 999])
    returns = book.add_worksheet("Returns")
    returns.write_row(0, 0, ["Date", "Customer", "Amount"])
    returns.write_row(1, 0, ["2026-02-10", "Acme", 50])
    book.close()
    code, out, _err = kam_here(
        capsys, tmp_path / "k.duckdb", "import", path, "--all-sheets", "--json"
    )
    assert code == 0
    result = json_.loads(out)
    assert [o["sheet"] for o in result["other_sheets"]] == ["Feb"]
    assert result["revenue"] + result["other_sheets"][0]["revenue"] == 300.0
    # The sheets left alone are named, so that returns are not forgotten without a word.
    assert any("'Returns'" in n and "left out" in n for n in result["notes"])
    assert any("'Summary'" in n for n in result["notes"])


def test_reading_commands_on_a_path_with_no_database_say_so_and_create_nothing(tmp_path, capsys):
    missing = tmp_path / "tmp" / "nonexist.duckdb"
    for command in (
        ["report", "abc-xyz"],
        ["uploads"],
        ["users", "list"],
        ["backup", tmp_path / "b.duckdb"],
        ["export-dossiers", tmp_path / "d.xlsx"],
    ):
        code, out, err = kam_here(capsys, missing, *command)
        assert (code, out) == (2, ""), command
        assert err == f"error: no database at {missing}; import a file first or check the path\n"
    # Not even the folder: the mistyped path left an empty database to be found later.
    assert sorted(tmp_path.iterdir()) == []


def test_a_file_that_is_no_database_is_refused_by_reads_and_writes_alike(tmp_path, q1, capsys):
    csv = tmp_path / "sales.csv"
    csv.write_text("Date,Client,Amount\n2024-01-05,Acme,100\n", encoding="utf-8")
    text = tmp_path / "notes.duckdb"
    text.write_text("hi\n", encoding="utf-8")
    for path in (csv, text):
        before = path.read_bytes()
        # DuckDB opened the .csv as a database in memory: an import into it reported success
        # and kept nothing, a report printed zeros.
        for command in (["uploads"], ["import", q1]):
            code, _out, err = kam_here(capsys, path, *command)
            assert code == 2, (path, command)
            assert err == (
                f"error: {path} is not a KAM Analytics database (not a DuckDB file); check --db.\n"
            )
        assert path.read_bytes() == before


def test_another_programs_duckdb_database_is_refused_and_left_as_it_was(tmp_path, q1, capsys):
    import duckdb

    other = tmp_path / "warehouse.duckdb"
    conn = duckdb.connect(str(other))
    conn.execute("CREATE TABLE orders (id INTEGER, total DOUBLE)")
    conn.execute("CREATE TABLE meta (k VARCHAR)")  # a table of ours by name, not by content
    conn.execute("INSERT INTO orders VALUES (1, 9.5)")
    conn.close()
    # Opening it made it one of ours: every table and sequence of the schema added to it.
    for command in (["uploads"], ["report", "abc-xyz"], ["import", q1], ["demo"]):
        code, _out, err = kam_here(capsys, other, *command)
        assert code == 2, command
        assert err.startswith(
            f"error: {other} is a DuckDB database of another program (it holds meta, orders "
            "and no KAM Analytics tables); it was left as it was."
        ), err
    conn = duckdb.connect(str(other), read_only=True)
    try:
        tables = conn.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()
        assert tables == [("meta",), ("orders",)]
        assert conn.execute("SELECT * FROM orders").fetchall() == [(1, 9.5)]
    finally:
        conn.close()


def test_a_database_of_ours_whose_version_is_gone_is_called_damaged(tmp_path, q1, capsys):
    # Cut short or overwritten, a database of ours was called "a DuckDB database of another
    # program ... and no KAM Analytics tables", which sent the user looking for the wrong file.
    import duckdb

    path = tmp_path / "kam.duckdb"
    assert kam_here(capsys, path, "import", q1)[0] == 0
    conn = duckdb.connect(str(path))
    conn.execute("DELETE FROM meta WHERE key = 'schema_version'")
    conn.close()
    code, _out, err = kam_here(capsys, path, "uploads")
    assert code == 2
    assert err == (
        f"error: {path} looks like a KAM Analytics database that is damaged (cut short or "
        "overwritten: its version cannot be read); it was left as it was. Restore a backup "
        "into a new file (python -m kam_core --db NEW_FILE restore BACKUP), or point the "
        "database setting (--db or KAM_DB) at another file.\n"
    )


def test_a_database_that_fails_to_read_a_block_is_one_line_and_exit_code_2(
    tmp_path, q1, capsys, monkeypatch
):
    # A file cut short past its catalog opens, then a read past its end fails: that was an
    # internal error (exit code 1).
    import duckdb

    from kam_core.cli import sales as cli_sales

    path = tmp_path / "kam.duckdb"
    assert kam_here(capsys, path, "import", q1)[0] == 0

    def cut_short(_conn):
        raise duckdb.IOException('IO Error: Could not read enough bytes from file "kam.duckdb"')

    monkeypatch.setattr(cli_sales, "list_uploads", cut_short)
    code, out, err = kam_here(capsys, path, "uploads")
    assert (code, out) == (2, "")
    assert err == (
        "error: the database could not be read or written (IO Error: Could not read enough "
        'bytes from file "kam.duckdb"). If its file was cut short or damaged, restore a '
        "backup into a new file (python -m kam_core --db NEW_FILE restore BACKUP).\n"
    )


def test_an_empty_duckdb_file_becomes_a_database(tmp_path, q1, capsys):
    import duckdb

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert kam_here(capsys, empty, "import", q1)[0] == 0
    assert kam_here(capsys, empty, "uploads")[0] == 0


def test_commands_that_write_still_create_the_database(tmp_path, q1, capsys):
    db = tmp_path / "new" / "kam.duckdb"
    code, _out, _err = kam_here(capsys, db, "import", q1)
    assert code == 0 and db.is_file()
    assert kam_here(capsys, db, "uploads")[0] == 0
