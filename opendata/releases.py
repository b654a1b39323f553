"""Recording OCDS releases: the published history of every contracting process.

When an initiative, its tender, a contract or a call-off changes state, the service writes an audit entry
(DESIGN.md §4); ``receivers.py`` hears it and ``schedule`` records, once the transaction has committed, the
release of the process as it is then. A release is stored only when its content differs from the
process's previous release (``ocds.digest``), so a transaction that moves three objects (an award moves
the tender twice and the initiative once) gives one release, and a retried callback none.

Releases are published at these milestones, not at every keystroke: a demand line changed during pooling
shows in the next release, together with everyone else's, so that no release reveals one organisation's
demand before its council has decided. A council's decision on a participation (approved, declined) and a
withdrawal are such milestones too: the pooled value and the quantities they change are published then
(issue 16: the release made when pooling opened showed 0 until the pooling closed).

The release tag follows the stage of the process (``ocds.stage``): the first release of a stage gets the
stage's tag, later ones its update tag.
"""

import logging
import threading
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length
from django.utils import timezone

from procurement.models import Initiative

from . import calloffs, ocds
from .models import Release

logger = logging.getLogger(__name__)

INITIATIVE = "initiative"
CALL_OFF = "call_off"

# stage → (tag of its first release, tag of the later ones)
TAGS = {
    "planning": ("planning", "planningUpdate"),
    "tender": ("tender", "tenderUpdate"),
    "award": ("award", "awardUpdate"),
    "contract": ("contract", "contractUpdate"),
    "closed": ("contractTermination", "contractTermination"),
    "cancelled": ("tenderCancellation", "tenderCancellation"),
}


def tag_for(stage: str, ocid: str) -> list[str]:
    first, later = TAGS[stage]
    earlier = Release.objects.filter(ocid=ocid).values_list("tag", flat=True)
    return [later if any(first in tags for tags in earlier) else first]


def _store(initiative: Initiative, content: dict, stage: str) -> Release | None:
    """Store ``content`` as the next release of its ocid, unless it is what the last release said."""
    key = ocds.digest(content)
    previous = Release.objects.filter(ocid=content["ocid"]).order_by("-sequence").first()
    if previous is not None and previous.digest == key:
        return None
    sequence = previous.sequence + 1 if previous else 1
    release_id = f"{content['ocid']}-{sequence:04d}"
    now = timezone.now()
    head = {"ocid": content["ocid"], "id": release_id, "date": ocds.stamp(now), "tag": tag_for(stage, content["ocid"])}
    data = {**head, **{k: v for k, v in content.items() if k not in head}}
    return Release.objects.create(
        initiative=initiative, ocid=content["ocid"], sequence=sequence, release_id=release_id, tag=head["tag"],
        date=now, digest=key, data=data,
    )


def record_initiative(initiative_id: int) -> Release | None:
    """Record the initiative's release if it is published and changed. The initiative's row lock keeps two
    recorders of the same process from numbering the same sequence."""
    with transaction.atomic():
        initiative = Initiative.objects.select_for_update().filter(pk=initiative_id).first()
        if initiative is None or not ocds.is_published(initiative):
            return None
        content = ocds.release_content(initiative)
        return _store(initiative, content, ocds.stage(initiative, ocds.tender_of(initiative)))


def record_call_off(call_off_id: int) -> Release | None:
    model = calloffs.call_off_model()
    if model is None:
        return None
    with transaction.atomic():
        call_off = model.objects.select_for_update().filter(pk=call_off_id).first()
        if call_off is None or not calloffs.is_published(call_off):
            return None
        content = calloffs.release_content(call_off)
        return _store(call_off.contract.initiative, content, calloffs.stage(call_off))


RECORDERS = {INITIATIVE: record_initiative, CALL_OFF: record_call_off}


# --- once per commit ---

_local = threading.local()


def _recorded_in_this_flush() -> set:
    if not hasattr(_local, "done"):
        _local.done = set()
    return _local.done


def schedule(kind: str, pk: int) -> None:
    """Record the release of process (``kind``, ``pk``) once the current transaction commits (at once
    outside one), once per commit however many of its audit entries ask for it.

    The callbacks of one commit run one after the other with no new audit entry in between, so the set of
    processes already recorded is emptied whenever an entry asks anew: a set left over from a transaction
    that rolled back (whose callbacks never ran) can then never hide a later change."""
    _recorded_in_this_flush().clear()
    transaction.on_commit(partial(_run, kind, pk))


def _run(kind: str, pk: int) -> None:
    done = _recorded_in_this_flush()
    if (kind, pk) in done:
        return
    done.add((kind, pk))
    try:
        RECORDERS[kind](pk)
    except Exception:  # the domain change has committed; the next change records the release again
        logger.exception("Recording the OCDS release of %s %s failed", kind, pk)


# --- reading what was published ---


def ensure_recorded() -> None:
    """Record a first release of every published process that has none: initiatives published before this
    app was installed, or whose recording failed. Cheap once done (one query)."""
    missing = Initiative.objects.filter(state__in=ocds.PUBLISHED_STATES, ocds_releases__isnull=True)
    for pk in missing.values_list("pk", flat=True):
        record_initiative(pk)
    model = calloffs.call_off_model()
    if model is not None:
        published = {r for r in Release.objects.filter(ocid__contains="-call-off-").values_list("ocid", flat=True)}
        for call_off in model.objects.filter(state__in=calloffs.PUBLISHED_STATES).select_related("contract"):
            if calloffs.ocid(call_off) not in published:
                record_call_off(call_off.pk)


def latest() -> QuerySet[Release]:
    """The newest release of every contracting process, a framework's call-offs right after it."""
    newest = Release.objects.filter(ocid=OuterRef("ocid")).order_by("-sequence").values("pk")[:1]
    return Release.objects.filter(pk=Subquery(newest)).order_by("initiative_id", Length("ocid"), "ocid")


def history(initiative: Initiative) -> QuerySet[Release]:
    """Every release of the initiative's process and of its call-offs' processes, oldest first."""
    return Release.objects.filter(initiative=initiative).order_by(Length("ocid"), "ocid", "sequence")


def process_of(app_label: str, model: str, object_id: int) -> tuple[str, Any] | None:
    """The contracting process an audited object belongs to: (kind, pk), or None."""
    from contracts.models import Contract
    from procurement.models import Participation
    from tendering.models import Tender

    if (app_label, model) == ("procurement", "initiative"):
        return INITIATIVE, object_id
    if (app_label, model) == ("procurement", "participation"):
        initiative_id = Participation.objects.filter(pk=object_id).values_list("initiative_id", flat=True).first()
        return (INITIATIVE, initiative_id) if initiative_id is not None else None
    if (app_label, model) == ("tendering", "tender"):
        initiative_id = Tender.objects.filter(pk=object_id).values_list("initiative_id", flat=True).first()
    elif (app_label, model) == ("contracts", "contract"):
        initiative_id = Contract.objects.filter(pk=object_id).values_list("initiative_id", flat=True).first()
    elif (app_label, model) == ("contracts", "calloff"):
        return CALL_OFF, object_id
    else:
        return None
    return (INITIATIVE, initiative_id) if initiative_id is not None else None
