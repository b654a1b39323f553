"""The PDF buttons on the initiative and participation pages (issue 4): shown to who may have the
document, absent for others, and a click renders the document."""

from decimal import Decimal

from django.urls import reverse

from documents.models import Document
from procurement import services


def joined(round_):
    wetteren = round_.wetteren_people
    participation = services.participation_join(initiative=round_.initiative, actor=wetteren.ict,
                                                organisation=round_.wetteren)
    services.demand_set(participation=participation, actor=wetteren.ict,
                        lines=[{"item": round_.laptop.pk, "quantity": Decimal("12")}])
    return participation


def test_the_lead_sees_the_initiative_documents(round_, client):
    client.force_login(round_.lead_people.procurement)
    page = client.get(reverse("initiative-detail", args=[round_.initiative.pk])).content.decode()
    assert 'data-document-kind="cooperation_agreement"' in page
    assert 'data-document-kind="demand_summary"' in page
    assert "documents/batches/request" in page  # all decision drafts as one batch


def test_an_ict_officer_of_another_organisation_gets_no_demand_summary(round_, client):
    client.force_login(round_.laarne_people.ict)
    page = client.get(reverse("initiative-detail", args=[round_.initiative.pk])).content.decode()
    assert 'data-document-kind="demand_summary"' not in page
    assert "documents/batches/request" not in page


def test_the_decision_draft_button_renders_the_pdf(round_, client, django_capture_on_commit_callbacks):
    participation = joined(round_)
    client.force_login(round_.wetteren_people.alderman)
    url = reverse("participation-detail", args=[participation.pk])
    page = client.get(url).content.decode()
    assert 'data-document-kind="participation_decision"' in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("documents:request"), {
            "kind": "participation_decision", "subject_id": participation.pk, "next": url})
    assert answer.status_code in (200, 302)
    document = Document.objects.get(kind="participation_decision")
    assert (document.status, document.size > 0) == ("ready", True)
