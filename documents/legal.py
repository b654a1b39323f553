"""Legal references, legal names and deciding bodies for the documents: data, not wording in templates.

``data/legal_references.json`` holds every reference the documents cite, with the article, a source note
and whether it was checked against a published text (``confirmed``). A document shows an unconfirmed
reference with a marker and lists it under "to verify before the agenda" (``to_verify``).

``DECIDING_BODIES`` says, per deciding body, how its decision is titled, which article of the Local
Government Decree gives it the power, whether it acts on the council's delegation, and who signs.
This module knows nothing of the domain models: it takes kinds and names as strings.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def _references() -> dict[str, dict]:
    return {key: value for key, value in json.loads((DATA / "legal_references.json").read_text()).items()
            if not key.startswith("_")}


@lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    return frozenset(json.loads((DATA / "cities.json").read_text())["cities"])


def ref(key: str, language: str) -> dict[str, Any]:
    """One reference as a document shows it: ``{key, text, article, confirmed, source}``."""
    found = _references()[key]
    return {"key": key, "text": found.get(language) or found["nl"], "article": found["article"],
            "confirmed": bool(found["confirmed"]), "source": found["source"]}


def refs(keys, language: str) -> list[dict[str, Any]]:
    return [ref(key, language) for key in keys]


def to_verify(*groups) -> list[dict[str, Any]]:
    """The unconfirmed references among ``groups`` (lists of refs or single refs), once each, in order."""
    seen: dict[str, dict] = {}
    for group in groups:
        for item in group if isinstance(group, list) else [group]:
            if item and not item["confirmed"]:
                seen.setdefault(item["key"], item)
    return list(seen.values())


def is_city(name: str) -> bool:
    return name in _cities()


ORGANISATION_PREFIX = {
    "nl": {"municipality": "gemeente", "city": "stad", "ocmw": "OCMW", "police_zone": "politiezone"},
    "en": {"municipality": "municipality of", "city": "city of", "ocmw": "OCMW", "police_zone": "police zone"},
}


def legal_name(name: str, kind: str, language: str = "nl") -> str:
    """``gemeente Wetteren``, ``stad Roeselare``, ``OCMW Wetteren``: the name as a decision writes it. A name
    that already carries its prefix (``OCMW Wetteren``, ``Politiezone Schelde-Rupel``) is kept."""
    key = "city" if kind == "municipality" and is_city(name) else kind
    prefix = ORGANISATION_PREFIX.get(language, ORGANISATION_PREFIX["nl"]).get(key)
    if not prefix or name.lower().startswith(prefix.split(" ")[0].lower()):
        return name
    return f"{prefix} {name}"


# Per deciding body: the decision's title, the article that gives the power (a key of the data file), whether
# the body decides on the council's delegation, the signatories (in signing order), and the chair's title.
DECIDING_BODIES: dict[str, dict[str, Any]] = {
    "college": {
        "nl": {"name": "het college van burgemeester en schepenen", "title": "Besluit van het college van burgemeester en schepenen",
               "signatories": ["De algemeen directeur", "De burgemeester"],
               "delegation": "het besluit van de gemeenteraad over de delegatie van de bevoegdheid voor overheidsopdrachten aan het college"},
        "en": {"name": "the college of mayor and aldermen", "title": "Decision of the college of mayor and aldermen",
               "signatories": ["The general director", "The mayor"],
               "delegation": "the municipal council's decision delegating its power over public contracts to the college"},
        "power": "dlb_college",
    },
    "council": {
        "nl": {"name": "de gemeenteraad", "title": "Besluit van de gemeenteraad",
               "signatories": ["De algemeen directeur", "De voorzitter van de gemeenteraad"], "delegation": ""},
        "en": {"name": "the municipal council", "title": "Decision of the municipal council",
               "signatories": ["The general director", "The chair of the municipal council"], "delegation": ""},
        "power": "dlb_council",
    },
    "rmw": {
        "nl": {"name": "de raad voor maatschappelijk welzijn", "title": "Besluit van de raad voor maatschappelijk welzijn",
               "signatories": ["De algemeen directeur", "De voorzitter van de raad voor maatschappelijk welzijn"],
               "delegation": ""},
        "en": {"name": "the council for social welfare", "title": "Decision of the council for social welfare",
               "signatories": ["The general director", "The chair of the council for social welfare"], "delegation": ""},
        "power": "dlb_rmw",
    },
    "vast_bureau": {
        "nl": {"name": "het vast bureau", "title": "Besluit van het vast bureau",
               "signatories": ["De algemeen directeur", "De voorzitter van het vast bureau"],
               "delegation": "het besluit van de raad voor maatschappelijk welzijn over de delegatie van de bevoegdheid voor overheidsopdrachten aan het vast bureau"},
        "en": {"name": "the permanent bureau", "title": "Decision of the permanent bureau",
               "signatories": ["The general director", "The chair of the permanent bureau"],
               "delegation": "the council for social welfare's decision delegating its power over public contracts to the permanent bureau"},
        "power": "dlb_vast_bureau",
    },
    "police_college": {
        "nl": {"name": "het politiecollege", "title": "Besluit van het politiecollege",
               "signatories": ["De zonesecretaris", "De voorzitter van het politiecollege"], "delegation": ""},
        "en": {"name": "the police college", "title": "Decision of the police college",
               "signatories": ["The zone secretary", "The chair of the police college"], "delegation": ""},
        "power": "police_act",
    },
    "police_council": {
        "nl": {"name": "de politieraad", "title": "Besluit van de politieraad",
               "signatories": ["De zonesecretaris", "De voorzitter van de politieraad"], "delegation": ""},
        "en": {"name": "the police council", "title": "Decision of the police council",
               "signatories": ["The zone secretary", "The chair of the police council"], "delegation": ""},
        "power": "police_act",
    },
    "board": {
        "nl": {"name": "de raad van bestuur", "title": "Besluit van de raad van bestuur",
               "signatories": ["De secretaris", "De voorzitter van de raad van bestuur"], "delegation": ""},
        "en": {"name": "the board of directors", "title": "Decision of the board of directors",
               "signatories": ["The secretary", "The chair of the board of directors"], "delegation": ""},
        "power": None,
    },
    "other": {
        "nl": {"name": "het bevoegde orgaan", "title": "Besluit van het bevoegde orgaan",
               "signatories": ["De secretaris", "De voorzitter"], "delegation": ""},
        "en": {"name": "the competent body", "title": "Decision of the competent body",
               "signatories": ["The secretary", "The chair"], "delegation": ""},
        "power": None,
    },
}


def deciding_body(code: str, language: str) -> dict[str, Any]:
    """The deciding body ``code`` as a decision needs it: name, title, signatories, delegation, power (ref)."""
    body = DECIDING_BODIES.get(code) or DECIDING_BODIES["other"]
    words = body.get(language) or body["nl"]
    power = ref(body["power"], language) if body["power"] else None
    return {"code": code if code in DECIDING_BODIES else "other", **words, "power": power}
