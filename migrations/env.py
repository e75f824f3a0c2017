"""Alembic environment shared by `alembic upgrade head` and `revtrack db upgrade`.

revtrack passes its own open connection in ``config.attributes["connection"]`` (so the
upgrade runs inside the caller's transaction and on the caller's engine settings); the
plain `alembic` command builds an engine from REVTRACK_DATABASE_URL or alembic.ini.
SQLite gets ``render_as_batch`` so that later ALTERs work by table copy.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, create_engine

from revtrack.store.migrate import check_foreign_keys, foreign_keys_off, modelled
from revtrack.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=modelled,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    from revtrack.store.engine import make_engine, resolve_url

    url = os.environ.get("REVTRACK_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(resolve_url(url)) if url else create_engine("sqlite:///revtrack.db")
    try:
        with engine.connect() as connection, foreign_keys_off(connection):
            _run(connection)
            check_foreign_keys(connection)
            connection.commit()
    finally:
        engine.dispose()  # its pooled connections would otherwise be closed only by the GC


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
