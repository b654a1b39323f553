"""The pages (every one requires sign-in) and the account pages (Django's auth views, our templates)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import account, dashboard, demand, demand_check, initiative_edit, initiatives

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # Account
    path("accounts/login/", account.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(
        email_template_name="registration/password_reset_email.txt",
        html_email_template_name="registration/password_reset_email.html"), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    # Initiatives
    path("initiatives/", initiatives.initiative_list, name="initiative-list"),
    path("initiatives/new/", initiative_edit.initiative_create, name="initiative-create"),
    path("initiatives/propose/", initiatives.idea_propose, name="idea-propose"),
    path("initiatives/<int:pk>/", initiatives.initiative_detail, name="initiative-detail"),
    path("initiatives/<int:pk>/summary/", initiatives.initiative_summary, name="initiative-summary"),
    path("initiatives/<int:pk>/edit/", initiative_edit.initiative_edit, name="initiative-edit"),
    path("initiatives/<int:pk>/join/", initiatives.initiative_join, name="initiative-join"),
    path("initiatives/<int:pk>/interest/", initiatives.initiative_interest, name="initiative-interest"),
    path("initiatives/<int:pk>/<slug:name>/", initiatives.initiative_transition, name="initiative-transition"),
    # Participations and demand
    path("participations/<int:pk>/", demand.participation_detail, name="participation-detail"),
    path("participations/<int:pk>/submit/", demand_check.participation_submit_check, name="participation-submit"),
    path("participations/<int:pk>/reopen/", demand.participation_reopen, name="participation-reopen"),
    path("participations/<int:pk>/withdraw/", demand.participation_withdraw, name="participation-withdraw"),
]
