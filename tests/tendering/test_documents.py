"""The tender specification summary and the award report: their content, who may have them, the PDF."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.models import Contract
from core.errors import NotAllowed, NotFound
from core.formatting import money
from documents import registry, rendering
from documents.services import document_request
from tendering import services as tender_services
from tendering.documents import award_report_context, tender_specification_context

from .helpers import create_tender
from .test_lifecycle import run_to_evaluated


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def awarded(ready_round, clock, suppliers):
    clock.set(timezone.now())
    tender, (a, _b, c) = run_to_evaluated(ready_round, clock, suppliers)
    tender_services.tender_award(tender=tender, actor=ready_round.lead_people.procurement,
                          awards=[{"lot": a.lot_id, "bid": a.pk}, {"lot": c.lot_id, "bid": c.pk}])
    tender.refresh_from_db()
    return tender


def test_both_kinds_are_registered():
    assert {"tender_specification", "award_report"} <= set(registry.kinds())


def test_the_specification_summary(ready_round):
    create_tender(ready_round, procedure="open")
    context = tender_specification_context(ready_round.initiative, "nl")
    assert context["procedure"]["label"] == "openbare procedure"
    assert "art. 36" in context["procedure"]["legal_basis"]
    assert context["procedure"]["estimated_value"] == "71.490,00 €"
    assert [(c["name"], c["weight"]) for c in context["criteria"]] == [("Price", 60), ("Quality", 30), ("Service", 10)]
    assert [b["name"] for b in context["beneficiaries"]] == ["Laarne", "Wetteren"]
    assert context["beneficiaries"][1]["lines"][0] == {"lot": 1, "item": "Laptop 14 inch", "quantity": "40",
                                                       "maximum": "40"}
    assert context["lots"][0]["items"][0]["quantity"] == "65"
    html = rendering.render_html("pdf/nl/tender_specification.html", context, language="nl")
    assert "Begunstigde besturen" in html and "Wetteren" in html and "art. 47" in html
    html = rendering.render_html("pdf/en/tender_specification.html",
                                 tender_specification_context(ready_round.initiative, "en"), language="en")
    assert "Award criteria" in html and "open procedure" in html


def test_the_award_report_agrees_with_the_contracts(awarded, ready_round, clock):
    context = award_report_context(ready_round.initiative, "en")
    lot1 = context["lots"][0]
    assert (lot1["winner"], lot1["total"]) == ("Bechtle", "63.750,00 €")
    assert [b["rank"] for b in lot1["bids"]] == [1, 2]
    assert lot1["bids"][0]["scores"] == ["57,88", "25,00", "8,00"]  # Belgian decimal commas (issue 14)
    assert context["standstill_days"] == 15 and context["standstill_ends"]
    results = {r["name"]: r["awarded"] for r in context["results"]}
    clock.set(awarded.standstill_ends)
    tender_services.tender_conclude(tender=awarded, actor=ready_round.lead_people.procurement)
    totals = {}
    for contract in Contract.objects.filter(tender=awarded).select_related("organisation"):
        totals[contract.organisation.name] = totals.get(contract.organisation.name, Decimal(0)) + contract.value
    assert results == {name: money(value) for name, value in totals.items()}
    html = rendering.render_html("pdf/nl/award_report.html", award_report_context(ready_round.initiative, "nl"),
                                 language="nl")
    assert "Gegund aan:" in html and "Wachttermijn van 15 kalenderdagen" in html


def test_who_may_have_the_award_report(awarded, ready_round, clock):
    for user in (ready_round.lead_people.procurement, ready_round.wetteren_people.alderman):
        assert document_request(kind="award_report", subject_id=ready_round.initiative.pk, actor=user)
    with pytest.raises(NotAllowed):  # sees the initiative, neither runs the tender nor takes part
        document_request(kind="award_report", subject_id=ready_round.initiative.pk, actor=ready_round.lead_people.ict)
    with pytest.raises(NotFound):
        document_request(kind="award_report", subject_id=ready_round.initiative.pk,
                         actor=ready_round.outsider_people.procurement)


def test_no_award_report_before_the_evaluation(ready_round):
    create_tender(ready_round)
    with pytest.raises(NotAllowed):
        document_request(kind="award_report", subject_id=ready_round.initiative.pk,
                         actor=ready_round.lead_people.procurement)


def test_the_pdfs_render(awarded, ready_round):
    for kind, build in (("tender_specification", tender_specification_context), ("award_report", award_report_context)):
        for language in ("nl", "en"):
            pdf = rendering.render_pdf(f"pdf/{language}/{kind}.html", build(ready_round.initiative, language),
                                       language=language)
            assert pdf.content.startswith(b"%PDF") and pdf.page_count >= 1
            assert pdf.refused == []


def test_the_standstill_end_is_written_in_brussels_time(awarded, ready_round):
    ends = timezone.localtime(awarded.standstill_ends)
    assert f"{ends:%H:%M}" in award_report_context(ready_round.initiative, "nl")["standstill_ends"]
    assert awarded.standstill_ends - awarded.awarded_at in (timedelta(days=15), timedelta(days=15, hours=1),
                                                            timedelta(days=15, hours=-1))
