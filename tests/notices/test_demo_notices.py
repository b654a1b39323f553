"""The demo's tender: its contract notice (16) and award notice (29) pass the XSD and every Schematron rule,
from the API and from the page; the same notice with a field removed fails, naming the rule."""

from lxml import etree

from notices import services, validation
from notices.demo import NETWORK_TITLE
from notices.models import Notice
from notices.xml import NS
from procurement.models import Initiative
from tests.procurement.test_demo import run_demo


def _request(client, tender, body, capture):
    with capture(execute=True):
        answer = client.post(f"/api/tenders/{tender.pk}/notices/", body, content_type="application/json")
    assert answer.status_code == 202, answer.content
    return client.get(f"/api/notices/{answer.json()['id']}/").json()


def test_the_demo_tenders_notices_pass_every_rule(db, client, django_capture_on_commit_callbacks, eforms_validator,
                                                  django_user_model):
    run_demo()
    tender = Initiative.objects.get(title=NETWORK_TITLE).tender
    client.force_login(django_user_model.objects.get(username="procurement.destelbergen"))

    buyers = [{"organisation": pk, "telephone": f"+32 9 355 {n:02d} 11", "email": f"aankoop{n}@example.be"}
              for n, pk in enumerate(services.buyer_ids(tender))]
    contract = _request(client, tender, {"kind": "contract", "buyers": buyers}, django_capture_on_commit_callbacks)
    assert (contract["subtype"], contract["status"]) == ("16", "valid"), contract["failures"]
    assert contract["failures"] == []
    assert contract["sdk_version"] == "1.15.1" and contract["download_url"]

    bidders = set(tender.bids.values_list("supplier_id", flat=True))
    award = _request(client, tender, {"kind": "award", "suppliers": [
        {"supplier": pk, "size": "small", "nuts": "BE234"} for pk in bidders]}, django_capture_on_commit_callbacks)
    assert (award["subtype"], award["status"]) == ("29", "valid"), award["failures"]
    assert award["failures"] == []

    xml = client.get(contract["download_url"])
    assert xml.status_code == 200 and xml["Content-Type"].startswith("application/xml")
    doc = etree.fromstring(xml.content)
    assert doc.findtext("cbc:NoticeLanguageCode", namespaces=NS) == "NLD"
    # The lead (with its enterprise number), then the five participants as further buyers.
    assert doc.xpath("//efac:Organization[efbc:AwardingCPBIndicator='true']/efac:Company/cac:PartyLegalEntity/"
                     "cbc:CompanyID/text()", namespaces=NS) == ["0207.450.633"]
    assert len(doc.findall("cac:ContractingParty", NS)) == 5
    assert doc.xpath("//cac:ProcurementProjectLot/cac:ProcurementProject/cac:PlannedPeriod/cbc:DurationMeasure/"
                     "text()", namespaces=NS) == ["48", "48"]
    assert doc.xpath("//cac:SubordinateAwardingCriterion//efbc:ParameterNumeric/text()", namespaces=NS)[:3] == [
        "60", "30", "10"]

    page = client.get(f"/tenders/{tender.pk}/")
    assert page.status_code == 200
    assert f'/notices/{contract["id"]}/download/'.encode() in page.content
    from_page = client.get(f"/notices/{award['id']}/download/")
    assert from_page.status_code == 200 and b"<cbc:SubTypeCode listName=\"notice-subtype\">29<" in from_page.content

    # The same notice without the lead's name: XSD still valid, and the rule that asks for it is named.
    lead_name = doc.xpath("//efac:Organization[1]/efac:Company/cac:PartyName", namespaces=NS)[0]
    lead_name.getparent().remove(lead_name)
    result = validation.validate(etree.tostring(doc))
    assert not result.valid
    assert [(f.rule, f.field) for f in result.errors] == [("BR-BT-00500-0022", "BT-500-Organization-Company")]
    # Recording the reference e-Notification gave: the contract notice's becomes the tender's.
    answer = client.post(f"/api/notices/{contract['id']}/publication/", {"publication_reference": "2027-512345"},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["publication_reference"] == "2027-512345"
    tender.refresh_from_db()
    assert tender.publication_reference == "2027-512345"
    assert Notice.objects.filter(tender=tender).count() == 2
