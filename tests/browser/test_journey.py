"""Every stage in a real browser, by clicking only: after the sign-in page no URL is typed. Playwright drives
Debian's chromium against a live server with the demo data, at 1366×900 and at 390×844 (a phone):

1. ict.wetteren joins the laptop round from the dashboard, downloads the demand template, fills it in, uploads it,
   sees the uploaded numbers in the grid, checks the demand and submits it;
2. alderman.wetteren finds the task in the inbox and approves it;
3. procurement.destelbergen follows the task list: closes pooling (sees who would lapse), confirms the
   participants (sees who drops out, Lochristi's 73.200,00 €), starts and publishes the tender, enters the bids,
   closes and evaluates them, awards, and concludes after the standstill period (the test moves the clock);
4. ict.izegem places a call-off under the demo's framework agreement from its dashboard, within its own maximum,
   and is refused above it.

On every page reached, axe-core (the npm package pinned in package.json, injected with add_script_tag) checks
WCAG 2.1 A and AA: zero violations. Every page is saved as a screenshot under test-output/screenshots/.
Playwright never downloads a browser here: it launches /usr/bin/chromium (installed by ``bash dev``)."""

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from contracts.models import CallOff, CallOffState
from procurement.models import Initiative, InitiativeState, Participation, ParticipationState
from tendering.models import Tender

# Playwright's sync API runs an event loop in this thread, and the test reads the database between steps and
# pytest-django flushes it at teardown: allow sync database access for the rest of this test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
LAPTOPS = "Samenaankoop laptops en schermen"
NETWORK = "Raamcontract netwerkswitches en wifi"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n")[1])}));
}"""


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; bash dev does it)")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (bash dev test does it)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu", "--headless", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


class Clock:
    """``timezone.now`` moved forward for the live server too (it runs in a thread of this process)."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, moment):
        self.monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def demo(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600  # the clock moves past the bid deadline and the standstill
    call_command("demo", verbosity=0)
    return Initiative.objects.get(title=LAPTOPS)


class Visit:
    """One person's browser tab. ``seen`` saves a screenshot of the page and runs axe-core on it."""

    def __init__(self, browser, live_server, size: str, username: str, violations: list):
        # bypass_csp: axe-core is injected as an inline script, which the site's Content-Security-Policy
        # (script-src 'self') rightly refuses; only the test's own script is let through this way.
        self.context = browser.new_context(locale="nl-BE", viewport=SIZES[size], accept_downloads=True,
                                           bypass_csp=True)
        self.page = self.context.new_page()
        self.base = live_server.url
        self.size = size
        self.username = username
        self.violations = violations
        self.count = 0

    def seen(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.count += 1
        page.screenshot(path=str(SCREENSHOTS / f"{self.size}-{self.username}-{self.count:02d}-{name}.png"),
                        full_page=True)
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        for violation in page.evaluate(AXE_RUN, WCAG_21_AA):
            self.violations.append({"page": f"{self.size} {self.username} {name} ({page.url})", **violation})
        # Usable on a phone: nothing wider than the screen (a wide table scrolls inside its own box).
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name} at {self.size}: the page is {overflow}px wider than the screen"

    def click(self, selector: str, name: str, **kwargs) -> None:
        self.page.locator(selector, **kwargs).first.click()
        self.seen(name)

    def login(self) -> None:
        self.page.goto(self.base + "/accounts/login/")  # the only URL typed
        self.seen("login")
        self.page.fill("#id_username", self.username)
        self.page.fill("#id_password", "demo")
        self.page.click("main form button[type=submit]")
        self.page.wait_for_url(self.base + "/")
        self.seen("dashboard")

    def task_action(self, name: str) -> None:
        """Click the one next action of the task list on the initiative page."""
        self.click(".task-current .task-action a", name)

    def confirm(self, name: str) -> None:
        self.click("main form button[type=submit].button", name)

    def close(self) -> None:
        self.context.close()


def filled_template(path: str, quantities: dict[int, int]) -> str:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=7):
        if row[1].value in quantities:
            row[6].value = quantities[row[1].value]
    out = Path(path).with_suffix(".filled.xlsx")
    wb.save(out)
    return str(out)


def ict_joins_uploads_and_submits(browser, live_server, size, violations, initiative) -> Participation:
    ict = Visit(browser, live_server, size, "ict.wetteren", violations)
    ict.login()
    row = ict.page.locator("tr", has_text=LAPTOPS).filter(has=ict.page.locator("a[href$='#join']"))
    row.locator("a[href$='#join']").click()
    ict.seen("initiative-join")
    ict.click("#join button[type=submit]", "demand-grid")
    participation = Participation.objects.get(initiative=initiative, organisation__name="Wetteren")
    laptop = initiative.lots.get(number=1).items.get(name="Laptop 14 inch")
    monitor = initiative.lots.get(number=2).items.get(name="Scherm 27 inch")

    with ict.page.expect_download() as download:
        ict.page.click("form.demand-upload a[download]")
    path = str(SCREENSHOTS.parent / f"{size}-demand-template.xlsx")
    download.value.save_as(path)
    ict.page.set_input_files("form.demand-upload input[type=file]", filled_template(path, {laptop.pk: 20,
                                                                                             monitor.pk: 5}))
    ict.click("form.demand-upload button[type=submit]", "uploaded")
    # The grid shows the uploaded numbers (issue 17: it kept the old ones and saving wrote them back).
    assert ict.page.input_value(f"#id_quantity_{laptop.pk}") == "20"
    assert ict.page.input_value(f"#id_quantity_{monitor.pk}") == "5"
    assert ict.page.locator("[data-total-excl]").inner_text().strip() == "19.050,00 €"  # 20 × 900 + 5 × 210
    ict.click("button[name=action][value=review]", "check-demand")
    assert "19.050,00 €" in ict.page.locator("#check-totals").inner_text()
    ict.confirm("submitted")
    participation.refresh_from_db()
    assert participation.state == ParticipationState.SUBMITTED

    # The header's language switch: NL | EN, and back.
    ict.click("header button[name=language][value=en]", "english")
    assert ict.page.locator("html").get_attribute("lang") == "en"
    ict.page.click("header button[name=language][value=nl]")
    ict.page.wait_for_load_state()
    assert ict.page.locator("html").get_attribute("lang") == "nl"
    ict.close()
    return participation


def alderman_approves(browser, live_server, size, violations, participation) -> None:
    alderman = Visit(browser, live_server, size, "alderman.wetteren", violations)
    alderman.login()
    row = alderman.page.locator("#inbox tbody tr", has_text=LAPTOPS).filter(
        has=alderman.page.locator("td", has_text=re.compile(r"^\s*Wetteren\s*$")))
    assert "19.050,00 €" in row.inner_text()
    row.locator("a[href^='/tasks/']").click()
    alderman.seen("decision")
    alderman.page.check("input[name=decision][value=approve]")
    alderman.page.fill("#id_decision_reference", "CBS/2026/117")
    alderman.click("main form:has(#id_decision_reference) button[type=submit]", "decided")
    participation.refresh_from_db()
    assert participation.state == ParticipationState.APPROVED
    alderman.close()


def lead_runs_every_stage(browser, live_server, size, violations, initiative, clock) -> None:
    lead = Visit(browser, live_server, size, "procurement.destelbergen", violations)
    lead.login()
    lead.page.locator("tr", has_text=LAPTOPS).locator("a.button").first.click()  # next step: close pooling
    lead.seen("confirm-close-pooling")
    assert "Zele" in lead.page.locator("#at-risk").inner_text()  # a draft: would lapse at confirmation
    lead.confirm("pooling-closed")
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.DECIDING

    lead.task_action("confirm-participants")
    drop_outs = lead.page.locator("#lapse").inner_text()
    assert "Lochristi" in drop_outs and "73.200,00 €" in drop_outs
    lead.confirm("participants-confirmed")
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.READY

    lead.task_action("tender-form")
    deadline = timezone.localtime() + timedelta(hours=3)
    lead.page.fill("#id_bid_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    lead.page.fill("#id_standstill_days", "10")
    lead.confirm("tender-created")
    tender = Tender.objects.get(initiative=initiative)

    lead.click(f"a[href='/tenders/{tender.pk}/do/publish/']", "publish")
    lead.page.fill("#id_publication_reference", "UITNODIGING-2026-031")
    lead.confirm("published")
    for number, prices, score in ((1, ("845,00", "169,50", "41,00"), "32"), (2, ("199,00",), "30")):
        lead.click(f"a[href^='/tenders/{tender.pk}/lots/'][href$='/bids/new/'] >> nth={number - 1}", f"bid-lot-{number}")
        lead.page.select_option("#id_supplier", index=1)
        for field, price in zip(lead.page.locator("input[name^=price_]").all(), prices, strict=True):
            field.fill(price)
        lead.page.locator("input[name^=score_]").first.fill(score)
        lead.confirm(f"bid-lot-{number}-recorded")
    assert tender.bids.count() == 2

    clock.set(tender.bid_deadline + timedelta(minutes=1))
    lead.page.reload()
    lead.seen("after-bid-deadline")
    lead.click(f"a[href='/tenders/{tender.pk}/do/close_bids/']", "close-bids")
    lead.confirm("bids-closed")
    lead.click(f"a[href='/tenders/{tender.pk}/do/evaluate/']", "evaluate")
    lead.confirm("evaluated")
    lead.click(f"a[href='/tenders/{tender.pk}/award/']", "award")
    lead.confirm("awarded")
    tender.refresh_from_db()
    assert tender.state == "standstill"

    clock.set(tender.standstill_ends + timedelta(minutes=1))
    lead.click(f"nav.breadcrumbs a[href='/initiatives/{initiative.pk}/']", "initiative-after-standstill")
    lead.task_action("conclude")
    lead.confirm("concluded")
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.ACTIVE
    assert lead.page.locator("#contracts-title").count() == 1
    lead.close()


def participant_calls_off(browser, live_server, size, violations) -> None:
    izegem = Visit(browser, live_server, size, "ict.izegem", violations)
    izegem.login()
    izegem.click("a[href$='#call-off-title']", "framework", has_text="Izegem")
    switch = izegem.page.locator("input[name^=qty_]").first
    switch.fill("1")
    izegem.confirm("call-off-prepared")
    izegem.click("a[href$='/do/order/']", "check-order")
    assert "does not fit" not in izegem.page.content() and "past niet" not in izegem.page.content()
    izegem.confirm("ordered")
    ordered = CallOff.objects.filter(organisation__name="Izegem", state=CallOffState.ORDERED).count()
    assert ordered == 2  # the demo's and this one

    izegem.click("nav.breadcrumbs a[href^='/contracts/']", "framework-again")
    izegem.page.locator("input[name^=qty_]").first.fill("100")
    izegem.confirm("call-off-too-large")
    izegem.click("a[href$='/do/order/']", "check-order-too-large")
    assert izegem.page.locator("#order-check .has-error").count() == 1
    izegem.confirm("order-refused")
    assert izegem.page.locator(".message.error").count() >= 1
    assert CallOff.objects.filter(organisation__name="Izegem", state=CallOffState.ORDERED).count() == ordered
    izegem.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_stage_by_clicking_with_zero_accessibility_violations(browser, live_server, demo, monkeypatch, size):
    violations: list[dict] = []
    participation = ict_joins_uploads_and_submits(browser, live_server, size, violations, demo)
    alderman_approves(browser, live_server, size, violations, participation)
    lead_runs_every_stage(browser, live_server, size, violations, demo, Clock(monkeypatch))
    participant_calls_off(browser, live_server, size, violations)
    assert not violations, "axe-core (WCAG 2.1 AA):\n" + "\n".join(json.dumps(v, ensure_ascii=False)
                                                                   for v in violations)
