"""OCDS exports: every package validates against the standard's schemas with the lots and techniques
extensions applied, uses only the standard's codes, and says what DESIGN.md §9 asks of it."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings

from contracts.models import Contract
from opendata import ocds, releases
from opendata.models import Release
from procurement import services
from procurement.models import Initiative, InitiativeKind, InitiativeState
from tendering import services as tender_services
from tests import factories as f

from .conftest import api
from .ocds_schema import assert_valid, codelist_errors, schema_errors


def package_of(user, initiative) -> dict:
    response = api(user).get(f"/api/initiatives/{initiative.pk}/ocds/")
    assert response.status_code == 200, response.content
    return response.json()


def latest_package(user, **params) -> dict:
    response = api(user).get("/api/ocds/releases/", params)
    assert response.status_code == 200, response.content
    return response.json()


def last(package: dict) -> dict:
    return package["releases"][-1]


def party(release: dict, name: str) -> dict:
    return next(p for p in release["parties"] if p["name"] == name)


# --- the schema helper itself must be able to fail ---


def test_the_validation_catches_a_wrong_code_and_a_wrong_shape():
    bad = {"uri": "https://x.example/p", "version": "1.1", "publishedDate": "2027-01-01T00:00:00+01:00",
           "publisher": {"name": "x"},
           "releases": [{"ocid": "ocds-x-1", "id": "1", "date": "not a date", "tag": ["planning"],
                         "initiationType": "tender", "tender": {"id": "t", "status": "open",
                                                                "lots": [{"id": 3}]},
                         "parties": [{"id": "p", "roles": ["owner"]}]}]}
    problems = schema_errors(bad)
    assert any("status" in p for p in problems)  # a closed code list (enum)
    assert any("lots/0/id" in p for p in problems)  # the lots extension is applied
    assert any("date" in p for p in problems)  # formats are checked
    assert any("'owner' is not in partyRole.csv" in p for p in codelist_errors(bad))  # open code lists too


# --- the demo data ---


@pytest.mark.django_db
def test_every_published_demo_initiative_exports_a_valid_package(committed):
    with committed():
        call_command("demo", password="demo-pw", stdout=None)
    officer = f.UserFactory(username="reader")  # any logged-in user reads published open data
    published = [i for i in Initiative.objects.all() if ocds.is_published(i)]
    assert {i.state for i in published} >= {InitiativeState.POOLING, InitiativeState.DECIDING}
    for initiative in Initiative.objects.all():
        response = api(officer).get(f"/api/initiatives/{initiative.pk}/ocds/")
        if initiative in published:
            assert response.status_code == 200
            package = response.json()
            assert_valid(package)
            # The initiative's own process, and (the demo's framework) one per call-off (DESIGN.md §9).
            own = f"ocds-samen01-{initiative.pk}"
            ocids = {r["ocid"] for r in package["releases"]}
            assert own in ocids and all(o == own or o.startswith(f"{own}-call-off-") for o in ocids)
            assert [r for r in package["releases"] if r["ocid"] == own][-1]["tender"]["title"] == initiative.title
        else:  # ideas and drafts are not published
            assert initiative.state in (InitiativeState.IDEA, InitiativeState.DRAFT, InitiativeState.SHELVED)
            assert response.status_code == 404
    # The releases were recorded as the demo walked the services, not made up when read.
    assert Release.objects.filter(initiative__in=published).values("initiative").distinct().count() == len(published)
    package = latest_package(officer)
    assert_valid(package)
    assert sorted(r["ocid"] for r in package["releases"] if "-call-off-" not in r["ocid"]) == sorted(
        ocds.ocid(i) for i in published)


# --- a whole joint purchase ---


@pytest.mark.django_db
def test_a_joint_purchase_publishes_a_release_at_every_stage(lifecycle, supplier):
    walk = lifecycle()
    walk.demand("wetteren", "40", "40", "12")
    assert not Release.objects.exists()  # pooling was opened before; demand alone publishes nothing
    walk.demand("laarne", "25", "10", "7")
    walk.to_ready()
    walk.start_tender()
    walk.publish()
    bids = walk.bid(supplier)
    walk.close_and_evaluate()
    walk.award(bids)
    walk.conclude()
    initiative = walk.initiative
    assert initiative.state == InitiativeState.ACTIVE

    package = package_of(walk.r.outsider_people.viewer, initiative)
    assert_valid(package)
    tags = [r["tag"] for r in package["releases"]]
    assert tags[0] == ["planning"]
    assert ["tender"] in tags and ["award"] in tags and tags[-1] == ["contract"]
    assert [r["id"] for r in package["releases"]] == [f"ocds-samen01-{initiative.pk}-{n:04d}"
                                                      for n in range(1, len(tags) + 1)]

    release = last(package)
    assert release["ocid"] == f"ocds-samen01-{initiative.pk}"
    lead, wetteren = party(release, "Destelbergen"), party(release, "Wetteren")
    assert lead["roles"] == ["procuringEntity"]
    assert lead["identifier"] == {"scheme": "BE-BCE_KBO", "id": "0207450633", "legalName": "Destelbergen"}
    assert wetteren["roles"] == ["buyer"] and party(release, "Laarne")["roles"] == ["buyer"]
    assert party(release, "Bechtle Brussels")["roles"] == ["tenderer", "supplier"]
    assert "Roeselare" not in {p["name"] for p in release["parties"]}

    # 65 × 900 + 50 × 180 + 19 × 210 = 71 490,00
    assert release["planning"]["budget"]["amount"] == {"amount": 71490.0, "currency": "EUR"}
    tender = release["tender"]
    assert tender["status"] == "complete"
    assert tender["procurementMethod"] == "limited"  # negotiated without publication
    assert tender["procurementMethodDetails"].startswith("negotiated procedure without prior publication")
    assert tender["techniques"] == {"hasFrameworkAgreement": False}
    lots = {lot["title"]: lot for lot in tender["lots"]}
    laptop = next(i for i in tender["items"] if i["description"] == "Laptop 14 inch")
    assert laptop["relatedLot"] == lots["Laptops en docking"]["id"]
    assert laptop["quantity"] == 65
    assert laptop["classification"] == {"scheme": "CPV", "id": "30213100"}
    assert laptop["unit"] == {"scheme": "UNCEFACT", "id": "H87", "name": "piece",
                              "value": {"amount": 900.0, "currency": "EUR"}}
    assert tender["tenderPeriod"]["endDate"] and tender["awardPeriod"]["endDate"]
    assert tender["numberOfTenderers"] == 2 and tender["tenderers"][0]["name"] == "Bechtle Brussels"

    awards = {a["relatedLots"][0]: a for a in release["awards"]}
    assert set(awards) == {lot["id"] for lot in tender["lots"]}
    for award in awards.values():
        assert award["status"] == "active"
        assert award["suppliers"] == [{"id": "BE-BCE_KBO-" + supplier.enterprise_number.replace(".", ""),
                                       "name": "Bechtle Brussels"}]
    # 65 laptops and 50 docks at 800.00
    assert awards[lots["Laptops en docking"]["id"]]["value"]["amount"] == 92000.0

    contracts = release["contracts"]
    assert len(contracts) == Contract.objects.filter(initiative=initiative).count() == 4  # 2 lots × 2 buyers
    assert {c["awardID"] for c in contracts} == {a["id"] for a in release["awards"]}
    assert all(c["status"] == "active" and c["period"]["startDate"] and c["value"]["amount"] > 0 for c in contracts)
    assert sum(Decimal(str(c["value"]["amount"])) for c in contracts) == Decimal("107200")


@pytest.mark.django_db
def test_one_release_per_commit_and_none_when_nothing_published_changed(lifecycle, supplier, committed):
    walk = lifecycle()
    walk.demand("wetteren", "4", "4", "4")
    walk.to_ready()
    counted = Release.objects.count()
    assert counted == 2  # deciding; ready (close_pooling and confirm each commit once)
    walk.start_tender()  # the initiative starts tendering and the tender is created: one commit
    assert Release.objects.count() == counted + 1
    releases.record_initiative(walk.initiative.pk)  # nothing changed since
    assert Release.objects.count() == counted + 1
    assert Release.objects.values("ocid", "sequence").annotate(n=Count("id")).filter(n__gt=1).count() == 0


@pytest.mark.django_db
def test_a_framework_contract_declares_its_technique_and_term(lifecycle, supplier):
    walk = lifecycle(kind=InitiativeKind.FRAMEWORK_CONTRACT)
    walk.walk(supplier)
    package = package_of(walk.officer, walk.initiative)
    assert_valid(package)
    tender = last(package)["tender"]
    assert tender["techniques"]["hasFrameworkAgreement"] is True
    assert tender["techniques"]["frameworkAgreement"]["method"] == "withoutReopeningCompetition"
    assert tender["contractPeriod"] == {"durationInDays": 1096}
    # Quantities and budget count the maxima over the term: 60 + 30 of each item.
    assert {i["quantity"] for i in tender["items"]} == {90}
    contracts = last(package)["contracts"]
    assert len(contracts) == 2 and all(c["period"]["endDate"] for c in contracts)  # one agreement per lot


@pytest.mark.django_db
def test_a_shared_hire_never_publishes_the_candidate(lifecycle):
    walk = lifecycle(kind=InitiativeKind.SHARED_HIRE)
    walk.walk(None, candidate="An Peeters")
    package = package_of(walk.officer, walk.initiative)
    assert_valid(package)
    text = str(package)
    assert "An Peeters" not in text
    tender = last(package)["tender"]
    assert tender["mainProcurementCategory"] == "services"
    assert "procurementMethod" not in tender and tender["procurementMethodDetails"].startswith("recruitment")
    assert all("suppliers" not in a for a in last(package)["awards"])


@pytest.mark.django_db
def test_an_unsuccessful_lot_and_a_pending_award_during_the_standstill(lifecycle, supplier):
    walk = lifecycle()
    walk.demand("wetteren", "4", "4", "4")
    walk.to_ready()
    walk.start_tender()
    walk.publish()
    bids = walk.bid(supplier)
    walk.close_and_evaluate()
    monitors = walk.r.monitor.lot_id
    walk.award(bids, unsuccessful_lots=[monitors])
    package = package_of(walk.officer, walk.initiative)
    assert_valid(package)
    release = last(package)
    assert release["tag"] == ["award"] and release["tender"]["status"] == "active"
    by_lot = {a["relatedLots"][0]: a for a in release["awards"]}
    assert by_lot[f"lot-{monitors}"]["status"] == "unsuccessful"
    assert {a["status"] for a in by_lot.values()} == {"unsuccessful", "pending"}
    assert {lot["id"]: lot["status"] for lot in release["tender"]["lots"]}[f"lot-{monitors}"] == "unsuccessful"


@pytest.mark.django_db
def test_a_failed_tender_and_a_cancelled_round(lifecycle, supplier, committed):
    walk = lifecycle()
    walk.demand("wetteren", "4", "4", "4")
    walk.to_ready()
    walk.start_tender()
    walk.publish()
    walk.close_and_evaluate()  # no bids
    with committed():
        tender_services.tender_fail(tender=walk.tender, actor=walk.officer, reason="No bids.")
    package = package_of(walk.officer, walk.initiative)
    assert_valid(package)
    assert last(package)["tender"]["status"] == "unsuccessful" and last(package)["tag"] == ["tenderUpdate"]

    other = f.InitiativeFactory(lead_organisation=walk.r.lead, circles=[walk.r.circle], title="Schermen")
    f.ItemFactory(lot=f.LotFactory(initiative=other, number=1))
    with committed():
        services.initiative_open_pooling(initiative=other, actor=walk.officer)
    with committed():
        services.initiative_cancel(initiative=other, actor=walk.officer, reason="Budget cut.")
    package = package_of(walk.officer, other)
    assert_valid(package)
    assert [r["tag"] for r in package["releases"]] == [["planning"], ["tenderCancellation"]]
    assert last(package)["tender"]["status"] == "cancelled"

    never = f.InitiativeFactory(lead_organisation=walk.r.lead, title="Nooit gepubliceerd")
    with committed():
        services.initiative_cancel(initiative=never, actor=walk.officer, reason="Not needed.")
    assert api(walk.officer).get(f"/api/initiatives/{never.pk}/ocds/").status_code == 404


# --- the endpoints ---


@pytest.mark.django_db
def test_the_latest_releases_are_paged_with_links(round_, committed, settings):
    officer = round_.lead_people.procurement
    made = []
    for n in range(3):
        initiative = f.InitiativeFactory(lead_organisation=round_.lead, circles=[round_.circle], title=f"Ronde {n}")
        f.ItemFactory(lot=f.LotFactory(initiative=initiative, number=1))
        with committed():
            services.initiative_open_pooling(initiative=initiative, actor=officer)
        with committed():
            services.initiative_close_pooling(initiative=initiative, actor=officer)
        made.append(initiative)
    # The fixture's own round (pooling, set up without a service) is published too: backfilled when read.
    first = latest_package(officer, page_size=2)
    assert_valid(first)
    assert [r["ocid"] for r in first["releases"]] == [ocds.ocid(round_.initiative), ocds.ocid(made[0])]
    assert first["releases"][1]["tag"] == ["planningUpdate"]  # only the newest release of each process
    assert first["links"] == {"next": "http://testserver/api/ocds/releases/?page=2&page_size=2"}
    response = api(officer).get(first["links"]["next"])
    assert response["Link"] == '<http://testserver/api/ocds/releases/?page_size=2>; rel="prev"'
    second = response.json()
    assert_valid(second)
    assert [r["ocid"] for r in second["releases"]] == [ocds.ocid(i) for i in made[1:]]
    assert "links" in second and "next" not in second["links"]
    assert api(officer).get("/api/ocds/releases/", {"page": 3, "page_size": 2}).status_code == 404
    assert api(officer).get("/api/ocds/releases/", {"page_size": 501}).json() == {
        "page_size": ["Give a whole number from 1 to 500."]}
    assert api(None).get("/api/ocds/releases/").status_code == 200  # open data: no login


@pytest.mark.django_db
@override_settings(OCDS_PREFIX="ocds-abc123", OCDS_LICENSE="https://data.vlaanderen.be/licentie")
def test_the_prefix_is_configurable_and_old_data_is_backfilled(round_):
    # The round_ fixture put its initiative in `pooling` without a service: no release was recorded.
    assert not Release.objects.exists()
    package = package_of(round_.outsider_people.ict, round_.initiative)
    assert_valid(package)
    assert last(package)["ocid"] == f"ocds-abc123-{round_.initiative.pk}"
    assert package["license"] == "https://data.vlaanderen.be/licentie"
    assert package["extensions"] == ocds.EXTENSIONS
    assert Release.objects.count() == 1


@pytest.mark.django_db
def test_with_nothing_published_the_package_is_empty():
    package = latest_package(f.UserFactory(username="reader"))
    assert package["releases"] == [] and package["version"] == "1.1" and "links" not in package


@pytest.mark.django_db
def test_a_draft_is_not_published(round_, committed):
    draft = f.InitiativeFactory(lead_organisation=round_.lead, circles=[round_.circle])
    assert api(round_.lead_people.procurement).get(f"/api/initiatives/{draft.pk}/ocds/").status_code == 404
    assert api(round_.lead_people.procurement).get("/api/initiatives/999999/ocds/").status_code == 404
    releases.ensure_recorded()
    assert not Release.objects.filter(initiative=draft).exists()


@pytest.mark.django_db
def test_release_dates_and_ids_are_stable_when_read_again(lifecycle, clock):
    walk = lifecycle()
    walk.demand("wetteren", "4", "4", "4")
    walk.to_ready()
    first = package_of(walk.officer, walk.initiative)
    clock.advance(days=3)
    again = package_of(walk.officer, walk.initiative)
    assert first["releases"] == again["releases"]
    assert first["publishedDate"] == again["publishedDate"] == last(first)["date"]
