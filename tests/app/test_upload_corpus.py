"""Every refused file of the hostile corpus is refused on the Upload page with its reason; the
order of day and month is asked of the files whose dates leave it open, and only of them."""

from __future__ import annotations

import pytest

from tests.hostile.make_corpus import cases
from tests.support.apptest import app_at
from tests.support.corpus import shared_corpus

# The small ones: the page's handling is what is tested here, the reading is the corpus test's.
REFUSED = [c for c in cases() if c.refused]
ASKED = [c for c in cases() if c.order_asked is not None]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, bytes]:
    """The refused cases' files, from the corpus written once for the run."""
    return {c.name: path.read_bytes() for c, path in shared_corpus(tmp_path_factory) if c.refused}


@pytest.mark.slow
@pytest.mark.parametrize("name", [c.name for c in REFUSED])
def test_a_refused_file_is_a_refusal_box_on_the_upload_page(name, files, fresh_db):
    data = files[name]
    if len(data) > 8 * 1024 * 1024:
        pytest.skip("a large file: its refusal is the corpus test's")
    case = next(c for c in REFUSED if c.name == name)
    at = app_at("upload")
    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    at.run(timeout=120)
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in [*at.error, *at.warning]).replace("\\", "")
    # Refused on reading, or, when the refusal is the rows' or the mapping's, the page stops
    # at that step and says so (Import stays greyed out).
    said = (
        case.refused.replace("\\", ""),
        "nothing was changed",
        "no rows under the header",
        "no row can be imported",
    )
    assert any(s in shown for s in [*said, "not mapped yet"]), shown
    assert not [b for b in at.button if b.label == "Import" and not b.disabled]


@pytest.mark.parametrize("case", ASKED, ids=[c.name for c in ASKED])
def test_the_order_of_day_and_month_is_asked_only_where_the_dates_leave_it_open(
    case, tmp_path, fresh_db
):
    at = app_at("upload")
    at.file_uploader[0].set_value((case.name, case.build(tmp_path / case.name), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    asked = [r for r in at.radio if r.label == "Dates such as 03/04/2024 are"]
    assert bool(asked) == case.order_asked
    assert [b for b in at.button if b.label == "Import" and not b.disabled]
