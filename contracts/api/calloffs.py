"""Call-offs (API.md "Contracts, call-offs, shared hires").

- ``GET /api/contracts/<id>/call-offs/``: the call-offs of a framework agreement the user may see (the lead's
  procurement officers: all; a beneficiary: its own);
- ``POST /api/contracts/<id>/call-offs/`` ``{organisation, lines: [{item, quantity}]}`` → ``201 {id, state:
  "draft", total, …}``: the ICT staff or procurement officers of a beneficiary;
- ``GET /api/call-offs/<id>/``; another organisation's call-off is a 404;
- ``POST /api/call-offs/<id>/transitions/<name>/``: ``order``, ``deliver`` (``{lines: [{item, quantity}]}``,
  partial allowed), ``close``, ``cancel`` (``{reason}``). ``order`` beyond a ceiling is a 409 that names the
  ceiling and what remains.
"""


from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import MoneyField, QuantityField, StrictIntegerField
from core.api.schema import errors
from core.api.transitions import transition_urls

from .. import actions, services
from ..bodies import ItemQuantitySerializer
from ..models import CallOff, Contract
from .agreements import visible_contract

TAG = "call-offs"


class CallOffLineSerializer(serializers.Serializer):
    item = StrictIntegerField(source="item_id")
    item_name = serializers.CharField(source="item.name")
    quantity = QuantityField(max_digits=14)
    unit_price = MoneyField(help_text="The framework's awarded unit price excl. VAT.")
    amount = MoneyField()
    delivered = QuantityField(max_digits=14)
    outstanding = QuantityField(max_digits=14)
    remaining_before = QuantityField(max_digits=14, allow_null=True,
                                     help_text="The organisation's remaining maximum quantity of the item just "
                                               "before the order (null before ordering).")
    remaining_after = QuantityField(max_digits=14, allow_null=True)


class DeliveryLineSerializer(serializers.Serializer):
    item = StrictIntegerField(source="line.item_id")
    quantity = QuantityField(max_digits=14)


class DeliverySerializer(serializers.Serializer):
    id = StrictIntegerField()
    delivered_on = serializers.DateField()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    lines = DeliveryLineSerializer(many=True)


class CallOffSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    available_transitions = serializers.SerializerMethodField()
    total = MoneyField(read_only=True)
    participant_remaining_before = MoneyField(read_only=True, allow_null=True)
    participant_remaining_after = MoneyField(read_only=True, allow_null=True)
    overall_remaining_before = MoneyField(read_only=True, allow_null=True)
    overall_remaining_after = MoneyField(read_only=True, allow_null=True)
    lines = CallOffLineSerializer(many=True, read_only=True)
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta:
        model = CallOff
        fields = ["id", "contract", "number", "organisation", "organisation_name", "state", "available_transitions",
                  "total", "delivery_address", "delivery_date", "ordered_on", "ordered_at", "delivered_at",
                  "closed_at", "cancelled_at", "reason", "participant_remaining_before", "participant_remaining_after",
                  "overall_remaining_before", "overall_remaining_after", "lines", "deliveries", "created_at",
                  "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_transitions(self, call_off: CallOff) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return actions.CALL_OFF.available_names(call_off, actor=request.user)


def call_off_queryset(user):
    return CallOff.objects.visible_to(user).select_related(
        "organisation", "contract", "contract__initiative", "contract__lot").prefetch_related(
        "lines__item", "deliveries__lines__line")


def visible_call_off(request: Request, pk: int) -> CallOff:
    return get_object_or_404(call_off_queryset(request.user), pk=pk)


def call_off_answer(request: Request, pk: int) -> dict:
    return CallOffSerializer(visible_call_off(request, pk), context={"request": request}).data


# --- bodies ---


class CallOffInputSerializer(serializers.Serializer):
    organisation = StrictIntegerField(help_text="The ordering organisation: a beneficiary of the agreement.")
    lines = ItemQuantitySerializer(many=True, help_text="One line per item of the agreement's lot.")
    delivery_address = serializers.CharField(required=False, allow_blank=True, default="",
                                             help_text="The organisation's address by default.")
    delivery_date = serializers.DateField(required=False, allow_null=True, default=None,
                                          help_text="The requested delivery date.")


# --- views ---


CREATE_EXAMPLE = OpenApiExample("Two laptops for Wetteren", request_only=True,
                                value={"organisation": 12, "lines": [{"item": 31, "quantity": "2"}]})


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="The call-offs of a framework agreement",
                      description="The lead's procurement officers see every call-off; a beneficiary its own.",
                      responses={200: CallOffSerializer(many=True), **errors(404)}),
    post=extend_schema(
        tags=[TAG], summary="Prepare a call-off (draft) for a beneficiary",
        description="The ICT staff or procurement officers of the ordering organisation, which must be a frozen "
                    "beneficiary (409 otherwise), while the agreement is active. Lines at the awarded unit prices; "
                    "errors by position (`{\"lines\": [{}, {\"quantity\": [\"…\"]}]}`). The ceilings are checked "
                    "when the call-off is ordered.",
        request=CallOffInputSerializer, examples=[CREATE_EXAMPLE],
        responses={201: CallOffSerializer, **errors(400, 403, 404, 409)},
    ),
)
class CallOffListView(generics.ListAPIView):
    serializer_class = CallOffSerializer

    def contract(self) -> Contract:
        if not hasattr(self, "_contract"):
            self._contract = visible_contract(self.request, self.kwargs["pk"])
        return self._contract

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CallOff.objects.none()
        return call_off_queryset(self.request.user).filter(contract=self.contract()).order_by("number")

    def post(self, request: Request, pk: int) -> Response:
        contract = self.contract()
        body = CallOffInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call_off = services.call_off_create(contract=contract, actor=request.user, **body.validated_data)
        return Response(call_off_answer(request, call_off.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG], summary="One call-off", responses={200: CallOffSerializer, **errors(404)})
class CallOffDetailView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(call_off_answer(request, pk))


def urls() -> list[URLPattern]:
    patterns = [
        path("contracts/<int:pk>/call-offs/", CallOffListView.as_view(), name="api-contract-call-offs"),
        path("call-offs/<int:pk>/", CallOffDetailView.as_view(), name="api-call-off"),
    ]
    patterns += transition_urls(prefix="call-offs", table=actions.CALL_OFF, fetch=visible_call_off,
                                answer=call_off_answer, serializer=CallOffSerializer, tag=TAG, operation="call_off",
                                url_name="api-call-off")
    return patterns

