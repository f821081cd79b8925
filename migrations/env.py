"""Alembic environment: runs as the owner role, with a lock timeout so a migration never queues forever."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool, text

from hotline.kernel.database import driver_url
from hotline.kernel.migrate import target_metadata

config = context.config
url = config.attributes.get("owner_url") or config.get_main_option("sqlalchemy.url")


def run_migrations_online() -> None:
    engine = create_engine(driver_url(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        connection.execute(text("SET lock_timeout = '10s'"))
        connection.commit()
        context.configure(connection=connection, target_metadata=target_metadata,
                          transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
