"""The JSON API's response schemas, as served: one per route, declared in the OpenAPI document.

Each view's ``to_dict()`` (:mod:`storyline.read`) is the shape; the records it shares with the export
(article, event, story, reuse link) point at the export's own JSON Schema definitions, so the two
cannot drift apart. ``tests/test_web_contract.py`` checks every response against its schema.

A field is written ``name: type``; ``?`` after the type allows null; ``[type]`` is a list of it;
``{...}`` an object given inline; ``#name`` a reference to a component.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

Schema = dict[str, Any]
_SCALARS: dict[str, Schema] = {"str": {"type": "string"}, "int": {"type": "integer"}, "float": {"type": "number"},
                               "bool": {"type": "boolean"}}


def _type(spec: Any) -> Schema:
    """A JSON Schema from the compact notation (see the module docstring)."""
    if isinstance(spec, dict):
        return obj(spec)
    if isinstance(spec, list):
        (item,) = spec
        return {"type": "array", "items": _type(item)}
    assert isinstance(spec, str)
    if spec.endswith("?"):
        return {"anyOf": [_type(spec[:-1]), {"type": "null"}]}
    if spec.startswith("#"):
        return {"$ref": f"#/components/schemas/{spec[1:]}"}
    if spec.startswith("map:"):
        return {"type": "object", "additionalProperties": _type(spec[4:])}
    return dict(_SCALARS[spec])


def obj(fields: dict[str, Any]) -> Schema:
    """An object with exactly these fields, each required."""
    return {"type": "object", "required": list(fields), "additionalProperties": False,
            "properties": {name: _type(spec) for name, spec in fields.items()}}


def page(item: Any) -> Schema:
    """A page of a list: its items and the envelope."""
    return obj({"items": [item], "total": "int", "offset": "int", "limit": "int"})


STANCES = {"affirms": "int", "denies": "int", "conditional": "int", "reports": "int"}
SPAN = {"article": "str", "start": "int", "end": "int"}

# Components, besides the export's definitions (imported under their own names).
COMPONENTS: dict[str, Schema] = {
    "ArticleRow": obj({"id": "str", "label": "str", "source": "str", "published": "str?", "title": "str?",
                       "words": "int", "url": "str?", "file": "str"}),
    "QuoteItem": obj({"id": "str", "article": "str", "start": "int", "end": "int", "text": "str", "kind": "str",
                      "speaker": "str?", "speaker_name": "str?", "cue": "str?", "cue_class": "str",
                      "confidence": "float", "speaker_text": "str?", "speaker_confidence": "float?",
                      "parts": [["int"]], "speaker_entity": "str?", "article_label": "str", "date": "str?"}),
    "EntityItem": obj({"id": "str", "name": "str", "type": "str?", "type_label": "str", "type_confidence": "float?",
                       "aliases": ["str"], "mentions": "int", "articles": "int", "quotes": "int"}),
    "ClaimSummary": obj({"id": "str", "rank": "int", "text": "str", "statements": "int",
                         "speakers": [{"id": "str", "name": "str?", "statements": "int"}],
                         "first_date": "str?", "last_date": "str?", "undated": "int", "articles": "int",
                         "stances": STANCES, "uncertain": "int", "matched": "int"}),
    "CopyItem": obj({"source": "str", "derived": "str", "kind": "str", "kind_label": "str", "score": "float",
                     "direction_basis": "str",
                     "aligned": "int", "derived_sentences": "int", "source_label": "str", "derived_label": "str"}),
    "Side": obj({"id": "str", "label": "str", "title": "str?", "source": "str?", "published": "str?"}),
    "Hit": obj({"article": {"id": "str", "label": "str", "file": "str", "source": "str", "published": "str?",
                            "title": "str?"},
                "score": "float", "text_rank": "int?", "semantic_rank": "int?", "start": "int", "end": "int",
                "snippet": "str", "similarity": "float?", "match": "str", "highlights": [["int"]]}),
}

# The 200 response of each route (OpenAPI path -> schema).
RESPONSES: dict[str, Schema] = {
    "/api/overview": obj({
        "counts": {"articles": "int", "undated": "int", "sources": "int", "stories": "int", "events": "int",
                   "entities": "int", "quotes": "int", "claims": "int", "reuse_links": "int"},
        "sources": [{"source": "str", "articles": "int"}],
        "timeline": {"months": ["str"], "series": [{"source": "str", "articles": ["int"]}]},
        "stories": ["#story"],
    }),
    "/api/articles": page("#ArticleRow"),
    "/api/articles/{ref}": obj({
        "article": "#article", "label": "str", "file": "str",
        "claims": [{"id": "str", "rank": "int", "text": "str", "statements": "int",
                    "here": [{"start": "int", "end": "int", "text": "str", "stance": "str", "speaker": "str?",
                              "speaker_name": "str?", "quote": "str?"}]}],
        "source_label": "str", "event": "#event?", "story": "#story?", "quotes": ["#QuoteItem"],
        "mentions": [{"entity": "str", "name": "str", "start": "int", "end": "int", "text": "str", "kind": "str"}],
        "copied_from": [{"article": "str", "label": "str", "kind": "str", "kind_label": "str", "score": "float",
                         "aligned": "int",
                         "sentences": "int", "direction_basis": "str"}],
        "copied_by": [{"article": "str", "label": "str", "kind": "str", "kind_label": "str", "score": "float",
                       "aligned": "int",
                       "sentences": "int", "direction_basis": "str"}],
    }),
    "/api/events": page("#event"),
    "/api/stories": page("#story"),
    "/api/stories/{ref}": obj({
        "story": "#story",
        "events": [{"id": "str", "title": "str",
                    "articles": [{"id": "str", "label": "str", "source": "str", "published": "str?",
                                  "title": "str?", "confidence": "float?"}],
                    "start_date": "str?", "end_date": "str?", "story": "str",
                    "members": [{"article": "str", "confidence": "float"}], "sources": ["str"]}],
        "coverage": [{"source": "str", "articles": "int"}],
        "framing": "map:#framing_terms",
        "min_confidence": "float",
    }),
    "/api/entities": page("#EntityItem"),
    "/api/entities/{ref}": obj({
        "entity": {"id": "str", "name": "str", "type": "str?", "type_confidence": "float?", "aliases": ["str"],
                   "roles": [{"title": "str", "article": "str", "date": "str?", "confidence": "float?"}]},
        "type_label": "str", "mentions": "int",
        "roles_over_time": [{"title": "str", "date": "str?", "articles": ["str"], "confidence": "float?",
                             "spans": [SPAN]}],
        "quotes": ["#QuoteItem"],
        "articles": [{"id": "str", "label": "str", "published": "str?", "title": "str?", "mentions": "int"}],
        "claims": [{"id": "str", "rank": "int", "text": "str", "statements": "int", "by_entity": "int",
                    "first_date": "str?", "last_date": "str?", "stances": STANCES}],
        "claims_total": "int", "min_confidence": "float",
    }),
    "/api/quotes": page("#QuoteItem"),
    "/api/claims": page("#ClaimSummary"),
    "/api/claims/{ref}": obj({
        "claim": {"id": "str", "text": "str", "aliases": ["str"]},
        "summary": "#ClaimSummary",
        "timeline": [{"date": "str?", "date_basis": "str?", "speaker": "str?", "speaker_name": "str?",
                      "speaker_entity": "str?", "role": "str?", "text": "str", "wording": "str", "stance": "str",
                      "cue_class": "str?", "article": "str", "article_label": "str", "start": "int", "end": "int",
                      "source": "str?", "quote": "str?", "confidence": "float"}],
        "min_confidence": "float",
    }),
    "/api/reuse": page("#CopyItem"),
    "/api/reuse/{first}/{second}": obj({
        "source": "#Side", "derived": "#Side", "link": "#reuse_link?", "kind": "str?",
        "counts": {"derived_aligned": "int", "derived_sentences": "int", "source_aligned": "int",
                   "source_sentences": "int", "derived_share": "float"},
        "pairs": [{"source_start": "int", "source_end": "int", "source_text": "str", "derived_start": "int",
                   "derived_end": "int", "derived_text": "str", "similarity": "float"}],
    }),
    "/api/search": obj({"query": "str", "mode": "str", "items": ["#Hit"], "total": "int", "offset": "int",
                        "limit": "int"}),
}


@cache
def export_definitions() -> dict[str, Schema]:
    """The export JSON Schema's definitions, their references rewritten to OpenAPI components."""
    text = resources.files("storyline").joinpath("schema/export.schema.json").read_text(encoding="utf-8")
    defs: dict[str, Schema] = json.loads(text.replace('"#/$defs/', '"#/components/schemas/'))["$defs"]
    return defs


def components() -> dict[str, Schema]:
    """Every schema the responses refer to."""
    framing_terms = {"type": "array", "items": obj({"term": "str", "z": "float", "count": "int", "sentences": [SPAN]})}
    return {**export_definitions(), **COMPONENTS, "framing_terms": framing_terms}
