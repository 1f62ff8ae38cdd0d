"""One client, one id: an import's client ids matched to the clients already stored.

Two exports of the same sales name a client differently: an ERP writes its code `0010023`, a
workbook whose cells Excel turned into numbers shows `10023`, and a report without a code
column names the client only (its id is then derived from the name). Stored under each form,
one client became two or three, and the rows a second export shares with the first were not
recognised: the quarter's revenue was counted twice without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.i18n import _, fmt_number, ngettext
from kam_core.ingest.errors import named
from kam_core.ingest.parse import FROM_NAME, client_key
from kam_core.store.clients import name_keys
from kam_core.store.overlap import CENTS


@dataclass
class Matched:
    """The ids of an import that were written as another id (the file's form -> the id kept)."""

    by_code: dict[str, str] = field(default_factory=dict)  # 10023 -> 0010023
    by_name: dict[str, str] = field(default_factory=dict)  # "acme ltd" -> C-17
    # Stored under a name's key by an import without codes, now met with a code: kept apart.
    apart: dict[str, str] = field(default_factory=dict)  # "acme ltd" -> C-17
    names: dict[str, str] = field(default_factory=dict)  # "acme ltd" -> "Acme Ltd", as written
    # Codes differing from another only in case: c001 -> C001.
    by_case: dict[str, str] = field(default_factory=dict)
    # New clients whose rows are one stored client's rows, day and amount: "acme ltd" -> 100001.
    by_sales: dict[str, str] = field(default_factory=dict)
    # The stored clients' names, for the message: 100001 -> 'אקמה בע"מ'.
    stored_names: dict[str, str] = field(default_factory=dict)
    # Ids an earlier import joined to a stored client by their sales (client_aliases):
    # ACME-01 -> C001, and the import that joined each: ACME-01 -> 2.
    by_alias: dict[str, str] = field(default_factory=dict)
    alias_uploads: dict[str, int] = field(default_factory=dict)
    # A stored client taken by_sales whose sales other stored clients have too, day for day:
    # one client stored twice under two ids (C001 -> [ACME-01]).
    twins: dict[str, list[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many of the file's ids were written as another."""
        return (
            len(self.by_code)
            + len(self.by_name)
            + len(self.by_case)
            + len(self.by_sales)
            + len(self.by_alias)
        )


_CODES = """
WITH f AS (
    SELECT id, {code} AS code FROM file_ids WHERE regexp_full_match(id, '{form}')
), s AS (
    SELECT client_id AS id, {code_stored} AS code, n_rows
    FROM client_facts WHERE regexp_full_match(client_id, '{form}')
), kept AS (
    SELECT code, arg_min(id, (-stored, -n_rows, -length(id), id)) AS id FROM (
        SELECT code, id, 1 AS stored, n_rows FROM s WHERE code IN (SELECT code FROM f)
        UNION ALL SELECT code, id, 0, 0 FROM f
    ) GROUP BY code
)
SELECT f.id, kept.id FROM f JOIN kept USING (code) WHERE f.id <> kept.id
"""
# Codes of digits, the same without their leading zeros.
_ZEROS = ("regexp_replace({id}, '^0+([0-9])', '\\1')", "[0-9]+")
# Codes with a letter and no space, the same in capitals: c001 and C001, acme-01 and ACME-01
# (a stored client whose id is its name's key is left out: _not_name_keys).
_CASE = ("upper({id})", "[^\\s]*[A-Za-z][^\\s]*")


def _codes_sql(kind: tuple[str, str]) -> str:
    code, form = kind
    return _CODES.format(
        code=code.format(id="id"), code_stored=code.format(id="client_id"), form=form
    )


def _by_code(
    cur: duckdb.DuckDBPyConnection,
    ids: pa.Array,
    names: pa.Table | None,
    name_keys: int,
    sales: pd.DataFrame | None = None,
    kind: tuple[str, str] = _ZEROS,
) -> dict[str, str]:
    """The file's ids that are another id with or without leading zeros -> that id (kind:
    _CASE, another id in other capitals).

    A stored client keeps its id (of two stored forms, the one with more rows); among the
    file's own forms of an unstored code, the longest is kept: Excel drops zeros, never adds.
    Where both forms have names, they must be one name: 7 and 007 of two companies stay two,
    unless the file's sales of the one are the stored sales of the other (sales: the file's
    rows, with client_id, order_date and revenue): two systems name a client in two languages.
    """
    cur.register("file_ids", pa.table({"id": ids}))
    try:
        swap = cur.sql(_codes_sql(kind)).to_arrow_table().rename_columns(["a", "b"])
    finally:
        cur.unregister("file_ids")
    if not swap.num_rows:
        return {}
    if names is None:
        return dict(zip(swap.column("a").to_pylist(), swap.column("b").to_pylist(), strict=True))
    # Each side's name keys, in Arrow and DuckDB: a million codes matched took 15 s and 2 GB
    # as Python sets.
    wanted = pc.unique(
        pa.concat_arrays([swap.column("a").combine_chunks(), swap.column("b").combine_chunks()])
    )
    own = names.filter(pc.is_in(names.column("id"), value_set=wanted))
    cur.register("wanted_ids", pa.table({"id": wanted}))
    try:
        stored = cur.sql(
            "SELECT client_id AS id, client_name AS name FROM client_facts "
            "WHERE client_id IN (SELECT id FROM wanted_ids)"
        ).to_arrow_table()
    finally:
        cur.unregister("wanted_ids")
    keys = _keyed(pa.concat_tables([own, stored.cast(own.schema)]), name_keys)
    cur.register("swap_pairs", swap)
    cur.register("name_keys_of", keys)
    try:
        # Hash joins, not a subquery a pair: a pair agrees when either side has no name or
        # a name's key is on both sides.
        agreed = cur.sql(
            """WITH named AS (SELECT DISTINCT id FROM name_keys_of),
               shared AS (
                   SELECT DISTINCT p.a, p.b FROM swap_pairs p
                   JOIN name_keys_of x ON x.id = p.a
                   JOIN name_keys_of y ON y.id = p.b AND y.key = x.key)
               SELECT p.a, p.b,
                      na.id IS NULL OR nb.id IS NULL OR s.a IS NOT NULL AS same
               FROM swap_pairs p
               LEFT JOIN named na ON na.id = p.a
               LEFT JOIN named nb ON nb.id = p.b
               LEFT JOIN shared s ON s.a = p.a AND s.b = p.b"""
        ).to_arrow_table()
    finally:
        cur.unregister("swap_pairs")
        cur.unregister("name_keys_of")
    same = agreed.column("same").to_numpy(zero_copy_only=False)
    out = dict(
        zip(
            agreed.column("a").filter(pa.array(same)).to_pylist(),
            agreed.column("b").filter(pa.array(same)).to_pylist(),
            strict=True,
        )
    )
    # Names that differ as written ('Acme Industries Ltd', 'ACME Industries'): compared word
    # by word, the few pairs whose keys are not equal.
    rest = agreed.filter(pa.array(~same))
    if rest.num_rows:
        unsure = set(rest.column("a").to_pylist()) | set(rest.column("b").to_pylist())
        known: dict[str, set[str]] = {}
        for code, key in zip(
            keys.column("id").to_pylist(), keys.column("key").to_pylist(), strict=True
        ):
            if code in unsure:
                known.setdefault(code, set()).add(key)
        for a, b in zip(rest.column("a").to_pylist(), rest.column("b").to_pylist(), strict=True):
            if _one_name(known.get(a, set()), known.get(b, set())):
                out[a] = b
        if sales is not None:
            named_apart = pc.invert(pc.is_in(rest["a"], pa.array(list(out), pa.string())))
            out.update(_same_sales(cur, rest.filter(named_apart), sales))
    return out


# A code whose names differ is the stored client when this many of its rows in the file (and
# at least half of them) are stored rows of that client, day and amount to the cent: two
# companies do not buy the same amounts on the same days.
_SAME_SALES = 2


def _same_sales(
    cur: duckdb.DuckDBPyConnection, pairs: pa.Table, rows: pd.DataFrame
) -> dict[str, str]:
    """Of pairs (a: the file's id, b: a stored id), those whose file rows are b's stored rows."""
    if not pairs.num_rows:
        return {}
    # Only the rows of the codes in question: a few, where the file may have a million.
    picked = rows[rows["client_id"].isin(pairs.column("a").to_pylist())]
    sales = pa.table(
        {
            "client_id": pa.array(picked["client_id"], pa.string(), from_pandas=True),
            "order_date": pa.array(picked["order_date"], pa.timestamp("s"), from_pandas=True),
            "revenue": pa.array(picked["revenue"], pa.float64(), from_pandas=True),
        }
    )
    cur.register("code_pairs", pairs.select(["a", "b"]))
    cur.register("file_sales", sales)
    try:
        found = cur.sql(
            f"""WITH f AS (
                    SELECT client_id AS a, order_date, {CENTS.format(col="revenue")} AS cents
                    FROM file_sales WHERE client_id IN (SELECT a FROM code_pairs)
                ), shared AS (
                    SELECT p.a, p.b, count(*) AS n
                    FROM f JOIN code_pairs p USING (a)
                    SEMI JOIN sales t ON t.client_id = p.b AND t.order_date = f.order_date
                        AND {CENTS.format(col="t.revenue")} = f.cents
                    GROUP BY ALL
                ), rows AS (SELECT a, count(*) AS n FROM f GROUP BY a)
                SELECT s.a, s.b FROM shared s JOIN rows r USING (a)
                WHERE s.n >= {_SAME_SALES} AND s.n * 2 >= r.n"""
        ).fetchall()
    finally:
        cur.unregister("code_pairs")
        cur.unregister("file_sales")
    return {str(a): str(b) for a, b in found}


def _keyed(pairs: pa.Table, name_keys: int) -> pa.Table:
    """Distinct (id, name) of a table of ids and names, with the name's key."""
    pairs = pairs.group_by(["id", "name"]).aggregate([]).drop_null()
    keys = client_key(pd.Series(pairs.column("name").to_pandas(), dtype="str"), name_keys)
    return pairs.append_column("key", pa.array(keys, pa.string()))


# Words a company's name carries or drops from one export to the next.
_LEGAL = frozenset(
    {"ltd", "limited", "inc", "incorporated", "llc", "co", "corp", "corporation", "company",
     "gmbh", "ag", "bv", "sa", "plc", "the", "בעמ", "בע", "מ", "ооо", "оао", "зао", "ао", "ип"}
)  # fmt: skip


def _one_name(first: set[str], second: set[str]) -> bool:
    """True when a name of each set is the other's, give or take a legal form and a year
    ('Acme Industries Ltd' and 'ACME Industries', 'Beta Trading (2019) Ltd' and 'Beta Trading')."""
    for a in first:
        for b in second:
            words_a = {w for w in a.split() if w not in _LEGAL and not w.isdigit()}
            words_b = {w for w in b.split() if w not in _LEGAL and not w.isdigit()}
            if words_a and words_b and (words_a <= words_b or words_b <= words_a):
                return True
    return False


def _stored(cur: duckdb.DuckDBPyConnection) -> pa.Table:
    """The stored clients: id and latest name."""
    return cur.sql("SELECT client_id, client_name FROM client_facts").to_arrow_table()


def _by_name(ids: pa.Array, named: pa.Array, stored: pa.Table, name_keys: int) -> dict[str, str]:
    """The ids derived from names (ids where named) that name exactly one stored client with
    an id of its own."""
    if not len(stored):
        return {}  # a first import: the file's ids are not gathered (a copy of every name)
    derived = pc.unique(ids.filter(named))
    if not len(derived):
        return {}
    names = pd.Series(stored.column("client_name").to_pandas(), dtype="str")
    keys = pa.array(client_key(names.fillna(""), name_keys), pa.string())
    ids = stored.column("client_id").combine_chunks()
    own_id = pc.fill_null(pc.not_equal(keys, ids), False)  # else the id is itself a name's key
    holders: dict[str, set[str]] = {}
    for key, client in zip(
        keys.filter(own_id).to_pylist(), ids.filter(own_id).to_pylist(), strict=True
    ):
        if key:
            holders.setdefault(key, set()).add(client)
    # A name's key stored as a client of its own (an earlier import without codes) stays
    # it: the same file imported again is then recognised as stored.
    wanted = set(derived.to_pylist()) - set(ids.filter(pc.invert(own_id)).to_pylist())
    return {
        key: next(iter(clients))
        for key, clients in holders.items()
        if key in wanted and len(clients) == 1
    }


def _apart(
    cur: duckdb.DuckDBPyConnection, rows: pd.DataFrame, coded: pa.Array | None, name_keys: int
) -> dict[str, tuple[str, str]]:
    """The stored clients known by a name's key alone whom the file names with a code: the
    key -> (the code, the name as the file writes it)."""
    if "client_name" not in rows:
        return {}
    # A name's key has no capital letter: only such stored ids are looked at.
    stored = cur.sql(
        "SELECT client_id, client_name FROM client_facts "
        "WHERE client_id = lower(client_id) AND client_name IS NOT NULL"
    ).to_arrow_table()
    if not len(stored):
        return {}
    names = pd.Series(stored.column("client_name").to_pandas(), dtype="str")
    keys = pa.array(client_key(names, name_keys), pa.string())
    derived = (
        stored.column("client_id")
        .combine_chunks()
        .filter(pc.fill_null(pc.equal(keys, stored.column("client_id").combine_chunks()), False))
    )
    if not len(derived):
        return {}
    pairs = pa.table(
        {
            "id": pa.array(rows["client_id"], pa.string(), from_pandas=True),
            "name": pa.array(rows["client_name"], pa.string(), from_pandas=True),
        }
    )
    keyed = _keyed(pairs if coded is None else pairs.filter(coded), name_keys)
    wanted = set(derived.to_pylist())
    found = zip(
        keyed.column("key").to_pylist(),
        keyed.column("id").to_pylist(),
        keyed.column("name").to_pylist(),
        strict=True,
    )
    return {key: (code, name) for key, code, name in found if key in wanted}


def _swap(ids: pa.Array, swap: dict[str, str], where: pa.Array | None) -> pa.Array:
    """ids with each key of swap written as its value, in the rows where says (all if None)."""
    if not swap:
        return ids
    at = pc.index_in(ids, value_set=pa.array(list(swap), pa.string()))
    found = pc.take(pa.array(list(swap.values()), pa.string()), at)
    hit = pc.is_valid(found) if where is None else pc.and_(pc.is_valid(found), where)
    return pc.if_else(hit, found, ids)


def match_clients(
    cur: duckdb.DuckDBPyConnection, rows: pd.DataFrame, by_sales: bool = True
) -> tuple[pd.DataFrame, Matched]:
    """The rows with each client id written as the id its client is stored (or kept) under.

    by_sales: a new client whose rows are a stored client's rows is that client (_by_sales);
    an import keeping probable duplicates says they are not, and keeps such clients apart.
    """
    if rows.empty or "client_id" not in rows:
        return rows, Matched()
    # How the database derives ids from names (meta name_keys), as parsing did.
    keying = name_keys(cur)
    ids = pa.array(rows["client_id"], pa.string(), from_pandas=True)
    names = None
    if "client_name" in rows:
        names = pa.table(
            {"id": ids, "name": pa.array(rows["client_name"], pa.string(), from_pandas=True)}
        )
    if FROM_NAME in rows and rows[FROM_NAME].any():
        named = pa.array(rows[FROM_NAME].to_numpy(bool))
        coded = pc.invert(named)
        known = _stored(cur)
        if names is not None:
            # A name without a code is also the client the same file names with a code.
            in_file = names.filter(coded).rename_columns(known.column_names)
            known = (
                pa.concat_tables([known.cast(in_file.schema), in_file])
                .group_by(known.column_names)
                .aggregate([])
            )
        by_name = _by_name(ids, named, known, keying)
    else:
        named = coded = None
        by_name = {}
    file_ids = pc.drop_null(pc.unique(ids if coded is None else ids.filter(coded)))
    apart = _apart(cur, rows, coded, keying)
    sales = rows if "order_date" in rows and "revenue" in rows else None
    by_case = _by_code(cur, file_ids, names, keying, sales, _CASE)
    matched = Matched(
        by_code=_by_code(cur, file_ids, names, keying, sales),
        by_name=by_name,
        apart={key: code for key, (code, _name) in apart.items()},
        names={key: name for key, (_code, name) in apart.items()},
        by_case=_not_name_keys(cur, by_case, keying),
    )
    if by_name:
        matched.names.update(_written(rows, by_name))
    if matched.count:
        # A name's key and a code never meet: each kind is swapped in its own rows.
        codes = {**matched.by_code, **matched.by_case}
        ids = _swap(_swap(ids, codes, coded), matched.by_name, named)
    from_name = set() if named is None else set(pc.unique(ids.filter(named)).to_pylist())
    matched.by_alias, matched.alias_uploads = _by_alias(cur, ids)
    if matched.by_alias:
        # A name's key is shown as the name it was made of, a code as itself.
        keys = {a: b for a, b in matched.by_alias.items() if a in from_name}
        matched.names.update(_written(rows, keys))
        matched.stored_names.update(_stored_names(cur, set(matched.by_alias.values())))
        ids = _swap(ids, matched.by_alias, None)
    if by_sales and sales is not None:
        joined, twins = _by_sales(cur, ids, rows)
        # A code met where a client is stored by a name's key alone is kept apart (_apart):
        # a new code is taken as a stored code, or a name as any stored client.
        coded_found = {a: b for a, b in joined.items() if a not in from_name}
        kept = _not_name_keys(cur, coded_found, keying)
        matched.by_sales = {a: b for a, b in joined.items() if a in from_name or a in kept}
        taken = set(matched.by_sales.values())
        matched.twins = {b: others for b, others in twins.items() if b in taken}
        if matched.by_sales:
            matched.names.update(_written(rows, matched.by_sales))
            matched.stored_names.update(_stored_names(cur, set(matched.by_sales.values())))
            ids = _swap(ids, matched.by_sales, None)
    if not matched.count:
        return rows, matched
    rows = rows.copy(deep=False)
    rows["client_id"] = pd.Series(ids, index=rows.index, dtype="str")
    return rows, matched


def _not_name_keys(
    cur: duckdb.DuckDBPyConnection, swap: dict[str, str], name_keys: int
) -> dict[str, str]:
    """swap without the pairs whose id kept is a stored client's name's key (an import without
    codes made it: such a client met with its code is kept apart, _apart)."""
    lower = {b for b in swap.values() if b == b.lower()}
    if not lower:
        return swap
    stored = _stored_names(cur, lower)
    keys = client_key(pd.Series(list(stored.values()), dtype="str"), name_keys).tolist()
    keyed = {b for b, key in zip(stored, keys, strict=True) if b == key}
    return {a: b for a, b in swap.items() if b not in keyed}


def _stored_names(cur: duckdb.DuckDBPyConnection, ids: set[str]) -> dict[str, str]:
    """The stored clients' latest names, of the ids given."""
    if not ids:
        return {}
    cur.register("named_ids", pa.table({"id": pa.array(sorted(ids), pa.string())}))
    try:
        found = cur.sql(
            "SELECT client_id, client_name FROM client_facts "
            "WHERE client_id IN (SELECT id FROM named_ids) AND client_name IS NOT NULL"
        ).fetchall()
    finally:
        cur.unregister("named_ids")
    return {str(a): str(b) for a, b in found}


# A new client is a stored client when its rows over the days both cover are, day and amount to
# the cent, that client's rows: nearly all of each side's (this share) and at least this many.
# One or two equal amounts on a day are chance; every sale of a quarter is not.
_JOIN_SHARE = 0.9
_JOIN_ROWS = 2


def _by_alias(
    cur: duckdb.DuckDBPyConnection, ids: pa.Array
) -> tuple[dict[str, str], dict[str, int]]:
    """The file's ids an earlier import joined to a stored client (client_aliases) -> that
    client, and -> the import that joined them.

    An id stored as a client of its own stays it, and so does one whose file also names the
    client it was joined to: to that file they are two clients.
    """
    # No join remembered (most databases): one probe, not the file's ids gathered.
    probe = "SELECT count(*) FROM (SELECT 1 FROM client_aliases LIMIT 1)"
    if not cur.execute(probe).fetchall()[0][0]:
        return {}, {}
    unique = pc.drop_null(pc.unique(ids))
    if not len(unique):
        return {}, {}
    cur.register("file_ids", pa.table({"id": unique}))
    try:
        found = cur.sql(
            """SELECT alias_id, arg_max(client_id, upload_id), max(upload_id)
               FROM client_aliases
               WHERE alias_id IN (SELECT id FROM file_ids)
                 AND alias_id NOT IN (SELECT client_id FROM client_facts)
               GROUP BY alias_id"""
        ).fetchall()
    finally:
        cur.unregister("file_ids")
    named_too = set(unique.to_pylist())
    kept = [(str(a), str(b), int(n)) for a, b, n in found if b not in named_too]
    return {a: b for a, b, _n in kept}, {a: n for a, _b, n in kept}


def remember_joins(cur: duckdb.DuckDBPyConnection, matched: Matched, upload_id: int) -> None:
    """Store the import's joins by sales (client_aliases), for its exports of later days."""
    if not matched.by_sales:
        return
    pairs = sorted(matched.by_sales.items())
    cur.register(
        "joined_ids",
        pa.table(
            {
                "alias_id": pa.array([a for a, _b in pairs], pa.string()),
                "client_id": pa.array([b for _a, b in pairs], pa.string()),
            }
        ),
    )
    try:
        cur.execute(
            "INSERT INTO client_aliases SELECT alias_id, client_id, ?, ? FROM joined_ids",
            [upload_id, datetime.now(UTC).replace(tzinfo=None)],
        )
    finally:
        cur.unregister("joined_ids")


def _by_sales(
    cur: duckdb.DuckDBPyConnection, ids: pa.Array, rows: pd.DataFrame
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The file's new clients (ids no stored client has) whose rows are one stored client's
    rows -> that client's id; and the stored clients taken whose twins (one client stored
    under other ids too) were passed over -> those twins.

    A third system names the clients in English without codes, where the stored rows have
    codes and Hebrew names: no code and no name meets, yet every sale of the quarter is there.
    Each side must be the other's only match (two new clients of the same sales are left as
    they are; two stored ones only when they are one client stored twice, _twins), and the
    stored client must not be one the file names.
    """
    dates = rows["order_date"]
    low, high = dates.min(), dates.max()
    if pd.isna(low):
        return {}, {}
    # Nothing stored over the file's days (a first import, a new period): one range probe.
    probe = "SELECT count(*) FROM (SELECT 1 FROM sales WHERE order_date BETWEEN ? AND ? LIMIT 1)"
    if not cur.execute(probe, [low, high]).fetchall()[0][0]:
        return {}, {}
    unique = pc.drop_null(pc.unique(ids))
    cur.register("file_ids", pa.table({"id": unique}))
    try:
        new = cur.sql(
            "SELECT id FROM file_ids ANTI JOIN client_facts c ON c.client_id = file_ids.id"
        ).to_arrow_table()
        if not new.num_rows:
            return {}, {}
        # Only the rows of the new clients go to the database: a few, where a file may have a
        # million rows of clients already stored.
        picked = pc.is_in(ids, value_set=new.column("id").combine_chunks())
        mask = np.asarray(pc.fill_null(picked, False))
        cur.register(
            "new_sales",
            pa.table(
                {
                    "a": ids.filter(picked),
                    "order_date": pa.array(dates[mask], pa.timestamp("s"), from_pandas=True),
                    "revenue": pa.array(rows["revenue"][mask], pa.float64(), from_pandas=True),
                }
            ),
        )
        try:
            found = cur.execute(
                f"""WITH spans AS (
                        -- The days each stored upload of the file's days covers: a new
                        -- client's rows beyond them (a later sale) are no test of it.
                        SELECT min(order_date) AS low, max(order_date) AS high FROM sales
                        WHERE upload_id IN (SELECT DISTINCT upload_id FROM sales
                                            WHERE order_date BETWEEN $low AND $high)
                        GROUP BY upload_id
                    ), f AS (
                        SELECT a, CAST(order_date AS DATE) AS day,
                               {CENTS.format(col="revenue")} AS cents, count(*) AS n
                        FROM new_sales n WHERE EXISTS (
                            SELECT 1 FROM spans
                            WHERE CAST(n.order_date AS DATE) BETWEEN low AND high)
                        GROUP BY ALL
                    ), s AS (
                        SELECT client_id AS b, order_date AS day,
                               {CENTS.format(col="revenue")} AS cents, count(*) AS n
                        FROM sales WHERE order_date BETWEEN $low AND $high
                          AND client_id NOT IN (SELECT id FROM file_ids) GROUP BY ALL
                    ), f_rows AS (SELECT a, sum(n) AS n FROM f GROUP BY a),
                    s_rows AS (SELECT b, sum(n) AS n FROM s GROUP BY b),
                    shared AS (
                        SELECT f.a, s.b, sum(least(f.n, s.n)) AS n
                        FROM f JOIN s USING (day, cents) GROUP BY ALL
                    ), good AS (
                        SELECT shared.a, shared.b FROM shared
                        JOIN f_rows USING (a) JOIN s_rows USING (b)
                        WHERE shared.n >= {_JOIN_ROWS}
                          AND shared.n >= {_JOIN_SHARE} * f_rows.n
                          AND shared.n >= {_JOIN_SHARE} * s_rows.n
                    )
                    SELECT a, b, count(*) OVER (PARTITION BY a) AS matches FROM good
                    QUALIFY b IN (SELECT b FROM good GROUP BY b HAVING count(*) = 1)
                    ORDER BY a, b""",
                {"low": low, "high": high},
            ).fetchall()
        finally:
            cur.unregister("new_sales")
    finally:
        cur.unregister("file_ids")
    candidates: dict[str, list[str]] = {}
    wanted: dict[str, int] = {}
    for a, b, matches in found:
        candidates.setdefault(str(a), []).append(str(b))
        wanted[str(a)] = int(matches)
    out, twins = {}, {}
    for a, stored in candidates.items():
        if len(stored) < wanted[a]:
            continue  # one of its matches is another new client's too
        if len(stored) == 1:
            out[a] = stored[0]
            continue
        # Two stored clients of the file's client's sales: one client stored twice (an
        # import kept its rows before any join), or two clients, left apart.
        ordered = _twins(cur, stored, low, high)
        if ordered:
            out[a], twins[ordered[0]] = ordered[0], ordered[1:]
    return out, twins


def _twins(
    cur: duckdb.DuckDBPyConnection, stored: list[str], low: object, high: object
) -> list[str]:
    """stored, first the one to keep (a code before a name's key, then the earliest import),
    when each has the others' sales over the days day for day; else empty."""
    cur.register("twin_ids", pa.table({"id": pa.array(sorted(stored), pa.string())}))
    try:
        pairs = cur.execute(
            f"""WITH s AS (
                    SELECT client_id AS b, order_date AS day,
                           {CENTS.format(col="revenue")} AS cents, count(*) AS n
                    FROM sales WHERE order_date BETWEEN $low AND $high
                      AND client_id IN (SELECT id FROM twin_ids) GROUP BY ALL
                ), r AS (SELECT b, sum(n) AS n FROM s GROUP BY b),
                shared AS (
                    SELECT x.b AS b1, y.b AS b2, sum(least(x.n, y.n)) AS n
                    FROM s x JOIN s y USING (day, cents) WHERE x.b < y.b GROUP BY ALL
                )
                SELECT count(*) FROM shared JOIN r r1 ON r1.b = b1 JOIN r r2 ON r2.b = b2
                WHERE shared.n >= {_JOIN_SHARE} * r1.n AND shared.n >= {_JOIN_SHARE} * r2.n""",
            {"low": low, "high": high},
        ).fetchall()[0][0]
        if pairs != len(stored) * (len(stored) - 1) // 2:
            return []
        first = dict(
            cur.sql(
                "SELECT client_id, min(upload_id) FROM sales "
                "WHERE client_id IN (SELECT id FROM twin_ids) GROUP BY client_id"
            ).fetchall()
        )
    finally:
        cur.unregister("twin_ids")
    stored_names = _stored_names(cur, set(stored))
    keyed = {
        b
        for b, key in zip(
            stored_names,
            client_key(pd.Series(list(stored_names.values()), dtype="str"), name_keys(cur)),
            strict=True,
        )
        if b == key
    }
    return sorted(stored, key=lambda b: (b in keyed, first.get(b, 0), b))


def _written(rows: pd.DataFrame, keys: dict[str, str]) -> dict[str, str]:
    """Each name's key -> the name as the file first writes it."""
    if "client_name" not in rows:
        return {}
    ids = rows["client_id"]
    first = rows.loc[ids.isin(list(keys)), ["client_id", "client_name"]].drop_duplicates(
        "client_id"
    )
    return dict(zip(first["client_id"], first["client_name"], strict=True))


def _pairs(
    swap: dict[str, str],
    names: dict[str, str] | None = None,
    stored_names: dict[str, str] | None = None,
) -> str:
    """The first five of a swap as 'file form -> stored id' for a message (a name's key shown
    as the name it was made of; a stored id with its name where stored_names has it)."""
    names = names or {}
    stored_names = stored_names or {}

    def stored(b: str) -> str:
        if b not in stored_names or stored_names[b] == b:
            return named(b)
        return _("{code} ({name})").format(code=named(b), name=named(stored_names[b]))

    shown = ", ".join(
        _("{file} as {stored}").format(file=named(names.get(a, a)), stored=stored(b))
        for a, b in sorted(swap.items())[:5]
    )
    if len(swap) <= 5:
        return shown
    return _("{lines} and {count} more").format(lines=shown, count=fmt_number(len(swap) - 5))


def matched_notes(matched: Matched) -> list[str]:
    """What the user should know of the ids written as another: one sentence a kind."""
    notes = []
    if matched.by_code:
        notes.append(
            ngettext(
                "{count} client code of the file differs from another only by leading zeros "
                "and is taken as the same client: {pairs}.",
                "{count} client codes of the file differ from others only by leading zeros and "
                "are taken as the same clients: {pairs}.",
                len(matched.by_code),
            ).format(count=fmt_number(len(matched.by_code)), pairs=_pairs(matched.by_code))
        )
    if matched.by_case:
        notes.append(
            ngettext(
                "{count} client code of the file differs from another only in capitals and is "
                "taken as the same client: {pairs}.",
                "{count} client codes of the file differ from others only in capitals and are "
                "taken as the same clients: {pairs}.",
                len(matched.by_case),
            ).format(count=fmt_number(len(matched.by_case)), pairs=_pairs(matched.by_case))
        )
    if matched.by_name:
        notes.append(
            ngettext(
                "{count} client of the file, named without a code, is taken as the one client "
                "of that name with a code (stored, or in the file): {pairs}.",
                "{count} clients of the file, named without a code, are taken as the one "
                "client of each name with a code (stored, or in the file): {pairs}.",
                len(matched.by_name),
            ).format(
                count=fmt_number(len(matched.by_name)),
                pairs=_pairs(matched.by_name, matched.names),
            )
        )
    if matched.apart:
        notes.append(
            ngettext(
                "{count} client of the file is stored under its name alone, from an import "
                "without codes, and is kept apart from its code: {pairs}. To make it one "
                "client, undo that import and import it again after this one.",
                "{count} clients of the file are stored under their names alone, from an "
                "import without codes, and are kept apart from their codes: {pairs}. To make "
                "each one client, undo that import and import it again after this one.",
                len(matched.apart),
            ).format(
                count=fmt_number(len(matched.apart)), pairs=_pairs(matched.apart, matched.names)
            )
        )
    notes += joined_notes(matched)
    return notes


def joined_notes(matched: Matched) -> list[str]:
    """What the user should know of new clients taken as stored ones by their sales, now or
    by an earlier import."""
    notes = []
    if matched.by_alias:
        imports = sorted(set(matched.alias_uploads.values()))
        notes.append(
            ngettext(
                "{count} client of the file was joined to a stored client by an earlier import "
                "(the same sales, day for day) and is taken as that client: {pairs}. If they "
                "are two clients, undo the import that joined them ({imports}) and import its "
                "file again keeping the rows that look like rows already stored (on the command "
                "line: --duplicates keep).",
                "{count} clients of the file were joined to stored clients by earlier imports "
                "(the same sales, day for day) and are taken as those clients: {pairs}. If they "
                "are not the same clients, undo the imports that joined them ({imports}) and "
                "import their files again keeping the rows that look like rows already stored "
                "(on the command line: --duplicates keep).",
                len(matched.by_alias),
            ).format(
                count=fmt_number(len(matched.by_alias)),
                pairs=_pairs(matched.by_alias, matched.names, matched.stored_names),
                imports=", ".join(_("import {number}").format(number=number) for number in imports),
            )
        )
    if matched.twins:
        shown = ", ".join(
            _("{first} and {others}").format(
                first=named(first), others=", ".join(named(o) for o in others)
            )
            for first, others in sorted(matched.twins.items())[:5]
        )
        notes.append(
            ngettext(
                "{count} client of the file has the sales of stored clients that look like one "
                "client stored twice, under two ids (the same sales, day for day): {pairs}. It "
                "is taken as the first. To make them one client, undo the import that stored "
                "the other and import its file again.",
                "{count} clients of the file have the sales of stored clients that look like "
                "one client stored twice, under two ids (the same sales, day for day): {pairs}. "
                "Each is taken as the first. To make them one client, undo the imports that "
                "stored the others and import their files again.",
                len(matched.twins),
            ).format(count=fmt_number(len(matched.twins)), pairs=shown)
        )
    if not matched.by_sales:
        return notes
    return [
        *notes,
        ngettext(
            "{count} client new to the database has, day for day and amount for amount, the "
            "sales a stored client has over the days both cover, and is taken as that client "
            "(its rows stored already are left out): {pairs}. If they are two clients, undo "
            "this import and import the file again keeping the rows that look like rows already "
            "stored (on the command line: --duplicates keep).",
            "{count} clients new to the database have, day for day and amount for amount, the "
            "sales stored clients have over the days both cover, and are taken as those "
            "clients (their rows stored already are left out): {pairs}. If they are not the "
            "same clients, undo this import and import the file again keeping the rows that "
            "look like rows already stored (on the command line: --duplicates keep).",
            len(matched.by_sales),
        ).format(
            count=fmt_number(len(matched.by_sales)),
            pairs=_pairs(matched.by_sales, matched.names, matched.stored_names),
        ),
    ]
