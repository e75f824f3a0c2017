"""Watching: following outlets' pages, feeds and section pages by themselves.

Pure parts: :mod:`.schedule` (when next), :mod:`.urls` (one identity per story),
:mod:`.discover` (what a feed or section page points to). I/O: :mod:`.fetcher` (polite
HTTP), :mod:`.work` (one fetch, in a worker thread), :mod:`.service` (the :class:`Watcher`:
watches, claims, passes, recording through the ingest path).
"""
