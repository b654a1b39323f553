"""The notices API on the test round (Belgian publication: subtypes E3 and E4): who may, what is refused and
that a refusal changes nothing, the officer's words for a broken rule, the publication reference."""

from audit.models import AuditEntry
from notices.models import BuyerContact, Notice, SupplierProfile
from procurement.models import Item


def _post(client, tender, body, capture):
    with capture(execute=True):
        return client.post(f"/api/tenders/{tender.pk}/notices/", body, content_type="application/json")


def _unchanged():
    return (Notice.objects.count(), SupplierProfile.objects.count(), BuyerContact.objects.count(),
            AuditEntry.objects.filter(action__startswith="notices.").count())


def test_e3_and_e4_are_valid_and_a_missing_cpv_code_is_named(client, concluded, addressed,
                                                                django_capture_on_commit_callbacks):
    client.force_login(addressed.lead_people.procurement)
    missing = _post(client, concluded, {"kind": "contract"}, django_capture_on_commit_callbacks).json()
    assert "id" in missing, missing
    notice = client.get(f"/api/notices/{missing['id']}/").json()
    assert (notice["subtype"], notice["status"], notice["download_url"]) == ("E3", "invalid", None)
    cpv = [f for f in notice["failures"] if f["rule"] == "BR-BT-00262-0026"][0]
    assert cpv["field"] == "BT-262-Procedure" and cpv["problem"] == "is missing"
    assert cpv["label"] == "main CPV code (BT-262-Procedure)" and "CPV codes" in cpv["fix"]
    assert client.get(f"/api/notices/{missing['id']}/download/").status_code == 409

    Item.objects.update(cpv_code="30213100-6")
    contract = _post(client, concluded, {"kind": "contract"}, django_capture_on_commit_callbacks).json()
    assert client.get(f"/api/notices/{contract['id']}/").json()["status"] == "valid"
    award = _post(client, concluded, {"kind": "award", "suppliers": [
        {"supplier": s, "size": "medium", "nuts": "BE234"} for s in concluded.bids.values_list("supplier", flat=True)
    ]}, django_capture_on_commit_callbacks).json()
    award = client.get(f"/api/notices/{award['id']}/").json()
    assert (award["subtype"], award["status"], award["failures"]) == ("E4", "valid", [])
    listed = client.get(f"/api/tenders/{concluded.pk}/notices/").json()
    assert [n["kind"] for n in listed] == ["award", "contract", "contract"]

    page = client.get(f"/tenders/{concluded.pk}/")
    assert b"BR-BT-00262-0026" not in page.content  # the page shows the latest notice of each kind
    assert page.content.count(b"Download eForms notice") == 2


def test_who_may_and_what_a_refusal_leaves(client, concluded, addressed, django_capture_on_commit_callbacks):
    before = _unchanged()
    client.force_login(addressed.outsider_people.procurement)  # sees neither the tender nor its notices
    assert _post(client, concluded, {"kind": "contract"}, django_capture_on_commit_callbacks).status_code == 404
    client.force_login(addressed.wetteren_people.procurement)  # a participant: sees the tender, does not run it
    answer = _post(client, concluded, {"kind": "contract"}, django_capture_on_commit_callbacks)
    assert answer.status_code == 403 and "lead organisation" in answer.json()["detail"]
    assert client.get(f"/api/tenders/{concluded.pk}/notices/").status_code == 403

    client.force_login(addressed.lead_people.procurement)
    answer = _post(client, concluded, {"kind": "prior"}, django_capture_on_commit_callbacks)
    assert answer.status_code == 400 and "contract, award" in answer.json()["kind"][0]
    answer = _post(client, concluded, {"kind": "award", "suppliers": [{"supplier": 999999, "size": "huge"}],
                                       "buyers": [{"organisation": addressed.lead.pk, "telephone": "call me"}]},
                   django_capture_on_commit_callbacks)
    assert answer.status_code == 400
    assert set(answer.json()["suppliers"][0]) == {"supplier", "size"}
    assert answer.json()["buyers"][0]["telephone"] == ["Give a telephone number such as +32 9 355 33 11."]
    assert _unchanged() == before


def test_the_award_notice_waits_for_the_contracts(client, published, addressed, django_capture_on_commit_callbacks):
    tender, _bids = published
    before = _unchanged()
    client.force_login(addressed.lead_people.procurement)
    answer = _post(client, tender, {"kind": "award"}, django_capture_on_commit_callbacks)
    assert answer.status_code == 409 and answer.json()["code"] == "contracts_not_concluded"
    assert "once the contracts are concluded" in answer.json()["detail"]
    assert _unchanged() == before


def test_the_publication_reference_is_recorded_only_for_a_valid_notice(client, concluded, addressed,
                                                                        django_capture_on_commit_callbacks):
    client.force_login(addressed.lead_people.procurement)
    invalid = _post(client, concluded, {"kind": "contract"}, django_capture_on_commit_callbacks).json()  # no CPV
    url = f"/api/notices/{invalid['id']}/publication/"
    before = (concluded.publication_reference, _unchanged())
    answer = client.post(url, {"publication_reference": "2027-1"}, content_type="application/json")
    assert answer.status_code == 409 and answer.json()["code"] == "notice_not_valid"
    assert client.post(url, {"publication_reference": "  "}, content_type="application/json").status_code == 400
    concluded.refresh_from_db()
    assert (concluded.publication_reference, _unchanged()) == before


def test_the_schema_documents_the_endpoints(client, addressed):
    client.force_login(addressed.lead_people.procurement)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ("/api/tenders/{id}/notices/", "/api/notices/{id}/", "/api/notices/{id}/download/",
                 "/api/notices/{id}/publication/"):
        assert path in paths, path


def test_the_page_form_records_contacts_and_refuses_a_bad_number(client, concluded, addressed,
                                                                   django_capture_on_commit_callbacks):
    Item.objects.update(cpv_code="30213100-6")
    client.force_login(addressed.lead_people.procurement)
    lead = addressed.lead.pk
    before = _unchanged()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/tenders/{concluded.pk}/notices/new/", {"kind": "contract", f"phone-{lead}": "bel me"},
                             follow=True)
    assert "Check the contact data" in answer.content.decode() and _unchanged() == before
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/tenders/{concluded.pk}/notices/new/", {
            "kind": "contract", f"phone-{lead}": "+32 9 355 33 11", f"email-{lead}": "aankoop@destelbergen.be"},
            follow=True)
    assert BuyerContact.objects.get(organisation_id=lead).telephone == "+32 9 355 33 11"
    assert "validation against the eForms rules is running" in answer.content.decode()
    answer = client.get(f"/tenders/{concluded.pk}/")
    notice = Notice.objects.get()
    assert notice.status == "valid" and b"Download eForms notice" in answer.content
    assert client.get(f"/tenders/{concluded.pk}/notices/").status_code == 200  # the card alone (htmx)
    client.force_login(addressed.wetteren_people.procurement)
    assert client.get(f"/notices/{notice.pk}/download/").status_code == 403  # a participant, not the lead
