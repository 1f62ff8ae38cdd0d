"""The `report` subcommand prints every report in CSV, JSON and table form."""

import argparse
import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from kam_core.cli import report as cli_report
from kam_core.store import connect
from tests import reference as ref


@pytest.fixture(scope="module")
def conn():
    c = connect(":memory:")
    ref.insert_sales(c, ref.generate(1500, 50, seed=9))
    yield c
    c.close()


def report(conn, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    cli_report.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["report", *argv])
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_report.run(args, conn)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", cli_report.REPORTS)
@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_every_report_prints_in_every_format(conn, name, fmt):
    if name == "model" and fmt != "json":  # one object: a table's format is refused
        with pytest.raises(cli_report.CommandRefused, match="does not use --format"):
            report(conn, name, "--format", fmt)
        return
    code, out, _ = report(conn, name, "--format", fmt)
    assert code == 0 and out.strip()
    if name == "model":
        assert isinstance(json.loads(out), dict)
    elif fmt == "json":
        assert isinstance(json.loads(out), list)


def test_abc_xyz_csv_has_the_promised_columns(conn):
    _, out, _ = report(conn, "abc-xyz", "--as-of", "2017-06-30", "--months", "6")
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns[:9]) == [
        "client_id",
        "client_name",
        "value",
        "share",
        "cumulative_share",
        "abc",
        "xyz_metric",
        "xyz",
        "cell",
    ]


def test_churn_csv_has_the_promised_columns_and_iso_dates(conn):
    _, out, _ = report(conn, "churn")
    frame = pd.read_csv(io.StringIO(out))
    assert {
        "client_id",
        "client_name",
        "first_purchase",
        "last_purchase",
        "days_since_last",
        "median_gap_days",
        "status",
    } <= set(frame.columns)
    assert frame["last_purchase"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()


def test_options_reach_the_report(conn):
    _, out, _err = report(
        conn,
        "abc-xyz",
        "--measure",
        "profit",
        "--xyz-method",
        "frequency",
        "--period",
        "quarter",
        "--manager",
        "Ann",
        "--format",
        "json",
    )
    rows = json.loads(out)
    assert rows and all(0 <= r["xyz_metric"] <= 1 for r in rows)


def test_losses_can_be_broken_down_by_region(conn):
    _, out, err = report(conn, "losses", "--by", "region")
    assert out.startswith("region,clients_lost,revenue_lost")
    assert "trend" in err


def test_a_bad_date_is_refused_by_the_parser(conn):
    with pytest.raises(SystemExit), redirect_stderr(io.StringIO()):
        report(conn, "churn", "--as-of", "30/12/2017")


def test_model_report_prints_both_fits_with_the_issue_s_keys(conn):
    code, out, _ = report(conn, "model", "--format", "json")
    fit = json.loads(out)
    assert code == 0
    assert {"r", "alpha", "a", "b", "log_likelihood", "clients"} <= set(fit["bgnbd"])
    assert {
        "p",
        "q",
        "gamma",
        "log_likelihood",
        "repeat_buyers",
        "frequency_value_correlation",
    } <= set(fit["gamma_gamma"])


def test_p_alive_and_health_reports_print_one_row_per_client_with_their_columns(conn):
    _, out, _ = report(conn, "p-alive", "--format", "csv", "--horizon-months", "6")
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns[:10]) == [
        "client_id",
        "client_name",
        "repeat_purchases",
        "recency_weeks",
        "age_weeks",
        "p_alive",
        "expected_purchases",
        "expected_purchase_value",
        "expected_value",
        "status",
    ]
    assert table["client_id"].is_unique and table["p_alive"].dropna().between(0, 1).all()
    _, out, _ = report(conn, "health", "--format", "csv")
    health = pd.read_csv(io.StringIO(out))
    assert {"client_id", "health", "parts_used"} <= set(health.columns)
    assert health["health"].dropna().between(0, 100).all()
