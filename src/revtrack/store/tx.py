"""The transaction object: :class:`Tx`, one mixin per area of the storage model.

Each area keeps its queries and its rules in its own module, and all of them share the state
of :class:`~revtrack.store.base.TxBase`; callers see one object with every read and append,
so nothing above the store knows how it is divided.
"""

from __future__ import annotations

from revtrack.store.articles import ArticlesMixin
from revtrack.store.browse import BrowseMixin
from revtrack.store.corrections import CorrectionsMixin
from revtrack.store.events import EventsMixin
from revtrack.store.import_queue import ImportQueueMixin
from revtrack.store.packs import PacksMixin
from revtrack.store.raw import RawMixin
from revtrack.store.rederived import RederivedMixin
from revtrack.store.restore import RestoreMixin
from revtrack.store.revisions import RevisionsMixin
from revtrack.store.texts import TextsMixin


class Tx(
    BrowseMixin,
    ArticlesMixin,
    RestoreMixin,
    RederivedMixin,
    RevisionsMixin,
    TextsMixin,
    PacksMixin,
    RawMixin,
    CorrectionsMixin,
    EventsMixin,
    ImportQueueMixin,
):
    """Reads and appends inside one transaction (see :meth:`Store.write`, :meth:`Store.read`)."""
