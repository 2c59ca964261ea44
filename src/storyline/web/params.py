"""The query parameters routes share, declared once with their limits (a bad value is a 422)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Depends, Path, Query, Request

from storyline.confidence import CONFIDENT
from storyline.read.listing import MAX_LIMIT, Filters
from storyline.web.data import Desk

REF_PATTERN = r"^[\w.\-]{1,200}$"  # article ids, id prefixes and file-name prefixes; story ids and ranks


MinConfidence = Annotated[float, Query(ge=0.0, le=1.0, description=(
    "Hide facts (quotes, speaker links, types, roles, memberships) below this confidence; "
    f"facts under {CONFIDENT} are shown marked uncertain"))]


def filters(
    source: Annotated[str | None, Query(max_length=200, description="Source label (domain, else file name)")] = None,
    date_from: Annotated[dt.date | None, Query(alias="from", description="First publication date, YYYY-MM-DD")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to", description="Last publication date, YYYY-MM-DD")] = None,
    story: Annotated[str | None, Query(max_length=200, pattern=REF_PATTERN,
                                       description="A story id, prefix or rank")] = None,
    entity: Annotated[str | None, Query(max_length=200, description="Articles mentioning this entity")] = None,
    speaker: Annotated[str | None, Query(max_length=200, description="Articles quoting this entity")] = None,
    min_confidence: MinConfidence = 0.0,
) -> Filters:
    """The filters of a list (QueryError, hence 422, on an impossible date range)."""
    return Filters(source or None, date_from.isoformat() if date_from else None,
                   date_to.isoformat() if date_to else None, story or None, entity or None, speaker or None,
                   min_confidence)


def desk(request: Request) -> Desk:
    """The app's desk."""
    found: Desk = request.app.state.desk
    return found


FiltersDep = Annotated[Filters, Depends(filters)]
DeskDep = Annotated[Desk, Depends(desk)]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Index of the first item")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT})")]
SearchLimit = Annotated[int, Query(ge=1, le=100, description="Hits per page (1-100)")]
ArticleRef = Annotated[str, Path(pattern=REF_PATTERN, description="An article id, id prefix or file-name prefix")]
StoryRef = Annotated[str, Path(pattern=REF_PATTERN, description="A story id, id prefix, or rank")]
EntityRef = Annotated[str, Path(min_length=1, max_length=200, description="An entity id or any name form")]
ClaimRef = Annotated[str, Path(min_length=1, max_length=200, pattern=r"\S",
                               description="A claim id (or a merged-away id), its rank, or words of the claim")]
MinStatements = Annotated[int, Query(alias="min", ge=1, le=100_000,
                                     description="Only claims stated at least this often (default 2)")]
QueryText = Annotated[str, Query(min_length=1, max_length=500, description='Words, or "quoted phrases"')]
ModeParam = Annotated[Literal["hybrid", "text", "semantic"], Query(description="hybrid, text or semantic")]
# The entity types the entities stage assigns (its NAME_LABELS), in either case; anything else is a 422.
EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT",
                     "person", "org", "gpe", "loc", "norp", "fac", "product"]
KindParam = Annotated[EntityType | None, Query(description="Entity type: PERSON, ORG, GPE (a country or city), LOC, "
                                                          "NORP (a nationality or group), FAC or PRODUCT")]
ReuseKindParam = Annotated[Literal["duplicate", "near_duplicate", "partial", "rewrite"] | None,
                          Query(description="duplicate, near_duplicate, partial or rewrite")]
Offsets = Annotated[int | None, Query(ge=0, le=100_000_000, description="Character offset to highlight")]
