"""The dependency rules of DESIGN.md §8, checked on the source: a new import that breaks one fails here.

    core        ← every app (core imports no app of ours but the audit log it writes to)
    documents   ← the domain apps register their kinds with it; it imports only core and audit
    procurement ← tendering ← contracts   (never the other way round)
    workflows   (human tasks, mails) builds on procurement and tendering; contracts may send its mails
    opendata    reads every domain app and is read by none
    contracts   reads procurement and tendering through their models, selectors, rules and events only

Imports are read with ``ast`` (also those inside functions), relative ones resolved to the module they name.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"core", "audit", "procurement", "tendering", "contracts", "documents", "workflows", "opendata", "config"}

# app → the apps of ours it may import (besides itself)
ALLOWED = {
    "core": {"audit"},
    "audit": set(),
    "documents": {"core", "audit"},
    "procurement": {"core", "audit", "documents"},
    "tendering": {"core", "audit", "documents", "procurement"},
    "contracts": {"core", "audit", "documents", "procurement", "tendering", "workflows"},
    "workflows": {"core", "audit", "documents", "procurement", "tendering"},
    "opendata": {"core", "audit", "procurement", "tendering", "contracts"},
}
# contracts may read these modules of procurement and tendering, and nothing else of them.
CONTRACTS_READS = {
    "procurement": {"models", "selectors", "permissions", "events"},
    "tendering": {"models", "selectors", "rules", "events"},
}


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, dotted module) for every import in ``path``; ``from x import y`` counts as ``x.y`` too, since
    ``y`` may be a module."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = parts[: len(parts) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def violations(app: str, root: Path = ROOT) -> list[str]:
    broken = []
    for path in sorted((root / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue  # migrations name other apps' migrations, never their code
        for line, module in imported_modules(path, root):
            top, _, rest = module.partition(".")
            if top not in OURS or top == app:
                continue
            where = f"{path.relative_to(root)}:{line} imports {module}"
            if top not in ALLOWED[app]:
                broken.append(where)
            elif app == "contracts" and top in CONTRACTS_READS:
                first = rest.partition(".")[0]
                if first and first not in CONTRACTS_READS[top]:
                    broken.append(where)
    return sorted(set(broken))


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_each_app_imports_only_what_it_builds_on(app):
    assert violations(app) == []


def test_the_check_finds_a_broken_rule(tmp_path):
    """The rule test is only worth something if it fails: an import against the direction is reported."""
    (tmp_path / "procurement").mkdir()
    (tmp_path / "procurement" / "__init__.py").write_text("")
    (tmp_path / "procurement" / "x.py").write_text("def f():\n    from tendering.models import Tender\n")
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "y.py").write_text("from ..procurement import models\n")
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "z.py").write_text("from procurement.services import demand_set\nfrom procurement.models import Item\n")
    assert violations("procurement", tmp_path) == ["procurement/x.py:2 imports tendering.models",
                                                   "procurement/x.py:2 imports tendering.models.Tender"]
    assert violations("core", tmp_path) == ["core/y.py:1 imports procurement", "core/y.py:1 imports procurement.models"]
    assert violations("contracts", tmp_path) == ["contracts/z.py:1 imports procurement.services",
                                                 "contracts/z.py:1 imports procurement.services.demand_set"]
