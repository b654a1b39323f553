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
    """Counts sign-in attempts per username and per address in the cache, in a fixed window. Once either
    has LOGIN_THROTTLE_ATTEMPTS failures, sign-in for it is refused until the window ends, even with the
    right password (so that guessing stops being useful).

    The count is atomic: ``begin`` counts the attempt with the cache's ``incr`` BEFORE the password is
    checked, and ``succeeded`` takes it back. Checking first and counting after the failure let parallel
    attempts all pass the check before any was counted (issue 16); with a shared cache (Redis, CACHE_URL)
    this holds across processes."""

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

    def begin(self) -> int:
        """Count this attempt; the seconds until sign-in is possible again when it is one too many (0: go on
        and check the password)."""
        now = time.time()
        waits = []
        for key in self.keys:
            cache.add(f"{key}:until", now + self.window(), timeout=self.window())
            cache.add(key, 0, timeout=self.window())
            try:
                count = cache.incr(key)
            except ValueError:  # the window ended between add and incr
                cache.add(key, 1, timeout=self.window())
                count = 1
            if count > self.limit():
                until = cache.get(f"{key}:until") or now + self.window()
                waits.append(max(1, int(until - now)))
        return max(waits, default=0)

    def succeeded(self) -> None:
        """The password was right: the username's count starts again; the address's attempt is taken back
        (one right password must not reset what the address tried before)."""
        cache.delete_many([self.keys[0], f"{self.keys[0]}:until"])
        for key in self.keys[1:]:
            try:
                cache.decr(key)
            except ValueError:
                pass  # the window ended meanwhile: nothing to take back


class ThrottleMixin:
    def clean(self):
        username = self.data.get("username", "") if self.data else ""
        throttle = LoginThrottle(self.request, username)
        wait = throttle.begin()
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
        cleaned = super().clean()  # a failure stays counted
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
