"""The OpenAPI 3.1 description of the JSON API, served at ``/api/openapi.json``.

Written as data, beside the routes it describes, so a client generator or a reader has one
document; tests/test_web_api.py checks that every ``/api/`` route is described, that the
document is valid OpenAPI 3.1, and that what each route answers validates against its
schema. The record schemas are the dicts of :mod:`revtrack.shapes` (the CLI's
``--format json`` prints the same), with every key they carry required: a key added to a
shape must be added here too. OpenAPI 3.1's schemas are JSON Schema 2020-12.
"""

from __future__ import annotations

from typing import Any

from revtrack.shapes import GRANULARITIES

S = dict[str, Any]


def _ref(name: str) -> S:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(props: S, *, optional: tuple[str, ...] = ()) -> S:
    return {
        "type": "object",
        "required": [k for k in props if k not in optional],
        "properties": props,
    }


def _null(kind: str | S) -> S:
    if isinstance(kind, str):
        return {"type": [kind, "null"]}
    return {"oneOf": [kind, {"type": "null"}]}


STR, INT, NUM, BOOL = ({"type": t} for t in ("string", "integer", "number", "boolean"))
TIME = {"type": ["string", "null"], "format": "date-time"}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}

ARTICLE = _obj(
    {
        "key": STR,
        "title": _null("string"),
        "url": _null("string"),
        "outlet": _null("string"),
        "revisions": INT,
        "corrections": INT,
        "first_at": TIME,
        "latest_at": TIME,
    }
)
REVISION = _obj(
    {
        "number": INT,
        "label": STR,
        "captured_at": TIME,
        "ingested_at": TIME,
        "source": {"type": "string", "description": "A file's name only, unless --show-paths"},
        "source_kind": STR,
        "title": _null("string"),
        "byline": _null("string"),
        "chars": INT,
        "words": INT,
        "words_added": INT,
        "words_removed": INT,
        "hunks": INT,
        "substantive_hunks": INT,
        "hunks_by_kind": COUNTS,
        "revert_of": _null("integer"),
        "content_hash": STR,
    }
)
LOG_ROW = {
    "allOf": [
        _ref("Revision"),
        _obj({"notes": {"type": "array", "items": STR, "description": "kind #id first shown"}}),
    ]
}
EVIDENCE = {"type": "object", "properties": {"phrase": STR}, "required": ["phrase"]}
CORRECTION = _obj(
    {
        "id": INT,
        "article": STR,
        "kind": STR,
        "label": STR,
        "text": STR,
        "printed_date": STR,
        "origin": {"enum": ["detected", "manual"]},
        "status": {"enum": ["active", "removed", "superseded", "retracted"]},
        "disclosed_revision": _null("integer"),
        "fixing_revision": _null("integer"),
        "matched": BOOL,
        "confidence": _null("number"),
        "lag_seconds": _null("number"),
        "supersedes": _null("integer"),
        "superseded_by": _null("integer"),
        "states": {
            "type": "array",
            "items": _obj(
                {
                    "state": STR,
                    "revision": _null("integer"),
                    "reason": STR,
                    "actor": STR,
                    "at": TIME,
                }
            ),
        },
        "evidence": {"type": "array", "items": EVIDENCE},
        "runner_up": _null(EVIDENCE),
        "actor": STR,
        "created_at": TIME,
        "linker_version": _null("string"),
    }
)
DERIVATION = _obj(
    {
        "at": TIME,
        "extractor": STR,
        "rules": {"type": "object"},
        "actor": STR,
        "title": _null("string"),
        "chars": INT,
        "content_hash": STR,
        "derivations": INT,
    }
)
"""A text `reextract` re-derived from a revision's kept page (shapes.derivation_dict)."""
REVISION_INFO = _obj(
    {
        "number": _null("integer"),
        "label": STR,
        "captured_at": TIME,
        "title": _null("string"),
        "derived": _null(DERIVATION),
    }
)
HUNK = _obj(
    {
        "index": INT,
        "op": {"enum": ["insert", "delete", "replace", "move"]},
        "kind": STR,
        "kinds": {"type": "array", "items": STR},
        "class": {"enum": ["cosmetic", "minor", "substantive"]},
        "cosmetic": BOOL,
        "a_start": INT,
        "a_end": INT,
        "b_start": INT,
        "b_end": INT,
        "old": STR,
        "new": STR,
    }
)
DIFF = _obj(
    {
        "schema": {"const": "revtrack.diff/1"},
        "article": STR,
        "revisions": _obj({"a": REVISION_INFO, "b": REVISION_INFO}),
        "granularity": {"enum": list(GRANULARITIES)},
        "identical": BOOL,
        "stats": _obj(
            {
                "words_added": INT,
                "words_removed": INT,
                "sentences_added": INT,
                "sentences_removed": INT,
                "sentences_changed": INT,
                "hunks": INT,
                "hunks_by_kind": COUNTS,
            }
        ),
        "hunks": {"type": "array", "items": HUNK},
        "notice": {
            "type": "string",
            "description": "Present when a bound changed the answer (a character diff of large "
            "revisions is made word by word)",
        },
    },
    optional=("notice",),
)
SUMMARY = _obj(
    {
        "revisions": INT,
        "substantive_edits": INT,
        "disclosed": INT,
        "undisclosed": INT,
        "undisclosed_by_severity": COUNTS,
        "share_disclosed": _null("number"),
        "corrections": INT,
        "unmatched_corrections": INT,
        "vanished_notes": INT,
        "median_lag_seconds": _null("number"),
    }
)
AUDIT = _obj(
    {
        "article": STR,
        "outlet": _null("string"),
        "undisclosed": {
            "type": "array",
            "items": _obj(
                {
                    "revision": INT,
                    "captured_at": TIME,
                    "hunk": INT,
                    "op": STR,
                    "kinds": {"type": "array", "items": STR},
                    "severity": STR,
                    "old": STR,
                    "new": STR,
                    "reason": STR,
                }
            ),
        },
        "disclosed_fixes": {
            "type": "array",
            "items": _obj(
                {
                    "correction": INT,
                    "kind": STR,
                    "fixing_revision": _null("integer"),
                    "disclosing_revision": _null("integer"),
                    "lag_seconds": _null("number"),
                    "status": STR,
                }
            ),
        },
        "vanished_notes": {
            "type": "array",
            "items": _obj({"revision": INT, "first_seen": _null("integer"), "text": STR}),
        },
        "minor_edits": {
            "type": "array",
            "items": _obj({"revision": INT, "hunk": INT, "kind": STR, "old": STR, "new": STR}),
        },
        "summary": SUMMARY,
        "derived": {
            "type": "array",
            "items": {"allOf": [_obj({"revision": INT}), DERIVATION]},
        },
    }
)
BLAME = _obj(
    {
        "article": STR,
        "revision": INT,
        "sentences": {
            "type": "array",
            "items": _obj(
                {
                    "start": INT,
                    "end": INT,
                    "text": STR,
                    "origin": INT,
                    "last_changed": INT,
                    "changed_in": {"type": "array", "items": INT},
                    "corrections": {"type": "array", "items": INT},
                }
            ),
        },
    }
)
SCHEMAS: S = {
    "Error": _obj({"error": STR, "hint": _null("string")}),
    "Index": _obj({"openapi": STR, "routes": {"type": "array", "items": STR}}),
    "Article": ARTICLE,
    "Revision": REVISION,
    "LogRow": LOG_ROW,
    "Correction": CORRECTION,
    "Diff": DIFF,
    "Audit": AUDIT,
    "Blame": BLAME,
    "ArticleList": _obj(
        {
            "total": {
                "type": "integer",
                "description": "Articles matching q and outlet, as total_is says",
            },
            "total_is": {
                "enum": ["exact", "at least", "about"],
                "description": "exact; at least (matches are counted up to 1,000); about "
                "(the whole list, from the newest id, not counted)",
            },
            "limit": INT,
            "q": _null("string"),
            "outlet": _null("string"),
            "after": _null("string"),
            "before": _null("string"),
            "next_after": {
                "type": ["string", "null"],
                "description": "Pass as after= for the next page; null on the last",
            },
            "prev_before": {
                "type": ["string", "null"],
                "description": "Pass as before= for the previous page; null on the first",
            },
            "articles": {"type": "array", "items": _ref("Article")},
        }
    ),
    "ArticleLog": _obj(
        {
            "article": _ref("Article"),
            "revisions": {"type": "array", "items": _ref("LogRow")},
            "corrections": {"type": "array", "items": _ref("Correction")},
        }
    ),
    "Revisions": _obj({"article": STR, "revisions": {"type": "array", "items": _ref("LogRow")}}),
    "RevisionText": _obj(
        {"article": STR, "revision": _ref("Revision"), "text": STR, "derived": _null(DERIVATION)}
    ),
    "Corrections": _obj(
        {"article": STR, "corrections": {"type": "array", "items": _ref("Correction")}}
    ),
}


def _param(name: str, where: str, description: str, schema: S | None = None) -> S:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema or STR,
    }


KEY = _param(
    "key",
    "path",
    "The article's key, its '/'-separated segments as they are (corpus/doc); a segment that "
    "is '-', '.', '..', empty or starts with '~' is written with a leading '~'",
)
AS_FETCHED = _param(
    "as_fetched",
    "query",
    "1: read the texts as fetched, not as `reextract` re-derived them from kept pages",
    {"enum": ["1", "0", "true", "false", "yes", "no", "on", "off"]},
)
REF = "A revision: v3, 3, latest, latest~1, first, or a time (2024-05-01T10:00)"
ERRORS = {
    "400": "A malformed parameter or revision reference",
    "401": "The server needs its access token (Authorization: Bearer, or ?token=)",
    "404": "No such article or revision",
    "429": "Every diff worker is busy; retry after a few seconds",
    "503": "The database is unusable, or a diff overran its time budget (retry)",
}


def _get(summary: str, schema: str, params: list[S] | None = None, errors: str = "400,404") -> S:
    responses: S = {
        "200": {
            "description": summary,
            "content": {"application/json": {"schema": _ref(schema)}},
        }
    }
    for code in ("401", *errors.split(",")):
        responses[code] = {
            "description": ERRORS[code],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return {"get": {"summary": summary, "parameters": params or [], "responses": responses}}


PATHS: S = {
    "/api/": _get("The routes of this API", "Index", errors="404"),
    "/api/openapi.json": {
        "get": {
            "summary": "This description",
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 document",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/api/articles": _get(
        "Articles in key order with their counts, a page at a time",
        "ArticleList",
        [
            _param("q", "query", "Words to find in the key or headline, any case"),
            _param("outlet", "query", "Only this outlet's articles"),
            _param("after", "query", "The page starts after this key (a next_after)"),
            _param("before", "query", "The page ends before this key (a prev_before)"),
            _param(
                "limit",
                "query",
                "Articles in the page",
                {"type": "integer", "minimum": 1, "maximum": 5000, "default": 500},
            ),
        ],
    ),
    "/api/articles/{key}": _get(
        "The article with its revisions and corrections", "ArticleLog", [KEY]
    ),
    "/api/articles/{key}/-/revisions": _get(
        "The article's revisions, oldest first", "Revisions", [KEY]
    ),
    "/api/articles/{key}/-/revisions/{rev}": _get(
        "One revision with its exact text",
        "RevisionText",
        [KEY, _param("rev", "path", REF), AS_FETCHED],
    ),
    "/api/articles/{key}/-/diff": _get(
        "What changed between two revisions, as hunks (schema revtrack.diff/1)",
        "Diff",
        [
            KEY,
            _param("a", "query", f"The older revision (default: the one before b). {REF}"),
            _param("b", "query", "The newer revision (default: latest)"),
            _param("by", "query", "Unit of alignment", {"enum": list(GRANULARITIES)}),
            AS_FETCHED,
        ],
        errors="400,404,429,503",
    ),
    "/api/articles/{key}/-/corrections": _get(
        "The article's correction notes, with links and states", "Corrections", [KEY]
    ),
    "/api/articles/{key}/-/audit": _get(
        "Undisclosed edits, disclosed fixes, vanished notes, minor edits",
        "Audit",
        [KEY, AS_FETCHED],
    ),
    "/api/articles/{key}/-/blame": _get(
        "Which revision wrote, and which last changed, each sentence",
        "Blame",
        [KEY, _param("rev", "query", f"The revision (default: latest). {REF}"), AS_FETCHED],
    ),
}


def description() -> S:
    """The OpenAPI 3.1 document (a fresh dict each call: callers may change theirs)."""
    import copy

    from revtrack import __version__

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "revtrack",
            "version": __version__,
            "summary": "Every version of a news article, its diffs, corrections and audit",
            "description": "Read-only. The records are the dicts the command line prints with "
            "--format json. Atom feeds (not JSON) are at /a/KEY/-/feed/KIND and "
            "/o/OUTLET/-/feed/KIND, KIND being revisions, corrections or undisclosed.",
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "paths": copy.deepcopy(PATHS),
    }
