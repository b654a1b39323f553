"""Every state change of documents: asking for one (or a batch), storing the rendered PDF, failing.

Asking is idempotent: the same kind, subject, language and content version give the same Document (a
unique constraint, so also under concurrent requests), and a failed one is simply queued again. The
rendering task is queued only once the row is committed, with ids, never objects (DESIGN.md §4).
"""

import hashlib
import json
import uuid
from functools import lru_cache, partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import log as audit
from core.errors import InvalidInput, NotAllowed, NotFound
from core.services import Actor

from . import registry, rendering
from .models import Document, DocumentBatch, DocumentStatus

# Bump when the rendering itself changes in a way the templates do not show (WeasyPrint options).
RENDERING_VERSION = "2"  # 2: tagged PDF/A-3a
MAX_ERROR_LENGTH = 2000


def template_name(kind: registry.DocumentKind, language: str) -> str:
    return f"pdf/{language}/{kind.template}.html"


@lru_cache(maxsize=64)
def _templates_fingerprint(name: str) -> str:
    """A hash of the templates and the stylesheet a kind is rendered with: new wording, new version."""
    digest = hashlib.sha256(RENDERING_VERSION.encode())
    for source_name in (name, "pdf/base.html"):
        digest.update(get_template(source_name).template.source.encode())
    css = rendering.resolve_static(rendering.PDF_STATIC_URL + "pdf/pdf.css")
    if css is not None:
        digest.update(css.read_bytes())
    return digest.hexdigest()


def normalise(context: dict[str, Any]) -> dict[str, Any]:
    """The context as it will be stored (JSON): Decimals and dates become strings, tuples lists."""
    return json.loads(json.dumps(context, cls=DjangoJSONEncoder))


def content_version(kind: registry.DocumentKind, context: dict[str, Any], language: str) -> str:
    payload = json.dumps(
        {"kind": kind.name, "language": language, "context": context,
         "templates": _templates_fingerprint(template_name(kind, language))},
        sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _language(language: str | None) -> str:
    # Documents are Dutch unless asked otherwise, whatever the language of the page or API client: the
    # Dutch text is the legal original (settings.DOCUMENTS_LANGUAGE may change that default).
    if language is not None and not isinstance(language, str):  # a list or an object from a JSON body
        language = "?"
    language = (language or getattr(settings, "DOCUMENTS_LANGUAGE", "nl")).split("-")[0].lower()
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput({"language": [_("Choose one of: %(choices)s.")
                                          % {"choices": ", ".join(code for code, _name in settings.LANGUAGES)}]})
    return language


def _kind(name: Any) -> registry.DocumentKind:
    kind = registry.get(name) if isinstance(name, str) else None
    if kind is None:
        raise InvalidInput({"kind": [_("Unknown document kind %(kind)r; choose one of: %(choices)s.")
                                     % {"kind": name, "choices": ", ".join(registry.kinds())}]})
    return kind


def _id(value: Any, field: str) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput({field: [_("Give the id (a whole number).")]})
    if number <= 0:
        raise InvalidInput({field: [_("Give the id (a whole number).")]})
    return number


def visible_subject(kind: registry.DocumentKind, actor: Actor, subject_id: int) -> models.Model:
    subject = kind.visible(actor).filter(pk=subject_id).first()
    if subject is None:
        raise NotFound(_("There is no %(kind)s subject %(id)s that you can see.") % {"kind": kind.name, "id": subject_id})
    return subject


def may_view(actor: Actor, document: Document) -> models.Model:
    """The document's subject when ``actor`` may see it; NotFound/NotAllowed otherwise."""
    kind = registry.get(document.kind)
    if kind is None:
        raise NotFound(_("This document is not available."))
    subject = visible_subject(kind, actor, document.object_id)
    if not kind.may_view(actor, subject):
        raise NotAllowed(_("You are not allowed to see this document."))
    return subject


def _queue(document: Document) -> None:
    from .tasks import render_document  # the task module imports this one

    transaction.on_commit(partial(render_document.apply_async, args=[document.pk], task_id=document.task_id))


def _request_for(kind: registry.DocumentKind, subject: models.Model, *, actor: Actor, language: str) -> Document:
    with translation.override(language):
        context = normalise(kind.build_context(subject, language))
    version = content_version(kind, context, language)
    content_type = ContentType.objects.get_for_model(subject)
    organisation = kind.organisation(subject)
    with transaction.atomic():
        document, created = Document.objects.get_or_create(
            kind=kind.name, content_type=content_type, object_id=subject.pk, language=language,
            content_version=version,
            defaults={"context": context, "requested_by": actor if getattr(actor, "is_authenticated", False) else None,
                      "task_id": str(uuid.uuid4())},
        )
        if created:
            audit.record(action="documents.document.requested", obj=document, actor=actor,
                         organisation=organisation, to_state=document.status,
                         data={"kind": kind.name, "subject": subject.pk, "language": language,
                               "content_version": version})
            _queue(document)
        elif document.status == DocumentStatus.FAILED:
            document = Document.objects.select_for_update().get(pk=document.pk)
            if document.status == DocumentStatus.FAILED:
                document.retry()
                document.task_id = str(uuid.uuid4())
                document.save(update_fields=["status", "error", "task_id"])
                audit.record(action="documents.document.requeued", obj=document, actor=actor,
                             organisation=organisation, from_state=DocumentStatus.FAILED, to_state=document.status)
                _queue(document)
    return document


def document_request(*, kind: str, subject_id: Any, actor: Actor, language: str | None = None) -> Document:
    """Ask for a document of ``kind`` about subject ``subject_id``; returns the (possibly existing) Document.

    404 when the actor cannot see the subject, 403 when it can but may not have this document."""
    spec = _kind(kind)
    language = _language(language)
    subject = visible_subject(spec, actor, _id(subject_id, "subject_id"))
    if not spec.may_view(actor, subject):
        raise NotAllowed(_("You are not allowed to ask for this document."))
    return _request_for(spec, subject, actor=actor, language=language)


def batch_request(*, kind: str, parent_id: Any, actor: Actor, language: str | None = None,
                  parent_segment: str | None = None) -> DocumentBatch:
    """Ask for every document of a batch kind at once (e.g. all decision drafts of an initiative)."""
    spec = registry.get_batch(kind) if isinstance(kind, str) else None
    if spec is None or (parent_segment is not None and spec.parent != parent_segment):
        choices = registry.batch_kinds(parent_segment)
        raise InvalidInput({"kind": [_("Unknown batch kind %(kind)r; choose one of: %(choices)s.")
                                     % {"kind": kind, "choices": ", ".join(choices)}]})
    language = _language(language)
    parent = spec.visible_parents(actor).filter(pk=_id(parent_id, "parent_id")).first()
    if parent is None:
        raise NotFound(_("There is nothing with id %(id)s that you can see.") % {"id": parent_id})
    if not spec.may_request(actor, parent):
        raise NotAllowed(_("You are not allowed to ask for these documents."))
    _kind(spec.document_kind)  # a batch of an unregistered kind is a programming error: fail here, not later
    with transaction.atomic():
        batch = DocumentBatch.objects.create(
            kind=spec.name, content_type=ContentType.objects.get_for_model(parent), object_id=parent.pk,
            language=language, requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            expected=spec.subjects(parent).count(),
        )
        audit.record(action="documents.batch.requested", obj=batch, actor=actor, organisation=None,
                     data={"kind": spec.name, "parent": parent.pk, "expected": batch.expected})
        from .tasks import fill_batch  # the task module imports this one

        transaction.on_commit(partial(fill_batch.delay, batch.pk))
    return batch


def batch_fill(*, batch_id: int) -> DocumentBatch | None:
    """Ask for every document of a batch (each one queued for rendering), in the background: building the
    contexts of 600 decision drafts takes longer than a request may. Idempotent: a document already asked for
    with the same content is the same Document, and a filled batch is left alone."""
    batch = DocumentBatch.objects.filter(pk=batch_id, filled_at__isnull=True).first()
    spec = registry.get_batch(batch.kind) if batch else None
    if batch is None or spec is None:
        return batch
    parent = batch.parent
    document_kind = _kind(spec.document_kind)
    actor = batch.requested_by
    for subject in spec.subjects(parent):
        document = _request_for(document_kind, subject, actor=actor, language=batch.language)
        batch.documents.add(document)
    with transaction.atomic():
        batch = DocumentBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.filled_at is None:
            batch.filled_at = timezone.now()
            batch.save(update_fields=["filled_at"])
            audit.record(action="documents.batch.filled", obj=batch, actor=actor, organisation=None,
                         data={"documents": list(batch.documents.values_list("pk", flat=True))})
    return batch


def visible_batch(actor: Actor, batch_id: int, *, parent_segment: str | None = None, parent_id: int | None = None):
    batch = DocumentBatch.objects.filter(pk=batch_id).first()
    spec = registry.get_batch(batch.kind) if batch else None
    if (
        batch is None or spec is None
        or (parent_segment is not None and spec.parent != parent_segment)
        or (parent_id is not None and batch.object_id != parent_id)
    ):
        raise NotFound(_("This batch does not exist."))
    parent = spec.visible_parents(actor).filter(pk=batch.object_id).first()
    if parent is None:
        raise NotFound(_("This batch does not exist."))
    if not spec.may_request(actor, parent):
        raise NotAllowed(_("You are not allowed to see these documents."))
    return batch


def has_editable_copy(document: Document) -> bool:
    return document.editable_copy


def document_docx(*, document: Document) -> bytes:
    """The editable copy (DOCX) of ``document``, from the context it stored: the same content as its PDF.
    Made on request (a fraction of a second), not stored: it is a working copy, not the document of record."""
    from .docx_export import render_docx

    kind = _kind(document.kind)
    return render_docx(template_name(kind, document.language), document.context, language=document.language)


# --- rendering (the Celery task calls these) ---

def document_render(*, document_id: int) -> Document | None:
    """Render a pending document and store it. A document that is already ready (a redelivered task) or
    gone is left alone; exceptions propagate to the task, which retries or calls ``document_fail``."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.status != DocumentStatus.PENDING:
        return document
    kind = _kind(document.kind)
    Document.objects.filter(pk=document.pk).update(attempts=models.F("attempts") + 1)
    rendered = rendering.render_pdf(template_name(kind, document.language), document.context,
                                    language=document.language)
    return document_store(document_id=document.pk, content=rendered.content, page_count=rendered.page_count,
                          refused=rendered.refused)


def _organisation(document: Document):
    kind = registry.get(document.kind)
    subject = document.subject
    return kind.organisation(subject) if kind is not None and subject is not None else None


def document_store(*, document_id: int, content: bytes, page_count: int, refused: list[str] | None = None) -> Document:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.PENDING:  # another attempt finished first
            return document
        storage = document.file.storage
        # The name depends only on the document: an attempt that crashed after writing the file but
        # before committing left this very file behind; replace it.
        name = f"documents/{document.kind}/{document.pk}-{document.content_version[:16]}.pdf"
        if storage.exists(name):
            storage.delete(name)
        document.file.name = storage.save(name, ContentFile(content))
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.size = len(content)
        document.page_count = page_count
        document.rendered_at = timezone.now()
        document.mark_ready()
        document.save(update_fields=["file", "sha256", "size", "page_count", "rendered_at", "status", "error"])
        audit.record(action="documents.document.rendered", obj=document, actor=None,
                     organisation=_organisation(document), from_state=DocumentStatus.PENDING,
                     to_state=document.status,
                     data={"sha256": document.sha256, "size": document.size, "pages": page_count,
                           "refused_urls": refused or []})
    return document


def document_fail(*, document_id: int, error: str) -> Document | None:
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != DocumentStatus.PENDING:
            return document
        document.mark_failed()
        document.error = error[:MAX_ERROR_LENGTH]
        document.save(update_fields=["status", "error"])
        audit.record(action="documents.document.failed", obj=document, actor=None,
                     organisation=_organisation(document), from_state=DocumentStatus.PENDING,
                     to_state=document.status, data={"error": document.error})
    return document
