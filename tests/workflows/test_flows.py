"""The viewflow flows follow the domain events: a submission opens a decision task for the organisation's
aldermen, the decision completes it, reopen / withdraw / lapse cancel it, and an open task is escalated
once, two working days before the decision deadline."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from viewflow.workflow import STATUS
from viewflow.workflow.status import PROCESS

from procurement import services
from procurement.models import InitiativeState, ParticipationState
from tests import factories as f
from workflows import flows
from workflows.models import DecisionEscalation, DecisionProcess, InitiativeProcess
from workflows.tasks import escalate_decision_tasks
from workflows.workdays import easter, is_working_day, working_days_before

BRUSSELS = ZoneInfo("Europe/Brussels")



@pytest.fixture
def submitted(round_, django_capture_on_commit_callbacks):
    """Wetteren joined, entered demand and submitted; the events ran (the flow started)."""
    ict = round_.wetteren_people.ict
    with django_capture_on_commit_callbacks(execute=True):
        p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
        services.demand_set(participation=p, actor=ict, lines=[{"item": round_.laptop.pk, "quantity": "10"}])
        p = services.participation_submit(participation=p, actor=ict)
    return p


def test_submission_starts_a_decision_task_for_the_aldermen(round_, submitted):
    task = flows.open_decision_task(submitted.pk)
    assert task is not None
    assert task.status == STATUS.NEW
    assert task.owner_permission == flows.DECIDE_PERMISSION
    assert task.owner_permission_obj == round_.wetteren
    process = DecisionProcess.objects.get(participation=submitted)
    assert process.status == PROCESS.NEW
    # In the inbox of Wetteren's alderman, not of Laarne's or of the ICT officer.
    assert list(flows.inbox(round_.wetteren_people.alderman)) == [task]
    assert list(flows.inbox(round_.laarne_people.alderman)) == []
    assert list(flows.inbox(round_.wetteren_people.ict)) == []
    node = task.flow_task
    assert node.can_assign(round_.wetteren_people.alderman, task)
    assert not node.can_assign(round_.laarne_people.alderman, task)
    assert not node.can_assign(round_.wetteren_people.ict, task)


def test_a_second_start_is_a_no_op(submitted):
    assert flows.start_decision(submitted.pk) is None
    assert DecisionProcess.objects.filter(participation=submitted).count() == 1


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_the_decision_completes_the_task(round_, submitted, decision, django_capture_on_commit_callbacks):
    alderman = round_.wetteren_people.alderman
    task = flows.open_decision_task(submitted.pk)
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "approve":
            services.participation_approve(participation=submitted, actor=alderman, decision_date=date.today(),
                                           decision_reference="CBS/2026/117")
        else:
            services.participation_decline(participation=submitted, actor=alderman, decision_date=date.today(),
                                           decision_reference="CBS/2026/118", reason="Geen budget")
        flows.complete_decision(task, alderman)
    task.refresh_from_db()
    assert task.status == STATUS.DONE
    assert task.owner == alderman
    process = DecisionProcess.objects.get(participation=submitted)
    assert process.status == PROCESS.DONE
    end = process.task_set.get(flow_task_type="END")
    assert end.flow_task.name == ("approved" if decision == "approve" else "declined")
    assert flows.open_decision_task(submitted.pk) is None


def test_a_decision_through_the_api_closes_the_task_too(round_, submitted, django_capture_on_commit_callbacks):
    """The participation_decided receiver completes a task nobody completed on the task page."""
    alderman = round_.wetteren_people.alderman
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_approve(participation=submitted, actor=alderman, decision_date=date.today(),
                                       decision_reference="CBS/2026/119")
    assert flows.open_decision_task(submitted.pk) is None
    task = flows.decision_tasks().get(process__decisionprocess__participation=submitted)
    assert task.status == STATUS.DONE and task.owner == alderman


def test_reopen_cancels_the_task_and_a_new_submission_starts_a_new_one(round_, submitted,
                                                                       django_capture_on_commit_callbacks):
    ict = round_.wetteren_people.ict
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_reopen(participation=submitted, actor=ict)
    assert flows.open_decision_task(submitted.pk) is None
    assert DecisionProcess.objects.get(participation=submitted).status == PROCESS.CANCELED
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_submit(participation=submitted, actor=ict)
    assert flows.open_decision_task(submitted.pk) is not None
    assert DecisionProcess.objects.filter(participation=submitted).count() == 2


def test_withdraw_cancels_the_task(round_, submitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_withdraw(participation=submitted, actor=round_.wetteren_people.ict, reason="Later")
    assert flows.open_decision_task(submitted.pk) is None
    task = flows.decision_tasks().get(process__decisionprocess__participation=submitted)
    assert task.status == STATUS.CANCELED


def test_lapse_cancels_the_task(round_, submitted, django_capture_on_commit_callbacks):
    """Laarne is approved, Wetteren never decided: confirming the participants lets Wetteren lapse."""
    laarne = round_.laarne_people
    lead = round_.lead_people.procurement
    with django_capture_on_commit_callbacks(execute=True):
        p = services.participation_join(initiative=round_.initiative, actor=laarne.ict, organisation=round_.laarne)
        services.demand_set(participation=p, actor=laarne.ict, lines=[{"item": round_.monitor.pk, "quantity": "5"}])
        services.participation_submit(participation=p, actor=laarne.ict)
        services.initiative_close_pooling(initiative=round_.initiative, actor=lead)
        services.participation_approve(participation=p, actor=laarne.alderman, decision_date=date.today(),
                                       decision_reference="CBS/7")
        services.initiative_confirm_participants(initiative=round_.initiative, actor=lead)
    submitted.refresh_from_db()
    assert submitted.state == ParticipationState.LAPSED
    assert flows.open_decision_task(submitted.pk) is None
    assert flows.decision_tasks().get(process__decisionprocess__participation=submitted).status == STATUS.CANCELED


# --- escalation ---

def _move_deadline(initiative, when):
    type(initiative).objects.filter(pk=initiative.pk).update(decision_deadline=when)


def test_escalation_mails_alderman_and_procurement_once(round_, submitted, mailoutbox, settings):
    mailoutbox.clear()
    # Deadline within two working days: escalate now.
    _move_deadline(round_.initiative, timezone.now() + timedelta(hours=20))
    sent = escalate_decision_tasks()
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert recipients == sorted([round_.wetteren_people.alderman.email, round_.lead_people.procurement.email])
    assert sent == 2
    assert all("Decision still open" in m.subject for m in mailoutbox)
    assert mailoutbox[0].alternatives  # an HTML part as well
    task = flows.open_decision_task(submitted.pk)
    assert DecisionEscalation.objects.get(task=task).recipients == 2
    # Once per task: a second run sends nothing.
    assert escalate_decision_tasks() == 0
    assert len(mailoutbox) == 2


def test_no_escalation_while_the_deadline_is_far_or_passed(round_, submitted, mailoutbox):
    mailoutbox.clear()
    _move_deadline(round_.initiative, timezone.now() + timedelta(days=10))
    assert escalate_decision_tasks() == 0
    _move_deadline(round_.initiative, timezone.now() - timedelta(hours=1))
    assert escalate_decision_tasks() == 0
    assert mailoutbox == []


def test_an_assigned_task_escalates_to_its_owner(round_, submitted, mailoutbox):
    second = f.UserFactory(username="alderman2.wetteren")
    f.MembershipFactory(user=second, organisation=round_.wetteren, role="alderman")
    task = flows.open_decision_task(submitted.pk)
    with task.activation() as activation:
        activation.assign(second)
    mailoutbox.clear()
    _move_deadline(round_.initiative, timezone.now() + timedelta(hours=2))
    escalate_decision_tasks()
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert recipients == sorted([second.email, round_.lead_people.procurement.email])


def test_working_days_skip_weekends_and_belgian_holidays():
    assert easter(2026) == date(2026, 4, 5)
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 11, 11))  # Armistice
    assert is_working_day(date(2026, 11, 12))
    # Tuesday 17:00 → two working days before is the Friday before, 17:00.
    deadline = datetime(2026, 11, 24, 17, 0, tzinfo=BRUSSELS)
    assert working_days_before(deadline, 2) == datetime(2026, 11, 20, 17, 0, tzinfo=BRUSSELS)
    # Thursday 12 November: Wednesday 11 November is a holiday, so Monday 9 and Tuesday 10 count.
    deadline = datetime(2026, 11, 12, 12, 0, tzinfo=BRUSSELS)
    assert working_days_before(deadline, 2) == datetime(2026, 11, 9, 12, 0, tzinfo=BRUSSELS)


# --- the initiative flow ---

def test_the_initiative_process_follows_the_lifecycle(round_, submitted, django_capture_on_commit_callbacks):
    initiative = round_.initiative
    process = flows.sync_initiative(initiative.pk)
    assert process is not None
    open_nodes = [t.flow_task.name for t in process.task_set.filter(status=STATUS.NEW)]
    assert open_nodes == ["pool"]
    lead = round_.lead_people.procurement
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_close_pooling(initiative=initiative, actor=lead)
    assert [t.flow_task.name for t in process.task_set.filter(status=STATUS.NEW)] == ["decide"]
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_reopen_pooling(initiative=initiative, actor=lead)
    assert [t.flow_task.name for t in process.task_set.filter(status=STATUS.NEW)] == ["pool"]
    assert process.task_set.filter(flow_task=flows.InitiativeFlow.pool).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_cancel(initiative=initiative, actor=lead, reason="Geen budget meer")
    process.refresh_from_db()
    assert process.status == PROCESS.CANCELED
    assert InitiativeProcess.objects.filter(initiative=initiative).count() == 1


def test_sync_is_idempotent_and_reaches_the_tender(round_, submitted, django_capture_on_commit_callbacks):
    initiative = round_.initiative
    lead = round_.lead_people.procurement
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_close_pooling(initiative=initiative, actor=lead)
        services.participation_approve(participation=submitted, actor=round_.wetteren_people.alderman,
                                       decision_date=date.today(), decision_reference="CBS/1")
        services.initiative_confirm_participants(initiative=initiative, actor=lead)
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.READY
    process = flows.sync_initiative(initiative.pk)
    flows.sync_initiative(initiative.pk)
    assert [t.flow_task.name for t in process.task_set.filter(status=STATUS.NEW)] == ["tender"]
