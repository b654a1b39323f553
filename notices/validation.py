"""Validation of eForms notices against the vendored SDK: the XSD (lxml) and the Schematron rules (saxonche).

The Schematron of the SDK is pruned to the subtypes we issue (``sdk/prune.py`` says why that is exact), turned
into an XSLT with SchXslt2 once per machine and kept on disk under ``settings.EFORMS_CACHE_DIR``, named by SDK
version and a hash of the rules and the transpiler (a new SDK or an edited rule gives a new file). Each process
compiles that XSLT once (about 10 s on a busy 2-core machine; SaxonC-HE cannot export a compiled stylesheet,
that takes Saxon-EE), then a notice takes a few hundredths of a second. The transpiler carries one fix (see
sdk/README.md): without it, rules on nodes below a node matched by the same pattern never ran.
"""

import hashlib
import json
import os
import re
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

SDK_VERSION = "1.15.1"
SDK_DIR = Path(__file__).resolve().parent / "sdk" / SDK_VERSION
SCHEMATRON = SDK_DIR / "schematrons" / "notices.sch"
TRANSPILER = SDK_DIR / "tools" / "schxslt2-transpile.xsl"
SCHEMAS = {
    "ContractNotice": SDK_DIR / "schemas" / "maindoc" / "UBL-ContractNotice-2.3.xsd",
    "ContractAwardNotice": SDK_DIR / "schemas" / "maindoc" / "UBL-ContractAwardNotice-2.3.xsd",
}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
SCH = "{http://purl.oclc.org/dsdl/schematron}"


@dataclass(frozen=True)
class Failure:
    """One broken rule: the rule id, the eForms field it is about (if the SDK names one) and where."""

    rule: str
    field: str = ""
    test: str = ""
    location: str = ""
    kind: str = "schematron"  # or "xsd"
    message: str = ""
    role: str = "ERROR"  # the SDK's severity: ERROR blocks publication, WARN is a warning only


@dataclass
class Result:
    sdk_version: str
    failures: list[Failure] = field(default_factory=list)

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if f.role == "ERROR"]

    @property
    def warnings(self) -> list[Failure]:
        return [f for f in self.failures if f.role != "ERROR"]

    @property
    def valid(self) -> bool:
        """No broken ERROR rule and a schema-valid document (warnings do not stop e-Notification either)."""
        return not self.errors

    def as_json(self) -> list[dict]:
        return [asdict(f) for f in self.failures]


# --- the cached XSLT ---


def rules_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(SCHEMATRON.parent.glob("*.sch")) + [TRANSPILER]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_xslt_path() -> Path:
    return Path(settings.EFORMS_CACHE_DIR) / f"eforms-{SDK_VERSION}-{rules_hash()}.xsl"


def ensure_xslt(processor) -> Path:
    """The transpiled validator on disk; transpiled here (a few seconds) if this machine has none yet."""
    target = cached_xslt_path()
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    transpiler = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(TRANSPILER))
    # Written next to the target and renamed: a concurrent process never reads half a file.
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".xsl.part")
    os.close(fd)
    try:
        transpiler.transform_to_file(source_file=str(SCHEMATRON), output_file=tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


# --- the compiled validator, one per process ---


class Validator:
    def __init__(self) -> None:
        from saxonche import PySaxonProcessor

        self._processor = PySaxonProcessor(license=False)
        xslt = ensure_xslt(self._processor)
        self._executable = self._processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xslt))
        self._lock = threading.Lock()  # an executable is not thread-safe; notices are validated one at a time

    def schematron(self, xml: bytes) -> list[Failure]:
        with self._lock:
            node = self._processor.parse_xml(xml_text=xml.decode("utf-8"))
            svrl = self._executable.transform_to_string(xdm_node=node)
        report = etree.fromstring(svrl.encode("utf-8"))
        index = rule_index()
        failures = []
        for failed in report.iter(f"{SVRL}failed-assert"):
            rule = failed.get("id", "")
            failures.append(Failure(
                rule=rule, field=index.get(rule, {}).get("field", "") or field_of_rule(rule),
                test=failed.get("test", ""), location=failed.get("location", ""),
                role=(failed.get("role") or "ERROR").upper(),
            ))
        return failures


_validator: Validator | None = None
compiles = 0  # how many times this process compiled the validator (the tests check it stays at one)
_validator_lock = threading.Lock()


def validator() -> Validator:
    """The process's compiled validator (compiled on first use)."""
    global _validator, compiles
    with _validator_lock:
        if _validator is None:
            _validator = Validator()
            compiles += 1
        return _validator


# --- XSD ---


@cache
def _schema(root: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS[root])))


def xsd(xml: bytes) -> list[Failure]:
    try:
        doc = etree.fromstring(xml)
    except etree.XMLSyntaxError as error:
        return [Failure(rule="XML", kind="xsd", message=str(error))]
    root = etree.QName(doc).localname
    if root not in SCHEMAS:
        return [Failure(rule="XSD", kind="xsd", message=f"unexpected root element {root}")]
    schema = _schema(root)
    if schema.validate(doc):
        return []
    return [Failure(rule="XSD", kind="xsd", location=f"line {e.line}", message=e.message) for e in schema.error_log]


def validate(xml: bytes) -> Result:
    """XSD first; the Schematron rules only run on a notice the schema accepts (they assume its structure)."""
    failures = xsd(xml)
    if not failures:
        failures = validator().schematron(xml)
    return Result(sdk_version=SDK_VERSION, failures=failures)


# --- what a rule is about ---


@cache
def rule_index() -> dict[str, dict[str, str]]:
    """Rule id → the field the SDK attaches to it (``diagnostics``) and its test, from the vendored rules."""
    # A diagnostic names its field in ``see="field:BT-05(a)-notice"`` (its own id cannot hold brackets).
    see = {
        d.get("id"): d.get("see", "").removeprefix("field:").removeprefix("node:")
        for d in etree.parse(str(SCHEMATRON)).iter(f"{SCH}diagnostic")
    }
    index: dict[str, dict[str, str]] = {}
    for path in SCHEMATRON.parent.glob("validation-stage-*.sch"):
        for assertion in etree.parse(str(path)).iter(f"{SCH}assert"):
            diagnostic = (assertion.get("diagnostics") or "").split(" ")[0]
            index[assertion.get("id")] = {"field": see.get(diagnostic, ""), "test": assertion.get("test", "")}
    return index


@cache
def fields() -> dict[str, dict]:
    with (SDK_DIR / "fields" / "fields.json").open(encoding="utf-8") as handle:
        return {f["id"]: f for f in json.load(handle)["fields"]}


_SUFFIX = re.compile(r"[-_][A-Za-z]+$")


def field_of_rule(rule: str) -> str:
    """Rules such as ``BT-500-Organization-Company_length`` are named after their field."""
    known = fields()
    candidate = rule
    while candidate:
        if candidate in known:
            return candidate
        shorter = _SUFFIX.sub("", candidate)
        if shorter == candidate:
            return ""
        candidate = shorter
    return ""
