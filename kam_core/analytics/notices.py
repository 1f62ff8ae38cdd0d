"""Notices a report gives beside its table, kept in English with their msgid and values so a
cached result is told in each reader's language (notice_text)."""

from __future__ import annotations

import pandas as pd

from kam_core.analytics.params import AnalysisParams
from kam_core.i18n import N_, fmt_percent, gettext


class Notice(str):
    """A notice in English (as cached results hold it) that remembers its msgid and values."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, **values: object) -> Notice:
        """The English text of msgid with its values filled in."""
        english = {k: f"{v:.0%}" if k == "share" else v for k, v in values.items()}
        obj = super().__new__(cls, msgid.format(**english))
        obj.msgid, obj.values = msgid, values
        return obj

    def __reduce__(self) -> tuple:
        """Copies and pickles keep the msgid and values."""
        return (_notice, (self.msgid, self.values))


def _notice(msgid: str, values: dict[str, object]) -> Notice:
    return Notice(msgid, **values)


def notice_text(notice: str) -> str:
    """A notice in the current language (shares as percentages of the locale)."""
    msgid = getattr(notice, "msgid", None)
    if msgid is None:
        return gettext(str(notice))
    values = getattr(notice, "values", {})
    shown = {k: fmt_percent(v, 0) if k == "share" else v for k, v in values.items()}
    return gettext(msgid).format(**shown)


# Share of clients in one XYZ class from which the split tells a manager nothing.
CROWDED_SHARE = 0.9


def crowded_xyz_notice(classes: pd.Series, params: AnalysisParams) -> tuple[str, ...]:
    """A notice when 90% or more of the clients fall into one XYZ class, with what to try."""
    if len(classes) < 10:
        return ()
    shares = classes.value_counts(normalize=True)
    top, share = str(shares.index[0]), float(shares.iloc[0])
    if share < CROWDED_SHARE:
        return ()
    # One whole sentence per advice, so each language words it its own way.
    if params.xyz_method == "stability":
        msgid = (
            N_(
                "{share} of the clients fall into class {xyz}, so XYZ separates almost nobody: "
                "try the frequency method or quarterly periods."
            )
            if params.period == "month"
            else N_(
                "{share} of the clients fall into class {xyz}, so XYZ separates almost nobody: "
                "try the frequency method."
            )
        )
    elif params.period == "month":
        msgid = N_(
            "{share} of the clients fall into class {xyz}, so XYZ separates almost nobody: "
            "try the stability method or quarterly periods."
        )
    else:
        msgid = N_(
            "{share} of the clients fall into class {xyz}, so XYZ separates almost nobody: "
            "try the stability method."
        )
    return (Notice(msgid, share=share, xyz=top),)
