"""Dossier amounts: an amount that rounds to zero reads '₪0', never '-₪0'."""

from kam_core.dossier.amounts import amount_text
from kam_core.dossier.brief_html import money
from kam_core.i18n import use_language


def test_a_small_refund_that_rounds_to_zero_has_no_minus_sign():
    with use_language("en"):
        assert amount_text(-0.3) == "₪0"
        assert amount_text(-0.004, "₪", 2) == "₪0.00"
        assert money(-0.49, "₪") == "₪0"


def test_a_refund_that_shows_as_a_unit_keeps_its_sign():
    with use_language("en"):
        assert amount_text(-0.5) == "-₪1"  # half up, as the amounts are shown everywhere
        assert amount_text(-1.2) == "-₪1"
        assert amount_text(-0.005, "₪", 2) == "-₪0.01"


def test_in_hebrew_zero_has_no_minus_sign_either():
    with use_language("he"):
        text = amount_text(-0.2)
        assert "-" not in text and "0" in text and "₪" in text


def test_missing_and_no_currency():
    assert amount_text(None) == "—"
    assert amount_text(float("nan")) == "—"
    with use_language("en"):
        assert amount_text(-0.4, "") == "0"
