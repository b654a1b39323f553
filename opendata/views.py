"""The calendar feed (no login: the secret token is the key) and the profile panel that shows, renews and
revokes that token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from . import calendar, feeds
from .models import CalendarFeed

PANEL_TEMPLATE = "opendata/_calendar_feed.html"


@require_safe
@cache_control(private=True, max_age=300)
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """``GET /calendar/<token>.ics``: an unknown or revoked token is a 404, like any address that does
    not exist (no hint that a token once was valid)."""
    feed = feeds.feed_for_token(token)
    if feed is None:
        raise Http404(_("No such calendar."))
    response = HttpResponse(calendar.feed(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="samenaankoop.ics"'
    # The address is the secret: keep it out of the Referer of any link a client follows from the feed.
    response["Referrer-Policy"] = "no-referrer"
    return response


def feed_urls(request: HttpRequest, feed: CalendarFeed | None) -> dict:
    if feed is None:
        return {"url": None, "webcal_url": None}
    url = request.build_absolute_uri(reverse("calendar-ics", args=[feed.token]))
    return {"url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


def panel_context(request: HttpRequest) -> dict:
    """What ``opendata/_calendar_feed.html`` needs; the account page includes it through the template tag
    ``{% calendar_feed_panel %}`` (opendata/templatetags/opendata.py)."""
    feed = feeds.active_feed(request.user)
    urls = feed_urls(request, feed)
    return {"calendar_feed": feed, "calendar_feed_url": urls["url"], "calendar_feed_webcal": urls["webcal_url"],
            "request": request}


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_panel(request: HttpRequest) -> HttpResponse:
    """GET: the panel (a whole page, or the fragment alone for htmx). POST ``action=renew|revoke``."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            feeds.feed_issue(actor=request.user)
            done = _("Your calendar has a new secret address; the previous one no longer works.")
        elif action == "revoke":
            feeds.feed_revoke(actor=request.user)
            done = _("Your calendar address is revoked; calendars that use it stop updating.")
        else:
            return HttpResponse(_("Unknown action."), status=400)
        if not request.htmx:  # htmx swaps the panel in place; a full page says what happened
            messages.success(request, done)
            target = request.POST.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
                target = reverse("calendar-feed-panel")
            return redirect(target)
    if request.htmx:
        return render(request, PANEL_TEMPLATE, panel_context(request))
    return render(request, "opendata/calendar_feed.html", panel_context(request))
