"""The JSON API: one route per list (paginated, filtered) and per subject; each page's twin under /api."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Query

from storyline.read.search import Mode
from storyline.web import data
from storyline.web.params import (
    ArticleRef,
    ClaimRef,
    DeskDep,
    EntityRef,
    FiltersDep,
    KindParam,
    Limit,
    MinConfidence,
    MinStatements,
    ModeParam,
    Offset,
    QueryText,
    ReuseKindParam,
    SearchLimit,
    StoryRef,
)

router = APIRouter(prefix="/api", tags=["api"])
Json = dict[str, Any]


@router.get("/overview", summary="The corpus overview (twin of /)")
def overview(desk: DeskDep) -> Json:
    """Counts, sources, articles per month per source, and the largest stories."""
    return data.overview(desk)


@router.get("/articles", summary="Articles")
def articles(desk: DeskDep, filters: FiltersDep, offset: Offset = 0, limit: Limit = 50) -> Json:
    """Articles in ingest order (no text), filtered by source, date range, story, entity, speaker."""
    return data.articles_list(desk, filters, offset, limit)


@router.get("/articles/{ref}", summary="One article (twin of /articles/REF)")
def article(desk: DeskDep, ref: ArticleRef) -> Json:
    """An article with its text, quotes, entity mentions, event, story and copies both ways."""
    return data.article(desk, ref)


@router.get("/events", summary="Events")
def events(desk: DeskDep, filters: FiltersDep, offset: Offset = 0, limit: Limit = 50) -> Json:
    """Events in date order with at least one article passing the filters."""
    return data.events_list(desk, filters, offset, limit)


@router.get("/stories", summary="Stories")
def stories(desk: DeskDep, filters: FiltersDep, offset: Offset = 0, limit: Limit = 50) -> Json:
    """Stories, the largest first, with at least one article passing the filters."""
    return data.stories_list(desk, filters, offset, limit)


@router.get("/stories/{ref}", summary="One story (twin of /stories/REF)")
def story(desk: DeskDep, ref: StoryRef, min_confidence: MinConfidence = 0.0) -> Json:
    """A story's events in date order (each article with the confidence of its membership; those under
    ``min_confidence`` left out), coverage per source, and framing terms per source."""
    return data.story(desk, ref, min_confidence)


@router.get("/entities", summary="Entities")
def entities(desk: DeskDep, filters: FiltersDep, type: KindParam = None,
             name: Annotated[str | None, Query(max_length=200)] = None, offset: Offset = 0,
             limit: Limit = 50) -> Json:
    """People, organisations and places, most mentioned first."""
    return data.entities_list(desk, filters, type, name, offset, limit)


@router.get("/entities/{ref}", summary="One entity (twin of /entities/REF)")
def entity(desk: DeskDep, ref: EntityRef, min_confidence: MinConfidence = 0.0) -> Json:
    """An entity's aliases, roles over time, quotes and articles (roles, quotes and speaker links under
    ``min_confidence`` left out)."""
    return data.entity(desk, ref, min_confidence)


@router.get("/quotes", summary="Quotes")
def quotes(desk: DeskDep, filters: FiltersDep, about: Annotated[str | None, Query(max_length=200)] = None,
           offset: Offset = 0, limit: Limit = 50) -> Json:
    """Quotes and reported speech, filtered by speaker (any name form), words, and the article filters."""
    return data.quotes_list(desk, filters, about, offset, limit)


@router.get("/claims", summary="Claims")
def claims(desk: DeskDep, filters: FiltersDep, min_statements: MinStatements = 2, offset: Offset = 0,
           limit: Limit = 50) -> Json:
    """Recurring claims, the most repeated first (statements, speakers, date range, stance counts), with a
    statement made by ``speaker``, dated (its own date) in the range, in an article passing the other filters."""
    return data.claims_list(desk, filters, min_statements, offset, limit)


@router.get("/claims/{ref}", summary="One claim (twin of /claims/REF)")
def claim(desk: DeskDep, ref: ClaimRef, min_confidence: MinConfidence = 0.0) -> Json:
    """A claim's wording and its statements in date order: speaker with the role held then, stance, span,
    and the confidence of the statement's membership (those under ``min_confidence`` left out)."""
    return data.claim(desk, ref, min_confidence)


@router.get("/reuse", summary="Reuse links")
def reuse(desk: DeskDep, filters: FiltersDep, kind: ReuseKindParam = None, offset: Offset = 0,
          limit: Limit = 50) -> Json:
    """Copies and rewrites, strongest first, with either article passing the filters."""
    return data.reuse_list(desk, filters, kind, offset, limit)


@router.get("/reuse/{first}/{second}", summary="Two articles side by side (twin of /reuse/A/B)")
def rewrite(desk: DeskDep, first: ArticleRef, second: ArticleRef) -> Json:
    """The aligned sentences of two articles."""
    return data.rewrite(desk, first, second)


@router.get("/search", summary="Search (twin of /search)")
def search(desk: DeskDep, filters: FiltersDep, q: QueryText, mode: ModeParam = "hybrid", offset: Offset = 0,
           limit: SearchLimit = 20) -> Json:
    """Full-text and semantic search in one ranking; each hit carries its best-matching sentence span."""
    return data.search(desk, q, filters, cast(Mode, mode), offset, limit)
