"""The parameters every report takes, and their resolution against the data."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import duckdb

from kam_core import vocabulary
from kam_core.config import Thresholds
from kam_core.store.settings import read_settings

Measure = Literal["revenue", "profit", "quantity"]
XyzMethod = Literal["stability", "frequency"]
Period = Literal["month", "quarter"]
XyzPreset = Literal["settings", "classic", "sales", "relative"]

MEASURES: tuple[str, ...] = tuple(vocabulary.MEASURES)
XYZ_METHODS: tuple[str, ...] = ("stability", "frequency")
PERIODS: tuple[str, ...] = ("month", "quarter")
FILTERS: tuple[str, ...] = ("manager", "region", "segment", "category")
# Fixed cut-offs of the named XYZ stability presets (DOMAIN.md section 4); "relative" is
# computed from the observed values and "settings" uses the thresholds object.
XYZ_PRESETS: dict[str, tuple[float, float]] = {"classic": (0.10, 0.25), "sales": (0.5, 1.0)}


@dataclass(frozen=True)
class AnalysisParams:
    """What every report is computed for: window, measure, XYZ method, thresholds, filters."""

    as_of: date | None = None
    months: int = 12
    measure: Measure = "revenue"
    # The article classifies XYZ by purchase frequency; stability (CV) is the option.
    xyz_method: XyzMethod = "frequency"
    period: Period = "month"
    xyz_preset: XyzPreset = "settings"
    migration_months: int = 3
    thresholds: Thresholds = field(default_factory=Thresholds)
    manager: str | None = None
    region: str | None = None
    segment: str | None = None
    category: str | None = None

    def __post_init__(self) -> None:
        """Refuse values no report can use, with a message for the user."""
        if self.months < 1:
            raise ValueError("months must be at least 1")
        if self.measure not in MEASURES:
            raise ValueError(f"measure must be one of {', '.join(MEASURES)}")
        if self.xyz_method not in XYZ_METHODS:
            raise ValueError(f"xyz_method must be one of {', '.join(XYZ_METHODS)}")
        if self.period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}")
        if self.xyz_preset not in (*XYZ_PRESETS, "settings", "relative"):
            raise ValueError("xyz_preset must be settings, classic, sales or relative")
        if self.migration_months < 1:
            raise ValueError("migration_months must be at least 1")

    @property
    def filters(self) -> dict[str, str]:
        """The row filters that are set, by column name."""
        return {k: v for k in FILTERS if (v := getattr(self, k)) not in (None, "")}

    def filters_key(self) -> tuple[tuple[str, str], ...]:
        """The filters as a hashable key for caches."""
        return tuple(sorted(self.filters.items()))

    def with_as_of(self, as_of: date) -> AnalysisParams:
        """Return a copy with the as-of date fixed."""
        return replace(self, as_of=as_of)


def shift_months(day: date, months: int) -> date:
    """Move a date by whole calendar months, clamping to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def window_start(as_of: date, months: int) -> date:
    """First day of the window: the months calendar months ending with as_of's month."""
    first = shift_months(date(as_of.year, as_of.month, 1), -(months - 1))
    return first


def period_index(day: date, start: date, period: str) -> int:
    """Zero-based index of day's period in a window starting at start."""
    if period == "quarter":
        return (day.year * 4 + (day.month - 1) // 3) - (start.year * 4 + (start.month - 1) // 3)
    return (day.year * 12 + day.month) - (start.year * 12 + start.month)


def period_count(as_of: date, months: int, period: str) -> int:
    """Number of periods (calendar months or calendar quarters) the window touches."""
    return period_index(as_of, window_start(as_of, months), period) + 1


def period_label(start: date, index: int, period: str) -> str:
    """Human label of a period: 2017-03 for a month, 2017Q1 for a quarter."""
    if period == "quarter":
        q = start.year * 4 + (start.month - 1) // 3 + index
        return f"{q // 4}Q{q % 4 + 1}"
    first = shift_months(date(start.year, start.month, 1), index)
    return f"{first.year}-{first.month:02d}"


def xyz_cutoffs(params: AnalysisParams) -> tuple[float, float] | None:
    """The X and Y upper bounds for the chosen method; None means tertiles of the data."""
    t = params.thresholds
    if params.xyz_method == "frequency":
        return (t.xyz_frequency_x, t.xyz_frequency_y)
    if params.xyz_preset == "relative":
        return None
    if params.xyz_preset in XYZ_PRESETS:
        return XYZ_PRESETS[params.xyz_preset]
    return (t.xyz_stability_x, t.xyz_stability_y)


def thresholds_from_settings(
    stored: dict[str, object], base: Thresholds | None = None
) -> Thresholds:
    """Thresholds with stored settings applied: keys are field names, or one "thresholds" dict."""
    base = base or Thresholds()
    values: dict[str, object] = {}
    nested = stored.get("thresholds")
    if isinstance(nested, dict):
        values.update(nested)
    values.update({k: v for k, v in stored.items() if k != "thresholds"})
    known = {f for f in Thresholds.__dataclass_fields__}
    changes = {}
    for key, value in values.items():
        if key in known and isinstance(value, int | float) and not isinstance(value, bool):
            kind = type(getattr(base, key))
            changes[key] = kind(value)
    return replace(base, **changes)


def load_thresholds(conn: duckdb.DuckDBPyConnection) -> Thresholds:
    """The thresholds in force: defaults from config with the database's settings applied."""
    return thresholds_from_settings(read_settings(conn))
