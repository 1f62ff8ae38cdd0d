"""One case of the hostile corpus: a file and the outcome its import must have."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Case:
    """One file and what must happen when it is imported."""

    name: str
    build: Callable[[Path], bytes]
    refused: str | None = None  # the refusal message contains this
    rows: int = 0  # rows imported
    rejected: int = 0
    names: frozenset[str] = field(default_factory=frozenset)  # client names stored exactly
    reason: str | None = None  # a rejected row's reason contains this
    note: str | None = None  # a note of the reader contains this
    value: str | None = None  # the rejected row shows this value
    dates: frozenset[str] = field(default_factory=frozenset)  # order dates stored (ISO)
    revenue: float | None = None  # the revenue the import stored
    ids: frozenset[str] = field(default_factory=frozenset)  # client ids stored exactly
    # The Upload page asks for the order of day and month (None: not checked).
    order_asked: bool | None = None
