"""Open data: the published OCDS releases (the history of every contracting process) and the secret
tokens of the per-user calendar feeds."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from procurement.models import Initiative


class Release(models.Model):
    """One OCDS release as published: never changed afterwards, a later change is a later release.

    ``initiative`` is the initiative the contracting process belongs to: the initiative itself, or for a
    framework call-off (its own contracting process, its own ``ocid``) the framework initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="ocds_releases")
    ocid = models.CharField(_("OCID"), max_length=100)
    sequence = models.PositiveIntegerField(_("sequence"), help_text=_("1 for the first release of this ocid."))
    release_id = models.CharField(_("release id"), max_length=120, unique=True)
    tag = models.JSONField(_("tag"), default=list)
    date = models.DateTimeField(_("date"))
    digest = models.CharField(
        _("content digest"), max_length=64,
        help_text=_("SHA-256 of the release without its id, date and tag: a new release only when it differs."),
    )
    data = models.JSONField(_("release"))

    class Meta:
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        ordering = ["initiative_id", "ocid", "sequence"]
        constraints = [models.UniqueConstraint(fields=["ocid", "sequence"], name="one_release_per_ocid_sequence")]
        indexes = [models.Index(fields=["ocid", "-sequence"], name="release_latest")]

    def __str__(self) -> str:
        return self.release_id


def new_token() -> str:
    # 32 bytes from the OS's CSPRNG, URL-safe: the token is the only secret that protects the feed.
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a user's deadline calendar. Calendar clients cannot log in, so whoever holds
    the token reads the feed: it can be revoked, and renewing it revokes the previous one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True),
                                    name="one_active_calendar_feed_per_user"),
        ]

    def __str__(self) -> str:
        return _("Calendar feed of %(user)s") % {"user": self.user}

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
