"""The package's house: every module imports only from the floors below it (the README's "How the package is
built" section draws the same picture). A new upward import fails here, with the line that makes it."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "course_utils"

#: From the ground floor up; a module may import from its own floor's module and from the floors below.
FLOORS = [
    ("validate", "language"),
    ("reference", "mirror", "figure_text"),
    ("data",),
    ("config",),
    ("models",),
    ("training", "plots"),
    ("tuning",),
    ("transfer", "widgets", "checks"),
]
FLOOR = {name: level for level, names in enumerate(FLOORS) for name in names}


def _imports(path: Path):
    """(line, module path inside course_utils) for every import of the package in ``path``, at any depth,
    relative (``from ..data import x``) or absolute (``from course_utils.data import x``)."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    package = parts[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - (node.level - 1)]
            target = (*base, *node.module.split(".")) if node.module else base
            names = [target] if node.module else [(*base, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PACKAGE.name:
            target = tuple(node.module.split(".")[1:])
            names = [target] if target else [(alias.name,) for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [tuple(alias.name.split(".")[1:]) for alias in node.names
                     if alias.name.split(".")[0] == PACKAGE.name]
        else:
            continue
        for name in names:
            if name:
                yield node.lineno, name


def test_every_module_has_a_floor():
    tops = {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in PACKAGE.glob("*")
            if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists())}
    assert tops - {"__init__", "assets"} == set(FLOOR)


def test_no_module_imports_from_a_floor_above_its_own():
    upward = []
    for path in PACKAGE.rglob("*.py"):
        importer = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if importer == "__init__":
            continue  # the package's front door re-exports every floor
        for line, target in _imports(path):
            top = target[0]
            if top != importer and (FLOOR[top] > FLOOR[importer] or
                                    (FLOOR[top] == FLOOR[importer] and top != importer)):
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {'.'.join(target)}")
    assert not upward, "imports from the same or a higher floor:\n" + "\n".join(upward)


def test_exercise_modules_share_only_the_core():
    for path in (PACKAGE / "checks").glob("ex*.py"):
        for line, target in _imports(path):
            assert target[0] != "checks" or target[1:2] in (("core",), ()), f"{path.name}:{line} imports {target}"
