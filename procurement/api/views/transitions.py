"""``POST /api/initiatives|participations/<id>/transitions/<name>/``: made from the action tables
(``procurement.actions``), one documented path per transition."""

from django.urls import URLPattern

from core.api.transitions import transition_urls
from procurement import actions

from .. import examples
from ..serializers.initiatives import InitiativeDetailSerializer
from ..serializers.participations import ParticipationSerializer
from .common import initiative_answer, participation_answer, visible_initiative, visible_participation


def urlpatterns() -> list[URLPattern]:
    return [
        *transition_urls(prefix="initiatives", table=actions.INITIATIVE, fetch=visible_initiative,
                         answer=initiative_answer, serializer=InitiativeDetailSerializer, tag="initiatives",
                         operation="initiatives", url_name="api-initiatives",
                         examples=examples.TRANSITION_REQUESTS,
                         answer_example=examples.TRANSITION_RESPONSES["initiatives"]),
        *transition_urls(prefix="participations", table=actions.PARTICIPATION, fetch=visible_participation,
                         answer=participation_answer, serializer=ParticipationSerializer, tag="participations",
                         operation="participations", url_name="api-participations",
                         examples=examples.TRANSITION_REQUESTS,
                         answer_example=examples.TRANSITION_RESPONSES["participations"]),
    ]
