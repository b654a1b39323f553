"""Minimum time limits for the receipt of bids, as data (like the thresholds): per procedure, publication
level and reduction, with a validity period, a source and whether the figure is confirmed."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from procurement import advice


class BidPeriodReduction(models.TextChoices):
    NONE = "none", _("no reduction")
    ELECTRONIC_SUBMISSION = "electronic_submission", _("bids submitted electronically")
    PRIOR_INFORMATION_NOTICE = "prior_information_notice", _("prior information notice published")
    URGENCY = "urgency", _("duly substantiated urgency")


PUBLICATIONS = [(advice.PUBLICATION_BELGIAN, _("Belgian")), (advice.PUBLICATION_EUROPEAN, _("European")),
                (advice.PUBLICATION_NONE, _("none"))]


class BidTimeLimit(models.Model):
    procedure = models.CharField(_("procedure"), max_length=40)
    publication = models.CharField(_("publication"), max_length=20, choices=PUBLICATIONS)
    reduction = models.CharField(_("reduction"), max_length=30, choices=BidPeriodReduction.choices,
                                 default=BidPeriodReduction.NONE)
    days = models.PositiveSmallIntegerField(_("minimum (calendar days)"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.TextField(_("source"), help_text=_("The act and article that set this time limit."))
    is_confirmed = models.BooleanField(
        _("confirmed"), default=True, help_text=_("Untick while the figure or the article is not verified."))

    class Meta:
        verbose_name = _("minimum time limit for bids")
        verbose_name_plural = _("minimum time limits for bids")
        ordering = ["procedure", "publication", "reduction", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "publication", "reduction", "valid_from"],
                                    name="one_time_limit_per_case_and_start"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                                   name="time_limit_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure}/{self.publication}/{self.reduction}: {self.days} d ({self.valid_from}–{self.valid_until or '…'})"
