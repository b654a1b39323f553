"""Writing UBL/eForms elements with lxml: namespaces and the few value formats eForms asks for."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from lxml import etree

BRUSSELS = ZoneInfo("Europe/Brussels")

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}
ROOT_NS = {
    "ContractNotice": "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
    "ContractAwardNotice": "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
}


def qname(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def root(kind: str) -> etree._Element:
    return etree.Element(f"{{{ROOT_NS[kind]}}}{kind}", nsmap={None: ROOT_NS[kind], **NS})


def sub(parent: etree._Element, name: str, text=None, **attrs) -> etree._Element:
    """Append ``<name attrs>text</name>`` to ``parent``; attribute names use ``_`` for nothing special."""
    element = etree.SubElement(parent, qname(name), {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text if isinstance(text, str) else str(text)
    return element


def path(parent: etree._Element, *names: str) -> etree._Element:
    """Append the chain ``names`` (each a child of the previous) and return the last element."""
    for name in names:
        parent = sub(parent, name)
    return parent


def extension(parent: etree._Element) -> etree._Element:
    """``ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension`` under ``parent``."""
    return path(parent, "ext:UBLExtensions", "ext:UBLExtension", "ext:ExtensionContent", "efext:EformsExtension")


def amount(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def _offset(moment: datetime) -> str:
    text = moment.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def day(value: date | datetime) -> str:
    """An eForms date: the day with the Brussels offset of that day (``2027-03-01+01:00``)."""
    if isinstance(value, datetime):
        moment = value.astimezone(BRUSSELS)
    else:
        moment = datetime(value.year, value.month, value.day, 12, tzinfo=BRUSSELS)
    return f"{moment.date().isoformat()}{_offset(moment)}"


def clock_time(value: datetime) -> str:
    moment = value.astimezone(BRUSSELS)
    return f"{moment.strftime('%H:%M:%S')}{_offset(moment)}"


def serialise(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
