"""BG/NBD when the data's best fit is a limit of the model: every client shares one dropout
chance (a and b without bound, their ratio steady). The fit must settle there, say so as a
caution, and keep its numerics exact; the limit's formulas are written out here."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.special import betaln, gammaln

from kam_core.analytics import clv
from kam_core.analytics.clv_special import dropout_terms, gamma_ratio_log, rising_log

DROPOUT = 0.02  # the one chance, for every client, to stop after a purchase


def shared_dropout_history(
    seed: int, n: int = 300, dropout: float = DROPOUT
) -> tuple[np.ndarray, ...]:
    """(x, t_x, T) in weeks of clients with Gamma-spread rates and one dropout chance for all."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(6.0, 1 / 48.0, n)  # purchases per week
    T = rng.uniform(52, 104, n)
    x, t_x = np.zeros(n), np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / rate[i])
            if t > T[i]:
                break
            x[i], t_x[i] = x[i] + 1, t
            if rng.random() < dropout:
                break
    return x, t_x, T


def log_likelihood_by_hand(r, alpha, a, b, x, t_x, T) -> float:
    """Fader, Hardie and Lee (2005), equation 6, with scipy's Gamma and Beta functions."""
    head = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    still = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    gone = np.where(
        x > 0,
        betaln(a + 1, b + np.maximum(x - 1, 0)) - betaln(a, b) - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    return float(np.sum(head + np.logaddexp(still, gone)))


@pytest.fixture(scope="module")
def history() -> tuple[np.ndarray, ...]:
    # Seed 3: the optimiser used to stall on this population and report no convergence.
    return shared_dropout_history(3)


@pytest.fixture(scope="module")
def fit(history) -> clv.BgNbdFit:
    return clv.fit_bgnbd(*history)


def test_a_shared_dropout_chance_is_fitted_as_the_limit_and_trusted(fit) -> None:
    assert fit.converged and fit.quality.trusted
    assert fit.b / fit.a > 10 and fit.b > clv.PARAM_LARGE  # a and b on their way to infinity
    assert {i.code for i in fit.quality.issues} == {"large_parameters"}
    assert fit.b <= clv.PARAM_CAP * (1 + 1e-9)


def test_the_fitted_dropout_chance_is_near_the_one_simulated(fit) -> None:
    assert fit.a / (fit.a + fit.b) == pytest.approx(DROPOUT, abs=0.01)


def test_the_likelihood_still_rises_along_the_ridge_to_the_fit(fit, history) -> None:
    at_fit = log_likelihood_by_hand(fit.r, fit.alpha, fit.a, fit.b, *history)
    for shrink in (10.0, 100.0, 1000.0):
        nearer = log_likelihood_by_hand(fit.r, fit.alpha, fit.a / shrink, fit.b / shrink, *history)
        assert at_fit > nearer
    assert fit.log_likelihood == pytest.approx(at_fit, abs=1e-3)


def test_p_alive_is_the_limit_formula_with_one_dropout_chance(fit, history) -> None:
    x, t_x, T = history
    chance = fit.a / (fit.a + fit.b)
    odds = chance / (1 - chance) * ((fit.alpha + T) / (fit.alpha + t_x)) ** (fit.r + x)
    by_hand = np.where(x > 0, 1 / (1 + odds), 1.0)
    # b + x - 1 against b: the limit differs from the fit by x / b, under 1e-4 here.
    np.testing.assert_allclose(clv.p_alive(fit, x, t_x, T), by_hand, rtol=2e-4, atol=1e-6)


def test_expected_purchases_of_the_limit_are_finite_and_ordered(fit, history) -> None:
    x, t_x, T = history
    year = clv.expected_purchases(fit, 52.0, x, t_x, T)
    half = clv.expected_purchases(fit, 26.0, x, t_x, T)
    assert np.isfinite(year).all() and (year >= half).all() and (half >= 0).all()


def test_ratios_of_beta_functions_are_exact_for_large_a_and_b() -> None:
    a, b, levels = 5000, 1_000_000, np.array([0.0, 1.0, 2.0, 10.0, 40.0])
    still, gone = dropout_terms(float(a), float(b), levels)
    for i, x in enumerate(int(v) for v in levels):
        # B(a, b+x)/B(a, b) = prod (b+k)/(a+b+k), exactly in fractions.
        ratio = math.prod((Fraction(b + k, a + b + k) for k in range(x)), start=Fraction(1))
        assert still[i] == pytest.approx(math.log(ratio), abs=1e-12)
        if x > 0:
            previous = math.prod(
                (Fraction(b + k, a + b + k) for k in range(x - 1)), start=Fraction(1)
            )
            exact = math.log(previous * Fraction(a, a + b + x - 1))
            assert gone[i] == pytest.approx(exact, abs=1e-12)
        else:
            assert gone[i] == -np.inf


def test_ratios_agree_with_scipy_where_scipy_is_exact() -> None:
    levels = np.array([0.0, 1.0, 3.0, 17.0])
    still, gone = dropout_terms(0.79, 2.43, levels)
    np.testing.assert_allclose(still, betaln(0.79, 2.43 + levels) - betaln(0.79, 2.43), atol=1e-12)
    expected = betaln(1.79, 2.43 + levels[1:] - 1) - betaln(0.79, 2.43)
    np.testing.assert_allclose(gone[1:], expected, atol=1e-12)
    np.testing.assert_allclose(
        rising_log(0.243, levels), gammaln(0.243 + levels) - gammaln(0.243), atol=1e-12
    )
    # Counts that are not whole take scipy's path.
    odd = np.array([0.5, 2.5])
    np.testing.assert_allclose(rising_log(3.0, odd), gammaln(3.0 + odd) - gammaln(3.0))


def test_a_history_where_nobody_leaves_says_so_and_is_not_trusted() -> None:
    fit = clv.fit_bgnbd(*shared_dropout_history(1, dropout=0.0))
    assert fit.a / (fit.a + fit.b) < clv.NO_DROPOUT
    assert not fit.quality.trusted
    assert "no_dropout_seen" in {i.code for i in fit.quality.issues}
    assert "absurd_parameters" not in {i.code for i in fit.quality.issues}


def test_log_gamma_ratio_is_exact_for_large_q() -> None:
    # Gamma(q + s) / Gamma(q) = q (q + 1) ... (q + s - 1) for whole s: exact in integers.
    q, steps = 1_000_000, np.array([0.0, 1.0, 7.0, 40.0])
    got = gamma_ratio_log(float(q), steps)
    for value, s in zip(got, steps.astype(int), strict=True):
        exact = sum(math.log(q + k) for k in range(s))  # each log exact to rounding
        assert value == pytest.approx(exact, abs=1e-9)
    # Where scipy is exact (moderate q, any s), both agree.
    s = np.array([0.3, 2.5, 30.0, 300.7])
    np.testing.assert_allclose(
        gamma_ratio_log(25.3, s), gammaln(25.3 + s) - gammaln(25.3), rtol=1e-13
    )


def test_clients_spending_alike_are_fitted_as_the_gamma_gamma_limit() -> None:
    # Every client's purchases have the same mean value (100): q and gamma grow together.
    rng = np.random.default_rng(3)
    x = rng.integers(1, 12, 400)
    m = np.array([rng.gamma(3.0, 100 / 3.0, k).mean() for k in x])
    fit = clv.fit_gamma_gamma(x, m)
    assert fit.converged and fit.quality.trusted
    assert {i.code for i in fit.quality.issues} == {"large_parameters"}
    # The population mean value p gamma / (q - 1) is the common mean, near the 100 drawn.
    mean = fit.p * fit.gamma / (fit.q - 1)
    assert mean == pytest.approx(100, rel=0.05)
    # In the limit a client's expected value is its value's law alone: near the common mean.
    value = clv.expected_purchase_value(fit, x, m)
    np.testing.assert_allclose(value, mean, rtol=1e-3)
