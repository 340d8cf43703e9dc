"""Dependencies point one way: reports → rotation → personnel → accounts.

Every module of an app (lazy imports inside functions included) is read, and an import
of an app above it fails the test. Apps above add to the pages of those below through
``personnel.extensions`` and templates included by name, never by import.
"""

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
ORDER = ["accounts", "personnel", "rotation", "reports"]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("app", ORDER[:-1])
def test_no_module_imports_an_app_above_its_own(app):
    above = set(ORDER[ORDER.index(app) + 1 :])
    offences = []
    for path in sorted((BASE_DIR / app).rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in above:
                offences.append(f"{path.relative_to(BASE_DIR)}:{line} imports {module}")
    assert not offences, "\n".join(offences)


def test_the_walk_sees_lazy_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from rotation.models import Movement\n    import reports\n")
    assert [name for _line, name in imported_modules(module)] == ["rotation.models", "reports"]


ROTATION_WORDS = ("rotation/", "'decision_", '"decision_', "movement.", "get_direction_display")


@pytest.mark.parametrize("folder", ["accounts", "personnel"])
def test_lower_apps_templates_name_nothing_of_rotation(folder):
    """An official's page shows movements and alerts through rotation's own partials,
    which personnel's templates include by the names rotation registers."""
    offences = [
        f"{path.relative_to(BASE_DIR)}: {word}"
        for path in sorted((BASE_DIR / "templates" / folder).rglob("*.html"))
        for word in ROTATION_WORDS
        if word in path.read_text(encoding="utf-8")
    ]
    assert not offences, "\n".join(offences)
