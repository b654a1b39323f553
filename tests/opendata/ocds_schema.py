"""The OCDS 1.1.5 schemas of opendata/schema/ (a copy of the standard's, Apache-2.0), patched with the lots
and techniques extensions, validating offline: the package schema refers to the release schema by URL,
which a local registry resolves (no network)."""

import copy
import csv
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

import opendata

SCHEMA_DIR = Path(opendata.__file__).parent / "schema"
CORE = SCHEMA_DIR / "1.1.5"
EXTENSIONS = [SCHEMA_DIR / "extensions" / "lots", SCHEMA_DIR / "extensions" / "techniques"]
RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch: objects merge key by key, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def release_schema() -> dict:
    schema = _load(CORE / "release-schema.json")
    for extension in EXTENSIONS:
        schema = merge_patch(schema, _load(extension / "release-schema.json"))
    return schema


@cache
def package_validator() -> Draft4Validator:
    package = _load(CORE / "release-package-schema.json")
    assert package["properties"]["releases"]["items"]["$ref"] == RELEASE_URL
    registry = Registry().with_resource(RELEASE_URL, Resource.from_contents(release_schema(), default_specification=DRAFT4))
    Draft4Validator.check_schema(package)
    Draft4Validator.check_schema(release_schema())
    return Draft4Validator(package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def schema_errors(package: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in package_validator().iter_errors(package)]


@cache
def codelist(name: str) -> frozenset[str]:
    for folder in [CORE / "codelists", *(e / "codelists" for e in EXTENSIONS)]:
        path = folder / name
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                return frozenset(row["Code"] for row in csv.DictReader(handle))
    raise AssertionError(f"no code list {name}")


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/definitions/"), ref
        schema = release_schema()["definitions"][ref.rsplit("/", 1)[1]]
    return schema


def codes_used(instance, schema: dict | None = None, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(code list, value, path) of every value the release takes from a code list."""
    schema = _resolve(release_schema() if schema is None else schema)
    if "codelist" in schema and instance is not None:
        for value in instance if isinstance(instance, list) else [instance]:
            yield schema["codelist"], value, path
        return
    if isinstance(instance, dict):
        for key, value in instance.items():
            sub = schema.get("properties", {}).get(key)
            if sub is not None:
                yield from codes_used(value, sub, f"{path}/{key}")
    elif isinstance(instance, list) and isinstance(schema.get("items"), dict):
        for n, value in enumerate(instance):
            yield from codes_used(value, schema["items"], f"{path}/{n}")


def codelist_errors(package: dict) -> list[str]:
    return [f"{where}: {value!r} is not in {name}"
            for release in package["releases"]
            for name, value, where in codes_used(release)
            if value not in codelist(name)]


def assert_valid(package: dict) -> None:
    problems = schema_errors(package) + codelist_errors(package)
    assert not problems, "\n".join(problems)
