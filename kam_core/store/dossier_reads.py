"""Reads across the dossier tables: the client list, the change log, completeness counts."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.store.db import query_df
from kam_core.store.dossier import GENERAL_FIELDS
from kam_core.store.rollup import rollup_is_current


def changes(conn: duckdb.DuckDBPyConnection, client_id: str, limit: int = 200) -> pd.DataFrame:
    """The change log of one client's dossier, newest first."""
    return query_df(
        conn,
        """SELECT changed_at, changed_by, entity, entity_id, action, detail
           FROM dossier_changes WHERE client_id = ? ORDER BY change_id DESC LIMIT ?""",
        [client_id, limit],
    )


KNOWN_CLIENTS_SQL = """
WITH s AS (
    SELECT client_id, arg_max(client_name, order_date) AS sales_name,
           arg_max(region, order_date) FILTER (WHERE region IS NOT NULL) AS region,
           arg_max(manager, order_date) FILTER (WHERE manager IS NOT NULL) AS manager,
           sum(revenue) AS revenue
    FROM sales GROUP BY client_id
)
SELECT coalesce(s.client_id, c.client_id) AS client_id,
       coalesce(s.sales_name, c.client_name) AS client_name,
       s.region, s.manager AS data_manager, c.manager AS dossier_manager,
       coalesce(s.revenue, 0) AS revenue
FROM s FULL OUTER JOIN clients c ON c.client_id = s.client_id
ORDER BY revenue DESC, client_id
"""


# The same list from the rollups, when they are current: no scan of every sales row.
KNOWN_CLIENTS_ROLLUP_SQL = """
WITH s AS (
    SELECT f.client_id, f.client_name AS sales_name, f.region, f.manager, m.revenue
    FROM client_facts f
    LEFT JOIN (SELECT client_id, sum(revenue) AS revenue FROM sales_monthly GROUP BY 1) m
        USING (client_id)
)
""" + KNOWN_CLIENTS_SQL[KNOWN_CLIENTS_SQL.index("SELECT coalesce(s.client_id") :]


def known_clients(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every client in the sales data or the dossiers: id, name, region, managers, revenue."""
    sql = KNOWN_CLIENTS_ROLLUP_SQL if rollup_is_current(conn) else KNOWN_CLIENTS_SQL
    return query_df(conn, sql)


def section_counts(conn: duckdb.DuckDBPyConnection, client_id: str | None = None) -> pd.DataFrame:
    """Per client: profile fields and the counts of records each completeness rule looks at."""
    keys = """
        SELECT client_id FROM clients UNION SELECT client_id FROM contacts
        UNION SELECT client_id FROM tenders UNION SELECT client_id FROM competitors
        UNION SELECT client_id FROM activities UNION SELECT DISTINCT client_id FROM sales
    """
    if client_id is not None:  # one client: no need to list them all first
        keys = "SELECT $client AS client_id"
    general = " + ".join(
        f"(nullif(trim(CAST(c.{f} AS VARCHAR)), '') IS NOT NULL)::INTEGER" for f in GENERAL_FIELDS
    )
    sql = f"""
    WITH k AS ({keys}),
    ct AS (SELECT client_id, count(*) AS contacts,
                  count(*) FILTER (WHERE role = 'decision_maker') AS decision_makers
           FROM contacts GROUP BY client_id),
    td AS (SELECT client_id, count(*) AS tenders FROM tenders GROUP BY client_id),
    cp AS (SELECT client_id, count(*) AS competitors FROM competitors GROUP BY client_id),
    ac AS (SELECT client_id,
                  count(*) FILTER (WHERE kind IN ('abm', 'win_back', 'meeting')
                                   AND status IN ('planned', 'in_progress')) AS open_plans,
                  count(*) FILTER (WHERE kind IN ('note', 'meeting')) AS notes
           FROM activities GROUP BY client_id)
    SELECT k.client_id, coalesce(({general}), 0) AS general_fields,
           coalesce(c.need, 'unknown') AS need, coalesce(c.solvency, 'unknown') AS solvency,
           coalesce(c.authority, 'unknown') AS authority,
           coalesce(ct.contacts, 0) AS contacts, coalesce(ct.decision_makers, 0) AS decision_makers,
           coalesce(td.tenders, 0) AS tenders, coalesce(cp.competitors, 0) AS competitors,
           coalesce(ac.open_plans, 0) AS open_plans, coalesce(ac.notes, 0) AS notes
    FROM k LEFT JOIN clients c USING (client_id) LEFT JOIN ct USING (client_id)
    LEFT JOIN td USING (client_id) LEFT JOIN cp USING (client_id) LEFT JOIN ac USING (client_id)
    ORDER BY k.client_id
    """
    cur = conn.cursor()
    try:
        return cur.execute(sql, {"client": client_id} if client_id is not None else {}).df()
    finally:
        cur.close()
