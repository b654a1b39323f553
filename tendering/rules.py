"""Who may do what in a tender: the tendering app's own rules, on top of the roles that
``procurement.permissions`` knows. Every predicate takes the user first; ``visible_tenders`` returns what the
user may see (anything else is a 404)."""

from django.db.models import Q, QuerySet

from procurement.models import Participation, ParticipationState, Role
from procurement.permissions import has_role, organisation_ids

from .models import EVALUATED_STATES, Tender


def may_register_supplier(user) -> bool:
    """Suppliers are a shared register: any procurement officer may add one."""
    return bool(organisation_ids(user, Role.PROCUREMENT))


def may_manage_tender(user, tender: Tender) -> bool:
    """Run the tender (publish, bids, evaluation, award, conclusion): the lead's procurement officers."""
    return has_role(user, tender.initiative.lead_organisation_id, Role.PROCUREMENT)


def visible_tenders(user) -> QuerySet[Tender]:
    """The lead organisation's members and the approved participants' members read a tender; anyone
    else gets a 404 (a circle member that did not take part sees the initiative, not its tender)."""
    if user.is_superuser:
        return Tender.objects.all()
    mine = organisation_ids(user)
    participating = Participation.objects.filter(organisation__in=mine, state=ParticipationState.APPROVED)
    return Tender.objects.filter(
        Q(initiative__lead_organisation__in=mine) | Q(initiative__participations__in=participating)
    ).distinct()


def may_see_tender(user, tender: Tender) -> bool:
    return visible_tenders(user).filter(pk=tender.pk).exists()


def may_see_bids(user, tender: Tender) -> bool:
    """Bids and scores are confidential until the evaluation; then the participants may read them."""
    return may_manage_tender(user, tender) or (tender.state in EVALUATED_STATES and may_see_tender(user, tender))
