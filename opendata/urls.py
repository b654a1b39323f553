"""The "Open data and calendar" endpoints of docs/API.md, included from config/urls.py under ``api/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("initiatives/<int:pk>/ocds/", api.InitiativeOcdsView.as_view(), name="api-initiative-ocds"),
    path("ocds/releases/", api.ReleasePackageView.as_view(), name="api-ocds-releases"),
    path("me/calendar-feed/", api.CalendarFeedView.as_view(), name="api-calendar-feed"),
]
