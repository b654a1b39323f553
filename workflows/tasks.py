"""Scheduled work (deadlines, reminders) and the mails that follow domain events.

Every task takes ids, reads fresh rows and calls services for any state change; a task that runs twice
does no harm.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import formatting
from procurement import permissions, selectors
from procurement.models import Initiative, InitiativeState, Participation, ParticipationState, Role
from procurement.services import initiative_close_pooling_at_deadline

from .models import DeadlineReminder
from .notifications import notify

logger = logging.getLogger(__name__)


@shared_task
def close_expired_pooling() -> list[int]:
    """Close pooling of every initiative whose demand deadline has passed. Returns the ids it closed."""
    due = Initiative.objects.filter(state=InitiativeState.POOLING, demand_deadline__lte=timezone.now())
    closed = []
    for initiative_id in due.values_list("id", flat=True):
        if initiative_close_pooling_at_deadline(initiative_id=initiative_id):
            closed.append(initiative_id)
    if closed:
        logger.info("Closed pooling at the demand deadline: %s", closed)
    return closed


def _not_submitted_ict_staff(initiative: Initiative):
    """ICT staff of invited organisations that have not submitted: no participation yet, or a draft."""
    invited = set(permissions.Organisation.objects.filter(circles__initiatives=initiative).values_list("id", flat=True))
    done = set(
        initiative.participations.exclude(state=ParticipationState.DRAFT).values_list("organisation_id", flat=True)
    )
    return permissions.users_with_role(invited - done, Role.ICT)


@shared_task
def send_demand_deadline_reminders() -> int:
    """Remind 3 days and 1 day before the demand deadline (settings.DEMAND_REMINDER_DAYS). Sent once per
    initiative, deadline and distance; when several distances are due at once only the nearest goes out."""
    now = timezone.now()
    sent = 0
    days = sorted(settings.DEMAND_REMINDER_DAYS)
    for initiative in Initiative.objects.filter(
        state=InitiativeState.POOLING, demand_deadline__gt=now, demand_deadline__lte=now + timedelta(days=max(days))
    ):
        due = [d for d in days if initiative.demand_deadline - timedelta(days=d) <= now]
        if not due:
            continue
        # Mark every due distance as done, each on its own: the 3-day mark that went out two days ago must
        # not stop the 1-day reminder. The unique constraint makes a second (or concurrent) run a no-op.
        marked = []
        for d in due:
            try:
                with transaction.atomic():
                    DeadlineReminder.objects.create(initiative=initiative, days_before=d,
                                                    deadline=initiative.demand_deadline)
                marked.append(d)
            except IntegrityError:
                pass
        if due[0] not in marked:  # the nearest reminder already went out
            continue
        recipients = list(_not_submitted_ict_staff(initiative))
        sent += notify(
            users=recipients,
            template="demand_deadline_reminder",
            context={"initiative": initiative, "deadline": formatting.deadline(initiative.demand_deadline),
                     "days": due[0]},
        )
    return sent


@shared_task
def mail_pooling_opened(initiative_id: int) -> int:
    """Tell the circles' ICT staff that a round is open, those who showed interest first."""
    initiative = Initiative.objects.get(pk=initiative_id)
    interested = list(initiative.interests.values_list("organisation_id", flat=True))
    invited = list(permissions.Organisation.objects.filter(circles__initiatives=initiative)
                   .values_list("id", flat=True).distinct())
    context = {"initiative": initiative, "deadline": formatting.deadline(initiative.demand_deadline)}
    first = list(permissions.users_with_role(interested, Role.ICT))
    rest = permissions.users_with_role(set(invited) - set(interested), Role.ICT).exclude(pk__in=[u.pk for u in first])
    return notify(users=first, template="pooling_opened", context={**context, "interested": True}) + notify(
        users=rest, template="pooling_opened", context=context
    )


@shared_task
def mail_pooling_closed(initiative_id: int) -> int:
    initiative = Initiative.objects.get(pk=initiative_id)
    organisations = initiative.participations.values_list("organisation_id", flat=True)
    users = permissions.users_with_role(organisations, Role.ICT) | permissions.users_with_role(organisations, Role.ALDERMAN)
    return notify(users=users.distinct(), template="pooling_closed", context={
        "initiative": initiative,
        "decision_deadline": formatting.deadline(initiative.decision_deadline) if initiative.decision_deadline else "",
    })


@shared_task
def mail_participation_submitted(participation_id: int) -> int:
    participation = Participation.objects.select_related("initiative", "organisation").get(pk=participation_id)
    return notify(
        users=permissions.users_with_role([participation.organisation_id], Role.ALDERMAN),
        template="participation_submitted",
        context={
            "participation": participation,
            "initiative": participation.initiative,
            "subtotal": formatting.money(selectors.participation_subtotal(participation)),
            "decision_deadline": formatting.deadline(participation.initiative.decision_deadline)
            if participation.initiative.decision_deadline else "",
        },
    )


@shared_task
def mail_participation_decided(participation_id: int) -> int:
    participation = Participation.objects.select_related("initiative", "organisation").get(pk=participation_id)
    users = permissions.users_with_role([participation.organisation_id], Role.ICT) | permissions.users_with_role(
        [participation.initiative.lead_organisation_id], Role.PROCUREMENT
    )
    return notify(users=users.distinct(), template="participation_decided",
                  context={"participation": participation, "initiative": participation.initiative})


@shared_task
def mail_threshold_crossed(initiative_id: int, before: dict, after: dict) -> int:
    initiative = Initiative.objects.get(pk=initiative_id)
    return notify(
        users=permissions.users_with_role([initiative.lead_organisation_id], Role.PROCUREMENT),
        template="threshold_crossed",
        context={"initiative": initiative, "before": before, "after": after,
                 "before_value": formatting.money(before["value"]), "after_value": formatting.money(after["value"])},
    )


@shared_task
def escalate_decision_tasks() -> int:
    """Escalate every decision task still open two working days before the decision deadline: a mail to
    the aldermen it is offered to (its owner, once taken) and to the lead's procurement officers. Once per
    task: the DecisionEscalation row is written first, and its one-to-one key refuses a second run.
    Returns the number of mails sent."""
    from .flows import inbox_all_open
    from .models import DecisionEscalation
    from .workdays import working_days_before

    now = timezone.now()
    sent = 0
    days = settings.DECISION_ESCALATION_WORKING_DAYS
    for task in inbox_all_open().filter(escalation__isnull=True,
                                        process__decisionprocess__participation__initiative__decision_deadline__gt=now):
        participation = task.process.decisionprocess.participation
        deadline = participation.initiative.decision_deadline
        if working_days_before(deadline, days) > now:
            continue
        try:
            with transaction.atomic():
                escalation = DecisionEscalation.objects.create(task=task, deadline=deadline)
        except IntegrityError:  # another run escalated it at the same moment
            continue
        aldermen = [task.owner] if task.owner_id else list(
            permissions.users_with_role([participation.organisation_id], Role.ALDERMAN))
        officers = permissions.users_with_role([participation.initiative.lead_organisation_id], Role.PROCUREMENT)
        users = {user.pk: user for user in [*aldermen, *officers]}.values()
        context = {
            "participation": participation,
            "initiative": participation.initiative,
            "organisation": participation.organisation,
            "decision_deadline": formatting.deadline(deadline),
            "subtotal": formatting.money(selectors.participation_subtotal(participation)),
            "owner": task.owner,
            "task_url": settings.SITE_URL.rstrip("/") + reverse("workflows:task", args=[task.pk]),
        }
        count = notify(users=users, template="decision_escalation", context=context)
        DecisionEscalation.objects.filter(pk=escalation.pk).update(recipients=count)
        sent += count
    if sent:
        logger.info("Escalated decision tasks: %s mails", sent)
    return sent
