"""Naming revisions: what users type (``KEY@v3``, ``3``, ``latest~1``, ``first``, a time),
parsed once into a :class:`Ref`, then resolved against the store in one place.

Every command and every web route goes through here (by way of the facade), so a ref means
the same thing everywhere and an unknown one is worded the same way everywhere: the error
lists what exists ("ferry has 3 revisions, v1–v3").

Times are ISO 8601 (``2022-03-18``, ``2022-03-18T10:00``, ``…Z`` or ``…+02:00``); a time
without a zone is taken as UTC, the zone every stored time is in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from revtrack.errors import BadReference, InvalidInput, UnknownArticle, UnknownRevision

if TYPE_CHECKING:
    from revtrack.records import ArticleRecord, RevisionRecord
    from revtrack.store import Pick, Tx

_REL = re.compile(r"^(latest|head|first)(?:~(\d+))?$", re.I)
_NUM = re.compile(r"^v?(\d+)$", re.I)


@dataclass(frozen=True)
class RevSpec:
    """A parsed revision reference, not yet resolved against an article.

    ``text`` is what the user typed, for messages.
    """

    kind: str  # "number" | "latest" | "first" | "time"
    number: int = 0
    offset: int = 0
    moment: datetime | None = None
    text: str = ""

    @property
    def position(self) -> int | None:
        """The revision number when the ref alone fixes it (``v3``, ``first~1``), else None."""
        if self.kind == "number":
            return self.number
        if self.kind == "first":
            return 1 + self.offset
        return None

    @property
    def is_latest(self) -> bool:
        return self.kind == "latest" and self.offset == 0


LATEST = RevSpec("latest", text="latest")
PREVIOUS = RevSpec("latest", offset=1, text="latest~1")


@dataclass(frozen=True)
class Ref:
    """``ARTICLE[@REV]`` parsed: the article's key and the revision, when one was given."""

    key: str
    rev: RevSpec | None = None

    def rev_or(self, default: RevSpec) -> RevSpec:
        return self.rev if self.rev is not None else default


def split_ref(ref: str) -> tuple[str, str | None]:
    """``"key@v2"`` → ``("key", "v2")``; ``"key"`` → ``("key", None)``.

    The last ``@`` splits, so a key may itself hold one.
    """
    if "@" in ref:
        key, rev = ref.rsplit("@", 1)
        if not key:
            raise BadReference(f"{ref!r} names no article.", "Write it as ARTICLE@REV.")
        return key, rev
    return ref, None


def parse_ref(text: str, rev: str | None = None) -> Ref:
    """``ARTICLE[@REV]``; ``rev`` (``--rev``) wins over a revision written after the ``@``.

    An empty revision (``key@``) is no revision: the caller's default applies.
    """
    key, inline = split_ref(text)
    given = rev or inline
    return Ref(key, parse_rev(given) if given else None)


def parse_diff_refs(ref: str, rev_a: str | None, rev_b: str | None) -> tuple[str, list[RevSpec]]:
    """``diff``'s arguments: the article and the zero to two revisions named, in order.

    ``ref`` may carry a revision (``key@v1``); then ``rev_a`` may be another full ref of the
    same article (``key@v2``) or a bare revision (``v2``).
    """
    first = parse_ref(ref)
    others = [r for r in (rev_a, rev_b) if r is not None]
    if len(others) + (first.rev is not None) > 2:
        raise InvalidInput("Give at most two revisions to compare.")
    specs = [first.rev] if first.rev is not None else []
    for other in others:
        if "@" in other:
            parsed = parse_ref(other)
            if parsed.key != first.key:
                raise InvalidInput(
                    f"Cannot compare {first.key} with {parsed.key}: diff compares two "
                    "revisions of one article.",
                    f"Write it as `revtrack diff {first.key}@v1 {first.key}@v2`.",
                )
            specs.append(parsed.rev_or(LATEST))
        else:
            specs.append(parse_rev(other))
    return first.key, specs


def parse_rev(text: str) -> RevSpec:
    value = text.strip()
    match = _NUM.match(value)
    if match:
        number = int(match.group(1))
        if number < 1:
            raise BadReference(f"{text!r} is not a revision: numbering starts at v1.")
        if number > MAX_REVISION:
            raise BadReference(
                f"{text!r} is not a revision: numbers go up to {MAX_REVISION:,}.",
                "Run `revtrack log ARTICLE` to see the revisions.",
            )
        return RevSpec("number", number=number, text=text)
    match = _REL.match(value)
    if match:
        base = match.group(1).lower()
        offset = min(int(match.group(2) or 0), MAX_REVISION)
        return RevSpec("first" if base == "first" else "latest", offset=offset, text=text)
    try:
        moment = parse_time(value)
    except BadReference as exc:
        if "outside the times" in exc.message:
            raise
        raise BadReference(
            f"{text!r} is not a revision reference.",
            "Use v3, 3, latest, latest~1, first, or a time such as 2022-03-18T10:00.",
        ) from None
    return RevSpec("time", moment=moment, text=text)


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as naive UTC."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except ValueError:
        raise BadReference(
            f"{text!r} is not a time.", "Use ISO 8601, for example 2022-03-18T10:00 (UTC)."
        ) from None
    except OverflowError:  # a time zone pushes it past year 1 or 9999
        raise BadReference(
            f"{text!r} is outside the times revtrack keeps.",
            "Use a time between 0001-01-02 and 9999-12-30 (UTC).",
        ) from None
    if not (EARLIEST <= moment <= LATEST_TIME):
        raise BadReference(
            f"{text!r} is outside the times revtrack keeps.",
            "Use a time between 0001-01-02 and 9999-12-30 (UTC).",
        )
    return moment


MAX_REVISION = 2**31 - 1
"""The largest revision number a reference may name (PostgreSQL's INTEGER)."""
EARLIEST = datetime(1, 1, 2)
LATEST_TIME = datetime(9999, 12, 30)
"""Times a reference may name: a day inside the calendar's ends, so any zone converts."""


# -- resolving against the store -----------------------------------------------------------
def find_article(tx: Tx, key: str) -> ArticleRecord:
    """The article ``key``, or an error naming articles that do exist.

    A key is looked up as given (bulk imports keep ``corpus/doc``), then as ``ingest`` would
    have stored it (``a/b/c`` as ``a-b-c``), so one key works for every command.
    """
    article = tx.get_article(key)
    if article is None:
        from revtrack.service.sources import slugify

        slug = slugify(key)
        article = tx.get_article(slug) if slug and slug != key else None
    if article is None:
        similar: Sequence[str] = tx.similar_keys(key) or tx.article_keys(limit=5)
        hint = (
            f"Known articles include: {', '.join(similar)}."
            if similar
            else "The database has no articles yet; ingest one first."
        )
        raise UnknownArticle(f"No article {key!r}.", hint)
    return article


def resolve(tx: Tx, article: ArticleRecord, spec: RevSpec) -> RevisionRecord:
    """The revision of ``article`` that ``spec`` names, or an error saying what exists."""
    found: RevisionRecord | None = None
    if spec.position is not None:
        found = tx.revision(article.id, spec.position)
    elif spec.is_latest:
        found = tx.latest_revision(article.id)
    elif spec.kind == "latest":
        count = tx.revision_count(article.id)
        if count - spec.offset >= 1:
            found = tx.revision(article.id, count - spec.offset)
    elif spec.kind == "time":
        assert spec.moment is not None
        found = tx.revision_at(article.id, spec.moment)
    if found is not None:
        return found
    have = revisions_held(article.key, tx.revision_count(article.id))
    if spec.kind == "time":
        raise UnknownRevision(
            f"No revision of {article.key} existed at {spec.text.strip()}; {have}.",
            "Give a later time or a revision number.",
        )
    raise UnknownRevision(
        f"No revision {spec.text!r}: {have}.", f"Run `revtrack log {article.key}` to see them."
    )


def resolve_ref(
    tx: Tx, ref: Ref, default: RevSpec = LATEST
) -> tuple[ArticleRecord, RevisionRecord]:
    article = find_article(tx, ref.key)
    return article, resolve(tx, article, ref.rev_or(default))


def revisions_held(key: str, count: int) -> str:
    """``ferry has 3 revisions, v1–v3``: what exists, for an error about what does not."""
    if count == 0:
        return f"{key} has no revisions"
    if count == 1:
        return f"{key} has 1 revision, v1"
    return f"{key} has {count} revisions, v1–v{count}"


class PairReader(Protocol):
    """What `diff`'s quick load needs: the store, or the stdlib reader of store/lite.py."""

    def revision_pair(
        self, key: str, old: Pick, new: Pick, *, as_fetched: bool = False
    ) -> tuple[ArticleRecord, tuple[RevisionRecord, str], tuple[RevisionRecord, str]] | None: ...


def quick_pair(
    store: PairReader, key: str, revs: list[RevSpec], *, as_fetched: bool = False
) -> tuple[ArticleRecord, tuple[RevisionRecord, str], tuple[RevisionRecord, str]] | None:
    """`diff`'s load in one Core statement (store/quick.py), when both refs are a number,
    the latest or first with an offset; None sends the caller to the general load, which
    also words any error."""
    wanted = list(revs) or [PREVIOUS, LATEST]
    if len(wanted) == 1:
        wanted.append(LATEST)
    picks: list[Pick] = []
    for spec in wanted:
        if spec.kind == "number" and spec.number is not None:
            picks.append(("number", spec.number))
        elif spec.kind == "first":
            picks.append(("number", 1 + spec.offset))
        elif spec.kind == "latest":
            picks.append(("latest", spec.offset))
        else:
            return None
    return store.revision_pair(key, picks[0], picks[1], as_fetched=as_fetched)
