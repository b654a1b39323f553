"""A framework agreement runs at most four years, renewals included, unless the initiative records why this
exceptional case needs longer (art. 43 §1 Wet 17 juni 2016): refused in the services (so in the API and the
form), warned about in the advice, shown in the documents."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import InvalidInput
from procurement import documents, selectors, services
from procurement.models import Initiative, InitiativeKind, InitiativeState
from tendering import documents as tender_documents

pytestmark = pytest.mark.django_db

TOO_LONG = ("A framework agreement runs at most 48 months, renewals included (art. 43 §1 Wet 17 juni 2016); "
            "{term} months with {renewals} renewal(s) is {total} months. Shorten the term or the renewals, or "
            "record why this exceptional case needs a longer term (justification for a framework term beyond "
            "four years).")
REASON = "Leasing of the data centre's storage: the hardware is written off over six years."


def create(round_, **fields):
    now = timezone.now()
    return services.initiative_create(
        actor=round_.wetteren_people.procurement, kind=InitiativeKind.FRAMEWORK_CONTRACT, title="Printers",
        lead_organisation=round_.wetteren, legal_basis="central_purchasing_body", circles=[round_.circle],
        demand_deadline=now + timedelta(days=20), decision_deadline=now + timedelta(days=60), **fields)


# (term in months, renewals, allowed without a justification)
TERMS = [(48, 0, True), (24, 1, True), (12, 3, True), (16, 2, True), (49, 0, False), (25, 1, False),
         (48, 1, False), (12, 4, False), (36, 1, False)]


@pytest.mark.parametrize(("term", "renewals", "allowed"), TERMS)
def test_the_term_with_renewals_is_at_most_four_years(round_, term, renewals, allowed):
    before = Initiative.objects.count()
    if allowed:
        assert create(round_, framework_term_months=term, renewals=renewals).state == InitiativeState.DRAFT
        return
    with pytest.raises(InvalidInput) as refused:
        create(round_, framework_term_months=term, renewals=renewals)
    assert refused.value.errors == {"framework_term_months": [TOO_LONG.format(
        term=term, renewals=renewals, total=term * (renewals + 1))]}
    assert Initiative.objects.count() == before


def test_a_recorded_justification_allows_a_longer_term_with_a_warning(round_):
    initiative = create(round_, framework_term_months=36, renewals=1, term_exception_reason=REASON)
    warnings = selectors.advice_for(initiative).warnings
    assert any("72 months" in w and REASON in w and "art. 43 §1" in w for w in warnings)
    assert documents.demand_summary_context(initiative, "nl")["initiative"]["term_exception_reason"] == REASON
    assert tender_documents.tender_specification_context(initiative, "nl")["initiative"][
        "term_exception_reason"] == REASON


def test_within_four_years_the_advice_does_not_warn_about_the_term(round_):
    initiative = create(round_, framework_term_months=24, renewals=1)
    assert not [w for w in selectors.advice_for(initiative).warnings if "art. 43" in w]


def test_a_change_of_renewals_beyond_four_years_is_refused_and_changes_nothing(round_):
    initiative = create(round_, framework_term_months=24, renewals=1)
    with pytest.raises(InvalidInput) as refused:
        services.initiative_update(initiative=initiative, actor=round_.wetteren_people.procurement, renewals=2)
    assert refused.value.errors["framework_term_months"] == [TOO_LONG.format(term=24, renewals=2, total=72)]
    initiative.refresh_from_db()
    assert initiative.renewals == 1


def test_the_api_refuses_with_the_field_and_the_article(round_, client_as):
    from tests.procurement.api.test_initiatives import new_initiative

    body = new_initiative(round_, kind="framework_contract", framework_term_months=48, renewals=1)
    answer = client_as("wetteren.procurement").post("/api/initiatives/", body, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"framework_term_months": [TOO_LONG.format(term=48, renewals=1, total=96)]}
    body["term_exception_reason"] = REASON
    answer = client_as("wetteren.procurement").post("/api/initiatives/", body, format="json")
    assert answer.status_code == 201 and answer.json()["term_exception_reason"] == REASON


def test_the_form_refuses_and_shows_the_message(round_, client):
    client.force_login(round_.wetteren_people.procurement)
    now = timezone.localtime()
    data = {"kind": "framework_contract", "title": "Printers", "lead_organisation": round_.wetteren.pk,
            "legal_basis": "central_purchasing_body", "circles": [round_.circle.pk],
            "demand_deadline": (now + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
            "decision_deadline": (now + timedelta(days=60)).strftime("%Y-%m-%dT%H:%M"),
            "framework_term_months": "48", "renewals": "1",
            "lots-TOTAL_FORMS": "0", "lots-INITIAL_FORMS": "0", "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"}
    before = Initiative.objects.count()
    answer = client.post(reverse("initiative-create"), data)
    assert answer.status_code == 400
    assert "art. 43 §1 Wet 17 juni 2016" in answer.content.decode()
    assert Initiative.objects.count() == before
