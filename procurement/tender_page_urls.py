"""The tender pages (issue 5), included from config/urls.py. Kept apart from ``procurement/urls.py``; no path
here can be taken for an initiative transition (``initiatives/<pk>/<name>/``)."""

from django.urls import path

from .views import tenders

urlpatterns = [
    path("initiatives/<int:pk>/tender/new/", tenders.tender_create, name="tender-create"),
    path("tenders/<int:pk>/", tenders.tender_detail, name="tender-detail"),
    path("tenders/<int:pk>/ranking/", tenders.tender_ranking, name="tender-ranking"),
    path("tenders/<int:pk>/award/", tenders.tender_award, name="tender-award"),
    path("tenders/<int:pk>/lots/<int:lot_pk>/bids/new/", tenders.bid_create, name="tender-bid-create"),
    path("tenders/<int:pk>/do/<slug:name>/", tenders.tender_transition, name="tender-transition"),
    path("suppliers/new/", tenders.supplier_create, name="supplier-create"),
]
