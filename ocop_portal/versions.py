"""Data versions: a number per table that changes whenever a committed write changes the table.

Cached pages and fragments (ocop_portal.pagecache) are valid for the versions of the tables they read, so a
cached page is never older than its data, whatever wrote the data: the ORM, `QuerySet.update()`, bulk
operations, raw SQL, a data migration, the admin or psql. The database keeps the numbers itself:

- PostgreSQL: a constraint trigger on each table, deferred to the commit, sets the table's row in
  `ocop_data_version` to the next value of a sequence, once per table and transaction (a bulk write of 10,000
  rows bumps once). A sequence never gives a value twice, even after a rollback, so a version seen inside a
  transaction that is rolled back is never met again with other data. The row is locked only during the
  commit itself, so writers of one table do not wait on each other for longer than that. TRUNCATE (Django's
  flush) bumps through a statement trigger. Inside a test's transaction, which never commits, the triggers are
  switched to fire at each statement (`immediate()`).
- SQLite (the demo): plain row triggers set a random 63-bit number.

The triggers are (re)installed after every `migrate` (post_migrate), so a table added by a later migration
gets one. Tables whose writes change no page (sessions, login attempts) have none.
"""
from __future__ import annotations

import re

from django.db import connections

TABLE = "ocop_data_version"
SEQUENCE = "ocop_data_version_seq"
TRIGGER = "ocop_dv"

# Written on every login or request, shown on no cached page.
EXCLUDED = frozenset({
    TABLE, "django_session", "django_migrations",
    "axes_accessattempt", "axes_accessattemptexpiration", "axes_accessfailurelog", "axes_accesslog",
})

_PG_FUNCTIONS = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};
CREATE TABLE IF NOT EXISTS {TABLE} (name varchar(100) PRIMARY KEY, v bigint NOT NULL);
-- Queued once per table and statement (the WHEN clause), so a bulk statement queues one event, not one per row.
CREATE OR REPLACE FUNCTION ocop_dv_first(tbl text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  k text;
BEGIN
  IF current_setting('ocop_dv.off', true) = 'on' THEN
    RETURN false;  -- migrating: every version moves once at the end (resume)
  END IF;
  k := txid_current()::text || '@' || statement_timestamp()::text;
  IF current_setting('ocop_dv_q.' || tbl, true) IS NOT DISTINCT FROM k THEN
    RETURN false;
  END IF;
  PERFORM set_config('ocop_dv_q.' || tbl, k, true);
  RETURN true;
END $$;
-- Fired at the commit (or at the statement's end when immediate): one bump per table and commit.
CREATE OR REPLACE FUNCTION ocop_dv_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k text := txid_current()::text || '@' || statement_timestamp()::text;
BEGIN
  IF current_setting('ocop_dv.off', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF current_setting('ocop_dv_b.' || TG_TABLE_NAME, true) IS DISTINCT FROM k THEN
    PERFORM set_config('ocop_dv_b.' || TG_TABLE_NAME, k, true);
    UPDATE {TABLE} SET v = nextval('{SEQUENCE}') WHERE name = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END $$;
"""


def _tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor, include_views=False)
    return sorted(n for n in names if n not in EXCLUDED and not n.startswith("sqlite_"))


def install(using: str = "default") -> list[str]:
    """Creates what is missing (idempotent); returns the tables that got a trigger now."""
    connection = connections[using]
    tables = _tables(connection)
    added = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTIONS)
            cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE t.tgname = %s AND c.relnamespace = 'public'::regnamespace", [TRIGGER])
            have = {row[0] for row in cursor.fetchall()}
            for table in tables:
                if table in have:
                    continue
                quoted = connection.ops.quote_name(table)
                cursor.execute(
                    f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {quoted} "
                    f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (ocop_dv_first('{table}')) "
                    f"EXECUTE FUNCTION ocop_dv_bump()")
                cursor.execute(f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON {quoted} "
                               f"FOR EACH STATEMENT EXECUTE FUNCTION ocop_dv_bump()")
                added.append(table)
            cursor.execute(f"INSERT INTO {TABLE} (name, v) SELECT t, nextval('{SEQUENCE}') FROM unnest(%s::text[]) t "
                           f"ON CONFLICT (name) DO NOTHING", [tables])
        elif connection.vendor == "sqlite":
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (name varchar(100) PRIMARY KEY, v bigint NOT NULL)")
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TRIGGER}_%"])
            have = {row[0] for row in cursor.fetchall()}
            for table in tables:
                if table in have:
                    continue
                quoted = connection.ops.quote_name(table)
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER}_{event[0].lower()}_{table}" AFTER {event} ON {quoted} '
                        f"BEGIN UPDATE {TABLE} SET v = abs(random()) WHERE name = '{table}'; END")
                added.append(table)
            cursor.executemany(f"INSERT OR IGNORE INTO {TABLE} (name, v) VALUES (%s, abs(random()))",
                               [(t,) for t in tables])
    connection._ocop_versions_installed = connection.vendor in ("postgresql", "sqlite")
    return added


def suspend(using: str = "default") -> None:
    """While migrating, no trigger queues anything: a migration that writes rows and then alters or indexes the
    same table in its transaction would otherwise meet PostgreSQL's "pending trigger events". resume() moves
    every version once afterwards, as a migration may have changed any data."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('ocop_dv.off', 'on', false)")


def resume(using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('ocop_dv.off', '', false)")
            cursor.execute(f"UPDATE {TABLE} SET v = nextval('{SEQUENCE}')")
    elif connection.vendor == "sqlite" and installed(using):
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET v = abs(random())")


def installed(using: str = "default") -> bool:
    connection = connections[using]
    return TABLE in connection.introspection.table_names()


def on_connection_created(sender, connection, **kwargs) -> None:
    """Notes once per database connection whether the versions exist (accounts.backends reads them with the
    user only then): one query when a connection opens, none per request."""
    with connection.cursor() as cursor:
        connection._ocop_versions_installed = TABLE in connection.introspection.table_names(cursor)


def current(using: str = "default") -> dict[str, int]:
    """Every table's version, in one query (about a hundred short rows)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, v FROM {TABLE}")
        return dict(cursor.fetchall())


def immediate(using: str = "default") -> None:
    """Inside the current transaction, bump at each statement instead of at the commit: for tests, whose
    transaction is rolled back, never committed."""
    connection = connections[using]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {TRIGGER} IMMEDIATE")


_NAME = re.compile(r"[a-z][a-z0-9_]*")


def tables_in(sql: str, known) -> set[str]:
    """The known tables an SQL statement names (quoted or not)."""
    return {word for word in _NAME.findall(sql) if word in known}
