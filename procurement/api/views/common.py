"""What the views share: fetching what the user may see, and answering with the object as it is now."""

from django.shortcuts import get_object_or_404
from rest_framework.request import Request

from procurement import permissions
from procurement.models import Initiative, Participation

from ..serializers.initiatives import InitiativeDetailSerializer, initiative_detail_queryset
from ..serializers.participations import ParticipationSerializer, participation_queryset


def visible_initiative(request: Request, pk: int) -> Initiative:
    """The initiative, or 404 when it does not exist or the user may not see it."""
    return get_object_or_404(permissions.visible_initiatives(request.user), pk=pk)


def visible_participation(request: Request, pk: int) -> Participation:
    """The participation, or 404 when it does not exist or the user may not see it. Only the row: a
    service locks and reads afresh what it needs, and the answer is read after it (``participation_answer``)."""
    return get_object_or_404(permissions.visible_participations(request.user), pk=pk)


def _participation_with_demand(request: Request, pk: int) -> Participation:
    return get_object_or_404(participation_queryset(permissions.visible_participations(request.user)), pk=pk)


def initiative_answer(request: Request, pk: int) -> dict:
    """The initiative read afresh (after a service changed it), as the detail endpoint shows it."""
    initiative = get_object_or_404(initiative_detail_queryset(permissions.visible_initiatives(request.user)), pk=pk)
    return InitiativeDetailSerializer(initiative, context={"request": request}).data


def participation_answer(request: Request, pk: int) -> dict:
    return ParticipationSerializer(_participation_with_demand(request, pk), context={"request": request}).data
