"""Participations: joining a round, reading one, replacing its demand."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.schema import errors
from procurement import permissions, services
from procurement.models import Participation

from .. import examples
from ..serializers.participations import (
    DemandInputSerializer,
    JoinSerializer,
    ParticipationSerializer,
    participation_queryset,
)
from .common import participation_answer, visible_participation
from .initiatives import InitiativeChildView

TAG = "participations"


@extend_schema_view(
    get=extend_schema(
        tags=[TAG], summary="The participations in an initiative that the user may see",
        description="Procurement officers of the lead organisation see all; others only their own "
                    "organisations'.",
        responses={200: ParticipationSerializer(many=True), **errors(404)}, examples=[examples.PARTICIPATION_EXAMPLE],
    ),
    post=extend_schema(
        tags=[TAG], summary="Join the round for an organisation (state draft)",
        description="The caller must be ICT staff of that organisation; one participation per organisation.",
        request=JoinSerializer, responses={201: ParticipationSerializer, **errors(400, 403, 404, 409)},
        examples=[examples.JOIN_REQUEST, examples.JOIN_EXAMPLE],
    ),
)
class ParticipationListView(InitiativeChildView, generics.ListAPIView):
    serializer_class = ParticipationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participation.objects.none()
        visible = permissions.visible_participations(self.request.user).filter(initiative=self.initiative())
        return participation_queryset(visible).order_by("organisation__name", "id")

    def post(self, request: Request, pk: int) -> Response:
        initiative = self.initiative()
        body = JoinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        participation = services.participation_join(initiative=initiative, actor=request.user,
                                                    **body.validated_data)
        return Response(participation_answer(request, participation.pk), status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(
    tags=[TAG], summary="One participation, with its demand and subtotal",
    responses={200: ParticipationSerializer, **errors(404)}, examples=[examples.PARTICIPATION_EXAMPLE],
))
class ParticipationDetailView(generics.RetrieveAPIView):
    serializer_class = ParticipationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participation.objects.none()
        return participation_queryset(permissions.visible_participations(self.request.user))


@extend_schema(
    tags=[TAG], summary="Replace the demand lines",
    description="Only ICT staff of the participating organisation, only while the participation is draft and "
                "the initiative pools demand. Errors in the lines come by position: "
                "`{\"lines\": [{}, {\"quantity\": [\"…\"]}]}`.",
    request=DemandInputSerializer, responses={200: ParticipationSerializer, **errors(400, 403, 404, 409)},
    examples=[examples.DEMAND_REQUEST, examples.DEMAND_EXAMPLE],
)
class DemandView(generics.GenericAPIView):
    serializer_class = DemandInputSerializer

    def get_queryset(self):
        # For OPTIONS (DRF's metadata looks the object up) and the schema; PUT reads through visible_participation.
        if getattr(self, "swagger_fake_view", False):
            return Participation.objects.none()
        return permissions.visible_participations(self.request.user)

    def put(self, request: Request, pk: int) -> Response:
        participation = visible_participation(request, pk)
        body = DemandInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.demand_set(participation=participation, actor=request.user, lines=body.validated_data["lines"])
        return Response(participation_answer(request, pk))
