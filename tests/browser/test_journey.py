"""The whole journey in a real browser (Playwright driving Debian's chromium) against a live server with the
demo data: Wetteren joins the demo laptop round and submits, its alderman approves from the inbox, the
procurement officer sees the pooled value and the participant count change and closes pooling, and an
ICT officer of Laarne cannot open Wetteren's participation. Once in Dutch, once in English.

Every page visited is saved as a screenshot under test-output/screenshots/. Playwright never downloads a
browser here: it launches /usr/bin/chromium (package ``chromium``, installed by ``bash dev``)."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from procurement.models import Initiative, InitiativeState, Participation, ParticipationState

# Playwright's sync API runs an event loop in this thread, and the test reads the database between steps and
# pytest-django flushes it at teardown (after function fixtures are undone): allow sync database access for
# the rest of this test process. tests/test_settings.py strips DJANGO_* from its subprocesses' environment.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
LAPTOPS = "Samenaankoop laptops en schermen"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; bash dev does it)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--headless", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(settings):
    call_command("demo", verbosity=0)
    return Initiative.objects.get(title=LAPTOPS)


class Visit:
    """One person's browser tab; every page it reaches is saved as a screenshot."""

    def __init__(self, browser, live_server, journey: str, username: str, locale: str, switch_to: str = ""):
        self.switch_to = switch_to
        self.context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base = live_server.url
        self.journey = journey
        self.username = username
        self.count = 0

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path = SCREENSHOTS / f"{self.journey}-{self.username}-{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def goto(self, path: str, name: str):
        response = self.page.goto(self.base + path)
        self.shot(name)
        return response

    def login(self, password: str = "demo") -> None:
        self.goto("/accounts/login/", "login")
        self.page.fill("#id_username", self.username)
        self.page.fill("#id_password", password)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_url(self.base + "/")
        self.shot("dashboard")
        if self.switch_to:  # the language switch in the header
            self.page.select_option("#language-select", self.switch_to)
            self.page.click("header form button[type=submit]")
            self.page.wait_for_load_state()
            assert self.page.locator("html").get_attribute("lang") == self.switch_to
            self.shot("language-switched")

    def close(self) -> None:
        self.context.close()


def money_text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text().strip()


def run_journey(browser, live_server, demo, *, journey: str, locale: str, texts: dict, switch_to: str = ""):
    initiative = demo
    detail = f"/initiatives/{initiative.pk}/"

    # (3, before) The procurement officer notes the pooled value and the participant count.
    lead = Visit(browser, live_server, journey, "procurement.destelbergen", locale, switch_to)
    lead.login()
    lead.goto(detail, "initiative-before")
    value_before = money_text(lead.page, "#pooled-value")
    count_before = int(money_text(lead.page, "#participant-count"))

    # (1) ICT officer of Wetteren joins, enters quantities, sees the totals update, submits.
    ict = Visit(browser, live_server, journey, "ict.wetteren", locale, switch_to)
    ict.login()
    assert texts["dashboard"] in ict.page.content()
    ict.goto(detail, "initiative")
    choice = ict.page.locator("#join select")
    if choice.count():  # ict.wetteren is ICT officer of the municipality and of its OCMW
        choice.select_option(label="Wetteren")
    ict.page.click("#join button[type=submit]")
    ict.page.wait_for_url(re.compile(r".*/participations/\d+/$"))
    ict.shot("demand-grid")
    participation = Participation.objects.get(initiative=initiative, organisation__name="Wetteren")
    laptop = initiative.lots.get(number=1).items.get(name="Laptop 14 inch")
    monitor = initiative.lots.get(number=2).items.get(name="Scherm 27 inch")
    ict.page.fill(f"#id_quantity_{laptop.pk}", "20")
    ict.page.fill(f"#id_quantity_{monitor.pk}", "5")
    # 20 × 900 + 5 × 210 = 19.050,00 € excl. VAT; 21 % VAT on top.
    assert money_text(ict.page, "[data-total-excl]") == "19.050,00 €"
    assert money_text(ict.page, "[data-total-incl]") == "23.050,50 €"
    ict.shot("totals-updated")
    ict.page.click("button[name=action][value=submit]")
    ict.page.wait_for_load_state()
    ict.shot("submitted")
    assert texts["submitted"] in ict.page.content()
    participation.refresh_from_db()
    assert participation.state == ParticipationState.SUBMITTED

    # (2) Wetteren's alderman finds the task in the inbox and approves it with a reference.
    alderman = Visit(browser, live_server, journey, "alderman.wetteren", locale, switch_to)
    alderman.login()
    row = alderman.page.locator("#inbox tr", has_text=LAPTOPS)
    assert "19.050,00 €" in row.inner_text() and "23.050,50 €" in row.inner_text()
    row.locator("a[href^='/tasks/']").click()
    alderman.page.wait_for_url(re.compile(r".*/tasks/\d+/$"))
    alderman.shot("decision")
    alderman.page.check("input[name=decision][value=approve]")
    alderman.page.fill("#id_decision_reference", "CBS/2026/117")
    alderman.page.click("main form:has(#id_decision_reference) button[type=submit]")
    alderman.page.wait_for_url(re.compile(r".*/tasks/$"))
    alderman.shot("inbox-after-decision")
    assert texts["approved"] in alderman.page.content()
    participation.refresh_from_db()
    assert participation.state == ParticipationState.APPROVED
    assert participation.decision_reference == "CBS/2026/117"

    # (3, after) The pooled value and participant count changed; the officer closes pooling.
    lead.goto(detail, "initiative-after")
    value_after = money_text(lead.page, "#pooled-value")
    count_after = int(money_text(lead.page, "#participant-count"))
    assert count_after == count_before + 1

    def euros(text: str) -> Decimal:
        return Decimal(text.replace("€", "").replace(".", "").replace(",", ".").strip())

    assert euros(value_after) - euros(value_before) == Decimal("19050.00")
    assert "Wetteren" in lead.page.locator("#participants").inner_text()
    lead.page.click(f"a[href='{detail}close_pooling/']")
    lead.page.wait_for_url(re.compile(r".*/close_pooling/$"))
    lead.shot("confirm-close-pooling")
    lead.page.click("main form button[type=submit]")
    lead.page.wait_for_url(lead.base + detail)
    lead.shot("pooling-closed")
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.DECIDING

    # (4) An ICT officer of Laarne cannot open Wetteren's participation.
    laarne = Visit(browser, live_server, journey, "ict.laarne", locale, switch_to)
    laarne.login()
    response = laarne.goto(f"/participations/{participation.pk}/", "wetteren-participation-refused")
    assert response.status == 404
    assert texts["not_found"] in laarne.page.content()
    assert "19.050,00" not in laarne.page.content()

    for visit in (lead, ict, alderman, laarne):
        visit.close()


def test_journey_in_dutch(browser, live_server, demo):
    run_journey(browser, live_server, demo, journey="nl", locale="nl-BE", texts={
        "dashboard": "Mijn overzicht",
        "submitted": "De behoefte is ingediend",
        "approved": "goedgekeurd",
        "not_found": "Pagina niet gevonden",
    })


def test_journey_in_english(browser, live_server, demo):
    """The same journey, switching the language to English with the header's language switch."""
    run_journey(browser, live_server, demo, journey="en", locale="nl-BE", switch_to="en", texts={
        "dashboard": "Dashboard",
        "submitted": "The demand is submitted",
        "approved": "approved",
        "not_found": "Page not found",
    })
