"""Persistence: the only package that imports SQLAlchemy.

:class:`~revtrack.store.store.Store` owns the database; its transactions
(:class:`~revtrack.store.tx.Tx`) return the plain records of :mod:`revtrack.records`. One
module per area of the storage model: texts and the codec chain, articles, revisions,
corrections, events, restore, the import queue, and the quick reads.
"""

from revtrack.records import (
    ArticleRecord,
    CorrectionRecord,
    EventRecord,
    LinkRecord,
    RevisionRecord,
    StateRecord,
)
from revtrack.store.base import utcnow
from revtrack.store.events import GLOBAL_CHAIN
from revtrack.store.quick import Pick
from revtrack.store.store import Store
from revtrack.store.tx import Tx

__all__ = [
    "GLOBAL_CHAIN",
    "ArticleRecord",
    "CorrectionRecord",
    "EventRecord",
    "LinkRecord",
    "Pick",
    "RevisionRecord",
    "StateRecord",
    "Store",
    "Tx",
    "utcnow",
]
