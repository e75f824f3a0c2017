"""Reading a directory of versioned documents (the corpora layout), without the database.

Layout: ``<root>/<doc>/v001.txt, v002.txt, …`` with an optional ``meta.json`` (title, URL and
per-version timestamps, titles, edit summaries, authors), or ``<root>/<corpus>/<doc>/…``.
An article's key is ``<corpus>/<doc>``, the corpus being the folder that holds the document.

:func:`read_document` turns one document into a :class:`DocumentPlan`: its versions decoded,
and optionally analysed one against the other as ingest would (hashes, diff statistics, note
changes). It touches no database, so a bulk import runs it in worker processes while the
writer stores the documents read before.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from revtrack.errors import InvalidInput, SourceError
from revtrack.service.analysis import Analysis, Parent, analyze
from revtrack.service.sources import decode

VERSION_FILE = re.compile(r"^v(\d+)\.(txt|md|html?)$", re.I)


@dataclass(frozen=True)
class Document:
    key: str
    path: Path


@dataclass(frozen=True)
class Version:
    """One version file, decoded, with what ``meta.json`` says of it."""

    number: int
    name: str  # the file name, e.g. "v003.txt"
    text: str
    info: dict[str, Any] = field(default_factory=dict)
    analysis: Analysis | None = None  # against the previous stored version of this document


@dataclass(frozen=True)
class DocumentPlan:
    document: Document
    meta: dict[str, Any]
    versions: tuple[Version, ...]


def find_documents(root: Path) -> list[Document]:
    """Every folder under ``root`` (up to two levels) that holds version files."""
    docs: list[Document] = []
    for candidate in sorted([root, *root.glob("*"), *root.glob("*/*")]):
        if not candidate.is_dir():
            continue
        if any(VERSION_FILE.match(p.name) for p in candidate.iterdir()):
            docs.append(Document(f"{candidate.parent.name}/{candidate.name}", candidate))
    if not docs:
        raise InvalidInput(
            f"{root} holds no versioned documents.",
            "Expected folders with v001.txt, v002.txt, … (and optionally meta.json).",
        )
    return docs


def version_files(doc: Path) -> list[tuple[int, Path]]:
    found = []
    for p in doc.iterdir():
        match = VERSION_FILE.match(p.name)
        if match:
            found.append((int(match.group(1)), p))
    return sorted(found)


def read_meta(doc: Path) -> dict[str, Any]:
    path = doc / "meta.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path} is not valid JSON ({exc}).", "Fix or remove it.") from exc
    # A meta.json of another shape would be read as saying nothing: the titles, URL and times
    # it was meant to give would be lost without a word. Refuse it instead.
    versions = data.get("versions") if isinstance(data, dict) else []
    if not isinstance(data, dict) or not (
        versions is None
        or (isinstance(versions, list) and all(isinstance(v, dict) for v in versions))
    ):
        raise SourceError(
            f"{path} is not a JSON object with a list of version objects.",
            'Write it as {"title": ..., "versions": [{"version": 1, ...}]}, or remove it.',
        )
    return data


def version_title(meta: dict[str, Any], info: dict[str, Any]) -> str | None:
    """The title the corpus gives a version: its own, else the document's."""
    title = info.get("title") or meta.get("title")
    return str(title) if title else None


def read_document(doc: Document, *, after: int = 0, analyse: bool = False) -> DocumentPlan:
    """Decode the versions of ``doc`` numbered above ``after`` (empty ones are left out).

    With ``analyse``, each version is analysed against the previous one kept, as if the
    article had no revision before this document's first: the writer checks that assumption
    (:meth:`Analysis.fits`) and analyses again where it does not hold.
    """
    meta = read_meta(doc.path)
    per_version = {int(v.get("version", 0)): v for v in meta.get("versions", []) or []}
    versions: list[Version] = []
    parent: Parent | None = None
    for number, path in version_files(doc.path):
        if number <= after:
            continue
        text = decode(path.read_bytes(), source=str(path))
        if not text.strip():
            continue
        info = per_version.get(number, {})
        analysis = None
        if analyse:
            analysis = analyze(text, version_title(meta, info), parent)
            if not analysis.unchanged:
                parent = Parent(
                    text, analysis.text_hash, analysis.content_hash, analysis.title, analysis.words
                )
            analysis = analysis.without_diff()
        versions.append(Version(number, path.name, text, info, analysis))
    return DocumentPlan(doc, meta, tuple(versions))
