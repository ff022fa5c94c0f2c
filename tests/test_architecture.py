"""docs/architecture.md stays true: it places every module in a layer, and no module imports
from a layer below its own (but the lazy imports the page names)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "ess_coop"
PAGE = (ROOT / "docs" / "architecture.md").read_text("utf-8")
# The lazy imports the page owns up to: (importer, imported).
EXCEPTIONS = {("validation", "keywords"), ("validation", "texts")}


def _layers() -> dict[str, int]:
    """Module → its layer's rank, from the diagram (the first fenced block of the page)."""
    diagram = PAGE.split("```", 2)[1]
    layers = re.split(r"\n\s*↓\s*\n", diagram.strip())
    ranks: dict[str, int] = {}
    for rank, block in enumerate(layers):
        text = re.sub(r"\([^)]*\)", "", block.split(None, 1)[1])  # asides in brackets are not modules
        text = re.sub(r"[a-z ]+:", "", text)  # nor are the labels of a layer's groups
        for name in re.findall(r"[a-z_][a-z0-9_]*", text):
            ranks[name] = rank
    return ranks


def _imports(path: Path) -> set[tuple[str, bool]]:
    """(module of ess_coop imported, whether at the top of the file)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ess_coop":
            parts = node.module.split(".")
            names = [alias.name for alias in node.names] if len(parts) == 1 else [parts[1]]
            found |= {(name, node.col_offset == 0) for name in names}
    return found


def _modules() -> list[str]:
    """The modules, and the packages (a family of modules placed as one, as ``forms``)."""
    packages = [p.parent.name for p in PACKAGE.glob("*/__init__.py")]
    return sorted([p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__")] + packages)


def _files(module: str) -> list[Path]:
    """The source files of a module or of a package."""
    folder = PACKAGE / module
    return sorted(folder.glob("*.py")) if folder.is_dir() else [PACKAGE / f"{module}.py"]


def test_every_module_has_a_layer_and_a_word() -> None:
    ranks = _layers()
    assert [m for m in _modules() if m not in ranks] == []
    assert [m for m in ranks if m not in _modules()] == []
    families = PAGE.split("## The module families", 1)[1]
    assert [m for m in _modules() if not re.search(rf"`{m}[`.]", families)] == []


def test_no_module_imports_from_a_layer_below() -> None:
    ranks = _layers()
    upward = [
        (module, name)
        for module in _modules()
        for path in _files(module)
        for name, top in _imports(path)
        if name in ranks and ranks[name] > ranks[module] and (top or (module, name) not in EXCEPTIONS)
    ]
    assert upward == []
