"""Organisations and knowledge circles: readable by every logged-in user, searchable, paginated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.models import Organisation
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["lead.procurement", "wetteren.ict", "laarne.alderman", "outsider.viewer"])
def test_every_logged_in_user_sees_all_organisations(round_, client_as, who):
    answer = client_as(who).get("/api/organisations/")

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 4
    assert [o["name"] for o in body["results"]] == ["Destelbergen", "Laarne", "Roeselare", "Wetteren"]
    assert body["results"][3] == {
        "id": round_.wetteren.pk, "name": "Wetteren", "kind": "municipality", "nis_code": "42025",
        "enterprise_number": "0207.447.366", "enterprise_number_confirmed": True, "reference_note": "",
    }


def test_search_matches_part_of_the_name_in_any_case(round_, client_as):
    answer = client_as("wetteren.ict").get("/api/organisations/", {"search": "WET"})
    assert [o["name"] for o in answer.json()["results"]] == ["Wetteren"]


def test_kind_filters_and_an_unknown_kind_is_a_400(round_, client_as):
    f.OrganisationFactory(name="OCMW Laarne", kind="ocmw", nis_code="42010")
    client = client_as("wetteren.ict")

    assert [o["name"] for o in client.get("/api/organisations/", {"kind": "ocmw"}).json()["results"]] == ["OCMW Laarne"]
    wrong = client.get("/api/organisations/", {"kind": "castle"})
    assert wrong.status_code == 400
    assert list(wrong.json()) == ["kind"]


def test_pages_follow_page_size(round_, client_as):
    client = client_as("wetteren.ict")

    first = client.get("/api/organisations/", {"page_size": 3}).json()
    assert first["count"] == 4
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "page=2" in first["next"]

    second = client.get(first["next"]).json()
    assert [o["name"] for o in second["results"]] == ["Wetteren"]
    assert second["next"] is None


def test_page_size_goes_up_to_500_and_no_further(round_, client_as):
    Organisation.objects.bulk_create(
        Organisation(name=f"Bestuur {n:03d}", kind="other", enterprise_number=f.kbo(5000 + n)) for n in range(510)
    )
    body = client_as("wetteren.ict").get("/api/organisations/", {"page_size": 500}).json()
    assert body["count"] == 514
    assert len(body["results"]) == 500
    refused = client_as("wetteren.ict").get("/api/organisations/", {"page_size": 1000})
    assert refused.status_code == 400
    assert refused.json() == {"page_size": ["Enter a whole number from 1 to 500."]}


def test_a_page_beyond_the_last_is_a_404(round_, client_as):
    assert client_as("wetteren.ict").get("/api/organisations/", {"page": 9}).status_code == 404


def test_circles_list_their_organisations(round_, client_as):
    answer = client_as("outsider.viewer").get("/api/circles/")

    assert answer.status_code == 200
    [circle] = answer.json()["results"]
    assert circle["name"] == "Scheldeland"
    assert sorted(circle["organisations"]) == sorted([round_.lead.pk, round_.wetteren.pk, round_.laarne.pk])


def test_the_circle_list_costs_the_same_queries_for_more_circles(round_, client_as):
    client = client_as("wetteren.ict")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/circles/").status_code == 200
        return len(captured)

    before = queries()
    for _ in range(3):
        circle = f.CircleFactory()
        circle.organisations.set([round_.wetteren, round_.laarne])
    assert queries() == before
