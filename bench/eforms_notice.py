"""``python -m bench.eforms_notice``: the seconds to build and validate one eForms notice (issue 18).

Loads the demo into a throwaway SQLite database, compiles the validator once (from the XSLT cached on this
machine under EFORMS_CACHE_DIR; transpiled first when the machine has none), then times building the demo
tender's contract notice (16) and award notice (29) and validating each, best of five. Target: under one
second per notice with the compiled validator (an officer waits for it).
"""

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

TARGET_SECONDS = 1.0


def main() -> int:
    folder = tempfile.mkdtemp(prefix="bench-eforms-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'db.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from notices import builders, validation
    from notices.demo import NETWORK_TITLE
    from notices.facts import facts_for, with_results
    from notices.models import BuyerContact, Notice, SupplierProfile
    from procurement.models import Initiative, Organisation
    from tendering.models import Supplier

    tender = Initiative.objects.get(title=NETWORK_TITLE).tender
    for organisation in Organisation.objects.all():
        BuyerContact.objects.create(organisation=organisation, telephone="+32 9 355 33 11",
                                    email="aankoop@example.be")
    for supplier in Supplier.objects.all():
        SupplierProfile.objects.create(supplier=supplier, size="small", nuts="BE234")

    started = time.perf_counter()
    validation.validator()
    compiled = time.perf_counter() - started
    print(f"eForms validator compiled in {compiled:.1f} s (once per process)")
    # The award notice refers to the contract notice that announced the framework (OPT-100).
    Notice.objects.create(tender=tender, kind="contract", subtype="16", sdk_version=validation.SDK_VERSION,
                          status="valid", xml=builders.contract_notice(
                              facts_for(tender), notice_id=str(uuid.uuid4()), issued_at=timezone.now()).decode())
    failed = False
    for name, build in (
        ("contract notice (16)", lambda: builders.contract_notice(facts_for(tender), notice_id=str(uuid.uuid4()),
                                                                  issued_at=timezone.now())),
        ("award notice (29)", lambda: builders.award_notice(with_results(facts_for(tender), tender),
                                                            notice_id=str(uuid.uuid4()), issued_at=timezone.now())),
    ):
        best = None
        for _ in range(5):
            started = time.perf_counter()
            result = validation.validate(build())
            seconds = time.perf_counter() - started
            best = seconds if best is None else min(best, seconds)
        ok = best < TARGET_SECONDS and result.valid
        failed |= not ok
        print(f"eForms {name}: build + validate {best:.3f} s (target < {TARGET_SECONDS:.0f} s) "
              f"{'ok' if ok else 'MISSED'}; {len(result.errors)} broken rules")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
