"""The "Tendering" endpoints of docs/API.md, included from config/urls.py under ``api/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("suppliers/", api.SupplierListView.as_view(), name="api-suppliers"),
    path("initiatives/<int:pk>/tender/", api.InitiativeTenderView.as_view(), name="api-initiative-tender"),
    path("tenders/<int:pk>/", api.TenderDetailView.as_view(), name="api-tender"),
    path("tenders/<int:pk>/bids/", api.BidListView.as_view(), name="api-tender-bids"),
    path("tenders/<int:pk>/ranking/", api.RankingView.as_view(), name="api-tender-ranking"),
    path("bids/<int:pk>/", api.BidDetailView.as_view(), name="api-bid"),
    *api.transition_urls(),
]
