"""The documents API (API.md "Sheets and documents").

``POST /api/documents/`` → ``202 {id, status, …}``; ``GET /api/documents/<id>/``; ``…/download/`` (PDF).
Batches: ``POST /api/initiatives/<id>/documents/batches/`` ``{kind, language?}`` → ``202`` batch;
``GET …/batches/<batch_id>/`` (progress); ``GET …/batches/<batch_id>/download/`` (ZIP, ``409`` until done).
"""

import io
import re
import zipfile

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import NotFound, TransitionRefused

from . import services, staleness
from .models import Document, DocumentBatch, DocumentStatus


def document_data(document: Document, *, check_current: bool = True) -> dict:
    """``out_of_date``: whether the subject has changed since the document was made (``staleness``); null in
    a batch's list, where building every subject's context again would cost as much as the batch itself."""
    ready = document.status == DocumentStatus.READY
    return {
        "id": document.pk,
        "kind": document.kind,
        "subject_id": document.object_id,
        "language": document.language,
        "status": document.status,
        "sha256": document.sha256 or None,
        "size": document.size,
        "page_count": document.page_count,
        "content_version": document.content_version,
        "out_of_date": staleness.is_out_of_date(document) if check_current else None,
        "download_url": reverse("documents-api:download", args=[document.pk]) if ready else None,
        "docx_url": reverse("documents-api:docx", args=[document.pk]) if services.has_editable_copy(document) else None,
        "error": document.error or None,
        "created_at": document.created_at,
        "rendered_at": document.rendered_at,
    }


def batch_data(batch: DocumentBatch, parent_segment: str) -> dict:
    progress = batch.progress()
    done = progress["pending"] == 0
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "parent_id": batch.object_id,
        "language": batch.language,
        "status": "done" if done else "pending",
        **progress,
        "documents": [document_data(d, check_current=False) for d in batch.documents.order_by("id")],
        "download_url": reverse("documents-api:batch-download", args=[batch.object_id, batch.pk])
        if done and progress["ready"] else None,
        "created_at": batch.created_at,
    }


class DocumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    subject_id = serializers.IntegerField()
    language = serializers.CharField()
    status = serializers.ChoiceField(DocumentStatus.choices)
    sha256 = serializers.CharField(allow_null=True)
    size = serializers.IntegerField(allow_null=True)
    page_count = serializers.IntegerField(allow_null=True)
    content_version = serializers.CharField()
    out_of_date = serializers.BooleanField(
        allow_null=True, help_text="The subject changed since this document was made: ask for it again for a "
                                   "current one. Null in a batch's list.")
    download_url = serializers.CharField(allow_null=True)
    docx_url = serializers.CharField(allow_null=True, help_text="The editable copy (DOCX) for the kinds that have "
                                                                  "one (the decision draft); null otherwise.")
    error = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    rendered_at = serializers.DateTimeField(allow_null=True)


class DocumentIn(serializers.Serializer):
    kind = serializers.CharField()
    subject_id = serializers.IntegerField()
    language = serializers.ChoiceField([("nl", "nl"), ("en", "en")], required=False)


class BatchOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    parent_id = serializers.IntegerField()
    language = serializers.CharField()
    status = serializers.ChoiceField(["pending", "done"])
    total = serializers.IntegerField()
    ready = serializers.IntegerField()
    failed = serializers.IntegerField()
    pending = serializers.IntegerField()
    percent = serializers.IntegerField()
    documents = DocumentOut(many=True)
    download_url = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


class BatchIn(serializers.Serializer):
    kind = serializers.CharField()
    language = serializers.ChoiceField([("nl", "nl"), ("en", "en")], required=False)


class DocumentListCreate(APIView):
    @extend_schema(request=DocumentIn, responses={202: DocumentOut}, summary="Ask for a document",
                   description="Idempotent: the same kind, subject, language and content give the same document. "
                   "Answers 202 with the document's current status (pending, or ready when it already exists).")
    def post(self, request):
        document = services.document_request(
            kind=request.data.get("kind"), subject_id=request.data.get("subject_id"), actor=request.user,
            language=request.data.get("language"),
        )
        return Response(document_data(document), status=status.HTTP_202_ACCEPTED)


class DocumentDetail(APIView):
    @extend_schema(responses={200: DocumentOut}, summary="A document and its status")
    def get(self, request, pk: int):
        document = _visible_document(request.user, pk)
        return Response(document_data(document))


def _visible_document(user, pk: int) -> Document:
    document = Document.objects.filter(pk=pk).first()
    if document is None:
        raise NotFound(_("This document does not exist."))
    services.may_view(user, document)
    return document


def safe_filename(name: str, default: str = "document") -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return cleaned[:120] or default


class DocumentDownload(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 409: OpenApiResponse(description="not ready")},
                   summary="The PDF")
    def get(self, request, pk: int):
        document = _visible_document(request.user, pk)
        if document.status != DocumentStatus.READY:
            raise TransitionRefused(_("The document is not ready (it is %(status)s).")
                                    % {"status": document.get_status_display()}, code="document_not_ready")
        filename = safe_filename(document.context.get("meta", {}).get("filename", document.kind)) + ".pdf"
        return FileResponse(document.file.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=filename)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentDocx(APIView):
    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY, 404: OpenApiResponse(description="no editable copy")},
                   summary="The editable copy (DOCX) of a decision draft")
    def get(self, request, pk: int):
        document = _visible_document(request.user, pk)
        if not services.has_editable_copy(document):
            raise NotFound(_("This kind of document has no editable copy."))
        content = services.document_docx(document=document)
        filename = safe_filename(document.context.get("meta", {}).get("filename", document.kind)) + ".docx"
        return FileResponse(io.BytesIO(content), content_type=DOCX, as_attachment=True, filename=filename)


class BatchCreate(APIView):
    parent_segment = "initiatives"

    @extend_schema(request=BatchIn, responses={202: BatchOut}, summary="Ask for a batch of documents",
                   description="Kind `participation_decision`: the decision draft of every live participation "
                   "of the initiative. Lead procurement officers only.")
    def post(self, request, parent_id: int):
        batch = services.batch_request(kind=request.data.get("kind"), parent_id=parent_id, actor=request.user,
                                       language=request.data.get("language"), parent_segment=self.parent_segment)
        return Response(batch_data(batch, self.parent_segment), status=status.HTTP_202_ACCEPTED)


class BatchDetail(APIView):
    parent_segment = "initiatives"

    @extend_schema(responses={200: BatchOut}, summary="A batch and its progress")
    def get(self, request, parent_id: int, pk: int):
        batch = services.visible_batch(request.user, pk, parent_segment=self.parent_segment, parent_id=parent_id)
        return Response(batch_data(batch, self.parent_segment))


def batch_zip(batch: DocumentBatch) -> bytes:
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document in batch.documents.filter(status=DocumentStatus.READY).order_by("id"):
            base = safe_filename(document.context.get("meta", {}).get("filename", document.kind))
            name, n = f"{base}.pdf", 1
            while name in used:
                n += 1
                name = f"{base}-{n}.pdf"
            used.add(name)
            with document.file.open("rb") as source:
                archive.writestr(name, source.read())
    return buffer.getvalue()


class BatchDownload(APIView):
    parent_segment = "initiatives"

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY,
                              409: OpenApiResponse(description="still rendering")}, summary="The batch as a ZIP")
    def get(self, request, parent_id: int, pk: int):
        batch = services.visible_batch(request.user, pk, parent_segment=self.parent_segment, parent_id=parent_id)
        progress = batch.progress()
        if progress["pending"]:
            raise TransitionRefused(_("%(pending)s of %(total)s documents are still being made; try again shortly.")
                                    % progress, code="batch_not_done")
        if not progress["ready"]:
            raise TransitionRefused(_("No document of this batch could be made."), code="batch_failed")
        from . import registry

        spec = registry.get_batch(batch.kind)
        name = safe_filename(spec.zip_name(batch.parent) if spec and batch.parent else f"documents-{batch.pk}")
        return FileResponse(io.BytesIO(batch_zip(batch)), content_type="application/zip", as_attachment=True,
                            filename=f"{name}.zip")
