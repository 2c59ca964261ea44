"""The JSON API keeps its OpenAPI contract: generated requests, declared errors, accepted hosts.

Schemathesis generates requests from the served OpenAPI document (bounded examples per route) and
checks every response: no server error, a documented status, the declared content type and body
schema, invalid data refused. Schema-valid requests may still get a documented 422 the schema cannot
express (a date range that ends before it starts, an open "phrase", a search with no words), so
that one check is left out; the other tests pin what the contract promises by hand.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from tests.conftest import get_json

# Generated examples per route and test run (CI time is bounded; the routes are cheap).
EXAMPLES = 25


def test_every_route_keeps_its_contract(analysed_db: str) -> None:
    """Generated requests for every JSON route: no server error, documented statuses and bodies."""
    from storyline.web import create_app

    app = create_app(analysed_db, warm=False)
    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app  # requests go to the app in process (ASGI), no network
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  derandomize=True, database=None)
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            case.call_and_validate(base_url="http://localhost", headers={"Host": "localhost"},
                                   excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Exception as exc:
            failures.append(f"{operation.label}: {str(exc).strip()[:600]}")
    assert not failures, "\n".join(failures)


def test_errors_are_declared_with_the_shape_served(client: Any) -> None:
    schema = get_json(client, "/openapi.json")
    error = schema["components"]["schemas"]["Error"]
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for status in ("404", "422"):
                declared = operation["responses"][status]["content"]["application/json"]["schema"]
                assert declared == {"$ref": "#/components/schemas/Error"}, (path, status)
    for path, status in (("/api/articles/no-such-article", 404), ("/api/articles?limit=0", 422),
                         ("/api/entities?type=bogus", 422), ("/api/reuse?kind=bogus", 422)):
        response = client.get(path)
        assert response.status_code == status, (path, response.text)
        jsonschema.validate(response.json(), error)


def test_date_filters_are_declared_as_dates(client: Any) -> None:
    schema = get_json(client, "/openapi.json")
    parameters = {p["name"]: p for p in schema["paths"]["/api/articles"]["get"]["parameters"]}
    assert parameters["from"]["schema"]["anyOf"][0] == {"type": "string", "format": "date"}
    for value, ok in (("2022-03-22", True), ("0000-00-00", False), ("2022-13-01", False), ("2023-02-31", False),
                      ("notadate", False)):
        assert (client.get(f"/api/articles?from={value}").status_code == 200) is ok, value


def test_unknown_filter_values_are_refused_alike(client: Any) -> None:
    assert client.get("/api/entities?type=person").status_code == 200
    assert client.get("/api/entities?type=PERSON").status_code == 200
    for path in ("/api/entities?type=bogus", "/api/reuse?kind=bogus", "/api/search?q=x&mode=bogus"):
        response = client.get(path)
        assert response.status_code == 422, path
        assert response.json()["detail"].startswith("invalid parameter:"), response.text


def test_the_api_reference_serves_json_to_json_clients(client: Any) -> None:
    as_json = client.get("/api", headers={"Accept": "application/json"})
    assert as_json.status_code == 200 and as_json.headers["content-type"].startswith("application/json")
    assert "/api/articles" in as_json.json()["paths"]
    as_page = client.get("/api", headers={"Accept": "text/html,application/json;q=0.9"})
    assert as_page.headers["content-type"].startswith("text/html")


def test_only_the_served_host_names_are_answered(analysed_db: str) -> None:
    from fastapi.testclient import TestClient

    from storyline.web import create_app

    app = create_app(analysed_db, warm=False, hosts=["desk.example.org"])
    with TestClient(app, base_url="http://localhost") as client:
        assert client.get("/api/overview").status_code == 200
        assert client.get("/api/overview", headers={"Host": "127.0.0.1:8000"}).status_code == 200
        assert client.get("/api/overview", headers={"Host": "desk.example.org"}).status_code == 200
        rebound = client.get("/api/overview", headers={"Host": "attacker.example"})
        assert rebound.status_code == 400
        assert "attacker" not in rebound.text


def _routes_over_the_example(client: Any) -> list[str]:
    first = get_json(client, "/api/articles")["items"]
    story = get_json(client, "/api/stories")["items"][0]["id"]
    claim = get_json(client, "/api/claims")["items"][0]["id"]
    link = get_json(client, "/api/reuse")["items"][0]
    paths = ["/api/overview", "/api/articles", "/api/events", "/api/stories", f"/api/stories/{story}",
             "/api/entities", "/api/entities/Vulin", "/api/entities/Vucic", "/api/quotes", "/api/claims",
             "/api/claims?min=1", f"/api/claims/{claim}", "/api/reuse",
             f"/api/reuse/{link['source']}/{link['derived']}", f"/api/reuse/{link['derived']}/{first[0]['id']}",
             "/api/search?q=Vucic", "/api/search?q=sanctions&mode=semantic"]
    return paths + [f"/api/articles/{a['id']}" for a in first]


def test_every_response_matches_its_declared_schema(client: Any) -> None:
    schema = get_json(client, "/openapi.json")
    templates = {re.sub(r"\{[^}]+\}", "[^/]+", path): path for path in schema["paths"]}
    for url in _routes_over_the_example(client):
        path = url.split("?")[0]
        template = next(t for pattern, t in templates.items() if re.fullmatch(pattern, path))
        declared = schema["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert declared.get("properties") or declared.get("$ref"), template  # typed, not "any object"
        jsonschema.validate(get_json(client, url), {**declared, "components": schema["components"]})
