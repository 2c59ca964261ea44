"""The FastAPI application: ``create_app(db)`` builds it; nothing happens at import time.

Security posture (article text is untrusted): Jinja2 autoescaping everywhere, a strict
Content-Security-Policy (scripts and styles only from this site's static files, no inline code),
every parameter validated (422 with a one-line message), unknown records 404, and the store opened
read-only by default.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.trustedhost import TrustedHostMiddleware

from storyline.errors import NotFoundError, QueryError, StorylineError
from storyline.web.data import Desk
from storyline.web.schemas import RESPONSES
from storyline.web.schemas import components as response_components

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


# Host names a local server answers to whatever it was started for (a browser page on another site
# resolving its own name to 127.0.0.1, DNS rebinding, gets a 400 instead of the store).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")
# Every error the app serves, whatever its status: {"detail": "one line"}.
ERROR_SCHEMA = {"title": "Error", "type": "object", "required": ["detail"],
                "properties": {"detail": {"type": "string", "title": "Detail"}}}


def create_app(db: str, read_only: bool = True, warm: bool = True, hosts: Sequence[str] = ()) -> FastAPI:
    """The web app over the store at ``db`` (opened read-only unless ``read_only`` is False).

    Requests must name one of ``hosts`` or a local host name (``LOCAL_HOSTS``) in their Host header;
    others get a 400.

    When ``warm``, start-up loads the article table, stage states and MiniLM in a background
    thread (:meth:`Desk.warm`) while the server already listens. Raises StoreError at once when
    the store cannot be opened.
    """
    from storyline.web import api, pages

    desk = Desk(db, read_only=read_only)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warming = threading.Thread(target=desk.warm, name="storyline-warm", daemon=True) if warm else None
        if warming is not None:
            warming.start()
        yield
        # A shutdown (SIGTERM, Ctrl-C) does not wait for the warm-up: it stops at its next step, and
        # the store closes once the step reading it is done; a MiniLM load still running is
        # abandoned with the process (the thread is a daemon). Waiting for that step happens off the
        # event loop, so a second Ctrl-C is still heard.
        await asyncio.to_thread(desk.stop)

    app = FastAPI(title="storyline", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Who said what, when, and who copied whom: the JSON API of a storyline store. "
                              "Every HTML page at PATH has a JSON twin at /api/PATH (the overview's is "
                              "/api/overview). Offline API reference: /api.")
    app.state.desk = desk
    app.state.templates = templates()
    static = resources.files("storyline.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[*LOCAL_HOSTS, *hosts])
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(StorylineError, _library_error)  # type: ignore[arg-type]
    app.openapi = lambda: served_schema(app)  # type: ignore[method-assign]
    return app


def served_schema(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document as served: each JSON route's response schema (:mod:`storyline.web.schemas`),
    and every error (404 for an unknown record, 422 for a bad parameter) declared on every JSON route
    with the one error shape the app serves."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        components["Error"] = ERROR_SCHEMA
        components.update(response_components())
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if path in RESPONSES:
                    ok = responses.setdefault("200", {"description": "Successful Response"})
                    ok["content"] = {"application/json": {"schema": RESPONSES[path]}}
                if path.startswith("/api/"):
                    responses["404"] = {**error, "description": "No such record (an unknown id, name or rank)"}
                    responses["422"] = {**error, "description": "A parameter is invalid, or a date range ends "
                                                                "before it starts (the message says which)"}
                else:
                    responses.pop("422", None)  # pages answer errors as HTML pages
        app.openapi_schema = schema
    return app.openapi_schema


def templates() -> Jinja2Templates:
    """The page templates (autoescaping on for every template, whatever its name)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = str(resources.files("storyline.web").joinpath("templates"))
    env = Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["counted"] = counted
    return Jinja2Templates(env=env)


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` with its noun in the right number: 1 story, 2 stories (``many`` defaults to ``one`` + "s")."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def validation_message(exc: RequestValidationError) -> str:
    """One line naming each bad parameter and what is wrong with it, in words (no regular expressions)."""
    parts = []
    for error in exc.errors():
        where = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        parts.append(f"{'.'.join(where) or 'request'}: {_in_words(error)}")
    return "; ".join(parts)


def _in_words(error: dict[str, Any]) -> str:
    """What is wrong with a parameter, for a reader: pydantic's message, except where it would show a
    pattern or a parser's internals."""
    kind = str(error.get("type", ""))
    if kind == "string_pattern_mismatch":
        return "not a valid value here (use letters, digits, '.', '_' or '-')"
    if kind.startswith(("date_", "datetime_")):
        return "not a date: write YYYY-MM-DD, e.g. 2024-02-21"
    return str(error.get("msg", "invalid"))


def wants_html(request: Request) -> bool:
    """Whether the request is for a page (not under /api)."""
    return not request.url.path.startswith("/api")


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    return _error(request, 422, f"invalid parameter: {validation_message(exc)}")


async def _library_error(request: Request, exc: StorylineError) -> Response:
    status = 404 if isinstance(exc, NotFoundError) else 422 if isinstance(exc, QueryError) else 500
    return _error(request, status, exc.reason or str(exc))


def _error(request: Request, status: int, message: str) -> Response:
    if wants_html(request):
        response: Response = request.app.state.templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message, "json_twin": None}, status_code=status)
        return response
    return JSONResponse({"detail": message}, status_code=status)
