"""Build the pruned Schematron of the vendored SDK from a full eForms SDK checkout.

Run once per SDK upgrade:  python -m notices.sdk.prune /path/to/eForms-SDK <version>

The product only issues notice subtypes 16, 29, E3 and E4. The SDK's ``complete-validation.sch`` has no
``defaultPhase``, so every pattern is active. Its patterns are of two kinds:

* shared patterns (stages 1a, 2b, 3a, 3b, 4m, 5, 5m) that apply to every notice: kept whole;
* one pattern per subtype and stage (``validation-stage-1b-16``, ``-2a-16``, ``-3b-16``, ``-4-16`` …) whose every
  rule context carries the predicate ``[$noticeSubType = '<subtype>']``: such a rule matches no node of a notice
  of another subtype, and Schematron patterns are evaluated independently of each other (a rule only shadows
  later rules of its own pattern), so dropping the patterns of the other subtypes changes no result for a
  notice of subtype 16, 29, E3 or E4.

This script checks that guard on every rule of every dropped pattern and refuses to write if one is missing,
so the pruned file is provably equivalent to the complete one for the subtypes we issue.
"""

import re
import shutil
import sys
from pathlib import Path

SUBTYPES = ("16", "29", "E3", "E4")
SHARED = ("1a", "2b", "3a", "3b", "4m", "5", "5m")
PER_SUBTYPE = ("1b", "2a", "3b", "4")
PRUNED_NAME = "notices.sch"

_RULE = re.compile(r'<rule\s+context="([^"]*)"')


def kept_patterns() -> list[str]:
    names = [f"validation-stage-{stage}" for stage in SHARED]
    names += [f"validation-stage-{stage}-{sub}" for sub in SUBTYPES for stage in PER_SUBTYPE]
    return names


def check_dropped_pattern_guarded(path: Path) -> None:
    """Every rule of a per-subtype pattern must be guarded by that pattern's subtype."""
    subtype = path.stem.rsplit("-", 1)[1]
    guard = f"[$noticeSubType = '{subtype}']"
    for context in _RULE.findall(path.read_text(encoding="utf-8")):
        if guard not in context:
            raise SystemExit(f"{path.name}: rule context {context!r} lacks {guard}; pruning would not be exact")


def prune(sdk: Path, target: Path) -> None:
    static = sdk / "schematrons" / "static"
    complete = (static / "complete-validation.sch").read_text(encoding="utf-8")
    if "defaultPhase" in complete:
        raise SystemExit("complete-validation.sch has a defaultPhase; revisit the pruning argument")
    keep = set(kept_patterns())
    for sch in static.glob("validation-stage-*.sch"):
        if sch.stem not in keep:
            check_dropped_pattern_guarded(sch)
    # Phases name the dropped patterns: remove them all (no defaultPhase, so '#ALL' was in force anyway).
    text = re.sub(r"\s*<phase id=.*?</phase>", "", complete, flags=re.S)
    text = re.sub(
        r'\s*<include href="(validation-stage-[^"]+)\.sch"/>',
        lambda m: f'\n\t<include href="{m.group(1)}.sch"/>' if m.group(1) in keep else "",
        text,
    )
    text = text.replace(
        "<!--File generated from metadata database-->",
        "<!--File generated from metadata database; pruned to subtypes "
        + ", ".join(SUBTYPES)
        + " by notices/sdk/prune.py-->",
    )
    target.mkdir(parents=True, exist_ok=True)
    for name in keep:
        shutil.copy(static / f"{name}.sch", target / f"{name}.sch")
    (target / PRUNED_NAME).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sdk_dir, version = Path(sys.argv[1]), sys.argv[2]
    prune(sdk_dir, Path(__file__).parent / version / "schematrons")
