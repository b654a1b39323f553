"""Page endpoints of the demand template (included under ``sheets/``)."""

from django.urls import path

from . import views

app_name = "sheets"

urlpatterns = [
    path("participations/<int:pk>/demand-upload/", views.demand_upload, name="demand-upload"),
]
