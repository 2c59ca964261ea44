"""The web face of storyline: ``create_app(db)`` returns the FastAPI app (pages and JSON API)."""

from storyline.web.app import create_app

__all__ = ["create_app"]
