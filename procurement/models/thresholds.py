"""The procurement thresholds in force, as data (DESIGN.md §5): never constants in code."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ThresholdKind(models.TextChoices):
    ACCEPTED_INVOICE = "accepted_invoice", _("accepted invoice (art. 92)")
    NEGOTIATED_WITHOUT_PUBLICATION = "negotiated_without_publication", _(
        "negotiated procedure without prior publication (art. 42 §1, 1°, a)"
    )
    EU_SUPPLIES_SERVICES = "eu_supplies_services", _("European threshold, sub-central supplies and services")
    EU_WORKS = "eu_works", _("European threshold, works")


class Threshold(models.Model):
    kind = models.CharField(_("kind"), max_length=40, choices=ThresholdKind.choices)
    amount = models.DecimalField(_("amount excl. VAT"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.TextField(_("source"), help_text=_("The act or regulation that sets this amount."))
    is_confirmed = models.BooleanField(
        _("confirmed"), default=True,
        help_text=_("Untick while the amount is announced but not yet confirmed in a Belgian act."),
    )

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="one_threshold_per_kind_and_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="threshold_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} ({self.valid_from}–{self.valid_until or '…'})"
