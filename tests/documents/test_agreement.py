"""The cooperation agreement: its clauses, each party once with the signatories of its own body, the
participants' demand as a summary table in a landscape annex; and every kind at a bench-like size."""

import pytest

from bench.generate import generate
from documents import registry
from procurement.models import Initiative, Participation

from .test_layout import assert_fits, render


def agreement_text(initiative, language="nl") -> tuple[str, object]:
    reader, context = render("cooperation_agreement", Initiative.objects.get(pk=initiative.pk), language)
    return assert_fits(reader, context, "agreement"), reader


def test_the_agreement_has_its_clauses_and_each_party_signs_once(round_, demand):
    Participation.objects.filter(pk=demand["Laarne"].pk).update(deciding_body="council")
    text, reader = agreement_text(round_.initiative)
    for clause in ("Partijen", "Artikel 1. Voorwerp", "Artikel 2. Mandaat", "Artikel 3. Verplichtingen van de "
                   "aankoopcentrale", "Artikel 4. Verplichtingen van de deelnemers", "Artikel 5. Kosten en betaling",
                   "Artikel 6. Aansprakelijkheid", "Artikel 7. Terugtrekking", "Artikel 8. Gegevensbescherming",
                   "Artikel 9. Geschillen", "Artikel 10. Duur", "Ondertekening", "Opgemaakt te [plaats] op [datum]"):
        assert clause in text, clause
    assert ("Gemeente Destelbergen, ondernemingsnummer 0207.450.633, vertegenwoordigd door de burgemeester en de "
            "algemeen directeur, hierna „de aankoopcentrale”") in text
    assert "verordening (EU) 2016/679" in text
    # The lead signs once, in the body; the participants in annex 2, each once with its own body's signatories.
    assert text.count("voor gemeente Destelbergen") == 2
    annex2 = text[text.index("Bijlage 2."):].replace("gemeente Destelbergen Samenwerkingsovereenkomst", "")  # header
    assert annex2.count("gemeente Wetteren") == 1 and annex2.count("gemeente Laarne") == 1
    assert "gemeente Destelbergen" not in annex2
    assert "De voorzitter van de gemeenteraad" in annex2 and "De burgemeester" in annex2
    # Annex 1 is a landscape page with one row per participant.
    annex_pages = [page for page in reader.pages if "Bijlage 1." in page.extract_text()]
    assert annex_pages and all(float(p.mediabox.width) > float(p.mediabox.height) for p in annex_pages)
    annex1 = text[text.index("Bijlage 1."):text.index("Bijlage 2.")]
    assert "gemeente Wetteren 0207.447.366 ter goedkeuring" in annex1 and "45.720,00 €" in annex1
    assert "Totaal (getoonde behoefte over de initiële looptijd, zonder verlengingen)" in annex1


def test_renewals_are_written_out(round_, demand):
    Initiative.objects.filter(pk=round_.initiative.pk).update(kind="framework_contract", framework_term_months=24,
                                                               renewals=1)
    text, _reader = agreement_text(round_.initiative)
    assert "raamovereenkomst van 24 maanden, 1 keer verlengbaar" in text and "verlenging(en)" not in text
    english, _reader = agreement_text(round_.initiative, "en")
    assert "renewable 1 time." in english
    Initiative.objects.filter(pk=round_.initiative.pk).update(renewals=2)
    english, _reader = agreement_text(round_.initiative, "en")
    assert "renewable 2 times." in english


@pytest.mark.parametrize("language", ["nl", "en"])
def test_at_a_bench_like_size_nothing_clips(db, language, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = generate(organisations=40, items=24, label="", seed=7)
    initiative = Initiative.objects.get(pk=world.initiative_id)
    for name in ("cooperation_agreement", "demand_summary"):
        reader, context = render(name, initiative, language)
        assert_fits(reader, context, f"{name} N=40")
    participation = Participation.objects.get(pk=world.participation_ids[0])
    reader, context = render("participation_decision", participation, language)
    assert_fits(reader, context, "decision N=40")
    assert registry.get("cooperation_agreement")
