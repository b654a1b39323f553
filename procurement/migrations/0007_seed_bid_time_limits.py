"""Seed the minimum time limits for the receipt of bids (DESIGN.md §5.1), supplies and services of a
contracting authority, in calendar days from the sending of the notice.

Editable in the admin; a new period is a new row. Rows whose figure or Belgian article could not be verified
against the act are marked unconfirmed: the product says so when it refuses a bid deadline with them.
A negotiated procedure without prior publication and an accepted invoice have no legal minimum (only a
reasonable time): no rows, so no refusal."""

from datetime import date

from django.db import migrations

LAW = "Wet 17 juni 2016 inzake overheidsopdrachten"
IN_FORCE = date(2017, 6, 30)  # the act and the KB plaatsing of 18 April 2017 apply from 30 June 2017
ROWS = [
    ("open", "european", "none", 35, True, f"art. 36 §1 {LAW}; art. 27(1) Directive 2014/24/EU"),
    # Not verified against the Belgian act here (the Directive's figures are): unconfirmed until checked.
    ("open", "european", "electronic_submission", 30, False,
     f"art. 36 {LAW}; art. 27(4) Directive 2014/24/EU: bids submitted electronically"),
    ("open", "european", "prior_information_notice", 15, False,
     f"art. 36 {LAW}; art. 27(2) Directive 2014/24/EU: prior information notice sent 35 days to 12 months before"),
    ("open", "european", "urgency", 15, False,
     f"art. 36 {LAW}; art. 27(3) Directive 2014/24/EU: duly substantiated urgency"),
    # Neither the figure nor the article verified here.
    ("open", "belgian", "none", 22, False, "KB plaatsing 18 april 2017: open procedure, Belgian publication only"),
]


def seed(apps, schema_editor):
    BidTimeLimit = apps.get_model("procurement", "BidTimeLimit")
    for procedure, publication, reduction, days, confirmed, source in ROWS:
        BidTimeLimit.objects.update_or_create(
            procedure=procedure, publication=publication, reduction=reduction, valid_from=IN_FORCE,
            defaults={"days": days, "is_confirmed": confirmed, "source": source, "valid_until": None},
        )


def unseed(apps, schema_editor):
    BidTimeLimit = apps.get_model("procurement", "BidTimeLimit")
    for procedure, publication, reduction, *_rest in ROWS:
        BidTimeLimit.objects.filter(procedure=procedure, publication=publication, reduction=reduction,
                                    valid_from=IN_FORCE).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0006_procurement_rules")]
    operations = [migrations.RunPython(seed, unseed)]
