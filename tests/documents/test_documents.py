"""Documents: asked for through the API, rendered by the task, idempotent, private, PDF/A, safe."""

import io
import re
import socket
import zipfile
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.db import OperationalError
from pypdf import PdfReader

from audit.models import AuditEntry
from documents import rendering, services, tasks
from documents.models import Document
from procurement import services as procurement_services


def ask(client, user, kind, subject_id, capture, **extra):
    client.force_login(user)
    with capture(execute=True):
        response = client.post("/api/documents/", {"kind": kind, "subject_id": subject_id, **extra},
                               content_type="application/json")
    return response


def pdf_of(client, document_id) -> PdfReader:
    response = client.get(f"/api/documents/{document_id}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def text_of(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_participation_decision_is_rendered_and_downloadable(client, round_, demand,
                                                             django_capture_on_commit_callbacks):
    wetteren = demand["Wetteren"]
    response = ask(client, round_.wetteren_people.ict, "participation_decision", wetteren.pk,
                   django_capture_on_commit_callbacks)
    assert response.status_code == 202
    assert response.json()["status"] == "pending"  # as answered; the task ran when the request committed
    document_id = response.json()["id"]
    detail = client.get(f"/api/documents/{document_id}/").json()
    assert detail["status"] == "ready" and detail["error"] is None
    assert detail["download_url"] == f"/api/documents/{document_id}/download/"
    document = Document.objects.get(pk=document_id)
    assert detail["sha256"] == document.sha256 and detail["size"] == document.size == document.file.size
    import hashlib

    reader = pdf_of(client, document_id)
    with document.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == document.sha256
    assert document.page_count == len(reader.pages)
    text = text_of(reader)
    for expected in ("Besluit van het college van burgemeester en schepenen", "gemeente Wetteren",
                     "gemeente Destelbergen", "Bevoegdheid", "Juridische grond", "artikel 47", "Feiten en context",
                     "Argumentatie", "Financiële gevolgen", "Besluit", "Artikel 1.", "Artikel 7.",
                     "Laptop 14 inch", "36.000,00 €", "45.720,00 €", "55.321,20 €", "pagina 1 van"):
        assert expected in text, expected
    assert re.search(r"Laptop 14 inch stuk 40 900,00 €", text)
    assert AuditEntry.objects.filter(action="documents.document.requested", object_id=document_id).exists()
    assert AuditEntry.objects.filter(action="documents.document.rendered", object_id=document_id).exists()


def test_pdf_a_metadata(client, round_, demand, django_capture_on_commit_callbacks):
    response = ask(client, round_.lead_people.procurement, "cooperation_agreement", round_.initiative.pk,
                   django_capture_on_commit_callbacks)
    reader = pdf_of(client, response.json()["id"])
    meta = reader.metadata
    assert meta.title == "Samenwerkingsovereenkomst en mandaat — Laptops 2027"
    assert meta.author == "gemeente Destelbergen"
    assert meta.subject == "Laptops 2027"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl"
    assert "/OutputIntents" in catalog
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part="?3', xmp) or "<pdfaid:part>3</pdfaid:part>" in xmp
    assert re.search(r'pdfaid:conformance="?A', xmp) or "<pdfaid:conformance>A</pdfaid:conformance>" in xmp
    text = text_of(reader)
    for expected in ("gemeente Wetteren", "gemeente Laarne", "45.720,00 €", "De burgemeester, voor gemeente Destelbergen",
                     "Bijlage 1. Deelnemers en hun geraamde behoefte", "Bijlage 2. Ondertekening door de deelnemers"):
        assert expected in text, expected
    assert text.count("voor gemeente Destelbergen") == 2  # the lead signs once (two signatories)


def test_english_document(client, round_, demand, django_capture_on_commit_callbacks):
    response = ask(client, round_.wetteren_people.ict, "participation_decision", demand["Wetteren"].pk,
                   django_capture_on_commit_callbacks, language="en")
    reader = pdf_of(client, response.json()["id"])
    text = text_of(reader)
    assert "Draft participation decision" in text and "Competence" in text and "page 1 of" in text
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_the_same_content_gives_the_same_document(client, round_, demand, django_capture_on_commit_callbacks):
    draft = demand["Destelbergen"]
    first = ask(client, round_.lead_people.ict, "participation_decision", draft.pk,
                django_capture_on_commit_callbacks).json()
    again = ask(client, round_.lead_people.ict, "participation_decision", draft.pk,
                django_capture_on_commit_callbacks).json()
    assert again["id"] == first["id"] and again["status"] == "ready"
    assert Document.objects.count() == 1
    procurement_services.demand_set(participation=draft, actor=round_.lead_people.ict,
                                    lines=[{"item": round_.laptop.pk, "quantity": 4}])
    changed = ask(client, round_.lead_people.ict, "participation_decision", draft.pk,
                  django_capture_on_commit_callbacks).json()
    assert changed["id"] != first["id"] and changed["content_version"] != first["content_version"]
    assert "4" in text_of(pdf_of(client, changed["id"]))


def test_a_retried_task_leaves_one_document(client, round_, demand, django_capture_on_commit_callbacks, settings):
    client.force_login(round_.lead_people.ict)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/api/documents/", {"kind": "participation_decision",
                                                   "subject_id": demand["Destelbergen"].pk},
                               content_type="application/json")
    assert len(callbacks) == 1
    document = Document.objects.get(pk=response.json()["id"])
    # A first attempt wrote the file and died before committing: the file is there, the row still pending.
    storage = document.file.storage
    leftover = f"documents/{document.kind}/{document.pk}-{document.content_version[:16]}.pdf"
    storage.save(leftover, io.BytesIO(b"half a pdf"))
    real_store = services.document_store
    calls = []

    def flaky_store(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_store(**kwargs)

    with mock.patch.object(services, "document_store", side_effect=flaky_store):
        # The first attempt fails on the database and schedules a retry (with back-off) ...
        with pytest.raises(Retry):
            tasks.render_document.apply(args=[document.pk], task_id=document.task_id, throw=True)
        # ... which the worker runs later.
        tasks.render_document.apply(args=[document.pk], task_id=document.task_id, retries=1, throw=True)
    assert len(calls) == 2
    # The broker delivers the message once more (acks_late after a lost worker): no harm done.
    tasks.render_document.apply(args=[document.pk])
    assert Document.objects.count() == 1
    document = Document.objects.get(pk=document.pk)
    assert document.status == "ready" and document.attempts == 2
    files = list((settings.MEDIA_ROOT / "documents" / document.kind).iterdir())
    assert [p.name for p in files] == [leftover.rsplit("/", 1)[1]]
    assert files[0].read_bytes().startswith(b"%PDF") and document.size == files[0].stat().st_size
    assert AuditEntry.objects.filter(action="documents.document.rendered", object_id=document.pk).count() == 1


def test_a_failing_render_marks_the_document_failed_and_a_new_request_retries(
        client, round_, demand, django_capture_on_commit_callbacks):
    with mock.patch.object(rendering, "html_to_pdf", side_effect=ValueError("broken template")):
        failed = ask(client, round_.lead_people.ict, "participation_decision", demand["Destelbergen"].pk,
                     django_capture_on_commit_callbacks).json()
    detail = client.get(f"/api/documents/{failed['id']}/").json()
    assert detail["status"] == "failed" and "broken template" in detail["error"]
    assert client.get(f"/api/documents/{failed['id']}/download/").status_code == 409
    again = ask(client, round_.lead_people.ict, "participation_decision", demand["Destelbergen"].pk,
                django_capture_on_commit_callbacks).json()
    assert again["id"] == failed["id"]
    assert client.get(f"/api/documents/{failed['id']}/").json()["status"] == "ready"


@pytest.mark.parametrize("who, kind, subject, status", [
    ("laarne_ict", "participation_decision", "Wetteren", 404),
    ("outsider", "participation_decision", "Wetteren", 404),
    ("wetteren_ict", "demand_summary", "initiative", 403),
    ("outsider", "demand_summary", "initiative", 404),
    ("lead_procurement", "participation_decision", "Wetteren", 202),
    ("lead_procurement", "demand_summary", "initiative", 202),
    ("wetteren_ict", "cooperation_agreement", "initiative", 202),
    ("lead_ict", "cooperation_agreement", "initiative", 403),  # the lead's own participation is a draft
])
def test_who_may_have_which_document(client, round_, demand, django_capture_on_commit_callbacks,
                                     who, kind, subject, status):
    user = {"laarne_ict": round_.laarne_people.ict, "outsider": round_.outsider_people.procurement,
            "wetteren_ict": round_.wetteren_people.ict, "lead_procurement": round_.lead_people.procurement,
            "lead_ict": round_.lead_people.ict}[who]
    subject_id = round_.initiative.pk if subject == "initiative" else demand[subject].pk
    assert ask(client, user, kind, subject_id, django_capture_on_commit_callbacks).status_code == status


def test_a_document_is_visible_only_to_who_may_see_its_subject(client, round_, demand,
                                                               django_capture_on_commit_callbacks):
    document_id = ask(client, round_.wetteren_people.ict, "participation_decision", demand["Wetteren"].pk,
                      django_capture_on_commit_callbacks).json()["id"]
    client.force_login(round_.laarne_people.ict)
    assert client.get(f"/api/documents/{document_id}/").status_code == 404
    assert client.get(f"/api/documents/{document_id}/download/").status_code == 404
    client.force_login(round_.lead_people.procurement)
    assert client.get(f"/api/documents/{document_id}/").status_code == 200


def test_unknown_kind_and_bad_subject(client, round_, demand, django_capture_on_commit_callbacks):
    response = ask(client, round_.lead_people.procurement, "no_such_kind", round_.initiative.pk,
                   django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "kind" in response.json()
    response = ask(client, round_.lead_people.procurement, "demand_summary", "abc", django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "subject_id" in response.json()
    response = ask(client, round_.lead_people.procurement, "demand_summary", round_.initiative.pk,
                   django_capture_on_commit_callbacks, language="fr")
    assert response.status_code == 400 and "language" in response.json()


# --- nothing from outside ever gets into a PDF ---

EVIL = ('<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd"> '
        '<img src="http://127.0.0.1:9/x.png"> http://127.0.0.1:9/')


def _no_network():
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")
    return mock.patch.object(socket, "create_connection", side_effect=refuse)


def _embedded_files(reader: PdfReader) -> bool:
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    return bool((names and "/EmbeddedFiles" in names.get_object()) or "/AF" in root)


def test_user_text_with_markup_pulls_nothing_in(client, round_, demand, django_capture_on_commit_callbacks):
    round_.initiative.description = EVIL
    round_.initiative.save()
    with _no_network():
        response = ask(client, round_.lead_people.procurement, "cooperation_agreement", round_.initiative.pk,
                       django_capture_on_commit_callbacks)
    reader = pdf_of(client, response.json()["id"])
    assert not _embedded_files(reader)
    text = text_of(reader)
    assert "root:x:0:0" not in text
    assert '<img src="file:///etc/passwd">' in text  # shown as the text it is
    for page in reader.pages:
        assert not page.images


def test_the_fetcher_refuses_every_outside_url_even_in_raw_markup(caplog):
    html = (f'<html lang="nl"><head><title>t</title>{EVIL}'
            '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
            '<link rel="stylesheet" href="data:text/css,body{color:red}"></head>'
            f'<body><p>Hallo</p>{EVIL}<img src="/static/fonts/../../config/settings.py">'
            '<img src="https://static.samenaankoop.invalid/static/pdf/logo.svg"></body></html>')
    with _no_network(), caplog.at_level("WARNING", logger="documents.rendering"):
        rendered = rendering.html_to_pdf(html)
    reader = PdfReader(io.BytesIO(rendered.content))
    assert not _embedded_files(reader)
    assert "root:" not in text_of(reader)
    refused = " ".join(rendered.refused)
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "http://127.0.0.1:9/evil.css", "data:text/css"):
        assert url in refused
    assert "logo.svg" not in refused  # our own static files are served
    assert "refused to fetch" in caplog.text


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://127.0.0.1:9/", "https://example.org/static/pdf/pdf.css", "ftp://x/y.css",
    "data:text/css,x", "https://static.samenaankoop.invalid/static/../config/settings.py",
    "https://static.samenaankoop.invalid/static/pdf/%2e%2e/%2e%2e/config/settings.py",
    "https://static.samenaankoop.invalid/static/fonts/README.md",
    "https://static.samenaankoop.invalid/etc/passwd", "https://static.samenaankoop.invalid/static/",
    "https://static.samenaankoop.invalid/static/pdf/missing.css",
])
def test_resolve_static_refuses(url):
    assert rendering.resolve_static(url) is None


def test_resolve_static_serves_our_files():
    path = rendering.resolve_static("https://static.samenaankoop.invalid/static/fonts/DejaVuSans.ttf")
    assert path is not None and path.name == "DejaVuSans.ttf"


# --- batches ---

def test_all_decision_drafts_as_one_batch(client, round_, demand, django_capture_on_commit_callbacks):
    client.force_login(round_.lead_people.procurement)
    url = f"/api/initiatives/{round_.initiative.pk}/documents/batches/"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        pending = client.post(url, {"kind": "participation_decision"}, content_type="application/json")
    assert pending.status_code == 202
    body = pending.json()
    # Answered before any document is asked for: the batch knows how many there will be.
    assert body["total"] == 3 and body["pending"] == 3 and body["status"] == "pending" and body["percent"] == 0
    assert body["documents"] == []
    batch_url = f"{url}{body['id']}/"
    assert client.get(f"{batch_url}download/").status_code == 409
    with django_capture_on_commit_callbacks(execute=False):
        for callback in queued:  # the task that asks for the three documents (their rendering is not run yet)
            callback()
    filled = client.get(batch_url).json()
    assert len(filled["documents"]) == 3 and filled["pending"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"kind": "participation_decision"}, content_type="application/json").json()
    # The second batch reuses the same three (pending) documents; rendering them completes both batches.
    for document in Document.objects.filter(status="pending"):
        tasks.render_document.apply(args=[document.pk])
    progress = client.get(f"{url}{done['id']}/").json()
    assert progress["status"] == "done" and progress["percent"] == 100 and progress["ready"] == 3
    assert client.get(batch_url).json()["status"] == "done"
    response = client.get(progress["download_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(
        f"besluit-{name.lower()}-{round_.initiative.pk}.pdf" for name in ("Destelbergen", "Laarne", "Wetteren"))
    assert "Laarne" in text_of(PdfReader(io.BytesIO(archive.read(f"besluit-laarne-{round_.initiative.pk}.pdf"))))


def test_only_the_lead_asks_for_a_batch(client, round_, demand, django_capture_on_commit_callbacks):
    url = f"/api/initiatives/{round_.initiative.pk}/documents/batches/"
    client.force_login(round_.wetteren_people.ict)
    assert client.post(url, {"kind": "participation_decision"}, content_type="application/json").status_code == 403
    client.force_login(round_.outsider_people.procurement)
    assert client.post(url, {"kind": "participation_decision"}, content_type="application/json").status_code == 404
    client.force_login(round_.lead_people.procurement)
    assert client.post(url, {"kind": "nope"}, content_type="application/json").status_code == 400


# --- the page buttons ---

def test_document_button_and_status_fragment(client, rf, round_, demand, django_capture_on_commit_callbacks):
    from django.template import Context, Template

    request = rf.get("/initiatives/1/")
    request.user = round_.wetteren_people.ict
    template = Template('{% load documents %}{% document_button "participation_decision" p %}'
                        '{% document_button "demand_summary" initiative %}')
    html = template.render(Context({"request": request, "p": demand["Wetteren"], "initiative": round_.initiative}))
    assert 'name="kind" value="participation_decision"' in html
    assert "demand_summary" not in html  # not for Wetteren's ICT officer
    client.force_login(round_.wetteren_people.ict)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/documents/request/", {"kind": "participation_decision",
                                                       "subject_id": demand["Wetteren"].pk},
                               HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'hx-trigger="every 2s"' in response.content.decode()
    document = Document.objects.get()
    tasks.render_document.apply(args=[document.pk])
    status = client.get(f"/documents/{document.pk}/status/").content.decode()
    assert f"/api/documents/{document.pk}/download/" in status and "hx-trigger" not in status
