"""Predictions of fitted buy-till-you-die models: probability alive, expected purchases (BG/NBD)
and the expected value of a purchase (Gamma-Gamma).

Pure numerics on arrays; kam_core.analytics.clv fits the parameters these take.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import gammaln, hyp2f1

from kam_core.analytics.clv_likelihood import as_arrays

if TYPE_CHECKING:  # the fits import this module: their types only for the annotations
    from kam_core.analytics.clv import BgNbdFit, GammaGammaFit


def p_alive(fit: BgNbdFit, x: object, t_x: object, T: object) -> np.ndarray:
    """Probability that each client is still alive at T (1 for clients with no repeat)."""
    x, t_x, T = as_arrays(x, t_x, T)
    # 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)), the ratio taken in logs.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds = (
            np.log(fit.a)
            - np.log(np.where(x > 0, fit.b + x - 1, 1.0))
            + (fit.r + x) * (np.log(fit.alpha + T) - np.log(fit.alpha + t_x))
        )
    odds = np.where(x > 0, np.exp(np.minimum(log_odds, 700.0)), 0.0)
    return 1.0 / (1.0 + odds)


def _log_hyp2f1_positive(a: float, b: float, c: float, z: float) -> float:
    """log 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1, summing the positive terms in logs."""
    total, k, chunk = -np.inf, 0, 512
    while k < 10_000_000:
        ks = np.arange(k, k + chunk, dtype=float)
        logs = (
            (
                gammaln(a + ks)
                - gammaln(a)
                + gammaln(b + ks)
                - gammaln(b)
                - gammaln(c + ks)
                + gammaln(c)
                - gammaln(ks + 1)
                + ks * math.log(z)
            )
            if z > 0
            else np.where(ks == 0, 0.0, -np.inf)
        )
        total = float(np.logaddexp(total, np.logaddexp.reduce(logs)))
        k += chunk
        # Past the peak the terms shrink at least geometrically: stop when they no longer count.
        if logs[-1] < total - 40 and logs[-1] <= logs[-2]:
            return total
        chunk *= 2
    return float("nan")


def _stay_factor(fit: BgNbdFit, a: float, t: float, x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """G = ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z), z = t/(alpha+T+t).

    First by Euler's transformation, G = (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z): x only grows
    the lower parameter, so large x converges fast instead of overflowing. Where scipy gives up
    (a and b very large), the plain form; failing that, its positive series summed in logs.
    """
    z = t / (fit.alpha + T + t)
    c = a + fit.b + x - 1
    with np.errstate(all="ignore"):
        value = np.exp((a - 1) * np.log1p(-z)) * hyp2f1(a + fit.b - 1 - fit.r, a - 1, c, z)
        bad = ~np.isfinite(value)
        if bad.any():
            xb, zb, cb = x[bad], z[bad], c[bad]
            plain = np.exp((fit.r + xb) * np.log1p(-zb)) * hyp2f1(fit.r + xb, fit.b + xb, cb, zb)
            still = ~np.isfinite(plain)
            for i in np.flatnonzero(still):
                log_f = _log_hyp2f1_positive(fit.r + xb[i], fit.b + xb[i], cb[i], zb[i])
                plain[i] = math.exp((fit.r + xb[i]) * math.log1p(-zb[i]) + log_f)
            value[bad] = plain
    return value


def expected_purchases(fit: BgNbdFit, t: float, x: object, t_x: object, T: object) -> np.ndarray:
    """Expected purchases in the next t time units for each client with history (x, t_x, T)."""
    x, t_x, T = as_arrays(x, t_x, T)
    return expected_purchases_if_alive(fit, t, x, T) * p_alive(fit, x, t_x, T)


def expected_purchases_if_alive(fit: BgNbdFit, t: float, x: object, T: object) -> np.ndarray:
    """Expected purchases in the next t for a client still alive; depends on x and T only."""
    x, T = as_arrays(x, T)
    if t <= 0:
        return np.zeros_like(x)

    def at(a: float) -> np.ndarray:
        return (a + fit.b + x - 1) / (a - 1) * (1.0 - _stay_factor(fit, a, t, x, T))

    # The formula divides by a - 1; next to a = 1 interpolate between two safe points.
    step = 1e-4
    if abs(fit.a - 1) < step:
        lo, hi = at(1 - step), at(1 + step)
        return lo + (hi - lo) * (fit.a - (1 - step)) / (2 * step)
    return at(fit.a)


def expected_purchase_value(fit: GammaGammaFit, frequency: object, monetary: object) -> np.ndarray:
    """Expected value of a purchase per client; the population mean where x = 0."""
    x, m = as_arrays(frequency, monetary)
    m = np.where(x > 0, np.nan_to_num(m, nan=0.0), 0.0)
    # (gamma + m x) p / (p x + q - 1): a weighted mean of the population mean and the client's.
    return (fit.gamma + m * x) * fit.p / (fit.p * x + fit.q - 1)
