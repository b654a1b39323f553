"""The call-off order form and the cost-sharing agreement: rendered to PDF through the documents API, parsed
back with pypdf and checked against the database; who may have them."""

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from contracts import costs, services
from contracts.documents import call_off_order_context, cost_sharing_context
from contracts.models import CallOff, SharedHire
from core.formatting import money
from documents import registry, rendering

from .helpers import framework_agreement, shared_hire


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(client, user, kind: str, subject_id: int, capture, language: str = "nl") -> str:
    client.force_login(user)
    with capture(execute=True):
        response = client.post("/api/documents/", {"kind": kind, "subject_id": subject_id, "language": language},
                               content_type="application/json")
    assert response.status_code == 202, response.content
    document = client.get(f"/api/documents/{response.json()['id']}/").json()
    assert document["status"] == "ready", document
    download = client.get(f"/api/documents/{document['id']}/download/")
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_both_kinds_are_registered():
    assert {"call_off_order", "cost_sharing_agreement"} <= set(registry.kinds())


def test_the_call_off_order_form(client, fixed_round, clock, django_capture_on_commit_callbacks):
    r = fixed_round
    agreement = framework_agreement(r, clock)
    ict = r.wetteren_people.ict
    call_off = services.call_off_create(contract=agreement, actor=ict, organisation=r.wetteren,
                                        delivery_address="Stadhuis, Markt 1, 9230 Wetteren",
                                        lines=[{"item": r.laptop.pk, "quantity": "3"}, {"item": r.dock.pk, "quantity": "2"}])
    client.force_login(ict)
    draft = client.post("/api/documents/", {"kind": "call_off_order", "subject_id": call_off.pk},
                        content_type="application/json")
    assert draft.status_code == 403  # the order form exists once the call-off is ordered
    services.call_off_order(call_off=call_off, actor=ict, delivery_date=date(2027, 1, 20))
    call_off = CallOff.objects.get(pk=call_off.pk)
    text = pdf_text(client, ict, "call_off_order", call_off.pk, django_capture_on_commit_callbacks)
    assert f"Bestelbon afroeping nr. {call_off.number}" in text
    assert f"referentie {agreement.reference}" in text and "bekendmaking BE-2026-1" in text
    assert "perceel 1: Laptops en docking" in text
    assert "Wetteren (ondernemingsnummer 0207.447.366)" in text and "Bechtle" in text
    assert "Stadhuis, Markt 1, 9230 Wetteren" in text and "20 januari 2027" in text and "18 december 2026" in text
    for line in call_off.lines.all():
        assert f"{line.item.name} stuk {int(line.quantity)} {money(line.unit_price)} {money(line.amount)}" in text
    assert f"Totaal {money(call_off.total)}" in text
    assert (f"Maximum van Wetteren {money(D('9750.00'))} {money(call_off.participant_remaining_before)} "
            f"{money(call_off.participant_remaining_after)}") in text
    assert (f"Globaal maximum van de raamovereenkomst {money(agreement.ceiling)} "
            f"{money(call_off.overall_remaining_before)} {money(call_off.overall_remaining_after)}") in text
    assert "Laptop 14 inch 10 7" in text and "Docking station USB-C 5 3" in text  # remaining quantities
    english = pdf_text(client, ict, "call_off_order", call_off.pk, django_capture_on_commit_callbacks, "en")
    assert f"Call-off order form no. {call_off.number}" in english and "Remaining before this order" in english
    # Another organisation cannot have it; the lead's procurement officers can.
    client.force_login(r.laarne_people.ict)
    assert client.post("/api/documents/", {"kind": "call_off_order", "subject_id": call_off.pk},
                       content_type="application/json").status_code == 404
    context = call_off_order_context(call_off, "nl")
    assert context["ceiling"]["participant_maximum"] == "9.750,00 €"
    client.force_login(r.lead_people.procurement)
    assert client.post("/api/documents/", {"kind": "call_off_order", "subject_id": call_off.pk},
                       content_type="application/json").status_code == 202



def test_the_cost_sharing_agreement(client, fixed_round, clock, django_capture_on_commit_callbacks):
    r = fixed_round
    contract = shared_hire(r, clock, {"wetteren": "0.5", "laarne": "0.3", "lead": "0.2"}, start=date(2027, 1, 1))
    officer = r.lead_people.procurement
    services.cost_model_update(contract=contract, actor=officer, operating_costs="5000.00", overhead_percentage="7.5",
                               subsidies="12000.00", indexation_percentage="2", notice_months=6)
    services.allocation_key_add(contract=contract, actor=officer, valid_from=date(2027, 7, 1), basis="percentage",
                                reason="Laarne leaves", shares=[{"organisation": r.wetteren.pk, "value": "60"},
                                                                {"organisation": r.lead.pk, "value": "40"}])
    hire = SharedHire.objects.get(contract=contract)
    text = pdf_text(client, r.wetteren_people.alderman, "cost_sharing_agreement", contract.pk,
                    django_capture_on_commit_callbacks)
    assert "Overeenkomst kostendeling gedeelde medewerker" in text
    assert "Destelbergen (ondernemingsnummer 0207.450.633), hierna „de werkgever”" in text
    assert "GIS-coördinator, 1 VTE, ingevuld door An Peeters" in text and "1 januari 2027" in text
    assert "Versie 1, vanaf 1 januari 2027 tot en met 30 juni 2027" in text
    assert "Laarne 0,3 30 %" in text and "Wetteren 0,5 50 %" in text
    assert "Versie 2, vanaf 1 juli 2027" in text and "Laarne leaves" in text and "Wetteren 60 60 %" in text
    base = costs.to_cents(costs.annual_cost(hire, 2027))
    assert base == D("100875.00")  # (100 000 + 5 000) × 1,075 − 12 000
    assert f"Te verdelen jaarkost 2027 {money(base)}" in text
    assert f"Jaarlijkse loonkost, inclusief werkgeversbijdragen {money(hire.annual_salary_cost)}" in text
    assert "geïndexeerd met 2 %" in text and "opzegtermijn van 6 maanden" in text
    assert "per kwartaal" in text and "stuurgroep" in text
    english = pdf_text(client, officer, "cost_sharing_agreement", contract.pk, django_capture_on_commit_callbacks, "en")
    assert "Cost-sharing agreement for a shared employee" in english and "notice period of 6 months" in english
    client.force_login(r.outsider_people.procurement)
    assert client.post("/api/documents/", {"kind": "cost_sharing_agreement", "subject_id": contract.pk},
                       content_type="application/json").status_code == 404


def test_the_contexts_render_without_a_key(fixed_round, clock):
    contract = shared_hire(fixed_round, clock, {"wetteren": "1"}, start=date(2027, 1, 1))
    context = cost_sharing_context(contract, "en")
    assert context["participants"] == [{"name": "Wetteren", "enterprise_number": "0207.447.366", "address": ""}]
    html = rendering.render_html("pdf/en/cost_sharing_agreement.html", context, language="en")
    assert "Version 1, from 1 January 2027" in html
