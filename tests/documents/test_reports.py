"""The award report and the tender specification as an officer and a secretary read them; a shared hire's
candidates stay with the employer."""

import re

from core.errors import NotAllowed
from documents import services
from documents.models import Document
from procurement.models import Organisation

from .scenarios import joint_purchase, shared
from .test_layout import assert_fits, render


def test_the_award_report(round_, clock):
    scenario = joint_purchase(round_, clock)
    reader, context = render("award_report", scenario.initiative, "nl")
    text = assert_fits(reader, context, "award report")
    for section in ("Gunningscriteria", "Regelmatigheid van de offertes", "Prijsonderzoek", "Beoordeling en "
                    "rangschikking", "Motivering van de scores per criterium", "Financieel resultaat per bestuur",
                    "Wachttermijn", "Beslissing van het bevoegde orgaan"):
        assert section in text, section
    assert "Price prijs 60" in text and "Quality kwaliteit 30" in text and "(prijs)" not in text
    assert "Realdolmen, ontvangen op" in text and "onregelmatig — Geen technische fiche voor het scherm." in text
    assert re.search(r"Bechtle .*-3,00 %", text)  # 0,97 × the estimate
    assert re.search(r"\b24,50\b", text) and not re.search(r"\b24\.50\b", text)  # scores with a decimal comma
    assert ("Het college van burgemeester en schepenen van gemeente Destelbergen keurt dit gunningsverslag goed"
            in text)
    assert "De algemeen directeur De burgemeester" in text
    english = assert_fits(*render("award_report", scenario.initiative, "en"), "award report en")
    assert "Price check" in english and "Decision of the competent body" in english


def test_the_specification_has_exclusion_and_selection_to_fill_in(round_, clock):
    Organisation.objects.filter(pk=round_.wetteren.pk).update(address="Markt 1, 9230 Wetteren", postal_code="9230")
    scenario = joint_purchase(round_, clock)
    reader, context = render("tender_specification", scenario.initiative, "nl")
    text = assert_fits(reader, context, "specification")
    assert "Uitsluitingsgronden" in text and "Selectiecriteria" in text and "Aan te vullen door de aankoper" in text
    assert "artikelen 67 tot 69 van de wet van 17 juni 2016" in text
    assert "Markt 1, 9230 Wetteren" in text and "9230 Wetteren 9230" not in text


def test_a_shared_hires_candidates_stay_with_the_employer(round_, clock, django_capture_on_commit_callbacks):
    scenario = shared(round_, clock)
    initiative = scenario.initiative
    before = Document.objects.count()
    for kind in ("award_report", "tender_specification"):
        try:
            services.document_request(kind=kind, subject_id=initiative.pk, actor=round_.wetteren_people.ict)
        except NotAllowed as refused:
            assert "not allowed" in str(refused)
        else:
            raise AssertionError(f"{kind} of a shared hire given to another organisation")
    assert Document.objects.count() == before  # nothing asked for, nothing stored
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(kind="award_report", subject_id=initiative.pk,
                                             actor=round_.lead_people.procurement)
    assert Document.objects.get(pk=document.pk).status == "ready"
    # What the other organisations do receive names no candidate and no procurement law.
    for kind, subject in (("participation_decision", scenario.subjects["participation_decision"]),
                          ("cost_sharing_agreement", scenario.subjects["cost_sharing_agreement"])):
        from django.apps import apps

        from documents import registry

        model = apps.get_model(registry.get(kind).model)
        reader, context = render(kind, model.objects.get(pk=subject), "nl")
        text = assert_fits(reader, context, kind)
        assert "artikel 185 van het decreet" in text
        for word in ("inclusief btw", "exclusief btw", "gunning", "wachttermijn", "artikel 48", "artikel 47",
                     "plaatsingsprocedure"):
            assert word not in text.lower(), (kind, word, text[max(0, text.lower().find(word) - 200):][:300])
