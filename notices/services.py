"""Every change to eForms notices: asking for one, its validation (in a Celery task), recording the
publication reference, and the contact and supplier data the notices need.

A notice is built when it is asked for (the XML is a snapshot of the tender at that moment) and validated in
the background; until the task has run it is ``pending`` and cannot be downloaded, and a notice that breaks a
rule is ``invalid`` and is never offered as valid (DESIGN.md §4 for the shape of the services).
"""

import re
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log as audit
from core.errors import InvalidInput, NotAllowed, NotFound, TransitionRefused
from tendering import rules as permissions
from tendering.models import Procedure, Publication, Supplier, Tender

from . import builders, nuts, validation
from .facts import facts_for, with_results
from .models import BuyerContact, CompanySize, Notice, NoticeKind, NoticeStatus, SupplierProfile

MAX_ERROR_LENGTH = 2000


def visible_tender(actor, tender_id: Any) -> Tender:
    tender = permissions.visible_tenders(actor).filter(pk=tender_id).select_related("initiative").first() \
        if isinstance(tender_id, int) or str(tender_id).isdigit() else None
    if tender is None:
        raise NotFound(_("There is no tender %(id)s that you can see.") % {"id": tender_id})
    return tender


def visible_notice(actor, notice_id: Any) -> Notice:
    """The notice when the actor runs its tender: 404 when the tender is not visible, 403 when it is but the
    actor does not run it (notices are the lead's working documents until published)."""
    notice = Notice.objects.filter(pk=notice_id).select_related("tender", "tender__initiative").first() \
        if isinstance(notice_id, int) or str(notice_id).isdigit() else None
    if notice is None or not permissions.visible_tenders(actor).filter(pk=notice.tender_id).exists():
        raise NotFound(_("There is no eForms notice %(id)s that you can see.") % {"id": notice_id})
    if not permissions.may_manage_tender(actor, notice.tender):
        raise NotAllowed(_("Only the lead organisation's procurement officers handle the eForms notices."))
    return notice


def _kind(value: Any) -> str:
    if value not in NoticeKind.values:
        raise InvalidInput({"kind": [_("Choose the kind of notice: %(choices)s.")
                                     % {"choices": ", ".join(NoticeKind.values)}]})
    return value


def refusal(tender: Tender, kind: str) -> TransitionRefused | None:
    """Why no notice of ``kind`` can be made for this tender now, or None."""
    if tender.procedure != Procedure.OPEN or tender.publication == Publication.NONE:
        return TransitionRefused(
            _("This tender (%(procedure)s, %(publication)s) is not published, so it has no eForms notice: "
              "notices belong to an open procedure with Belgian or European publication.")
            % {"procedure": tender.get_procedure_display(), "publication": tender.get_publication_display()},
            code="no_publication",
        )
    if tender.state == "cancelled":
        return TransitionRefused(_("The tender is cancelled; it gets no new notice."), code="tender_cancelled")
    if kind == NoticeKind.AWARD and tender.state != "concluded":
        return TransitionRefused(
            _("The award notice reports the contracts: it can be made once the contracts are concluded "
              "(the tender is %(state)s).") % {"state": tender.get_state_display()},
            code="contracts_not_concluded",
        )
    return None


_PHONE = re.compile(r"^\+?[0-9][0-9 ./()-]{5,28}$")


def _entries(value: Any, field: str) -> list:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise InvalidInput({field: [_("Give a list of objects.")]})
    return value


def _supplier_profiles(tender: Tender, suppliers: Any) -> list[tuple[Supplier, dict]]:
    """Parse ``[{supplier, size?, nuts?}]`` for bidders of this tender (size and region from the code lists)."""
    bidders = {s.pk: s for s in Supplier.objects.filter(bids__tender=tender).distinct()}
    parsed, errors = [], []
    for entry in _entries(suppliers, "suppliers"):
        problems: dict[str, list[str]] = {}
        supplier_id, size, region = entry.get("supplier"), entry.get("size", ""), entry.get("nuts", "")
        if not isinstance(supplier_id, int) or supplier_id not in bidders:
            problems["supplier"] = [_("Give the id of a supplier that bid in this tender.")]
        if size not in ("", *CompanySize.values):
            problems["size"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(CompanySize.values)}]
        if region not in ("", *nuts.CODES):
            problems["nuts"] = [_("Choose a NUTS 3 region of Flanders or Brussels, e.g. BE234.")]
        errors.append(problems)
        if not problems:
            parsed.append((bidders[supplier_id], {k: v for k, v in (("size", size), ("nuts", region)) if v}))
    if any(errors):
        raise InvalidInput({"suppliers": errors})
    return parsed


def _buyer_contacts(buyer_ids: set[int], buyers: Any) -> list[tuple[int, dict]]:
    """Parse ``[{organisation, telephone, email?}]`` for the buyers of this tender."""
    parsed, errors = [], []
    for entry in _entries(buyers, "buyers"):
        problems: dict[str, list[str]] = {}
        organisation, phone = entry.get("organisation"), entry.get("telephone")
        email = entry.get("email") or ""
        if not isinstance(organisation, int) or organisation not in buyer_ids:
            problems["organisation"] = [_("Give the id of the lead or an approved participant of this tender.")]
        if not isinstance(phone, str) or not _PHONE.match(phone.strip()):
            problems["telephone"] = [_("Give a telephone number such as +32 9 355 33 11.")]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems["email"] = [_("Give a valid e-mail address.")]
        errors.append(problems)
        if not problems:
            parsed.append((organisation, {"telephone": phone.strip(), **({"email": email} if email else {})}))
    if any(errors):
        raise InvalidInput({"buyers": errors})
    return parsed


def buyer_ids(tender: Tender) -> set[int]:
    initiative = tender.initiative
    return {initiative.lead_organisation_id, *initiative.participations.filter(state="approved")
            .values_list("organisation_id", flat=True)}


def _queue(notice: Notice) -> None:
    from .tasks import validate_notice  # the task module imports this one

    transaction.on_commit(partial(validate_notice.delay, notice.pk))


def notice_request(*, tender: Tender, kind: str, actor, buyers: list[dict] | None = None,
                   suppliers: list[dict] | None = None) -> Notice:
    """Build the contract or award notice of ``tender`` as it stands and queue its validation.

    First records what the registers lack and the notice needs: ``buyers`` the buyers' telephone and e-mail
    (BT-503, BT-506), ``suppliers`` the bidders' company sizes (the award notice states the winners', BT-165,
    and counts the bids by size, BT-759) and the winners' regions (BT-507). Kept for later notices."""
    kind = _kind(kind)
    if not permissions.may_manage_tender(actor, tender):
        raise NotAllowed(_("Only the lead organisation's procurement officers make the eForms notices."))
    with transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("initiative").get(pk=tender.pk)
        refused = refusal(tender, kind)
        if refused is not None:
            raise refused
        errors: dict[str, Any] = {}
        contacts = profiles = []
        try:
            contacts = _buyer_contacts(buyer_ids(tender), buyers)
        except InvalidInput as error:
            errors.update(error.errors)
        try:
            profiles = _supplier_profiles(tender, suppliers)
        except InvalidInput as error:
            errors.update(error.errors)
        if errors:  # every mistake at once, nothing recorded
            raise InvalidInput(errors)
        for organisation_id, values in contacts:
            BuyerContact.objects.update_or_create(organisation_id=organisation_id,
                                                  defaults={**values, "recorded_by": actor})
        for supplier, values in profiles:
            SupplierProfile.objects.update_or_create(supplier=supplier, defaults={**values, "recorded_by": actor})
        facts = facts_for(tender)
        notice = Notice(tender=tender, kind=kind, sdk_version=validation.SDK_VERSION,
                        requested_by=actor if getattr(actor, "is_authenticated", False) else None)
        if kind == NoticeKind.AWARD:
            facts = with_results(facts, tender)
            notice.subtype = builders.AWARD[facts.european].code
            notice.xml = builders.award_notice(facts, notice_id=str(notice.notice_id),
                                               issued_at=timezone.now()).decode("utf-8")
        else:
            notice.subtype = builders.CONTRACT[facts.european].code
            notice.xml = builders.contract_notice(facts, notice_id=str(notice.notice_id),
                                                  issued_at=timezone.now()).decode("utf-8")
        notice.unconfirmed = facts.unconfirmed
        notice.save()
        audit.record(action="notices.notice.requested", obj=notice, actor=actor,
                     organisation=tender.initiative.lead_organisation, to_state=notice.status,
                     data={"tender": tender.pk, "kind": kind, "subtype": notice.subtype,
                           "sdk_version": notice.sdk_version})
        _queue(notice)
    return notice


def notice_validate(*, notice_id: int) -> Notice | None:
    """Run the XSD and the Schematron rules (the task's work); a notice already validated is left alone."""
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or notice.status != NoticeStatus.PENDING:
        return notice
    result = validation.validate(notice.xml.encode("utf-8"))  # outside the transaction: it may compile
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.status != NoticeStatus.PENDING:
            return notice
        notice.status = NoticeStatus.VALID if result.valid else NoticeStatus.INVALID  # warnings do not block
        notice.failures = with_subjects(notice.xml, result.as_json())
        notice.sdk_version = result.sdk_version
        notice.validated_at = timezone.now()
        notice.save(update_fields=["status", "failures", "sdk_version", "validated_at"])
        audit.record(action="notices.notice.validated", obj=notice, actor=None,
                     from_state=NoticeStatus.PENDING, to_state=notice.status,
                     data={"failed_rules": [f.rule for f in result.errors][:50],
                           "warnings": [f.rule for f in result.warnings][:50],
                           "sdk_version": notice.sdk_version})
    return notice


_ORGANISATION = re.compile(r"Organization\[(\d+)\]")
_LOT = re.compile(r"ProcurementProjectLot\[(\d+)\]")


def with_subjects(xml: str, failures: list[dict]) -> list[dict]:
    """Name what each broken rule is about: the organisation or the lot its location points into."""
    from lxml import etree

    from .xml import NS

    doc = etree.fromstring(xml.encode("utf-8"))
    organisations = [o.findtext("efac:Company/cac:PartyName/cbc:Name", namespaces=NS) or ""
                     for o in doc.iterfind(".//efac:Organizations/efac:Organization", NS)]
    lots = [lot.findtext("cac:ProcurementProject/cbc:Name", namespaces=NS) or lot.findtext("cbc:ID", namespaces=NS)
            for lot in doc.iterfind("cac:ProcurementProjectLot", NS)]
    for failure in failures:
        location = failure.get("location", "")
        for pattern, names in ((_ORGANISATION, organisations), (_LOT, lots)):
            found = pattern.search(location)
            if found and int(found.group(1)) <= len(names):
                failure["subject"] = names[int(found.group(1)) - 1]
                break
    return failures


def notice_fail(*, notice_id: int, error: str) -> None:
    """The validation could not run (not: the notice broke a rule). Shown as such; never as valid."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != NoticeStatus.PENDING:
            return
        notice.status = NoticeStatus.FAILED
        notice.error = error[:MAX_ERROR_LENGTH]
        notice.save(update_fields=["status", "error"])
        audit.record(action="notices.notice.failed", obj=notice, actor=None, from_state=NoticeStatus.PENDING,
                     to_state=notice.status, data={"error": notice.error[:300]})


def notice_record_publication(*, notice: Notice, actor, publication_reference: Any) -> Notice:
    """After publishing on e-Notification: keep the reference it gave. For the contract notice it is also the
    tender's publication reference."""
    reference = publication_reference.strip() if isinstance(publication_reference, str) else ""
    if not reference:
        raise InvalidInput({"publication_reference": [_("Give the reference e-Notification gave the notice.")]})
    if len(reference) > 100:
        raise InvalidInput({"publication_reference": [_("The reference can be at most 100 characters.")]})
    if not permissions.may_manage_tender(actor, notice.tender):
        raise NotAllowed(_("Only the lead organisation's procurement officers handle the eForms notices."))
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("tender__initiative").get(pk=notice.pk)
        if notice.status != NoticeStatus.VALID:
            raise TransitionRefused(
                _("This notice is %(status)s: only a notice that passed every rule can have been published.")
                % {"status": notice.get_status_display()}, code="notice_not_valid")
        before = notice.publication_reference
        notice.publication_reference = reference
        notice.published_recorded_at = timezone.now()
        notice.save(update_fields=["publication_reference", "published_recorded_at"])
        data = {"publication_reference": reference, "before": before}
        if notice.kind == NoticeKind.CONTRACT:
            tender = Tender.objects.select_for_update().get(pk=notice.tender_id)
            data["tender_before"] = tender.publication_reference
            tender.publication_reference = reference
            tender.save(update_fields=["publication_reference", "updated_at"])
        audit.record(action="notices.notice.publication_recorded", obj=notice, actor=actor,
                     organisation=notice.tender.initiative.lead_organisation, data=data)
    return notice


def latest(tender: Tender) -> dict[str, Notice | None]:
    """The newest notice of each kind of a tender."""
    found: dict[str, Notice | None] = {kind: None for kind in NoticeKind.values}
    for notice in Notice.objects.filter(tender=tender).order_by("-created_at", "-id"):
        if found[notice.kind] is None:
            found[notice.kind] = notice
    return found
