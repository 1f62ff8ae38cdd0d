"""Rows of a file that look like rows another upload already stored, and monthly reconciliation.

Two exports of the same quarter differ in columns (one has Product and Region) and rounding
(29.472 against 29.47), so their content keys differ and the content key alone would count the
quarter twice. Here rows are compared on what both exports share: the order, the client, the
date and the amount to the cent.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import combinations

import duckdb
import pandas as pd
import pyarrow as pa

from kam_core.i18n import N_
from kam_core.store.db import query_df

ORDER_RULE = "order"
MONTH_RULE = "month"
WRITTEN_RULE = "written"
ORDER_ONLY_RULE = "order_only"
UNITS_RULE = "units"
INVOICE_RULE = "invoice"
AMENDED_RULE = "amended"
AMENDED_DAY_RULE = "amended_day"
# Shown to the user: translated where shown (kam_core.importing.describe_overlap).
RULES: dict[str, str] = {
    ORDER_RULE: N_("same order, client, date and amount"),
    MONTH_RULE: N_("same client, date and amount for most of the month"),
    WRITTEN_RULE: N_(
        "same client, date and amount for most of the month, the order number or product "
        "written otherwise"
    ),
    ORDER_ONLY_RULE: N_("same order, date and amount, the client written otherwise"),
    UNITS_RULE: N_("same client, date and amount in whole units for most of the month"),
    INVOICE_RULE: N_("same order and date, its lines adding up to the same total"),
    AMENDED_RULE: N_("same order, client and date, another amount"),
    AMENDED_DAY_RULE: N_("same client and date, another amount, no order number"),
}
DEFAULT_MONTH_SHARE = 0.8

# Amounts in cents: rounding to 6 places first clears binary noise (29.475 * 100 is
# 2947.4999...), so the cent rounds half away from zero as a report writer rounds it.
CENTS = "CAST(round(round({col} * 100, 6)) AS BIGINT)"
# The same with a half cent rounded toward zero: one export rounds 1898.625 to 1898.63, another
# (printf, pandas, .NET) to 1898.62, and the other side may hold it unrounded. Rows not paired
# on cents are paired on these after (equal for every amount but a half cent).
_CENTS_DOWN = "CAST(sign({col}) * ceil(round(abs({col}) * 100, 6) - 0.5) AS BIGINT)"
_QTY = "round({col}, 6)"
# Compared where both sides have them; the order id is a key of its own rule.
_OPTIONAL = ("order_id", "product", "quantity")


def _side(source: str, key: str) -> str:
    """The compared columns of one side: staged rows or stored sales rows."""
    return (
        f"SELECT {key}, client_id, order_date, order_id, "
        f"nullif(lower(trim(product)), '') AS product, {_QTY.format(col='quantity')} AS quantity, "
        f"{CENTS.format(col='revenue')} AS cents, "
        f"{_CENTS_DOWN.format(col='revenue')} AS cents_down, "
        f"CAST(round(revenue) AS BIGINT) AS units FROM {source}"
    )


def _pair(rule: str, keys: list[str], stored: str, where: str) -> str:
    """Pair not yet paired rows of the file with stored rows, occurrence by occurrence.

    Within a group of equal keys the n-th line of the file pairs with the n-th stored line, so
    a second identical line in the file matches only a second stored line.
    """
    part = ", ".join(keys)
    on = " AND ".join(f"a.{k} IS NOT DISTINCT FROM b.{k}" for k in keys)
    return f"""
    INSERT INTO ov_pairs
    WITH a AS (
        SELECT *, row_number() OVER (PARTITION BY {part} ORDER BY source_row) AS n
        FROM ov_in i WHERE {where} AND NOT EXISTS (
            SELECT 1 FROM ov_pairs p WHERE p.source_row = i.source_row)
    ), b AS (
        SELECT *, row_number() OVER (PARTITION BY {part} ORDER BY upload_id, row_key) AS n
        FROM ov_st s WHERE {where} AND {stored} AND NOT EXISTS (
            SELECT 1 FROM ov_pairs p WHERE p.row_key = s.row_key)
    )
    SELECT a.source_row, b.row_key, b.upload_id, '{rule}'
    FROM a JOIN b ON {on} AND a.n = b.n
    """


_DISTINCT_ORDER = 4  # characters of an order number that identify it without its client
# Rows of a month a stored upload covers only in part (an export cut mid-month) that must be
# matched before its share of them counts: a handful of equal amounts can be chance.
_CUT_ROWS = 10


def _pair_invoices(cur: duckdb.DuckDBPyConnection) -> None:
    """Pair the file's orders with a stored upload's orders of other lines but the same total.

    One export lists an invoice's lines, another its total (or its lines split otherwise):
    no line pairs with a line, but the order, its date and its sum agree (to a cent a line,
    each line rounded on its own). A short order number must also keep its clients.
    """
    sums = (
        "SELECT {by}order_id, order_date, sum(cents) AS cents, count(*) AS n, "
        "min(client_id) AS first_client, max(client_id) AS last_client "
        "FROM {table} WHERE order_id IS NOT NULL GROUP BY ALL"
    )
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE ov_orders AS
        WITH a AS ({sums.format(by="", table="ov_in")}),
             b AS ({sums.format(by="upload_id, ", table="ov_st")})
        SELECT a.order_id, a.order_date, min(b.upload_id) AS upload_id
        FROM a JOIN b ON a.order_id = b.order_id AND a.order_date = b.order_date
        WHERE a.n <> b.n AND abs(a.cents - b.cents) <= greatest(a.n, b.n)
          AND (length(a.order_id) >= {_DISTINCT_ORDER}
               OR a.first_client = b.first_client AND a.last_client = b.last_client)
        GROUP BY ALL"""
    )
    cur.execute(
        f"""INSERT INTO ov_pairs SELECT i.source_row, NULL, o.upload_id, '{INVOICE_RULE}'
        FROM ov_in i JOIN ov_orders o USING (order_id, order_date)"""
    )
    # The stored lines of those orders are spoken for: no other row of the file pairs with them.
    cur.execute(
        "DELETE FROM ov_st WHERE (upload_id, order_id, order_date) IN "
        "(SELECT (upload_id, order_id, order_date) FROM ov_orders)"
    )


def _passes(
    rule: str,
    keys: tuple[str, ...],
    optional: tuple[str, ...],
    in_file: set[str],
    where: str,
    stored_where: str = "true",
) -> list[str]:
    """One pairing per set of optional columns both sides have, the largest set first
    (stored rows also meeting stored_where).

    A column counts where both the file and the stored row's upload have it ("where both
    files have them"); grouping stored rows by that set keeps every group's lines
    interchangeable, so pairing by occurrence is exact.
    """
    shared = [c for c in optional if c in in_file]
    out = []
    for size in range(len(shared), -1, -1):
        for subset in combinations(shared, size):
            stored = " AND ".join(
                [stored_where, *(f"{'' if c in subset else 'NOT '}has_{c}" for c in shared)]
            )
            out.append(_pair(rule, [*keys, *subset], stored, where))
    return out


def mark_overlap(
    cur: duckdb.DuckDBPyConnection,
    month_share: float = DEFAULT_MONTH_SHARE,
    joined: Collection[str] = (),
) -> None:
    """Fill the temp table probable_duplicates(source_row, upload_id, rule, row_key) for staged.

    staged holds the file's rows with their content keys (row_key); rows whose key is stored
    already are exact re-imports, counted as such elsewhere, and take no part here.
    joined: stored clients the file's new clients were taken as for having their sales
    (identity._by_sales): their rows paired count whatever share of the month is stored.
    """
    # A first import, or a file of a period nothing is stored for, has nothing to look like:
    # one indexed range probe instead of the matching (seconds at a million rows).
    low, high = cur.execute("SELECT min(order_date), max(order_date) FROM staged").fetchall()[0]
    probe = "SELECT count(*) FROM (SELECT 1 FROM sales WHERE order_date BETWEEN ? AND ? LIMIT 1)"
    if low is None or not cur.execute(probe, [low, high]).fetchall()[0][0]:
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE probable_duplicates "
            "(source_row INTEGER, upload_id BIGINT, rule VARCHAR, row_key UHUGEINT)"
        )
        return
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE ov_in AS "
        + _side("staged", "source_row")
        + " s WHERE NOT EXISTS (SELECT 1 FROM sales t WHERE t.row_key = s.row_key)"
    )
    # Only stored rows on a client and day the file has can match; rows the file's exact
    # keys hold are its re-imports and are not matched a second time.
    # The date range first: stored rows outside it are skipped by their blocks' min and max.
    has = ", ".join(f"count({c}) OVER (PARTITION BY upload_id) > 0 AS has_{c}" for c in _OPTIONAL)
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE ov_st AS SELECT *, {has} FROM ("
        + _side("sales", "row_key, upload_id")
        + """ t WHERE t.order_date BETWEEN ? AND ?
              AND (EXISTS (SELECT 1 FROM ov_in i
                           WHERE i.client_id = t.client_id AND i.order_date = t.order_date)
                   OR t.order_id IS NOT NULL AND EXISTS (SELECT 1 FROM ov_in i
                           WHERE i.order_id = t.order_id AND i.order_date = t.order_date))
              AND NOT EXISTS (SELECT 1 FROM staged s WHERE s.row_key = t.row_key))""",
        [low, high],
    )
    cur.execute(
        """CREATE OR REPLACE TEMP TABLE ov_pairs (
               source_row BIGINT, row_key UHUGEINT, upload_id BIGINT, rule VARCHAR)"""
    )
    *counts, left = cur.execute(
        f"SELECT {', '.join(f'count({c})' for c in _OPTIONAL)}, count(*) FROM ov_in"
    ).fetchall()[0]
    in_file = {c for c, n in zip(_OPTIONAL, counts, strict=True) if n}
    if "order_id" in in_file:
        _pair_invoices(cur)
        left -= cur.execute("SELECT count(*) FROM ov_pairs").fetchall()[0][0]
    passes = []
    for cents in ("cents", "cents_down"):
        month_keys = ("client_id", "order_date", cents)
        passes += _passes(
            ORDER_RULE, ("order_id", *month_keys), _OPTIONAL[1:], in_file, "order_id NOT NULL"
        )
    for cents in ("cents", "cents_down"):
        month_keys = ("client_id", "order_date", cents)
        passes += _passes(MONTH_RULE, month_keys, _OPTIONAL, in_file, "true")
    # The client set aside where the order is the same: one export names the clients, the
    # other gives their codes (or Hebrew names), and the orders, dates and amounts agree. A
    # short number (1, 2, 3: numbered again per branch or per book) proves the order without
    # its client only as the month rule does, for a month mostly stored (below).
    for cents in ("cents", "cents_down"):
        keys = ("order_id", "order_date", cents)
        passes += _passes(ORDER_ONLY_RULE, keys, _OPTIONAL[1:], in_file, "order_id NOT NULL")
    # Last, the order number or product set aside: one system writes 'SO-50012' and a
    # product's name where the other writes 50012 and its code; then amounts one export
    # rounds to whole units. As the month rule, these count only for a month of the file
    # mostly stored already (the quarter was stored twice).
    for cents in ("cents", "cents_down"):
        keys = ("client_id", "order_date", cents)
        passes += _passes(WRITTEN_RULE, keys, ("quantity",), in_file, "true")
    # Whole units only where one side writes every amount so (the whole file, or the whole
    # stored upload): a correction of cents between two exports in cents is a new figure,
    # not the same one rounded.
    whole = f"bool_and({CENTS.format(col='revenue')} % 100 = 0)"
    stored_whole = "true"
    if not cur.execute(f"SELECT {whole} FROM staged").fetchall()[0][0]:
        # The stored uploads writing every amount whole, found once for every pass.
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE ov_whole AS SELECT upload_id FROM sales "
            f"WHERE upload_id IN (SELECT DISTINCT upload_id FROM ov_st) "
            f"GROUP BY upload_id HAVING {whole}"
        )
        stored_whole = "upload_id IN (SELECT upload_id FROM ov_whole)"
    keys = ("client_id", "order_date", "units")
    passes += _passes(UNITS_RULE, keys, _OPTIONAL, in_file, "true", stored_whole)
    # Last of all, a line of an order that no stored line pairs with, on the day and client of
    # a stored line of that order that nothing in the file pairs with: the same line with its
    # amount corrected (or net against gross), which stored would count the order twice. As
    # the month rule, it counts for a month mostly stored already: two branches' exports
    # sharing an order number by chance are mostly new.
    passes += _passes(
        AMENDED_RULE,
        ("order_id", "client_id", "order_date"),
        ("product",),
        in_file,
        "order_id NOT NULL",
    )
    # A file without order numbers: a line of a client's day that no stored line pairs with,
    # beside a stored line of that client and day that nothing in the file pairs with, is the
    # same sale with its amount corrected. Only for a month mostly stored, as the month rule:
    # a second sale on a day is new where the month is.
    if "order_id" not in in_file:
        passes += _passes(
            AMENDED_DAY_RULE, ("client_id", "order_date"), ("product",), in_file, "true"
        )
    for sql in passes:
        if not left:
            break  # every row of the file is paired: the stricter passes found them all
        left -= cur.execute(sql).fetchall()[0][0]
    # Without the order the match is only a hint line by line; it counts for a month of the
    # file when most of that month's rows are stored already (exactly or matched), or most of
    # the days of it the matched upload covers (an export cut mid-month, then the whole month),
    # or for a client taken as a stored one for having nearly all its sales.
    cur.execute("CREATE OR REPLACE TEMP TABLE ov_joined (client_id VARCHAR)")
    if joined:
        cur.executemany("INSERT INTO ov_joined VALUES (?)", [[c] for c in sorted(joined)])
    matched = (
        "count(*) FILTER (WHERE s.source_row NOT IN (SELECT source_row FROM ov_in) "
        "OR s.source_row IN (SELECT source_row FROM ov_pairs))"
    )
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE probable_duplicates AS
        WITH months AS (
            SELECT date_trunc('month', s.order_date) AS month, count(*) AS total,
                   {matched} AS matched
            FROM staged s GROUP BY ALL
        ), spans AS (
            SELECT upload_id, min(order_date) AS low, max(order_date) AS high FROM sales
            WHERE upload_id IN (SELECT upload_id FROM ov_pairs) GROUP BY upload_id
        ), cuts AS (
            SELECT u.upload_id, date_trunc('month', s.order_date) AS month, count(*) AS total,
                   {matched} AS matched
            FROM staged s JOIN spans u ON s.order_date BETWEEN u.low AND u.high GROUP BY ALL
        )
        SELECT p.source_row, p.upload_id, p.rule, p.row_key
        FROM ov_pairs p JOIN staged s USING (source_row)
        JOIN months m ON m.month = date_trunc('month', s.order_date)
        LEFT JOIN cuts c ON c.upload_id = p.upload_id AND c.month = m.month
        WHERE p.rule IN (?, ?) OR (p.rule = ? AND length(s.order_id) >= {_DISTINCT_ORDER})
           OR m.matched >= ? * m.total
           OR c.matched >= ? * c.total AND c.matched >= {_CUT_ROWS}
           OR s.client_id IN (SELECT client_id FROM ov_joined)""",
        [ORDER_RULE, INVOICE_RULE, ORDER_ONLY_RULE, month_share, month_share],
    )
    for name in ("ov_in", "ov_st", "ov_pairs", "ov_whole", "ov_orders", "ov_joined"):
        cur.execute(f"DROP TABLE IF EXISTS {name}")


@dataclass
class OverlapMatch:
    """Rows of the file that look like rows of one stored upload, under one rule."""

    upload_id: int
    file_name: str
    imported_at: datetime
    rule: str
    rows: int


@dataclass
class Overlap:
    """The probable duplicates of a file: which rows, and which uploads they look like."""

    total: int
    rows: pd.DataFrame = field(repr=False)  # source_row, upload_id, rule
    matches: list[OverlapMatch] = field(default_factory=list)
    # One line of an order whose amount differs from the stored line it pairs with:
    # (order, stored amount, amount in the file, the stored line's upload).
    amended: tuple[str, float, float, int] | None = None
    # The same without an order number: (client, day, stored amount, amount in the file, upload).
    amended_day: tuple[str, date, float, float, int] | None = None
    # New clients of the file taken as stored ones for having their sales, said in words.
    notes: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """The number of rows of the file that look like stored rows."""
        return len(self.rows)


def read_overlap(cur: duckdb.DuckDBPyConnection) -> Overlap:
    """Read what mark_overlap found, with the file name and date of each matched upload."""
    total = int(cur.execute("SELECT count(*) FROM staged").fetchall()[0][0])
    rows = cur.execute(
        "SELECT source_row, upload_id, rule FROM probable_duplicates ORDER BY source_row"
    ).df()
    found = cur.execute(
        """SELECT p.upload_id, u.file_name, u.imported_at, p.rule, count(*) AS n
           FROM probable_duplicates p JOIN uploads u USING (upload_id)
           GROUP BY ALL ORDER BY n DESC, p.upload_id, p.rule"""
    ).fetchall()
    matches = [OverlapMatch(int(u), str(f), t, str(r), int(n)) for u, f, t, r, n in found]
    example = cur.execute(
        """SELECT s.order_id, t.revenue, s.revenue, p.upload_id
           FROM probable_duplicates p JOIN staged s USING (source_row)
           JOIN sales t ON t.row_key = p.row_key
           WHERE p.rule = ? ORDER BY p.source_row LIMIT 1""",
        [AMENDED_RULE],
    ).fetchall()
    amended = None
    if example:
        order, stored, amount, upload = example[0]
        amended = (str(order), float(stored), float(amount), int(upload))
    example = cur.execute(
        """SELECT coalesce(s.client_name, s.client_id), s.order_date, t.revenue, s.revenue,
                  p.upload_id
           FROM probable_duplicates p JOIN staged s USING (source_row)
           JOIN sales t ON t.row_key = p.row_key
           WHERE p.rule = ? ORDER BY p.source_row LIMIT 1""",
        [AMENDED_DAY_RULE],
    ).fetchall()
    amended_day = None
    if example:
        client, day, stored, amount, upload = example[0]
        on = day.date() if isinstance(day, datetime) else day
        amended_day = (str(client), on, float(stored), float(amount), int(upload))
    return Overlap(total, rows, matches, amended, amended_day=amended_day)


def month_reconciliation(conn: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """Revenue per month in a file's rows against the revenue now stored for those months.

    A month stored twice shows a stored revenue of twice the file's; uploads counts the live
    uploads that own rows of the month.
    """
    months = pd.DataFrame(
        {
            "month": pd.to_datetime(rows["order_date"]).dt.to_period("M").dt.to_timestamp(),
            "revenue": pd.to_numeric(rows["revenue"]),
        }
    )
    cur = conn.cursor()
    try:
        cur.register("file_months", months)
        return cur.execute(
            """WITH f AS (
                   SELECT CAST(month AS DATE) AS month, count(*) AS file_rows,
                          sum(revenue) AS file_revenue
                   FROM file_months GROUP BY ALL
               ), s AS (
                   SELECT CAST(date_trunc('month', order_date) AS DATE) AS month,
                          count(*) AS stored_rows, sum(revenue) AS stored_revenue,
                          count(DISTINCT upload_id) AS uploads
                   FROM sales WHERE date_trunc('month', order_date) IN (SELECT month FROM f)
                   GROUP BY ALL
               )
               SELECT f.month, f.file_rows, round(f.file_revenue, 2) AS file_revenue,
                      coalesce(s.stored_rows, 0) AS stored_rows,
                      round(coalesce(s.stored_revenue, 0), 2) AS stored_revenue,
                      round(coalesce(s.stored_revenue, 0) - f.file_revenue, 2) + 0.0 AS difference,
                      coalesce(s.uploads, 0) AS uploads
               FROM f LEFT JOIN s USING (month) ORDER BY f.month"""
        ).df()
    finally:
        cur.close()


def stored_day_amounts(conn: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> int:
    """How many of the rows (order_date, revenue) are stored rows of the same day and cents."""
    if rows.empty or "revenue" not in rows:
        return 0
    days = pa.table(
        {
            "order_date": pa.array(rows["order_date"], pa.timestamp("s"), from_pandas=True),
            "revenue": pa.array(rows["revenue"], pa.float64(), from_pandas=True),
        }
    )
    cur = conn.cursor()
    try:
        cur.register("file_days", days)
        return int(
            cur.execute(
                f"""SELECT count(*) FROM file_days f WHERE EXISTS (
                       SELECT 1 FROM sales s WHERE s.order_date = CAST(f.order_date AS DATE)
                       AND {CENTS.format(col="s.revenue")} = {CENTS.format(col="f.revenue")})"""
            ).fetchall()[0][0]
        )
    finally:
        cur.close()


def months_in_several_uploads(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Months where a client's stored rows come from more than one live upload, with each
    upload's share of the month.

    shared_rows counts rows whose client, day and amount to the cent also appear in another
    upload of the month: the sign of one period stored from two exports.
    """
    return query_df(
        conn,
        f"""WITH r AS (
                SELECT CAST(date_trunc('month', order_date) AS DATE) AS month, upload_id,
                       client_id, order_date, {CENTS.format(col="revenue")} AS cents, revenue
                FROM sales
            ), several AS (
                -- Two uploads of one month with no client in common are two parts of the
                -- business (two branches' exports), not one period stored twice.
                SELECT DISTINCT month FROM r GROUP BY month, client_id
                HAVING count(DISTINCT upload_id) > 1
            ), seen AS (
                SELECT month, client_id, order_date, cents FROM r SEMI JOIN several USING (month)
                GROUP BY ALL HAVING count(DISTINCT upload_id) > 1
            )
            SELECT r.month, r.upload_id, u.file_name, u.imported_at, count(*) AS rows,
                   round(sum(r.revenue), 2) AS revenue,
                   count(*) FILTER (WHERE seen.month IS NOT NULL) AS shared_rows
            FROM r SEMI JOIN several USING (month)
            JOIN uploads u USING (upload_id)
            LEFT JOIN seen USING (month, client_id, order_date, cents)
            GROUP BY ALL ORDER BY r.month, r.upload_id""",
    )
