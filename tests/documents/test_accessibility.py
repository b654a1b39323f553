"""The PDFs are tagged (PDF/A-3a): a structure tree in reading order with headings, paragraphs, lists and
tables, marked content, and the document's language — read back with pypdf."""

from .scenarios import joint_purchase
from .test_layout import render


def structure(node, found: list, depth: int = 0) -> list:
    """The structure elements' types in document order (depth first)."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure(child, found, depth)
        return found
    if not hasattr(node, "get"):
        return found  # a marked-content id
    if node.get("/S") is not None:
        found.append(str(node["/S"]))
    kids = node.get("/K")
    if kids is not None:
        structure(kids, found, depth + 1)
    return found


def test_documents_are_tagged_in_reading_order(round_, clock):
    scenario = joint_purchase(round_, clock)
    from procurement.models import Participation

    for name, subject, language in (
        ("participation_decision", Participation.objects.get(pk=scenario.subjects["participation_decision"]), "nl"),
        ("cooperation_agreement", scenario.initiative, "en"),
        ("award_report", scenario.initiative, "nl"),
    ):
        reader, _context = render(name, subject, language)
        catalog = reader.trailer["/Root"]
        assert catalog["/Lang"] == language
        assert bool(catalog["/MarkInfo"]["/Marked"])
        types = structure(catalog["/StructTreeRoot"], [])
        assert "/H1" in types and "/H2" in types and "/P" in types, (name, types[:20])
        assert {"/Table", "/TR", "/TH", "/TD"} <= set(types), name
        # reading order: the title before the first section heading, a section heading before its table
        assert types.index("/H1") < types.index("/H2") < types.index("/Table")
        xmp = catalog["/Metadata"].get_object().get_data().decode()
        assert "pdfaid" in xmp and ("conformance>A<" in xmp or 'conformance="A"' in xmp)
