"""The one-line result of an import speaks of one row and one client in the singular, in English
and in Hebrew (whose two and many differ from one)."""

from __future__ import annotations

import pytest

from kam_core.i18n import strip_isolates, use_language
from kam_core.import_report import result_text
from kam_core.store.sales import ImportCounts


def _counts(new: int, stored: int, rejected: int, skipped: int, clients: int) -> ImportCounts:
    return ImportCounts(
        upload_id=7,
        rows_read=new + stored + rejected + skipped,
        rows_imported=new,
        rows_duplicate=stored,
        rows_rejected=rejected,
        rows_skipped=skipped,
        clients=clients,
        revenue=10.0,
        sheet="Sheet1",
        mapping={},
    )


@pytest.mark.parametrize(
    ("lang", "counts", "expected"),
    [
        (
            "en",
            _counts(1, 1, 1, 1, 1),
            "Import #7: 1 new row, 1 already stored, 1 rejected, 1 skipped; 1 client, revenue $10.",
        ),
        (
            "en",
            _counts(2, 0, 3, 1200, 2),
            "Import #7: 2 new rows, 0 already stored, 3 rejected, 1,200 skipped; 2 clients, "
            "revenue $10.",
        ),
        (
            "he",
            _counts(1, 2, 1, 0, 1),
            "ייבוא מס' 7: 1 שורה חדשה, 2 כבר שמורות, 1 נדחתה, 0 דולגו; 1 לקוח, הכנסות $10.",
        ),
        (
            "he",
            _counts(5, 0, 2, 1, 3),
            "ייבוא מס' 7: 5 שורות חדשות, 0 כבר שמורות, 2 נדחו, 1 דולגה; 3 לקוחות, הכנסות $10.",
        ),
    ],
)
def test_counts_agree_with_their_numbers(lang, counts, expected):
    with use_language(lang):
        assert strip_isolates(result_text(counts, "$10")) == expected
