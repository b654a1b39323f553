"""The OpenAPI schema documents every endpoint and generates without warnings."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

CORE_PATHS = [
    "/api/auth/token/", "/api/me/", "/api/organisations/", "/api/circles/", "/api/initiatives/",
    "/api/initiatives/{id}/", "/api/ideas/", "/api/initiatives/{id}/interests/", "/api/initiatives/{id}/lots/",
    "/api/initiatives/{id}/items/", "/api/initiatives/{id}/participations/", "/api/participations/{id}/",
    "/api/participations/{id}/demand/",
    *(f"/api/initiatives/{{id}}/transitions/{name}/" for name in (
        "adopt", "shelve", "open_pooling", "close_pooling", "reopen_pooling", "confirm_participants", "cancel")),
    *(f"/api/participations/{{id}}/transitions/{name}/" for name in (
        "submit", "reopen", "withdraw", "approve", "decline")),
]


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    missing = [path for path in CORE_PATHS if path not in schema["paths"]]
    assert missing == []


def test_the_schema_is_served(client):
    answer = client.get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200
    schema = answer.json()
    approve = schema["paths"]["/api/participations/{id}/transitions/approve/"]["post"]
    assert approve["tags"] == ["participations"]
    body = approve["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/ApproveRequest")
    assert set(approve["responses"]) == {"200", "400", "401", "403", "404", "409", "415"}
