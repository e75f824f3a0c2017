"""Persistence: the only package that imports SQLAlchemy.

:class:`~revtrack.store.store.Store` owns the database; its transactions
(:class:`~revtrack.store.tx.Tx`) return the plain records of :mod:`revtrack.records`. One
module per area of the storage model: texts and the codec chain, articles, revisions,
corrections, events, restore, the import queue, and the quick reads.

The names below are loaded on first use (PEP 562), not when the package is imported: the
stdlib-only reader :mod:`revtrack.store.lite`, which the reading commands use to start fast,
lives in this package and must not pay for SQLAlchemy by being here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from revtrack.records import (
    ArticleRecord,
    CorrectionRecord,
    EventRecord,
    LinkRecord,
    RevisionRecord,
    StateRecord,
)

if TYPE_CHECKING:
    from revtrack.store.base import utcnow
    from revtrack.store.events import GLOBAL_CHAIN
    from revtrack.store.quick import Pick
    from revtrack.store.store import Store
    from revtrack.store.tx import Tx

_LAZY = {
    "utcnow": "revtrack.store.base",
    "GLOBAL_CHAIN": "revtrack.store.events",
    "Pick": "revtrack.store.quick",
    "Store": "revtrack.store.store",
    "Tx": "revtrack.store.tx",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once: later lookups are plain attribute reads
    return value
