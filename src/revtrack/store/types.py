"""Column types that store values compactly while Python keeps seeing the familiar form.

Every revision row carries three SHA-256 hashes and two times, every event two hashes and a
time; as 64-character hex and ISO text they were about a third of the database. These types
store a hash as its 32 raw bytes and a time as integer microseconds since the Unix epoch, and
convert on the way in and out, so records, the export format and the hash chains (which hash
the hex and the ISO form with microseconds) do not change. Comparisons bind through the same
conversion: ``Revision.content_hash == "ab12…"`` compares bytes with bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Dialect, LargeBinary
from sqlalchemy.types import TypeDecorator

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


class HexHash(TypeDecorator[str]):
    """A SHA-256 held as 32 bytes (BLOB / BYTEA) and seen by Python as 64 lowercase hex."""

    impl = LargeBinary(HASH_BYTES)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        if isinstance(value, bytes | bytearray | memoryview):
            return bytes(value)
        return hash_to_bytes(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else bytes(value).hex()


class UtcMicros(TypeDecorator[datetime]):
    """A naive-UTC datetime held as integer microseconds since 1970-01-01 (BIGINT)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, int):
            return value
        return micros(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_micros(value)
