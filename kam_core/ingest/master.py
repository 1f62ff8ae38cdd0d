"""Master-data sheets -> clean rows: find each sheet's kind and header, map and parse columns."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.config import SETTINGS
from kam_core.i18n import N_, _, fmt_number, fmt_percent, ngettext
from kam_core.ingest.errors import FORMULA_WITHOUT_RESULT, ImportRefused, megabytes, named
from kam_core.ingest.fields import normalise_label
from kam_core.ingest.grid import SheetGrid, Workbook
from kam_core.ingest.header import (
    HEADER_SCAN_ROWS,
    _code_beside_name,
    _row_labels,
    detect_layout,
    match_label,
    unique_labels,
)
from kam_core.ingest.master_fields import RANGES, SHEET_KINDS, SheetKind, choice_index
from kam_core.ingest.parse import (
    clean_text,
    comma_decimals_in_doubt,
    comma_decimals_note,
    currencies_mixed,
    date_column,
    parse_dates,
    parse_flags,
    parse_ids,
    parse_numbers,
    with_unix_cells,
)
from kam_core.ingest.text import as_series, clean_arrow, drop_invisible, one_line_arrow
from kam_core.ingest.written import MAX_DATE, MIN_DATE

CLIENT = ("client_id", "client_name")


@dataclass
class MasterLayout:
    """A master-data sheet: its kind, header row and which column holds each field."""

    sheet: str
    kind: str
    header_row: int  # as Excel numbers it
    header_index: int
    columns: list[str]
    mapping: dict[str, int] = field(default_factory=dict)
    by_name: bool = False  # the sheet's name told its kind

    def mapping_labels(self) -> dict[str, str]:
        """Field -> column label, in the kind's field order."""
        spec = SHEET_KINDS[self.kind]
        return {f: self.columns[self.mapping[f]] for f in spec.fields if f in self.mapping}

    def missing(self) -> list[str]:
        """Required fields the mapping lacks ('client id or name' for the client reference)."""
        out = []
        for req in SHEET_KINDS[self.kind].required:
            if req == "client":
                if not any(f in self.mapping for f in CLIENT):
                    out.append(_("client id or name"))
            elif req not in self.mapping:
                out.append(req)
        return out


@dataclass
class MasterSheet:
    """The parsed rows of one sheet and the rows refused, with reasons."""

    layout: MasterLayout
    rows: pd.DataFrame
    rejected: pd.DataFrame
    # Cells of optional fields that could not be read: left out, their rows stored.
    unread: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["sheet", "row", "column", "value", "reason"])
    )
    notes: list[str] = field(default_factory=list)  # how columns were read (Unix times)


# A text file's one sheet is named after the file: 'tenders.csv' announces Tenders as the sheet
# 'Tenders' does (read as 'tenders csv', a Tenders file holding dates and amounts was taken for
# sales and refused as holding no master data).
_TEXT_SUFFIX = re.compile(r"\.(?:csv|tsv|txt|tab|jsonl|ndjson|json)$", re.IGNORECASE)


def kind_by_name(sheet: str) -> str | None:
    """The kind a sheet's name announces ('Contacts', 'אנשי קשר', 'Тендеры'), else None."""
    name = normalise_label(_TEXT_SUFFIX.sub("", sheet.strip()))
    for kind, spec in SHEET_KINDS.items():
        if name in {normalise_label(n) for n in spec.names}:
            return kind
    return None


def _map(labels: list[str], spec: SheetKind) -> dict[str, int]:
    """Each field at most one column: exact synonyms first, then whole-word matches."""
    index = spec.index()
    candidates = []
    for i, label in enumerate(labels):
        norm = normalise_label(label)
        if norm in index:
            candidates.append((0, -len(norm), i, index[norm]))
            continue
        words = norm.split()
        for size in range(min(4, len(words)), 0, -1):
            hits = [" ".join(words[s : s + size]) for s in range(len(words) - size + 1)]
            found = [index[h] for h in hits if h in index]
            if found:
                candidates.append((1, -size, i, found[0]))
                break
    mapping: dict[str, int] = {}
    for _rank, _strength, i, fld in sorted(candidates):
        if fld not in mapping and i not in mapping.values():
            mapping[fld] = i
    if "client_name" in mapping and "client_id" not in mapping and "client_id" in spec.fields:
        _client_code(labels, mapping)
    return mapping


def _client_code(labels: list[str], mapping: dict[str, int]) -> None:
    """A bare 'Customer' beside 'Customer Name' is the client's code, as the sales import
    reads it (header._code_beside_name): both were taken for the name, and the code lost."""
    # Stored under ids made from the names (acme), the clients missed the sales of C1 and C2.
    ranked = []
    for i, label in enumerate(labels):
        fld, strength = match_label(label)
        if fld == "client_name":
            ranked.append((-strength, i, fld))
    _code_beside_name(labels, sorted(ranked), mapping, set(mapping.values()))


def detect_master(grid: SheetGrid, kind: str, by_name: bool = False) -> MasterLayout:
    """Find the header row of a sheet for a kind: the early row that maps the most fields."""
    spec = SHEET_KINDS[kind]
    best: MasterLayout | None = None
    best_score = -1
    for index in range(min(HEADER_SCAN_ROWS, grid.n_rows)):
        labels = _row_labels(grid, index)
        if sum(1 for x in labels if x) < 1:
            continue
        above = _row_labels(grid, index - 1) if index else []
        columns = unique_labels(labels, above, grid.letters)
        mapping = _map(columns, spec)
        layout = MasterLayout(
            grid.name, kind, index + grid.first_row, index, columns, mapping, by_name
        )
        score = 10 * (len(spec.required) - len(layout.missing())) + len(mapping)
        if score > best_score:
            best, best_score = layout, score
    if best is None:
        best = MasterLayout(grid.name, kind, grid.first_row, -1, [], {}, by_name)
    return best


def _looks_like_sales(grid: SheetGrid) -> bool:
    return not detect_layout(grid).missing_required()


def detect_sheets(book: Workbook, kinds: dict[str, str] | None = None) -> list[MasterLayout]:
    """Layouts of the master-data sheets: by sheet name, else by header; sales sheets skipped."""
    chosen = kinds or {}
    out = []
    for grid in book.sheets:
        if not grid.n_rows or chosen.get(grid.name) == "skip":
            continue
        kind = chosen.get(grid.name) or kind_by_name(grid.name)
        if kind:
            out.append(detect_master(grid, kind, by_name=True))
            continue
        if _looks_like_sales(grid):
            continue
        tries = [detect_master(grid, k) for k in SHEET_KINDS]
        fits = [t for t in tries if not t.missing() and len(t.mapping) >= 3]
        if fits:
            out.append(max(fits, key=lambda t: len(t.mapping)))
    return out


def apply_master_mapping(layout: MasterLayout, overrides: dict[str, str]) -> MasterLayout:
    """The layout with fields re-mapped to the given column labels ('' = not mapped)."""
    spec = SHEET_KINDS[layout.kind]
    mapping = dict(layout.mapping)
    for fld, column in overrides.items():
        if fld not in spec.fields:
            raise ImportRefused(
                _("Sheet '{sheet}': no field '{field}' in {kind}.").format(
                    sheet=named(layout.sheet), field=fld, kind=_(spec.label)
                )
            )
        if not column:
            mapping.pop(fld, None)
            continue
        if column not in layout.columns:
            raise ImportRefused(
                _("Sheet '{sheet}' has no column '{column}'.").format(
                    sheet=named(layout.sheet), column=named(column)
                )
            )
        index = layout.columns.index(column)
        mapping = {f: i for f, i in mapping.items() if i != index}
        mapping[fld] = index
    return MasterLayout(
        layout.sheet,
        layout.kind,
        layout.header_row,
        layout.header_index,
        layout.columns,
        mapping,
        layout.by_name,
    )


def _choices(values: pd.Series, vocab: str) -> pd.Series:
    index = choice_index(vocab)
    text = clean_text(values)
    return text.map(
        lambda v: index.get(normalise_label(v) or v.strip()) if isinstance(v, str) else None
    ).astype("object")


def _parse(values: pd.Series, kind: str, plain_ids: bool = True) -> pd.Series:
    """Parse one column by its type; unreadable cells become missing."""
    if kind == "line":
        # A name, a title, an e-mail: one line ('Dana\nCohen' is Dana Cohen, whom a 'reports
        # to' of 'Dana Cohen' names); free text (notes, descriptions) keeps its lines.
        text = _parse(values, "text", plain_ids)
        lines = pa.array(text.where(text.notna(), None).tolist(), pa.string())
        return (
            as_series(one_line_arrow(lines), text.index).where(lambda v: v != "").astype("object")
        )
    if kind == "text":
        # Exports prefix text such as "+972..." with an apostrophe so it never runs as a
        # formula; reading such a file back drops that apostrophe again.
        text = clean_text(drop_invisible(values)).str.replace(r"^'(?=[=+\-@])", "", regex=True)
        # Direction marks around a whole cell only steer how it is shown: ‏משה כהן‏ is the
        # person משה כהן, not a second one.
        edges = r"^[\u200e\u200f\u061c\s]+|[\u200e\u200f\u061c\s]+$"
        text = clean_text(text.str.replace(edges, "", regex=True))
        unseen = text.map(lambda v: isinstance(v, str) and _invisible_only(v)).astype(bool)
        return text.where(~unseen).astype("object")
    if kind == "id":
        return parse_ids(values, plain_ids).astype("object")
    if kind == "int":
        return _counts(values) + 0.0  # -0 is stored as 0
    if kind == "number":
        return parse_numbers(values) + 0.0
    if kind == "share":
        text = clean_text(values)
        number = parse_numbers(text.str.replace("%", "", regex=False)) + 0.0
        percent = text.str.contains("%", regex=False).fillna(False) | (number > 1)
        return number.where(~percent, number / 100)
    if kind == "date":
        return _dates(values)[0]
    if kind == "flag":
        return parse_flags(_ticks(values))
    return _choices(_ticks(values) if kind == "answer" else values, kind)


def _invisible_only(text: str) -> bool:
    """True for text of format characters and spaces alone (a joiner, a BOM): nothing shown."""
    return all(unicodedata.category(c) in ("Cf", "Cc", "Zs") or c.isspace() for c in text)


# A count written as a CRM or a person writes a headcount: '~500', 'c. 500', '500+', '>500',
# '1.2K', '50-100' (a bracket: its low end, the count the client has at least).
_ABOUT = re.compile(r"^(?:~|≈|±|>=?|≥|(?:c|ca|approx|about|circa)\.?\s)\s*", re.IGNORECASE)
_AT_LEAST = re.compile(r"\s*\+$")
_SCALED = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([kKmM])$")
_BRACKET = re.compile(r"^(\d[\d,. ]*?)\s*(?:-|–|—|to)\s*\d[\d,. ]*$")


def _counts(values: pd.Series) -> pd.Series:
    """Whole counts; a headcount written approximately is read as the count it names."""
    number = parse_numbers(values)
    unread = number.isna() & clean_text(values).notna()
    if not unread.any():
        return number
    text = clean_text(values[unread]).str.strip()
    text = text.str.replace(_ABOUT, "", regex=True).str.replace(_AT_LEAST, "", regex=True)
    low = text.str.extract(_BRACKET, expand=False)
    text = low.where(low.notna(), text)
    scaled = text.str.extract(_SCALED)
    factor = scaled[1].str.lower().map({"k": 1e3, "m": 1e6})
    base = pd.to_numeric(scaled[0].str.replace(",", ".", regex=False), errors="coerce")
    read = parse_numbers(text).where(factor.isna(), (base * factor).round())
    return number.where(~unread, read)


# Ten or thirteen figures: a Unix time's shape (parse._UNIX_TIME), which no written date has.
_UNIX_SHAPED = r"^(?:\d{10}|\d{13})$"


@dataclass
class UnixTimes:
    """Unix times a date column was read from: one such text and how many (0: all of them)."""

    example: str
    cells: int


def _dates(values: pd.Series) -> tuple[pd.Series, UnixTimes | None]:
    """Dates in the column's order; a cell only the other order reads ('12/31/2024' in a
    column of '31/12/2024') is read so: it has no other meaning. Unix times of this century
    are read as the sales import reads them (a whole column, or cell by cell beside written
    dates) and said so."""
    arr = clean_arrow(values)
    column = with_unix_cells(arr, date_column(arr))
    read = pd.Series(column.values, index=values.index, dtype="datetime64[s]")
    unread = read.isna() & clean_text(values).notna()
    # A Unix time outside the years they are read for is no date in either order: read
    # alone, the other order took it for a column of Unix times and stored it without a word.
    unread &= ~clean_text(values).str.match(_UNIX_SHAPED).fillna(False).astype(bool)
    if unread.any():
        other = parse_dates(values[unread], monthfirst=column.order != "mdy")[0]
        read = read.where(~unread, other.reindex(read.index))
    unix = UnixTimes(column.unix, column.unix_cells) if column.unix else None
    return read, unix


def _unix_note(sheet: str, label: str, unix: UnixTimes) -> str:
    """The note saying a date column was read from Unix times, as the sales import says it."""
    where = _("sheet '{sheet}', column '{column}'").format(sheet=named(sheet), column=named(label))
    if unix.cells:
        return ngettext(
            "{column}: {count} date among the written ones is a Unix time (seconds or "
            "milliseconds since 1970: '{value}'); it was read as its day in UTC.",
            "{column}: {count} dates among the written ones are Unix times (seconds or "
            "milliseconds since 1970, such as '{value}'); each was read as its day in UTC.",
            unix.cells,
        ).format(column=where, count=fmt_number(unix.cells), value=unix.example)
    return _(
        "{column}: the dates are Unix times (seconds or milliseconds since 1970, "
        "such as '{value}') and were read as their days in UTC."
    ).format(column=where, value=unix.example)


def _shown(text: str, kind: str) -> str:
    """A cell's value as the notes show it: a workbook date as its day, without the reader's
    midnight ('9999-12-31', not '9999-12-31 00:00:00')."""
    text = str(text)
    return (text.removesuffix(" 00:00:00") if kind == "date" else text)[:200]


def _outside_years(values: pd.Series) -> set[int]:
    """Rows whose cell reads as a date before MIN_DATE or after MAX_DATE (left unread)."""
    # '9999-12-31' or '0001-01-01' is a date, only none a record can hold: "not a date" misled.
    outside = date_column(clean_arrow(values)).outside
    return set() if outside is None else set(values.index[outside])


# Ticks and crosses of a checklist: ✓ yes, ✗ no.
_TICKS = {"✓": "yes", "✔": "yes", "☑": "yes", "✅": "yes", "✗": "no", "✘": "no", "❌": "no"}


def _ticks(values: pd.Series) -> pd.Series:
    """The cells as text, a tick or a cross as the word it stands for."""
    text = clean_text(values)
    return text.map(lambda v: _TICKS.get(v.strip(), v) if isinstance(v, str) else v)


def parse_master(grid: SheetGrid, layout: MasterLayout, plain_ids: bool = True) -> MasterSheet:
    """Parse the rows below the header; refuse rows missing what is required or unreadable.

    plain_ids: client ids read as the database's sales ids are (parse.parse_ids).
    """
    spec = SHEET_KINDS[layout.kind]
    _check_size(grid, layout)
    table = grid.table.slice(layout.header_index + 1).to_pandas()
    table.columns = list(range(table.shape[1]))
    first = layout.header_index + 1 + grid.first_row
    table.index = pd.RangeIndex(first, first + len(table))
    blank = np.ones(len(table), dtype=bool)
    for col in layout.mapping.values():
        blank &= clean_text(table[col]).isna().to_numpy()
    table = table[~blank]
    rows = pd.DataFrame(index=table.index)
    problems: list[tuple[int, str, str, str]] = []
    unread: list[tuple[int, str, str, str]] = []
    notes: list[str] = []
    limit = SETTINGS.limits.max_cell_chars
    for fld, col in layout.mapping.items():
        raw = clean_text(table[col])
        problems.extend(_unsaved_formulas(grid, col, raw, layout.columns[col]))
        # Sales cells have Excel's own bound, and so do these: the dossier's workbook export
        # holds no more, and a longer text read back from it would be stored cut.
        for r in raw[raw.str.len() > limit].index:
            problems.append(
                (
                    r,
                    layout.columns[col],
                    raw[r][:200] + "...",
                    _("longer than {limit} characters").format(limit=fmt_number(limit)),
                )
            )
        if spec.fields[fld] == "date":
            parsed, unix = _dates(table[col])
            if unix is not None:
                notes.append(_unix_note(layout.sheet, layout.columns[col], unix))
        else:
            parsed = _parse(table[col], spec.fields[fld], plain_ids)
        rows[fld] = parsed
        # Text and ids are read whatever they hold: one read as missing held nothing but
        # invisible characters (a zero-width space), as empty as a blank cell. Taken for
        # unreadable, it asked which words the field accepts: an internal error.
        readable = spec.fields[fld] in ("line", "text", "id")
        bad = raw.notna() & pd.Series(parsed, index=table.index).isna() & (not readable)
        # A cell of an optional field that cannot be read ('1.2 thousand' employees, a date
        # '2024-13-01') costs that field, not the client and its other fields.
        into = unread if _optional(fld, spec) else problems
        outside = _outside_years(table[col]) if spec.fields[fld] == "date" else set()
        for r in raw[bad].index:
            why = (
                _(OUTSIDE_YEARS).format(first=MIN_DATE.year, last=MAX_DATE.year)
                if r in outside
                else _expected(spec.fields[fld])
            )
            into.append((r, layout.columns[col], _shown(raw[r], spec.fields[fld]), why))
        if spec.fields[fld] == "number":
            if doubt := comma_decimals_in_doubt(clean_arrow(raw)):
                where = _("sheet '{sheet}', column '{column}'").format(
                    sheet=named(layout.sheet), column=named(layout.columns[col])
                )
                notes.append(comma_decimals_note(where, doubt))
            for r, why in _other_currencies(raw).items():
                # Stored as a number beside the others, a tender of €5,000 was added to
                # tenders in shekels; the cell is not read (a required amount: its row).
                into.append((r, layout.columns[col], str(raw[r])[:200], why))
                rows.loc[r, fld] = np.nan
        if spec.fields[fld] == "id":
            # A number of more than 15 figures comes as Excel shows it, 1.2345678901234568E+29
            # (read.long_numbers_as_shown), and a CSV saved by Excel so: its last digits are
            # gone, and the id stored would be one no system gave (or another client's).
            rounded = raw.str.match(_ROUNDED_ID).fillna(False).astype(bool)
            for r in raw[rounded].index:
                problems.append((r, layout.columns[col], str(raw[r]), _(ROUNDED_ID)))
        for r, why in _out_of_range(fld, spec.fields[fld], rows[fld]).items():
            problems.append((r, layout.columns[col], str(raw[r])[:200], why))
        for r in _underflow(spec.fields[fld], raw, rows[fld]):
            why = _("{field} is out of range (not zero, but too small for a number to hold)")
            problems.append(
                (r, layout.columns[col], str(raw[r])[:200], why.format(field=_field_word(fld)))
            )
    for req in spec.required:
        wanted = [f for f in (CLIENT if req == "client" else (req,)) if f in rows]
        if not wanted:
            continue
        missing = rows[wanted].isna().all(axis=1)
        for r in rows.index[missing]:
            label = _("client id or name") if req == "client" else req
            problems.append((r, label, "", _("required value missing")))
    bad_rows = sorted({p[0] for p in problems})
    rejected = pd.DataFrame(
        [
            {"sheet": layout.sheet, "row": r, "column": c, "value": v, "reason": why}
            for r, c, v, why in sorted(problems)
        ],
        columns=["sheet", "row", "column", "value", "reason"],
    )
    good = rows.drop(index=bad_rows)
    good["source_row"] = good.index
    refused = set(bad_rows)
    left = pd.DataFrame(
        [
            {"sheet": layout.sheet, "row": r, "column": c, "value": v, "reason": why}
            for r, c, v, why in sorted(unread)
            if r not in refused
        ],
        columns=["sheet", "row", "column", "value", "reason"],
    )
    return MasterSheet(layout, good.reset_index(drop=True), rejected, left, notes)


def _other_currencies(raw: pd.Series) -> dict[int, str]:
    """Cells of a money column written in another currency than most of its cells (the first
    shown of as frequent ones), as the sales import finds them, with the reason."""
    text = raw.dropna()
    if text.empty:
        return {}
    signs = currencies_mixed(pa.array(text.tolist(), pa.string()))
    if not signs:
        return {}
    main = max(signs, key=lambda sign: (int(signs[sign].sum()), -int(np.argmax(signs[sign]))))
    out = {}
    for sign, at in signs.items():
        if sign == main:
            continue
        why = _(
            "in {currency}, where the column's other amounts are in {main} (amounts of two "
            "currencies are not added up)"
        ).format(currency=sign, main=main)
        for r in text.index[at & ~signs[main]]:
            out[r] = why
    return out


def _optional(fld: str, spec: SheetKind) -> bool:
    """A field a record is stored without (not its client, not a required field)."""
    return fld not in CLIENT and fld not in spec.required


def _check_size(grid: SheetGrid, layout: MasterLayout) -> None:
    """Refuse a sheet of more rows or text than master data has (MAX_MASTER_*)."""
    limits = SETTINGS.limits
    body = grid.table.slice(layout.header_index + 1)
    if body.num_rows > limits.max_master_rows:
        raise ImportRefused(
            _(
                "Sheet '{sheet}': {rows} rows; master data is read up to {limit} rows a sheet. "
                "Is this a sales export? Import it on the Upload page."
            ).format(
                sheet=named(layout.sheet),
                rows=fmt_number(body.num_rows),
                limit=fmt_number(limits.max_master_rows),
            )
        )
    text = sum(
        pc.sum(pc.binary_length(body.column(col))).as_py() or 0
        for col in set(layout.mapping.values())
        if pa.types.is_string(body.schema.field(col).type)
        or pa.types.is_large_string(body.schema.field(col).type)
    )
    if text > limits.max_master_text_bytes:
        raise ImportRefused(
            _(
                "Sheet '{sheet}': its columns hold {size} of text; master data is read up to "
                "{limit} a sheet. Shorten the long texts (descriptions, notes) or split the sheet."
            ).format(
                sheet=named(layout.sheet),
                size=megabytes(text),
                limit=megabytes(limits.max_master_text_bytes),
            )
        )


def _unsaved_formulas(
    grid: SheetGrid, col: int, raw: pd.Series, label: str
) -> list[tuple[int, str, str, str]]:
    """Rows whose cell in col is a formula without a saved result (read as empty)."""
    if col not in grid.formulas:
        return []
    rows = set(grid.formulas[col][2])
    why = _(FORMULA_WITHOUT_RESULT)
    return [(r, label, "", why) for r in raw.index[raw.isna()] if r in rows]


def _out_of_range(fld: str, kind: str, values: pd.Series) -> dict[int, str]:
    """Numbers that read fine but no record may hold: infinite, fractional counts, too large."""
    if kind not in ("int", "number", "share"):
        return {}
    number = pd.to_numeric(values, errors="coerce").astype("float64")
    low, high = RANGES.get(fld, (-1e12, 1e12))
    out = {}
    finite = np.isfinite(number)
    outside = number.notna() & (~finite | (number < low) | (number > high))
    if kind == "share":
        low_text, high_text = fmt_percent(0, 0), fmt_percent(1, 0)
    else:
        low_text, high_text = fmt_number(low), fmt_number(high)
    why = _("{field} must be between {low} and {high}.").format(
        field=_field_word(fld), low=low_text, high=high_text
    )
    for r in number.index[outside]:
        out[r] = why
    if kind == "int":
        fraction = number.notna() & finite & ~outside & (number != np.floor(number))
        for r in number.index[fraction]:
            out[r] = _("not a whole number")
    return out


# The smallest number a double holds at full precision: a figure written below it ('1e-400')
# reads as 0 or as a figure of a few digits, and was stored so.
_TINY = np.finfo(np.float64).tiny
# A figure with a nonzero digit before an exponent: '1e-400', '-2.5E-330' (not '0e-400').
_NONZERO_EXPONENT = re.compile(r"^[^eE]*[1-9][^eE]*[eE]")


def _underflow(kind: str, raw: pd.Series, values: pd.Series) -> list[int]:
    """Rows whose cell writes a nonzero number that reads as 0 or nearly: its value is lost."""
    if kind not in ("int", "number", "share"):
        return []
    number = pd.to_numeric(values, errors="coerce").astype("float64")
    tiny = number.notna() & (number.abs() < _TINY)
    return [r for r in number.index[tiny] if _NONZERO_EXPONENT.match(str(raw[r]).replace(" ", ""))]


def _field_word(fld: str) -> str:
    return fld.replace("_", " ").capitalize()


def _expected(kind: str) -> str:
    if kind in _NOT_A:
        return _(_NOT_A[kind])
    allowed = ", ".join(v.replace("_", " ") for v in choice_index(kind).values())
    return _("not one of: {choices}").format(choices=", ".join(dict.fromkeys(allowed.split(", "))))


OUTSIDE_YEARS = N_("outside the years {first} to {last}")
ROUNDED_ID = N_(
    "an id of more than 15 digits stored as a number lost its last digits; format the column "
    "as text"
)
# A number in scientific notation, as Excel shows and saves a long one (reasons._EXCEL_ROUNDED).
_ROUNDED_ID = r"^[+-]?\d(?:[.,]\d+)?[eE]\+\d{2,3}$"


_NOT_A = {
    "int": N_("not a whole number"),
    "number": N_("not a number"),
    "share": N_("not a share such as 30% or 0.3"),
    "date": N_("not a date"),
    "flag": N_("not yes or no"),
    "answer": N_("not yes, no or unknown"),
}
