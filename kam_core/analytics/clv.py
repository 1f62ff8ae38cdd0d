"""Buy-till-you-die fits: BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader & Hardie 2013).

Pure numerics on arrays, no database. Time is in whatever unit the caller uses (weeks here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from kam_core.analytics.clv_likelihood import (
    LOG_BOUND,
    as_arrays,
    bgnbd_log_likelihood,
    bgnbd_objective,
    compress,
    gamma_gamma_log_likelihood,
    gamma_gamma_objective,
    minimise,
    weighted_sum,
)
from kam_core.analytics.clv_predict import (
    expected_purchase_value,
    expected_purchases,
    expected_purchases_if_alive,
    p_alive,
)

__all__ = [
    "BgNbdFit",
    "FitQuality",
    "GammaGammaFit",
    "Issue",
    "bgnbd_log_likelihood",
    "correlation_issues",
    "expected_purchase_value",
    "expected_purchases",
    "expected_purchases_if_alive",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "frequency_value_correlation",
    "gamma_gamma_log_likelihood",
    "p_alive",
    "weighted_sum",
]

# Below these counts a fit is reported as not to be trusted (its numbers are withheld).
MIN_CLIENTS = 30
MIN_REPEAT_BUYERS = 20
# Parameters are judged on the data's own scale (alpha against the mean observation time, gamma
# against the mean value), so neither the time unit nor the currency matters. Below the floor,
# or at the clip of the log-parameters, the optimiser ran to an absurd corner: not to be trusted.
# Above PARAM_LARGE a shape parameter is on its way to infinity: a limit model, worth a caution.
PARAM_FLOOR, PARAM_LARGE = 1e-4, 1e4
# The optimiser stops a parameter at PARAM_CAP times its scale: there the model equals its limit
# to well under 0.01 of log-likelihood while the numerics stay exact (at the clip of e^25 the
# rounding of gammaln and betaln stalled the search: no convergence reported on good data).
PARAM_CAP = 1e6
# A fitted chance to leave after a purchase, a / (a + b), below this means the data shows none.
NO_DROPOUT = 1e-6
_EDGE = LOG_BOUND - 1.0
# |Pearson r| between repeat purchases and mean value above which the Gamma-Gamma
# independence assumption is doubtful (a caution, the numbers are still shown).
CORRELATION_CAUTION = 0.3


@dataclass(frozen=True)
class Issue:
    """One finding about a fit: a code for programs, a sentence for people."""

    code: str
    message: str
    blocking: bool  # True: the fit cannot be trusted and its numbers should not be shown


@dataclass(frozen=True)
class FitQuality:
    """Whether a fit can be trusted, and why not."""

    issues: tuple[Issue, ...] = ()

    @property
    def trusted(self) -> bool:
        """True when no issue blocks the fit."""
        return not any(i.blocking for i in self.issues)

    @property
    def problems(self) -> tuple[str, ...]:
        """The blocking findings, in words."""
        return tuple(i.message for i in self.issues if i.blocking)

    @property
    def cautions(self) -> tuple[str, ...]:
        """The findings that do not block the fit, in words."""
        return tuple(i.message for i in self.issues if not i.blocking)


@dataclass(frozen=True)
class BgNbdFit:
    """Fitted BG/NBD parameters: purchase rate Gamma(r, alpha), dropout Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    clients: int
    repeat_buyers: int
    converged: bool
    iterations: int = 0
    quality: FitQuality = field(default_factory=FitQuality)


@dataclass(frozen=True)
class GammaGammaFit:
    """Fitted Gamma-Gamma parameters of the value per purchase: p, q, gamma."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    repeat_buyers: int
    converged: bool
    iterations: int = 0
    quality: FitQuality = field(default_factory=FitQuality)


def _bound_issues(names: str, values: tuple[float, ...], scales: tuple[float, ...]) -> list[Issue]:
    """Blocking when a parameter ran to an absurd corner; a caution when one grew very large."""
    absurd, large = [], []
    for name, value, scale in zip(names.split(), values, scales, strict=True):
        label = f"{name} = {value:.3g}"
        if not np.isfinite(value) or value / scale < PARAM_FLOOR or abs(math.log(value)) >= _EDGE:
            absurd.append(label)
        elif value / scale > PARAM_LARGE:
            large.append(label)
    out = []
    if absurd:
        out.append(
            Issue(
                "absurd_parameters",
                "The fit ran to an extreme (" + ", ".join(absurd) + "): the data cannot pin the"
                " model down, so its figures mean little.",
                True,
            )
        )
    if large:
        # Shape parameters growing without bound with a steady ratio is the model's limit of
        # identical clients on that side (for a and b: one dropout chance for all): usable.
        out.append(
            Issue(
                "large_parameters",
                "Some parameters are very large (" + ", ".join(large) + "): the clients look"
                " alike on that side of the model, which then treats them as one group.",
                False,
            )
        )
    return out


def _convergence_issue(converged: bool) -> list[Issue]:
    if converged:
        return []
    return [Issue("no_convergence", "The fit did not converge: its figures mean little.", True)]


def _maximise(objective, scales: np.ndarray) -> tuple[np.ndarray, bool, int]:
    """Parameters maximising the likelihood, searched as log(parameter / scale) up to the cap."""
    shift = np.log(scales)

    def scaled(z: np.ndarray) -> tuple[float, np.ndarray]:
        return objective(z + shift)

    # Every search starts at its scale: r = a = b = p = q = 1, alpha = mean T, gamma = mean value.
    point, converged, iterations = minimise(scaled, np.zeros(len(scales)), math.log(PARAM_CAP))
    values = np.exp(np.clip(point + shift, -LOG_BOUND, LOG_BOUND))
    return values, converged, iterations


def fit_bgnbd(x: object, t_x: object, T: object) -> BgNbdFit:
    """Maximum-likelihood BG/NBD fit on every client's (x, t_x, T)."""
    x, t_x, T = as_arrays(x, t_x, T)
    n, repeaters = len(x), int(np.sum(x > 0))
    issues: list[Issue] = []
    if n < MIN_CLIENTS or repeaters < MIN_REPEAT_BUYERS:
        issues.append(
            Issue(
                "few_repeat_buyers",
                f"Too little history: {n} clients, {repeaters} of them bought more than once"
                f" (at least {MIN_CLIENTS} and {MIN_REPEAT_BUYERS} are needed).",
                True,
            )
        )
    if repeaters == 0 or n == 0:
        nan = float("nan")
        return BgNbdFit(nan, nan, nan, nan, nan, n, repeaters, False, 0, FitQuality(tuple(issues)))
    (ux, ut, uT), w = compress((x, t_x, T))
    levels, index = np.unique(ux, return_inverse=True)
    index = index.reshape(-1)

    def objective(logp: np.ndarray) -> tuple[float, np.ndarray]:
        return bgnbd_objective(logp, levels, index, ut, uT, w)

    # alpha is on the time scale of the data: its scale is the mean observation length.
    scales = np.array([1.0, max(float(np.mean(T)), 1e-3), 1.0, 1.0])
    values, converged, iterations = _maximise(objective, scales)
    r, alpha, a, b = (float(v) for v in values)
    ll = float(weighted_sum(w, bgnbd_log_likelihood(r, alpha, a, b, ux, ut, uT)))
    issues += _convergence_issue(converged and np.isfinite(ll))
    if a < PARAM_FLOOR and a / (a + b) < NO_DROPOUT:
        # The data shows no client leaving (a short history: every silence still looks like a
        # gap between purchases); the dropout side cannot be learnt, so nothing is trusted.
        issues.append(
            Issue(
                "no_dropout_seen",
                f"No client has stayed away long enough to show that clients leave (a = {a:.3g}"
                f", b = {b:.3g}): the chance to leave cannot be estimated.",
                True,
            )
        )
        issues += _bound_issues("r alpha", (r, alpha), (scales[0], scales[1]))
    else:
        issues += _bound_issues("r alpha a b", (r, alpha, a, b), tuple(scales))
    quality = FitQuality(tuple(issues))
    return BgNbdFit(r, alpha, a, b, ll, n, repeaters, converged, iterations, quality)


def fit_gamma_gamma(frequency: object, monetary: object) -> GammaGammaFit:
    """Maximum-likelihood Gamma-Gamma fit on repeat buyers (x > 0, mean value > 0 kept)."""
    x, m = as_arrays(frequency, monetary)
    keep = (x > 0) & (m > 0) & np.isfinite(m)
    x, m = x[keep], m[keep]
    n = len(x)
    issues: list[Issue] = []
    if n < MIN_REPEAT_BUYERS:
        issues.append(
            Issue(
                "few_repeat_buyers",
                f"Only {n} clients bought more than once (at least {MIN_REPEAT_BUYERS} are"
                " needed to model the value of a purchase).",
                True,
            )
        )
    if n < 2:
        nan = float("nan")
        return GammaGammaFit(nan, nan, nan, nan, n, False, 0, FitQuality(tuple(issues)))
    (ux, um), w = compress((x, m))
    levels, index = np.unique(ux, return_inverse=True)
    index, log_m = index.reshape(-1), np.log(um)

    def objective(logp: np.ndarray) -> tuple[float, np.ndarray]:
        return gamma_gamma_objective(logp, levels, index, ux, um, log_m, w)

    # gamma is on the currency's scale: its scale is the mean value of a purchase.
    scales = np.array([1.0, 1.0, max(float(np.mean(m)), 1e-3)])
    values, converged, iterations = _maximise(objective, scales)
    p, q, gamma = (float(v) for v in values)
    ll = float(weighted_sum(w, gamma_gamma_log_likelihood(p, q, gamma, ux, um)))
    issues += _convergence_issue(converged and np.isfinite(ll))
    issues += _bound_issues("p q gamma", (p, q, gamma), tuple(scales))
    if q <= 1:
        issues.append(
            Issue(
                "infinite_mean_value",
                f"q = {q:.3g} is not above 1: the average value of a purchase is not defined,"
                " so no value can be predicted for clients who bought once.",
                True,
            )
        )
    return GammaGammaFit(p, q, gamma, ll, n, converged, iterations, FitQuality(tuple(issues)))


def frequency_value_correlation(frequency: object, monetary: object) -> float | None:
    """Pearson r between repeat purchases and mean value over repeat buyers (None if undefined)."""
    x, m = as_arrays(frequency, monetary)
    keep = (x > 0) & np.isfinite(m)
    x, m = x[keep], m[keep]
    if len(x) < 3 or np.std(x) == 0 or np.std(m) == 0:
        return None
    return float(np.corrcoef(x, m)[0, 1])


def correlation_issues(correlation: float | None) -> tuple[Issue, ...]:
    """A caution when spend moves with frequency, which the Gamma-Gamma model assumes away."""
    if correlation is None or abs(correlation) <= CORRELATION_CAUTION:
        return ()
    direction = "more" if correlation > 0 else "less"
    return (
        Issue(
            "value_depends_on_frequency",
            f"Clients who buy more often spend {direction} per purchase (r = {correlation:.2f}):"
            " the value model assumes they do not, so treat expected values with care.",
            False,
        ),
    )
