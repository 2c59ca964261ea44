"""``storyline serve``: the web pages and JSON API over a store."""

from __future__ import annotations

from typing import Annotated

import typer

from storyline.cli.common import DbOption, app, err, fail
from storyline.errors import StorylineError
from storyline.settings import load_settings


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; other machines can connect only if you "
                                           "give 0.0.0.0 or a public address.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    writable: Annotated[bool, typer.Option("--writable", help="Open the store for writing (read-only by "
                                                              "default).")] = False,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", help="Another host name browsers may use to reach the server (repeatable); the --host "
                             "address and localhost are always accepted, any other name gets a 400.")] = None,
) -> None:
    """Serve the analyst's desk: pages and a JSON API (OpenAPI at /openapi.json) over the store."""
    import uvicorn

    from storyline.web import create_app

    try:
        settings = load_settings({"db": db})
        names = [host, *(allow_host or [])] if host not in ("0.0.0.0", "::") else list(allow_host or [])
        web = create_app(settings.db, read_only=not writable, hosts=names)
    except StorylineError as exc:
        fail(str(exc))
        return
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: listening on {host}: anyone who can reach this machine can read the store",
                  markup=False)
        if host in ("0.0.0.0", "::") and not allow_host:
            err.print("note: only requests naming localhost are answered; add --allow-host NAME for the name "
                      "other machines use", markup=False)
    err.print(f"storyline: serving {settings.db} at http://{host}:{port}/ (Ctrl-C stops)", markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning")
