"""Log-likelihoods of BG/NBD and Gamma-Gamma, their gradients, and the optimiser the fits use.

Pure numerics; kam_core.analytics.clv builds the fits and the predictions on them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

from kam_core.analytics.clv_special import dropout_terms, gamma_ratio_log, rising_log

# Log-parameters are clipped here so that a wandering optimiser cannot overflow.
LOG_BOUND = 25.0


def weighted_sum(w: np.ndarray, values: np.ndarray) -> float:
    """Sum of w * values without BLAS: its threads spin and crawl on a busy shared machine."""
    return float(np.sum(w * values))


def as_arrays(*values: object) -> tuple[np.ndarray, ...]:
    """The arguments as float arrays."""
    return tuple(np.asarray(v, dtype=float) for v in values)


def bgnbd_log_likelihood(
    r: float, alpha: float, a: float, b: float, x: object, t_x: object, T: object
) -> np.ndarray:
    """Each client's BG/NBD log-likelihood of (x repeat purchases, last at t_x, observed T)."""
    x, t_x, T = as_arrays(x, t_x, T)
    levels, index = np.unique(x, return_inverse=True)
    return bgnbd_ll(r, alpha, a, b, levels, index.reshape(-1), t_x, T)


def bgnbd_ll(
    r: float,
    alpha: float,
    a: float,
    b: float,
    levels: np.ndarray,
    index: np.ndarray,
    t_x: np.ndarray,
    T: np.ndarray,
) -> np.ndarray:
    # L = A * [B(a, b+x)/B(a,b) (alpha+T)^-(r+x) + [x>0] B(a+1, b+x-1)/B(a,b) (alpha+t_x)^-(r+x)]
    # summed in log space so that large x (huge powers) neither overflows nor underflows. The
    # terms in x alone are computed once per distinct x: real data has few distinct counts.
    still_x, gone_x = dropout_terms(a, b, levels)
    head = rising_log(r, levels) + r * math.log(alpha)
    rx = (r + levels)[index]
    still = still_x[index] - rx * np.log(alpha + T)
    gone = gone_x[index] - rx * np.log(alpha + t_x)
    return head[index] + np.logaddexp(still, gone)


def bgnbd_objective(
    logp: np.ndarray,
    levels: np.ndarray,
    index: np.ndarray,
    t_x: np.ndarray,
    T: np.ndarray,
    w: np.ndarray,
) -> tuple[float, np.ndarray]:
    """Minus the weighted mean log-likelihood and its gradient in log-parameters."""
    r, alpha, a, b = np.exp(np.clip(logp, -LOG_BOUND, LOG_BOUND))
    repeat = levels > 0
    prev = np.maximum(levels - 1, 0)
    still_x, gone_x = dropout_terms(a, b, levels)
    rx = (r + levels)[index]
    log_T, log_tx = np.log(alpha + T), np.log(alpha + t_x)
    still = still_x[index] - rx * log_T
    gone = gone_x[index] - rx * log_tx
    mix = np.logaddexp(still, gone)
    head = rising_log(r, levels) + r * math.log(alpha)
    total = w.sum()
    value = -float(weighted_sum(w, head[index] + mix)) / total
    if not np.isfinite(value):
        return 1e300, np.zeros(4)
    # Softmax weights of the two terms: the gradient is their weighted mix of derivatives.
    ws, wg = w * np.exp(still - mix), w * np.exp(gone - mix)
    counts = np.bincount(index, weights=w, minlength=len(levels))
    ws_x = np.bincount(index, weights=ws, minlength=len(levels))
    wg_x = np.bincount(index, weights=wg, minlength=len(levels))
    psi_ab = digamma(a + b)
    psi_abx = digamma(a + b + levels)
    d_r = weighted_sum(counts, digamma(r + levels) - digamma(r) + math.log(alpha))
    d_r -= weighted_sum(ws, log_T) + weighted_sum(wg, log_tx)
    d_alpha = (
        total * r / alpha
        - weighted_sum(ws, rx / (alpha + T))
        - weighted_sum(wg, rx / (alpha + t_x))
    )
    d_a = weighted_sum(ws_x, psi_ab - psi_abx)
    d_a += weighted_sum(wg_x, np.where(repeat, digamma(a + 1) - digamma(a) + psi_ab - psi_abx, 0.0))
    d_b = weighted_sum(ws_x, digamma(b + levels) - psi_abx - digamma(b) + psi_ab)
    safe = np.where(repeat, b + prev, b)
    d_b += weighted_sum(wg_x, np.where(repeat, digamma(safe) - psi_abx - digamma(b) + psi_ab, 0.0))
    grad = -np.array([r * d_r, alpha * d_alpha, a * d_a, b * d_b]) / total
    return value, grad


def gamma_gamma_objective(
    logp: np.ndarray,
    levels: np.ndarray,
    index: np.ndarray,
    x: np.ndarray,
    m: np.ndarray,
    log_m: np.ndarray,
    w: np.ndarray,
) -> tuple[float, np.ndarray]:
    """Minus the weighted mean Gamma-Gamma log-likelihood and its gradient in log-parameters."""
    p, q, gamma = np.exp(np.clip(logp, -LOG_BOUND, LOG_BOUND))
    total = w.sum()
    ll = gamma_gamma_ll(p, q, gamma, levels, index, x, m, log_m)
    value = -float(weighted_sum(w, ll)) / total
    if not np.isfinite(value):
        return 1e300, np.zeros(3)
    px = p * levels
    psi_pxq = digamma(px + q)[index]
    log_gm = np.log(gamma + m * x)
    d_p = weighted_sum(w, x * (psi_pxq - digamma(px)[index] + log_m + np.log(x) - log_gm))
    d_q = weighted_sum(w, psi_pxq - digamma(q) + math.log(gamma) - log_gm)
    d_gamma = weighted_sum(w, q / gamma - (p * x + q) / (gamma + m * x))
    return value, -np.array([p * d_p, q * d_q, gamma * d_gamma]) / total


def compress(columns: tuple[np.ndarray, ...]) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Identical rows collapsed into one with a weight: far fewer terms on real data."""
    # A hash group-by: numpy's unique over rows sorts a structured view, ten times slower.
    frame = pd.DataFrame({i: c for i, c in enumerate(columns)})
    counts = frame.groupby(list(frame.columns), sort=False).size()
    keys = counts.index.to_frame(index=False)
    return tuple(keys[i].to_numpy(float) for i in frame.columns), counts.to_numpy(float)


def distinct(*columns: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """The distinct rows of the columns and, for each row, the number of its distinct row."""
    codes, uniques = pd.MultiIndex.from_arrays(list(columns)).factorize()
    keys = tuple(uniques.get_level_values(i).to_numpy(float) for i in range(len(columns)))
    return keys, np.asarray(codes)


def minimise(
    objective, start: np.ndarray, upper: float = LOG_BOUND
) -> tuple[np.ndarray, bool, int]:
    """L-BFGS-B with the exact gradient on log-parameters in a box capped at upper.

    Where the likelihood keeps rising toward a parameter's infinity (a limit of the model, such
    as one dropout chance shared by every client), the cap stops the climb; near it the ridge is
    flat to rounding and stalls the line search, so the capped parameters are then held and the
    others settled alone. Converged means the gradient vanishes, apart from parameters pressed
    against a cap.
    """
    # Imported here: scipy.optimize costs every command and page start 0.4 s, and only a fit
    # needs it.
    from scipy.optimize import minimize

    low, high = -LOG_BOUND, min(float(upper), LOG_BOUND)
    options = {"ftol": 1e-15, "gtol": 1e-10, "maxiter": 5000}
    res = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(low, high)] * len(start),
        options=options,
    )
    point, iterations, success = np.asarray(res.x, dtype=float), int(res.nit), bool(res.success)
    capped = point >= high - 1e-9
    if capped.any() and not capped.all():
        free = ~capped

        def held(sub: np.ndarray) -> tuple[float, np.ndarray]:
            value, grad = objective(np.where(free, _spread(sub, free), point))
            return value, grad[free]

        polish = minimize(
            held,
            point[free],
            jac=True,
            method="L-BFGS-B",
            bounds=[(low, high)] * int(free.sum()),
            options=options,
        )
        point = np.where(free, _spread(polish.x, free), point)
        iterations += int(polish.nit)
        success = bool(polish.success)
    value, grad = objective(point)
    # A parameter at its cap that would still climb is the limit model: not a missing step.
    pressed = (point >= high - 1e-9) & (grad < 0)
    floor = (point <= low + 1e-9) & (grad > 0)
    slope = float(np.max(np.abs(np.where(pressed | floor, 0.0, grad))))
    # A line search that can no longer improve at a vanishing gradient is at the optimum.
    converged = bool((success or slope < 1e-6) and np.isfinite(value) and value < 1e300)
    return point, converged, iterations


def _spread(sub: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Values for the True places of mask in a full-length array (zeros elsewhere)."""
    full = np.zeros(len(mask))
    full[mask] = sub
    return full


def gamma_gamma_log_likelihood(
    p: float, q: float, gamma: float, frequency: object, monetary: object
) -> np.ndarray:
    """Each repeat buyer's Gamma-Gamma log-likelihood of its mean value over x purchases."""
    x, m = as_arrays(frequency, monetary)
    levels, index = np.unique(x, return_inverse=True)
    return gamma_gamma_ll(p, q, gamma, levels, index.reshape(-1), x, m, np.log(m))


def gamma_gamma_ll(
    p: float,
    q: float,
    gamma: float,
    levels: np.ndarray,
    index: np.ndarray,
    x: np.ndarray,
    m: np.ndarray,
    log_m: np.ndarray,
) -> np.ndarray:
    # Density of the mean of x Gamma(p, nu) values with nu ~ Gamma(q, gamma); the Gamma
    # functions depend on x alone and are computed once per distinct x. q log(gamma) and
    # (px + q) log(gamma + m x) are each huge when q and gamma are (every client spending alike),
    # so their difference is taken as -q log1p(m x / gamma) - px log(gamma + m x).
    px = p * levels
    per_x = gamma_ratio_log(q, px) - gammaln(px) + px * np.log(levels)
    pxi = px[index]
    return (
        per_x[index] + (pxi - 1) * log_m - q * np.log1p(m * x / gamma) - pxi * np.log(gamma + m * x)
    )
