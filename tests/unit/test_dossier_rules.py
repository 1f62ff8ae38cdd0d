"""The dossier's rules on their own: validation, the three P's, completeness, warnings."""

from datetime import date

import pandas as pd
import pytest

from kam_core.dossier.completeness import SECTIONS, sections_filled
from kam_core.dossier.model import ENTITY_FIELDS, PROFILE, DossierError, clean
from kam_core.dossier.qualification import DISQUALIFIED, OPEN, QUALIFIED, qualification
from kam_core.dossier.warnings import decision_map_warnings, overdue

CONTACT = ENTITY_FIELDS["contact"]


def people(*rows: tuple) -> pd.DataFrame:
    """Contacts as (id, name, role, attitude, influence, reports_to)."""
    cols = ["contact_id", "name", "role", "attitude", "influence", "reports_to"]
    return pd.DataFrame(list(rows), columns=cols)


def test_a_contact_without_a_name_is_refused():
    with pytest.raises(DossierError, match="Name is required"):
        clean(CONTACT, {"name": "  ", "role": "user"})


def test_influence_outside_one_to_five_is_refused():
    with pytest.raises(DossierError, match="between 1 and 5"):
        clean(CONTACT, {"name": "Ann", "influence": 6})


def test_an_unknown_role_is_refused_with_the_allowed_ones():
    with pytest.raises(DossierError, match="decision_maker"):
        clean(CONTACT, {"name": "Ann", "role": "boss"})


def test_a_new_contact_gets_neutral_attitude_and_middle_influence_by_default():
    values = clean(CONTACT, {"name": " Ann "})
    assert values["name"] == "Ann"
    assert values["attitude"] == "neutral"
    assert values["influence"] == 3


def test_a_competitor_share_above_100_percent_is_refused():
    with pytest.raises(DossierError, match="between 0% and 100%"):
        clean(ENTITY_FIELDS["competitor"], {"name": "X", "share": 1.2})


def test_types_chosen_by_a_manager_are_stored_in_a_fixed_order():
    values = clean(PROFILE, {"type_override": ["expert", "Breadwinner"]}, partial=True)
    assert values == {"type_override": "breadwinner,expert"}


def test_ordinary_together_with_a_key_type_is_refused():
    with pytest.raises(DossierError, match="ordinary"):
        clean(PROFILE, {"type_override": ["none", "expert"]}, partial=True)


def test_a_partial_profile_change_touches_only_the_fields_given():
    assert clean(PROFILE, {"industry": "Foods"}, partial=True) == {"industry": "Foods"}


@pytest.mark.parametrize(
    ("answers", "verdict", "qualified"),
    [
        (("yes", "yes", "yes"), QUALIFIED, True),
        (("yes", "no", "yes"), DISQUALIFIED, False),
        (("yes", "unknown", "yes"), OPEN, False),
        ((None, None, None), OPEN, False),
    ],
)
def test_a_qualified_prospect_has_all_three_ps(answers, verdict, qualified):
    q = qualification(dict(zip(("need", "solvency", "authority"), answers, strict=True)))
    assert q.verdict == verdict
    assert q.qualified is qualified


def counts(**overrides: object) -> pd.DataFrame:
    """One client's section counts, everything empty unless given."""
    row = {
        "client_id": "C1",
        "general_fields": 0,
        "need": "unknown",
        "solvency": "unknown",
        "authority": "unknown",
        "contacts": 0,
        "decision_makers": 0,
        "tenders": 0,
        "competitors": 0,
        "open_plans": 0,
        "notes": 0,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_an_empty_dossier_has_no_section_filled():
    filled = sections_filled(counts()).iloc[0]
    assert not any(filled[k] for k in SECTIONS)


def test_general_information_needs_four_profile_fields():
    assert not sections_filled(counts(general_fields=3)).iloc[0]["general"]
    assert sections_filled(counts(general_fields=4)).iloc[0]["general"]


def test_contacts_without_a_decision_maker_do_not_fill_the_decision_map():
    assert not sections_filled(counts(contacts=3)).iloc[0]["decision_map"]
    assert sections_filled(counts(contacts=3, decision_makers=1)).iloc[0]["decision_map"]


def test_qualification_counts_when_every_p_is_answered_even_with_a_no():
    row = sections_filled(counts(need="yes", solvency="no", authority="yes")).iloc[0]
    assert row["qualification"]
    assert not sections_filled(counts(need="yes", solvency="yes")).iloc[0]["qualification"]


def test_an_empty_decision_map_says_nobody_is_mapped():
    assert decision_map_warnings(people()) == [
        "No one is mapped yet: add the people who take part in the decision."
    ]


def test_contacts_without_a_decision_maker_are_warned_about():
    text = decision_map_warnings(people((1, "Ann", "influencer", "supporter", 3, None)))
    assert "No decision maker is mapped: find out who signs." in text


def test_an_opposing_decision_maker_is_warned_about_by_name():
    text = decision_map_warnings(
        people((1, "Boris", "decision_maker", "opponent", 5, None)),
    )
    assert any("Boris" in t and "opponent" in t for t in text)


def test_a_strong_blocker_and_no_supporter_are_warned_about():
    text = decision_map_warnings(
        people(
            (1, "Ann", "decision_maker", "neutral", 5, None),
            (2, "Ben", "blocker", "opponent", 4, 1),
        )
    )
    # Names sit in bidi isolates inside the sentence (a Hebrew name keeps its place).
    assert any("\u2068Ben\u2069 is a blocker" in t for t in text)
    assert any("No supporter or champion" in t for t in text)


def test_a_well_mapped_decision_has_no_warning():
    text = decision_map_warnings(
        people(
            (1, "Ann", "decision_maker", "supporter", 5, None),
            (2, "Ben", "blocker", "neutral", 2, 1),
        )
    )
    assert text == []


def test_only_open_actions_past_their_due_date_are_overdue():
    actions = pd.DataFrame(
        {
            "status": ["planned", "done", "in_progress", "planned"],
            "due_date": [date(2025, 1, 1), date(2025, 1, 1), date(2025, 3, 1), None],
        }
    )
    late = overdue(actions, today=date(2025, 2, 1))
    assert list(late.index) == [0]
