"""The import service: a file's bytes in, rows stored, with a report of what happened."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from kam_core.i18n import _, fmt_number, ngettext
from kam_core.import_report import (  # the report's helpers, here for the CLI and the page
    REJECTED_HEADERS,
    describe_amended,
    describe_overlap,
    duplicate_reasons,
    rejected_workbook,
    skipped_rows,
)
from kam_core.ingest import (
    ImportRefused,
    Layout,
    ParsedSheet,
    Workbook,
    apply_mapping,
    choose_sheet,
    parse_sheet,
    read_file,
)
from kam_core.ingest.errors import named
from kam_core.ingest.fields import NAME_KEYS, field_word, normalise_label
from kam_core.ingest.grid import SheetGrid
from kam_core.ingest.grouped import group_column, over_lines_column
from kam_core.ingest.guard import refuse_too_large
from kam_core.ingest.header import header_cells, match_label
from kam_core.ingest.ledger import ledger_layout
from kam_core.ingest.mapping_refusal import missing_columns_message
from kam_core.ingest.memory import give_back
from kam_core.ingest.periods import unpivot
from kam_core.ingest.sidetables import stack_side_tables
from kam_core.ingest.turn import taking_turn
from kam_core.ingest.worker import warm_up_in_background
from kam_core.store.clients import name_keys
from kam_core.store.identity import matched_notes
from kam_core.store.overlap import (
    DEFAULT_MONTH_SHARE,
    Overlap,
    month_reconciliation,
    stored_day_amounts,
)
from kam_core.store.sales import (
    ImportCounts,
    UploadInfo,
    find_overlap,
    import_rows,
    load_mapping,
    sales_count,
)
from kam_core.store.settings import DEFAULT_CURRENCY, currency_symbol, read_settings

__all__ = [
    "DUPLICATES",
    "REJECTED_HEADERS",
    "Preview",
    "SheetImport",
    "check_duplicates",
    "check_layout",
    "describe_amended",
    "describe_overlap",
    "detect",
    "duplicate_reasons",
    "import_file",
    "import_other_sheets",
    "large_work",
    "matched_notes",
    "month_share",
    "other_sheets_note",
    "parse",
    "preview",
    "read_upload",
    "reconcile",
    "rejected_of",
    "rejected_workbook",
    "store_parsed",
    "weight",
]

DUPLICATES = ("skip", "keep")
# One large file at a time in this process: reading, checking or storing a million rows takes
# the server's cores and a gigabyte for seconds, and side by side (three files of five million
# rows) they added up to 4 GB and slowed every other user's pages. Small files never wait.
LARGE_BYTES = 20 * 1024 * 1024
LARGE_ROWS = 200_000
_LARGE = threading.RLock()  # re-entrant: import_file holds it across the steps it calls


# An upload's bytes, or a regular file read where it lies (the command line: the server then
# holds no copy of it, and the reading worker maps the file itself).
Upload = bytes | Path


def weight(data: Upload) -> int:
    """A file's size as large_work weighs it: a workbook's zipped bytes count ten times."""
    # A million rows zip into 20-70 MB of workbook, or less where cells repeat.
    if isinstance(data, Path):
        with data.open("rb") as file:
            return os.fstat(file.fileno()).st_size * (10 if file.read(2) == b"PK" else 1)
    return len(data) * (10 if data[:2] == b"PK" else 1)


def digest(data: Upload) -> str:
    """The SHA-256 of the file's bytes, as hex."""
    if isinstance(data, Path):
        with data.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    return hashlib.sha256(data).hexdigest()


@contextmanager
def large_work(
    size: int, large: int = LARGE_ROWS, on_wait: Callable[[], object] | None = None
) -> Iterator[None]:
    """Run the block alone among large ones when size (rows or bytes) reaches large."""
    if size < large:
        yield
        return
    with taking_turn(_LARGE, on_wait):
        yield


# The share of a month's rows that must be stored already before rows matching only on
# client, date and amount count as the same orders (stored setting; 0.8 by default).
MONTH_SHARE_SETTING = "duplicate_month_share"


@dataclass
class Preview:
    """A read file with its detected (or remembered) layout, before anything is stored."""

    book: Workbook
    layout: Layout
    sha256: str
    remembered: bool = False
    notes: list[str] = field(default_factory=list)
    name_keys: int = NAME_KEYS  # how the database derives client ids from names
    currency: str = DEFAULT_CURRENCY  # the company's own (Settings)
    # Fields two columns could hold, with different values, none chosen by hand: each the
    # refusal's words (check_layout refuses the import while one is left).
    ambiguous: list[str] = field(default_factory=list)


def start_reader() -> None:
    """Start the file reader (its fork server) in the background, so no upload waits for it."""
    warm_up_in_background()


def preview(
    conn: duckdb.DuckDBPyConnection | None,
    data: Upload,
    file_name: str,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Preview:
    """Read a file, pick its sheet and header, and map columns (remembered mapping first)."""
    # The file's digest (a quarter of a second at 150 MB) is taken while the worker reads it.
    before = _state(data)
    # A file over the bound is refused before its digest is taken (a 4 GB file took 13 s).
    refuse_too_large(len(data) if before is None else before[0], file_name)
    try:
        with ThreadPoolExecutor(1) as pool:
            hashed = pool.submit(digest, data)
            book = read_upload(data, file_name)
            sha256 = hashed.result()
    except (ImportRefused, OSError) as exc:
        _unchanged(data, before, file_name, exc)
        raise
    _unchanged(data, before, file_name)
    return detect(conn, book, sha256, sheet, overrides)


def _state(data: Upload) -> tuple[int, int] | None:
    """A file's size and modification time (None for bytes in memory)."""
    if not isinstance(data, Path):
        return None
    stat = data.stat()
    return stat.st_size, stat.st_mtime_ns


def _unchanged(
    data: Upload,
    before: tuple[int, int] | None,
    file_name: str,
    failure: BaseException | None = None,
) -> None:
    """Refuse a file read where it lies that changed while it was read (being written)."""
    # Its digest and its rows may come from two versions of it; cut short under the reader,
    # it reads as a damaged file. Either way the user should import it once it is saved.
    try:
        changed = before is not None and _state(data) != before
    except OSError:  # gone meanwhile (moved or deleted)
        changed = True
    if changed:
        raise ImportRefused(
            _(
                "{file}: the file changed while it was read (it is being written or saved); "
                "nothing was imported. Import it again once it is saved."
            ).format(file=named(file_name))
        ) from failure


def read_upload(
    data: Upload, file_name: str, on_wait: Callable[[], object] | None = None
) -> Workbook:
    """Read an uploaded file in the reading worker, alone among large steps (large_work)."""
    with large_work(weight(data), LARGE_BYTES, on_wait):
        return read_file(data, file_name, on_wait=on_wait)


def detect(
    conn: duckdb.DuckDBPyConnection | None,
    book: Workbook,
    sha256: str,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    others: bool = True,
    by_hand: set[str] | None = None,
) -> Preview:
    """Pick the sheet and header of a read file and map its columns (remembered mapping first);
    others: name the other sheets holding sales columns (each sheet's layout is found);
    by_hand: the fields whose column the user chose (default: those overrides names)."""
    layout = choose_sheet(book, sheet, others)
    side = stack_side_tables(book, layout)
    if side is not None:
        layout = side[0]
    stacked = book.sheet(layout.sheet).stacked_note
    ledger = ledger_layout(book.sheet(layout.sheet), layout)
    if ledger is not None:
        layout = ledger[0]
    unpivoted = book.sheet(layout.sheet).long_of is not None
    crossed = unpivot(book, layout) if layout.missing_required() or unpivoted else None
    cross_notes: list[str] = []
    if crossed is not None:
        cross_notes = crossed[1]
        layout = replace(crossed[0], others=layout.others, aside=layout.aside)
    remembered = False
    if conn is not None and layout.header_index >= 0:
        saved = load_mapping(conn, layout.signature())
        if saved and all(c in layout.columns for c in saved.values()):
            cleared = {f: "" for f in layout.mapping}
            layout = apply_mapping(layout, {**cleared, **saved})
            remembered = True
    if overrides:
        layout = apply_mapping(layout, overrides)
    hand = set(by_hand) if by_hand is not None else {f for f, c in (overrides or {}).items() if c}
    if remembered:  # chosen at an earlier import of the same header
        hand |= set(layout.mapping)
    notes = list(book.notes) + ([stacked] if stacked else []) + cross_notes
    twin_notes, ambiguous = _rival_columns(book, layout, hand)
    notes += twin_notes
    notes += _other_revenue_columns(layout)
    if ledger is not None and layout.ledger is not None:
        notes.append(ledger[1])
    if layout.two_rows:
        joined = [layout.columns[col] for col in layout.mapping.values()][:3]
        notes.append(
            _(
                "Rows {above} and {row} of sheet '{sheet}' make one header: each label of row "
                "{above} names the columns below it ({labels})."
            ).format(
                above=fmt_number(layout.header_row - 1),
                row=fmt_number(layout.header_row),
                sheet=named(layout.sheet),
                labels=", ".join(f"'{named(label)}'" for label in joined),
            )
        )
    if any(g.hidden and g.name == layout.sheet for g in book.sheets):
        # The sales of a sheet Excel does not show: the user should know where they came from.
        notes.append(
            _(
                "Sheet '{sheet}' is hidden in the workbook (Excel does not show it); its rows "
                "were read, as it holds the sales columns."
            ).format(sheet=named(layout.sheet))
        )
    grouped = _group_clients(book, layout)
    if grouped is not None:
        layout, note = grouped
        notes.append(note)
    if layout.others:
        notes.append(other_sheets_note(layout))
    if layout.aside:
        # A Returns sheet beside the sales was left out without a word: the returns were
        # never taken off.
        notes.append(
            _(
                "Sheet(s) {sheets}: left out, as a summary, plan, returns or payments sheet "
                "holds no sales to add. To import one, choose it as the sheet (returns must then "
                "have negative amounts)."
            ).format(sheets=", ".join(f"'{named(s)}'" for s in layout.aside[:10]))
        )
    if remembered:
        notes.append(_("Column mapping taken from an earlier import with the same header."))
    keys = name_keys(conn) if conn is not None else NAME_KEYS
    own = currency_symbol(conn) if conn is not None else DEFAULT_CURRENCY
    return Preview(book, layout, sha256, remembered, notes, keys, own, ambiguous)


def _group_clients(book: Workbook, layout: Layout) -> tuple[Layout, str] | None:
    """A sheet mapping no client whose clients are group rows above their lines: the layout
    reading that column as the client's name, and a note saying so."""
    table = book.sheet(layout.sheet).table
    col = group_column(table, layout)
    if col is None:
        over = over_lines_column(table, layout)
        if over is None:
            return None
        # Salesforce's formatted reports: 'Account Name: Acme Ltd (3 records)' on a row over
        # each group, the lines naming their opportunity in that column.
        note = _(
            "{column}: no column is headed as the client; rows over each group of lines name "
            "their client in this column (such as '{client}'), so each line took the client of "
            "the row over it. If that is wrong, choose the client's column."
        ).format(column=layout.title(over), client=named(_first_group(table, layout, over)))
        return replace(layout, mapping={**layout.mapping, "client_name": over}), note
    own = _quickbooks_name(table, layout)
    if own is not None:
        # QuickBooks' detail reports (Type, Date, Num, Memo, Name, ...) name each line's
        # customer under Name, whatever they group by: Sales by Rep Detail's groups are the
        # reps, Sales by Item Detail's the items; read as the clients, they made reps clients.
        note = _(
            "{column}: each line names its customer there (a QuickBooks report); the group "
            "rows above the lines ({group}) were not read as clients."
        ).format(column=layout.title(own), group=layout.title(col))
        return replace(layout, mapping={**layout.mapping, "client_name": own}), note
    cells = table.column(col).slice(layout.header_index + 1).drop_null()
    first = next((str(v).strip() for v in cells.to_pylist() if str(v).strip()), "")
    note = _(
        "{column}: no column is headed as the client; this column names the clients on group "
        "rows above their lines (such as '{client}'), so it was read as the client's name. If "
        "it is not, choose the client's column."
    ).format(column=layout.title(col), client=named(first))
    return replace(layout, mapping={**layout.mapping, "client_name": col}), note


def _first_group(table: pa.Table, layout: Layout, col: int) -> str:
    """The first group row's text in col, at or above the header's row below it."""
    start = max(layout.header_index - 1, 0)
    for value in table.column(col).slice(start).to_pylist():
        text = str(value or "").strip()
        if text and normalise_label(text) != normalise_label(layout.columns[col]):
            return text
    return ""


def _quickbooks_name(table: pa.Table, layout: Layout) -> int | None:
    """The unmapped Name column of a QuickBooks detail report's header (Type or Transaction
    Type, Num or No., Name), if it is one."""
    labels = {normalise_label(label): col for col, label in enumerate(layout.columns)}
    kind = labels.get("type", labels.get("transaction type"))
    number = "num" in labels or "no" in labels
    if kind is None or not number or "name" not in labels:
        return None
    if labels["name"] in layout.mapping.values():
        return None
    # Its Type names QuickBooks' transactions (Invoice, Sales Receipt, Credit Memo): a Type of
    # products (Hardware, Service) is another report's, whose Name may be the sales rep.
    cells = table.column(kind).slice(layout.header_index + 1).drop_null().slice(0, 200)
    kinds = [normalise_label(str(v)) for v in cells.to_pylist() if str(v).strip()]
    if not kinds or sum(k in _QUICKBOOKS_KINDS for k in kinds) < 0.8 * len(kinds):
        return None
    return labels["name"]


_QUICKBOOKS_KINDS = frozenset(
    {
        "invoice", "sales receipt", "credit memo", "payment", "refund", "statement charge",
        "estimate", "sales order", "deposit", "general journal", "journal entry",
        "refund receipt", "receive payment",
    }
)  # fmt: skip


def other_sheets_note(layout: Layout) -> str:
    """What an import of one sheet leaves: the other sheets holding sales columns, counted."""
    shown = ", ".join(f"'{named(s)}'" for s in layout.others[:10])
    more = len(layout.others) - 10
    if more > 0:  # a workbook of a sheet a month: 35 sheets left, not the ten named
        shown += " " + _("and {count} more").format(count=fmt_number(more))
    return ngettext(
        "{count} other sheet holds sales columns too ({sheets}); this import reads sheet "
        "'{sheet}' only. Import it too (the box below; on the command line: {option}), "
        "or choose its sheet and import it on its own.",
        "{count} other sheets hold sales columns too ({sheets}); this import reads sheet "
        "'{sheet}' only. Import them too, each as an import of its own (the box below; on "
        "the command line: {option}), or choose each sheet and import it on its own.",
        len(layout.others),
    ).format(
        count=fmt_number(len(layout.others)),
        sheets=shown,
        sheet=named(layout.sheet),
        option=named("--all-sheets"),
    )


def _other_revenue_columns(layout: Layout) -> list[str]:
    """A note when unmapped columns look as much like the revenue as the one read (a sales
    register's 'Sales @ 18%' and 'Sales @ 5%'): only one was read, the others' amounts not."""
    at = layout.mapping.get("revenue")
    if at is None:
        return []
    fld, strength = match_label(layout.columns[at])
    if fld != "revenue":
        return []  # chosen by hand under a label of its own: no other label is as much alike
    mapped = set(layout.mapping.values())
    alike = [
        col
        for col, label in enumerate(layout.columns)
        if col not in mapped
        and match_label(label) == (fld, strength)
        and normalise_label(label) != normalise_label(layout.columns[at])  # twins: noted apart
    ]
    if not alike:
        return []
    return [
        _(
            "{column} was read as the revenue; the amounts of {others}, which look as much like "
            "revenue, were not read. If the revenue is their sum, add a column summing them, or "
            "choose the column that holds it."
        ).format(column=layout.title(at), others=", ".join(layout.title(col) for col in alike[:5]))
    ]


def _rival_columns(
    book: Workbook, layout: Layout, by_hand: set[str]
) -> tuple[list[str], list[str]]:
    """Columns that could hold a mapped field as well as the one read: headed alike ('Amount'
    twice), or, for the revenue, another plain name of it ('Amount' and 'Sum'). Notes where
    they hold the same values or the column was chosen by hand; refusals where neither."""
    notes: list[str] = []
    ambiguous: list[str] = []
    grid = book.sheet(layout.sheet)
    header = header_cells(grid, layout)
    labels = [normalise_label(label) for label in header]
    mapped = set(layout.mapping.values())
    for fld, col in layout.mapping.items():
        if col >= len(labels):
            continue
        twins = [i for i, label in enumerate(labels) if i != col and label and label == labels[col]]
        alike = [
            i
            for i in _plain_names(header, fld, col)
            if i not in mapped and i not in twins and labels[i] != labels[col]
        ]
        differ = [
            i
            for i in [*twins, *alike]
            if i not in mapped and not _same_values(grid, layout, col, i)
        ]
        if differ and fld not in by_hand:
            columns = sorted([col, *differ])
            ambiguous.append(
                _(
                    "{file}, sheet '{sheet}': columns {columns} ({labels}) could each be the "
                    "{field} and hold different values; {column} would be read. Choose the "
                    "column by hand: on the Upload page under Columns, or on the command line "
                    "with {option}."
                ).format(
                    file=named(book.file_name),
                    sheet=named(layout.sheet),
                    columns=", ".join(layout.letters[i] for i in columns),
                    labels=", ".join(f"'{named(str(header[i]).strip())}'" for i in columns),
                    field=field_word(fld),
                    column=layout.letters[col],
                    option=named(f"--map {fld}={layout.letters[differ[0]]}"),
                )
            )
        elif twins:
            notes.append(
                _(
                    "Columns {columns} are all headed '{label}'; {column} was read as {field}. "
                    "If another holds it, choose that column."
                ).format(
                    columns=", ".join(layout.letters[i] for i in sorted([col, *twins])),
                    label=str(header[col]).strip(),
                    column=layout.letters[col],
                    field=field_word(fld),
                )
            )
    return notes, ambiguous


def _plain_names(header: list[object], fld: str, col: int) -> list[int]:
    """For the revenue read under a plain name of it ('Amount', 'Sales', 'Sum'), the other
    columns headed by one ('Amount' and 'Sum'); a qualified name ('Net amount') is no rival."""
    if fld != "revenue":
        return []
    own, strength = match_label(header[col])
    if own != fld or not _PLAIN[0] < strength <= _PLAIN[1]:
        return []
    found = []
    for i, label in enumerate(header):
        other, power = match_label(label)
        if i != col and other == fld and _PLAIN[0] < power <= _PLAIN[1]:
            found.append(i)
    return found


# The strengths match_label gives a field's synonyms written alone (3.0 less their rank).
_PLAIN = (2.0, 3.0)


def _same_values(grid: SheetGrid, layout: Layout, col: int, other: int) -> bool:
    """True when two columns hold the same cells below the header."""
    table = grid.table
    if max(col, other) >= table.num_columns:
        return False
    start = layout.header_index + 1
    return table.column(col).slice(start).equals(table.column(other).slice(start))


def check_layout(pre: Preview, notes: bool = True) -> None:
    """Refuse a sheet whose required columns are not mapped, naming what is missing.

    notes: add what the reader noticed (a page that shows the notes already leaves them out).
    """
    missing = pre.layout.missing_required()
    if missing:
        # What the reader noticed says why a column may not be there: the separator or the
        # encoding it read with, or columns past the width it reads.
        message = missing_columns_message(pre.book.file_name, pre.layout, missing, not notes)
        raise ImportRefused(" ".join([message, *(pre.book.notes if notes else [])]))
    if pre.ambiguous:
        # Two columns could be the revenue (or both are headed 'Client'): taking one silently
        # stored the other's amounts nowhere, or the wrong ones.
        raise ImportRefused(" ".join(pre.ambiguous))


def parse(
    pre: Preview,
    monthfirst: bool | None = None,
    on_wait: Callable[[], object] | None = None,
    conn: duckdb.DuckDBPyConnection | None = None,
) -> ParsedSheet:
    """Parse the previewed sheet with its mapping (alone among large steps: large_work).

    conn: where the file's dates leave the order of day and month open, the rows already
    stored there decide it, when most of the file's rows are stored rows read one way.
    """
    check_layout(pre)
    grid = pre.book.sheet(pre.layout.sheet)
    # A cross table's long form is no line of the file: a delimited file's checks of its
    # lines ran on the sheet (the values past the header, lines cut in two) do not apply.
    delimited = pre.book.kind == "csv" and grid.long_of is None
    with large_work(grid.n_rows, on_wait=on_wait):
        parsed = parse_sheet(grid, pre.layout, monthfirst, delimited, pre.name_keys, pre.currency)
        if conn is not None and monthfirst is None and "order_date" in parsed.guessed:
            # A US export (04/03/2024 for April 3rd) of a quarter stored from another system:
            # read day first, every sale was stored again, on another month.
            parsed = _order_by_stored(
                conn,
                pre.layout,
                parsed,
                lambda: parse_sheet(grid, pre.layout, True, delimited, pre.name_keys, pre.currency),
            )
    # The grid stays for another mapping or sheet (the Upload page keeps it), not its pages.
    pre.book.drop_pages()
    give_back(grid.n_rows)
    return parsed


def _order_by_stored(
    conn: duckdb.DuckDBPyConnection,
    layout: Layout,
    day_first: ParsedSheet,
    read_month_first: Callable[[], ParsedSheet],
) -> ParsedSheet:
    """The reading of the two whose rows are mostly stored rows when the other's are not."""
    if not sales_count(conn):
        return day_first  # a first import: nothing to decide by
    as_read = stored_day_amounts(conn, day_first.rows)
    if as_read * 2 >= len(day_first.rows):
        return day_first
    month_first = read_month_first()
    other = stored_day_amounts(conn, month_first.rows)
    if other <= as_read or other * 2 < len(month_first.rows):
        return day_first
    month_first.notes.insert(
        0,
        _(
            "{column}: no date in the column tells whether the day or the month comes first "
            "(such as '{value}'). Read month first, {matched} of its {total} rows are rows "
            "already stored (the same day and amount); read day first, {other}. They were read "
            "month first."
        ).format(
            column=layout.title(layout.mapping["order_date"]),
            value=day_first.guessed["order_date"],
            matched=fmt_number(other),
            total=fmt_number(len(month_first.rows)),
            other=fmt_number(as_read),
        ),
    )
    return month_first


def nothing_to_import(pre: Preview, parsed: ParsedSheet) -> str | None:
    """Why a checked sheet imports nothing (no row under its header, or none valid); None
    when it has rows to import."""
    if not parsed.rows.empty:
        return None
    where = named(pre.book.file_name)
    if pre.book.kind != "csv":  # a CSV's one sheet is the file
        where = _("{file}, sheet '{sheet}'").format(file=where, sheet=named(pre.layout.sheet))
    if not parsed.rows_read:
        return _("{where}: there are no rows under the header.").format(where=where)
    return (
        _("{where}: no row can be imported (see the reasons below).").format(where=where)
        + " "
        + _("Check the columns chosen above, or fix the file and upload it again.")
    )


def month_share(conn: duckdb.DuckDBPyConnection) -> float:
    """The stored share of a month that makes amount-only matches probable duplicates."""
    value = read_settings(conn).get(MONTH_SHARE_SETTING)
    if isinstance(value, int | float) and 0 < value <= 1:
        return float(value)
    return DEFAULT_MONTH_SHARE


def check_duplicates(
    conn: duckdb.DuckDBPyConnection,
    parsed: ParsedSheet,
    on_wait: Callable[[], object] | None = None,
) -> Overlap:
    """Before storing: the parsed rows that look like rows another upload already stored."""
    if parsed.rows.empty:
        return Overlap(0, pd.DataFrame(columns=["source_row", "upload_id", "rule"]))
    with large_work(len(parsed.rows), on_wait=on_wait):
        overlap = find_overlap(conn, parsed.rows, month_share(conn))
    give_back(len(parsed.rows))
    return overlap


def store_parsed(
    conn: duckdb.DuckDBPyConnection,
    pre: Preview,
    parsed: ParsedSheet,
    all_or_nothing: bool = False,
    options: dict[str, object] | None = None,
    duplicates: str = "skip",
    on_wait: Callable[[], object] | None = None,
) -> ImportCounts:
    """Store the parsed rows in one transaction and remember the mapping that was used.

    Probable duplicates of another upload's rows are left out with duplicates="skip" (then
    added to parsed.rejected with their reason) or stored with "keep".
    """
    if duplicates not in DUPLICATES:
        raise ImportRefused(
            _("Duplicates must be 'skip' or 'keep', not '{value}'.").format(value=duplicates)
        )
    rejected = len(parsed.rejected)
    if all_or_nothing and rejected:
        first = parsed.rejected.iloc[0]
        raise ImportRefused(
            ngettext(
                "{file}: {count} row was rejected and all-or-nothing was asked, so nothing was "
                "imported. The row: sheet '{sheet}', row {row}, {column}: {reason} ('{value}').",
                "{file}: {count} rows were rejected and all-or-nothing was asked, so nothing was "
                "imported. First: sheet '{sheet}', row {row}, {column}: {reason} ('{value}').",
                rejected,
            ).format(
                file=named(pre.book.file_name),
                count=fmt_number(rejected),
                sheet=named(first["sheet"]),
                row=first["row"],
                column=first["column"],
                reason=first["reason"],
                value=first["value"],
            )
        )
    if parsed.rows.empty:
        detail = ""
        if not parsed.rows_read and pre.layout.header_index >= 0:
            detail = " " + _(
                "The header found (row {row}) has no rows below it; the rows above a header "
                "are not read."
            ).format(row=fmt_number(pre.layout.header_row))
        elif not rejected and parsed.rows_skipped and pre.layout.header_index >= 0:
            # Blank lines alone below the header: nothing said why no row was read.
            detail = " " + ngettext(
                "The {count} row below the header (row {row}) was skipped as blank, a total, "
                "a page line or the header repeated; it holds no sale.",
                "The {count} rows below the header (row {row}) were all skipped as blank, "
                "totals, page lines or the header repeated; none holds a sale.",
                parsed.rows_skipped,
            ).format(count=fmt_number(parsed.rows_skipped), row=fmt_number(pre.layout.header_row))
        if rejected:
            first = parsed.rejected.iloc[0]
            detail = " " + ngettext(
                "The sheet's {count} data row was rejected: row {row}, {column}: {reason} "
                "('{value}').",
                "All {count} data rows were rejected; first: row {row}, {column}: {reason} "
                "('{value}').",
                rejected,
            ).format(
                count=fmt_number(rejected),
                row=first["row"],
                column=first["column"],
                reason=first["reason"],
                value=first["value"],
            )
        raise ImportRefused(
            _("{file}, sheet '{sheet}': no valid rows to import.").format(
                file=named(pre.book.file_name), sheet=named(pre.layout.sheet)
            )
            + detail
        )
    info = UploadInfo(
        file_name=pre.book.file_name,
        sha256=pre.sha256,
        sheet=pre.layout.sheet,
        header_row=pre.layout.header_row,
        mapping=pre.layout.mapping_labels(),
        options=dict(options or {}),
        rows_read=parsed.rows_read,
        rows_rejected=rejected,
        rows_skipped=parsed.rows_skipped,
        header_signature=pre.layout.signature(),
        header=pre.layout.columns,
    )
    with large_work(len(parsed.rows), on_wait=on_wait):
        counts = import_rows(conn, parsed.rows, info, duplicates, month_share(conn))
    give_back(len(parsed.rows))
    if counts.rows_probable_duplicate and counts.overlap is not None:
        skipped = skipped_rows(pre.layout, parsed, counts.overlap)
        parsed.rejected = pd.concat([parsed.rejected, skipped], ignore_index=True)
    return counts


def import_file(
    conn: duckdb.DuckDBPyConnection,
    data: Upload,
    file_name: str,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    monthfirst: bool | None = None,
    all_or_nothing: bool = False,
    on_parsed: Callable[[ParsedSheet], None] | None = None,
    duplicates: str = "skip",
    on_others: Callable[[list[SheetImport]], None] | None = None,
) -> tuple[ImportCounts, ParsedSheet, Preview]:
    """Read, parse and store one file end to end; on_parsed sees the rows before storing.

    duplicates: "skip" leaves out rows that look like another upload's rows (listed in
    parsed.rejected with the upload they match), "keep" stores them.
    on_others: given, the other sheets holding sales columns are imported too, each on its
    own (import_other_sheets), and their outcomes handed to it.
    """
    # A large file holds the server from its read to its last row stored (each step takes
    # large_work too, by its rows; the lock is re-entrant).
    with large_work(weight(data), LARGE_BYTES):
        pre = preview(conn, data, file_name, sheet, overrides)
        rows = sum(grid.n_rows for grid in pre.book.sheets)
        give_back(rows)
        parsed = parse(pre, monthfirst, conn=conn)
        if on_parsed is not None:
            on_parsed(parsed)
        if on_others is None:
            pre.book.release()  # the grid is not needed once rows are parsed (parse gave back)
        options = {
            "monthfirst": monthfirst,
            "all_or_nothing": all_or_nothing,
            "duplicates": duplicates,
        }
        counts = store_parsed(conn, pre, parsed, all_or_nothing, options, duplicates)
        if on_others is not None:
            on_others(import_other_sheets(conn, pre, monthfirst, options, duplicates))
            pre.book.release()
        return counts, parsed, pre


@dataclass
class SheetImport:
    """One more sheet of a workbook imported on its own: its outcome, or why it was not."""

    sheet: str
    counts: ImportCounts | None = None
    parsed: ParsedSheet | None = None
    pre: Preview | None = None
    refused: str | None = None


def import_other_sheets(
    conn: duckdb.DuckDBPyConnection,
    pre: Preview,
    monthfirst: bool | None = None,
    options: dict[str, object] | None = None,
    duplicates: str = "skip",
    on_sheet: Callable[[int, str], None] | None = None,
    on_wait: Callable[[], object] | None = None,
) -> list[SheetImport]:
    """Import each other sheet holding sales columns (a workbook of a sheet a month), each as
    an import of its own, its columns found as for the first (a mapping chosen for the same
    header is remembered by then); a sheet refused does not stop the others."""
    done = []
    for number, sheet in enumerate(pre.layout.others):
        if on_sheet is not None:
            on_sheet(number, sheet)
        try:
            other = detect(conn, pre.book, pre.sha256, sheet, others=False)
            parsed = parse(other, monthfirst, on_wait, conn)
            counts = store_parsed(
                conn, other, parsed, False, {**(options or {}), "sheet": sheet}, duplicates, on_wait
            )
        except ImportRefused as exc:
            done.append(SheetImport(sheet, refused=str(exc)))
            continue
        done.append(SheetImport(sheet, counts, parsed, other))
    return done


def reconcile(conn: duckdb.DuckDBPyConnection, *parsed: ParsedSheet) -> pd.DataFrame:
    """After an import: revenue per month in the file (its sheets imported) against revenue
    now stored for it."""
    rows = [one.rows[["order_date", "revenue"]] for one in parsed if not one.rows.empty]
    return month_reconciliation(conn, _joined(rows) if rows else parsed[0].rows)


def rejected_of(*parsed: ParsedSheet) -> pd.DataFrame:
    """The rows left out of the sheets imported (each row names its sheet)."""
    left = [one.rejected for one in parsed if len(one.rejected)]
    return _joined(left) if left else parsed[0].rejected


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
