"""Sheets API (API.md "Sheets and documents").

- ``GET /api/initiatives/<id>/demand-sheet.xlsx`` and ``.csv``: every organisation's demand, so only for
  the lead organisation's procurement officers (and staff superusers). Someone who may see the initiative
  but is not one of them gets ``403``; someone who may not see it ``404``.
- ``GET /api/initiatives/<id>/demand-template.xlsx[?participation=<id>]``: anyone who may see the
  initiative; prefilled with the demand of the participation asked for (if visible, else ``404``) or of the
  user's own organisation when it has exactly one.
- ``POST /api/participations/<id>/demand-upload/`` (multipart ``file``): ``404`` for a participation the
  user cannot see, ``403`` for anyone but its ICT staff, ``400`` with ``{"file": [messages], "cells":
  [{sheet, row, column, message}]}`` for a wrong file, ``409`` when demand can no longer change; on
  success ``200`` with the participation's demand.
"""

import re

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import InvalidInput, NotAllowed, NotFound
from procurement import permissions, selectors
from procurement.models import Initiative, Participation

from . import template as demand_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_initiative(user, pk: int) -> Initiative:
    initiative = permissions.visible_initiatives(user).select_related("lead_organisation").filter(pk=pk).first()
    if initiative is None:
        raise NotFound(_("There is no initiative %(id)s that you can see.") % {"id": pk})
    return initiative


def may_download_sheet(user, initiative: Initiative) -> bool:
    return bool(user.is_superuser) or permissions.may_manage_initiative(user, initiative)


def sheet_initiative(user, pk: int) -> Initiative:
    initiative = visible_initiative(user, pk)
    if not may_download_sheet(user, initiative):
        raise NotAllowed(_("The demand sheet holds every organisation's demand: only the lead organisation's "
                           "procurement officers can download it."))
    return initiative


def filename(initiative: Initiative, stem: str, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", initiative.title.lower()).strip("-")[:50] or "initiative"
    return f"{stem}-{initiative.pk}-{slug}-{timezone.localdate():%Y%m%d}.{extension}"


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


class DemandSheetXlsx(APIView):
    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY}, summary="The aggregated demand sheet (XLSX)")
    def get(self, request, pk: int):
        from . import export

        initiative = sheet_initiative(request.user, pk)
        content = export.write_xlsx(export.load(initiative))
        return attachment(content, XLSX, filename(initiative, "demand", "xlsx"))


class DemandSheetCsv(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR}, summary="The demand in long form (CSV)")
    def get(self, request, pk: int):
        from . import export

        initiative = sheet_initiative(request.user, pk)
        content = export.write_csv(export.load(initiative))
        return attachment(content, "text/csv; charset=utf-8", filename(initiative, "demand", "csv"))


class DemandTemplate(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("participation", int, required=False,
                                     description="prefill with this participation's demand")],
        responses={(200, XLSX): OpenApiTypes.BINARY}, summary="The demand template to fill in",
    )
    def get(self, request, pk: int):
        initiative = visible_initiative(request.user, pk)
        participation = demand_template.template_participation(request.user, initiative,
                                                                request.query_params.get("participation"))
        content = demand_template.write_template(initiative, participation)
        return attachment(content, XLSX, filename(initiative, "demand-template", "xlsx"))


class UploadIn(serializers.Serializer):
    file = serializers.FileField()


class DemandLineOut(serializers.Serializer):
    item = serializers.IntegerField()
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2)
    max_quantity = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class UploadOut(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    demand = DemandLineOut(many=True)
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)


def participation_demand(participation: Participation) -> dict:
    return {
        "id": participation.pk,
        "initiative": participation.initiative_id,
        "organisation": participation.organisation_id,
        "state": participation.state,
        "demand": [
            {"item": line.item_id, "quantity": f"{line.quantity:.2f}",
             "max_quantity": None if line.max_quantity is None else f"{line.max_quantity:.2f}"}
            for line in selectors.demand_lines(participation)
        ],
        "subtotal": f"{selectors.participation_subtotal(participation):.2f}",
    }


class DemandUpload(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": UploadIn}, responses={200: UploadOut, 400: OpenApiResponse(
        description='{"file": ["Sheet Demand, row 8, column G: …"], "cells": [{sheet, row, column, message}]}')},
        summary="Upload the filled-in demand template")
    def post(self, request, pk: int):
        participation = permissions.visible_participations(request.user).select_related(
            "initiative", "organisation").filter(pk=pk).first()
        if participation is None:
            raise NotFound(_("There is no participation %(id)s that you can see.") % {"id": pk})
        if not permissions.may_edit_demand(request.user, participation):
            raise NotAllowed(_("Only ICT staff of %(organisation)s can enter its demand.")
                             % {"organisation": participation.organisation})
        # Refuse an oversized body before it is parsed (and spooled to disk).
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > demand_template.MAX_UPLOAD_BYTES + 64 * 1024:
            raise InvalidInput({"file": [_("The file is %(size)s MB; upload at most %(max)s MB.") % {
                "size": demand_template._megabytes(length), "max": demand_template.MAX_UPLOAD_BYTES // (1024 * 1024)}]},
                code="invalid_upload")
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput({"file": [_("Choose the filled-in template (an .xlsx file).")]})
        participation = demand_template.upload_demand(participation=participation, actor=request.user, upload=upload)
        participation.refresh_from_db()
        return Response(participation_demand(participation))
