"""Contracts (API.md "Contracts, call-offs, shared hires"): the list and one contract, its transitions.

``GET /api/contracts/?initiative=<id>``: a framework agreement's ``consumed`` is the value of its call-offs
ordered (a closed one counts for what it delivered); ``remaining`` is the ceiling less that. A purchase
contract or a shared hire has no ceiling (both null). ``POST /api/contracts/<id>/transitions/terminate/``
and ``POST /api/contracts/<id>/renewals/`` are for the lead's procurement officers.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import MoneyField, QuantityField, StrictIntegerField
from core.api.schema import errors
from core.api.transitions import transition_urls

from .. import actions, services
from ..models import Contract, ContractKind, ContractState

TAG = "contracts"


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(source="starts_on")
    end = serializers.DateField(source="ends_on", allow_null=True)


class ContractLineSerializer(serializers.Serializer):
    organisation = StrictIntegerField(source="organisation_id")
    item = StrictIntegerField(source="item_id")
    quantity = QuantityField(max_digits=14, help_text="For a framework agreement: the maximum over the term.")
    unit_price = MoneyField()
    amount = MoneyField()
    ordered = QuantityField(max_digits=14, help_text="Framework agreement: the quantity called off (ordered; a "
                                                     "closed call-off counts what it delivered).")
    delivered = QuantityField(max_digits=14)


class BeneficiarySerializer(serializers.Serializer):
    organisation = StrictIntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    maximum = MoneyField()
    consumed = MoneyField()
    remaining = MoneyField()


class ContractSerializer(serializers.ModelSerializer):
    value = MoneyField(read_only=True)
    ceiling = MoneyField(read_only=True, allow_null=True)
    consumed = serializers.SerializerMethodField()
    remaining = serializers.SerializerMethodField()
    period = PeriodSerializer(source="*", read_only=True)
    bidder = serializers.CharField(source="party", read_only=True)
    available_transitions = serializers.SerializerMethodField()
    renewals = StrictIntegerField(source="initiative.renewals", read_only=True,
                                        help_text="Renewals foreseen in the tender.")
    lines = ContractLineSerializer(many=True, read_only=True)
    beneficiaries = BeneficiarySerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = ["id", "kind", "initiative", "tender", "lot", "supplier", "candidate", "bidder", "organisation",
                  "state", "available_transitions", "value", "ceiling", "consumed", "remaining", "period",
                  "renewals", "renewals_used", "terminated_on", "reason", "lines", "beneficiaries"]
        read_only_fields = fields

    @extend_schema_field(MoneyField(allow_null=True))
    def get_consumed(self, contract: Contract) -> str | None:
        return None if contract.ceiling is None else MoneyField().to_representation(contract.consumed)

    @extend_schema_field(MoneyField(allow_null=True))
    def get_remaining(self, contract: Contract) -> str | None:
        return None if contract.ceiling is None else MoneyField().to_representation(contract.remaining)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_transitions(self, contract: Contract) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return actions.CONTRACT.available_names(contract, actor=request.user)


class ContractFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ContractKind.choices)
    state = django_filters.ChoiceFilter(choices=ContractState.choices)

    class Meta:
        model = Contract
        fields = ["initiative", "organisation", "kind", "state"]


def contract_queryset(user):
    return Contract.objects.visible_to(user).select_related("supplier", "lot", "initiative").prefetch_related(
        "lines", "beneficiaries__organisation"
    )


def visible_contract(request: Request, pk: int) -> Contract:
    return get_object_or_404(contract_queryset(request.user), pk=pk)


def contract_answer(request: Request, pk: int) -> dict:
    return ContractSerializer(visible_contract(request, pk), context={"request": request}).data


@extend_schema_view(get=extend_schema(
    tags=[TAG], summary="The contracts the user may see; ?initiative=<id>",
    description="The lead organisation sees every contract of its initiatives; a participant its own purchase "
                "contracts, the agreements it is a beneficiary of and the shared hires whose allocation key names "
                "it. A framework agreement's `consumed` is the value of its call-offs ordered (a closed call-off "
                "counts what it delivered); `remaining` = `ceiling` − `consumed`.",
    responses={200: ContractSerializer(many=True), **errors(400)},
))
class ContractListView(generics.ListAPIView):
    serializer_class = ContractSerializer
    filterset_class = ContractFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        return contract_queryset(self.request.user)


@extend_schema(tags=[TAG], summary="One contract", responses={200: ContractSerializer, **errors(404)})
class ContractDetailView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(contract_answer(request, pk))


class RenewSerializer(serializers.Serializer):
    months = StrictIntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=96,
                                      help_text="The length of the renewal; the initial term by default.")


@extend_schema(
    tags=[TAG], summary="Renew a framework agreement: its end date moves later",
    description="One of the renewals foreseen in the tender (`renewals`); only while active. The lead's procurement "
                "officers.",
    request=RenewSerializer, responses={200: ContractSerializer, **errors(400, 403, 404, 409)},
)
class ContractRenewView(APIView):
    def post(self, request: Request, pk: int) -> Response:
        contract = visible_contract(request, pk)
        body = RenewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contract_renew(contract=contract, actor=request.user, **body.validated_data)
        return Response(contract_answer(request, pk))


def urls() -> list[URLPattern]:
    return [
        path("contracts/", ContractListView.as_view(), name="api-contracts"),
        path("contracts/<int:pk>/", ContractDetailView.as_view(), name="api-contract"),
        *transition_urls(prefix="contracts", table=actions.CONTRACT, fetch=visible_contract, answer=contract_answer,
                         serializer=ContractSerializer, tag=TAG, operation="contract", url_name="api-contract"),
        path("contracts/<int:pk>/renewals/", ContractRenewView.as_view(), name="api-contract-renew"),
    ]

