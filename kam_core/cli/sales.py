"""Sales commands: import, uploads, undo, demo."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import duckdb

from kam_core.cli.errors import CommandRefused, ExitCode, json_line, say
from kam_core.cli.handoff import complain_note, import_or_hand_off
from kam_core.cli.output import check_output, write_output
from kam_core.cli.text import import_summary
from kam_core.export import EXCEL_ROWS
from kam_core.i18n import N_, _, fmt_number, ngettext
from kam_core.import_report import rejected_csv
from kam_core.importing import (
    DUPLICATES,
    SheetImport,
    describe_amended,
    describe_overlap,
    import_file,
    matched_notes,
    other_sheets_note,
    rejected_workbook,
)
from kam_core.ingest import FIELDS, ParsedSheet
from kam_core.ingest.errors import named
from kam_core.ingest.guard import SALES_SUFFIXES
from kam_core.store.sales import list_uploads, sales_count, undo_upload


def _map_pair(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(_("expected FIELD=COLUMN, got '{text}'").format(text=text))
    fld, column = text.split("=", 1)
    fld = fld.strip()
    if fld not in FIELDS:
        raise argparse.ArgumentTypeError(
            _("unknown field '{field}'; fields: {fields}").format(
                field=fld, fields=", ".join(FIELDS)
            )
        )
    return fld, column.strip()


def _import_number(text: str) -> int:
    """An import's number as uploads lists it: digits only (int() also takes '1_0' and '١٠')."""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise argparse.ArgumentTypeError(
            _("an import's number is written in digits, not '{text}'").format(text=text[:40])
        )
    return int(text)


# The longest --wait-timeout: a day (nan or inf waited for ever, a negative not at all).
LONGEST_WAIT = 86_400.0
WAIT_TIMEOUT = 600.0


def _seconds(text: str) -> float:
    """A time to wait, in seconds: a number above zero and at most a day."""
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("not a number of seconds: {value}").format(value=text[:40])
        ) from exc
    if not 0 < value <= LONGEST_WAIT:  # also false for nan
        raise argparse.ArgumentTypeError(
            _("must be more than 0 and at most {largest} seconds").format(
                largest=fmt_number(LONGEST_WAIT)
            )
        )
    return value


def register(sub: Any) -> None:
    """Add the import, uploads, undo and demo commands."""
    # Help texts are marked N_ and translated when help is printed (kam_core/cli/main.py);
    # metavars are not, so they are translated here, in the language the parser is built in.
    imp = sub.add_parser("import", help=N_("import a workbook or CSV file of sales"))
    imp.add_argument(
        "file",
        help=_("a workbook or text file ({kinds})").format(
            kinds=", ".join(f".{suffix}" for suffix in SALES_SUFFIXES)
        ),
    )
    imp.add_argument(
        "--sheet",
        metavar=_("SHEET"),
        help=N_("sheet to read (default: the one that looks like sales)"),
    )
    imp.add_argument(
        "--all-sheets",
        action="store_true",
        help=N_(
            "also import the other sheets that hold sales columns (a sheet a month), each as "
            "an import of its own"
        ),
    )
    imp.add_argument(
        "--map",
        action="append",
        type=_map_pair,
        default=[],
        metavar=_("FIELD=COLUMN"),
        help=N_("map a field to a column (repeatable)"),
    )
    imp.add_argument(
        "--monthfirst",
        action="store_true",
        help=N_("read ambiguous dates such as 03/04/2024 as month first"),
    )
    imp.add_argument(
        "--all-or-nothing",
        action="store_true",
        help=N_("import nothing if any row is rejected"),
    )
    imp.add_argument(
        "--duplicates",
        choices=DUPLICATES,
        default="skip",
        help=N_(
            "rows that look like rows another import stored (the same orders from another "
            "export): skip them (default, listed with the rejected rows) or keep them"
        ),
    )
    imp.add_argument(
        "--rejected-out",
        metavar="XLSX",
        help=N_("write rejected rows to this workbook (a name ending in .csv writes CSV)"),
    )
    imp.add_argument("--json", action="store_true", help=N_("print one JSON object"))
    imp.add_argument(
        "--wait",
        action="store_true",
        help=N_("when the running app holds the database, wait for its inbox to import the file"),
    )
    imp.add_argument(
        "--wait-timeout",
        type=_seconds,
        metavar=_("SECONDS"),
        help=N_("with --wait: how long to wait for the result (default: 600)"),
    )
    # Opens the database itself: when the app holds it, the file goes to the app's inbox.
    imp.set_defaults(func=run_import_or_hand_off, needs_db=False)

    ups = sub.add_parser("uploads", help=N_("list imports"))
    ups.add_argument("--json", action="store_true", help=N_("print one JSON array"))
    ups.set_defaults(func=run_uploads)

    undo = sub.add_parser("undo", help=N_("remove the rows of one import"))
    undo.add_argument(
        "upload_id", type=_import_number, help=N_("the import's number (see uploads)")
    )
    undo.set_defaults(func=run_undo)

    demo = sub.add_parser("demo", help=N_("write the demo dataset into the database"))
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help=N_("only when the database holds no sales yet"),
    )
    demo.set_defaults(func=run_demo)


def existing_file(name: str) -> Path:
    """The path of a file the user named, refused when it is not a readable regular file."""
    path = Path(name)
    if not path.exists():
        raise CommandRefused(_("{file}: no such file.").format(file=path))
    if path.is_dir():
        raise CommandRefused(_("{file} is a folder; name a file in it.").format(file=path))
    if not path.is_file():
        # A device or a pipe (/dev/zero) could be read without end.
        raise CommandRefused(_("{file} is not a regular file.").format(file=path))
    return path


def refuse_double_mapping(pairs: list[tuple[str, str]]) -> None:
    """Refuse --map naming one field twice (the last one was taken without a word) or one
    column for two fields (refused as 'no column recognised' for the first)."""
    columns: dict[str, str] = {}
    fields: dict[str, str] = {}
    for fld, column in pairs:
        if fld in fields and fields[fld] != column:
            raise CommandRefused(
                _(
                    "--map names two columns for {field} ('{first}' and '{second}'); map "
                    "each field once."
                ).format(field=fld, first=fields[fld], second=column)
            )
        if column and column in columns and columns[column] != fld:
            raise CommandRefused(
                _(
                    "--map gives column '{column}' to two fields ({first} and {second}); a "
                    "column holds one field."
                ).format(column=column, first=columns[column], second=fld)
            )
        fields[fld] = column
        if column:
            columns[column] = fld


def run_import_or_hand_off(args: argparse.Namespace, _conn: None) -> int:
    """Import the file; while the running app holds the database, hand it to its inbox."""
    refuse_double_mapping(args.map)
    if args.wait_timeout is not None and not args.wait:
        # Without --wait nothing waits: the timeout was ignored without a word.
        raise CommandRefused(
            _("--wait-timeout applies only with --wait; add --wait or leave it out.")
        )
    if args.wait_timeout is None:
        args.wait_timeout = WAIT_TIMEOUT
    return import_or_hand_off(args, run_import, existing_file(args.file))


def run_import(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Import one file and print what happened."""
    path = existing_file(args.file)
    out = check_output(args.rejected_out, args, (path,)) if args.rejected_out is not None else None

    def write_rejected(parsed: ParsedSheet) -> None:
        # Before storing, so the rejected rows are there to fix when nothing is imported.
        if out is not None and len(parsed.rejected):
            if out.suffix.lower() == ".csv":
                write_output(out, rejected_csv(parsed.rejected))
                return
            write_output(out, rejected_workbook(parsed.rejected))
            if len(parsed.rejected) > EXCEL_ROWS:
                complain_note(
                    _(
                        "{file} holds the first {limit} of {count} rejected rows; name a .csv "
                        "file to have every row."
                    ).format(
                        file=named(out),
                        limit=fmt_number(EXCEL_ROWS),
                        count=fmt_number(len(parsed.rejected)),
                    )
                )

    others: list[SheetImport] = []
    # The file is read where it lies (by the reading worker): no copy of it in this process.
    counts, parsed, pre = import_file(
        conn,
        path,
        path.name,
        sheet=args.sheet,
        overrides=dict(args.map),
        monthfirst=True if args.monthfirst else None,
        all_or_nothing=args.all_or_nothing,
        on_parsed=write_rejected,
        duplicates=args.duplicates,
        on_others=others.extend if args.all_sheets else None,
    )
    if counts.rows_probable_duplicate:
        write_rejected(parsed)  # now with the skipped probable duplicates
    overlap = counts.overlap
    if args.json:
        out = counts.as_dict()
        out.update(
            file=pre.book.file_name,
            probable_duplicates={
                "found": overlap.count if overlap else 0,
                "action": args.duplicates,
                "summary": describe_overlap(overlap) if overlap else "",
                "amended": describe_amended(overlap) if overlap else "",
                "matches": [
                    {
                        "upload_id": m.upload_id,
                        "file_name": m.file_name,
                        "imported_at": m.imported_at.isoformat(),
                        "rule": m.rule,
                        "rows": m.rows,
                    }
                    for m in (overlap.matches if overlap else [])
                ],
            },
            header_row=pre.layout.header_row,
            skipped=parsed.skipped,
            date_order=parsed.date_orders,
            notes=[*pre.notes, *parsed.notes, *matched_notes(counts.matched)],
            rejected=parsed.rejected[["sheet", "row", "column", "value", "reason"]]
            .head(100)
            .to_dict("records"),
        )
        if args.all_sheets:
            out["other_sheets"] = [_other_json(other) for other in others]
        json_line(out)
        return ExitCode.OK
    if args.all_sheets and pre.layout.others:  # the note asks for what was done
        pre.notes = [n for n in pre.notes if n != other_sheets_note(pre.layout)]
    say(import_summary(counts, parsed, pre))
    for other in others:
        if other.refused is not None:
            say(
                _("Sheet '{sheet}' was not imported: {reason}").format(
                    sheet=named(other.sheet), reason=other.refused
                )
            )
        else:
            say(import_summary(other.counts, other.parsed, other.pre))
    if overlap is not None and overlap.count:
        if counts.rows_probable_duplicate:
            if args.rejected_out:
                action = _("skipped, listed with the rejected rows in {file}").format(
                    file=named(args.rejected_out)
                )
            else:
                action = _("skipped, listed with the rejected rows with --rejected-out")
        else:
            action = _("kept (--duplicates keep)")
        label = _("probable duplicates")
        say(f"  {label:<19} {fmt_number(overlap.count):>8}  {action}")
        say(_("Probable duplicates: {summary}.").format(summary=describe_overlap(overlap)))
        amended = describe_amended(overlap)
        if amended:
            say(amended)
    return ExitCode.OK


def _other_json(other: SheetImport) -> dict[str, object]:
    """One more sheet's outcome for --json: its counts and notes, or why it was not imported."""
    if other.refused is not None:
        return {"sheet": other.sheet, "error": other.refused}
    out = other.counts.as_dict()
    out["notes"] = [*other.parsed.notes, *matched_notes(other.counts.matched)]
    out["rejected"] = (
        other.parsed.rejected[["sheet", "row", "column", "value", "reason"]]
        .head(100)
        .to_dict("records")
    )
    return out


def run_uploads(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """List the imports."""
    frame = list_uploads(conn).drop(columns=["mapping", "sha256"])
    if args.json:
        json_line(json.loads(frame.to_json(orient="records", date_format="iso")))
    elif frame.empty:
        say(_("No imports yet."))
    else:
        say(frame.to_string(index=False))
    return ExitCode.OK


def run_undo(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Remove the rows of one import."""
    removed = undo_upload(conn, args.upload_id)
    say(
        ngettext(
            "Import {upload} undone: {count} row removed.",
            "Import {upload} undone: {count} rows removed.",
            removed,
        ).format(upload=args.upload_id, count=fmt_number(removed))
    )
    return ExitCode.OK


def run_demo(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Load the demo dataset (optionally only into an empty database)."""
    if args.if_empty and sales_count(conn):
        say(_("The database already holds sales; demo data not loaded."))
        return ExitCode.OK
    # Imported here: the demo's generators and dossier writers cost every other command 0.4 s.
    from kam_core.demo import load_demo

    counts = load_demo(conn)
    say(
        _("Demo data loaded: {rows} rows, {clients} clients (import {upload}).").format(
            rows=fmt_number(counts.rows_imported),
            clients=fmt_number(counts.clients),
            upload=counts.upload_id,
        )
    )
    return ExitCode.OK
