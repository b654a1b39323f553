"""The lead officer's task list on the initiative page: every stage from draft to closed, its status and one
clear next action that links to the page that does it (the GOV.UK "task list" pattern).

The stage is read from the initiative's state and, from `tendering` on, from its tender's state; the action
is offered only when the service would allow it (``core.services.available``), so the list never sends anybody
to a page that then refuses. The contracts come from the ``contracts`` app through the reverse relation
``initiative.contracts`` (``procurement`` imports nothing of it, DESIGN.md §8).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.services import available
from procurement import permissions
from procurement.models import Initiative, InitiativeKind, InitiativeState, Participation, ParticipationState

S = InitiativeState

# Status of a stage (the words are shown in a tag beside the stage).
DONE, CURRENT, WAITING, TODO, STOPPED = "done", "current", "waiting", "todo", "stopped"
STATUS_LABELS = {
    DONE: _("done"),
    CURRENT: _("to do now"),
    WAITING: _("waiting"),
    TODO: _("not started yet"),
    STOPPED: _("stopped"),
}

# The stages in order: (key, title). For a shared hire the tender is the recruitment (DESIGN.md §3).
STAGES = [
    ("prepare", _("Lots, items and deadlines")),
    ("pooling", _("Demand pooling")),
    ("decisions", _("Decisions of the participants")),
    ("tender", _("Tender set-up")),
    ("publication", _("Publication")),
    ("bids", _("Bids")),
    ("evaluation", _("Evaluation")),
    ("award", _("Award")),
    ("standstill", _("Standstill period")),
    ("conclusion", _("Conclusion of the contracts")),
    ("contract", _("Contract management")),
    ("closing", _("Closing")),
]
HIRE_TITLES = {
    "tender": _("Recruitment set-up"),
    "publication": _("Vacancy publication"),
    "bids": _("Candidates"),
    "evaluation": _("Selection"),
    "award": _("Choice of the candidate"),
    "conclusion": _("Employment and cost sharing"),
    "contract": _("Cost sharing"),
}
INDEX = {key: number for number, (key, _title) in enumerate(STAGES)}
# The tender's state → the stage it is in.
TENDER_STAGE = {
    "draft": "publication", "published": "bids", "bids_closed": "evaluation", "evaluated": "award",
    "awarded": "standstill", "standstill": "standstill", "concluded": "contract",
}
INITIATIVE_STAGE = {
    S.DRAFT: "prepare", S.POOLING: "pooling", S.DECIDING: "decisions", S.READY: "tender",
    S.AWARDED: "standstill", S.ACTIVE: "contract", S.CLOSED: "closing",
}


@dataclass
class Action:
    label: str | Promise
    url: str


@dataclass
class Stage:
    key: str
    title: str | Promise
    status: str
    action: Action | None = None
    note: str | Promise = ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def _tender(initiative: Initiative):
    try:
        return initiative.tender
    except initiative._meta.get_field("tender").related_model.DoesNotExist:
        return None


def visible_tender_of(initiative: Initiative, user):
    """The initiative's tender when ``user`` may read it (the lead, approved participants), else None."""
    tender = _tender(initiative)
    if tender is None:
        return None
    # The tender's rule (tendering.rules.visible_tenders), read here without importing tendering: the lead's
    # members and the members of approved participants.
    mine = permissions.organisation_ids(user)
    if user.is_superuser or initiative.lead_organisation_id in mine or Participation.objects.filter(
            initiative=initiative, organisation__in=mine, state=ParticipationState.APPROVED).exists():
        return tender
    return None


def current_stage(initiative: Initiative, tender=None) -> str | None:
    """The key of the stage the initiative is in; None before `draft` (an idea) and after a stop."""
    if initiative.state == S.TENDERING:
        if tender is None:
            return "tender"
        stage = TENDER_STAGE.get(tender.state)
        if stage == "standstill" and tender.standstill_ends and tender.standstill_ends <= timezone.now():
            return "conclusion"
        return stage
    if initiative.state == S.AWARDED and tender is not None and tender.standstill_ends \
            and tender.standstill_ends <= timezone.now():
        return "conclusion"
    return INITIATIVE_STAGE.get(initiative.state)


def _transition(initiative: Initiative, name: str, label, user) -> Action | None:
    if available(initiative, [name], actor=user):
        return Action(label, reverse("initiative-transition", args=[initiative.pk, name]))
    return None


def _tender_step(tender, name: str, label, user) -> Action | None:
    if available(tender, [name], actor=user):
        return Action(label, reverse("tender-transition", args=[tender.pk, name]))
    return None


def _contracts_action(initiative: Initiative, tender) -> Action | None:
    contracts = list(initiative.contracts.order_by("lot__number", "id")[:2]) if hasattr(initiative, "contracts") else []
    if initiative.kind == InitiativeKind.FRAMEWORK_CONTRACT:
        label = _("Follow the call-offs")
    elif initiative.kind == InitiativeKind.SHARED_HIRE:
        label = _("Manage the cost sharing")
    else:
        label = _("Follow the contracts")
    if len(contracts) == 1:
        return Action(label, reverse("contract-detail", args=[contracts[0].pk]))
    if tender is not None:
        return Action(label, reverse("tender-detail", args=[tender.pk]) + "#contracts-title")
    return None


def _action(key: str, initiative: Initiative, tender, user) -> tuple[Action | None, str | Promise]:
    """The one next action of the current stage, and a note when there is nothing to click."""
    if key == "prepare":
        action = _transition(initiative, "open_pooling", _("Open pooling"), user)
        if action is None:
            return Action(_("Complete the lots, items and deadlines"),
                          reverse("initiative-edit", args=[initiative.pk])), ""
        return action, ""
    if key == "pooling":
        return _transition(initiative, "close_pooling", _("Close pooling"), user), _(
            "Pooling closes by itself at the demand deadline.")
    if key == "decisions":
        return _transition(initiative, "confirm_participants", _("Confirm participants"), user), _(
            "The aldermen decide until the decision deadline.")
    if key == "tender":
        if available(initiative, ["start_tender"], actor=user):
            label = _("Start the recruitment") if initiative.kind == InitiativeKind.SHARED_HIRE else _(
                "Start the tender")
            return Action(label, reverse("tender-create", args=[initiative.pk])), ""
        return None, ""
    if tender is None:
        return None, ""
    if key == "publication":
        return _tender_step(tender, "publish", _("Publish the tender"), user), ""
    if key == "bids":
        if tender.bid_deadline and tender.bid_deadline > timezone.now():
            return Action(_("Enter the bids"), reverse("tender-detail", args=[tender.pk]) + "#bids-title"), ""
        return _tender_step(tender, "close_bids", _("Close the bids"), user), ""
    if key == "evaluation":
        return (_tender_step(tender, "evaluate", _("Evaluate the bids"), user)
                or _tender_step(tender, "fail", _("Declare unsuccessful"), user)), _(
            "Every quality criterion needs a score for each regular bid.")
    if key == "award":
        if available(tender, ["award"], actor=user):
            return Action(_("Award the lots"), reverse("tender-award", args=[tender.pk])), ""
        return None, ""
    if key == "standstill":
        return Action(_("See the standstill period"), reverse("tender-detail", args=[tender.pk])), ""
    if key == "conclusion":
        return _tender_step(tender, "conclude", _("Conclude the contracts"), user), ""
    if key == "contract":
        return _contracts_action(initiative, tender), ""
    return None, ""


def task_list(initiative: Initiative, user) -> list[Stage] | None:
    """The stages for the lead's procurement officers; None for everybody else and for an idea."""
    if not permissions.may_manage_initiative(user, initiative) or initiative.state in (S.IDEA, S.SHELVED):
        return None
    tender = _tender(initiative)
    current = current_stage(initiative, tender)
    stopped = initiative.state in (S.CANCELLED, S.UNSUCCESSFUL)
    if stopped:  # the stage it stopped in: the tender's, else the last one reached before the stop
        reached = TENDER_STAGE.get(tender.state) if tender is not None and tender.state in TENDER_STAGE else None
        current = reached or ("tender" if tender is not None else "prepare")
    hire = initiative.kind == InitiativeKind.SHARED_HIRE
    stages = []
    for number, (key, title) in enumerate(STAGES):
        if hire:
            title = HIRE_TITLES.get(key, title)
        position = INDEX[current]
        if initiative.state == S.CLOSED:
            status = DONE
        elif stopped:
            status = DONE if number < position else STOPPED
        elif number < position:
            status = DONE
        elif number > position:
            status = TODO
        else:
            status = CURRENT
        stage = Stage(key, title, status)
        if status == CURRENT:
            stage.action, note = _action(key, initiative, tender, user)
            if stage.action is None:
                stage.status, stage.note = WAITING, note
        if key == "closing" and initiative.state == S.ACTIVE:
            stage.action = _transition(initiative, "close", _("Close the initiative"), user)
            if stage.action is not None:
                stage.note = _("Once the contracts are done.")
        stages.append(stage)
    return stages


def next_action(initiative: Initiative, user) -> Action | None:
    """The one next action for the dashboard: that of the current stage."""
    for stage in task_list(initiative, user) or []:
        if stage.status == CURRENT and stage.action is not None:
            return stage.action
    return None
