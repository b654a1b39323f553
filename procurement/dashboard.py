"""What the dashboard shows, a section per role the user holds: reads only (selectors), the page renders them.

The aldermen's task inbox comes from the workflows app through its template tags (``procurement``
never imports ``workflows``, DESIGN.md §8)."""

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement import permissions, selectors
from procurement.models import (
    Initiative,
    InitiativeState,
    Organisation,
    Participation,
    ParticipationState,
    Role,
)
from procurement.tasklist import next_action

S = InitiativeState
P = ParticipationState
SOON = timedelta(days=7)
FINISHED = [S.CLOSED, S.CANCELLED, S.SHELVED, S.UNSUCCESSFUL]


def ict_section(user, organisation_ids: set[int]) -> dict:
    participations = list(
        Participation.objects.filter(organisation__in=organisation_ids)
        .exclude(initiative__state__in=FINISHED)
        .select_related("initiative", "organisation")
        .order_by("initiative__demand_deadline", "initiative_id", "organisation__name")
    )
    joined = {(p.initiative_id, p.organisation_id) for p in participations}
    rounds = []
    open_rounds = (
        Initiative.objects.filter(state=S.POOLING, circles__organisations__in=organisation_ids)
        .distinct()
        .select_related("lead_organisation")
        .order_by("demand_deadline", "id")
    )
    for initiative in open_rounds:
        invited = [org for org in organisation_ids if permissions.is_invited(initiative, org)]
        not_joined = [org for org in invited if (initiative.pk, org) not in joined]
        rounds.append({"initiative": initiative, "may_join": bool(not_joined), "not_joined": len(not_joined)})
    ideas = (
        Initiative.objects.filter(state=S.IDEA, circles__organisations__in=organisation_ids)
        .distinct()
        .order_by("-created_at")[:10]
    )
    todo = []
    for p in participations:
        initiative = p.initiative
        open_for_demand = initiative.state == S.POOLING and (
            initiative.demand_deadline is None or initiative.demand_deadline > timezone.now()
        )
        if p.state == P.DRAFT and open_for_demand:
            todo.append({"participation": p, "text": _("Enter the demand and submit it for approval"),
                         "deadline": initiative.demand_deadline})
        elif p.state == P.SUBMITTED:
            todo.append({"participation": p, "text": _("Waiting for the decision of the alderman"),
                         "deadline": initiative.decision_deadline, "waiting": True})
    for entry in rounds:
        deadline = entry["initiative"].demand_deadline
        if entry["may_join"] and deadline and deadline > timezone.now():
            todo.append({"initiative": entry["initiative"],
                         "text": _("Join the round if your organisation needs it; otherwise nothing is needed: the "
                                   "round passes at its demand deadline"),
                         "deadline": entry["initiative"].demand_deadline})
    todo.sort(key=lambda t: (t.get("waiting", False), t["deadline"] or timezone.now() + timedelta(days=3650)))
    return {"participations": participations, "rounds": rounds, "ideas": ideas, "todo": todo}


def alderman_section(user, organisation_ids: set[int]) -> dict:
    recent = (
        Participation.objects.filter(organisation__in=organisation_ids, state__in=[P.APPROVED, P.DECLINED])
        .select_related("initiative", "organisation", "decided_by")
        .order_by("-decided_at")[:10]
    )
    return {"recent": recent}


def procurement_section(user, organisation_ids: set[int]) -> dict:
    initiatives = (
        Initiative.objects.filter(lead_organisation__in=organisation_ids)
        .exclude(state__in=FINISHED)
        .select_related("lead_organisation")
        .prefetch_related(Prefetch("circles"))
        .order_by("demand_deadline", "id")
    )
    now = timezone.now()
    rows, approaching = [], []
    for initiative in initiatives:
        totals = selectors.demand_totals(initiative)
        counts = selectors.participation_counts(initiative)
        invited = Organisation.objects.filter(circles__initiatives=initiative).distinct().count()
        rows.append({
            "initiative": initiative,
            "pooled_value": selectors.estimated_value(initiative, demand=totals.pooled_value_exact).total,
            "advice": selectors.advice_for(initiative, demand=totals.pooled_value_exact),
            "invited": invited,
            "joined": sum(counts[s] for s in (P.DRAFT, P.SUBMITTED, P.APPROVED, P.DECLINED)),
            "submitted": counts[P.SUBMITTED],
            "approved": counts[P.APPROVED],
            "declined": counts[P.DECLINED],
            "next": next_action(initiative, user),
        })
        for label, moment in ((_("demand deadline"), initiative.demand_deadline),
                              (_("decision deadline"), initiative.decision_deadline)):
            relevant = (label == _("demand deadline") and initiative.state == S.POOLING) or (
                label == _("decision deadline") and initiative.state in (S.POOLING, S.DECIDING))
            if relevant and moment and now < moment <= now + SOON:
                approaching.append({"initiative": initiative, "label": label, "moment": moment})
    approaching.sort(key=lambda a: a["moment"])
    ideas = (
        Initiative.objects.filter(state=S.IDEA, circles__organisations__in=organisation_ids)
        .distinct()
        .order_by("-created_at")[:10]
    )
    return {"rows": rows, "approaching": approaching, "ideas": ideas}


def sections(user) -> dict:
    """Every section the user's roles call for (None for a role the user does not hold)."""
    ict = permissions.organisation_ids(user, Role.ICT)
    aldermen = permissions.organisation_ids(user, Role.ALDERMAN)
    procurement = permissions.organisation_ids(user, Role.PROCUREMENT)
    return {
        "ict": ict_section(user, ict) if ict else None,
        "alderman": alderman_section(user, aldermen) if aldermen else None,
        "procurement": procurement_section(user, procurement) if procurement else None,
        "has_role": bool(permissions.organisation_ids(user)),
    }
