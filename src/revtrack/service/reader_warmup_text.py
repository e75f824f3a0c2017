"""What the fork server loads for an import that extracts no HTML (a directory, git, the
databases of other tools): :mod:`revtrack.service.reader_warmup` without the WARC importer,
the HTML extractor and their libraries.

Those are about a third of the full warm-up (0.5-0.7 s of CPU: fastwarc, warcio, trafilatura
and lxml), paid before the first reader is up, for every import that starts a server; a
reader of such an import never touches them. A server started this way still serves an HTML
import later in the same process: its readers then load the extractor themselves.

Nor does a reader store anything: what it unpickles (an importer, ``read_document``) and runs
imports neither SQLAlchemy nor the store, so neither is loaded here (the server started 0.4 s
of CPU later with them, and no reader ever used them).
"""

from __future__ import annotations

import importlib
import importlib.util

from revtrack.diff.minor import _frequencies  # a cached load: calling it fills the cache

_OURS = (
    "revtrack.service.documents",
    "revtrack.service.importers.git",
    "revtrack.service.importers.databases",
)
_OPTIONAL = ("pygit2",)

for _name in _OURS:
    importlib.import_module(_name)
for _name in _OPTIONAL:
    if importlib.util.find_spec(_name.split(".")[0]) is not None:
        importlib.import_module(_name)
_frequencies()
