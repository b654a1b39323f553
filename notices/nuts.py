"""NUTS level-3 regions of the Belgian arrondissements, by the first two digits of the NIS code.

eForms asks the NUTS 3 code of every buyer's address (BT-507) and of the place of performance (BT-5071).

Source: Eurostat, NUTS 2024 classification (Commission Delegated Regulation (EU) 2023/674), Belgium; the NIS
arrondissement codes of Statbel. The codes below are the ones that the SDK 1.15.1 code list ``nuts-lvl3``
accepts (its Schematron lists them). The province of Limburg was re-divided in NUTS 2024 (arrondissements
Hasselt, Maaseik and Tongeren-Borgloon): the mapping of its NIS arrondissements 71, 72 and 73 is UNCONFIRMED
and marked so; the product shows it as such. Only Flanders and Brussels are listed: an organisation elsewhere
gets no NUTS code and the notice's validation names the missing field.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    nuts: str
    name: str
    confirmed: bool = True


BY_ARRONDISSEMENT: dict[str, Region] = {
    "11": Region("BE211", "Arr. Antwerpen"),
    "12": Region("BE212", "Arr. Mechelen"),
    "13": Region("BE213", "Arr. Turnhout"),
    "21": Region("BE100", "Arr. de Bruxelles-Capitale / Arr. Brussel-Hoofdstad"),
    "23": Region("BE241", "Arr. Halle-Vilvoorde"),
    "24": Region("BE242", "Arr. Leuven"),
    "31": Region("BE251", "Arr. Brugge"),
    "32": Region("BE252", "Arr. Diksmuide"),
    "33": Region("BE253", "Arr. Ieper"),
    "34": Region("BE254", "Arr. Kortrijk"),
    "35": Region("BE255", "Arr. Oostende"),
    "36": Region("BE256", "Arr. Roeselare"),
    "37": Region("BE257", "Arr. Tielt"),
    "38": Region("BE258", "Arr. Veurne"),
    "41": Region("BE231", "Arr. Aalst"),
    "42": Region("BE232", "Arr. Dendermonde"),
    "43": Region("BE233", "Arr. Eeklo"),
    "44": Region("BE234", "Arr. Gent"),
    "45": Region("BE235", "Arr. Oudenaarde"),
    "46": Region("BE236", "Arr. Sint-Niklaas"),
    "71": Region("BE224", "Arr. Hasselt", confirmed=False),
    "72": Region("BE225", "Arr. Maaseik", confirmed=False),
    "73": Region("BE223", "Arr. Tongeren", confirmed=False),
}


def region_of(nis_code: str) -> Region | None:
    """The NUTS 3 region of a municipality's NIS code (5 digits), or None when not known here."""
    if not nis_code or len(nis_code) != 5:
        return None
    return BY_ARRONDISSEMENT.get(nis_code[:2])


CODES = tuple(region.nuts for region in BY_ARRONDISSEMENT.values())
