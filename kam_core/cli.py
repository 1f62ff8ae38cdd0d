"""The command line: python -m kam_core [--db PATH] COMMAND."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kam_core.config import db_path
from kam_core.ingest import FIELDS, ImportRefused
from kam_core.store import DatabaseError, connect

EXIT_OK, EXIT_INTERNAL, EXIT_REFUSED = 0, 1, 2


def _map_pair(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected FIELD=COLUMN, got '{text}'")
    fld, column = text.split("=", 1)
    fld = fld.strip()
    if fld not in FIELDS:
        raise argparse.ArgumentTypeError(f"unknown field '{fld}'; fields: {', '.join(FIELDS)}")
    return fld, column.strip()


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="python -m kam_core", description="KAM Analytics: import and analyse sales data."
    )
    parser.add_argument("--db", help=f"database file (default: $KAM_DB or {db_path()})")
    sub = parser.add_subparsers(dest="command", required=True)

    imp = sub.add_parser("import", help="import a workbook or CSV file of sales")
    imp.add_argument("file", help=".xlsx, .xlsm, .xls, .ods or .csv file")
    imp.add_argument("--sheet", help="sheet to read (default: the one that looks like sales)")
    imp.add_argument(
        "--map",
        action="append",
        type=_map_pair,
        default=[],
        metavar="FIELD=COLUMN",
        help="map a field to a column (repeatable)",
    )
    imp.add_argument(
        "--monthfirst",
        action="store_true",
        help="read ambiguous dates such as 03/04/2024 as month first",
    )
    imp.add_argument(
        "--all-or-nothing", action="store_true", help="import nothing if any row is rejected"
    )
    imp.add_argument("--rejected-out", metavar="XLSX", help="write rejected rows to this workbook")
    imp.add_argument("--json", action="store_true", help="print one JSON object")

    ups = sub.add_parser("uploads", help="list imports")
    ups.add_argument("--json", action="store_true")
    undo = sub.add_parser("undo", help="remove the rows of one import")
    undo.add_argument("upload_id", type=int)
    demo = sub.add_parser("demo", help="write the demo dataset into the database")
    demo.add_argument(
        "--if-empty", action="store_true", help="only when the database holds no sales yet"
    )
    master = sub.add_parser(
        "import-master", help="import master data: Clients, Contacts, Tenders, Competitors"
    )
    master.add_argument("file", help="workbook with master-data sheets (or a People sheet)")
    master.add_argument("--user", default="manager", help="name recorded as the author")
    master.add_argument("--json", action="store_true", help="print one JSON object")
    dossiers = sub.add_parser("export-dossiers", help="write every dossier to a workbook")
    dossiers.add_argument("out", help="the .xlsx file to write")
    from kam_core import cli_backup

    cli_backup.register(sub)
    try:
        from kam_core import cli_report
    except ImportError:  # the analytics reports are optional for the import commands
        cli_report = None
    if cli_report is not None:
        cli_report.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "restore":  # restore must also work when the database cannot be opened
        from kam_core.cli_backup import run_restore

        return run_restore(args)
    try:
        conn = connect(args.db)
    except DatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        return _dispatch(args, conn)
    except ImportRefused as exc:
        if getattr(args, "json", False):
            print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except DatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # the last line of defence: a message, never a silent failure
        if getattr(args, "json", False):
            print(json.dumps({"error": f"internal error: {type(exc).__name__}: {exc}"}))
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        conn.close()


def _dispatch(args: argparse.Namespace, conn) -> int:
    if args.command == "import":
        return _cmd_import(args, conn)
    if args.command == "uploads":
        return _cmd_uploads(args, conn)
    if args.command == "undo":
        return _cmd_undo(args, conn)
    if args.command == "demo":
        return _cmd_demo(args, conn)
    if args.command == "backup":
        from kam_core.cli_backup import run_backup

        return run_backup(args, conn)
    if args.command in ("import-master", "export-dossiers"):
        return _cmd_dossiers(args, conn)
    if args.command == "report":
        from kam_core import cli_report

        return cli_report.run(args, conn)
    raise AssertionError(args.command)


def _cmd_import(args: argparse.Namespace, conn) -> int:
    from kam_core.imports import import_file, rejected_workbook

    path = Path(args.file)
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file.")

    def write_rejected(parsed) -> None:
        # Before storing, so the rejected rows are there to fix when nothing is imported.
        if args.rejected_out and len(parsed.rejected):
            Path(args.rejected_out).write_bytes(rejected_workbook(parsed.rejected))

    counts, parsed, pre = import_file(
        conn,
        path.read_bytes(),
        path.name,
        sheet=args.sheet,
        overrides=dict(args.map),
        monthfirst=True if args.monthfirst else None,
        all_or_nothing=args.all_or_nothing,
        on_parsed=write_rejected,
    )
    if args.json:
        out = counts.as_dict()
        out.update(
            file=path.name,
            header_row=pre.layout.header_row,
            skipped=parsed.skipped,
            date_order=parsed.date_orders,
            notes=pre.notes,
            rejected=parsed.rejected[["sheet", "row", "column", "value", "reason"]]
            .head(100)
            .to_dict("records"),
        )
        print(json.dumps(out, ensure_ascii=False, default=str))
        return EXIT_OK
    from kam_core.report_text import import_summary

    print(import_summary(counts, parsed, pre))
    return EXIT_OK


def _cmd_uploads(args: argparse.Namespace, conn) -> int:
    from kam_core.store.sales import list_uploads

    frame = list_uploads(conn).drop(columns=["mapping", "sha256"])
    if args.json:
        print(frame.to_json(orient="records", date_format="iso", force_ascii=False))
    elif frame.empty:
        print("No imports yet.")
    else:
        print(frame.to_string(index=False))
    return EXIT_OK


def _cmd_undo(args: argparse.Namespace, conn) -> int:
    from kam_core.store.sales import UndoError, undo_upload

    try:
        removed = undo_upload(conn, args.upload_id)
    except UndoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Import {args.upload_id} undone: {removed:,} rows removed.")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, conn) -> int:
    from kam_core.demo_load import load_demo
    from kam_core.store.sales import sales_count

    if args.if_empty and sales_count(conn):
        print("The database already holds sales; demo data not loaded.")
        return EXIT_OK
    counts = load_demo(conn)
    print(
        f"Demo data loaded: {counts.rows_imported:,} rows, {counts.clients:,} clients "
        f"(import {counts.upload_id})."
    )
    return EXIT_OK


def _cmd_dossiers(args: argparse.Namespace, conn) -> int:
    from kam_core.dossier import all_dossiers_workbook, import_master

    if args.command == "export-dossiers":
        Path(args.out).write_bytes(all_dossiers_workbook(conn))
        print(f"Dossiers written to {args.out}.")
        return EXIT_OK
    path = Path(args.file)
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file.")
    result = import_master(conn, path.read_bytes(), path.name, user=args.user)
    if args.json:
        rejected = result.rejected.head(100).to_dict("records")
        out = {"counts": result.counts, "rejected": rejected, "notes": result.notes}
        print(json.dumps(out, ensure_ascii=False, default=str))
    else:
        print(result.summary() or "Nothing to import: the sheets have no rows.")
    return EXIT_OK
