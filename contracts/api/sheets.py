"""The contracts' sheets over the API (the pages link here too: the API accepts the page session).

- ``GET /api/contracts/<id>/consumption.xlsx``: a framework agreement's consumption (the lead's procurement
  officers: every beneficiary; a beneficiary: its own rows and the overall totals);
- ``GET /api/contracts/<id>/cost-statements.xlsx?year=2027``: a shared hire's statements of a year.
"""

import re

from django.http import HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api.schema import errors
from core.errors import InvalidInput, TransitionRefused

from .. import selectors, sheets
from ..models import Contract
from .agreements import visible_contract
from .sharing import visible_hire

TAG = "contracts"


def filename(contract: Contract, stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", contract.initiative.title.lower()).strip("-")[:50] or "contract"
    return f"{stem}-{contract.pk}-{slug}-{timezone.localdate():%Y%m%d}.xlsx"


def attachment(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=sheets.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema(tags=[TAG], summary="The consumption of a framework agreement (XLSX)",
               description="Per beneficiary and item: maximum, ordered, delivered and remaining; the maxima per "
                           "beneficiary; the call-offs. A beneficiary gets its own rows and the overall totals.",
               responses={(200, sheets.XLSX): OpenApiTypes.BINARY, **errors(404, 409)})
class ConsumptionXlsx(APIView):
    def get(self, request: Request, pk: int) -> HttpResponse:
        contract = visible_contract(request, pk)
        if not contract.is_framework:
            raise TransitionRefused(_("Only a framework agreement has call-offs to consume it."),
                                    code="not_a_framework")
        data = selectors.consumption(contract, request.user)
        call_offs = list(selectors.visible_call_offs(request.user, contract))
        return attachment(sheets.consumption_xlsx(data, call_offs), filename(contract, "consumption"))


@extend_schema(tags=[TAG], summary="The cost statements of a shared hire for a year (XLSX)",
               parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="This year by default.")],
               responses={(200, sheets.XLSX): OpenApiTypes.BINARY, **errors(400, 404, 409)})
class StatementsXlsx(APIView):
    def get(self, request: Request, pk: int) -> HttpResponse:
        contract = visible_hire(request, pk)
        raw = request.query_params.get("year") or str(timezone.localdate().year)
        if not raw.isdigit() or not 1900 <= int(raw) <= 2999:
            raise InvalidInput({"year": [_("Enter a year, like 2027.")]})
        return attachment(sheets.statements_xlsx(contract, int(raw)), filename(contract, f"cost-statements-{raw}"))


def urls() -> list[URLPattern]:
    return [
        path("contracts/<int:pk>/consumption.xlsx", ConsumptionXlsx.as_view(), name="api-contract-consumption-xlsx"),
        path("contracts/<int:pk>/cost-statements.xlsx", StatementsXlsx.as_view(), name="api-cost-statements-xlsx"),
    ]
