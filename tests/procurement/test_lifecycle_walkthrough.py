"""One whole round through the services, as the three roles would walk it."""

from datetime import date
from decimal import Decimal

from audit.models import AuditEntry
from procurement import selectors, services
from procurement.models import InitiativeState, ParticipationState


def test_a_round_from_pooling_to_ready(round_, django_capture_on_commit_callbacks, mailoutbox):
    wetteren = round_.wetteren_people
    with django_capture_on_commit_callbacks(execute=True):
        p = services.participation_join(initiative=round_.initiative, actor=wetteren.ict, organisation=round_.wetteren)
        services.demand_set(participation=p, actor=wetteren.ict, lines=[
            {"item": round_.laptop.pk, "quantity": "40"}, {"item": round_.monitor.pk, "quantity": 12},
        ])
        p = services.participation_submit(participation=p, actor=wetteren.ict)
    assert p.state == ParticipationState.SUBMITTED
    assert selectors.pooled_value(round_.initiative) == Decimal("38520.00")  # 40 × 900 + 12 × 210
    assert any("Decision needed" in m.subject for m in mailoutbox)

    lead = round_.lead_people.procurement
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_close_pooling(initiative=round_.initiative, actor=lead)
        p = services.participation_approve(participation=p, actor=wetteren.alderman, decision_date=date.today(),
                                           decision_reference="CBS/2026/117")
        initiative = services.initiative_confirm_participants(initiative=round_.initiative, actor=lead)
    assert initiative.state == InitiativeState.READY
    assert p.state == ParticipationState.APPROVED
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "procurement.participation.joined",
        "procurement.participation.demand_changed",
        "procurement.initiative.threshold_crossed",
        "procurement.participation.submitted",
        "procurement.initiative.pooling_closed",
        "procurement.participation.approved",
        "procurement.initiative.participants_confirmed",
    ]
