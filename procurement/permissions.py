"""Who may do what for which organisation: the one place that answers it.

Services, API views, pages and the django-fsm transitions (``permission=``) all ask these predicates.
Every predicate takes the user first and answers a plain bool; ``visible_*`` functions return querysets
filtered to what the user may see (anything else is a 404, never a 403).
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import Initiative, Membership, Organisation, Participation, Role

_CACHE_ATTR = "_samenaankoop_roles"


def roles(user) -> frozenset[tuple[int, str]]:
    """The (organisation id, role) pairs of a user, read once per user object (that is: per request)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drop the cached roles, after memberships of this user object changed."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def organisation_ids(user, *wanted: str) -> set[int]:
    """Organisations in which the user holds any of the ``wanted`` roles (any role when none given)."""
    return {org for org, role in roles(user) if not wanted or role in wanted}


def has_role(user, organisation_id: int | None, *wanted: str) -> bool:
    return organisation_id is not None and organisation_id in organisation_ids(user, *wanted)


def _circle_organisation_ids(initiative: Initiative) -> set[int]:
    cached = getattr(initiative, "_circle_org_ids", None)
    if cached is None:
        cached = set(
            Organisation.objects.filter(circles__initiatives=initiative).values_list("id", flat=True)
        )
        initiative._circle_org_ids = cached
    return cached


def is_invited(initiative: Initiative, organisation_id: int) -> bool:
    """An organisation is invited when it belongs to one of the initiative's circles."""
    return organisation_id in _circle_organisation_ids(initiative)


# --- initiatives ---

def may_propose_idea(user, organisation: Organisation) -> bool:
    return has_role(user, organisation.pk, Role.ICT, Role.PROCUREMENT)


def may_register_interest(user, initiative: Initiative, organisation_id: int | None = None) -> bool:
    mine = organisation_ids(user, Role.ICT, Role.PROCUREMENT) & _circle_organisation_ids(initiative)
    return bool(mine) if organisation_id is None else organisation_id in mine


def may_create_initiative(user, lead_organisation: Organisation) -> bool:
    return has_role(user, lead_organisation.pk, Role.PROCUREMENT)


def may_adopt(user, initiative: Initiative, lead_organisation_id: int | None = None) -> bool:
    """A procurement officer of the organisation that will lead; without a lead named yet, of any
    organisation in the circles (who could name their own)."""
    if lead_organisation_id is not None:
        return has_role(user, lead_organisation_id, Role.PROCUREMENT)
    return bool(organisation_ids(user, Role.PROCUREMENT) & _circle_organisation_ids(initiative))


def may_shelve(user, initiative: Initiative) -> bool:
    return bool(organisation_ids(user, Role.PROCUREMENT) & _circle_organisation_ids(initiative)) or has_role(
        user, initiative.proposing_organisation_id, Role.ICT, Role.PROCUREMENT
    )


def may_manage_initiative(user, initiative: Initiative) -> bool:
    """Run the initiative: lots, items, pooling, confirmation, tender. The lead's procurement officers."""
    return has_role(user, initiative.lead_organisation_id, Role.PROCUREMENT)


def may_cancel(user, initiative: Initiative) -> bool:
    if initiative.lead_organisation_id is None:  # an idea: whoever may shelve it may cancel it
        return may_shelve(user, initiative)
    return may_manage_initiative(user, initiative)


def may_see_initiative(user, initiative: Initiative) -> bool:
    return visible_initiatives(user).filter(pk=initiative.pk).exists()


def visible_initiatives(user) -> QuerySet[Initiative]:
    """Initiatives offered to a circle of one of the user's organisations, led by one, or joined by one."""
    if user.is_superuser:
        return Initiative.objects.all()
    mine = organisation_ids(user)
    # Subqueries, not joins + DISTINCT: joining an initiative with its circles' organisations and its
    # participations multiplies them (601 × 600 rows for a round all of Flanders joins), and DISTINCT over
    # that took 2.3 s per page (bench/RESULTS.md).
    offered = Initiative.circles.through.objects.filter(circle__organisations__in=mine).values("initiative_id")
    joined = Participation.objects.filter(organisation__in=mine).values("initiative_id")
    return Initiative.objects.filter(
        Q(pk__in=offered)
        | Q(lead_organisation__in=mine)
        | Q(pk__in=joined)
        | Q(proposing_organisation__in=mine)
    )


# --- participations ---

def may_join(user, initiative: Initiative, organisation_id: int) -> bool:
    return has_role(user, organisation_id, Role.ICT)


def may_submit(user, participation: Participation) -> bool:
    """Enter and submit demand, or reopen it: the ICT staff of the participating organisation."""
    return has_role(user, participation.organisation_id, Role.ICT)


may_edit_demand = may_submit


def may_decide(user, participation: Participation) -> bool:
    """Approve or decline: the aldermen (or the body's delegates) of the participating organisation."""
    return has_role(user, participation.organisation_id, Role.ALDERMAN)


def may_withdraw(user, participation: Participation) -> bool:
    return has_role(user, participation.organisation_id, Role.ICT, Role.ALDERMAN)


def may_see_participation(user, participation: Participation) -> bool:
    return visible_participations(user).filter(pk=participation.pk).exists()


def visible_participations(user) -> QuerySet[Participation]:
    """Own organisations' participations; the lead's procurement officers see every participation."""
    if user.is_superuser:
        return Participation.objects.all()
    return Participation.objects.filter(
        Q(organisation__in=organisation_ids(user))
        | Q(initiative__lead_organisation__in=organisation_ids(user, Role.PROCUREMENT))
    )


def users_with_role(organisation_ids: Iterable[int], role: str):
    """The active users holding ``role`` in any of these organisations (for notifications)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__organisation__in=list(organisation_ids), memberships__role=role
        )
        .distinct()
    )
