"""The contracts API, included from config/urls.py under ``api/``."""

from .api import agreements, calloffs, sharing, sheets

urlpatterns = [*agreements.urls(), *calloffs.urls(), *sharing.urls(), *sheets.urls()]
