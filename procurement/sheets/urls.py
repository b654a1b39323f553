from django.urls import path

from . import api

app_name = "sheets-api"

urlpatterns = [
    path("initiatives/<int:pk>/demand-sheet.xlsx", api.DemandSheetXlsx.as_view(), name="demand-sheet-xlsx"),
    path("initiatives/<int:pk>/demand-sheet.csv", api.DemandSheetCsv.as_view(), name="demand-sheet-csv"),
    path("initiatives/<int:pk>/demand-template.xlsx", api.DemandTemplate.as_view(), name="demand-template"),
    path("participations/<int:pk>/demand-upload/", api.DemandUpload.as_view(), name="demand-upload"),
]
