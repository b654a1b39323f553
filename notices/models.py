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

    tender = models.ForeignKey("tendering.Tender", on_delete=models.CASCADE, related_name="notices")
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


class CompanySize(models.TextChoices):
    """eForms code list economic-operator-size (BT-165), Commission Recommendation 2003/361/EC."""

    MICRO = "micro", _("micro enterprise")
    SMALL = "small", _("small enterprise")
    MEDIUM = "medium", _("medium-sized enterprise")
    LARGE = "large", _("large enterprise")


class Recorded(models.Model):
    """Who recorded the data an officer gives for the notices, and when."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        abstract = True


class SupplierProfile(Recorded):
    """What an award notice states about a supplier that the supplier register does not hold: its company size
    (BT-165 for winners, and the count of bids by size, BT-759) and the NUTS 3 region of its address (BT-507),
    as the procurement officer recorded them."""

    supplier = models.OneToOneField("tendering.Supplier", on_delete=models.CASCADE, related_name="eforms_profile")
    size = models.CharField(_("company size"), max_length=10, choices=CompanySize.choices, blank=True)
    nuts = models.CharField(_("region (NUTS 3)"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("supplier data for eForms")
        verbose_name_plural = _("supplier data for eForms")

    def __str__(self) -> str:
        return f"{self.supplier}: {self.get_size_display()} {self.nuts}"


class BuyerContact(Recorded):
    """A buyer's telephone (BT-503) and contact e-mail (BT-506), which European notices require of every buyer
    and the organisation register does not hold (its general e-mail is used when set)."""

    organisation = models.OneToOneField("procurement.Organisation", on_delete=models.CASCADE,
                                        related_name="eforms_contact")
    telephone = models.CharField(_("telephone"), max_length=30)
    email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("buyer contact for eForms")
        verbose_name_plural = _("buyer contacts for eForms")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.telephone}"
