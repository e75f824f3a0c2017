"""Rows of the watch tables: followed URLs, their URL forms, per-host rules, claims.

:class:`WatchRows` works inside a :class:`~revtrack.store.store.Tx` (``WatchRows(tx)``), so a
fetch's outcome, the revision it makes and its event commit or roll back together.

Claims. :meth:`WatchRows.claim` picks due rows in ``next_at`` order; on PostgreSQL they are
locked ``FOR UPDATE SKIP LOCKED``, so concurrent workers (on any machine) take disjoint rows
without waiting on each other. The per-host limits hold across workers because the host
rows of the candidates are then locked (in host order, so two claimers never deadlock) and
the host's live claims are counted after that lock: a second claimer waits for the first
to commit and counts its claims too. A claim is written and committed (no transaction is
held open during a fetch): it sets ``claim_token`` and moves ``next_at`` to the claim's
expiry, and the fetch's result is accepted only from the holder of the current token.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, func, select, update

from revtrack.records import HostRecord, WatchRecord
from revtrack.store.models import Article, Watch, WatchHost, WatchUrl
from revtrack.store.tx import Tx
from revtrack.store.types import from_micros, micros

_UPDATABLE = frozenset(
    c.key for c in Watch.__table__.columns if c.key not in {"id", "recent_changes"}
) | {"recent_changes"}


class WatchRows:
    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.session = tx.session
        self.pg = tx.store.backend == "postgresql"

    # -- watches ----------------------------------------------------------------------
    def owner(self, ident: str) -> int | None:
        """The watch that a cleaned URL form belongs to, if any."""
        found = self.session.scalar(select(WatchUrl.watch_id).where(WatchUrl.ident == ident))
        return None if found is None else int(found)

    def add(
        self,
        *,
        url: str,
        ident: str,
        host: str,
        kind: str,
        pattern: str = "",
        every_s: int | None,
        until_s: int | None,
        parent_id: int | None = None,
        born_at: datetime,
        now: datetime,
        next_at: datetime | None,
    ) -> WatchRecord:
        row = Watch(
            url=url,
            host=host,
            kind=kind,
            pattern=pattern,
            state="active",
            every_s=every_s,
            until_s=until_s,
            parent_id=parent_id,
            born_at=born_at,
            added_at=now,
            next_at=next_at,
            claimed_by="",
            last_result="",
            last_error="",
            recent_changes=[],
            change_count=0,
            fetch_count=0,
            fails=0,
        )
        self.session.add(row)
        self.session.flush()
        self.session.add(WatchUrl(ident=ident, watch_id=row.id))
        self.session.flush()
        found = self.get(row.id)
        assert found is not None
        return found

    def add_alias(self, ident: str, watch_id: int) -> int:
        """Record ``ident`` as a form of ``watch_id``; return the watch that owns it."""
        found = self.owner(ident)
        if found is not None:
            return found
        if self.pg:
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        self.session.execute(
            insert(WatchUrl)
            .values(ident=ident, watch_id=watch_id)
            .on_conflict_do_nothing(index_elements=["ident"])
        )
        owner = self.owner(ident)
        assert owner is not None
        return owner

    def idents(self, watch_id: int) -> list[str]:
        query = select(WatchUrl.ident).where(WatchUrl.watch_id == watch_id).order_by(WatchUrl.ident)
        return [str(i) for i in self.session.scalars(query)]

    def get(self, watch_id: int, *, lock: bool = False) -> WatchRecord | None:
        row = self.session.execute(_get_query(lock and self.pg), {"wid": watch_id}).first()
        return None if row is None else _record(row)

    def lock_many(self, watch_ids: Sequence[int]) -> dict[int, WatchRecord]:
        """Many watches in one statement, locked on PostgreSQL in id order (so two workers
        never deadlock): a batch of fetch outcomes reads its watches at once."""
        found: dict[int, WatchRecord] = {}
        ids = sorted(set(watch_ids))
        for start in range(0, len(ids), 500):
            query = _many_query().order_by(_W.c.id)
            if self.pg:
                query = query.with_for_update(of=_W)
            for row in self.session.execute(query, {"ids": ids[start : start + 500]}):
                record = _record(row)
                found[record.id] = record
        return found

    def finish(self, watch_id: int, values: dict[str, Any]) -> None:
        """Write a fetch's outcome: every column of :data:`FINISH`, in one cached statement."""
        self.finish_many([(watch_id, values)])

    def finish_many(self, outcomes: Sequence[tuple[int, dict[str, Any]]]) -> None:
        """:meth:`finish` for many watches, in one statement run for each (executemany)."""
        if not outcomes:
            return
        batch = []
        for watch_id, values in outcomes:
            params = {f"v_{name}": values[name] for name in FINISH}
            params["v_recent_changes"] = [micros(t) for t in values["recent_changes"]]
            params["b_id"] = watch_id
            batch.append(params)
        self.session.execute(_finish_statement(), batch)

    def by_article(self, key: str) -> list[WatchRecord]:
        query = _with_key().where(Article.key == key).order_by(_W.c.id)
        return [_record(r) for r in self.session.execute(query)]

    def watches(
        self,
        *,
        states: Sequence[str] | None = None,
        parent_id: int | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[WatchRecord]:
        query = _with_key().order_by(_W.c.id).offset(offset)
        if states is not None:
            query = query.where(_W.c.state.in_(list(states)))
        if parent_id is not None:
            query = query.where(_W.c.parent_id == parent_id)
        if limit is not None:
            query = query.limit(limit)
        return [_record(r) for r in self.session.execute(query)]

    def update(self, watch_id: int, **fields: Any) -> None:
        unknown = set(fields) - _UPDATABLE
        assert not unknown, unknown
        if "recent_changes" in fields:
            fields["recent_changes"] = [micros(t) for t in fields["recent_changes"]]
        self.session.execute(update(Watch).where(Watch.id == watch_id).values(**fields))

    # -- hosts ------------------------------------------------------------------------
    def ensure_host(self, host: str, *, concurrency: int, delay_ms: int) -> None:
        if self.pg:
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        self.session.execute(
            insert(WatchHost)
            .values(
                host=host,
                concurrency=concurrency,
                delay_ms=delay_ms,
                skip=[],
                include=[],
                remove=[],
                robots=True,
            )
            .on_conflict_do_nothing(index_elements=["host"])
        )

    def set_host(self, host: str, **fields: Any) -> HostRecord:
        row = self.session.get(WatchHost, host, with_for_update=self.pg)
        assert row is not None
        for name, value in fields.items():
            setattr(row, name, value)
        self.session.flush()
        return _host_record(row)

    def host(self, host: str) -> HostRecord | None:
        row = self.session.get(WatchHost, host)
        return None if row is None else _host_record(row)

    def hosts(self) -> list[HostRecord]:
        query = select(WatchHost).order_by(WatchHost.host)
        return [_host_record(h) for h in self.session.scalars(query)]

    # -- claims -----------------------------------------------------------------------
    def claim(
        self,
        *,
        now: datetime,
        limit: int,
        ttl: timedelta,
        horizon: timedelta,
        token: str,
        worker: str,
    ) -> list[WatchRecord]:
        """Claim up to ``limit`` due watches within every host's concurrency and spacing.

        Each claimed row gets ``not_before``, the start its host's spacing allows (at most
        ``horizon`` ahead), and ``next_at`` = now + ``ttl``, when the claim lapses.
        """
        busy = self._live_claims(now, None)
        blocked = {
            str(h)
            for h in self.session.scalars(
                select(_H.c.host).where(_H.c.next_slot_at > now + horizon)
            )
        }
        if busy:
            limits = select(_H.c.host, _H.c.concurrency).where(_H.c.host.in_(list(busy)))
            for host, concurrency in self.session.execute(limits):
                if busy[host] >= concurrency:
                    blocked.add(host)
        query = select(_W.c.id, _W.c.host).where(_W.c.next_at <= now)
        if blocked:
            query = query.where(_W.c.host.not_in(sorted(blocked)))
        query = query.order_by(_W.c.next_at).limit(limit * 2)
        if self.pg:
            query = query.with_for_update(skip_locked=True)
        rows = [(int(i), str(h)) for i, h in self.session.execute(query)]
        if not rows:
            return []
        hosts = sorted({h for _, h in rows})
        host_query = (
            select(_H.c.host, _H.c.concurrency, _H.c.delay_ms, _H.c.next_slot_at)
            .where(_H.c.host.in_(hosts))
            .order_by(_H.c.host)
        )
        if self.pg:
            host_query = host_query.with_for_update()
        rules = {str(r[0]): [int(r[1]), int(r[2]), r[3]] for r in self.session.execute(host_query)}
        live = self._live_claims(now, hosts)  # counted after the host locks: see the docstring
        chosen: list[dict[str, Any]] = []
        moved: set[str] = set()
        expiry = now + ttl
        for watch_id, host in rows:
            rule = rules.get(host)
            if rule is None:  # a host row is made with its first watch; be safe all the same
                continue
            concurrency, delay_ms, next_slot = rule
            if live.get(host, 0) >= concurrency:
                continue
            slot = max(now, next_slot or now)
            if slot > now + horizon:
                continue
            chosen.append(
                {
                    "b_id": watch_id,
                    "v_token": token,
                    "v_worker": worker,
                    "v_slot": slot,
                    "v_expiry": expiry,
                }
            )
            if delay_ms:
                rule[2] = slot + timedelta(milliseconds=delay_ms)
                moved.add(host)
            live[host] = live.get(host, 0) + 1
            if len(chosen) >= limit:
                break
        if not chosen:
            return []
        self.session.execute(_claim_statement(), chosen)
        if moved:
            self.session.execute(
                _slot_statement(),
                [{"b_host": h, "v_slot": rules[h][2]} for h in sorted(moved)],
            )
        ids = [c["b_id"] for c in chosen]
        found = {r.id: r for r in self.session.execute(_many_query(), {"ids": ids})}
        return [_record(found[i]) for i in ids]

    def _live_claims(self, now: datetime, hosts: Sequence[str] | None) -> dict[str, int]:
        query = (
            select(_W.c.host, func.count(_W.c.id))
            .where(and_(_W.c.claim_token.is_not(None), _W.c.next_at > now))
            .group_by(_W.c.host)
        )
        if hosts is not None:
            query = query.where(_W.c.host.in_(list(hosts)))
        return {str(h): int(n) for h, n in self.session.execute(query)}

    def release(self, token: str, ids: Sequence[int], now: datetime) -> None:
        """Give back claims never started (a stopping worker): due again at once."""
        if not ids:
            return
        self.session.execute(
            update(Watch)
            .where(and_(Watch.claim_token == token, Watch.id.in_(list(ids))))
            .values(claim_token=None, claimed_by="", not_before=None, next_at=now)
        )

    def due_count(self, now: datetime) -> int:
        query = select(func.count(Watch.id)).where(Watch.next_at <= now)
        return int(self.session.scalar(query) or 0)

    def make_all_due(self, now: datetime) -> None:
        """Every scheduled watch due now, except those another worker is fetching."""
        self.session.execute(
            update(Watch)
            .where(and_(Watch.next_at > now, Watch.claim_token.is_(None)))
            .values(next_at=now)
        )

    def next_due(self) -> datetime | None:
        value = self.session.scalar(select(func.min(Watch.next_at)))
        return value if isinstance(value, datetime) else None

    # -- status -----------------------------------------------------------------------
    def counts_by_state(self) -> dict[str, int]:
        query = select(Watch.state, func.count(Watch.id)).group_by(Watch.state)
        return {str(s): int(n) for s, n in self.session.execute(query)}

    def host_counts(self, now: datetime, since: datetime) -> list[dict[str, Any]]:
        live = and_(Watch.claim_token.is_not(None), Watch.next_at > now)
        due = and_(Watch.claim_token.is_(None), Watch.next_at <= now)
        query = (
            select(
                Watch.host,
                func.count(Watch.id),
                func.sum(case((due, 1), else_=0)),
                func.sum(case((Watch.fails > 0, 1), else_=0)),
                func.sum(case((Watch.last_change_at >= since, 1), else_=0)),
                func.sum(case((live, 1), else_=0)),
            )
            .where(Watch.state == "active")
            .group_by(Watch.host)
            .order_by(Watch.host)
        )
        return [
            {
                "host": str(h),
                "watched": int(n),
                "due": int(d or 0),
                "failing": int(f or 0),
                "changed": int(c or 0),
                "fetching": int(c2 or 0),
            }
            for h, n, d, f, c, c2 in self.session.execute(query)
        ]

    def failing(self, limit: int = 10) -> list[WatchRecord]:
        query = (
            _with_key()
            .where(and_(_W.c.state == "active", _W.c.fails > 0))
            .order_by(_W.c.fails.desc(), _W.c.id)
            .limit(limit)
        )
        return [_record(r) for r in self.session.execute(query)]

    def changed_since(self, since: datetime, limit: int = 10) -> list[WatchRecord]:
        query = (
            _with_key()
            .where(_W.c.last_change_at >= since)
            .order_by(_W.c.last_change_at.desc(), _W.c.id)
            .limit(limit)
        )
        return [_record(r) for r in self.session.execute(query)]

    def count_changed_since(self, since: datetime) -> int:
        query = select(func.count(Watch.id)).where(Watch.last_change_at >= since)
        return int(self.session.scalar(query) or 0)

    def count_failing(self) -> int:
        query = select(func.count(Watch.id)).where(and_(Watch.state == "active", Watch.fails > 0))
        return int(self.session.scalar(query) or 0)


_W = cast(Table, Watch.__table__)
_H = cast(Table, WatchHost.__table__)
_A = cast(Table, Article.__table__)
FINISH = (
    "url",
    "state",
    "article_id",
    "merged_into",
    "next_at",
    "claim_token",
    "claimed_by",
    "not_before",
    "last_fetch_at",
    "last_status",
    "last_result",
    "last_error",
    "last_change_at",
    "recent_changes",
    "change_count",
    "fetch_count",
    "fails",
    "etag",
    "last_modified",
    "body_hash",
)
"""The columns a fetch's outcome writes (all of them, so one statement serves every fetch)."""


def _with_key() -> Any:  # a Select of the watch columns and the article key
    return select(*_W.c, _A.c.key.label("article_key")).select_from(
        _W.outerjoin(_A, _A.c.id == _W.c.article_id)
    )


@lru_cache(maxsize=2)
def _get_query(lock: bool) -> Any:
    query = _with_key().where(_W.c.id == bindparam("wid"))
    return query.with_for_update(of=_W) if lock else query


@lru_cache(maxsize=1)
def _many_query() -> Any:
    return _with_key().where(_W.c.id.in_(bindparam("ids", expanding=True)))


@lru_cache(maxsize=1)
def _finish_statement() -> Any:
    return (
        _W.update()
        .where(_W.c.id == bindparam("b_id"))
        .values({name: bindparam(f"v_{name}") for name in FINISH})
    )


@lru_cache(maxsize=1)
def _claim_statement() -> Any:
    return (
        _W.update()
        .where(_W.c.id == bindparam("b_id"))
        .values(
            claim_token=bindparam("v_token"),
            claimed_by=bindparam("v_worker"),
            not_before=bindparam("v_slot"),
            next_at=bindparam("v_expiry"),
        )
    )


@lru_cache(maxsize=1)
def _slot_statement() -> Any:
    return (
        _H.update().where(_H.c.host == bindparam("b_host")).values(next_slot_at=bindparam("v_slot"))
    )


def _record(row: Any) -> WatchRecord:
    m = row._mapping
    return WatchRecord(
        id=m["id"],
        url=m["url"],
        host=m["host"],
        kind=m["kind"],
        pattern=m["pattern"],
        state=m["state"],
        every_s=m["every_s"],
        until_s=m["until_s"],
        parent_id=m["parent_id"],
        article_id=m["article_id"],
        article_key=m["article_key"],
        merged_into=m["merged_into"],
        born_at=m["born_at"],
        added_at=m["added_at"],
        next_at=m["next_at"],
        claim_token=m["claim_token"],
        not_before=m["not_before"],
        last_fetch_at=m["last_fetch_at"],
        last_status=m["last_status"],
        last_result=m["last_result"],
        last_error=m["last_error"],
        last_change_at=m["last_change_at"],
        recent_changes=tuple(from_micros(t) for t in (m["recent_changes"] or [])),
        change_count=m["change_count"],
        fetch_count=m["fetch_count"],
        fails=m["fails"],
        etag=m["etag"],
        last_modified=m["last_modified"],
        body_hash=m["body_hash"],
    )


def _host_record(row: WatchHost) -> HostRecord:
    return HostRecord(
        host=row.host,
        concurrency=row.concurrency,
        delay_ms=row.delay_ms,
        next_slot_at=row.next_slot_at,
        skip=tuple(row.skip or ()),
        robots=bool(row.robots),
        include=tuple(row.include or ()),
        remove=tuple(row.remove or ()),
    )
