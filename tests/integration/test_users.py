"""Users and the audit log: the service, the first admins, and the users command."""

from __future__ import annotations

import json

import pytest

from kam_core.cli.main import main
from kam_core.services import audit
from kam_core.services import users as service
from kam_core.store import connect


def test_a_user_is_stored_with_a_normalised_email_and_found_by_it(conn):
    service.add_user(conn, " Dana@Example.COM ", "manager", "Dana Levi", "Dana", by="boss@x.io")
    user = service.find_user(conn, "dana@example.com")
    assert user is not None
    assert (user.email, user.role, user.manager_name, user.name) == (
        "dana@example.com",
        "manager",
        "Dana Levi",
        "Dana",
    )
    assert user.scope().manager_name == "Dana Levi"
    assert service.find_user(conn, "DANA@example.com") == user


def test_an_unknown_an_invalid_or_a_removed_email_finds_nobody(conn):
    service.add_user(conn, "a@x.io", "admin")
    service.add_user(conn, "e@x.io", "executive")
    assert service.find_user(conn, "nobody@x.io") is None
    assert service.find_user(conn, "not an email") is None
    assert service.find_user(conn, None) is None
    service.remove_user(conn, "e@x.io", by="a@x.io")
    assert service.find_user(conn, "e@x.io") is None
    # Removed, not deleted: the row stays for the audit trail.
    assert service.list_users(conn).set_index("email").loc["e@x.io", "active"] == False  # noqa: E712


def test_a_manager_needs_a_manager_name(conn):
    with pytest.raises(service.UserRefused, match="manager name"):
        service.add_user(conn, "m@x.io", "manager")
    assert service.list_users(conn).empty


def test_an_unknown_role_is_refused(conn):
    with pytest.raises(service.UserRefused, match="role"):
        service.add_user(conn, "m@x.io", "owner")


def test_the_last_active_admin_can_be_neither_removed_nor_demoted(conn):
    service.add_user(conn, "a@x.io", "admin")
    with pytest.raises(service.UserRefused, match="last active admin"):
        service.remove_user(conn, "a@x.io")
    with pytest.raises(service.UserRefused, match="last active admin"):
        service.add_user(conn, "a@x.io", "executive")
    service.add_user(conn, "b@x.io", "admin")
    service.remove_user(conn, "a@x.io")
    assert service.find_user(conn, "a@x.io") is None


def test_first_admins_come_from_the_environment_once(conn, monkeypatch):
    monkeypatch.setenv("KAM_ADMIN_EMAILS", "Root@x.io, ops@x.io,, junk")
    assert service.ensure_admins(conn) == ["root@x.io", "ops@x.io"]
    assert service.find_user(conn, "ops@x.io").role == "admin"
    assert service.ensure_admins(conn) == []
    # An admin who removed an address from the environment's list on purpose is obeyed.
    service.remove_user(conn, "ops@x.io", by="root@x.io")
    assert service.ensure_admins(conn) == []
    assert service.find_user(conn, "ops@x.io") is None


def test_every_user_change_is_in_the_audit_log(conn):
    service.add_user(conn, "a@x.io", "admin", by="KAM_ADMIN_EMAILS")
    service.add_user(conn, "m@x.io", "manager", "Ori", by="a@x.io")
    service.add_user(conn, "m@x.io", "manager", "Ori Tal", by="a@x.io")
    service.remove_user(conn, "m@x.io", by="a@x.io")
    log = audit.read(conn)
    assert log["action"].tolist() == ["user.remove", "user.change", "user.add", "user.add"]
    assert log["target"].tolist() == ["m@x.io", "m@x.io", "m@x.io", "a@x.io"]
    assert log["detail"].iloc[1]["before"]["manager_name"] == "Ori"
    assert audit.read(conn, user="A@x.io", action="user.add")["target"].tolist() == ["m@x.io"]


def test_the_audit_log_downloads_as_a_flat_table(conn):
    audit.record(conn, "a@x.io", "export", "churn", {"rows": 3, "name": "=cmd"})
    frame = audit.as_frame(conn)
    assert list(frame.columns) == ["audit_id", "at", "user", "action", "target", "detail"]
    assert json.loads(frame["detail"].iloc[0]) == {"name": "=cmd", "rows": 3}


def test_the_users_command_adds_lists_and_removes_with_the_os_user_as_actor(
    db_file, capsys, monkeypatch
):
    monkeypatch.setenv("USER", "ops")
    db = str(db_file)
    assert main(["--db", db, "users", "add", "A@x.io", "--role", "admin", "--name", "Ann"]) == 0
    assert main(["--db", db, "users", "add", "m@x.io", "--role", "manager"]) == 2
    assert "manager name" in capsys.readouterr().err
    assert main(["--db", db, "users", "add", "m@x.io", "--role", "manager", "--manager", "O"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "users", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["email"], u["role"], u["manager_name"]) for u in listed] == [
        ("a@x.io", "admin", None),
        ("m@x.io", "manager", "O"),
    ]
    assert main(["--db", db, "users", "remove", "m@x.io"]) == 0
    assert main(["--db", db, "users", "remove", "a@x.io"]) == 2
    conn = connect(db_file)
    try:
        log = audit.read(conn)
    finally:
        conn.close()
    assert set(log["user_email"]) == {"os:ops"}
    assert log["action"].tolist() == ["user.remove", "user.add", "user.add"]
