"""Entering demand (``demand_set``): who, when, what input, and the threshold crossing it may cause."""

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest

from audit.models import AuditEntry
from core.errors import InvalidInput, NotAllowed, TransitionRefused
from procurement import selectors, services
from procurement.models import DemandLine, InitiativeKind, InitiativeState, Participation, ParticipationState, Role
from procurement.models.initiatives import MAX_PRICE
from procurement.models.participations import MAX_QUANTITY
from tests import factories as f
from tests.conftest import move

P = ParticipationState
S = InitiativeState
CROSSED = "procurement.initiative.threshold_crossed"



@pytest.fixture
def draft(round_):
    return services.participation_join(initiative=round_.initiative, actor=round_.wetteren_people.ict,
                                       organisation=round_.wetteren)


def lines_of(participation) -> dict[str, tuple[Decimal, Decimal | None]]:
    return {line.item.name: (line.quantity, line.max_quantity)
            for line in DemandLine.objects.filter(participation=participation).select_related("item")}


def set_demand(round_, participation, lines, actor=None):
    return services.demand_set(participation=participation, actor=actor or round_.wetteren_people.ict, lines=lines)


def refused(nothing_changes, error_class, call):
    with nothing_changes(), pytest.raises(error_class) as error:
        call()
    return error.value


# --- the allowed path ---

def test_set_and_replace_demand(round_, draft):
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "10"}, {"item": round_.dock.pk, "quantity": 4}])
    assert lines_of(draft) == {"Laptop 14 inch": (Decimal("10.00"), None),
                               "Docking station USB-C": (Decimal("4.00"), None)}
    # The lines are replaced as a whole: the dock is gone, the monitor is new.
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "2,5"}, {"item": round_.monitor, "quantity": 1}])
    assert lines_of(draft) == {"Laptop 14 inch": (Decimal("2.50"), None), "Scherm 27 inch": (Decimal("1.00"), None)}
    entries = list(AuditEntry.objects.for_object(draft).filter(action="procurement.participation.demand_changed")
                   .order_by("id"))
    assert len(entries) == 2
    assert entries[1].data == {
        "before": {str(round_.laptop.pk): ["10.00", None], str(round_.dock.pk): ["4.00", None]},
        "after": {str(round_.laptop.pk): ["2.50", None], str(round_.monitor.pk): ["1.00", None]},
        "pooled_value": "2460.00",
    }
    assert entries[1].actor == round_.wetteren_people.ict


def test_an_empty_list_clears_the_demand(round_, draft):
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "10"}])
    set_demand(round_, draft, [])
    assert lines_of(draft) == {}


def test_a_framework_takes_maximum_quantities(round_, draft):
    type(round_.initiative).objects.filter(pk=round_.initiative.pk).update(
        kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=48)
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "10", "max_quantity": "40"},
                               {"item": round_.dock.pk, "quantity": "10", "max_quantity": "10"},
                               {"item": round_.monitor.pk, "quantity": "3"}])
    assert lines_of(draft) == {"Laptop 14 inch": (Decimal("10.00"), Decimal("40.00")),
                               "Docking station USB-C": (Decimal("10.00"), Decimal("10.00")),
                               "Scherm 27 inch": (Decimal("3.00"), None)}
    assert selectors.pooled_value(round_.refresh()) == Decimal("38430.00")  # 40×900 + 10×180 + 3×210
    draft.refresh_from_db()
    assert draft.demand_value == Decimal("38430")


# --- the value each participation keeps (the pooled value sums these, not the lines) ---

def test_the_participation_keeps_the_exact_value_of_its_demand(round_, draft):
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "2,5"}, {"item": round_.dock.pk, "quantity": "3.33"}])
    draft.refresh_from_db()
    assert draft.demand_value_e4 == 28_494_000  # 2.5 × 900 + 3.33 × 180 = 2 849.40 €, in 1/10 000 €
    laarne = services.participation_join(initiative=round_.initiative, actor=round_.laarne_people.ict,
                                         organisation=round_.laarne)
    set_demand(round_, laarne, [{"item": round_.monitor.pk, "quantity": "0.01"}], actor=round_.laarne_people.ict)
    assert selectors.exact_pooled_value(round_.initiative) == Decimal("2851.5")  # + 0.01 × 210
    set_demand(round_, draft, [])
    draft.refresh_from_db()
    assert draft.demand_value_e4 == 0
    assert selectors.pooled_value(round_.initiative) == Decimal("2.10")


def test_demand_worth_more_than_any_demand_can_be_is_refused(round_, draft, nothing_changes):
    """Each line is within its bounds (a million of an item of 99 999 999,99 €), but ten of them are worth
    more than the participation's value can hold: a clear message, not an overflow."""
    dear = [f.ItemFactory(lot=round_.laptop.lot, estimated_unit_price=MAX_PRICE) for _ in range(10)]
    error = refused(nothing_changes, InvalidInput, lambda: set_demand(
        round_, draft, [{"item": item.pk, "quantity": str(MAX_QUANTITY)} for item in dear]))
    assert error.errors == {"lines": [
        "Together these lines are worth 999.999.999.900.000,00 € excl. VAT, more than any demand can be "
        "(922.337.203.685.477,58 €); check the quantities."]}


def test_refresh_repairs_values_written_around_the_services(round_, draft):
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "10"}])
    Participation.objects.filter(pk=draft.pk).update(demand_value_e4=0)  # as a bulk import would leave it
    assert selectors.pooled_value(round_.initiative) == Decimal("0.00")
    assert services.demand_values_refresh(initiative=round_.initiative) == 1
    assert selectors.pooled_value(round_.initiative) == Decimal("9000.00")
    assert services.demand_values_refresh(initiative=round_.initiative) == 0


def test_the_migration_fills_the_values_of_existing_participations(round_, draft):
    from django.apps import apps

    migration = import_module("procurement.migrations.0004_participation_demand_value")
    type(round_.initiative).objects.filter(pk=round_.initiative.pk).update(
        kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=48)
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "10", "max_quantity": "12.5"},
                               {"item": round_.dock.pk, "quantity": "1.25"}])
    Participation.objects.update(demand_value_e4=0)
    migration.fill_demand_values(apps, None)
    draft.refresh_from_db()
    assert draft.demand_value == Decimal("11475")  # 12.5 × 900 (the maximum) + 1.25 × 180


# --- refusals: who, in which state, until when ---

@pytest.mark.parametrize("who", ["wetteren alderman", "wetteren procurement", "wetteren viewer", "laarne ict",
                                 "lead procurement"])
def test_only_ict_staff_of_the_organisation(round_, draft, nothing_changes, who):
    actor = {"wetteren alderman": round_.wetteren_people.alderman,
             "wetteren procurement": round_.wetteren_people.procurement,
             "wetteren viewer": round_.wetteren_people.viewer, "laarne ict": round_.laarne_people.ict,
             "lead procurement": round_.lead_people.procurement}[who]
    error = refused(nothing_changes, NotAllowed, lambda: set_demand(
        round_, draft, [{"item": round_.laptop.pk, "quantity": "1"}], actor=actor))
    assert (str(error), error.code) == ("Only ICT staff of Wetteren can enter its demand.", "permission_denied")


@pytest.mark.parametrize("state", [P.SUBMITTED, P.APPROVED, P.DECLINED, P.WITHDRAWN, P.LAPSED])
def test_only_in_draft(round_, draft, nothing_changes, state):
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "1"}])
    move(draft, state)
    error = refused(nothing_changes, TransitionRefused, lambda: set_demand(
        round_, draft, [{"item": round_.laptop.pk, "quantity": "2"}]))
    assert error.code == "participation_not_draft"
    assert str(error) == (f"Demand can only change while the participation is a draft (it is "
                          f"{draft.get_state_display()}); reopen it first.")


@pytest.mark.parametrize("state", [S.DRAFT, S.DECIDING, S.READY, S.TENDERING, S.CANCELLED])
def test_only_while_pooling(round_, draft, nothing_changes, state):
    move(round_.initiative, state)
    error = refused(nothing_changes, TransitionRefused, lambda: set_demand(
        round_, draft, [{"item": round_.laptop.pk, "quantity": "2"}]))
    assert error.code == "initiative_not_pooling"


def test_not_after_the_deadline(round_, draft, nothing_changes, clock):
    clock.set(round_.initiative.demand_deadline + timedelta(seconds=1))
    error = refused(nothing_changes, TransitionRefused, lambda: set_demand(
        round_, draft, [{"item": round_.laptop.pk, "quantity": "2"}]))
    assert error.code == "demand_deadline_passed"
    assert str(error).startswith("The demand deadline of ")


# --- refusals: the input, reported by position ---

@pytest.mark.parametrize(
    ("line", "errors"),
    [
        ({"quantity": "1"}, {"item": ["This field is required."]}),
        ({"item": 999999, "quantity": "1"}, {"item": ["Item 999999 is not part of this initiative."]}),
        ({"item": "laptop", "quantity": "1"}, {"item": ["Item laptop is not part of this initiative."]}),
        ({"item": True, "quantity": "1"}, {"item": ["Item True is not part of this initiative."]}),
        ({"item": "LAPTOP"}, {"quantity": ["This field is required."]}),
        ({"item": "LAPTOP", "quantity": ""}, {"quantity": ["This field is required."]}),
        ({"item": "LAPTOP", "quantity": "ten"}, {"quantity": ["Enter a number, like 12 or 2.5."]}),
        ({"item": "LAPTOP", "quantity": "NaN"}, {"quantity": ["Enter a finite number."]}),
        ({"item": "LAPTOP", "quantity": "Infinity"}, {"quantity": ["Enter a finite number."]}),
        ({"item": "LAPTOP", "quantity": True}, {"quantity": ["Enter a number."]}),
        ({"item": "LAPTOP", "quantity": [1]}, {"quantity": ["Enter a number."]}),
        ({"item": "LAPTOP", "quantity": "-1"}, {"quantity": ["Enter zero or more."]}),
        ({"item": "LAPTOP", "quantity": "1000000.01"}, {"quantity": ["Enter at most 1.000.000."]}),
        ({"item": "LAPTOP", "quantity": "1.005"}, {"quantity": ["Use at most two decimals."]}),
        ({"item": "LAPTOP", "quantity": 0.1}, {}),  # a float as JSON sends it is read as its decimal text
        ({"item": "LAPTOP", "quantity": "1", "max_quantity": "2"},
         {"max_quantity": ["A maximum quantity applies only to framework contracts; leave it empty."]}),
    ],
)
def test_input_errors_by_position(round_, draft, nothing_changes, line, errors):
    line = {k: (round_.laptop.pk if v == "LAPTOP" else v) for k, v in line.items()}
    lines = [{"item": round_.dock.pk, "quantity": "1"}, line]
    if not errors:
        set_demand(round_, draft, lines)
        assert lines_of(draft)["Laptop 14 inch"] == (Decimal("0.10"), None)
        return
    error = refused(nothing_changes, InvalidInput, lambda: set_demand(round_, draft, lines))
    assert error.errors == {"lines": [{}, errors]}


def test_an_item_of_another_initiative(round_, draft, nothing_changes):
    foreign = f.ItemFactory()
    error = refused(nothing_changes, InvalidInput, lambda: set_demand(
        round_, draft, [{"item": foreign.pk, "quantity": "1"}]))
    assert error.errors == {"lines": [{"item": [f"Item {foreign.pk} is not part of this initiative."]}]}


def test_one_line_per_item(round_, draft, nothing_changes):
    error = refused(nothing_changes, InvalidInput, lambda: set_demand(round_, draft, [
        {"item": round_.laptop.pk, "quantity": "1"}, {"item": round_.laptop.pk, "quantity": "2"}]))
    assert error.errors == {"lines": [{}, {"item": ["Item Laptop 14 inch appears twice; give one line per item."]}]}


def test_maximum_below_quantity(round_, draft, nothing_changes):
    type(round_.initiative).objects.filter(pk=round_.initiative.pk).update(
        kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=48)
    error = refused(nothing_changes, InvalidInput, lambda: set_demand(round_, draft, [
        {"item": round_.laptop.pk, "quantity": "10", "max_quantity": "9.99"}]))
    assert error.errors == {"lines": [{"max_quantity": [
        "The maximum quantity must not be below the quantity (10.00)."]}]}


@pytest.mark.parametrize("lines", [None, "laptops", {"item": 1}, [1], [[1, 2]]])
def test_malformed_lines(round_, draft, nothing_changes, lines):
    error = refused(nothing_changes, InvalidInput, lambda: set_demand(round_, draft, lines))
    assert "lines" in error.errors


def test_one_wrong_line_saves_nothing(round_, draft, nothing_changes):
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "10"}])
    error = refused(nothing_changes, InvalidInput, lambda: set_demand(round_, draft, [
        {"item": round_.laptop.pk, "quantity": "20"}, {"item": round_.dock.pk, "quantity": "-1"}]))
    assert error.errors == {"lines": [{}, {"quantity": ["Enter zero or more."]}]}
    assert lines_of(draft) == {"Laptop 14 inch": (Decimal("10.00"), None)}


# --- threshold crossing ---

def crossings(round_):
    return list(AuditEntry.objects.for_object(round_.initiative).filter(action=CROSSED).order_by("id"))


@pytest.fixture
def second_officer(round_):
    """Another procurement officer of the lead, and one of a participant (who must not be mailed)."""
    officer = f.UserFactory(username="aankoper2.destelbergen")
    f.MembershipFactory(user=officer, organisation=round_.lead, role=Role.PROCUREMENT)
    return officer


def test_crossing_a_threshold_is_recorded_and_mailed(round_, draft, second_officer,
                                                     django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "33"}])  # 29 700: below 30 000
    assert crossings(round_) == [] and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "33"},
                                   {"item": round_.dock.pk, "quantity": "2"}])  # 30 060: at least 30 000
    [entry] = crossings(round_)
    assert (entry.actor, entry.organisation) == (round_.wetteren_people.ict, round_.lead)
    assert entry.data["before"]["value"] == "29700.00"
    assert entry.data["before"]["procedure"] == "accepted_invoice"
    assert entry.data["after"]["value"] == "30060.00"
    assert entry.data["after"]["procedure"] == "negotiated_without_publication"
    assert entry.data["after"]["threshold"] == "140000.00"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([round_.lead_people.procurement.email,
                                                          second_officer.email])
    assert {m.subject for m in mailoutbox} == {"Procedure advice changed: Laptops 2027"}
    assert "29.700,00 €" in mailoutbox[0].body and "30.060,00 €" in mailoutbox[0].body


def test_crossing_down_is_recorded_as_well(round_, draft, django_capture_on_commit_callbacks, mailoutbox):
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "40"}])
    mailoutbox.clear()
    before = len(crossings(round_))
    with django_capture_on_commit_callbacks(execute=True):
        set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "30"}])  # 27 000
    assert len(crossings(round_)) == before + 1
    assert crossings(round_)[-1].data["after"]["procedure"] == "accepted_invoice"
    assert [m.to for m in mailoutbox] == [[round_.lead_people.procurement.email]]


def test_a_change_that_stays_in_its_band_is_not_a_crossing(round_, draft, django_capture_on_commit_callbacks,
                                                           mailoutbox):
    set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "40"}])  # 36 000
    mailoutbox.clear()
    before = len(crossings(round_))
    with django_capture_on_commit_callbacks(execute=True):
        # 135 000: now near the 140 000 threshold (a warning), but still the same procedure
        set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "150"}])
    assert len(crossings(round_)) == before
    assert mailoutbox == []
    assert selectors.advice_for(round_.initiative).warnings


def test_other_participants_demand_counts_towards_the_crossing(round_, draft, django_capture_on_commit_callbacks,
                                                              mailoutbox):
    laarne = services.participation_join(initiative=round_.initiative, actor=round_.laarne_people.ict,
                                         organisation=round_.laarne)
    services.demand_set(participation=laarne, actor=round_.laarne_people.ict,
                        lines=[{"item": round_.laptop.pk, "quantity": "150"}])  # 135 000
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        set_demand(round_, draft, [{"item": round_.monitor.pk, "quantity": "25"}])  # + 5 250 = 140 250
    entry = crossings(round_)[-1]
    assert (entry.data["before"]["value"], entry.data["after"]["value"]) == ("135000.00", "140250.00")
    assert (entry.data["after"]["procedure"], entry.data["after"]["publication"]) == ("open", "belgian")
    assert len(mailoutbox) == 1


def test_a_refused_change_crosses_nothing(round_, draft, nothing_changes):
    with nothing_changes(), pytest.raises(InvalidInput):
        set_demand(round_, draft, [{"item": round_.laptop.pk, "quantity": "40"},
                                   {"item": round_.dock.pk, "quantity": "x"}])
