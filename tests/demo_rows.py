"""The demo for tests, loaded by ``load_demo`` once per process and copied after that.

``load_demo`` takes one or two seconds; the suite loads the demo once per module and once per
browser test. On SQLite the first load in a process records every row of every table before and
after it; a later load onto the same database inserts the rows the demo added, and onto any
other state (a transactional test's flush recreates the content types under new ids) puts the
whole recorded database in its place, in one transaction, in a few milliseconds. On PostgreSQL
``load_demo`` always runs, so CI still goes through the command itself every time.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

Rows = dict[str, tuple[tuple[str, ...], frozenset[tuple]]]


def _read() -> Rows:
    """Every row of every table of the test database."""
    rows: Rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.get_table_list(cursor):
            if table.type != "t":
                continue
            cursor.execute(f'SELECT * FROM "{table.name}"')
            columns = tuple(column[0] for column in cursor.description)
            rows[table.name] = (columns, frozenset(cursor.fetchall()))
    return rows


def _added(before: Rows, after: Rows) -> Rows | None:
    """The rows ``after`` has in addition to ``before``; None when some row was changed or
    removed (the demo is then not a plain addition, and the whole of ``after`` is copied)."""
    added: Rows = {}
    for table, (columns, rows) in after.items():
        old_columns, old_rows = before.get(table, (columns, frozenset()))
        if old_columns != columns or not old_rows <= rows:
            return None
        if rows - old_rows:
            added[table] = (columns, rows - old_rows)
    return added


class DemoRows:
    def __init__(self) -> None:
        self.before: Rows | None = None
        self.after: Rows | None = None

    def load(self) -> None:
        """The demo in the test database: copied where it can be, loaded otherwise."""
        if connection.vendor != "sqlite":
            self._load_demo()
            return
        current = _read()
        if self.after is None:
            self._load_demo()
            self.before, self.after = current, _read()
            return
        added = _added(current, self.after) if current == self.before else None
        with transaction.atomic(), connection.cursor() as cursor:
            # One transaction: SQLite checks Django's deferred foreign keys at its end, so the
            # tables may come in any order.
            if added is None:
                # Not the database the demo was recorded on (a flush recreated the content
                # types under other ids): the recorded database as a whole, in its place.
                for table in current:
                    cursor.execute(f'DELETE FROM "{table}"')
            _insert(cursor, self.after if added is None else added)
        ContentType.objects.clear_cache()

    @staticmethod
    def _load_demo() -> None:
        # load_demo creates the demo users only when DEBUG is on.
        with override_settings(DEBUG=True):
            call_command("load_demo", verbosity=0)


def _insert(cursor, rows: Rows) -> None:
    for table, (columns, values) in rows.items():
        names = ", ".join(f'"{column}"' for column in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)


DEMO_ROWS = DemoRows()
