"""Sign-in with a throttle on failed attempts; the other account pages are Django's auth views with our
templates (see ``procurement/urls.py``)."""

import hashlib
import math
import time

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def client_address(request) -> str:
    """The client's address. Behind a proxy, set SECURE_PROXY_SSL_HEADER and let the proxy overwrite
    REMOTE_ADDR; X-Forwarded-For is not trusted here because anybody can send it."""
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-throttle:{kind}:{digest}"


class LoginThrottle:
    """Counts failed sign-ins per username and per address in the cache, in a fixed window. Once either
    reaches LOGIN_THROTTLE_ATTEMPTS, sign-in for it is refused until the window ends, even with the
    right password (so that guessing stops being useful)."""

    def __init__(self, request, username: str):
        self.keys = [_key("user", username or "")]
        address = client_address(request)
        if address:
            self.keys.append(_key("addr", address))

    @staticmethod
    def limit() -> int:
        return settings.LOGIN_THROTTLE_ATTEMPTS

    @staticmethod
    def window() -> int:
        return settings.LOGIN_THROTTLE_SECONDS

    def blocked_for(self) -> int:
        """Seconds until sign-in is possible again (0: not blocked)."""
        now = time.time()
        waits = []
        for key in self.keys:
            entry = cache.get(key)
            if entry and entry[0] >= self.limit():
                waits.append(max(0, int(entry[1] - now)))
        return max(waits, default=0)

    def failed(self) -> None:
        now = time.time()
        for key in self.keys:
            count, until = cache.get(key) or (0, now + self.window())
            cache.set(key, (count + 1, until), timeout=max(1, int(until - now)))

    def succeeded(self) -> None:
        cache.delete(self.keys[0])  # the address keeps its count: one right password must not reset it


class ThrottleMixin:
    def clean(self):
        username = self.data.get("username", "") if self.data else ""
        throttle = LoginThrottle(self.request, username)
        wait = throttle.blocked_for()
        if wait:
            minutes = max(1, math.ceil(wait / 60))
            raise ValidationError(
                ngettext(
                    "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                    "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                    minutes,
                ) % {"minutes": minutes},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.failed()
            raise
        throttle.succeeded()
        return cleaned


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not right. Both are case-sensitive."),
    }


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The same throttle for the admin's sign-in (config/urls.py sets it on the admin site)."""


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
