"""Loading master data into the dossier tables in one transaction, set-based, with a change log."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from kam_core.i18n import _, fmt_number, fmt_percent
from kam_core.ingest.errors import named
from kam_core.store.db import writing
from kam_core.store.dossier import TABLES
from kam_core.store.dossier_reads import KNOWN_CLIENTS_SQL

# Columns that identify an existing record, so importing the same sheet twice changes nothing.
MATCH: dict[str, tuple[str, ...]] = {
    "client": (),
    "contact": ("name",),
    "competitor": ("name",),
    "tender": ("tender_date", "subject"),
    "activity": ("kind", "activity_date", "text"),
}
# Values new records take where a sheet leaves them blank (the columns are NOT NULL).
DEFAULTS: dict[str, dict[str, object]] = {
    "client": {
        "need": "unknown",
        "solvency": "unknown",
        "authority": "unknown",
        "is_image_maker": False,
        "is_expert": False,
    },
    "contact": {"attitude": "neutral", "influence": 3},
    "tender": {"result": "pending"},
    "activity": {"kind": "note", "status": "planned"},
    "competitor": {},
}
ORDER = ("client", "contact", "competitor", "tender", "activity")


def _norm(values: pd.Series) -> pd.Series:
    if (
        pd.api.types.is_datetime64_any_dtype(values)
        or values.map(lambda v: hasattr(v, "isoformat")).any()
    ):
        return pd.to_datetime(values).dt.strftime("%Y-%m-%d").fillna("")
    return values.astype("object").map(lambda v: "" if pd.isna(v) else str(v).strip().casefold())


def _keys(frame: pd.DataFrame, entity: str) -> pd.Series:
    parts = [frame["client_id"].astype(str)]
    parts += [_norm(frame[c]) for c in MATCH[entity]]
    out = parts[0]
    for p in parts[1:]:
        out = out + "\x1f" + p
    return out


def _types(cur: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
        [table],
    ).fetchall()
    return dict(rows)


def _upsert(
    cur: duckdb.DuckDBPyConnection,
    entity: str,
    frame: pd.DataFrame,
    user: str,
    now: datetime,
    source: str,
    notes: list[str] | None = None,
) -> dict[str, int]:
    """Insert new records, update matched ones where a non-blank value differs.

    Rows of the file that describe the same record (a client twice) are not stored twice: the
    last one is, and a note names the rows left out.
    """
    table = TABLES[entity]
    cols = [c for c in table.columns if c in frame.columns]
    for col in MATCH[entity]:
        if col not in frame:
            frame[col] = DEFAULTS[entity].get(col)
    frame = frame.assign(_key=_keys(frame, entity))
    repeated = frame.duplicated("_key", keep="last")
    if repeated.any() and notes is not None and "source_row" in frame:
        left = frame[repeated]
        shown = ", ".join(str(int(r)) for r in left["source_row"].head(10))
        notes.append(
            _(
                "Sheet '{sheet}': row(s) {rows} describe the same record as a later row; the "
                "later row is stored ({count} row(s) left out)."
            ).format(sheet=named(left["source_sheet"].iloc[0]), rows=shown, count=len(left))
        )
    frame = frame[~repeated].drop(columns=["source_row", "source_sheet"], errors="ignore")
    clients = frame["client_id"].unique().tolist()
    key_col = table.key
    match_cols = ", ".join(dict.fromkeys(("client_id", key_col, *MATCH[entity])))
    existing = cur.execute(
        f"SELECT {match_cols} FROM {table.name} WHERE client_id IN (SELECT unnest(?))",
        [clients],
    ).df()
    existing["_key"] = _keys(existing, entity) if len(existing) else pd.Series(dtype="str")
    ids = dict(zip(existing["_key"], existing[key_col], strict=True))
    frame["_row"] = frame["_key"].map(ids)
    types = _types(cur, table.name)
    new = frame[frame["_row"].isna()].copy()
    for col, value in DEFAULTS[entity].items():
        new[col] = new[col].astype("object").where(new[col].notna(), value) if col in new else value
    ins_cols = list(dict.fromkeys([*cols, *(c for c in DEFAULTS[entity] if c in table.columns)]))
    counts = {"added": len(new), "updated": 0, "unchanged": 0}
    if len(new):
        cur.register("stage_new", new[["client_id", *ins_cols]])
        picks = ", ".join(f"CAST({c} AS {types[c]})" for c in ins_cols)
        cur.execute(
            f"INSERT INTO {table.name} (client_id, {', '.join(ins_cols)}, updated_at, updated_by)"
            f" SELECT client_id, {picks}, ?, ? FROM stage_new",
            [now, user],
        )
        cur.unregister("stage_new")
    old = frame[frame["_row"].notna()]
    if len(old) and cols:
        cur.register("stage_old", old[["_row", *cols]])
        sets = ", ".join(f"{c} = coalesce(CAST(s.{c} AS {types[c]}), t.{c})" for c in cols)
        differs = " OR ".join(
            f"(s.{c} IS NOT NULL AND CAST(s.{c} AS {types[c]}) IS DISTINCT FROM t.{c})"
            for c in cols
        )
        done = cur.execute(
            f"UPDATE {table.name} t SET {sets}, updated_at = ?, updated_by = ?,"
            f" version = t.version + 1 FROM stage_old s"
            f" WHERE t.{key_col} = CAST(s._row AS {types[key_col]}) AND ({differs})",
            [now, user],
        ).fetchall()
        cur.unregister("stage_old")
        counts["updated"] = int(done[0][0]) if done else 0
    counts["unchanged"] = len(old) - counts["updated"]
    per_client = frame.groupby("client_id").size()
    log = pd.DataFrame({"client_id": per_client.index, "rows": per_client.to_numpy()})
    cur.register("stage_log", log)
    cur.execute(
        "INSERT INTO dossier_changes (changed_at, changed_by, client_id, entity, action, detail)"
        " SELECT ?, ?, client_id, ?, 'import', json_object('file', ?, 'rows', rows)"
        " FROM stage_log",
        [now, user, entity, source],
    )
    cur.unregister("stage_log")
    return counts


def _contact_ids(cur: duckdb.DuckDBPyConnection, clients: list[str]) -> dict[tuple[str, str], int]:
    rows = cur.execute(
        "SELECT client_id, name, contact_id FROM contacts WHERE client_id IN (SELECT unnest(?))",
        [clients],
    ).fetchall()
    return {(c, str(n).strip().casefold()): int(i) for c, n, i in rows}


def _link_bosses(
    cur: duckdb.DuckDBPyConnection, frame: pd.DataFrame, user: str, now: datetime
) -> list[tuple[str, str]]:
    """Set reports_to from the names a Contacts sheet gives; return (person, name) not found."""
    given = frame[frame["reports_to_name"].notna()]
    if given.empty:
        return []
    ids = _contact_ids(cur, given["client_id"].unique().tolist())
    pairs, missing = [], []
    for row in given.itertuples():
        me = ids.get((row.client_id, str(row.name).strip().casefold()))
        boss = ids.get((row.client_id, str(row.reports_to_name).strip().casefold()))
        if boss is None or me is None or boss == me:
            missing.append((str(row.name), str(row.reports_to_name)))
            continue
        pairs.append((me, boss))
    if pairs:
        cur.register("stage_boss", pd.DataFrame(pairs, columns=["me", "boss"]))
        cur.execute(
            "UPDATE contacts t SET reports_to = s.boss, updated_at = ?, updated_by = ?,"
            " version = t.version + 1 FROM stage_boss s"
            " WHERE t.contact_id = s.me AND t.reports_to IS DISTINCT FROM s.boss",
            [now, user],
        )
        cur.unregister("stage_boss")
    return missing


def _people_managers(
    cur: duckdb.DuckDBPyConnection, people: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Managers for clients of each region whose dossier names none; ambiguous regions only
    keep the client's manager from the data when the region lists it. Also the regions of
    several managers that left some client without one, with their managers."""
    known = cur.execute(KNOWN_CLIENTS_SQL).df()
    region_key = people["region"].astype(str).str.strip().str.casefold()
    lists = people.assign(_r=region_key).groupby("_r")["manager"].agg(list).to_dict()
    out, shared = [], {}
    for row in known[known["dossier_manager"].isna() & known["region"].notna()].itertuples():
        managers = list(dict.fromkeys(lists.get(str(row.region).strip().casefold(), [])))
        if len(managers) == 1:
            out.append((row.client_id, managers[0]))
        elif row.data_manager in managers:
            out.append((row.client_id, row.data_manager))
        elif managers:
            shared[str(row.region)] = managers
    return pd.DataFrame(out, columns=["client_id", "manager"]), shared


def _shares_over_whole(cur: duckdb.DuckDBPyConnection, clients: list[str]) -> list[str]:
    """A note when the competitors' shares of a client's spend add up to more than all of it."""
    over = cur.execute(
        "SELECT client_id, sum(share) FROM competitors WHERE client_id IN (SELECT unnest(?)) "
        "GROUP BY client_id HAVING sum(share) > 1.0001 ORDER BY client_id",
        [clients],
    ).fetchall()
    if not over:
        return []
    return [
        _(
            "The competitors' shares of {count} client(s) add up to more than all of the "
            "client's spend (such as {client}: {total}); check them in the dossier."
        ).format(
            count=fmt_number(len(over)), client=named(over[0][0]), total=fmt_percent(over[0][1], 0)
        )
    ]


def apply_master(
    conn: duckdb.DuckDBPyConnection,
    frames: dict[str, pd.DataFrame],
    people: pd.DataFrame | None,
    user: str,
    source: str,
) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Store master data atomically; return counts per entity and notes for the user."""
    counts: dict[str, dict[str, int]] = {}
    notes: list[str] = []
    now = datetime.now()
    with writing(conn) as cur:
        for entity in ORDER:
            frame = frames.get(entity)
            if frame is not None and len(frame):
                extra = {"reports_to_name", "contact_name"}
                staged = frame.drop(columns=[c for c in extra if c in frame])
                if entity == "activity" and "contact_name" in frame:
                    ids = _contact_ids(cur, frame["client_id"].unique().tolist())
                    staged["contact_id"] = [
                        ids.get((c, str(n).strip().casefold())) if isinstance(n, str) else None
                        for c, n in zip(frame["client_id"], frame["contact_name"], strict=True)
                    ]
                counts[entity] = _upsert(cur, entity, staged, user, now, source, notes)
                if entity == "competitor" and "share" in frame:
                    notes += _shares_over_whole(cur, frame["client_id"].unique().tolist())
                if entity == "contact" and "reports_to_name" in frame:
                    missing = _link_bosses(cur, frame, user, now)
                    if missing:
                        notes.append(
                            _(
                                "{count} 'reports to' name(s) match no other contact of the "
                                "same client (such as '{name}' for {person}); those people "
                                "are shown reporting to no one."
                            ).format(
                                count=fmt_number(len(missing)),
                                name=named(missing[0][1]),
                                person=named(missing[0][0]),
                            )
                        )
            if entity == "client" and people is not None and len(people):
                assigned, shared = _people_managers(cur, people)
                counts["people"] = _upsert(cur, "client", assigned, user, now, source)
                for region, managers in sorted(shared.items())[:5]:
                    notes.append(
                        _(
                            "Region {region} lists {count} managers ({managers}): its clients "
                            "whose sales name none of them were given no manager; choose one "
                            "in each client's dossier, or list one manager for the region."
                        ).format(
                            region=named(region),
                            count=fmt_number(len(managers)),
                            managers=", ".join(named(m) for m in managers),
                        )
                    )
    return counts, notes
