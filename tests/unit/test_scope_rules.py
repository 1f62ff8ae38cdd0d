"""Scope rules without data: roles, what each may do, and the manager filter forced."""

from __future__ import annotations

import dataclasses

import pytest

from kam_core.analytics.params import AnalysisParams
from kam_core.services.scope import Scope, ScopeRefused, same_manager

MANAGER = Scope("manager", "dana@example.com", "Dana Levi")
EXECUTIVE = Scope("executive", "cfo@example.com")
ADMIN = Scope("admin", "boss@example.com")


def test_local_scope_is_an_admin_that_sees_everything():
    local = Scope.local()
    assert local.is_local and local.sees_everything
    assert local.can_import() and local.can_edit_settings() and local.can_manage_users()
    assert local.restrict(AnalysisParams(manager="Ori")).manager == "Ori"


def test_scope_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        MANAGER.role = "admin"  # type: ignore[misc]


def test_only_admins_change_settings_manage_users_and_undo():
    assert ADMIN.can_edit_settings() and ADMIN.can_manage_users() and ADMIN.can_undo()
    for scope in (EXECUTIVE, MANAGER):
        assert not scope.can_edit_settings()
        assert not scope.can_manage_users()
        assert not scope.can_undo()


def test_an_executive_never_imports_and_a_manager_not_without_the_admins_setting():
    assert not EXECUTIVE.can_import()
    assert not MANAGER.can_import()  # no database to read the setting from: refused


def test_restrict_forces_the_managers_own_name_and_keeps_other_filters():
    params = MANAGER.restrict(AnalysisParams(region="North", months=6))
    assert (params.manager, params.region, params.months) == ("Dana Levi", "North", 6)


def test_restrict_accepts_the_own_name_in_any_case():
    assert MANAGER.restrict(AnalysisParams(manager="  dana levi ")).manager == "Dana Levi"


def test_restrict_refuses_another_managers_name_and_says_why():
    with pytest.raises(ScopeRefused) as err:
        MANAGER.restrict(AnalysisParams(manager="Ori Tal"))
    assert "Ori Tal" in str(err.value) and "Dana Levi" in str(err.value)
    assert isinstance(err.value, PermissionError)


def test_restrict_leaves_admins_and_executives_params_alone():
    params = AnalysisParams(manager="Ori Tal")
    assert ADMIN.restrict(params) is params
    assert EXECUTIVE.restrict(params) is params


def test_a_manager_without_a_manager_name_is_refused():
    with pytest.raises(ScopeRefused, match="no manager name"):
        Scope("manager", "x@example.com", " ")


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError):
        Scope("owner", "x@example.com")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Dana Levi", "dana levi", True),
        (" Dana Levi ", "DANA LEVI", True),
        ("Dana Levi", "Dana Lev", False),
        ("", "", False),
        (None, "Dana", False),
    ],
)
def test_manager_names_match_ignoring_case_and_outer_spaces(a, b, same):
    assert same_manager(a, b) is same
