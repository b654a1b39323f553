"""Initiatives: the list, one initiative, creating one directly or as an idea, interest, lots and items."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.schema import errors
from procurement import permissions, services
from procurement.models import Initiative, InitiativeKind, InitiativeState, Interest

from .. import examples
from ..serializers.initiatives import (
    IdeaInputSerializer,
    InitiativeDetailSerializer,
    InitiativeInputSerializer,
    InitiativeSerializer,
    InterestInputSerializer,
    InterestSerializer,
    ItemInputSerializer,
    ItemSerializer,
    LotInputSerializer,
    LotSerializer,
    initiative_detail_queryset,
)
from .common import initiative_answer, visible_initiative

TAG = "initiatives"


class InitiativeFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=InitiativeState.choices)
    kind = django_filters.ChoiceFilter(choices=InitiativeKind.choices)

    class Meta:
        model = Initiative
        fields = ["state", "kind"]


@extend_schema_view(
    get=extend_schema(
        tags=[TAG], summary="List the initiatives visible to the user",
        description="Initiatives offered to a circle of one of the user's organisations, led, proposed or "
                    "joined by one. Each shows its own fields; the computed ones are on the detail.",
        responses={200: InitiativeSerializer(many=True), **errors(400)}, examples=[examples.INITIATIVE_EXAMPLE],
    ),
    post=extend_schema(
        tags=[TAG], summary="Create an initiative (state draft)",
        description="The caller must be a procurement officer of the lead organisation.",
        request=InitiativeInputSerializer, responses={201: InitiativeDetailSerializer, **errors(400, 403)},
        examples=[examples.INITIATIVE_REQUEST, examples.FRAMEWORK_REQUEST, examples.INITIATIVE_DETAIL_EXAMPLE],
    ),
)
class InitiativeListView(generics.ListAPIView):
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Initiative.objects.none()
        return permissions.visible_initiatives(self.request.user).prefetch_related("circles")

    def post(self, request: Request) -> Response:
        body = InitiativeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        initiative = services.initiative_create(actor=request.user, **body.validated_data)
        return Response(initiative_answer(request, initiative.pk), status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(
    tags=[TAG], summary="One initiative, with its transitions, pooled value, procedure advice and lots",
    responses={200: InitiativeDetailSerializer, **errors(404)}, examples=[examples.INITIATIVE_DETAIL_EXAMPLE],
))
class InitiativeDetailView(generics.RetrieveAPIView):
    serializer_class = InitiativeDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Initiative.objects.none()
        return initiative_detail_queryset(permissions.visible_initiatives(self.request.user))


@extend_schema(
    tags=[TAG], summary="Propose an idea (state idea)",
    description="The caller must be ICT staff or a procurement officer of the proposing organisation, which "
                "must belong to every circle named.",
    request=IdeaInputSerializer, responses={201: InitiativeDetailSerializer, **errors(400, 403)},
    examples=[examples.IDEA_REQUEST, examples.IDEA_EXAMPLE],
)
class IdeaCreateView(generics.GenericAPIView):
    serializer_class = IdeaInputSerializer

    def post(self, request: Request) -> Response:
        body = IdeaInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        initiative = services.idea_propose(actor=request.user, **body.validated_data)
        return Response(initiative_answer(request, initiative.pk), status=status.HTTP_201_CREATED)


class InitiativeChildView(generics.GenericAPIView):
    """A view under ``initiatives/<pk>/``: the initiative must be visible, else 404."""

    def initiative(self) -> Initiative:
        if not hasattr(self, "_initiative"):
            self._initiative = visible_initiative(self.request, self.kwargs["pk"])
        return self._initiative

    def create(self, service, *, body_class, answer_class) -> Response:
        """Validate the body with ``body_class``, call ``service`` on the initiative as the caller, answer 201
        with what it made in ``answer_class``'s shape."""
        initiative = self.initiative()
        body = body_class(data=self.request.data, context={"initiative": initiative})
        body.is_valid(raise_exception=True)
        made = service(initiative=initiative, actor=self.request.user, **body.validated_data)
        return Response(answer_class(made).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="The interest registered in an idea",
                      responses={200: InterestSerializer(many=True), **errors(404)},
                      examples=[examples.INTEREST_EXAMPLE]),
    post=extend_schema(
        tags=[TAG], summary="Register an organisation's non-binding interest in an idea",
        description="One per organisation: a second registration replaces the first. The caller must be ICT "
                    "staff or a procurement officer of that organisation, which must be in the idea's circles.",
        request=InterestInputSerializer, responses={201: InterestSerializer, **errors(400, 403, 404, 409)},
        examples=[examples.INTEREST_REQUEST, examples.INTEREST_EXAMPLE],
    ),
)
class InterestListView(InitiativeChildView, generics.ListAPIView):
    serializer_class = InterestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Interest.objects.none()
        return Interest.objects.filter(initiative=self.initiative()).select_related("organisation")

    def post(self, request: Request, pk: int) -> Response:
        return self.create(services.interest_register, body_class=InterestInputSerializer,
                           answer_class=InterestSerializer)


@extend_schema(
    tags=[TAG], summary="Add a lot",
    description="Only procurement officers of the lead organisation, while the initiative is draft or pooling.",
    request=LotInputSerializer, responses={201: LotSerializer, **errors(400, 403, 404, 409)},
    examples=[examples.LOT_REQUEST, examples.LOT_EXAMPLE],
)
class LotCreateView(InitiativeChildView):
    serializer_class = LotInputSerializer

    def post(self, request: Request, pk: int) -> Response:
        return self.create(services.lot_add, body_class=LotInputSerializer, answer_class=LotSerializer)


@extend_schema(
    tags=[TAG], summary="Add an item to a lot",
    description="Only procurement officers of the lead organisation, while the initiative is draft or pooling.",
    request=ItemInputSerializer, responses={201: ItemSerializer, **errors(400, 403, 404, 409)},
    examples=[examples.ITEM_REQUEST, examples.ITEM_EXAMPLE],
)
class ItemCreateView(InitiativeChildView):
    serializer_class = ItemInputSerializer

    def post(self, request: Request, pk: int) -> Response:
        return self.create(services.item_add, body_class=ItemInputSerializer, answer_class=ItemSerializer)
