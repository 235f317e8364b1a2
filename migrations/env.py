"""Alembic's environment: the project's models, the URL the CLI or tests pass in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from smsgateway import models  # noqa: F401  (registers the tables)
from smsgateway.db import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    """Emit SQL without a database."""
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate the database at `sqlalchemy.url`; batch mode lets SQLite alter tables."""
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":  # WAL from the start, as the app uses it
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            connection.commit()
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
