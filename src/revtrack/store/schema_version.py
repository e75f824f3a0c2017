"""The schema this revtrack writes and reads, as constants (no database library).

The head is also found by Alembic from the scripts in ``migrations/``; a test keeps the two
equal. Kept here so that opening a database checks its version without loading Alembic, or
even SQLAlchemy (:mod:`revtrack.store.lite`).
"""

SCHEMA_HEAD = "0009"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009")
