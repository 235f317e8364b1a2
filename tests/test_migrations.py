"""Alembic migrations build the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from smsgateway.db import Base


def test_migrated_schema_matches_the_models(database_url):
    """Autogenerate finds nothing to add, drop or alter after `upgrade head`."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []
