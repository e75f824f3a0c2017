"""How revision text is packed: zstd keyframes plus zstd "patch-from" deltas.

A keyframe is the text compressed alone. A delta is the text compressed with an earlier
revision of the same article loaded as a raw-content dictionary, so zstd encodes only what
differs (the technique of ``zstd --patch-from``). A delta is made against the previous
revision while that keeps the chain back to a keyframe at most :data:`MAX_CHAIN` deltas long,
else against the keyframe; so any revision is rebuilt with at most ``MAX_CHAIN + 1``
decompressions whatever the article's length of history, and consecutive small edits cost
only their own size. The store applies this policy and cuts a new keyframe every
:data:`KEYFRAME_INTERVAL` revisions.

The codec round-trips exactly: text is encoded as UTF-8 with ``surrogatepass`` so even a lone
surrogate that Python can hold comes back as it went in. The same scheme packs bytes that are
not text (the raw HTML of fetched pages, :mod:`revtrack.store.raw`) through the ``*_bytes``
functions, which the text functions wrap.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

import zstandard

Codec = Literal["zstd", "zstd-delta"]

KEYFRAME_INTERVAL = 16
"""A new keyframe after this many revisions of one article: bounds how far a delta drifts."""

MAX_CHAIN = 2
"""Longest run of deltas between a revision and its keyframe: bounds the rebuild cost.

Measured on 18f_blog + site_policy (2,272 revisions, one run each, same machine): deltas
against the keyframe only: text 1,114 B/revision, `show` p99 0.97 ms; chains of 2: 889 B,
p99 0.85 ms; chains of 4: 759 B, p99 1.22 ms. Two keeps most of the saving at no cost."""

DELTA_MAX_RATIO = 0.6
"""A delta larger than this share of the keyframe-alone size is not worth its base."""

# Both levels are paid on ingest, so they are chosen for speed where size barely moves.
# Measured on the four real corpora (bench/results/store.md): level 9 keyframes are within 2%
# of level 19 at a sixth of the time (0.33 vs 2.15 ms per 8 KB text). Deltas against the
# previous version (6,858 pairs, 2026-11-24): level 7 averages 260 bytes and 53 µs, level 9
# 259 bytes and 157 µs (level 9 switches zstd to a slower match finder), level 5 266 bytes.
_LEVEL = 9
_DELTA_LEVEL = 7


def _b(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _s(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


@lru_cache(maxsize=1)
def _compressor() -> zstandard.ZstdCompressor:
    return zstandard.ZstdCompressor(level=_LEVEL, write_content_size=True)


@lru_cache(maxsize=1)
def _decompressor() -> zstandard.ZstdDecompressor:
    return zstandard.ZstdDecompressor()


@lru_cache(maxsize=64)
def _dictionary(base: bytes) -> zstandard.ZstdCompressionDict:
    # Raw-content dictionaries are rebuilt per base; caching the last few makes a run of
    # revisions against one keyframe (the common case at ingest and rebuild) pay it once.
    return zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def encode(text: str) -> bytes:
    """Compress ``text`` alone (a keyframe)."""
    return encode_bytes(_b(text))


def encode_bytes(data: bytes) -> bytes:
    """Compress ``data`` alone (a keyframe of bytes)."""
    return bytes(_compressor().compress(data))


def decode(data: bytes) -> str:
    """Inverse of :func:`encode`."""
    return _s(_decompressor().decompress(data))


def encode_delta(text: str, base: str) -> bytes:
    """Compress ``text`` against ``base`` (a keyframe's text)."""
    return encode_delta_bytes(_b(text), _b(base))


def encode_delta_bytes(data: bytes, base: bytes) -> bytes:
    """Compress ``data`` against ``base`` (the bytes of an earlier version)."""
    compressor = zstandard.ZstdCompressor(
        level=_DELTA_LEVEL,
        dict_data=_dictionary(base),
        write_content_size=True,
        write_dict_id=False,
    )
    return bytes(compressor.compress(data))


def decode_delta(data: bytes, base: str) -> str:
    """Inverse of :func:`encode_delta`; ``base`` must be the same text it was made against."""
    decompressor = zstandard.ZstdDecompressor(dict_data=_dictionary(_b(base)))
    return _s(decompressor.decompress(data))


def decode_chain(keyframe: bytes, deltas: Sequence[bytes]) -> str:
    """The text at the top of a chain: ``keyframe``, then each delta in order over the last.

    Same result as :func:`decode` then :func:`decode_delta` step by step, but the
    intermediate texts stay UTF-8 bytes (no decode and re-encode between steps) and each
    base is loaded as a dictionary directly: a raw-content dictionary only wraps the bytes,
    so unlike the encoder's, hashing a base to look one up in a cache would cost more than
    building it.
    """
    return _s(decode_chain_bytes(keyframe, deltas))


def decode_chain_bytes(keyframe: bytes, deltas: Sequence[bytes]) -> bytes:
    """:func:`decode_chain` for bytes that are not text."""
    raw: bytes = _decompressor().decompress(keyframe)
    for delta in deltas:
        base = zstandard.ZstdCompressionDict(raw, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        raw = zstandard.ZstdDecompressor(dict_data=base).decompress(delta)
    return raw


def worth_delta(delta: bytes, alone: bytes) -> bool:
    """True when storing the delta saves enough over a fresh keyframe."""
    return len(delta) <= DELTA_MAX_RATIO * len(alone)


SURE_RATIO = 16
"""Prose does not compress alone by more than this factor, so a delta under
``DELTA_MAX_RATIO / SURE_RATIO`` of the raw size is surely worth storing.

Measured on the four real corpora (7,575 versions over 300 bytes): zstd level 9 shrinks a
version alone by 1.35-5.9x, median 2.25x. A text that beats the bound (long runs of one
repeated line) only makes the judgement cost a few bytes: its delta is still under 4% of its
raw size."""


def delta_pays(delta: bytes, text: str) -> bool:
    """True when ``delta`` should be stored rather than ``text`` as a fresh keyframe.

    Judging a delta needs the keyframe-alone size, which costs a whole compression; a delta
    far smaller than any keyframe of this text could be is accepted without it. That is the
    common case (a small edit of a long text) and saves about a third of the codec's time.
    """
    return delta_pays_bytes(delta, _b(text))


def delta_pays_bytes(delta: bytes, data: bytes) -> bool:
    """:func:`delta_pays` for bytes that are not text."""
    if len(delta) * SURE_RATIO <= DELTA_MAX_RATIO * len(data):
        return True
    return worth_delta(delta, encode_bytes(data))
