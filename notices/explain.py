"""A broken rule in words a procurement officer understands: which field, what is wrong, where to fix it.

The field comes from the SDK (the rule's diagnostic, or its name; ``fields/fields.json`` names every field in
English); the fields the product fills have a Dutch label and the place in Samenaankoop where their data lives.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import validation

ORGANISATION = gettext_lazy("the organisation's data in the administration (Organisations)")
SUPPLIER = gettext_lazy("the supplier's data (Suppliers)")
TENDER = gettext_lazy("the tender (procedure, bid deadline, award criteria)")
INITIATIVE = gettext_lazy("the initiative (title, description, framework term, renewals)")
ITEMS = gettext_lazy("the lots and items of the initiative (CPV codes, estimated prices)")
AWARD = gettext_lazy("the award and the contracts of the tender")
CONTACT = gettext_lazy("the buyers' contact data, asked when making the notice")
REGION = gettext_lazy("the winners' region, asked when making the award notice")
SIZE = gettext_lazy("the bidders' company sizes, asked when making the award notice")

# BT number → (label, where the product takes it from)
BY_BT = {
    "BT-500": (gettext_lazy("organisation name"), ORGANISATION),
    "BT-501": (gettext_lazy("organisation identifier (enterprise number)"), ORGANISATION),
    "BT-510": (gettext_lazy("street"), ORGANISATION),
    "BT-512": (gettext_lazy("postal code"), ORGANISATION),
    "BT-513": (gettext_lazy("town"), ORGANISATION),
    "BT-507": (gettext_lazy("region (NUTS code; of a buyer from its NIS code)"), REGION),
    "BT-506": (gettext_lazy("contact e-mail"), CONTACT),
    "BT-503": (gettext_lazy("telephone"), CONTACT),
    "BT-514": (gettext_lazy("country"), ORGANISATION),
    "BT-11": (gettext_lazy("buyer legal type"), ORGANISATION),
    "BT-10": (gettext_lazy("buyer's main activity"), ORGANISATION),
    "BT-165": (gettext_lazy("company size of the winner"), SIZE),
    "BT-21": (gettext_lazy("title"), INITIATIVE),
    "BT-24": (gettext_lazy("description"), INITIATIVE),
    "BT-36": (gettext_lazy("duration (framework term)"), INITIATIVE),
    "BT-58": (gettext_lazy("maximum number of renewals"), INITIATIVE),
    "BT-57": (gettext_lazy("renewals"), INITIATIVE),
    "BT-262": (gettext_lazy("main CPV code"), ITEMS),
    "BT-263": (gettext_lazy("additional CPV code"), ITEMS),
    "BT-23": (gettext_lazy("nature of the contract (supplies, services, works)"), ITEMS),
    "BT-27": (gettext_lazy("estimated value"), ITEMS),
    "BT-271": (gettext_lazy("framework maximum value"), ITEMS),
    "BT-137": (gettext_lazy("lot"), ITEMS),
    "BT-105": (gettext_lazy("procedure type"), TENDER),
    "BT-131": (gettext_lazy("bid deadline"), TENDER),
    "BT-539": (gettext_lazy("award criterion type"), TENDER),
    "BT-540": (gettext_lazy("award criterion description"), TENDER),
    "BT-541": (gettext_lazy("award criterion weight"), TENDER),
    "BT-734": (gettext_lazy("award criterion name"), TENDER),
    "BT-04": (gettext_lazy("procedure identifier"), TENDER),
    "BT-1451": (gettext_lazy("date of the award decision"), AWARD),
    "BT-145": (gettext_lazy("date the contract was concluded"), AWARD),
    "BT-720": (gettext_lazy("value of the winning bid"), AWARD),
    "BT-759": (gettext_lazy("number of bids received"), AWARD),
    "BT-142": (gettext_lazy("whether a winner was chosen"), AWARD),
    "BT-161": (gettext_lazy("total value of the contracts"), AWARD),
    "BT-709": (gettext_lazy("framework maximum value"), AWARD),
    "BT-150": (gettext_lazy("contract reference"), AWARD),
}
# Rules whose diagnostic names a field other than the one to fill in.
BY_RULE = {
    "BR-BT-13713-0123": (gettext_lazy("number of bids from large enterprises (BT-759)"), SIZE),
    "BR-BT-13713-0117": (gettext_lazy("number of bids by company size (BT-759)"), SIZE),
    "BR-OPT-00100-0036": (gettext_lazy("the notice that announced the framework agreement (OPT-100)"),
                          gettext_lazy("the contract notice: make it (valid) before the award notice")),
}
_BT = re.compile(r"^(BT-\d+)")


def _problem(rule: str, test: str) -> str:
    if rule.endswith("_length"):
        return _("is too long")
    if re.match(r"^count\([^)]*\)\s*>\s*0", test):
        return _("is missing")
    if re.match(r"^count\([^)]*\)\s*=\s*0", test):
        return _("must not be given here")
    if "matches(" in test:
        return _("has the wrong form")
    if "= ('" in test:
        return _("is not one of the values eForms allows")
    return _("does not meet this rule")


def explain(failure: dict) -> dict:
    """``failure`` as stored on the notice, with ``label``, ``problem`` and ``fix`` for the officer."""
    if failure.get("kind") == "xsd":
        return {**failure, "label": _("structure of the notice"), "problem": failure.get("message", ""),
                "fix": _("a fault in Samenaankoop's notice builder: report it to the application manager")}
    if failure.get("rule") in BY_RULE:
        label, fix = BY_RULE[failure["rule"]]
        return {**failure, "label": str(label), "problem": _("is missing"), "fix": str(fix)}
    field_id = failure.get("field", "")
    match = _BT.match(field_id)
    known = BY_BT.get(match.group(1)) if match else None
    if known is not None:
        label, fix = str(known[0]), str(known[1])
    else:
        sdk_field = validation.fields().get(field_id)
        label = sdk_field["name"] if sdk_field else (field_id or _("notice"))
        fix = _("a field Samenaankoop does not fill yet: report rule %(rule)s to the application manager") % {
            "rule": failure.get("rule", "")}
    return {**failure, "label": f"{label} ({field_id})" if field_id else label,
            "problem": _problem(failure.get("rule", ""), failure.get("test", "")), "fix": fix}
