"""A value that the reference data flags as unconfirmed (Lochristi's enterprise number after its merger) is
shown as such wherever it is printed: the API, the documents and OCDS."""

from datetime import date

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from procurement import documents
from procurement.demo.people import load_reference_data
from procurement.models import Organisation
from tendering import documents as tender_documents
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def lochristi(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_reference_data(password="demo")
    return Organisation.objects.get(name="Lochristi")


def test_the_demo_takes_the_flag_from_the_reference_data(lochristi):
    assert (lochristi.enterprise_number, lochristi.enterprise_number_confirmed) == ("0207.452.514", False)
    assert "not confirmed" in lochristi.reference_note
    assert Organisation.objects.get(name="Wetteren").enterprise_number_confirmed
    assert Organisation.objects.filter(enterprise_number_confirmed=False).count() == 2  # Lochristi and its OCMW


def test_the_printed_number_says_it_is_not_confirmed_in_each_language(lochristi):
    with translation.override("nl"):
        assert lochristi.printed_enterprise_number == "0207.452.514 (niet bevestigd)"
    with translation.override("en"):
        assert lochristi.printed_enterprise_number == "0207.452.514 (not confirmed)"
    assert Organisation.objects.get(name="Wetteren").printed_enterprise_number == "0207.447.366"


def test_the_api_gives_the_flag_and_the_note(lochristi):
    api = APIClient()
    api.force_authenticate(f.UserFactory())
    rows = {r["name"]: r for r in api.get("/api/organisations/", {"search": "Lochristi"}).json()["results"]}
    assert rows["Lochristi"]["enterprise_number"] == "0207.452.514"
    assert rows["Lochristi"]["enterprise_number_confirmed"] is False
    assert "not confirmed" in rows["Lochristi"]["reference_note"]


def test_the_documents_print_it_as_unconfirmed(lochristi):
    initiative = f.InitiativeFactory(lead_organisation=lochristi, planned_procedure_start=date(2027, 3, 1))
    participation = f.ParticipationFactory(initiative=initiative, organisation=lochristi)
    with translation.override("nl"):
        decision = documents.participation_decision_context(participation, "nl")
        assert decision["organisation"]["enterprise_number"] == "0207.452.514 (niet bevestigd)"
        assert decision["lead"]["enterprise_number"] == "0207.452.514 (niet bevestigd)"
        spec = tender_documents.tender_specification_context(initiative, "nl")
        assert spec["lead"]["enterprise_number"] == "0207.452.514 (niet bevestigd)"


def test_ocds_publishes_that_the_identifier_is_not_confirmed(lochristi):
    from opendata.ocds_parts import Parties

    parties = Parties()
    parties.add(lochristi, "buyer")
    parties.add(Organisation.objects.get(name="Wetteren"), "buyer")
    by_name = {p["name"]: p for p in parties.as_list()}
    assert by_name["Lochristi"]["details"]["identifierConfirmed"] is False
    assert "not confirmed" in by_name["Lochristi"]["details"]["identifierNote"]
    assert "details" not in by_name["Wetteren"]
