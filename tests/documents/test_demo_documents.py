"""The documents of the demo rounds (``manage.py demo``), rendered and checked like every other document;
with ``DOCS_PICTURES=1`` also one page of each kind as a PNG in ``docs/documents/`` (``pdftoppm -r 70``),
so that a reader sees them without running the product. The kinds that need a round taken to `active`
(award report, call-off order, cost-sharing agreement) come from the tests' scenarios.

    DOCS_PICTURES=1 .venv/bin/pytest tests/documents/test_demo_documents.py -p no:cacheprovider
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from procurement.demo import load
from procurement.demo.initiatives import GIS_TITLE, LAPTOPS_TITLE, PRINTERS_TITLE
from procurement.models import Initiative, Participation

from .scenarios import framework, joint_purchase, shared
from .test_layout import assert_fits, render

PICTURES = Path(settings.BASE_DIR) / "docs" / "documents"
WANTED = os.environ.get("DOCS_PICTURES") == "1"


def picture(reader_bytes: bytes, name: str, page: int = 1) -> None:
    if not WANTED:
        return
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils, see dev) is needed for the pictures"
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "document.pdf"
        pdf.write_bytes(reader_bytes)
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                        str(PICTURES / name)], check=True)


def check(name: str, subject, label: str, *, page: int = 1, language: str = "nl") -> str:
    from documents import rendering, services

    reader, context = render(name, subject, language)
    text = assert_fits(reader, context, label)
    kind = __import__("documents.registry", fromlist=["get"]).get(name)
    pdf = rendering.render_pdf(services.template_name(kind, language), context, language=language)
    picture(pdf.content, label, page)
    return text


@pytest.mark.django_db
def test_the_demo_rounds_documents(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load(password="demo")
    laptops = Initiative.objects.get(title=LAPTOPS_TITLE)
    printers = Initiative.objects.get(title=PRINTERS_TITLE)
    gis = Initiative.objects.get(title=GIS_TITLE)
    lochristi = Participation.objects.filter(initiative=printers, organisation__name="Lochristi").first() \
        or Participation.objects.filter(initiative=printers).exclude(
            organisation=printers.lead_organisation).order_by("organisation__name").first()
    text = check("participation_decision", lochristi, "decision-participant")
    assert text.startswith(f"gemeente {lochristi.organisation.name}")
    lead = Participation.objects.filter(initiative=printers, organisation=printers.lead_organisation).first()
    if lead is not None:
        check("participation_decision", lead, "decision-lead")
    ocmw = Participation.objects.filter(organisation__kind="ocmw").first()
    if ocmw is not None:
        assert check("participation_decision", ocmw, "decision-ocmw").startswith("OCMW ")
    hire = Participation.objects.filter(initiative=gis).exclude(organisation=gis.lead_organisation).first()
    check("participation_decision", hire, "decision-shared-hire")
    check("cooperation_agreement", printers, "cooperation-agreement")
    check("cooperation_agreement", printers, "cooperation-agreement-annex", page=4)
    check("demand_summary", printers, "demand-summary")
    check("tender_specification", laptops, "tender-specification")


@pytest.mark.docs_pictures
def test_pictures_of_the_active_kinds(round_, clock):
    scenario = joint_purchase(round_, clock)
    check("award_report", scenario.initiative, "award-report")


@pytest.mark.docs_pictures
def test_pictures_of_the_contract_kinds(round_, clock):
    from contracts.models import CallOff

    check("call_off_order", CallOff.objects.get(pk=framework(round_, clock).subjects["call_off_order"]),
          "call-off-order")


@pytest.mark.docs_pictures
def test_pictures_of_the_cost_sharing(round_, clock):
    from contracts.models import Contract

    check("cost_sharing_agreement", Contract.objects.get(pk=shared(round_, clock).subjects["cost_sharing_agreement"]),
          "cost-sharing-agreement")
