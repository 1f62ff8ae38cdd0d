"""Settings as a service: thresholds, currency and display defaults, checked before storing."""

from __future__ import annotations

import math
from dataclasses import asdict, fields
from typing import Any

import duckdb

from kam_core.analytics.health_weights import (
    DEFAULT_WEIGHTS,
    PARTS,
    HealthWeights,
    load_health_weights,
    weight_key,
)
from kam_core.analytics.p_alive import (
    CUTOFF_KEYS,
    DisagreementCutoffs,
    load_disagreement_cutoffs,
)
from kam_core.analytics.params import load_thresholds
from kam_core.config import Thresholds
from kam_core.i18n import N_, _
from kam_core.services.scope import MANAGERS_MAY_IMPORT
from kam_core.store.settings import (
    CURRENCY_KEY,
    hold_settings,
    read_settings,
    write_settings,
)

# Where the pages read them: the company's currency is stored beside the other settings.
from kam_core.store.settings import DEFAULT_CURRENCY as DEFAULT_CURRENCY
from kam_core.store.settings import currency_symbol as currency_symbol

DEFAULTS = Thresholds()
CURRENCIES: tuple[str, ...] = ("₪", "$", "€", "£", "₽", "¥", "ILS", "USD", "EUR")
DECIMALS_KEY = "money_decimals"
DEFAULT_DECIMALS = 0


def read_once_per_run(conn: duckdb.DuckDBPyConnection) -> None:
    """Keep the settings read on this connection (a script run's cursor) for its life."""
    hold_settings(conn)


class SettingsRefused(ValueError):
    """Settings that contradict each other or are out of range; the message says which."""


def threshold_problems(t: Thresholds) -> list[str]:
    """Thresholds that contradict each other or are out of range, as sentences for the user."""
    values = asdict(t)
    bad = [k for k, v in values.items() if not isinstance(v, int | float) or not math.isfinite(v)]
    if bad:
        return [_("Not a number: {names}.").format(names=", ".join(bad))]
    rules = [
        (0 < t.abc_a < t.abc_b <= 1, N_("The A share must be below the B share (at most 100%).")),
        (0 < t.xyz_stability_x < t.xyz_stability_y, N_("Stability: X must be below Y.")),
        (0 < t.xyz_frequency_y < t.xyz_frequency_x <= 1, N_("Frequency: Y must be below X.")),
        (
            0 <= t.key_share_low < t.key_share_high <= 1,
            N_("The key clients' band must run from low to high."),
        ),
        (
            0 < t.churn_risk_gaps < t.churn_lost_gaps,
            N_("At risk must come before lost (median gaps)."),
        ),
        (0 < t.churn_risk_days <= t.churn_lost_days, N_("At risk must come before lost (days).")),
        (1 <= t.months <= 120, N_("The window must be between 1 and 120 months.")),
        (0 <= t.breadwinner_share <= 1, N_("The breadwinner share must be between 0 and 100%.")),
        (0 <= t.prospect_top_share <= 1, N_("The prospect share must be between 0 and 100%.")),
        (0 <= t.expert_return_share <= 1, N_("The expert share must be between 0 and 100%.")),
    ]
    return [_(message) for ok, message in rules if not ok]


def thresholds(conn: duckdb.DuckDBPyConnection) -> Thresholds:
    """The thresholds in force: stored values over the defaults."""
    return load_thresholds(conn)


def _changed(conn: duckdb.DuckDBPyConnection, changes: dict[str, Any], by: Any) -> None:
    """Store settings and, when someone is named, record what changed in the audit log."""
    before = read_settings(conn)
    write_settings(conn, changes)
    if by is None:
        return
    from kam_core.services import audit

    moved = {k: v for k, v in changes.items() if before.get(k) != v}
    if moved:
        audit.record(conn, by, "settings.change", ",".join(sorted(moved)), moved)


def save_thresholds(conn: duckdb.DuckDBPyConnection, wanted: Thresholds, by: Any = None) -> None:
    """Check and store every threshold in one transaction; refuse contradictions."""
    issues = threshold_problems(wanted)
    if issues:
        raise SettingsRefused(" ".join(issues))
    _changed(conn, {f.name: getattr(wanted, f.name) for f in fields(Thresholds)}, by)


def reset_thresholds(conn: duckdb.DuckDBPyConnection, by: Any = None) -> None:
    """Store the default of every threshold."""
    save_thresholds(conn, DEFAULTS, by)


def health_weights(conn: duckdb.DuckDBPyConnection) -> HealthWeights:
    """The health part weights in force: stored values over the defaults."""
    return load_health_weights(conn)


def health_weight_problems(values: dict[str, Any]) -> list[str]:
    """Weights that cannot be used, as sentences for the user (empty when all is well)."""
    unknown = sorted(set(values) - set(PARTS))
    if unknown:
        return [_("Unknown health parts: {names}.").format(names=", ".join(unknown))]
    bad = [
        k
        for k, v in values.items()
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v)
    ]
    if bad:
        return [_("Not a number: {names}.").format(names=", ".join(bad))]
    issues = []
    if any(v < 0 for v in values.values()):
        issues.append(_("A health weight cannot be negative."))
    merged = {**asdict(DEFAULT_WEIGHTS), **values}
    if sum(merged.values()) <= 0:
        issues.append(_("At least one health weight must be above zero."))
    return issues


def save_health_weights(
    conn: duckdb.DuckDBPyConnection, wanted: HealthWeights | dict[str, Any], by: Any = None
) -> None:
    """Check and store the weight of every health part in one transaction; refuse bad ones."""
    values = asdict(wanted) if isinstance(wanted, HealthWeights) else dict(wanted)
    issues = health_weight_problems(values)
    if issues:
        raise SettingsRefused(" ".join(issues))
    merged = {**asdict(DEFAULT_WEIGHTS), **values}
    _changed(conn, {weight_key(p): float(merged[p]) for p in PARTS}, by)


def reset_health_weights(conn: duckdb.DuckDBPyConnection, by: Any = None) -> None:
    """Store the default weight of every health part."""
    save_health_weights(conn, DEFAULT_WEIGHTS, by)


def disagreement_cutoffs(conn: duckdb.DuckDBPyConnection) -> DisagreementCutoffs:
    """Where the churn rule and the model are said to disagree: stored over the defaults."""
    return load_disagreement_cutoffs(conn)


def cutoff_problems(low: Any, high: Any) -> list[str]:
    """Disagreement cut-offs that cannot be used, as sentences for the user."""
    numbers = [v for v in (low, high) if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) < 2 or not all(math.isfinite(v) for v in numbers):
        return [_("The cut-offs must be numbers.")]
    if not 0 < low < high < 1:
        return [
            _(
                "The cut-offs must run from low to high between 0% and 100%: "
                "'probably gone' below 'probably still buying'."
            )
        ]
    return []


def save_disagreement_cutoffs(
    conn: duckdb.DuckDBPyConnection, low: float, high: float, by: Any = None
) -> None:
    """Check and store both cut-offs (shares, 0 < low < high < 1) in one transaction."""
    issues = cutoff_problems(low, high)
    if issues:
        raise SettingsRefused(" ".join(issues))
    _changed(conn, {CUTOFF_KEYS["low"]: float(low), CUTOFF_KEYS["high"]: float(high)}, by)


def reset_disagreement_cutoffs(conn: duckdb.DuckDBPyConnection, by: Any = None) -> None:
    """Store the default cut-offs."""
    d = DisagreementCutoffs()
    save_disagreement_cutoffs(conn, d.low, d.high, by)


def money_decimals(conn: duckdb.DuckDBPyConnection) -> int:
    """How many decimals amounts are shown with: 0 or 2 (stored; 0 by default)."""
    value = read_settings(conn).get(DECIMALS_KEY)
    return value if value in (0, 2) else DEFAULT_DECIMALS


def save_display(
    conn: duckdb.DuckDBPyConnection,
    currency: str | None = None,
    decimals: int | None = None,
    by: Any = None,
) -> None:
    """Store how amounts are shown: the currency symbol and the number of decimals."""
    changes: dict[str, Any] = {}
    if currency is not None:
        currency = currency.strip()
        if not currency or len(currency) > 5 or not currency.isprintable():
            raise SettingsRefused(_("A currency is a symbol or a code of at most 5 characters."))
        changes[CURRENCY_KEY] = currency
    if decimals is not None:
        if decimals not in (0, 2):
            raise SettingsRefused(_("Amounts are shown with 0 or 2 decimals."))
        changes[DECIMALS_KEY] = decimals
    if changes:
        _changed(conn, changes, by)


LANGUAGE_KEY = "language"
# The installation's default interface language; None leaves it to each visitor's browser.
LANGUAGES: tuple[str, ...] = ("en", "he")


def default_language(conn: duckdb.DuckDBPyConnection) -> str | None:
    """The interface language a first visit opens in (stored), or None to follow the browser."""
    value = read_settings(conn).get(LANGUAGE_KEY)
    return value if value in LANGUAGES else None


def save_language(conn: duckdb.DuckDBPyConnection, language: str | None, by: Any = None) -> None:
    """Store the default interface language ('en', 'he', or None to follow the browser)."""
    if language is not None and language not in LANGUAGES:
        raise SettingsRefused(_("The interface language is English or Hebrew."))
    _changed(conn, {LANGUAGE_KEY: language}, by)


def managers_may_import(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether managers may upload sales files in team mode (stored; no by default)."""
    return read_settings(conn).get(MANAGERS_MAY_IMPORT) is True


def save_managers_may_import(
    conn: duckdb.DuckDBPyConnection, allowed: bool, by: Any = None
) -> None:
    """Allow or forbid managers to upload sales files (an admin's choice, audited)."""
    _changed(conn, {MANAGERS_MAY_IMPORT: bool(allowed)}, by)
