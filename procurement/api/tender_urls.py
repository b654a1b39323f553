"""The "Tendering" endpoints of docs/API.md, included from config/urls.py under ``api/``."""

from django.urls import path

from . import tenders

urlpatterns = [
    path("suppliers/", tenders.SupplierListView.as_view(), name="api-suppliers"),
    path("initiatives/<int:pk>/tender/", tenders.InitiativeTenderView.as_view(), name="api-initiative-tender"),
    path("tenders/<int:pk>/", tenders.TenderDetailView.as_view(), name="api-tender"),
    path("tenders/<int:pk>/bids/", tenders.BidListView.as_view(), name="api-tender-bids"),
    path("tenders/<int:pk>/ranking/", tenders.RankingView.as_view(), name="api-tender-ranking"),
    path("bids/<int:pk>/", tenders.BidDetailView.as_view(), name="api-bid"),
    *tenders.transition_urls(),
]
