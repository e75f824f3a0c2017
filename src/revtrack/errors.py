"""Every failure a user can cause or meet, as one exception family.

Each error carries a one-line ``message`` (what was wrong) and a ``hint`` (what to do).
The CLI turns any :class:`RevtrackError` into a clean message and a non-zero exit in one
place, so no layer below it ever prints or exits. This module imports nothing of ours and
can be used from every layer.
"""

from __future__ import annotations


class RevtrackError(Exception):
    """Base of every user-facing failure."""

    exit_code = 1
    default_hint = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = self.default_hint if hint is None else hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message

    def __reduce__(self) -> tuple[type[RevtrackError], tuple[str, str]]:
        # Errors cross process boundaries (a bulk import's readers): keep the hint.
        return (type(self), (self.message, self.hint))


class UnknownArticle(RevtrackError):
    """No article has the given key."""

    default_hint = "Run `revtrack articles` to list the keys."


class UnknownRevision(RevtrackError):
    """The article exists but the revision reference matches none of its revisions."""


class UnknownCorrection(RevtrackError):
    """No correction has the given id."""

    default_hint = "Run `revtrack corrections` to list them."


class BadReference(RevtrackError):
    """A revision reference or time that cannot be parsed."""


class SourceError(RevtrackError):
    """A source to ingest cannot be read: missing, a directory, unreachable, HTTP error."""


class BinaryInput(SourceError):
    """The source holds binary data, not text."""

    default_hint = "Give a UTF-8 text file or an HTML page."


class DecodeError(SourceError):
    """The source's bytes are not valid in the expected encoding."""

    default_hint = "Convert it to UTF-8 (for example `iconv -f latin1 -t utf-8`) and try again."


class EmptyText(SourceError):
    """The source (or the article text extracted from it) is empty."""

    default_hint = "Nothing to store; check the file or page."


class TooLarge(SourceError):
    """The source is larger than the configured limit."""

    default_hint = "Split it or raise REVTRACK_MAX_BYTES."


class DatabaseError(RevtrackError):
    """The database cannot be opened or used."""


class SchemaOutOfDate(DatabaseError):
    """The database's schema is older (or newer) than this revtrack's."""

    default_hint = "Run `revtrack db upgrade`."


class NoDatabase(DatabaseError):
    """A read-only command was pointed at a database that does not exist yet."""

    default_hint = "Run `revtrack init` first, or pass --db."


class ReadOnlyDatabase(DatabaseError):
    """A command that writes was pointed at a SQLite file this user cannot write."""

    default_hint = (
        "Run it as a user who can write the file and its folder, or copy the database "
        "somewhere writable; reading commands work as they are."
    )


class DatabaseLocked(DatabaseError):
    """Another process holds the write lock for longer than the busy timeout."""

    default_hint = "Another revtrack is writing; wait for it to finish and retry."


class InvalidInput(RevtrackError):
    """An option or argument value that is not acceptable."""


class IntegrityFailure(RevtrackError):
    """`verify` found stored data that does not match its hashes."""

    exit_code = 2
    default_hint = "Restore the database from a backup or an export."


class UnknownWatch(RevtrackError):
    """No watched page, feed or section page matches the given id, URL or article key."""

    default_hint = "Run `revtrack watch list` to see what is watched."


class AlreadyWatched(InvalidInput):
    """`watch add` of a URL (in any of its forms) that is watched already."""

    default_hint = "Run `revtrack watch list` to see it; `watch resume` restarts a paused one."


class FeedError(SourceError):
    """A watched feed or section page could not be read as one."""
