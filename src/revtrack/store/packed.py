"""Small JSON objects (a revision's ``stats`` and ``meta``) in as few bytes as they take.

As JSON text they were a third of a revision row (72 and 95 bytes on the shared corpora),
most of it the same key names in every row. A cell is now:

* NULL for an empty object (most ``meta``: nothing but the text was known);
* JSON text as UTF-8 bytes, starting ``{``, when compressing it would not pay;
* one byte :data:`ZSTD_V1` and a magicless zstd frame of the compact JSON, compressed against
  :data:`DICTIONARY_V1`: the key names revtrack writes (change statistics, hunk kinds, an
  importer's edit summary, author and time, HTTP validators), written down here once.

The dictionary is part of the stored format: it never changes. A better one would come with a
new leading byte, and :func:`unpack` would go on reading both. Nothing compares or indexes these
cells (seals hash the decoded object), so the compressed bytes need not be reproducible.
Pure: zstandard and json only, shared by the column type, the row mappers, the stdlib reader
and the migration that converted the JSON text.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import zstandard

ZSTD_V1 = 1
"""The leading byte of a cell compressed against :data:`DICTIONARY_V1`."""

DICTIONARY_V1 = (
    b'{"edit_summary":"Update ","author":"","mass_edit":true,"timestamp":"",'
    b'"etag":"","last_modified":"",'
    b'"hunks_by_kind":{"cosmetic":1,"minor":1,"typo":1,"grammar":1,"style":1,'
    b'"rewording":1,"reorder":1,"placeholder":1,"number":1,"date":1,"name":1,"quote":1,'
    b'"negation":1,"headline":1,"sentence-added":1,"sentence-removed":1,"wording":1},'
    b'"sentences_added":1,"sentences_removed":1,"sentences_changed":1,"title_changed":true}'
)
_MAX_OUTPUT = 1 << 26  # the bound on one decompressed cell (64 MB; real ones are < 1 KB)


@lru_cache(maxsize=1)
def _codecs() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    dictionary = zstandard.ZstdCompressionDict(
        DICTIONARY_V1, dict_type=zstandard.DICT_TYPE_RAWCONTENT
    )
    # Level 9 (within 1% of 19's size on such small cells, at a quarter of its time), with
    # tables sized for a cell of at most a kilobyte and the dictionary digested once: ~5 us.
    params = zstandard.ZstdCompressionParameters.from_level(
        9,
        source_size=1024,
        format=zstandard.FORMAT_ZSTD1_MAGICLESS,
        write_content_size=True,
        write_checksum=False,
        write_dict_id=False,
    )
    dictionary.precompute_compress(compression_params=params)
    return (
        zstandard.ZstdCompressor(dict_data=dictionary, compression_params=params),
        zstandard.ZstdDecompressor(dict_data=dictionary, format=zstandard.FORMAT_ZSTD1_MAGICLESS),
    )


def pack(value: dict[str, Any] | None) -> bytes | None:
    """The stored cell of ``value``: None for an empty object, else the smaller of its
    compact JSON and that JSON compressed (see the module doc)."""
    if not value:
        return None
    plain = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    packed = bytes([ZSTD_V1]) + _codecs()[0].compress(plain)
    return packed if len(packed) < len(plain) else plain


def unpack(cell: Any) -> dict[str, Any]:
    """The object a cell holds, whichever form it was stored in.

    Also takes JSON text as a string (a column read through a JSON type, or a database not
    yet converted), and an object as it is (PostgreSQL's driver decodes JSON itself)."""
    if cell is None:
        return {}
    if isinstance(cell, dict):
        return dict(cell)
    if isinstance(cell, str):
        return dict(json.loads(cell) or {})
    data = bytes(cell)
    if not data:
        return {}
    if data[0] == ZSTD_V1:
        data = _codecs()[1].decompress(data[1:], max_output_size=_MAX_OUTPUT)
    return dict(json.loads(data) or {})
