"""The eForms notices API (API.md "eForms notices").

``GET``/``POST /api/tenders/<id>/notices/`` (list; ask for a contract or award notice → ``202``),
``GET /api/notices/<id>/`` (status, SDK version, failed rules explained), ``GET /api/notices/<id>/download/``
(the XML; ``409`` while pending or when it broke a rule), ``POST /api/notices/<id>/publication/``
(the reference e-Notification gave it).
"""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import NotAllowed, TransitionRefused
from tendering import rules as permissions

from . import services
from .explain import explain
from .models import CompanySize, Notice, NoticeKind, NoticeStatus


def xml_response(notice: Notice) -> HttpResponse:
    response = HttpResponse(notice.xml.encode("utf-8"), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{notice.filename}"'
    return response


def notice_data(notice: Notice) -> dict:
    downloadable = notice.status == NoticeStatus.VALID
    return {
        "id": notice.pk,
        "tender": notice.tender_id,
        "kind": notice.kind,
        "subtype": notice.subtype,
        "notice_id": str(notice.notice_id),
        "sdk_version": notice.sdk_version,
        "status": notice.status,
        "valid": notice.status == NoticeStatus.VALID,
        "failures": [explain(f) for f in notice.failures if f.get("role", "ERROR") == "ERROR"],
        "warnings": [explain(f) for f in notice.failures if f.get("role", "ERROR") != "ERROR"],
        "error": notice.error or None,
        "unconfirmed": notice.unconfirmed,
        "publication_reference": notice.publication_reference or None,
        "download_url": reverse("notices-api:download", args=[notice.pk]) if downloadable else None,
        "created_at": notice.created_at,
        "validated_at": notice.validated_at,
    }


class FailureOut(serializers.Serializer):
    rule = serializers.CharField(help_text="The SDK's rule id, e.g. BR-BT-00500-0203.")
    field = serializers.CharField(help_text="The eForms field id (fields.json), e.g. BT-500-Organization-Company.")
    label = serializers.CharField(help_text="The field in words (Dutch by default).")
    problem = serializers.CharField()
    subject = serializers.CharField(required=False, help_text="The organisation or lot the rule is about, if any.")
    fix = serializers.CharField(help_text="Where in Samenaankoop the data of the field is kept.")
    kind = serializers.ChoiceField(["schematron", "xsd"])
    location = serializers.CharField()
    test = serializers.CharField()
    role = serializers.ChoiceField(["ERROR", "WARN", "INFO"])


class NoticeOut(serializers.Serializer):
    id = serializers.IntegerField()
    tender = serializers.IntegerField()
    kind = serializers.ChoiceField(NoticeKind.choices)
    subtype = serializers.ChoiceField(["16", "29", "E3", "E4"])
    notice_id = serializers.UUIDField()
    sdk_version = serializers.CharField()
    status = serializers.ChoiceField(NoticeStatus.choices)
    valid = serializers.BooleanField()
    failures = FailureOut(many=True, help_text="The broken ERROR rules: while there is one, the notice is invalid.")
    warnings = FailureOut(many=True, help_text="Broken WARN rules: shown, they do not stop publication.")
    error = serializers.CharField(allow_null=True)
    unconfirmed = serializers.ListField(child=serializers.CharField())
    publication_reference = serializers.CharField(allow_null=True)
    download_url = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    validated_at = serializers.DateTimeField(allow_null=True)


class SupplierIn(serializers.Serializer):
    supplier = serializers.IntegerField()
    size = serializers.ChoiceField(CompanySize.choices, required=False)
    nuts = serializers.CharField(required=False, help_text="NUTS 3 region of the supplier's address, e.g. BE234.")


class BuyerIn(serializers.Serializer):
    organisation = serializers.IntegerField()
    telephone = serializers.CharField()
    email = serializers.EmailField(required=False)


class NoticeIn(serializers.Serializer):
    kind = serializers.ChoiceField(NoticeKind.choices)
    buyers = BuyerIn(many=True, required=False,
                     help_text="The buyers' telephone and e-mail (BT-503, BT-506; European notices), kept for later.")
    suppliers = SupplierIn(many=True, required=False,
                           help_text="Award notice: the bidders' company sizes (the winners' are stated, BT-165, the "
                           "bids counted by size, BT-759) and the winners' regions (BT-507), kept for later.")


class PublicationIn(serializers.Serializer):
    publication_reference = serializers.CharField(max_length=100)


class TenderNotices(APIView):
    @extend_schema(responses={200: NoticeOut(many=True)}, summary="The eForms notices of a tender, newest first")
    def get(self, request, pk: int):
        tender = services.visible_tender(request.user, pk)
        if not permissions.may_manage_tender(request.user, tender):
            raise NotAllowed(_("Only the lead organisation's procurement officers handle the eForms notices."))
        return Response([notice_data(n) for n in tender.notices.order_by("-created_at", "-id")])

    @extend_schema(request=NoticeIn, responses={202: NoticeOut}, summary="Make a contract or award notice",
                   description="Builds the notice from the tender as it stands (contract notice: subtype 16 with "
                   "European publication, E3 with Belgian; award notice: 29 or E4, once the contracts are "
                   "concluded) and validates it in the background against the XSD and the Schematron rules of "
                   "the vendored eForms SDK. Poll the notice until its status is valid, invalid or failed.")
    def post(self, request, pk: int):
        tender = services.visible_tender(request.user, pk)
        notice = services.notice_request(tender=tender, kind=request.data.get("kind"), actor=request.user,
                                         buyers=request.data.get("buyers"), suppliers=request.data.get("suppliers"))
        return Response(notice_data(notice), status=status.HTTP_202_ACCEPTED)


class NoticeDetail(APIView):
    @extend_schema(responses={200: NoticeOut}, summary="A notice: status, SDK version and the rules it broke")
    def get(self, request, pk: int):
        return Response(notice_data(services.visible_notice(request.user, pk)))


class NoticeDownload(APIView):
    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY,
                              409: OpenApiResponse(description="pending, invalid or not validated")},
                   summary="The notice's XML, for e-Notification")
    def get(self, request, pk: int):
        notice = services.visible_notice(request.user, pk)
        if notice.status != NoticeStatus.VALID:
            raise TransitionRefused(
                _("This notice is %(status)s; only a notice that passed every rule can be downloaded.")
                % {"status": notice.get_status_display()}, code="notice_not_valid")
        return xml_response(notice)


class NoticePublication(APIView):
    @extend_schema(request=PublicationIn, responses={200: NoticeOut}, summary="Record the publication reference",
                   description="After publishing on e-Notification: the reference it gave. For the contract "
                   "notice it also becomes the tender's publication reference.")
    def post(self, request, pk: int):
        notice = services.visible_notice(request.user, pk)
        notice = services.notice_record_publication(
            notice=notice, actor=request.user, publication_reference=request.data.get("publication_reference"))
        return Response(notice_data(notice))
