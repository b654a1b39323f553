"""Generated documents (PDFs) and batches of them.

A Document is identified by what it shows: kind, subject, language and ``content_version`` (a hash of the
rendering context and the templates). Asking twice for the same content gives the same row — the unique
constraint makes that hold also when two requests or a retried task race.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


S = DocumentStatus


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=10, default="nl")
    content_version = models.CharField(
        _("content version"), max_length=64,
        help_text=_("SHA-256 of the rendering context and templates: the same content gives the same document."),
    )
    context = models.JSONField(_("rendering context"), default=dict, encoder=DjangoJSONEncoder, editable=False)
    status = FSMField(_("status"), default=S.PENDING, choices=S.choices, protected=True, db_index=True)
    file = models.FileField(_("file"), upload_to="documents/", blank=True, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    attempts = models.PositiveIntegerField(_("rendering attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "language", "content_version"],
                name="one_document_per_content_version",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id} ({self.language}, {self.status})"

    @property
    def editable_copy(self) -> bool:
        """Whether this kind is also offered as an editable copy (DOCX): a decision draft."""
        from . import registry

        kind = registry.get(self.kind)
        return bool(kind and kind.editable_copy)

    # --- lifecycle: documents/services.py calls these, nothing else does ---

    @transition(field=status, source=S.PENDING, target=S.READY)
    def mark_ready(self) -> None:
        self.error = ""

    @transition(field=status, source=S.PENDING, target=S.FAILED)
    def mark_failed(self) -> None:
        pass

    @transition(field=status, source=S.FAILED, target=S.PENDING)
    def retry(self) -> None:
        self.error = ""


class DocumentBatch(models.Model):
    """Several documents asked for at once (all decision drafts of an initiative), downloaded as one ZIP."""

    kind = models.CharField(_("kind"), max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(_("parent id"))
    parent = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=10, default="nl")
    documents = models.ManyToManyField(Document, related_name="batches", verbose_name=_("documents"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # The request answers at once; a task asks for the documents one by one (``services.batch_fill``). Until it
    # is done, ``expected`` says how many there will be, so that the progress never looks finished too early.
    expected = models.PositiveIntegerField(_("documents expected"), default=0)
    filled_at = models.DateTimeField(_("documents asked for"), null=True, blank=True)

    class Meta:
        verbose_name = _("document batch")
        verbose_name_plural = _("document batches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} batch #{self.pk}"

    def progress(self) -> dict[str, int]:
        counts = dict(self.documents.values_list("status").annotate(n=models.Count("id")).order_by())
        total = sum(counts.values())
        if self.filled_at is None:  # still being filled: the documents not asked for yet are pending too
            total = max(total, self.expected)
        done = counts.get(S.READY, 0) + counts.get(S.FAILED, 0)
        return {
            "total": total,
            "ready": counts.get(S.READY, 0),
            "failed": counts.get(S.FAILED, 0),
            "pending": total - done,
            "percent": 100 if total == 0 else (100 * done) // total,
        }
