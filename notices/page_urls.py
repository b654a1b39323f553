"""The eForms pages, included from config/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("tenders/<int:pk>/notices/new/", views.notice_create, name="notice-create"),
    path("tenders/<int:pk>/notices/", views.notice_fragment, name="notice-fragment"),
    path("notices/<int:pk>/download/", views.notice_download, name="notice-download"),
    path("notices/<int:pk>/publication/", views.notice_publication, name="notice-publication"),
]
