"""The decision draft per deciding body, in the structure of Flemish decisions: the deciding organisation's
own letterhead and legal name, the article that gives the body its power, the legal grounds, facts,
reasons, financial consequences, numbered articles and the body's own signatories; a variant for the lead
organisation and one for a shared hire. Read back from the PDF."""

from documents import legal
from procurement.documents import full_address
from procurement.models import Organisation, Participation

from .test_layout import assert_fits, render


def decision_text(participation, language="nl") -> str:
    reader, context = render("participation_decision", Participation.objects.get(pk=participation.pk), language)
    return assert_fits(reader, context, f"decision {participation.pk}")


def test_a_college_decision_of_a_participant(round_, demand):
    text = decision_text(demand["Wetteren"])
    assert text.startswith("gemeente Wetteren ondernemingsnummer 0207.447.366 Besluit van het college van "
                           "burgemeester en schepenen")
    for section in ("Bevoegdheid", "Juridische grond", "Feiten en context", "Argumentatie", "Financiële gevolgen",
                    "Besluit"):
        assert section in text
    assert "artikel 56 van het decreet van 22 december 2017 over het lokaal bestuur" in text
    assert "delegatie van de bevoegdheid voor overheidsopdrachten aan het college van [datum]" in text
    assert "artikel 47 van de wet van 17 juni 2016" in text and "koninklijk besluit van 18 april 2017" in text
    assert "koninklijk besluit van 14 januari 2013" in text
    assert "45.720,00 € exclusief btw, of 55.321,20 € inclusief btw" in text
    assert "Budgetsleutel:" in text and "Visum van de financieel directeur" in text
    for number in range(1, 8):
        assert f"Artikel {number}." in text
    assert "keurt de samenwerkingsovereenkomst en het mandaat aan de aankoopcentrale goed" in text
    assert "doet een beroep op gemeente Destelbergen als aankoopcentrale" in text
    assert "ondertekend door de burgemeester en de algemeen directeur" in text
    assert "De algemeen directeur De burgemeester" in text and "De voorzitter" not in text
    assert "Te verifiëren vóór agendering" in text  # art. 47 and the signing article are not confirmed


def test_the_lead_has_its_own_variant(round_, demand):
    text = decision_text(demand["Destelbergen"])
    assert text.startswith("gemeente Destelbergen")
    assert "optreedt als aankoopcentrale voor de samenaankoop „Laptops 2027” en er zelf aan deelneemt" in text
    assert "belast de diensten van gemeente Destelbergen met het voeren van de plaatsingsprocedure" in text
    assert "doet een beroep op" not in text and "ook voor rekening van" not in text
    assert "Artikel 7." not in text and "afschrift" not in text.lower()


def test_each_body_has_its_article_name_and_signatories(round_, demand):
    Organisation.objects.filter(pk=round_.laarne.pk).update(name="OCMW Laarne", kind="ocmw")
    Participation.objects.filter(pk=demand["Laarne"].pk).update(deciding_body="vast_bureau")
    text = decision_text(demand["Laarne"])
    assert text.startswith("OCMW Laarne") and "Besluit van het vast bureau" in text
    assert "artikel 84 van het decreet" in text and "De algemeen directeur De voorzitter van het vast bureau" in text
    assert "gemeente Wetteren" not in text and "gemeente OCMW" not in text
    Participation.objects.filter(pk=demand["Wetteren"].pk).update(deciding_body="council")
    text = decision_text(demand["Wetteren"])
    assert "Besluit van de gemeenteraad" in text and "artikel 41 van het decreet" in text
    assert "De algemeen directeur De voorzitter van de gemeenteraad" in text
    assert "delegatie" not in text
    # art. 41 is not confirmed: it carries the marker and is listed with its source note
    assert "(bevoegdheden van de gemeenteraad)*" in text.replace(" *", "*")
    english = decision_text(demand["Wetteren"], "en")
    assert "Decision of the municipal council" in english and "The chair of the municipal council" in english
    assert "To verify before the agenda" in english


def test_legal_names():
    assert legal.legal_name("Roeselare", "municipality") == "stad Roeselare"
    assert legal.legal_name("Wetteren", "municipality") == "gemeente Wetteren"
    assert legal.legal_name("OCMW Wetteren", "ocmw") == "OCMW Wetteren"
    assert legal.legal_name("Wetteren", "ocmw") == "OCMW Wetteren"
    assert legal.legal_name("Izegem", "municipality", "en") == "city of Izegem"
    assert legal.legal_name("Lochristi", "municipality", "en") == "municipality of Lochristi"


def test_every_reference_has_a_source_and_a_flag():
    from documents.legal import DECIDING_BODIES, _references

    for key, value in _references().items():
        assert value["nl"] and value["en"] and value["source"] and isinstance(value["confirmed"], bool), key
    for code, body in DECIDING_BODIES.items():
        assert body["power"] is None or body["power"] in _references(), code
        assert len(body["nl"]["signatories"]) == len(body["en"]["signatories"]) == 2


def test_the_postcode_is_written_once(round_):
    o = Organisation(name="Ingelmunster", kind="municipality", address="Oostrozebekestraat 4, 8770 Ingelmunster",
                     postal_code="8770")
    assert full_address(o) == "Oostrozebekestraat 4, 8770 Ingelmunster"
    o.address = "Oostrozebekestraat 4"
    assert full_address(o) == "Oostrozebekestraat 4, 8770"
