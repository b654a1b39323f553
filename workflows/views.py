"""The aldermen's task inbox, the decision task page and the process pages with their charts.

The task page calls the service first (the django-fsm transition decides what is allowed) and completes
the viewflow task only when the service agreed, in the same transaction: a refused decision changes
neither the participation nor the task."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import attempt
from procurement import permissions, selectors
from procurement.forms import DecisionForm
from procurement.models import ParticipationState, Role
from procurement.views import decisions
from procurement.views.base import visible_initiative, visible_participation

from . import charts, flows


def _amounts(participation) -> dict:
    totals = selectors.demand_totals(participation.initiative, participation=participation)
    return {"excl": totals.subtotals.get(participation.pk), "incl": totals.subtotals_incl_vat.get(participation.pk)}


def inbox_rows(user) -> list[dict]:
    """The open decision tasks of the user's organisations, oldest first, with the amounts."""
    rows = []
    for task in flows.inbox(user):
        participation = task.process.decisionprocess.participation
        rows.append({"task": task, "participation": participation, **_amounts(participation),
                     "mine": task.owner_id == user.pk})
    return rows


@login_required
def inbox(request):
    user = request.user
    organisation_ids = permissions.organisation_ids(user, Role.ALDERMAN)
    history = (
        flows.decision_tasks()
        .filter(process__decisionprocess__participation__organisation_id__in=organisation_ids)
        .exclude(status__in=flows.OPEN)
        .order_by("-finished", "-id")[:25]
    )
    template = "workflows/_inbox_table.html" if request.htmx else "workflows/inbox.html"
    return render(request, template, {
        "rows": inbox_rows(user), "history": history, "is_alderman": bool(organisation_ids),
    })


def _task_or_404(user, task_pk: int):
    task = get_object_or_404(flows.decision_tasks(), pk=task_pk)
    participation = task.process.decisionprocess.participation
    # Another organisation's task is as invisible as its participation.
    visible_participation(user, participation.pk)
    return task, participation



def _decide(form, participation, task, user) -> None:
    """Record the deciding body's decision and close the alderman's task: both or neither."""
    with transaction.atomic():
        decisions.record_decision(form, participation, user)
        flows.complete_decision(task, user)

@login_required
def decision_task(request, task_pk: int):
    """The decision page: the participation summary and the approve / decline form."""
    user = request.user
    task, participation = _task_or_404(user, task_pk)
    node = task.flow_task
    is_open = task.status in flows.OPEN
    may_decide = permissions.may_decide(user, participation)
    form = None
    status = 200
    if is_open and may_decide:
        form = DecisionForm(request.POST or None, initial=decisions.initial(participation))
        if request.method == "POST":
            status = 400
            if form.is_valid():
                _result, status = attempt(request, lambda: _decide(form, participation, task, user), form=form)
                if status == 200:
                    participation.refresh_from_db()
                    messages.success(request, _("The participation of %(organisation)s is %(state)s.") % {
                        "organisation": participation.organisation, "state": participation.get_state_display()})
                    return redirect("workflows:inbox")
    elif request.method == "POST":
        if not may_decide:
            raise PermissionDenied(_("Only aldermen of %(organisation)s can decide on its participation.")
                                   % {"organisation": participation.organisation})
        messages.error(request, _("This task is no longer open."))
        status = 409
    return render(request, "workflows/decision_task.html", {
        "task": task,
        "node": node,
        "participation": participation,
        "initiative": participation.initiative,
        "form": form,
        "is_open": is_open,
        "may_decide": may_decide,
        "may_assign": is_open and node.can_assign(user, task),
        "may_unassign": is_open and task.owner_id == user.pk,
        "may_take_over": is_open and task.owner_id not in (None, user.pk) and node.can_unassign(user, task),
        "history": task.process.task_set.select_related("owner").order_by("created", "id"),
        **decisions.summary(participation),
    }, status=status)


@login_required
@require_POST
def task_assign(request, task_pk: int):
    """Take the task (or take it over from a fellow alderman of the same organisation)."""
    user = request.user
    task, participation = _task_or_404(user, task_pk)
    node = task.flow_task
    with transaction.atomic(), task.activation() as activation:
        if task.status == flows.STATUS.NEW and node.can_assign(user, task):
            activation.assign(user)
        elif task.status == flows.STATUS.ASSIGNED and task.owner_id != user.pk and node.can_unassign(user, task):
            activation.reassign(user)
        elif not permissions.may_decide(user, participation):
            raise PermissionDenied(_("Only aldermen of %(organisation)s can take this task.")
                                   % {"organisation": participation.organisation})
        else:
            messages.error(request, _("This task is no longer open."))
            return redirect("workflows:task", task_pk=task.pk)
    messages.success(request, _("The task is assigned to you."))
    return redirect("workflows:task", task_pk=task.pk)


@login_required
@require_POST
def task_unassign(request, task_pk: int):
    user = request.user
    task, participation = _task_or_404(user, task_pk)
    if task.owner_id != user.pk or task.status != flows.STATUS.ASSIGNED:
        raise PermissionDenied(_("Only the alderman the task is assigned to can hand it back."))
    with transaction.atomic(), task.activation() as activation:
        activation.unassign()
    messages.success(request, _("The task is back in the inbox of the aldermen of %(organisation)s.")
                     % {"organisation": participation.organisation})
    return redirect("workflows:inbox")


@login_required
def decide_participation(request, pk: int):
    """From a participation to its open decision task (starting the flow if the event was missed)."""
    participation = visible_participation(request.user, pk)
    task = flows.open_decision_task(participation.pk)
    if task is None and participation.state == ParticipationState.SUBMITTED:
        flows.start_decision(participation.pk)
        task = flows.open_decision_task(participation.pk)
    if task is None:
        raise Http404(_("There is no open decision task for this participation."))
    return redirect("workflows:task", task_pk=task.pk)


@login_required
def initiative_process(request, pk: int):
    """The initiative's process: its chart and the history of its steps and decision tasks."""
    user = request.user
    initiative = visible_initiative(user, pk)
    process = flows.sync_initiative(initiative.pk)
    participations = permissions.visible_participations(user).filter(initiative=initiative)
    decision_history = (
        flows.decision_tasks()
        .filter(process__decisionprocess__participation__in=participations)
        .order_by("created", "id")
    )
    return render(request, "workflows/initiative_process.html", {
        "initiative": initiative,
        "process": process,
        "chart": charts.initiative_chart(process) if process else "",
        "steps": flows.initiative_process_tasks(process) if process else [],
        "decision_history": decision_history,
    })
