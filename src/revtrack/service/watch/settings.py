"""The watching configuration file (TOML, read with the standard library's ``tomllib``).

``revtrack fetch``, ``watch run`` and ``reextract`` read ``--config FILE``, or
``./revtrack.toml`` when it exists::

    [watch]
    contact = "newsdesk@example.org"        # named in the User-Agent
    keep_pages = true                       # keep each version's page for `reextract`

    [sites."example.com"]                   # a host as revtrack names it (no www., port kept)
    include = ["article"]                   # CSS: keep only these before extraction
    remove = ["aside.most-read", ".related"]  # CSS: drop these
    skip = ["Subscribe to read"]            # regular expressions: a page to skip

    [notify]
    urls = ["json://127.0.0.1:8000/hook"]   # apprise destinations
    events = ["revision", "correction", "undisclosed"]
    retries = 2

A site's keys, where the file gives them, take the place of that host's rules in the database
(``watch host``) for the commands that read the file; the rest still come from the database.
Everything is checked when the file is read, and a mistake is one line naming the file and the
key. Pure: no database, no network.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from revtrack.errors import InvalidInput
from revtrack.service.watch.urls import canonical

DEFAULT_FILE = "revtrack.toml"
NOTIFY_EVENTS = ("revision", "correction", "undisclosed")
_SECTIONS = {"watch", "sites", "notify"}
_WATCH_KEYS = {"contact", "keep_pages"}
_SITE_KEYS = {"include", "remove", "skip"}
_NOTIFY_KEYS = {"urls", "events", "retries"}


@dataclass(frozen=True)
class SiteRule:
    """A host's rules from the file; None where the file does not say (the database's hold)."""

    include: tuple[str, ...] | None = None
    remove: tuple[str, ...] | None = None
    skip: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Notify:
    urls: tuple[str, ...] = ()
    events: tuple[str, ...] = NOTIFY_EVENTS
    retries: int = 2


@dataclass(frozen=True)
class Settings:
    path: str | None = None
    contact: str | None = None
    keep_pages: bool | None = None  # None: the file does not say (pages are kept)
    sites: Mapping[str, SiteRule] = field(default_factory=dict)
    notify: Notify = field(default_factory=Notify)


def find_settings(path: str | Path | None) -> Settings:
    """The file given, else ./revtrack.toml when there is one, else no settings."""
    if path is None:
        default = Path(DEFAULT_FILE)
        if not default.is_file():
            return Settings()
        path = default
    return load_settings(Path(path))


def load_settings(path: Path) -> Settings:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise InvalidInput(f"No config file {path}.", "Check the --config path.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read the config file {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path} is not valid TOML: {exc}.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text.") from None
    return parse_settings(data, str(path))


def parse_settings(data: Mapping[str, Any], name: str) -> Settings:
    def fail(key: str, what: str) -> InvalidInput:
        return InvalidInput(f"{name}: {key} {what}.")

    _known(data, _SECTIONS, "", fail)
    watch = _table(data.get("watch", {}), "watch", fail)
    _known(watch, _WATCH_KEYS, "watch.", fail)
    contact = watch.get("contact")
    if contact is not None and (not isinstance(contact, str) or not contact.strip()):
        raise fail("watch.contact", "must be a non-empty string")
    keep_pages = watch.get("keep_pages")
    if keep_pages is not None and not isinstance(keep_pages, bool):
        raise fail("watch.keep_pages", "must be true or false")

    sites: dict[str, SiteRule] = {}
    for host, table in _table(data.get("sites", {}), "sites", fail).items():
        where = f'sites."{host}"'
        try:
            name_of_host = canonical(host if "://" in host else f"http://{host}/").host
        except InvalidInput:
            raise fail(where, "is not a host name") from None
        rule = _table(table, where, fail)
        _known(rule, _SITE_KEYS, f"{where}.", fail)
        include = _strings(rule, "include", where, fail)
        remove = _strings(rule, "remove", where, fail)
        skip = _strings(rule, "skip", where, fail)
        for key, selectors in (("include", include), ("remove", remove)):
            for selector in selectors or ():
                problem = _selector_problem(selector)
                if problem:
                    raise fail(
                        f"{where}.{key}", f"has {selector!r}, not a CSS selector ({problem})"
                    )
        for pattern in skip or ():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise fail(
                    f"{where}.skip", f"has {pattern!r}, not a regular expression ({exc})"
                ) from None
        sites[name_of_host] = SiteRule(include=include, remove=remove, skip=skip)

    table = _table(data.get("notify", {}), "notify", fail)
    _known(table, _NOTIFY_KEYS, "notify.", fail)
    urls = _strings(table, "urls", "notify", fail) or ()
    events = _strings(table, "events", "notify", fail)
    for event in events or ():
        if event not in NOTIFY_EVENTS:
            raise fail("notify.events", f"has {event!r}; use {', '.join(NOTIFY_EVENTS)}")
    retries = table.get("retries", Notify.retries)
    if not isinstance(retries, int) or isinstance(retries, bool) or not 0 <= retries <= 10:
        raise fail("notify.retries", "must be a whole number from 0 to 10")
    notify = Notify(
        urls=urls, events=events if events is not None else NOTIFY_EVENTS, retries=retries
    )
    return Settings(path=name, contact=contact, keep_pages=keep_pages, sites=sites, notify=notify)


def _known(table: Mapping[str, Any], known: set[str], prefix: str, fail: Any) -> None:
    for key in table:
        if key not in known:
            raise fail(f"{prefix}{key}", f"is not a known key (known: {', '.join(sorted(known))})")


def _table(value: Any, key: str, fail: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise fail(key, "must be a table")
    return value


def _strings(table: Mapping[str, Any], key: str, where: str, fail: Any) -> tuple[str, ...] | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"{where}.{key}", "must be a list of strings")
    return tuple(value)


def _selector_problem(selector: str) -> str:
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        return str(exc)
    return ""
