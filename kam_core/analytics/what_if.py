"""What-if for ABC-XYZ thresholds: which clients change cell, and between which cells."""

from __future__ import annotations

import pandas as pd

from kam_core.analytics.abc_xyz import CELLS
from kam_core.i18n import N_, gettext

NONE = "-"  # the client is not in that classification (no sales in its window)
MOVE_COLUMNS = ["client_id", "client_name", "cell_before", "cell_after", "step", "value"]
# How a move reads: A beats B beats C first, then X beats Y beats Z within a class.
STEPS: dict[str, str] = {
    "up": N_("Step up"),
    "down": N_("Step down"),
    "in": N_("Into the matrix"),
    "out": N_("Out of the matrix"),
    "same": N_("Same cell"),
}


def step(before: str, after: str) -> str:
    """Whether a move between cells is a step up or down: AZ -> CZ is down, CZ -> CX up."""
    if before == after:
        return "same"
    if before not in CELLS:
        return "in"
    if after not in CELLS:
        return "out"
    # ABC first (value matters most), then XYZ (regularity); CELLS runs AX ... CZ.
    return "up" if CELLS.index(after) < CELLS.index(before) else "down"


def step_label(code: str) -> str:
    """The label of a step code in the current language."""
    return gettext(STEPS[code]) if code in STEPS else code


def step_counts(frame: pd.DataFrame, before: str, after: str, weight: str | None = None) -> dict:
    """Clients per step code over rows of (before cell, after cell[, clients])."""
    codes = [step(b, a) for b, a in zip(frame[before], frame[after], strict=True)]
    sizes = frame[weight] if weight else pd.Series(1, index=frame.index)
    counts = sizes.groupby(pd.Series(codes, index=frame.index)).sum()
    return {code: int(counts.get(code, 0)) for code in STEPS}


def cell_moves(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The clients whose cell differs between two ABC-XYZ tables, largest value first."""
    left = before[["client_id", "client_name", "cell", "value"]]
    right = after[["client_id", "client_name", "cell", "value"]]
    frame = pd.merge(left, right, on="client_id", how="outer", suffixes=("_before", "_after"))
    frame["client_name"] = frame["client_name_after"].fillna(frame["client_name_before"])
    frame["value"] = frame["value_after"].fillna(frame["value_before"]).fillna(0.0)
    frame["cell_before"] = frame["cell_before"].fillna(NONE)
    frame["cell_after"] = frame["cell_after"].fillna(NONE)
    moved = frame[frame["cell_before"] != frame["cell_after"]].copy()
    pairs = zip(moved["cell_before"], moved["cell_after"], strict=True)
    moved["step"] = [step(b, a) for b, a in pairs]
    moved = moved.sort_values(["value", "client_id"], ascending=[False, True])
    return moved[MOVE_COLUMNS].reset_index(drop=True)


def _cell_order(cell: str) -> int:
    return CELLS.index(cell) if cell in CELLS else len(CELLS)


def move_counts(moves: pd.DataFrame) -> pd.DataFrame:
    """Clients and value per (from cell, to cell) pair, in matrix order."""
    if moves.empty:
        return pd.DataFrame(
            {
                "cell_before": pd.Series(dtype="str"),
                "cell_after": pd.Series(dtype="str"),
                "step": pd.Series(dtype="str"),
                "clients": pd.Series(dtype="int64"),
                "value": pd.Series(dtype="float64"),
            }
        )
    counts = (
        moves.groupby(["cell_before", "cell_after"])
        .agg(clients=("client_id", "size"), value=("value", "sum"))
        .reset_index()
    )
    pairs = zip(counts["cell_before"], counts["cell_after"], strict=True)
    counts.insert(2, "step", [step(b, a) for b, a in pairs])
    order = counts["cell_before"].map(_cell_order) * 100 + counts["cell_after"].map(_cell_order)
    return counts.assign(_o=order).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def matrix_change(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per cell: clients before and after a change of thresholds, and the difference."""
    frame = before[["cell", "clients"]].merge(
        after[["cell", "clients"]], on="cell", suffixes=("_before", "_after")
    )
    frame["difference"] = frame["clients_after"] - frame["clients_before"]
    return frame
