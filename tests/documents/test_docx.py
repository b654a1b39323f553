"""The editable copy of the decision draft: a DOCX with the same content as the PDF, offered beside it."""

import io
import re

from docx import Document as WordDocument

from .test_documents import ask, pdf_of, text_of


def words(text: str) -> list[str]:
    return re.findall(r"[\w€.,%/-]+", text)


def test_the_decision_draft_has_an_editable_copy_with_the_same_content(client, round_, demand,
                                                                        django_capture_on_commit_callbacks):
    answer = ask(client, round_.wetteren_people.ict, "participation_decision", demand["Wetteren"].pk,
                 django_capture_on_commit_callbacks).json()
    detail = client.get(f"/api/documents/{answer['id']}/").json()
    assert detail["docx_url"] == f"/api/documents/{answer['id']}/docx/"
    response = client.get(detail["docx_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert 'filename="besluit-wetteren-' in response["Content-Disposition"]
    word = WordDocument(io.BytesIO(b"".join(response.streaming_content)))
    assert word.core_properties.author == "gemeente Wetteren" and word.core_properties.language == "nl"
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Besluit van het college van burgemeester en schepenen", "Bevoegdheid"]
    for section in ("Juridische grond", "Feiten en context", "Argumentatie", "Financiële gevolgen", "Besluit"):
        assert section in headings
    body = " ".join(p.text for p in word.paragraphs)
    cells = " ".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    docx_text = " ".join((body, cells))
    assert "Laptop 14 inch" in cells and "36.000,00 €" in cells
    # Every word of the PDF's body is in the editable copy (the running header and page numbers aside).
    pdf_words = set(words(text_of(pdf_of(client, answer["id"]))))
    missing = pdf_words - set(words(docx_text)) - {"pagina", "van", "Ontwerpbesluit", "deelname", "—"}
    missing = {w for w in missing if not w.isdigit()}
    assert not missing, sorted(missing)[:20]


def test_other_kinds_have_no_editable_copy(client, round_, demand, django_capture_on_commit_callbacks):
    answer = ask(client, round_.lead_people.procurement, "demand_summary", round_.initiative.pk,
                 django_capture_on_commit_callbacks).json()
    assert client.get(f"/api/documents/{answer['id']}/").json()["docx_url"] is None
    assert client.get(f"/api/documents/{answer['id']}/docx/").status_code == 404
    # and another organisation's draft is 404, not 403
    draft = ask(client, round_.wetteren_people.ict, "participation_decision", demand["Wetteren"].pk,
                django_capture_on_commit_callbacks).json()
    client.force_login(round_.outsider_people.ict)
    assert client.get(f"/api/documents/{draft['id']}/docx/").status_code == 404
