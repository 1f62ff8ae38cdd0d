"""Ratios of Gamma and Beta functions the likelihoods need, exact to rounding at any size.

A difference of two gammaln or betaln values of size q log q loses about q * 1e-16: where the
fits reach a limit of the model (parameters near a million), that rounding noise stalled the
optimiser's line search. These forms sum or expand the ratios without that cancellation.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import betaln, gammaln

# Up to this many purchases the ratios of Gamma functions are summed term by term.
_MAX_STEPS = 100_000


def _whole(levels: np.ndarray) -> bool:
    """True when the counts are whole numbers small enough to sum their terms one by one."""
    return bool(
        len(levels)
        and levels.min() >= 0
        and levels.max() <= _MAX_STEPS
        and np.all(levels == np.round(levels))
    )


def rising_log(c: float, levels: np.ndarray) -> np.ndarray:
    """log Gamma(c + x) - log Gamma(c) for each x of levels.

    Summed as log(c) + ... + log(c + x - 1) for whole x: the difference of two gammaln values of
    size c log c loses about c * 1e-16, which for c near a million is rounding noise that stalls
    the optimiser's line search.
    """
    if not _whole(levels):
        return gammaln(c + levels) - gammaln(c)
    steps = np.concatenate(([0.0], np.cumsum(np.log(c + np.arange(int(levels.max()))))))
    return steps[levels.astype(int)]


def dropout_terms(a: float, b: float, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log B(a, b+x)/B(a, b) and, for x > 0, log B(a+1, b+x-1)/B(a, b) (else -inf), per x."""
    if not _whole(levels):
        base = betaln(a, b)
        prev = np.maximum(levels - 1, 0)
        gone = np.where(levels > 0, betaln(a + 1, b + prev) - base, -np.inf)
        return betaln(a, b + levels) - base, gone
    # B(a, b+x)/B(a, b) is the product of (b+k)/(a+b+k) for k < x, each ratio exact to
    # rounding: no cancellation between huge betaln values when a and b are large.
    k = np.arange(int(levels.max()), dtype=float)
    steps = np.concatenate(([0.0], np.cumsum(np.log((b + k) / (a + b + k)))))
    x = levels.astype(int)
    still = steps[x]
    # B(a+1, c)/B(a, b) = a/(a+c) B(a, c)/B(a, b) with c = b + x - 1.
    prev = np.maximum(x - 1, 0)
    with np.errstate(divide="ignore"):
        gone = np.where(x > 0, math.log(a) - np.log(a + b + prev) + steps[prev], -np.inf)
    return still, gone


# Above this argument Stirling's series gives log Gamma to rounding (next term under 1e-15).
_STIRLING_FROM = 20.0


def _stirling_rest(z: np.ndarray) -> np.ndarray:
    """log Gamma(z) minus (z - 1/2) log z - z + log(2 pi) / 2, for z >= 20."""
    inv = 1.0 / z
    inv2 = inv * inv
    return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))


def gamma_ratio_log(q: float, s: np.ndarray) -> np.ndarray:
    """log Gamma(q + s) - log Gamma(q) for s >= 0, exact to rounding however large q is.

    The plain difference of two gammaln values of size q log q loses about q * 1e-16; for large
    q the difference is written out from Stirling's formula, term by term without cancellation.
    """
    s = np.asarray(s, dtype=float)
    if q < _STIRLING_FROM:
        return gammaln(q + s) - gammaln(q)
    z = q + s
    return (
        (q - 0.5) * np.log1p(s / q)
        + s * np.log(z)
        - s
        + _stirling_rest(z)
        - _stirling_rest(np.asarray(q, dtype=float))
    )
