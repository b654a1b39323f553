"""The viewflow flows: who is asked to act next (DESIGN.md §4).

django-fsm transitions on the models stay the single source of truth for what is allowed; a flow never
changes a domain state itself. The decision flow gives aldermen a real inbox (a task per submitted
participation, offered to the aldermen of that organisation, with assignment and history); the task
view calls the service and only then completes the task. The initiative flow mirrors the initiative's
lifecycle so that its chart shows where it stands; ``sync_initiative`` moves it after every change.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import STATUS, flow, lock
from viewflow.workflow.base import Edge
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS

from procurement import permissions
from procurement.models import (
    FROZEN_STATES,
    Initiative,
    InitiativeState,
    Organisation,
    Participation,
    ParticipationState,
)

from .models import DecisionProcess, InitiativeProcess

logger = logging.getLogger(__name__)

OPEN = (STATUS.NEW, STATUS.ASSIGNED)
# A pseudo-permission naming the group a decision task is offered to; the organisation is the task's
# owner_permission_obj. Who may take it is answered by procurement.permissions.may_decide.
DECIDE_PERMISSION = "procurement.decide_participation"


class Gate(flow.If):
    """An exclusive gateway whose branch labels are translated (viewflow's say "yes"/"no")."""

    def __init__(self, cond, yes=None, no=None, **kwargs):
        super().__init__(cond, **kwargs)
        self._labels = (yes or _("yes"), no or _("no"))

    def _outgoing(self):
        yield Edge(src=self, dst=self._on_true, edge_class="cond_true", label=self._labels[0])
        yield Edge(src=self, dst=self._on_false, edge_class="cond_false", label=self._labels[1])


class AldermanTask(flow.View):
    """A human task offered to the aldermen of the participating organisation.

    Unassigned it sits in the inbox of every alderman of that organisation; one of them takes it (or
    records the decision at once, which takes it too). Only the owner executes it."""

    def _participation(self, task) -> Participation:
        return task.process.coerced.participation

    def can_assign(self, user, task) -> bool:
        return (
            not task.owner_id
            and user is not None
            and user.is_authenticated
            and permissions.may_decide(user, self._participation(task))
        )

    def can_unassign(self, user, task) -> bool:
        # The owner hands it back; a fellow alderman of the same organisation may take it over.
        return task.owner_id is not None and permissions.may_decide(user, self._participation(task))

    def can_execute(self, user, task) -> bool:
        return task.owner_id == getattr(user, "pk", None) and permissions.may_decide(user, self._participation(task))


def _decision_view(request, *args, **kwargs):  # pragma: no cover - the inbox serves the task pages
    from .views import decision_task

    return decision_task(request, *args, **kwargs)


class ParticipationDecisionFlow(flow.Flow):
    """Participation decision

    The deciding body of the organisation approves or declines its participation."""

    process_class = DecisionProcess
    process_title = _("Participation decision")
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.start_process).Annotation(title=_("Submitted")).Next(this.decide)
    decide = (
        AldermanTask(_decision_view)
        .Annotation(title=_("Approve or decline"), description=_("The alderman records the decision."))
        .Permission(DECIDE_PERMISSION, obj=lambda process: process.coerced.participation.organisation)
        .Next(this.outcome)
    )
    outcome = Gate(this.is_approved, yes=_("approved"), no=_("declined")).Annotation(title=_("Decision")) \
        .Then(this.approved).Else(this.declined)
    approved = flow.End().Annotation(title=_("Approved"))
    declined = flow.End().Annotation(title=_("Declined"))

    def start_process(self, activation, participation: Participation):
        activation.process.participation = participation
        return activation.process

    def is_approved(self, activation) -> bool:
        return activation.process.coerced.participation.state == ParticipationState.APPROVED


# --- the decision flow, driven by the domain events ---

def decision_tasks():
    """Every decision task (the ``decide`` node) with what the inbox shows."""
    return Task.objects.filter(flow_task=ParticipationDecisionFlow.decide).select_related(
        "owner", "process__decisionprocess__participation__organisation",
        "process__decisionprocess__participation__initiative",
    )


def open_decision_task(participation_id: int) -> Task | None:
    return (
        decision_tasks()
        .filter(status__in=OPEN, process__decisionprocess__participation_id=participation_id)
        .order_by("-created")
        .first()
    )


def inbox_all_open():
    return decision_tasks().filter(status__in=OPEN).order_by("created", "id")


def inbox(user):
    """Open decision tasks this user may act on: offered to an organisation where the user is an
    alderman (unassigned, or assigned to anyone there), oldest first."""
    organisation_ids = permissions.organisation_ids(user, "alderman")
    return (
        decision_tasks()
        .filter(status__in=OPEN, process__decisionprocess__participation__organisation_id__in=organisation_ids)
        .order_by("created", "id")
    )


def start_decision(participation_id: int) -> DecisionProcess | None:
    """Start the decision flow of a submitted participation (once: a second call is a no-op)."""
    with transaction.atomic():
        participation = Participation.objects.select_for_update().select_related("organisation").get(
            pk=participation_id
        )
        if participation.state != ParticipationState.SUBMITTED:
            return None
        if open_decision_task(participation.pk) is not None:
            return None
        return ParticipationDecisionFlow.start.run(participation=participation)


def end_decision(participation_id: int) -> int:
    """Cancel the open decision processes of a participation that was reopened, withdrawn or lapsed."""
    cancelled = 0
    processes = DecisionProcess.objects.filter(participation_id=participation_id).exclude(
        status__in=[PROCESS.DONE, PROCESS.CANCELED]
    )
    for process in processes:
        ParticipationDecisionFlow.instance.cancel(process)
        cancelled += 1
    return cancelled


def complete_decision(task: Task, user) -> None:
    """Finish a decision task after the service recorded the decision: assign it to the person who
    decided (when still unassigned), start and execute it, so that the history shows who acted.

    Call inside the transaction of the decision, with the task row freshly read."""
    with task.activation() as activation:
        if task.status not in OPEN:
            return
        if task.status == STATUS.NEW:
            activation.assign(user)
        elif task.owner_id != user.pk:
            activation.reassign(user)
        activation.start(None)
        activation.execute()


def finish_decided(participation_id: int) -> None:
    """After a decision taken elsewhere (the API), complete the task the inbox still shows."""
    task = open_decision_task(participation_id)
    if task is None:
        return
    participation = Participation.objects.select_related("decided_by").get(pk=participation_id)
    if participation.state not in (ParticipationState.APPROVED, ParticipationState.DECLINED):
        return
    with transaction.atomic():
        if participation.decided_by is not None:
            complete_decision(task, participation.decided_by)
        else:  # nobody to credit: close the task without an owner
            ParticipationDecisionFlow.instance.cancel(task.process)


# --- the initiative flow, a mirror of the lifecycle ---

class InitiativeFlow(flow.Flow):
    """Initiative

    From idea to tender, as the lifecycle of the initiative moves."""

    process_class = InitiativeProcess
    process_title = _("Initiative")
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.start_process).Annotation(title=_("Start")).Next(this.from_idea)
    from_idea = Gate(this.started_as_idea).Annotation(title=_("Idea?")).Then(this.idea).Else(this.prepare)
    idea = flow.Handle().Annotation(title=_("Gather interest")).Next(this.prepare)
    prepare = flow.Handle().Annotation(title=_("Prepare lots and items")).Next(this.pool)
    pool = flow.Handle().Annotation(title=_("Pool demand")).Next(this.decide)
    decide = flow.Handle().Annotation(title=_("Collect decisions")).Next(this.confirmed)
    confirmed = Gate(this.is_frozen, yes=_("confirmed"), no=_("reopened")).Annotation(title=_("Participants confirmed?")) \
        .Then(this.tender).Else(this.pool)
    tender = flow.Handle().Annotation(title=_("Tender and award")).Next(this.end)
    end = flow.End().Annotation(title=_("Closed"))

    def start_process(self, activation, initiative: Initiative):
        activation.process.initiative = initiative
        activation.process.data = {"from_idea": initiative.proposing_organisation_id is not None}
        return activation.process

    def started_as_idea(self, activation) -> bool:
        return bool(activation.process.data.get("from_idea"))

    def is_frozen(self, activation) -> bool:
        initiative = Initiative.objects.get(pk=activation.process.coerced.initiative_id)
        return initiative.state != InitiativeState.POOLING


S = InitiativeState
# The flow node that is open while the initiative is in each state (None: the flow has ended).
STAGE = {
    S.IDEA: "idea", S.DRAFT: "prepare", S.POOLING: "pool", S.DECIDING: "decide",
    S.READY: "tender", S.TENDERING: "tender", S.AWARDED: "tender", S.ACTIVE: "tender",
    S.CLOSED: None, S.UNSUCCESSFUL: None,
}
ORDER = ["idea", "prepare", "pool", "decide", "tender", None]
STOPPED = {S.SHELVED, S.CANCELLED}


def _should_advance(current: str, target: str | None) -> bool:
    if current == "decide" and target == "pool":  # reopened: the gate loops back
        return True
    return ORDER.index(current) < ORDER.index(target)


def sync_initiative(initiative_id: int) -> InitiativeProcess | None:
    """Bring the initiative's process to its current state: start it when missing, complete the stages
    it has passed, cancel it when the initiative was shelved or cancelled. Idempotent."""
    try:
        with transaction.atomic():
            initiative = Initiative.objects.select_for_update().get(pk=initiative_id)
            process = InitiativeProcess.objects.filter(initiative=initiative).first()
            if process is None:
                process = InitiativeFlow.start.run(initiative=initiative)
            if process.status != PROCESS.NEW:
                return process
            if initiative.state in STOPPED:
                InitiativeFlow.instance.cancel(process)
                return process
            target = STAGE.get(initiative.state)
            for _step in range(len(ORDER) * 2):  # bounded: a loop back to pool is the only cycle
                task = process.task_set.filter(status=STATUS.NEW, flow_task_type="FUNCTION").order_by("-id").first()
                if task is None or task.flow_task.name == target or not _should_advance(task.flow_task.name, target):
                    break
                task.flow_task.run(task)
            return process
    except Exception:  # the chart is a mirror: a failure here must never break the page or the service
        logger.exception("Could not bring the process of initiative %s up to date", initiative_id)
        return None


def initiative_process_tasks(process: InitiativeProcess):
    return process.task_set.select_related("owner").order_by("created", "id")


def organisation_content_type():
    return ContentType.objects.get_for_model(Organisation)


__all__ = [
    "FROZEN_STATES",
    "InitiativeFlow",
    "ParticipationDecisionFlow",
    "complete_decision",
    "end_decision",
    "finish_decided",
    "inbox",
    "open_decision_task",
    "start_decision",
    "sync_initiative",
]
