"""The OpenAPI documentation: drf-spectacular's own validation passes, every URL under /api/ is in the
schema with every method its view answers, and the documentation page serves Swagger UI from our own
static files."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")
# Views whose operations must each carry an example: the core API (procurement/api/views) and open data.
EXAMPLED_MODULES = ("procurement.api.views.", "opendata.api")


def api_patterns(patterns=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += api_patterns(pattern.url_patterns, route)
        elif route.startswith("api/"):
            found.append((route, pattern))
    return found


def normalised(route: str) -> str:
    """``api/initiatives/<int:pk>/`` and ``/api/initiatives/{id}/`` both become ``/api/initiatives/{}/``."""
    route = re.sub(r"<(?:\w+:)?\w+>", "{}", route)
    route = re.sub(r"\{[^}]*\}", "{}", route)
    return "/" + route.lstrip("/")


def documented_view(pattern: URLPattern):
    """The DRF view class of a pattern, or None when the schema leaves it out on purpose: the schema and
    documentation pages themselves, and the catch-all 404 routes of unknown transition names."""
    view = getattr(pattern.callback, "cls", None)
    assert view is not None, f"{pattern} under /api/ is not a REST framework view"
    if any(cls.__module__.startswith("drf_spectacular.") for cls in view.__mro__[:-1] if cls.__name__.startswith("Spectacular")):
        return None
    instance = view(**getattr(pattern.callback, "initkwargs", {}))
    instance.request, instance.args, instance.kwargs = None, (), {}
    schema = instance.schema
    if schema is not None:
        schema.method = "GET"
        if schema.is_excluded():
            return None
    return view


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_passes_drf_spectaculars_validation(tmp_path: Path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--format", "openapi-json", "--file", str(target),
                 stdout=StringIO(), stderr=StringIO())
    loaded = json.loads(target.read_text())
    assert loaded["openapi"].startswith("3.")
    assert "/api/ocds/releases/" in loaded["paths"]


def test_every_url_under_api_is_documented_with_each_of_its_methods(schema):
    paths = {normalised(path): operations for path, operations in schema["paths"].items()}
    missing = []
    checked = 0
    for route, pattern in api_patterns():
        view = documented_view(pattern)
        if view is None:
            continue
        checked += 1
        operations = paths.get(normalised(route))
        if operations is None:
            missing.append(f"/{route}")
            continue
        for method in METHODS:
            if hasattr(view, method) and method not in operations:
                missing.append(f"{method.upper()} /{route}")
    assert checked > 40
    assert not missing, missing


def test_every_operation_documents_its_answers_and_its_body(schema):
    problems = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            answers = operation.get("responses", {})
            successes = [code for code in answers if code.startswith("2")]
            if not successes:
                problems.append(f"{method} {path}: no success answer")
            for code in successes:
                if code != "204" and not answers[code].get("content"):
                    problems.append(f"{method} {path}: answer {code} has no schema")
    assert not problems, problems


def test_core_and_open_data_operations_carry_examples(schema):
    """Each operation of these views shows an example answer, and one of its body when it takes one."""
    lacking = []
    for route, pattern in api_patterns():
        view = documented_view(pattern)
        if view is None or not view.__module__.startswith(EXAMPLED_MODULES):
            continue
        operations = next(ops for path, ops in schema["paths"].items() if normalised(path) == normalised(route))
        for method in METHODS:
            if not hasattr(view, method):
                continue
            operation = operations[method]
            answer = next(a for code, a in operation["responses"].items() if code.startswith("2"))
            if code_has_content := answer.get("content"):
                if not any("examples" in media for media in code_has_content.values()):
                    lacking.append(f"{method.upper()} /{route}: answer")
            body = operation.get("requestBody", {}).get("content", {})
            if body and not any("examples" in media for media in body.values()):
                lacking.append(f"{method.upper()} /{route}: body")
            for code, error in operation["responses"].items():
                if code.startswith(("4", "5")) and not any("examples" in m for m in error.get("content", {}).values()):
                    lacking.append(f"{method.upper()} /{route}: {code}")
    assert not lacking, lacking


@pytest.mark.django_db
def test_the_documentation_page_serves_swagger_ui_from_our_own_static_files():
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert '<script src="/api/docs/?script="></script>' in html  # the start script, a file of its own (CSP)
    assert "<script>" not in html
    start = Client().get("/api/docs/", {"script": ""})
    assert start.status_code == 200 and "/api/schema/" in start.content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", html), "the page loads nothing from another site"
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
