"""BG/NBD and Gamma-Gamma fits against the published CDNOW figures and hand-checkable cases."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import quad
from scipy.special import betainccinv, betaincinv, betaln, hyp2f1

from kam_core.analytics import clv

CDNOW = Path(__file__).resolve().parents[1] / "data" / "CDNOW_sample.txt"
CALIBRATION_END = pd.Timestamp("1997-09-30")


def cdnow_calibration() -> pd.DataFrame:
    """x, t_x, T (weeks) and mean repeat value per customer, every transaction day counted."""
    raw = pd.read_csv(
        CDNOW,
        sep=r"\s+",
        header=None,
        names=["master_id", "client", "date", "cds", "value"],
        dtype={"date": str},
    )
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    days = (
        raw[raw["date"] <= CALIBRATION_END]
        .groupby(["client", "date"], as_index=False)["value"]
        .sum()
        .sort_values(["client", "date"])
    )
    first = days.groupby("client")["date"].transform("min")
    g = days.groupby("client")
    out = pd.DataFrame(
        {
            "x": g.size() - 1,
            "t_x": (g["date"].max() - g["date"].min()).dt.days / 7,
            "T": (CALIBRATION_END - g["date"].min()).dt.days / 7,
            "monetary": days[days["date"] > first].groupby("client")["value"].mean(),
        }
    )
    return out


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return cdnow_calibration()


@pytest.fixture(scope="module")
def bgnbd(cdnow: pd.DataFrame) -> clv.BgNbdFit:
    return clv.fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])


def test_cdnow_sample_has_the_published_client_counts(cdnow: pd.DataFrame) -> None:
    assert len(cdnow) == 2357
    assert int((cdnow["x"] > 0).sum()) == 946
    # Customer 1 (master id 00004): 1 Jan, 18 Jan, 2 Aug 1997 in the calibration period.
    first = cdnow.loc[1]
    assert first["x"] == 2
    assert first["t_x"] == pytest.approx(213 / 7)
    assert first["T"] == pytest.approx(272 / 7)
    assert first["monetary"] == pytest.approx((29.73 + 14.96) / 2)


def test_bgnbd_reproduces_the_published_cdnow_fit(bgnbd: clv.BgNbdFit) -> None:
    # Fader, Hardie & Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4.
    assert round(bgnbd.r, 3) == 0.243
    assert round(bgnbd.alpha, 3) == 4.414
    assert round(bgnbd.a, 3) == 0.793
    assert round(bgnbd.b, 3) == 2.426
    assert round(bgnbd.log_likelihood, 1) == -9582.4
    assert bgnbd.clients == 2357 and bgnbd.repeat_buyers == 946
    assert bgnbd.converged and bgnbd.quality.trusted


def test_gamma_gamma_reproduces_the_published_cdnow_fit(cdnow: pd.DataFrame) -> None:
    # Fader & Hardie (2013): p 6.25, q 3.74, gamma 15.44 over 946 repeat buyers, LL -4055.9.
    fit = clv.fit_gamma_gamma(cdnow["x"], cdnow["monetary"])
    assert round(fit.p, 2) == 6.25
    assert round(fit.q, 2) == 3.74
    assert round(fit.gamma, 2) == 15.44
    assert round(fit.log_likelihood, 1) == -4055.9
    assert fit.repeat_buyers == 946
    assert fit.converged and fit.quality.trusted


def test_published_conditional_expectation_for_customer_one(bgnbd: clv.BgNbdFit) -> None:
    # Fader, Hardie & Lee (2005): x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the
    # next 39 weeks under the published parameters.
    published = clv.BgNbdFit(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, 946, True)
    value = clv.expected_purchases(published, 39, [2], [30.43], [38.86])[0]
    assert value == pytest.approx(1.226, abs=5e-4)


def test_client_without_repeat_purchase_is_alive() -> None:
    fit = clv.BgNbdFit(0.5, 10.0, 0.7, 3.0, 0.0, 0, 0, True)
    assert clv.p_alive(fit, [0, 0], [0, 0], [5.0, 500.0]).tolist() == [1.0, 1.0]


def test_p_alive_matches_the_closed_form_by_hand() -> None:
    r, alpha, a, b = 0.5, 10.0, 0.7, 3.0
    fit = clv.BgNbdFit(r, alpha, a, b, 0.0, 0, 0, True)
    x, t_x, T = 3, 20.0, 30.0
    by_hand = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    assert clv.p_alive(fit, [x], [t_x], [T])[0] == pytest.approx(by_hand, rel=1e-12)
    # Bought at the as-of date: alive with certainty only when x = 0; otherwise 1/(1+a/(b+x-1)).
    assert clv.p_alive(fit, [x], [T], [T])[0] == pytest.approx(1 / (1 + a / (b + x - 1)))


def test_expected_purchases_match_the_textbook_formula() -> None:
    r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
    fit = clv.BgNbdFit(r, alpha, a, b, 0.0, 0, 0, True)
    x = np.array([0.0, 1, 2, 5, 12])
    t_x = np.array([0.0, 3, 30, 20, 38])
    T = np.array([38.86, 30, 38.86, 38, 39])
    t = 52.0
    z = t / (alpha + T + t)
    textbook = (
        (a + b + x - 1)
        / (a - 1)
        * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z))
        * clv.p_alive(fit, x, t_x, T)
    )
    assert clv.expected_purchases(fit, t, x, t_x, T) == pytest.approx(textbook, rel=1e-10)


def test_client_who_never_repeated_expects_the_new_client_rate() -> None:
    # x = 0: E[Y(t)] = (a+b-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^r 2F1(r, b; a+b-1; z)].
    r, alpha, a, b = 2.0, 10.0, 3.0, 5.0
    fit = clv.BgNbdFit(r, alpha, a, b, 0.0, 0, 0, True)
    T, t = 10.0, 20.0
    z = t / (alpha + T + t)
    expected = (
        (a + b - 1)
        / (a - 1)
        * (1 - ((alpha + T) / (alpha + T + t)) ** r * hyp2f1(r, b, a + b - 1, z))
    )
    assert clv.expected_purchases(fit, t, [0], [0], [T])[0] == pytest.approx(expected, rel=1e-12)


def by_integral(fit: clv.BgNbdFit, t: float, x: float, t_x: float, T: float) -> float:
    """P(alive) x E[(1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p] over p ~ Beta(a, b+x), by quad.

    Given alive, the rate is Gamma(r+x, alpha+T) and the dropout chance Beta(a, b+x); a live
    client with rate l and dropout p makes (1 - exp(-l p t)) / p purchases on average in t.
    """
    a, b = fit.a, fit.b + x
    lo, hi = betaincinv(a, b, 1e-13), betainccinv(a, b, 1e-13)
    log_norm = betaln(a, b)

    def f(p: float) -> float:
        # The Beta density written out: scipy.stats' frozen pdf costs more than the rest.
        density = math.exp((a - 1) * math.log(p) + (b - 1) * math.log1p(-p) - log_norm)
        ratio = (fit.alpha + T) / (fit.alpha + T + p * t)
        return density * -math.expm1((fit.r + x) * math.log(ratio)) / p

    value, _ = quad(f, lo, hi, points=[a / (a + b)], limit=500, epsabs=0, epsrel=1e-11)
    return value * clv.p_alive(fit, [x], [t_x], [T])[0]


@pytest.mark.parametrize(
    ("a", "b"), [(0.793, 2.426), (1.0, 2.426), (1.00003, 2.426), (2.5, 8.0), (98367.0, 2.07e7)]
)
def test_expected_purchases_stay_exact_for_large_x(a: float, b: float) -> None:
    # The plain formula overflows 2F1 long before x = 1e5; every client bought at the as-of date.
    fit = clv.BgNbdFit(0.243, 4.414, a, b, 0.0, 0, 0, True)
    x = np.array([0, 1, 10, 100, 1_000, 10_000, 100_000], dtype=float)
    T = np.full_like(x, 150.0)
    values = clv.expected_purchases(fit, 52.0, x, T, T)
    assert np.all(np.isfinite(values))
    assert np.all(np.diff(values[1:]) > 0)
    for xi, value in zip(x[1:], values[1:], strict=True):
        assert value == pytest.approx(by_integral(fit, 52.0, xi, 150.0, 150.0), rel=1e-6)


def test_expected_purchases_near_a_equal_one_are_continuous() -> None:
    around = [
        clv.expected_purchases(clv.BgNbdFit(0.5, 5.0, a, 3.0, 0, 0, 0, True), 30, [4], [20], [25])[
            0
        ]
        for a in (0.999, 0.99995, 1.0, 1.00005, 1.001)
    ]
    assert np.all(np.diff(around) < 0)  # a higher a means more dropout, fewer purchases
    assert around[2] == pytest.approx((around[1] + around[3]) / 2, rel=1e-6)


def test_expected_value_per_purchase_weights_population_and_client_means() -> None:
    p, q, gamma = 6.25, 3.74, 15.44
    fit = clv.GammaGammaFit(p, q, gamma, 0.0, 0, True)
    population = p * gamma / (q - 1)
    values = clv.expected_purchase_value(fit, [0, 2, 10], [np.nan, 30.0, 30.0])
    assert values[0] == pytest.approx(population)
    weight = p * 2 / (p * 2 + q - 1)
    assert values[1] == pytest.approx((1 - weight) * population + weight * 30.0)
    assert abs(values[2] - 30.0) < abs(values[1] - 30.0)  # more purchases, closer to own mean


def test_gamma_gamma_likelihood_matches_the_density_by_hand() -> None:
    p, q, gamma, x, m = 2.0, 3.0, 10.0, 4, 12.5
    by_hand = (
        math.lgamma(p * x + q)
        - math.lgamma(p * x)
        - math.lgamma(q)
        + q * math.log(gamma)
        + (p * x - 1) * math.log(m)
        + p * x * math.log(x)
        - (p * x + q) * math.log(gamma + m * x)
    )
    assert clv.gamma_gamma_log_likelihood(p, q, gamma, [x], [m])[0] == pytest.approx(by_hand)


def test_frequency_value_correlation_is_pearson_over_repeat_buyers() -> None:
    x = [0, 1, 2, 3, 4]
    m = [np.nan, 10.0, 20.0, 25.0, 45.0]
    assert clv.frequency_value_correlation(x, m) == pytest.approx(np.corrcoef(x[1:], m[1:])[0, 1])
    assert clv.frequency_value_correlation([0, 1, 1], [np.nan, 5.0, 5.0]) is None


def test_strong_correlation_is_a_caution_not_a_block() -> None:
    (issue,) = clv.correlation_issues(0.6)
    assert issue.code == "value_depends_on_frequency" and not issue.blocking
    assert clv.correlation_issues(0.1) == ()


def test_too_few_repeat_buyers_cannot_be_trusted() -> None:
    fit = clv.fit_bgnbd([0, 0, 1, 2, 0], [0, 0, 3, 5, 0], [10, 12, 14, 20, 8])
    assert not fit.quality.trusted
    assert "few_repeat_buyers" in {i.code for i in fit.quality.issues}
    value = clv.fit_gamma_gamma([1, 2], [10.0, 12.0])
    assert not value.quality.trusted


def test_nobody_repeating_gives_no_fit_at_all() -> None:
    fit = clv.fit_bgnbd(np.zeros(50), np.zeros(50), np.full(50, 10.0))
    assert math.isnan(fit.r) and not fit.quality.trusted


def test_parameters_run_to_a_corner_cannot_be_trusted() -> None:
    # Everybody bought every week up to now: no sign of dropout, purchase rates all alike.
    n = 200
    rng = np.random.default_rng(1)
    T = rng.uniform(20, 40, n).round()
    fit = clv.fit_bgnbd(T, T, T)
    codes = {i.code for i in fit.quality.issues}
    assert codes & {"absurd_parameters", "large_parameters"}
    quality = clv.FitQuality((clv.Issue("absurd_parameters", "x", True),))
    assert not quality.trusted and quality.problems == ("x",)


def test_spend_without_a_finite_mean_cannot_be_trusted() -> None:
    # Heavy-tailed values (Pareto with shape below 1) drive q under 1.
    rng = np.random.default_rng(4)
    x = rng.integers(1, 6, 400)
    m = (rng.pareto(0.6, 400) + 1) * 10
    fit = clv.fit_gamma_gamma(x, m)
    if fit.q <= 1:
        assert "infinite_mean_value" in {i.code for i in fit.quality.issues}
    assert not fit.quality.trusted or fit.q > 1


def test_non_convergence_is_reported() -> None:
    assert clv._convergence_issue(False)[0].code == "no_convergence"
    assert clv._convergence_issue(True) == []
