"""Page endpoints behind the document buttons (included under ``documents/``)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("request/", views.request_document, name="request"),
    path("<int:pk>/status/", views.document_status, name="status"),
    path("batches/request/", views.request_batch, name="batch-request"),
    path("batches/<int:pk>/status/", views.batch_status, name="batch-status"),
]
