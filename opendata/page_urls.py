"""Pages of the open data app, included from config/urls.py at the root."""

from django.urls import path

from . import views

urlpatterns = [
    # The token is secrets.token_urlsafe: letters, digits, "-" and "_", exactly the slug converter.
    path("calendar/<slug:token>.ics", views.calendar_ics, name="calendar-ics"),
    path("account/calendar/", views.calendar_feed_panel, name="calendar-feed-panel"),
]
