"""Non-binding interest (interesse) of an organisation in an idea."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .initiatives import Initiative
from .organisations import Organisation
from .participations import MAX_QUANTITY


class Interest(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="interests")
    estimated_quantity = models.DecimalField(
        _("rough quantity or FTE share"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_QUANTITY)],
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["initiative_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "organisation"], name="one_interest_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.initiative}"
