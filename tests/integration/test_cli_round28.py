"""The XYZ options of `report` are refused where they change nothing: a preset with the
frequency method (presets are cut-offs of the stability method), and any XYZ option of a report
that prints no XYZ class (concentration, types); before, they were accepted and ignored."""

from __future__ import annotations

import pandas as pd
import pytest

from kam_core.store import connect
from tests.integration.commands import kam_here


@pytest.mark.parametrize(
    "args",
    [
        ("abc-xyz", "--xyz-preset", "classic"),
        ("matrix", "--xyz-preset", "relative"),
        ("migration", "--xyz-method", "frequency", "--xyz-preset", "sales"),
        ("health", "--xyz-preset", "settings"),
    ],
)
def test_a_preset_without_the_stability_method_is_refused(sales_db, capsys, args):
    code, out, err = kam_here(capsys, sales_db, "report", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "--xyz-preset applies only with --xyz-method stability" in err


@pytest.mark.parametrize("name", ["concentration", "types"])
@pytest.mark.parametrize(
    ("option", "value"),
    [("--xyz-preset", "classic"), ("--xyz-method", "stability"), ("--period", "quarter")],
)
def test_a_report_without_xyz_classes_refuses_the_xyz_options(
    sales_db, capsys, name, option, value
):
    code, out, err = kam_here(capsys, sales_db, "report", name, option, value)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"report {name} does not use {option}" in err


@pytest.mark.parametrize("name", ["concentration", "types"])
def test_those_reports_print_the_same_whatever_the_xyz_parameters(sales_db, name):
    from dataclasses import replace

    from kam_core.analytics.params import AnalysisParams
    from kam_core.cli.report import _BUILDERS, latest_date

    conn = connect(sales_db)
    try:
        base = AnalysisParams(as_of=latest_date(conn, AnalysisParams()))
        frames = [
            _BUILDERS[name](conn, replace(base, **change), None)[0]
            for change in (
                {},
                {"xyz_method": "stability", "xyz_preset": "classic", "period": "quarter"},
                {"xyz_method": "stability", "xyz_preset": "relative"},
            )
        ]
    finally:
        conn.close()
    for frame in frames[1:]:
        # Sums taken in another order by the database may differ in their last digits.
        pd.testing.assert_frame_equal(frame, frames[0], check_exact=False, rtol=1e-9)


def test_a_preset_with_the_stability_method_still_prints_the_report(sales_db, capsys):
    for name in ("abc-xyz", "matrix", "migration", "portfolio", "health"):
        code, out, err = kam_here(
            capsys, sales_db, "report", name, "--xyz-method", "stability", "--xyz-preset", "classic"
        )
        assert code == 0 and out.strip(), (name, err)
