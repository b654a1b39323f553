"""Pages of the open data app, included from config/urls.py at the root."""

from django.urls import path

from . import public, views

urlpatterns = [
    path("open-data/", public.open_data_index, name="open-data"),
    # The token is secrets.token_urlsafe: letters, digits, "-" and "_", exactly the slug converter.
    path("calendar/<slug:token>.ics", views.calendar_ics, name="calendar-ics"),
    path("account/calendar/", views.calendar_feed_panel, name="calendar-feed-panel"),
]
