"""Token login, who am I, and 401 for whoever is not logged in."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from procurement.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_failed_attempts_from_other_tests():
    """Failed sign-ins are counted in the cache per username and per address (127.0.0.1 for all tests)."""
    cache.clear()
    yield
    cache.clear()


def test_a_token_for_username_and_password_opens_the_api(round_):
    client = APIClient()
    answer = client.post("/api/auth/token/", {"username": "ict.wetteren", "password": "demo"}, format="json")

    assert answer.status_code == 200
    token = answer.json()["token"]
    assert token == Token.objects.get(user=round_.wetteren_people.ict).key

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "ict.wetteren"


def test_the_same_user_gets_the_same_token_twice(round_):
    client = APIClient()
    first = client.post("/api/auth/token/", {"username": "ict.wetteren", "password": "demo"}, format="json")
    second = client.post("/api/auth/token/", {"username": "ict.wetteren", "password": "demo"}, format="json")
    assert first.json()["token"] == second.json()["token"]


@pytest.mark.parametrize("body", [
    {"username": "ict.wetteren", "password": "wrong"},
    {"username": "nobody", "password": "demo"},
])
def test_wrong_credentials_are_a_400_without_a_token(round_, body):
    answer = APIClient().post("/api/auth/token/", body, format="json")
    assert answer.status_code == 400
    assert "non_field_errors" in answer.json()
    assert not Token.objects.exists()


def test_after_too_many_failed_attempts_even_the_right_password_waits(round_, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    client = APIClient()
    for _ in range(3):
        wrong = client.post("/api/auth/token/", {"username": "ict.wetteren", "password": "guess"}, format="json")
        assert wrong.status_code == 400

    answer = client.post("/api/auth/token/", {"username": "ict.wetteren", "password": "demo"}, format="json")

    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0
    assert answer.json()["detail"].startswith("Too many failed sign-in attempts.")
    assert not Token.objects.exists()


def test_a_missing_password_is_a_field_error(round_):
    answer = APIClient().post("/api/auth/token/", {"username": "ict.wetteren"}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"password": ["This field is required."]}


def test_an_inactive_user_gets_no_token(round_):
    user = round_.wetteren_people.ict
    user.is_active = False
    user.save()
    answer = APIClient().post("/api/auth/token/", {"username": "ict.wetteren", "password": "demo"}, format="json")
    assert answer.status_code == 400


def endpoints(round_) -> list[tuple[str, str]]:
    i = round_.initiative.pk
    return [
        ("get", "/api/me/"),
        ("get", "/api/organisations/"),
        ("get", "/api/circles/"),
        ("get", "/api/initiatives/"),
        ("post", "/api/initiatives/"),
        ("get", f"/api/initiatives/{i}/"),
        ("post", "/api/ideas/"),
        ("get", f"/api/initiatives/{i}/interests/"),
        ("post", f"/api/initiatives/{i}/interests/"),
        ("post", f"/api/initiatives/{i}/lots/"),
        ("post", f"/api/initiatives/{i}/items/"),
        ("post", f"/api/initiatives/{i}/transitions/close_pooling/"),
        ("post", f"/api/initiatives/{i}/transitions/no_such_transition/"),
        ("get", f"/api/initiatives/{i}/participations/"),
        ("post", f"/api/initiatives/{i}/participations/"),
        ("get", "/api/participations/1/"),
        ("put", "/api/participations/1/demand/"),
        ("post", "/api/participations/1/transitions/submit/"),
    ]


def test_every_endpoint_answers_401_with_a_token_challenge_when_not_logged_in(round_):
    client = APIClient()
    for method, url in endpoints(round_):
        answer = getattr(client, method)(url, {}, format="json")
        assert answer.status_code == 401, (method, url)
        # TokenAuthentication comes first, so DRF answers 401 with a challenge rather than 403.
        assert answer.headers["WWW-Authenticate"] == "Token", (method, url)
        assert answer.json() == {"detail": "Authentication credentials were not provided."}


def test_an_unknown_token_is_a_401(round_):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    answer = client.get("/api/me/")
    assert answer.status_code == 401
    assert answer.json() == {"detail": "Invalid token."}


def test_the_browser_session_works_too_and_requires_csrf_for_changes(round_):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(round_.wetteren_people.ict)

    assert client.get("/api/me/").status_code == 200
    answer = client.post(f"/api/initiatives/{round_.initiative.pk}/participations/",
                         {"organisation": round_.wetteren.pk}, format="json")
    assert answer.status_code == 403
    assert "CSRF" in answer.json()["detail"]


def test_me_lists_every_role_in_every_organisation(round_, client_as):
    user = round_.wetteren_people.ict
    ocmw = f.OrganisationFactory(name="OCMW Wetteren", kind="ocmw", nis_code="42025")
    f.MembershipFactory(user=user, organisation=ocmw, role=Role.ICT)
    f.MembershipFactory(user=user, organisation=round_.wetteren, role=Role.VIEWER)

    answer = client_as("wetteren.ict").get("/api/me/")

    assert answer.status_code == 200
    assert answer.json() == {
        "username": "ict.wetteren",
        "memberships": [
            {"organisation": ocmw.pk, "organisation_name": "OCMW Wetteren", "role": "ict"},
            {"organisation": round_.wetteren.pk, "organisation_name": "Wetteren", "role": "ict"},
            {"organisation": round_.wetteren.pk, "organisation_name": "Wetteren", "role": "viewer"},
        ],
    }


def test_someone_without_any_role_sees_no_memberships(round_):
    user = f.UserFactory(username="newcomer")
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/me/").json() == {"username": "newcomer", "memberships": []}
