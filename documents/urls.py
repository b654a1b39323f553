from django.urls import path

from . import api

app_name = "documents-api"

urlpatterns = [
    path("documents/", api.DocumentListCreate.as_view(), name="list"),
    path("documents/<int:pk>/", api.DocumentDetail.as_view(), name="detail"),
    path("documents/<int:pk>/download/", api.DocumentDownload.as_view(), name="download"),
    path("documents/<int:pk>/docx/", api.DocumentDocx.as_view(), name="docx"),
    path("initiatives/<int:parent_id>/documents/batches/", api.BatchCreate.as_view(), name="batches"),
    path("initiatives/<int:parent_id>/documents/batches/<int:pk>/", api.BatchDetail.as_view(), name="batch"),
    path("initiatives/<int:parent_id>/documents/batches/<int:pk>/download/", api.BatchDownload.as_view(),
         name="batch-download"),
]
