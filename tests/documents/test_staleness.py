"""A document made before its subject changed is marked out of date ("verouderd") in the API and on the
page, with a button to make it again; asking again gives a new, current document and keeps the old one."""

from decimal import Decimal

from documents.models import Document
from procurement import services as procurement_services

from .test_documents import ask


def test_a_document_goes_out_of_date_when_its_subject_changes(client, round_, demand, settings,
                                                              django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "nl"
    draft = demand["Destelbergen"]
    first = ask(client, round_.lead_people.ict, "participation_decision", draft.pk,
                django_capture_on_commit_callbacks).json()
    detail = client.get(f"/api/documents/{first['id']}/").json()
    assert detail["status"] == "ready" and detail["out_of_date"] is False
    procurement_services.demand_set(participation=draft, actor=round_.lead_people.ict,
                                    lines=[{"item": round_.laptop.pk, "quantity": Decimal("5")}])
    detail = client.get(f"/api/documents/{first['id']}/").json()
    assert detail["out_of_date"] is True and detail["download_url"]  # still downloadable as it was
    page = client.get(f"/documents/{first['id']}/status/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Verouderd: de gegevens zijn gewijzigd sinds dit document gemaakt werd." in page
    again = ask(client, round_.lead_people.ict, "participation_decision", draft.pk,
                django_capture_on_commit_callbacks).json()
    assert again["id"] != first["id"]
    assert client.get(f"/api/documents/{again['id']}/").json()["out_of_date"] is False
    assert Document.objects.filter(pk=first["id"]).exists()  # the old one stays as it was


def test_the_button_offers_to_make_it_again(client, rf, round_, demand, django_capture_on_commit_callbacks):
    from django.template import Context, Template

    draft = demand["Destelbergen"]
    ask(client, round_.lead_people.ict, "participation_decision", draft.pk, django_capture_on_commit_callbacks)
    procurement_services.demand_set(participation=draft, actor=round_.lead_people.ict,
                                    lines=[{"item": round_.laptop.pk, "quantity": Decimal("6")}])
    request = rf.get("/")
    request.user = round_.lead_people.ict
    html = Template('{% load documents %}{% document_button "participation_decision" p %}').render(
        Context({"request": request, "p": draft}))
    assert "data-out-of-date" in html and "Make again" in html
