"""``POST …/transitions/<name>/``: one path per transition, each documented with its own body.

A transition is a service call: the view checks the body's shape, calls the service with the validated
fields as keyword arguments, and answers with the object as it is after the transition. An unknown name
is a 404 (``UnknownTransitionView``), as for any path that does not exist.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import errors
from procurement import services

from .. import examples
from ..serializers import transitions as bodies
from ..serializers.initiatives import InitiativeDetailSerializer
from ..serializers.participations import ParticipationSerializer
from .common import initiative_answer, participation_answer, visible_initiative, visible_participation


@dataclass(frozen=True)
class Transition:
    name: str
    service: Callable
    body: type[serializers.Serializer] | None
    summary: str
    description: str = ""


INITIATIVE_TRANSITIONS = [
    Transition("adopt", services.initiative_adopt, bodies.AdoptSerializer,
               "Adopt an idea as lead organisation (idea → draft); only its procurement officers"),
    Transition("shelve", services.initiative_shelve, bodies.ReasonSerializer, "Shelve an idea, with a reason"),
    Transition("open_pooling", services.initiative_open_pooling, None, "Open pooling (draft → pooling)"),
    Transition("close_pooling", services.initiative_close_pooling, None, "Close pooling (pooling → deciding)"),
    Transition("reopen_pooling", services.initiative_reopen_pooling, bodies.ReopenPoolingSerializer,
               "Reopen pooling (deciding → pooling), optionally with new deadlines"),
    Transition("confirm_participants", services.initiative_confirm_participants, None,
               "Confirm the participants (deciding → ready); undecided participations lapse"),
    Transition("cancel", services.initiative_cancel, bodies.ReasonSerializer,
               "Cancel the initiative, with a reason"),
    Transition("close", services.initiative_close, None,
               "Close an active initiative once its contracts are done (active → closed)"),
]
PARTICIPATION_TRANSITIONS = [
    Transition("submit", services.participation_submit, None, "Submit the demand for approval"),
    Transition("reopen", services.participation_reopen, None, "Reopen a submitted participation to change it"),
    Transition("withdraw", services.participation_withdraw, bodies.WithdrawSerializer,
               "Withdraw from the initiative (before it is ready for tender)"),
    Transition("approve", services.participation_approve, bodies.ApproveSerializer,
               "Record the deciding body's approval; only the organisation's aldermen"),
    Transition("decline", services.participation_decline, bodies.DeclineSerializer,
               "Record the deciding body's refusal, with a reason; only the organisation's aldermen"),
]


class TransitionView(APIView):
    """Base of the per-transition views; ``transition`` is set on each generated subclass."""

    transition: Transition
    subject: str  # the service's keyword for the object: "initiative" or "participation"

    def fetch(self, request: Request, pk: int):
        raise NotImplementedError

    def answer(self, request: Request, pk: int) -> dict:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        obj = self.fetch(request, pk)  # 404 when not visible
        fields = {}
        if self.transition.body is not None:
            body = self.transition.body(data=request.data)
            body.is_valid(raise_exception=True)
            fields = body.validated_data
        self.transition.service(**{self.subject: obj}, actor=request.user, **fields)
        return Response(self.answer(request, pk))


class InitiativeTransitionView(TransitionView):
    subject = "initiative"

    def fetch(self, request, pk):
        return visible_initiative(request, pk)

    def answer(self, request, pk):
        return initiative_answer(request, pk)


class ParticipationTransitionView(TransitionView):
    subject = "participation"

    def fetch(self, request, pk):
        return visible_participation(request, pk)

    def answer(self, request, pk):
        return participation_answer(request, pk)


@extend_schema(exclude=True)
class UnknownTransitionView(APIView):
    def post(self, request: Request, pk: int, name: str) -> Response:
        raise NotFound(_("There is no transition %(name)r.") % {"name": name})


def _urls(prefix: str, base: type[TransitionView], transitions: list[Transition], answer, tag: str):
    patterns: list[URLPattern] = []
    for transition in transitions:
        view = type(f"{base.__name__}_{transition.name}", (base,), {"transition": transition})
        view = extend_schema_view(post=extend_schema(
            tags=[tag], summary=transition.summary, operation_id=f"{tag}_transition_{transition.name}",
            request=transition.body, responses={200: answer, **errors(400, 403, 404, 409)},
            examples=[e for e in (examples.TRANSITION_REQUESTS.get(transition.name),
                                  examples.TRANSITION_RESPONSES[tag]) if e is not None],
        ))(view)
        patterns.append(path(f"{prefix}/<int:pk>/transitions/{transition.name}/", view.as_view(),
                             name=f"api-{prefix}-{transition.name}"))
    patterns.append(path(f"{prefix}/<int:pk>/transitions/<str:name>/", UnknownTransitionView.as_view()))
    return patterns


def urlpatterns() -> list[URLPattern]:
    return [
        *_urls("initiatives", InitiativeTransitionView, INITIATIVE_TRANSITIONS, InitiativeDetailSerializer,
               "initiatives"),
        *_urls("participations", ParticipationTransitionView, PARTICIPATION_TRANSITIONS, ParticipationSerializer,
               "participations"),
    ]
