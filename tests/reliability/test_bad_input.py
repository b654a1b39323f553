"""Bad input through the API and the pages: every case is answered with its precise error and changes
nothing in the database.

One table: negative, zero, huge and non-numeric quantities, NaN and Infinity, too-long text, control
characters, formula-like values, dates in the past, malformed JSON, wrong content types, unknown ids,
another organisation's ids, broken and hostile uploads. Each row asserts the status AND the whole answer
(the JSON body of the API; the error shown on the page), and that the domain tables are row for row what
they were before (and that nothing was queued on commit).

Markup and formula-like text that is otherwise valid is not an error: it is stored as typed and is inert
wherever it is shown (escaped on the pages, a text cell in the sheets, quoted in the CSV). The last tests
check that. Runs on SQLite and on PostgreSQL.
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import AuditEntry
from documents.models import Document
from procurement import services
from procurement.models import Circle, DemandLine, Initiative, Interest, Item, Lot, Organisation, Participation

pytestmark = [pytest.mark.django_db]

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def person(round_, who: str):
    organisation, role = who.split(".")
    return getattr(getattr(round_, f"{organisation}_people"), role)


@pytest.fixture
def scene(round_) -> dict[str, int]:
    """Wetteren's draft with 40 laptops ({p}); Laarne's draft with zero laptops ({lp})."""
    wetteren, laarne = round_.wetteren_people.ict, round_.laarne_people.ict
    p = services.participation_join(initiative=round_.initiative, actor=wetteren, organisation=round_.wetteren)
    services.demand_set(participation=p, actor=wetteren, lines=[{"item": round_.laptop.pk, "quantity": "40"}])
    lp = services.participation_join(initiative=round_.initiative, actor=laarne, organisation=round_.laarne)
    services.demand_set(participation=lp, actor=laarne, lines=[{"item": round_.laptop.pk, "quantity": "0"}])
    return {"p": p.pk, "lp": lp.pk, "i": round_.initiative.pk, "laptop": round_.laptop.pk,
            "monitor": round_.monitor.pk, "lot": round_.laptop.lot_id, "circle": round_.circle.pk,
            "wetteren": round_.wetteren.pk, "outsider": round_.outsider.pk, "lead": round_.lead.pk}


def snapshot() -> dict[str, list]:
    """Every row of the tables a request could change."""
    models = (Organisation, Circle, Initiative, Lot, Item, Participation, DemandLine, Interest, Document)
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    rows["AuditEntry"] = list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True))
    return rows


# --- the table ---


@dataclass
class Case:
    name: str
    who: str
    method: str
    url: str  # with {p}, {i}, … from the scene
    body: Any = None  # data, or a callable of the scene's ids
    send: str = "json"  # json | raw (a JSON string as typed) | text | xml | multipart | page (a form post)
    status: int = 400
    answer: Any = None  # API: the whole JSON body; page: the list of error messages shown

    def __str__(self) -> str:
        return self.name


def line(quantity, **extra) -> Callable[[dict], dict]:
    return lambda x: {"lines": [{"item": x["laptop"], "quantity": quantity, **extra}]}


def quantity_error(message: str) -> dict:
    return {"lines": [{"quantity": [message]}]}


DEMAND = "/api/participations/{p}/demand/"
NOT_A_PARTICIPATION = {"detail": "No Participation matches the given query."}
FINITE = quantity_error("Enter a finite number.")
A_NUMBER = quantity_error("Enter a number, like 12 or 2.5.")
MAX_1M = quantity_error("Enter at most 1.000.000.")


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "demand.xlsx") -> Callable[[dict], dict]:
    return lambda x: {"file": SimpleUploadedFile(name, data)}


def file_error(message: str) -> dict:
    return {"file": [message]}


NOT_XLSX = "This is not an XLSX workbook; download the template, fill it in and upload it as .xlsx."
UPLOAD = "/api/participations/{p}/demand-upload/"
WORKBOOK = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def idea(**fields) -> Callable[[dict], dict]:
    return lambda x: {"kind": "joint_purchase", "title": "Printers", "circles": [x["circle"]],
                      "proposing_organisation": x["wetteren"], **fields}


def item(**fields) -> Callable[[dict], dict]:
    return lambda x: {"lot": x["lot"], "name": "Headset", "unit": "piece", "estimated_unit_price": "25.00",
                      "vat_rate": "21", **fields}


def page_demand(quantity: str) -> Callable[[dict], dict]:
    return lambda x: {f"quantity_{x['laptop']}": quantity, "action": "save"}


CASES = [
    # Quantities through the API: negative, zero, huge, non-numeric, NaN and Infinity, control characters.
    Case("negative quantity", "wetteren.ict", "put", DEMAND, line("-1"), answer=quantity_error("Enter zero or more.")),
    Case("negative JSON number", "wetteren.ict", "put", DEMAND, line(-5), answer=quantity_error("Enter zero or more.")),
    Case("quantity above the maximum", "wetteren.ict", "put", DEMAND, line("1000000.01"), answer=MAX_1M),
    Case("huge JSON number", "wetteren.ict", "put", DEMAND, line(1e12), answer=MAX_1M),
    Case("quantity of 10 000 digits", "wetteren.ict", "put", DEMAND, line("9" * 10_000), answer=MAX_1M),
    Case("words for a quantity", "wetteren.ict", "put", DEMAND, line("veertig"), answer=A_NUMBER),
    Case("NaN as text", "wetteren.ict", "put", DEMAND, line("NaN"), answer=FINITE),
    Case("Infinity as text", "wetteren.ict", "put", DEMAND, line("Infinity"), answer=FINITE),
    Case("-Infinity as text", "wetteren.ict", "put", DEMAND, line("-Infinity"), answer=FINITE),
    Case("1e400 (infinite in JSON)", "wetteren.ict", "put", DEMAND,
         lambda x: '{"lines": [{"item": ITEM, "quantity": 1e400}]}'.replace("ITEM", str(x["laptop"])), send="raw", answer=FINITE),
    Case("NaN literal in JSON", "wetteren.ict", "put", DEMAND,
         lambda x: '{"lines": [{"item": ITEM, "quantity": NaN}]}'.replace("ITEM", str(x["laptop"])), send="raw",
         answer={"detail": "JSON parse error - Out of range float values are not JSON compliant: 'NaN'"}),
    Case("three decimals", "wetteren.ict", "put", DEMAND, line("1.005"),
         answer=quantity_error("Use at most two decimals.")),
    Case("true for a quantity", "wetteren.ict", "put", DEMAND, line(True), answer=quantity_error("Enter a number.")),
    Case("a list for a quantity", "wetteren.ict", "put", DEMAND, line([1]), answer=quantity_error("Enter a number.")),
    Case("an object for a quantity", "wetteren.ict", "put", DEMAND, line({"$gt": 0}),
         answer=quantity_error("Enter a number.")),
    Case("null quantity", "wetteren.ict", "put", DEMAND, line(None),
         answer=quantity_error("This field is required.")),
    Case("NUL character in a quantity", "wetteren.ict", "put", DEMAND, line("4\x00"), answer=A_NUMBER),
    Case("right-to-left override in a quantity", "wetteren.ict", "put", DEMAND, line("12\u202e"), answer=A_NUMBER),
    Case("formula for a quantity", "wetteren.ict", "put", DEMAND, line("=1+1"), answer=A_NUMBER),
    Case("hexadecimal quantity", "wetteren.ict", "put", DEMAND, line("0x10"), answer=A_NUMBER),
    Case("maximum quantity on a joint purchase", "wetteren.ict", "put", DEMAND, line("1", max_quantity="2"),
         answer={"lines": [{"max_quantity": [
             "A maximum quantity applies only to framework contracts; leave it empty."]}]}),
    # Lines: unknown items, duplicates, wrong shapes.
    Case("unknown item id", "wetteren.ict", "put", DEMAND, {"lines": [{"item": 999999, "quantity": "1"}]},
         answer={"lines": [{"item": ["Item 999999 is not part of this initiative."]}]}),
    Case("item id that is text", "wetteren.ict", "put", DEMAND, {"lines": [{"item": "abc", "quantity": "1"}]},
         answer={"lines": [{"item": ["Item abc is not part of this initiative."]}]}),
    Case("line without an item", "wetteren.ict", "put", DEMAND, {"lines": [{"quantity": "1"}]},
         answer={"lines": [{"item": ["This field is required."]}]}),
    Case("the same item twice", "wetteren.ict", "put", DEMAND,
         lambda x: {"lines": [{"item": x["laptop"], "quantity": "1"}, {"item": x["laptop"], "quantity": "2"}]},
         answer={"lines": [{}, {"item": ["Item Laptop 14 inch appears twice; give one line per item."]}]}),
    Case("lines is text", "wetteren.ict", "put", DEMAND, {"lines": "all"},
         answer={"lines": ['Expected a list of items but got type "str".']}),
    Case("a line that is text", "wetteren.ict", "put", DEMAND, {"lines": ["x"]},
         answer={"lines": [{"non_field_errors": ["Each line is an object with item and quantity."]}]}),
    Case("no lines at all", "wetteren.ict", "put", DEMAND, {}, answer={"lines": ["This field is required."]}),
    # Malformed bodies and wrong content types.
    Case("malformed JSON", "wetteren.ict", "put", DEMAND, '{"lines": [', send="raw",
         answer={"detail": "JSON parse error - Expecting value: line 1 column 12 (char 11)"}),
    Case("a JSON list for a body", "wetteren.ict", "put", DEMAND, "[]", send="raw",
         answer={"detail": 'The body must be a JSON object, like {"field": "value"}.'}),
    Case("text/plain body", "wetteren.ict", "put", DEMAND, "lines=1", send="text", status=415,
         answer={"detail": 'Unsupported media type "text/plain" in request.'}),
    Case("XML body", "wetteren.ict", "put", DEMAND, "<lines/>", send="xml", status=415,
         answer={"detail": 'Unsupported media type "application/xml" in request.'}),
    # Unknown ids and another organisation's ids: 404, never 403.
    Case("unknown participation", "wetteren.ict", "put", "/api/participations/999999/demand/", {"lines": []},
         status=404, answer=NOT_A_PARTICIPATION),
    Case("another organisation's participation", "wetteren.ict", "put", "/api/participations/{lp}/demand/",
         {"lines": []}, status=404, answer=NOT_A_PARTICIPATION),
    Case("an outsider's request", "outsider.ict", "put", DEMAND, {"lines": []}, status=404,
         answer=NOT_A_PARTICIPATION),
    Case("the lead's officer enters demand", "lead.procurement", "put", DEMAND, {"lines": []}, status=403,
         answer={"detail": "Only ICT staff of Wetteren can enter its demand.", "code": "permission_denied"}),
    Case("unknown initiative", "lead.procurement", "post", "/api/initiatives/999999/items/", item(), status=404,
         answer={"detail": "No Initiative matches the given query."}),
    Case("unknown transition", "wetteren.ict", "post", "/api/participations/{p}/transitions/fly/", {}, status=404,
         answer={"detail": "There is no transition 'fly'."}),
    # Zero demand submitted.
    Case("submitting zero demand", "laarne.ict", "post", "/api/participations/{lp}/transitions/submit/", {},
         status=409, answer={"detail": "Enter a quantity above zero for at least one item before submitting.",
                             "code": "no_demand"}),
    # Text: too long, blank, control characters, unknown choices and ids.
    Case("idea title too long", "wetteren.ict", "post", "/api/ideas/", idea(title="x" * 201),
         answer={"title": ["Ensure this field has no more than 200 characters."]}),
    Case("NUL character in a title", "wetteren.ict", "post", "/api/ideas/", idea(title="Printers\x00"),
         answer={"title": ["Null characters are not allowed."]}),
    Case("title of spaces", "wetteren.ict", "post", "/api/ideas/", idea(title="   "),
         answer={"title": ["This field may not be blank."]}),
    Case("unknown circle", "wetteren.ict", "post", "/api/ideas/", idea(circles=[999999]),
         answer={"circles": ['Invalid pk "999999" - object does not exist.']}),
    Case("proposing for another organisation", "wetteren.ict", "post", "/api/ideas/",
         lambda x: idea(proposing_organisation=x["outsider"])(x), status=403,
         answer={"detail": "Only ICT staff or procurement officers of Roeselare can propose an idea for it.",
                 "code": "permission_denied"}),
    Case("unknown kind with markup", "wetteren.ict", "post", "/api/ideas/", idea(kind=MARKUP),
         answer={"kind": [f'"{MARKUP}" is not a valid choice.']}),
    Case("lot title too long", "lead.procurement", "post", "/api/initiatives/{i}/lots/",
         {"number": 3, "title": "x" * 201}, answer={"title": ["Ensure this field has no more than 200 characters."]}),
    Case("lot number zero", "lead.procurement", "post", "/api/initiatives/{i}/lots/", {"number": 0, "title": "Muizen"},
         answer={"number": ["Ensure this value is greater than or equal to 1."]}),
    Case("lot number taken", "lead.procurement", "post", "/api/initiatives/{i}/lots/", {"number": 1, "title": "Muizen"},
         answer={"number": ["Lot 1 already exists in this initiative; choose another number."]}),
    Case("negative price", "lead.procurement", "post", "/api/initiatives/{i}/items/", item(estimated_unit_price="-1"),
         answer={"estimated_unit_price": ["Ensure this value is greater than or equal to 0."]}),
    Case("NaN price", "lead.procurement", "post", "/api/initiatives/{i}/items/", item(estimated_unit_price="NaN"),
         answer={"estimated_unit_price": ["A valid number is required."]}),
    Case("huge price", "lead.procurement", "post", "/api/initiatives/{i}/items/",
         item(estimated_unit_price="100000000"),
         answer={"estimated_unit_price": ["Ensure that there are no more than 8 digits before the decimal point."]}),
    Case("VAT rate of 22 %", "lead.procurement", "post", "/api/initiatives/{i}/items/", item(vat_rate="22"),
         answer={"vat_rate": ["The VAT rate must be 0, 6, 12 or 21 %."]}),
    Case("formula in a CPV code", "lead.procurement", "post", "/api/initiatives/{i}/items/",
         item(cpv_code="=cmd|' /C calc'!A0"), answer={"cpv_code": ["Ensure this field has no more than 10 characters."]}),
    Case("CPV code of the right length", "lead.procurement", "post", "/api/initiatives/{i}/items/",
         item(cpv_code="=HYPERLINK"),
         answer={"cpv_code": ["A CPV code has eight digits, a hyphen and a check digit, like 30213100-6."]}),
    Case("unknown unit", "lead.procurement", "post", "/api/initiatives/{i}/items/", item(unit="parsec"),
         answer={"unit": ['"parsec" is not a valid choice.']}),
    Case("unknown lot", "lead.procurement", "post", "/api/initiatives/{i}/items/", item(lot=999999),
         answer={"lot": ['Invalid pk "999999" - object does not exist.']}),
    Case("interest note too long", "wetteren.ict", "post", "/api/initiatives/{i}/interests/",
         lambda x: {"organisation": x["wetteren"], "note": "x" * 2001},
         answer={"note": ["Ensure this field has no more than 2000 characters."]}),
    Case("NUL character in a reason", "wetteren.ict", "post", "/api/participations/{p}/transitions/withdraw/",
         {"reason": "Budget\x00"}, answer={"reason": ["Null characters are not allowed."]}),
    Case("decision reference too long", "wetteren.alderman", "post", "/api/participations/{p}/transitions/approve/",
         {"decision_date": "2026-01-10", "decision_reference": "x" * 101},
         answer={"decision_reference": ["Ensure this field has no more than 100 characters."]}),
    Case("impossible decision date", "wetteren.alderman", "post", "/api/participations/{p}/transitions/approve/",
         {"decision_date": "2026-02-31", "decision_reference": "CBS/1"},
         answer={"decision_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
    Case("blank reason to cancel", "lead.procurement", "post", "/api/initiatives/{i}/transitions/cancel/",
         {"reason": ""}, answer={"reason": ["This field may not be blank."]}),
    # Dates in the past.
    Case("deadlines in the past", "lead.procurement", "post", "/api/initiatives/",
         lambda x: {"kind": "joint_purchase", "title": "Servers", "lead_organisation": x["lead"],
                    "legal_basis": "central_purchasing_body", "circles": [x["circle"]],
                    "demand_deadline": "2020-01-01T10:00:00+01:00", "decision_deadline": "2020-02-01T10:00:00+01:00"},
         answer={"demand_deadline": ["Choose a moment in the future."],
                 "decision_deadline": ["Choose a moment in the future."]}),
    # Broken and hostile uploads.
    Case("upload without a file", "wetteren.ict", "post", UPLOAD, {}, send="multipart",
         answer=file_error("Choose the filled-in template (an .xlsx file).")),
    Case("upload of text", "wetteren.ict", "post", UPLOAD, upload(b"hello, not a workbook"), send="multipart",
         answer=file_error(NOT_XLSX)),
    Case("empty upload", "wetteren.ict", "post", UPLOAD, upload(b""), send="multipart", answer=file_error(NOT_XLSX)),
    Case("zip bomb", "wetteren.ict", "post", UPLOAD,
         upload(zipped({**WORKBOOK, "xl/worksheets/sheet1.xml": b"0" * (60 * 1024 * 1024)})), send="multipart",
         answer=file_error("The file unpacks to 60,0 MB; at most 50 MB is accepted.")),
    Case("workbook with macros", "wetteren.ict", "post", UPLOAD,
         upload(zipped({**WORKBOOK, "xl/vbaProject.bin": b"\x00macro"})), send="multipart",
         answer=file_error("The file contains macros; save it as an ordinary .xlsx workbook.")),
    Case("archive of 501 parts", "wetteren.ict", "post", UPLOAD,
         upload(zipped({f"part{n}.xml": b"x" for n in range(501)})), send="multipart",
         answer=file_error("The file holds 501 parts; a demand template has far fewer.")),
    Case("XML external entity", "wetteren.ict", "post", UPLOAD, upload(zipped({
        "[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY e SYSTEM "file:///etc/passwd">]><Types>&e;</Types>',
        "xl/workbook.xml": b"<workbook/>"})), send="multipart",
         answer=file_error("The workbook could not be read; download a fresh template and fill it in.")),
    Case("upload over 5 MB", "wetteren.ict", "post", UPLOAD, upload(b"PK" + b"0" * (6 * 1024 * 1024)),
         send="multipart", answer=file_error("The file is 6,0 MB; upload at most 5 MB.")),
    Case("upload to another organisation", "wetteren.ict", "post", "/api/participations/{lp}/demand-upload/",
         upload(b"x"), send="multipart", status=404,
         answer={"detail": "There is no participation %(lp)s that you can see.", "code": "not_found"}),
    # The pages.
    Case("page: negative quantity", "wetteren.ict", "post", "/participations/{p}/", page_demand("-1"), send="page",
         answer=["Enter zero or more."]),
    Case("page: words for a quantity", "wetteren.ict", "post", "/participations/{p}/", page_demand("veertig"),
         send="page", answer=["Enter a number, like 12 or 2,5."]),
    Case("page: NaN", "wetteren.ict", "post", "/participations/{p}/", page_demand("NaN"), send="page",
         answer=["Enter a finite number."]),
    Case("page: Infinity", "wetteren.ict", "post", "/participations/{p}/", page_demand("Infinity"), send="page",
         answer=["Enter a finite number."]),
    Case("page: huge quantity", "wetteren.ict", "post", "/participations/{p}/", page_demand("1000000.01"),
         send="page", answer=["Enter at most 1.000.000."]),
    Case("page: three decimals", "wetteren.ict", "post", "/participations/{p}/", page_demand("1,005"), send="page",
         answer=["Use at most two decimals."]),
    Case("page: NUL character", "wetteren.ict", "post", "/participations/{p}/", page_demand("4\x00"), send="page",
         answer=["Null characters are not allowed."]),
    Case("page: another organisation's demand", "laarne.ict", "post", "/participations/{p}/", page_demand("1"),
         send="page", status=404, answer=[]),
    Case("page: unknown participation", "wetteren.ict", "post", "/participations/999999/", page_demand("1"),
         send="page", status=404, answer=[]),
    Case("page: idea title too long", "wetteren.ict", "post", "/initiatives/propose/",
         lambda x: idea(title="x" * 201)(x), send="page",
         answer=["Ensure this value has at most 200 characters (it has 201)."]),
    Case("page: NUL in a withdraw reason", "wetteren.ict", "post", "/participations/{p}/withdraw/",
         {"reason": "Budget\x00"}, send="page", answer=["Null characters are not allowed."]),
    Case("page: upload of text", "wetteren.ict", "post", "/sheets/participations/{p}/demand-upload/",
         upload(b"not a workbook"), send="page-follow", status=200,
         answer=["The upload changed nothing:", NOT_XLSX]),
]


def page_errors(html: str) -> list[str]:
    """The errors a page shows: field and form errors, and error messages at the top."""
    found = [m for block in re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', html, re.S)
             for m in re.findall(r"<li>(.*?)</li>", block, re.S)]
    found += re.findall(r'<li class="message error">(.*?)</li>', html, re.S)
    return [re.sub(r"\s+", " ", m).strip() for m in found]


def send(round_, case: Case, ids: dict[str, int]):
    url = case.url.format(**ids)
    body = case.body(ids) if callable(case.body) else case.body
    user = person(round_, case.who)
    if case.send.startswith("page"):
        client = Client()
        client.force_login(user)
        return getattr(client, case.method)(url, body, follow=case.send == "page-follow")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    call = getattr(client, case.method)
    if case.send == "json":
        return call(url, body, format="json")
    if case.send == "multipart":
        return call(url, body, format="multipart")
    content_type = {"raw": "application/json", "text": "text/plain", "xml": "application/xml"}[case.send]
    return call(url, body, content_type=content_type)


def test_the_table_has_every_kind_of_bad_input():
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)
    assert sum(case.send.startswith("page") for case in CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_precisely_and_changes_nothing(round_, scene, case, django_capture_on_commit_callbacks):
    before = snapshot()
    with django_capture_on_commit_callbacks() as callbacks:
        response = send(round_, case, scene)
    assert response.status_code == case.status, response.content[:500]
    if case.send.startswith("page"):
        assert page_errors(response.content.decode()) == [
            str(m).replace('"', "&quot;").replace("'", "&#x27;") for m in case.answer]
    else:
        expected = case.answer
        if isinstance(expected, dict) and "detail" in expected and "%(" in expected["detail"]:
            expected = {**expected, "detail": expected["detail"] % scene}
        assert response.json() == expected
    assert snapshot() == before
    assert callbacks == []


# --- valid text that looks dangerous: stored as typed, inert wherever it is shown ---


def api_as(round_, who: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=person(round_, who))[0].key}")
    return client


def test_markup_in_every_text_field_is_kept_as_text_and_never_runs(round_, scene):
    from django.utils.html import escape

    officer, ict = api_as(round_, "lead.procurement"), api_as(round_, "wetteren.ict")
    answers = [
        officer.post(f"/api/initiatives/{scene['i']}/lots/", {"number": 3, "title": MARKUP, "description": MARKUP},
                     format="json"),
        officer.post(f"/api/initiatives/{scene['i']}/items/", item(name=MARKUP, specification=MARKUP)(scene),
                     format="json"),
        ict.post("/api/ideas/", idea(title=MARKUP, description=MARKUP)(scene), format="json"),
        ict.post(f"/api/participations/{scene['p']}/transitions/withdraw/", {"reason": MARKUP}, format="json"),
    ]
    assert [a.status_code for a in answers] == [201, 201, 201, 200], [a.content[:300] for a in answers]
    assert Lot.objects.get(initiative_id=scene["i"], number=3).title == MARKUP  # stored as typed
    assert Item.objects.filter(name=MARKUP, specification=MARKUP).count() == 1
    assert Initiative.objects.filter(title=MARKUP, description=MARKUP, state="idea").count() == 1
    assert Participation.objects.get(pk=scene["p"]).withdraw_reason == MARKUP

    pages = Client()
    pages.force_login(person(round_, "lead.procurement"))
    idea_id = Initiative.objects.get(title=MARKUP).pk
    for url in (f"/initiatives/{scene['i']}/", f"/participations/{scene['p']}/", f"/initiatives/{idea_id}/"):
        html = pages.get(url).content.decode()
        assert MARKUP not in html and "<script>alert" not in html, url
        assert escape(MARKUP) in html, url


def test_formula_like_names_stay_text_in_the_demand_sheets(round_, scene):
    import openpyxl

    formula = '=HYPERLINK("http://evil.example","klik")'
    officer = api_as(round_, "lead.procurement")
    created = officer.post(f"/api/initiatives/{scene['i']}/items/", item(name=formula)(scene), format="json")
    assert created.status_code == 201, created.content
    ict = api_as(round_, "wetteren.ict")
    demand = {"lines": [{"item": scene["laptop"], "quantity": "40"}, {"item": created.json()["id"], "quantity": "2"}]}
    assert ict.put(f"/api/participations/{scene['p']}/demand/", demand, format="json").status_code == 200
    assert ict.post(f"/api/participations/{scene['p']}/transitions/submit/", {}, format="json").status_code == 200

    csv = officer.get(f"/api/initiatives/{scene['i']}/demand-sheet.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in csv and ",=HYPERLINK(" not in csv and '"=HYPERLINK(' not in csv

    content = officer.get(f"/api/initiatives/{scene['i']}/demand-sheet.xlsx").content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert cells, "the item's name is in the sheet"
    assert all(cell.data_type == "s" for cell in cells)  # text cells, never formulas
    assert not [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]
