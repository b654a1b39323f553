from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("eForms notices")

    def ready(self) -> None:
        from procurement.demo.initiatives import register_scenario

        from .demo import NETWORK_TITLE, build

        register_scenario(NETWORK_TITLE, build)
