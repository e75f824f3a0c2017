"""revtrack: keep every version of a news article, diff any two, tie corrections to fixes.

Use it from Python through :class:`Revtrack`::

    from revtrack import Revtrack
    rt = Revtrack("sqlite:///revtrack.db")
    rt.ingest_text("Two islands ...", article="japan-russia")

The facade is imported lazily so that ``import revtrack`` (and the CLI's start-up) stay light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from revtrack.errors import RevtrackError

if TYPE_CHECKING:
    from revtrack.service.facade import Revtrack

__all__ = ["Revtrack", "RevtrackError", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "Revtrack":
        from revtrack.service.facade import Revtrack

        return Revtrack
    raise AttributeError(name)
