"""The house's one-way arrows: every import inside plugins/kb read with `ast` and held against one table.

A room is a subpackage of kb (content/, search/, ...) or one of the top-level modules. ALLOWED says,
for each room, the rooms it may import; the table itself must have no cycle, no module may import
itself back through others, nothing imports plugin.py, and no module reaches for another room's
private (underscore) names. Run it alone with:  .venv/bin/python -m pytest tests/test_layers.py
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "plugins" / "kb"

# room -> the rooms it may import. Lowest first: content and output import nothing of kb.
ALLOWED: dict[str, set[str]] = {
    "output": set(),
    "content": set(),
    "config": {"content"},
    "pages": {"content"},
    "search": {"content", "pages", "output"},
    "meetings": {"content", "pages"},
    "feeds": {"content", "meetings"},
    "board": {"content", "pages", "meetings", "feeds"},
    "editor": {"content", "pages"},
    "project": {"content", "meetings"},
    "site": {"content", "pages", "search", "meetings", "feeds", "board", "editor"},
    "speed": {"content", "pages", "search", "site", "output"},
    "building": {"content", "pages", "search", "site", "speed", "output", "project", "config", "editor"},
    "cli": {"content", "search", "meetings", "speed", "building", "project", "live"},
    "live": {"content", "pages", "building"},
    "plugin": {"building", "config", "speed"},
}


def module_name(path: Path, package: Path) -> str:
    parts = ["kb", *path.relative_to(package).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, package: Path) -> set[str]:
    """Every kb module or package a file imports, at any depth of the file (function bodies too)."""
    me = module_name(path, package)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "kb")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = me.split(".")[: len(me.split(".")) - node.level + (1 if is_package else 0)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "kb":
                continue
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)  # `from kb.search import spelling`
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    """module -> the kb modules it imports (names that are not modules are dropped)."""
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    return {name: {m for m in imports_of(path, package) if m in files and m != name} for name, path in files.items()}


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "kb"


def against_table(graph: dict[str, set[str]], allowed: dict[str, set[str]]) -> list[str]:
    """Every import from one room into another that the table does not allow, and every import of plugin.py."""
    wrong = []
    for module, targets in sorted(graph.items()):
        here = room_of(module)
        for target in sorted(targets):
            there = room_of(target)
            if there == "plugin":
                wrong.append(f"{module} imports {target}: nothing imports the plugin module")
            elif there not in (here, "kb") and there not in allowed.get(here, set()):
                wrong.append(f"{module} ({here}) imports {target} ({there}): not allowed by the table")
    return wrong


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one node (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def private_reaches(package: Path) -> list[str]:
    """`from kb.x import _name` across modules: another module's internals."""
    found = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kb"):
                found += [
                    f"{module_name(path, package)} imports {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(PACKAGE)


def test_every_room_is_in_the_table(graph):
    rooms = {room_of(m) for m in graph} - {"kb"}
    assert rooms == set(ALLOWED), f"rooms missing from ALLOWED: {rooms - set(ALLOWED)}; gone: {set(ALLOWED) - rooms}"


def test_the_table_itself_points_one_way():
    assert cycles(ALLOWED) == []


def test_imports_follow_the_table(graph):
    assert against_table(graph, ALLOWED) == []


def test_no_module_imports_itself_back(graph):
    assert cycles(graph) == []


def test_no_module_reaches_for_another_modules_private_names():
    assert private_reaches(PACKAGE) == []


def test_the_checks_catch_a_made_up_house(tmp_path):
    """The same functions on a made-up package: a cycle, a wrong-way import and a private reach are each found."""
    house = tmp_path / "kb"
    for name, text in {
        "__init__.py": "",
        "plugin.py": "",
        "content/__init__.py": "",
        "content/model.py": "from kb.site.pages import render\n",  # the content layer importing a feature
        "site/__init__.py": "",
        "site/pages.py": "from ..content import model\nfrom kb.site.more import x\n",
        "site/more.py": "def f():\n    from kb.site.pages import render\n    from kb.plugin import Plugin\n",  # a cycle; the plugin
        "site/other.py": "from kb.content.model import _hidden\n",
    }.items():
        (house / name).parent.mkdir(parents=True, exist_ok=True)
        (house / name).write_text(text)
    made_up = import_graph(house)
    assert made_up["kb.site.pages"] == {"kb.content", "kb.content.model", "kb.site.more"}
    assert cycles(made_up) == [["kb.content.model", "kb.site.more", "kb.site.pages"]]
    wrong = against_table(made_up, {"content": set(), "site": {"content"}, "plugin": set()})
    assert wrong == [
        "kb.content.model (content) imports kb.site.pages (site): not allowed by the table",
        "kb.site.more imports kb.plugin: nothing imports the plugin module",
    ]
    assert private_reaches(house) == ["kb.site.other imports kb.content.model._hidden"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_map_names_every_room():
    """plugins/kb/README.md is the newcomer's map: every room of the table has its line there."""
    text = (PACKAGE / "README.md").read_text(encoding="utf-8")
    for room in ALLOWED:
        written = f"`{room}.py`" if (PACKAGE / f"{room}.py").exists() else f"`{room}/`"
        assert written in text, f"plugins/kb/README.md does not name {written}"
