"""The participation page in a real browser (Playwright, Debian's chromium), 1366 and 390 px wide: a decision
draft made before the demand changed is shown as out of date, with the button to make it again and the
editable copy beside the PDF. Screenshots go to test-output/screenshots/."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from documents import services as document_services
from procurement import services
from procurement.demo.initiatives import LAPTOPS_TITLE
from procurement.models import Initiative, Participation

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.mark.django_db(transaction=True)
def test_an_out_of_date_draft_on_the_page(live_server, settings, django_capture_on_commit_callbacks):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is missing (bash dev installs it)")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", verbosity=0)
    laptops = Initiative.objects.get(title=LAPTOPS_TITLE)
    participation = (Participation.objects.filter(initiative=laptops, state="draft", contact__isnull=False)
                     .exclude(organisation=laptops.lead_organisation).select_related("contact").first())
    ict = participation.contact
    with django_capture_on_commit_callbacks(execute=True):
        document = document_services.document_request(kind="participation_decision", subject_id=participation.pk,
                                                       actor=ict)
    item = laptops.lots.order_by("number").first().items.first()
    services.demand_set(participation=participation, actor=ict,
                        lines=[{"item": item.pk, "quantity": Decimal("7")}])
    assert document.content_version and timezone.now()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu", "--headless", "--disable-dev-shm-usage"])
        for width in (1366, 390):
            context = browser.new_context(locale="nl-BE", viewport={"width": width, "height": 900})
            page = context.new_page()
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", ict.username)
            page.fill("#id_password", "demo")
            page.click("main form button[type=submit]")
            page.wait_for_url(live_server.url + "/")
            page.goto(f"{live_server.url}/participations/{participation.pk}/")
            stale = page.locator("[data-out-of-date]")
            assert stale.is_visible()
            assert "Verouderd" in stale.inner_text()
            assert page.locator(".document-button button").inner_text() == "Opnieuw maken"
            assert page.locator("text=Bewerkbare kopie (Word)").count() == 1
            page.locator(".document-button").scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"documents-stale-{width}.png"), full_page=True)
            context.close()
        browser.close()
