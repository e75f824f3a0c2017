"""The stored forms of hashes and times, as plain functions (no database library).

A hash is kept as its 32 raw bytes and a time as integer microseconds since the Unix epoch
(see :mod:`revtrack.store.types`, the column types that apply these). They live apart from
those types so that a reader which never imports SQLAlchemy (:mod:`revtrack.store.lite`)
converts rows by exactly the same rules.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1)
HASH_BYTES = 32


def hash_to_bytes(value: str) -> bytes:
    """The 32 bytes of a lowercase hex SHA-256; anything else is refused, never truncated."""
    if len(value) != 2 * HASH_BYTES or value != value.lower():
        raise ValueError(f"not a lowercase hex SHA-256: {value!r}")
    return bytes.fromhex(value)


def micros(value: datetime) -> int:
    """Microseconds since the epoch of a naive-UTC (or aware) datetime, computed exactly."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> datetime:
    return EPOCH + timedelta(0, 0, int(value))  # positional: half the cost of microseconds=
