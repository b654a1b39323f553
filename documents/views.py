"""Small page views behind the document buttons (``{% document_button %}``, ``{% document_batch %}``).

They answer htmx requests with the status fragment (which polls itself while pending) and plain form
posts with a redirect back to ``next``; downloads go to the API URLs, which accept the page session.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError, NotFound

from . import registry, services, staleness
from .models import Document, DocumentBatch


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return "/"
    return target


def _error(request: HttpRequest, error: DomainError, template: str, context: dict) -> HttpResponse:
    if request.htmx:
        return render(request, template, {**context, "error": error.message or str(error)})
    messages.error(request, error.message or str(error))
    return redirect(_next(request))


@login_required
@require_POST
def request_document(request: HttpRequest) -> HttpResponse:
    kind, subject_id = request.POST.get("kind"), request.POST.get("subject_id")
    try:
        document = services.document_request(kind=kind, subject_id=subject_id, actor=request.user,
                                             language=request.POST.get("language") or None)
    except DomainError as error:
        return _error(request, error, "documents/_document_status.html", {"document": None, "kind": kind})
    if request.htmx:
        return render(request, "documents/_document_status.html", {"document": document, "kind": kind})
    return redirect(_next(request))


@login_required
@require_GET
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    document = Document.objects.filter(pk=pk).first()
    try:
        if document is None:
            raise NotFound("")
        services.may_view(request.user, document)
    except DomainError as error:
        return _error(request, error, "documents/_document_status.html", {"document": None})
    return render(request, "documents/_document_status.html",
                  {"document": document, "kind": document.kind, "out_of_date": staleness.is_out_of_date(document)})


@login_required
@require_POST
def request_batch(request: HttpRequest) -> HttpResponse:
    kind, parent_id = request.POST.get("kind"), request.POST.get("parent_id")
    try:
        batch = services.batch_request(kind=kind, parent_id=parent_id, actor=request.user,
                                       language=request.POST.get("language") or None)
    except DomainError as error:
        return _error(request, error, "documents/_batch_status.html", {"batch": None})
    if request.htmx:
        return render(request, "documents/_batch_status.html", _batch_context(batch))
    return redirect(_next(request))


def _batch_context(batch: DocumentBatch) -> dict:
    spec = registry.get_batch(batch.kind)
    return {"batch": batch, "progress": batch.progress(), "parent_segment": spec.parent if spec else "initiatives"}


@login_required
@require_GET
def batch_status(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        batch = services.visible_batch(request.user, pk)
    except DomainError as error:
        return _error(request, error, "documents/_batch_status.html", {"batch": None})
    return render(request, "documents/_batch_status.html", _batch_context(batch))


def latest_document(user, kind: str, subject) -> Document | None:
    """The newest document of ``kind`` about ``subject`` that ``user`` may see (for the buttons)."""
    spec = registry.get(kind)
    if spec is None or subject is None or not spec.may_view(user, subject):
        return None
    return Document.objects.filter(kind=kind, content_type=ContentType.objects.get_for_model(subject),
                                   object_id=subject.pk).order_by("-created_at", "-id").first()


def latest_batch(kind: str, parent) -> DocumentBatch | None:
    return DocumentBatch.objects.filter(kind=kind, content_type=ContentType.objects.get_for_model(parent),
                                        object_id=parent.pk).order_by("-created_at", "-id").first()
