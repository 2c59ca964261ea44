"""One shape per subject: `storyline ... --json` prints what the JSON API returns for the same item."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app
from tests.conftest import get_json

runner = CliRunner()


def _cli(db: str, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# (subject, CLI arguments, API path, whether the API answers a page whose items the CLI lists)
SUBJECTS = [
    ("article", ["show", "004"], "/api/articles/004", False),
    ("article list", ["articles"], "/api/articles?limit=500", True),
    ("entity", ["entity", "Vulin"], "/api/entities/Vulin", False),
    ("entity list", ["entities", "-n", "0"], "/api/entities?limit=500", True),
    ("quote list", ["quotes"], "/api/quotes?limit=500", True),
    ("story", ["story", "1"], "/api/stories/1", False),
    ("story list", ["stories"], "/api/stories?limit=500", True),
    ("claim", ["timeline", "1"], "/api/claims/1", False),
    ("claim list", ["claims", "-n", "0"], "/api/claims?limit=500", True),
    ("reuse list", ["copies"], "/api/reuse?limit=500", True),
    ("reuse pair", ["compare", "001", "004"], "/api/reuse/001/004", False),
    ("search hits", ["search", "sanctions", "--mode", "text", "--limit", "5"],
     "/api/search?q=sanctions&mode=text&limit=5", False),
]


@pytest.mark.parametrize(("subject", "args", "path", "listed"), SUBJECTS, ids=[s[0] for s in SUBJECTS])
def test_the_cli_json_and_the_api_agree(analysed_db: str, client: TestClient, subject: str, args: list[str],
                                        path: str, listed: bool) -> None:
    printed = _cli(analysed_db, *args)
    served = get_json(client, path)
    if listed:
        assert served["total"] == len(served["items"])
        served = served["items"]
    assert printed, subject  # an empty answer would agree trivially
    assert printed == served, subject


def test_filtered_views_keep_their_shape(analysed_db: str, client: TestClient) -> None:
    printed = _cli(analysed_db, "quotes", "--speaker", "Vulin")
    served = get_json(client, "/api/quotes?speaker=Vulin&limit=500")["items"]
    assert printed and printed == served
    sure = _cli(analysed_db, "timeline", "1", "--min-confidence", "0.9")
    assert sure == get_json(client, "/api/claims/1?min_confidence=0.9")
    assert sure["min_confidence"] == 0.9
