"""The Content-Security-Policy (config/csp.py) in a real browser: the pages (htmx), the sign-in and the API
documentation (Swagger UI) work under it, and chromium reports no violation in the console (issue 16)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
playwright_api = pytest.importorskip("playwright.sync_api")

from tests.browser.test_journey import browser  # noqa: E402, F401 — the same chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def test_no_csp_violation_on_the_pages_and_the_api_documentation(browser, live_server, round_, settings):  # noqa: F811
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = round_.lead_people.procurement
    user.set_password("pw-for-csp")
    user.save()
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))

    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-for-csp")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert get_user_model().objects.filter(pk=user.pk).exists()
    page.goto(f"{live_server.url}/initiatives/{round_.initiative.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof htmx") == "object"  # htmx loaded and ran
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)  # Swagger UI rendered the operations
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "csp-api-docs.png"))
    page.goto(f"{live_server.url}/open-data/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / "csp-open-data.png"), full_page=True)
    context.close()
    violations = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert violations == []
