"""What the pages share: finding the objects a user may see (anything else is a 404)."""

from django.shortcuts import get_object_or_404

from procurement import permissions
from procurement.models import Initiative, Participation


def visible_initiative(user, pk: int) -> Initiative:
    return get_object_or_404(
        permissions.visible_initiatives(user).select_related("lead_organisation", "proposing_organisation"), pk=pk
    )


def visible_participation(user, pk: int) -> Participation:
    """A participation the user may see; anybody else's is a 404, never a 403."""
    return get_object_or_404(
        permissions.visible_participations(user).select_related(
            "initiative", "initiative__lead_organisation", "organisation", "contact", "decided_by"
        ),
        pk=pk,
    )
