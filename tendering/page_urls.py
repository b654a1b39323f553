"""The tender pages, included from config/urls.py. No path
here can be taken for an initiative transition (``initiatives/<pk>/<name>/``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("initiatives/<int:pk>/tender/new/", views.tender_create, name="tender-create"),
    path("tenders/<int:pk>/", views.tender_detail, name="tender-detail"),
    path("tenders/<int:pk>/ranking/", views.tender_ranking, name="tender-ranking"),
    path("tenders/<int:pk>/award/", views.tender_award, name="tender-award"),
    path("tenders/<int:pk>/lots/<int:lot_pk>/bids/new/", views.bid_create, name="tender-bid-create"),
    path("tenders/<int:pk>/do/<slug:name>/", views.tender_transition, name="tender-transition"),
    path("suppliers/new/", views.supplier_create, name="supplier-create"),
]
