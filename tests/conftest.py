"""Fixtures shared by the store, service and CLI tests.

Every test runs with the REVTRACK_* environment cleared and REVTRACK_DATABASE_URL pointed at a
file in its own temporary directory, so no test can touch a user's database. Tests that use
``db_url`` (or ``rt`` / ``runner``) run twice: on a fresh SQLite file and on a fresh schema
of the PostgreSQL server at 127.0.0.1:5432, skipped with the reason when it does not answer.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from revtrack import Revtrack

PG_ADMIN = os.environ.get("REVTRACK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ferry"

_pg_state: dict[str, str | None] = {}


def pg_unavailable() -> str | None:
    """None when the PostgreSQL test server answers, else why not (checked once)."""
    if "reason" not in _pg_state:
        try:
            import psycopg

            with psycopg.connect(PG_ADMIN, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _pg_state["reason"] = None
        except Exception as exc:  # any failure means: skip, and say why
            _pg_state["reason"] = f"PostgreSQL at {PG_ADMIN} does not answer: {exc}"
    return _pg_state["reason"]


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("REVTRACK_") or name in {"NO_COLOR", "FORCE_COLOR"}:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REVTRACK_DATABASE_URL", str(tmp_path / "default.db"))
    monkeypatch.setenv("REVTRACK_ACTOR", "tester")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a brand-new PostgreSQL schema, dropped afterwards."""
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_ADMIN}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh, empty database URL of each backend, also set as REVTRACK_DATABASE_URL."""
    if request.param == "sqlite":
        url = str(tmp_path / "revtrack.db")
    else:
        url = request.getfixturevalue("pg_schema_url")
    monkeypatch.setenv("REVTRACK_DATABASE_URL", url)
    return url


@pytest.fixture
def rt(db_url: str) -> Iterator[Revtrack]:
    """A Revtrack on a freshly migrated database."""
    instance = Revtrack(db_url, create=True)
    yield instance
    instance.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example() -> Path:
    """The bundled three-version story (examples/ferry)."""
    return EXAMPLE
