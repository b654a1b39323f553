"""Every page, for every role: what it shows, what it refuses, and that a refused request changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from procurement import selectors, services
from procurement.models import Initiative, InitiativeState, Participation, ParticipationState
from tests import factories as f
from tests.conftest import move
from workflows import flows


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def joined(round_):
    """Wetteren takes part with a draft: 10 laptops."""
    ict = round_.wetteren_people.ict
    p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
    services.demand_set(participation=p, actor=ict, lines=[{"item": round_.laptop.pk, "quantity": "10"}])
    return p


@pytest.fixture
def submitted(round_, joined, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.participation_submit(participation=joined, actor=round_.wetteren_people.ict)


# --- sign-in ---

@pytest.mark.parametrize("name", ["dashboard", "initiative-list", "initiative-create", "idea-propose",
                                  "workflows:inbox", "password_change"])
def test_every_page_requires_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_object_pages_require_sign_in(client, round_, joined):
    for url in (reverse("initiative-detail", args=[round_.initiative.pk]),
                reverse("participation-detail", args=[joined.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_sign_in_and_out(client, round_):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content
    response = client.post(reverse("login"), {"username": "ict.wetteren", "password": "demo"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_sign_in_is_throttled_after_repeated_failures(client, round_, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    from django.core.cache import cache

    cache.clear()
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "ict.wetteren", "password": "wrong"})
        assert response.status_code == 200
        assert b"not right" in response.content
    response = client.post(reverse("login"), {"username": "ict.wetteren", "password": "demo"})
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_password_reset_sends_a_mail(client, round_, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": round_.wetteren_people.ict.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/" in mailoutbox[0].body
    assert mailoutbox[0].alternatives


def test_password_change(client, round_):
    login(client, round_.wetteren_people.ict)
    response = client.post(reverse("password_change"), {
        "old_password": "demo", "new_password1": "Schelde-2027-laptops", "new_password2": "Schelde-2027-laptops"})
    assert response.status_code == 302
    round_.wetteren_people.ict.refresh_from_db()
    assert round_.wetteren_people.ict.check_password("Schelde-2027-laptops")


# --- dashboard ---

def test_dashboard_ict_shows_open_round_and_todo(client, round_, joined):
    login(client, round_.wetteren_people.ict)
    response = client.get(reverse("dashboard"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Laptops 2027" in text
    assert "Enter the demand and submit it for approval" in text
    assert "days left" in text
    assert "Alderman: decisions awaiting you" not in text


def test_dashboard_alderman_shows_the_inbox_with_amounts(client, round_, submitted):
    login(client, round_.wetteren_people.alderman)
    text = client.get(reverse("dashboard")).content.decode()
    task = flows.open_decision_task(submitted.pk)
    assert reverse("workflows:task", args=[task.pk]) in text
    assert "9.000,00 €" in text  # 10 × 900 excl. VAT
    assert "10.890,00 €" in text  # incl. 21 % VAT
    assert "Wetteren" in text


def test_dashboard_procurement_shows_value_progress_and_actions(client, round_, submitted):
    login(client, round_.lead_people.procurement)
    text = client.get(reverse("dashboard")).content.decode()
    assert "9.000,00 €" in text
    assert "1 of 3 invited joined" in text
    assert "1 submitted" in text
    assert reverse("initiative-transition", args=[round_.initiative.pk, "close_pooling"]) in text
    assert "accepted invoice" in text


def test_dashboard_without_roles(client, db):
    user = f.UserFactory(username="nobody")
    login(client, user)
    assert b"no role in an organisation" in client.get(reverse("dashboard")).content


# --- initiative page ---

def test_initiative_page_for_the_lead_shows_everything(client, round_, submitted):
    login(client, round_.lead_people.procurement)
    response = client.get(reverse("initiative-detail", args=[round_.initiative.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    for expected in ("Laptops en docking", "Scherm 27 inch", "900,00 €", "Wetteren", "9.000,00 €",
                     "Close pooling", "Cancel the initiative", "Audit trail", "Process chart of the initiative",
                     "Pool demand"):
        assert expected in text, expected
    assert timezone.localtime(round_.initiative.demand_deadline).strftime("%d-%m-%Y %H:%M") in text
    assert "Documents and overviews" not in text or "id=\"documents\"" in text


def test_initiative_page_for_another_organisation_shows_only_its_own(client, round_, submitted):
    login(client, round_.laarne_people.ict)
    text = client.get(reverse("initiative-detail", args=[round_.initiative.pk])).content.decode()
    assert reverse("participation-detail", args=[submitted.pk]) not in text
    assert "Close pooling" not in text
    assert "Join for Laarne" in text  # Laarne is invited and has not joined


def test_initiative_page_of_an_uninvited_organisation_is_404(client, round_):
    login(client, round_.outsider_people.ict)
    assert client.get(reverse("initiative-detail", args=[round_.initiative.pk])).status_code == 404


def test_summary_fragment_for_htmx(client, round_, submitted):
    login(client, round_.lead_people.procurement)
    response = client.get(reverse("initiative-summary", args=[round_.initiative.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"9.000,00" in response.content


# --- transitions ---

def test_close_pooling_asks_then_closes(client, round_, submitted):
    login(client, round_.lead_people.procurement)
    url = reverse("initiative-transition", args=[round_.initiative.pk, "close_pooling"])
    response = client.get(url)
    assert response.status_code == 200 and b"Close demand pooling now?" in response.content
    response = client.post(url)
    assert response.status_code == 302
    assert round_.refresh().state == InitiativeState.DECIDING


def test_a_transition_by_the_wrong_role_is_refused_and_changes_nothing(client, round_):
    login(client, round_.wetteren_people.ict)
    url = reverse("initiative-transition", args=[round_.initiative.pk, "close_pooling"])
    assert client.get(url).status_code == 403
    before = AuditEntry.objects.count()
    response = client.post(url)
    assert response.status_code == 403
    assert b"You are not allowed" in response.content
    assert round_.refresh().state == InitiativeState.POOLING
    assert AuditEntry.objects.count() == before


def test_a_refused_transition_shows_the_guard_message(client, round_):
    login(client, round_.lead_people.procurement)
    url = reverse("initiative-transition", args=[round_.initiative.pk, "confirm_participants"])
    response = client.post(url)
    assert response.status_code == 409
    assert b"not possible while the initiative is pooling demand" in response.content
    assert round_.refresh().state == InitiativeState.POOLING


def test_cancel_needs_a_reason(client, round_):
    login(client, round_.lead_people.procurement)
    url = reverse("initiative-transition", args=[round_.initiative.pk, "cancel"])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert round_.refresh().state == InitiativeState.POOLING
    response = client.post(url, {"reason": "Het budget is geschrapt."})
    assert response.status_code == 302
    assert round_.refresh().state == InitiativeState.CANCELLED


def test_unknown_transition_is_404(client, round_):
    login(client, round_.lead_people.procurement)
    assert client.get(reverse("initiative-transition", args=[round_.initiative.pk, "explode"])).status_code == 404


# --- join and demand ---

def test_ict_joins_and_lands_on_the_demand_grid(client, round_):
    login(client, round_.laarne_people.ict)
    response = client.post(reverse("initiative-join", args=[round_.initiative.pk]),
                           {"organisation": round_.laarne.pk})
    participation = Participation.objects.get(initiative=round_.initiative, organisation=round_.laarne)
    assert response.status_code == 302
    assert response["Location"] == reverse("participation-detail", args=[participation.pk])


def test_alderman_cannot_join(client, round_):
    login(client, round_.laarne_people.alderman)
    response = client.post(reverse("initiative-join", args=[round_.initiative.pk]),
                           {"organisation": round_.laarne.pk})
    assert response.status_code == 302
    assert not Participation.objects.filter(organisation=round_.laarne).exists()


def test_demand_grid_shows_lots_items_and_totals(client, round_, joined):
    login(client, round_.wetteren_people.ict)
    response = client.get(reverse("participation-detail", args=[joined.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert f'name="quantity_{round_.laptop.pk}"' in text
    assert "Subtotal lot 1" in text and "Subtotal lot 2" in text
    assert "9.000,00 €" in text and "10.890,00 €" in text
    assert "js/demand.js" in text
    assert f'for="id_quantity_{round_.laptop.pk}"' in text  # every input has a label


def test_the_grid_totals_are_the_exact_values_of_the_api_pdf_and_sheet(client, round_, joined):
    """Two lines of 2,5 × 10,01 € are 50,05 € together: each line is 25,025 €, and the total is rounded once
    (rounding every line first would say 50,06 €, as the grid did before)."""
    cable = f.ItemFactory(lot=round_.laptop.lot, name="Kabel", estimated_unit_price=Decimal("10.01"), vat_rate=21)
    adapter = f.ItemFactory(lot=round_.laptop.lot, name="Adapter", estimated_unit_price=Decimal("10.01"), vat_rate=21)
    services.demand_set(participation=joined, actor=round_.wetteren_people.ict,
                        lines=[{"item": cable.pk, "quantity": "2.5"}, {"item": adapter.pk, "quantity": "2.5"}])
    login(client, round_.wetteren_people.ict)
    text = client.get(reverse("participation-detail", args=[joined.pk])).content.decode()
    assert selectors.participation_subtotal(joined) == Decimal("50.05")
    assert "50,05 €" in text and "50,06 €" not in text
    assert "60,56 €" in text  # incl. VAT: 50,05 × 1,21 = 60,5605, rounded once


def test_save_draft_and_submit(client, round_, joined):
    login(client, round_.wetteren_people.ict)
    url = reverse("participation-detail", args=[joined.pk])
    response = client.post(url, {f"quantity_{round_.laptop.pk}": "12", f"quantity_{round_.monitor.pk}": "2,5",
                                 "action": "save"})
    assert response.status_code == 302
    quantities = dict(joined.lines.values_list("item_id", "quantity"))
    assert quantities == {round_.laptop.pk: Decimal("12.00"), round_.monitor.pk: Decimal("2.50")}
    response = client.post(url, {f"quantity_{round_.laptop.pk}": "12", "action": "submit"})
    assert response.status_code == 302
    joined.refresh_from_db()
    assert joined.state == ParticipationState.SUBMITTED


def test_invalid_quantity_shows_on_the_field_and_saves_nothing(client, round_, joined):
    login(client, round_.wetteren_people.ict)
    url = reverse("participation-detail", args=[joined.pk])
    response = client.post(url, {f"quantity_{round_.laptop.pk}": "veel", "action": "save"})
    assert response.status_code == 400
    assert b"Enter a number" in response.content
    response = client.post(url, {f"quantity_{round_.laptop.pk}": "-3", "action": "save"})
    assert response.status_code == 400
    assert b"Enter zero or more." in response.content
    assert joined.lines.get().quantity == Decimal("10.00")


def test_a_refused_submission_keeps_nothing(client, round_, joined):
    """Submitting all zeroes is refused by the guard; the zeroes are not saved either."""
    login(client, round_.wetteren_people.ict)
    url = reverse("participation-detail", args=[joined.pk])
    response = client.post(url, {f"quantity_{round_.laptop.pk}": "0", "action": "submit"})
    assert response.status_code == 409
    assert b"Enter a quantity above zero" in response.content
    joined.refresh_from_db()
    assert joined.state == ParticipationState.DRAFT
    assert joined.lines.get().quantity == Decimal("10.00")


def test_after_the_deadline_the_grid_is_read_only_and_says_why(client, round_, joined):
    Initiative.objects.filter(pk=round_.initiative.pk).update(demand_deadline=timezone.now() - timedelta(hours=1))
    login(client, round_.wetteren_people.ict)
    url = reverse("participation-detail", args=[joined.pk])
    text = client.get(url).content.decode()
    assert "has passed." in text  # the refusal of the service itself (services.demand_refusal)
    assert "disabled" in text
    assert 'value="submit"' not in text
    response = client.post(url, {f"quantity_{round_.laptop.pk}": "50", "action": "save"})
    assert response.status_code == 409
    assert joined.lines.get().quantity == Decimal("10.00")


def test_reopen_while_allowed(client, round_, submitted, django_capture_on_commit_callbacks):
    login(client, round_.wetteren_people.ict)
    text = client.get(reverse("participation-detail", args=[submitted.pk])).content.decode()
    assert "Reopen to change the demand" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participation-reopen", args=[submitted.pk]))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ParticipationState.DRAFT
    assert flows.open_decision_task(submitted.pk) is None


def test_another_organisations_participation_is_404(client, round_, joined):
    login(client, round_.laarne_people.ict)
    for name in ("participation-detail", "participation-withdraw"):
        assert client.get(reverse(name, args=[joined.pk])).status_code == 404
    assert client.post(reverse("participation-reopen", args=[joined.pk])).status_code == 404
    assert client.post(reverse("participation-detail", args=[joined.pk]),
                       {f"quantity_{round_.laptop.pk}": "99", "action": "save"}).status_code == 404
    assert joined.lines.get().quantity == Decimal("10.00")


def test_the_lead_sees_but_cannot_edit_a_participation(client, round_, joined):
    login(client, round_.lead_people.procurement)
    response = client.get(reverse("participation-detail", args=[joined.pk]))
    assert response.status_code == 200
    assert b"Only ICT staff of Wetteren can enter its demand." in response.content
    response = client.post(reverse("participation-detail", args=[joined.pk]),
                           {f"quantity_{round_.laptop.pk}": "99", "action": "save"})
    assert response.status_code == 403
    assert joined.lines.get().quantity == Decimal("10.00")


def test_withdraw_with_confirmation(client, round_, joined):
    login(client, round_.wetteren_people.ict)
    url = reverse("participation-withdraw", args=[joined.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Geen budget"}).status_code == 302
    joined.refresh_from_db()
    assert joined.state == ParticipationState.WITHDRAWN


# --- decisions ---

def test_alderman_approves_in_the_task(client, round_, submitted):
    alderman = round_.wetteren_people.alderman
    task = flows.open_decision_task(submitted.pk)
    login(client, alderman)
    url = reverse("workflows:task", args=[task.pk])
    text = client.get(url).content.decode()
    assert "9.000,00 €" in text and "10.890,00 €" in text and "100,0 %" in text
    response = client.post(url, {"decision": "approve", "deciding_body": "college",
                                 "decision_date": date.today().isoformat(), "decision_reference": "CBS/2026/117"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ParticipationState.APPROVED
    assert submitted.decision_reference == "CBS/2026/117"
    task.refresh_from_db()
    assert task.status == "DONE" and task.owner == alderman


def test_decline_needs_a_reason(client, round_, submitted):
    task = flows.open_decision_task(submitted.pk)
    login(client, round_.wetteren_people.alderman)
    url = reverse("workflows:task", args=[task.pk])
    data = {"decision": "decline", "deciding_body": "college", "decision_date": date.today().isoformat(),
            "decision_reference": "CBS/2026/118"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert b"Give the reason for declining." in response.content
    response = client.post(url, {**data, "reason": "Geen budget in 2027"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ParticipationState.DECLINED


def test_a_refused_decision_changes_neither_participation_nor_task(client, round_, submitted):
    """A decision date in the future is refused by the service; the task stays open and unassigned."""
    task = flows.open_decision_task(submitted.pk)
    login(client, round_.wetteren_people.alderman)
    response = client.post(reverse("workflows:task", args=[task.pk]), {
        "decision": "approve", "deciding_body": "college",
        "decision_date": (date.today() + timedelta(days=3)).isoformat(), "decision_reference": "CBS/1"})
    assert response.status_code == 400
    assert b"cannot lie in the future" in response.content
    submitted.refresh_from_db()
    task.refresh_from_db()
    assert submitted.state == ParticipationState.SUBMITTED
    assert task.status == "NEW" and task.owner is None


def test_decision_after_the_deadline_shows_the_message(client, round_, submitted):
    task = flows.open_decision_task(submitted.pk)
    Initiative.objects.filter(pk=round_.initiative.pk).update(decision_deadline=timezone.now() - timedelta(hours=1))
    login(client, round_.wetteren_people.alderman)
    response = client.post(reverse("workflows:task", args=[task.pk]), {
        "decision": "approve", "deciding_body": "college", "decision_date": date.today().isoformat(),
        "decision_reference": "CBS/1"})
    assert response.status_code == 409
    assert b"The decision deadline of" in response.content
    submitted.refresh_from_db()
    assert submitted.state == ParticipationState.SUBMITTED


def test_another_organisations_task_is_404(client, round_, submitted):
    task = flows.open_decision_task(submitted.pk)
    login(client, round_.laarne_people.alderman)
    assert client.get(reverse("workflows:task", args=[task.pk])).status_code == 404
    assert client.post(reverse("workflows:task-assign", args=[task.pk])).status_code == 404
    assert client.get(reverse("workflows:decide", args=[submitted.pk])).status_code == 404


def test_ict_of_the_organisation_sees_the_task_but_cannot_decide(client, round_, submitted):
    task = flows.open_decision_task(submitted.pk)
    login(client, round_.wetteren_people.ict)
    response = client.get(reverse("workflows:task", args=[task.pk]))
    assert response.status_code == 200
    assert b"Only aldermen of Wetteren can record this decision." in response.content
    response = client.post(reverse("workflows:task", args=[task.pk]), {
        "decision": "approve", "deciding_body": "college", "decision_date": date.today().isoformat(),
        "decision_reference": "CBS/1"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == ParticipationState.SUBMITTED


def test_assign_and_hand_back(client, round_, submitted):
    task = flows.open_decision_task(submitted.pk)
    alderman = round_.wetteren_people.alderman
    login(client, alderman)
    assert client.post(reverse("workflows:task-assign", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.status == "ASSIGNED" and task.owner == alderman
    assert client.post(reverse("workflows:task-unassign", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.status == "NEW" and task.owner is None


def test_inbox_page_and_htmx_fragment(client, round_, submitted):
    login(client, round_.wetteren_people.alderman)
    response = client.get(reverse("workflows:inbox"))
    assert response.status_code == 200 and b"Laptops 2027" in response.content
    response = client.get(reverse("workflows:inbox"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"Laptops 2027" in response.content


def test_decide_link_leads_to_the_open_task(client, round_, submitted):
    login(client, round_.wetteren_people.alderman)
    response = client.get(reverse("workflows:decide", args=[submitted.pk]))
    task = flows.open_decision_task(submitted.pk)
    assert response.status_code == 302 and response["Location"] == reverse("workflows:task", args=[task.pk])


def test_process_page(client, round_, submitted):
    login(client, round_.lead_people.procurement)
    response = client.get(reverse("workflows:initiative-process", args=[round_.initiative.pk]))
    assert response.status_code == 200
    assert b"<svg" in response.content and b"Pool demand" in response.content


# --- create and edit ---

def _initiative_post(round_, **extra):
    data = {
        "kind": "joint_purchase", "title": "Smartphones 2027", "description": "Toestellen voor de buitendienst",
        "lead_organisation": round_.lead.pk, "legal_basis": "central_purchasing_body",
        "circles": [round_.circle.pk],
        "demand_deadline": (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "decision_deadline": (timezone.localtime() + timedelta(days=50)).strftime("%Y-%m-%dT%H:%M"),
        "planned_procedure_start": "", "framework_term_months": "", "renewals": "0",
        "lots-TOTAL_FORMS": "1", "lots-INITIAL_FORMS": "0", "lots-MIN_NUM_FORMS": "0", "lots-MAX_NUM_FORMS": "1000",
        "lots-0-number": "1", "lots-0-title": "Toestellen",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-lot_number": "1", "items-0-name": "Smartphone", "items-0-unit": "piece",
        "items-0-estimated_unit_price": "449,95", "items-0-vat_rate": "21",
    }
    data.update(extra)
    return data


def test_create_an_initiative_with_lots_and_items(client, round_):
    login(client, round_.lead_people.procurement)
    assert client.get(reverse("initiative-create")).status_code == 200
    response = client.post(reverse("initiative-create"), _initiative_post(round_))
    initiative = Initiative.objects.get(title="Smartphones 2027")
    assert response.status_code == 302
    assert initiative.state == InitiativeState.DRAFT
    item = initiative.lots.get().items.get()
    assert item.estimated_unit_price == Decimal("449.95")


def test_create_shows_errors_on_the_fields_and_keeps_nothing(client, round_):
    login(client, round_.lead_people.procurement)
    data = _initiative_post(round_, **{
        "decision_deadline": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
    })
    response = client.post(reverse("initiative-create"), data)
    assert response.status_code == 400
    assert b"The decision deadline must come after the demand deadline." in response.content
    assert not Initiative.objects.filter(title="Smartphones 2027").exists()
    # A wrong row: its message on the row, and the initiative is not kept either.
    data = _initiative_post(round_, **{"items-0-cpv_code": "3021"})
    response = client.post(reverse("initiative-create"), data)
    assert response.status_code == 400
    assert b"A CPV code has eight digits" in response.content
    assert not Initiative.objects.filter(title="Smartphones 2027").exists()


def test_only_procurement_officers_create(client, round_):
    login(client, round_.wetteren_people.ict)
    assert client.get(reverse("initiative-create")).status_code == 403


def test_edit_a_draft(client, round_):
    login(client, round_.lead_people.procurement)
    client.post(reverse("initiative-create"), _initiative_post(round_))
    initiative = Initiative.objects.get(title="Smartphones 2027")
    url = reverse("initiative-edit", args=[initiative.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"Smartphone" in response.content
    lot = initiative.lots.get()
    item = lot.items.get()
    data = _initiative_post(round_, **{
        "title": "Smartphones 2027-2028",
        "lots-INITIAL_FORMS": "1", "lots-0-id": str(lot.pk),
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "1", "items-0-id": str(item.pk),
        "items-0-estimated_unit_price": "399,00",
        "items-1-lot_number": "1", "items-1-name": "Hoesje", "items-1-unit": "piece",
        "items-1-estimated_unit_price": "19", "items-1-vat_rate": "21",
    })
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    initiative.refresh_from_db()
    assert initiative.title == "Smartphones 2027-2028"
    assert sorted(lot.items.values_list("estimated_unit_price", flat=True)) == [Decimal("19.00"), Decimal("399.00")]


def test_edit_by_another_organisation_is_refused(client, round_):
    login(client, round_.laarne_people.procurement)
    assert client.get(reverse("initiative-edit", args=[round_.initiative.pk])).status_code == 403


# --- ideas and interest ---

def test_propose_an_idea_and_register_interest(client, round_):
    login(client, round_.wetteren_people.ict)
    response = client.post(reverse("idea-propose"), {
        "kind": "joint_purchase", "title": "Printers", "description": "", "proposing_organisation": round_.wetteren.pk,
        "circles": [round_.circle.pk]})
    idea = Initiative.objects.get(title="Printers")
    assert response.status_code == 302 and idea.state == InitiativeState.IDEA
    login(client, round_.laarne_people.ict)
    response = client.post(reverse("initiative-interest", args=[idea.pk]),
                           {"organisation": round_.laarne.pk, "estimated_quantity": "12", "note": "vooral A3"})
    assert response.status_code == 302
    assert idea.interests.get().estimated_quantity == Decimal("12.00")


# --- language ---

def test_pages_are_dutch_by_default(client, round_, joined, settings):
    settings.LANGUAGE_CODE = "nl"
    from django.utils import translation

    login(client, round_.wetteren_people.ict)
    with translation.override("nl"):
        text = client.get(reverse("participation-detail", args=[joined.pk]), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'lang="nl"' in text
    assert "Opslaan als ontwerp" in text
    assert "Subtotaal perceel 1" in text


def test_language_switch(client, round_):
    login(client, round_.wetteren_people.ict)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("dashboard")})
    assert response.status_code == 302
    response = client.get(reverse("dashboard"))
    assert 'lang="en"' in response.content.decode()


def test_user_text_is_escaped(client, round_):
    Initiative.objects.filter(pk=round_.initiative.pk).update(description="<script>alert(1)</script>")
    login(client, round_.lead_people.procurement)
    text = client.get(reverse("initiative-detail", args=[round_.initiative.pk])).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text


def test_deciding_state_keeps_the_page_working(client, round_, submitted):
    move(round_.initiative, InitiativeState.DECIDING)
    login(client, round_.lead_people.procurement)
    assert client.get(reverse("initiative-detail", args=[round_.initiative.pk])).status_code == 200


def test_documents_block_shows_the_documents_and_the_demand_sheets(client, round_):
    login(client, round_.lead_people.procurement)
    text = client.get(reverse("initiative-detail", args=[round_.initiative.pk])).content.decode()
    assert 'id="documents"' in text and "Demand sheet (Excel)" in text


def test_adopt_an_idea_through_the_confirmation_page(client, round_):
    idea = services.idea_propose(actor=round_.wetteren_people.ict, kind="joint_purchase", title="Printers",
                                 description="", circles=[round_.circle], proposing_organisation=round_.wetteren)
    login(client, round_.lead_people.procurement)
    url = reverse("initiative-transition", args=[idea.pk, "adopt"])
    response = client.get(url)
    assert response.status_code == 200 and b"legal basis" in response.content.lower()
    response = client.post(url, {
        "lead_organisation": round_.lead.pk, "legal_basis": "central_purchasing_body",
        "demand_deadline": (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "decision_deadline": (timezone.localtime() + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M"),
    })
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.state == InitiativeState.DRAFT and idea.lead_organisation == round_.lead
