"""The database: declarative base, an always-aware UTC datetime type, engine and sessions."""

from __future__ import annotations

import enum
import os
import weakref
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, Enum, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always gives back timezone-aware datetimes (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def enum_column(kind: type[enum.Enum]) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK, the same on SQLite and PostgreSQL."""
    return Enum(kind, native_enum=False, length=16, values_callable=lambda k: [m.value for m in k],
                validate_strings=True, create_constraint=True, name=kind.__name__.lower())


class Base(DeclarativeBase):
    """Base of every model; datetimes are UTC-aware everywhere."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets foreign keys, WAL, a busy timeout and serialised transactions.

    SQLite transactions start with BEGIN IMMEDIATE (SQLAlchemy's documented pysqlite
    recipe): a transaction that read and then writes could otherwise fail at once when
    another wrote in between; now it waits its turn, as a PostgreSQL row lock would.
    A transaction of a reading session (`make_session_factory(engine, reads_only=True)`)
    starts with a plain BEGIN: it takes no turn.

    A PostgreSQL session is set to UTC on connecting, whatever the server's or PGTZ's time
    zone: the database adds calendar months to instants in UTC, as SQLite and Python do;
    and without JIT compilation, which makes Jobline's short queries slower.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we say when transactions begin
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # Switching to WAL wants a lock it does not wait for: a connection opened while
            # another process writes would fail. The mode is the file's, so ask first.
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL's recommended durability
            cursor.close()
            # SQLite's own lower() folds A-Z only; PostgreSQL's folds É too. Searches compare
            # lower(name) with the lowered words: both databases now fold alike.
            dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection: Any) -> None:
            reads_only = connection.get_execution_options().get(READ_ONLY)
            connection.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")

    else:
        engine = create_engine(url, pool_pre_ping=True)

        if engine.dialect.name == "postgresql":

            @event.listens_for(engine, "connect")
            def _session_settings(dbapi_connection: Any, _record: Any) -> None:
                # Calendar months are added to UTC instants, as on SQLite and in Python
                # (figures/stability.py): not in whatever TimeZone the server's
                # configuration or the client's PGTZ gives the session.
                # No JIT compilation: it pays off for long CPU-bound queries, and Jobline's
                # take milliseconds; the monthly report's counts cost 20-30% more with it
                # (bench/report.py).
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SET TIME ZONE 'UTC'")
                    cursor.execute("SET jit = off")
                dbapi_connection.commit()

    _ENGINES.add(engine)
    return engine


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


READ_ONLY = "jobline_read_only"  # an execution option: see make_session_factory

_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_parent_connections() -> None:
    """A forked RQ work-horse must not reuse its parent's pooled connections."""
    for engine in list(_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_parent_connections)


def make_session_factory(engine: Engine, reads_only: bool = False) -> sessionmaker[Any]:
    """Sessions that keep loaded attributes after commit (views render after committing).

    `reads_only`: sessions for transactions that only read (a USSD step reads the menu's
    data in one and writes its effects in another, which checks again what it changes). On
    SQLite they then neither wait for writers nor hold them up. On PostgreSQL each of their
    statements is a transaction of its own (autocommit): no BEGIN and COMMIT, two of the
    five round trips of a USSD job list (bench/ussd.py); none of these sessions needs one
    snapshot for several statements. Nothing connects until first used.
    """
    options: dict[str, Any] = {READ_ONLY: True} if reads_only else {}
    if reads_only and engine.dialect.name == "postgresql":
        options["isolation_level"] = "AUTOCOMMIT"
    bind = engine.execution_options(**options) if options else engine
    return sessionmaker(bind, expire_on_commit=False)
