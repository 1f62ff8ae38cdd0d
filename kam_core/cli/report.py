"""The `report` subcommand: print any analytics report as CSV, JSON or a text table."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz, abc_xyz_matrix
from kam_core.analytics.churn import churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.concentration import concentration
from kam_core.analytics.health import health_table
from kam_core.analytics.losses import DIMENSIONS, losses
from kam_core.analytics.migration import migration, transition_table
from kam_core.analytics.p_alive import model_fit, p_alive_table
from kam_core.analytics.params import (
    MEASURES,
    PERIODS,
    XYZ_METHODS,
    AnalysisParams,
    load_thresholds,
)
from kam_core.analytics.portfolio import portfolio
from kam_core.analytics.source import latest_date
from kam_core.analytics.win_back import win_back_list
from kam_core.cli.errors import CommandRefused, ExitCode, name_argument, printable, write_out
from kam_core.export import safe_frame
from kam_core.i18n import N_, _, ngettext

REPORTS: tuple[str, ...] = (
    "abc-xyz",
    "matrix",
    "concentration",
    "types",
    "churn",
    "losses",
    "win-back",
    "migration",
    "portfolio",
    "p-alive",
    "model",
    "health",
)
LOSS_VIEWS: tuple[str, ...] = ("month", "clients", *DIMENSIONS)


# Sales data from before 1900 or a window of more than 50 years is a typo, not a question.
EARLIEST_AS_OF = date(1900, 1, 1)
# Imports take dates up to the end of 2100; a window reaching past 9999 cannot be counted.
LATEST_AS_OF = date(2100, 12, 31)
MAX_MONTHS = 600


def _iso_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("not a date (YYYY-MM-DD): {value}").format(value=text)
        ) from exc
    if day < EARLIEST_AS_OF:
        raise argparse.ArgumentTypeError(
            _("{value} is before {earliest}").format(
                value=text, earliest=EARLIEST_AS_OF.isoformat()
            )
        )
    if day > LATEST_AS_OF:
        raise argparse.ArgumentTypeError(
            _("{value} is after {latest}").format(value=text, latest=LATEST_AS_OF.isoformat())
        )
    return day


def _months(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("not a whole number: {value}").format(value=text)
        ) from exc
    if not 1 <= value <= MAX_MONTHS:
        raise argparse.ArgumentTypeError(
            _("must be between 1 and {largest}").format(largest=MAX_MONTHS)
        )
    return value


def register(subparsers: Any) -> None:
    """Add the `report` subcommand and its options."""
    # Help texts are translated when printed (kam_core/cli/main.py), metavars here.
    p = subparsers.add_parser("report", help=N_("print an analytics report"))
    p.add_argument("name", choices=REPORTS, help=N_("which report"))
    p.add_argument(
        "--as-of",
        type=_iso_date,
        metavar=_("AS_OF"),
        help=N_("as-of date (default: latest in the data)"),
    )
    p.add_argument(
        "--months", type=_months, metavar=_("MONTHS"), help=N_("window length in months")
    )
    p.add_argument(
        "--measure",
        choices=MEASURES,
        help=N_("what the clients are ranked by (default: revenue)"),
    )
    p.add_argument(
        "--xyz-method",
        choices=XYZ_METHODS,
        help=N_("how XYZ measures stability (default: frequency)"),
    )
    p.add_argument(
        "--xyz-preset",
        choices=("settings", "classic", "sales", "relative"),
        help=N_("XYZ stability cut-offs"),
    )
    p.add_argument(
        "--period",
        choices=PERIODS,
        help=N_("period of the XYZ variation (default: month)"),
    )
    p.add_argument(
        "--migration-months",
        type=_months,
        metavar=_("MIGRATION_MONTHS"),
        help=N_("ABC-XYZ migration: months between the two matrices (default: 3)"),
    )
    filters = (
        ("manager", _("MANAGER"), N_("only rows with this manager")),
        ("region", _("REGION"), N_("only rows with this region")),
        ("segment", _("SEGMENT"), N_("only rows with this segment")),
        ("category", _("CATEGORY"), N_("only rows with this category")),
    )
    for name, metavar, text in filters:
        p.add_argument(f"--{name}", type=name_argument, metavar=metavar, help=text)
    p.add_argument("--by", choices=LOSS_VIEWS, help=N_("losses: view to print"))
    p.add_argument(
        "--horizon-months",
        type=_months,
        metavar=_("HORIZON_MONTHS"),
        help=N_("p-alive: months ahead for expected purchases and value"),
    )
    p.add_argument(
        "--format",
        choices=("csv", "json", "table"),
        help=N_("output: CSV, JSON records or an aligned text table (default: csv)"),
    )
    p.set_defaults(func=run)


# Options left out take these values; given to a report that does not use them, they are
# refused (they were accepted and ignored: `report p-alive --manager Dana` printed everyone).
DEFAULTS: dict[str, object] = {
    "measure": "revenue",
    "xyz_method": "frequency",
    "xyz_preset": "settings",
    "period": "month",
    "migration_months": 3,
    "by": "month",
    "horizon_months": 12,
    "format": "csv",
}
_ABC = ("months", "measure", "manager", "region", "segment", "category")
_XYZ = ("xyz_method", "xyz_preset", "period")
# The options each report does not use ('model' prints JSON whatever the format).
UNUSED: dict[str, tuple[str, ...]] = {
    # The share of the measure and the ABC class alone: no XYZ class is printed or counted.
    "concentration": _XYZ,
    "types": _XYZ,
    "churn": ("months", "measure", *_XYZ),
    "losses": _XYZ,
    "win-back": _XYZ,
    "p-alive": (*_ABC, *_XYZ),
    "model": (*_ABC, *_XYZ),
    # A client's health is its own: the report rates every client whatever the filters.
    "health": ("manager", "region", "segment", "category"),
}
# Options of one report alone.
ONLY: dict[str, tuple[str, ...]] = {
    "migration_months": ("migration",),
    "by": ("losses",),
    "horizon_months": ("p-alive",),
}


def refuse_unused_options(args: argparse.Namespace) -> None:
    """Refuse an option the chosen report does not use, then fill in the defaults."""
    unused = [
        dest
        for dest in vars(args)
        if getattr(args, dest) is not None
        and (dest in UNUSED.get(args.name, ()) or args.name not in ONLY.get(dest, (args.name,)))
    ]
    if args.name == "model" and args.format not in (None, "json"):
        unused.append("format")
    if unused:
        options = ", ".join("--" + dest.replace("_", "-") for dest in unused)
        raise CommandRefused(
            ngettext(
                "report {report} does not use {options}; leave it out.",
                "report {report} does not use {options}; leave them out.",
                len(unused),
            ).format(report=args.name, options=options)
        )
    if args.xyz_preset is not None and args.xyz_method in (None, "frequency"):
        # The presets are cut-offs of the stability method: with frequency, the default, they
        # change nothing (`report abc-xyz --xyz-preset classic` printed the frequency classes).
        raise CommandRefused(
            _(
                "--xyz-preset applies only with --xyz-method stability; add it or leave "
                "--xyz-preset out."
            )
        )
    for dest, value in DEFAULTS.items():
        if getattr(args, dest, None) is None:
            setattr(args, dest, value)


def params_from_args(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> AnalysisParams:
    """The parameters object for the parsed options, with the stored thresholds."""
    thresholds = load_thresholds(conn)
    # The latest date of all the data, as the dashboard uses: a filter never moves the as-of.
    as_of = args.as_of or latest_date(conn, AnalysisParams())
    return AnalysisParams(
        as_of=as_of,
        months=args.months or thresholds.months,
        measure=args.measure,
        xyz_method=args.xyz_method,
        period=args.period,
        xyz_preset=args.xyz_preset,
        migration_months=args.migration_months,
        thresholds=thresholds,
        manager=args.manager,
        region=args.region,
        segment=args.segment,
        category=args.category,
    )


def _abc_xyz(conn: duckdb.DuckDBPyConnection, p: AnalysisParams, _: Any) -> tuple:
    result = abc_xyz(conn, p)
    notes = list(result.notices)
    if result.clients_outside_window:
        count = result.clients_outside_window
        notes.append(
            ngettext(
                "{count} client without sales in the window",
                "{count} clients without sales in the window",
                count,
            ).format(count=count)
        )
    return result.clients, notes


def _losses(conn: duckdb.DuckDBPyConnection, p: AnalysisParams, args: Any) -> tuple:
    result = losses(conn, p)
    if args.by == "month":
        frame = result.by_month
    elif args.by == "clients":
        frame = result.clients
    else:
        frame = result.breakdowns.get(args.by, pd.DataFrame())
    return frame, [_("trend: {trend}").format(trend=result.trend)]


def _p_alive(conn: duckdb.DuckDBPyConnection, p: AnalysisParams, args: Any) -> tuple:
    table = p_alive_table(conn, p.as_of, args.horizon_months, p.thresholds)
    return table, list(model_fit(conn, p.as_of).warnings)


_BUILDERS: dict[str, Callable[..., tuple]] = {
    "abc-xyz": _abc_xyz,
    "matrix": lambda c, p, a: (abc_xyz_matrix(c, p), []),
    "concentration": lambda c, p, a: (concentration(c, p).summary, []),
    "types": lambda c, p, a: (client_types(c, p), []),
    "churn": lambda c, p, a: (churn(c, p), []),
    "losses": _losses,
    "win-back": lambda c, p, a: (win_back_list(c, p), []),
    "migration": lambda c, p, a: (transition_table(migration(c, p)), []),
    "portfolio": lambda c, p, a: (portfolio(c, p), []),
    "p-alive": _p_alive,
    "health": lambda c, p, a: (health_table(c, p), []),
}


def _printable(frame: pd.DataFrame) -> pd.DataFrame:
    # Dates print as YYYY-MM-DD, not as midnight timestamps.
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


def render(frame: pd.DataFrame, fmt: str) -> str:
    """The frame as CSV, JSON records or an aligned text table."""
    out = _printable(frame)
    if fmt == "json":
        records = json.loads(out.to_json(orient="records", force_ascii=False))
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if fmt == "table":
        return (out.to_string(index=False) if len(out) else _("(no rows)")) + "\n"
    # Text a spreadsheet would run as a formula is neutralised, as in every export.
    return safe_frame(out).to_csv(index=False, lineterminator="\n")


def run(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Print the report named by args.name; return the exit code."""
    refuse_unused_options(args)
    try:
        params = params_from_args(args, conn)
    except ValueError as exc:
        raise CommandRefused(str(exc)) from exc
    if args.name == "model":
        # One object, not a table: the two fits with their quality (JSON whatever --format).
        fit = model_fit(conn, params.as_of)
        for note in fit.warnings:
            complain_note(note)
        write_out(printable(json.dumps(fit.as_dict(), ensure_ascii=False, indent=1)) + "\n")
        return ExitCode.OK
    frame, notes = _BUILDERS[args.name](conn, params, args)
    for note in notes:
        complain_note(note)
    write_out(printable(render(frame, args.format)))
    return ExitCode.OK


def complain_note(note: str) -> None:
    """Print a note about the report on standard error."""
    sys.stderr.write(printable(_("note: {message}").format(message=note)) + "\n")
