"""Reader-facing correction notes, their links to fixing revisions, and their states.

All three tables are append-only: a relink adds a link row (the newest link is the one in
force, and the export keeps them all), a retraction or a disappearance from the text adds a
state row, and an amended note is a new correction that supersedes the old one. A correction's
record is therefore assembled from several rows: its own, its newest link, its states in order
and the correction that superseded it, with revision ids turned into revision numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from revtrack.records import CorrectionRecord, LinkRecord, StateRecord
from revtrack.store.base import utcnow
from revtrack.store.heads import HeadsMixin
from revtrack.store.models import Article, Correction, CorrectionLink, CorrectionState, Revision


class CorrectionsMixin(HeadsMixin):
    """Adding notes, links and states; reading notes back as records."""

    def add_correction(
        self,
        *,
        article_id: int,
        kind: str,
        label: str,
        text: str,
        printed_date: str,
        origin: str,
        disclosed_revision_id: int | None,
        supersedes_id: int | None,
        actor: str,
    ) -> int:
        return self.insert_correction(
            {
                "article_id": article_id,
                "kind": kind,
                "label": label,
                "text": text,
                "printed_date": printed_date,
                "origin": origin,
                "disclosed_revision_id": disclosed_revision_id,
                "supersedes_id": supersedes_id,
                "actor": actor,
                "created_at": utcnow(),
            }
        )

    def insert_correction(self, fields: dict[str, Any]) -> int:
        """Insert a correction row, sealed (an exported seal is kept as it was)."""
        fields = dict(fields)
        given = fields.pop("seal", None)
        superseded = self.correction_seal(fields["supersedes_id"])
        sealed = {
            **fields,
            "disclosed_revision": self.revision_number(fields["disclosed_revision_id"]),
            "supersedes": None if superseded is None else superseded[1],
            "seal": given,
        }
        key = self.article_key(fields["article_id"])
        row = Correction(**fields, seal=self.sealed(key, "corrections", sealed))
        self.session.add(row)
        self.session.flush()
        return row.id

    def _note_ref(self, correction_id: int, fields: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The article key of a link's or state's note, and the fields it is sealed over."""
        found = self.correction_seal(correction_id)
        assert found is not None
        revision = fields.get("fixing_revision_id", fields.get("revision_id"))
        number = self.revision_number(revision)
        sealed = {**fields, "correction": found[1], "fixing_revision": number, "revision": number}
        return self.article_key(found[0]), sealed

    def insert_link(self, fields: dict[str, Any]) -> int:
        """Insert a link row, sealed (an exported seal is kept as it was)."""
        fields = dict(fields)
        given = fields.pop("seal", None)
        key, sealed = self._note_ref(fields["correction_id"], {**fields, "seal": given})
        row = CorrectionLink(**fields, seal=self.sealed(key, "links", sealed))
        self.session.add(row)
        self.session.flush()
        return row.id

    def insert_state(self, fields: dict[str, Any]) -> None:
        fields = dict(fields)
        given = fields.pop("seal", None)
        key, sealed = self._note_ref(fields["correction_id"], {**fields, "seal": given})
        self.session.add(CorrectionState(**fields, seal=self.sealed(key, "states", sealed)))
        self.session.flush()

    def add_link(
        self,
        correction_id: int,
        *,
        fixing_revision_id: int | None,
        confidence: float,
        matched: bool,
        evidence: list[dict[str, Any]],
        linker_version: str,
        actor: str,
    ) -> int:
        return self.insert_link(
            {
                "correction_id": correction_id,
                "fixing_revision_id": fixing_revision_id,
                "confidence": confidence,
                "matched": matched,
                "evidence": evidence,
                "linker_version": linker_version,
                "actor": actor,
                "created_at": utcnow(),
            }
        )

    def add_state(
        self, correction_id: int, state: str, *, revision_id: int | None, reason: str, actor: str
    ) -> None:
        self.insert_state(
            {
                "correction_id": correction_id,
                "state": state,
                "revision_id": revision_id,
                "reason": reason,
                "actor": actor,
                "created_at": utcnow(),
            }
        )

    def corrections(
        self, article_id: int | None = None, ids: Sequence[int] | None = None
    ) -> list[CorrectionRecord]:
        query = select(Correction, Article.key).join(Article, Article.id == Correction.article_id)
        if article_id is not None:
            query = query.where(Correction.article_id == article_id)
        if ids is not None:
            query = query.where(Correction.id.in_(list(ids)))
        rows = list(self.session.execute(query.order_by(Correction.id)))
        if not rows:
            return []
        cids = [c.id for c, _ in rows]
        numbers = self._revision_numbers(
            [c.disclosed_revision_id for c, _ in rows if c.disclosed_revision_id]
        )
        links: dict[int, CorrectionLink] = {}
        for link in self.session.scalars(
            select(CorrectionLink)
            .where(CorrectionLink.correction_id.in_(cids))
            .order_by(CorrectionLink.id)
        ):
            links[link.correction_id] = link  # the newest link wins
        states: dict[int, list[CorrectionState]] = {}
        for state in self.session.scalars(
            select(CorrectionState)
            .where(CorrectionState.correction_id.in_(cids))
            .order_by(CorrectionState.id)
        ):
            states.setdefault(state.correction_id, []).append(state)
        superseded_by: dict[int, int] = {
            int(old or 0): int(new)
            for old, new in self.session.execute(
                select(Correction.supersedes_id, Correction.id).where(
                    Correction.supersedes_id.in_(cids)
                )
            )
        }
        extra_ids = [link.fixing_revision_id for link in links.values() if link.fixing_revision_id]
        extra_ids += [s.revision_id for ss in states.values() for s in ss if s.revision_id]
        numbers.update(self._revision_numbers(extra_ids))
        out = []
        for c, key in rows:
            newest = links.get(c.id)
            out.append(
                CorrectionRecord(
                    id=c.id,
                    article_key=key,
                    kind=c.kind,
                    label=c.label,
                    text=c.text,
                    printed_date=c.printed_date,
                    origin=c.origin,
                    disclosed_revision=numbers.get(c.disclosed_revision_id or -1),
                    supersedes_id=c.supersedes_id,
                    superseded_by=superseded_by.get(c.id),
                    actor=c.actor,
                    created_at=c.created_at,
                    link=None
                    if newest is None
                    else LinkRecord(
                        id=newest.id,
                        fixing_revision=numbers.get(newest.fixing_revision_id or -1),
                        confidence=newest.confidence,
                        matched=newest.matched,
                        evidence=list(newest.evidence or []),
                        linker_version=newest.linker_version,
                        actor=newest.actor,
                        created_at=newest.created_at,
                        seal=newest.seal,
                    ),
                    states=tuple(
                        StateRecord(
                            state=s.state,
                            revision=numbers.get(s.revision_id or -1),
                            reason=s.reason,
                            actor=s.actor,
                            created_at=s.created_at,
                            seal=s.seal,
                        )
                        for s in states.get(c.id, [])
                    ),
                    seal=c.seal,
                )
            )
        return out

    def correction_links(self, correction_id: int) -> list[dict[str, Any]]:
        """Every link row of a correction, oldest first (the export keeps them all)."""
        rows = list(
            self.session.scalars(
                select(CorrectionLink)
                .where(CorrectionLink.correction_id == correction_id)
                .order_by(CorrectionLink.id)
            )
        )
        numbers = self._revision_numbers(
            [r.fixing_revision_id for r in rows if r.fixing_revision_id]
        )
        return [
            {
                "fixing_revision": numbers.get(r.fixing_revision_id or -1),
                "confidence": r.confidence,
                "matched": r.matched,
                "evidence": list(r.evidence or []),
                "linker_version": r.linker_version,
                "actor": r.actor,
                "created_at": r.created_at,
                "seal": r.seal,
            }
            for r in rows
        ]

    def _revision_numbers(self, ids: Sequence[int]) -> dict[int, int]:
        if not ids:
            return {}
        query = select(Revision.id, Revision.number).where(Revision.id.in_(set(ids)))
        return {int(i): int(n) for i, n in self.session.execute(query)}

    def correction_article(self, correction_id: int) -> int | None:
        return self.session.scalar(
            select(Correction.article_id).where(Correction.id == correction_id)
        )
