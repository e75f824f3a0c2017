"""Whatever text goes in comes back exactly, through ingest, the codec chain and `show`."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revtrack import Revtrack

texts = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters=["\x00"]),
    min_size=1,
).filter(lambda t: t.strip())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=6))
def test_every_ingested_text_comes_back_exactly(
    tmp_path_factory: object, versions: list[str]
) -> None:
    path = Path(tmp_path_factory.mktemp("rt")) / "p.db"  # type: ignore[attr-defined]
    rt = Revtrack(str(path), create=True)
    try:
        stored: list[str] = []
        for text in versions:
            result = rt.ingest_text(text, article="prop")
            if result.status != "unchanged":
                stored.append(text)
        revisions = rt.log("prop").revisions
        assert len(revisions) == len(stored)
        rt.store._cache.clear()
        for revision, text in zip(revisions, stored, strict=True):
            assert rt.show(f"prop@v{revision.number}")[1] == text
        assert rt.verify().ok
    finally:
        rt.close()
