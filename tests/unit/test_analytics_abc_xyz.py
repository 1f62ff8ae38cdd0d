"""ABC and XYZ rules on hand-computed values."""

import math

import pandas as pd
import pytest

from kam_core.analytics.abc_xyz import (
    abc_class,
    coefficient_of_variation,
    matrix_of,
    relative_cutoffs,
    xyz_class,
)


def classify(values: dict[str, float], a: float = 0.8, b: float = 0.95) -> dict[str, str]:
    ids = pd.Series(list(values))
    out = abc_class(pd.Series(list(values.values())), ids, a, b)
    return dict(zip(ids, out["abc"], strict=False))


def test_client_that_crosses_eighty_percent_is_still_a():
    assert classify({"a": 70, "b": 20, "c": 6, "d": 4}) == {"a": "A", "b": "A", "c": "B", "d": "C"}


def test_client_that_reaches_exactly_eighty_percent_is_a_and_the_next_is_b():
    assert classify({"a": 50, "b": 30, "c": 15, "d": 5}) == {"a": "A", "b": "A", "c": "B", "d": "C"}


def test_client_reaching_exactly_ninety_five_percent_is_b_and_the_next_is_c():
    assert classify({"a": 80, "b": 15, "c": 5})["b"] == "B"
    assert classify({"a": 80, "b": 15, "c": 5})["c"] == "C"


def test_ties_at_a_cut_off_are_ordered_by_client_id():
    got = classify({"b": 40, "a": 40, "c": 20})
    assert got == {"a": "A", "b": "A", "c": "B"}
    got = classify({"z": 79, "y": 10, "x": 10, "w": 1})
    # x comes before y: x crosses 80% and is A; y follows at 89% and is B.
    assert (got["x"], got["y"]) == ("A", "B")


def test_zero_and_negative_values_are_c_with_share_zero_and_do_not_shrink_others():
    ids = pd.Series(["a", "b", "c"])
    out = abc_class(pd.Series([100.0, 0.0, -50.0]), ids)
    assert list(out["abc"]) == ["A", "C", "C"]
    assert list(out["share"]) == [1.0, 0.0, 0.0]


def test_one_client_holding_everything_is_a():
    out = abc_class(pd.Series([500.0]), pd.Series(["solo"]))
    assert out["abc"].tolist() == ["A"] and out["share"].tolist() == [1.0]


def test_all_non_positive_values_are_all_c():
    assert set(classify({"a": 0, "b": -3}).values()) == {"C"}


def test_cumulative_share_follows_value_then_id_order():
    ids = pd.Series(["c", "a", "b"])
    out = abc_class(pd.Series([10.0, 30.0, 60.0]), ids)
    assert out["cumulative_share"].round(6).tolist() == [1.0, 0.9, 0.6]


def test_cv_uses_population_std_including_zero_periods():
    # Periods 10, 0, 20, 10: mean 10, population std sqrt(50) -> cv 0.7071.
    cv = coefficient_of_variation(pd.Series([10.0]), pd.Series([50.0]))
    assert cv.iloc[0] == pytest.approx(math.sqrt(50) / 10)


def test_client_with_non_positive_mean_has_no_cv_and_is_z():
    cv = coefficient_of_variation(pd.Series([0.0, -5.0]), pd.Series([0.0, 4.0]))
    assert cv.isna().all()
    assert xyz_class(cv, "stability", (0.5, 1.0)).tolist() == ["Z", "Z"]


def test_stability_cut_offs_include_their_upper_bound():
    got = xyz_class(pd.Series([0.5, 0.500001, 1.0, 1.2]), "stability", (0.5, 1.0))
    assert got.tolist() == ["X", "Y", "Y", "Z"]


def test_frequency_cut_offs_include_their_lower_bound():
    got = xyz_class(pd.Series([0.75, 0.74, 0.33, 0.32]), "frequency", (0.75, 0.33))
    assert got.tolist() == ["X", "Y", "Y", "Z"]


def test_relative_cut_offs_are_tertiles_of_the_observed_values():
    assert relative_cutoffs(pd.Series([0.0, 0.3, 0.6, 0.9, None])) == pytest.approx((0.3, 0.6))
    assert relative_cutoffs(pd.Series([None], dtype=float)) is None


def test_matrix_lists_all_nine_cells_with_shares_of_positive_value():
    clients = pd.DataFrame(
        {"client_id": ["a", "b", "c"], "value": [75.0, 25.0, -10.0], "cell": ["AX", "BZ", "CZ"]}
    )
    m = matrix_of(clients).set_index("cell")
    assert len(m) == 9
    assert m.loc["AX", "share"] == 0.75 and m.loc["CZ", "share"] == 0.0
    assert m.loc["CZ", "value"] == -10.0 and m.loc["AY", "clients"] == 0
    assert m.loc["AX", "strategy"].startswith("Keep and grow")


def test_the_crowded_xyz_notice_is_told_in_the_reader_s_language():
    from kam_core.analytics.notices import crowded_xyz_notice, notice_text
    from kam_core.analytics.params import AnalysisParams
    from kam_core.i18n import use_language

    classes = pd.Series(["Z"] * 19 + ["X"])  # 95% in one class
    (notice,) = crowded_xyz_notice(classes, AnalysisParams())  # frequency, months
    assert str(notice) == (
        "95% of the clients fall into class Z, so XYZ separates almost nobody: "
        "try the stability method or quarterly periods."
    )
    with use_language("he"):
        hebrew = notice_text(notice)
    assert "Z" in hebrew and "95%" in hebrew and "שיטת היציבות" in hebrew
    assert crowded_xyz_notice(pd.Series(["Z"] * 17 + ["X"] * 3), AnalysisParams()) == ()
