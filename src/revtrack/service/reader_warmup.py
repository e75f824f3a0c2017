"""Loaded once by the reader processes' fork server (see :mod:`revtrack.service.reader_pool`).

Importing this module is its whole purpose: it loads what a reader's first document would
otherwise load in every reader — the importers, the text analysis, the HTML extractor and the
archive libraries where installed, and the word frequencies the typo classifier consults —
so that forked readers start with all of it in memory, shared with the server.
:mod:`revtrack.service.reader_warmup_text` is the part an import that extracts no HTML needs.
"""

from __future__ import annotations

import importlib
import importlib.util

import revtrack.service.reader_warmup_text  # noqa: F401  (the text work, the other importers)

_OURS = ("revtrack.service.importers.warc", "revtrack.service.html")
_OPTIONAL = ("warcio.archiveiterator", "trafilatura")

for _name in _OURS:
    importlib.import_module(_name)
for _name in _OPTIONAL:
    if importlib.util.find_spec(_name.split(".")[0]) is not None:
        importlib.import_module(_name)
