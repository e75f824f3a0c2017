"""Persistence: the only package that imports SQLAlchemy.

:class:`~revtrack.store.store.Store` owns the database; it returns the plain records of
:mod:`revtrack.records`.
"""

from revtrack.records import (
    ArticleRecord,
    CorrectionRecord,
    EventRecord,
    LinkRecord,
    RevisionRecord,
    StateRecord,
)
from revtrack.store.store import GLOBAL_CHAIN, Store, Tx, utcnow

__all__ = [
    "GLOBAL_CHAIN",
    "ArticleRecord",
    "CorrectionRecord",
    "EventRecord",
    "LinkRecord",
    "RevisionRecord",
    "StateRecord",
    "Store",
    "Tx",
    "utcnow",
]
