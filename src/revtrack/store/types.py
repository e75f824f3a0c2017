"""Column types that store values compactly while Python keeps seeing the familiar form.

Every revision row carries three SHA-256 hashes and two times, every event two hashes and a
time; as 64-character hex and ISO text they were about a third of the database. These types
store a hash as its 32 raw bytes and a time as integer microseconds since the Unix epoch, and
convert on the way in and out, so records, the export format and the hash chains (which hash
the hex and the ISO form with microseconds) do not change. Comparisons bind through the same
conversion: ``Revision.content_hash == "ab12…"`` compares bytes with bytes. A revision's
``stats`` and ``meta`` objects are held packed (:mod:`revtrack.store.packed`): NULL when empty,
else compact JSON compressed against a fixed dictionary of the key names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Dialect, LargeBinary
from sqlalchemy.types import TypeDecorator

from revtrack.store.packed import pack, unpack
from revtrack.store.values import (
    EPOCH,
    HASH_BYTES,
    from_micros,
    hash_to_bytes,
    micros,
)

__all__ = [
    "EPOCH",
    "HASH_BYTES",
    "HexHash",
    "PackedJSON",
    "UtcMicros",
    "from_micros",
    "hash_to_bytes",
    "micros",
]


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


class PackedJSON(TypeDecorator[dict[str, Any]]):
    """A small JSON object held packed (BLOB / BYTEA, NULL when empty; see
    :mod:`revtrack.store.packed`) and seen by Python as a dict, ``{}`` for NULL."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        return pack(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, Any]:
        return unpack(value)
