"""Every transition of an initiative (DESIGN.md §3): adopt, shelve, open_pooling, close_pooling,
reopen_pooling, confirm_participants, cancel — the allowed path and each refusal with its message and code.
A refusal changes nothing (the ``nothing_changes`` fixture)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import InvalidInput, NotAllowed, TransitionRefused
from procurement import actions, services
from procurement.models import (
    DemandLine,
    Initiative,
    InitiativeKind,
    InitiativeState,
    Item,
    LegalBasis,
    ParticipationState,
)
from tests import factories as f
from tests.conftest import move

S = InitiativeState
P = ParticipationState



def refused(nothing_changes, error_class, call):
    with nothing_changes(), pytest.raises(error_class) as error:
        call()
    return error.value


def entries(obj, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.for_object(obj).filter(action=action).order_by("id"))


def state_label(state: str) -> str:
    return Initiative(state=state).get_state_display()


@pytest.fixture
def idea(round_) -> Initiative:
    return services.idea_propose(
        actor=round_.wetteren_people.ict, kind=InitiativeKind.JOINT_PURCHASE, title="Tablets for the councils",
        description="Tablets for council members.", circles=[round_.circle], proposing_organisation=round_.wetteren,
    )


def adopt_kwargs(round_, **overrides):
    now = timezone.now()
    kwargs = {
        "lead_organisation": round_.lead, "legal_basis": LegalBasis.JOINT_PROCUREMENT,
        "demand_deadline": now + timedelta(days=20), "decision_deadline": now + timedelta(days=60),
    }
    return {**kwargs, **overrides}


# --- idea → adopt / shelve ---

def test_propose_an_idea(round_, idea):
    assert (idea.state, idea.proposing_organisation, idea.lead_organisation) == (S.IDEA, round_.wetteren, None)
    assert entries(idea, "procurement.initiative.proposed")[0].to_state == S.IDEA


def test_propose_outside_ones_circles(round_, nothing_changes):
    error = refused(nothing_changes, InvalidInput, lambda: services.idea_propose(
        actor=round_.outsider_people.ict, kind=InitiativeKind.JOINT_PURCHASE, title="x", description="",
        circles=[round_.circle], proposing_organisation=round_.outsider))
    assert error.errors == {"proposing_organisation": ["Roeselare is not a member of: Scheldeland."]}


def test_adopt(round_, idea):
    kwargs = adopt_kwargs(round_)
    initiative = services.initiative_adopt(initiative=idea, actor=round_.lead_people.procurement, **kwargs)
    initiative = Initiative.objects.get(pk=initiative.pk)
    assert (initiative.state, initiative.lead_organisation, initiative.legal_basis) == (
        S.DRAFT, round_.lead, LegalBasis.JOINT_PROCUREMENT)
    assert initiative.demand_deadline == kwargs["demand_deadline"]
    entry = entries(initiative, "procurement.initiative.adopted")[0]
    assert (entry.from_state, entry.to_state, entry.actor, entry.organisation) == (
        S.IDEA, S.DRAFT, round_.lead_people.procurement, round_.lead)


@pytest.mark.parametrize("who", ["lead ict", "lead alderman", "lead viewer", "wetteren procurement"])
def test_adopt_needs_a_procurement_officer_of_the_lead(round_, idea, nothing_changes, who):
    actor = {"lead ict": round_.lead_people.ict, "lead alderman": round_.lead_people.alderman,
             "lead viewer": round_.lead_people.viewer,
             "wetteren procurement": round_.wetteren_people.procurement}[who]
    error = refused(nothing_changes, NotAllowed, lambda: services.initiative_adopt(
        initiative=idea, actor=actor, **adopt_kwargs(round_)))
    assert error.code == "permission_denied"
    assert str(error) == ("Only a procurement officer of Destelbergen can adopt this idea with it as the lead "
                          "organisation.")


@pytest.mark.parametrize("state", [S.SHELVED, S.DRAFT, S.POOLING, S.CANCELLED])
def test_adopt_only_an_idea(round_, idea, nothing_changes, state):
    move(idea, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_adopt(
        initiative=idea, actor=round_.lead_people.procurement, **adopt_kwargs(round_, legal_basis="")))
    assert error.code == "invalid_state"  # the state before the input
    assert str(error) == f"This is not possible while the initiative is {state_label(state)}."


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"legal_basis": ""}, {"legal_basis": ["Choose the legal basis: central purchasing body (art. 47) or joint procurement (art. 48)."]}),
        ({"legal_basis": "art_99"}, {"legal_basis": ["Choose one of: central_purchasing_body, joint_procurement."]}),
        ({"demand_deadline": None}, {"demand_deadline": ["This field is required."]}),
        ({"demand_deadline": "past"}, {"demand_deadline": ["Choose a moment in the future."]}),
        ({"decision_deadline": "before"},
         {"decision_deadline": ["The decision deadline must come after the demand deadline."]}),
    ],
)
def test_adopt_input(round_, idea, nothing_changes, overrides, errors):
    now = timezone.now()
    special = {"past": now - timedelta(minutes=1), "before": now + timedelta(days=1)}
    overrides = {k: special.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    error = refused(nothing_changes, InvalidInput, lambda: services.initiative_adopt(
        initiative=idea, actor=round_.lead_people.procurement, **adopt_kwargs(round_, **overrides)))
    assert error.errors == errors


@pytest.mark.parametrize("who", ["wetteren ict", "lead procurement"])
def test_shelve(round_, idea, who):
    actor = round_.wetteren_people.ict if who == "wetteren ict" else round_.lead_people.procurement
    initiative = services.initiative_shelve(initiative=idea, actor=actor, reason="Nobody has budget.")
    initiative = Initiative.objects.get(pk=initiative.pk)
    assert (initiative.state, initiative.reason) == (S.SHELVED, "Nobody has budget.")
    entry = entries(initiative, "procurement.initiative.shelved")[0]
    assert (entry.from_state, entry.to_state, entry.data) == (S.IDEA, S.SHELVED, {"reason": "Nobody has budget."})


@pytest.mark.parametrize("who", ["laarne ict", "wetteren alderman", "outsider procurement"])
def test_shelve_wrong_role_or_organisation(round_, idea, nothing_changes, who):
    actor = {"laarne ict": round_.laarne_people.ict, "wetteren alderman": round_.wetteren_people.alderman,
             "outsider procurement": round_.outsider_people.procurement}[who]
    # A person who may not act is told so, even without a reason.
    for reason in ("Too expensive.", ""):
        error = refused(nothing_changes, NotAllowed,
                        lambda reason=reason: services.initiative_shelve(initiative=idea, actor=actor, reason=reason))
        assert error.code == "permission_denied"


def test_shelve_needs_a_reason(round_, idea, nothing_changes):
    error = refused(nothing_changes, InvalidInput, lambda: services.initiative_shelve(
        initiative=idea, actor=round_.wetteren_people.ict, reason="  "))
    assert error.errors == {"reason": ["Give a reason; it is recorded and shown to the participants."]}


@pytest.mark.parametrize("state", [S.DRAFT, S.POOLING, S.SHELVED])
def test_shelve_only_an_idea(round_, idea, nothing_changes, state):
    move(idea, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_shelve(
        initiative=idea, actor=round_.wetteren_people.ict, reason="x"))
    assert error.code == "invalid_state"


# --- draft → pooling ---

@pytest.fixture
def draft(round_) -> Initiative:
    return move(round_.initiative, S.DRAFT)


def test_open_pooling(round_, draft):
    initiative = services.initiative_open_pooling(initiative=draft, actor=round_.lead_people.procurement)
    assert Initiative.objects.get(pk=initiative.pk).state == S.POOLING
    entry = entries(initiative, "procurement.initiative.pooling_opened")[0]
    assert (entry.from_state, entry.to_state, entry.organisation) == (S.DRAFT, S.POOLING, round_.lead)


@pytest.mark.parametrize("who", ["lead ict", "lead viewer", "wetteren procurement", "outsider procurement"])
def test_open_pooling_wrong_role_or_organisation(round_, draft, nothing_changes, who):
    actor = {"lead ict": round_.lead_people.ict, "lead viewer": round_.lead_people.viewer,
             "wetteren procurement": round_.wetteren_people.procurement,
             "outsider procurement": round_.outsider_people.procurement}[who]
    error = refused(nothing_changes, NotAllowed,
                    lambda: services.initiative_open_pooling(initiative=draft, actor=actor))
    assert (str(error), error.code) == ("You are not allowed to do this for Laptops 2027.", "permission_denied")


@pytest.mark.parametrize("state", [S.IDEA, S.POOLING, S.DECIDING, S.READY, S.CANCELLED])
def test_open_pooling_wrong_state(round_, draft, nothing_changes, state):
    move(draft, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_open_pooling(
        initiative=draft, actor=round_.lead_people.procurement))
    assert error.code == "invalid_state"


def test_open_pooling_needs_an_item(round_, draft, nothing_changes):
    Item.objects.filter(lot__initiative=draft).delete()
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_open_pooling(
        initiative=draft, actor=round_.lead_people.procurement))
    assert (str(error), error.code) == ("Add at least one lot with one item before opening pooling.", "no_items")


def test_an_item_cannot_move_to_another_initiatives_lot(round_, draft, nothing_changes):
    other = f.LotFactory(number=1)
    error = refused(nothing_changes, InvalidInput, lambda: services.item_update(
        item=round_.laptop, actor=round_.lead_people.procurement, lot=other))
    assert error.errors == {"lot": ["This lot belongs to another initiative."]}


@pytest.mark.parametrize("change", [{"position": 9}, {"id": 77}, {"initiative": None}])
def test_lot_and_item_updates_change_only_their_own_fields(round_, draft, nothing_changes, change):
    officer = round_.lead_people.procurement
    for update in (lambda: services.lot_update(lot=round_.laptop.lot, actor=officer, **change),
                   lambda: services.item_update(item=round_.laptop, actor=officer, **change)):
        error = refused(nothing_changes, InvalidInput, update)
        assert error.errors == {name: ["This field cannot be changed here."] for name in change}


def test_open_pooling_after_the_demand_deadline(round_, draft, nothing_changes, clock):
    deadline = datetime(2027, 2, 1, 16, 0, tzinfo=UTC)
    Initiative.objects.filter(pk=draft.pk).update(demand_deadline=deadline,
                                                  decision_deadline=deadline + timedelta(days=30))
    clock.set(deadline + timedelta(seconds=1))
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_open_pooling(
        initiative=draft, actor=round_.lead_people.procurement))
    assert error.code == "demand_deadline_passed"
    assert str(error) == "The demand deadline (01-02-2027 17:00) has passed; set a later demand deadline first."


def test_open_pooling_without_a_demand_deadline(round_, draft, nothing_changes):
    Initiative.objects.filter(pk=draft.pk).update(demand_deadline=None)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_open_pooling(
        initiative=draft, actor=round_.lead_people.procurement))
    assert (str(error), error.code) == ("Set a demand deadline first.", "demand_deadline_passed")


def test_open_pooling_with_deadlines_out_of_order(round_, draft, nothing_changes):
    Initiative.objects.filter(pk=draft.pk).update(decision_deadline=draft.demand_deadline)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_open_pooling(
        initiative=draft, actor=round_.lead_people.procurement))
    assert (str(error), error.code) == ("The decision deadline must come after the demand deadline.",
                                        "deadlines_out_of_order")


# --- pooling → deciding → pooling ---

def test_close_pooling(round_):
    initiative = services.initiative_close_pooling(initiative=round_.initiative, actor=round_.lead_people.procurement)
    assert Initiative.objects.get(pk=initiative.pk).state == S.DECIDING
    entry = entries(initiative, "procurement.initiative.pooling_closed")[0]
    assert (entry.from_state, entry.to_state, entry.actor, entry.data) == (
        S.POOLING, S.DECIDING, round_.lead_people.procurement, {"by_deadline": False})


@pytest.mark.parametrize("who", ["lead ict", "wetteren procurement", "wetteren ict"])
def test_close_pooling_wrong_role_or_organisation(round_, nothing_changes, who):
    actor = {"lead ict": round_.lead_people.ict, "wetteren procurement": round_.wetteren_people.procurement,
             "wetteren ict": round_.wetteren_people.ict}[who]
    error = refused(nothing_changes, NotAllowed, lambda: services.initiative_close_pooling(
        initiative=round_.initiative, actor=actor))
    assert error.code == "permission_denied"


@pytest.mark.parametrize("state", [S.DRAFT, S.DECIDING, S.READY, S.CANCELLED])
def test_close_pooling_wrong_state(round_, nothing_changes, state):
    move(round_.initiative, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_close_pooling(
        initiative=round_.initiative, actor=round_.lead_people.procurement))
    assert (str(error), error.code) == (f"This is not possible while the initiative is {state_label(state)}.",
                                        "invalid_state")


@pytest.fixture
def deciding(round_) -> Initiative:
    return services.initiative_close_pooling(initiative=round_.initiative, actor=round_.lead_people.procurement)


def test_reopen_pooling(round_, deciding):
    initiative = services.initiative_reopen_pooling(initiative=deciding, actor=round_.lead_people.procurement)
    assert Initiative.objects.get(pk=initiative.pk).state == S.POOLING
    entry = entries(initiative, "procurement.initiative.pooling_reopened")[0]
    assert (entry.from_state, entry.to_state) == (S.DECIDING, S.POOLING)


def test_reopen_pooling_with_later_deadlines_after_the_old_one_passed(round_, deciding, clock):
    clock.advance(days=15)  # past the demand deadline of the round
    demand, decision = clock.now + timedelta(days=7), clock.now + timedelta(days=30)
    initiative = services.initiative_reopen_pooling(initiative=deciding, actor=round_.lead_people.procurement,
                                                    demand_deadline=demand, decision_deadline=decision)
    initiative = Initiative.objects.get(pk=initiative.pk)
    assert (initiative.state, initiative.demand_deadline, initiative.decision_deadline) == (
        S.POOLING, demand, decision)


def test_reopen_pooling_after_the_deadline_needs_a_new_one(round_, deciding, nothing_changes, clock):
    clock.advance(days=15)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_reopen_pooling(
        initiative=deciding, actor=round_.lead_people.procurement))
    assert error.code == "demand_deadline_passed"
    assert "set a later demand deadline first" in str(error)


@pytest.mark.parametrize("who", ["lead ict", "wetteren procurement"])
def test_reopen_pooling_wrong_role_before_the_input(round_, deciding, nothing_changes, who):
    actor = round_.lead_people.ict if who == "lead ict" else round_.wetteren_people.procurement
    past = timezone.now() - timedelta(days=1)
    for kwargs in ({}, {"demand_deadline": past}):
        error = refused(nothing_changes, NotAllowed, lambda kwargs=kwargs: services.initiative_reopen_pooling(
            initiative=deciding, actor=actor, **kwargs))
        assert error.code == "permission_denied"


@pytest.mark.parametrize("state", [S.DRAFT, S.POOLING, S.READY, S.CANCELLED])
def test_reopen_pooling_wrong_state(round_, deciding, nothing_changes, state):
    move(deciding, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_reopen_pooling(
        initiative=deciding, actor=round_.lead_people.procurement,
        demand_deadline=timezone.now() - timedelta(days=1)))
    assert error.code == "invalid_state"


def test_reopen_pooling_with_wrong_deadlines(round_, deciding, nothing_changes):
    error = refused(nothing_changes, InvalidInput, lambda: services.initiative_reopen_pooling(
        initiative=deciding, actor=round_.lead_people.procurement,
        demand_deadline=deciding.decision_deadline + timedelta(days=1)))
    assert error.errors == {"decision_deadline": ["The decision deadline must come after the demand deadline."]}


# --- deciding → ready: confirm the participants; undecided ones lapse ---

@pytest.fixture
def participations(round_):
    """One participation of every kind of organisation in the round, with some demand each."""
    made = {}
    for state in P.values:
        organisation = f.OrganisationFactory(name=f"Org {state}")
        round_.circle.organisations.add(organisation)
        p = f.ParticipationFactory(initiative=round_.initiative, organisation=organisation, state=state)
        f.DemandLineFactory(participation=p, item=round_.laptop, quantity=Decimal("3"))
        made[state] = p
    return made


def test_confirm_participants(round_, deciding, participations, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = services.initiative_confirm_participants(initiative=deciding,
                                                              actor=round_.lead_people.procurement)
    assert Initiative.objects.get(pk=initiative.pk).state == S.READY
    after = {state: type(p).objects.get(pk=p.pk).state for state, p in participations.items()}
    assert after == {P.DRAFT: P.LAPSED, P.SUBMITTED: P.LAPSED, P.APPROVED: P.APPROVED, P.DECLINED: P.DECLINED,
                     P.WITHDRAWN: P.WITHDRAWN, P.LAPSED: P.LAPSED}
    lapsed = AuditEntry.objects.filter(action="procurement.participation.lapsed").order_by("id")
    assert [(e.object_id, e.from_state, e.actor) for e in lapsed] == [
        (participations[P.DRAFT].pk, P.DRAFT, None), (participations[P.SUBMITTED].pk, P.SUBMITTED, None)]
    confirmed = entries(initiative, "procurement.initiative.participants_confirmed")[0]
    assert (confirmed.from_state, confirmed.to_state) == (S.DECIDING, S.READY)
    assert confirmed.data == {"approved": [participations[P.APPROVED].organisation_id]}
    assert confirmed.id > lapsed.last().id
    # Their demand lines stay (evidence), but only approved demand counts from now on.
    assert DemandLine.objects.filter(participation__initiative=initiative).count() == 6


def test_confirm_needs_an_approved_participant(round_, deciding, participations, nothing_changes):
    type(participations[P.APPROVED]).objects.filter(pk=participations[P.APPROVED].pk).delete()
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_confirm_participants(
        initiative=deciding, actor=round_.lead_people.procurement))
    assert error.code == "no_approved_participant"
    assert str(error) == ("No participation has been approved yet; an initiative needs at least one approved "
                          "participant.")


@pytest.mark.parametrize("who", ["lead ict", "wetteren procurement", "wetteren alderman"])
def test_confirm_wrong_role_lapses_nothing(round_, deciding, participations, nothing_changes, who):
    actor = {"lead ict": round_.lead_people.ict, "wetteren procurement": round_.wetteren_people.procurement,
             "wetteren alderman": round_.wetteren_people.alderman}[who]
    error = refused(nothing_changes, NotAllowed, lambda: services.initiative_confirm_participants(
        initiative=deciding, actor=actor))
    assert error.code == "permission_denied"


@pytest.mark.parametrize("state", [S.POOLING, S.READY, S.CANCELLED])
def test_confirm_wrong_state_lapses_nothing(round_, deciding, participations, nothing_changes, state):
    move(deciding, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_confirm_participants(
        initiative=deciding, actor=round_.lead_people.procurement))
    assert error.code == "invalid_state"


# --- cancel ---

@pytest.mark.parametrize("state", [S.DRAFT, S.POOLING, S.DECIDING, S.READY])
def test_cancel(round_, state):
    move(round_.initiative, state)
    initiative = services.initiative_cancel(initiative=round_.initiative, actor=round_.lead_people.procurement,
                                            reason="The budget was cut.")
    initiative = Initiative.objects.get(pk=initiative.pk)
    assert (initiative.state, initiative.reason) == (S.CANCELLED, "The budget was cut.")
    entry = entries(initiative, "procurement.initiative.cancelled")[0]
    assert (entry.from_state, entry.to_state, entry.organisation) == (state, S.CANCELLED, round_.lead)


@pytest.mark.parametrize("state", [S.TENDERING, S.AWARDED])
def test_cancel_while_a_tender_runs_goes_through_the_tender(round_, nothing_changes, state):
    move(round_.initiative, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_cancel(
        initiative=round_.initiative, actor=round_.lead_people.procurement, reason="The budget was cut."))
    assert (str(error), error.code) == (
        "A tender is running for this initiative: cancel the tender; the initiative is cancelled with it.",
        "tender_running")


def test_cancel_an_idea(round_, idea):
    initiative = services.initiative_cancel(initiative=idea, actor=round_.wetteren_people.ict, reason="Duplicate.")
    assert Initiative.objects.get(pk=initiative.pk).state == S.CANCELLED
    assert entries(initiative, "procurement.initiative.cancelled")[0].organisation == round_.wetteren


@pytest.mark.parametrize("state", [S.ACTIVE, S.CLOSED, S.UNSUCCESSFUL, S.CANCELLED, S.SHELVED])
def test_cancel_wrong_state(round_, nothing_changes, state):
    move(round_.initiative, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_cancel(
        initiative=round_.initiative, actor=round_.lead_people.procurement, reason="x"))
    assert (str(error), error.code) == (f"This is not possible while the initiative is {state_label(state)}.",
                                        "invalid_state")


@pytest.mark.parametrize("who", ["lead ict", "wetteren procurement", "wetteren ict"])
def test_cancel_wrong_role_or_organisation(round_, nothing_changes, who):
    actor = {"lead ict": round_.lead_people.ict, "wetteren procurement": round_.wetteren_people.procurement,
             "wetteren ict": round_.wetteren_people.ict}[who]
    for reason in ("x", ""):
        error = refused(nothing_changes, NotAllowed, lambda reason=reason: services.initiative_cancel(
            initiative=round_.initiative, actor=actor, reason=reason))
        assert error.code == "permission_denied"


def test_cancel_needs_a_reason(round_, nothing_changes):
    error = refused(nothing_changes, InvalidInput, lambda: services.initiative_cancel(
        initiative=round_.initiative, actor=round_.lead_people.procurement, reason=""))
    assert list(error.errors) == ["reason"]


# --- the transitions a person may call now ---

def test_available_transitions(round_, idea):
    lead = round_.lead_people.procurement
    assert actions.INITIATIVE.available_names(idea, actor=lead) == ["adopt", "shelve", "cancel"]
    assert actions.INITIATIVE.available_names(idea, actor=round_.wetteren_people.ict) == ["shelve", "cancel"]
    assert actions.INITIATIVE.available_names(round_.initiative, actor=lead) == ["close_pooling", "cancel"]
    assert actions.INITIATIVE.available_names(round_.initiative, actor=round_.wetteren_people.procurement) == []


def test_a_shared_hire_is_adopted_without_a_legal_basis(round_):
    """A shared hire is employment, not procurement: art. 47/48 do not apply, so none is asked."""
    hire = services.idea_propose(
        actor=round_.wetteren_people.ict, kind=InitiativeKind.SHARED_HIRE, title="Shared security officer",
        description="A DPO/CISO for the circle.", circles=[round_.circle], proposing_organisation=round_.wetteren,
    )
    adopted = services.initiative_adopt(initiative=hire, actor=round_.lead_people.procurement,
                                        **adopt_kwargs(round_, legal_basis=""))
    assert adopted.state == "draft"
    assert adopted.legal_basis == ""


def test_close_an_active_initiative(round_):
    move(round_.initiative, S.ACTIVE)
    initiative = services.initiative_close(initiative=round_.initiative, actor=round_.lead_people.procurement)
    assert Initiative.objects.get(pk=initiative.pk).state == S.CLOSED
    assert entries(initiative, "procurement.initiative.closed")[0].from_state == S.ACTIVE


@pytest.mark.parametrize("state", [S.POOLING, S.READY, S.TENDERING, S.AWARDED, S.CLOSED])
def test_close_wrong_state(round_, nothing_changes, state):
    move(round_.initiative, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.initiative_close(
        initiative=round_.initiative, actor=round_.lead_people.procurement))
    assert error.code == "invalid_state"


def test_close_only_by_the_lead(round_, nothing_changes):
    move(round_.initiative, S.ACTIVE)
    error = refused(nothing_changes, NotAllowed, lambda: services.initiative_close(
        initiative=round_.initiative, actor=round_.wetteren_people.procurement))
    assert error.code == "permission_denied"
