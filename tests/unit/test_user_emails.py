"""Email addresses of the people who may sign in: no control characters or direction marks."""

from __future__ import annotations

import pytest

from kam_core.services.users import UserRefused, normalise_email


@pytest.mark.parametrize("email", ["a\x1b[31m@b.c", "\u202eevil@x.com", "dana@ex\u200bample.com"])
def test_an_address_holding_a_control_character_or_a_direction_mark_is_refused(email):
    with pytest.raises(UserRefused):
        normalise_email(email)


def test_an_ordinary_address_is_kept_in_lower_case():
    assert normalise_email(" Dana.Levi@Example.co.il ") == "dana.levi@example.co.il"
    assert normalise_email("josé@exämple.com") == "josé@exämple.com"
