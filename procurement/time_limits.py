"""The minimum time limit for the receipt of bids (the rows of ``BidTimeLimit``) and the check that the tender
services apply when a bid deadline is set or a tender published (DESIGN.md §5.1)."""

from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement.models import BidPeriodReduction, BidTimeLimit


def time_limit_in_force(*, procedure: str, publication: str, reduction: str, on: date) -> BidTimeLimit | None:
    return (BidTimeLimit.objects
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on), valid_from__lte=on, procedure=procedure,
                    publication=publication, reduction=reduction)
            .order_by("-valid_from").first())


def bid_period_errors(
    *, procedure: str, publication: str, reduction: str, reason: str, bid_deadline: datetime | None,
    published: datetime | None = None,
) -> dict[str, list[str]]:
    """What is wrong with the bid period, by field; empty when it is long enough. The period runs from the
    publication (``published``; for a tender not yet published: now, the earliest it can be published), in
    calendar days (Brussels dates)."""
    errors: dict[str, list[str]] = {}
    start = timezone.localdate(published or timezone.now())
    reduction = reduction or BidPeriodReduction.NONE
    if reduction not in BidPeriodReduction.values:
        return {"bid_period_reduction": [_("Choose one of: %(choices)s.")
                                         % {"choices": ", ".join(BidPeriodReduction.values)}]}
    if reduction != BidPeriodReduction.NONE and not (reason or "").strip():
        errors["bid_period_reduction_reason"] = [_("Give the reason that allows the shorter bid period.")]
    row = time_limit_in_force(procedure=procedure, publication=publication, reduction=reduction, on=start)
    if row is None:
        if reduction != BidPeriodReduction.NONE:
            errors["bid_period_reduction"] = [
                _("The law allows no shorter bid period (%(reduction)s) for this procedure and publication; "
                  "choose no reduction.") % {"reduction": BidPeriodReduction(reduction).label}]
        return errors
    if bid_deadline is None:
        return errors
    days = (timezone.localdate(bid_deadline) - start).days
    if days < row.days:
        message = _("The bid deadline leaves %(days)s days after the publication on %(start)s; this procedure "
                    "and publication need at least %(min)s calendar days (%(source)s). Set the bid deadline on "
                    "%(earliest)s or later.") % {
            "days": days, "start": start.strftime("%d-%m-%Y"), "min": row.days, "source": row.source,
            "earliest": (start + timedelta(days=row.days)).strftime("%d-%m-%Y")}
        if not row.is_confirmed:
            message += " " + _("(This minimum is not confirmed yet: check it in the act.)")
        errors["bid_deadline"] = [message]
    return errors

