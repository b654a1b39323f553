"""Shared hires (API.md "Contracts, call-offs, shared hires"): cost statements, the allocation key, the cost model.

- ``GET /api/contracts/<id>/cost-statements/?period=2027-Q1`` → ``[{organisation, share, amount}]`` (plus the
  organisation's name and the days it shared in); the amounts add up exactly to the quarter's cost;
- ``GET`` / ``POST /api/contracts/<id>/allocation-keys/``: the versions of the key; a new version from a date;
- ``GET`` / ``PATCH /api/contracts/<id>/hire/``: the position and its cost model.

Anyone who sees the agreement reads these; only the lead's procurement officers change them.
"""

from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import MoneyField, StrictDecimalField, StrictIntegerField
from core.api.schema import errors
from core.errors import InvalidInput, TransitionRefused

from .. import costs, services
from ..models import AllocationKey, Contract, ShareBasis, SharedHire
from .agreements import visible_contract

TAG = "shared hires"


def visible_hire(request: Request, pk: int) -> Contract:
    contract = visible_contract(request, pk)
    if not contract.is_shared_hire or not SharedHire.objects.filter(contract=contract).exists():
        raise TransitionRefused(_("This is not a shared hire: it has no cost sharing."), code="not_a_shared_hire")
    return contract


class StatementRowSerializer(serializers.Serializer):
    organisation = StrictIntegerField(source="organisation.pk")
    organisation_name = serializers.CharField(source="organisation.name")
    share = StrictDecimalField(max_digits=8, decimal_places=4,
                                     help_text="The organisation's part of the period's cost in percent (day-weighted "
                                               "over the allocation key's versions in force), four decimals.")
    days = StrictIntegerField(help_text="The days of the period the organisation shared in.")
    amount = MoneyField(help_text="Its amount excl. VAT; the amounts add up exactly to the period's cost.")


STATEMENT_EXAMPLE = OpenApiExample("2027-Q1, three participants", response_only=True, value=[
    {"organisation": 3, "organisation_name": "Ardooie", "share": "33.3333", "days": 90, "amount": "7945.21"},
    {"organisation": 5, "organisation_name": "Ingelmunster", "share": "33.3333", "days": 90, "amount": "7945.21"},
    {"organisation": 9, "organisation_name": "Izegem", "share": "33.3333", "days": 90, "amount": "7945.20"},
])


@extend_schema(
    tags=[TAG], summary="The cost statement of a quarter: each participant's share and amount",
    description="Pro rata per day over the versions of the allocation key in force; the quarter's cost (the year's "
                "cost from the cost model ÷ the days of the year × the days counted, rounded to the cent) is split "
                "with the largest-remainder method, so the amounts add up to it exactly. Empty before the start and "
                "after the last day.",
    parameters=[OpenApiParameter("period", OpenApiTypes.STR, description="YYYY-Qn, e.g. 2027-Q1; the current "
                                                                         "quarter by default.")],
    responses={200: StatementRowSerializer(many=True), **errors(400, 404, 409)}, examples=[STATEMENT_EXAMPLE],
)
class CostStatementView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        contract = visible_hire(request, pk)
        raw = request.query_params.get("period")
        try:
            period = costs.Quarter.parse(raw) if raw else costs.Quarter.containing(timezone.localdate())
        except ValueError as error:
            raise InvalidInput({"period": [str(error)]})
        statement = costs.statement(contract, period)
        return Response(StatementRowSerializer(statement.rows, many=True).data)


class CostShareSerializer(serializers.Serializer):
    organisation = StrictIntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    value = StrictDecimalField(max_digits=9, decimal_places=4,
                                     help_text="An FTE fraction or a percentage, as the version's `basis` says.")


class AllocationKeySerializer(serializers.ModelSerializer):
    valid_until = serializers.SerializerMethodField()
    shares = CostShareSerializer(many=True, read_only=True)

    class Meta:
        model = AllocationKey
        fields = ["id", "version", "valid_from", "valid_until", "basis", "reason", "shares", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_valid_until(self, key: AllocationKey) -> str | None:
        until = self.context.get("until", {}).get(key.pk)
        return until.isoformat() if until else None


class ShareInputSerializer(serializers.Serializer):
    organisation = StrictIntegerField()
    value = StrictDecimalField(max_digits=9, decimal_places=4)


class AllocationKeyInputSerializer(serializers.Serializer):
    valid_from = serializers.DateField(help_text="After the latest version's start; versions are never changed.")
    basis = serializers.ChoiceField(choices=ShareBasis.choices)
    shares = ShareInputSerializer(many=True, help_text="Every organisation that shares from this date on: FTE "
                                                       "fractions summing to the position's FTE, or percentages "
                                                       "summing to 100.")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


def keys_answer(contract: Contract) -> list[dict]:
    key_versions = costs.versions(contract)
    keys = [version.key for version in key_versions]
    until = {version.key.pk: version.end for version in key_versions}
    return AllocationKeySerializer(keys, many=True, context={"until": until}).data


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="The versions of the allocation key, oldest first",
                      responses={200: AllocationKeySerializer(many=True), **errors(404, 409)}),
    post=extend_schema(
        tags=[TAG], summary="A new version of the allocation key from a date (a participant joins or leaves)",
        description="The lead's procurement officers, while the agreement is active. A joining organisation must be "
                    "an approved participant or belong to one of the initiative's knowledge circles.",
        request=AllocationKeyInputSerializer, examples=[OpenApiExample("Lede joins from 1 April", request_only=True, value={
            "valid_from": "2027-04-01", "basis": "fte", "reason": "Lede joins",
            "shares": [{"organisation": 3, "value": "0.4"}, {"organisation": 5, "value": "0.3"},
                       {"organisation": 7, "value": "0.3"}]})],
        responses={201: AllocationKeySerializer(many=True), **errors(400, 403, 404, 409)},
    ),
)
class AllocationKeyListView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(keys_answer(visible_hire(request, pk)))

    def post(self, request: Request, pk: int) -> Response:
        contract = visible_hire(request, pk)
        body = AllocationKeyInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.allocation_key_add(contract=contract, actor=request.user, **body.validated_data)
        return Response(keys_answer(contract), status=status.HTTP_201_CREATED)


class SharedHireSerializer(serializers.ModelSerializer):
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    starts_on = serializers.DateField(source="contract.starts_on", read_only=True)
    candidate = serializers.CharField(source="contract.candidate", read_only=True)
    annual_salary_cost = MoneyField(read_only=True)
    operating_costs = MoneyField(read_only=True)
    subsidies = MoneyField(read_only=True)
    annual_cost = serializers.SerializerMethodField()

    class Meta:
        model = SharedHire
        fields = ["title", "fte", "employer", "employer_name", "candidate", "starts_on", "annual_salary_cost",
                  "operating_costs", "overhead_percentage", "subsidies", "indexation_percentage", "base_year",
                  "notice_months", "annual_cost"]
        read_only_fields = fields

    @extend_schema_field(MoneyField())
    def get_annual_cost(self, hire: SharedHire) -> str:
        """This year's cost of the whole position (indexed), to the cent."""
        return str(costs.to_cents(costs.annual_cost(hire, timezone.localdate().year)))


class CostModelInputSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    annual_salary_cost = StrictDecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)
    operating_costs = StrictDecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)
    overhead_percentage = StrictDecimalField(required=False, max_digits=5, decimal_places=2, min_value=0)
    subsidies = StrictDecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)
    indexation_percentage = StrictDecimalField(required=False, max_digits=5, decimal_places=2, min_value=0)
    base_year = StrictIntegerField(required=False, min_value=1900, max_value=2999)
    notice_months = StrictIntegerField(required=False, min_value=0, max_value=36)


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="The position and its cost model",
                      responses={200: SharedHireSerializer, **errors(404, 409)}),
    patch=extend_schema(tags=[TAG], summary="Change the cost model (the lead's procurement officers)",
                        request=CostModelInputSerializer, responses={200: SharedHireSerializer, **errors(400, 403, 404, 409)}),
)
class SharedHireView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(SharedHireSerializer(visible_hire(request, pk).hire).data)

    def patch(self, request: Request, pk: int) -> Response:
        contract = visible_hire(request, pk)
        body = CostModelInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        hire = services.cost_model_update(contract=contract, actor=request.user, **body.validated_data)
        return Response(SharedHireSerializer(hire).data)


def urls() -> list[URLPattern]:
    return [
        path("contracts/<int:pk>/cost-statements/", CostStatementView.as_view(), name="api-cost-statements"),
        path("contracts/<int:pk>/allocation-keys/", AllocationKeyListView.as_view(), name="api-allocation-keys"),
        path("contracts/<int:pk>/hire/", SharedHireView.as_view(), name="api-shared-hire"),
    ]
