"""Every refused file of the hostile corpus is refused on the Upload page with its reason."""

from __future__ import annotations

import pytest

from tests.hostile.make_corpus import cases
from tests.support.apptest import app_at

# The small ones: the page's handling is what is tested here, the reading is the corpus test's.
REFUSED = [c for c in cases() if c.refused]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, bytes]:
    """The refused cases' files, built once."""
    folder = tmp_path_factory.mktemp("refused")
    return {c.name: c.build(folder / c.name) for c in REFUSED}


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
