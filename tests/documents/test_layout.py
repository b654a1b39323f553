"""No document clips: every kind, for a joint purchase, a framework and a shared hire, in Dutch and English,
for the lead and a participant, is rendered and read back; no glyph may lie outside the printable area, and
every amount of the rendering context must appear in the text."""

import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from documents import registry, rendering, services
from procurement.models import Initiative

from .layout import outside_printable_area
from .scenarios import BUILDERS

# Codes and formats a reader must never see: enum codes, "Prijs (prijs)", "verlenging(en)", a decimal point.
RAW = re.compile(r"\b(?:open|belgian|european|none) — |negotiated_without|_purchasing_body|joint_purchase|"
                 r"framework_contract|shared_hire|accepted_invoice|\((?:prijs|price)\)|verlenging\(en\)|"
                 r"(?<![\d.])\d{1,3}\.\d{2}(?![.\d])")
AMOUNT = re.compile(r"-?\d{1,3}(?:\.\d{3})*,\d{2} €")
INITIATIVE_KINDS = [name for name in registry.kinds() if registry.get(name).model == "procurement.Initiative"]


def amounts(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(amounts(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(amounts(v) for v in value)) if value else set()
    return set(AMOUNT.findall(value)) if isinstance(value, str) else set()


def render(kind_name: str, subject, language: str):
    kind = registry.get(kind_name)
    with translation.override(language):  # as documents.services does: dates and labels in that language
        context = services.normalise(kind.build_context(subject, language))
    pdf = rendering.render_pdf(services.template_name(kind, language), context, language=language)
    return PdfReader(io.BytesIO(pdf.content)), context


def text_of(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def assert_fits(reader: PdfReader, context: dict, label: str) -> str:
    outside = outside_printable_area(reader)
    assert not outside, f"{label}: text outside the printable area: " + "; ".join(
        f"p{run.page} near {run.text[:80]!r} at x={run.x0:.0f}..{run.x1:.0f} of {run.page_width:.0f}"
        for run in outside[:8])
    text = text_of(reader)
    missing = sorted(a for a in amounts(context) if a not in text)
    assert not missing, f"{label}: amounts not in the text: {missing[:10]}"
    raw = RAW.findall(text)
    assert not raw, f"{label}: codes or unformatted numbers in the text: {raw[:10]}"
    return text


def subjects(scenario):
    from django.apps import apps

    for name in INITIATIVE_KINDS:
        yield name, name, scenario.initiative
    for key, pk in scenario.subjects.items():
        name = key.removesuffix("_lead")
        model = apps.get_model(registry.get(name).model)
        yield key, name, model.objects.get(pk=pk)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("scenario_name", sorted(BUILDERS))
def test_no_document_clips_and_every_amount_is_shown(scenario_name, language, clock, round_):
    scenario = BUILDERS[scenario_name](round_, clock)
    assert Initiative.objects.get(pk=scenario.initiative.pk).state == "active"
    rendered = 0
    for label, name, subject in subjects(scenario):
        if not registry.get(name).may_view(round_.lead_people.procurement, subject):
            continue  # e.g. the award report before evaluation
        reader, context = render(name, subject, language)
        assert_fits(reader, context, f"{scenario_name}/{label}/{language}")
        rendered += 1
    assert rendered >= 6
