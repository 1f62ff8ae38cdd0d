"""An .ods number cell storing a value no double holds is read as the text it shows, or as the
value it stores when it shows none, however XML lets its attribute be written."""

from __future__ import annotations

import pytest

from kam_core.importing import parse, preview
from tests.hostile.round28_workbooks_cases import ods_amounts_past_a_double


@pytest.fixture(scope="module")
def rejected() -> list[dict]:
    parsed = parse(preview(None, ods_amounts_past_a_double(), "amounts.ods"))
    return parsed.rejected[["row", "reason", "value"]].to_dict("records")


def test_each_amount_past_a_double_is_shown_as_the_file_holds_it(rejected):
    assert [(r["row"], r["value"]) for r in rejected] == [(2, "1e999"), (3, "-1e999"), (4, "1e999")]
    assert all("out of range" in r["reason"] for r in rejected)
    assert not any("inf" in str(r["value"]) for r in rejected)
