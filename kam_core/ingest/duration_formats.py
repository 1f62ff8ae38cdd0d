"""Numbers a duration format shows as elapsed time ('[h]:mm' shows 1.5 as 36:00).

A cell holds a duration as a number of days. The reader turned such a cell into a date when it
came to a day or more (1.5 read as 1900-01-01 12:00:00, rejected as no amount) and left it a
number below (0.25 stored as an amount of 0.25): one column read two ways. Each cell of an
elapsed-time format is written as Excel shows it (36:00, 6:00), so its row is rejected showing
the duration, as an OpenDocument duration cell's is.
"""

from __future__ import annotations

import math
import re
import zipfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.ingest.grid import SheetGrid
from kam_core.ingest.padded import FORMULA, each_sheet, format_styles, style_names, whole_rows

# Excel's built-in elapsed-time format ([h]:mm:ss), which styles.xml does not write out.
BUILTIN = {"46": "[h]:mm:ss"}
# What a format shows as text or not at all: quoted, escaped, padding, fill, colours, locales.
_LITERAL = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)
_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.IGNORECASE)
_UNITS = re.compile(r"\[(?:h+|m+|s+)\]|h+|m+|s+", re.IGNORECASE)
# One piece of a duration format: an elapsed unit, a unit, fractions of a second, a quoted
# text, an escaped character, padding or fill, a bracketed colour or locale, any other text.
_PIECE = re.compile(
    r'\[(h+|m+|s+)\]|(h+|m+|s+)|\.(0+)|"([^"]*)"|\\(.)|[_*].|\[[^\]]*\]|(.)', re.IGNORECASE
)
_MOST_SECONDS = 10**15  # past this (31 million years) Excel shows '#####': the value as written


def duration_format(code: str) -> str | None:
    """The section of a number format that shows numbers as elapsed time, or None."""
    section = code.split(";", 1)[0]
    bare = _LITERAL.sub("", section)
    if not _ELAPSED.search(section) or re.search(r"[dy]|A/P|AM/PM", bare, re.IGNORECASE):
        return None  # no elapsed unit, or a date or a clock's half of the day beside it
    if len(_UNITS.findall(bare)) < 2:
        # One unit alone ([ss] shows 1.5 days as 129600) shows a plain number, which would be
        # read as an amount: the reader's reading stands.
        return None
    return section


def shown_duration(value: float, section: str) -> str | None:
    """The number of days value as the duration format's section shows it (36:00), or None
    where Excel shows no duration (too large, not a number)."""
    if not math.isfinite(value) or abs(value) * 86_400 >= _MOST_SECONDS:
        return None
    pieces = list(_PIECE.finditer(section))
    units = {(m.group(1) or m.group(2) or "")[:1].lower() for m in pieces} - {""}
    places = max((len(m.group(3)) for m in pieces if m.group(3)), default=0)
    # Rounded to the smallest unit shown, as Excel rounds (1.49999 days at [h]:mm: 36:00).
    if "s" in units:
        ticks = round(abs(value) * 86_400 * 10**places)
        seconds, fraction = divmod(ticks, 10**places)
    else:
        step = 60 if "m" in units else 3600
        seconds, fraction = round(abs(value) * 86_400 / step) * step, 0
    out = []
    for m in pieces:
        elapsed, unit, decimals, quoted, escaped, other = m.groups()
        if elapsed:
            per = {"h": 3600, "m": 60, "s": 1}[elapsed[0].lower()]
            out.append(str(seconds // per).zfill(len(elapsed)))
        elif unit:
            per, modulo = {"h": (3600, 24), "m": (60, 60), "s": (1, 60)}[unit[0].lower()]
            out.append(str(seconds // per % modulo).zfill(min(len(unit), 2)))
        elif decimals:
            out.append("." + str(fraction).zfill(places)[: len(decimals)])
        elif quoted is not None:
            out.append(quoted)
        elif escaped is not None:
            out.append(escaped)
        elif other is not None:
            out.append(other)
    shown = "".join(out)
    # A negative duration below what is shown (-0:00) shows no sign.
    return "-" + shown if value < 0 and any(ch in "123456789" for ch in shown) else shown


def _styles(archive: zipfile.ZipFile) -> dict[int, str]:
    """Cell style index -> the duration section of its number format."""
    return format_styles(archive, duration_format, BUILTIN)


def with_durations_shown(data: bytes, grids: list[SheetGrid]) -> list[SheetGrid]:
    """The grids with each number cell of a duration format written as Excel shows it."""
    return each_sheet(data, grids, _styles, _show)


def _pattern(styles: dict[int, str]) -> re.Pattern[bytes]:
    """A number cell of one of the styles: (column, row, style, value)."""
    return re.compile(
        rb'<(?:[\w.\-]{1,100}:)?c r="([A-Z]{1,3})([0-9]{1,7})" s="(' + style_names(styles) + rb')"'
        rb'(?: t="n")?>\s{0,100}' + FORMULA + rb"<(?:[\w.\-]{1,100}:)?v>\s{0,100}"
        rb"([-+0-9.eE]{1,400})\s{0,100}</"
    )


def _show(archive: zipfile.ZipFile, member: str, grid: SheetGrid, styles: dict[int, str]) -> None:
    """Write the sheet's cells of a duration format as the format shows them."""
    pattern = _pattern(styles)
    cells: dict[str, dict[int, str]] = {}  # column letter -> sheet row (from 1) -> shown
    for buf, end in whole_rows(archive, member):
        for letters, row, style, value in pattern.findall(buf, 0, end):
            section = styles.get(int(style))
            if section is None:
                continue  # a style past the pattern's list (style_names)
            try:
                number = float(value)
            except ValueError:
                continue  # no number: the reader's own reading stands
            text = value.decode() if (s := shown_duration(number, section)) is None else s
            cells.setdefault(letters.decode(), {})[int(row)] = text
    columns = {letter: i for i, letter in enumerate(grid.letters)}
    for letter, found in cells.items():
        col = columns.get(letter)
        if col is None:
            continue
        column = grid.table.column(col).combine_chunks()
        rows = [r for r in sorted(found) if 0 <= r - grid.first_row < len(column)]
        if not rows:
            continue
        mask = np.zeros(len(column), dtype=bool)
        mask[np.array([r - grid.first_row for r in rows], dtype=np.int64)] = True
        text = pa.array([found[r] for r in rows], column.type)
        column = pc.replace_with_mask(column, pa.array(mask), text)
        grid.table = grid.table.set_column(col, grid.table.field(col), column)
