"""Importing master data: a workbook's Clients, Contacts, Tenders, Competitors, Activities
and People sheets into the dossiers, with the same detection and mapping as sales."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from kam_core.dossier.model import CLIENT_FIELDS, ENTITY_FIELDS, DossierError, clean
from kam_core.dossier.records import DEFAULT_USER
from kam_core.i18n import N_, _, fmt_number, ngettext
from kam_core.ingest import ImportRefused, Workbook, read_file
from kam_core.ingest.errors import named
from kam_core.ingest.fields import PLAIN_IDS, normalise_label
from kam_core.ingest.master import (
    MasterLayout,
    MasterSheet,
    apply_master_mapping,
    detect_sheets,
    parse_master,
)
from kam_core.ingest.master_fields import SHEET_KINDS
from kam_core.ingest.parse import client_key
from kam_core.store.clients import name_keys
from kam_core.store.dossier_import import apply_master
from kam_core.store.dossier_reads import known_clients

# Sheet columns that name another record instead of holding a stored value.
RENAMES = {"contact": {"reports_to": "reports_to_name"}, "activity": {"contact": "contact_name"}}


@dataclass
class MasterPreview:
    """A read workbook with the master-data sheets found in it and their mappings."""

    book: Workbook
    layouts: list[MasterLayout]


@dataclass
class MasterResult:
    """What an import of master data did."""

    counts: dict[str, dict[str, int]]
    rejected: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line per kind: added, updated, unchanged."""
        names = {**{k: s.label for k, s in SHEET_KINDS.items()}, "people": N_("People (managers)")}
        lines = [
            _("{kind}: {added} added, {updated} updated, {unchanged} unchanged").format(
                kind=_(names.get(k, k)),
                added=fmt_number(c["added"]),
                updated=fmt_number(c["updated"]),
                unchanged=fmt_number(c["unchanged"]),
            )
            for k, c in self.counts.items()
        ]
        if len(self.rejected):
            # A row is a sheet's row: row 2 of Tenders and row 2 of Competitors are two.
            count = len(self.rejected[["sheet", "row"]].drop_duplicates())
            shown = ngettext("Rejected: {count} row", "Rejected: {count} rows", count)
            lines.append(shown.format(count=fmt_number(count)))
        return "\n".join(lines + self.notes)


def preview_master(
    data: bytes,
    file_name: str,
    kinds: dict[str, str] | None = None,
    overrides: dict[str, dict[str, str]] | None = None,
) -> MasterPreview:
    """Read a workbook and find its master-data sheets; kinds and overrides correct the guess."""
    book = read_file(data, file_name)
    layouts = detect_sheets(book, kinds)
    layouts = [apply_master_mapping(lay, (overrides or {}).get(lay.sheet, {})) for lay in layouts]
    if not layouts:
        names = ", ".join(g.name for g in book.sheets)
        raise ImportRefused(
            _(
                "{file}: no master-data sheet found (sheets: {sheets}). Name the sheets "
                "Clients, Contacts, Tenders, Competitors, Activities or People, or download the "
                "template."
            ).format(file=named(file_name), sheets=names)
        )
    return MasterPreview(book, layouts)


def _resolve_clients(rows: pd.DataFrame, known: pd.DataFrame, keys: int) -> pd.Series:
    """Client ids: the id column, else a known client of that name, else an id from the name."""
    by_name = {
        normalise_label(n): c
        for c, n in zip(known["client_id"], known["client_name"], strict=True)
        if isinstance(n, str)
    }
    ids = rows["client_id"] if "client_id" in rows else pd.Series(None, index=rows.index)
    names = rows["client_name"] if "client_name" in rows else pd.Series(None, index=rows.index)
    derived = client_key(names.astype("str"), keys) if names.notna().any() else names
    # A column of codes read as names ('Customer' alone holding C1, C2) names the stored
    # client of that code, not a new client made from the code.
    stored = {c for c in known["client_id"] if isinstance(c, str)}

    def named_client(name: object) -> str | None:
        if not isinstance(name, str):
            return None
        return by_name.get(normalise_label(name)) or (
            name.strip() if name.strip() in stored else None
        )

    found = names.map(named_client)
    ids = ids.astype("object")
    return (
        ids.map({**_stored_codes(ids, known), **_stored_case(ids, known)})
        .fillna(ids)
        .where(ids.notna(), found.where(found.notna(), derived))
    )


def _stored_codes(ids: pd.Series, known: pd.DataFrame) -> dict[str, str]:
    """Numeric ids of the sheet that a stored client writes with leading zeros (1000 -> 001000:
    Excel drops the zeros of a code it takes for a number), where one stored id is so."""
    stored = {str(c) for c in known["client_id"] if isinstance(c, str)}
    by_code: dict[str, list[str]] = {}
    for client in stored:
        if client.isdigit() and client.isascii():
            by_code.setdefault(client.lstrip("0") or "0", []).append(client)
    out = {}
    for value in ids.dropna().unique():
        text = str(value)
        if text in stored or not (text.isdigit() and text.isascii()):
            continue
        same = by_code.get(text.lstrip("0") or "0", [])
        if len(same) == 1:
            out[value] = same[0]
    return out


def _joined_ids(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Ids a sales import joined to a stored client by their sales (client_aliases) -> that
    client, where no client is stored under the id itself."""
    found = conn.execute(
        """SELECT alias_id, arg_max(client_id, upload_id) FROM client_aliases
           WHERE alias_id NOT IN (SELECT client_id FROM client_facts)
             AND alias_id NOT IN (SELECT client_id FROM clients)
           GROUP BY alias_id"""
    ).fetchall()
    return {str(a): str(b) for a, b in found}


def _stored_case(ids: pd.Series, known: pd.DataFrame) -> dict[str, str]:
    """Ids of the sheet that one stored id writes in other capitals (c001 -> C001), as sales
    imports match them: the same code typed by hand in another system."""
    stored = {str(c) for c in known["client_id"] if isinstance(c, str)}
    by_fold: dict[str, list[str]] = {}
    for client in stored:
        by_fold.setdefault(client.casefold(), []).append(client)
    out = {}
    for value in ids.dropna().unique():
        text = str(value)
        if text in stored or text.upper() == text.lower():
            continue  # stored as written, or no letter to differ by
        same = by_fold.get(text.casefold(), [])
        if len(same) == 1:
            out[value] = same[0]
    return out


def _validate(
    sheet: MasterSheet, known: pd.DataFrame, keys: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean each row with the dossier's own rules; refuse rows that break them."""
    kind = sheet.layout.kind
    rows = sheet.rows.copy()
    rows["client_id"] = _resolve_clients(rows, known, keys)
    fields = CLIENT_FIELDS if kind == "client" else ENTITY_FIELDS[kind]
    names = {f.name for f in fields}
    renames = RENAMES.get(kind, {})
    good, bad = [], []
    for rec in rows.to_dict("records"):
        given = {k: v for k, v in rec.items() if k in names and k not in renames and _filled(v)}
        try:
            out = clean(fields, given, partial=True)
        except DossierError as exc:
            bad.append(
                {
                    "sheet": sheet.layout.sheet,
                    "row": rec["source_row"],
                    "column": "",
                    "value": "",
                    "reason": str(exc),
                }
            )
            continue
        out["client_id"] = rec["client_id"]
        out["source_row"], out["source_sheet"] = rec["source_row"], sheet.layout.sheet
        for src, dst in renames.items():
            if src in rec:
                out[dst] = rec[src] if _filled(rec[src]) else None
        good.append(out)
    return pd.DataFrame(good), pd.DataFrame(bad)


def _filled(value: object) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def import_master(
    conn: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    user: str = DEFAULT_USER,
    kinds: dict[str, str] | None = None,
    overrides: dict[str, dict[str, str]] | None = None,
) -> MasterResult:
    """Read, check and store a master-data workbook in one transaction."""
    pre = preview_master(data, file_name, kinds, overrides)
    return store_master(conn, pre, user)


def store_master(
    conn: duckdb.DuckDBPyConnection, pre: MasterPreview, user: str = DEFAULT_USER
) -> MasterResult:
    """Parse the previewed sheets and store their valid rows; refuse an unusable sheet."""
    for lay in pre.layouts:
        if lay.missing():
            raise ImportRefused(
                _(
                    "{file}, sheet '{sheet}' ({kind}): no column recognised for {fields}. "
                    "Columns: {columns}."
                ).format(
                    file=named(pre.book.file_name),
                    sheet=named(lay.sheet),
                    kind=_(SHEET_KINDS[lay.kind].label),
                    fields=", ".join(lay.missing()),
                    columns=", ".join(lay.columns) or _("none"),
                )
            )
    known = known_clients(conn)
    keys = name_keys(conn)
    aliases = _joined_ids(conn)
    rejoined: dict[str, str] = {}
    frames: dict[str, list[pd.DataFrame]] = {}
    people: list[pd.DataFrame] = []
    rejected = []
    unread = []
    read_notes: list[str] = []
    recoded: dict[str, str] = {}
    recased: dict[str, str] = {}
    # The Clients sheets first: the other sheets of the file may name their clients by them.
    for lay in sorted(pre.layouts, key=lambda lay: lay.kind != "client"):
        parsed = parse_master(pre.book.sheet(lay.sheet), lay, keys >= PLAIN_IDS)
        rejected.append(parsed.rejected)
        unread.append(parsed.unread)
        read_notes.extend(parsed.notes)
        if lay.kind == "people":
            people.append(parsed.rows[["region", "manager"]])
            continue
        if "client_id" in parsed.rows and aliases:
            # An id a sales import joined to a stored client by their sales is that client.
            ids = parsed.rows["client_id"]
            hit = ids.isin(list(aliases))
            if hit.any():
                rejoined.update({a: aliases[a] for a in ids[hit].unique()})
                parsed.rows["client_id"] = ids.where(~hit, ids.map(aliases))
        if "client_id" in parsed.rows:
            recoded.update(_stored_codes(parsed.rows["client_id"], known))
            recased.update(_stored_case(parsed.rows["client_id"], known))
        good, bad = _validate(parsed, known, keys)
        rejected.append(bad)
        if lay.kind == "client" and len(good):
            # A Contacts sheet keyed by the codes this sheet gives its clients finds them.
            given = good[["client_id"]].assign(client_name=good.get("client_name"))
            known = pd.concat([known, given], ignore_index=True)
        if len(good):
            frames.setdefault(lay.kind, []).append(good)
    merged = {k: pd.concat(v, ignore_index=True) for k, v in frames.items()}
    staff = pd.concat(people, ignore_index=True) if people else None
    counts, notes = apply_master(conn, merged, staff, (user or DEFAULT_USER), pre.book.file_name)
    bad_rows = [r for r in rejected if len(r)]
    columns = ["sheet", "row", "column", "value", "reason"]
    all_bad = pd.concat(bad_rows, ignore_index=True) if bad_rows else pd.DataFrame(columns=columns)
    if recoded:
        notes.append(
            _read_as(
                _(
                    "Client ids read as the stored clients' codes (the zeros in front dropped): "
                    "{ids}."
                ),
                recoded,
                str,
            )
        )
    if rejoined:
        notes.append(
            _read_as(
                _(
                    "Client ids read as the stored clients an import joined them to by their "
                    "sales: {ids}."
                ),
                rejoined,
            )
        )
    if recased:
        notes.append(
            _read_as(
                _("Client ids read as the stored clients' ids, written in other capitals: {ids}."),
                recased,
            )
        )
    notes.extend(read_notes)
    notes.extend(_unread_notes(pre.book.file_name, unread))
    return MasterResult(counts, all_bad, [*pre.book.notes, *notes])


def _read_as(note: str, pairs: dict[str, str], show: Callable[[object], str] = named) -> str:
    """The note with up to five ids and the stored ids they were read as, '…' for more."""
    shown = sorted(pairs.items())[:5]
    listed = ", ".join(
        _("{given} as {stored}").format(given=show(given), stored=show(stored))
        for given, stored in shown
    )
    return note.format(ids=listed) + (" …" if len(pairs) > len(shown) else "")


# Cells named one by one in the notes; the others counted.
UNREAD_SHOWN = 20


def _unread_notes(file_name: str, frames: list[pd.DataFrame]) -> list[str]:
    """One note per cell that could not be read (its row stored without it), then a count."""
    cells = [row for frame in frames for row in frame.to_dict("records")]
    notes = [
        _(
            "{file}, sheet '{sheet}', row {row}, column '{column}': '{value}' is {reason}; "
            "the cell was not read, the rest of the row was stored."
        ).format(
            file=named(file_name),
            sheet=named(c["sheet"]),
            row=c["row"],
            column=named(c["column"]),
            value=named(c["value"]),
            reason=c["reason"],
        )
        for c in cells[:UNREAD_SHOWN]
    ]
    if len(cells) > UNREAD_SHOWN:
        more = len(cells) - UNREAD_SHOWN
        notes.append(
            ngettext(
                "... and {count} more cell not read.", "... and {count} more cells not read.", more
            ).format(count=fmt_number(more))
        )
    return notes
