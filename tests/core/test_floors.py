"""ARCHITECTURE.md "Imports run one way, down these floors": a lower app never imports a higher
one (a higher app registers with a lower one instead). Checked over every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import xianjie

FLOORS = {
    "core": 0,
    "accounts": 1,
    "access": 1,
    "audit": 1,
    "calendar": 1,
    "catalog": 1,
    "notifications": 1,
    "documents": 1,
    "referrals": 2,
    "inspections": 3,
    "meetings": 4,
    "sharing": 4,
    "api": 5,
    "dashboards": 5,
}
PACKAGE = Path(xianjie.__file__).parent


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[1] for name in names if name.startswith("xianjie.") and "." in name}


def test_every_app_has_a_floor():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    assert apps <= set(FLOORS), apps - set(FLOORS)


def test_no_app_imports_a_higher_floor():
    upward = []
    for app, floor in FLOORS.items():
        for path in sorted((PACKAGE / app).rglob("*.py")) if (PACKAGE / app).exists() else []:
            for imported in _imported_apps(path):
                if FLOORS.get(imported, -1) > floor:
                    upward.append(f"{path.relative_to(PACKAGE)} imports xianjie.{imported}")
    assert upward == []


def test_import_reader_sees_absolute_imports_only(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import xianjie.referrals.models\n"
        "from xianjie.inspections.models import Finding\n"
        "from . import sibling\n"
        "import django\n",
        encoding="utf-8",
    )
    assert _imported_apps(module) == {"referrals", "inspections"}
