"""Importers of archives people already have: git histories, WARC files, the Wayback
Machine's captures and the databases of NewsDiffs, diffengine and NewsEdits (see
:mod:`revtrack.service.importers.base` for what they share)."""
