"""Walking every article of a database (or one) in key order, reporting progress.

Audit, verify, export and relink go through the whole database one article at a time, a
page of keys at a time so memory stays bounded. Progress is counted in revisions, not
articles: one article of a thousand revisions is a thousand times the work of a one-line
one, and a bar counting articles would stall on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from revtrack.service.progress import Counter, Progress
from revtrack.service.refs import find_article

if TYPE_CHECKING:
    from revtrack.store import Store

PAGE = 500


def walk(store: Store, key: str | None, progress: Progress | None = None) -> Iterator[str]:
    """Article keys (``key`` alone when given, after checking it exists); ``progress`` is
    told the revisions of the articles already handed out, out of the database's total."""
    if key is not None:
        with store.read() as tx:
            size = tx.revision_count(find_article(tx, key).id)
        counter = Counter(progress, size)
        counter.flush()
        yield key
        counter.add(size)
        counter.flush()
        return
    with store.read() as tx:
        counter = Counter(progress, tx.revision_total())
    counter.flush()
    after: str | None = None
    while True:
        with store.read() as tx:
            page = tx.article_sizes(after=after, limit=PAGE)
        if not page:
            counter.flush()
            return
        for article_key, size in page:
            yield article_key
            counter.add(size)
        after = page[-1][0]
