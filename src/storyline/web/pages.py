"""The HTML pages: each renders the same record as its JSON twin (``/api`` + its path), plus display extras."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from storyline.confidence import uncertain_note
from storyline.errors import QueryError
from storyline.read.listing import Filters
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
    Offsets,
    ReuseKindParam,
    SearchLimit,
    StoryRef,
)
from storyline.web.render import (
    DATE_BASES,
    STANCE_SHAPES,
    Mark,
    claim_chart,
    highlight,
    path_of,
    safe_url,
    span_link,
    stacked_bars,
    timeline,
)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def render(request: Request, template: str, context: dict[str, Any], twin: str | None) -> Response:
    """A page from ``template`` with ``context``; ``twin`` is the path of its JSON twin."""
    if twin and request.url.query:
        twin += "?" + request.url.query
    base = {"json_twin": twin, "span_link": span_link, "path_of": path_of, "safe_url": safe_url}
    response: Response = request.app.state.templates.TemplateResponse(request, template, {**base, **context})
    return response


def page_links(request: Request, record: dict[str, Any]) -> dict[str, str | None]:
    """The previous and next page links of a list, keeping every other parameter (past the end of
    the list: its last page as the previous one, and its first page)."""
    params = dict(request.query_params)
    offset, limit, total = record["offset"], record["limit"], record["total"]

    def at(start: int) -> str:
        return request.url.path + "?" + urlencode({**params, "offset": str(start)})

    past_end = total > 0 and offset >= total
    last = max((total - 1) // limit * limit, 0)
    return {"prev": (at(last) if past_end else at(max(offset - limit, 0))) if offset > 0 else None,
            "next": at(offset + limit) if offset + limit < total else None,
            "first": at(0) if past_end else None}


def filter_values(filters: Filters) -> dict[str, str]:
    """The filter form's current values."""
    return {"source": filters.source or "", "from": filters.date_from or "", "to": filters.date_to or "",
            "story": filters.story or "", "entity": filters.entity or "", "speaker": filters.speaker or "",
            "min_confidence": f"{filters.min_confidence:g}" if filters.min_confidence else ""}


@router.get("/")
def overview(request: Request, desk: DeskDep) -> Response:
    """The corpus overview: counts, a chart of articles per month per source, the largest stories."""
    record = data.overview(desk)
    t = record["timeline"]
    chart = stacked_bars(t["months"], [(s["source"], s["articles"]) for s in t["series"]])
    return render(request, "overview.html", {"d": record, "chart": chart, "undated": record["counts"]["undated"]},
                  "/api/overview")


def wants_json(request: Request) -> bool:
    """Whether the request's Accept header prefers JSON to HTML (``application/json`` named, and no
    ``text/html`` before it)."""
    accept = request.headers.get("accept", "").lower()
    json_at, html_at = accept.find("application/json"), accept.find("text/html")
    return json_at >= 0 and (html_at < 0 or json_at < html_at)


@router.get("/api")
def api_reference(request: Request) -> Response:
    """An offline reference of the JSON API, from its OpenAPI schema (also at /openapi.json); a client
    that asks for JSON and not HTML gets the OpenAPI document itself."""
    schema = request.app.openapi()
    if wants_json(request):
        return JSONResponse(schema)
    routes = [(path, op.get("summary", ""), op.get("description", ""),
               [(p["name"], p.get("in", ""), p.get("description", ""), p.get("required", False))
                for p in op.get("parameters", [])])
              for path, ops in schema["paths"].items() for op in ops.values()]
    return render(request, "api.html", {"routes": routes}, "/openapi.json")


@router.get("/articles")
def articles(request: Request, desk: DeskDep, filters: FiltersDep, offset: Offset = 0, limit: Limit = 50) -> Response:
    """The list of articles."""
    record = data.articles_list(desk, filters, offset, limit)
    rows = [[(r["published"] or "undated", None), (r["source"], None),
             (r["title"] or r["label"], path_of("articles", r["id"])), (str(r["words"]), None)]
            for r in record["items"]]
    return _list(request, "Articles", ["date", "source", "article", "words"], rows, record, filters, "/api/articles")


@router.get("/articles/{ref}")
def article(request: Request, desk: DeskDep, ref: ArticleRef, start: Offsets = None, end: Offsets = None) -> Response:
    """One article: its text with quotes and entity mentions highlighted, and its copies both ways."""
    if (start is None) != (end is None) or (start is not None and end is not None and start >= end):
        raise QueryError("give both start and end, with start before end, to highlight a span")
    record = data.article(desk, ref)
    text = record["article"]["text"]
    marks = [Mark(q["start"], q["end"], f"quote {q['kind']}", anchor=q["id"],
                  title=f"{q['cue_class']}: {speaker_label(q)}"
                  + (f" ({uncertain_note(q['confidence'])})" if uncertain_note(q["confidence"]) else ""))
             for q in record["quotes"]]
    marks += [Mark(m["start"], m["end"], "mention", href=path_of("entities", m["entity"]), title=m["name"])
              for m in record["mentions"]]
    if start is not None and end is not None:
        marks.append(Mark(start, end, "hl", anchor="hl"))
    body = highlight(text, marks)
    return render(request, "article.html", {"d": record, "body": body}, f"/api/articles/{record['article']['id']}")


@router.get("/events")
def events(request: Request, desk: DeskDep, filters: FiltersDep, offset: Offset = 0, limit: Limit = 50) -> Response:
    """The list of events."""
    record = data.events_list(desk, filters, offset, limit)
    rows = [[(e["start_date"] or "undated", None), (e["title"], path_of("stories", e["story"])),
             (str(len(e["articles"])), None)] for e in record["items"]]
    return _list(request, "Events", ["date", "event (its story)", "articles"], rows, record, filters, "/api/events")


@router.get("/stories")
def stories(request: Request, desk: DeskDep, filters: FiltersDep, offset: Offset = 0, limit: Limit = 50) -> Response:
    """The list of stories."""
    record = data.stories_list(desk, filters, offset, limit)
    rows = [[(s["start_date"] or "undated", None), (s["end_date"] or "", None),
             (s["title"], path_of("stories", s["id"])), (str(len(s["events"])), None), (str(len(s["articles"])), None)]
            for s in record["items"]]
    return _list(request, "Stories", ["from", "to", "story", "events", "articles"], rows, record, filters,
                 "/api/stories")


@router.get("/stories/{ref}")
def story(request: Request, desk: DeskDep, ref: StoryRef, min_confidence: MinConfidence = 0.0) -> Response:
    """One story: its events on a timeline, coverage per source, framing terms per source."""
    record = data.story(desk, ref, min_confidence)
    line = timeline([(e["start_date"], e["title"], "#" + e["id"], len(e["articles"])) for e in record["events"]])
    top = max((c["articles"] for c in record["coverage"]), default=1)
    return render(request, "story.html", {"d": record, "timeline": line, "top": top},
                  f"/api/stories/{record['story']['id']}")


@router.get("/entities")
def entities(request: Request, desk: DeskDep, filters: FiltersDep, type: KindParam = None,
             name: Annotated[str | None, Query(max_length=200)] = None, offset: Offset = 0,
             limit: Limit = 50) -> Response:
    """The list of entities."""
    record = data.entities_list(desk, filters, type, name, offset, limit)
    rows: list[list[Cell]] = [
        [(e["name"], path_of("entities", e["id"])), (e["type_label"], None, uncertain_note(e["type_confidence"])),
         (", ".join(e["aliases"]), None),
         (str(e["mentions"]), None), (str(e["articles"]), None), (str(e["quotes"]), None)]
        for e in record["items"]]
    return _list(request, "Entities", ["name", "type", "aliases", "mentions", "articles", "quotes"], rows, record,
                 filters, "/api/entities")


@router.get("/entities/{ref}")
def entity(request: Request, desk: DeskDep, ref: EntityRef, min_confidence: MinConfidence = 0.0) -> Response:
    """One entity: aliases, roles over time, quotes, articles."""
    record = data.entity(desk, ref, min_confidence)
    return render(request, "entity.html", {"d": record}, path_of("api/entities", record["entity"]["id"]))


@router.get("/quotes")
def quotes(request: Request, desk: DeskDep, filters: FiltersDep,
           about: Annotated[str | None, Query(max_length=200)] = None, offset: Offset = 0,
           limit: Limit = 50) -> Response:
    """The list of quotes."""
    record = data.quotes_list(desk, filters, about, offset, limit)
    rows: list[list[Cell]] = [[(q["date"] or "undated", None),
             (speaker_label(q), path_of("entities", q["speaker"]) if q["speaker"] else None,
              uncertain_note(q["speaker_confidence"]) if q["speaker"] else ""),
             (q["text"], span_link(q["article"], q["start"], q["end"]), uncertain_note(q["confidence"])),
             (str(q["cue_class"]), None), (q["article_label"], None)]
            for q in record["items"]]
    return _list(request, "Quotes", ["date", "speaker", "quote", "reports", "article"], rows, record, filters,
                 "/api/quotes")


def speaker_label(q: dict[str, Any]) -> str:
    """Who a quote's speaker is, as a reader sees it: the entity's name, else the unnamed source's own
    words ("unnamed: the statement"), else "unattributed"."""
    if q["speaker_entity"] or q["speaker_name"]:
        return str(q["speaker_entity"] or q["speaker_name"])
    return f"unnamed: {q['speaker_text']}" if q.get("speaker_text") else "unattributed"


@router.get("/claims")
def claims(request: Request, desk: DeskDep, filters: FiltersDep, min_statements: MinStatements = 2,
           offset: Offset = 0, limit: Limit = 50) -> Response:
    """The list of recurring claims."""
    record = data.claims_list(desk, filters, min_statements, offset, limit)
    rows = [[(str(c["rank"]), None), (c["text"], path_of("claims", c["id"])),
             (str(c["statements"]) if c["matched"] == c["statements"] else f"{c['matched']} of {c['statements']}",
              None),
             (", ".join(s["name"] for s in c["speakers"]), None), (date_span(c), None),
             (", ".join(f"{k} {n}" for k, n in c["stances"].items() if n), None)]
            for c in record["items"]]
    return _list(request, "Recurring claims", ["#", "claim", "statements", "speakers", "dates", "stances"], rows,
                 record, filters, "/api/claims", extra={"min": str(min_statements)} if min_statements != 2 else {})


@router.get("/claims/{ref}")
def claim(request: Request, desk: DeskDep, ref: ClaimRef, min_confidence: MinConfidence = 0.0) -> Response:
    """One claim: a chart of its statements by date and speaker, then the timeline table (uncertain
    members marked, or hidden under ``min_confidence``)."""
    record = data.claim(desk, ref, min_confidence)
    chart = claim_chart(record["timeline"])
    context = {"d": record, "chart": chart, "bases": DATE_BASES, "shapes": STANCE_SHAPES,
               "dated": [e for e in record["timeline"] if e["date"]],
               "undated": [e for e in record["timeline"] if not e["date"]]}
    return render(request, "claim.html", context, path_of("api/claims", record["claim"]["id"]))


def date_span(summary: dict[str, Any]) -> str:
    """A claim's date range as a list shows it ("2022-03-22 – 2023-12-09, 6 undated")."""
    first, last, undated = summary["first_date"], summary["last_date"], summary["undated"]
    dates = "" if not first else first if first == last else f"{first} – {last}"
    if undated:
        dates += (", " if dates else "") + ("undated" if not dates else f"{undated} undated")
    return dates


@router.get("/reuse")
def reuse(request: Request, desk: DeskDep, filters: FiltersDep, kind: ReuseKindParam = None, offset: Offset = 0,
          limit: Limit = 50) -> Response:
    """The list of reuse links."""
    record = data.reuse_list(desk, filters, kind, offset, limit)
    rows = [[(r["derived_label"], path_of("articles", r["derived"])),
             (r["source_label"], path_of("articles", r["source"])),
             (r["kind_label"], f"/reuse/{r['source']}/{r['derived']}"),
             (f"{r['aligned']} of {r['derived_sentences']}", None)]
            for r in record["items"]]
    columns = ["derived", "from source", "kind", "sentences of the derived article aligned"]
    return _list(request, "Copies and rewrites", columns, rows, record, filters, "/api/reuse")


@router.get("/reuse/{first}/{second}")
def rewrite(request: Request, desk: DeskDep, first: ArticleRef, second: ArticleRef) -> Response:
    """Two articles' aligned sentences side by side."""
    record = data.rewrite(desk, first, second)
    return render(request, "rewrite.html", {"d": record},
                  f"/api/reuse/{record['source']['id']}/{record['derived']['id']}")


@router.get("/search")
def search(request: Request, desk: DeskDep, filters: FiltersDep,
           q: Annotated[str, Query(max_length=500)] = "", mode: ModeParam = "hybrid", offset: Offset = 0,
           limit: SearchLimit = 20) -> Response:
    """The search page: a form, and the hits with their best sentence (linked to its characters)."""
    record: dict[str, Any] | None = None
    error = None
    if q.strip():
        try:
            record = data.search(desk, q, filters, cast(Mode, mode), offset, limit)
        except QueryError as exc:
            error = exc.reason or str(exc)
    snippets = {}
    for hit in (record or {}).get("items", []):
        start = hit["start"]
        marks = [Mark(a - start, b - start, "match") for a, b in hit["highlights"]]
        snippets[(hit["article"]["id"], start)] = highlight(hit["snippet"], marks)
    context = {"d": record, "q": q, "mode": mode, "error": error, "filters": filter_values(filters),
               "pages": page_links(request, record) if record else {}, "snippets": snippets}
    response = render(request, "search.html", context, "/api/search" if q.strip() else None)
    if error:
        response.status_code = 422
    return response


# A list cell: its text, its link (or None), and optionally an uncertainty note ("" for none).
Cell = tuple[str, str | None] | tuple[str, str | None, str]


def _list(request: Request, title: str, columns: list[str], rows: Sequence[Sequence[Cell]],
          record: dict[str, Any], filters: Filters, twin: str, extra: dict[str, str] | None = None) -> Response:
    context = {"title": title, "columns": columns, "rows": rows, "d": record, "filters": filter_values(filters),
               "pages": page_links(request, record), "extra": extra or {}}
    return render(request, "list.html", context, twin)
