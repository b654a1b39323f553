from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # Every domain app registers its document kinds in its own ``documents`` module (like the admin's
        # ``admin`` modules); importing them here keeps this app free of imports of the domain apps.
        autodiscover_modules("documents")
