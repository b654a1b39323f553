"""Shared hires (gedeelde medewerker): the position, its cost model and the versioned allocation key.

The lead organisation employs; the participants share the cost. The cost of a day is the year's cost
(``costs.annual_cost``) divided by the days of that year; each day is shared by the allocation key in force
on that day. The key is versioned: a participant that joins or leaves from a date starts a new version, and
the versions are never edited afterwards, so a statement for a past quarter reads the same tomorrow.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from procurement.models import Organisation

from .agreements import ZERO, Contract


class SharedHire(models.Model):
    """The position of a shared-hire agreement and its cost model (one per agreement).

    Annual cost in year Y = (salary cost + operating costs) × (1 + indexation)^(Y − base year)
    × (1 + overhead) − subsidies. The indexation applies from 1 January of every year after the base year;
    the subsidies are a fixed yearly amount (not indexed)."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="hire")
    title = models.CharField(_("position"), max_length=200)
    fte = models.DecimalField(_("FTE"), max_digits=7, decimal_places=4,
                              validators=[MinValueValidator(0), MaxValueValidator(100)])
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="employed_hires",
                                 verbose_name=_("employer"))
    annual_salary_cost = models.DecimalField(
        _("annual salary cost incl. employer contributions"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(0)])
    operating_costs = models.DecimalField(_("annual operating costs"), max_digits=14, decimal_places=2, default=ZERO,
                                          validators=[MinValueValidator(0)])
    overhead_percentage = models.DecimalField(_("overhead (%)"), max_digits=5, decimal_places=2, default=ZERO,
                                              validators=[MinValueValidator(0), MaxValueValidator(100)])
    subsidies = models.DecimalField(_("annual subsidies"), max_digits=14, decimal_places=2, default=ZERO,
                                    validators=[MinValueValidator(0)])
    indexation_percentage = models.DecimalField(_("yearly indexation (%)"), max_digits=5, decimal_places=2,
                                                default=ZERO, validators=[MinValueValidator(0), MaxValueValidator(20)])
    base_year = models.PositiveSmallIntegerField(_("base year of the amounts"))
    notice_months = models.PositiveSmallIntegerField(_("notice period (months)"), default=6,
                                                     validators=[MaxValueValidator(36)])
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("shared hire")
        verbose_name_plural = _("shared hires")

    def __str__(self) -> str:
        return f"{self.title} ({self.fte} FTE)"

    @property
    def starts_on(self):
        return self.contract.starts_on


class ShareBasis(models.TextChoices):
    FTE = "fte", _("FTE fractions (summing to the position's FTE)")
    PERCENTAGE = "percentage", _("percentages (summing to 100)")


class AllocationKey(models.Model):
    """One version of the allocation key, in force from ``valid_from`` until the next version starts."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="allocation_keys")
    version = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    basis = models.CharField(_("shares as"), max_length=20, choices=ShareBasis.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("allocation key version")
        verbose_name_plural = _("allocation key versions")
        ordering = ["contract_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "version"], name="one_allocation_key_version"),
            models.UniqueConstraint(fields=["contract", "valid_from"], name="one_allocation_key_per_start"),
        ]

    def __str__(self) -> str:
        return _("Allocation key v%(version)s from %(start)s") % {"version": self.version, "start": self.valid_from}


class CostShare(models.Model):
    """A participant's share in one version of the key: an FTE fraction or a percentage."""

    key = models.ForeignKey(AllocationKey, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cost_shares")
    value = models.DecimalField(_("share"), max_digits=9, decimal_places=4)

    class Meta:
        verbose_name = _("cost share")
        verbose_name_plural = _("cost shares")
        ordering = ["key_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["key", "organisation"], name="one_cost_share_per_organisation"),
            models.CheckConstraint(condition=Q(value__gt=0), name="cost_share_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.value}"
