"""`import --from git`: each text file's history on a branch becomes its article's revisions.

The branch is read along first parents, oldest first: what the branch showed over time. Each
commit is compared with its first parent's tree (libgit2, through pygit2: no `git log` output
is parsed), renames are detected as git does (similarity), and every commit that changes a
text file (Markdown, plain text, HTML, reStructuredText, AsciiDoc) is a version of that file's
article at the commit's time, with the commit id, message, author and path kept as provenance.
A renamed file stays one article, keyed by its first path without the extension (also when
renamed away and back, or deleted and added again at the same path); a merge
brings its side branch's changes at the merge's time. Files are read as `ingest FILE` reads
them (front matter kept as text, HTML through the extractor).

A shallow clone is refused: revtrack cannot put older commits before revisions it already
holds, so importing a cut history would fix the cut for good.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from revtrack.errors import InvalidInput, SourceError
from revtrack.service.importers.base import Capture, Plan, ScanReport, analysed, name
from revtrack.service.sources import (
    MAX_KEY,
    SourceKind,
    from_bytes,
    max_bytes_allowed,
    slugify,
)

TEXT_SUFFIXES = frozenset(
    {".md", ".markdown", ".mdown", ".mkd", ".txt", ".text", ".html", ".htm", ".xhtml", ".rst"}
    | {".adoc"}
)
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MAX_MESSAGE = 4000


@dataclass(frozen=True)
class Step:
    """One commit's version of one file: where to find its text, and what to say of it."""

    commit: str
    when: datetime  # the committer's time, naive UTC
    path: str
    blob: str
    message: str
    author: str


@dataclass(frozen=True)
class FileHistory:
    key: str
    steps: tuple[Step, ...]


_REPOS: dict[str, Any] = {}  # one open repository per path and process (readers reuse it)


def _open(path: str) -> Any:
    import pygit2

    repo = _REPOS.get(path)
    if repo is None:
        try:
            repo = pygit2.Repository(path)
        except pygit2.GitError as exc:
            raise SourceError(
                f"{path} is not a git repository ({str(exc).rstrip('.')}).",
                "Give the folder of a clone (or a bare repository).",
            ) from exc
        _REPOS[path] = repo
    return repo


def _text(value: Any, raw: bytes) -> str:
    try:
        return str(value())
    except (UnicodeDecodeError, LookupError):
        return raw.decode("utf-8", "replace")


@dataclass(frozen=True)
class GitArchive:
    repo: str
    paths: tuple[str, ...] = ()
    branch: str | None = None

    importer: ClassVar[SourceKind] = "git"
    keep_order: ClassVar[bool] = True
    extracts_html: ClassVar[bool] = False

    @property
    def root(self) -> str:
        return str(Path(self.repo).resolve())

    @property
    def batch(self) -> str:
        # The paths are part of it: two imports of one repository with different paths
        # must not claim each other's files.
        return name("git", self.root, self.branch or "HEAD", *sorted(self.paths))

    @property
    def outlet(self) -> str:
        return Path(self.root).name.removesuffix(".git") or "git"

    def _wanted(self, path: str) -> bool:
        if PurePosixPath(path).suffix.lower() not in TEXT_SUFFIXES:
            return False
        return not self.paths or any(
            path == p or path.startswith(p.rstrip("/") + "/") for p in self.paths
        )

    def _branch_chain(self, repo: Any) -> list[Any]:
        import pygit2

        if repo.is_empty:
            raise SourceError(f"{self.repo} has no commits yet.", "Commit something first.")
        if repo.is_shallow:
            raise SourceError(
                f"{self.repo} is a shallow clone: its history is cut short.",
                "Run `git fetch --unshallow` in it, then import again "
                "(older commits could not be put before revisions already imported).",
            )
        spec = self.branch or "HEAD"
        try:
            tip = repo.revparse_single(spec).peel(pygit2.Commit)
        except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
            branches = ", ".join(sorted(repo.branches.local)[:10]) or "none"
            raise InvalidInput(
                f"{self.repo} has no branch or commit {spec!r}.", f"Its branches: {branches}."
            ) from None
        chain = [tip]
        while chain[-1].parent_ids:
            parent_id = chain[-1].parent_ids[0]
            try:
                chain.append(repo[parent_id])
            except (KeyError, ValueError, pygit2.GitError):
                raise SourceError(
                    f"{self.repo}: commit {chain[-1].id} names parent {parent_id}, which is "
                    "missing: the repository is corrupt.",
                    "Run `git fsck` in it, repair or clone it again, and import again.",
                ) from None
        chain.reverse()
        return chain

    def scan(self, report: ScanReport) -> dict[str, FileHistory]:
        import pygit2
        from pygit2.enums import DeltaStatus, DiffFind

        repo = _open(self.root)
        keys: dict[str, str] = {}  # live path -> article key
        retired: dict[str, str] = {}  # deleted path -> the key it had
        used: set[str] = set()
        histories: dict[str, list[Step]] = {}
        previous = None
        for commit in self._branch_chain(repo):
            try:
                tree = commit.tree
                diff = (
                    previous.tree.diff_to_tree(tree)
                    if previous is not None
                    else tree.diff_to_tree(swap=True)
                )
            except (KeyError, ValueError, pygit2.GitError) as exc:
                raise SourceError(
                    f"{self.repo}: the tree of commit {commit.id} cannot be read ({exc}): "
                    "the repository is corrupt.",
                    "Run `git fsck` in it, repair or clone it again, and import again.",
                ) from None
            try:
                # Renames as git finds them (50% similar); the limit is git's default of
                # 1000 candidates raised, so a site-wide move of every post is still followed.
                diff.find_similar(flags=DiffFind.FIND_RENAMES, rename_limit=20000)
            except (KeyError, ValueError, pygit2.GitError) as exc:
                report.problems.append(
                    f"commit {str(commit.id)[:12]}: renames could not be looked for "
                    f"({str(exc).rstrip('.')}); a renamed file there starts a new article."
                )
            previous = commit
            when = datetime.fromtimestamp(commit.commit_time, UTC).replace(tzinfo=None)
            message = _text(lambda c=commit: c.message, commit.raw_message)[:MAX_MESSAGE]
            author = _text(lambda c=commit: c.author.name, commit.author.raw_name)
            for delta in diff.deltas:
                old, new = delta.old_file.path, delta.new_file.path
                status = delta.status
                if status == DeltaStatus.DELETED:
                    if old in keys:
                        retired[old] = keys.pop(old)
                        report.counts["files deleted"] += 1
                    continue
                if status == DeltaStatus.RENAMED and old in keys:
                    keys[new] = keys.pop(old)
                elif new not in keys:
                    if new in retired:  # deleted, then added again: the same article
                        keys[new] = retired.pop(new)
                    elif self._wanted(new):
                        keys[new] = self._new_key(new, used)
                    else:
                        report.counts["changes to other files"] += 1
                        continue
                if not self._wanted(new):
                    # Renamed away (a typo in its extension, out of PATHS): still followed, so
                    # that a rename back continues the same article.
                    report.counts["versions under a name outside the import"] += 1
                    continue
                if delta.new_file.mode not in (
                    pygit2.enums.FileMode.BLOB,
                    pygit2.enums.FileMode.BLOB_EXECUTABLE,
                ):
                    report.counts["links and submodules"] += 1
                    continue
                histories.setdefault(keys[new], []).append(
                    Step(str(commit.id), when, new, str(delta.new_file.id), message, author)
                )
        units: dict[str, FileHistory] = {}
        for key, steps in histories.items():
            units[name(key, steps[-1].commit)] = FileHistory(key, tuple(steps))
        return units

    def _new_key(self, path: str, used: set[str]) -> str:
        pure = PurePosixPath(path)
        parts = [slugify(p) for p in pure.with_suffix("").parts]
        key = "/".join(p for p in parts if p) or "file"
        if len(key) > MAX_KEY:  # a deep path: cut, with a digest of the whole to stay unique
            digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
            key = f"{key[: MAX_KEY - 13].rstrip('/-')}-{digest}"
        if key in used:
            key = f"{key}-{slugify(pure.suffix)}"
        base, n = key, 2
        while key in used:
            key, n = f"{base}-{n}", n + 1
        used.add(key)
        return key

    def read(self, unit: FileHistory) -> Plan:
        repo = _open(self.root)
        outlet = self.outlet
        captures: list[Capture] = []
        problems: list[str] = []
        counts: dict[str, int] = {}
        limit = max_bytes_allowed()
        for step in unit.steps:
            where = f"commit {step.commit[:12]}: {step.path}"
            source = f"git:{step.commit}:{step.path}"
            try:
                data = repo[step.blob].data
            except (KeyError, ValueError):
                problems.append(f"{where}: object {step.blob[:12]} is missing.")
                continue
            try:
                fetched = from_bytes(
                    data,
                    source=source,
                    kind="git",
                    key_hint=unit.key,
                    max_bytes=limit,
                    html_hint=PurePosixPath(step.path).suffix.lower() in HTML_SUFFIXES,
                )
            except SourceError as exc:
                if not data.strip():
                    counts["empty versions"] = counts.get("empty versions", 0) + 1
                else:
                    problems.append(f"{where}: {exc.message}")
                continue
            meta: dict[str, Any] = {"path": step.path, "message": step.message}
            if step.author:
                meta["author"] = step.author
            captures.append(
                Capture(
                    text=fetched.text,
                    captured_at=step.when,
                    source=source,
                    source_id=step.commit,
                    title=fetched.title,
                    byline=fetched.byline,
                    outlet=outlet,
                    meta=meta,
                )
            )
        return Plan(unit.key, analysed(captures), tuple(problems), counts)
