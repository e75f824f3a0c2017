"""The article search index: FTS5 trigram on SQLite, pg_trgm GIN indexes on PostgreSQL.

The article list's search (a key or headline holding ``q``, any case) read every article;
at 100,000 articles that scan was most of the page. This adds the index of
:mod:`revtrack.store.search` and fills it from the articles already stored (the backfill);
on SQLite, triggers on ``articles`` keep it in step with every later write, on PostgreSQL the
GIN indexes are ordinary indexes. Where the index cannot be had (SQLite without the trigram
tokenizer, PostgreSQL without pg_trgm for this role) the migration still succeeds, logs why,
and the search scans as before; ``revtrack serve`` says so.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 16:00:00
"""

from __future__ import annotations

from alembic import op

from revtrack.store import search

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.install(op.get_bind())


def downgrade() -> None:
    search.remove(op.get_bind())
