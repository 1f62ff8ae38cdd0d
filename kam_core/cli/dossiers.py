"""Dossier commands: import-master and export-dossiers."""

from __future__ import annotations

import argparse
from typing import Any

import duckdb

from kam_core.cli.errors import ExitCode, json_line, name_argument, say
from kam_core.cli.output import check_output, write_output
from kam_core.cli.sales import existing_file
from kam_core.cli.text import rejected_lines
from kam_core.dossier import all_dossiers_workbook, import_master
from kam_core.i18n import N_, _
from kam_core.ingest.errors import named


def register(sub: Any) -> None:
    """Add the import-master and export-dossiers commands."""
    # Help texts are translated when printed (kam_core/cli/main.py), metavars here.
    master = sub.add_parser(
        "import-master", help=N_("import master data: Clients, Contacts, Tenders, Competitors")
    )
    master.add_argument("file", help=N_("workbook with master-data sheets (or a People sheet)"))
    master.add_argument(
        "--user",
        type=name_argument,
        default="manager",
        metavar=_("USER"),
        help=N_("name recorded as the author"),
    )
    master.add_argument("--json", action="store_true", help=N_("print one JSON object"))
    master.set_defaults(func=run_import_master)
    dossiers = sub.add_parser("export-dossiers", help=N_("write every dossier to a workbook"))
    dossiers.add_argument("out", help=N_("the .xlsx file to write"))
    dossiers.set_defaults(func=run_export)


def run_export(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Write every dossier to one workbook."""
    out = check_output(args.out, args)
    write_output(out, all_dossiers_workbook(conn))
    say(_("Dossiers written to {file}.").format(file=named(args.out)))
    return ExitCode.OK


def run_import_master(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Import a master-data workbook."""
    path = existing_file(args.file)
    result = import_master(conn, path.read_bytes(), path.name, user=args.user)
    if args.json:
        rejected = result.rejected.head(100).to_dict("records")
        out = {"counts": result.counts, "rejected": rejected, "notes": result.notes}
        json_line(out)
    elif not result.counts and not len(result.rejected):
        # A reader's note alone ('Read as text in utf-8') read as if something was imported.
        say("\n".join([_("Nothing to import: the sheets have no rows."), *result.notes]))
    else:
        say(result.summary())
        if len(result.rejected):
            say(rejected_lines(result.rejected))
    return ExitCode.OK
