from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from procurement.demo.initiatives import register_scenario

        from . import receivers  # noqa: F401  (turns a concluded tender into contracts)
        from .demo import NETWORK_TITLE, network_framework

        register_scenario(NETWORK_TITLE, network_framework)  # the demo's framework with call-offs
