"""``python manage.py demo [--password PW]``: load the demo data (docs/API.md, "Demo data"). Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from procurement import demo
from procurement.demo.initiatives import IncompleteScenario
from procurement.demo.people import ADMIN_USERNAME, Tally


def _tally(label: str, tally: Tally) -> str:
    total = tally.created + tally.updated + tally.unchanged
    return f"{label}: {total} ({tally.created} new, {tally.updated} updated, {tally.unchanged} unchanged)"


class Command(BaseCommand):
    help = (
        "Load the demo data: the knowledge circles Scheldeland and Midwest with every municipality and "
        "its OCMW, the users ict.<municipality>, alderman.<municipality> and procurement.<municipality>, "
        "a superuser 'admin', and initiatives in several states. Running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password", default=demo.DEFAULT_PASSWORD,
            help="Password of every demo user and of 'admin' (default: %(default)s).",
        )

    def handle(self, *args, password: str, **options) -> None:
        if not password:
            raise CommandError("Give a non-empty --password.")
        try:
            summary = demo.load(password=password)
        except IncompleteScenario as error:
            raise CommandError(str(error)) from error
        ref = summary.reference
        out = self.stdout
        out.write(_tally("Organisations", ref.organisations))
        out.write(_tally("Knowledge circles", ref.circles))
        out.write(_tally("Users", ref.users))
        out.write(_tally("Memberships", ref.memberships))
        out.write("Initiatives:")
        for outcome in summary.initiatives:
            note = "new" if outcome.created else "already there, left as it is"
            out.write(f"  - {outcome.title}: {outcome.state} ({note})")
        out.write(self.style.SUCCESS(
            f"Log in as ict.wetteren, alderman.wetteren or procurement.destelbergen (any of the 16 "
            f"municipalities) with password '{password}'; the admin site (/admin/) as '{ADMIN_USERNAME}' with "
            f"the same password."
        ))
