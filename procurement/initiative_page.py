"""What the initiative page shows, as reads (selectors): its live figures (pooled and estimated value, advice,
progress; refreshed with htmx) and its participants with what each one's demand is worth."""

from decimal import Decimal

from procurement import permissions, selectors
from procurement.models import Initiative, InitiativeState, Organisation, ParticipationState, Role


def figures(initiative: Initiative, user) -> dict:
    """What the live part of the page shows: pooled value, advice, progress (refreshed with htmx)."""
    totals = selectors.demand_totals(initiative)
    counts = selectors.participation_counts(initiative)
    return {
        "totals": totals,
        "advice": selectors.advice_for(initiative, demand=totals.pooled_value_exact),
        "counts": counts,
        "participant_count": sum(counts[s] for s in (ParticipationState.DRAFT, ParticipationState.SUBMITTED,
                                                     ParticipationState.APPROVED)),
        "invited": Organisation.objects.filter(circles__initiatives=initiative).distinct().count(),
        "may_manage": permissions.may_manage_initiative(user, initiative),
    }


def participant_rows(initiative: Initiative, user, totals: selectors.DemandTotals) -> list[dict]:
    """The participations the user may see, each with its subtotal excl. and incl. VAT."""
    participations = (
        permissions.visible_participations(user)
        .filter(initiative=initiative)
        .select_related("organisation", "contact", "decided_by")
        .order_by("organisation__name")
    )
    subtotals = totals.subtotals
    subtotals_incl = totals.subtotals_incl_vat
    # What the participations that do not count (declined, withdrawn…) were worth: one aggregate for all of
    # them, not one query per row (the page must not make more queries for more organisations).
    uncounted = selectors.demand_totals(
        initiative, states=tuple(set(ParticipationState.values) - set(selectors.counting_states(initiative)))
    ).subtotals
    rows = []
    for participation in participations:
        value = subtotals.get(participation.pk)
        if value is None:  # not counted in the pooled value: show what it was worth
            value = uncounted.get(participation.pk, Decimal("0.00"))
        rows.append({"participation": participation, "subtotal": value,
                     "subtotal_incl": subtotals_incl.get(participation.pk)})
    return rows


def joinable_organisations(user, initiative: Initiative):
    """The user's organisations (as ICT staff) that may still join this round."""
    if initiative.state != InitiativeState.POOLING:
        return Organisation.objects.none()
    ids = [org for org in permissions.organisation_ids(user, Role.ICT) if permissions.is_invited(initiative, org)]
    return Organisation.objects.filter(pk__in=ids).exclude(participations__initiative=initiative).order_by("name")


def interest_organisations(user, initiative: Initiative):
    """The user's organisations that may register interest in this idea."""
    if initiative.state != InitiativeState.IDEA:
        return Organisation.objects.none()
    ids = [org for org in permissions.organisation_ids(user, Role.ICT, Role.PROCUREMENT)
           if permissions.is_invited(initiative, org)]
    return Organisation.objects.filter(pk__in=ids).order_by("name")
