"""The source tree shows the pipeline, and its imports keep to it.

Stages, lowest first: the package and its Table Schema (``package``, ``schema``, ``report``), ``read``
(CSV bytes to typed columns), ``checks`` (validation), ``loading`` (typed frames), ``views``,
``citation``, then ``exports`` and ``maintain``, the website (``site``), and the CLI on top. A module
imports only from its own stage or a lower one (lazy imports inside functions included), and a module
inside a sub-package is private to it: other stages import what the sub-package's ``__init__`` exports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import amaz_detainees

SRC = Path(amaz_detainees.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent
SUBPACKAGES = {"read", "checks", "citation", "exports", "maintain", "site"}
STAGE = {"_version": 0, "package": 0, "schema": 0, "report": 0, "read": 1, "checks": 2, "loading": 3,
         "pandera_schema": 3, "views": 4, "citation": 5, "exports": 6, "maintain": 6, "site": 7, "cli": 8,
         "__main__": 8, "__init__": 8}


def module_of(path: Path) -> list[str]:
    return list(path.relative_to(SRC).with_suffix("").parts)


def imports(path: Path, package: list[str] | None) -> list[tuple[int, list[str]]]:
    """(line, imported module path inside amaz_detainees) for every import in ``path``, lazy ones too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level and package is not None:
                base = package[: len(package) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "amaz_detainees":
                target = node.module.split(".")[1:]
            else:
                continue
            found.append((node.lineno, target))
            for alias in node.names:
                if (SRC.joinpath(*target, alias.name).with_suffix(".py").is_file()
                        or SRC.joinpath(*target, alias.name).is_dir()):
                    found.append((node.lineno, [*target, alias.name]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name.split(".")[1:]) for a in node.names
                      if a.name.split(".")[0] == "amaz_detainees"]
    return found


SOURCE_FILES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_down_the_pipeline(path: Path) -> None:
    module = module_of(path)
    stage = STAGE[module[0]]
    package = module[:-1]
    upward = [(line, ".".join(target)) for line, target in imports(path, package)
              if target and STAGE.get(target[0], 0) > stage]
    assert upward == [], f"{path.relative_to(SRC)} imports from a later stage"


@pytest.mark.parametrize("path", SOURCE_FILES + sorted(TESTS.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(SRC if p.is_relative_to(SRC) else TESTS.parent)))
def test_no_private_module_is_imported_from_outside_its_subpackage(path: Path) -> None:
    inside = module_of(path)[:1] if path.is_relative_to(SRC) else []
    package = module_of(path)[:-1] if path.is_relative_to(SRC) else None
    private = [(line, ".".join(target)) for line, target in imports(path, package)
               if len(target) >= 2 and target[0] in SUBPACKAGES and target[:1] != inside]
    assert private == [], "import these names from the sub-package itself"


def test_every_stage_is_known() -> None:
    top = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
           if (p.suffix == ".py") or (p.is_dir() and (p / "__init__.py").is_file())}
    assert top == set(STAGE)
