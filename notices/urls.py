"""API routes of the eForms notices, included under ``/api/`` from config/urls.py."""

from django.urls import path

from . import api

app_name = "notices-api"

urlpatterns = [
    path("tenders/<int:pk>/notices/", api.TenderNotices.as_view(), name="tender-notices"),
    path("notices/<int:pk>/", api.NoticeDetail.as_view(), name="detail"),
    path("notices/<int:pk>/download/", api.NoticeDownload.as_view(), name="download"),
    path("notices/<int:pk>/publication/", api.NoticePublication.as_view(), name="publication"),
]
