from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenderingConfig(AppConfig):
    """The procurement procedure the lead runs for all: tender, suppliers, bids, award criteria, scoring,
    award and standstill. Builds on ``procurement``; ``contracts`` builds on it."""

    name = "tendering"
    verbose_name = _("Tendering")
