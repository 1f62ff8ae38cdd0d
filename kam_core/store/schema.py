"""Database schema as an ordered list of migrations; the database records its version."""

from __future__ import annotations

import duckdb

# Each entry moves the schema one version up. Never edit a released entry: append a new one,
# so databases written by older versions migrate forward.
MIGRATIONS: list[str] = [
    # 1: sales, imports and remembered column mappings.
    """
    CREATE SEQUENCE IF NOT EXISTS upload_id_seq START 1;
    CREATE TABLE IF NOT EXISTS uploads (
        upload_id      INTEGER PRIMARY KEY,
        file_name      VARCHAR NOT NULL,
        sha256         VARCHAR NOT NULL,
        sheet          VARCHAR,
        header_row     INTEGER,
        mapping        JSON,
        options        JSON,
        rows_read      BIGINT,
        rows_imported  BIGINT,
        rows_duplicate BIGINT,
        rows_rejected  BIGINT,
        rows_skipped   BIGINT,
        clients        BIGINT,
        revenue        DOUBLE,
        imported_at    TIMESTAMP NOT NULL,
        undone_at      TIMESTAMP
    );
    CREATE TABLE IF NOT EXISTS sales (
        row_key     UHUGEINT NOT NULL,
        upload_id   INTEGER NOT NULL,
        source_row  INTEGER,
        order_date  DATE NOT NULL,
        client_id   VARCHAR NOT NULL,
        client_name VARCHAR,
        revenue     DOUBLE NOT NULL,
        profit      DOUBLE,
        quantity    DOUBLE,
        order_id    VARCHAR,
        product     VARCHAR,
        category    VARCHAR,
        manager     VARCHAR,
        region      VARCHAR,
        segment     VARCHAR,
        due_date    DATE,
        ship_date   DATE,
        returned    BOOLEAN
    );
    -- Which uploads contained which rows: a row stays while any live upload still holds it,
    -- so undoing a Q1 file after a Q1-Q2 file loses nothing.
    CREATE TABLE IF NOT EXISTS upload_rows (
        upload_id INTEGER NOT NULL,
        row_key   UHUGEINT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS mappings (
        signature VARCHAR PRIMARY KEY,
        header    JSON,
        mapping   JSON NOT NULL,
        saved_at  TIMESTAMP NOT NULL
    );
    """,
    # 2: analytics rollups, client master data (dossier), win-back status, settings.
    """
    CREATE TABLE IF NOT EXISTS sales_monthly (
        client_id   VARCHAR NOT NULL,
        month       DATE NOT NULL,
        revenue     DOUBLE NOT NULL,
        profit      DOUBLE,
        quantity    DOUBLE,
        n_rows      BIGINT NOT NULL,
        n_purchases BIGINT NOT NULL
    );
    -- One row per client and order date; prev_purchase is the previous date with a purchase,
    -- so the median gap as of any date is one plain aggregate.
    CREATE TABLE IF NOT EXISTS sales_daily (
        client_id     VARCHAR NOT NULL,
        order_date    DATE NOT NULL,
        revenue       DOUBLE NOT NULL,
        profit        DOUBLE,
        quantity      DOUBLE,
        n_rows        BIGINT NOT NULL,
        n_purchases   BIGINT NOT NULL,
        prev_purchase DATE
    );
    -- Derived per-client attributes (latest non-null values); no key, as refreshes delete
    -- and re-insert clients inside one transaction.
    CREATE TABLE IF NOT EXISTS client_facts (
        client_id   VARCHAR NOT NULL,
        client_name VARCHAR,
        manager     VARCHAR,
        region      VARCHAR,
        segment     VARCHAR,
        category    VARCHAR,
        first_date  DATE,
        last_date   DATE,
        n_rows      BIGINT
    );
    CREATE TABLE IF NOT EXISTS clients (
        client_id            VARCHAR PRIMARY KEY,
        client_name          VARCHAR,
        description          VARCHAR,
        industry             VARCHAR,
        employees            INTEGER,
        history              VARCHAR,
        team                 VARCHAR,
        org_structure        VARCHAR,
        environment          VARCHAR,
        website              VARCHAR,
        manager              VARCHAR,
        is_image_maker       BOOLEAN NOT NULL DEFAULT false,
        is_expert            BOOLEAN NOT NULL DEFAULT false,
        type_override        VARCHAR,
        need                 VARCHAR NOT NULL DEFAULT 'unknown'
                             CHECK (need IN ('yes', 'no', 'unknown')),
        solvency             VARCHAR NOT NULL DEFAULT 'unknown'
                             CHECK (solvency IN ('yes', 'no', 'unknown')),
        authority            VARCHAR NOT NULL DEFAULT 'unknown'
                             CHECK (authority IN ('yes', 'no', 'unknown')),
        qualification_note   VARCHAR,
        qualification_source VARCHAR,
        qualification_date   DATE,
        updated_at           TIMESTAMP,
        updated_by           VARCHAR,
        version              INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS win_back (
        client_id  VARCHAR PRIMARY KEY,
        status     VARCHAR NOT NULL DEFAULT 'open',
        note       VARCHAR,
        updated_at TIMESTAMP,
        updated_by VARCHAR
    );
    CREATE TABLE IF NOT EXISTS settings (
        key   VARCHAR PRIMARY KEY,
        value JSON
    );
    INSERT OR REPLACE INTO meta VALUES ('db_id', uuid()::VARCHAR);
    INSERT OR REPLACE INTO meta VALUES ('data_version', '0');
    """,
    # 3: the dossier: contacts (decision map), tenders, competitors, activities, change log.
    # Every row carries who changed it, when, and a version for optimistic concurrency.
    """
    CREATE SEQUENCE IF NOT EXISTS contact_id_seq START 1;
    CREATE SEQUENCE IF NOT EXISTS tender_id_seq START 1;
    CREATE SEQUENCE IF NOT EXISTS competitor_id_seq START 1;
    CREATE SEQUENCE IF NOT EXISTS activity_id_seq START 1;
    CREATE SEQUENCE IF NOT EXISTS change_id_seq START 1;
    CREATE TABLE IF NOT EXISTS contacts (
        contact_id INTEGER PRIMARY KEY DEFAULT nextval('contact_id_seq'),
        client_id  VARCHAR NOT NULL,
        name       VARCHAR NOT NULL,
        title      VARCHAR,
        role       VARCHAR CHECK (role IN ('decision_maker', 'influencer', 'user', 'gatekeeper',
                                           'champion', 'blocker')),
        attitude   VARCHAR NOT NULL DEFAULT 'neutral'
                   CHECK (attitude IN ('supporter', 'neutral', 'opponent')),
        influence  INTEGER NOT NULL DEFAULT 3 CHECK (influence BETWEEN 1 AND 5),
        reports_to INTEGER,
        email      VARCHAR,
        phone      VARCHAR,
        notes      VARCHAR,
        updated_at TIMESTAMP,
        updated_by VARCHAR,
        version    INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS tenders (
        tender_id   INTEGER PRIMARY KEY DEFAULT nextval('tender_id_seq'),
        client_id   VARCHAR NOT NULL,
        tender_date DATE,
        subject     VARCHAR NOT NULL,
        amount      DOUBLE,
        result      VARCHAR NOT NULL DEFAULT 'pending'
                    CHECK (result IN ('won', 'lost', 'pending', 'declined')),
        reason      VARCHAR,
        winner      VARCHAR,
        updated_at  TIMESTAMP,
        updated_by  VARCHAR,
        version     INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS competitors (
        competitor_id INTEGER PRIMARY KEY DEFAULT nextval('competitor_id_seq'),
        client_id     VARCHAR NOT NULL,
        name          VARCHAR NOT NULL,
        share         DOUBLE CHECK (share IS NULL OR (share >= 0 AND share <= 1)),
        strengths     VARCHAR,
        weaknesses    VARCHAR,
        updated_at    TIMESTAMP,
        updated_by    VARCHAR,
        version       INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS activities (
        activity_id   INTEGER PRIMARY KEY DEFAULT nextval('activity_id_seq'),
        client_id     VARCHAR NOT NULL,
        kind          VARCHAR NOT NULL DEFAULT 'note'
                      CHECK (kind IN ('note', 'meeting', 'abm', 'win_back')),
        activity_date DATE,
        owner         VARCHAR,
        status        VARCHAR NOT NULL DEFAULT 'planned'
                      CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
        due_date      DATE,
        text          VARCHAR,
        contact_id    INTEGER,
        updated_at    TIMESTAMP,
        updated_by    VARCHAR,
        version       INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS dossier_changes (
        change_id  BIGINT PRIMARY KEY DEFAULT nextval('change_id_seq'),
        changed_at TIMESTAMP NOT NULL,
        changed_by VARCHAR NOT NULL,
        client_id  VARCHAR NOT NULL,
        entity     VARCHAR NOT NULL,
        entity_id  VARCHAR,
        action     VARCHAR NOT NULL,
        detail     JSON
    );
    """,
    # 4: team mode: the people who may sign in, their role, and the audit log of changes.
    """
    CREATE TABLE IF NOT EXISTS users (
        email        VARCHAR PRIMARY KEY,
        display_name VARCHAR,
        role         VARCHAR NOT NULL CHECK (role IN ('admin', 'executive', 'manager')),
        manager_name VARCHAR,
        active       BOOLEAN NOT NULL DEFAULT true,
        created_at   TIMESTAMP NOT NULL,
        created_by   VARCHAR,
        updated_at   TIMESTAMP NOT NULL,
        updated_by   VARCHAR
    );
    CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;
    CREATE TABLE IF NOT EXISTS audit_log (
        audit_id   BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
        logged_at  TIMESTAMP NOT NULL,
        user_email VARCHAR NOT NULL,
        action     VARCHAR NOT NULL,
        target     VARCHAR,
        detail     JSON
    );
    """,
    # 5: 64-bit ids: a database whose ids reach 2^31 keeps importing. Key columns cannot change
    # type in place, so those small tables are copied; sales only widens a column.
    """
    CREATE TABLE uploads_wide (
        upload_id      BIGINT PRIMARY KEY,
        file_name      VARCHAR NOT NULL,
        sha256         VARCHAR NOT NULL,
        sheet          VARCHAR,
        header_row     INTEGER,
        mapping        JSON,
        options        JSON,
        rows_read      BIGINT,
        rows_imported  BIGINT,
        rows_duplicate BIGINT,
        rows_rejected  BIGINT,
        rows_skipped   BIGINT,
        clients        BIGINT,
        revenue        DOUBLE,
        imported_at    TIMESTAMP NOT NULL,
        undone_at      TIMESTAMP
    );
    INSERT INTO uploads_wide SELECT * FROM uploads;
    DROP TABLE uploads;
    ALTER TABLE uploads_wide RENAME TO uploads;
    CREATE TABLE contacts_wide (
        contact_id BIGINT PRIMARY KEY DEFAULT nextval('contact_id_seq'),
        client_id  VARCHAR NOT NULL,
        name       VARCHAR NOT NULL,
        title      VARCHAR,
        role       VARCHAR CHECK (role IN ('decision_maker', 'influencer', 'user', 'gatekeeper',
                                           'champion', 'blocker')),
        attitude   VARCHAR NOT NULL DEFAULT 'neutral'
                   CHECK (attitude IN ('supporter', 'neutral', 'opponent')),
        influence  INTEGER NOT NULL DEFAULT 3 CHECK (influence BETWEEN 1 AND 5),
        reports_to BIGINT,
        email      VARCHAR,
        phone      VARCHAR,
        notes      VARCHAR,
        updated_at TIMESTAMP,
        updated_by VARCHAR,
        version    INTEGER NOT NULL DEFAULT 1
    );
    INSERT INTO contacts_wide SELECT * FROM contacts;
    DROP TABLE contacts;
    ALTER TABLE contacts_wide RENAME TO contacts;
    CREATE TABLE tenders_wide (
        tender_id   BIGINT PRIMARY KEY DEFAULT nextval('tender_id_seq'),
        client_id   VARCHAR NOT NULL,
        tender_date DATE,
        subject     VARCHAR NOT NULL,
        amount      DOUBLE,
        result      VARCHAR NOT NULL DEFAULT 'pending'
                    CHECK (result IN ('won', 'lost', 'pending', 'declined')),
        reason      VARCHAR,
        winner      VARCHAR,
        updated_at  TIMESTAMP,
        updated_by  VARCHAR,
        version     INTEGER NOT NULL DEFAULT 1
    );
    INSERT INTO tenders_wide SELECT * FROM tenders;
    DROP TABLE tenders;
    ALTER TABLE tenders_wide RENAME TO tenders;
    CREATE TABLE competitors_wide (
        competitor_id BIGINT PRIMARY KEY DEFAULT nextval('competitor_id_seq'),
        client_id     VARCHAR NOT NULL,
        name          VARCHAR NOT NULL,
        share         DOUBLE CHECK (share IS NULL OR (share >= 0 AND share <= 1)),
        strengths     VARCHAR,
        weaknesses    VARCHAR,
        updated_at    TIMESTAMP,
        updated_by    VARCHAR,
        version       INTEGER NOT NULL DEFAULT 1
    );
    INSERT INTO competitors_wide SELECT * FROM competitors;
    DROP TABLE competitors;
    ALTER TABLE competitors_wide RENAME TO competitors;
    CREATE TABLE activities_wide (
        activity_id   BIGINT PRIMARY KEY DEFAULT nextval('activity_id_seq'),
        client_id     VARCHAR NOT NULL,
        kind          VARCHAR NOT NULL DEFAULT 'note'
                      CHECK (kind IN ('note', 'meeting', 'abm', 'win_back')),
        activity_date DATE,
        owner         VARCHAR,
        status        VARCHAR NOT NULL DEFAULT 'planned'
                      CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
        due_date      DATE,
        text          VARCHAR,
        contact_id    BIGINT,
        updated_at    TIMESTAMP,
        updated_by    VARCHAR,
        version       INTEGER NOT NULL DEFAULT 1
    );
    INSERT INTO activities_wide SELECT * FROM activities;
    DROP TABLE activities;
    ALTER TABLE activities_wide RENAME TO activities;
    ALTER TABLE sales ALTER upload_id TYPE BIGINT;
    ALTER TABLE upload_rows ALTER upload_id TYPE BIGINT;
    """,
    # 6: rows an import left out as probable duplicates of another upload's rows (the same
    # orders from a second export with other columns or rounding).
    """
    ALTER TABLE uploads ADD COLUMN IF NOT EXISTS rows_probable_duplicate BIGINT DEFAULT 0;
    """,
    # 7: how client ids are derived from names (fields.NAME_KEYS): a database holding sales
    # keeps the way its ids were made, so a client imported before and after keeps one id.
    """
    INSERT OR REPLACE INTO meta
    SELECT 'name_keys', CASE WHEN EXISTS (SELECT 1 FROM sales) THEN '1' ELSE '2' END;
    """,
    # 8: client and order ids read without direction marks, full-width forms or Excel's text
    # prefix (fields.NAME_KEYS 3): only where no sales are stored yet, so a file imported
    # again into a database that holds it still finds every row stored.
    """
    INSERT OR REPLACE INTO meta
    SELECT 'name_keys', '3' WHERE NOT EXISTS (SELECT 1 FROM sales);
    """,
    # 9: names keyed without the Arabic tatweel, a stretch of the line between letters
    # (fields.NAME_KEYS 4): only where no sales are stored yet, as 8.
    """
    INSERT OR REPLACE INTO meta
    SELECT 'name_keys', '4' WHERE NOT EXISTS (SELECT 1 FROM sales);
    """,
    # 10: names keyed without typographic quotes, as without ASCII ones (McDonald’s is
    # McDonald's; fields.NAME_KEYS 5): only where no sales are stored yet, as 8.
    """
    INSERT OR REPLACE INTO meta
    SELECT 'name_keys', '5' WHERE NOT EXISTS (SELECT 1 FROM sales);
    """,
    # 11: clients an import took as stored ones by their sales (identity._by_sales): the id the
    # other export writes, remembered, so its next quarter (no day stored) is the same client.
    # Undoing the import that made a join removes it.
    """
    CREATE TABLE IF NOT EXISTS client_aliases (
        alias_id  VARCHAR NOT NULL,
        client_id VARCHAR NOT NULL,
        upload_id BIGINT NOT NULL,
        joined_at TIMESTAMP NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

# The clients table's profile columns: the dossier's general information (DOMAIN.md section 6).
PROFILE_FIELDS: tuple[str, ...] = (
    "description",
    "industry",
    "employees",
    "history",
    "team",
    "org_structure",
    "environment",
    "website",
)


def current_version(conn: duckdb.DuckDBPyConnection) -> int:
    """Return the schema version recorded in the database (0 for a new database)."""
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and then refuses
    # conn.sql() and register() on the connection.
    rows = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    row = rows[0] if rows else None
    return int(row[0]) if row else 0


def migrate(conn: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations, each in its own transaction; return the new version."""
    version = current_version(conn)
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(script)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(number)])
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)
