"""The REST API under ``/api/`` (docs/API.md). The schema is served at ``/api/schema/``."""

from django.urls import path

from .views import auth, initiatives, organisations, participations, transitions

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("me/", auth.MeView.as_view(), name="api-me"),
    path("organisations/", organisations.OrganisationListView.as_view(), name="api-organisations"),
    path("circles/", organisations.CircleListView.as_view(), name="api-circles"),
    path("initiatives/", initiatives.InitiativeListView.as_view(), name="api-initiatives"),
    path("initiatives/<int:pk>/", initiatives.InitiativeDetailView.as_view(), name="api-initiative"),
    path("ideas/", initiatives.IdeaCreateView.as_view(), name="api-ideas"),
    path("initiatives/<int:pk>/interests/", initiatives.InterestListView.as_view(), name="api-interests"),
    path("initiatives/<int:pk>/lots/", initiatives.LotCreateView.as_view(), name="api-lots"),
    path("initiatives/<int:pk>/items/", initiatives.ItemCreateView.as_view(), name="api-items"),
    path("initiatives/<int:pk>/participations/", participations.ParticipationListView.as_view(),
         name="api-initiative-participations"),
    path("participations/<int:pk>/", participations.ParticipationDetailView.as_view(), name="api-participation"),
    path("participations/<int:pk>/demand/", participations.DemandView.as_view(), name="api-demand"),
    *transitions.urlpatterns(),
]
