"""eForms notices: the XML built for a tender, the SDK version it was checked against and what failed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    CONTRACT = "contract", _("contract notice")
    AWARD = "award", _("contract award notice")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("being validated")
    VALID = "valid", _("valid")
    INVALID = "invalid", _("not valid")
    FAILED = "failed", _("validation could not run")


class Notice(models.Model):
    """One generated notice. A new request makes a new notice (the tender may have changed); the page and the
    API show the latest of each kind."""

    tender = models.ForeignKey("procurement.Tender", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=10, choices=NoticeKind.choices)
    subtype = models.CharField(_("eForms subtype"), max_length=4)
    notice_id = models.UUIDField(_("notice identifier"), default=uuid.uuid4, unique=True, editable=False)
    sdk_version = models.CharField(_("eForms SDK version"), max_length=20)
    xml = models.TextField(_("XML"))
    status = models.CharField(_("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    failures = models.JSONField(_("failed rules"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    unconfirmed = models.JSONField(_("unconfirmed data used"), default=list, blank=True)
    publication_reference = models.CharField(
        _("publication reference"), max_length=100, blank=True,
        help_text=_("The number e-Notification or TED gave the published notice."),
    )
    published_recorded_at = models.DateTimeField(_("publication recorded"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)

    class Meta:
        verbose_name = _("eForms notice")
        verbose_name_plural = _("eForms notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tender", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subtype} · {self.tender_id}"

    @property
    def filename(self) -> str:
        return f"eforms-{self.subtype}-tender-{self.tender_id}-{self.notice_id}.xml"
