"""Users commands: python -m kam_core users add|list|remove; each change is audited."""

from __future__ import annotations

import argparse
import json
from typing import Any

import duckdb

from kam_core.cli.errors import CommandRefused, ExitCode, json_line, name_argument, say
from kam_core.i18n import N_, _
from kam_core.services import users as service
from kam_core.services.audit import os_user
from kam_core.services.scope import ROLES


def register(sub: Any) -> None:
    """Add the users command with its add, list and remove actions."""
    # Help texts are translated when printed (kam_core/cli/main.py), metavars here.
    cmd = sub.add_parser("users", help=N_("who may sign in to the team dashboard"))
    actions = cmd.add_subparsers(dest="users_action", required=True)
    add = actions.add_parser("add", help=N_("add a user, or change an existing one"))
    add.add_argument("email", help=N_("the address they sign in with"))
    add.add_argument("--role", required=True, choices=ROLES, help=N_("what they may see and do"))
    add.add_argument(
        "--manager",
        type=name_argument,
        metavar=_("MANAGER"),
        help=N_("manager name their clients carry (role manager)"),
    )
    add.add_argument("--name", type=name_argument, metavar=_("NAME"), help=N_("display name"))
    add.set_defaults(func=run_add)
    lst = actions.add_parser("list", help=N_("list the users"))
    lst.add_argument("--json", action="store_true", help=N_("print one JSON array"))
    lst.set_defaults(func=run_list)
    rem = actions.add_parser("remove", help=N_("switch a user off (kept in the audit trail)"))
    rem.add_argument("email", help=N_("the address they sign in with"))
    rem.set_defaults(func=run_remove)


def run_add(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Add or change one user."""
    try:
        user = service.add_user(conn, args.email, args.role, args.manager, args.name, os_user())
    except service.UserRefused as exc:
        raise CommandRefused(_("{problem} Nothing was changed.").format(problem=exc)) from exc
    if user.manager_name:
        say(
            _("{email}: {role}, manager name {manager}.").format(
                email=user.email, role=user.role, manager=user.manager_name
            )
        )
    else:
        say(_("{email}: {role}.").format(email=user.email, role=user.role))
    return ExitCode.OK


def run_list(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Print the users as a table or JSON."""
    frame = service.list_users(conn)
    if args.json:
        json_line(json.loads(frame.to_json(orient="records", date_format="iso")))
    elif frame.empty:
        say(_("No users yet: add one with 'users add EMAIL --role admin'."))
    else:
        shown = frame[["email", "display_name", "role", "manager_name", "active"]]
        say(shown.fillna("").to_string(index=False))
    return ExitCode.OK


def run_remove(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Switch one user off."""
    try:
        user = service.remove_user(conn, args.email, os_user())
    except service.UserRefused as exc:
        raise CommandRefused(_("{problem} Nothing was changed.").format(problem=exc)) from exc
    say(_("{email} removed: they can no longer sign in.").format(email=user.email))
    return ExitCode.OK
