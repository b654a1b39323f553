"""Open data that is open (issue 16): the OCDS endpoints answer without a login and are cacheable, a public
page lists the published initiatives, and the demo laptop round's latest release shows its real pooled value
and quantities (a council's approval publishes them). Packages are validated against the vendored schemas."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from opendata import ocds
from procurement.demo.initiatives import LAPTOPS_TITLE
from procurement.models import Initiative

from .ocds_schema import assert_valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(committed):
    with committed():
        call_command("demo", password="demo-pw", stdout=None)


def test_the_ocds_endpoints_need_no_login_and_ignore_a_bad_token(demo):
    laptops = Initiative.objects.get(title=LAPTOPS_TITLE)
    for client in (APIClient(), APIClient(HTTP_AUTHORIZATION="Token not-a-token")):
        for path in (f"/api/initiatives/{laptops.pk}/ocds/", "/api/ocds/releases/"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.content[:200])
            assert_valid(response.json())


def test_the_answers_are_cacheable_and_answer_304_when_unchanged(demo):
    laptops = Initiative.objects.get(title=LAPTOPS_TITLE)
    client = APIClient()
    for path in (f"/api/initiatives/{laptops.pk}/ocds/", "/api/ocds/releases/"):
        first = client.get(path)
        assert first["Cache-Control"] == "public, max-age=300"
        assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
        assert client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_demo_laptop_rounds_latest_release_shows_its_pooled_value_and_quantities(demo):
    laptops = Initiative.objects.get(title=LAPTOPS_TITLE)
    package = APIClient().get(f"/api/initiatives/{laptops.pk}/ocds/").json()
    assert_valid(package)
    latest = package["releases"][-1]
    assert Decimal(str(latest["tender"]["value"]["amount"])) > 0
    assert sum(Decimal(str(item["quantity"])) for item in latest["tender"]["items"]) > 0
    assert latest["tender"]["value"]["amount"] == ocds.release_content(laptops)["tender"]["value"]["amount"]


def test_no_bids_before_the_award(demo):
    package = APIClient().get("/api/ocds/releases/", {"page_size": 500}).json()
    for release in package["releases"]:
        if "award" not in " ".join(release["tag"]) and "contract" not in " ".join(release["tag"]):
            assert "bids" not in release and "awards" not in release


def test_the_public_page_lists_the_published_initiatives_with_links(demo):
    response = Client().get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    published = [i for i in Initiative.objects.all() if ocds.is_published(i)]
    assert published
    for initiative in Initiative.objects.all():
        link = f'href="/api/initiatives/{initiative.pk}/ocds/"'
        assert (link in html) == (initiative in published), initiative.title
    assert 'href="/api/ocds/releases/"' in html


def test_a_councils_approval_publishes_the_new_pooled_value(round_, committed):
    from opendata import releases
    from procurement import services

    releases.ensure_recorded()
    before = APIClient().get(f"/api/initiatives/{round_.initiative.pk}/ocds/").json()["releases"]
    assert before[-1]["tender"]["value"]["amount"] == 0
    ict, alderman = round_.wetteren_people.ict, round_.wetteren_people.alderman
    with committed():
        p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
        services.demand_set(participation=p, actor=ict, lines=[{"item": round_.laptop.pk, "quantity": "10"}])
        services.participation_submit(participation=p, actor=ict)
    assert len(APIClient().get(f"/api/initiatives/{round_.initiative.pk}/ocds/").json()["releases"]) == len(before)
    with committed():
        services.participation_approve(participation=p, actor=alderman, decision_date=round_.initiative.created_at.date(),
                                       decision_reference="CBS/2027/1")
    after = APIClient().get(f"/api/initiatives/{round_.initiative.pk}/ocds/").json()
    assert_valid(after)
    assert len(after["releases"]) == len(before) + 1
    assert Decimal(str(after["releases"][-1]["tender"]["value"]["amount"])) == 10 * round_.laptop.estimated_unit_price
