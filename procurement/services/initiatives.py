"""Initiatives: ideas, adoption, creation, lots and items, and the pooling lifecycle."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit import log as audit
from core.errors import InvalidInput, NotAllowed, TransitionRefused
from core.events import on_commit
from core.services import Actor, apply_transition, check, locked, refusal
from core.validation import deadlines, full_clean, raise_if, require
from procurement import events, permissions
from procurement.models import (
    Circle,
    Initiative,
    InitiativeKind,
    InitiativeState,
    Interest,
    Item,
    LegalBasis,
    Lot,
    Organisation,
    ParticipationState,
)

from .participations import participation_lapse, threshold_watch

# The transitions a person may call on an initiative (the API's transitions endpoint and the buttons).
EDITABLE_IN = {
    InitiativeState.IDEA: {"title", "description"},
    InitiativeState.DRAFT: {
        "title", "description", "legal_basis", "demand_deadline", "decision_deadline",
        "planned_procedure_start", "framework_term_months", "renewals", "term_exception_reason",
    },
    # While pooling, deadlines may move (later, never into the past) and texts may be clarified.
    InitiativeState.POOLING: {"title", "description", "demand_deadline", "decision_deadline", "planned_procedure_start"},
    InitiativeState.DECIDING: {"decision_deadline", "planned_procedure_start"},
}


def _check_circles(circles: list[Circle], organisation: Organisation | None, field: str) -> None:
    errors: dict[str, list[str]] = {}
    require(errors, "circles", circles, _("Choose at least one knowledge circle."))
    if organisation is not None:
        outside = [c.name for c in circles if not c.organisations.filter(pk=organisation.pk).exists()]
        if outside:
            errors.setdefault(field, []).append(
                _("%(organisation)s is not a member of: %(circles)s.")
                % {"organisation": organisation, "circles": ", ".join(outside)}
            )
    raise_if(errors)


def idea_propose(
    *, actor: Actor, kind: str, title: str, description: str, circles: list[Circle], proposing_organisation: Organisation
) -> Initiative:
    """Someone at the round table says "we all need new laptops next year": an idea in those circles."""
    if not permissions.may_propose_idea(actor, proposing_organisation):
        raise NotAllowed(_("Only ICT staff or procurement officers of %(organisation)s can propose an idea for it.")
                         % {"organisation": proposing_organisation})
    _check_circles(circles, proposing_organisation, "proposing_organisation")
    with transaction.atomic():
        initiative = Initiative(
            kind=kind, title=title, description=description, state=InitiativeState.IDEA,
            proposing_organisation=proposing_organisation, created_by=actor,
        )
        full_clean(initiative)
        initiative.save()
        initiative.circles.set(circles)
        audit.record(action="procurement.initiative.proposed", obj=initiative, actor=actor,
                     organisation=proposing_organisation, to_state=initiative.state,
                     data={"circles": [c.pk for c in circles]})
        on_commit(events.idea_proposed, initiative_id=initiative.pk)
    return initiative


def interest_register(
    *, initiative: Initiative, actor: Actor, organisation: Organisation, estimated_quantity: Decimal | None = None,
    note: str = "",
) -> Interest:
    """Non-binding interest in an idea; a second registration of the same organisation replaces the first."""
    if not permissions.may_register_interest(actor, initiative, organisation.pk):
        raise NotAllowed(_("Only ICT staff or procurement officers of an organisation in the initiative's "
                           "circles can register its interest."))
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        if initiative.state != InitiativeState.IDEA:
            raise TransitionRefused(_("Interest can only be registered while the initiative is an idea; "
                                      "join the round instead."), code="not_an_idea")
        interest = Interest.objects.filter(initiative=initiative, organisation=organisation).first() or Interest(
            initiative=initiative, organisation=organisation
        )
        interest.estimated_quantity = estimated_quantity
        interest.note = note or ""
        interest.registered_by = actor
        full_clean(interest, exclude=["initiative", "organisation"])
        interest.save()
        audit.record(action="procurement.interest.registered", obj=initiative, actor=actor, organisation=organisation,
                     data={"estimated_quantity": estimated_quantity, "note": note})
    return interest


def initiative_adopt(
    *, initiative: Initiative, actor: Actor, lead_organisation: Organisation, legal_basis: str,
    demand_deadline: datetime, decision_deadline: datetime, planned_procedure_start: date | None = None,
    framework_term_months: int | None = None, renewals: int | None = None, term_exception_reason: str | None = None,
) -> Initiative:
    """A procurement officer of the organisation that will lead takes the idea on."""
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        if not permissions.may_adopt(actor, initiative, lead_organisation.pk):
            raise NotAllowed(_("Only a procurement officer of %(organisation)s can adopt this idea with it as "
                               "the lead organisation.") % {"organisation": lead_organisation})
        check(initiative, "adopt", actor=actor)  # the state before the input (409 before 400)
        errors: dict[str, list[str]] = {}
        _require_legal_basis(errors, initiative.kind, legal_basis)
        if legal_basis and legal_basis not in LegalBasis.values:
            errors.setdefault("legal_basis", []).append(_("Choose one of: %(choices)s.") % {"choices": ", ".join(LegalBasis.values)})
        deadlines(errors, demand_deadline, decision_deadline)
        raise_if(errors)
        initiative.lead_organisation = lead_organisation
        initiative.legal_basis = legal_basis
        initiative.demand_deadline = demand_deadline
        initiative.decision_deadline = decision_deadline
        initiative.planned_procedure_start = planned_procedure_start
        if framework_term_months is not None:
            initiative.framework_term_months = framework_term_months
        if renewals is not None:
            initiative.renewals = renewals
        if term_exception_reason is not None:
            initiative.term_exception_reason = term_exception_reason
        full_clean(initiative)
        apply_transition(
            initiative, "adopt", actor=actor, action="procurement.initiative.adopted", organisation=lead_organisation,
            update_fields=("lead_organisation", "legal_basis", "demand_deadline", "decision_deadline",
                           "planned_procedure_start", "framework_term_months", "renewals", "term_exception_reason"),
            data={"legal_basis": legal_basis},
        )
    return initiative


def initiative_shelve(*, initiative: Initiative, actor: Actor, reason: str) -> Initiative:
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        check(initiative, "shelve", actor=actor)  # who and which state before the input (403/409 before 400)
        _require_reason(reason)
        initiative.reason = reason
        apply_transition(initiative, "shelve", actor=actor, action="procurement.initiative.shelved",
                         organisation=initiative.proposing_organisation, update_fields=("reason",),
                         data={"reason": reason})
    return initiative


def initiative_create(
    *, actor: Actor, kind: str, title: str, description: str = "", lead_organisation: Organisation, legal_basis: str,
    circles: list[Circle], demand_deadline: datetime, decision_deadline: datetime,
    planned_procedure_start: date | None = None, framework_term_months: int | None = None, renewals: int = 0,
    term_exception_reason: str = "",
) -> Initiative:
    """A procurement officer creates an initiative directly; it starts as a draft."""
    if not permissions.may_create_initiative(actor, lead_organisation):
        raise NotAllowed(_("Only procurement officers of %(organisation)s can create an initiative that it leads.")
                         % {"organisation": lead_organisation})
    errors: dict[str, list[str]] = {}
    _require_legal_basis(errors, kind, legal_basis)
    deadlines(errors, demand_deadline, decision_deadline)
    if kind == InitiativeKind.FRAMEWORK_CONTRACT and not framework_term_months:
        errors.setdefault("framework_term_months", []).append(_("A framework contract needs its term in months."))
    raise_if(errors)
    _check_circles(circles, None, "circles")
    with transaction.atomic():
        initiative = Initiative(
            kind=kind, title=title, description=description, state=InitiativeState.DRAFT,
            lead_organisation=lead_organisation, legal_basis=legal_basis, demand_deadline=demand_deadline,
            decision_deadline=decision_deadline, planned_procedure_start=planned_procedure_start,
            framework_term_months=framework_term_months, renewals=renewals or 0,
            term_exception_reason=term_exception_reason or "", created_by=actor,
        )
        full_clean(initiative)
        initiative.save()
        initiative.circles.set(circles)
        audit.record(action="procurement.initiative.created", obj=initiative, actor=actor,
                     organisation=lead_organisation, to_state=initiative.state,
                     data={"circles": [c.pk for c in circles], "kind": kind})
    return initiative


def initiative_update(*, initiative: Initiative, actor: Actor, **changes) -> Initiative:
    """Change the details that the current state still allows (see ``EDITABLE_IN``)."""
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        if not (permissions.may_manage_initiative(actor, initiative)
                or (initiative.state == InitiativeState.IDEA and permissions.may_shelve(actor, initiative))):
            raise NotAllowed(_("Only procurement officers of the lead organisation can change this initiative."))
        allowed = EDITABLE_IN.get(initiative.state, set())
        refused = sorted(set(changes) - allowed)
        if refused:
            raise TransitionRefused(
                _("%(fields)s can no longer be changed while the initiative is %(state)s.")
                % {"fields": ", ".join(refused), "state": initiative.get_state_display()},
                code="not_editable",
            )
        before = {name: getattr(initiative, name) for name in changes}
        for name, value in changes.items():
            setattr(initiative, name, value)
        errors: dict[str, list[str]] = {}
        moved = {"demand_deadline", "decision_deadline"} & {k for k in changes if before[k] != changes[k]}
        if moved:
            deadlines(errors, initiative.demand_deadline, initiative.decision_deadline, changed=moved)
        raise_if(errors)
        full_clean(initiative)
        initiative.save(update_fields=[*changes, "updated_at"])
        audit.record(action="procurement.initiative.updated", obj=initiative, actor=actor,
                     organisation=initiative.lead_organisation,
                     data={"changed": {k: [before[k], changes[k]] for k in changes if before[k] != changes[k]}})
    return initiative


def _require_manage(initiative: Initiative, actor: Actor, *states: str) -> Initiative:
    """Lock the initiative and check that the actor runs it and that its state allows editing."""
    initiative = locked(Initiative, initiative.pk)
    if not permissions.may_manage_initiative(actor, initiative):
        raise NotAllowed(_("Only procurement officers of the lead organisation can change this initiative."))
    if initiative.state not in states:
        raise TransitionRefused(
            _("Lots and items can no longer be changed while the initiative is %(state)s.")
            % {"state": initiative.get_state_display()},
            code="not_editable",
        )
    return initiative


def lot_add(*, initiative: Initiative, actor: Actor, number: int, title: str, description: str = "") -> Lot:
    with transaction.atomic():
        initiative = _require_manage(initiative, actor, InitiativeState.DRAFT, InitiativeState.POOLING)
        if Lot.objects.filter(initiative=initiative, number=number).exists():
            raise InvalidInput({"number": [_("Lot %(number)s already exists in this initiative; choose another "
                                             "number.") % {"number": number}]})
        lot = Lot(initiative=initiative, number=number, title=title, description=description)
        full_clean(lot)
        lot.save()
        audit.record(action="procurement.lot.added", obj=initiative, actor=actor,
                     organisation=initiative.lead_organisation, data={"lot": lot.pk, "number": number, "title": title})
    return lot


# What a lot's and an item's updates may change: never the initiative or lot it belongs to by the back door,
# nor a position or id.
LOT_FIELDS = frozenset({"number", "title", "description"})
ITEM_FIELDS = frozenset({"lot", "name", "unit", "estimated_unit_price", "vat_rate", "cpv_code", "specification"})


def _only(changes: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidInput({name: [_("This field cannot be changed here.")] for name in unknown})


def _change(instance: Lot | Item, changes: dict[str, Any], *, initiative: Initiative, actor: Actor, action: str,
            key: str) -> None:
    """Apply the checked ``changes`` to a lot or item (already locked), validate, save and log them; the log
    names related objects by their id."""
    for name, value in changes.items():
        setattr(instance, name, value)
    full_clean(instance)
    instance.save()
    audit.record(action=action, obj=initiative, actor=actor, organisation=initiative.lead_organisation,
                 data={key: instance.pk, **{k: getattr(v, "pk", v) for k, v in changes.items()}})


def lot_update(*, lot: Lot, actor: Actor, **changes: Any) -> Lot:
    _only(changes, LOT_FIELDS)
    with transaction.atomic():
        initiative = _require_manage(lot.initiative, actor, InitiativeState.DRAFT)
        lot = Lot.objects.select_for_update().get(pk=lot.pk, initiative=initiative)
        _change(lot, changes, initiative=initiative, actor=actor, action="procurement.lot.changed", key="lot")
    return lot


def lot_remove(*, lot: Lot, actor: Actor) -> None:
    with transaction.atomic():
        initiative = _require_manage(lot.initiative, actor, InitiativeState.DRAFT)
        audit.record(action="procurement.lot.removed", obj=initiative, actor=actor,
                     organisation=initiative.lead_organisation, data={"lot": lot.pk, "number": lot.number})
        lot.delete()


def item_add(
    *, initiative: Initiative, actor: Actor, lot: Lot, name: str, unit: str, estimated_unit_price: Decimal,
    vat_rate: Decimal = Decimal("21"), cpv_code: str = "", specification: str = "",
) -> Item:
    with transaction.atomic():
        initiative = _require_manage(initiative, actor, InitiativeState.DRAFT, InitiativeState.POOLING)
        if lot.initiative_id != initiative.pk:
            raise InvalidInput({"lot": [_("This lot belongs to another initiative.")]})
        position = lot.items.count() + 1
        item = Item(lot=lot, name=name, unit=unit, estimated_unit_price=estimated_unit_price, vat_rate=vat_rate,
                    cpv_code=cpv_code or "", specification=specification or "", position=position)
        full_clean(item)
        item.save()
        audit.record(action="procurement.item.added", obj=initiative, actor=actor,
                     organisation=initiative.lead_organisation,
                     data={"item": item.pk, "lot": lot.number, "name": name, "estimated_unit_price": estimated_unit_price})
    return item


def item_update(*, item: Item, actor: Actor, **changes: Any) -> Item:
    _only(changes, ITEM_FIELDS)
    with transaction.atomic():
        initiative = _require_manage(item.lot.initiative, actor, InitiativeState.DRAFT)
        item = Item.objects.select_for_update().get(pk=item.pk)
        if "lot" in changes and changes["lot"].initiative_id != initiative.pk:
            raise InvalidInput({"lot": [_("This lot belongs to another initiative.")]})
        _change(item, changes, initiative=initiative, actor=actor, action="procurement.item.changed", key="item")
    return item


def item_remove(*, item: Item, actor: Actor) -> None:
    with transaction.atomic():
        initiative = _require_manage(item.lot.initiative, actor, InitiativeState.DRAFT)
        audit.record(action="procurement.item.removed", obj=initiative, actor=actor,
                     organisation=initiative.lead_organisation, data={"item": item.pk, "name": item.name})
        item.delete()


# --- the pooling lifecycle ---

def initiative_open_pooling(*, initiative: Initiative, actor: Actor) -> Initiative:
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        apply_transition(initiative, "open_pooling", actor=actor, action="procurement.initiative.pooling_opened",
                         organisation=initiative.lead_organisation)
        on_commit(events.pooling_opened, initiative_id=initiative.pk)
    return initiative


def initiative_close_pooling(*, initiative: Initiative, actor: Actor) -> Initiative:
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        apply_transition(initiative, "close_pooling", actor=actor, action="procurement.initiative.pooling_closed",
                         organisation=initiative.lead_organisation, data={"by_deadline": False})
        on_commit(events.pooling_closed, initiative_id=initiative.pk, by_deadline=False)
    return initiative


def initiative_close_pooling_at_deadline(*, initiative_id: int) -> bool:
    """The system closes pooling once the demand deadline has passed. Idempotent: under the row lock it
    closes only what is still pooling and past its deadline, so two concurrent runs close once."""
    from django.utils import timezone

    with transaction.atomic():
        initiative = locked(Initiative, initiative_id)
        if initiative.state != InitiativeState.POOLING or not initiative.demand_deadline:
            return False
        if initiative.demand_deadline > timezone.now():
            return False
        apply_transition(initiative, "close_pooling", actor=None, system=True,
                         action="procurement.initiative.pooling_closed", organisation=initiative.lead_organisation,
                         data={"by_deadline": True})
        on_commit(events.pooling_closed, initiative_id=initiative.pk, by_deadline=True)
    return True


def initiative_reopen_pooling(*, initiative: Initiative, actor: Actor, demand_deadline: datetime | None = None,
                              decision_deadline: datetime | None = None) -> Initiative:
    """Back to pooling, typically with a later demand deadline (required when the old one has passed)."""
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        # Who and which state first (403/409), then the new deadlines (400); the deadline guard is checked
        # by the transition once the new deadline is in place.
        error = refusal(initiative, "reopen_pooling", actor=actor)
        if error is not None and error.code in ("permission_denied", "invalid_state"):
            raise error
        fields: tuple[str, ...] = ()
        if demand_deadline is not None or decision_deadline is not None:
            errors: dict[str, list[str]] = {}
            deadlines(errors, demand_deadline or initiative.demand_deadline,
                      decision_deadline or initiative.decision_deadline)
            raise_if(errors)
            initiative.demand_deadline = demand_deadline or initiative.demand_deadline
            initiative.decision_deadline = decision_deadline or initiative.decision_deadline
            fields = ("demand_deadline", "decision_deadline")
        apply_transition(initiative, "reopen_pooling", actor=actor, action="procurement.initiative.pooling_reopened",
                         organisation=initiative.lead_organisation, update_fields=fields,
                         data={"demand_deadline": initiative.demand_deadline})
        on_commit(events.pooling_opened, initiative_id=initiative.pk)
    return initiative


def initiative_confirm_participants(*, initiative: Initiative, actor: Actor) -> Initiative:
    """Freeze the beneficiaries: approved participations stay, undecided ones lapse (CJEU C-216/17)."""
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        check(initiative, "confirm_participants", actor=actor)
        # Lapse while the initiative is still `deciding` (the lapse guard asks for it), then freeze.
        # From `ready` only approved demand counts: the value may drop across a threshold.
        with threshold_watch(initiative, actor=actor):
            undecided = initiative.participations.filter(
                state__in=[ParticipationState.DRAFT, ParticipationState.SUBMITTED]
            )
            for participation in undecided:
                participation_lapse(participation=participation)
            apply_transition(initiative, "confirm_participants", actor=actor,
                             action="procurement.initiative.participants_confirmed",
                             organisation=initiative.lead_organisation,
                             data={"approved": list(initiative.participations.filter(
                                 state=ParticipationState.APPROVED).values_list("organisation_id", flat=True))})
        on_commit(events.participants_confirmed, initiative_id=initiative.pk)
    return initiative


def initiative_cancel(*, initiative: Initiative, actor: Actor, reason: str) -> Initiative:
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        check(initiative, "cancel", actor=actor)  # who and which state before the input (403/409 before 400)
        _require_reason(reason)
        initiative.reason = reason
        apply_transition(initiative, "cancel", actor=actor, action="procurement.initiative.cancelled",
                         organisation=initiative.lead_organisation or initiative.proposing_organisation,
                         update_fields=("reason",), data={"reason": reason})
        on_commit(events.initiative_cancelled, initiative_id=initiative.pk)
    return initiative


def initiative_close(*, initiative: Initiative, actor: Actor) -> Initiative:
    """The lead's procurement officer closes an active initiative when its contracts are done."""
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        apply_transition(initiative, "close", actor=actor, action="procurement.initiative.closed",
                         organisation=initiative.lead_organisation)
    return initiative


def _require_legal_basis(errors: dict[str, list[str]], kind: str, legal_basis: str) -> None:
    """A purchase or framework needs its legal basis (art. 47 or 48); a shared hire is employment, not
    procurement, and has none."""
    if kind != InitiativeKind.SHARED_HIRE:
        require(errors, "legal_basis", legal_basis,
                _("Choose the legal basis: central purchasing body (art. 47) or joint procurement (art. 48)."))


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise InvalidInput({"reason": [_("Give a reason; it is recorded and shown to the participants.")]})
