"""The mails that follow domain events: who gets which mail, once, and only after the change committed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement import services
from procurement.models import Role
from tests import factories as f
from workflows import tasks
from workflows.notifications import notify


def recipients(mailoutbox) -> list[str]:
    return sorted(address for m in mailoutbox for address in m.to)


@pytest.fixture
def run_events(django_capture_on_commit_callbacks):
    """Run the block and then what it queued on commit (the events, the mails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def submitted(round_, run_events, mailoutbox):
    ict = round_.wetteren_people.ict
    with run_events():
        p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
        services.demand_set(participation=p, actor=ict, lines=[{"item": round_.laptop.pk, "quantity": "10"},
                                                                {"item": round_.monitor.pk, "quantity": "5"}])
        p = services.participation_submit(participation=p, actor=ict)
    return p


def test_pooling_opened_goes_to_the_circles_ict_staff_interested_first(round_, run_events, mailoutbox):
    idea = services.idea_propose(actor=round_.laarne_people.ict, kind="joint_purchase", title="Printers",
                                 description="", circles=[round_.circle], proposing_organisation=round_.laarne)
    services.interest_register(initiative=idea, actor=round_.laarne_people.ict, organisation=round_.laarne,
                               estimated_quantity=Decimal("12"))
    idea = services.initiative_adopt(initiative=idea, actor=round_.lead_people.procurement,
                                     lead_organisation=round_.lead, legal_basis="central_purchasing_body",
                                     demand_deadline=timezone.now() + timedelta(days=10),
                                     decision_deadline=timezone.now() + timedelta(days=40))
    lot = services.lot_add(initiative=idea, actor=round_.lead_people.procurement, number=1, title="Printers")
    services.item_add(initiative=idea, actor=round_.lead_people.procurement, lot=lot, name="A4 printer",
                      unit="piece", estimated_unit_price=Decimal("450"))
    mailoutbox.clear()
    with run_events():
        services.initiative_open_pooling(initiative=idea, actor=round_.lead_people.procurement)
    assert recipients(mailoutbox) == sorted(
        [round_.lead_people.ict.email, round_.wetteren_people.ict.email, round_.laarne_people.ict.email])
    assert {m.subject for m in mailoutbox} == {"Pooling is open: Printers"}
    # Laarne showed interest and hears it first.
    assert mailoutbox[0].to == [round_.laarne_people.ict.email]
    assert "showed interest" in mailoutbox[0].body
    assert all("showed interest" not in m.body for m in mailoutbox[1:])


def test_participation_submitted_goes_to_the_organisations_aldermen(round_, submitted, mailoutbox):
    assert recipients(mailoutbox) == [round_.wetteren_people.alderman.email]
    [mail] = mailoutbox
    assert mail.subject == "Decision needed: Wetteren in Laptops 2027"
    assert "10.050,00 €" in mail.body
    assert mail.alternatives  # the HTML part


def test_participation_decided_goes_to_its_ict_staff_and_the_leads_procurement_officers(
    round_, submitted, run_events, mailoutbox
):
    mailoutbox.clear()
    with run_events():
        services.participation_decline(participation=submitted, actor=round_.wetteren_people.alderman,
                                       decision_date=timezone.localdate(), decision_reference="CBS/2026/9",
                                       reason="No budget.")
    assert recipients(mailoutbox) == sorted([round_.wetteren_people.ict.email,
                                             round_.lead_people.procurement.email])
    assert {m.subject for m in mailoutbox} == {"Wetteren: participation declined in Laptops 2027"}
    assert "No budget." in mailoutbox[0].body and "CBS/2026/9" in mailoutbox[0].body


def test_pooling_closed_goes_to_the_participants_ict_staff_and_aldermen(round_, submitted, run_events, mailoutbox):
    mailoutbox.clear()
    with run_events():
        services.initiative_close_pooling(initiative=round_.initiative, actor=round_.lead_people.procurement)
    assert recipients(mailoutbox) == sorted([round_.wetteren_people.ict.email,
                                             round_.wetteren_people.alderman.email])
    assert "(Brussels time)" in mailoutbox[0].body


def test_threshold_crossed_goes_to_the_leads_procurement_officers_only(round_, mailoutbox):
    before = {"value": "29700.00", "procedure": "accepted_invoice", "publication": "none", "threshold": "30000.00",
              "reasons": [], "warnings": []}
    after = {**before, "value": "30060.00", "procedure": "negotiated_without_publication",
             "reasons": ["because"], "warnings": ["careful"]}
    assert tasks.mail_threshold_crossed(round_.initiative.pk, before, after) == 1
    [mail] = mailoutbox
    assert mail.to == [round_.lead_people.procurement.email]
    assert "29.700,00 €" in mail.body and "30.060,00 €" in mail.body
    assert "- because" in mail.body and "! careful" in mail.body


def test_nothing_is_mailed_before_the_commit(round_, django_capture_on_commit_callbacks, mailoutbox):
    ict = round_.wetteren_people.ict
    with django_capture_on_commit_callbacks() as callbacks:
        p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
        services.demand_set(participation=p, actor=ict, lines=[{"item": round_.laptop.pk, "quantity": "1"}])
        services.participation_submit(participation=p, actor=ict)
    assert mailoutbox == []
    assert callbacks  # queued, waiting for the commit
    for callback in callbacks:
        callback()
    assert recipients(mailoutbox) == [round_.wetteren_people.alderman.email]


def test_notify_sends_one_mail_per_person_with_an_address(round_, mailoutbox):
    nobody = f.UserFactory(username="no-mail", email="")
    people = [round_.wetteren_people.ict, round_.laarne_people.ict, nobody]
    sent = notify(users=people, template="pooling_closed", context={"initiative": round_.initiative})
    assert sent == 2
    assert [m.to for m in mailoutbox] == [[round_.wetteren_people.ict.email], [round_.laarne_people.ict.email]]
    assert "Dear ict.wetteren," in mailoutbox[0].body


def test_notify_in_the_language_asked(round_, mailoutbox):
    notify(users=[round_.wetteren_people.ict], template="pooling_closed", context={"initiative": round_.initiative},
           language="en")
    assert mailoutbox[0].subject == "Pooling closed: Laptops 2027"


def test_mail_tasks_take_ids_and_read_fresh_rows(round_, submitted, mailoutbox):
    mailoutbox.clear()
    type(round_.wetteren).objects.filter(pk=round_.wetteren.pk).update(name="Wetteren (renamed)")
    assert tasks.mail_participation_submitted(submitted.pk) == 1
    assert mailoutbox[0].subject == "Decision needed: Wetteren (renamed) in Laptops 2027"


def test_users_with_role(round_):
    from procurement.permissions import users_with_role

    extra = f.UserFactory(username="second.alderman.wetteren")
    f.MembershipFactory(user=extra, organisation=round_.wetteren, role=Role.ALDERMAN)
    f.MembershipFactory(user=extra, organisation=round_.laarne, role=Role.ALDERMAN)
    found = users_with_role([round_.wetteren.pk, round_.laarne.pk], Role.ALDERMAN)
    assert sorted(u.username for u in found) == ["alderman.laarne", "alderman.wetteren", "second.alderman.wetteren"]
