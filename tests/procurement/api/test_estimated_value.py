"""One estimated value (``selectors.estimated_value``) in the API, the page, the sheet, the documents and
OCDS; a figure that is only the demand carries its own label."""

from decimal import Decimal

import pytest
from django.urls import reverse

from procurement import documents, selectors
from procurement.models import Initiative
from tests.procurement.sheets.helpers import labelled, money, workbook

pytestmark = pytest.mark.django_db

ESTIMATE_LABEL = "Estimated value excl. VAT (art. 7 KB plaatsing: all participants, renewals included)"


@pytest.fixture
def renewed(round_, submitted):
    """The laptop round renewable three times: 38 520,00 € of demand over the term (a negotiated procedure
    without publication on its own), 154 080,00 € in all (a Belgian publication)."""
    Initiative.objects.filter(pk=round_.initiative.pk).update(renewals=3)
    round_.initiative.refresh_from_db()
    return round_.initiative


def test_the_api_gives_the_estimated_value_and_what_it_is_made_of(renewed, client_as):
    body = client_as("lead.procurement").get(f"/api/initiatives/{renewed.pk}/").json()
    assert body["pooled_value"] == "154080.00"
    assert body["estimated_value"] == {"demand": "38520.00", "renewals": 3, "renewals_value": "115560.00",
                                       "total": "154080.00"}
    assert (body["procedure_advice"]["procedure"], body["procedure_advice"]["publication"]) == ("open", "belgian")
    assert "renewal" in " ".join(body["procedure_advice"]["reasons"])


def test_the_page_shows_the_estimated_value_and_labels_the_demand(renewed, round_, client):
    client.force_login(round_.lead_people.procurement)
    html = client.get(reverse("initiative-detail", args=[renewed.pk])).content.decode()
    assert 'id="pooled-value">154.080,00 €' in html
    assert 'id="demand-value">38.520,00 €' in html
    assert "demand over the initial term excl. VAT" in html


def test_sheet_documents_and_ocds_carry_the_same_estimated_value(renewed, round_, client_as):
    assert selectors.estimated_value(renewed).total == Decimal("154080.00")
    sheet = client_as("lead.procurement").get(f"/api/initiatives/{renewed.pk}/demand-sheet.xlsx")
    overview = workbook(sheet.content)["Overview"]
    assert money(labelled(overview, ESTIMATE_LABEL)) == Decimal("154080.00")
    assert money(labelled(overview, "Demand shown excl. VAT")) == Decimal("38520.00")
    assert documents.demand_summary_context(renewed, "nl")["estimated_value"] == "154.080,00 €"
    decision = documents.participation_decision_context(renewed.participations.get(), "nl")
    assert decision["pooled_value"] == "154.080,00 €"
    release = client_as("lead.procurement").get(f"/api/initiatives/{renewed.pk}/ocds/").json()["releases"][0]
    assert release["planning"]["budget"]["amount"] == {"amount": 154080.0, "currency": "EUR"}
    assert release["tender"]["value"] == {"amount": 154080.0, "currency": "EUR"}
