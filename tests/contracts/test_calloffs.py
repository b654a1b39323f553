"""Call-offs against a framework agreement: the ceilings per item, per participant and overall, beneficiaries
only, inside the period; deliveries (partial), close, cancel; exhaustion and the 80 % warning.

The agreement (helpers.framework_agreement): Wetteren laptops ≤ 10 and docks ≤ 5 (9 750,00 €), Laarne laptops
≤ 4 (3 600,00 €), overall 13 350,00 €, from 18-12-2026 for 24 months.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from audit.models import AuditEntry
from contracts import selectors, services
from contracts.models import (
    Beneficiary,
    CallOff,
    CallOffLine,
    CallOffState,
    Contract,
    ContractLine,
    ContractState,
    Delivery,
)
from contracts.services.conclusion import add_months
from core.errors import InvalidInput, NotAllowed, TransitionRefused
from procurement.models import Initiative

from .helpers import framework_agreement

D = Decimal


@pytest.fixture
def agreement(fixed_round, clock) -> Contract:
    return framework_agreement(fixed_round, clock)


def draft(round_, agreement, key: str = "wetteren", **items) -> CallOff:
    """A draft call-off of ``key``'s organisation: items by attribute name (laptop=3, dock=1)."""
    people = getattr(round_, f"{key}_people")
    lines = [{"item": getattr(round_, name).pk, "quantity": str(q)} for name, q in items.items()]
    return services.call_off_create(contract=agreement, actor=people.ict, organisation=getattr(round_, key),
                                    lines=lines)


def order(round_, agreement, key: str = "wetteren", **items) -> CallOff:
    call_off = draft(round_, agreement, key, **items)
    return services.call_off_order(call_off=call_off, actor=getattr(round_, f"{key}_people").ict)


def state_of(call_off: CallOff) -> str:
    return CallOff.objects.get(pk=call_off.pk).state


def counters(agreement: Contract) -> dict:
    agreement.refresh_from_db()
    return {
        "contract": agreement.consumed,
        "beneficiaries": {b.organisation.name: b.consumed for b in Beneficiary.objects.filter(contract=agreement)},
        "lines": {(cl.organisation.name, cl.item.name): (cl.ordered, cl.delivered)
                  for cl in ContractLine.objects.filter(contract=agreement)},
    }


def assert_counters_agree(agreement: Contract) -> None:
    agreement.refresh_from_db()
    assert selectors.check_counters(agreement) == []


def test_the_agreement_as_concluded(agreement):
    assert (agreement.starts_on, agreement.ends_on) == (date(2026, 12, 18), date(2028, 12, 17))
    assert agreement.ceiling == D("13350.00") and agreement.consumed == 0 and agreement.state == ContractState.ACTIVE
    assert {b.organisation.name: b.maximum for b in agreement.beneficiaries.all()} == {
        "Laarne": D("3600.00"), "Wetteren": D("9750.00")}


def test_a_draft_at_the_frameworks_prices(fixed_round, agreement):
    call_off = draft(fixed_round, agreement, laptop=3, dock=2)
    assert (call_off.state, call_off.number, call_off.total) == (CallOffState.DRAFT, 1, D("3000.00"))
    assert [(line.item.name, line.quantity, line.unit_price, line.amount) for line in call_off.lines.all()] == [
        ("Laptop 14 inch", D("3.00"), D("900.00"), D("2700.00")),
        ("Docking station USB-C", D("2.00"), D("150.00"), D("300.00"))]
    assert call_off.delivery_address.startswith("Wetteren")
    assert draft(fixed_round, agreement, laptop=1).number == 2
    assert counters(agreement)["contract"] == 0  # a draft consumes nothing


def test_ordering_consumes_every_ceiling(fixed_round, agreement):
    call_off = order(fixed_round, agreement, laptop=3, dock=2)
    call_off.refresh_from_db()
    assert call_off.state == CallOffState.ORDERED and call_off.ordered_on == date(2026, 12, 18)
    assert (call_off.participant_remaining_before, call_off.participant_remaining_after) == (D("9750.00"), D("6750.00"))
    assert (call_off.overall_remaining_before, call_off.overall_remaining_after) == (D("13350.00"), D("10350.00"))
    assert [(line.remaining_before, line.remaining_after) for line in call_off.lines.all()] == [
        (D("10.00"), D("7.00")), (D("5.00"), D("3.00"))]
    assert counters(agreement) == {
        "contract": D("3000.00"),
        "beneficiaries": {"Wetteren": D("3000.00"), "Laarne": D("0.00")},
        "lines": {("Wetteren", "Laptop 14 inch"): (D("3.00"), D("0.00")),
                  ("Wetteren", "Docking station USB-C"): (D("2.00"), D("0.00")),
                  ("Laarne", "Laptop 14 inch"): (D("0.00"), D("0.00"))},
    }
    assert AuditEntry.objects.filter(action="contracts.call_off.ordered", object_id=call_off.pk,
                                     from_state="draft", to_state="ordered").exists()
    assert_counters_agree(agreement)


def test_an_order_beyond_the_participants_maximum_for_an_item_names_it_and_changes_nothing(fixed_round, agreement):
    order(fixed_round, agreement, laptop=3)
    call_off = draft(fixed_round, agreement, laptop=8)
    before = counters(agreement)
    with pytest.raises(TransitionRefused) as refused:
        services.call_off_order(call_off=call_off, actor=fixed_round.wetteren_people.ict)
    assert refused.value.message == ("This call-off exceeds Wetteren's maximum for Laptop 14 inch: 3 ordered of 10, "
                                     "7 remain, this call-off asks 8.")
    assert refused.value.code == "item_maximum_exceeded"
    assert state_of(call_off) == CallOffState.DRAFT and counters(agreement) == before
    # An item the organisation has no maximum for: zero remain.
    with pytest.raises(TransitionRefused) as refused:
        order(fixed_round, agreement, "laarne", dock=1)
    assert refused.value.message == ("This call-off exceeds Laarne's maximum for Docking station USB-C: 0 ordered of "
                                     "0, 0 remain, this call-off asks 1.")
    assert order(fixed_round, agreement, laptop=7).state == CallOffState.ORDERED  # exactly up to the maximum


def test_an_order_beyond_the_participants_maximum_value(fixed_round, agreement):
    # Test set-up: a lower value ceiling than the quantities would give (e.g. a budget agreed in the decision).
    Beneficiary.objects.filter(contract=agreement, organisation=fixed_round.wetteren).update(maximum=D("5000.00"))
    order(fixed_round, agreement, laptop=4)
    with pytest.raises(TransitionRefused) as refused:
        order(fixed_round, agreement, laptop=2, dock=1)
    assert refused.value.message == ("This call-off exceeds Wetteren's maximum of 5.000,00 €: 3.600,00 € ordered, "
                                     "1.400,00 € remain, this call-off amounts to 1.950,00 €.")
    assert refused.value.code == "participant_maximum_exceeded"


def test_an_order_beyond_the_overall_maximum(fixed_round, agreement):
    Contract.objects.filter(pk=agreement.pk).update(ceiling=D("10000.00"))  # test set-up: a lower overall ceiling
    order(fixed_round, agreement, laptop=9)
    with pytest.raises(TransitionRefused) as refused:
        order(fixed_round, agreement, "laarne", laptop=3)
    assert refused.value.message == ("This call-off exceeds the overall maximum of the framework agreement, "
                                     "10.000,00 €: 8.100,00 € ordered by all beneficiaries, 1.900,00 € remain, this "
                                     "call-off amounts to 2.700,00 €.")
    assert refused.value.code == "overall_maximum_exceeded"
    assert order(fixed_round, agreement, "laarne", laptop=2).state == CallOffState.ORDERED


def test_only_beneficiaries_call_off(fixed_round, agreement):
    lead = fixed_round.lead_people.procurement
    with pytest.raises(TransitionRefused) as refused:
        services.call_off_create(contract=agreement, actor=lead, organisation=fixed_round.lead,
                                 lines=[{"item": fixed_round.laptop.pk, "quantity": "1"}])
    assert refused.value.code == "not_a_beneficiary"
    assert "Destelbergen is not a beneficiary" in refused.value.message
    # A draft that got in anyway (e.g. made before a correction of the beneficiaries) cannot be ordered.
    stray = CallOff.objects.create(contract=agreement, organisation=fixed_round.lead, number=99, total=D("900.00"))
    CallOffLine.objects.create(call_off=stray, item=fixed_round.laptop, quantity=1, unit_price=D("900"), amount=D("900"))
    with pytest.raises(TransitionRefused) as refused:
        services.call_off_order(call_off=stray, actor=lead)
    assert refused.value.code == "not_a_beneficiary"
    assert counters(agreement)["contract"] == 0


def test_who_may_call_off_for_an_organisation(fixed_round, agreement):
    lines = [{"item": fixed_round.laptop.pk, "quantity": "1"}]
    for user in (fixed_round.wetteren_people.alderman, fixed_round.wetteren_people.viewer,
                 fixed_round.laarne_people.ict, fixed_round.lead_people.procurement):
        with pytest.raises(NotAllowed):
            services.call_off_create(contract=agreement, actor=user, organisation=fixed_round.wetteren, lines=lines)
    call_off = services.call_off_create(contract=agreement, actor=fixed_round.wetteren_people.procurement,
                                        organisation=fixed_round.wetteren, lines=lines)
    for user in (fixed_round.wetteren_people.alderman, fixed_round.lead_people.procurement):
        with pytest.raises(NotAllowed):
            services.call_off_order(call_off=call_off, actor=user)


def test_the_lines_are_checked_by_position(fixed_round, agreement):
    with pytest.raises(InvalidInput) as refused:
        services.call_off_create(contract=agreement, actor=fixed_round.wetteren_people.ict,
                                 organisation=fixed_round.wetteren, lines=[
                                     {"item": fixed_round.laptop.pk, "quantity": "2"},
                                     {"item": fixed_round.monitor.pk, "quantity": "1"},
                                     {"item": fixed_round.dock.pk, "quantity": "0"},
                                     {"item": fixed_round.laptop.pk, "quantity": "1.005"}])
    rows = refused.value.errors["lines"]
    assert rows[0] == {}
    assert rows[1] == {"item": [f"Item {fixed_round.monitor.pk} is not part of this lot."]}
    assert rows[2] == {"quantity": ["Enter more than zero."]}
    assert set(rows[3]) == {"item", "quantity"}
    assert not CallOff.objects.exists()


def test_only_inside_the_period(fixed_round, clock):
    agreement = framework_agreement(fixed_round, clock, start=date(2027, 2, 1), term=12)
    call_off = draft(fixed_round, agreement, laptop=1)
    with pytest.raises(TransitionRefused) as refused:
        services.call_off_order(call_off=call_off, actor=fixed_round.wetteren_people.ict)
    assert refused.value.code == "outside_period"
    assert refused.value.message == ("The framework agreement runs from 01-02-2027; a call-off cannot be ordered "
                                     "before (today is 18-12-2026).")
    clock.set(clock.now.replace(year=2027, month=2, day=1))
    assert services.call_off_order(call_off=call_off, actor=fixed_round.wetteren_people.ict).state == "ordered"
    late = draft(fixed_round, agreement, laptop=1)
    clock.set(clock.now.replace(year=2028, month=2, day=1))  # the day after 31-01-2028 (the task has not run yet)
    with pytest.raises(TransitionRefused) as refused:
        services.call_off_order(call_off=late, actor=fixed_round.wetteren_people.ict)
    assert refused.value.message == ("The framework agreement ran until 31-01-2028; a call-off cannot be ordered "
                                     "after (today is 01-02-2028).")


def test_partial_deliveries_then_close(fixed_round, agreement, clock):
    ict = fixed_round.wetteren_people.ict
    call_off = order(fixed_round, agreement, laptop=5, dock=2)
    laptop, dock = fixed_round.laptop.pk, fixed_round.dock.pk
    services.call_off_deliver(call_off=call_off, actor=ict, lines=[{"item": laptop, "quantity": "2"}])
    assert state_of(call_off) == CallOffState.DELIVERED
    with pytest.raises(InvalidInput) as refused:
        services.call_off_deliver(call_off=call_off, actor=ict, lines=[{"item": laptop, "quantity": "4"}])
    assert refused.value.errors == {"lines": [{"quantity": ["Only 3 of Laptop 14 inch are still to be delivered."]}]}
    clock.advance(days=3)
    services.call_off_deliver(call_off=call_off, actor=ict, lines=[{"item": laptop, "quantity": "3"},
                                                                   {"item": dock, "quantity": "1"}])
    assert [(d.delivered_on, [(dl.line.item_id, dl.quantity) for dl in d.lines.all()])
            for d in Delivery.objects.filter(call_off=call_off)] == [
        (date(2026, 12, 18), [(laptop, D("2.00"))]), (date(2026, 12, 21), [(laptop, D("3.00")), (dock, D("1.00"))])]
    assert counters(agreement)["lines"][("Wetteren", "Laptop 14 inch")] == (D("5.00"), D("5.00"))
    # Closing with one dock undelivered gives that dock back.
    services.call_off_close(call_off=call_off, actor=ict)
    assert state_of(call_off) == CallOffState.CLOSED
    assert counters(agreement)["lines"][("Wetteren", "Docking station USB-C")] == (D("1.00"), D("1.00"))
    assert counters(agreement)["contract"] == D("4650.00")  # 5 × 900 + 1 × 150
    assert AuditEntry.objects.get(action="contracts.call_off.closed").data["released"] == "150.00"
    assert_counters_agree(agreement)


def test_deliver_everything_outstanding_by_default(fixed_round, agreement):
    ict = fixed_round.wetteren_people.ict
    call_off = order(fixed_round, agreement, laptop=2)
    services.call_off_deliver(call_off=call_off, actor=ict)
    with pytest.raises(TransitionRefused) as refused:
        services.call_off_deliver(call_off=call_off, actor=ict)
    assert refused.value.code == "nothing_to_deliver"


def test_cancel_gives_the_consumption_back(fixed_round, agreement):
    ict = fixed_round.wetteren_people.ict
    call_off = order(fixed_round, agreement, laptop=4)
    with pytest.raises(InvalidInput):
        services.call_off_cancel(call_off=call_off, actor=ict)  # an ordered call-off needs a reason
    services.call_off_cancel(call_off=call_off, actor=ict, reason="Budget frozen")
    assert counters(agreement)["contract"] == 0
    assert counters(agreement)["lines"][("Wetteren", "Laptop 14 inch")] == (D("0.00"), D("0.00"))
    delivered = order(fixed_round, agreement, laptop=1)
    services.call_off_deliver(call_off=delivered, actor=ict)
    with pytest.raises(TransitionRefused):
        services.call_off_cancel(call_off=delivered, actor=ict, reason="Too late")
    services.call_off_cancel(call_off=draft(fixed_round, agreement, laptop=1), actor=ict)  # a draft: no reason needed
    assert_counters_agree(agreement)


def test_exhausted_when_the_overall_maximum_is_consumed_and_active_again_after_a_cancel(fixed_round, agreement):
    order(fixed_round, agreement, laptop=10, dock=5)
    last = order(fixed_round, agreement, "laarne", laptop=4)
    agreement.refresh_from_db()
    assert agreement.state == ContractState.EXHAUSTED and agreement.remaining == 0
    assert AuditEntry.objects.filter(action="contracts.contract.exhausted", to_state="exhausted").count() == 1
    with pytest.raises(TransitionRefused) as refused:
        draft(fixed_round, agreement, "laarne", laptop=1)
    assert refused.value.code == "agreement_exhausted"
    assert "its overall maximum of 13.350,00 € has been ordered in full" in refused.value.message
    services.call_off_cancel(call_off=last, actor=fixed_round.laarne_people.ict, reason="Wrong model")
    agreement.refresh_from_db()
    assert agreement.state == ContractState.ACTIVE and agreement.remaining == D("3600.00")
    assert order(fixed_round, agreement, "laarne", laptop=1).state == CallOffState.ORDERED


def test_a_warning_at_80_percent_of_a_ceiling_once(fixed_round, agreement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order(fixed_round, agreement, laptop=7)  # 70 % of the laptops: no warning
    assert not mail.outbox and not AuditEntry.objects.filter(action="contracts.ceiling.warning").exists()
    with django_capture_on_commit_callbacks(execute=True):
        order(fixed_round, agreement, laptop=1)  # 80 % of Wetteren's laptops
    warning = AuditEntry.objects.get(action="contracts.ceiling.warning")
    assert (warning.data["ceiling"], warning.data["item"], warning.data["remaining"]) == ("item", "Laptop 14 inch",
                                                                                          "2.00")
    assert sorted(m.to[0] for m in mail.outbox) == ["ict.wetteren@example.be", "procurement.destelbergen@example.be"]
    assert "Wetteren's maximum for Laptop 14 inch: 8 ordered of 10 (80.0 %), 2 remain" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order(fixed_round, agreement, laptop=1, dock=5)  # laptops again (no second warning); docks 100 %; 8 250 € of 9 750 €
    ceilings = sorted(e.data["ceiling"] + ":" + e.data["item"]
                      for e in AuditEntry.objects.filter(action="contracts.ceiling.warning"))
    assert ceilings == ["item:Docking station USB-C", "item:Laptop 14 inch", "participant:"]
    assert len(mail.outbox) == 2  # one mail per person for both ceilings
    assert "Wetteren's maximum of 9.750,00 €: 8.850,00 € ordered (90.8 %)" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        order(fixed_round, agreement, "laarne", laptop=3)  # overall 11 550 € of 13 350 € = 86.5 %; Laarne 75 %
    assert AuditEntry.objects.filter(action="contracts.ceiling.warning", data__ceiling="overall").count() == 1


def test_the_expiry_task(fixed_round, agreement, clock):
    from contracts import tasks

    assert tasks.expire_framework_agreements() == []
    clock.set(clock.now + timedelta(days=730))  # 17-12-2028: the last day
    assert tasks.expire_framework_agreements() == []
    clock.advance(days=1)
    assert tasks.expire_framework_agreements.delay().get() == [agreement.pk]
    agreement.refresh_from_db()
    assert agreement.state == ContractState.EXPIRED
    assert tasks.expire_framework_agreements() == []  # idempotent
    assert AuditEntry.objects.filter(action="contracts.contract.expired", object_id=agreement.pk).count() == 1
    # Purchase contracts and shared hires without an end date never expire; others stay as they are.
    assert not Contract.objects.filter(state=ContractState.EXPIRED).exclude(pk=agreement.pk).exists()


def test_terminate_and_renew(fixed_round, agreement):
    officer = fixed_round.lead_people.procurement
    with pytest.raises(NotAllowed):
        services.contract_renew(contract=agreement, actor=fixed_round.wetteren_people.procurement)
    services.contract_renew(contract=agreement, actor=officer, months=12)
    agreement.refresh_from_db()
    assert (agreement.ends_on, agreement.renewals_used) == (date(2029, 12, 17), 1)
    with pytest.raises(TransitionRefused) as refused:
        services.contract_renew(contract=agreement, actor=officer)
    assert refused.value.code == "no_renewal_left"
    with pytest.raises(NotAllowed):
        services.contract_terminate(contract=agreement, actor=fixed_round.wetteren_people.procurement, reason="x")
    with pytest.raises(InvalidInput):
        services.contract_terminate(contract=agreement, actor=officer, reason="")
    open_one = order(fixed_round, agreement, laptop=1)
    services.contract_terminate(contract=agreement, actor=officer, reason="Supplier bankrupt")
    agreement.refresh_from_db()
    assert (agreement.state, agreement.terminated_on) == (ContractState.TERMINATED, date(2026, 12, 18))
    with pytest.raises(TransitionRefused):
        draft(fixed_round, agreement, laptop=1)
    # An open call-off is still delivered and closed after the termination.
    services.call_off_deliver(call_off=open_one, actor=fixed_round.wetteren_people.ict)
    services.call_off_close(call_off=open_one, actor=fixed_round.wetteren_people.ict)
    assert state_of(open_one) == CallOffState.CLOSED


def test_a_renewal_never_runs_a_framework_beyond_four_years(round_, clock):
    """Art. 43 §1 Wet 17 juni 2016: 24 months and a renewal of 24 reach four years exactly; one month more is
    refused with the last allowed day, and nothing changes."""
    agreement = framework_agreement(round_, clock, term=24, renewals=2)
    officer = round_.lead_people.procurement
    services.contract_renew(contract=agreement, actor=officer)
    agreement.refresh_from_db()
    last_day = agreement.ends_on
    assert last_day == add_months(agreement.starts_on, 48) - timedelta(days=1)
    with pytest.raises(TransitionRefused) as refused:
        services.contract_renew(contract=agreement, actor=officer, months=1)
    assert refused.value.code == "framework_term_exceeded"
    assert str(refused.value) == (
        f"This renewal would run the framework agreement until {add_months(last_day + timedelta(days=1), 1) - timedelta(days=1):%d-%m-%Y}, "
        f"beyond four years from its start on {agreement.starts_on:%d-%m-%Y} (art. 43 §1 Wet 17 juni 2016): it may "
        f"run until {last_day:%d-%m-%Y} at the latest. Renew for fewer months.")
    agreement.refresh_from_db()
    assert (agreement.ends_on, agreement.renewals_used) == (last_day, 1)


def test_a_recorded_justification_allows_a_renewal_beyond_four_years(round_, clock):
    agreement = framework_agreement(round_, clock, term=24, renewals=2)
    Initiative.objects.filter(pk=round_.initiative.pk).update(term_exception_reason="Six-year write-off.")
    officer = round_.lead_people.procurement
    services.contract_renew(contract=agreement, actor=officer)
    renewed = services.contract_renew(contract=agreement, actor=officer, months=12)
    assert renewed.ends_on == add_months(agreement.starts_on, 60) - timedelta(days=1)
