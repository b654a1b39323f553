"""The validator itself: the official SDK examples, the cache on disk, one compile per run, the pruning."""

import re

from notices import validation
from notices.sdk import prune

EXAMPLES = validation.SDK_DIR / "examples"


def _validate(name: str) -> validation.Result:
    return validation.validate((EXAMPLES / name).read_bytes())


def test_the_official_valid_examples_pass(eforms_validator):
    for name in ("cn_24_minimal.xml", "cn_24_open.xml", "E3_minimal.xml", "E4_minimal.xml"):
        result = _validate(name)
        assert result.valid, (name, result.errors[:3])
        assert result.sdk_version == "1.15.1"
    # A warning is reported but does not make a notice invalid.
    assert [(f.rule, f.role) for f in _validate("cn_24_open.xml").warnings] == [("BR-BT-00514-0310", "WARN")]


def test_the_official_award_examples_miss_only_the_count_of_bids_from_large_enterprises(eforms_validator):
    # The SDK's award examples predate rule BR-BT-13713-0123 (a notice that counts the bids must also count
    # those of large enterprises); an unpatched SchXslt2 never ran it (sdk/README.md), so it looked valid.
    for name, times in (("can_24_minimal.xml", 1), ("can_24_maximal.xml", 2)):
        assert [f.rule for f in _validate(name).errors] == ["BR-BT-13713-0123"] * times


def test_the_official_invalid_example_fails(eforms_validator):
    # The SDK's README counted 78 failed asserts with the unpatched transpiler, which skipped the rules on
    # nodes below a node already matched by the same pattern; with the fix 7 more rules run and fail (one of
    # them a warning).
    result = _validate("INVALID_cn_24_stage-2.xml")
    assert (len(result.failures), len(result.errors)) == (85, 84)
    assert {"BR-OPT-00200-0051", "OPP-070-notice-List_MA"} <= {f.rule for f in result.errors}
    assert all(f.kind == "schematron" for f in result.failures)


def test_a_rule_below_a_node_matched_by_the_same_pattern_runs(eforms_validator):
    # The patched transpiler: the rule on efac:Company (pattern 2a-16) runs although a rule of the same
    # pattern already matched efac:Organizations above it.
    from lxml import etree

    from notices.xml import NS

    doc = etree.parse(str(EXAMPLES / "cn_24_minimal.xml")).getroot()
    name = doc.xpath("//efac:Organization[1]/efac:Company/cac:PartyName", namespaces=NS)[0]
    name.getparent().remove(name)
    assert [f.rule for f in validation.validate(etree.tostring(doc)).errors] == ["BR-BT-00500-0022"]


def test_the_validator_is_compiled_once_per_run(eforms_validator):
    for name in ("cn_24_minimal.xml", "E4_minimal.xml"):
        _validate(name)
    assert validation.validator() is eforms_validator
    assert validation.compiles == 1


def test_the_transpiled_rules_are_cached_on_disk_by_version_and_hash(eforms_validator, settings):
    path = validation.cached_xslt_path()
    assert path.exists() and path.parent == settings.EFORMS_CACHE_DIR
    assert re.fullmatch(r"eforms-1\.15\.1-[0-9a-f]{16}\.xsl", path.name)
    before = path.stat().st_mtime_ns
    assert validation.ensure_xslt(processor=None) == path  # found: no transpiler needed, nothing rewritten
    assert path.stat().st_mtime_ns == before


def test_a_document_the_schema_refuses_is_reported_without_running_the_rules():
    result = validation.validate(b"<ContractNotice xmlns='urn:oasis:names:specification:ubl:schema:xsd:"
                                 b"ContractNotice-2'><Nonsense/></ContractNotice>")
    assert not result.valid and {f.kind for f in result.failures} == {"xsd"}
    assert validation.validate(b"not xml").failures[0].rule == "XML"


def test_the_pruned_rules_keep_every_shared_pattern_and_only_guarded_subtype_patterns():
    rules = validation.SCHEMATRON.parent
    included = set(re.findall(r'include href="([^"]+)\.sch"', validation.SCHEMATRON.read_text()))
    assert included == set(prune.kept_patterns())
    for name in included:
        assert (rules / f"{name}.sch").exists()
        subtype = name.rsplit("-", 1)[1]
        if subtype in prune.SUBTYPES:
            prune.check_dropped_pattern_guarded(rules / f"{name}.sch")  # the guard the argument rests on
    assert "<phase" not in validation.SCHEMATRON.read_text()


def test_each_rule_names_its_field():
    assert validation.rule_index()["BR-BT-00005-0074"]["field"] == "BT-05(b)-notice"
    assert validation.field_of_rule("BT-500-Organization-Company_length") == "BT-500-Organization-Company"
